"""Demo and national-scale data for this app: deterministic (fixed seed) and idempotent."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import AuditEvent, ImportantPlace, Membership, Nation, Notification, Person, Scheme, User
from .permissions import Role

DEMO_PASSWORD = "shared-lives-demo"

DEMO_SCHEMES = [
    {
        "slug": "riverside",
        "name": "Riverside Shared Lives",
        "nation": Nation.ENGLAND,
        "registration_number": "1-234567890",
        "registered_manager_name": "Maya Okafor",
        "email": "sharedlives@riverside.example",
        "phone": "0161 496 0000",
        "postcode": "M1 1AE",
    },
    {
        "slug": "bro-morgannwg",
        "name": "Cysylltu Bywydau Bro Morgannwg Shared Lives",
        "nation": Nation.WALES,
        "registration_number": "SIN-00012345",
        "registered_manager_name": "Rhiannon Evans",
        "email": "bywydau@bromorgannwg.example",
        "phone": "029 2018 0000",
        "postcode": "CF62 4AA",
        "max_people_per_household": 2,
    },
]

STAFF_NAMES = {
    Role.COORDINATOR: ["Sam Patel", "Gethin Morgan"],
    Role.REGISTERED_MANAGER: ["Maya Okafor", "Rhiannon Evans"],
    Role.PANEL_MEMBER: ["Jo Whitfield", "Eleri Price"],
    Role.FINANCE_OFFICER: ["Tom Baker", "Siân Hughes"],
    Role.READ_ONLY: ["Alex Kim", "Dafydd Jones"],
}

GIVEN = [
    "Aled",
    "Amira",
    "Ben",
    "Chloe",
    "Dylan",
    "Ewa",
    "Farah",
    "Gareth",
    "Hannah",
    "Ifan",
    "Jamal",
    "Katie",
    "Liam",
    "Megan",
    "Nia",
    "Oliver",
    "Priya",
    "Rhys",
    "Sofia",
    "Tomasz",
    "Usha",
    "Wyn",
    "Yasmin",
    "Zak",
]
FAMILY = [
    "Ahmed",
    "Bennett",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Griffiths",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Parry",
    "Roberts",
    "Singh",
    "Thomas",
    "Williams",
]
# Where each demo scheme is, for map positions (latitude, longitude).
DEMO_CENTRES = {"riverside": (53.4808, -2.2426), "bro-morgannwg": (51.4100, -3.2700)}
INTERESTS = ["walking, football, quizzes", "gardening, chapel choir", "music, buses, cooking curry", "art, swimming",
             "rugby, fishing, cars", "baking, animals, films", "cricket, cooking, walking"]  # fmt: skip
PERSONALITIES = ["sarcastic humour, chatty", "quiet, kind", "loves a joke, sociable", "thoughtful, likes routine"]
NEEDS_MIX = [["learning_disability"], ["autism"], ["learning_disability", "autism"], ["dementia"], ["mental_health"]]

WHAT_MATTERS = [
    "Seeing my sister every Sunday. Going to the football.",
    "My dog Bella, my garden and a quiet house.",
    "Music, the bus into town on my own, cooking curry.",
    "Chapel on Sunday and speaking Welsh at home.",
    "Swimming, art class and my friends from college.",
]


@dataclass
class Login:
    scheme: str
    role: str
    email: str
    password: str


def _user(email: str, full_name: str, password_hash: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **extra})
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def seed_demo_schemes(rng: random.Random) -> list[Login]:
    password_hash = make_password(DEMO_PASSWORD)
    logins: list[Login] = []
    for index, data in enumerate(DEMO_SCHEMES):
        scheme, _ = Scheme.objects.get_or_create(slug=data["slug"], defaults=data)
        for role, names in STAFF_NAMES.items():
            email = f"{role.replace('_', '.')}@{scheme.slug}.example"
            user = _user(email, names[index], password_hash)
            Membership.objects.get_or_create(user=user, scheme=scheme, defaults={"role": role})
            logins.append(Login(scheme.slug, role, email, DEMO_PASSWORD))
        if not Person.objects.filter(scheme=scheme).exists():
            Person.objects.bulk_create(demo_people(rng, scheme, 30))
    # One person who works for both schemes, to show the scheme switcher.
    both = _user("coordinator@both.example", "Lowri Bevan", password_hash)
    for scheme in Scheme.objects.filter(slug__in=[d["slug"] for d in DEMO_SCHEMES]):
        Membership.objects.get_or_create(user=both, scheme=scheme, defaults={"role": Role.COORDINATOR})
        logins.append(Login(scheme.slug, Role.COORDINATOR, both.email, DEMO_PASSWORD))
    _user("network@sharedlives.example", "Network Analyst", password_hash, is_network_viewer=True)
    logins.append(Login("", "network", "network@sharedlives.example", DEMO_PASSWORD))
    _user("admin@sharedlives.example", "Platform Admin", password_hash, is_staff=True, is_superuser=True)
    logins.append(Login("", "platform_admin", "admin@sharedlives.example", DEMO_PASSWORD))
    return logins


def demo_people(rng: random.Random, scheme: Scheme, count: int) -> list[Person]:
    people = []
    welsh = scheme.nation == Nation.WALES
    for _ in range(count):
        born = date(rng.randint(1945, 2008), rng.randint(1, 12), rng.randint(1, 28))
        loves_dogs = rng.random() < 0.4
        deal_breakers = [d for d, p in (("cats", 0.15), ("smoking", 0.3)) if rng.random() < p]
        if not loves_dogs and rng.random() < 0.15:
            deal_breakers.append("dogs")
        people.append(
            Person(
                scheme=scheme,
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                date_of_birth=born,
                status=rng.choice([Person.Status.SUPPORTED] * 4 + [Person.Status.REFERRED, Person.Status.ENDED]),
                what_matters=rng.choice(WHAT_MATTERS),
                interests=rng.choice(INTERESTS),
                personality=rng.choice(PERSONALITIES),
                needs=rng.choice(NEEDS_MIX),
                pets_liked=["dogs"] if loves_dogs else [],
                deal_breakers=deal_breakers,
                ground_floor_bedroom=rng.choice(["not_needed"] * 4 + ["preferred", "required"]),
                languages="Welsh, English" if welsh and rng.random() < 0.4 else "English",
            )
        )
    return people


def seed_demo_places(rng: random.Random, scheme: Scheme) -> None:
    """A place that matters for half the people (a partner's or family home near the scheme)."""
    centre = DEMO_CENTRES.get(scheme.slug)
    if centre is None or ImportantPlace.objects.filter(person__scheme=scheme).exists():
        return
    places = [
        ImportantPlace(
            person=person,
            name=rng.choice(["family home", "partner's home", "day centre", "sister's house"]),
            latitude=round(centre[0] + rng.uniform(-0.15, 0.15), 5),
            longitude=round(centre[1] + rng.uniform(-0.2, 0.2), 5),
            max_km=rng.choice([None, 10, 20]),
        )
        for person in Person.objects.filter(scheme=scheme).order_by("pk")[::2]
    ]
    ImportantPlace.objects.bulk_create(places)


NATIONS_WEIGHTED = [Nation.ENGLAND] * 8 + [Nation.WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND]


def seed_national_schemes(rng: random.Random, *, schemes: int = 150, people: int = 15000) -> list[Login]:
    """150 schemes with a member of staff in every role and 15,000 people, in bulk."""
    password_hash = make_password(DEMO_PASSWORD)
    existing = set(Scheme.objects.filter(slug__startswith="national-").values_list("slug", flat=True))
    new_schemes = [
        Scheme(
            slug=f"national-{n:03d}",
            name=f"Shared Lives Scheme {n:03d}",
            nation=rng.choice(NATIONS_WEIGHTED),
            postcode="",
        )
        for n in range(1, schemes + 1)
        if f"national-{n:03d}" not in existing
    ]
    Scheme.objects.bulk_create(new_schemes)
    all_schemes = list(Scheme.objects.filter(slug__startswith="national-").order_by("slug"))
    emails = {f"{role.replace('_', '.')}@{s.slug}.example": (s, role) for s in all_schemes for role in Role.values}
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=e, full_name=f"{role.replace('_', ' ').title()} {s.slug[-3:]}", password=password_hash)
            for e, (s, role) in emails.items()
            if e not in known
        ]
    )
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    Membership.objects.bulk_create(
        [Membership(user_id=users[e], scheme=s, role=role) for e, (s, role) in emails.items()],
        ignore_conflicts=True,
    )
    per_scheme = people // max(len(all_schemes), 1)
    have = set(Person.objects.filter(scheme__in=all_schemes).values_list("scheme_id", flat=True).distinct())
    batch: list[Person] = []
    for scheme in all_schemes:
        if scheme.pk not in have:
            batch.extend(demo_people(rng, scheme, per_scheme))
    Person.objects.bulk_create(batch, batch_size=2000)
    return [Login(s.slug, role, e, DEMO_PASSWORD) for e, (s, role) in emails.items()]


