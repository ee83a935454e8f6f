"""Reads for carers: the pipeline, one household's papers, and compliance worked out for many households at once."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schemes.dates import add_months

from .models import RECRUITMENT_STAGES, Check, Household, Member, Panel, PanelItem, Stage
from .rules import (
    BLOCKS_NEW_ARRANGEMENTS,
    EXPIRING_WITHIN_DAYS,
    REFERENCES_NEEDED,
    STATUS_STYLE,
    TRAINING,
    CheckKind,
    Requirement,
    Status,
    status_on,
    worst,
)


class HeldCheck(NamedTuple):
    """What a list of households shows of a check (a household's own page has the whole `Check`, with its evidence)."""

    pk: int
    kind: str
    member_id: int | None
    done_on: date
    expires_on: date | None
    is_clear: bool


@dataclass
class ComplianceRow:
    requirement: Requirement
    check: Check | HeldCheck | None
    status: str

    @property
    def label(self) -> str:
        return self.requirement.label

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def style(self) -> str:
        return STATUS_STYLE[self.status]

    @property
    def blocks_panel(self) -> bool:
        return self.status in (Status.MISSING, Status.EXPIRED, Status.NOT_CLEAR)


@cache
def _check_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {kind: str(label) for kind, label in CheckKind.choices}


def check_labels() -> dict[str, str]:
    """Each kind of check's name in the language of the page, worked out once per language and process."""
    return _check_labels(translation.get_language())


def requirements(household: Household, members: list[Member], labels: dict[str, str], today: date) -> list[Requirement]:
    """What this household must hold on `today`: DBS for every adult, ID and training for every carer, and the
    home's papers (`labels`: `check_labels()`)."""
    needed: list[Requirement] = []
    for member in members:
        if member.adult_on(today):
            needed.append(Requirement(CheckKind.DBS, member.pk, f"{labels[CheckKind.DBS]} — {member.full_name}"))
        if member.is_carer:
            kinds = [CheckKind.PHOTO_ID, *TRAINING] + ([CheckKind.CARE_CERTIFICATE] if household.new_to_care else [])
            needed += [Requirement(k, member.pk, f"{labels[k]} — {member.full_name}") for k in kinds]
    needed += [
        Requirement(CheckKind.REFERENCE, None, f"{labels[CheckKind.REFERENCE]} {n}")
        for n in range(1, REFERENCES_NEEDED + 1)
    ]
    household_kinds = [CheckKind.GP_REFERENCE, CheckKind.HOME_SAFETY, CheckKind.INSURANCE]
    if household.has_gas:
        household_kinds.append(CheckKind.GAS_SAFETY)
    if household.rented_or_mortgaged:
        household_kinds.append(CheckKind.LANDLORD_CONSENT)
    needed += [Requirement(k, None, labels[k]) for k in household_kinds]
    return needed


def household_compliance(
    *, households: list[Household], today: date | None = None, papers: dict | None = None
) -> dict[int, list[ComplianceRow]]:
    """Each household's requirements with their status, in two queries whatever the number of households (none
    when one household's `papers` from `household_papers` are given: its members and checks are read already)."""
    today = today or timezone.localdate()
    ids = [h.pk for h in households]
    members: dict[int, list[Member]] = defaultdict(list)
    checks: dict[int, list[Check | HeldCheck]] = defaultdict(list)
    if papers is not None:
        (household,) = households
        members[household.pk] = papers["members"]
        checks[household.pk] = sorted(papers["current_checks"], key=lambda c: (c.done_on, c.pk), reverse=True)
    else:
        for member in Member.objects.filter(household_id__in=ids):
            members[member.household_id].append(member)
        current = Check.objects.filter(household_id__in=ids, is_current=True).order_by("-done_on", "-pk")
        for fields in current.values_list("household_id", *HeldCheck._fields):
            checks[fields[0]].append(HeldCheck(*fields[1:]))

    result = {}
    labels = check_labels()
    for household in households:
        pool: dict[tuple, list[Check | HeldCheck]] = defaultdict(list)  # newest first for each kind and member
        for check in checks[household.pk]:
            pool[(check.kind, check.member_id)].append(check)
        rows = []
        for requirement in requirements(household, members[household.pk], labels, today):
            same = pool[(requirement.kind, requirement.member_id)]
            found = same.pop(0) if same else None  # each reference counts once
            if found is not None:
                status = status_on(expires_on=found.expires_on, is_clear=found.is_clear, today=today)
            else:
                status = Status.MISSING
            rows.append(ComplianceRow(requirement, found, status))
        result[household.pk] = rows
    return result


def overall_status(rows: list[ComplianceRow]) -> str:
    return worst(row.status for row in rows)


def status_badge(status: str) -> dict[str, str]:
    """What a template needs to show a status: the words, and a colour that only repeats them."""
    return {"label": str(Status(status).label), "style": STATUS_STYLE[status]}


def blocked_from_new_arrangements(household: Household, rows: list[ComplianceRow]) -> list[str]:
    """Why an approved household cannot take anyone new right now (empty: it can)."""
    reasons = []
    if household.stage != Stage.APPROVED:
        reasons.append(_("not approved"))
    if household.suspended_on:
        reasons.append(_("suspended"))
    for row in rows:
        if row.requirement.kind in BLOCKS_NEW_ARRANGEMENTS and row.status in (Status.EXPIRED, Status.MISSING):
            reasons.append(f"{row.label}: {row.status_label.lower()}")
    return reasons


# What a list of other things shows of a household: its name and its link. A household's record is wide (about 40
# columns, several long): lists read only these, with `with_related_only`.
HOUSEHOLD_NAME_FIELDS = frozenset({"id", "scheme", "name"})
# What the pipeline board reads of each household (of about 40 columns) and of its worker: what its row shows, and
# what decides which checks it must hold (`requirements`).
BOARD_FIELDS = ("scheme", "name", "postcode", "stage", "stage_changed_at", "enquiry_on", "suspended_on", "has_gas",
                "rented_or_mortgaged", "new_to_care", "worker__id", "worker__full_name", "worker__email")  # fmt: skip


def pipeline() -> QuerySet[Household]:
    return Household.objects.select_related("worker").only(*BOARD_FIELDS).order_by("enquiry_on", "pk")


def overdue_cutoff(*, target_days: int, today: date) -> date:
    """Households still being recruited whose enquiry came before this date are over the scheme's target."""
    return today - timedelta(days=target_days)


def only_overdue(households: QuerySet[Household], *, cutoff: date) -> QuerySet[Household]:
    return households.filter(stage__in=RECRUITMENT_STAGES, enquiry_on__lt=cutoff)


def board_rows(*, households: list[Household], cutoff: date, today: date) -> list[dict]:
    """One row per household on the board, with its compliance worked out for the whole page in two queries."""
    compliance = household_compliance(households=households, today=today)
    now = timezone.now()
    return [
        {
            "household": household,
            "days_in_stage": (now - household.stage_changed_at).days,
            "days_since_enquiry": (today - household.enquiry_on).days,
            "overdue": household.stage in RECRUITMENT_STAGES and household.enquiry_on < cutoff,
            "status": status_badge(overall_status(compliance[household.pk])),
        }
        for household in households
    ]


def stage_counts() -> dict[str, int]:
    rows = Household.objects.values("stage").annotate(n=Count("pk")).order_by()
    return {row["stage"]: row["n"] for row in rows}


def household_papers(*, household: Household, all_events: bool = False) -> dict:
    events = household.events.select_related("by")
    checks = list(household.checks.select_related("member"))  # current and old, in one query
    return {
        "members": list(household.members.all()),
        "events": list(events if all_events else events[:100]),
        "panel_items": list(household.panel_items.select_related("panel", "decided_by")),
        "terms_changes": list(household.terms_changes.select_related("by")),
        "current_checks": [check for check in checks if check.is_current],
        "old_checks": [check for check in checks if not check.is_current],
        "reviews": list(household.reviews.select_related("by")),
        "uploads": list(household.uploads.filter(status="waiting").select_related("member", "uploaded_by")),
    }


def compliance_overview(*, today: date | None = None) -> list[tuple[Household, list[ComplianceRow]]]:
    """Every household being checked or approved that has something expiring, expired, not clear or missing."""
    households = list(
        Household.objects.filter(stage__in=[Stage.CHECKS, Stage.TRAINING, Stage.PANEL, Stage.APPROVED]).select_related(
            "worker", "scheme"
        )
    )
    compliance = household_compliance(households=households, today=today)
    return [
        (household, [row for row in compliance[household.pk] if row.status != Status.VALID])
        for household in households
        if overall_status(compliance[household.pk]) != Status.VALID
    ]


def panels_for(*, user, can_see_all: bool) -> QuerySet[Panel]:
    panels = Panel.objects.annotate(n_items=Count("items")).order_by("-meets_on")
    return panels if can_see_all else panels.filter(members=user)


def panel_items(*, panel: Panel) -> list[PanelItem]:
    return list(panel.items.select_related("household", "household__worker", "decided_by"))


def upcoming_panels(*, today: date | None = None) -> QuerySet[Panel]:
    return Panel.objects.filter(meets_on__gte=today or timezone.localdate()).order_by("meets_on")


def ready_for_panel() -> QuerySet[Household]:
    return Household.objects.filter(stage=Stage.TRAINING).order_by("name")


def compliance_problem(*, problem: str, today: date) -> Exists:
    """In the database, for a Household queryset: `expired` (a current check expired or not clear) or `expiring`
    (within 60 days). Tied to the outer (already scheme-scoped) household, so the plain manager, as below."""
    current = Check._base_manager.filter(household=OuterRef("pk"), is_current=True)
    if problem == "expired":
        return Exists(current.filter(Q(expires_on__lt=today) | Q(is_clear=False)))
    return Exists(current.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS)))


