# ReportText moves here from plans with its table and rows: this migration only takes the model
# into reports' state (the table is still plans_reporttext); 0002 renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0001_initial'),
        ('plans', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportText',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('section', models.CharField(max_length=40)),
                        ('text', models.TextField(blank=True, help_text='Markdown.', verbose_name='text')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_texts', to='directory.agency')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_reporttext',
                        'constraints': [models.UniqueConstraint(fields=('agency', 'year', 'section'), name='one_report_text_per_section')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
