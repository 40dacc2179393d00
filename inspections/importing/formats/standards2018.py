"""The 2018 standards format (`standards-2018`): a report's text read into a draft inspection document.

The report's parts, in order: cover (title, month of publication, lead inspector), Foreword, Overall findings (the
overall rating and each domain's key findings), the summary of ratings (service, fieldwork start, overall rating,
the twelve standards' ratings, the professional-discretion footnote), Recommendations (grouped under "<addressee>
should:"), Introduction, Key facts, one section per standard (rating, narrative, each domain's strengths and areas
for improvement), Annex 1 (cases inspected), Annex 2 (each standard's rating and key questions' % yes).

A standard's rating is read wherever the report prints it (summary table, its own section, Annex 2): OCR loses
some of each, so any one that survives is taken, and printings that disagree leave the rating null with a problem.
Everything else is read from one place. Nothing is worked out from other values: a lost figure stays null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import slugify

from inspections.importing.formats.standards2018_annex import annex_blocks, annex_rating, place_key_questions
from inspections.importing.formats.standards2018_facts import key_facts
from inspections.importing.formats.standards2018_findings import SectionHeading, findings, section_headings
from inspections.importing.formats.standards2018_lines import (
    FRAMEWORK_CODE,
    MONTH_YEAR,
    clean,
    find_heading,
    is_page_furniture,
    join_lines,
    next_non_blank,
    paragraphs,
    rating_word,
    search_joined,
    standard_heading,
    standards,
    trailing_rating,
    year_month,
)
from inspections.importing.result import ImportResult, SourceLine
from inspections.importing.text import ReportText

_ANNEX = {number: re.compile(rf"^Annex\s+{number}\b(?!.*\d$)", re.IGNORECASE) for number in (1, 2, 3)}
_OVERALL_RATING_LINE = re.compile(r"^Overall rating\b\s*(?P<rest>.*)$", re.IGNORECASE)
_RATED_AS = re.compile(r"\bis rated as:?\s*(Outstanding|Good|Requires improvement|Inadequate)\b", re.IGNORECASE)
_LED_BY = re.compile(
    r"\binspection was led by (?:HM Inspector |HMI |Her Majesty's Inspector )?([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)"
)
_INSPECTED_AND_RATED = re.compile(r"\binspected and rated (.+?) (?:\([A-Z]+\) )?across\b")
_TITLE = re.compile(r"^((?:An )?inspection of youth offending services in):?\s*(.*?)(?:\s+\d{1,3})?$", re.IGNORECASE)
_FIELDWORK = re.compile(r"^Fieldwork started:?\s*(?P<rest>.*)$", re.IGNORECASE)
_SERVICE = re.compile(r"^Service:\s*(?P<rest>.*)$")
_COURT_CASES = re.compile(r"\bWe examined (\d+) post-court cases\b", re.IGNORECASE)
_OUT_OF_COURT_CASES = re.compile(r"\bWe examined (\d+) out-of-court disposals\b", re.IGNORECASE)
_AMALGAMATION = re.compile(
    r"\bamalgamat\w+ (?:the youth offending services )?of "
    r"((?:[A-Z][\w' ]+?, )*[A-Z][\w' ]+? and [A-Z][\w']+(?: [A-Z][\w']+)*)"
)
_COUNCIL = re.compile(r"\bpart of ([A-Z][\w']+(?: [A-Z][\w']+)*?) (?:County |City |Borough )?Council\b")
_RECOMMENDATION = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")
_ADDRESSEE = re.compile(r"^(.*?)\s+should:?$")
_DISCRETION = re.compile(r"professional discretion", re.IGNORECASE)
_FOOTNOTE_MARKER = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹\d*]+\s*")


@dataclass
class Layout:
    """Where each part of the report starts (line indexes; None when the part was lost)."""

    foreword: int | None
    overall_findings: int | None
    summary_table: int | None
    recommendations: int | None
    introduction: int | None
    key_facts: int | None
    sections: int | None
    annexes: dict[int, int | None]

    @classmethod
    def of(cls, lines: list[SourceLine]) -> Layout:
        foreword = find_heading(lines, "Foreword")
        overall_findings = find_heading(lines, "Overall findings", foreword or 0)
        summary_table = next(
            (i for i in range(overall_findings or 0, len(lines)) if _OVERALL_RATING_LINE.match(clean(lines[i].text))),
            None,
        )
        recommendations = find_heading(lines, "Recommendations", summary_table or overall_findings or 0)
        introduction = find_heading(lines, "Introduction", recommendations or summary_table or 0)
        key_facts_at = find_heading(lines, "Key facts", introduction or 0)
        annexes = {number: _last(lines, pattern) for number, pattern in _ANNEX.items()}
        first_annex = min((i for i in annexes.values() if i is not None), default=len(lines))
        after_front = key_facts_at or introduction or recommendations or 0
        sections = next(
            (i for i in range(after_front, first_annex) if standard_heading(clean(lines[i].text)) is not None),
            None,
        )
        return cls(
            foreword, overall_findings, summary_table, recommendations, introduction, key_facts_at, sections, annexes
        )

    def end_of(self, start: int | None, lines: list[SourceLine]) -> int:
        """Where the part starting at `start` ends: at the next part that follows it."""
        following = [
            i
            for i in (
                self.foreword,
                self.overall_findings,
                self.summary_table,
                self.recommendations,
                self.introduction,
                self.key_facts,
                self.sections,
                *self.annexes.values(),
            )
            if i is not None and start is not None and i > start
        ]
        return min(following, default=len(lines))


def _last(lines: list[SourceLine], pattern: re.Pattern) -> int | None:
    found = [i for i, line in enumerate(lines) if pattern.match(clean(line.text))]
    return found[-1] if found else None


def parse(text: ReportText) -> ImportResult:
    """Read a 2018 standards report into a draft document; every value with its source line or a problem."""
    lines = text.lines
    layout = Layout.of(lines)
    result = ImportResult(format=FRAMEWORK_CODE, document={})
    notes: list[str] = []

    title, area = _title(lines, result)
    service = _service(lines, layout, area, result)
    headings = section_headings(lines, layout.sections, layout.end_of(layout.sections, lines))
    annex_start = layout.annexes[2]
    blocks = annex_blocks(lines[annex_start : layout.end_of(annex_start, lines)] if annex_start is not None else [])
    if annex_start is None:
        result.missing("key_questions", "the report's Annex 2 (inspection results) was not found")

    document = {
        "service": service,
        "framework": FRAMEWORK_CODE,
        "status": "draft",
        "published": _published(lines, layout, result),
        "fieldwork_start": _fieldwork_start(lines, layout, result),
        "fieldwork_end": None,
        "lead_inspector": _lead_inspector(lines, layout, result),
        "cases": _cases(lines, layout, result),
        "overall_rating": _overall_rating(lines, layout, result),
        "title": title,
        "notes": notes,
        "judgements": _judgements(lines, layout, headings, blocks, result),
        "key_questions": _key_questions(blocks, result),
        "recommendations": _recommendations(lines, layout, result),
        "findings": findings(lines, layout, headings, result),
        "key_facts": key_facts(lines, layout.key_facts, layout.end_of(layout.key_facts, lines), text.raw, result),
    }
    result.missing("fieldwork_end", "the report gives only the month fieldwork started")
    notes.append(
        "score_percent is null for every judgement: the 2018 framework gives no score per standard; "
        "its percentages are per key question (Annex 2)."
    )
    # The service's gaps are the inspector's to fill before saving (the command's --nation, --service), not notes
    # about the inspection.
    notes.extend(f"{p.field}: {p.reason}" for p in result.problems if not p.field.startswith("service/"))
    result.document = document
    return result


def _title(lines: list[SourceLine], result: ImportResult) -> tuple[str | None, str | None]:
    """The report's title and the area it names: the cover's, or else the running footer's."""
    for index, line in enumerate(lines):
        match = _TITLE.match(clean(line.text))
        if not match:
            continue
        area = match.group(2)
        if not area:
            following = next_non_blank(lines, index)
            if following is None:
                continue
            area = clean(lines[following].text)
        title = f"{match.group(1)}{':' if ':' in line.text else ''} {area}"
        result.found("title", line)
        return title, area
    result.missing("title", "neither the cover title nor a page footer naming the area was found")
    return None, None


