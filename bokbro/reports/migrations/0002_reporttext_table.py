# The moved table takes reports' name (plans_reporttext -> reports_reporttext), rows and all, and
# its content type follows, so permissions and admin history still name it.

from django.db import migrations


def content_type_to_reports(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='reports', model='reporttext').exists():
        ContentType.objects.filter(app_label='plans', model='reporttext').update(app_label='reports')


def content_type_to_plans(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='plans', model='reporttext').exists():
        ContentType.objects.filter(app_label='reports', model='reporttext').update(app_label='plans')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('plans', '0002_reporttext_moved_to_reports'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='reporttext', table=None),
        migrations.RunPython(content_type_to_reports, content_type_to_plans),
    ]
