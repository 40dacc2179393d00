"""The published rating rules (``ratings.rules``), read as the inspectorate states them.

Pure tests: the 2018 rule set is built here by hand from the published rule, not read from the database, so a
wrong row in ``fixtures/frameworks.json`` cannot make these tests agree with it.
"""

import pytest

from ratings.rules import (
    PercentBand,
    PointsBand,
    Proposal,
    RuleSet,
    band_for_percent,
    judgement_problem,
    overall_rating,
    proposed_rating,
)
from tests.conftest import report_document

pytestmark = pytest.mark.unit

OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE = "Outstanding", "Good", "Requires improvement", "Inadequate"

# 80% and over Outstanding, 65-79% Good, 50-64% Requires improvement, under 50% Inadequate.
PERCENT_BANDS_2018 = (
    PercentBand(rating=OUTSTANDING, min_percent=80),
    PercentBand(rating=GOOD, min_percent=65),
    PercentBand(rating=REQUIRES_IMPROVEMENT, min_percent=50),
    PercentBand(rating=INADEQUATE, min_percent=0),
)
# Points summed over the twelve standards, banded 0-6, 7-18, 19-30, 31-36.
OVERALL_BANDS_2018 = (
    PointsBand(rating=INADEQUATE, min_points=0, max_points=6),
    PointsBand(rating=REQUIRES_IMPROVEMENT, min_points=7, max_points=18),
    PointsBand(rating=GOOD, min_points=19, max_points=30),
    PointsBand(rating=OUTSTANDING, min_points=31, max_points=36),
)
POINTS_2018 = {OUTSTANDING: 3, GOOD: 2, REQUIRES_IMPROVEMENT: 1, INADEQUATE: 0}
RULES_2018 = RuleSet(percent_bands=PERCENT_BANDS_2018, overall_bands=OVERALL_BANDS_2018, grade_points=POINTS_2018)


def twelve_ratings(*, outstanding: int = 0, good: int = 0, requires_improvement: int = 0, inadequate: int = 0):
    ratings = (
        [OUTSTANDING] * outstanding
        + [GOOD] * good
        + [REQUIRES_IMPROVEMENT] * requires_improvement
        + [INADEQUATE] * inadequate
    )
    assert len(ratings) == 12
    return ratings


# --- band_for_percent -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "grade"),
    [
        (0, INADEQUATE),
        (49, INADEQUATE),
        (50, REQUIRES_IMPROVEMENT),
        (64, REQUIRES_IMPROVEMENT),
        (65, GOOD),
        (79, GOOD),
        (80, OUTSTANDING),
        (100, OUTSTANDING),
    ],
)
def test_band_for_percent_pins_every_band_edge(percent, grade):
    assert band_for_percent(percent, PERCENT_BANDS_2018) == grade


def test_band_for_percent_ignores_the_order_the_bands_are_listed_in():
    assert band_for_percent(64, tuple(reversed(PERCENT_BANDS_2018))) == REQUIRES_IMPROVEMENT


def test_band_for_percent_is_none_below_every_band():
    bands = (PercentBand(rating=GOOD, min_percent=65),)
    assert band_for_percent(64, bands) is None


def test_band_for_percent_is_none_without_bands():
    assert band_for_percent(50, ()) is None


# --- proposed_rating --------------------------------------------------------------------------------------


def test_proposed_rating_follows_the_lowest_question():
    proposal = proposed_rating({"2.1.1": 85, "2.1.2": 64, "2.1.3": 80}, PERCENT_BANDS_2018)
    assert proposal == Proposal(rating=REQUIRES_IMPROVEMENT, lowest_code="2.1.2", lowest_percent=64)


def test_proposed_rating_lowest_question_may_be_last():
    proposal = proposed_rating({"2.1.1": 90, "2.1.2": 81, "2.1.3": 49}, PERCENT_BANDS_2018)
    assert proposal == Proposal(rating=INADEQUATE, lowest_code="2.1.3", lowest_percent=49)


def test_proposed_rating_tie_chooses_the_lower_code():
    proposal = proposed_rating({"3.2.2": 73, "3.2.3": 89, "3.2.1": 73}, PERCENT_BANDS_2018)
    assert proposal == Proposal(rating=GOOD, lowest_code="3.2.1", lowest_percent=73)