def _service(lines: list[SourceLine], layout: Layout, area: str | None, result: ImportResult) -> dict:
    name = None
    found = search_joined(lines, _INSPECTED_AND_RATED, layout.foreword or 0, layout.end_of(layout.foreword, lines))
    if found:
        name = found[0].group(1)
        result.found("service/name", found[1])
    else:
        for index in range(layout.summary_table or 0, layout.end_of(layout.summary_table, lines)):
            match = _SERVICE.match(clean(lines[index].text))
            if match:
                source = index if match["rest"] else next_non_blank(lines, index)
                if source is not None:
                    name = match["rest"] or clean(lines[source].text)
                    result.found("service/name", lines[source])
                break
    if name is None:
        result.missing("service/name", "the report does not name the service in its Foreword or summary of ratings")
    slug = slugify(area) if area else None
    if slug is None:
        result.missing("service/slug", "no area name to make it from: give --service")
    result.missing("service/nation", "the report does not state the nation: the inspector must choose it")
    return {
        "name": name,
        "slug": slug,
        "nation": None,
        "local_authorities": _local_authorities(lines, result),
    }


def _local_authorities(lines: list[SourceLine], result: ImportResult) -> list[str]:
    found = search_joined(lines, _AMALGAMATION)
    if found:
        names = re.split(r", | and ", found[0].group(1))
        result.found("service/local_authorities", found[1])
        return [name.strip() for name in names]
    found = search_joined(lines, _COUNCIL)
    if found:
        result.found("service/local_authorities", found[1])
        return [found[0].group(1)]
    result.missing("service/local_authorities", "the report does not say which local authorities the service covers")
    return []


