"""Portal forms: few fields, big controls, plain words. Fields a carer must not set (household, scheme, status,
amounts) are simply not on them, so extra POST fields are ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Incident
from schemes.models import User

from .selectors import RENEWABLE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# What a carer is likely to report; staff can re-categorise.
CONCERN_CATEGORIES = [Incident.Category.ACCIDENT, Incident.Category.HEALTH, Incident.Category.MEDICATION,
                      Incident.Category.BEHAVIOUR, Incident.Category.MISSING, Incident.Category.SAFEGUARDING,
                      Incident.Category.COMPLAINT]  # fmt: skip


class AwayForm(forms.Form):
    starts_on = forms.DateField(label=_("First day you cannot have anyone"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day (the same day for one day)"), widget=DATE)
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why can you not take this booking?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class TimesheetForm(forms.Form):
    miles = forms.DecimalField(label=_("Miles you drove for the person (0 if none)"), min_value=0, max_value=2000,
                               decimal_places=1, initial=0)  # fmt: skip
    note = forms.CharField(label=_("Anything we should know (optional)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=[(k.value, k.label) for k in RENEWABLE])
    member = forms.TypedChoiceField(label=_("Whose is it?"), coerce=int, required=False, empty_value=None)
    evidence = forms.FileField(label=_("Take a photo or choose a file (PDF, JPEG, PNG or HEIC, up to 10 MB)"),
                               widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf",
                                                                      "capture": "environment"}))  # fmt: skip
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("The whole household"))] + [(m.pk, m.full_name) for m in members]


class ConcernForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Who is it about?"), coerce=int)
    category = forms.ChoiceField(label=_("What kind of thing?"),
                                 choices=[(c.value, c.label) for c in CONCERN_CATEGORIES])  # fmt: skip
    what_happened = forms.CharField(label=_("What happened?"), max_length=8000,
                                    widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    occurred_at = forms.DateTimeField(label=_("When?"), widget=DATETIME)
    immediate_action = forms.CharField(label=_("What did you do straight away? (optional)"), max_length=4000,
                                       required=False, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    urgent = forms.BooleanField(label=_("Someone is at risk now: mark it urgent"), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.display_name) for p in people]


class EmailChoiceForm(forms.Form):
    email_choice = forms.ChoiceField(label=_("Emails about reminders and messages from the scheme"),
                                     choices=User.EmailChoice.choices, widget=forms.RadioSelect)  # fmt: skip
