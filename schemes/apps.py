from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes, staff and people we support"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .audit import record_failed_sign_in

        user_login_failed.connect(record_failed_sign_in, dispatch_uid="schemes.audit.failed_sign_in")
