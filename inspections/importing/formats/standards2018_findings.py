"""The words of a 2018 standards report as findings: summary, key findings, narrative, strengths and areas.

Kinds follow docs/data-format.md: the Foreword and the overall-findings introduction are `summary`; each domain's
"Our key findings about ... are as follows" items are `key_finding` (standard = domain code); a standard section's
paragraphs are `explanation`, with the inspectors' case notes in quotation marks as `quote` and a case study
introduced as "the following example" as `notable_practice`; each domain's Summary lists `strength` and
`area_for_improvement` items (standard = domain code); the Introduction's paragraphs about this service (not the
template's paragraphs about youth offending services in general) are `explanation` with no standard.

OCR loses some standard headings and leaves only the rating word where the heading was; such a section is placed
between its neighbours (the one heading missing between 1.1 and 1.3 is 1.2) and marked as inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspections.importing.formats.standards2018_lines import (
    DOMAIN_NAMES,
    Paragraph,
    clean,
    find_heading,
    is_domain_heading,
    next_non_blank,
    paragraphs,
    rating_word,
    similar,
    standard_heading,
    standards,
    trailing_rating,
)
from inspections.importing.result import ImportResult, SourceLine

if TYPE_CHECKING:
    from inspections.importing.formats.standards2018 import Layout

_KEY_FINDINGS = re.compile(r"^Our key findings about (.+?) are as follows:?$", re.IGNORECASE)
# The Introduction's template paragraphs, the same in every report, describe youth offending services in general.
_TEMPLATE_INTRODUCTION = re.compile(
    r"^(?:Youth offending (?:teams|services)|YOTs|YOSs|YOT work|YOS work)\b", re.IGNORECASE
)
_SIGNATURE = re.compile(r"Chief Inspector of Probation|^Dame Glenys Stacey$|^Justin Russell$")
_INSPECTOR_NOTE = re.compile(r"\binspector(?:'s)?\b", re.IGNORECASE)
_EXAMPLE_NOTE = re.compile(r"following example:$", re.IGNORECASE)
_QUOTED = re.compile(r'^"(.+)"\.?$')
_SPEAKER = re.compile(
    r"^(?:One|A|Another) (member of staff|parent/carer|parent|carer|case manager|child or young person|young person)\b"
)
_INLINE_QUOTE = re.compile(r'"([^"]+)"')
_QUOTE_WORDS = 8  # shorter quoted phrases are the report's own words in quotation marks
_MIN_WORDS = 3  # fewer is an OCR speck (`A`, `W`, `(`) or a stray rating word


@dataclass(frozen=True)
class SectionHeading:
    index: int
    code: str
    rating: str | None
    line: SourceLine
    inferred: bool = False


def section_headings(lines: list[SourceLine], start: int | None, end: int) -> list[SectionHeading]:
    """The standards' section headings in order, with the rating each prints, lost ones inferred from their place."""
    if start is None:
        return []
    found: list[SectionHeading] = []
    consumed: set[int] = set()
    for index in range(start, end):
        heading = standard_heading(clean(lines[index].text))
        if heading is None or any(h.code == heading.code for h in found):
            continue
        rating = None
        if heading.rest:
            trailing = trailing_rating(heading.rest)
            rating = trailing[1] if trailing and not trailing[0] else None
        else:
            following = next_non_blank(lines, index)
            if following is not None and following < end and rating_word(clean(lines[following].text)):
                rating = rating_word(clean(lines[following].text))
                consumed.add(following)
        found.append(SectionHeading(index, heading.code, rating, lines[index]))
    inferred = []
    for index in range(start, end):
        rating = rating_word(clean(lines[index].text))
        if rating is None or index in consumed:
            continue
        before = [h for h in found if h.index < index]
        after = [h for h in found if h.index > index]
        if not before or not after:
            continue
        previous, following = before[-1], after[0]
        domain, number = previous.code.split(".")
        missing = f"{domain}.{int(number) + 1}"
        if following.code == f"{domain}.{int(number) + 2}" and not any(h.code == missing for h in found + inferred):
            inferred.append(SectionHeading(index, missing, rating, lines[index], inferred=True))
    return sorted(found + inferred, key=lambda h: h.index)


def findings(
    lines: list[SourceLine], layout: Layout, headings: list[SectionHeading], result: ImportResult
) -> list[dict]:
    items: list[tuple[dict, SourceLine]] = []
    items += _summary(lines, layout)
    items += _key_findings(lines, layout)
    items += _introduction(lines, layout)
    items += _sections(lines, headings, layout.end_of(layout.sections, lines))
    if not items:
        result.missing("findings", "no findings were found (Foreword, key findings and standard sections all lost)")
    for index, (_, line) in enumerate(items):
        result.found(f"findings/{index}/text", line)
    return [item for item, _ in items]


