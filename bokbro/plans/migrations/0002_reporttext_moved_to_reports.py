# ReportText now belongs to the reports app (reports 0001 takes it over with its table and rows);
# plans only forgets it, the table is not touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ReportText')],
            database_operations=[],
        ),
    ]
