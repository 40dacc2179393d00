"""Reads of services and inspections, including the inspection document export."""

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from findings.models import Finding, FindingKind, Recommendation
from inspections.filters import ServiceFilter
from inspections.jsonchecks import format_partial_date, json_number
from inspections.models import Inspection, InspectionArea, KeyFact, Service, inspection_date
from inspections.visibility import latest_inspections, visible_inspections
from ratings import rules
from ratings.models import (
    Domain,
    Framework,
    Grade,
    Judgement,
    KeyQuestion,
    KeyQuestionScore,
    OverallBand,
    RatedBy,
    Standard,
)
from ratings.selectors import FrameworkCatalogue, framework_catalogue


def inspections_for_export(*, status: str | None = None) -> QuerySet[Inspection]:
    """Inspections with everything their documents need, in a fixed number of queries.

    Ordered by service slug, then publication date, so that two exports can be diffed.
    """
    inspections = (
        Inspection.objects.select_related("service", "framework", "overall_rating")
        .prefetch_related(
            Prefetch("areas", queryset=InspectionArea.objects.select_related("local_authority")),
            Prefetch(
                "judgements",
                queryset=Judgement.objects.select_related("standard__domain", "rating").order_by(
                    "standard__position", "standard__code"
                ),
            ),
            Prefetch(
                "key_question_scores",
                queryset=KeyQuestionScore.objects.select_related("key_question__standard").order_by(
                    "key_question__standard__position", "key_question__position", "key_question__code"
                ),
            ),
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("domain").order_by("number")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("standard", "domain").order_by("position", "pk"),
            ),
            Prefetch("key_facts", queryset=KeyFact.objects.order_by("position", "pk")),
        )
        .order_by("service__slug", inspection_date().asc(nulls_last=True), "pk")
    )
    if status is not None:
        inspections = inspections.filter(status=status)
    return inspections


def inspection_identified(*, identity: tuple) -> Inspection | None:
    """The stored inspection a document describes, by ``services.document_identity``: its service, and its
    publication date or, when that is unknown, its fieldwork start."""
    slug, published_on, fieldwork_start_on = identity
    inspections = Inspection.objects.filter(service__slug=slug, published_on=published_on)
    if published_on is None:
        inspections = inspections.filter(fieldwork_start_on=fieldwork_start_on)
    return inspections.first()


def inspection_document(*, inspection: Inspection) -> dict:
    """One inspection in the document format of docs/data-format.md (use ``inspections_for_export`` to fetch)."""
    key_questions = []
    for score in inspection.key_question_scores.all():
        entry = {
            "code": score.key_question.code,
            "text": score.wording or score.key_question.text,
            "percent_yes": score.percent_yes,
        }
        if score.note:
            entry["note"] = score.note
        key_questions.append(entry)
    recommendations = []
    for recommendation in inspection.recommendations.all():
        entry = {"number": recommendation.number, "addressee": recommendation.addressee, "text": recommendation.text}
        if recommendation.domain_id:
            entry["domain"] = recommendation.domain.code
        recommendations.append(entry)
    findings = []
    for finding in inspection.findings.all():
        about = finding.standard or finding.domain
        entry = {"kind": finding.kind, "standard": about.code if about else None, "text": finding.text}
        if finding.attribution:
            entry["attribution"] = finding.attribution
        findings.append(entry)
    key_facts = []
    for fact in inspection.key_facts.all():
        entry = {
            "measure": fact.measure,
            "value": json_number(fact.value),
            "unit": fact.unit,
            "comparator": fact.comparator or None,
            "comparator_value": json_number(fact.comparator_value),
            "period": fact.period or None,
            "source": fact.source or None,
        }
        if fact.area:
            entry["area"] = fact.area
        key_facts.append(entry)
    return {
        "service": {
            "name": inspection.service_name,
            "slug": inspection.service.slug,
            "nation": inspection.service.nation,
            "local_authorities": [area.local_authority.name for area in inspection.areas.all()],
        },
        "framework": inspection.framework.code,
        "status": inspection.status,
        "published": format_partial_date(inspection.published_on, inspection.published_precision),
        "fieldwork_start": format_partial_date(inspection.fieldwork_start_on, inspection.fieldwork_start_precision),
        "fieldwork_end": format_partial_date(inspection.fieldwork_end_on, inspection.fieldwork_end_precision),
        "lead_inspector": inspection.lead_inspector or None,
        "cases": {
            "court": inspection.cases_court,
            "out_of_court": inspection.cases_out_of_court,
            "total": inspection.cases_total,
        },
        "overall_rating": inspection.overall_rating.name if inspection.overall_rating_id else None,
        "title": inspection.title or None,
        "notes": list(inspection.notes),
        "judgements": [
            {
                "code": judgement.standard.code,
                "name": judgement.standard.name,
                "domain": judgement.standard.domain.code if judgement.standard.domain_id else None,
                "rating": judgement.rating.name if judgement.rating_id else None,
                "score_percent": judgement.score_percent,
                "professional_discretion": judgement.professional_discretion,
                "note": judgement.note or None,
            }
            for judgement in inspection.judgements.all()
        ],
        "key_questions": key_questions,
        "recommendations": recommendations,
        "findings": findings,
        "key_facts": key_facts,
    }


