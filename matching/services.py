"""Referrals, explained carer suggestions, and the journey of a match. Rules are enforced here, under row locks."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carers.models import Household, Stage
from carers.selectors import checks_block_new_people
from schemes.dates import add_months
from schemes.i18n import Text, day_month, later, short_day
from schemes.i18n import month as month_label
from schemes.models import Person, Scheme, User
from schemes.selectors import staff_with_permission
from schemes.services import notification_create
from schemes.vocabulary import DEFAULT_MATCHING_WEIGHTS

from . import selectors
from .models import (
    APPROVAL_NEEDED,
    BOOKED_TYPES,
    LIVE_IN_TYPES,
    NEXT_MATCH_STEPS,
    SESSION_HOURS,
    TIME_LIMITED_TYPES,
    Arrangement,
    ArrangementType,
    Booking,
    FeeBand,
    FeeRates,
    Incident,
    IncidentAction,
    Match,
    MatchStatus,
    MatchStep,
    PaymentLine,
    PaymentRun,
    Referral,
    Timesheet,
    Unavailability,
    Visit,
)
from .money import month_lines
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
    """Record the next step of a match. The last step, starting, is `arrangement_start`."""
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
        # Starting is the arrangement's first day: arrangement_start checks the place, the terms and the checks.
        raise ValidationError({"status": _("Start the arrangement from the match's page (Start the arrangement).")})
    match.status = status
    match.save(update_fields=["status", "started_on", "ended_reason", "updated_at"])
    MatchStep.objects.create(
        match=match, status=status, on=on, notes=notes, person_view=person_view, carer_view=carer_view, by=by
    )
    return match


# --- Arrangements: rules that protect people, checked under a lock on the household ---------------------------------


def peak_occupancy(spans: list[tuple[date, date | None]], *, first: date, last: date | None) -> int:
    """The most spans covering any one day between first and last (inclusive; None: no end). Spans are
    (first day, last day or None) of places taken: a live-in arrangement, the nights of a stay, a session's day."""
    changes: dict[date, int] = {}
    for start, end in spans:
        if (last is not None and start > last) or (end is not None and end < first):
            continue
        start = max(start, first)
        changes[start] = changes.get(start, 0) + 1
        if end is not None:
            changes[end + timedelta(days=1)] = changes.get(end + timedelta(days=1), 0) - 1
    peak = running = 0
    for day in sorted(changes):
        running += changes[day]
        if last is None or day <= last:
            peak = max(peak, running)
    return peak


def _lock_household_for(*, household_id: int, arrangement_type: str, on: date, person: Person) -> Household:
    """Lock the household row (every rule about its places is decided under this lock) and check it may take
    someone new for this type of support: approved for it, not suspended, DBS and insurance in order."""
    household = (
        Household.objects.select_for_update(of=("self",))
        .annotate(checks_block=checks_block_new_people(on=on))
        .get(pk=household_id)
    )
    problems = []
    if household.stage != Stage.APPROVED:
        problems.append(_("the household is not approved"))
    if household.suspended_on:
        problems.append(_("the household is suspended"))
    needed = APPROVAL_NEEDED[arrangement_type]
    if household.stage == Stage.APPROVED and needed not in (household.terms_support_types or []):
        problems.append(_("the household is not approved for %(type)s") % {"type": str(needed.label).lower()})
    if household.terms_named_person_id and household.terms_named_person_id != person.pk:
        problems.append(_("the household is approved for one named person only"))
    if household.checks_block:
        problems.append(_("a DBS check or the insurance has expired or is missing"))
    if problems:
        raise ValidationError(_("This household cannot take anyone new: %(why)s.") % {"why": "; ".join(problems)})
    return household


def _check_room(*, household: Household, first: date, last: date | None, what: str) -> None:
    spans = selectors.places_taken_spans(household_id=household.pk, first=first, last=last)
    if peak_occupancy(spans, first=first, last=last) + 1 > (household.terms_max_people or 0):
        raise ValidationError(
            _("%(household)s would support more than %(max)s at once on some of these days: %(what)s cannot go ahead.")
            % {"household": household.name, "max": household.terms_max_people, "what": what}
        )