def test_proposed_rating_single_question():
    assert proposed_rating({"3.4.1": 80}, PERCENT_BANDS_2018) == Proposal(
        rating=OUTSTANDING, lowest_code="3.4.1", lowest_percent=80
    )


def test_proposed_rating_none_when_any_percent_is_unknown():
    # Warwickshire 3.3: the % were lost to OCR; an unknown figure could be the lowest.
    assert proposed_rating({"3.3.1": 95, "3.3.2": None, "3.3.3": 90}, PERCENT_BANDS_2018) is None


def test_proposed_rating_none_when_every_percent_is_unknown():
    assert proposed_rating({"3.3.1": None, "3.3.2": None, "3.3.3": None}, PERCENT_BANDS_2018) is None


def test_proposed_rating_none_without_bands():
    assert proposed_rating({"2.1.1": 65}, ()) is None


def test_proposed_rating_none_without_questions():
    assert proposed_rating({}, PERCENT_BANDS_2018) is None


# --- overall_rating ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "total", "grade"),
    [
        (twelve_ratings(inadequate=12), 0, INADEQUATE),
        (twelve_ratings(requires_improvement=6, inadequate=6), 6, INADEQUATE),
        (twelve_ratings(requires_improvement=7, inadequate=5), 7, REQUIRES_IMPROVEMENT),
        (twelve_ratings(good=6, requires_improvement=6), 18, REQUIRES_IMPROVEMENT),
        (twelve_ratings(good=7, requires_improvement=5), 19, GOOD),
        (twelve_ratings(outstanding=6, good=6), 30, GOOD),
        (twelve_ratings(outstanding=7, good=5), 31, OUTSTANDING),
        (twelve_ratings(outstanding=12), 36, OUTSTANDING),
    ],
    ids=["sum-0", "sum-6", "sum-7", "sum-18", "sum-19", "sum-30", "sum-31", "sum-36"],
)
def test_overall_rating_pins_every_band_edge(ratings, total, grade):
    assert sum(POINTS_2018[rating] for rating in ratings) == total
    assert overall_rating(ratings, RULES_2018) == grade


def test_overall_rating_does_not_depend_on_the_order_of_the_standards():
    ratings = [OUTSTANDING] * 4 + [GOOD] * 4 + [REQUIRES_IMPROVEMENT] * 3 + [INADEQUATE]  # 12 + 8 + 3 = 23
    assert overall_rating(ratings, RULES_2018) == GOOD
    assert overall_rating(list(reversed(ratings)), RULES_2018) == GOOD


def test_overall_rating_none_when_one_standard_is_unrated():
    ratings = twelve_ratings(outstanding=12)
    ratings[5] = None
    assert overall_rating(ratings, RULES_2018) is None


def test_overall_rating_none_without_overall_bands():
    rules = RuleSet(percent_bands=PERCENT_BANDS_2018, overall_bands=(), grade_points=POINTS_2018)
    assert overall_rating(twelve_ratings(good=12), rules) is None


def test_overall_rating_none_without_grade_points():
    rules = RuleSet(percent_bands=PERCENT_BANDS_2018, overall_bands=OVERALL_BANDS_2018, grade_points=None)
    assert overall_rating(twelve_ratings(good=12), rules) is None


def test_overall_rating_none_without_ratings():
    assert overall_rating([], RULES_2018) is None


# --- judgement_problem ------------------------------------------------------------------------------------

PROPOSAL_3_3 = Proposal(rating=REQUIRES_IMPROVEMENT, lowest_code="3.3.2", lowest_percent=50)


def test_judgement_problem_none_when_rating_follows_the_rule():
    assert (
        judgement_problem(rating=REQUIRES_IMPROVEMENT, proposal=PROPOSAL_3_3, professional_discretion=False, reason="")
        is None
    )


def test_judgement_problem_names_both_ratings_and_the_lowest_question_without_discretion():
    problem = judgement_problem(rating=INADEQUATE, proposal=PROPOSAL_3_3, professional_discretion=False, reason="")
    assert problem == (
        "rating 'Inadequate' differs from 'Requires improvement', which the lowest key question (3.3.2 at 50%) "
        "proposes: correct the rating, or set professional discretion and give the reason"
    )


