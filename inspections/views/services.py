"""The services list for analysts: filter by rating, standard, framework, nation and year; export what you see."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.exports import CHUNK, csv_response, export_queryset, json_response, service_rows
from inspections.models import InspectionArea
from inspections.selectors import service_filter

PAGE_SIZE = 25
FORMATS = {"csv": csv_response, "json": json_response}


def service_list(request: HttpRequest) -> HttpResponse:
    filterset = service_filter(user=request.user, params=request.GET)
    output = request.GET.get("format", "html")
    valid = filterset.is_valid() and output in {"html", *FORMATS}
    if valid and output in FORMATS:
        rows = service_rows(
            export_queryset(filterset.qs).iterator(chunk_size=CHUNK),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return FORMATS[output](rows, filename="services")

    errors = [
        (f"id_{name}", f"{filterset.form.fields[name].label}: {message}" if name in filterset.form.fields else message)
        for name, messages in filterset.errors.items()
        for message in messages
    ]
    if output not in {"html", *FORMATS}:
        errors.append(("", "Format must be csv or json"))
    page = None
    if valid:
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        # In the areas' own order: their default order joins every inspection and service only to sort.
        areas = InspectionArea.objects.select_related("local_authority").order_by("position", "pk")
        prefetch_related_objects(page.object_list, Prefetch("areas", queryset=areas))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/service_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            "errors": errors,
            "selected": selected_filters(filterset, query) if valid else [],
            "querystring_without_page": query.urlencode(),
            "nav_services": True,
        },
        status=200 if valid else 400,
    )


def selected_filters(filterset, query) -> list[dict]:
    """The chosen filters as removable tags (MoJ "filter a list"): a label, and the URL without that choice."""
    tags = []
    for name, field in filterset.form.fields.items():
        if name == "sort":
            continue
        for value in query.getlist(name):
            if not value:
                continue
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != value])
            choices = dict(getattr(field, "choices", []))
            tags.append(
                {
                    "heading": field.label,
                    "label": choices.get(value, value),
                    "remove_url": "?" + remaining.urlencode(),
                }
            )
    return tags
