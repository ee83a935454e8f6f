"""Explainable carer suggestions: hard rules that exclude a household (with the reason), and a 0-100 score built
from parts whose weights are scheme settings, each part saying in words why it counted. Pure functions, no queries.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from schemes.models import DealBreaker, Person
from schemes.vocabulary import DEFAULT_MATCHING_WEIGHTS, Need, SupportType

SUPPORT_TYPES = frozenset(SupportType.values)
FULL_MARKS_WITHIN_KM = 5.0
NO_MARKS_BEYOND_KM = 50.0
ENGLISH = "english"


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    max_km: float | None


@dataclass
class Wanted:
    """What is asked for: the person, their places, and the referral's support type and date (if any)."""

    person: Person
    places: tuple[Place, ...]
    support_type: str | None
    on: date

    @cached_property
    def support_label(self) -> str:
        return str(SupportType(self.support_type).label).lower() if self.support_type in SUPPORT_TYPES else ""

    @cached_property
    def need_labels(self) -> dict[str, str]:
        return {n: str(Need(n).label).lower() for n in self.person.needs}

    @cached_property
    def need_keys(self) -> tuple[tuple[str, str], ...]:
        """Each need with the pool row's key that says whether a household is approved for it."""
        return tuple((n, f"approved_for_{n}") for n in self.person.needs)

    @cached_property
    def rule_facts(self) -> tuple:
        """What the hard rules ask of the person, worked out once per ranking rather than once per household."""
        person, breakers = self.person, set(self.person.deal_breakers or ())
        return (
            person.pk, f"{self.on:%d %b %Y}", self.support_type in SUPPORT_TYPES, bool(person.needs_wheelchair_access),
            bool(person.needs_step_free), person.ground_floor_bedroom == Person.GroundFloor.REQUIRED,
            DealBreaker.DOGS in breakers, DealBreaker.CATS in breakers, DealBreaker.SMOKING in breakers,
        )  # fmt: skip

    @cached_property
    def spoken(self) -> set[str]:
        """Languages the person speaks other than English (matched against carers' languages)."""
        return {lang for lang in phrases(self.person.languages) if lang != ENGLISH}


# Why a household cannot take a person: a code and its words (translated when shown, not for every household).
RULES = {
    "not_approved": _lazy("not approved yet (%(stage)s)"),
    "suspended": _lazy("suspended"),
    "support_type": _lazy("not approved for %(type)s"),
    "needs": _lazy("not approved for %(needs)s"),
    "named_person": _lazy("approved for one named person only"),
    "full": _lazy("no free place on %(date)s"),
    "wheelchair": _lazy("not wheelchair accessible"),
    "step_free": _lazy("no step-free access"),
    "ground_floor": _lazy("no ground-floor bedroom"),
    "dogs": _lazy("has dogs — cannot live with dogs"),
    "cats": _lazy("has cats — cannot live with cats"),
    "smoking": _lazy("someone smokes at home"),
    "checks": _lazy("DBS or insurance expired or missing"),
}


@dataclass
class Judgement:
    household_id: int
    name: str
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    broken_rules: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def excluded_because(self) -> list[str]:
        return [str(RULES[code]) % params for code, params in self.broken_rules]


PHRASE_BREAKS = re.compile(r"[,;\n/]+")


def phrases(text: str) -> list[str]:
    """'Walking, sarcastic humour; football' -> ['walking', 'sarcastic humour', 'football']."""
    return [p.strip().lower() for p in PHRASE_BREAKS.split(text or "") if len(p.strip()) >= 3]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def hard_rules(wanted: Wanted, h: dict, *, places_taken: int) -> list[tuple[str, dict]]:
    """Which rules stop this household taking this person (empty: none). `h` is a row of carer household fields.

    Runs for every household in the pool, so it only reads the row and facts about the person worked out once."""
    person_pk, on_label, asks_type, wheelchair, step_free, ground_floor, no_dogs, no_cats, no_smoke = wanted.rule_facts
    broken: list[tuple[str, dict]] = []
    approved = h["stage"] == "approved"
    if not approved:
        broken.append(("not_approved", {"stage": h["stage_label"]}))
    if h["suspended_on"]:
        broken.append(("suspended", {}))
    if asks_type and not h["approved_for_support_type"]:
        broken.append(("support_type", {"type": wanted.support_label}))
    if approved and wanted.need_keys:
        missing_needs = [n for n, key in wanted.need_keys if not h[key]]
        if missing_needs:
            broken.append(("needs", {"needs": ", ".join(wanted.need_labels[n] for n in missing_needs)}))
    if h["terms_named_person_id"] and h["terms_named_person_id"] != person_pk:
        broken.append(("named_person", {}))
    if approved and places_taken >= (h["terms_max_people"] or 0):
        broken.append(("full", {"date": on_label}))
    if wheelchair and not h["wheelchair_accessible"]:
        broken.append(("wheelchair", {}))
    if step_free and not h["step_free"]:
        broken.append(("step_free", {}))
    if ground_floor and not h["ground_floor_bedroom"]:
        broken.append(("ground_floor", {}))
    if no_dogs and h["has_dogs"]:
        broken.append(("dogs", {}))
    if no_cats and h["has_cats"]:
        broken.append(("cats", {}))
    if no_smoke and h["smokers"]:
        broken.append(("smoking", {}))
    if h["checks_block"]:
        broken.append(("checks", {}))
    return broken


