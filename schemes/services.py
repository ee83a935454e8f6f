"""Writes. Every rule that protects people is checked here (and backed by a database constraint), not in forms."""

from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import selectors
from .audit import audit_record, changes_between
from .email import email_send
from .i18n import ENGLISH, WELSH, Text, email_languages, in_language, later, own_language, translatable
from .models import AuditEvent, ImportantPlace, Membership, Notification, Person, ReminderSent, Scheme, User
from .permissions import Role

SCHEME_SETTING_FIELDS = (
    "name",
    "registration_number",
    "registered_manager_name",
    "email",
    "phone",
    "address",
    "postcode",
    "max_people_per_household",
    "first_review_weeks",
    "review_interval_months",
    "monthly_visits_months",
    "survey_interval_months",
    "retention_years",
    "email_languages",
    "residential_weekly",
    "supported_living_weekly",
    "hospital_weekly",
    "recruitment_target_days",
    "matching_target_days",
    "matching_weights",
)


def scheme_update(*, scheme: Scheme, **changes) -> Scheme:
    for field, value in changes.items():
        if field not in SCHEME_SETTING_FIELDS:
            raise ValueError(f"{field} is not a scheme setting")
        setattr(scheme, field, value)
    scheme.full_clean()
    scheme.save()
    return scheme


def password_setup_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def staff_add(*, scheme: Scheme, email: str, full_name: str, role: str, base_url: str) -> Membership:
    """Give someone a role in the scheme. A new person is emailed a link to choose their password."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    is_new = user is None
    if is_new:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    membership, _created = Membership.objects.update_or_create(
        user=user, scheme=scheme, defaults={"role": role, "is_active": True}
    )
    membership.full_clean()
    context = {
        "user": user,
        "scheme": scheme,
        "role": Role(membership.role).label,  # written in each language the email goes out in
        "link": password_setup_link(user=user, base_url=base_url) if is_new else base_url + scheme.get_absolute_url(),
        "is_new": is_new,
    }
    languages = email_languages(scheme, user)
    transaction.on_commit(
        lambda: email_send(
            to=user.email, languages=languages, html=False, template="schemes/email/staff_added",
            context=context, subject=later(gettext_lazy("You have been added to %(scheme)s"), scheme=scheme.name),
        )
    )  # fmt: skip
    return membership


def membership_update(*, membership: Membership, role: str, is_active: bool) -> Membership:
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    membership.save(update_fields=["role", "is_active"])
    return membership


def person_create(*, scheme: Scheme, by: User | None = None, **fields) -> Person:
    person = Person(scheme=scheme, **fields)
    person.full_clean()
    person.save()
    audit_record(user=by, scheme=scheme, action=AuditEvent.Action.CREATED, obj=person)
    return person


def person_update(*, person: Person, by: User | None = None, **fields) -> Person:
    # Read what is stored: a ModelForm may already have copied the new values onto `person`.
    stored = Person.objects.select_for_update().get(pk=person.pk)
    before = {field: getattr(stored, field) for field in fields}
    for field, value in fields.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    changes = changes_between(before, fields, restricted=Person.RESTRICTED_FIELDS)
    if changes:
        audit_record(user=by, scheme=person.scheme, action=AuditEvent.Action.CHANGED, obj=person, changes=changes)
    return person


def place_add(*, person: Person, **fields) -> ImportantPlace:
    place = ImportantPlace(person=person, **fields)
    place.full_clean()
    place.save()
    return place


def notification_create(
    *, scheme: Scheme, recipient: User, subject: Text, body: Text = "", link: str = "", email: bool = True
) -> Notification:
    """Record an in-app notification; its email is sent by a job once this transaction commits, if the person
    wants each one by email (those who chose the weekly digest get it on Monday; those who chose none, never).

    Give the subject and body unmade (`gettext_lazy`, or `schemes.i18n.later` with values) and they are written in
    the recipient's own language, and in Welsh and English too when the scheme sends bilingual emails. Plain strings
    (words someone typed) are kept as they are."""
    from .tasks import notification_email  # tasks.py imports this module, so import the task when needed

    email = email and recipient.email_choice == User.EmailChoice.EACH
    language = own_language(recipient)
    both = scheme.emails_bilingual and (translatable(subject) or translatable(body))
    words = {lang: [in_language(lang, subject)[:200], in_language(lang, body)]
             for lang in dict.fromkeys([language, *((WELSH, ENGLISH) if both else ())])}  # fmt: skip
    notification = Notification.objects.create(
        scheme=scheme, recipient=recipient, subject=words[language][0], body=words[language][1], link=link,
        email_wanted=email, translations={lang: words[lang] for lang in (WELSH, ENGLISH)} if both else {},
    )  # fmt: skip
    if email:
        transaction.on_commit(lambda: notification_email.delay(notification.pk))
    transaction.on_commit(lambda: selectors.forget_unread(recipient.pk))
    return notification


def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them, or those given). Others' are untouched."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    marked = unread.update(read_at=timezone.now())
    transaction.on_commit(lambda: selectors.forget_unread(user.pk))
    return marked


def reminder_send(
    *, scheme: Scheme, rule: str, about: str, threshold: str, recipient: User, subject: Text, body: Text,
    link: str = "", email: bool = True,
) -> bool:  # fmt: skip
    """Send a reminder unless it was sent before (in the app; by email too unless `email` is False).

    The claim and the notification are written together: a worker killed at any moment leaves both or neither, so
    a re-run neither repeats nor loses a reminder. The email is queued only once they are committed."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(scheme=scheme, rule=rule, about=about, threshold=threshold, recipient=recipient)
            notification_create(scheme=scheme, recipient=recipient, subject=subject, body=body, link=link, email=email)
    except IntegrityError:
        return False
    return True


