"""Reading a published report's text into a draft inspection document (issue 4).

`import_report_text` is the one entry point: the command (`manage.py import_report`) and the admin's upload both
call it, after `reading.report_text_from_bytes` has turned a file (text or PDF) into text. It detects the format,
hands the text to that format's parser (`formats/`), makes the document a draft, and checks it with the loader's
own `document_check`: what the check finds becomes listed problems, never a crash, so an inspector sees every gap
at once.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

from django.utils.text import slugify

from inspections.importing.detect import ReportFormat, report_format
from inspections.importing.errors import ImportUnreadable
from inspections.importing.result import ImportResult, Problem
from inspections.importing.text import ReportText

__all__ = ["ImportResult", "ImportUnreadable", "Progress", "import_report_text", "parser_for"]

Progress = Callable[[str, int, int], None]
"""Told `(stage, done, total)` as a long import goes: the command draws it on a terminal."""

STAGES = ["detecting the format", "reading the report", "checking the draft"]


def import_report_text(
    raw_text: str,
    service_slug: str | None = None,
    progress: Progress | None = None,
    *,
    nation: str | None = None,
    catalogues: dict | None = None,
) -> ImportResult:
    """The draft document read from a report's text, where each value came from, and what could not be read.

    `service_slug` replaces the slug the parser made from the report's area name (`--service`), for a service
    stored under another slug. Reports rarely say which nation they are in: `nation` is the inspector's answer
    (`--nation`); without it, a service already stored under the slug gives its own (the loader refuses any
    other). `catalogues` (the framework catalogues) is read from the database when not given.
    Raises ImportUnreadable when the text is not a report in one of the three formats.
    """
    if service_slug is not None and slugify(service_slug) != service_slug:
        raise ValueError(f"{service_slug!r} is not a service slug (lower-case letters, digits and hyphens)")
    if nation is not None:
        from inspections.models import Nation  # here: the parsers import this package without the app registry

        if nation not in Nation.values:
            raise ValueError(f"{nation!r} is not a nation ({' or '.join(Nation.values)})")
    _tell(progress, 0)
    text = ReportText(raw_text)
    found = report_format(text)
    _tell(progress, 1)
    result = parser_for(found).parse(text)
    document = result.document
    document["status"] = "draft"
    service = document.get("service")
    if isinstance(service, dict):
        if service_slug is not None:
            service["slug"] = service_slug
        if service.get("nation") is None:
            service["nation"] = nation or _stored_nation(service.get("slug"))
            if service["nation"] is not None:
                result.problems = [problem for problem in result.problems if problem.field != "service/nation"]
        elif nation is not None and nation != service["nation"]:
            result.missing("service/nation", f"the report says {service['nation']}, not {nation} as given: check it")
    _tell(progress, 2)
    result.problems.extend(check_problems(document, catalogues=catalogues))
    _tell(progress, 3)
    return result


def parser_for(found: ReportFormat):
    """The format's parser module (each has `parse(text: ReportText) -> ImportResult`)."""
    return importlib.import_module(f"inspections.importing.formats.{found.module}")


def _stored_nation(slug: Any) -> str | None:
    from inspections.models import Service

    if not isinstance(slug, str):
        return None
    return Service.objects.filter(slug=slug).values_list("nation", flat=True).first()


def check_problems(document: dict[str, Any], *, catalogues: dict | None = None) -> list[Problem]:
    """What the loader's `document_check` would refuse in the draft, as problems with the importer's field paths."""
    # Imported here: the document check reads the framework catalogues, which need the app registry.
    from inspections.documents import document_check
    from inspections.jsonchecks import DocumentInvalid
    from ratings.selectors import framework_catalogues

    try:
        document_check(document, source="draft", catalogues=catalogues or framework_catalogues())
    except DocumentInvalid as invalid:
        return [Problem(field_path(document, path), message) for path, message in invalid.problems]
    return []


_JSON_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")
_NATURAL_KEYS = {"judgements": "code", "key_questions": "code", "recommendations": "number", "key_facts": "measure"}


def field_path(document: dict[str, Any], json_path: str) -> str:
    """`$.judgements[3].rating` as the importer names it, `judgements/2.1/rating` (items by their natural key)."""
    parts: list[str] = []
    node: Any = document
    for name, index in _JSON_STEP.findall(json_path):
        if name:
            parts.append(name)
            node = node.get(name) if isinstance(node, dict) else None
            continue
        position = int(index)
        item = node[position] if isinstance(node, list) and position < len(node) else None
        key = _NATURAL_KEYS.get(parts[-1]) if parts else None
        natural = item.get(key) if key and isinstance(item, dict) else None
        parts.append(str(natural) if natural is not None else str(position))
        node = item
    return "/".join(parts) or "document"


def _tell(progress: Progress | None, done: int) -> None:
    if progress is not None:
        progress(STAGES[min(done, len(STAGES) - 1)], done, len(STAGES))