def _published(lines: list[SourceLine], layout: Layout, result: ImportResult) -> str | None:
    # The cover gives the month of publication on a line of its own, before the Contents and Foreword.
    cover_end = layout.foreword if layout.foreword is not None else 0
    for line in lines[:cover_end]:
        match = MONTH_YEAR.fullmatch(clean(line.text))
        if match:
            result.found("published", line)
            return year_month(match)
    result.missing("published", "the cover page, which gives the month of publication, is not in the text")
    return None


def _fieldwork_start(lines: list[SourceLine], layout: Layout, result: ImportResult) -> str | None:
    for index, line in enumerate(lines):
        match = _FIELDWORK.match(clean(line.text))
        if not match:
            continue
        source = line if match["rest"] else None
        if source is None:
            following = next_non_blank(lines, index)
            source = lines[following] if following is not None else None
        date = MONTH_YEAR.search(clean(source.text)) if source else None
        if date:
            result.found("fieldwork_start", source)
            return year_month(date)
    result.missing("fieldwork_start", "no 'Fieldwork started' month was found in the summary of ratings")
    return None


def _lead_inspector(lines: list[SourceLine], layout: Layout, result: ImportResult) -> str | None:
    found = search_joined(lines, _LED_BY, 0, layout.foreword if layout.foreword is not None else len(lines))
    if found:
        result.found("lead_inspector", found[1])
        return found[0].group(1)
    result.missing("lead_inspector", "the credits page naming the lead inspector is not in the text")
    return None


