"""Carer recruitment and approval. Every rule that protects people is enforced here, inside a transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schemes.dates import add_months
from schemes.email import email_send
from schemes.i18n import email_languages, later
from schemes.models import Membership, Scheme, User
from schemes.permissions import Role
from schemes.selectors import staff_with_permission
from schemes.services import notification_create, password_setup_link
from schemes.uploads import check_upload

from .models import (
    RECRUITMENT_STAGES,
    CarerReview,
    Check,
    Household,
    Member,
    Panel,
    PanelItem,
    RenewalUpload,
    Stage,
    StageEvent,
    TermsChange,
)
from .rules import PER_ADULT, PER_CARER, CheckKind, default_expiry
from .selectors import household_compliance

# Forward steps staff may take by hand. Panel and the decisions after it go through the panel services.
NEXT_STAGE = {
    Stage.ENQUIRY: Stage.INITIAL_VISIT,
    Stage.INITIAL_VISIT: Stage.APPLICATION,
    Stage.APPLICATION: Stage.ASSESSMENT,
    Stage.ASSESSMENT: Stage.CHECKS,
    Stage.CHECKS: Stage.TRAINING,
}
ANNUAL_REVIEW_MONTHS = 12


def _event(household: Household, by: User | None, what: str, note: str = "", from_stage="", to_stage="") -> None:
    StageEvent.objects.create(
        household=household, by=by, what=what, note=note, from_stage=from_stage, to_stage=to_stage
    )


def _set_stage(household: Household, to_stage: str, by: User | None, what: str, note: str = "") -> None:
    from_stage = household.stage
    household.stage = to_stage
    household.stage_changed_at = timezone.now()
    household.save(update_fields=["stage", "stage_changed_at"])
    _event(household, by, what, note, from_stage, to_stage)


def _locked(household: Household) -> Household:
    """Re-read the household with a row lock so two members of staff cannot move it at the same moment."""
    return Household.objects.select_for_update().get(pk=household.pk)


@transaction.atomic
def household_create(*, scheme: Scheme, by: User | None, note: str = "", **fields) -> Household:
    household = Household(scheme=scheme, **fields)
    household.full_clean()
    household.save()
    _event(household, by, _("Enquiry received"), note, to_stage=Stage.ENQUIRY)
    return household


@transaction.atomic
def public_enquiry_receive(
    *, scheme: Scheme, name: str, email: str, phone: str, postcode: str, message: str
) -> Household:
    """An enquiry from the scheme's public page: recorded, the applicant thanked, the scheme's workers told."""
    household = household_create(
        scheme=scheme, by=None, note=message, name=name, email=email, phone=phone, postcode=postcode.upper(),
        source=_("Website form"),
    )  # fmt: skip
    languages = email_languages(scheme)  # the language of the page they filled in, or Welsh and English
    transaction.on_commit(
        lambda: email_send(
            to=email, languages=languages, html=False, template="carers/email/enquiry_received",
            subject=gettext_lazy("Thank you for your interest in becoming a Shared Lives carer"),
            context={"scheme": scheme, "name": name},
        )
    )  # fmt: skip
    for worker in staff_with_permission(scheme=scheme, permission="manage_carers"):
        notification_create(
            scheme=scheme,
            recipient=worker,
            subject=later(gettext_lazy("New enquiry from %(name)s"), name=name),
            body=gettext_lazy("Someone asked about becoming a Shared Lives carer through the website."),
            link=household.get_absolute_url(),
        )
    return household


@transaction.atomic
def household_update(*, household: Household, by: User, **fields) -> Household:
    for field, value in fields.items():
        setattr(household, field, value)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def member_add(*, household: Household, by: User, **fields) -> Member:
    member = Member(household=household, **fields)
    member.full_clean()
    member.save()
    _event(household, by, _("%(name)s added to the household") % {"name": member.full_name})
    return member


@transaction.atomic
def check_record(
    *,
    household: Household,
    by: User,
    kind: str,
    done_on: date,
    member: Member | None = None,
    expires_on: date | None = None,
    is_clear: bool = True,
    reference: str = "",
    notes: str = "",
    evidence=None,
) -> Check:
    """Record a check or course. A renewal replaces the current one of the same kind (the old one stays on record)."""
    household = _locked(household)
    errors = {}
    today = timezone.localdate()
    if done_on > today:
        errors["done_on"] = _("This date cannot be in the future.")
    if member is not None and member.household_id != household.pk:
        errors["member"] = _("Choose someone who lives in this household.")
    elif kind in PER_ADULT | PER_CARER and member is None:
        errors["member"] = _("Say whose check or course this is.")
    elif kind not in PER_ADULT | PER_CARER and member is not None:
        errors["member"] = _("This is for the household as a whole; leave the person empty.")
    elif member is not None and kind in PER_CARER and not member.is_carer:
        errors["member"] = _("Only carers need this.")
    if expires_on is None and not errors:
        expires_on = default_expiry(kind, done_on, dbs_update_service=household.dbs_update_service)
    if expires_on is not None and expires_on <= done_on:
        errors["expires_on"] = _("The expiry date must be after the date it was done.")
    checked = None
    if evidence is not None:
        try:
            checked = check_upload(evidence, folder=f"evidence/{household.scheme_id}")
        except ValidationError as error:
            errors["evidence"] = error.messages
    if errors:
        raise ValidationError(errors)

    if kind != CheckKind.REFERENCE:
        Check.objects.filter(household=household, member=member, kind=kind, is_current=True).update(is_current=False)
    check = Check(
        household=household,
        member=member,
        kind=kind,
        done_on=done_on,
        expires_on=expires_on,
        is_clear=is_clear,
        reference=reference,
        notes=notes,
        recorded_by=by,
    )
    if checked:
        check.evidence_name, check.evidence_type = checked.display_name, checked.content_type
        check.evidence.save(checked.storage_name, evidence, save=False)
    check.full_clean()
    check.save()
    who = f" ({member.full_name})" if member else ""
    _event(household, by, _("Recorded: %(what)s") % {"what": check.get_kind_display() + who})
    return check


@transaction.atomic
def household_advance(*, household: Household, by: User, note: str = "") -> Household:
    household = _locked(household)
    to_stage = NEXT_STAGE.get(household.stage)
    if to_stage is None:
        raise ValidationError(_("From here the household moves on through a panel, not by hand."))
    _set_stage(household, to_stage, by, _("Moved to %(stage)s") % {"stage": Stage(to_stage).label}, note)
    return household


@transaction.atomic
def household_end(*, household: Household, by: User, outcome: str, reason: str) -> Household:
    """Withdrawn (the applicant's choice) or closed (the scheme's) at any stage of recruitment, with a reason."""
    household = _locked(household)
    if outcome not in (Stage.WITHDRAWN, Stage.CLOSED):
        raise ValidationError({"outcome": _("Choose withdrawn or closed.")})
    if household.stage not in RECRUITMENT_STAGES:
        raise ValidationError(_("Only a household still being recruited can be withdrawn or closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, for the record.")})
    _set_stage(household, outcome, by, Stage(outcome).label, reason)
    return household


def missing_for_panel(household: Household) -> list[str]:
    """Everything that stops this household going to panel, in words. Empty when it may go."""
    rows = household_compliance(households=[household])[household.pk]
    problems = [f"{row.label}: {row.status_label.lower()}" for row in rows if row.blocks_panel]
    if not Member.objects.filter(household=household, is_carer=True).exists():
        problems.insert(0, _("No carer is recorded in the household"))
    return problems


@transaction.atomic
def panel_create(*, scheme: Scheme, meets_on: date, members: list[User], notes: str = "") -> Panel:
    panel = Panel(scheme=scheme, meets_on=meets_on, notes=notes)
    panel.full_clean()
    panel.save()
    panel.members.set(members)
    return panel


@transaction.atomic
def panel_add_household(
    *, panel: Panel, household: Household, by: User, assessment_report: str, purpose: str = PanelItem.Purpose.APPROVAL
) -> PanelItem:
    household = _locked(household)
    if PanelItem.objects.filter(panel=panel, household=household, purpose=purpose).exists():
        raise ValidationError(_("This household is already on that panel's agenda."))
    if purpose == PanelItem.Purpose.APPROVAL:
        if household.stage != Stage.TRAINING:
            raise ValidationError(_("Only a household that has finished checks and training can go to panel."))
        missing = missing_for_panel(household)
        if missing:
            raise ValidationError(_("Not ready for panel. Still needed: %(list)s.") % {"list": "; ".join(missing)})
    elif household.stage != Stage.APPROVED:
        raise ValidationError(_("Only an approved household can go to panel for de-approval."))
    item = PanelItem(panel=panel, household=household, purpose=purpose, assessment_report=assessment_report)
    item.full_clean()
    item.save()
    if purpose == PanelItem.Purpose.APPROVAL:
        _set_stage(household, Stage.PANEL, by, _("Put on the agenda of %(panel)s") % {"panel": panel})
    else:
        _event(household, by, _("Put on the agenda of %(panel)s for de-approval") % {"panel": panel})
    return item


@transaction.atomic
def panel_recommend(*, item: PanelItem, by: User, recommendation: str, minutes: str) -> PanelItem:
    item = PanelItem.objects.select_for_update().select_related("panel", "household").get(pk=item.pk)
    if not item.panel.members.filter(pk=by.pk).exists():
        raise ValidationError(_("Only members of this panel can record its recommendation."))
    allowed = (
        {PanelItem.Recommendation.APPROVE, PanelItem.Recommendation.DECLINE}
        if item.purpose == PanelItem.Purpose.APPROVAL
        else {PanelItem.Recommendation.DEAPPROVE, PanelItem.Recommendation.CONTINUE}
    )
    if recommendation not in allowed:
        raise ValidationError({"recommendation": _("Choose one of the panel's options.")})
    if item.decision:
        raise ValidationError(_("The decision has been made; the recommendation can no longer change."))
    item.recommendation = recommendation
    item.minutes = minutes
    item.save(update_fields=["recommendation", "minutes"])
    _event(item.household, by, _("Panel recommended: %(r)s") % {"r": item.get_recommendation_display()}, minutes)
    return item


def _terms_snapshot(household: Household) -> dict:
    return {
        "support_types": household.terms_support_types,
        "needs": household.terms_needs,
        "max_people": household.terms_max_people,
        "named_person_id": household.terms_named_person_id,
        "probation_ends_on": household.probation_ends_on.isoformat() if household.probation_ends_on else None,
    }


def _apply_terms(household: Household, terms: dict) -> None:
    scheme_max = household.scheme.max_people_per_household
    max_people = terms.get("max_people")
    if not terms.get("support_types"):
        raise ValidationError({"support_types": _("Choose at least one kind of support.")})
    if not max_people or max_people < 1:
        raise ValidationError({"max_people": _("Say how many people the household may support at once.")})
    if max_people > scheme_max:
        raise ValidationError(
            {"max_people": _("This scheme allows at most %(n)s people per household.") % {"n": scheme_max}}
        )
    household.terms_support_types = list(terms["support_types"])
    household.terms_needs = list(terms.get("needs") or [])
    household.terms_max_people = max_people
    household.terms_named_person = terms.get("named_person")
    household.probation_ends_on = terms.get("probation_ends_on")


@transaction.atomic
def panel_decide(*, item: PanelItem, by: User, decision: str, reason: str, terms: dict | None = None) -> PanelItem:
    """The decision maker's decision. Needs the panel's recommendation; the household's assessor may not decide."""
    item = PanelItem.objects.select_for_update().select_related("panel", "household__scheme").get(pk=item.pk)
    household = _locked(item.household)
    if item.decision:
        raise ValidationError(_("This has already been decided."))
    if not item.recommendation:
        raise ValidationError(_("The panel has not made its recommendation yet."))
    if household.worker_id == by.pk:
        raise ValidationError(_("The household's assessor cannot make the decision. Ask another decision maker."))
    today = timezone.localdate()
    if item.purpose == PanelItem.Purpose.APPROVAL:
        if decision == PanelItem.Recommendation.APPROVE:
            _apply_terms(household, terms or {})
            household.approved_on = today
            household.next_review_on = add_months(today, ANNUAL_REVIEW_MONTHS)
            household.save()
            TermsChange.objects.create(
                household=household, terms=_terms_snapshot(household), reason=_("Approved at panel"), by=by
            )
            _set_stage(household, Stage.APPROVED, by, _("Approved"), reason)
        elif decision == PanelItem.Recommendation.DECLINE:
            _set_stage(household, Stage.NOT_APPROVED, by, _("Not approved"), reason)
        else:
            raise ValidationError({"decision": _("Choose approve or do not approve.")})
    elif decision == PanelItem.Recommendation.DEAPPROVE:
        _set_stage(household, Stage.DEAPPROVED, by, _("De-approved"), reason)
    elif decision == PanelItem.Recommendation.CONTINUE:
        _event(household, by, _("Approval continues after panel"), reason)
    else:
        raise ValidationError({"decision": _("Choose de-approve or continue approval.")})
    item.decision = decision
    item.decided_by = by
    item.decided_on = today
    item.decision_reason = reason
    item.save(update_fields=["decision", "decided_by", "decided_on", "decision_reason"])
    return item


