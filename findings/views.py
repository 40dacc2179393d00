"""Search the findings and recommendations of every inspection the user may see."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from findings import selectors
from findings.forms import FindingSearchForm
from findings.selectors import finding_matches, finding_search_choices, finding_search_results, search_is_full_text

PAGE_SIZE = 20


def finding_search(request: HttpRequest) -> HttpResponse:
    choices = finding_search_choices()
    form = FindingSearchForm(request.GET, choices=choices, user=request.user)
    context = {"form": form, "full_text": search_is_full_text(), "nav_findings": True}
    if not form.is_valid():
        return render(request, "findings/search.html", {**context, "errors": form.error_list()}, status=400)

    filters = {name: form.cleaned_data[name] for name in ("q", "kind", "standard", "rating", "service")}
    rows = finding_matches(user=request.user, **filters, choices=choices)
    page = Paginator(rows, PAGE_SIZE).get_page(form.cleaned_data["page"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "findings/search.html",
        {
            **context,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "results": finding_search_results(rows=page.object_list, q=filters["q"]),
            "querystring_without_page": query.urlencode(),
            "searched": any(filters.values()),
            "max_matches": selectors.MAX_MATCHES if page.paginator.count >= selectors.MAX_MATCHES else None,
        },
    )
