"""The published rating rules, as pure functions of plain values.

Every parameter (the % bands, the points bands, which grades are worth what) comes from the framework's data,
so a new framework needs new rows, not new code. Nothing here touches the database; ``ratings.selectors``
turns a framework's rows into the ``RuleSet`` these functions take.

The rules (HMI Probation, youth standards 2018):

- A case-based standard's rating follows its lowest key-question % band: 80% and over Outstanding,
  65-79% Good, 50-64% Requires improvement, under 50% Inadequate.
- Inspectors may depart from it by professional discretion, which the report must say.
- Overall: each counted standard scores its grade's points (Inadequate 0 ... Outstanding 3); the sum is banded
  0-6 Inadequate, 7-18 Requires improvement, 19-30 Good, 31-36 Outstanding.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PercentBand:
    rating: str
    min_percent: int


@dataclass(frozen=True)
class PointsBand:
    rating: str
    min_points: int
    max_points: int


@dataclass(frozen=True)
class RuleSet:
    """A framework's rule parameters: bands best first, and the points of each grade."""

    percent_bands: tuple[PercentBand, ...] = ()
    overall_bands: tuple[PointsBand, ...] = ()
    grade_points: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Proposal:
    """The rating the key questions propose, and the question that sets it."""

    rating: str
    lowest_code: str
    lowest_percent: int


def band_for_percent(percent: int, bands: Iterable[PercentBand]) -> str | None:
    """The grade whose band holds ``percent``: the band with the highest minimum at or below it."""
    eligible = [band for band in bands if percent >= band.min_percent]
    if not eligible:
        return None
    return max(eligible, key=lambda band: band.min_percent).rating


def proposed_rating(percent_by_question: Mapping[str, int | None], bands: Iterable[PercentBand]) -> Proposal | None:
    """The rating a case-based standard gets from its lowest key question.

    None when there is nothing to propose: no bands, no questions, or any question's % unknown (an unknown
    figure could be the lowest, so no proposal can be trusted).
    """
    bands = tuple(bands)
    if not bands or not percent_by_question or any(p is None for p in percent_by_question.values()):
        return None
    lowest_code = min(percent_by_question, key=lambda code: (percent_by_question[code], code))
    lowest_percent = percent_by_question[lowest_code]
    rating = band_for_percent(lowest_percent, bands)
    if rating is None:
        return None
    return Proposal(rating=rating, lowest_code=lowest_code, lowest_percent=lowest_percent)


def overall_rating(ratings: Iterable[str | None], rules: RuleSet) -> str | None:
    """The overall rating from the counted standards' ratings: their points summed, then banded.

    None when the framework has no overall rule, or a counted standard is unrated (the sum would be a guess).
    """
    ratings = tuple(ratings)
    if not rules.overall_bands or not rules.grade_points or not ratings or None in ratings:
        return None
    total = sum(rules.grade_points[rating] for rating in ratings)
    for band in rules.overall_bands:
        if band.min_points <= total <= band.max_points:
            return band.rating
    return None


def judgement_problem(
    *,
    rating: str | None,
    proposal: Proposal | None,
    professional_discretion: bool,
    reason: str,
) -> str | None:
    """Why a judgement breaks the rule, or None when it stands.

    A rating that differs from the proposal stands only with professional discretion and its reason;
    discretion always needs a reason.
    """
    if professional_discretion and not reason.strip():
        return "professional discretion needs its reason in the note"
    if proposal is None or rating is None or rating == proposal.rating:
        return None
    if professional_discretion:
        return None
    return (
        f"rating {rating!r} differs from {proposal.rating!r}, which the lowest key question "
        f"({proposal.lowest_code} at {proposal.lowest_percent}%) proposes: correct the rating, or set "
        f"professional discretion and give the reason"
    )