@transaction.atomic
def appeal_record(*, item: PanelItem, by: User, lodged_on: date, outcome: str = "") -> PanelItem:
    item = PanelItem.objects.select_for_update().select_related("household").get(pk=item.pk)
    if not item.decision:
        raise ValidationError(_("There is no decision to appeal yet."))
    if lodged_on < item.decided_on:
        raise ValidationError({"lodged_on": _("An appeal cannot be lodged before the decision.")})
    item.appeal_lodged_on = lodged_on
    item.appeal_outcome = outcome
    item.save(update_fields=["appeal_lodged_on", "appeal_outcome"])
    _event(item.household, by, _("Appeal recorded"), outcome)
    return item


@transaction.atomic
def terms_vary(*, household: Household, by: User, reason: str, effective_on: date, terms: dict) -> Household:
    household = _locked(household)
    if household.stage != Stage.APPROVED:
        raise ValidationError(_("Only an approved household's terms can be varied."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the terms change.")})
    _apply_terms(household, terms)
    household.save()
    TermsChange.objects.create(
        household=household, terms=_terms_snapshot(household), reason=reason, effective_on=effective_on, by=by
    )
    _event(household, by, _("Approval terms varied"), reason)
    return household


@transaction.atomic
def household_suspend(*, household: Household, by: User, reason: str) -> Household:
    household = _locked(household)
    if household.stage != Stage.APPROVED or household.suspended_on:
        raise ValidationError(_("Only an approved household that is not already suspended can be suspended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, for the record.")})
    household.suspended_on = timezone.localdate()
    household.suspension_reason = reason
    household.save(update_fields=["suspended_on", "suspension_reason"])
    _event(household, by, _("Suspended"), reason)
    return household


@transaction.atomic
def household_lift_suspension(*, household: Household, by: User, reason: str) -> Household:
    household = _locked(household)
    if not household.suspended_on:
        raise ValidationError(_("This household is not suspended."))
    household.suspended_on = None
    household.suspension_reason = ""
    household.save(update_fields=["suspended_on", "suspension_reason"])
    _event(household, by, _("Suspension lifted"), reason)
    return household


@transaction.atomic
def carer_review_record(
    *,
    household: Household,
    by: User,
    reviewed_on: date,
    people_views: str,
    carer_views: str,
    summary: str,
    outcome: str,
    next_review_on: date | None = None,
) -> CarerReview:
    """Record the annual review; the household's next review date moves on (12 months unless said otherwise)."""
    household = _locked(household)
    if household.stage != Stage.APPROVED:
        raise ValidationError(_("Only an approved household has annual reviews."))
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("This date cannot be in the future.")})
    next_review_on = next_review_on or add_months(reviewed_on, ANNUAL_REVIEW_MONTHS)
    if next_review_on <= reviewed_on:
        raise ValidationError({"next_review_on": _("The next review must be after this one.")})
    review = CarerReview(
        household=household, reviewed_on=reviewed_on, people_views=people_views, carer_views=carer_views,
        summary=summary, outcome=outcome, next_review_on=next_review_on, by=by,
    )  # fmt: skip
    review.full_clean()
    review.save()
    household.next_review_on = next_review_on
    household.save(update_fields=["next_review_on"])
    _event(household, by, _("Annual review: %(outcome)s") % {"outcome": review.get_outcome_display()}, summary)
    return review


