"""How far an imported document agrees with a curated one, on the values an inspector must never retype.

The acceptance fields (issue 4, "Done when"): the overall rating; each judgement's rating, score and professional
discretion; each key question's % yes; each recommendation's number, addressee and first sentence. Findings and key
facts are extracted too but are not part of the figure: their wording and splitting legitimately vary.

Items are matched by their natural key (standard code, key-question code, recommendation number), on the union of
both documents' keys, so an item the importer missed and an item it invented both count as mismatches.
Strings are compared after the same typographic normalisation the importer applies to the report's text (straight
quotes, hyphens for dashes, `per cent` as `%`, single spaces): curated fixtures keep the report's curly quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from inspections.importing.text import normalise_line

ABSENT = "<absent>"
"""What a mismatch shows for an item one of the two documents does not have at all."""

# A sentence ends at . ! or ? followed by white space and a capital letter (recommendations start in lower case and
# do not use abbreviations such as "e.g. The", so this does not cut them short).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: Any
    got: Any


@dataclass
class Agreement:
    """The compared field paths (`judgements/1.1/rating`, ...) and the ones that differ."""

    fields: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.fields)

    @property
    def matched(self) -> int:
        return self.total - len(self.mismatches)

    @property
    def complete(self) -> bool:
        return not self.mismatches

    @property
    def figure(self) -> str:
        return f"{self.matched}/{self.total}"

    def compare(self, path: str, expected: Any, got: Any) -> None:
        self.fields.append(path)
        if _comparable(expected) != _comparable(got):
            self.mismatches.append(Mismatch(path, expected, got))


def first_sentence(text: str | None) -> str | None:
    """A recommendation's first sentence, as written (terminal punctuation kept)."""
    if text is None:
        return None
    return _SENTENCE_END.split(normalise_line(text), maxsplit=1)[0]


def agreement(imported: dict[str, Any], fixture: dict[str, Any]) -> Agreement:
    """Compare `imported` with `fixture` (both inspection documents) on the acceptance fields."""
    result = Agreement()
    result.compare("overall_rating", fixture.get("overall_rating"), imported.get("overall_rating"))

    expected, got = _by_key(fixture, "judgements", "code"), _by_key(imported, "judgements", "code")
    for code in _keys(expected, got):
        for name in ("rating", "score_percent", "professional_discretion"):
            result.compare(f"judgements/{code}/{name}", _value(expected, code, name), _value(got, code, name))

    expected, got = _by_key(fixture, "key_questions", "code"), _by_key(imported, "key_questions", "code")
    for code in _keys(expected, got):
        result.compare(
            f"key_questions/{code}/percent_yes", _value(expected, code, "percent_yes"), _value(got, code, "percent_yes")
        )

    expected, got = _by_key(fixture, "recommendations", "number"), _by_key(imported, "recommendations", "number")
    for number in _keys(expected, got):
        result.compare(
            f"recommendations/{number}/number", _value(expected, number, "number"), _value(got, number, "number")
        )
        result.compare(
            f"recommendations/{number}/addressee",
            _value(expected, number, "addressee"),
            _value(got, number, "addressee"),
        )
        result.compare(
            f"recommendations/{number}/first_sentence",
            _first_sentence_of(expected, number),
            _first_sentence_of(got, number),
        )
    return result


def _by_key(document: dict[str, Any], items: str, key: str) -> dict[Any, dict[str, Any]]:
    return {item.get(key): item for item in document.get(items) or [] if isinstance(item, dict)}


def _keys(expected: dict, got: dict) -> list:
    """The fixture's keys in its order, then any the import added (sorted as text, so the order is stable)."""
    return list(expected) + sorted((key for key in got if key not in expected), key=str)


def _value(items: dict[Any, dict[str, Any]], key: Any, name: str) -> Any:
    return items[key].get(name) if key in items else ABSENT


def _first_sentence_of(items: dict[Any, dict[str, Any]], number: Any) -> Any:
    if number not in items:
        return ABSENT
    return first_sentence(items[number].get("text"))


def _comparable(value: Any) -> Any:
    # Typed, so that True does not agree with 1 nor 0 with False.
    if isinstance(value, str):
        return (str, normalise_line(value))
    return (bool, value) if isinstance(value, bool) else (type(value) if value is None else "number", value)