def _refuse_if_paid(*, first: date, last: date | None) -> None:
    """Changes that alter an approved (locked) month's payments are refused: the run must stay as approved."""
    runs = PaymentRun.objects.filter(status=PaymentRun.Status.APPROVED, month__gte=first.replace(day=1))
    if last is not None:
        runs = runs.filter(month__lte=last)
    locked = runs.order_by("month").first()
    if locked is not None:
        raise ValidationError(
            _("The payments for %(month)s are approved and locked, so this change cannot be made.")
            % {"month": month_label(locked.month)}
        )


def _schedule_visits(arrangement: Arrangement, *, today: date) -> None:
    """The first review N weeks after the start (scheme setting) and monitoring visits every month for the first
    months (scheme setting). Dates already past when an existing arrangement is recorded are not made up."""
    scheme = arrangement.scheme
    review_on = arrangement.starts_on + timedelta(weeks=scheme.first_review_weeks)
    while review_on < today:
        review_on = add_months(review_on, scheme.review_interval_months)
    visits = [Visit(scheme=scheme, arrangement=arrangement, kind=Visit.Kind.REVIEW, due_on=review_on)]
    for n in range(1, scheme.monthly_visits_months + 1):
        due = add_months(arrangement.starts_on, n)
        if due >= today and (arrangement.last_day is None or due <= arrangement.last_day):
            visits.append(Visit(scheme=scheme, arrangement=arrangement, kind=Visit.Kind.MONITORING, due_on=due))
    Visit.objects.bulk_create(visits)


