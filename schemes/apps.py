from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes, staff and people we support"

    def ready(self) -> None:
        from . import choices

        choices.install()
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_delete, post_save, pre_save

        from .audit import record_delete, record_failed_sign_in, record_save, remember_before

        pre_save.connect(remember_before, dispatch_uid="schemes.audit.before")
        post_save.connect(record_save, dispatch_uid="schemes.audit.save")
        post_delete.connect(record_delete, dispatch_uid="schemes.audit.delete")
        from .lockout import sign_in_succeeded
        from .twofactor import on_sign_in

        user_login_failed.connect(record_failed_sign_in, dispatch_uid="schemes.audit.failed_sign_in")
        user_logged_in.connect(
            lambda sender, user, **kwargs: sign_in_succeeded(user), dispatch_uid="schemes.lockout.reset", weak=False
        )
        from .selectors import unread_counts_prime

        user_logged_in.connect(
            lambda sender, user, **kwargs: unread_counts_prime(user), dispatch_uid="schemes.bell", weak=False
        )
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: on_sign_in(request, user),
            dispatch_uid="schemes.twofactor.on_sign_in",
            weak=False,
        )
        from .i18n import keep_language_chosen_before_sign_in

        user_logged_in.connect(keep_language_chosen_before_sign_in, dispatch_uid="schemes.i18n.sign_in", weak=False)
