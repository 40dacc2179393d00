"""The services list as CSV and JSON: every matching row (not one page), streamed.

One exporter for both formats: ``service_rows`` turns inspections into plain rows; CSV and JSON write them.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse

from inspections.jsonchecks import format_partial_date
from inspections.models import Inspection

CHUNK = 500  # rows fetched at a time from the database's cursor
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


# Each row's local authorities and standard ratings come with the row, joined into one text by the database
# (fields apart by RECORD, a code apart from its rating by UNIT: control characters no name contains), so an
# export of any size is one query, streamed, and never holds more than a chunk of rows.
RECORD, UNIT = "\x1e", "\x1f"
AREAS_SQL = {
    "postgresql": """(SELECT STRING_AGG(la.name, chr(30) ORDER BY a.position, a.id)
        FROM inspections_inspectionarea a JOIN inspections_localauthority la ON la.id = a.local_authority_id
        WHERE a.inspection_id = inspections_inspection.id)""",
    # SQLite before 3.44 has no ORDER BY inside an aggregate; it concatenates an ordered subquery in order.
    "sqlite": """(SELECT GROUP_CONCAT(name, char(30)) FROM (
        SELECT la.name AS name FROM inspections_inspectionarea a
        JOIN inspections_localauthority la ON la.id = a.local_authority_id
        WHERE a.inspection_id = inspections_inspection.id ORDER BY a.position, a.id))""",
}
RATINGS_SQL = {
    "postgresql": """(SELECT STRING_AGG(s.code || chr(31) || COALESCE(g.name, ''), chr(30) ORDER BY s.position, s.code)
        FROM ratings_judgement j JOIN ratings_standard s ON s.id = j.standard_id
        LEFT JOIN ratings_grade g ON g.id = j.rating_id
        WHERE j.inspection_id = inspections_inspection.id)""",
    "sqlite": """(SELECT GROUP_CONCAT(pair, char(30)) FROM (
        SELECT s.code || char(31) || COALESCE(g.name, '') AS pair FROM ratings_judgement j
        JOIN ratings_standard s ON s.id = j.standard_id LEFT JOIN ratings_grade g ON g.id = j.rating_id
        WHERE j.inspection_id = inspections_inspection.id ORDER BY s.position, s.code))""",
}


# The columns an export reads: plain values, not model instances (four per row), for speed at national scale.
EXPORT_VALUES = (
    "service__name",
    "service__slug",
    "service__nation",
    "framework__code",
    "published_on",
    "published_precision",
    "fieldwork_start_on",
    "fieldwork_start_precision",
    "status",
    "overall_rating__name",
    "export_areas",
    "export_ratings",
)


def export_queryset(inspections: QuerySet[Inspection]) -> QuerySet:
    """The listed inspections as ``EXPORT_VALUES`` rows, their authorities and standard ratings joined in, for
    ``service_rows``."""
    vendor = connection.vendor
    return inspections.annotate(
        export_areas=RawSQL(AREAS_SQL[vendor], []), export_ratings=RawSQL(RATINGS_SQL[vendor], [])
    ).values(*EXPORT_VALUES)


def service_rows(rows: Iterable[dict], *, base_url: str) -> Iterator[dict]:
    """One plain row per listed inspection (from ``export_queryset``, iterated in chunks: memory stays flat)."""
    for row in rows:
        ratings = {}
        for pair in row["export_ratings"].split(RECORD) if row["export_ratings"] else []:
            code, _, rating = pair.partition(UNIT)
            ratings[code] = rating or None
        slug = row["service__slug"]
        yield {
            "service": row["service__name"],
            "slug": slug,
            "nation": row["service__nation"],
            "local_authorities": row["export_areas"].split(RECORD) if row["export_areas"] else [],
            "framework": row["framework__code"],
            "date": _partial_date(row),
            "date_is": "published" if row["published_on"] else ("fieldwork" if row["fieldwork_start_on"] else None),
            "status": row["status"],
            "overall_rating": row["overall_rating__name"],
            "standard_ratings": ratings,
            "url": f"{base_url}/services/{slug}/",
        }


def _partial_date(row: dict) -> str | None:
    """As precise as the report: "2019-03" for a month, "2015-05-11" for a day."""
    if row["published_on"]:
        return format_partial_date(row["published_on"], row["published_precision"])
    return format_partial_date(row["fieldwork_start_on"], row["fieldwork_start_precision"])


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
