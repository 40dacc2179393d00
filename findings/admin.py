"""List pages over every inspection's findings and recommendations, to find and correct text across reports.

At national scale these lists hold millions of rows (3.6 million findings for 10,000 services), so they count at
most ``CappedCountPaginator.cap`` rows, offer no filter listing every service (a service is typed instead), choose
a standard from the framework catalogue kept in the process, and on PostgreSQL search the text through its stored
search vector (the public search's index) instead of reading every row.
"""

from django.contrib import admin
from django.http import HttpRequest

from findings.models import Finding, Recommendation
from findings.selectors import search_is_full_text, search_query
from inspections.admin import PublishedUnlessInspector
from inspections.admin_lists import AtScaleList, CappedCountPaginator
from inspections.audit import ReadOnlyHistoryAdmin
from ratings.selectors import framework_catalogues_in_force_order


class ServiceNameFilter(admin.SimpleListFilter):
    """The rows of the services whose name contains the words typed: a list of every service's link would be
    10,000 long on every page (templates/admin/findings/service_filter.html is the text box)."""

    title = "service"
    parameter_name = "service"
    template = "admin/findings/service_filter.html"

    def lookups(self, request, model_admin):
        return []

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        # The text box's form carries the list's other parameters (a new filter starts again at the first page).
        self.other_parameters = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        # One "choice": the list without this filter.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(inspection__service__name__icontains=value) if value else queryset


class StandardFilter(admin.SimpleListFilter):
    """A standard of a framework ("2.1 Assessment, Standards 2018"): the same code means different standards in
    different frameworks. Offered from the framework catalogue kept in the process (no query)."""

    title = "standard"
    parameter_name = "standard"

    def lookups(self, request, model_admin):
        return [
            (str(standard.pk), f"{standard.code} {standard.name} ({catalogue.framework.name})")
            for catalogue in framework_catalogues_in_force_order()
            for standard in catalogue.standards.values()
        ]

    def queryset(self, request, queryset):
        # Only a value the filter offers: anything else shows the list unfiltered (as OverallRatingFilter).
        value = self.value()
        if value in {pk for pk, _ in self.lookup_choices}:
            return queryset.filter(standard_id=int(value))
        return queryset


class TextListAdmin(AtScaleList, PublishedUnlessInspector, ReadOnlyHistoryAdmin):
    """What the findings and recommendations lists share to stay fast whatever the number of rows."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50  # as the inspections list
    raw_id_fields = ["inspection"]
    search_help_text = (
        "Words of the text, as the public search reads them (every word, in any form: 'assess' finds 'assessed'). "
        "To see one service's rows, type its name under 'By service'."
    )

    def get_queryset(self, request: HttpRequest):
        # The search vector is searched, never shown: a page's rows are read without it.
        return super().get_queryset(request).defer("search_vector")

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        # On PostgreSQL from the stored search vector's GIN index; elsewhere (SQLite) Django's search of the fields.
        if not search_is_full_text() or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(search_vector=search_query(search_term)), False


@admin.register(Finding)
class FindingAdmin(TextListAdmin):
    list_display = ["short_text", "kind", "standard", "domain", "inspection"]
    list_filter = ["kind", "inspection__framework", StandardFilter, ServiceNameFilter]
    list_select_related = ["standard", "domain", "inspection__service"]
    search_fields = ["text", "attribution", "inspection__service__name"]

    @admin.display(description="Text")
    def short_text(self, finding: Finding) -> str:
        return finding.text if len(finding.text) <= 120 else finding.text[:117] + "..."


@admin.register(Recommendation)
class RecommendationAdmin(TextListAdmin):
    list_display = ["number", "addressee", "text", "inspection"]
    list_filter = ["inspection__framework", ServiceNameFilter]
    list_select_related = ["inspection__service"]
    search_fields = ["text", "addressee", "inspection__service__name"]