def inspection_documents(*, status: str | None = None) -> list[dict]:
    return [inspection_document(inspection=inspection) for inspection in inspections_for_export(status=status)]


def service_filter(*, user, params) -> ServiceFilter:
    """The services list: each service's latest visible inspection, filtered by ``params`` (a QueryDict).

    The HTML page, the CSV and the JSON export all read ``.qs`` of this one filter.
    """
    rows = latest_inspections(user=user).select_related("service", "framework", "overall_rating")
    return ServiceFilter(params, queryset=rows)


SERVICE_LIST_PAGE_SIZE = 25


def service_list_page(*, filterset: ServiceFilter, number) -> Page:
    """One page of the services list (``number`` as the URL gives it; out of range gives the last page).

    Two steps, so that sorting and counting every service read only indexes: the page's ids from the filtered,
    ordered list (a narrow query of the latest rows' indexes), then those rows with what the page shows.
    """
    page = Paginator(filterset.qs.values_list("pk", flat=True), SERVICE_LIST_PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    # In the areas' own order: their default order joins every inspection and service only to sort.
    areas = InspectionArea.objects.select_related("local_authority").order_by("position", "pk")
    rows = Inspection.objects.filter(pk__in=ids).select_related("service", "framework", "overall_rating")
    by_id = {row.pk: row for row in rows.prefetch_related(Prefetch("areas", queryset=areas))}
    page.object_list = [by_id[pk] for pk in ids]
    return page


# The service scorecard and the inspection page ---------------------------------------------------------------------

FINDING_HEADINGS = {
    FindingKind.SUMMARY: "Summary",
    FindingKind.KEY_FINDING: "Key findings",
    FindingKind.EXPLANATION: "Explanation of findings",
    FindingKind.STRENGTH: "Strengths",
    FindingKind.AREA_FOR_IMPROVEMENT: "Areas for improvement",
    FindingKind.NOTABLE_PRACTICE: "Notable practice",
    FindingKind.QUOTE: "Quotes",
}
SCORECARD_FINDING_KINDS = (FindingKind.STRENGTH, FindingKind.AREA_FOR_IMPROVEMENT)

# The measures of docs/data-format.md in words; a measure not listed here is shown by its own name.
MEASURE_LABELS = {
    "reoffending_rate": "Reoffending rate",
    "first_time_entrants_rate": "First-time entrants",
    "custody_rate": "Custody rate",
    "caseload_age_10_14": "Caseload aged 10 to 14",
    "caseload_age_15_17": "Caseload aged 15 to 17",
    "caseload_male": "Caseload: male",
    "caseload_female": "Caseload: female",
    "caseload_white": "Caseload: white",
    "caseload_black_and_minority_ethnic": "Caseload: black and minority ethnic",
    "population_total": "Population",
    "youth_population_share": "10 to 17 year olds in the population",
    "black_and_minority_ethnic_youth_population_share": "Black and minority ethnic 10 to 17 year olds",
    "looked_after_children_reoffending_rate": "Reoffending rate of looked after children",
    "total_recorded_crime_rate": "Total recorded crime",
}
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class BandMark:
    """Where a rating band starts on a 0 to 100% bar, and the band in words."""

    rating: str
    min_percent: int
    label: str


@dataclass
class FindingGroup:
    kind: str
    heading: str
    findings: list[Finding]


@dataclass
class QuestionRow:
    """One key question's % yes, the band it falls in, and whether it is the lowest of its standard."""

    code: str
    text: str
    percent_yes: int | None
    band: str | None
    note: str
    is_lowest: bool
    sets_rating: bool


@dataclass
class StandardRow:
    """A standard (or theme) of the framework, with what one inspection says about it."""

    standard: Standard
    rating: str | None
    score_percent: int | None
    professional_discretion: bool
    note: str
    proposal: rules.Proposal | None
    questions: list[QuestionRow]
    findings: list[FindingGroup]

    @property
    def rated_by_key_questions(self) -> bool:
        return self.standard.rated_by == RatedBy.KEY_QUESTIONS

    @property
    def proposal_differs(self) -> bool:
        """The inspectors gave another rating than the lowest key question's band (professional discretion)."""
        return self.proposal is not None and self.rating is not None and self.proposal.rating != self.rating

    @property
    def unknown_questions(self) -> bool:
        return any(question.percent_yes is None for question in self.questions)


@dataclass
class DomainGroup:
    """A domain and its standards; for frameworks without domains (FJI, SQS) one group with ``domain`` None."""

    domain: Domain | None
    standards: list[StandardRow]
    findings: list[FindingGroup]

    @property
    def has_findings(self) -> bool:
        return bool(self.findings) or any(row.findings for row in self.standards)


@dataclass
class KeyFactRow:
    label: str
    value: str
    comparator: str
    comparator_value: str
    period: str
    source: str


@dataclass
class RecommendationGroup:
    addressee: str
    recommendations: list[Recommendation]


@dataclass
class InspectionReport:
    """Everything a page shows about one inspection, in the report's structure, read in a fixed number of queries."""

    inspection: Inspection
    catalogue: FrameworkCatalogue
    domains: list[DomainGroup]
    findings: list[FindingGroup]  # about the whole inspection: neither a standard nor a domain
    recommendation_groups: list[RecommendationGroup]
    key_facts: list[KeyFactRow]
    local_authorities: list[str]
    bands: list[BandMark]

    @property
    def framework(self) -> Framework:
        return self.catalogue.framework

    @property
    def framework_kind(self) -> str:
        """The framework's name without its year: "Short Quality Screening"."""
        return re.sub(r"\s*\(\d{4}\)$", "", self.framework.name)

    @property
    def gives_ratings(self) -> bool:
        return self.framework.rating_scale_id is not None

    @property
    def has_overall_rating(self) -> bool:
        return bool(self.catalogue.rules.overall_bands)

    @property
    def has_scores(self) -> bool:
        return any(row.score_percent is not None for group in self.domains for row in group.standards)

    @property
    def case_based_standards(self) -> list[StandardRow]:
        return [row for group in self.domains for row in group.standards if row.questions]

    @property
    def bands_text(self) -> str:
        return "; ".join(band.label for band in self.bands)

    @property
    def band_marks(self) -> list[BandMark]:
        return [band for band in self.bands if band.min_percent > 0]

    @property
    def has_findings(self) -> bool:
        return bool(self.findings) or any(group.has_findings for group in self.domains)

    @property
    def recommendation_count(self) -> int:
        return sum(len(group.recommendations) for group in self.recommendation_groups)


@dataclass
class StandardChange:
    code: str
    name: str
    before: str | None
    after: str | None
    change: str


@dataclass
class InspectionChange:
    """What changed between a service's previous inspection and its latest."""

    previous: Inspection
    latest: Inspection
    same_framework: bool
    overall_change: str | None
    standards: list[StandardChange]


@dataclass
class ServiceScorecard:
    service: Service
    report: InspectionReport  # the latest visible inspection
    history: list[Inspection]  # every visible inspection, latest first
    change: InspectionChange | None  # None for a service with one visible inspection


def _inspections_with_framework(*, user) -> QuerySet[Inspection]:
    return (
        visible_inspections(user=user)
        .select_related("service", "framework", "overall_rating")
        .annotate(framework_has_overall_rule=Exists(OverallBand.objects.filter(framework=OuterRef("framework"))))
    )


def service_scorecard_get(*, slug: str, user) -> ServiceScorecard | None:
    """A service's scorecard: its latest visible inspection, its history and what changed since the one before.

    None when the service is unknown or has no inspection the user may see (a draft is not a scorecard).
    Runs a fixed number of queries, whatever the number of inspections, findings or recommendations.
    """
    history = list(
        _inspections_with_framework(user=user)
        .filter(service__slug=slug)
        .order_by(inspection_date().desc(nulls_last=True), "-pk")
    )
    if not history:
        return None
    latest, previous = history[0], (history[1] if len(history) > 1 else None)
    # The judgements of both inspections in one query, whether or not there is a previous one.
    prefetch_related_objects(
        [latest] if previous is None else [latest, previous],
        Prefetch("judgements", queryset=Judgement.objects.select_related("rating").order_by()),
    )
    report = _inspection_report(inspection=latest, finding_kinds=SCORECARD_FINDING_KINDS)
    change = None
    if previous is not None:
        change = _inspection_change(latest=latest, previous=previous, catalogue=report.catalogue)
    return ServiceScorecard(service=latest.service, report=report, history=history, change=change)


def inspection_report_get(*, pk: int, user) -> InspectionReport | None:
    """Everything one inspection holds, structured as the report is; None when unknown or not visible to the user."""
    inspection = _inspections_with_framework(user=user).filter(pk=pk).first()
    if inspection is None:
        return None
    prefetch_related_objects(
        [inspection], Prefetch("judgements", queryset=Judgement.objects.select_related("rating").order_by())
    )
    return _inspection_report(inspection=inspection, finding_kinds=None)


def _inspection_report(*, inspection: Inspection, finding_kinds: tuple[str, ...] | None) -> InspectionReport:
    """Fetch an inspection's rows (its judgements already prefetched) and arrange them by the framework."""
    # Explicit orders throughout: the models' default orders start with "inspection", which joins the inspection
    # and its service only to sort rows that all belong to one inspection. The search vectors stay in the database.
    findings = Finding.objects.defer("search_vector").order_by("position", "pk")
    if finding_kinds is not None:
        findings = findings.filter(kind__in=finding_kinds)
    prefetch_related_objects(
        [inspection],
        Prefetch("areas", queryset=InspectionArea.objects.select_related("local_authority").order_by("position", "pk")),
        Prefetch("key_question_scores", queryset=KeyQuestionScore.objects.order_by()),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.defer("search_vector").select_related("domain").order_by("number"),
        ),
        Prefetch("findings", queryset=findings),
        Prefetch("key_facts", queryset=KeyFact.objects.order_by("position", "pk")),
    )
    catalogue = framework_catalogue(framework=inspection.framework)
    return InspectionReport(
        inspection=inspection,
        catalogue=catalogue,
        domains=_domain_groups(inspection=inspection, catalogue=catalogue),
        findings=_finding_groups(f for f in inspection.findings.all() if not f.standard_id and not f.domain_id),
        recommendation_groups=_recommendation_groups(inspection.recommendations.all()),
        key_facts=[_key_fact_row(fact) for fact in inspection.key_facts.all()],
        local_authorities=[area.local_authority.name for area in inspection.areas.all()],
        bands=_band_marks(catalogue.rules.percent_bands),
    )


