"""Short Quality Screening (2015): a letter-style report with no ratings, no scores and no recommendations.

The template, as the Northamptonshire (May 2015) report prints it:

- a memo header ("To:", "From:", "Publication date: 11 May 2015");
- title "Report of Short Quality Screening (SQS) of youth offending work in <area>"; "The inspection was conducted
  from 09 - 11 March 2015 ...";
- "Context" ("We examined 34 cases ... supervised by <area> Youth Offending Service (YOS)") and "Summary" (the
  reoffending rate against England and Wales, footnoted): summary paragraphs;
- "Commentary on the inspection in <area>": themes "1. Reducing reoffending" to "4. Ensuring that the sentence is
  served" with paragraphs 1.1, 1.2 ..., then "Operational management" (theme 5 here): explanation paragraphs;
- "Key strengths" and "Areas requiring improvement": bullets;
- a closing paragraph naming the lead inspector ("the lead inspector, who was Caroline Nicklin"), and a copy list.
"""

from __future__ import annotations

import re

from inspections.importing.formats.common2015 import (
    DAY_MONTH_YEAR,
    MONTH,
    MONTH_YEAR,
    Block,
    add_finding,
    blocks,
    day_date,
    empty_document,
    finding_text,
    key_facts,
    month_date,
    runs_on,
    service_identity,
)
from inspections.importing.result import ImportResult, SourceLine
from inspections.importing.text import ReportText

FRAMEWORK = "sqs-2015"
THEMES = {
    "1": "Reducing reoffending",
    "2": "Protecting the public",
    "3": "Protecting the child or young person",
    "4": "Ensuring that the sentence is served",
    "5": "Operational management",
}

TITLE = re.compile(
    r"Report of (?:a )?Short Quality Screening \(SQS\) of youth offending work in (?P<area>[A-Z][\w' -]+)",
    re.IGNORECASE,
)
TITLE_WITHIN_LINES = 80
PUBLICATION = re.compile(
    rf"\bPublication date:\s*(?P<date>(?:\d{{1,2}}(?:st|nd|rd|th)? )?{MONTH},? \d{{4}})", re.IGNORECASE
)
# "conducted from 09 - 11 March 2015", "conducted from 30 March - 1 April 2015", "... 28 April - 1 May 2015".
FIELDWORK = re.compile(
    rf"\bconducted from (?P<first_day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?: (?P<first_month>{MONTH}))?(?: (?P<first_year>\d{{4}}))?"
    rf"\s*(?:-|to)\s*(?P<last>\d{{1,2}}(?:st|nd|rd|th)? {MONTH} \d{{4}})",
    re.IGNORECASE,
)
CASES = re.compile(r"\b(?:We examined|we looked at|inspected) (\d+) cases\b", re.IGNORECASE)
LEAD_INSPECTOR = re.compile(r"\blead inspector, who was (?P<name>[A-Z][\w'-]+(?: [A-Z][\w'-]+)+)")
THEME_HEADING = re.compile(r"(?P<code>[1-4])\. (?P<name>[A-Z][A-Za-z ,']+)")

HEADINGS = {
    "context": re.compile(r"Context", re.IGNORECASE),
    "summary": re.compile(r"Summary", re.IGNORECASE),
    "commentary": re.compile(r"Commentary on the inspection(?: in .+?)?:?", re.IGNORECASE),
    "theme": THEME_HEADING,
    "operational": re.compile(r"Operational management", re.IGNORECASE),
    "strength": re.compile(r"Key strengths", re.IGNORECASE),
    "area_for_improvement": re.compile(r"Areas? requiring improvement", re.IGNORECASE),
    "copy_list": re.compile(r"Copy to:", re.IGNORECASE),
}
# The closing courtesy paragraphs after the areas for improvement, which are not findings.
CLOSING = re.compile(r"^(?:We are grateful|If you have any further questions|Note \d+:)")


def heading_of(text: str) -> str | None:
    for name, pattern in HEADINGS.items():
        if pattern.fullmatch(text):
            return name
    return None


def is_heading(text: str) -> bool:
    return heading_of(text) is not None or bool(TITLE.fullmatch(text))


