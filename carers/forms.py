from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Person, User
from schemes.vocabulary import Need, SupportType

from .models import CarerReview, Household, Member, Panel, PanelItem, Stage
from .rules import CheckKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnquiryForm(forms.ModelForm):
    note = forms.CharField(
        label=_("What they told us"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Household
        fields = ["name", "email", "phone", "postcode", "area", "enquiry_on", "source", "worker"]
        widgets = {"enquiry_on": DATE}

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "name", "email", "phone", "address", "postcode", "area", "latitude", "longitude", "worker",
            "pets", "has_dogs", "has_cats", "smokers", "spare_bedrooms", "step_free", "ground_floor_bedroom",
            "wheelchair_accessible", "has_gas", "rented_or_mortgaged", "new_to_care", "dbs_update_service",
            "languages", "faith", "interests", "skills",
        ]  # fmt: skip
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "interests": forms.Textarea(attrs={"rows": 3}),
                   "skills": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["full_name", "date_of_birth", "is_carer", "relationship"]
        widgets = {"date_of_birth": DATE}


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=CheckKind.choices)
    member = forms.ModelChoiceField(
        label=_("Whose (leave empty for the household's papers)"), queryset=Member.objects.none(), required=False
    )
    done_on = forms.DateField(label=_("Date done or issued"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=DATE, required=False, help_text=_("Leave empty to use the usual period.")
    )
    is_clear = forms.BooleanField(label=_("Clear / satisfactory"), required=False, initial=True)
    reference = forms.CharField(label=_("Certificate number or referee"), max_length=150, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF or a photo of the certificate, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/heic"}),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(Stage.WITHDRAWN, Stage.WITHDRAWN.label), (Stage.CLOSED, Stage.CLOSED.label)]
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class PanelForm(forms.Form):
    meets_on = forms.DateField(label=_("Meets on"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label=_("Panel members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, panel_members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = panel_members


class AgendaForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none())
    assessment_report = forms.CharField(
        label=_("Assessment report"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


def recommendation_choices(purpose: str) -> list[tuple[str, str]]:
    wanted = ("approve", "decline") if purpose == PanelItem.Purpose.APPROVAL else ("deapprove", "continue")
    return [(value, label) for value, label in PanelItem.Recommendation.choices if value in wanted]


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=PanelItem.Recommendation.choices)
    minutes = forms.CharField(label=_("Minutes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, purpose=PanelItem.Purpose.APPROVAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = recommendation_choices(purpose)


class TermsFields(forms.Form):
    """The approval terms, shared by the approval decision and a later variation."""

    support_types = forms.MultipleChoiceField(
        label=_("Approved for"), choices=SupportType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    max_people = forms.IntegerField(label=_("Most people at once"), min_value=1, max_value=3, required=False)
    named_person = forms.ModelChoiceField(
        label=_("Only for this person (optional)"), queryset=Person.objects.none(), required=False
    )
    probation_ends_on = forms.DateField(label=_("Probation ends (optional)"), widget=DATE, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_person"].queryset = people

    def terms(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("support_types", "needs", "max_people", "named_person", "probation_ends_on")}


class DecisionForm(TermsFields):
    decision = forms.ChoiceField(label=_("Decision"), choices=PanelItem.Recommendation.choices)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["decision", "reason"]

    def __init__(self, *args, purpose=PanelItem.Purpose.APPROVAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = recommendation_choices(purpose)
        if purpose != PanelItem.Purpose.APPROVAL:
            for name in ("support_types", "needs", "max_people", "named_person", "probation_ends_on"):
                del self.fields[name]


class TermsVaryForm(TermsFields):
    reason = forms.CharField(label=_("Why the terms change"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("From"), widget=DATE)


class DeapprovalReferralForm(forms.Form):
    panel = forms.ModelChoiceField(label=_("Panel"), queryset=Panel.objects.none())
    assessment_report = forms.CharField(
        label=_("Report for the panel"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, panels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class AppealForm(forms.Form):
    lodged_on = forms.DateField(label=_("Appeal lodged on"), widget=DATE)
    outcome = forms.CharField(
        label=_("Outcome (if known)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CarerReviewForm(forms.ModelForm):
    next_review_on = forms.DateField(
        label=_("Next review due"), widget=DATE, required=False, help_text=_("Leave empty for 12 months from now.")
    )

    class Meta:
        model = CarerReview
        fields = ["reviewed_on", "people_views", "carer_views", "summary", "outcome", "next_review_on"]
        widgets = {"reviewed_on": DATE, **{f: forms.Textarea(attrs={"rows": 3}) for f in
                   ("people_views", "carer_views", "summary")}}  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicEnquiryForm(forms.Form):
    """The public 'become a Shared Lives carer' form. `website` is a trap for robots: people never see it."""

    name = forms.CharField(label=_("Your name (and anyone applying with you)"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    phone = forms.CharField(label=_("Phone number (optional)"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    message = forms.CharField(
        label=_("Tell us a little about yourself (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("The carer's own email address"))


class UploadAcceptForm(forms.Form):
    done_on = forms.DateField(label=_("Date on the document (issued or done)"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip
    expires_on = forms.DateField(label=_("Expires on (leave empty for the usual period)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip
    reference = forms.CharField(label=_("Reference or certificate number (optional)"), max_length=100, required=False)
