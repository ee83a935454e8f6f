"""Retention: anonymise what the scheme holds about a person once its retention period has passed.

The period is the scheme's (`Scheme.retention`): by default 8 years after support ends (England, Scotland, Northern
Ireland) or 3 years after the last entry (Wales). Each app says which people it still needs kept, by registering a
filter `keep(people, *, basis, cutoff) -> people` (matching: an open arrangement or referral, support that ended
after the cutoff; outcomes: a survey after it). Everyone left is anonymised:

- the person: names become "Anonymised" and a number, the date of birth keeps only its year (figures by age still
  work), every profile field is emptied, places that matter are deleted;
- every record the subject access parts list for them (schemes/subject_access.py): its free text (every TextField,
  and the CharFields a model lists in `retention_scrub`) becomes "[removed after the retention period]". Dates,
  types, scores and money stay, so the scheme's figures do not change. Records that only name the person (a
  household approved for them by name) are other people's records and are left alone.

Each person is done in one transaction with their row locked and `anonymised_at` set, so running the job twice, or
two at once, anonymises each person once. The job reports what it did to the scheme's registered managers.
"""

from collections.abc import Callable
from datetime import date

from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from . import subject_access
from .dates import add_months
from .i18n import later
from .models import AuditEvent, ImportantPlace, Person, Scheme
from .selectors import staff_with_permission
from .services import notification_create

COUNTED_FROM = {"ended": gettext_lazy("after support ended"), "last_entry": gettext_lazy("after the last entry")}

REMOVED = "[removed after the retention period]"
KEPT_PERSON_FIELDS = {"needs"}  # the kinds of need, for the scheme's figures; not who the person was
_keepers: list[Callable] = []


def register_keep(keep: Callable) -> None:
    if keep not in _keepers:
        _keepers.append(keep)


def cutoff_for(scheme: Scheme, today: date) -> tuple[date, str]:
    years, basis = scheme.retention()
    return add_months(today, -12 * years), basis  # from 29 February, the 28th


def due(scheme: Scheme, *, today: date) -> models.QuerySet[Person]:
    """People of `scheme` whose retention period has passed: nothing written about them since the cutoff, no
    support or referral still open, and not anonymised already."""
    cutoff, basis = cutoff_for(scheme, today)
    people = Person.objects.filter(scheme=scheme, anonymised_at__isnull=True, updated_at__date__lt=cutoff).exclude(
        status=Person.Status.SUPPORTED
    )
    for keep in _keepers:
        people = keep(people, basis=basis, cutoff=cutoff)
    return people


def anonymise(person_id: int) -> bool:
    """Anonymise one person and their records. False if someone else did it first (safe to run twice)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id, anonymised_at__isnull=True).first()
        if person is None:
            return False
        for label, given in subject_access.parts(person):
            if isinstance(given, tuple):  # a record that only names the person belongs to someone else
                continue
            if label == "schemes.Person":
                continue
            _scrub(given)
        ImportantPlace.objects.filter(person=person).delete()
        AuditEvent.objects.filter(person=person).exclude(description="").update(description=REMOVED)
        _anonymise_person(person)
    return True


def _scrub(queryset: models.QuerySet) -> None:
    model = queryset.model
    extra = getattr(model, "retention_scrub", ())
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.TextField) or f.name in extra]
    if fields:
        changes = {
            f.name: Case(When(~Q(**{f.name: ""}), then=Value(REMOVED[: f.max_length])), default=Value(""))
            for f in fields
        }
        model._base_manager.filter(pk__in=queryset.values("pk")).update(**changes)


def _anonymise_person(person: Person) -> None:
    blank = {
        f.name: ([] if isinstance(f, models.JSONField) else "")
        for f in Person._meta.concrete_fields
        if isinstance(f, models.TextField | models.CharField | models.JSONField)
        and not f.choices
        and f.blank
        and f.name not in KEPT_PERSON_FIELDS
    }
    Person.objects.filter(pk=person.pk).update(
        **blank,
        given_name="Anonymised",
        family_name=f"person {person.pk}",
        date_of_birth=person.date_of_birth.replace(month=1, day=1),
        anonymised_at=timezone.now(),
    )


def retention_run(scheme: Scheme, *, today: date) -> int:
    """Anonymise everyone due in `scheme`, each in their own transaction, and tell its registered managers what was
    done (the audit trail has a line per person). Returns how many were anonymised."""
    done = [person_id for person_id in due(scheme, today=today).values_list("pk", flat=True) if anonymise(person_id)]
    if done:
        years, basis = scheme.retention()
        counted = "after support ended" if basis == "ended" else "after the last entry"
        AuditEvent.objects.bulk_create(
            AuditEvent(
                scheme=scheme,
                action=AuditEvent.Action.CHANGED,
                what="anonymised (retention)",
                object_id=str(person_id),
                person_id=person_id,
                description=f"retention period: {years} years {counted}",
            )  # fmt: skip
            for person_id in done
        )
        for manager in staff_with_permission(scheme=scheme, permission="manage_scheme"):
            notification_create(
                scheme=scheme, recipient=manager,
                subject=later(ngettext_lazy("Retention: the records of %(n)d person were anonymised",
                                            "Retention: the records of %(n)d people were anonymised", len(done)),
                              n=len(done)),
                body=later(gettext_lazy(
                    "Their retention period (%(years)s years %(counted)s) had passed. Names, dates of birth (all but "
                    "the year), profiles and free text are gone; dates, types, scores and money are kept for your "
                    "figures. Record numbers: %(ids)s"), years=years, counted=COUNTED_FROM[basis],
                    ids=", ".join(str(pk) for pk in done)),
            )  # fmt: skip
    return len(done)
