"""Reads. Keyword-only, return querysets or plain values; the callers never build ORM chains themselves."""

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from .models import AuditEvent, Membership, Nation, Notification, Person, Scheme, User
from .permissions import Role, roles_with
from .rows import Where, fetch_one

# What a list needs of a person to name them (Person.display_name); the rest of a person's record is wide (about 35
# columns, several of them up to 4,000 characters) and stays in the database.
PERSON_NAME_FIELDS = frozenset({"id", "scheme", "given_name", "family_name", "preferred_name"})
# What a list shows of a member of staff or a carer: their name (`User.__str__`), never their password hash.
USER_NAME_FIELDS = frozenset({"id", "full_name", "email"})


def with_related_only(queryset: QuerySet, path: str, keep: frozenset[str]) -> QuerySet:
    """`select_related(path)` (a foreign key of the queryset's model, or a chain of them: "booking__person") reading
    only the `keep` fields of the row at its end. Reading another of its fields from a row would cost a query per row:
    a list that needs more reads it whole."""
    related = queryset.model
    for name in path.split("__"):
        related = related._meta.get_field(name).related_model
    wide = [f"{path}__{f.name}" for f in related._meta.concrete_fields if f.name not in keep]
    return queryset.select_related(path).defer(*wide)


def with_person_names(queryset: QuerySet, path: str = "person") -> QuerySet:
    return with_related_only(queryset, path, PERSON_NAME_FIELDS)


def first_and_more(queryset: QuerySet, n: int) -> tuple[list, int]:
    """The first `n` rows and how many more there are, in one query: each row carries the total (COUNT(*) OVER (),
    which the database works out before the LIMIT), so a page can show a few and say how many it left out."""
    rows = list(queryset.annotate(in_all=Window(Count("pk")))[:n])
    return rows, (rows[0].in_all - len(rows) if rows else 0)


def _membership_where(quote) -> str:
    mem, sch = Membership._meta, Scheme._meta
    return (
        f"FROM {quote(mem.db_table)} m INNER JOIN {quote(sch.db_table)} s "
        f"ON s.{quote(sch.pk.column)} = m.{quote(mem.get_field('scheme').column)} "
        f"WHERE m.{quote(mem.get_field('user').column)} = %s AND s.{quote(sch.get_field('slug').column)} = %s "
        f"AND m.{quote(mem.get_field('is_active').column)} = %s AND s.{quote(sch.get_field('is_active').column)} = %s"
    )


MEMBERSHIP_WHERE = Where(_membership_where)


def active_membership(*, user_id: int, slug: str) -> Membership | None:
    """The user's active membership of the active scheme `slug`, with its scheme: the same objects as
    `Membership.objects.select_related("scheme").filter(user_id=user_id, scheme__slug=slug, is_active=True,
    scheme__is_active=True).first()` (at most one: a user has one membership of a scheme). Every scheme page asks
    it first, so it is one of `schemes.rows`' queries written once."""
    found = fetch_one((("m", Membership), ("s", Scheme)), MEMBERSHIP_WHERE, [user_id, slug, True, True])
    if found is None:
        return None
    membership, scheme = found
    Membership.scheme.field.set_cached_value(membership, scheme)
    return membership


def _user_where(quote) -> str:
    return f"FROM {quote(User._meta.db_table)} u WHERE u.{quote(User._meta.pk.column)} = %s"


USER_WHERE = Where(_user_where)


def user_by_pk(pk) -> User | None:
    """`User.objects.filter(pk=pk).first()`, asked by every signed-in request (LockoutBackend.get_user), written
    once (`schemes.rows`)."""
    found = fetch_one((("u", User),), USER_WHERE, [pk])
    return found[0] if found else None


def memberships_for_user(*, user: User) -> list[Membership]:
    return list(
        Membership.objects.select_related("scheme")
        .filter(user=user, is_active=True, scheme__is_active=True)
        .order_by("scheme__name")
    )


def staff_list(*, scheme: Scheme) -> QuerySet[Membership]:
    """The scheme's staff (carers with portal access are managed from their household's page)."""
    has_app = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return (
        with_related_only(Membership.objects.all(), "user", USER_NAME_FIELDS | {"locked_until"})
        .filter(scheme=scheme)
        .exclude(role=Role.CARER)
        .annotate(has_app=Exists(has_app))
        .order_by("-is_active", "user__full_name")
    )


