"""What the reports say in words: findings of every kind, and the recommendations a service must act on."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ratings.models import inspection_of


class FindingKind(models.TextChoices):
    SUMMARY = "summary", "Summary"
    KEY_FINDING = "key_finding", "Key finding"
    EXPLANATION = "explanation", "Explanation"
    STRENGTH = "strength", "Strength"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    NOTABLE_PRACTICE = "notable_practice", "Notable practice"
    QUOTE = "quote", "Quote"


class Finding(models.Model):
    """One paragraph, bullet, example or quote of a report, attached to the standard or domain it is about."""

    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    standard = models.ForeignKey(
        "ratings.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        db_index=False,  # finding_standard_rating_newest and finding_standard_kind_newest start with it
    )
    domain = models.ForeignKey(
        "ratings.Domain", on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    text = models.TextField()
    attribution = models.CharField(max_length=200, blank=True, help_text="For quotes: who said it.")
    position = models.PositiveIntegerField(default=0)
    # The rating the finding is filed under, for searching by rating: its standard's rating in the same inspection
    # (none when that standard is not rated), or for a finding about a domain or the whole report the inspection's
    # overall rating. Never entered: database triggers keep it whoever writes the finding, the judgement or the
    # inspection (findings/migrations/0007).
    filed_rating = models.ForeignKey(
        "ratings.Grade",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # finding_rating_kind_newest starts with it
    )
    # PostgreSQL only: the text's English search vector, kept by a trigger (findings/migrations/0004), with a GIN
    # index; always null on other databases, which search with LIKE.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector", "filed_rating"])

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FindingKind.values), name="finding_kind_known"),
            models.CheckConstraint(
                condition=Q(standard__isnull=True) | Q(domain__isnull=True),
                name="finding_about_standard_or_domain_not_both",
                violation_error_message="A finding is about a standard or a domain, not both: clear one.",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="finding_text_not_empty",
                violation_error_message="A finding needs its text.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "inspection"], name="finding_by_kind"),
            # A search by kind without words takes the newest findings of the kind (findings.selectors): read from
            # this index newest first, it reads no finding of another kind.
            models.Index(fields=["kind", "-id"], name="finding_kind_newest_first"),
            # A search by rating (and kind) without words: the newest findings filed under it.
            models.Index(fields=["filed_rating", "kind", "-id"], name="finding_rating_kind_newest"),
            # And by standard: with a rating (or neither), with a kind.
            models.Index(fields=["standard", "filed_rating", "-id"], name="finding_standard_rating_newest"),
            models.Index(fields=["standard", "kind", "-id"], name="finding_standard_kind_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"

    def clean(self) -> None:
        if self.standard_id and self.domain_id:
            raise ValidationError("A finding is about a standard or a domain, not both: clear one.")
        _check_framework(
            self, standard=self.standard if self.standard_id else None, domain=self.domain if self.domain_id else None
        )


class Recommendation(models.Model):
    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    addressee = models.CharField(max_length=300, help_text="Who must act, in the report's words.")
    text = models.TextField()
    domain = models.ForeignKey(
        "ratings.Domain", on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    search_vector = SearchVectorField(null=True, editable=False)  # as Finding.search_vector
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["inspection", "number"]
        # The admin list sorted by addressee (Django adds the newest first to settle ties): read from this index
        # in order instead of sorting 390,000 recommendations; the other way round, only each addressee's rows.
        indexes = [models.Index(fields=["addressee", "-id"], name="recommendation_by_addressee")]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"],
                name="recommendation_unique_number",
                violation_error_message="This inspection already has a recommendation with this number.",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="recommendation_text_not_empty",
                violation_error_message="A recommendation needs its text.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.addressee}: {self.text[:80]}"

    def clean(self) -> None:
        _check_framework(self, standard=None, domain=self.domain if self.domain_id else None)


def _check_framework(row, *, standard, domain) -> None:
    """A finding or recommendation may only point at its own inspection's framework."""
    inspection = inspection_of(row)
    if inspection is None:
        return
    errors = {}
    if standard is not None and standard.framework_id != inspection.framework_id:
        errors["standard"] = f"{standard} is not a standard of {inspection.framework}."
    if domain is not None and domain.framework_id != inspection.framework_id:
        errors["domain"] = f"{domain} is not a domain of {inspection.framework}."
    if errors:
        raise ValidationError(errors)
