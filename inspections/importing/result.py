"""What an import produces: the draft document, where each value was read from, and what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceLine:
    """One line of the report as it was read (1-based number in the original file, text after normalisation)."""

    number: int
    text: str


@dataclass(frozen=True)
class Problem:
    """A value the importer left null, or a part it skipped, and why. `field` uses the same paths as `sources`."""

    field: str
    reason: str
    source: SourceLine | None = None


@dataclass
class ImportResult:
    """The draft inspection document (the format `load_reports` reads) plus its provenance.

    `sources` maps a field path to the line its value came from. Paths are slash-separated and name items by their
    natural key, so they survive reordering:
    `overall_rating`, `lead_inspector`, `judgements/1.1/rating`, `judgements/1.1/score_percent`,
    `key_questions/2.1.1/percent_yes`, `recommendations/3/text`, `recommendations/3/addressee`,
    `findings/<index>/text`, `key_facts/<measure>/value`, `cases/court`.
    """

    format: str
    document: dict[str, Any]
    sources: dict[str, SourceLine] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def found(self, path: str, line: SourceLine) -> None:
        self.sources[path] = line

    def missing(self, path: str, reason: str, near: SourceLine | None = None) -> None:
        self.problems.append(Problem(path, reason, near))