def staff_with_permission(*, scheme: Scheme, permission: str) -> QuerySet[User]:
    """Active staff of the scheme whose role grants `permission` (e.g. workers to assign, panel members to invite)."""
    return User.objects.filter(
        memberships__scheme=scheme, memberships__is_active=True, memberships__role__in=roles_with(permission)
    ).order_by("full_name")


def staff_to_choose(*, scheme: Scheme, permission: str) -> QuerySet[User]:
    """`staff_with_permission` for choosing one by name (a list's filter), reading only their names."""
    return staff_with_permission(scheme=scheme, permission=permission).only(*USER_NAME_FIELDS)


def person_list(*, search: str = "") -> QuerySet[Person]:
    """The list shows each person's name and status, and links them: only those of their 35 columns."""
    people = Person.objects.only(*PERSON_NAME_FIELDS, "status")
    if search:
        people = people.filter(
            Q(given_name__icontains=search) | Q(family_name__icontains=search) | Q(preferred_name__icontains=search)
        )
    return people


def people_counts_by_status() -> dict[str, int]:
    rows = Person.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def unread_notifications(*, user: User, scheme: Scheme, limit: int = 5) -> list[Notification]:
    """The newest few unread notifications. None to read when the bell's count (`unread_count`, from the cache) is
    nought, as it is on most pages: then the database is not asked."""
    if not unread_count(user=user, scheme=scheme):
        return []
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("read_at", "-created_at")


NETWORK_KEY = "network:summary"
NETWORK_SECONDS = 600  # the page says the figures are counted again every ten minutes


def network_summary() -> list[dict]:
    """Pooled, anonymised figures across all schemes: counts by nation, no scheme named. Counting every scheme's people
    grows with the sector, so the counts are kept in the cache for ten minutes: the page costs the same whatever the
    number of schemes. People are counted per scheme from the index alone and added up here."""

    def count() -> list[tuple[str, int, int]]:
        nation_of = dict(Scheme.objects.filter(is_active=True).values_list("pk", "nation"))
        with scopes_disabled():  # pooled across schemes on purpose
            per_scheme = Person.objects.order_by().values_list("scheme_id").annotate(n=Count("pk"))
            people = Counter()
            for scheme_id, n in per_scheme:
                if scheme_id in nation_of:
                    people[nation_of[scheme_id]] += n
        schemes = Counter(nation_of.values())
        return [(nation, schemes[nation], people[nation]) for nation in sorted(schemes)]

    return [
        {"nation": nation, "label": Nation(nation).label, "schemes": schemes, "people": people}
        for nation, schemes, people in cache.get_or_set(NETWORK_KEY, count, NETWORK_SECONDS)
    ]


def audit_events() -> QuerySet[AuditEvent]:
    """The trail, newest first, with who did each thing (their name only)."""
    return with_related_only(AuditEvent.objects.all(), "user", USER_NAME_FIELDS).order_by("-at", "-pk")


OUTBOX_WAIT = timedelta(minutes=15)


def outbox(*, now) -> QuerySet[Notification]:
    """This scheme's emails that failed, or have waited more than 15 minutes to go."""
    return (
        Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
        .filter(Q(email_attempts__gt=0) | ~Q(email_error="") | Q(created_at__lte=now - OUTBOX_WAIT))
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user: User, scheme: Scheme) -> int:
    """The bell's number: the user's unread notifications in this scheme. Counted for all their schemes in one query
    at sign-in (`unread_counts_prime`) or after a change, then read from the cache. Kept fresh by `forget_unread`
    whenever a notification is made or read."""
    counts = cache.get(f"unread:{user.pk}")
    if counts is None:
        counts = unread_counts_prime(user)
    return counts.get(scheme.pk, 0)


def unread_counts_prime(user: User) -> dict[int, int]:
    with scopes_disabled():  # the user's own notifications, in every scheme they belong to
        rows = Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("scheme_id")
        counts = dict(rows.annotate(n=Count("pk")).values_list("scheme_id", "n"))
    cache.set(f"unread:{user.pk}", counts, 600)
    return counts


def forget_unread(user_id: int) -> None:
    cache.delete(f"unread:{user_id}")
