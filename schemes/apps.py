from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes, staff and people we support"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .audit import record_failed_sign_in
        from .lockout import sign_in_succeeded
        from .twofactor import on_sign_in

        user_login_failed.connect(record_failed_sign_in, dispatch_uid="schemes.audit.failed_sign_in")
        user_logged_in.connect(
            lambda sender, user, **kwargs: sign_in_succeeded(user), dispatch_uid="schemes.lockout.reset", weak=False
        )
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: on_sign_in(request, user),
            dispatch_uid="schemes.twofactor.on_sign_in",
            weak=False,
        )
