"""Schedule the monthly manager report (the 1st of each month, 06:00 UK time) in Celery beat's database scheduler."""

from django.db import migrations

from schemes.beat import schedule_job

TASK = "sharedlives.tasks.monthly_manager_report"
NAME = "Monthly overview to registered managers (the 1st, 06:00 UK time)"


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [schedule_job(TASK, NAME, minute="0", hour="6", day_of_month="1")]