def _cases(lines: list[SourceLine], layout: Layout, result: ImportResult) -> dict:
    cases = {"court": None, "out_of_court": None, "total": None}
    start = layout.annexes[1] or 0
    for key, pattern, what in (
        ("court", _COURT_CASES, "post-court cases"),
        ("out_of_court", _OUT_OF_COURT_CASES, "out-of-court disposals"),
    ):
        found = search_joined(lines, pattern, start)
        if found:
            cases[key] = int(found[0].group(1))
            result.found(f"cases/{key}", found[1])
        else:
            result.missing(f"cases/{key}", f"Annex 1 does not state how many {what} were examined")
    result.missing("cases/total", "the report states the court and out-of-court cases examined but no total")
    return cases


def _overall_rating(lines: list[SourceLine], layout: Layout, result: ImportResult) -> str | None:
    printed: list[tuple[str, SourceLine]] = []
    if layout.summary_table is not None:
        line = lines[layout.summary_table]
        rest = _OVERALL_RATING_LINE.match(clean(line.text))["rest"]
        if rest and rating_word(rest):
            printed.append((rating_word(rest), line))
        elif not rest:
            following = next_non_blank(lines, layout.summary_table)
            if following is not None and rating_word(clean(lines[following].text)):
                printed.append((rating_word(clean(lines[following].text)), lines[following]))
    found = search_joined(lines, _RATED_AS, layout.overall_findings or 0, layout.end_of(layout.overall_findings, lines))
    if found:
        printed.append((rating_word(found[0].group(1)), found[1]))
    return _agreed("overall_rating", printed, result, "the overall rating")


def _agreed(path: str, printed: list[tuple[str, SourceLine]], result: ImportResult, what: str) -> str | None:
    ratings = {rating for rating, _ in printed}
    if len(ratings) == 1:
        result.found(path, printed[0][1])
        return printed[0][0]
    if not printed:
        result.missing(path, f"{what} was not found where the report prints it (lost from the text)")
    else:
        where = "; ".join(f"{rating!r} on line {line.number}" for rating, line in printed)
        result.missing(path, f"the report prints {what} differently ({where}): an inspector must decide", printed[0][1])
    return None


def _summary_ratings(lines: list[SourceLine], layout: Layout) -> dict[str, tuple[str, SourceLine]]:
    ratings: dict[str, tuple[str, SourceLine]] = {}
    if layout.summary_table is None:
        return ratings
    end = layout.end_of(layout.summary_table, lines)
    for index in range(layout.summary_table + 1, end):
        heading = standard_heading(clean(lines[index].text))
        if heading is None or heading.code in ratings:
            continue
        rating = _heading_rating(lines, index, heading.rest, end)
        if rating:
            ratings[heading.code] = rating
    return ratings


def _heading_rating(lines: list[SourceLine], index: int, rest: str, end: int) -> tuple[str, SourceLine] | None:
    """A rating on the heading's own line, or alone on the next line."""
    if rest:
        rating = trailing_rating(rest)
        return (rating[1], lines[index]) if rating and not rating[0] else None
    following = next_non_blank(lines, index)
    if following is not None and following < end:
        rating = rating_word(clean(lines[following].text))
        if rating:
            return rating, lines[following]
    return None


def _judgements(
    lines: list[SourceLine],
    layout: Layout,
    headings: list[SectionHeading],
    blocks: dict,
    result: ImportResult,
) -> list[dict]:
    summary = _summary_ratings(lines, layout)
    discretion = _discretion_footnotes(lines, layout)
    judgements = []
    for standard in standards():
        code = standard["code"]
        printed = []
        if code in summary:
            printed.append(summary[code])
        printed.extend((h.rating, h.line) for h in headings if h.code == code and h.rating and not h.inferred)
        block = blocks.get(code)
        if block is not None and annex_rating(block):
            printed.append(annex_rating(block))
        printed.extend((h.rating, h.line) for h in headings if h.code == code and h.rating and h.inferred)
        path = f"judgements/{code}/rating"
        rating = _agreed(path, printed, result, f"the rating of standard {code}")
        note = discretion.get(code)
        if note:
            result.found(f"judgements/{code}/professional_discretion", note[1])
        elif rating is None:
            note = (next(p.reason for p in result.problems if p.field == path), None)
        judgements.append(
            {
                "code": code,
                "name": standard["name"],
                "domain": standard["domain"],
                "rating": rating,
                "score_percent": None,
                "professional_discretion": code in discretion,
                "note": note[0] if note else None,
            }
        )
    return judgements


