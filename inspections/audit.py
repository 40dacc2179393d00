"""The audit history in the admin: readable by whoever may read the record, written only by the system.

Also the inspection history page (``inspection_audit``): every change to an inspection and everything under it.

django-simple-history's admin offers a "revert" form on every historical version, and its views look records up
without the admin's own queryset. Every history admin here goes through ``ReadOnlyHistoryAdmin`` instead: history
pages answer GET only (anything else is 405), and only for records the user may see (a draft's history is as
private as the draft: 404 otherwise).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from inspections.admin_html import escape_html

READ_METHODS = ("GET", "HEAD")


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        refusal = self._history_refusal(request, object_id)
        return refusal or super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        refusal = self._history_refusal(request, object_id)
        return refusal or super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def _history_refusal(self, request: HttpRequest, object_id: str) -> HttpResponse | None:
        if request.method not in READ_METHODS:
            return HttpResponseNotAllowed(READ_METHODS)
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such record, or not one you may see.")
        return None


# The inspection history page ------------------------------------------------------------------------------------

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """One change to an inspection or to something under it, as the history page lists it."""

    when: datetime.datetime
    who: str
    record: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...]
    order: tuple = field(compare=False, repr=False)


def inspection_audit(*, inspection) -> list[AuditEntry]:
    """Every change to an inspection and to everything under it, newest first, with field-level before → after.

    Read from django-simple-history's tables, which keep rows that were deleted since: one query per table, however
    long the history. What a foreign key points at is named from the framework catalogues kept in the process
    (grades, standards, key questions, domains, frameworks) or from the row joined to the history's (a service,
    a local authority).
    """
    from findings.models import Finding, Recommendation
    from inspections.models import Inspection, InspectionArea, KeyFact
    from ratings.models import Judgement, KeyQuestionScore

    tables = [
        (Inspection, {"id": inspection.pk}),
        (InspectionArea, {"inspection_id": inspection.pk}),
        (Judgement, {"inspection_id": inspection.pk}),
        (KeyQuestionScore, {"inspection_id": inspection.pk}),
        (Recommendation, {"inspection_id": inspection.pk}),
        (Finding, {"inspection_id": inspection.pk}),
        (KeyFact, {"inspection_id": inspection.pk}),
    ]
    entries: list[AuditEntry] = []
    catalogued = _catalogue_rows()
    for model, lookup in tables:
        fields = _audited_fields(model)
        joined = [f.name for f in fields if f.is_relation and f.related_model not in catalogued]
        records = list(
            model.history.filter(**lookup)
            .select_related("history_user", *joined)
            .order_by("id", "history_date", "history_id")
        )
        names = _related_names(fields, records, catalogued)
        previous = {}
        for record in records:
            before = previous.get(record.id)
            entries.append(
                AuditEntry(
                    when=record.history_date,
                    who=record.history_user.get_username() if record.history_user else "system",
                    record=_record_label(model, record, names),
                    action=ACTIONS[record.history_type],
                    reason=record.history_change_reason or "",
                    changes=_changes(fields, before, record, names) if record.history_type != "-" else (),
                    order=(record.history_date, model._meta.model_name, record.history_id),
                )
            )
            previous[record.id] = record
    return sorted(entries, key=lambda entry: entry.order, reverse=True)


def _audited_fields(model) -> list:
    # The version counts saves (optimistic locking): every save changes it, so it says nothing. Fields the
    # history does not keep (derived ones: the latest flags, the search vector) have no before and after.
    recorded = {field.name for field in model.history.model._meta.fields}
    return [
        f for f in model._meta.concrete_fields if f.name not in ("id", "inspection", "version") and f.name in recorded
    ]


def _related_names(fields, records, catalogued: dict[type, dict]) -> dict:
    """For each foreign key, the names of the rows it points at: a framework's from the catalogues, any other from
    the rows joined to the history's (none for a row deleted since: its id is shown)."""
    names = {}
    for model_field in fields:
        if not model_field.is_relation:
            continue
        rows = catalogued.get(model_field.related_model)
        if rows is None:
            rows = {row.pk: row for record in records if (row := getattr(record, model_field.name)) is not None}
        names[model_field.attname] = {pk: _related_label(row) for pk, row in rows.items()}
    return names


