"""Demo carer households at every stage, with checks valid, expiring and expired. Deterministic and idempotent."""

import random
from datetime import date, timedelta

from django.utils import timezone

from schemes.demo import DEMO_CENTRES
from schemes.models import Membership, Scheme
from schemes.permissions import Role

from . import services
from .models import RECRUITMENT_STAGES, CarerReview, Check, Household, Member, Panel, PanelItem, Stage, StageEvent
from .rules import TRAINING, CheckKind, default_expiry

SURNAMES = ["Hughes", "Patel", "Rees", "Okoro", "Walsh", "Nowak", "Price", "Begum", "Lloyd", "Campbell", "Jenkins",
            "Ali", "Morgan", "Murphy", "Thomas", "Kaur"]  # fmt: skip
FIRST = ["Sarah", "Tom", "Anwen", "Kwame", "Mary", "Piotr", "Gwen", "Rubina", "Iwan", "Fiona", "Carys", "Yusuf"]
INTERESTS = ["walking the dogs, football, baking", "gardening, chapel choir, Welsh language", "art, swimming, music",
             "fishing, cars, quizzes", "cooking curry, cricket, crosswords"]  # fmt: skip


def seed_demo_households(rng: random.Random, scheme: Scheme, count: int = 24) -> None:
    if Household.objects.filter(scheme=scheme).exists():
        return
    today = timezone.localdate()
    memberships = Membership.objects.filter(scheme=scheme).select_related("user")
    by_role = {m.role: m.user for m in memberships}
    worker, manager, panel_member = (
        by_role[Role.COORDINATOR],
        by_role[Role.REGISTERED_MANAGER],
        by_role[Role.PANEL_MEMBER],
    )
    stages = [*RECRUITMENT_STAGES, Stage.APPROVED, Stage.APPROVED, Stage.APPROVED, Stage.WITHDRAWN, Stage.NOT_APPROVED,
              Stage.CLOSED]  # fmt: skip
    centre = DEMO_CENTRES.get(scheme.slug, (52.5, -1.9))
    panel = Panel.objects.create(scheme=scheme, meets_on=today - timedelta(days=20))
    panel.members.set([panel_member, manager])
    for n in range(count):
        stage = Stage.DEAPPROVED if n == count - 1 else stages[n % len(stages)]
        surname = SURNAMES[n % len(SURNAMES)]
        household = Household.objects.create(
            scheme=scheme,
            name=f"{rng.choice(FIRST)} and {rng.choice(FIRST)} {surname}",
            postcode=scheme.postcode or "M1 1AE",
            area=rng.choice(["North", "South", "East", "West"]),
            enquiry_on=today - timedelta(days=rng.randint(10, 200)),
            worker=worker,
            has_dogs=rng.random() < 0.4,
            smokers=rng.random() < 0.1,
            spare_bedrooms=rng.randint(1, 2),
            ground_floor_bedroom=rng.random() < 0.3,
            new_to_care=False,
            interests=rng.choice(INTERESTS),
            skills=rng.choice(["experience with autism", "nursing, dementia care", "learning disability support", ""]),
            languages=rng.choice(["English", "English, Welsh", "English, BSL", "English, Urdu"]),
            latitude=round(centre[0] + rng.uniform(-0.2, 0.2), 5),
            longitude=round(centre[1] + rng.uniform(-0.3, 0.3), 5),
            has_cats=rng.random() < 0.2,
            step_free=rng.random() < 0.4,
        )
        StageEvent.objects.create(household=household, what="Enquiry received", to_stage=Stage.ENQUIRY, by=worker)
        carer = Member.objects.create(household=household, full_name=f"{rng.choice(FIRST)} {surname}",
                                      date_of_birth=date(rng.randint(1960, 1990), 6, 1), is_carer=True)  # fmt: skip
        at_or_after_checks = stage not in (Stage.ENQUIRY, Stage.INITIAL_VISIT, Stage.APPLICATION, Stage.ASSESSMENT)
        if at_or_after_checks and stage not in (Stage.WITHDRAWN, Stage.NOT_APPROVED, Stage.CLOSED):
            _record_checks(rng, household, carer, worker, today, expiring=n % 5 == 0, expired=n % 7 == 0)
        household.stage = stage
        household.stage_changed_at = timezone.now() - timedelta(days=rng.randint(1, 60))
        if stage in (Stage.APPROVED, Stage.DEAPPROVED):
            household.terms_support_types = (
                ["long_term", "short_breaks", "step_down"] if n % 2 else ["short_breaks", "day_support"]
            )
            household.terms_needs = rng.choice([["learning_disability", "autism"], ["dementia", "mental_health"],
                                                ["learning_disability", "autism", "mental_health"]])  # fmt: skip
            household.terms_max_people = min(2, scheme.max_people_per_household)
            household.approved_on = today - timedelta(days=rng.randint(100, 900))
            household.enquiry_on = household.approved_on - timedelta(days=rng.randint(90, 300))  # then approval
            household.next_review_on = household.approved_on + timedelta(days=365 * 2)  # some reviews overdue
            PanelItem.objects.create(panel=panel, household=household, assessment_report="Assessment report.",
                                     recommendation="approve", decision="approve", decided_by=manager,
                                     decided_on=household.approved_on, minutes="Unanimous.")  # fmt: skip
        if stage == Stage.APPROVED and n % 4 == 0:
            household.suspended_on = today - timedelta(days=5)
            household.suspension_reason = "Safeguarding enquiry in progress."
        household.save()
        StageEvent.objects.create(household=household, what=f"Now: {Stage(stage).label}", to_stage=stage, by=worker)


