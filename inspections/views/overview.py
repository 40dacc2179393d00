"""The national overview: how many services and inspections, how they were rated, the latest publications."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratings.selectors import ratings_overview


def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/overview.html",
        {"overview": ratings_overview(user=request.user), "nav_overview": True},
    )
