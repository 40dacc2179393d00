"""Reads of frameworks and of the rules an inspection's ratings must follow."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ratings import rules
from ratings.models import Domain, Framework, Grade, KeyQuestion, OverallBand, PercentBand, RatedBy, Standard


@dataclass
class FrameworkCatalogue:
    """A framework with everything that validating or showing an inspection against it needs, by code."""

    framework: Framework
    rules: rules.RuleSet
    grades: dict[str, Grade] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    standards: dict[str, Standard] = field(default_factory=dict)
    key_questions: dict[str, KeyQuestion] = field(default_factory=dict)

    @property
    def standards_by_id(self) -> dict[int, Standard]:
        return {standard.pk: standard for standard in self.standards.values()}

    def question_codes(self, standard_code: str) -> list[str]:
        standard = self.standards[standard_code]
        return [q.code for q in self.key_questions.values() if q.standard_id == standard.pk]

    def proposal(self, standard_code: str, percent_by_question: dict[str, int | None]) -> rules.Proposal | None:
        """The rating a standard's key questions propose; questions missing from the mapping count as unknown."""
        standard = self.standards[standard_code]
        if standard.rated_by != RatedBy.KEY_QUESTIONS:
            return None
        percents = {code: percent_by_question.get(code) for code in self.question_codes(standard_code)}
        return rules.proposed_rating(percents, self.rules.percent_bands)

    def derived_overall(self, rating_by_standard: dict[str, str | None]) -> str | None:
        """The overall rating the counted standards' ratings give; standards without a rating count as unknown."""
        counted = [code for code, standard in self.standards.items() if standard.counts_towards_overall]
        return rules.overall_rating((rating_by_standard.get(code) for code in counted), self.rules)


def framework_rule_set(*, framework: Framework) -> rules.RuleSet:
    """The rule parameters stored on a framework's rows. Uses prefetched bands and grades when present."""
    grade_points = None
    if framework.rating_scale_id is not None:
        grade_points = {grade.name: grade.points for grade in framework.rating_scale.grades.all()}
    return rules.RuleSet(
        percent_bands=tuple(
            rules.PercentBand(rating=band.grade.name, min_percent=band.min_percent)
            for band in framework.percent_bands.all()
        ),
        overall_bands=tuple(
            rules.PointsBand(rating=band.grade.name, min_points=band.min_points, max_points=band.max_points)
            for band in framework.overall_bands.all()
        ),
        grade_points=grade_points,
    )


def framework_catalogues(*, codes: Iterable[str] | None = None) -> dict[str, FrameworkCatalogue]:
    """Catalogues of the named frameworks (all when ``codes`` is None), in a fixed number of queries."""
    frameworks = Framework.objects.select_related("rating_scale").prefetch_related(
        "rating_scale__grades",
        Prefetch("percent_bands", queryset=PercentBand.objects.select_related("grade")),
        Prefetch("overall_bands", queryset=OverallBand.objects.select_related("grade")),
        "domains",
        Prefetch("standards", queryset=Standard.objects.select_related("domain")),
        Prefetch(
            "standards__key_questions",
            queryset=KeyQuestion.objects.order_by("position", "code"),
        ),
    )
    if codes is not None:
        frameworks = frameworks.filter(code__in=list(codes))
    catalogues = {}
    for framework in frameworks:
        catalogue = FrameworkCatalogue(framework=framework, rules=framework_rule_set(framework=framework))
        if framework.rating_scale_id is not None:
            catalogue.grades = {grade.name: grade for grade in framework.rating_scale.grades.all()}
        catalogue.domains = {domain.code: domain for domain in framework.domains.all()}
        for standard in framework.standards.all():
            catalogue.standards[standard.code] = standard
            for question in standard.key_questions.all():
                catalogue.key_questions[question.code] = question
        catalogues[framework.code] = catalogue
    return catalogues


def inspection_derived_overall(*, inspection) -> str | None:
    """The overall rating an inspection's stored judgements add up to under its framework's rule."""
    code = inspection.framework.code
    catalogue = framework_catalogues(codes=[code])[code]
    ratings = {
        judgement.standard.code: (judgement.rating.name if judgement.rating_id else None)
        for judgement in inspection.judgements.select_related("standard", "rating")
    }
    return catalogue.derived_overall(ratings)
