"""Forms are drawn by crispy-forms' Bootstrap 5 pack, with its field template flattened into one
(templates/bootstrap5/field.html) because the includes cost most of a long form's time, and their widgets by Django's
Jinja2 widget templates (FORM_RENDERER), which are quicker than the same templates in Django's template language, the
select flattened into one (templates/jinja2/). Both must draw exactly what the slower way draws: labels, required
marks, classes, errors with their ids, help text, fieldsets, ticked boxes and chosen options (in groups too), values
kept after an error."""

import re

import pytest
from crispy_forms.templatetags import crispy_forms_filters
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test import override_settings

from schemes.forms import PersonForm
from schemes.renderers import WidgetRenderer

CHOICES = [("a", "Apples"), ("b", "Bananas"), ("c", "Cherries")]
GROUPED = [("Fruit", CHOICES), ("Other", [("d", "Dates")])]


class EveryKind(forms.Form):
    name = forms.CharField(label="Name", help_text="As they like it <em>written</em>")
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)
    count = forms.IntegerField(label="How many", min_value=1)
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    email = forms.EmailField(label="Email", required=False)
    colour = forms.ChoiceField(label="Colour", choices=CHOICES, help_text="Pick one")
    several = forms.MultipleChoiceField(label="Several", choices=CHOICES, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any"), *GROUPED], required=False)
    agree = forms.BooleanField(label="I agree", help_text="You must")
    optional_tick = forms.BooleanField(label="Tell me more", required=False)
    likes = forms.MultipleChoiceField(label="Likes", choices=CHOICES, widget=forms.CheckboxSelectMultiple,
                                      help_text="As many as you like")  # fmt: skip
    grouped = forms.MultipleChoiceField(label="Grouped", choices=GROUPED, widget=forms.CheckboxSelectMultiple,
                                        required=False)  # fmt: skip
    one = forms.ChoiceField(label="One of", choices=CHOICES, widget=forms.RadioSelect)
    evidence = forms.FileField(label="Evidence", help_text="PDF or photo")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


NAMES = ["every kind, empty", "every kind, errors", "every kind, good", "person, empty", "person, errors"]


def draw(form, template: str, *, crispy_own: bool) -> str:
    """The form drawn through crispy, with our flattened field template or (crispy_own) crispy-bootstrap5's."""
    options = settings.TEMPLATES[0]
    dirs = [] if crispy_own else options["DIRS"]
    with override_settings(TEMPLATES=[{**options, "DIRS": dirs}]):
        crispy_forms_filters.uni_form_template.cache_clear()  # crispy keeps the template (and its engine) it loaded
        try:
            html = engines["django"].from_string(template).render({"form": form})
        finally:
            crispy_forms_filters.uni_form_template.cache_clear()
    # Whitespace between tags, and before a tag's closing bracket, does not change what a browser draws.
    return re.sub(r"\s+>", ">", re.sub(r">\s+", ">", re.sub(r"\s+<", "<", re.sub(r"\s+", " ", html)))).strip()


def forms_to_draw(renderer=None):
    bad = EveryKind(renderer=renderer, data={"name": "", "count": "0", "likes": ["x"], "one": "z", "colour": "q"})
    bad.is_valid()
    good = EveryKind(renderer=renderer, files={"evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
                     data={"name": "Gwen", "count": "2", "agree": "on", "likes": ["a", "c"], "one": "b",
                           "colour": "a", "kind": "d", "several": ["b", "c"]})  # fmt: skip
    good.is_valid()
    person = PersonForm(renderer=renderer, data={"given_name": "", "date_of_birth": "2020-01-01",
                                                 "pets_liked": ["dogs"], "deal_breakers": ["dogs"]})  # fmt: skip
    person.is_valid()
    return {"every kind, empty": EveryKind(renderer=renderer), "every kind, errors": bad, "every kind, good": good,
            "person, empty": PersonForm(renderer=renderer), "person, errors": person}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("template", ["{% load crispy_forms_tags %}{{ form|crispy }}",
                                      "{% load crispy_forms_tags %}{{ form.name|as_crispy_field }}"])  # fmt: skip
def test_the_flattened_field_template_draws_what_crispy_draws(name, template):
    form = forms_to_draw()[name]
    if "form.name" in template and "name" not in form.fields:
        template = template.replace("form.name", "form.given_name")
    ours = draw(form, template, crispy_own=False)
    theirs = draw(form, template, crispy_own=True)
    assert "mb-3" in ours and ours == theirs


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("template", ["{% load crispy_forms_tags %}{{ form|crispy }}",
                                      "{{ form }}{{ form.non_field_errors }}"])  # fmt: skip
def test_widgets_drawn_by_jinja2_are_what_django_templates_draw(name, template):
    assert settings.FORM_RENDERER == "schemes.renderers.WidgetRenderer"
    ours = draw(forms_to_draw(renderer=WidgetRenderer())[name], template, crispy_own=False)
    django_default = draw(forms_to_draw(renderer=DjangoTemplates())[name], template, crispy_own=False)
    assert "<input" in ours and ours == django_default
