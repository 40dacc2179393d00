"""Synthetic data: ``generate_synthetic`` and ``inspections.synthetic`` (small numbers; the scale is the bench's)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from findings.models import Finding, Recommendation
from inspections import synthetic
from inspections.models import Inspection, InspectionStatus, KeyFact, LocalAuthority, Service
from inspections.synthetic import SLUG_PREFIX, Planner, framework_eras, synthetic_generate
from ratings import rules
from ratings.models import Judgement, KeyQuestionScore, RatedBy
from ratings.selectors import framework_catalogues
from tests.conftest import MODELS

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def synthetic_rows() -> dict[str, list[tuple]]:
    """Every synthetic row as plain values, without database ids: what two generations must agree on."""
    inspections = Inspection.objects.filter(service__slug__startswith=SLUG_PREFIX)
    of_inspections = {"inspection__in": inspections}
    key = ("inspection__service__slug", "inspection__published_on")
    return {
        "services": list(
            Service.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("slug")
            .values_list("slug", "name", "nation", "local_authorities__name")
        ),
        "inspections": list(
            inspections.order_by("service__slug", "published_on").values_list(
                "service__slug",
                "framework__code",
                "published_on",
                "published_precision",
                "fieldwork_start_on",
                "fieldwork_end_on",
                "lead_inspector",
                "cases_total",
                "overall_rating__name",
                "areas__local_authority__name",
            )
        ),
        "judgements": list(
            Judgement.objects.filter(**of_inspections)
            .order_by(*key, "standard__code")
            .values_list(*key, "standard__code", "rating__name", "score_percent", "professional_discretion", "note")
        ),
        "scores": list(
            KeyQuestionScore.objects.filter(**of_inspections)
            .order_by(*key, "key_question__code")
            .values_list(*key, "key_question__code", "percent_yes")
        ),
        "findings": list(
            Finding.objects.filter(**of_inspections)
            .order_by(*key, "position")
            .values_list(*key, "position", "kind", "standard__code", "domain__code", "text", "attribution")
        ),
        "recommendations": list(
            Recommendation.objects.filter(**of_inspections)
            .order_by(*key, "number")
            .values_list(*key, "number", "addressee", "text")
        ),
        "key_facts": list(
            KeyFact.objects.filter(**of_inspections)
            .order_by(*key, "position")
            .values_list(*key, "position", "measure", "value", "unit")
        ),
    }


def delete_synthetic() -> None:
    inspections = Inspection.objects.filter(service__slug__startswith=SLUG_PREFIX)
    for model in (Judgement, KeyQuestionScore, Finding, Recommendation, KeyFact):
        model.objects.filter(inspection__in=inspections).delete()
    inspections.delete()
    Service.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    LocalAuthority.objects.filter(name__contains="(synthetic ").delete()


def test_generate_writes_the_counts_asked_for_all_published_and_prefixed(frameworks):
    result = synthetic_generate(services=4, inspections_per_service=5, seed=3)

    assert (result.services, result.inspections) == (4, 20)
    services = Service.objects.filter(slug__startswith=SLUG_PREFIX)
    assert services.count() == Service.objects.count() == 4
    assert all(slug.startswith(SLUG_PREFIX) for slug in services.values_list("slug", flat=True))
    inspections = Inspection.objects.all()
    assert inspections.count() == 20
    assert set(inspections.values_list("status", flat=True)) == {InspectionStatus.PUBLISHED}
    for service in services:
        assert service.inspections.count() == 5
        assert service.local_authorities.count() >= 1
    assert Finding.objects.count() == result.findings
    assert Judgement.objects.count() == result.judgements
    assert KeyQuestionScore.objects.count() == result.key_question_scores
    assert Recommendation.objects.count() == result.recommendations
    assert KeyFact.objects.count() == result.key_facts
    # About sixty findings an inspection, as the issue asks; three to ten recommendations each.
    assert 45 <= result.findings / 20 <= 75
    assert all(3 <= inspection.recommendations.count() <= 10 for inspection in inspections)


def test_generate_writes_no_history(frameworks):
    before = {model.__name__: model.history.count() for model in MODELS}

    synthetic_generate(services=2, inspections_per_service=2, seed=1)

    assert {model.__name__: model.history.count() for model in MODELS} == before


def test_generate_same_seed_same_rows_other_seed_other_rows(frameworks):
    synthetic_generate(services=3, inspections_per_service=3, seed=11)
    first = synthetic_rows()
    delete_synthetic()
    synthetic_generate(services=3, inspections_per_service=3, seed=11)
    again = synthetic_rows()
    delete_synthetic()
    synthetic_generate(services=3, inspections_per_service=3, seed=12)
    other = synthetic_rows()

    assert len(first["findings"]) > 100
    assert again == first
    assert other["findings"] != first["findings"]
    assert other["services"] != first["services"]


def test_planner_is_deterministic_for_a_seed(frameworks):
    catalogues = framework_catalogues()

    def plan(seed):
        return list(Planner(seed=seed, inspections_per_service=4, catalogues=catalogues).services(3))

    assert plan(5) == plan(5)
    assert plan(5) != plan(6)


def test_every_generated_judgement_obeys_the_rating_rules(frameworks):
    synthetic_generate(services=30, inspections_per_service=4, seed=2)
    catalogues = framework_catalogues()
    discretion = 0
    checked_proposals = 0
    checked_overall = 0
    for inspection in Inspection.objects.select_related("framework", "overall_rating"):
        catalogue = catalogues[inspection.framework.code]
        percents = {
            code: percent
            for code, percent in inspection.key_question_scores.values_list("key_question__code", "percent_yes")
        }
        ratings = {}
        for judgement in inspection.judgements.select_related("standard", "rating"):
            rating = judgement.rating.name if judgement.rating_id else None
            ratings[judgement.standard.code] = rating
            proposal = catalogue.proposal(judgement.standard.code, percents)
            if judgement.standard.rated_by == RatedBy.KEY_QUESTIONS:
                assert proposal is not None
                checked_proposals += 1
            problem = rules.judgement_problem(
                rating=rating,
                proposal=proposal,
                professional_discretion=judgement.professional_discretion,
                reason=judgement.note,
            )
            assert problem is None, (inspection, judgement.standard.code, problem)
            discretion += judgement.professional_discretion
        overall = inspection.overall_rating.name if inspection.overall_rating_id else None
        assert overall == catalogue.derived_overall(ratings)
        checked_overall += overall is not None
        if not catalogue.grades:  # SQS gives no ratings
            assert ratings == {} and overall is None
    assert checked_proposals > 300
    assert checked_overall > 20
    assert discretion > 0  # discretion is exercised, and still obeys the rule (with its reason)


def test_dates_follow_each_frameworks_era(frameworks):
    synthetic_generate(services=10, inspections_per_service=6, seed=4)
    eras = {era.catalogue.framework.code: era for era in framework_eras(framework_catalogues())}
    used = set()
    for code, published, start, end in Inspection.objects.values_list(
        "framework__code", "published_on", "fieldwork_start_on", "fieldwork_end_on"
    ):
        used.add(code)
        assert eras[code].first_year <= published.year <= eras[code].last_year, (code, published)
        assert start <= end < published
    assert used == {"fji-2015", "sqs-2015", "standards-2018"}


def test_findings_read_like_the_seed_reports_without_their_names(frameworks):
    synthetic_generate(services=3, inspections_per_service=3, seed=9)
    texts = list(Finding.objects.values_list("text", flat=True))
    average = sum(map(len, texts)) / len(texts)
    assert 150 <= average <= 500
    everything = " ".join(texts)
    for seed_name in ("Western Bay", "Swindon", "Bromley", "Warwickshire", "Northamptonshire", "WBYJEIS"):
        assert seed_name not in everything
    service = Service.objects.get(slug__startswith=f"{SLUG_PREFIX}00001")
    assert not any("\ue010" in text for text in texts)  # the placeholder for the service's name never reaches a row
    assert Finding.objects.filter(inspection__service=service, text__contains=service.name).exists()


def test_command_refuses_a_database_with_synthetic_data_and_writes_nothing(frameworks):
    call_command("generate_synthetic", services=2, inspections_per_service=2, seed=1, stdout=StringIO())
    counts = {model.__name__: model.objects.count() for model in MODELS}

    with pytest.raises(CommandError, match="Nothing was written: synthetic services are already stored"):
        call_command("generate_synthetic", services=2, inspections_per_service=2, seed=2, stdout=StringIO())

    assert {model.__name__: model.objects.count() for model in MODELS} == counts


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"services": 0}, "--services must be at least 1, not 0"),
        ({"services": 1, "inspections_per_service": 0}, "--inspections-per-service must be 1 to 40, not 0"),
    ],
)
def test_command_names_a_bad_count(frameworks, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_synthetic", stdout=StringIO(), **arguments)
    assert Service.objects.count() == 0


def test_command_without_a_terminal_writes_plain_progress_lines(frameworks):
    out = StringIO()

    call_command("generate_synthetic", services=3, inspections_per_service=1, seed=1, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "3/3 services written"
    assert "\r" not in out.getvalue()
    assert lines[1].startswith("3 services, 3 inspections, ")
    assert lines[1].endswith("(seed 1)")


def test_generated_findings_are_filed_under_their_ratings_and_stay_so(frameworks):
    """On PostgreSQL the generator turns off the judgements' filing trigger while it copies; it must come back."""
    from tests.findings.test_filed_rating import misfiled, other_grade

    synthetic_generate(services=3, inspections_per_service=2, seed=5)
    assert Finding.objects.filter(filed_rating__isnull=False).count() > 0
    assert misfiled() == []

    finding = Finding.objects.filter(standard__isnull=False, filed_rating__isnull=False).first()
    judgement = Judgement.objects.get(inspection=finding.inspection, standard=finding.standard)
    judgement.rating = other_grade(judgement)
    judgement.save()
    under = Finding.objects.filter(inspection=judgement.inspection, standard=judgement.standard)
    assert set(under.values_list("filed_rating_id", flat=True)) == {judgement.rating_id}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers that need statistics are PostgreSQL's")
def test_the_tables_statistics_are_refreshed_after_the_first_batch_inside_the_transaction(frameworks, monkeypatch):
    """The triggers read the judgements as each inspection is written: with the empty tables' statistics they kept
    a plan that scanned every judgement, and generating took longer with each batch (synthetic.statistics_refresh).
    """
    monkeypatch.setattr(synthetic, "SERVICE_BATCH", 2)  # three services: a batch of two, then one of one
    synthetic_generate(services=3, inspections_per_service=2, seed=1)
    synthetic_services = Service.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk")
    later = Judgement.objects.filter(inspection__service__in=list(synthetic_services[2:]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Judgement._meta.db_table])
        (estimated,) = cursor.fetchone()
    # What ANALYZE counted after the first batch, the transaction's own rows with the five reports': not the table
    # before (never counted: -1), nor after the second batch.
    assert later.count() > 0
    assert int(estimated) == Judgement.objects.count() - later.count()