def parse(text: ReportText) -> ImportResult:
    """Read an SQS 2015 report's text into a draft inspection document (see the module docstring)."""
    result = ImportResult(format=FRAMEWORK, document=empty_document(FRAMEWORK))
    document = result.document
    near = next(iter(text.non_blank()), None)

    title, area, title_line = None, None, None
    # Read from paragraphs, not lines: a narrow page wraps the title.
    for block in blocks(text.lines[:TITLE_WITHIN_LINES], is_heading=is_heading):
        match = TITLE.fullmatch(block.text)
        if match:
            area, title_line, title = match.group("area").strip(), block.first, block.text
            break
    document["title"] = title
    if title is None:
        result.missing("title", "no 'Report of Short Quality Screening (SQS) of youth offending work in ...' title")
    else:
        result.found("title", title_line)

    all_blocks = blocks(text.lines, is_heading=is_heading, running_titles=[title] if title else [])
    footnotes: dict[int, Block] = {}
    fact_paragraphs: list[Block] = []
    state, theme = "header", None
    sections_seen: dict[str, SourceLine] = {}
    previous_footnote: Block | None = None
    for block in all_blocks:
        if block.footnote is not None:
            footnotes[block.footnote] = previous_footnote = block
            continue
        if previous_footnote is not None and block.text.startswith("Source:"):
            # "<sup>1</sup> Published January 2015 ... cohort." and, a paragraph later, "Source: Ministry of Justice".
            previous_footnote.text = f"{previous_footnote.text} {block.text}"
            previous_footnote.lines.extend(block.lines)
            continue
        previous_footnote = None
        _dates_and_people(result, block)
        heading = heading_of(block.text)
        if heading is not None and not (heading == "theme" and state not in {"commentary", "theme"}):
            state = heading
            sections_seen.setdefault(heading, block.first)
            if heading == "theme":
                theme = THEME_HEADING.fullmatch(block.text).group("code")
                sections_seen.setdefault(f"theme/{theme}", block.first)
            elif heading == "operational":
                theme = "5"
                sections_seen.setdefault("theme/5", block.first)
            continue
        if CLOSING.match(block.text):
            state = "closing"
            continue
        if state in {"context", "summary"} and block.ends_sentence:
            add_finding(result, "summary", None, finding_text(block), block.first)
            fact_paragraphs.append(block)
        elif state == "theme" and block.after_page_break and runs_on(block, document["findings"], theme):
            # The commentary's paragraphs are numbered: an unnumbered one after a page break ends the one before.
            document["findings"][-1]["text"] += f" {finding_text(block)}"
        elif state in {"theme", "operational"} and theme is not None and block.ends_sentence:
            add_finding(result, "explanation", theme, finding_text(block), block.first)
            fact_paragraphs.append(block)
        elif state in {"strength", "area_for_improvement"}:
            add_finding(result, state, None, finding_text(block), block.first)

    service_identity(result, area, title_line, all_blocks)
    for path, reason in (
        ("published", "no 'Publication date:' in the memo header"),
        ("fieldwork_start", "no 'The inspection was conducted from ...' dates"),
        ("fieldwork_end", "no 'The inspection was conducted from ...' dates"),
        ("lead_inspector", "no 'the lead inspector, who was ...' in the closing paragraph"),
        ("cases/total", "no 'We examined N cases' in the Context"),
    ):
        if path not in result.sources:
            result.missing(path, reason, near)
    for kind in ("court", "out_of_court"):
        result.missing(f"cases/{kind}", "the SQS report does not split the cases into court and out-of-court")
    for code, name in THEMES.items():
        if f"theme/{code}" not in sections_seen:
            result.missing(f"findings/theme/{code}", f"no '{name}' commentary: its paragraphs are not imported", near)
    for section, name in (("strength", "Key strengths"), ("area_for_improvement", "Areas requiring improvement")):
        if section not in sections_seen:
            result.missing(f"findings/{section}", f"no '{name}' section", near)
    document["notes"].append(
        "Cases: the report does not split the cases examined into court and out-of-court. The Short Quality "
        "Screening makes no judgements, gives no scores or overall rating and makes no numbered recommendations."
    )
    for number, footnote in sorted(footnotes.items()):
        document["notes"].append(f"Footnote {number}: {footnote.text}")
    key_facts(result, fact_paragraphs, footnotes)
    return result


def _dates_and_people(result: ImportResult, block: Block) -> None:
    """The values the report states once, wherever they are: publication, fieldwork, cases, lead inspector."""
    document = result.document
    publication = PUBLICATION.search(block.text)
    if publication and "published" not in result.sources:
        date = DAY_MONTH_YEAR.fullmatch(publication.group("date"))
        month = MONTH_YEAR.fullmatch(publication.group("date"))
        if date or month:
            document["published"] = day_date(date) if date else month_date(*month.groups())
            result.found("published", block.line_with(publication.group(0)))
    fieldwork = FIELDWORK.search(block.text)
    if fieldwork and "fieldwork_start" not in result.sources:
        last = DAY_MONTH_YEAR.fullmatch(fieldwork.group("last"))
        year = fieldwork.group("first_year") or last.group(3)
        month = fieldwork.group("first_month") or last.group(2)
        line = block.line_with(fieldwork.group(0))
        document["fieldwork_start"] = f"{month_date(month, year)}-{int(fieldwork.group('first_day')):02d}"
        document["fieldwork_end"] = day_date(last)
        result.found("fieldwork_start", line)
        result.found("fieldwork_end", block.line_with(fieldwork.group("last")))
    cases = CASES.search(block.text)
    if cases and "cases/total" not in result.sources:
        document["cases"]["total"] = int(cases.group(1))
        result.found("cases/total", block.line_with(cases.group(0)))
    lead = LEAD_INSPECTOR.search(block.text)
    if lead and "lead_inspector" not in result.sources:
        document["lead_inspector"] = lead.group("name")
        result.found("lead_inspector", block.line_with(lead.group("name")))