def notification_email_send(*, notification_id: int) -> bool:
    """Send a notification's email at most once, even if two workers run this at the same moment.

    The row is claimed with a conditional UPDATE; only the worker whose UPDATE changed it sends. On a failure the
    claim is released (and the error kept for the outbox page) so a retry can send it. Returns True when sent.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, email_wanted=True).update(
        emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "scheme").get(pk=notification_id)
    try:
        words = notification.translations or {
            own_language(notification.recipient): [notification.subject, notification.body]}  # fmt: skip
        email_send(to=notification.recipient.email, languages=list(words), subject=lambda: words[get_language()][0],
                   template="schemes/email/notification",
                   context=lambda language: {"note": notification, "subject": words[language][0],
                                             "body": words[language][1]})  # fmt: skip
    except Exception as error:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None, email_error=str(error)[:2000])
        raise
    Notification.objects.filter(pk=notification_id).update(email_error="")
    return True


def digest_send(*, user_id: int, now=None) -> int:
    """The weekly digest for someone who chose it: everything new since their last one, in one email, once (the
    user row is claimed with a conditional UPDATE first). Returns how many notifications it carried."""
    now = now or timezone.now()
    user = User.objects.get(pk=user_id)
    if user.email_choice != User.EmailChoice.DIGEST:
        return 0
    since = user.last_digest_at or now - timedelta(days=7)
    claimed = User.objects.filter(pk=user_id, last_digest_at=user.last_digest_at).update(last_digest_at=now)
    if not claimed:
        return 0
    notes = list(Notification._base_manager.filter(recipient=user, created_at__gt=since, created_at__lte=now)
                 .select_related("scheme").order_by("scheme__name", "-created_at"))  # fmt: skip
    if not notes:
        return 0
    try:
        email_send(to=user.email, languages=email_languages(None, user),
                   subject=later(gettext_lazy("Your week: %(n)s new from Shared Lives"), n=len(notes)),
                   template="schemes/email/digest", context={"user": user, "notes": notes})  # fmt: skip
    except Exception:
        User.objects.filter(pk=user_id).update(last_digest_at=user.last_digest_at)  # let a retry send it
        raise
    return len(notes)


def email_choice_set(*, user: User, choice: str) -> User:
    if choice not in User.EmailChoice.values:
        raise ValidationError({"email_choice": _("Choose one of the answers.")})
    user.email_choice = choice
    user.save(update_fields=["email_choice"])
    return user


def notification_email_retry(*, notification: Notification) -> None:
    """Queue a notification's email again (from the outbox page); it still goes at most once."""
    from .tasks import notification_email

    transaction.on_commit(lambda: notification_email.delay(notification.pk))