def _finding_groups(findings) -> list[FindingGroup]:
    """Findings by kind, in the order of ``FindingKind`` (the order the reports use), each kind in report order."""
    by_kind: dict[str, list[Finding]] = {kind: [] for kind in FindingKind.values}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    return [
        FindingGroup(kind=kind, heading=FINDING_HEADINGS.get(kind, kind), findings=rows)
        for kind, rows in by_kind.items()
        if rows
    ]


def _domain_groups(*, inspection: Inspection, catalogue: FrameworkCatalogue) -> list[DomainGroup]:
    judgements = {judgement.standard_id: judgement for judgement in inspection.judgements.all()}
    scores = {score.key_question_id: score for score in inspection.key_question_scores.all()}
    findings_by_standard: dict[int, list[Finding]] = defaultdict(list)
    findings_by_domain: dict[int, list[Finding]] = defaultdict(list)
    for finding in inspection.findings.all():
        if finding.standard_id:
            findings_by_standard[finding.standard_id].append(finding)
        elif finding.domain_id:
            findings_by_domain[finding.domain_id].append(finding)
    questions_by_standard: dict[int, list[KeyQuestion]] = defaultdict(list)
    for question in catalogue.key_questions.values():
        questions_by_standard[question.standard_id].append(question)

    groups: dict[int | None, DomainGroup] = {
        domain.pk: DomainGroup(domain=domain, standards=[], findings=_finding_groups(findings_by_domain[domain.pk]))
        for domain in sorted(catalogue.domains.values(), key=lambda domain: (domain.position, domain.code))
    }
    for standard in sorted(catalogue.standards.values(), key=lambda standard: (standard.position, standard.code)):
        judgement = judgements.get(standard.pk)
        rating = judgement.rating.name if judgement is not None and judgement.rating_id else None
        questions, proposal = [], None
        if standard.rated_by == RatedBy.KEY_QUESTIONS:
            framework_questions = questions_by_standard[standard.pk]
            percents = {q.code: (scores[q.pk].percent_yes if q.pk in scores else None) for q in framework_questions}
            proposal = catalogue.proposal(standard.code, percents)
            questions = [
                _question_row(
                    question, score=scores.get(question.pk), proposal=proposal, rating=rating, catalogue=catalogue
                )
                for question in framework_questions
            ]
        row = StandardRow(
            standard=standard,
            rating=rating,
            score_percent=judgement.score_percent if judgement is not None else None,
            professional_discretion=judgement.professional_discretion if judgement is not None else False,
            note=judgement.note if judgement is not None else "",
            proposal=proposal,
            questions=questions,
            findings=_finding_groups(findings_by_standard[standard.pk]),
        )
        if standard.domain_id not in groups:  # standards of a framework without domains
            groups[standard.domain_id] = DomainGroup(domain=None, standards=[], findings=[])
        groups[standard.domain_id].standards.append(row)
    return list(groups.values())