def test_judgement_problem_none_with_discretion_and_reason():
    assert (
        judgement_problem(
            rating=INADEQUATE,
            proposal=PROPOSAL_3_3,
            professional_discretion=True,
            reason="Cases close to the grade boundary.",
        )
        is None
    )


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"], ids=["empty", "spaces", "newline-tab"])
def test_judgement_problem_discretion_needs_a_reason(reason):
    problem = judgement_problem(rating=INADEQUATE, proposal=PROPOSAL_3_3, professional_discretion=True, reason=reason)
    assert problem == "professional discretion needs its reason in the note"


def test_judgement_problem_discretion_needs_a_reason_even_when_the_rating_follows_the_rule():
    problem = judgement_problem(
        rating=REQUIRES_IMPROVEMENT, proposal=PROPOSAL_3_3, professional_discretion=True, reason=" "
    )
    assert problem == "professional discretion needs its reason in the note"


def test_judgement_problem_none_without_a_proposal():
    # Organisational-delivery standards are rated by judgement, and a lost % leaves nothing to compare with.
    assert judgement_problem(rating=GOOD, proposal=None, professional_discretion=False, reason="") is None


def test_judgement_problem_none_without_a_rating():
    assert judgement_problem(rating=None, proposal=PROPOSAL_3_3, professional_discretion=False, reason="") is None


# --- the seed reports as real cases -----------------------------------------------------------------------


def test_proposed_rating_western_bay_3_3_is_requires_improvement_from_its_lowest_question():
    document = report_document("western-bay")
    percents = {q["code"]: q["percent_yes"] for q in document["key_questions"] if q["code"].startswith("3.3.")}
    assert percents == {"3.3.1": 81, "3.3.2": 50, "3.3.3": 67}
    assert proposed_rating(percents, PERCENT_BANDS_2018) == PROPOSAL_3_3


def test_judgement_problem_western_bay_3_3_inadequate_stands_by_discretion():
    document = report_document("western-bay")
    [judgement] = [j for j in document["judgements"] if j["code"] == "3.3"]
    assert judgement["rating"] == INADEQUATE
    assert judgement["professional_discretion"] is True
    assert (
        judgement_problem(
            rating=judgement["rating"],
            proposal=PROPOSAL_3_3,
            professional_discretion=judgement["professional_discretion"],
            reason=judgement["note"],
        )
        is None
    )
    assert judgement_problem(
        rating=judgement["rating"], proposal=PROPOSAL_3_3, professional_discretion=False, reason=""
    ) == (
        "rating 'Inadequate' differs from 'Requires improvement', which the lowest key question (3.3.2 at 50%) "
        "proposes: correct the rating, or set professional discretion and give the reason"
    )


@pytest.mark.parametrize(
    ("slug", "total", "grade"),
    [("western-bay", 6, INADEQUATE), ("warwickshire", 27, GOOD)],
)
def test_overall_rating_of_the_2018_seed_reports(slug, total, grade):
    document = report_document(slug)
    ratings = [judgement["rating"] for judgement in document["judgements"]]
    assert len(ratings) == 12
    assert sum(POINTS_2018[rating] for rating in ratings) == total
    assert overall_rating(ratings, RULES_2018) == grade
    assert document["overall_rating"] == grade


@pytest.mark.parametrize("slug", ["western-bay", "warwickshire"])
def test_proposed_rating_of_the_2018_seed_reports_matches_their_case_based_ratings(slug):
    """Every case-based standard with all its % known follows the rule, except where discretion is stated."""
    document = report_document(slug)
    for judgement in document["judgements"]:
        if not judgement["code"].startswith(("2.", "3.")):
            continue
        percents = {
            q["code"]: q["percent_yes"]
            for q in document["key_questions"]
            if q["code"].rsplit(".", 1)[0] == judgement["code"]
        }
        proposal = proposed_rating(percents, PERCENT_BANDS_2018)
        if proposal is None:
            assert (slug, judgement["code"]) == ("warwickshire", "3.3")
        elif judgement["professional_discretion"]:
            assert (slug, judgement["code"], proposal.rating) == ("western-bay", "3.3", REQUIRES_IMPROVEMENT)
        else:
            assert judgement["rating"] == proposal.rating, judgement["code"]
