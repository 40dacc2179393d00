"""A service's scorecard and one inspection's page: public, read-only, drafts only for inspectors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.selectors import inspection_report_get, service_scorecard_get


def service_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest inspection of a service at a glance, its history and what changed since the one before."""
    scorecard = service_scorecard_get(slug=slug, user=request.user)
    if scorecard is None:
        raise Http404("No service with this name has an inspection you can see.")
    return render(request, "inspections/scorecard.html", {"scorecard": scorecard, "nav_services": True})


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything one inspection holds, structured as the report is."""
    report = inspection_report_get(pk=pk, user=request.user)
    if report is None:
        raise Http404("No inspection with this number, or not one you can see.")
    return render(request, "inspections/inspection_detail.html", {"report": report, "nav_services": True})