# ---- the carer portal: invitations and renewal evidence sent from a phone -----------------------------------


@transaction.atomic
def carer_invite(*, member: Member, email: str, base_url: str, by: User | None) -> Member:
    """Give a carer the portal for their own household. A new account is emailed a link to choose a password (it
    works once and expires); someone who already has an account is told to sign in."""
    household = _locked(member.household)
    if not member.is_carer:
        raise ValidationError(_("Only carers use the carer portal."))
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    staff = Membership.objects.filter(user=user, scheme=household.scheme).exclude(role=Role.CARER).exists()
    if user is not None and staff:
        raise ValidationError({"email": _("This address belongs to a member of staff here. Use the carer's own.")})
    if user is not None and Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise ValidationError({"email": _("This address is already used by another carer.")})
    is_new = user is None
    if is_new:
        user = User(email=email, full_name=member.full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    Membership.objects.update_or_create(
        user=user, scheme=household.scheme, defaults={"role": Role.CARER, "is_active": True}
    )
    member.user = user
    member.save(update_fields=["user"])
    _event(household, by, _("Invited to the carer portal: %(name)s") % {"name": member.full_name})
    context = {
        "name": member.full_name, "scheme": household.scheme, "is_new": is_new,
        "link": password_setup_link(user=user, base_url=base_url) if is_new else base_url + "/",
    }  # fmt: skip
    languages = email_languages(household.scheme, user)
    transaction.on_commit(
        lambda: email_send(
            to=email, languages=languages, html=False, template="carers/email/portal_invite", context=context,
            subject=later(gettext_lazy("Your carer portal at %(scheme)s"), scheme=household.scheme.name),
        )
    )  # fmt: skip
    return member


@transaction.atomic
def carer_access_end(*, member: Member, by: User | None) -> Member:
    if member.user_id is None:
        raise ValidationError(_("This carer does not use the portal."))
    Membership.objects.filter(user_id=member.user_id, scheme=member.household.scheme, role=Role.CARER).update(
        is_active=False
    )
    _event(member.household, by, _("Carer portal access ended: %(name)s") % {"name": member.full_name})
    member.user = None
    member.save(update_fields=["user"])
    return member


@transaction.atomic
def renewal_upload(
    *, household: Household, by: User, kind: str, evidence, member: Member | None = None, note: str = ""
) -> RenewalUpload:
    """A carer sends evidence of a renewal; the household's worker is told at once, and it waits for them."""
    if kind not in CheckKind.values:
        raise ValidationError({"kind": _("Choose what this is.")})
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("Choose someone who lives in this household.")})
    if evidence is None:
        raise ValidationError({"evidence": _("Choose a photo or a file.")})
    try:
        checked = check_upload(evidence, folder=f"evidence/{household.scheme_id}")
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    upload = RenewalUpload(household=household, member=member, kind=kind, note=note, uploaded_by=by,
                           evidence_name=checked.display_name, evidence_type=checked.content_type)  # fmt: skip
    upload.evidence.save(checked.storage_name, evidence, save=False)
    upload.full_clean()
    upload.save()
    _event(household, by, _("Evidence sent from the portal: %(what)s") % {"what": upload.get_kind_display()})
    for worker in _people_to_tell(household):
        notification_create(
            scheme=household.scheme, recipient=worker, link=household.get_absolute_url(),
            subject=later(gettext_lazy("%(household)s sent evidence: %(what)s"), household=household.name,
                          what=upload.get_kind_display),
        )  # fmt: skip
    return upload