@dataclass
class Facts:
    """What a household and a person have in common, as data; words come later, only for what is shown."""

    shared: list[str]
    pets: list[str]
    distances: list[tuple[Place, float]]
    spoken: set[str]
    shared_languages: list[str]
    same_faith: bool
    experienced: list[str]
    free_places: int
    parts: dict[str, float]


def facts(wanted: Wanted, h: dict, *, places_taken: int, wanted_phrases: list[str]) -> Facts:
    person = wanted.person
    household_text = f"{h['interests'] or ''} {h['skills'] or ''}".lower()
    shared = [p for p in wanted_phrases if p in household_text]
    pets = [pet for pet, has in (("dogs", h["has_dogs"]), ("cats", h["has_cats"])) if has and pet in person.pets_liked]
    distances = []
    if h["latitude"] is not None and h["longitude"] is not None:
        lat, lon = h["latitude"], h["longitude"]
        distances = [(place, haversine_km(place.latitude, place.longitude, lat, lon)) for place in wanted.places]
    spoken = wanted.spoken
    shared_languages = sorted(spoken & set(phrases(h["languages"]))) if spoken else []
    same_faith = bool(person.faith) and person.faith.strip().lower() == (h["faith"] or "").strip().lower()
    experienced = [n for n in person.needs if NEED_WORDS[n] in household_text]
    free = (h["terms_max_people"] or 0) - places_taken
    near = [
        1 - min(max(km - FULL_MARKS_WITHIN_KM, 0) / (NO_MARKS_BEYOND_KM - FULL_MARKS_WITHIN_KM), 1)
        for _, km in distances
    ]
    parts = {
        "interests": min(len(shared), 3) / 3,
        "pets": 1.0 if pets else 0.0,
        "distance": sum(near) / len(near) if near else 0.0,
        "language": 1.0 if shared_languages or not spoken else 0.0,
        "faith": 1.0 if same_faith or not person.faith else 0.0,
        "experience": (0.5 + 0.5 * len(experienced) / len(person.needs)) if person.needs else 1.0,
        "household": min(1.0, (0.5 if h["spare_bedrooms"] else 0.0) + (0.5 if free >= 1 else 0.0)),
    }
    return Facts(shared, pets, distances, spoken, shared_languages, same_faith, experienced, free, parts)


def total(found: Facts, weights: dict[str, int]) -> int:
    weights = weights or DEFAULT_MATCHING_WEIGHTS
    return round(sum(weights.get(name, 0) * value for name, value in found.parts.items()))


def explain(wanted: Wanted, h: dict, found: Facts) -> tuple[list[str], list[str]]:
    """The reasons for a suggestion and the cautions against it, in words."""
    person = wanted.person
    reasons: list[str] = []
    cautions: list[str] = []
    if found.shared:
        reasons.append(_("shares: %(things)s") % {"things": ", ".join(found.shared)})
    for pet in found.pets:
        reasons.append(_("has dogs — loves dogs") if pet == "dogs" else _("has cats — loves cats"))
    for place, km in found.distances:
        if place.max_km is not None and km > place.max_km:
            cautions.append(_("%(km)s km from %(place)s — more than the %(max)s km wanted")
                            % {"km": round(km), "place": place.name, "max": f"{place.max_km:g}"})  # fmt: skip
        elif km <= 15:
            reasons.append(_("%(km)s km from %(place)s") % {"km": round(km), "place": place.name})
    if wanted.places and not found.distances:
        cautions.append(_("no map position recorded for this household"))
    if found.shared_languages:
        names = ", ".join("BSL" if lang == "bsl" else lang.title() for lang in found.shared_languages)
        reasons.append(_("speaks %(languages)s") % {"languages": names})
    elif found.spoken:
        cautions.append(
            _("does not speak %(languages)s") % {"languages": ", ".join(sorted(lang.title() for lang in found.spoken))}
        )
    if found.same_faith:
        reasons.append(_("shares faith: %(faith)s") % {"faith": person.faith})
    if found.experienced:
        reasons.append(
            _("experience with %(needs)s") % {"needs": ", ".join(str(Need(n).label).lower() for n in found.experienced)}
        )
    if person.ground_floor_bedroom == Person.GroundFloor.PREFERRED and not h["ground_floor_bedroom"]:
        cautions.append(_("no ground-floor bedroom — might manage stairs"))
    if person.carer_gender != Person.CarerGender.ANY:
        cautions.append(
            _("check the carer's gender: the person would like %(who)s")
            % {"who": person.get_carer_gender_display().lower()}
        )
    return reasons, cautions


def person_phrases(person: Person) -> list[str]:
    return list(dict.fromkeys(phrases(person.interests) + phrases(person.personality)))


# The word for each need that shows experience of it in a household's skills ("dementia care", "autism").
NEED_WORDS = {
    "learning_disability": "learning",
    "autism": "autis",
    "mental_health": "mental",
    "dementia": "dementia",
    "physical_disability": "physical",
    "sensory_impairment": "sensory",
    "older_people": "older",
    "young_people": "young",
}
