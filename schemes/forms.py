from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import DealBreaker, ImportantPlace, Person, Pet, Scheme
from .permissions import STAFF_ROLES
from .services import SCHEME_SETTING_FIELDS
from .vocabulary import DEFAULT_MATCHING_WEIGHTS, MATCHING_WEIGHT_KEYS, Need

WEIGHT_LABELS = {
    "interests": _("Shared interests and humour"),
    "distance": _("Distance to the places that matter"),
    "experience": _("Experience with the person's needs"),
    "pets": _("Pets the person loves"),
    "language": _("Language"),
    "faith": _("Faith and culture"),
    "household": _("Room in the household"),
}


class SchemeSettingsForm(forms.ModelForm):
    """The scheme's settings; the matching weights are one whole number per part, adding up to 100."""

    class Meta:
        model = Scheme
        fields = [f for f in SCHEME_SETTING_FIELDS if f != "matching_weights"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.matching_weights or DEFAULT_MATCHING_WEIGHTS
        for key in MATCHING_WEIGHT_KEYS:
            self.fields[f"weight_{key}"] = forms.IntegerField(
                label=_("Matching weight: %(part)s") % {"part": WEIGHT_LABELS[key]},
                min_value=0, max_value=100, initial=current.get(key, 0),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        weights = {key: data.get(f"weight_{key}") for key in MATCHING_WEIGHT_KEYS}
        if None not in weights.values() and sum(weights.values()) != 100:
            raise forms.ValidationError(
                _("The matching weights add up to %(total)s; they must add up to 100.")
                % {"total": sum(weights.values())}
            )
        data["matching_weights"] = {} if weights == DEFAULT_MATCHING_WEIGHTS else weights
        return data

    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in SCHEME_SETTING_FIELDS}


class StaffAddForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLES)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLES)
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
            "contacts", "advocate", "alternative", "alternative_weekly", "risks", "health",
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
        self.fields["alternative"].required = False  # left empty: residential care, the usual comparison
        if not restricted:
            for name in Person.RESTRICTED_FIELDS:
                del self.fields[name]

    def clean_alternative(self) -> str:
        return self.cleaned_data.get("alternative") or Person.Alternative.RESIDENTIAL

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ImportantPlaceForm(forms.ModelForm):
    class Meta:
        model = ImportantPlace
        fields = ["name", "latitude", "longitude", "max_km"]


class SignInForm(AuthenticationForm):
    """The same answer for a wrong password, an unknown address and a locked account: it reveals nothing."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct email address and password. After 5 wrong tries an account is locked for "
            "15 minutes; your registered manager can unlock it sooner."
        ),
    }