def _people_to_tell(household: Household) -> list[User]:
    """The household's worker, or every coordinator and manager when it has none."""
    if household.worker_id:
        return [household.worker]
    return list(staff_with_permission(scheme=household.scheme, permission="manage_carers"))


@transaction.atomic
def renewal_upload_accept(
    *, upload: RenewalUpload, by: User, done_on: date, expires_on: date | None = None, reference: str = ""
) -> Check:
    """Staff have checked the evidence: record the check with it (a renewal replaces the current one)."""
    upload = RenewalUpload.objects.select_for_update().select_related("household").get(pk=upload.pk)
    if upload.status != RenewalUpload.Status.WAITING:
        raise ValidationError(_("This has already been dealt with."))
    check = check_record(household=upload.household, by=by, kind=upload.kind, done_on=done_on,
                         member=upload.member, expires_on=expires_on, reference=reference)  # fmt: skip
    check.evidence.name = upload.evidence.name
    check.evidence_name, check.evidence_type = upload.evidence_name, upload.evidence_type
    check.save(update_fields=["evidence", "evidence_name", "evidence_type"])
    upload.status, upload.resolved_by, upload.resolved_at = RenewalUpload.Status.ACCEPTED, by, timezone.now()
    upload.save(update_fields=["status", "resolved_by", "resolved_at"])
    return check


@transaction.atomic
def renewal_upload_return(*, upload: RenewalUpload, by: User, reason: str) -> RenewalUpload:
    """Send evidence back (unreadable, the wrong document) with a reason the carer sees."""
    upload = RenewalUpload.objects.select_for_update().select_related("household__scheme").get(pk=upload.pk)
    if upload.status != RenewalUpload.Status.WAITING:
        raise ValidationError(_("This has already been dealt with."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is sent back, so the carer can put it right.")})
    upload.status, upload.resolved_by, upload.resolved_at = RenewalUpload.Status.RETURNED, by, timezone.now()
    upload.resolution_note = reason.strip()
    upload.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    if upload.uploaded_by_id:
        notification_create(
            scheme=upload.household.scheme, recipient=upload.uploaded_by,
            subject=later(gettext_lazy("Your %(what)s was sent back"), what=upload.get_kind_display),
            body=reason.strip(),
        )  # fmt: skip
    return upload
