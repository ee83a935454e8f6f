from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Person, Scheme
from .permissions import Role
from .services import SCHEME_SETTING_FIELDS


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


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["given_name", "family_name", "preferred_name", "date_of_birth", "status", "what_matters"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "what_matters": forms.Textarea(attrs={"rows": 4}),
        }
