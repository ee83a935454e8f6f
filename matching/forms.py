from django import forms
from django.utils.translation import gettext_lazy as _

from carers.models import Household, Stage
from schemes.models import Person, User

from .models import (
    NEXT_MATCH_STEPS,
    SESSION_HOURS,
    Arrangement,
    ArrangementType,
    FeeBand,
    FeeRates,
    Incident,
    Match,
    MatchStatus,
    Referral,
    Visit,
)

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
        steps = [s for s in NEXT_MATCH_STEPS.get(current, []) if s != MatchStatus.STARTED] + [MatchStatus.ENDED]
        self.fields["status"].choices = [(s, MatchStatus(s).label if s != MatchStatus.ENDED else _("End the match"))
                                         for s in steps]  # fmt: skip


# --- Arrangements, bookings, visits, incidents, money --------------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AGREEMENT_FIELDS = ["carer_agreement_on", "arrangement_agreement_on", "licence_on"]


class ArrangementForm(forms.ModelForm):
    """Start an arrangement. From an agreed match the person and household are fixed (not in the form at all)."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    household = forms.ModelChoiceField(label=_("Carer household"), queryset=Household.objects.none())
    fee_band = forms.ModelChoiceField(
        label=_("Fee band"), queryset=FeeBand.objects.none(), required=False,
        help_text=_("Needed for live-in arrangements (long-term, step-down, emergency, interim)."),
    )  # fmt: skip

    class Meta:
        model = Arrangement
        fields = ["person", "household", "type", "starts_on", "planned_end_on", "funder", "fee_band", "weekly_rent",
                  "weekly_contribution", *AGREEMENT_FIELDS]  # fmt: skip
        widgets = {name: DATE for name in ["starts_on", "planned_end_on", *AGREEMENT_FIELDS]}
        help_texts = {"planned_end_on": _("Needed for step-down, emergency and interim arrangements.")}

    def __init__(self, *args, match: Match | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_band"].queryset = FeeBand.objects.all()
        if match is not None:
            del self.fields["person"], self.fields["household"]
        else:
            self.fields["person"].queryset = Person.objects.exclude(status=Person.Status.ENDED)
            self.fields["household"].queryset = Household.objects.filter(stage=Stage.APPROVED).order_by("name")

    def _post_clean(self):
        # The service validates the whole arrangement (with the person, household and scheme it sets) once.
        pass


class ArrangementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Last day of support"), widget=DATE,
                               help_text=_("The place is free from the next day."))  # fmt: skip
    reason = forms.ChoiceField(label=_("Why it ended"), choices=Arrangement.EndReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class BookingForm(forms.Form):
    """A short break (arrive, leave, full days) or a day session (day and length), by the arrangement's type."""

    starts_on = forms.DateField(label=_("Arrives"), widget=DATE)
    ends_on = forms.DateField(label=_("Leaves"), widget=DATE)
    full_days = forms.IntegerField(label=_("Full 24-hour days (supplement)"), min_value=0, max_value=60, initial=0)
    session_hours = forms.TypedChoiceField(
        label=_("Session length"), coerce=int, choices=[(h, _("%(h)s hours") % {"h": h}) for h in SESSION_HOURS]
    )
    introductory = forms.BooleanField(label=_("Introductory visit or stay (paid at the introductory rate)"),
                                      required=False)  # fmt: skip

    def __init__(self, *args, arrangement: Arrangement, **kwargs):
        super().__init__(*args, **kwargs)
        if arrangement.type == ArrangementType.DAY_SUPPORT:
            self.fields["starts_on"].label = _("Day of the session")
            del self.fields["ends_on"], self.fields["full_days"]
        else:
            del self.fields["session_hours"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class UnavailabilityForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (inclusive)"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class VisitForm(forms.Form):
    done_on = forms.DateField(label=_("Date it took place"), widget=DATE)
    person_view = forms.CharField(label=_("What the person said"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    carer_view = forms.CharField(label=_("What the carer said"), required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Visit.Outcome.choices)
    next_due_on = forms.DateField(label=_("Next review due"), required=False, widget=DATE,
                                  help_text=_("Leave empty for the scheme's usual interval."))  # fmt: skip

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        if visit.kind != Visit.Kind.REVIEW:
            del self.fields["outcome"], self.fields["next_due_on"]


class IncidentForm(forms.ModelForm):
    arrangement = forms.ModelChoiceField(label=_("Arrangement"), queryset=Arrangement.objects.none())

    class Meta:
        model = Incident
        fields = ["arrangement", "occurred_at", "category", "severity", "what_happened", "who_was_involved",
                  "immediate_action", "safeguarding_referral", "safeguarding_reference", "regulator_notifiable",
                  "regulator_notified_on"]  # fmt: skip
        widgets = {
            "occurred_at": DATETIME,
            "regulator_notified_on": DATE,
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "who_was_involved": forms.Textarea(attrs={"rows": 2}),
            "immediate_action": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].queryset = Arrangement.objects.select_related("person", "household").order_by(
            "person__family_name", "pk"
        )
        if self.instance.pk:
            del self.fields["arrangement"]

    def _post_clean(self):
        pass  # validated once, by the service


class IncidentActionForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Who does it"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("By when"), widget=DATE)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)


class IncidentCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    note = forms.CharField(label=_("How it was resolved"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FeeBandForm(forms.ModelForm):
    class Meta:
        model = FeeBand
        fields = ["name", "weekly_rate"]


class FeeRatesForm(forms.ModelForm):
    class Meta:
        model = FeeRates
        fields = ["short_break_night", "full_day_supplement", "day_4_hours", "day_6_hours", "day_8_hours",
                  "introductory", "mileage"]  # fmt: skip


class PaymentMonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"},
                            format="%Y-%m"))  # fmt: skip
