"""Bring values stored before the ranges existed into them (issue 13), so that 0004's CHECK
constraints can be added on every install: the forms took any year and any hours until then."""

from datetime import date
from decimal import Decimal

from django.db import migrations

from bokbro.core.limits import clamp, clamp_periods

DAYS = (date(2000, 1, 1), date(2100, 12, 31))


def forwards(apps, schema_editor):
    model = apps.get_model
    clamp(model("advisory", "Consultation"), date=DAYS, hours=(Decimal("0"), Decimal("500")))
    clamp(model("advisory", "FollowUp"), due_date=DAYS)
    clamp(model("advisory", "PlannedVisit"), date=DAYS)
    clamp_periods(model("advisory", "Tour"), "starts_on", "ends_on", *DAYS)


class Migration(migrations.Migration):
    dependencies = [("advisory", "0002_consultation_plan_goals")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