@transaction.atomic
def arrangement_start(
    *, scheme: Scheme, person: Person, household: Household, type: str, starts_on: date, funder: str,
    by: User | None, match: Match | None = None, planned_end_on: date | None = None, fee_band: FeeBand | None = None,
    **details,
) -> Arrangement:  # fmt: skip
    """Start an arrangement (from an agreed match, or recording one that already exists).

    Live-in types take a place every day from the start: the household must have room on every one of those days,
    counting the people living there and the short breaks and sessions already booked.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    arrangement = Arrangement(
        scheme=scheme, person=person, household=household, match=match, type=type, starts_on=starts_on,
        planned_end_on=planned_end_on, funder=funder, fee_band=fee_band, created_by=by, **details,
    )  # fmt: skip
    arrangement.full_clean(validate_constraints=False)
    if type in TIME_LIMITED_TYPES and planned_end_on is None:
        raise ValidationError({"planned_end_on": _("Give the planned end: this type of arrangement is time-limited.")})
    if type in LIVE_IN_TYPES and fee_band is None:
        raise ValidationError({"fee_band": _("Choose the fee band for this live-in arrangement.")})
    if match is not None:
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.AGREED or match.household_id != household.pk:
            raise ValidationError(_("Only a match both sides have agreed to can start an arrangement."))
    if Arrangement.objects.filter(person=person, household=household, ended_on__isnull=True).exists():
        raise ValidationError(_("%(person)s already has an arrangement with this household.") % {
            "person": person.display_name})  # fmt: skip
    locked = _lock_household_for(household_id=household.pk, arrangement_type=type, on=starts_on, person=person)
    if type in LIVE_IN_TYPES:
        elsewhere = selectors.live_in_overlapping(person_id=person.pk, first=starts_on, last=arrangement.last_day)
        if elsewhere:
            raise ValidationError(
                _("%(person)s already lives with %(household)s on some of these days.")
                % {"person": person.display_name, "household": elsewhere.household.name}
            )
        _check_room(household=locked, first=starts_on, last=arrangement.last_day, what=_("this arrangement"))
    arrangement.full_clean()
    arrangement.save()
    _schedule_visits(arrangement, today=timezone.localdate())
    if match is not None:
        match.status, match.started_on = MatchStatus.STARTED, starts_on
        match.save(update_fields=["status", "started_on", "updated_at"])
        MatchStep.objects.create(match=match, status=MatchStatus.STARTED, on=min(starts_on, timezone.localdate()),
                                 notes=_("Arrangement started."), by=by)  # fmt: skip
        Referral.objects.filter(pk=match.referral_id).update(
            status=Referral.Status.MATCHED, status_changed_at=timezone.now()
        )
    if person.status != Person.Status.SUPPORTED:
        person.status = Person.Status.SUPPORTED
        person.save(update_fields=["status"])
    return arrangement


@transaction.atomic
def arrangement_end(*, arrangement: Arrangement, ended_on: date, reason: str, note: str = "", by: User) -> Arrangement:
    """End an arrangement on its last day of support: the place is free from the next day. Later bookings are
    cancelled and reviews and visits not yet done are dropped."""
    Household.objects.select_for_update(of=("self",)).get(pk=arrangement.household_id)
    arrangement = Arrangement.objects.select_for_update().select_related("person").get(pk=arrangement.pk)
    if arrangement.ended_on is not None:
        raise ValidationError(_("This arrangement has already ended."))
    if ended_on < arrangement.starts_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start (%(start)s).") % {
            "start": short_day(arrangement.starts_on)}})  # fmt: skip
    if not reason:
        raise ValidationError({"reason": _("Say why the arrangement ended.")})
    _refuse_if_paid(first=ended_on + timedelta(days=1), last=None)
    arrangement.ended_on, arrangement.end_reason, arrangement.end_note = ended_on, reason, note
    arrangement.full_clean()
    arrangement.save(update_fields=["ended_on", "end_reason", "end_note"])
    arrangement.bookings.filter(status=Booking.Status.CONFIRMED, starts_on__gt=ended_on).update(
        status=Booking.Status.CANCELLED, cancelled_reason=_("The arrangement ended.")
    )
    arrangement.visits.filter(done_on__isnull=True, due_on__gt=ended_on).delete()
    still_supported = (
        Arrangement.objects.filter(person=arrangement.person_id)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=ended_on))
        .exclude(pk=arrangement.pk)
        .exists()
    )
    if not still_supported:
        Person.objects.filter(pk=arrangement.person_id).update(status=Person.Status.ENDED)
    return arrangement


@transaction.atomic
def booking_create(
    *, arrangement: Arrangement, starts_on: date, by: User | None, ends_on: date | None = None,
    session_hours: int | None = None, full_days: int = 0, introductory: bool = False,
) -> Booking:  # fmt: skip
    """Book a short break (arrive starts_on, leave ends_on) or a day session (session_hours on starts_on).

    Under locks on the household and the person: the household may take someone new, is not marked unavailable,
    has room on every night or day booked, and the person has no other booking on those days.
    """
    today = timezone.localdate()
    if arrangement.type not in BOOKED_TYPES:
        raise ValidationError(_("Only short-break and day-support arrangements take bookings."))
    is_session = arrangement.type == ArrangementType.DAY_SUPPORT
    if starts_on < today:
        raise ValidationError({"starts_on": _("A new booking cannot be in the past.")})
    if is_session:
        if session_hours not in SESSION_HOURS:
            raise ValidationError({"session_hours": _("Choose a session of 4, 6 or 8 hours.")})
        ends_on, last_day, full_days = starts_on, starts_on, 0
    else:
        session_hours = None
        if ends_on is None or ends_on <= starts_on:
            raise ValidationError({"ends_on": _("The day they leave must be after the day they arrive.")})
        last_day = ends_on - timedelta(days=1)
        if full_days > (ends_on - starts_on).days:
            raise ValidationError({"full_days": _("There cannot be more full days than nights.")})
    arrangement = Arrangement.objects.select_related("person").get(pk=arrangement.pk)
    if not arrangement.is_active_on(starts_on) or (arrangement.last_day and last_day > arrangement.last_day):
        raise ValidationError(_("These dates are outside the arrangement."))
    _refuse_if_paid(first=starts_on, last=last_day)
    person = Person.objects.select_for_update().get(pk=arrangement.person_id)
    household = _lock_household_for(
        household_id=arrangement.household_id, arrangement_type=arrangement.type, on=starts_on, person=person
    )
    away = Unavailability.objects.filter(household=household, starts_on__lte=last_day, ends_on__gte=starts_on).first()
    if away is not None:
        raise ValidationError(_("The household is not available from %(from)s to %(to)s%(note)s.") % {
            "from": day_month(away.starts_on), "to": short_day(away.ends_on),
            "note": f" ({away.note})" if away.note else ""})  # fmt: skip
    clash = (
        Booking.objects.filter(person=person, status=Booking.Status.CONFIRMED)
        .filter(starts_on__lte=last_day, last_day__gte=starts_on)
        .first()
    )
    if clash is not None:
        raise ValidationError(_("%(person)s already has a booking then: %(booking)s.") % {
            "person": person.display_name, "booking": clash})  # fmt: skip
    _check_room(household=household, first=starts_on, last=last_day, what=_("this booking"))
    booking = Booking(
        scheme=arrangement.scheme, arrangement=arrangement, household=household, person=person,
        starts_on=starts_on, ends_on=ends_on, last_day=last_day, session_hours=session_hours,
        full_days=full_days, introductory=introductory, created_by=by,
    )  # fmt: skip
    booking.full_clean()
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, reason: str, by: User) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError(_("This booking is already cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the booking is cancelled.")})
    _refuse_if_paid(first=booking.starts_on, last=booking.last_day)
    booking.status, booking.cancelled_reason = Booking.Status.CANCELLED, reason
    booking.save(update_fields=["status", "cancelled_reason"])
    return booking


@transaction.atomic
def unavailability_add(*, household: Household, starts_on: date, ends_on: date, note: str = "") -> Unavailability:
    Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    booked = Booking.objects.filter(
        household=household, status=Booking.Status.CONFIRMED, starts_on__lte=ends_on, last_day__gte=starts_on
    ).count()
    if booked:
        raise ValidationError(_("%(n)s bookings fall on these days: cancel or move them first.") % {"n": booked})
    return Unavailability.objects.create(
        scheme=household.scheme, household=household, starts_on=starts_on, ends_on=ends_on, note=note
    )


@transaction.atomic
def visit_record(
    *, visit: Visit, done_on: date, by: User, person_view: str = "", carer_view: str = "", notes: str = "",
    outcome: str = "", next_due_on: date | None = None,
) -> Visit:  # fmt: skip
    """Record a review or monitoring visit. A review plans the next one (12 months on unless a date is given)."""
    visit = Visit.objects.select_for_update().select_related("arrangement__scheme").get(pk=visit.pk)
    if visit.done_on is not None:
        raise ValidationError(_("This has already been recorded."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("This date cannot be in the future.")})
    if done_on < visit.arrangement.starts_on:
        raise ValidationError({"done_on": _("This date is before the arrangement started.")})
    if visit.kind == Visit.Kind.REVIEW and not outcome:
        raise ValidationError({"outcome": _("Record the review's outcome.")})
    if next_due_on is not None and next_due_on <= done_on:
        raise ValidationError({"next_due_on": _("The next review must come after this one.")})
    visit.done_on, visit.done_by = done_on, by
    visit.person_view, visit.carer_view, visit.notes, visit.outcome = person_view, carer_view, notes, outcome
    visit.full_clean()
    visit.save()
    arrangement = visit.arrangement
    if visit.kind == Visit.Kind.REVIEW and outcome != Visit.Outcome.END and arrangement.ended_on is None:
        next_on = next_due_on or add_months(done_on, arrangement.scheme.review_interval_months)
        Visit.objects.create(scheme=visit.scheme, arrangement=arrangement, kind=Visit.Kind.REVIEW, due_on=next_on)
    return visit


@transaction.atomic
def incident_record(*, scheme: Scheme, by: User, **fields) -> Incident:
    incident = Incident(scheme=scheme, recorded_by=by, **fields)
    _check_incident(incident)
    incident.save()
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, by: User, **fields) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.closed_on:
        raise ValidationError(_("This incident is closed."))
    for name, value in fields.items():
        setattr(incident, name, value)
    _check_incident(incident)
    incident.save()
    return incident


def _check_incident(incident: Incident) -> None:
    if incident.occurred_at and incident.occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("This cannot be in the future.")})
    started = incident.arrangement.starts_on if incident.arrangement_id else None
    if incident.occurred_at and started and timezone.localtime(incident.occurred_at).date() < started:
        raise ValidationError({"occurred_at": _("This is before the arrangement started (%(start)s).") % {
            "start": short_day(started)}})  # fmt: skip
    if incident.safeguarding_referral and not incident.safeguarding_reference.strip():
        raise ValidationError({"safeguarding_reference": _("Give the council's reference for the referral.")})
    if incident.regulator_notified_on and not incident.regulator_notifiable:
        raise ValidationError({"regulator_notified_on": _("Tick 'the regulator must be notified' first.")})
    if incident.regulator_notified_on and incident.regulator_notified_on > timezone.localdate():
        raise ValidationError({"regulator_notified_on": _("This date cannot be in the future.")})
    incident.full_clean()


@transaction.atomic
def incident_action_add(*, incident: Incident, action: str, owner: User, due_on: date) -> IncidentAction:
    if incident.closed_on:
        raise ValidationError(_("This incident is closed."))
    item = IncidentAction(incident=incident, action=action, owner=owner, due_on=due_on)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def incident_action_done(*, item: IncidentAction, done_on: date) -> IncidentAction:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("This date cannot be in the future.")})
    IncidentAction.objects.filter(pk=item.pk).update(done_on=done_on)
    item.done_on = done_on
    return item


@transaction.atomic
def incident_close(*, incident: Incident, closed_on: date, note: str, by: User) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    problems = {}
    if not note.strip():
        problems["note"] = _("Say how it was resolved.")
    if closed_on > timezone.localdate():
        problems["closed_on"] = _("This date cannot be in the future.")
    if incident.actions.filter(done_on__isnull=True).exists():
        problems["__all__"] = _("Every follow-up action must be done before the incident is closed.")
    if incident.regulator_overdue:
        problems["__all__"] = _("The regulator must be notified before the incident is closed.")
    if problems:
        raise ValidationError(problems)
    incident.closed_on, incident.closure_note = closed_on, note
    incident.save(update_fields=["closed_on", "closure_note"])
    return incident


# --- Money ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def payment_run_prepare(*, scheme: Scheme, month: date, by: User) -> PaymentRun:
    """Work out (again) a month's payments from its arrangements and bookings. An approved month is locked."""
    month = month.replace(day=1)
    run, _created = PaymentRun.objects.select_for_update().get_or_create(scheme=scheme, month=month)
    if run.is_locked:
        raise ValidationError(_("The payments for %(month)s are approved and locked.") % {"month": month_label(month)})
    run.lines.all().delete()
    live_in, booked, rates, mileage = selectors.month_money_rows(scheme=scheme, month=month)
    PaymentLine.objects.bulk_create(
        PaymentLine(run=run, household_id=line.household_id, arrangement_id=line.arrangement_id, funder=line.funder,
                    part=line.part, description=line.description, amount=line.amount)
        for line in month_lines(month=month, live_in=live_in, booked=booked, rates=rates, mileage=mileage)
    )  # fmt: skip
    run.prepared_at = timezone.now()
    run.save(update_fields=["prepared_at"])
    return run


