import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schemes.filters import FilterForm
from schemes.vocabulary import SupportType

from .models import Household, Stage
from .selectors import with_compliance_problem


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or postcode"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    worker = django_filters.ModelChoiceFilter(label=_("Worker"), queryset=None, empty_label=_("Anyone"))
    area = django_filters.CharFilter(label=_("Area"), lookup_expr="icontains")
    support_type = django_filters.ChoiceFilter(
        label=_("Approved for"), choices=SupportType.choices, method="approved_for", empty_label=_("Any support")
    )

    compliance = django_filters.ChoiceFilter(
        label=_("Checks"),
        choices=[
            ("expired", _("Something expired or not clear")),
            ("expiring", _("Something expiring within 60 days")),
        ],
        method="compliance_problem",
        empty_label=_("Any"),
    )

    class Meta:
        model = Household
        fields = ["q", "stage", "worker", "area", "support_type", "compliance"]
        form = FilterForm

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["worker"].queryset = workers

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(postcode__istartswith=value.replace(" ", "")[:4]))

    def approved_for(self, queryset, name, value):
        # JSON containment is not portable to SQLite; the terms list is short, so match its text form.
        return queryset.filter(terms_support_types__icontains=f'"{value}"')

    def compliance_problem(self, queryset, name, value):
        return with_compliance_problem(queryset, problem=value, today=timezone.localdate())