def _catalogue_rows() -> dict[type, dict]:
    """Every framework with its grades, domains, standards and key questions, by model and id, from the
    catalogues kept in the process: what most of the history's foreign keys point at, with no query."""
    from ratings.selectors import framework_catalogues

    rows: dict[type, dict] = {}
    for catalogue in framework_catalogues().values():
        parts = [catalogue.grades, catalogue.domains, catalogue.standards, catalogue.key_questions]
        for row in [catalogue.framework, *(row for part in parts for row in part.values())]:
            rows.setdefault(type(row), {})[row.pk] = row
    return rows


def _related_label(row) -> str:
    code = getattr(row, "code", None)
    name = getattr(row, "name", None)
    if code and name:
        return f"{code} {name}"
    return str(row)


def _record_label(model, record, names) -> str:
    label = model._meta.verbose_name.capitalize()
    if model._meta.model_name == "inspection":
        return label
    for attname in ("standard_id", "key_question_id", "local_authority_id"):
        if attname in names and getattr(record, attname) is not None:
            return f"{label} {names[attname].get(getattr(record, attname), getattr(record, attname))}"
    for attribute in ("number", "measure", "position"):
        value = getattr(record, attribute, None)
        if value not in (None, ""):
            return f"{label} {value}"
    return f"{label} {record.id}"


def _changes(fields, before, after, names) -> tuple[FieldChange, ...]:
    changes = []
    for model_field in fields:
        old = _shown(model_field, before, names) if before is not None else ""
        new = _shown(model_field, after, names)
        if old != new:
            changes.append(FieldChange(str(model_field.verbose_name), old or "—", new or "—"))
    return tuple(changes)


def _shown(model_field, record, names) -> str:
    value = getattr(record, model_field.attname)
    if value is None or value == "" or value == []:
        return ""
    if model_field.is_relation:
        return names[model_field.attname].get(value, f"deleted ({value})")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def audit_rows_html(entries: list[AuditEntry]) -> SafeString:
    """The history table's rows, written in Python: the HTML the page's template wrote for each entry (tested to
    be the same), without a template lookup and escape for each of the thousands of values a long history has
    (Western Bay's 256 changes took 40 ms through the template). Each value escaped as the template escaped it
    (``escape_html``)."""
    months = {number: str(name) for number, name in MONTHS.items()}  # as the "date" filter's "F"
    rows = []
    for entry in entries:
        when = timezone.localtime(entry.when)
        changes = "—"
        if entry.changes:
            items = "".join(
                f"\n          <li>{escape_html(capfirst(change.field))}: {escape_html(change.before)} → "
                f"{escape_html(change.after)}</li>"
                for change in entry.changes
            )
            changes = f"<ul>{items}\n        </ul>"
        rows.append(
            "\n      <tr>"
            f"\n        <td>{when.day} {months[when.month]} {when.year:04d} {when:%H:%M:%S}</td>"
            f"\n        <td>{escape_html(entry.who)}</td>"
            f"\n        <td>{escape_html(entry.record)}</td>"
            f"\n        <td>{escape_html(entry.action)}</td>"
            f"\n        <td>{escape_html(entry.reason or '—')}</td>"
            f"\n        <td>{changes}</td>"
            "\n      </tr>"
        )
    return mark_safe("".join(rows))


def inspection_audit_view(request: HttpRequest, object_id: str, model_admin) -> HttpResponse:
    """The history page of one inspection, for whoever may read it (drafts: inspectors only)."""
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    inspection = model_admin.get_object(request, unquote(object_id))
    if inspection is None or not model_admin.has_view_permission(request, inspection):
        raise Http404("No such inspection, or not one you may see.")
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"History of {inspection}",
        "inspection": inspection,
        "rows": audit_rows_html(inspection_audit(inspection=inspection)),
        "opts": opts,
    }
    return TemplateResponse(request, "admin/inspections/inspection/audit.html", context)
