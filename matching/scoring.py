"""Explainable carer suggestions: hard rules that exclude a household (with the reason), and a 0-100 score built
from parts whose weights are scheme settings, each part saying in words why it counted. Pure functions, no queries.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from schemes.models import DealBreaker, Person
from schemes.vocabulary import DEFAULT_MATCHING_WEIGHTS, Need, SupportType

FULL_MARKS_WITHIN_KM = 5.0
NO_MARKS_BEYOND_KM = 50.0
ENGLISH = "english"


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    max_km: float | None


@dataclass(frozen=True)
class Wanted:
    """What is asked for: the person, their places, and the referral's support type and date (if any)."""

    person: Person
    places: tuple[Place, ...]
    support_type: str | None
    on: date


@dataclass
class Judgement:
    household_id: int
    name: str
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    excluded_because: list[str] = field(default_factory=list)


def phrases(text: str) -> list[str]:
    """'Walking, sarcastic humour; football' -> ['walking', 'sarcastic humour', 'football']."""
    return [p.strip().lower() for p in re.split(r"[,;\n/]+", text or "") if len(p.strip()) >= 3]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def hard_rules(wanted: Wanted, h: dict, *, places_taken: int) -> list[str]:
    """Why this household cannot take this person (empty: it can). `h` is a row of carer household fields."""
    person = wanted.person
    reasons = []
    if h["stage"] != "approved":
        reasons.append(_("not approved yet (%(stage)s)") % {"stage": h["stage_label"]})
    if h["suspended_on"]:
        reasons.append(_("suspended"))
    if wanted.support_type in SupportType.values and wanted.support_type not in h["terms_support_types"]:
        reasons.append(_("not approved for %(type)s") % {"type": str(SupportType(wanted.support_type).label).lower()})
    missing_needs = [n for n in person.needs if n not in h["terms_needs"]]
    if missing_needs and h["stage"] == "approved":
        reasons.append(
            _("not approved for %(needs)s") % {"needs": ", ".join(str(Need(n).label).lower() for n in missing_needs)}
        )
    if h["terms_named_person_id"] and h["terms_named_person_id"] != person.pk:
        reasons.append(_("approved for one named person only"))
    if h["stage"] == "approved" and places_taken >= (h["terms_max_people"] or 0):
        reasons.append(_("no free place on %(date)s") % {"date": f"{wanted.on:%d %b %Y}"})
    if person.needs_wheelchair_access and not h["wheelchair_accessible"]:
        reasons.append(_("not wheelchair accessible"))
    if person.needs_step_free and not h["step_free"]:
        reasons.append(_("no step-free access"))
    if person.ground_floor_bedroom == Person.GroundFloor.REQUIRED and not h["ground_floor_bedroom"]:
        reasons.append(_("no ground-floor bedroom"))
    if DealBreaker.DOGS in person.deal_breakers and h["has_dogs"]:
        reasons.append(_("has dogs — cannot live with dogs"))
    if DealBreaker.CATS in person.deal_breakers and h["has_cats"]:
        reasons.append(_("has cats — cannot live with cats"))
    if DealBreaker.SMOKING in person.deal_breakers and h["smokers"]:
        reasons.append(_("someone smokes at home"))
    if h["expired_dbs_or_insurance"] or not h["has_insurance"] or h["adult_without_dbs"]:
        reasons.append(_("DBS or insurance expired or missing"))
    return reasons


def score(wanted: Wanted, h: dict, weights: dict[str, int], *, places_taken: int) -> tuple[int, list[str], list[str]]:
    """A 0-100 score with the reasons for it and the cautions against it."""
    person = wanted.person
    weights = weights or DEFAULT_MATCHING_WEIGHTS
    parts: dict[str, float] = {}
    reasons: list[str] = []
    cautions: list[str] = []

    household_text = " ".join([h["interests"] or "", h["skills"] or ""]).lower()
    wanted_phrases = list(dict.fromkeys(phrases(person.interests) + phrases(person.personality)))
    shared = [p for p in wanted_phrases if p in household_text]
    parts["interests"] = min(len(shared), 3) / 3
    if shared:
        reasons.append(_("shares: %(things)s") % {"things": ", ".join(shared)})

    pets = []
    if "dogs" in person.pets_liked and h["has_dogs"]:
        pets.append(_("has dogs — loves dogs"))
    if "cats" in person.pets_liked and h["has_cats"]:
        pets.append(_("has cats — loves cats"))
    parts["pets"] = 1.0 if pets else 0.0
    reasons += pets

    distance_marks = []
    if h["latitude"] is not None and h["longitude"] is not None:
        for place in wanted.places:
            km = haversine_km(place.latitude, place.longitude, float(h["latitude"]), float(h["longitude"]))
            distance_marks.append(
                1 - min(max(km - FULL_MARKS_WITHIN_KM, 0) / (NO_MARKS_BEYOND_KM - FULL_MARKS_WITHIN_KM), 1)
            )
            if place.max_km is not None and km > place.max_km:
                cautions.append(_("%(km)s km from %(place)s — more than the %(max)s km wanted")
                                % {"km": round(km), "place": place.name, "max": f"{place.max_km:g}"})  # fmt: skip
            elif km <= 15:
                reasons.append(_("%(km)s km from %(place)s") % {"km": round(km), "place": place.name})
    elif wanted.places:
        cautions.append(_("no map position recorded for this household"))
    parts["distance"] = sum(distance_marks) / len(distance_marks) if distance_marks else 0.0

    spoken = {lang for lang in phrases(person.languages) if lang != ENGLISH}
    shared_languages = sorted(spoken & set(phrases(h["languages"])))
    parts["language"] = 1.0 if shared_languages or not spoken else 0.0
    if shared_languages:
        reasons.append(
            _("speaks %(languages)s")
            % {"languages": ", ".join(lang.title() if lang != "bsl" else "BSL" for lang in shared_languages)}
        )
    elif spoken:
        cautions.append(
            _("does not speak %(languages)s") % {"languages": ", ".join(sorted(lang.title() for lang in spoken))}
        )

    same_faith = bool(person.faith) and person.faith.strip().lower() == (h["faith"] or "").strip().lower()
    parts["faith"] = 1.0 if same_faith or not person.faith else 0.0
    if same_faith:
        reasons.append(_("shares faith: %(faith)s") % {"faith": person.faith})

    experienced = [n for n in person.needs if str(Need(n).label).lower().split(" ")[0] in household_text]
    parts["experience"] = (0.5 + 0.5 * len(experienced) / len(person.needs)) if person.needs else 1.0
    if experienced:
        reasons.append(
            _("experience with %(needs)s") % {"needs": ", ".join(str(Need(n).label).lower() for n in experienced)}
        )

    free = (h["terms_max_people"] or 0) - places_taken
    parts["household"] = min(1.0, (0.5 if h["spare_bedrooms"] else 0.0) + (0.5 if free >= 1 else 0.0))
    if person.ground_floor_bedroom == Person.GroundFloor.PREFERRED and not h["ground_floor_bedroom"]:
        cautions.append(_("no ground-floor bedroom — might manage stairs"))
    if person.carer_gender != Person.CarerGender.ANY:
        cautions.append(
            _("check the carer's gender: the person would like %(who)s")
            % {"who": person.get_carer_gender_display().lower()}
        )

    total = sum(weights.get(name, 0) * value for name, value in parts.items())
    return round(total), reasons, cautions
