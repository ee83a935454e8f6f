from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from schemes import sections

        from . import sections as matching_sections

        sections.register("person", matching_sections.person_arrangements)
        sections.register("household", matching_sections.household_arrangements)

        from schemes import subject_access

        from .subject_access import part

        subject_access.register(part)

        from schemes import retention

        from .retention import keep

        retention.register_keep(keep)

        from schemes import reminders

        from .reminders import send_timesheet_reminders, send_visit_reminders

        reminders.register("reviews and visits", send_visit_reminders)
        reminders.register("timesheets waiting", send_timesheet_reminders)
