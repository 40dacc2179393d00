"""What the 2018 standards parser reads its report with: the framework, rating words, headings and paragraphs.

The 2018 reports come as clean text (Western Bay) or as OCR of the PDF (Warwickshire): headings lose their numbers
or gain junk (`% Court disposals`, `14 Information and facilities`), `YJS` turns into `Y]S` or `YIS`, page footers
(`Inspection of youth offending services in: Warwickshire 12`) and page numbers land inside paragraphs, and
paragraphs break across pages. Everything here works on the numbered `SourceLine`s so that each value keeps the line
it was read from.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.conf import settings

from inspections.importing.result import SourceLine
from inspections.importing.text import normalise_line

FRAMEWORK_CODE = "standards-2018"

# OCR of the 2018 reports reads the J of YJS as `]` or `I`; no other word in them is spelt that way.
_OCR_FIXES = [(re.compile(r"Y\]S"), "YJS"), (re.compile(r"\bYIS\b"), "YJS")]
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|(?<![\w\"])\*(?=[\w\"])|(?<=[\w\".])\*(?![\w\"])")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

RATING_WORDS = {"outstanding": "Outstanding", "good": "Good", "requires improvement": "Requires improvement"}
RATING_WORDS["inadequate"] = "Inadequate"
_RATING = r"(Outstanding|Good|Requires\s+[Ii]mprovement|Inadequate)"
# A line that is only a rating, allowing a footnote marker and the specks OCR leaves behind (`Good ‘`, `Good .`).
_STANDALONE_RATING = re.compile(rf"^{_RATING}[\s{_SUPERSCRIPTS}\d*'\".,‘’|]*$")
_TRAILING_RATING = re.compile(rf"(?:^|\s){_RATING}[\s{_SUPERSCRIPTS}\d*'\".,‘’|]*$")

_FOOTER = re.compile(r"^(?:an\s+)?inspection of youth offending services in:\s*\S.*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
# `1.1 Governance ...`, `1.1. Governance`, OCR `14 Information ...` or `1.2,` — never a key question `2.1.1.`.
_STANDARD_HEADING = re.compile(
    r"^(?P<domain>[1-9])\s?[.,]?\s?(?P<number>[1-9])(?![.,]?\s?\d)[.,]?(?:\s+(?P<rest>.*))?$"
)
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)


def year_month(match: re.Match) -> str:
    """`2019-03` from a MONTH_YEAR match (`March 2019`)."""
    return f"{match.group(2)}-{MONTHS.index(match.group(1).lower()) + 1:02d}"


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """A line's text with the report's OCR confusions and markdown emphasis taken out."""
    if "Y]S" in text or "YIS" in text:
        for pattern, replacement in _OCR_FIXES:
            text = pattern.sub(replacement, text)
    return _MARKDOWN_EMPHASIS.sub("", text) if "*" in text else text


def _joined(parts: list[str]) -> str:
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text.endswith("-") and not text.endswith(" -"):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def join_lines(parts: list[str]) -> str:
    """Lines broken by the PDF, joined: a word hyphenated at the break (`well-` / `informed`) keeps its hyphen.

    The reports break lines only at spaces or after a compound's own hyphen, so no hyphen is taken out.
    """
    return normalise_line(_joined(parts))  # again: `85 per` / `cent` only becomes `85%` once joined


def rating_word(text: str) -> str | None:
    """The framework's spelling of a rating that is the whole of `text` (footnote markers and specks allowed)."""
    match = _STANDALONE_RATING.match(text.strip())
    return RATING_WORDS[" ".join(match.group(1).lower().split())] if match else None


def trailing_rating(text: str) -> tuple[str, str] | None:
    """(text before, rating) when a line ends with a rating word (`1.1 Governance and leadership Good`)."""
    match = _TRAILING_RATING.search(text)
    if not match:
        return None
    return text[: match.start()].strip(), RATING_WORDS[" ".join(match.group(1).lower().split())]


def is_running_footer(text: str) -> bool:
    return bool(_FOOTER.match(text))


def is_page_furniture(text: str) -> bool:
    """A running footer or a page number: never part of what the report says where it lands."""
    return bool(_FOOTER.match(text) or _PAGE_NUMBER.match(text))


@lru_cache(maxsize=8192)
def heading_is(text: str, phrase: str) -> bool:
    """Whether `text` is the heading `phrase`, with OCR specks or a domain number around it but no other words."""
    text = re.sub(r"^[^A-Za-z0-9]+", "", text)
    text = re.sub(r"^\d\.\s*", "", text)
    if not text.lower().startswith(phrase.lower()):
        return False
    rest = text[len(phrase) :]
    return not re.search(r"[A-Za-z]{3,}|\d", rest)