def _question_row(
    question: KeyQuestion,
    *,
    score: KeyQuestionScore | None,
    proposal: rules.Proposal | None,
    rating: str | None,
    catalogue: FrameworkCatalogue,
) -> QuestionRow:
    percent = score.percent_yes if score is not None else None
    is_lowest = proposal is not None and proposal.lowest_code == question.code
    return QuestionRow(
        code=question.code,
        text=(score.wording if score is not None and score.wording else question.text),
        percent_yes=percent,
        band=rules.band_for_percent(percent, catalogue.rules.percent_bands) if percent is not None else None,
        note=score.note if score is not None else "The report gives no figure for this key question.",
        is_lowest=is_lowest,
        sets_rating=is_lowest and proposal.rating == rating,
    )


def _band_marks(bands) -> list[BandMark]:
    """The % bands best first, each with its range in words: "80% and over", "65% to 79%", "under 50%"."""
    ordered = sorted(bands, key=lambda band: band.min_percent, reverse=True)
    marks = []
    for index, band in enumerate(ordered):
        if index == 0:
            span = f"{band.min_percent}% and over"
        elif band.min_percent == 0:
            span = f"under {ordered[index - 1].min_percent}%"
        else:
            span = f"{band.min_percent}% to {ordered[index - 1].min_percent - 1}%"
        marks.append(BandMark(rating=band.rating, min_percent=band.min_percent, label=f"{span} {band.rating}"))
    return marks


