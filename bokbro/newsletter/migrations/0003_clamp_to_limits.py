"""Bring values stored before the ranges existed into them (issue 13), so that 0004's CHECK
constraints can be added on every install: a scheduled time could be any year until then."""

from datetime import UTC, datetime

from django.db import migrations

from bokbro.core.limits import clamp


def forwards(apps, schema_editor):
    moments = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2101, 1, 1, tzinfo=UTC))
    clamp(apps.get_model("newsletter", "Issue"), scheduled_at=moments)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0002_list_sender")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
