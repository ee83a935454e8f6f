"""Writing the audit trail. One function, called by views and services; the trail is never edited afterwards."""

from django.db import models

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
