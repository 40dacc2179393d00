"""Services, the local authorities they cover, their inspections and the key facts each report gives."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords


class Nation(models.TextChoices):
    ENGLAND = "England"
    WALES = "Wales"


class DatePrecision(models.TextChoices):
    """Reports often give a month ("March 2019") and not a day: we keep what they give, no more."""

    DAY = "day"
    MONTH = "month"


class LocalAuthority(models.Model):
    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A youth offending service (YOT, YOS, YJS), run by one or more local authorities."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    nation = models.CharField(max_length=10, choices=Nation.choices)
    local_authorities = models.ManyToManyField(
        LocalAuthority,
        blank=True,
        related_name="services",
        help_text="The authorities the service covers now; each inspection keeps its own list as it was then.",
    )
    history = HistoricalRecords(m2m_fields=[local_authorities])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(nation__in=Nation.values), name="service_nation_known"),
        ]
        # The services list is in name order: with this index a page is read from its first service onwards.
        indexes = [models.Index(fields=["name", "id"], name="service_by_name")]

    def __str__(self) -> str:
        return self.name


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def inspection_date() -> Coalesce:
    """When an inspection happened, for ordering: its publication date, else its fieldwork dates."""
    return Coalesce("published_on", "fieldwork_end_on", "fieldwork_start_on")


# The key of the partial indexes of each service's latest inspection (``Inspection.Meta.indexes``).
LATEST_INDEX_FIELDS = [
    "service",
    "framework",
    "overall_rating",
    "published_on",
    "fieldwork_end_on",
    "fieldwork_start_on",
    "id",
]


class Inspection(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="inspections")
    framework = models.ForeignKey("ratings.Framework", on_delete=models.PROTECT, related_name="inspections")
    status = models.CharField(max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT)
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a month-precise date, the first of the month. Empty when the report does not say.",
    )
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    fieldwork_start_on = models.DateField(null=True, blank=True)
    fieldwork_start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    fieldwork_end_on = models.DateField(null=True, blank=True)
    fieldwork_end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    lead_inspector = models.CharField(max_length=200, blank=True)
    cases_court = models.PositiveIntegerField(null=True, blank=True, verbose_name="court cases inspected")
    cases_out_of_court = models.PositiveIntegerField(null=True, blank=True, verbose_name="out-of-court cases inspected")
    cases_total = models.PositiveIntegerField(null=True, blank=True, verbose_name="cases inspected in total")
    overall_rating = models.ForeignKey(
        "ratings.Grade", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_name = models.CharField(
        max_length=200, help_text="The service's name as this report gives it (services get renamed)."
    )
    title = models.CharField(max_length=300, blank=True, verbose_name="source report title")
    notes = models.JSONField(
        default=list, blank=True, help_text="What a reader must know about gaps in the source report."
    )
    local_authorities = models.ManyToManyField(
        LocalAuthority,
        blank=True,
        through="InspectionArea",
        related_name="inspections",
        help_text="The authorities the service covered at the time of this inspection.",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Counts the saves of this inspection: the inspection page refuses a save made from a page "
        "shown before the latest one (no lost updates).",
    )
    # Derived, kept by ``inspections.services.inspections_flag_latest`` (after every save and delete): each
    # service's latest inspection, and its latest published one, so that lists of services read one row per
    # service from an index instead of ranking every inspection on every request.
    is_latest = models.BooleanField(default=False, editable=False)
    is_latest_published = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["is_latest", "is_latest_published"])

    class Meta:
        ordering = ["service__slug", "published_on"]
        permissions = [("view_draft_inspection", "Can see inspections that are not yet published")]
        constraints = [
            # An inspection is known by its service and publication date, or by its fieldwork start where the
            # publication date is lost (Warwickshire's cover page did not survive OCR).
            models.UniqueConstraint(
                fields=["service", "published_on"],
                name="inspection_one_per_service_and_date",
                violation_error_message="This service already has an inspection published on this date.",
            ),
            models.UniqueConstraint(
                fields=["service", "fieldwork_start_on"],
                condition=Q(published_on__isnull=True),
                name="inspection_undated_one_per_fieldwork",
                violation_error_message="This service already has an undated inspection with this fieldwork start.",
            ),
            models.CheckConstraint(condition=Q(status__in=InspectionStatus.values), name="inspection_status_known"),
            models.CheckConstraint(
                condition=Q(published_precision__in=DatePrecision.values)
                & Q(fieldwork_start_precision__in=DatePrecision.values)
                & Q(fieldwork_end_precision__in=DatePrecision.values),
                name="inspection_date_precision_known",
            ),
            models.CheckConstraint(
                condition=Q(fieldwork_start_on__isnull=True)
                | Q(fieldwork_end_on__isnull=True)
                | Q(fieldwork_end_on__gte=F("fieldwork_start_on")),
                name="inspection_fieldwork_in_order",
                violation_error_message="Fieldwork cannot end before it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "-published_on"], name="inspection_latest_by_service"),
            models.Index(
                fields=["-published_on"],
                condition=Q(status="published"),
                name="inspection_published_by_date",
            ),
            # The admin list's order (newest first), with the columns its filters test after the key: a filtered
            # list (a framework, a rating, drafts) walks this index alone until it has a page, never the table
            # rows (a filter whose rows are all old read 44,000 rows to find them), and counts from it.
            models.Index(
                fields=["-published_on", "-id", "status", "framework", "overall_rating", "service"],
                name="inspection_newest_first",
            ),
            # The admin list's sorts, each followed by the list's own order (newest first) as Django adds it: a page
            # is read from the index in order instead of sorting every inspection.
            models.Index(fields=["service_name", "-published_on", "-id"], name="inspection_by_report_name"),
            models.Index(inspection_date(), F("published_on").desc(), F("id").desc(), name="inspection_oldest_first"),
            models.Index(fields=["lead_inspector", "-published_on", "-id"], name="inspection_by_lead_inspector"),
            # Each service's latest row, with what the services list filters and counts on: a count or a
            # filter over every service reads these small indexes alone, never the scattered table rows; the
            # list in name order walks the services by name and finds each one's latest row here.
            models.Index(fields=LATEST_INDEX_FIELDS, condition=Q(is_latest=True), name="inspection_latest_row"),
            models.Index(
                fields=LATEST_INDEX_FIELDS,
                condition=Q(is_latest_published=True, status="published"),
                name="inspection_latest_public_row",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_name or self.service.name}, {self.date_label}"

    def save(self, *args, **kwargs) -> None:
        # Every save of a stored inspection counts, whoever makes it (the admin, the loader, publishing).
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def date_label(self) -> str:
        """When, in words: the publication date, or the fieldwork start where publication is unknown."""
        if self.published_on is not None:
            return format_partial_date(self.published_on, self.published_precision)
        if self.fieldwork_start_on is not None:
            return f"fieldwork {format_partial_date(self.fieldwork_start_on, self.fieldwork_start_precision)}"
        return "date unknown"

    def clean(self) -> None:
        if self.framework_id is None:
            return
        if self.pk is not None and self.judgements.exclude(standard__framework_id=self.framework_id).exists():
            raise ValidationError(
                {"framework": "This inspection has judgements against another framework: delete them first."}
            )
        if self.overall_rating_id is not None and self.overall_rating.scale_id != self.framework.rating_scale_id:
            raise ValidationError(
                {"overall_rating": f"{self.overall_rating} is not on the {self.framework} rating scale."}
            )

    @property
    def is_published(self) -> bool:
        return self.status == InspectionStatus.PUBLISHED


class InspectionArea(models.Model):
    """A local authority the service covered at the time of an inspection, in the report's order."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="areas")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "local_authority"], name="inspection_area_unique"),
        ]

    def __str__(self) -> str:
        return self.local_authority.name


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """A date as precise as the report gave it: "11 May 2015" or "March 2019"."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


class KeyFact(models.Model):
    """A figure the report gives about the service, with what it is compared against."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="key_facts")
    measure = models.SlugField(max_length=80, help_text="e.g. reoffending_rate; see docs/data-format.md.")
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=30)
    comparator = models.CharField(max_length=100, blank=True, help_text="e.g. England and Wales.")
    comparator_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    period = models.CharField(max_length=200, blank=True)
    source = models.TextField(blank=True)
    area = models.CharField(
        max_length=200, blank=True, help_text="A local authority, where the figure is not for the whole service."
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]
        indexes = [
            models.Index(fields=["measure", "inspection"], name="key_fact_by_measure"),
            # The admin list's filter offers every unit, read from this index (inspections.admin_lists).
            models.Index(fields=["unit"], name="key_fact_by_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} {self.unit}"


class ReportImport(models.Model):
    """A report file an inspector uploaded in the admin, and everything read from it.

    Kept between the upload and the save, and afterwards for good: which file (by its SHA-256) became which
    inspection, who imported it, and what the importer could not read.
    """

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, verbose_name="SHA-256 of the file")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="report_imports"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=30, help_text="The framework code of the report's format.")
    source_text = models.TextField(help_text="The report's text as it was read from the file.")
    document = models.JSONField(help_text="The draft inspection document read from the text.")
    sources = models.JSONField(default=dict, help_text="Field path: [line number, line text] it was read from.")
    problems = models.JSONField(default=list, help_text="What could not be read: field, reason, line, text.")
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_imports",
        help_text="The inspection the draft was saved as.",
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%d %B %Y %H:%M})" if self.uploaded_at else self.file_name
