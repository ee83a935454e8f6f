"""Forms are drawn by crispy-forms' Bootstrap 5 pack, with its field template flattened into one
(templates/bootstrap5/field.html) because the includes cost most of a long form's time. The flattened one must draw
exactly what crispy-bootstrap5 draws: labels, required marks, classes, errors with their ids, help text, fieldsets."""

import re

import pytest
from crispy_forms.templatetags import crispy_forms_filters
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import override_settings

from schemes.forms import PersonForm

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


def forms_to_draw():
    bad = EveryKind(data={"name": "", "count": "0", "likes": ["x"], "one": "z", "colour": "q"})
    bad.is_valid()
    good = EveryKind(data={"name": "Gwen", "count": "2", "agree": "on", "likes": ["a", "c"], "one": "b",
                           "colour": "a"},
                     files={"evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})  # fmt: skip
    good.is_valid()
    person = PersonForm(data={"given_name": "", "date_of_birth": "2020-01-01", "pets_liked": ["dogs"],
                              "deal_breakers": ["dogs"]})  # fmt: skip
    person.is_valid()
    return {"every kind, empty": EveryKind(), "every kind, errors": bad, "every kind, good": good,
            "person, empty": PersonForm(), "person, errors": person}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["every kind, empty", "every kind, errors", "every kind, good", "person, empty", "person, errors"]
)
@pytest.mark.parametrize("template", ["{% load crispy_forms_tags %}{{ form|crispy }}",
                                      "{% load crispy_forms_tags %}{{ form.name|as_crispy_field }}"])  # fmt: skip
def test_the_flattened_field_template_draws_what_crispy_draws(name, template):
    form = forms_to_draw()[name]
    if "form.name" in template and "name" not in form.fields:
        template = template.replace("form.name", "form.given_name")
    ours = draw(form, template, crispy_own=False)
    theirs = draw(form, template, crispy_own=True)
    assert "mb-3" in ours and ours == theirs
