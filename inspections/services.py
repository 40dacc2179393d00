"""Writes that touch several models: loading inspection documents, publishing."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from simple_history.utils import bulk_create_with_history

from findings.models import Finding, Recommendation
from inspections.documents import document_check
from inspections.jsonchecks import Checker, DocumentInvalid
from inspections.models import (
    Inspection,
    InspectionArea,
    InspectionStatus,
    KeyFact,
    LocalAuthority,
    Service,
    inspection_date,
)
from inspections.selectors import inspection_document, inspection_identified, inspections_for_export
from ratings.models import Judgement, KeyQuestionScore
from ratings.selectors import FrameworkCatalogue, framework_catalogues


@dataclass
class LoadResult:
    source: str
    inspection: Inspection
    outcome: str  # "created", "updated" or "unchanged"


class NotAJsonNumber(ValueError):
    pass


def _refuse_constant(name: str):
    # Python's json reads NaN and Infinity, which JSON does not have and no column can hold.
    raise NotAJsonNumber(f"not valid JSON: {name} is not a JSON number")


def document_read(path: Path) -> Any:
    """A file's JSON, or DocumentInvalid saying why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except NotAJsonNumber as error:
        raise DocumentInvalid(str(path), [("$", str(error))]) from None
    except FileNotFoundError:
        raise DocumentInvalid(str(path), [("$", "file not found")]) from None
    except IsADirectoryError:
        raise DocumentInvalid(str(path), [("$", "is a folder, not a file")]) from None
    except RecursionError:
        raise DocumentInvalid(str(path), [("$", "not valid JSON: nested too deeply")]) from None
    except UnicodeDecodeError as error:
        raise DocumentInvalid(str(path), [("$", f"not UTF-8 text ({error.reason} at byte {error.start})")]) from None
    except json.JSONDecodeError as error:
        raise DocumentInvalid(
            str(path),
            [("$", f"not valid JSON: {error.msg.removesuffix(' at')} at line {error.lineno} column {error.colno}")],
        ) from None


def reports_load(*, paths: list[Path], user=None, reason: str = "load_reports") -> list[LoadResult]:
    """Check every document, then load them all in one transaction; on any problem, write nothing.

    A file holds one document, or a list of them (what ``export_reports`` writes).

    Idempotent: a document identical to what is stored is left alone (no write, no history).
    Raises DocumentInvalid for the first file with problems, naming all of that file's problems.
    """
    documents = []
    for path in paths:
        data = document_read(path)
        if isinstance(data, list):  # an export: a list of documents
            documents.extend((f"{path}[{index}]", document) for index, document in enumerate(data))
        else:
            documents.append((str(path), data))
    return documents_load(documents=documents, user=user, reason=reason)


def documents_load(*, documents: list[tuple[str, Any]], user=None, reason: str = "load_reports") -> list[LoadResult]:
    """Load (source, parsed JSON) pairs atomically; see ``reports_load``."""
    catalogues = framework_catalogues()
    checked = [(source, document_check(data, source=source, catalogues=catalogues)) for source, data in documents]
    identities: dict[tuple, str] = {}
    for source, document in checked:
        identity = document_identity(document)
        if identity in identities:
            raise DocumentInvalid(source, [("$", f"describes the same inspection as {identities[identity]}")])
        identities[identity] = source
    with transaction.atomic():
        return [
            inspection_load(
                document=document,
                catalogue=catalogues[document["framework"]],
                source=source,
                user=user,
                reason=change_reason(f"{reason} {source}"),
            )
            for source, document in checked
        ]


def document_identity(document: dict) -> tuple:
    """What makes two documents the same inspection: the service, and its publication date or else fieldwork.

    Compared as stored dates, not as text: "2015-05" and "2015-05-01" are the same row.
    """
    check = Checker()
    if document["published"] is not None:
        return (document["service"]["slug"], check.partial_date(document["published"], "$")[0], None)
    start = check.partial_date(document["fieldwork_start"], "$", nullable=True)
    return (document["service"]["slug"], None, start[0] if start else None)


def inspections_publish(*, inspections: QuerySet[Inspection], user) -> int:
    """Publish the drafts among ``inspections``, all or none, each recorded in the history as "published" by user.

    Returns how many were published.
    """
    with transaction.atomic():
        # Locked, re-read rows: the admin's queryset joins nullable relations, which PostgreSQL cannot lock.
        chosen = list(inspections.values_list("pk", flat=True))
        drafts = list(Inspection.objects.filter(pk__in=chosen, status=InspectionStatus.DRAFT).select_for_update())
        for inspection in drafts:
            inspection.status = InspectionStatus.PUBLISHED
            inspection._change_reason = "published"
            inspection._history_user = user
            inspection.save(update_fields=["status"])
    return len(drafts)