def _recommendation_groups(recommendations) -> list[RecommendationGroup]:
    """Recommendations by addressee, addressees in the order the report first names them."""
    groups: dict[str, RecommendationGroup] = {}
    for recommendation in recommendations:
        group = groups.setdefault(
            recommendation.addressee, RecommendationGroup(addressee=recommendation.addressee, recommendations=[])
        )
        group.recommendations.append(recommendation)
    return list(groups.values())


def _number_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return NOT_KNOWN
    text = f"{json_number(value):,}"
    if unit == "%":
        return f"{text}%"
    if unit == "count":
        return text
    return f"{text} {unit}"


def _key_fact_row(fact: KeyFact) -> KeyFactRow:
    label = MEASURE_LABELS.get(fact.measure, fact.measure.replace("_", " ").capitalize())
    if fact.area:
        label = f"{label} ({fact.area})"
    return KeyFactRow(
        label=label,
        value=_number_text(fact.value, fact.unit),
        comparator=fact.comparator or NOT_KNOWN,
        comparator_value=_number_text(fact.comparator_value, fact.unit),
        period=fact.period or NOT_KNOWN,
        source=fact.source or NOT_KNOWN,
    )


def _rating_change(before: Grade | None, after: Grade | None) -> str:
    if before is None or after is None:
        return "Cannot compare: not rated in both"
    if after.points > before.points:
        return "Improved"
    if after.points < before.points:
        return "Declined"
    return "No change"


def _inspection_change(*, latest: Inspection, previous: Inspection, catalogue: FrameworkCatalogue) -> InspectionChange:
    """Overall and (on the same framework) per-standard changes; across frameworks only the overall ratings."""
    same_framework = latest.framework_id == previous.framework_id
    change = InspectionChange(
        previous=previous, latest=latest, same_framework=same_framework, overall_change=None, standards=[]
    )
    if not same_framework:
        return change
    if catalogue.rules.overall_bands:
        change.overall_change = _rating_change(previous.overall_rating, latest.overall_rating)
    before = {judgement.standard_id: judgement for judgement in previous.judgements.all()}
    after = {judgement.standard_id: judgement for judgement in latest.judgements.all()}
    for standard in sorted(catalogue.standards.values(), key=lambda standard: (standard.position, standard.code)):
        if standard.pk not in before and standard.pk not in after:
            continue
        rating_before = before[standard.pk].rating if standard.pk in before else None
        rating_after = after[standard.pk].rating if standard.pk in after else None
        change.standards.append(
            StandardChange(
                code=standard.code,
                name=standard.name,
                before=rating_before.name if rating_before else None,
                after=rating_after.name if rating_after else None,
                change=_rating_change(rating_before, rating_after),
            )
        )
    return change


# End of the scorecard and inspection page reads.
