"""PostgreSQL: drop `events_register()`. A registration is now one batch of plain SQL statements
issued by the service, the same on both databases (events/services/registration_sql.py)."""

from importlib import import_module

from django.db import migrations

DROP = "DROP FUNCTION IF EXISTS events_register(bigint, jsonb, jsonb, timestamptz, boolean);"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            import_module("bokbro.events.migrations.0006_notification_outbox").CREATE
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0008_limits")]

    operations = [migrations.RunPython(drop, restore)]
