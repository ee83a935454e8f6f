"""Every URL under /s/<scheme_slug>/, found by walking the URL configuration, with the object ids to fill it in.

A new URL that takes ids must be added to OBJECT_KWARGS or test_every_scheme_url_is_in_the_matrix fails.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from schemes.middleware import declared_permission


@dataclass(frozen=True)
class SchemeURL:
    name: str
    params: tuple[str, ...]
    permission: str

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry, route


def scheme_urls() -> list[SchemeURL]:
    found = {}
    for name, entry, route in _walk(get_resolver().url_patterns):
        if "<slug:scheme_slug>" not in route:
            continue
        params = tuple(sorted(p for p in _route_params(route) if p != "scheme_slug"))
        found[name] = SchemeURL(name=name, params=params, permission=declared_permission(entry.callback))
    return sorted(found.values(), key=lambda u: u.name)


def _route_params(route: str) -> set[str]:
    import re

    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


# url name -> how to fill its ids from one side of the test world (a scheme with a member in every role).
_household = lambda side: {"pk": side.household.pk}  # noqa: E731
OBJECT_KWARGS = {
    **{
        f"carers:{name}": _household
        for name in (
            "household_detail",
            "household_record",
            "household_update",
            "member_add",
            "check_add",
            "household_advance",
            "household_end",
            "household_suspend",
            "household_lift",
            "carer_review",
            "terms_vary",
            "deapproval_refer",
        )
    },
    "carers:panel_detail": lambda side: {"pk": side.panel.pk},
    "carers:panel_agenda_add": lambda side: {"pk": side.panel.pk},
    "carers:panel_recommend": lambda side: {"pk": side.panel_item.pk},
    "carers:panel_decide": lambda side: {"pk": side.panel_item.pk},
    "carers:panel_appeal": lambda side: {"pk": side.panel_item.pk},
    "carers:check_evidence": lambda side: {"pk": side.check.pk},
    "matching:referral_detail": lambda side: {"pk": side.referral.pk},
    "matching:referral_status": lambda side: {"pk": side.referral.pk},
    "matching:match_propose": lambda side: {"pk": side.referral.pk},
    "matching:match_detail": lambda side: {"pk": side.match.pk},
    "matching:match_step": lambda side: {"pk": side.match.pk},
    "matching:match_profile": lambda side: {"pk": side.match.pk},
    **{
        f"matching:{name}": lambda side: {"pk": side.arrangement.pk}
        for name in ("arrangement_detail", "arrangement_end", "arrangement_letter", "booking_create")
    },
    "matching:booking_cancel": lambda side: {"pk": side.booking.pk},
    "matching:household_calendar": _household,
    "matching:unavailability_add": _household,
    "matching:person_calendar": lambda side: {"pk": side.person.pk},
    "matching:visit_record": lambda side: {"pk": side.visit.pk},
    **{
        f"matching:{name}": lambda side: {"pk": side.incident.pk}
        for name in ("incident_detail", "incident_update", "incident_action_add", "incident_close")
    },
    "matching:incident_action_done": lambda side: {"pk": side.incident_action.pk},
    **{
        f"matching:{name}": lambda side: {"pk": side.payment_run.pk}
        for name in ("payment_run", "payment_run_approve", "payment_statements_csv", "payment_invoices_csv")
    },
    "schemes:membership_edit": lambda side: {"pk": side.members["read_only"].pk},
    "schemes:member_unlock": lambda side: {"pk": side.members["read_only"].pk},
    "schemes:member_two_factor_reset": lambda side: {"pk": side.members["read_only"].pk},
    "schemes:person_detail": lambda side: {"pk": side.person.pk},
    "schemes:person_update": lambda side: {"pk": side.person.pk},
    "schemes:subject_access": lambda side: {"pk": side.person.pk},
    "schemes:place_add": lambda side: {"pk": side.person.pk},
    "outcomes:person_results": lambda side: {"pk": side.person.pk},
    "carers:member_invite": lambda side: {"pk": side.carer_member.pk},
    "carers:member_access_end": lambda side: {"pk": side.carer_member.pk},
    **{
        f"carers:{name}": lambda side: {"pk": side.upload.pk}
        for name in ("upload_evidence", "upload_accept", "upload_return")
    },
    "matching:timesheet_approve": lambda side: {"pk": side.timesheet.pk},
    "matching:timesheet_return": lambda side: {"pk": side.timesheet.pk},
    "portal:person": lambda side: {"pk": side.person.pk},
    "portal:survey": lambda side: {"pk": side.person.pk},
    **{
        f"portal:{name}": lambda side: {"pk": side.booking.pk}
        for name in ("booking_accept", "booking_decline", "timesheet_send")
    },
    "portal:statement": lambda side: {"pk": side.statement_run.pk},
    "schemes:outbox_retry": lambda side: {"pk": side.outbox_note.pk},
    "reports:file": lambda side: {"pk": side.report_file.pk},
    "reports:file_download": lambda side: {"pk": side.report_file.pk},
}