def change_reason(text: str) -> str:
    """The audit history keeps a reason of at most 100 characters: keep the end, where the file name is."""
    return text if len(text) <= 100 else "…" + text[-99:]


def inspection_load(
    *, document: dict, catalogue: FrameworkCatalogue, source: str, user=None, reason: str
) -> LoadResult:
    """Create or replace one inspection from a checked, canonical document."""
    check = Checker()
    published = check.partial_date(document["published"], "$.published", nullable=True)
    start = check.partial_date(document["fieldwork_start"], "$.fieldwork_start", nullable=True)
    end = check.partial_date(document["fieldwork_end"], "$.fieldwork_end", nullable=True, month_end=True)

    service = _service_for(document["service"], source=source, reason=reason, user=user)
    inspection = inspection_identified(identity=document_identity(document))
    if inspection is not None:
        stored = inspection_document(inspection=inspections_for_export().get(pk=inspection.pk))
        if stored == document:
            return LoadResult(source=source, inspection=inspection, outcome="unchanged")
        outcome = "updated"
    else:
        inspection = Inspection(service=service)
        outcome = "created"

    cases = document["cases"]
    inspection.framework = catalogue.framework
    inspection.service_name = document["service"]["name"]
    inspection.status = document["status"]
    inspection.published_on, inspection.published_precision = published or (None, "day")
    inspection.fieldwork_start_on, inspection.fieldwork_start_precision = start or (None, "day")
    inspection.fieldwork_end_on, inspection.fieldwork_end_precision = end or (None, "day")
    inspection.lead_inspector = document["lead_inspector"] or ""
    inspection.cases_court, inspection.cases_out_of_court, inspection.cases_total = (
        cases["court"],
        cases["out_of_court"],
        cases["total"],
    )
    rating = document["overall_rating"]
    inspection.overall_rating = catalogue.grades[rating] if rating else None
    inspection.title = document["title"] or ""
    inspection.notes = document["notes"]
    _full_clean(inspection, source, "$", exclude=["service"])
    inspection._change_reason = reason
    inspection._history_user = user
    inspection.save()
    if outcome == "updated":
        for related in (
            inspection.areas,
            inspection.judgements,
            inspection.key_question_scores,
            inspection.recommendations,
            inspection.findings,
            inspection.key_facts,
        ):
            for row in related.all():
                row._change_reason = reason
                row._history_user = user
                row.delete()

    authorities = [
        _local_authority(name, reason=reason, user=user) for name in document["service"]["local_authorities"]
    ]
    rows = {
        InspectionArea: [
            InspectionArea(inspection=inspection, local_authority=authority, position=position)
            for position, authority in enumerate(authorities)
        ],
        Judgement: [
            Judgement(
                inspection=inspection,
                standard=catalogue.standards[item["code"]],
                rating=catalogue.grades[item["rating"]] if item["rating"] else None,
                score_percent=item["score_percent"],
                professional_discretion=item["professional_discretion"],
                note=item["note"] or "",
            )
            for item in document["judgements"]
        ],
        KeyQuestionScore: [
            KeyQuestionScore(
                inspection=inspection,
                key_question=catalogue.key_questions[item["code"]],
                percent_yes=item["percent_yes"],
                wording="" if item["text"] == catalogue.key_questions[item["code"]].text else item["text"],
                note=item.get("note", ""),
            )
            for item in document["key_questions"]
        ],
        Recommendation: [
            Recommendation(
                inspection=inspection,
                number=item["number"],
                addressee=item["addressee"],
                text=item["text"],
                domain=catalogue.domains[item["domain"]] if "domain" in item else None,
            )
            for item in document["recommendations"]
        ],
        Finding: [
            Finding(
                inspection=inspection,
                kind=item["kind"],
                standard=catalogue.standards.get(item["standard"]) if item["standard"] else None,
                domain=(
                    catalogue.domains.get(item["standard"])
                    if item["standard"] and item["standard"] not in catalogue.standards
                    else None
                ),
                text=item["text"],
                attribution=item.get("attribution", ""),
                position=position,
            )
            for position, item in enumerate(document["findings"])
        ],
        KeyFact: [
            KeyFact(
                inspection=inspection,
                measure=item["measure"],
                value=_decimal(item["value"]),
                unit=item["unit"],
                comparator=item["comparator"] or "",
                comparator_value=_decimal(item["comparator_value"]),
                period=item["period"] or "",
                source=item["source"] or "",
                area=item.get("area", ""),
                position=position,
            )
            for position, item in enumerate(document["key_facts"])
        ],
    }
    paths = {
        InspectionArea: "$.service.local_authorities",
        Judgement: "$.judgements",
        KeyQuestionScore: "$.key_questions",
        Recommendation: "$.recommendations",
        Finding: "$.findings",
        KeyFact: "$.key_facts",
    }
    for model, objects in rows.items():
        for index, row in enumerate(objects):
            _full_clean(row, source, f"{paths[model]}[{index}]", exclude=["inspection"])
        bulk_create_with_history(objects, model, default_user=user, default_change_reason=reason)
    _service_follow_latest(service, inspection=inspection, authorities=authorities, reason=reason, user=user)
    return LoadResult(source=source, inspection=inspection, outcome=outcome)