def _discretion_footnotes(lines: list[SourceLine], layout: Layout) -> dict[str, tuple[str, SourceLine]]:
    """Standards the report says were rated by professional discretion, with the footnote saying why.

    The summary of ratings' footnote comes first; Annex 2 repeats it (sometimes worded slightly differently).
    """
    footnotes: dict[str, tuple[str, SourceLine]] = {}
    regions = [(layout.summary_table, layout.end_of(layout.summary_table, lines))]
    if layout.annexes[2] is not None:
        regions.append((layout.annexes[2], layout.end_of(layout.annexes[2], lines)))
    for start, end in regions:
        if start is None:
            continue
        for paragraph in paragraphs(lines, start, end):
            if not _DISCRETION.search(paragraph.text):
                continue
            code = re.search(r"\b([1-9]\.[1-9])\b(?!\.\d)", paragraph.text)
            if code and code.group(1) not in footnotes:
                footnotes[code.group(1)] = (_FOOTNOTE_MARKER.sub("", paragraph.text), paragraph.first)
    return footnotes


def _key_questions(blocks: dict, result: ImportResult) -> list[dict]:
    questions = []
    framework_text = {q["code"]: q["text"] for s in standards() for q in s["key_questions"]}
    for placed in place_key_questions(blocks):
        path = f"key_questions/{placed.code}/percent_yes"
        entry = {
            "code": placed.code,
            "text": placed.text or framework_text[placed.code],
            "percent_yes": placed.percent_yes,
        }
        if placed.percent_yes is None:
            result.missing(path, placed.problem, placed.line)
            entry["note"] = placed.problem
        else:
            result.found(path, placed.line)
            if placed.note:
                entry["note"] = placed.note
        questions.append(entry)
    return questions


def _recommendations(lines: list[SourceLine], layout: Layout, result: ImportResult) -> list[dict]:
    """Numbered recommendations under "<addressee> should:" lines.

    A line after a blank that starts in capitals begins a new paragraph (an addressee, or the introduction); one
    in lower case continues the recommendation the page or OCR broke.
    """
    if layout.recommendations is None:
        result.missing("recommendations", "the Recommendations section was not found")
        return []
    items: list[dict] = []
    addressee: str | None = None
    paragraph: list[str] = []
    current: dict | None = None
    blank_before = False
    for line in lines[layout.recommendations + 1 : layout.end_of(layout.recommendations, lines)]:
        text = clean(line.text)
        if not text:
            blank_before = True
            continue
        if is_page_furniture(text):
            continue
        numbered = _RECOMMENDATION.match(text)
        if numbered:
            current = {"number": int(numbered.group(1)), "addressee": addressee, "parts": [numbered.group(2)]}
            current["line"] = line
            items.append(current)
            paragraph = []
        elif current is not None and not (blank_before and text[:1].isupper()):
            current["parts"].append(text)
        else:
            current = None
            if blank_before:
                paragraph = []
            paragraph.append(text)
            match = _ADDRESSEE.match(join_lines(paragraph))
            if match:
                addressee = match.group(1)
                paragraph = []
        blank_before = False
    recommendations = []
    for item in items:
        number = item["number"]
        result.found(f"recommendations/{number}/text", item["line"])
        if item["addressee"] is None:
            result.missing(
                f"recommendations/{number}/addressee", "no '<addressee> should:' line before it", item["line"]
            )
        else:
            result.found(f"recommendations/{number}/addressee", item["line"])
        recommendations.append({"number": number, "addressee": item["addressee"], "text": join_lines(item["parts"])})
    if not recommendations:
        result.missing("recommendations", "no numbered recommendations were found", lines[layout.recommendations])
    return recommendations
