"""Who may see which inspections: the one gate every page, count and export reads through.

Kept apart from ``inspections.selectors`` so that the other apps' selectors can use it without importing
each other in a circle.
"""

from django.db.models import OuterRef, QuerySet, Subquery

from inspections.models import Inspection, InspectionStatus, inspection_date
from inspections.roles import can_see_drafts


def visible_inspections(*, user) -> QuerySet[Inspection]:
    """The inspections a user may see on any page or export: published ones, and drafts for inspectors."""
    inspections = Inspection.objects.all()
    if not can_see_drafts(user):
        inspections = inspections.filter(status=InspectionStatus.PUBLISHED)
    return inspections


def latest_inspections(*, user) -> QuerySet[Inspection]:
    """Each service's latest visible inspection (by publication date, else fieldwork), one row per service."""
    visible = visible_inspections(user=user)
    latest_of_service = visible.filter(service=OuterRef("service")).order_by(
        inspection_date().desc(nulls_last=True), "-pk"
    )
    return visible.filter(pk=Subquery(latest_of_service.values("pk")[:1]))
