"""Full Joint Inspection (2015): six themes, each judged Good / Satisfactory / Unsatisfactory / Poor.

The report's template, as the Swindon (June 2015) and Bromley (May 2015) reports print it:

- title "Full Joint Inspection of Youth Offending Work in <area>"; a Foreword signed by the Chief Inspector and dated
  with the month of publication; "Key judgements" (a graphic: its ratings are not in the text);
- "Summary": one paragraph per theme whose first sentence states the judgement in words ("Overall work to reduce
  reoffending was satisfactory");
- "Recommendations": numbered, each ending with its addressee in brackets (Swindon), or bullets under
  "<addressee> should ensure that:" (Bromley, unnumbered: numbered here by position);
- "Theme N: <name>" sections: "Case assessment score" ("overall 74% of work ... was done well enough"; none for
  governance), "Key Findings", "Explanation of findings" (numbered paragraphs, with boxes of notable practice and
  quotes in between), "Data Summary" (a chart: not in the text);
- Appendix 1 (fieldwork weeks, cases inspected) and Appendix 2 (the lead inspector).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from inspections.importing.formats.common2015 import (
    DAY_MONTH_YEAR,
    MONTH_YEAR,
    NUMBERED,
    Block,
    add_finding,
    blocks,
    clean_inline,
    day_date,
    empty_document,
    finding_text,
    key_facts,
    month_date,
    runs_on,
    sentences,
    service_identity,
    unquote,
)
from inspections.importing.result import ImportResult, SourceLine
from inspections.importing.text import ReportText

FRAMEWORK = "fji-2015"
THEMES = {
    "1": "Reducing reoffending",
    "2": "Protecting the public",
    "3": "Protecting the child or young person",
    "4": "Ensuring that the sentence is served",
    "5": "Governance and partnerships",
    "6": "Interventions to reduce reoffending",
}
# Governance is judged on the inspection's second week, not on the cases: the framework gives it no score.
UNSCORED_THEMES = {"5"}
RATINGS = {"good": "Good", "satisfactory": "Satisfactory", "unsatisfactory": "Unsatisfactory", "poor": "Poor"}

TITLE = re.compile(r"Full Joint Inspection of Youth Offending Work in (?P<area>[A-Z][\w' -]+)")
TITLE_WITHIN_LINES = 80
THEME_HEADING = re.compile(r"Theme (?P<code>[1-6])\s*:\s*[A-Za-z ,']+")
# The judgement in words, ending the Summary paragraph's first sentence: "... was satisfactory.", "... were poor."
RATING_SENTENCE = re.compile(r"\b(?:was|were) (good|satisfactory|unsatisfactory|poor)\.?$", re.IGNORECASE)
# ... or inside it, when the sentence is the judgement's ("Overall, work to ... was good, and ...").
RATING_IN_SENTENCE = re.compile(r"\b(?:was|were) (good|satisfactory|unsatisfactory|poor)\b", re.IGNORECASE)
# The Key judgements table, where the text keeps its ratings: "Reducing reoffending Satisfactory".
KEY_JUDGEMENT = re.compile(r"^(?P<theme>[A-Z][A-Za-z ,']+?)\s+(?P<rating>Good|Satisfactory|Unsatisfactory|Poor)$")
SCORE = re.compile(r"\boverall (\d{1,3})% of\b")
CASES = [
    re.compile(r"\bsample of (\d+) individual cases\b"),
    re.compile(r"\bNB: (\d+) cases were inspected\b"),
]
FIELDWORK = re.compile(r"Fieldwork for this inspection was undertaken on the weeks? commencing", re.IGNORECASE)
LEAD_INSPECTOR = re.compile(
    r"(?<!Deputy )\bLead Inspector (?:(?:Dr|Mr|Mrs|Ms|Miss)\.? )?(?P<name>[A-Z][\w'-]+(?: [A-Z][\w'-]+)+),"
)
ADDRESSED_ITEM = re.compile(r"^(?P<text>.+?)\s*\((?P<addressee>[^()]+)\)\.?$")
# A numbered recommendation that opens with its addressee: "2. The Chair of the Board should ensure that ...".
ADDRESSEE_FIRST = re.compile(r"^(?P<addressee>(?:The |the )?[A-Z][\w'’,()& -]{2,80}?) should (?P<text>[a-z].+)$")
ADDRESSEE_INTRO = re.compile(r"^(?P<addressee>[A-Z][^:]+?) should (?P<verb>(?:\w+ ){0,2}\w+):$")

HEADINGS = {
    "foreword": re.compile(r"Foreword", re.IGNORECASE),
    "key_judgements": re.compile(r"Key judgements", re.IGNORECASE),
    "summary": re.compile(r"Summary", re.IGNORECASE),
    "recommendations": re.compile(r"Recommendations", re.IGNORECASE),
    "contents": re.compile(r"Contents", re.IGNORECASE),
    "theme": THEME_HEADING,
    "expect": re.compile(r"What we expect to see", re.IGNORECASE),
    "score": re.compile(r"Case assessment score", re.IGNORECASE),
    "key_findings": re.compile(r"Key Findings", re.IGNORECASE),
    "explanation": re.compile(r"Explanation of findings", re.IGNORECASE),
    "notable": re.compile(
        r"Examples? of notable practice|Good practice examples?|Case illustration|Inspector's comments about .+",
        re.IGNORECASE,
    ),
    "quotes/child or young person": re.compile(
        r"Quotes? from (?:children and young people|a child or young person|young people)\b.*", re.IGNORECASE
    ),
    "quotes/parent/carer": re.compile(r"(?:Quotes? from parents?/carers?|Views of parents/carers)\b.*", re.IGNORECASE),
    "quotes/inspector": re.compile(r"Comments from inspectors?\b.*", re.IGNORECASE),
    "quotes/continued": re.compile(r"And conversely", re.IGNORECASE),
    "data_summary": re.compile(r"Data Summary", re.IGNORECASE),
    "appendix1": re.compile(r"Appendices|Appendix 1\b.*", re.IGNORECASE),
    "appendix2": re.compile(r"Appendix 2\b.*|Acknowledgements", re.IGNORECASE),
}
# How the Key judgements table, the Summary and the divider pages name the themes.
THEME_NAME = re.compile(
    r"Reducing reoffending|Protecting the public|Protecting (?:the )?child(?:ren)? (?:and|or) young (?:person|people)"
    r"|Ensuring (?:that )?the sentence is served|Governance and (?:and )?partnerships|Interventions"
    r"|Interventions to reduce reoffending",
    re.IGNORECASE,
)
# Theme 5's explanation is grouped under "1. Leadership and governance - offending is reduced and ...".
SUBHEADING = re.compile(r"^\d\. [A-Z][^.]* - [^.]*$")


def heading_of(text: str) -> str | None:
    for name, pattern in HEADINGS.items():
        if pattern.fullmatch(text):
            return name
    return None


def is_heading(text: str) -> bool:
    return heading_of(text) is not None or bool(
        TITLE.fullmatch(text) or SUBHEADING.match(text) or THEME_NAME.fullmatch(text)
    )


def theme_for(text: str) -> str | None:
    """The theme a Summary heading names ("Protecting children and young people" -> 3). Interventions first:
    "Interventions to reduce reoffending" is theme 6, not theme 1."""
    lowered = text.lower()
    for word, code in (
        ("intervention", "6"),
        ("governance", "5"),
        ("sentence", "4"),
        ("child", "3"),
        ("young", "3"),
        ("public", "2"),
        ("reoffending", "1"),
    ):
        if word in lowered:
            return code
    return None


def parse(text: ReportText) -> ImportResult:
    """Read an FJI 2015 report's text into a draft inspection document (see the module docstring)."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: ReportText):
        self.text = text
        self.result = ImportResult(format=FRAMEWORK, document=empty_document(FRAMEWORK))
        self.document = self.result.document
        self.ratings: dict[str, tuple[str, SourceLine]] = {}
        self.table_ratings: dict[str, tuple[str, SourceLine]] = {}
        self.open_quote: dict | None = None
        self.scores: dict[str, tuple[int, SourceLine]] = {}
        self.themes_seen: dict[str, SourceLine] = {}
        self.footnotes: dict[int, Block] = {}
        self.fact_paragraphs: list[Block] = []
        self.cases: tuple[int, SourceLine] | None = None
        self.cases_fallback: tuple[int, SourceLine] | None = None
        self.published: tuple[str, SourceLine] | None = None
        self.signed = False
        self.fieldwork_intro: Block | None = None
        self.lead: tuple[str, SourceLine] | None = None
        self.recommendations_line: SourceLine | None = None
        self.summary_line: SourceLine | None = None
        self.first_line = next(iter(text.non_blank()), None)

    # The walk through the report: one state per part of the template.

    def read(self) -> ImportResult:
        title, area, area_line = self._title()
        all_blocks = blocks(self.text.lines, is_heading=is_heading, running_titles=[title] if title else [])
        self.document["title"] = title
        if title is None:
            self.result.missing("title", "no 'Full Joint Inspection of Youth Offending Work in ...' title")
        else:
            self.result.found("title", area_line)

        state, theme, attribution, notable = "cover", None, None, None
        addressee: tuple[str, str, SourceLine] | None = None
        for block in all_blocks:
            if block.footnote is not None:
                self.footnotes[block.footnote] = block
                continue
            heading = heading_of(block.text)
            if heading == "theme":
                state, theme = "theme", THEME_HEADING.fullmatch(block.text).group("code")
                self.themes_seen.setdefault(theme, block.first)
                continue
            if heading == "quotes/continued" and state == "quotes":
                continue
            if heading is not None:
                state = heading.split("/")[0]
                if state == "quotes":
                    attribution = heading.split("/", 1)[1]
                if state == "notable":
                    notable = None
                if state == "summary":
                    self.summary_line, theme = block.first, None
                if state == "recommendations":
                    self.recommendations_line = block.first
                continue
            if state == "foreword":
                self._foreword(block)
            elif state == "summary":
                theme = self._summary(block, theme)
            elif state == "key_judgements":
                self._key_judgements(block)
            elif state == "recommendations":
                addressee = self._recommendation(block, addressee)
                if block.text.startswith("Please note"):
                    self.document["notes"].append(block.text)
                    state = "after-recommendations"
            elif state in {"score", "key_findings", "explanation", "notable", "quotes"} and theme is not None:
                state, notable = self._theme_block(block, state, theme, attribution, notable)
            elif state == "data_summary":
                self._cases_in(block, fallback=True)
            elif state == "appendix1":
                self._appendix1(block)
            elif state == "appendix2":
                self._appendix2(block)
        self._finish(area, area_line, all_blocks)
        return self.result

    def _title(self) -> tuple[str | None, str | None, SourceLine | None]:
        # Read from paragraphs, not lines: a narrow page wraps the title.
        for block in blocks(self.text.lines[:TITLE_WITHIN_LINES], is_heading=is_heading):
            match = TITLE.fullmatch(block.text)
            if match:
                area = match.group("area").strip()
                return f"Full Joint Inspection of Youth Offending Work in {area}", area, block.first
        return None, None, None

    def _foreword(self, block: Block) -> None:
        if block.ends_sentence:
            add_finding(self.result, "summary", None, finding_text(block), block.first)
            self.fact_paragraphs.append(block)
            return
        # The signature: "Paul Wilson CBE / HM Chief Inspector of Probation / June 2015" (one block or several).
        self.signed = self.signed or "Chief Inspector" in block.text
        month = MONTH_YEAR.search(block.text)
        if month and self.signed and self.published is None:
            self.published = (month_date(*month.groups()), block.line_with(month.group(0)))

    def _summary(self, block: Block, theme: str | None) -> str | None:
        if not block.ends_sentence:
            return theme_for(block.text)
        findings = self.document["findings"]
        if theme is None and block.after_page_break and findings and findings[-1]["kind"] == "summary":
            # One paragraph per theme: an unheaded one just after a page break is the end of the one before.
            findings[-1]["text"] += f" {finding_text(block)}"
            return None
        if theme is None:
            self.result.missing("findings", "a Summary paragraph under no theme heading was skipped", block.first)
            return None
        add_finding(self.result, "summary", theme, finding_text(block), block.first)
        first = sentences(block.text)[0]
        match = RATING_SENTENCE.search(first)
        if match is None and first.startswith("Overall"):
            match = RATING_IN_SENTENCE.search(first)
        if match and theme not in self.ratings:
            self.ratings[theme] = (RATINGS[match.group(1).lower()], block.line_with(match.group(0)))
        return None

    def _key_judgements(self, block: Block) -> None:
        for line in block.lines:
            match = KEY_JUDGEMENT.match(clean_inline(line.text))
            code = theme_for(match.group("theme")) if match else None
            if code is not None and code not in self.table_ratings:
                self.table_ratings[code] = (match.group("rating"), line)

    def _recommendation(self, block: Block, addressee):
        intro = ADDRESSEE_INTRO.match(block.text)
        if intro:
            return intro.group("addressee"), intro.group("verb"), block.first
        number = block.number
        recommendations = self.document["recommendations"]
        addressed = opening = None
        if number is not None and "." not in number:
            text = NUMBERED.sub("", block.text, count=1)
            entry = {"number": int(number), "addressee": None, "text": text}
            addressed = ADDRESSED_ITEM.match(text)
            opening = ADDRESSEE_FIRST.match(text)
            if addressed:
                entry["text"] = addressed.group("text").rstrip()
                entry["addressee"] = addressed.group("addressee")
            elif opening:
                entry["text"] = opening.group("text")
                entry["addressee"] = opening.group("addressee")
        elif addressee is not None and block.text.startswith(("-", "•")):
            text = finding_text(block)
            entry = {"number": len(recommendations) + 1, "addressee": addressee[0], "text": f"{addressee[1]} {text}"}
        else:
            return addressee
        path = f"recommendations/{entry['number']}"
        if any(r["number"] == entry["number"] for r in recommendations):
            self.result.missing(path, "a second recommendation with this number was skipped", block.first)
            return addressee
        recommendations.append(entry)
        self.result.found(f"{path}/number", block.first)
        self.result.found(f"{path}/text", block.first)
        if entry["addressee"] is None:
            self.result.missing(f"{path}/addressee", "no addressee in brackets after the recommendation", block.first)
        elif addressee is not None and number is None:
            self.result.found(f"{path}/addressee", addressee[2])
        elif opening is not None and addressed is None:
            self.result.found(f"{path}/addressee", block.first)
        else:
            self.result.found(f"{path}/addressee", block.line_with(f"({entry['addressee']}"))
        return addressee

    def _theme_block(self, block: Block, state: str, theme: str, attribution, notable):
        if state == "score":
            match = SCORE.search(block.text)
            if match and theme not in self.scores:
                self.scores[theme] = (int(match.group(1)), block.line_with(match.group(0)))
            return state, notable
        if not block.ends_sentence and (SUBHEADING.match(block.text) or len(block.text.split()) <= 8):
            # A theme's divider page or a chart title left by the PDF, or theme 5's group headings.
            return state, notable
        if state == "key_findings":
            add_finding(self.result, "key_finding", theme, finding_text(block), block.first)
            return state, notable
        if state in {"notable", "quotes"} and block.number is not None:
            state = "explanation"
        if state == "explanation" and block.after_page_break and runs_on(block, self.document["findings"], theme):
            # Explanation paragraphs are numbered: an unnumbered one just after a page break is the last one's end.
            self.document["findings"][-1]["text"] += f" {finding_text(block)}"
            return state, notable
        if state == "notable":
            if notable is None:
                notable = add_finding(self.result, "notable_practice", theme, finding_text(block), block.first)
            else:
                notable["text"] = f"{notable['text']} {finding_text(block)}"
            return state, notable
        findings = self.document["findings"]
        if state == "quotes" and self.open_quote is not None and self.open_quote is findings[-1]:
            # A quotation not closed before a page break or blank line goes on in the next paragraph.
            self.open_quote["text"] = unquote(f"{self.open_quote['text']} {block.text}")
            self.open_quote = None if block.text.endswith('"') else self.open_quote
            return state, notable
        if state == "quotes" and block.text.startswith('"'):
            quote = add_finding(self.result, "quote", theme, unquote(block.text), block.first, attribution=attribution)
            self.open_quote = None if block.text.endswith('"') and len(block.text) > 1 else quote
            return state, notable
        add_finding(self.result, "explanation", theme, finding_text(block), block.first)
        self.fact_paragraphs.append(block)
        return state, notable

    def _cases_in(self, block: Block, *, fallback: bool) -> None:
        for pattern in CASES:
            match = pattern.search(block.text)
            if match:
                found = (int(match.group(1)), block.line_with(match.group(1)))
                if fallback:
                    self.cases_fallback = self.cases_fallback or found
                else:
                    self.cases = self.cases or found
                return

    def _appendix1(self, block: Block) -> None:
        self._cases_in(block, fallback=False)
        if FIELDWORK.search(block.text):
            self.fieldwork_intro = block
            dates = list(DAY_MONTH_YEAR.finditer(block.text))
        elif self.fieldwork_intro is not None and self.document["fieldwork_start"] is None:
            dates = list(DAY_MONTH_YEAR.finditer(block.text))
        else:
            return
        if not dates:
            return
        # The report gives the weeks' first days: the start is the first; the end is only known to be in the last
        # week, so to its month when that week's working days (Monday to Friday) stay in one month.
        first, last = dates[0], dates[-1]
        self.document["fieldwork_start"] = day_date(first)
        self.result.found("fieldwork_start", block.line_with(first.group(0)))
        weeks = " and ".join(d.group(0) for d in dates)
        last_monday = date.fromisoformat(day_date(last))
        if (last_monday + timedelta(days=4)).month == last_monday.month:
            self.document["fieldwork_end"] = day_date(last)[:7]
            self.result.found("fieldwork_end", block.line_with(last.group(0)))
            self.document["notes"].append(
                f"Fieldwork: the report gives the weeks commencing {weeks}; the last day of fieldwork is not stated, "
                "so fieldwork_end is only the month of the last week."
            )
        else:
            self.result.missing(
                "fieldwork_end",
                f"the report gives only the weeks commencing {weeks}; the last week runs into the next month, so "
                "not even the month of the last day is known",
                block.line_with(last.group(0)),
            )

    def _appendix2(self, block: Block) -> None:
        match = LEAD_INSPECTOR.search(block.text)
        if match and self.lead is None:
            self.lead = (match.group("name"), block.line_with(match.group("name")))

    # What was read, put in place; what was not, listed.

    def _finish(self, area, area_line, all_blocks: list[Block]) -> None:
        result, document = self.result, self.document
        service_identity(result, area, area_line, all_blocks)
        near = self.first_line

        if self.published:
            document["published"] = self.published[0]
            result.found("published", self.published[1])
            document["notes"].append(
                "Publication date: the report gives only the month, under the Chief Inspector's Foreword."
            )
        else:
            result.missing("published", "no month and year under the Chief Inspector's Foreword", near)
        if document["fieldwork_start"] is None:
            result.missing("fieldwork_start", "no 'Fieldwork for this inspection was undertaken ...' dates", near)
            result.missing("fieldwork_end", "no 'Fieldwork for this inspection was undertaken ...' dates", near)

        if self.lead:
            document["lead_inspector"] = self.lead[0]
            result.found("lead_inspector", self.lead[1])
        else:
            result.missing("lead_inspector", "no 'Lead Inspector' in the acknowledgements", near)

        cases = self.cases or self.cases_fallback
        if cases:
            document["cases"]["total"] = cases[0]
            result.found("cases/total", cases[1])
        else:
            result.missing("cases/total", "the number of cases inspected is not stated", near)
        for kind in ("court", "out_of_court"):
            result.missing(f"cases/{kind}", "the FJI report does not split the cases into court and out-of-court")
        document["notes"].append("Cases: the report does not split the cases inspected into court and out-of-court.")

        self._judgements()
        for code, name in THEMES.items():
            if code not in self.themes_seen:
                result.missing(
                    f"findings/theme/{code}", f"no 'Theme {code}: {name}' section: its findings are not imported", near
                )
        if self.recommendations_line is None:
            result.missing("recommendations", "no Recommendations section", near)
        elif not document["recommendations"]:
            result.missing("recommendations", "no recommendation could be read", self.recommendations_line)
        result.missing(
            "key_questions",
            "the Data Summary charts of key-question results are graphics, not in the text: enter them from the PDF",
        )
        document["notes"].append(
            "The 'Key judgements' graphic is not in the text: ratings are read from the Summary's words. "
            "The Data Summary charts are not in the text either. FJI has no overall rating."
        )
        for number, footnote in sorted(self.footnotes.items()):
            document["notes"].append(f"Footnote {number}: {footnote.text}")
        key_facts(result, self.fact_paragraphs, self.footnotes)

    def _judgements(self) -> None:
        for code, name in THEMES.items():
            path = f"judgements/{code}"
            judgement = {
                "code": code,
                "name": name,
                "domain": None,
                "rating": None,
                "score_percent": None,
                "professional_discretion": False,
                "note": None,
            }
            summary, table = self.ratings.get(code), self.table_ratings.get(code)
            if summary and table and summary[0] != table[0]:
                self.result.missing(
                    f"{path}/rating",
                    f"the Summary says {summary[0]} but the Key judgements table says {table[0]}: check the report",
                    summary[1],
                )
            elif summary or table:
                judgement["rating"], line = summary or table
                self.result.found(f"{path}/rating", line)
            else:
                self.result.missing(
                    f"{path}/rating",
                    f"the Summary paragraph stating the {name.lower()} judgement ('Overall ... was ...') was not found",
                    self.summary_line,
                )
            if code in UNSCORED_THEMES:
                judgement["note"] = f"The FJI framework gives no case assessment score for {name.lower()}."
            elif code in self.scores:
                judgement["score_percent"], line = self.scores[code]
                self.result.found(f"{path}/score_percent", line)
            else:
                judgement["note"] = "The case assessment score was not found in the text."
                self.result.missing(
                    f"{path}/score_percent",
                    f"no case assessment score ('overall N% of work ...') in the theme {code} section",
                    self.themes_seen.get(code),
                )
            self.document["judgements"].append(judgement)
