"""Reads of services and inspections, including the inspection document export."""

from django.db.models import Prefetch, QuerySet

from findings.models import Finding, Recommendation
from inspections.jsonchecks import format_partial_date, json_number
from inspections.models import Inspection, InspectionArea, KeyFact, inspection_date
from ratings.models import Judgement, KeyQuestionScore


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
