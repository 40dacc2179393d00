"""Writes of the admin's import workflow: keeping an upload, and saving its draft through the loader."""

from __future__ import annotations

import hashlib

from django.db import transaction

from inspections.importing.result import ImportResult
from inspections.models import Inspection, ReportImport
from inspections.services import documents_load


def report_import_create(*, file_name: str, data: bytes, text: str, result: ImportResult, user) -> ReportImport:
    """Keep what was read from an uploaded file until the inspector has reviewed it (and afterwards, for audit)."""
    return ReportImport.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        format=result.format,
        source_text=text,
        document=result.document,
        sources={path: [line.number, line.text] for path, line in result.sources.items()},
        problems=[
            {
                "field": problem.field,
                "reason": problem.reason,
                "line": problem.source.number if problem.source else None,
                "text": problem.source.text if problem.source else None,
            }
            for problem in result.problems
        ],
    )


def report_import_save(*, report_import: ReportImport, user) -> Inspection:
    """Load the draft (replacing the stored copy of the same inspection), audited as this import.

    Raises DocumentInvalid, writing nothing, when the loader refuses the draft.
    """
    with transaction.atomic():
        [loaded] = documents_load(
            documents=[(report_import.file_name, report_import.document)], user=user, reason="admin import"
        )
        report_import.inspection = loaded.inspection
        report_import.save(update_fields=["inspection"])
    return loaded.inspection
