"""What a carer household must have, and how long each check or course lasts. One place, read by services and views."""

from datetime import date, timedelta
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from schemes.dates import add_months

EXPIRING_WITHIN_DAYS = 60


class CheckKind(models.TextChoices):
    DBS = "dbs", _("Enhanced DBS with adults' barred list")
    REFERENCE = "reference", _("Personal reference")
    GP_REFERENCE = "gp_reference", _("GP or health reference")
    PHOTO_ID = "photo_id", _("Photo ID")
    HOME_SAFETY = "home_safety", _("Home health and safety check")
    GAS_SAFETY = "gas_safety", _("Gas safety certificate")
    INSURANCE = "insurance", _("Home insurance")
    LANDLORD_CONSENT = "landlord_consent", _("Landlord or mortgage lender consent")
    FIRST_AID = "first_aid", _("Training: first aid")
    MCA = "mca", _("Training: Mental Capacity Act")
    SAFEGUARDING = "safeguarding", _("Training: safeguarding adults")
    EQUALITY = "equality", _("Training: equality and diversity")
    MEDICATION = "medication", _("Training: medication")
    DATA_PROTECTION = "data_protection", _("Training: data protection")
    CARE_CERTIFICATE = "care_certificate", _("Care Certificate")


# How long each lasts, in months (None: does not expire). DBS lasts 3 years unless on the update service.
VALID_MONTHS: dict[str, int | None] = {
    CheckKind.DBS: 36,
    CheckKind.REFERENCE: None,
    CheckKind.GP_REFERENCE: None,
    CheckKind.PHOTO_ID: None,
    CheckKind.HOME_SAFETY: 12,
    CheckKind.GAS_SAFETY: 12,
    CheckKind.INSURANCE: 12,
    CheckKind.LANDLORD_CONSENT: None,
    CheckKind.FIRST_AID: 36,
    CheckKind.MCA: 36,
    CheckKind.SAFEGUARDING: 36,
    CheckKind.EQUALITY: 36,
    CheckKind.MEDICATION: 24,
    CheckKind.DATA_PROTECTION: 24,
    CheckKind.CARE_CERTIFICATE: None,
}
TRAINING = [
    CheckKind.FIRST_AID,
    CheckKind.MCA,
    CheckKind.SAFEGUARDING,
    CheckKind.EQUALITY,
    CheckKind.MEDICATION,
    CheckKind.DATA_PROTECTION,
]
PER_ADULT = {CheckKind.DBS}
PER_CARER = {CheckKind.PHOTO_ID, *TRAINING, CheckKind.CARE_CERTIFICATE}
REFERENCES_NEEDED = 2
# Without these a household cannot take a new arrangement, even when approved.
BLOCKS_NEW_ARRANGEMENTS = {CheckKind.DBS, CheckKind.INSURANCE}


def default_expiry(kind: str, done_on: date, *, dbs_update_service: bool = False) -> date | None:
    months = VALID_MONTHS[kind]
    if months is None or (kind == CheckKind.DBS and dbs_update_service):
        return None
    return add_months(done_on, months)


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")
    NOT_CLEAR = "not_clear", _("Not clear")


STATUS_ORDER = [Status.VALID, Status.EXPIRING, Status.NOT_CLEAR, Status.EXPIRED, Status.MISSING]
# Words and a Bootstrap colour: status is never shown by colour alone.
STATUS_STYLE = {
    Status.VALID: "success",
    Status.EXPIRING: "warning",
    Status.EXPIRED: "danger",
    Status.MISSING: "secondary",
    Status.NOT_CLEAR: "danger",
}


def status_on(*, expires_on: date | None, is_clear: bool, today: date) -> str:
    if not is_clear:
        return Status.NOT_CLEAR
    if expires_on is None:
        return Status.VALID
    if expires_on < today:
        return Status.EXPIRED
    if expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return Status.EXPIRING
    return Status.VALID


def worst(statuses) -> str:
    statuses = list(statuses)
    return max(statuses, key=STATUS_ORDER.index) if statuses else Status.VALID


class Requirement(NamedTuple):
    """One check or course a household must hold (a tuple: a list of households makes hundreds)."""

    kind: str
    member_id: int | None  # None: for the household as a whole
    label: str
