"""Reads for matching: the pool of carer households with what the hard rules need, places taken, and the board."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from carers.models import Check, Household, Member, Stage
from carers.rules import CheckKind, add_months

from .models import FINISHED_MATCH_STATUSES, Match, MatchStatus, Referral

# Households in these stages are judged; earlier recruits are not candidates at all.
CANDIDATE_STAGES = [Stage.APPROVED, Stage.PANEL, Stage.TRAINING]
POOL_FIELDS = [
    "id", "name", "stage", "suspended_on", "terms_support_types", "terms_needs", "terms_max_people",
    "terms_named_person_id", "wheelchair_accessible", "step_free", "ground_floor_bedroom", "has_dogs", "has_cats",
    "smokers", "interests", "skills", "languages", "faith", "latitude", "longitude", "spare_bedrooms",
]  # fmt: skip


def candidate_pool(*, on: date) -> list[dict]:
    """Every candidate household as a dict, in one query, with its DBS and insurance facts worked out in SQL."""
    current = Check.objects.filter(household=OuterRef("pk"), is_current=True)
    essential_problem = current.filter(kind__in=[CheckKind.DBS, CheckKind.INSURANCE]).filter(
        Q(expires_on__lt=on) | Q(is_clear=False)
    )
    adults_without_dbs = Member.objects.filter(
        household=OuterRef("pk"), date_of_birth__lte=add_months(on, -18 * 12)
    ).exclude(Exists(Check.objects.filter(member=OuterRef("pk"), kind=CheckKind.DBS, is_current=True)))
    rows = (
        Household.objects.filter(stage__in=CANDIDATE_STAGES)
        .annotate(
            expired_dbs_or_insurance=Exists(essential_problem),
            has_insurance=Exists(current.filter(kind=CheckKind.INSURANCE)),
            adult_without_dbs=Exists(adults_without_dbs),
        )
        .values(*POOL_FIELDS, "expired_dbs_or_insurance", "has_insurance", "adult_without_dbs")
        .order_by("name", "id")
    )
    labels = dict(Stage.choices)
    return [{**row, "stage_label": labels[row["stage"]]} for row in rows]


def places_taken(*, on: date) -> dict[int, int]:
    """People living with or booked into each household on a day, in one query.

    Until arrangements exist, a match that has started is a place taken.
    """
    rows = (
        Match.objects.filter(status=MatchStatus.STARTED, started_on__lte=on)
        .values("household_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["household_id"]: row["n"] for row in rows}


def open_referral(*, person) -> Referral | None:
    return (
        Referral.objects.filter(
            person=person, status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
        )  # fmt: skip
        .order_by("-referred_on", "-pk")
        .first()
    )


def referral_board(*, waiting_only: bool = True) -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("person", "scheme").prefetch_related(
        Prefetch("matches", queryset=Match.objects.select_related("household", "scheme").order_by("-updated_at"))
    )
    if waiting_only:
        referrals = referrals.filter(
            status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
        )
    return referrals.order_by("referred_on", "pk")


def referral_counts() -> dict[str, int]:
    rows = Referral.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def open_matches_for(*, referral: Referral) -> list[Match]:
    return list(referral.matches.select_related("household", "scheme").order_by("-updated_at"))


def match_with_steps(*, pk: int) -> Match:
    return Match.objects.select_related("referral__person", "household", "scheme").get(pk=pk)


def is_finished(status: str) -> bool:
    return status in FINISHED_MATCH_STATUSES