def similar(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (difflib's ratio, after its cheap upper bounds rule most pairs out)."""
    matcher = difflib.SequenceMatcher(None, a.lower(), b.lower())
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class StandardHeading:
    code: str
    rest: str  # what follows the standard's name on the line


@cache
def framework() -> dict[str, Any]:
    """The 2018 framework from the reference data (`fixtures/frameworks.json`): read once, never written."""
    path = settings.BASE_DIR / "fixtures" / "frameworks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return next(item for item in data["frameworks"] if item["code"] == FRAMEWORK_CODE)


def standards() -> list[dict[str, Any]]:
    """The framework's standards in order, each with its `domain` code added."""
    return [
        {**standard, "domain": domain["code"]} for domain in framework()["domains"] for standard in domain["standards"]
    ]


def standard_heading(text: str, *, name_required: bool = True) -> StandardHeading | None:
    """The standard a heading line names (`2.2 Planning ...`), if it is one: code and name must both agree.

    The name is matched loosely (OCR prints `Partnership and services`); with `name_required=False` a bare code
    with its dot (`3.1.`, Annex 2's layout, the name on the next line) also counts.
    """
    match = _STANDARD_HEADING.match(text)
    if not match:
        return None
    code = f"{match['domain']}.{match['number']}"
    standard = next((s for s in standards() if s["code"] == code), None)
    if standard is None:
        return None
    rest = (match["rest"] or "").strip()
    if not rest:
        bare_code_with_dot = bool(re.match(r"^\d[.,]\d[.,]?$", text))
        return StandardHeading(code, "") if (not name_required and bare_code_with_dot) else None
    words = rest.split()
    name_words = standard["name"].split()
    candidate = " ".join(words[: len(name_words)])
    if similar(candidate, standard["name"]) < 0.85:
        return None
    return StandardHeading(code, " ".join(words[len(name_words) :]))


def next_non_blank(lines: list[SourceLine], index: int) -> int | None:
    """The index of the first non-blank line after `index`, skipping page furniture."""
    for position in range(index + 1, len(lines)):
        if lines[position].text and not is_page_furniture(lines[position].text):
            return position
    return None


def find_heading(lines: list[SourceLine], phrase: str, start: int = 0, end: int | None = None) -> int | None:
    for position in range(start, len(lines) if end is None else end):
        if heading_is(lines[position].text, phrase):
            return position
    return None


def search_joined(
    lines: list[SourceLine], pattern: re.Pattern, start: int = 0, end: int | None = None
) -> tuple[re.Match, SourceLine] | None:
    """The first match of `pattern` in a line or across a line break (a sentence wrapped at another width)."""
    end = len(lines) if end is None else end
    non_blank = [line for line in lines[start:end] if line.text]
    for position, line in enumerate(non_blank):
        match = pattern.search(clean(line.text))
        if match:
            return match, line
        if position + 1 < len(non_blank):
            joined = _joined([clean(line.text), clean(non_blank[position + 1].text)])
            match = pattern.search(joined)
            if match and match.start() < len(line.text):
                return match, line
    return None


@dataclass
class Paragraph:
    text: str
    first: SourceLine
    bullet: bool = False


_BULLET = re.compile(r"^(?:[-•*]|e(?=\s+[A-Z]))\s+")
_ENDS_SENTENCE = re.compile(r"[.?!:\"”']\)?$")
_ENDS_FULL_STOP = re.compile(r"[.?!][\"']?$")
DOMAIN_NAMES = {"organisational delivery": "1", "court disposals": "2", "out-of-court disposals": "3"}
_FONT_SLACK = 0.9
_SUMMARY_HEADINGS = re.compile(r"^(?:Summary|Strengths:?|Areas for improvement:?)$", re.IGNORECASE)


def is_domain_heading(text: str) -> bool:
    """`2. Court disposals`, `% Court disposals` (OCR), or the table rule under one (`---`)."""
    return any(heading_is(text, name) for name in DOMAIN_NAMES) or bool(re.fullmatch(r"[-\s]+", text))


def _stands_alone(text: str) -> bool:
    return bool(_SUMMARY_HEADINGS.match(text)) or is_domain_heading(text)


def _paragraph_ended(parts: list[str], text: str) -> bool:
    """Whether the paragraph so far ended before `text`, though no blank line says so."""
    if not parts:
        return False
    last = parts[-1]
    if _stands_alone(last) or _stands_alone(text):
        return True
    if parts[0].startswith('"') and last.endswith('"'):
        return True  # a quotation closed
    if last.endswith("as follows:"):
        return True  # a list's introduction
    # OCR often drops the blank line between paragraphs at a page break, but a paragraph's last line is short.
    if len(parts) < 2 or not text[:1].isupper() or not _ENDS_FULL_STOP.search(last):
        return False
    # The next word would have fitted on the last line, with room to spare for a proportional font: the line was
    # ended on purpose.
    return len(last) + 1 + len(text.split()[0]) < _FONT_SLACK * max(len(part) for part in parts[:-1])


def paragraphs(lines: list[SourceLine], start: int, end: int) -> list[Paragraph]:
    """The report's paragraphs between two line indexes, page furniture dropped and bullets marked.

    A blank line ends a paragraph unless the sentence plainly runs on (no closing punctuation, the next line in
    lower case): OCR and page breaks put blank lines inside sentences.
    """
    found: list[Paragraph] = []
    parts: list[str] = []
    first: SourceLine | None = None
    bullet = False
    blank_since = False

    def close() -> None:
        nonlocal parts, first, bullet
        if parts and first is not None:
            found.append(Paragraph(join_lines(parts), first, bullet))
        parts, first, bullet = [], None, False

    for line in lines[start:end]:
        text = clean(line.text)
        if not text:
            blank_since = True
            continue
        if is_page_furniture(text):
            continue
        # A dash opening a wrapped line mid-sentence is punctuation, not a bullet.
        is_bullet = bool(_BULLET.match(text)) and (blank_since or not parts or bool(_ENDS_SENTENCE.search(parts[-1])))
        runs_on = parts and not _ENDS_SENTENCE.search(parts[-1]) and text[:1].islower()
        if is_bullet or (blank_since and not runs_on) or _paragraph_ended(parts, text):
            close()
        if is_bullet:
            text = _BULLET.sub("", text)
            bullet = True
        if first is None:
            first = line
        parts.append(text)
        blank_since = False
    close()
    return found
