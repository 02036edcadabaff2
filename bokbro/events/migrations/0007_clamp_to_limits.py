"""Bring values stored before the ranges existed into them (issue 13), so that 0008's CHECK
constraints can be added on every install: the forms took any number and any year until then."""

from datetime import UTC, datetime
from decimal import Decimal

from django.db import migrations

from bokbro.core.limits import clamp, clamp_periods

FIRST = datetime(2000, 1, 1, tzinfo=UTC)
LAST = datetime(2101, 1, 1, tzinfo=UTC)
AMOUNTS = (Decimal("0"), Decimal("99999999.99"))


def forwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    clamp_periods(apps.get_model("events", "Session"), "starts_at", "ends_at", FIRST, LAST)
    clamp_periods(Event, "starts_at", "ends_at", FIRST, LAST)
    clamp(
        Event,
        registration_opens_at=(FIRST, LAST),
        registration_closes_at=(FIRST, LAST),
        cancellation_deadline=(FIRST, LAST),
        price=AMOUNTS,
        no_show_fee=AMOUNTS,
        late_cancellation_fee=AMOUNTS,
        capacity=(0, 10_000),
        quota_per_library=(1, 10_000),
        offer_hours=(1, 720),
        reminder_hours=(0, 1440),
        retention_months=(1, 120),
        certificate_min_sessions=(1, 1_000),
    )
    clamp(apps.get_model("events", "BudgetLine"), amount=AMOUNTS)


class Migration(migrations.Migration):
    dependencies = [("events", "0006_notification_outbox")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
