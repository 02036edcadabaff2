from django.db import migrations, models


def publish_existing(apps, schema_editor):
    """Publications saved before drafts existed were public: they stay published."""
    Publication = apps.get_model("publications", "Publication")
    Publication.objects.filter(published_at__isnull=True).update(
        published_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published"),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
