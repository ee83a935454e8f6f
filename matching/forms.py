from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Person

from .models import NEXT_MATCH_STEPS, MatchStatus, Referral

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferralForm(forms.ModelForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    class Meta:
        model = Referral
        fields = ["person", "source", "referrer_name", "referred_on", "funding", "support_type", "wanted_from",
                  "urgency", "notes"]  # fmt: skip
        widgets = {"referred_on": DATE, "wanted_from": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(status=Person.Status.ENDED)


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=[
        (Referral.Status.ASSESSING, Referral.Status.ASSESSING.label),
        (Referral.Status.MATCHING, Referral.Status.MATCHING.label),
        (Referral.Status.CLOSED, _("Closed")),
    ])  # fmt: skip
    reason = forms.CharField(
        label=_("Reason (needed to close)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposeForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=2000)


class MatchStepForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"))
    on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    person_view = forms.CharField(
        label=_("What the person said"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    carer_view = forms.CharField(
        label=_("What the carer said"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        steps = [*NEXT_MATCH_STEPS.get(current, []), MatchStatus.ENDED]
        self.fields["status"].choices = [(s, MatchStatus(s).label if s != MatchStatus.ENDED else _("End the match"))
                                         for s in steps]  # fmt: skip
