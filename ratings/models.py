"""Inspection frameworks as data, and the ratings and scores an inspection gives against them.

A framework (FJI 2015, SQS 2015, the 2018 standards, and whatever the inspectorate publishes next) is rows, not
code: its rating scale, domains, standards, key questions and the parameters of its rating rules are all edited
in the admin. The rules themselves are pure functions in ``ratings.rules``.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class RatingScale(models.Model):
    """An ordered set of grades, shared by the frameworks that use it."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """One rating on a scale: its word as the reports print it, and its points (higher is better)."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(max_length=50)
    points = models.PositiveSmallIntegerField(help_text="Orders the grades; the overall rule adds them up.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "-points"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "name"], name="grade_unique_name_per_scale"),
            models.UniqueConstraint(fields=["scale", "points"], name="grade_unique_points_per_scale"),
        ]

    def __str__(self) -> str:
        return self.name


class Framework(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    in_force_from = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year.")
    in_force_to = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year; empty while in force.")
    rating_scale = models.ForeignKey(
        RatingScale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frameworks",
        help_text="Empty for a framework that gives no ratings (SQS).",
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["in_force_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_to__gte=F("in_force_from")),
                name="framework_in_force_in_order",
                violation_error_message="A framework cannot leave force before it comes into force.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code_per_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RatedBy(models.TextChoices):
    KEY_QUESTIONS = "key_questions", "Lowest key-question % band"
    JUDGEMENT = "judgement", "Inspectors' judgement"


class Standard(models.Model):
    """A standard (2018) or theme (FJI, SQS): the unit that gets a rating."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, null=True, blank=True, related_name="standards")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="The standard's statement, or what inspectors expect to see.")
    rated_by = models.CharField(max_length=20, choices=RatedBy.choices, default=RatedBy.JUDGEMENT)
    counts_towards_overall = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="standard_unique_code_per_framework"),
            models.CheckConstraint(condition=Q(rated_by__in=RatedBy.values), name="standard_rated_by_known"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KeyQuestion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="key_questions")
    code = models.CharField(max_length=12)
    text = models.TextField(help_text="The question, word for word.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="key_question_unique_code_per_standard"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class PercentBand(models.Model):
    """A case-based standard is proposed this grade when its lowest key question is at or above min_percent."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="percent_bands")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    min_percent = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "grade"], name="percent_band_unique_grade"),
            models.UniqueConstraint(fields=["framework", "min_percent"], name="percent_band_unique_min"),
            models.CheckConstraint(
                condition=Q(min_percent__lte=100),
                name="percent_band_min_within_100",
                violation_error_message="A band's minimum is a percentage: 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} from {self.min_percent}%"


class OverallBand(models.Model):
    """The overall rating is this grade when the counted standards' points add up to min..max (inclusive)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="overall_bands")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    min_points = models.PositiveSmallIntegerField()
    max_points = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "min_points"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "grade"], name="overall_band_unique_grade"),
            models.CheckConstraint(
                condition=Q(max_points__gte=F("min_points")),
                name="overall_band_in_order",
                violation_error_message="A band's maximum points cannot be below its minimum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.min_points}–{self.max_points} points"


class Judgement(models.Model):
    """An inspection's rating of one standard (or FJI theme), with the FJI case assessment score."""

    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.CASCADE, related_name="judgements")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="judgements")
    rating = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    score_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="FJI case assessment score: % of work done well enough."
    )
    professional_discretion = models.BooleanField(
        default=False, help_text="The inspectors departed from the rating the key questions propose."
    )
    note = models.TextField(blank=True, help_text="The reason for discretion, or why a value is unknown.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "standard__position", "standard__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"],
                name="judgement_one_per_standard",
                violation_error_message="This inspection already has a judgement of this standard.",
            ),
            models.CheckConstraint(
                condition=Q(score_percent__lte=100),
                name="judgement_score_within_100",
                violation_error_message="A score is a percentage: 0 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(professional_discretion=False) | ~Q(note=""),
                name="judgement_discretion_has_reason",
                violation_error_message="Professional discretion needs its reason in the note.",
            ),
        ]
        # Ratings of many inspections read from indexes alone: the overview's counts of every latest inspection's
        # ratings (by inspection), the services list's "standard rated" filter (by standard and rating).
        indexes = [
            models.Index(fields=["inspection", "standard", "rating"], name="judgement_rating_by_inspection"),
            models.Index(fields=["standard", "rating", "inspection"], name="judgement_by_standard_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.rating or 'not rated'}"

    def clean(self) -> None:
        inspection = inspection_of(self)
        if inspection is None or self.standard_id is None:
            return
        errors = {}
        if self.standard.framework_id != inspection.framework_id:
            errors["standard"] = f"{self.standard} is not a standard of {inspection.framework}."
        scale_id = inspection.framework.rating_scale_id
        if self.rating_id is not None and self.rating.scale_id != scale_id:
            errors["rating"] = (
                f"{self.rating} is not on the {inspection.framework} rating scale."
                if scale_id
                else f"{inspection.framework} gives no ratings."
            )
        if errors:
            raise ValidationError(errors)


class KeyQuestionScore(models.Model):
    """The % of inspected cases answered yes to one key question; null when the report's figure is lost."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.CASCADE, related_name="key_question_scores"
    )
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.PROTECT, related_name="scores")
    percent_yes = models.PositiveSmallIntegerField(null=True, blank=True)
    wording = models.TextField(
        blank=True,
        help_text="The question as this report prints it, where that differs from the framework's wording "
        "(reports name their own kind of service: YOT, YOS, YJS).",
    )
    note = models.TextField(blank=True, help_text="Why the figure is unknown.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "key_question__standard__position", "key_question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "key_question"],
                name="key_question_score_one_per_question",
                violation_error_message="This inspection already has a score for this key question.",
            ),
            models.CheckConstraint(
                condition=Q(percent_yes__lte=100),
                name="key_question_score_within_100",
                violation_error_message="A % yes is a percentage: 0 to 100.",
            ),
        ]
        indexes = [models.Index(fields=["key_question", "percent_yes"], name="kq_score_by_question")]

    def __str__(self) -> str:
        percent = "unknown" if self.percent_yes is None else f"{self.percent_yes}%"
        return f"{self.key_question.code}: {percent}"

    def clean(self) -> None:
        inspection = inspection_of(self)
        if inspection is None or self.key_question_id is None:
            return
        if self.key_question.standard.framework_id != inspection.framework_id:
            raise ValidationError(
                {"key_question": f"{self.key_question.code} is not a key question of {inspection.framework}."}
            )


def inspection_of(row: models.Model):
    """The inspection a row belongs to, or None before it is attached (an admin inline attaches it first)."""
    try:
        return row.inspection
    except ObjectDoesNotExist:
        return None
