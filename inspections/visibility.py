"""Who may see which inspections: the one gate every page, count and export reads through.

Kept apart from ``inspections.selectors`` so that the other apps' selectors can use it without importing
each other in a circle.
"""

from django.db.models import Exists, OuterRef, QuerySet

from inspections.models import Inspection, InspectionStatus, Service
from inspections.roles import can_see_drafts


def visible_inspections(*, user) -> QuerySet[Inspection]:
    """The inspections a user may see on any page or export: published ones, and drafts for inspectors."""
    inspections = Inspection.objects.all()
    if not can_see_drafts(user):
        inspections = inspections.filter(status=InspectionStatus.PUBLISHED)
    return inspections


def visible_services(*, user) -> QuerySet[Service]:
    """The services with at least one inspection the user may see: a service whose inspections are all drafts
    is, for anyone but an inspector, as unknown as one that does not exist."""
    return Service.objects.filter(Exists(visible_inspections(user=user).filter(service=OuterRef("pk"))))


def latest_inspections(*, user) -> QuerySet[Inspection]:
    """Each service's latest visible inspection (by publication date, else fieldwork), one row per service.

    Reads the stored flags (``inspections.services.inspections_flag_latest``): for inspectors the latest of all,
    for everyone else the latest published one.
    """
    if can_see_drafts(user):
        return Inspection.objects.filter(is_latest=True)
    return Inspection.objects.filter(is_latest_published=True, status=InspectionStatus.PUBLISHED)