def _finding(kind: str, standard: str | None, paragraph: Paragraph, **extra) -> tuple[dict, SourceLine]:
    return {"kind": kind, "standard": standard, "text": paragraph.text, **extra}, paragraph.first


def _words(paragraph: Paragraph) -> int:
    return len(paragraph.text.split())


def _summary(lines: list[SourceLine], layout: Layout) -> list[tuple[dict, SourceLine]]:
    items = []
    if layout.foreword is not None:
        for paragraph in paragraphs(lines, layout.foreword + 1, layout.end_of(layout.foreword, lines)):
            if _words(paragraph) > _MIN_WORDS and not _SIGNATURE.search(paragraph.text):
                items.append(_finding("summary", None, paragraph))
    return items


def _key_findings(lines: list[SourceLine], layout: Layout) -> list[tuple[dict, SourceLine]]:
    """Overall findings: its opening words (summary), then each domain's key findings until the summary of ratings."""
    if layout.overall_findings is None:
        return []
    end = layout.summary_table if layout.summary_table is not None else layout.end_of(layout.overall_findings, lines)
    items = []
    domain: str | None = None
    for paragraph in paragraphs(lines, layout.overall_findings + 1, end):
        introduction = _KEY_FINDINGS.match(paragraph.text)
        if introduction:
            domain = DOMAIN_NAMES.get(introduction.group(1).lower())
        elif paragraph.text.startswith("Service:"):
            break
        elif _words(paragraph) < _MIN_WORDS or is_domain_heading(paragraph.text):
            continue
        elif domain is None:
            items.append(_finding("summary", None, paragraph))
        else:
            items.append(_finding("key_finding", domain, paragraph))
    return items


def _introduction(lines: list[SourceLine], layout: Layout) -> list[tuple[dict, SourceLine]]:
    if layout.introduction is None:
        return []
    end = layout.end_of(layout.introduction, lines)
    role = find_heading(lines, "The role of HM Inspectorate of Probation", layout.introduction, end)
    return [
        _finding("explanation", None, paragraph)
        for paragraph in paragraphs(lines, layout.introduction + 1, role if role is not None else end)
        if _words(paragraph) > _MIN_WORDS and not _TEMPLATE_INTRODUCTION.match(paragraph.text)
    ]


def _sections(lines: list[SourceLine], headings: list[SectionHeading], end: int) -> list[tuple[dict, SourceLine]]:
    items = []
    descriptions = {standard["code"]: standard.get("description") or "" for standard in standards()}
    for position, heading in enumerate(headings):
        stop = headings[position + 1].index if position + 1 < len(headings) else end
        domain = heading.code.split(".")[0]
        mode = "narrative"
        previous: Paragraph | None = None
        for paragraph in paragraphs(lines, heading.index + 1, stop):
            text = paragraph.text
            lowered = text.lower().rstrip(":")
            if lowered == "summary":
                mode = "summary"
            elif lowered == "strengths":
                mode = "strength"
            elif lowered == "areas for improvement":
                mode = "area_for_improvement"
            elif is_domain_heading(text):
                mode = "domain introduction"  # the next domain's opening words, the same in every report
            elif _words(paragraph) < _MIN_WORDS or mode in ("summary", "domain introduction"):
                pass
            elif mode in ("strength", "area_for_improvement"):
                items.append(_finding(mode, domain, paragraph))
            elif previous is None and similar(text, descriptions[heading.code]) > 0.8:
                pass  # the standard's own statement, printed under its heading
            else:
                items.extend(_narrative(heading.code, paragraph, previous))
            previous = paragraph
    return items


def _narrative(code: str, paragraph: Paragraph, previous: Paragraph | None) -> list[tuple[dict, SourceLine]]:
    """A narrative paragraph, and the words it quotes at length from someone the report names."""
    items = [_paragraph_kind(code, paragraph, previous)]
    speaker = _SPEAKER.match(paragraph.text)
    if items[0][0]["kind"] == "explanation" and speaker:
        for quoted in _INLINE_QUOTE.finditer(paragraph.text):
            if len(quoted.group(1).split()) >= _QUOTE_WORDS:
                quote = {"kind": "quote", "standard": code, "text": quoted.group(1), "attribution": speaker.group(1)}
                items.append((quote, paragraph.first))
    return items


def _paragraph_kind(code: str, paragraph: Paragraph, previous: Paragraph | None) -> tuple[dict, SourceLine]:
    quoted = _QUOTED.match(paragraph.text)
    if quoted and previous is not None:
        extra = {"attribution": "inspector"} if _INSPECTOR_NOTE.search(previous.text) else {}
        text = quoted.group(1)
        return {"kind": "quote", "standard": code, "text": text, **extra}, paragraph.first
    if previous is not None and _EXAMPLE_NOTE.search(previous.text):
        return _finding("notable_practice", code, paragraph)
    return _finding("explanation", code, paragraph)
