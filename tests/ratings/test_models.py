"""What the database itself refuses, whoever writes: constraints and the cross-table triggers."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from findings.models import Finding
from inspections.models import Inspection
from ratings.models import Grade, Judgement, KeyQuestion, KeyQuestionScore, Standard

pytestmark = pytest.mark.integration


def refused(write) -> None:
    """Assert the database refuses the write, and leaves the test's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.fixture
def western_bay(reports) -> Inspection:
    return Inspection.objects.get(service__slug="western-bay")


def test_percentages_stay_within_0_to_100(western_bay):
    score = KeyQuestionScore.objects.get(inspection=western_bay, key_question__code="2.1.1")
    judgement = Judgement.objects.get(inspection=western_bay, standard__code="2.1")

    refused(lambda: KeyQuestionScore.objects.filter(pk=score.pk).update(percent_yes=101))
    refused(lambda: Judgement.objects.filter(pk=judgement.pk).update(score_percent=101))

    score.refresh_from_db()
    assert score.percent_yes == 65


def test_one_judgement_per_standard_per_inspection(western_bay):
    existing = Judgement.objects.get(inspection=western_bay, standard__code="2.1")
    refused(
        lambda: Judgement.objects.create(inspection=western_bay, standard=existing.standard, rating=existing.rating)
    )


def test_discretion_without_reason_is_refused_by_the_database(western_bay):
    judgement = Judgement.objects.get(inspection=western_bay, standard__code="3.3")
    assert judgement.professional_discretion is True
    refused(lambda: Judgement.objects.filter(pk=judgement.pk).update(note=""))


def test_rating_from_another_frameworks_scale_is_refused(western_bay):
    fji_good = Grade.objects.get(scale__code="fji-four-point", name="Good")
    judgement = Judgement.objects.get(inspection=western_bay, standard__code="2.1")

    refused(lambda: Judgement.objects.filter(pk=judgement.pk).update(rating=fji_good))
    refused(lambda: Inspection.objects.filter(pk=western_bay.pk).update(overall_rating=fji_good))

    judgement.rating = fji_good
    with pytest.raises(ValidationError) as error:
        judgement.full_clean()
    assert error.value.message_dict["rating"] == [
        "Good is not on the Youth offending service inspection standards (2018) rating scale."
    ]


def test_standard_and_key_question_of_another_framework_are_refused(western_bay):
    fji_theme = Standard.objects.get(framework__code="fji-2015", code="1")
    refused(lambda: Judgement.objects.create(inspection=western_bay, standard=fji_theme))

    swindon = Inspection.objects.get(service__slug="swindon")
    question = KeyQuestion.objects.get(code="2.1.1")
    refused(lambda: KeyQuestionScore.objects.create(inspection=swindon, key_question=question, percent_yes=50))


def test_framework_cannot_change_under_existing_judgements(western_bay):
    fji = Standard.objects.get(framework__code="fji-2015", code="1").framework
    refused(lambda: Inspection.objects.filter(pk=western_bay.pk).update(framework=fji, overall_rating=None))

    western_bay.framework, western_bay.overall_rating = fji, None
    with pytest.raises(ValidationError) as error:
        western_bay.full_clean()
    assert error.value.message_dict["framework"] == [
        "This inspection has judgements against another framework: delete them first."
    ]


def test_finding_is_about_a_standard_or_a_domain_not_both(western_bay):
    finding = Finding.objects.filter(inspection=western_bay, standard__code="2.1").first()
    domain = finding.standard.domain
    refused(lambda: Finding.objects.filter(pk=finding.pk).update(domain=domain))
    refused(lambda: Finding.objects.filter(pk=finding.pk).update(text=""))
