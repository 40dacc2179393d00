"""The admin's import workflow: upload a report, review what was read, see what would change, save a draft.

1. Upload (`…/inspection/import/`): a PDF with a text layer or the report's text. A file that cannot be read as a
   report is refused there and nothing is kept.
2. Review (`…/inspection/import/<id>/`): every value beside the source line it came from, what could not be read,
   and, when the service already has this inspection, each field the draft would change. Replacing needs an
   explicit confirmation.
3. Save: the draft goes through the loader (`inspections.services`, one transaction, audited as "admin import
   FILE" by the inspector), and the inspector lands on the inspection's page to correct it and publish it.

Only inspectors may import (`roles.can_import_reports`); uploads are kept as `ReportImport` rows, listed read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from inspections.admin_lists import DateHierarchyChecked
from inspections.importing import ImportUnreadable, import_report_text
from inspections.importing.reading import report_text_from_bytes
from inspections.importing.review import import_review
from inspections.importing.services import report_import_create, report_import_save
from inspections.jsonchecks import DocumentInvalid
from inspections.models import Inspection, Nation, ReportImport
from inspections.roles import can_import_reports, can_see_drafts

# The longest report is about 2 MB as a PDF; anything far larger is not one.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TEMPLATES = "admin/inspections/import"


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Report file", help_text="The published report: a PDF with a text layer, or its text (.txt)."
    )
    service = forms.SlugField(
        required=False,
        label="Service slug",
        help_text="Only where the service is stored under another slug than the report's area name gives "
        "(for example western-bay).",
    )
    nation = forms.ChoiceField(
        required=False,
        choices=[("", "As the report or the stored service says"), *Nation.choices],
        help_text="Most reports do not say; a new service needs it.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            megabytes = upload.size // (1024 * 1024)
            raise forms.ValidationError(
                f"{upload.name} is {megabytes} MB: a report is at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
            )
        return upload


def import_urls(admin_site: admin.AdminSite) -> list:
    """The workflow's pages, under the Inspection admin (listed before its `<object_id>/` catch-all)."""
    return [
        path(
            "import/",
            admin_site.admin_view(lambda request: report_import_upload(request, admin_site)),
            name="inspections_inspection_import",
        ),
        path(
            "import/<int:pk>/",
            admin_site.admin_view(lambda request, pk: report_import_review(request, pk, admin_site)),
            name="inspections_inspection_import_review",
        ),
    ]


def report_import_upload(request: HttpRequest, admin_site: admin.AdminSite) -> HttpResponse:
    _importers_only(request)
    form = ReportUploadForm(request.POST, request.FILES) if request.method == "POST" else ReportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            text = report_text_from_bytes(data)
            result = import_report_text(
                text, form.cleaned_data["service"] or None, nation=form.cleaned_data["nation"] or None
            )
        except ImportUnreadable as unreadable:
            form.add_error("file", f"{upload.name} cannot be imported: {unreadable}")
        else:
            report_import = report_import_create(
                file_name=upload.name, data=data, text=text, result=result, user=request.user
            )
            return redirect("admin:inspections_inspection_import_review", pk=report_import.pk)
    context = {**admin_site.each_context(request), "title": "Import a report", "form": form, "opts": _opts()}
    return TemplateResponse(request, f"{TEMPLATES}/upload.html", context)


def report_import_review(request: HttpRequest, pk: int, admin_site: admin.AdminSite) -> HttpResponse:
    _importers_only(request)
    report_import = get_object_or_404(ReportImport, pk=pk)
    review = import_review(report_import=report_import)
    error = None
    if request.method == "POST":
        if report_import.inspection_id is not None:
            messages.info(request, "This import was saved already.")
            return redirect("admin:inspections_inspection_change", report_import.inspection_id)
        if review.blocking:
            error = "The draft cannot be saved until the problems listed as blocking are corrected."
        elif review.stored is not None and request.POST.get("stored_version") != review.stored_version:
            error = "The stored inspection has changed since this page was shown: review the differences again."
        elif review.stored is not None and request.POST.get("confirm_replace") != "yes":
            error = "Tick the box to confirm that the stored inspection is to be replaced by this draft."
        else:
            try:
                inspection = report_import_save(report_import=report_import, user=request.user)
            except DocumentInvalid as invalid:
                error = f"The loader refused the draft, nothing was saved: {invalid}"
            else:
                messages.success(
                    request,
                    f"Saved {inspection} as a draft from {report_import.file_name}. Correct it here, then publish "
                    "it from the list with the action 'Publish the selected inspections'.",
                )
                return redirect("admin:inspections_inspection_change", inspection.pk)
    context = {
        **admin_site.each_context(request),
        "title": f"Review the import of {report_import.file_name}",
        "review": review,
        "report_import": report_import,
        "error": error,
        "opts": _opts(),
    }
    return TemplateResponse(request, f"{TEMPLATES}/review.html", context, status=400 if error else 200)


def _importers_only(request: HttpRequest) -> None:
    if not can_import_reports(request.user):
        raise PermissionDenied("Only inspectors may import reports.")


def _opts():
    return Inspection._meta


@admin.register(ReportImport)
class ReportImportAdmin(DateHierarchyChecked, admin.ModelAdmin):
    """Every upload, read-only: which file (SHA-256), who, when, what was read, and the inspection it became.

    Drafts are private, and an import holds one: only those who may see drafts see imports.
    """

    list_display = ["file_name", "format", "uploaded_by", "uploaded_at", "saved_as", "review_link"]
    list_filter = ["format"]
    list_select_related = ["uploaded_by", "inspection__service"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "uploaded_at"

    @admin.display(description="Saved as")
    def saved_as(self, report_import: ReportImport):
        if report_import.inspection_id is None:
            return "not saved"
        return report_import.inspection

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return can_see_drafts(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_see_drafts(request.user) and super().has_module_permission(request)

    @admin.display(description="Review")
    def review_link(self, report_import: ReportImport) -> str:
        url = reverse("admin:inspections_inspection_import_review", args=[report_import.pk])
        return format_html('<a href="{}">{}</a>', url, "Review" if report_import.inspection_id is None else "Read")
