"""The services list as CSV and JSON: every matching row (not one page), streamed.

One exporter for both formats: ``service_rows`` turns inspections into plain rows; CSV and JSON write them.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import prefetch_related_objects
from django.http import StreamingHttpResponse

from inspections.jsonchecks import format_partial_date
from inspections.models import Inspection
from inspections.selectors import service_list_judgements

CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "service",
    "slug",
    "nation",
    "local_authorities",
    "framework",
    "date",
    "date_is",
    "status",
    "overall_rating",
    "standard_ratings",
    "url",
]


def neutralise(cell: object) -> object:
    """A spreadsheet must not run a cell as a formula: text starting with = + - @, or with a tab or carriage
    return (which some spreadsheets skip before reading a formula), gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def service_rows(inspections: Iterable[Inspection], *, base_url: str) -> Iterator[dict]:
    """One plain row per listed inspection, read in chunks so memory stays flat however many match."""
    batch: list[Inspection] = []
    for inspection in inspections:
        batch.append(inspection)
        if len(batch) == CHUNK:
            yield from _rows(batch, base_url=base_url)
            batch = []
    if batch:
        yield from _rows(batch, base_url=base_url)


def _rows(inspections: list[Inspection], *, base_url: str) -> Iterator[dict]:
    prefetch_related_objects(inspections, "areas__local_authority")
    ratings = service_list_judgements(inspections=inspections)
    for inspection in inspections:
        yield {
            "service": inspection.service.name,
            "slug": inspection.service.slug,
            "nation": inspection.service.nation,
            "local_authorities": [area.local_authority.name for area in inspection.areas.all()],
            "framework": inspection.framework.code,
            "date": _partial_date(inspection),
            "date_is": "published"
            if inspection.published_on
            else ("fieldwork" if inspection.fieldwork_start_on else None),
            "status": inspection.status,
            "overall_rating": inspection.overall_rating.name if inspection.overall_rating_id else None,
            "standard_ratings": ratings[inspection.pk],
            "url": f"{base_url}/services/{inspection.service.slug}/",
        }


def _partial_date(inspection: Inspection) -> str | None:
    """As precise as the report: "2019-03" for a month, "2015-05-11" for a day."""
    if inspection.published_on:
        return format_partial_date(inspection.published_on, inspection.published_precision)
    return format_partial_date(inspection.fieldwork_start_on, inspection.fieldwork_start_precision)


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[dict], *, filename: str) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        writer = csv.writer(Echo())
        yield writer.writerow(COLUMNS)
        for row in rows:
            row = {
                **row,
                "local_authorities": "; ".join(row["local_authorities"]),
                "standard_ratings": "; ".join(
                    f"{code}: {rating or 'not rated'}" for code, rating in row["standard_ratings"].items()
                ),
            }
            yield writer.writerow([neutralise(row[column]) for column in COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(rows: Iterator[dict], *, filename: str) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield "["
        for index, row in enumerate(rows):
            yield ("," if index else "") + "\n  " + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