def seed_national_trail(rng: random.Random, schemes: list[Scheme], *, events: int = 600) -> None:
    """What the national schemes' staff have seen and done (`events` audit lines a scheme over three years, on the
    people they support) and the notifications they were sent (30 each, all but two read). Schemes that already
    have an audit trail are left alone."""
    done = set(AuditEvent.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True).distinct())
    todo = [s for s in schemes if s.pk not in done]
    now = timezone.now()
    staff = defaultdict(list)
    members = Membership.objects.filter(scheme__in=todo).exclude(role=Role.CARER).order_by("pk")
    for scheme_id, user_id in members.values_list("scheme_id", "user_id"):
        staff[scheme_id].append(user_id)
    people = defaultdict(list)
    names = Person.objects.filter(scheme__in=todo).values_list("scheme_id", "pk", "given_name", "family_name")
    for scheme_id, pk, given, family in names.order_by("pk"):
        people[scheme_id].append((pk, f"{given} {family}"))
    trail, notes = [], []
    for scheme in todo:
        if not staff[scheme.pk] or not people[scheme.pk]:
            continue
        for _ in range(events):
            person_id, name = rng.choice(people[scheme.pk])
            action = rng.choices([AuditEvent.Action.VIEWED, AuditEvent.Action.CHANGED], [4, 1])[0]
            trail.append(AuditEvent(
                scheme=scheme, user_id=rng.choice(staff[scheme.pk]), action=action, what="person",
                object_id=str(person_id), person_id=person_id, description=name,
                changes={"phone": ["", "01632 960000"]} if action == AuditEvent.Action.CHANGED else {},
                at=now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
            ))  # fmt: skip
        for user_id in staff[scheme.pk]:
            for n in range(30):
                notes.append(Notification(
                    scheme=scheme, recipient_id=user_id, subject="A check expires soon", link="",
                    body="Look at the household's checks.", email_wanted=False, read_at=now if n >= 2 else None,
                ))  # fmt: skip
    AuditEvent.objects.bulk_create(trail, batch_size=5000)
    Notification.objects.bulk_create(notes, batch_size=5000)