def _record_checks(rng, household, carer, by, today, *, expiring: bool, expired: bool) -> None:
    done = today - timedelta(days=rng.randint(30, 200))
    for kind in [CheckKind.DBS, CheckKind.PHOTO_ID, *TRAINING]:
        services.check_record(household=household, by=by, kind=kind, member=carer, done_on=done)
    for kind in [CheckKind.REFERENCE, CheckKind.REFERENCE, CheckKind.GP_REFERENCE, CheckKind.HOME_SAFETY,
                 CheckKind.GAS_SAFETY, CheckKind.LANDLORD_CONSENT]:  # fmt: skip
        services.check_record(household=household, by=by, kind=kind, done_on=done)
    insurance_done = today - timedelta(days=340 if expiring else (400 if expired else 60))
    expires = today - timedelta(days=20) if expired else None
    services.check_record(household=household, by=by, kind=CheckKind.INSURANCE, done_on=insurance_done,
                          expires_on=expires)  # fmt: skip


NATIONAL_STAGE_WEIGHTS = (
    [Stage.APPROVED] * 12 + [Stage.ENQUIRY] * 2 + [Stage.INITIAL_VISIT, Stage.APPLICATION, Stage.ASSESSMENT,
     Stage.CHECKS, Stage.TRAINING, Stage.PANEL, Stage.WITHDRAWN, Stage.NOT_APPROVED,
              Stage.CLOSED]  # fmt: skip
)  # fmt: skip


def seed_national_households(rng: random.Random, schemes: list[Scheme], *, total: int = 10000) -> None:
    """About 10,000 households across the national schemes, in bulk: members, and checks for those past assessment."""
    done_schemes = set(Household.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True).distinct())
    todo = [s for s in schemes if s.pk not in done_schemes]
    today = timezone.localdate()
    households = []
    for scheme in todo:
        index = schemes.index(scheme)
        for n in range(total // len(schemes) + (1 if index < total % len(schemes) else 0)):
            stage = rng.choice(NATIONAL_STAGE_WEIGHTS)
            approved = stage == Stage.APPROVED
            approved_on = today - timedelta(days=rng.randint(30, 3000)) if approved else None
            enquiry_on = (approved_on - timedelta(days=rng.randint(90, 300)) if approved
                          else today - timedelta(days=rng.randint(5, 900)))  # fmt: skip
            households.append(
                Household(
                    scheme=scheme,
                    name=f"{rng.choice(FIRST)} {SURNAMES[n % len(SURNAMES)]}",
                    postcode="",
                    stage=stage,
                    enquiry_on=enquiry_on,
                    has_dogs=rng.random() < 0.4,
                    new_to_care=False,
                    interests=rng.choice(INTERESTS),
                    latitude=round(rng.uniform(50.5, 55.5), 5),
                    longitude=round(rng.uniform(-4.5, 0.5), 5),
                    terms_support_types=["long_term", "short_breaks"] if approved else [],
                    terms_max_people=rng.choice([1, 2, 2, 3]) if approved else None,
                    approved_on=approved_on,
                    next_review_on=today + timedelta(days=rng.randint(-60, 330)) if approved else None,
                )
            )
    Household.objects.bulk_create(households, batch_size=2000)
    members = [
        Member(
            household=h,
            full_name=f"{rng.choice(FIRST)} {h.name.split()[-1]}",
            date_of_birth=date(rng.randint(1955, 1995), 3, 1),
            is_carer=True,
        )  # fmt: skip
        for h in households
    ]
    Member.objects.bulk_create(members, batch_size=2000)
    checks = []
    for household, carer in zip(households, members, strict=True):
        if household.stage not in (Stage.CHECKS, Stage.TRAINING, Stage.PANEL, Stage.APPROVED):
            continue
        done = today - timedelta(days=rng.randint(10, 1000))
        for kind in [CheckKind.DBS, CheckKind.PHOTO_ID, *TRAINING]:
            checks.append(_bulk_check(household, carer, kind, done))
        for kind in [CheckKind.REFERENCE, CheckKind.REFERENCE, CheckKind.GP_REFERENCE, CheckKind.HOME_SAFETY,
                     CheckKind.GAS_SAFETY, CheckKind.INSURANCE, CheckKind.LANDLORD_CONSENT]:  # fmt: skip
            checks.append(_bulk_check(household, None, kind, done))
    Check.objects.bulk_create(checks, batch_size=5000)


def _bulk_check(household, member, kind, done_on):
    return Check(household=household, member=member, kind=kind, done_on=done_on,
                 expires_on=default_expiry(kind, done_on))  # fmt: skip


def seed_national_reviews(rng: random.Random, schemes: list[Scheme]) -> None:
    """The annual reviews each approved national household has had since its approval (up to three years' worth).
    Schemes whose households already have reviews are left alone."""
    done = set(CarerReview.objects.filter(household__scheme__in=schemes).values_list("household__scheme_id", flat=True))
    today = timezone.localdate()
    approved = Household.objects.filter(scheme__in=[s for s in schemes if s.pk not in done], stage=Stage.APPROVED)
    reviews = []
    for pk, approved_on, next_review_on in approved.order_by("pk").values_list("pk", "approved_on", "next_review_on"):
        for years in (1, 2, 3):
            reviewed_on = next_review_on - timedelta(days=365 * years)
            if approved_on < reviewed_on < today:
                reviews.append(CarerReview(
                    household_id=pk, reviewed_on=reviewed_on, outcome=CarerReview.Outcome.CONTINUE,
                    next_review_on=reviewed_on + timedelta(days=365), people_views="Happy living here.",
                    carer_views="Going well; would like more short-break training.",
                    summary=rng.choice(["A settled, warm home.", "Going well.", "Support plan up to date."]),
                ))  # fmt: skip
    CarerReview.objects.bulk_create(reviews, batch_size=5000)
