"""Compare two to four services side by side, standard by standard, in their latest visible inspections."""

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratings.selectors import comparable_services, service_comparison

MIN_SERVICES, MAX_SERVICES = 2, 4
FIELD_ID = "services-1"
# At most this many unknown or repeated values are named one by one.
MAX_LISTED = 4


def compare(request: HttpRequest) -> HttpResponse:
    services = list(comparable_services(user=request.user).values_list("slug", "name"))
    chosen = [slug for slug in request.GET.getlist("services") if slug]
    errors = comparison_errors(chosen, known={slug for slug, _ in services})
    comparison = service_comparison(user=request.user, slugs=chosen) if chosen and not errors else None
    selects = [
        {"id": f"services-{n}", "label": label, "value": chosen[n - 1] if n <= len(chosen) else ""}
        for n, label in enumerate(
            ["First service", "Second service", "Third service (optional)", "Fourth service (optional)"], start=1
        )
    ]
    return render(
        request,
        "ratings/compare.html",
        {
            "services": services,
            "selects": selects,
            "comparison": comparison,
            "errors": errors,
            "nav_compare": True,
        },
        status=400 if errors else 200,
    )


def comparison_errors(chosen: list[str], *, known: set[str]) -> list[tuple[str, str]]:
    """What is wrong with the ``services`` parameter, for the GOV.UK error summary: (field id, message)."""
    counts = Counter(chosen)
    unknown = [slug for slug in counts if slug not in known]
    errors = []
    for slug in unknown[:MAX_LISTED]:
        shown = slug if len(slug) <= 60 else f"{slug[:60]}…"
        errors.append((FIELD_ID, f"Services (services): “{shown}” is not a service you can compare"))
    if len(unknown) > MAX_LISTED:
        errors.append(
            (FIELD_ID, f"Services (services): {len(unknown) - MAX_LISTED} more are not services you can compare")
        )
    for slug in [slug for slug, count in counts.items() if count > 1 and slug in known][:MAX_LISTED]:
        errors.append((FIELD_ID, f"Services (services): “{slug}” is chosen more than once"))
    if len(chosen) == 1:
        errors.append((FIELD_ID, f"Services (services): Choose at least {MIN_SERVICES} services to compare"))
    elif len(chosen) > MAX_SERVICES:
        errors.append(
            (FIELD_ID, f"Services (services): Choose no more than {MAX_SERVICES} services (you chose {len(chosen)})")
        )
    return errors
