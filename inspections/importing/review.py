"""What the admin's review page shows about an uploaded report (a read: no writes here).

Every value read beside the line it came from, what could not be read, whether the loader would accept the draft,
and, when the service already has this inspection, every field the draft would change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from inspections.documents import document_check
from inspections.importing import check_problems
from inspections.importing.differences import document_differences, document_fields
from inspections.jsonchecks import DocumentInvalid
from inspections.models import Inspection, ReportImport
from inspections.selectors import inspection_document, inspection_identified, inspections_for_export
from inspections.services import document_identity
from ratings.selectors import framework_catalogues


@dataclass(frozen=True)
class ValueRow:
    field: str
    value: str
    line: int
    text: str


@dataclass(frozen=True)
class ProblemRow:
    field: str
    reason: str
    line: int | None
    text: str | None


@dataclass(frozen=True)
class DifferenceRow:
    field: str
    stored: str
    imported: str


@dataclass
class ImportReview:
    report_import: ReportImport
    values: list[ValueRow]
    problems: list[ProblemRow]
    # What the loader refuses in the draft: while there is any, it cannot be saved.
    blocking: list[ProblemRow] = field(default_factory=list)
    stored: Inspection | None = None
    differences: list[DifferenceRow] = field(default_factory=list)
    # A fingerprint of the stored inspection as reviewed: a replace is confirmed only for what was shown.
    stored_version: str = ""

    @property
    def can_save(self) -> bool:
        return not self.blocking and self.report_import.inspection_id is None


def import_review(*, report_import: ReportImport) -> ImportReview:
    document = report_import.document
    fields = document_fields(document)
    values = sorted(
        (
            ValueRow(path, shown(fields.get(path)), number, text)
            for path, (number, text) in report_import.sources.items()
        ),
        key=lambda row: (row.line, row.field),
    )
    problems = [ProblemRow(**problem) for problem in report_import.problems]
    review = ImportReview(report_import=report_import, values=values, problems=problems)
    if report_import.inspection_id is not None:
        return review

    catalogues = framework_catalogues()
    refused = check_problems(document, catalogues=catalogues)
    review.blocking = [ProblemRow(problem.field, problem.reason, None, None) for problem in refused]
    if review.blocking:
        return review
    try:
        canonical = document_check(document, source=report_import.file_name, catalogues=catalogues)
    except DocumentInvalid:  # cannot happen after an empty check_problems; kept so a race cannot crash the page
        return review
    stored = inspection_identified(identity=document_identity(canonical))
    if stored is not None:
        stored_document = inspection_document(inspection=inspections_for_export().get(pk=stored.pk))
        review.stored = stored
        review.stored_version = document_version(stored_document)
        review.differences = [
            DifferenceRow(difference.field, shown(difference.stored), shown(difference.imported))
            for difference in document_differences(stored_document, canonical)
        ]
    return review


def document_version(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def shown(value: Any) -> str:
    """A value as the review page prints it: null as a dash, booleans as words, a list one item a line."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(shown(item) for item in value) or "(none)"
    return str(value)
