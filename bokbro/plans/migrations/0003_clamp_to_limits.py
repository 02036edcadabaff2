"""Bring values stored before the ranges existed into them (issue 13), so that 0004's CHECK
constraints can be added on every install: the forms took any date, order, figure and hours
until then."""

from datetime import date
from decimal import Decimal

from django.db import migrations

from bokbro.core.limits import clamp


def forwards(apps, schema_editor):
    model = apps.get_model
    years, days = (1990, 2100), (date(1990, 1, 1), date(2100, 12, 31))
    order = (0, 10_000)
    figures = (Decimal("-99999999.99"), Decimal("99999999.99"))
    for name in ("Plan", "MunicipalPlan"):
        clamp(model("plans", name), starts_year=years, ends_year=years, adopted_on=days)
    for name in ("FocusArea", "Goal", "Strategy"):
        clamp(model("plans", name), order=order)
    clamp(model("plans", "Indicator"), order=order, target=figures)
    clamp(model("plans", "IndicatorValue"), year=years, value=figures)
    clamp(model("plans", "Action"), year=years)
    hours = (Decimal("0"), Decimal("500"))
    clamp(model("plans", "Dialogue"), year=years, date=days, hours=hours)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_reporttext_moved_to_reports")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
