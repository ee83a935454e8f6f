from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "carers"

    def ready(self):
        from schemes import subject_access

        from .subject_access import part

        subject_access.register(part)

        from schemes import reminders

        from .reminders import send_check_reminders, send_panel_papers_reminders, send_review_reminders

        reminders.register("carer checks", lambda scheme, today: send_check_reminders(scheme=scheme, today=today))
        reminders.register("carer annual review", lambda s, today: send_review_reminders(scheme=s, today=today))
        reminders.register("panel papers", lambda s, today: send_panel_papers_reminders(scheme=s, today=today))
