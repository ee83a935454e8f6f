"""Choice labels (`get_<field>_display`, made quick by schemes.choices) say the same as Django's would, in the
language of the page."""

from django.db import models
from django.utils import translation

from carers.models import Household, Stage
from schemes.choices import choice_display
from schemes.models import AuditEvent


def test_a_label_is_given_in_the_language_of_the_page_and_an_unknown_value_as_it_is():
    household = Household(stage=Stage.ASSESSMENT)
    with translation.override("en-gb"):
        assert household.get_stage_display() == "Assessment"
    with translation.override("cy"):
        assert household.get_stage_display() == "Asesiad"
    assert Household(stage="no-such-stage").get_stage_display() == "no-such-stage"


def test_every_models_labels_match_djangos_own_way():
    for model in (Household, AuditEvent):
        for field in model._meta.concrete_fields:
            if field.choices is None:
                continue
            for value, label in field.flatchoices:
                instance = model(**{field.attname: value})
                assert getattr(instance, f"get_{field.name}_display")() == str(label)
                assert models.Model._get_FIELD_display(instance, field) == str(label)


def test_the_quick_labels_are_in_place_on_every_model():
    assert Household.__dict__["get_stage_display"].func is choice_display
    assert AuditEvent.__dict__["get_action_display"].func is choice_display
