"""Bring values stored before the ranges existed into them (issue 13), so that 0004's CHECK
constraints can be added on every install: a team member's order could be any number until then."""

from django.db import migrations

from bokbro.core.limits import clamp


def forwards(apps, schema_editor):
    clamp(apps.get_model("directory", "TeamMember"), position=(0, 10_000))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_team_email_message")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
