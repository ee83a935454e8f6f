"""Schedule the weekly digest (Mondays 07:30 UK time) in Celery beat's database scheduler."""

from django.db import migrations

from schemes.beat import schedule_job

TASK = "schemes.tasks.weekly_digest"
NAME = "Weekly digest for those who chose it (Mondays 07:30 UK time)"


class Migration(migrations.Migration):
    dependencies = [("schemes", "0008_email_choice"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [schedule_job(TASK, NAME, minute="30", hour="7", day_of_week="1")]
