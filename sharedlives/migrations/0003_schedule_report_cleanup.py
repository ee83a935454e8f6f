"""Delete report files older than 7 days, every night at 02:00 UK time."""

from django.db import migrations

from schemes.beat import schedule_job

TASK = "sharedlives.tasks.delete_old_report_files"
NAME = "Delete report files older than 7 days (02:00 UK time)"


class Migration(migrations.Migration):
    dependencies = [("sharedlives", "0002_report_files"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [schedule_job(TASK, NAME, minute="0", hour="2")]
