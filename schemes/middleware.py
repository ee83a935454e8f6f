"""The one tenancy mechanism.

Every URL under /s/<scheme_slug>/ is resolved here before its view runs: the user must be signed in (else the login
page), an active member of that scheme (else 404, so another scheme's existence is not even confirmed), and hold the
permission the view declares as `scheme_permission` (else 403). A view that declares none is a programming error.
The view then runs inside `django_scopes.scope(scheme=...)`, so every scheme-owned query is filtered to this scheme
and a query with no scheme in force raises instead of returning every scheme's rows.
"""

import time

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django_scopes import scope, scopes_disabled

from .audit import audit_record
from .models import AuditEvent, Scheme
from .permissions import PERMISSIONS, PUBLIC
from .selectors import active_membership


def declared_permission(view_func) -> str:
    view_class = getattr(view_func, "view_class", None)
    permission = getattr(view_func, "scheme_permission", None) or getattr(view_class, "scheme_permission", None)
    if permission != PUBLIC and permission not in PERMISSIONS:
        raise ImproperlyConfigured(
            f"{view_func.__module__}.{view_func.__name__} serves a scheme URL but declares no valid "
            f"scheme_permission (got {permission!r})"
        )
    return permission


class SchemeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_scheme = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.app_name == "admin":
            # The Django admin is for platform superusers and deliberately spans schemes.
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get("scheme_slug")
        if slug is None:
            return self.get_response(request)

        permission = declared_permission(match.func)
        if permission == PUBLIC:
            scheme = Scheme.objects.filter(slug=slug, is_active=True).first()
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = active_membership(user_id=request.user.pk, slug=slug)
            if membership is None:
                self._refused(request, Scheme.objects.filter(slug=slug).first(), "not a member of this scheme")
                raise Http404("No such scheme")
            if not membership.has(permission):
                self._refused(request, membership.scheme, f"needs {permission}")
                # A member: the refusal page may name their scheme and show their menu.
                request.membership, request.current_scheme = membership, membership.scheme
                raise PermissionDenied(f"Needs the {permission} permission")
            request.membership = membership
            scheme = membership.scheme
        if scheme is None:
            raise Http404("No such scheme")
        request.current_scheme = scheme
        with scope(scheme=scheme):
            return self.get_response(request)

    @staticmethod
    def _refused(request, scheme, why: str) -> None:
        audit_record(
            user=request.user, scheme=scheme, action=AuditEvent.Action.REFUSED, what="page",
            description=f"{request.method} {request.path[:150]} ({why})",
        )  # fmt: skip


class NoStoreMiddleware:
    """Pages shown to someone signed in, or any scheme's page, may hold personal data: browsers and proxies must not
    keep a copy (SECURITY.md). Static files are served before this and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or getattr(request, "current_scheme", None) is not None:
            patch_cache_control(response, no_store=True)
        return response


class TwoFactorMiddleware:
    """After the password, someone who owes the second step (schemes/twofactor.py) sees nothing but the page that
    asks for it (or sets it up) and the sign-out button. Reads the session only: no query."""

    ALLOWED = frozenset({"two_factor", "two_factor_backup_codes", "logout", "language_set"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .twofactor import owes_second_step

        if request.user.is_authenticated and owes_second_step(request):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED:
                return redirect_to_login(request.get_full_path(), login_url=reverse("two_factor"))
        return self.get_response(request)


class UserLanguageMiddleware:
    """Someone signed in sees the language they chose (User.preferred_language), on every device; Django's
    LocaleMiddleware has already chosen from the cookie or the browser for everyone else. No query: the user row is
    loaded by the session anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.preferred_language:
            translation.activate(request.user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signed-in sessions end after SESSION_COOKIE_AGE without activity. Instead of writing the session on every
    page (SESSION_SAVE_EVERY_REQUEST), it is written when it was last written more than a minute ago: the timeout is
    kept to the minute, and most pages save a database write."""

    REFRESH_AFTER = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_refreshed", 0) >= self.REFRESH_AFTER:
                request.session["_refreshed"] = now
        return response
