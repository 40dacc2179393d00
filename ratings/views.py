"""Compare two to four services side by side, standard by standard, in their latest visible inspections."""

from collections import Counter
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ratings.selectors import ServiceLookup, comparable_services_lookup, service_comparison

MIN_SERVICES, MAX_SERVICES = 2, 4
FIELD_ID = "services-1"
# At most this many unknown or repeated values are named one by one.
MAX_LISTED = 4
# A value echoed in a message is cut to this many characters.
MAX_SHOWN = 60
LABELS = ["First service", "Second service", "Third service (optional)", "Fourth service (optional)"]


def compare(request: HttpRequest) -> HttpResponse:
    """Each ``services`` value is a slug or a service's name (or part of it); names are answered with a redirect
    to the same comparison by slugs, so the address of a comparison is always the same."""
    chosen = [text.strip() for text in request.GET.getlist("services")]
    chosen = [text for text in chosen if text]
    lookups = comparable_services_lookup(user=request.user, texts=chosen, names_at_most=MAX_SERVICES)
    errors = comparison_errors(chosen, lookups=lookups)
    if not errors and not all(lookups[text].by_slug for text in chosen):
        query = urlencode([("services", lookups[text].service.slug) for text in chosen])
        return redirect(f"{reverse('compare')}?{query}")
    comparison = (
        service_comparison(user=request.user, slugs=[lookups[text].service.slug for text in chosen])
        if chosen and not errors
        else None
    )
    inputs = []
    for number, label in enumerate(LABELS, start=1):
        lookup = lookups[chosen[number - 1]] if number <= len(chosen) else None
        inputs.append(
            {
                "id": f"services-{number}",
                "label": label,
                "value": "" if lookup is None else lookup.service.shown if lookup.service else lookup.text,
                "error": lookup is not None and lookup.service is None,
            }
        )
    return render(
        request,
        "ratings/compare.html",
        {"inputs": inputs, "comparison": comparison, "errors": errors, "nav_compare": True},
        status=400 if errors else 200,
    )


def shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}…"


def comparison_errors(chosen: list[str], *, lookups: dict[str, ServiceLookup]) -> list[tuple[str, str]]:
    """What is wrong with the ``services`` parameter, for the GOV.UK error summary: (field id, message).

    Only the first ``MAX_SERVICES`` distinct values are looked up by name (``comparable_services_lookup``); a later
    value that is not a slug is only counted among those that are not services one can compare.
    """
    distinct = list(dict.fromkeys(chosen))
    named, later = distinct[:MAX_SERVICES], distinct[MAX_SERVICES:]
    errors = []
    unknown = [text for text in named if lookups[text].matches == 0]
    for text in named:
        lookup = lookups[text]
        if lookup.matches == 0 and unknown.index(text) < MAX_LISTED:
            errors.append((FIELD_ID, f"Services (services): “{shown(text)}” is not a service you can compare"))
        elif lookup.service is None and lookup.matches > 1:
            errors.append((FIELD_ID, f"Services (services): {ambiguity(lookup)}"))
    more = max(0, len(unknown) - MAX_LISTED) + len([text for text in later if lookups[text].service is None])
    if more == 1:
        errors.append((FIELD_ID, "Services (services): 1 more is not a service you can compare"))
    elif more > 1:
        errors.append((FIELD_ID, f"Services (services): {more} more are not services you can compare"))

    # The same service twice, by the same text or by two (its slug and its name).
    texts_by_slug: dict[str, list[str]] = {}
    for text in chosen:
        if lookups[text].service is not None:
            texts_by_slug.setdefault(lookups[text].service.slug, []).append(text)
    repeated = [texts for texts in texts_by_slug.values() if len(texts) > 1]
    for texts in repeated[:MAX_LISTED]:
        service = lookups[texts[0]].service
        text = texts[0] if len(set(texts)) == 1 else service.name
        errors.append((FIELD_ID, f"Services (services): “{shown(text)}” is chosen more than once"))

    if len(chosen) == 1:
        errors.append((FIELD_ID, f"Services (services): Choose at least {MIN_SERVICES} services to compare"))
    elif len(chosen) > MAX_SERVICES:
        errors.append(
            (FIELD_ID, f"Services (services): Choose no more than {MAX_SERVICES} services (you chose {len(chosen)})")
        )
    return errors


def ambiguity(lookup: ServiceLookup) -> str:
    """The message for a value several services match: how many, and the first few names (with its slug, a name
    that two of them share), as in “bay” matches 12 services: A, B, C, D, E, …; type more of the name or its slug."""
    names = Counter(match.name.casefold() for match in lookup.examples)
    listed = ", ".join(
        f"{match.name} ({match.slug})" if names[match.name.casefold()] > 1 else match.name for match in lookup.examples
    )
    if lookup.matches > len(lookup.examples):
        listed += ", …"
    return f"“{shown(lookup.text)}” matches {lookup.matches} services: {listed}; type more of the name or its slug"
