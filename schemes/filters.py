import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Person, User
from .selectors import USER_NAME_FIELDS


class FilterForm(forms.Form):
    """The form of a list's filters, styled for Bootstrap by itself and drawn by `includes/filter_fields.html`: a
    list page draws its few filters directly rather than through crispy's field templates (about a quarter of the
    carers board's time went on those). A field with a bad value is marked invalid and points at its message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden:
                style = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {style}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class AuditFilter(django_filters.FilterSet):
    # The person's own page links here with ?person=<id>; the page then says whose trail it is, with a way back to
    # everyone. Otherwise a name is searched for: a list of every person in the scheme would be hundreds long.
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That person's record is not in this scheme.")},
    )
    person_name = django_filters.CharFilter(label=_("Person's name"), method="named")
    user = django_filters.ModelChoiceFilter(
        label=_("Member of staff"), queryset=User.objects.none(), empty_label=_("Anyone")
    )
    action = django_filters.ChoiceFilter(label=_("What"), choices=AuditEvent.Action.choices, empty_label=_("Anything"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["person", "person_name", "user", "action", "since", "until"]
        form = FilterForm

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = Person.objects.all()
        staff = User.objects.filter(memberships__scheme=scheme).only(*USER_NAME_FIELDS)
        self.filters["user"].queryset = staff.distinct()

    def named(self, queryset, name, value):
        """Every word of what was typed is in the person's first, last or preferred name."""
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__given_name__icontains=word)
                | Q(person__family_name__icontains=word)
                | Q(person__preferred_name__icontains=word)
            )
        return queryset

    @property
    def chosen_person(self) -> Person | None:
        """The person whose trail this is, when the page was opened from their record."""
        return self.form.cleaned_data.get("person") if self.is_bound and self.form.is_valid() else None
