from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DealBreaker, ImportantPlace, Person, Pet, Scheme
from .permissions import Role
from .services import SCHEME_SETTING_FIELDS
from .vocabulary import Need


class SchemeSettingsForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = SCHEME_SETTING_FIELDS


class StaffAddForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Can use this scheme"), required=False)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TICKS = forms.CheckboxSelectMultiple


class PersonForm(forms.ModelForm):
    """The person's profile. Risk and health appear only for staff allowed to see them (`restricted=True`)."""

    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, required=False, widget=TICKS)
    pets_liked = forms.MultipleChoiceField(label=_("Loves"), choices=Pet.choices, required=False, widget=TICKS)
    deal_breakers = forms.MultipleChoiceField(
        label=_("Cannot live with"), choices=DealBreaker.choices, required=False, widget=TICKS,
        help_text=_("For example: afraid of dogs, allergic to cats."),
    )  # fmt: skip

    class Meta:
        model = Person
        fields = [
            "given_name", "family_name", "preferred_name", "date_of_birth", "status",
            "what_matters", "good_day", "interests", "personality", "routines", "important_people",
            "needs", "support_needs", "needs_wheelchair_access", "needs_step_free", "ground_floor_bedroom",
            "pets_liked", "deal_breakers", "carer_gender", "area", "faith", "languages", "diet",
            "contacts", "advocate", "risks", "health",
        ]  # fmt: skip
        widgets = {
            "date_of_birth": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in (
                "what_matters", "good_day", "interests", "personality", "routines", "important_people",
                "support_needs", "contacts", "risks", "health",
            )},
        }  # fmt: skip

    def __init__(self, *args, restricted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not restricted:
            for name in Person.RESTRICTED_FIELDS:
                del self.fields[name]

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ImportantPlaceForm(forms.ModelForm):
    class Meta:
        model = ImportantPlace
        fields = ["name", "latitude", "longitude", "max_km"]