@transaction.atomic
def payment_run_approve(*, run: PaymentRun, by: User) -> PaymentRun:
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.is_locked:
        raise ValidationError(_("These payments are already approved."))
    run.status, run.approved_by, run.approved_at = PaymentRun.Status.APPROVED, by, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    return run


def fee_rates_for(scheme: Scheme) -> FeeRates:
    rates, _created = FeeRates.objects.get_or_create(scheme=scheme)
    return rates


# ---- the carer portal: answers to bookings, timesheets and mileage, concerns -------------------------------


def _tell(*, scheme: Scheme, household: Household, permission: str, subject: Text, link: str, body: str = "") -> None:
    """Tell the household's worker and every member of staff with `permission`, once each, straight away."""
    recipients = {user.pk: user for user in staff_with_permission(scheme=scheme, permission=permission)}
    if household.worker_id:
        recipients.setdefault(household.worker_id, household.worker)
    for user in recipients.values():
        notification_create(scheme=scheme, recipient=user, subject=subject, body=body, link=link)


@transaction.atomic
def booking_accept(*, booking: Booking, by: User) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("This booking was cancelled."))
    if booking.carer_accepted_at is None:
        booking.carer_accepted_at = timezone.now()
        booking.save(update_fields=["carer_accepted_at"])
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, by: User, reason: str) -> Booking:
    """The carer cannot take this stay or session: it is cancelled (the place is free) and staff are told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the scheme can find another way.")})
    locked = (
        Booking.objects.select_for_update(of=("self",)).select_related("household__worker", "person").get(pk=booking.pk)
    )
    if locked.carer_accepted_at is not None:
        raise ValidationError(_("You have accepted this booking: please phone the scheme to change it."))
    if locked.starts_on < timezone.localdate():
        raise ValidationError(_("This booking has started: please phone the scheme."))
    booking = booking_cancel(booking=locked, reason=_("Declined by the carer: %(reason)s") % {"reason": reason}, by=by)
    _tell(scheme=locked.household.scheme, household=locked.household, permission="manage_arrangements",
          subject=later(gettext_lazy("%(household)s declined %(booking)s for %(person)s"),
                        household=locked.household.name, booking=locked.__str__, person=locked.person.display_name),
          body=reason, link=locked.arrangement.get_absolute_url())  # fmt: skip
    return booking


@transaction.atomic
def timesheet_send(*, booking: Booking, by: User, miles=0, note: str = "") -> Timesheet:
    """A carer says a stay or session took place (and any miles driven for the person)."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("This booking was cancelled, so there is nothing to claim."))
    if booking.starts_on > timezone.localdate():
        raise ValidationError(_("Send the timesheet once the stay or session has started."))
    if booking.timesheets.exclude(status=Timesheet.Status.RETURNED).exists():
        raise ValidationError(_("A timesheet for this booking has already been sent."))
    timesheet = Timesheet(scheme=booking.scheme, booking=booking, household_id=booking.household_id,
                          miles=miles or 0, note=note, sent_by=by)  # fmt: skip
    if timesheet.miles < 0:
        raise ValidationError({"miles": _("Miles cannot be less than 0.")})
    timesheet.full_clean()
    timesheet.save()
    return timesheet


