"""The one definition of the services list's filters, shared by the HTML page and its CSV and JSON exports.

Every filter is a GET parameter, so a filtered list is a shareable URL:
``/services/?standard=2.1&standard_rating=Inadequate&nation=Wales&sort=-date``.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from inspections.models import Inspection, InspectionArea, LocalAuthority, Nation, Service, inspection_date
from ratings.models import Judgement
from ratings.selectors import framework_choices, framework_id, grade_ids, grade_names, standard_ids, standard_labels

MAX_TEXT = 200
# Then the service's id: two services may share a name, and a list whose order depends on the query's plan would
# change between pages (the service_by_name index holds both).
BY_NAME = ("service__name", "service_id")
SORTS = {
    "name": ("service__name", "Service name (A to Z)"),
    "-name": ("-service__name", "Service name (Z to A)"),
    "-date": ("-date", "Most recent first"),
    "date": ("date", "Oldest first"),
    "rating": ("-overall_rating__points", "Best overall rating first"),
    "-rating": ("overall_rating__points", "Worst overall rating first"),
}


# The choice lists come from the framework catalogues kept in the process (ratings.selectors): no query each.
def grade_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in grade_names()]


def standard_choices() -> list[tuple[str, str]]:
    return list(standard_labels().items())


# pg_trgm indexes (inspections/migrations/0007, 0010) find a substring of three characters or more; a shorter one has
# no trigram, and the index would hand back every row.
TRIGRAM_LENGTH = 3


def inspections_matching(
    inspections: QuerySet,
    *,
    text: str,
    service_fields: tuple[str, ...] = (),
    fields: tuple[str, ...] = (),
    each_service_once: bool = False,
) -> QuerySet:
    """``inspections`` whose service's name or ``service_fields``, the name their report gave the service, one of
    their local authorities' names or one of their own ``fields`` contains ``text``, in any case.

    The services list's name search and the admin's inspection search. Three characters or more: the matching
    inspections are gathered from one indexed lookup per name (on PostgreSQL, trigram indexes on ``UPPER(name)``)
    in one UNION, rather than testing every row. Fewer: no index can find them, and gathering every inspection
    of every matching service (60,005 at national scale) cost more than testing the rows asked about in one pass:
    through each row's service (one row per service, as the services list: a page sorted by name then stops at
    its last row), or, ``each_service_once``, each service's names once for all its inspections (the admin's
    list of every inspection).
    """
    names = Q(name__icontains=text)
    for field in service_fields:
        names |= Q(**{f"{field}__icontains": text})
    services = Service.objects.filter(names).values("pk")
    areas = InspectionArea.objects.filter(local_authority__name__icontains=text).order_by()
    if len(text) < TRIGRAM_LENGTH:
        if each_service_once:
            named = Q(service_id__in=services) | Q(service_name__icontains=text)
        else:
            named = Q(service__name__icontains=text)
            for field in service_fields:
                named |= Q(**{f"service__{field}__icontains": text})
            # The report's name only where it is not the service's (the same name is tested once: most are).
            named |= ~Q(service_name=F("service__name")) & Q(service_name__icontains=text)
        for field in fields:
            named |= Q(**{f"{field}__icontains": text})
        # The authorities last: a row that matched already does not need them. Row by row, each row's own (by the
        # areas' index, so a page stops at its last row); else gathered once (PostgreSQL's estimate of a
        # row-by-row test over every inspection is high enough to compile the query, which takes longer).
        if each_service_once:
            return inspections.filter(named | Q(pk__in=areas.values("inspection_id")))
        authorities = LocalAuthority.objects.filter(name__icontains=text).values("pk")
        own_areas = InspectionArea.objects.filter(inspection=OuterRef("pk"), local_authority__in=authorities)
        return inspections.filter(named | Exists(own_areas))
    lookups = [
        Inspection.objects.filter(service_name__icontains=text),
        *(Inspection.objects.filter(**{f"{field}__icontains": text}) for field in fields),
    ]
    matching = (
        Inspection.objects.filter(service_id__in=services)
        .order_by()
        .values("pk")
        .union(*(lookup.order_by().values("pk") for lookup in lookups), areas.values("inspection_id"))
    )
    return inspections.filter(pk__in=matching)


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
        choices=grade_choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_rating",
    )
    standard = django_filters.ChoiceFilter(label="Standard", choices=standard_choices, method="filter_standard")
    standard_rating = django_filters.ChoiceFilter(
        label="Rating of that standard", choices=grade_choices, method="filter_standard"
    )
    framework = django_filters.ChoiceFilter(
        label="Framework", choices=framework_choices, empty_label="Any framework", method="filter_framework"
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
        self.filters["framework"].extra["choices"] = framework_choices()

    # Names and codes are turned into ids (from the catalogues) so that each condition is on the inspection's or
    # the judgement's own columns, which the latest rows' indexes hold: no join to the grades or standards.

    def filter_rating(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(overall_rating_id__in=grade_ids(names=value)) if value else queryset

    def filter_framework(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(framework_id=framework_id(code=value))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return inspections_matching(queryset, text=value) if value else queryset

    def filter_standard(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Both parameters go into one condition: the same judgement must have that standard and that rating.
        if name == "standard_rating":
            return queryset
        judgements = Judgement.objects.filter(inspection=OuterRef("pk"), standard_id__in=standard_ids(code=value))
        rating = self.form.cleaned_data.get("standard_rating")
        if rating:
            judgements = judgements.filter(rating_id__in=grade_ids(names=[rating]))
        return queryset.filter(Exists(judgements))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(SORTS[value][0], *BY_NAME)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*BY_NAME)
        return queryset
