"""List pages over every inspection's findings and recommendations, to find and correct text across reports."""

from django.contrib import admin

from findings.models import Finding, Recommendation
from inspections.admin import PublishedUnlessInspector
from inspections.audit import ReadOnlyHistoryAdmin


@admin.register(Finding)
class FindingAdmin(PublishedUnlessInspector, ReadOnlyHistoryAdmin):
    list_display = ["short_text", "kind", "standard", "domain", "inspection"]
    list_filter = ["kind", "inspection__framework", "standard__code", "inspection__service"]
    list_select_related = ["standard", "domain", "inspection__service"]
    search_fields = ["text", "attribution", "inspection__service__name"]
    raw_id_fields = ["inspection"]

    @admin.display(description="Text")
    def short_text(self, finding: Finding) -> str:
        return finding.text if len(finding.text) <= 120 else finding.text[:117] + "..."


@admin.register(Recommendation)
class RecommendationAdmin(PublishedUnlessInspector, ReadOnlyHistoryAdmin):
    list_display = ["number", "addressee", "text", "inspection"]
    list_filter = ["inspection__framework", "inspection__service"]
    list_select_related = ["inspection__service"]
    search_fields = ["text", "addressee", "inspection__service__name"]
    raw_id_fields = ["inspection"]
