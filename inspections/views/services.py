"""The services list for analysts: filter by rating, standard, framework, nation and year; export what you see."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.exports import CHUNK, csv_response, export_queryset, json_response, service_rows
from inspections.selectors import service_filter, service_list_page

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
    page = service_list_page(filterset=filterset, number=request.GET.get("page")) if valid else None
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