def _service_follow_latest(service: Service, *, inspection: Inspection, authorities, reason: str, user) -> None:
    """A service's current name and coverage are those of its latest report."""
    latest = service.inspections.order_by(inspection_date().desc(nulls_last=True), "-pk").first()
    if latest != inspection:
        return
    if service.name != inspection.service_name:
        service.name = inspection.service_name
        service._change_reason = reason
        service._history_user = user
        service.save()
    if set(service.local_authorities.all()) != set(authorities):
        service.local_authorities.set(authorities)


def _service_for(data: dict, *, source: str, reason: str, user) -> Service:
    """The service by slug, created if new."""
    service = Service.objects.filter(slug=data["slug"]).first()
    if service is None:
        service = Service(slug=data["slug"], name=data["name"], nation=data["nation"])
        service._change_reason = reason
        service._history_user = user
        service.save()
    elif service.nation != data["nation"]:
        raise DocumentInvalid(
            source, [("$.service.nation", f"service {service.slug!r} is in {service.nation}, not {data['nation']}")]
        )
    return service


def _local_authority(name: str, *, reason: str, user) -> LocalAuthority:
    authority = LocalAuthority.objects.filter(name=name).first()
    if authority is None:
        authority = LocalAuthority(name=name)
        authority._change_reason = reason
        authority._history_user = user
        authority.save()
    return authority


def _decimal(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _full_clean(instance, source: str, path: str, exclude: list[str]) -> None:
    """Model validation, reported like every other problem: file, JSON path, what is wrong."""
    try:
        # Constraints are the database's (and were checked above, with better messages): skipping their
        # per-row queries keeps a load of ~200 findings fast.
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = [
            (f"{path}.{field}" if field != "__all__" else path, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        raise DocumentInvalid(source, problems) from None


# Each service's latest inspection, and latest published one: by publication date, else fieldwork end, else
# fieldwork start, then id (as ``inspections.models.inspection_date`` orders them). Stored as flags so that lists
# of services read one indexed row per service. The migration that added the flags keeps its own copy.
LATEST_SQL = """
UPDATE inspections_inspection SET
    is_latest = id IN (
        SELECT ranked.id FROM (
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY service_id
                ORDER BY COALESCE(published_on, fieldwork_end_on, fieldwork_start_on) DESC NULLS LAST, id DESC
            ) AS n FROM inspections_inspection WHERE {services}
        ) ranked WHERE ranked.n = 1),
    is_latest_published = id IN (
        SELECT ranked.id FROM (
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY service_id
                ORDER BY COALESCE(published_on, fieldwork_end_on, fieldwork_start_on) DESC NULLS LAST, id DESC
            ) AS n FROM inspections_inspection WHERE status = 'published' AND {services}
        ) ranked WHERE ranked.n = 1)
WHERE {services}
"""


def inspections_flag_latest(*, service_ids: list[int] | None = None) -> None:
    """Set ``is_latest`` and ``is_latest_published`` on the inspections of these services (all when None)."""
    if service_ids is not None and not service_ids:
        return
    services = "TRUE" if service_ids is None else f"service_id IN ({', '.join(['%s'] * len(service_ids))})"
    params = [] if service_ids is None else [int(pk) for pk in service_ids] * 3
    with connection.cursor() as cursor:
        cursor.execute(LATEST_SQL.format(services=services), params)


def inspection_saving(sender, instance: Inspection, **kwargs) -> None:
    """Before an inspection is saved: remember the service it is stored under, in case the save moves it."""
    if kwargs.get("raw") or instance.pk is None:
        return
    instance._stored_service_id = Inspection.objects.filter(pk=instance.pk).values_list("service_id", flat=True).first()


def inspection_changed(sender, instance: Inspection, **kwargs) -> None:
    """After an inspection is saved or deleted: the latest flags of its service, and of the service it left."""
    if kwargs.get("raw"):
        return
    left = getattr(instance, "_stored_service_id", None)
    inspections_flag_latest(service_ids=sorted({instance.service_id} | ({left} if left else set())))
