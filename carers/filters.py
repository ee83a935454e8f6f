import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Household, Stage, SupportType


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or postcode"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    worker = django_filters.ModelChoiceFilter(label=_("Worker"), queryset=None, empty_label=_("Anyone"))
    area = django_filters.CharFilter(label=_("Area"), lookup_expr="icontains")
    support_type = django_filters.ChoiceFilter(
        label=_("Approved for"), choices=SupportType.choices, method="approved_for", empty_label=_("Any support")
    )

    class Meta:
        model = Household
        fields = ["q", "stage", "worker", "area", "support_type"]

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["worker"].queryset = workers

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(postcode__istartswith=value.replace(" ", "")[:4]))

    def approved_for(self, queryset, name, value):
        # JSON containment is not portable to SQLite; the terms list is short, so match its text form.
        return queryset.filter(terms_support_types__icontains=f'"{value}"')
