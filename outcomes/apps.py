from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"

    def ready(self):
        from schemes import sections

        from . import sections as outcome_sections

        sections.register("person", outcome_sections.person_outcomes)

        from schemes import subject_access

        from .subject_access import part

        subject_access.register(part)

        from schemes import retention

        from .retention import keep

        retention.register_keep(keep)

        from schemes import reminders

        from .reminders import send_survey_due_reminders, send_unanswered_reminders

        reminders.register("surveys due", send_survey_due_reminders)
        reminders.register("surveys not answered", send_unanswered_reminders)
