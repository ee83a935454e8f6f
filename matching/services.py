"""Referrals, explained carer suggestions, and the journey of a match. Rules are enforced here, under row locks."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carers.models import Household
from schemes.models import Person, Scheme, User
from schemes.vocabulary import DEFAULT_MATCHING_WEIGHTS

from . import selectors
from .models import NEXT_MATCH_STEPS, Match, MatchStatus, MatchStep, Referral
from .scoring import SUPPORT_TYPES, Judgement, Place, Wanted, explain, facts, hard_rules, person_phrases, total


@dataclass
class Suggestions:
    """Best first; `excluded` lists the households that cannot take the person, each with the reasons why."""

    suggestions: list[Judgement] = field(default_factory=list)
    excluded: list[Judgement] = field(default_factory=list)

    def __iter__(self):
        return iter(self.suggestions)

    def __len__(self) -> int:
        return len(self.suggestions)


def _wanted(person: Person, referral: Referral | None) -> Wanted:
    places = tuple(
        Place(p.name, float(p.latitude), float(p.longitude), float(p.max_km) if p.max_km is not None else None)
        for p in person.places.all()
    )
    on = max(referral.wanted_from, timezone.localdate()) if referral else timezone.localdate()
    return Wanted(person=person, places=places, support_type=referral.support_type if referral else None, on=on)


def suggest_carers(person: Person, *, limit: int = 10, referral: Referral | None = None) -> Suggestions:
    """Rank the scheme's carer households for a person, best first, and say why; list the ones that cannot.

    Deterministic: equal scores are ordered by household name. A fixed handful of queries whatever the pool's size.
    """
    referral = referral or selectors.open_referral(person=person)
    wanted = _wanted(person, referral)
    weights = person.scheme.matching_weights or DEFAULT_MATCHING_WEIGHTS
    taken = selectors.places_taken(on=wanted.on)
    wanted_phrases = person_phrases(person)
    result = Suggestions()
    support_type = wanted.support_type if wanted.support_type in SUPPORT_TYPES else None
    eligible = []
    for row in selectors.candidate_pool(on=wanted.on, support_type=support_type, needs=tuple(person.needs)):
        broken = hard_rules(wanted, row, places_taken=taken.get(row["id"], 0))
        if broken:
            result.excluded.append(Judgement(household_id=row["id"], name=row["name"], broken_rules=broken))
        else:
            eligible.append(row)
    details = selectors.score_details(household_ids=[row["id"] for row in eligible])
    scored = []
    for row in eligible:
        row.update(details[row["id"]])
        found = facts(wanted, row, places_taken=taken.get(row["id"], 0), wanted_phrases=wanted_phrases)
        scored.append((-total(found, weights), row["name"].lower(), row["id"], row, found))
    scored.sort(key=lambda item: item[:3])
    for minus_score, _name, household_id, row, found in scored[:limit]:
        reasons, cautions = explain(wanted, row, found)
        result.suggestions.append(
            Judgement(
                household_id=household_id, name=row["name"], score=-minus_score, reasons=reasons, cautions=cautions
            )
        )
    return result


@transaction.atomic
def referral_create(*, scheme: Scheme, person: Person, by: User | None = None, **fields) -> Referral:
    referral = Referral(scheme=scheme, person=person, **fields)
    referral.full_clean()
    referral.save()
    return referral


REFERRAL_STEPS = {
    Referral.Status.NEW: [Referral.Status.ASSESSING, Referral.Status.MATCHING],
    Referral.Status.ASSESSING: [Referral.Status.MATCHING],
}


@transaction.atomic
def referral_move(*, referral: Referral, by: User, status: str, reason: str = "") -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status == Referral.Status.CLOSED:
        if not referral.is_waiting:
            raise ValidationError(_("This referral has already finished."))
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the referral is closed.")})
        referral.closed_reason = reason
        Match.objects.filter(referral=referral).exclude(
            status__in=[MatchStatus.DECLINED, MatchStatus.STARTED, MatchStatus.ENDED]
        ).update(status=MatchStatus.ENDED, ended_reason=_("Referral closed: %(reason)s") % {"reason": reason})
    elif status not in REFERRAL_STEPS.get(referral.status, []):
        raise ValidationError({"status": _("A referral cannot move from %(a)s to %(b)s.") % {
            "a": referral.get_status_display(), "b": Referral.Status(status).label}})  # fmt: skip
    referral.status = status
    referral.status_changed_at = timezone.now()
    referral.save(update_fields=["status", "status_changed_at", "closed_reason"])
    return referral


@transaction.atomic
def match_propose(*, referral: Referral, household: Household, by: User, note: str = "") -> Match:
    """Explore a household for this referral. It must pass every hard rule; the score and reasons are kept."""
    referral = Referral.objects.select_for_update().select_related("person__scheme").get(pk=referral.pk)
    if not referral.is_waiting:
        raise ValidationError(_("This referral is no longer waiting for a match."))
    if (
        Match.objects.filter(referral=referral, household=household)
        .exclude(status__in=[MatchStatus.DECLINED, MatchStatus.ENDED])
        .exists()
    ):
        raise ValidationError(_("This household is already being explored for this referral."))
    result = suggest_carers(referral.person, limit=10_000, referral=referral)
    judged = {j.household_id: j for j in [*result.suggestions, *result.excluded]}
    judgement = judged.get(household.pk)
    if judgement is None:
        raise ValidationError(_("This household is not a candidate yet."))
    if judgement.broken_rules:
        raise ValidationError(_("Cannot propose: %(why)s.") % {"why": "; ".join(judgement.excluded_because)})
    match = Match.objects.create(
        scheme=referral.scheme, referral=referral, household=household, score=judgement.score,
        reasons=judgement.reasons + [f"⚠ {c}" for c in judgement.cautions],
    )  # fmt: skip
    MatchStep.objects.create(match=match, status=MatchStatus.PROPOSED, notes=note, by=by)
    if referral.status != Referral.Status.MATCHING:
        referral.status = Referral.Status.MATCHING
        referral.status_changed_at = timezone.now()
        referral.save(update_fields=["status", "status_changed_at"])
    return match


@transaction.atomic
def match_step(
    *, match: Match, by: User, status: str, on: date, notes: str = "", person_view: str = "", carer_view: str = ""
) -> Match:
    """Record the next step of a match. Starting needs a free place, checked under a lock on the household."""
    match = Match.objects.select_for_update().select_related("referral").get(pk=match.pk)
    if on > timezone.localdate():
        raise ValidationError({"on": _("This date cannot be in the future.")})
    if status == MatchStatus.ENDED:
        if not match.is_open:
            raise ValidationError(_("This match has already finished."))
        if not notes.strip():
            raise ValidationError({"notes": _("Say why the match ended.")})
        match.ended_reason = notes
    elif status not in NEXT_MATCH_STEPS.get(match.status, []):
        allowed = ", ".join(str(MatchStatus(s).label) for s in NEXT_MATCH_STEPS.get(match.status, [])) or "—"
        raise ValidationError({"status": _("The next step can only be: %(allowed)s.") % {"allowed": allowed}})
    if status == MatchStatus.DECLINED and not (notes.strip() or carer_view.strip()):
        raise ValidationError({"carer_view": _("Record the carer's reason for declining.")})
    if status == MatchStatus.STARTED:
        household = Household.objects.select_for_update().get(pk=match.household_id)
        taken = selectors.places_taken(on=on).get(household.pk, 0)
        if taken >= (household.terms_max_people or 0):
            raise ValidationError(_("The household has no free place on that date."))
        match.started_on = on
        referral = Referral.objects.select_for_update().get(pk=match.referral_id)
        referral.status = Referral.Status.MATCHED
        referral.status_changed_at = timezone.now()
        referral.save(update_fields=["status", "status_changed_at"])
        Person.objects.filter(pk=referral.person_id).update(status=Person.Status.SUPPORTED)
    match.status = status
    match.save(update_fields=["status", "started_on", "ended_reason", "updated_at"])
    MatchStep.objects.create(
        match=match, status=status, on=on, notes=notes, person_view=person_view, carer_view=carer_view, by=by
    )
    return match
