"""Bring values stored before the ranges existed into them (issue 13), so that 0004's CHECK
constraints can be added on every install: the forms took any date and any amount until then."""

from datetime import date
from decimal import Decimal

from django.db import migrations

from bokbro.core.limits import clamp


def forwards(apps, schema_editor):
    model = apps.get_model
    days = (date(2000, 1, 1), date(2100, 12, 31))
    amounts = (Decimal("0"), Decimal("99999999.99"))
    for name in ("Project", "Measure"):
        clamp(model("projects", name), starts_on=days, ends_on=days)
    clamp(model("projects", "StatusReport"), due_on=days, submitted_on=days)
    clamp(model("projects", "Funder"), min_applied=amounts)
    clamp(model("projects", "FundingLine"), applied=amounts, granted=amounts, reported=amounts)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_measure_plan_goals_project_plan_goals")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
