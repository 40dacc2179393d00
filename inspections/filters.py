"""The one definition of the services list's filters, shared by the HTML page and its CSV and JSON exports.

Every filter is a GET parameter, so a filtered list is a shareable URL:
``/services/?standard=2.1&standard_rating=Inadequate&nation=Wales&sort=-date``.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from inspections.models import Inspection, InspectionArea, Nation, inspection_date
from ratings.models import Framework, Grade, Judgement, Standard

MAX_TEXT = 200
SORTS = {
    "name": ("service__name", "Service name (A to Z)"),
    "-name": ("-service__name", "Service name (Z to A)"),
    "-date": ("-date", "Most recent first"),
    "date": ("date", "Oldest first"),
    "rating": ("-overall_rating__points", "Best overall rating first"),
    "-rating": ("overall_rating__points", "Worst overall rating first"),
}


def grade_choices() -> list[tuple[str, str]]:
    names = Grade.objects.order_by("scale__name", "-points").values_list("name", flat=True)
    return [(name, name) for name in dict.fromkeys(names)]


def standard_choices() -> list[tuple[str, str]]:
    rows = Standard.objects.select_related("framework").order_by("framework__in_force_from", "position")
    choices: dict[str, str] = {}
    for standard in rows:
        choices.setdefault(standard.code, f"{standard.code} {standard.name} ({standard.framework.name})")
    return list(choices.items())


class ServiceFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("standard_rating") and not data.get("standard"):
            self.add_error("standard", "Choose the standard that the standard rating is for")
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "Published to must be the same year as published from or later")
        return data


class ServiceFilter(django_filters.FilterSet):
    """Filters over each service's latest visible inspection (``inspections.selectors.latest_inspections``)."""

    q = django_filters.CharFilter(
        label="Service or local authority",
        method="filter_text",
        max_length=MAX_TEXT,
    )
    rating = django_filters.MultipleChoiceFilter(
        label="Latest overall rating",
        field_name="overall_rating__name",
        choices=grade_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    standard = django_filters.ChoiceFilter(label="Standard", choices=standard_choices, method="filter_standard")
    standard_rating = django_filters.ChoiceFilter(
        label="Rating of that standard", choices=grade_choices, method="filter_standard"
    )
    framework = django_filters.ModelChoiceFilter(
        label="Framework",
        field_name="framework",
        queryset=Framework.objects.all(),
        to_field_name="code",
        empty_label="Any framework",
    )
    nation = django_filters.ChoiceFilter(label="Nation", field_name="service__nation", choices=Nation.choices)
    published_from = django_filters.NumberFilter(
        label="Published from (year)", field_name="year", lookup_expr="gte", min_value=2000, max_value=2100
    )
    published_to = django_filters.NumberFilter(
        label="Published to (year)", field_name="year", lookup_expr="lte", min_value=2000, max_value=2100
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (_, label) in SORTS.items()],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Inspection
        fields: list[str] = []
        form = ServiceFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        queryset = queryset.annotate(date=inspection_date(), year=ExtractYear(inspection_date()))
        super().__init__(data, queryset, **kwargs)
        # Read the choice lists once per request, not each time the form validates or renders them.
        grades = grade_choices()
        self.filters["rating"].extra["choices"] = grades
        self.filters["standard_rating"].extra["choices"] = grades
        self.filters["standard"].extra["choices"] = standard_choices()

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        covers = InspectionArea.objects.filter(inspection=OuterRef("pk"), local_authority__name__icontains=value)
        return queryset.filter(Q(service__name__icontains=value) | Q(service_name__icontains=value) | Exists(covers))

    def filter_standard(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Both parameters go into one condition: the same judgement must have that standard and that rating.
        if name == "standard_rating":
            return queryset
        judgements = Judgement.objects.filter(inspection=OuterRef("pk"), standard__code=value)
        rating = self.form.cleaned_data.get("standard_rating")
        if rating:
            judgements = judgements.filter(rating__name=rating)
        return queryset.filter(Exists(judgements))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(SORTS[value][0], "service__name")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("service__name")
        return queryset