@transaction.atomic
def timesheet_decide(*, timesheet: Timesheet, by: User, approve: bool, reason: str = "") -> Timesheet:
    """Approve a timesheet (its mileage is paid with the month of the stay or session) or send it back."""
    timesheet = Timesheet.objects.select_for_update().select_related("booking").get(pk=timesheet.pk)
    if timesheet.status != Timesheet.Status.SENT:
        raise ValidationError(_("This timesheet has already been dealt with."))
    if approve:
        _refuse_if_paid(first=timesheet.booking.starts_on, last=timesheet.booking.starts_on)
        timesheet.status = Timesheet.Status.APPROVED
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why it is sent back, so the carer can put it right.")})
        timesheet.status, timesheet.decision_note = Timesheet.Status.RETURNED, reason.strip()
    timesheet.decided_by, timesheet.decided_at = by, timezone.now()
    timesheet.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    return timesheet


CONCERN_SEVERITY = Incident.Severity.MEDIUM


@transaction.atomic
def concern_report(*, arrangement: Arrangement, by: User, category: str, what_happened: str, occurred_at,
                   immediate_action: str = "", urgent: bool = False) -> Incident:  # fmt: skip
    """A carer reports an incident or a concern: it is recorded as an incident and staff who handle
    safeguarding (and the household's worker) are told at once, by notification and email."""
    incident = incident_record(
        scheme=arrangement.scheme, by=by, arrangement=arrangement, category=category, what_happened=what_happened,
        occurred_at=occurred_at, immediate_action=immediate_action,
        severity=Incident.Severity.HIGH if urgent else CONCERN_SEVERITY,
        who_was_involved=_("Reported by the carer, %(name)s, in the carer portal") % {"name": by.full_name},
    )  # fmt: skip
    _tell(scheme=arrangement.scheme, household=arrangement.household, permission="view_safeguarding",
          subject=later(gettext_lazy("%(urgent)sConcern reported by %(household)s about %(person)s"),
                        urgent=gettext_lazy("URGENT: ") if urgent else "", household=arrangement.household.name,
                        person=arrangement.person.display_name),
          body=what_happened, link=incident.get_absolute_url())  # fmt: skip
    return incident
