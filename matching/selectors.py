"""Reads for matching: the pool of carer households with what the hard rules need, places taken, and the board."""

from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from carers.models import Household, Stage
from carers.selectors import checks_block_new_people

from .models import FINISHED_MATCH_STATUSES, Match, MatchStatus, Referral

# Households in these stages are judged; earlier recruits are not candidates at all.
CANDIDATE_STAGES = [Stage.APPROVED, Stage.PANEL, Stage.TRAINING]
# What the hard rules need, for every candidate; and what the score needs, only for those that pass.
POOL_FIELDS = [
    "id", "name", "stage", "suspended_on", "terms_max_people", "terms_named_person_id", "wheelchair_accessible",
    "step_free", "ground_floor_bedroom", "has_dogs", "has_cats", "smokers", "spare_bedrooms",
]  # fmt: skip
SCORE_FIELDS = ["id", "interests", "skills", "languages", "faith"]


def candidate_pool(*, on: date, support_type: str | None = None, needs: tuple[str, ...] = ()) -> list[dict]:
    """Every candidate household as a dict with what the hard rules need, in one flat query.

    Whether its checks let it take someone new is asked in the database (carers' `checks_block_new_people`): reading
    every current check and adult member into Python cost more than the whole ranking (make bench).
    """
    # The approval terms are asked about in the database, one yes/no per thing wanted: decoding 10,000 JSON lists
    # in Python costs more than the ranking. The codes are quoted in the JSON text, so a quoted match is exact.
    asked = {f"approved_for_{code}": _terms_has("terms_needs", code) for code in needs}
    if support_type:
        asked["approved_for_support_type"] = _terms_has("terms_support_types", support_type)
    rows = (
        Household.objects.filter(stage__in=CANDIDATE_STAGES)
        .annotate(checks_block=checks_block_new_people(on=on), **asked)
        .values(*POOL_FIELDS, "checks_block", *asked)
        .order_by("name", "id")
    )
    labels = dict(Stage.choices)
    pool = list(rows)
    for row in pool:
        row["stage_label"] = labels[row["stage"]]
    return pool


def score_details(*, household_ids: list[int]) -> dict[int, dict]:
    """The texts and map position the score reads, for the households that passed the hard rules (one query)."""
    rows = (
        Household.objects.filter(pk__in=household_ids)
        # Floats for the distance sums: converting thousands of Decimals costs more than the ranking itself.
        .annotate(latitude_f=Cast("latitude", FloatField()), longitude_f=Cast("longitude", FloatField()))
        .order_by()
        .values(*SCORE_FIELDS, "latitude_f", "longitude_f")
    )
    return {row["id"]: {**row, "latitude": row["latitude_f"], "longitude": row["longitude_f"]} for row in rows}


def _terms_has(field: str, code: str) -> ExpressionWrapper:
    return ExpressionWrapper(Q(**{f"{field}__icontains": f'"{code}"'}), output_field=BooleanField())


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


def dashboard_summary(*, scheme, today: date) -> dict[str, int]:
    waiting = Referral.objects.filter(
        status__in=[Referral.Status.NEW, Referral.Status.ASSESSING, Referral.Status.MATCHING]
    )
    cutoff = today - timedelta(days=scheme.matching_target_days)
    return {"waiting": waiting.count(), "over_target": waiting.filter(referred_on__lt=cutoff).count()}