def with_compliance_problem(households: QuerySet[Household], *, problem: str, today: date) -> QuerySet[Household]:
    return households.filter(compliance_problem(problem=problem, today=today))


def checks_block_new_people(*, on: date) -> Exists:
    """In the database, for a Household queryset: may its checks stop it taking anyone new on `on`?

    True where a current DBS or insurance has expired or is not clear, there is no current insurance, or an adult
    of the household has no current DBS. Matching and arrangements ask this same question, for one or thousands.
    The subqueries are tied to the outer (already scheme-scoped) household, so they use the plain manager: repeating
    the scheme join inside every correlated subquery only slows it down.
    """
    current = Check._base_manager.filter(household=OuterRef("pk"), is_current=True)
    lapsed = current.filter(kind__in=BLOCKS_NEW_ARRANGEMENTS).filter(Q(is_clear=False) | Q(expires_on__lt=on))
    insured = current.filter(kind=CheckKind.INSURANCE)
    dbs = Check._base_manager.filter(member=OuterRef("pk"), is_current=True, kind=CheckKind.DBS)
    adults_without_dbs = Member._base_manager.filter(
        household=OuterRef("pk"), date_of_birth__lte=add_months(on, -18 * 12)
    ).filter(~Exists(dbs))
    return ExpressionWrapper(
        Exists(lapsed) | ~Exists(insured) | Exists(adults_without_dbs), output_field=BooleanField()
    )


def dashboard_summary(*, scheme, today: date | None = None) -> dict[str, int]:
    """What needs doing in recruitment and approval, as counts for the staff dashboard (two queries)."""
    today = today or timezone.localdate()
    cutoff = overdue_cutoff(target_days=scheme.recruitment_target_days, today=today)
    watched = Q(stage__in=[Stage.CHECKS, Stage.TRAINING, Stage.PANEL, Stage.APPROVED])
    expired = compliance_problem(problem="expired", today=today)
    expiring = compliance_problem(problem="expiring", today=today)
    counts = Household.objects.aggregate(
        enquiries_over_target=Count("pk", filter=Q(stage__in=RECRUITMENT_STAGES, enquiry_on__lt=cutoff)),
        households_with_expired=Count("pk", filter=watched & Q(expired)),
        households_with_expiring=Count("pk", filter=watched & Q(expiring)),
        reviews_due=Count("pk", filter=Q(stage=Stage.APPROVED, next_review_on__lte=today + timedelta(days=30))),
    )
    counts["panels_coming"] = upcoming_panels(today=today).filter(meets_on__lte=today + timedelta(days=31)).count()
    return counts
