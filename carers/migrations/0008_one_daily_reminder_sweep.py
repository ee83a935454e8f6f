"""The daily 07:00 sweep now runs every app's reminder rules (schemes.tasks.reminder_sweep)."""

from django.db import migrations

OLD, NEW = "carers.tasks.check_reminder_sweep", "schemes.tasks.reminder_sweep"


def forwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=OLD).update(
        task=NEW, name="Daily reminders (07:00 UK time)"
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [("carers", "0007_carer_portal"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
