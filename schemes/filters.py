import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Person, User


class AuditFilter(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("Anyone")
    )
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
        fields = ["person", "user", "action", "since", "until"]

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = Person.objects.all()
        self.filters["user"].queryset = User.objects.filter(memberships__scheme=scheme).distinct()
