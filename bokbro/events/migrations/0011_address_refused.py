"""A mail refused because of its address is marked on the registration (core/mail/addresses.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0010_approval_digests'),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='address_refusal',
            field=models.CharField(blank=True, default='', editable=False, max_length=300),
        ),
        migrations.AddField(
            model_name='registration',
            name='address_refused_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
