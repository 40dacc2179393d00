"""Finding.filed_rating: the rating a finding is filed under, stored for searching and kept by database triggers
(findings/migrations/0007) whoever writes the finding, its judgement or its inspection."""

import pytest
from django.db import connection

from findings.models import Finding, FindingKind
from inspections.models import Inspection
from ratings.models import Domain, Grade, Judgement

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def rule(finding: Finding, *, judged: dict, overall: dict) -> int | None:
    """The rating the finding should be filed under, worked out in Python: its standard's judgement in the same
    inspection (none if not judged or not rated), else the inspection's overall rating."""
    if finding.standard_id is None:
        return overall[finding.inspection_id]
    return judged.get((finding.inspection_id, finding.standard_id))


def misfiled() -> list[tuple[int, int | None, int | None]]:
    """(finding, stored, rule) of every finding whose stored rating is not the rule's."""
    judged = {(j.inspection_id, j.standard_id): j.rating_id for j in Judgement.objects.all()}
    overall = dict(Inspection.objects.values_list("pk", "overall_rating_id"))
    expected = {f.pk: rule(f, judged=judged, overall=overall) for f in Finding.objects.all()}
    stored = dict(Finding.objects.values_list("pk", "filed_rating_id"))
    return [(pk, stored[pk], rating) for pk, rating in expected.items() if stored[pk] != rating]


def western_bay_finding_under(code: str) -> Finding:
    return Finding.objects.filter(inspection__service__slug="western-bay", standard__code=code).first()


def other_grade(judgement: Judgement) -> Grade:
    return judgement.inspection.framework.rating_scale.grades.exclude(pk=judgement.rating_id).order_by("points")[0]


def test_every_loaded_finding_is_filed_under_its_standards_rating_or_the_overall_rating(reports):
    assert Finding.objects.count() == 650
    assert misfiled() == []
    assert Finding.objects.filter(filed_rating__isnull=False).count() == 611
    # Western Bay's 1.1 (Governance and leadership) was rated Inadequate; its summary is filed under the overall.
    assert western_bay_finding_under("1.1").filed_rating.name == "Inadequate"
    summary = Finding.objects.filter(inspection__service__slug="western-bay", standard__isnull=True).first()
    assert summary.filed_rating.name == summary.inspection.overall_rating.name == "Inadequate"


def test_a_judgements_new_rating_refiles_its_findings_and_no_others(reports):
    judgement = Judgement.objects.get(inspection__service__slug="western-bay", standard__code="1.1")
    new = other_grade(judgement)
    others_before = dict(Finding.objects.exclude(standard=judgement.standard).values_list("pk", "filed_rating_id"))

    judgement.rating = new
    judgement.save()

    under = Finding.objects.filter(inspection=judgement.inspection, standard=judgement.standard)
    assert under.count() > 0
    assert set(under.values_list("filed_rating_id", flat=True)) == {new.pk}
    assert dict(Finding.objects.exclude(standard=judgement.standard).values_list("pk", "filed_rating_id")) == (
        others_before
    )


@pytest.mark.parametrize("how", ["update", "raw sql", "delete", "insert"])
def test_findings_follow_their_judgement_however_it_is_written(reports, how):
    judgement = Judgement.objects.get(inspection__service__slug="western-bay", standard__code="2.1")
    grade = other_grade(judgement)
    if how == "update":
        Judgement.objects.filter(pk=judgement.pk).update(rating=grade)
    elif how == "raw sql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ratings_judgement SET rating_id = %s WHERE id = %s", [grade.pk, judgement.pk])
    elif how == "delete":
        judgement.delete()
    else:
        judgement.delete()
        Judgement.objects.create(inspection=judgement.inspection, standard=judgement.standard, rating=grade)
    expected = None if how == "delete" else grade.pk
    under = Finding.objects.filter(inspection=judgement.inspection, standard=judgement.standard)
    assert set(under.values_list("filed_rating_id", flat=True)) == {expected}
    assert misfiled() == []


def test_a_new_overall_rating_refiles_the_findings_about_no_standard_only(reports):
    inspection = Inspection.objects.get(service__slug="western-bay")
    grade = inspection.framework.rating_scale.grades.get(name="Good")
    by_standard_before = dict(inspection.findings.filter(standard__isnull=False).values_list("pk", "filed_rating_id"))

    Inspection.objects.filter(pk=inspection.pk).update(overall_rating=grade)

    assert set(inspection.findings.filter(standard__isnull=True).values_list("filed_rating_id", flat=True)) == {
        grade.pk
    }
    assert dict(inspection.findings.filter(standard__isnull=False).values_list("pk", "filed_rating_id")) == (
        by_standard_before
    )


def test_a_finding_written_or_moved_takes_the_rating_of_where_it_is(reports):
    finding = western_bay_finding_under("1.1")
    inspection = finding.inspection
    domain = Domain.objects.filter(framework=inspection.framework).first()
    # Written with a wrong stored rating (a stale instance, bulk_create, an update naming it): the rule wins.
    wrong = Grade.objects.exclude(pk=finding.filed_rating_id).first()
    right = finding.filed_rating_id
    Finding.objects.filter(pk=finding.pk).update(filed_rating=wrong)
    assert Finding.objects.get(pk=finding.pk).filed_rating_id == right != wrong.pk

    finding.standard, finding.domain = None, domain
    finding.save()
    assert Finding.objects.get(pk=finding.pk).filed_rating_id == inspection.overall_rating_id

    created = Finding.objects.bulk_create(
        [
            Finding(inspection=inspection, kind=FindingKind.STRENGTH, standard=standard, text="Added.", position=99)
            for standard in inspection.framework.standards.all()
        ]
    )
    assert len(created) > 1
    assert misfiled() == []
