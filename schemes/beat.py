"""Putting a job on Celery beat's database schedule from a migration, so a manager sees and changes it in the admin.

Kept to plain data (the historical models come from `apps`), so the migrations that use it stay valid as the app's
own models change.
"""

from django.db import migrations


def schedule_job(task: str, name: str, *, minute: str, hour: str, day_of_week: str = "*",
                 day_of_month: str = "*") -> migrations.RunPython:  # fmt: skip
    """A migration operation that schedules `task` (UK time) under `name`, and removes it when reversed."""

    def schedule(apps, schema_editor):
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=day_of_week, day_of_month=day_of_month, month_of_year="*",
            timezone="Europe/London",
        )  # fmt: skip
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})

    def unschedule(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()

    return migrations.RunPython(schedule, unschedule)
