"""Public pages about services and inspections: thin views that parse the request, call selectors, render."""

from inspections.views.overview import overview
from inspections.views.scorecard import inspection_detail, service_scorecard
from inspections.views.services import service_list

__all__ = ["inspection_detail", "overview", "service_list", "service_scorecard"]
