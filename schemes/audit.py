"""Writing the audit trail. One function, called by views and services; the trail is never edited afterwards."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django_scopes import get_scope

from .models import AuditEvent, Person, Scheme, User


def audit_record(
    *,
    user: User | None,
    scheme: Scheme | None,
    action: str,
    obj: models.Model | None = None,
    what: str = "",
    person: Person | None = None,
    description: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        scheme=scheme,
        action=action,
        what=(what or (obj._meta.verbose_name if obj is not None else ""))[:60],
        object_id=str(obj.pk) if obj is not None else "",
        description=(description or (str(obj) if obj is not None else ""))[:200],
        person=person if person is not None else (obj if isinstance(obj, Person) else None),
        changes=changes or {},
    )


def changes_between(before: dict, after: dict, *, restricted: tuple[str, ...] = ()) -> dict:
    """{field: [before, after]} for what changed; restricted fields say only that they changed, never their values."""
    changed = {}
    for field, old in before.items():
        new = after.get(field)
        if old != new:
            hidden = "(restricted: not recorded)"
            changed[field] = [hidden, hidden] if field in restricted else [_plain(old), _plain(new)]
    return changed


def _plain(value):
    return value if isinstance(value, str | int | float | bool | list | dict | type(None)) else str(value)


def record_failed_sign_in(sender, credentials: dict, request=None, **kwargs) -> None:
    """A failed sign-in, with the address tried (Django already hides the password from `credentials`)."""
    from .lockout import sign_in_failed

    tried = str(credentials.get("username", ""))[:150]
    sign_in_failed(tried)
    audit_record(user=None, scheme=None, action=AuditEvent.Action.SIGN_IN_FAILED, what="sign-in", description=tried)


# --- Every change to scheme data, whoever makes it -------------------------------------------------------------
#
# Services save scheme data in many places; rather than trust each to remember, every save and delete of a model
# that belongs to a scheme writes a line (who, what, which scheme, when, before/after). "Who" is the signed-in user
# of the request being served (`acting_as`, set by SchemeMiddleware), or nobody for jobs. Fields a model lists in
# RESTRICTED_FIELDS (risk, health) are recorded as changed, never with their values. Models that write their own,
# richer line set `audited_elsewhere = True`; bookkeeping rows (notifications, reminders sent, report files, the
# person's own survey answers) are not scheme data and are left out. Bulk updates are not seen by signals: the
# services that use them write their own line where it matters.

_actor: ContextVar = ContextVar("audit_actor", default=None)
_paused: ContextVar = ContextVar("audit_paused", default=False)
PROJECT_APPS = ("schemes", "carers", "matching", "outcomes", "sharedlives")
NOT_SCHEME_DATA = {
    "schemes.AuditEvent", "schemes.Notification", "schemes.ReminderSent", "schemes.BackupCode", "schemes.User",
    "sharedlives.ReportFile", "outcomes.Answer", "outcomes.Questionnaire", "outcomes.Question",
}  # fmt: skip


@contextmanager
def acting_for(request):
    """Lines written while serving `request` name its user (looked up only if something is written)."""
    token = _actor.set(request)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_for(request):
            return self.get_response(request)


def _acting_user():
    request = _actor.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@contextmanager
def audit_paused():
    """For building demo data: thousands of rows nobody changed."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _tracked(sender) -> bool:
    meta = sender._meta
    return (
        meta.app_label in PROJECT_APPS
        and meta.label not in NOT_SCHEME_DATA
        and not getattr(sender, "audited_elsewhere", False)
        and not _paused.get()
    )


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _scheme_id(instance):
    """The row's own scheme, else the scheme in force (every request and job runs in one), else its parent's."""
    if isinstance(instance, Scheme):
        return instance.pk
    if getattr(instance, "scheme_id", None):
        return instance.scheme_id
    in_force = get_scope().get("scheme")
    if isinstance(in_force, Scheme):
        return in_force.pk
    for name in ("household", "arrangement", "incident", "run", "survey", "match", "panel", "referral", "person"):
        parent_id = getattr(instance, f"{name}_id", None)
        if parent_id is not None:
            parent = instance._meta.get_field(name).related_model
            if any(f.attname == "scheme_id" for f in parent._meta.concrete_fields):
                return parent._base_manager.filter(pk=parent_id).values_list("scheme_id", flat=True).first()
    return None


def _person_id(instance):
    if isinstance(instance, Person):
        return instance.pk
    if getattr(instance, "person_id", None):
        return instance.person_id
    arrangement_id = getattr(instance, "arrangement_id", None)
    if arrangement_id is not None:
        arrangement = instance._meta.get_field("arrangement").related_model
        return arrangement._base_manager.filter(pk=arrangement_id).values_list("person_id", flat=True).first()
    return None


def remember_before(sender, instance, raw=False, **kwargs) -> None:
    if raw or not _tracked(sender) or instance._state.adding or instance.pk is None:
        return
    names = [f.attname for f in sender._meta.concrete_fields]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def record_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not _tracked(sender):
        return
    restricted = getattr(sender, "RESTRICTED_FIELDS", ())
    if created:
        action, changes = AuditEvent.Action.CREATED, {}
    else:
        before = getattr(instance, "_audit_before", None) or {}
        changes = changes_between(before, _values(instance), restricted=restricted)
        changes.pop("updated_at", None)
        if not changes:
            return
        action = AuditEvent.Action.CHANGED
    _write(instance, action, changes)


def record_delete(sender, instance, **kwargs) -> None:
    if _tracked(sender):
        _write(instance, AuditEvent.Action.DELETED, {})


def _write(instance, action, changes) -> None:
    scheme_id = _scheme_id(instance)
    AuditEvent.objects.create(
        scheme_id=scheme_id, user=_acting_user(), action=action, what=str(instance._meta.verbose_name)[:60],
        object_id=str(instance.pk), description=str(instance)[:200], person_id=_person_id(instance),
        changes=changes,
    )  # fmt: skip
