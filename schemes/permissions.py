"""Named permission flags, granted by role. The one place that says who may do what.

Views declare the flag they need (`scheme_permission`); `SchemeMiddleware` checks it before the view runs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# A view open to anyone, signed in or not (the scheme still comes from the URL and must exist).
PUBLIC = "public"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (Shared Lives worker)")
    REGISTERED_MANAGER = "registered_manager", _("Registered manager")
    PANEL_MEMBER = "panel_member", _("Panel member")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    READ_ONLY = "read_only", _("Read only")
    CARER = "carer", _("Carer (the carer portal only)")


# Roles given by "Staff"; carers join through an invitation from their household's page.
STAFF_ROLES = [(value, label) for value, label in Role.choices if value != Role.CARER]


PERMISSIONS: dict[str, str] = {
    "view_scheme": "See the scheme's dashboard",
    "view_records": "See carer households, people we support and arrangements",
    "manage_carers": "Record enquiries, assessments, checks and training",
    "approve_carers": "Make approval and de-approval decisions",
    "view_panels": "See approval panels (panel members: only the panels they sit on)",
    "sit_on_panel": "Record the recommendation of panels they sit on",
    "manage_people": "Record and change people we support, referrals and matches",
    "view_restricted": "See risk and health details of people we support",
    "view_safeguarding": "See incidents and safeguarding concerns",
    "manage_arrangements": "Start, change and end arrangements and bookings",
    "manage_finance": "Fee bands, payment statements and invoices",
    "view_reports": "Download manager reports",
    "manage_scheme": "Change the scheme's settings and its staff",
    "view_audit": "Search the audit trail",
    "use_portal": "Use the carer portal for their own household (and nothing else)",
}

_EVERYONE = {"view_scheme"}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            "view_records",
            "manage_carers",
            "manage_people",
            "view_restricted",
            "view_safeguarding",
            "manage_arrangements",
            "view_panels",
        }
    ),
    Role.REGISTERED_MANAGER: frozenset(PERMISSIONS) - {"use_portal"},
    Role.PANEL_MEMBER: frozenset(_EVERYONE | {"view_panels", "sit_on_panel"}),
    Role.FINANCE_OFFICER: frozenset(_EVERYONE | {"view_records", "manage_finance", "view_reports"}),
    Role.READ_ONLY: frozenset(_EVERYONE | {"view_records"}),
    Role.CARER: frozenset({"use_portal"}),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(permission: str) -> list[str]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]
