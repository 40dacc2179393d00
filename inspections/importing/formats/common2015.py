"""What the two 2015 formats (FJI and SQS) share: paragraphs rebuilt from the text's lines, dates, the service's
name, and the key facts the reports state in prose with a comparator and a footnoted source.

Both formats were converted from PDF to text: a paragraph may be one line or many (wrapped at any width, broken by a
blank line or by a page's header, footer or number), footnote markers sit inside the words (`38.6%¹`,
`rate<sup>1</sup>`) and the conversion left markdown (`## **2. Protecting the public**`, `*AIM 2*`) and HTML
(`<i>HMI Probation</i>`). `blocks()` turns the numbered lines into paragraphs and headings that keep their source
lines, so each value read from a paragraph can name the line it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.text import slugify

from inspections.importing.result import ImportResult, SourceLine

_MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({MONTH}),? (\d{{4}})\b", re.IGNORECASE)
MONTH_YEAR = re.compile(rf"\b({MONTH}) (\d{{4}})\b", re.IGNORECASE)

SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPERSCRIPT_VALUES = str.maketrans(SUPERSCRIPT_DIGITS, "1234567890")
# A footnote's own text starts with its marker: "¹ Published January 2015 ..." or "<sup>1</sup> Published ...".
FOOTNOTE_START = re.compile(rf"^(?:([{SUPERSCRIPT_DIGITS}]+)|<sup>(\d+)</sup>)\s*(?=\S)")
# A reference to a footnote inside the text: "38.6%¹", "rate<sup>1</sup>", "AIM² work".
FOOTNOTE_MARK = re.compile(rf"(?<=\S)(?:[{SUPERSCRIPT_DIGITS}]+|<sup>\d+</sup>)")

# A numbered paragraph or item: "1. ", "2.5. ", "- 1.10. " (the bullet is the PDF's, the number the report's).
NUMBERED = re.compile(r"^(?:[-•] )?(\d{1,2}(?:\.\d{1,2})*)\.\s")
BULLET = re.compile(r"^[-•]\s+")
# Text that may end a paragraph. A line that ends otherwise was broken by the PDF (or is a heading).
TERMINAL = re.compile(r"""[.!?:;"')\]]$""")
_SENTENCE_END = re.compile(r"""[.!?"')\]]$""")
_HTML_TAG = re.compile(r"</?(?:i|b|em|strong|u|span)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")
# Markdown emphasis left by conversion: "*AIM 2*", "**Key strengths**". Not "s***", which is the report's own word.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}(?=\S)([^*]+?)(?<=\S)\*{1,2}(?![\w*])")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((?:mailto:|https?:)[^)]*\)")
_ANGLE_URL = re.compile(r"<(https?://[^>]+)>")
# A running header or footer inside a section: a page number alone, "Page 12", "Page 12 of 40".
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
# The OCR glued the article to the next word at the start of a few notable-practice boxes ("Acase manager",
# "AYOT worker"); only these words, which cannot start an English sentence glued so.
_GLUED_ARTICLE = re.compile(r"^A(?=(?:case|YOT|YOS|YJS)\b)")


def clean_inline(text: str) -> str:
    """A line's text without the conversion's markup and footnote markers; the report's words untouched."""
    text = _MARKDOWN_HEADING.sub("", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = FOOTNOTE_MARK.sub("", text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub(r"\1", text)
    return " ".join(text.split())


@dataclass
class Block:
    """A paragraph, heading or list item, rebuilt from one or more lines.

    `text` is cleaned (`clean_inline`); `marked` keeps the footnote markers, which tie a figure to its source.
    """

    text: str
    marked: str
    lines: list[SourceLine] = field(default_factory=list)
    footnote: int | None = None
    # A page's footer, number or header was dropped just before this block: a paragraph may run on across it.
    after_page_break: bool = False

    @property
    def first(self) -> SourceLine:
        return self.lines[0]

    def line_with(self, fragment: str) -> SourceLine:
        """The first of the block's lines that holds `fragment` (the whole fragment, else its first word)."""
        for candidate in (fragment, fragment.split(" ")[0]):
            for line in self.lines:
                if candidate and candidate in clean_inline(line.text):
                    return line
        return self.first

    @property
    def number(self) -> str | None:
        """The report's paragraph number ("2.5"), if the block starts with one."""
        match = NUMBERED.match(self.text)
        return match.group(1) if match else None

    @property
    def ends_sentence(self) -> bool:
        return bool(TERMINAL.search(self.text))


def is_page_furniture(text: str, running_titles: Iterable[str]) -> bool:
    """A page number, or the report's title repeated as a running header or footer (with or without a number)."""
    if _PAGE_NUMBER.match(text):
        return True
    bare = clean_inline(re.sub(r"^\d{1,3}\s+|\s+\d{1,3}$", "", text)).casefold()
    return any(bare == title.casefold() for title in running_titles)


def _starts_item(text: str, previous: str, item_is_plain_bullet: bool) -> bool:
    """Whether a line inside a run of lines starts a new paragraph or list item rather than continuing one.

    A number starts an item after a finished sentence, or when it follows the current item's number ("3." then
    "4."): list items need not end with a full stop, but a wrapped line seldom starts with the next number.
    """
    previous_ended = bool(TERMINAL.search(previous))
    number = NUMBERED.match(text)
    if number:
        current = NUMBERED.match(previous)
        return previous_ended or (current is not None and _next_number(current.group(1)) == number.group(1))
    if BULLET.match(text):
        return previous_ended or item_is_plain_bullet
    if FOOTNOTE_START.match(text):
        return previous_ended
    return False


def _next_number(number: str) -> str:
    """ "3" -> "4", "2.9" -> "2.10"."""
    *head, last = number.split(".")
    return ".".join([*head, str(int(last) + 1)])


def _join(previous: str, text: str) -> str:
    # A line broken after a hyphenated word's hyphen ("post-" / "16") joins without a space.
    if re.search(r"[A-Za-z]-$", previous) and re.match(r"[A-Za-z0-9]", text):
        return previous + text
    return f"{previous} {text}"


def blocks(
    lines: list[SourceLine], *, is_heading: Callable[[str], bool], running_titles: Iterable[str] = ()
) -> list[Block]:
    """The report as paragraphs and headings, each with the lines it was read from.

    Consecutive lines form one paragraph unless a line starts a numbered paragraph, a bullet or a footnote. A
    paragraph broken by a blank line (or a page break, whose header, footer and number are dropped) is joined up
    again when it stopped mid-sentence and what follows is neither a heading nor a new item.
    """
    titles = [title for title in running_titles if title]
    runs: list[list[SourceLine]] = [[]]
    breaks_before: set[int] = set()  # the first line numbers of the runs that follow a dropped page furniture line
    page_break = False
    first_title_seen = set()
    for line in lines:
        if not line.text:
            if runs[-1]:
                runs.append([])
            continue
        if _PAGE_NUMBER.match(line.text) or (titles and is_page_furniture(line.text, titles)):
            bare = clean_inline(line.text).casefold()
            # The title's first appearance is the cover, not a running header.
            if bare in (title.casefold() for title in titles) and bare not in first_title_seen:
                first_title_seen.add(bare)
            else:
                page_break = True
                continue
        if page_break and not runs[-1]:
            breaks_before.add(line.number)
        page_break = False
        runs[-1].append(line)

    pieces: list[tuple[str, list[SourceLine]]] = []
    for run in runs:
        if not run:
            continue
        text, members, plain_bullet, in_heading, previous_line = "", [], False, False, ""
        for line in run:
            current = line.text
            # A PDF's text layer may set a heading and its section without a blank line between them: a heading
            # line after a finished sentence or a short line starts a piece, and the line after a heading (unless
            # it is the rest of the heading, in lower case) starts another.
            heading = bool(
                TERMINAL.search(text) or in_heading or _heading_like(clean_inline(previous_line), is_heading)
            ) and is_heading(clean_inline(current))
            after_heading = in_heading and not current[:1].islower()
            if members and (heading or after_heading or _starts_item(current, text, plain_bullet)):
                pieces.append((text, members))
                text, members = "", []
            if not members:
                text, members = current, [line]
                plain_bullet = bool(BULLET.match(current)) and not NUMBERED.match(current)
            else:
                text, members = _join(text, current), [*members, line]
            in_heading, previous_line = is_heading(clean_inline(text)), current
        pieces.append((text, members))

    result: list[Block] = []
    for marked, members in pieces:
        text = clean_inline(marked)
        if not text:
            continue
        footnote = FOOTNOTE_START.match(marked)
        number = None
        if footnote:
            number = int((footnote.group(1) or "").translate(_SUPERSCRIPT_VALUES) or footnote.group(2))
            text = clean_inline(marked[footnote.end() :])
        block = Block(
            text=text,
            marked=marked,
            lines=members,
            footnote=number,
            after_page_break=members[0].number in breaks_before,
        )
        if result and _continues(result[-1], block, is_heading):
            previous = result[-1]
            previous.marked = _join(previous.marked, marked)
            previous.text = _join(previous.text, text)
            previous.lines.extend(members)
            continue
        result.append(block)
    return result


def _heading_like(text: str, is_heading: Callable[[str], bool]) -> bool:
    return is_heading(text) or (not TERMINAL.search(text) and len(text.split()) <= 8)


def _continues(previous: Block, block: Block, is_heading: Callable[[str], bool]) -> bool:
    """Whether `block` is the rest of `previous`, split from it by a blank line or a page break."""
    if block.footnote is not None or is_heading(previous.text) or is_heading(block.text):
        return False
    if NUMBERED.match(block.text) or BULLET.match(block.text) or block.text.startswith(('"', "'")):
        return False
    if block.text[:1].islower():
        # No paragraph starts in lower case: this is the rest of a sentence, even one broken after ";" or ":".
        return not _SENTENCE_END.search(previous.text)
    if previous.ends_sentence:
        return False
    return not (_heading_like(previous.text, is_heading) or _heading_like(block.text, is_heading))


def finding_text(block: Block) -> str:
    """A paragraph as a finding: the PDF's bullet dropped, the report's own paragraph number kept."""
    return _GLUED_ARTICLE.sub("A ", BULLET.sub("", block.text, count=1))


def runs_on(block: Block, findings: list[dict], standard: str | None) -> bool:
    """Whether an unnumbered paragraph just after a page break continues the numbered explanation before it."""
    if block.number is not None or block.text.startswith('"') or not findings:
        return False
    last = findings[-1]
    return last["kind"] == "explanation" and last["standard"] == standard and bool(NUMBERED.match(last["text"]))


def unquote(text: str) -> str:
    """A quotation without the quotation marks around it."""
    text = text.strip()
    if text.startswith('"'):
        text = text[1:]
    if text.endswith('"'):
        text = text[:-1]
    return text.strip()


def sentences(text: str) -> list[str]:
    """A paragraph's sentences (split after . ! or ? before a capital; decimals like 38.6 stay whole)."""
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text) if part]


def day_date(match: re.Match) -> str:
    """`YYYY-MM-DD` from a DAY_MONTH_YEAR match."""
    day, month, year = match.groups()
    return f"{int(year):04d}-{MONTHS[month.lower()]:02d}-{int(day):02d}"


def month_date(month: str, year: str) -> str:
    return f"{int(year):04d}-{MONTHS[month.lower()]:02d}"


def service_identity(result: ImportResult, area: str | None, area_line: SourceLine | None, body: list[Block]) -> None:
    """`service`: name as the report gives it, slug from the area, local authority the area the report names.

    The name is "<area> <kind of service>", the kind spelled out where the report writes it in full ("Northamptonshire
    Youth Offending Service (YOS)") or where it expands the acronym it uses for the area ("Swindon YOT" and "a Youth
    Offending Team's (YOT's)"). The nation is not stated by these reports: it stays null, as a problem.
    """
    service = result.document["service"]
    if area is None:
        result.missing("service/name", "the report's title, which names the area, was not found")
        result.missing("service/slug", "the report's title, which names the area, was not found")
        result.missing("service/local_authorities", "the report's title, which names the area, was not found")
    else:
        service["slug"] = slugify(area)
        service["local_authorities"] = [area]
        result.found("service/slug", area_line)
        result.found("service/local_authorities", area_line)
        name, line = _service_name(area, body)
        if name is None:
            result.missing("service/name", f"the report does not name {area}'s service in full", area_line)
        else:
            service["name"] = name
            result.found("service/name", line)
    result.missing("service/nation", "the report does not state the nation (England or Wales): enter it")


def _service_name(area: str, body: list[Block]) -> tuple[str | None, SourceLine | None]:
    spelled = re.compile(rf"\b{re.escape(area)} (Youth (?:Offending|Justice) (?:Team|Service))\b")
    for block in body:
        match = spelled.search(block.text)
        if match:
            return f"{area} {match.group(1)}", block.line_with(match.group(0))
    acronyms = re.compile(rf"\b{re.escape(area)} (YOT|YOS|YJS|Y\]S)(?!\w)")
    for block in body:
        match = acronyms.search(block.text)
        if not match:
            continue
        acronym = match.group(1).replace("]", "J")  # OCR reads YJS as Y]S
        defined = re.compile(rf"\b(Youth (?:Offending|Justice) (?:Team|Service))(?:'s)? \({acronym}(?:'s)?\)")
        for definition in body:
            if defined.search(definition.text):
                return f"{area} {defined.search(definition.text).group(1)}", block.line_with(match.group(0))
    return None, None


# --- key facts ---------------------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d+)?)"
_PERCENT = re.compile(rf"{_NUMBER}%")
_COMPARATORS = [
    (re.compile(r"\bEngland and Wales\b"), "England and Wales"),
    (re.compile(r"\bnational average\b", re.IGNORECASE), "National average"),
]
_PER_THOUSAND = re.compile(rf"{_NUMBER} per 1,?000\b.*?\b(?:compared with|against|vs\.?) {_NUMBER}\b")
_SINCE_YEAR = re.compile(r"\bsince (\d{4}), at which time\b")
_COHORT = re.compile(r"\bfor the (.+? cohort)\b")


def _comparator(text: str) -> str | None:
    for pattern, name in _COMPARATORS:
        if pattern.search(text):
            return name
    return None


def _number(text: str) -> float | int:
    return float(text) if "." in text else int(text)


@dataclass
class _Fact:
    measure: str
    unit: str
    value: float | int
    comparator: str
    comparator_value: float | int
    block: Block
    value_text: str
    comparator_text: str
    footnote: int | None
    period: str | None = None
    period_line: SourceLine | None = None


def key_facts(result: ImportResult, paragraphs: list[Block], footnotes: dict[int, Block]) -> None:
    """The figures the report states with a comparator, in report order, each with its source line.

    A figure counts only when its sentence (or the next, for "was 38.0%. ... the England and Wales average of
    36.1%") names what it is compared with: a lone percentage ("74% of work ... was done well enough") is not a
    key fact. The period and source come from the figure's footnote; without one they stay null, as problems.
    """
    facts: list[_Fact] = []
    for block in paragraphs:
        marked_sentences = sentences(block.marked)
        for index, marked in enumerate(marked_sentences):
            fact = _fact_in(marked, marked_sentences[index + 1 : index + 2], block)
            if fact is not None and fact.measure not in {f.measure for f in facts}:
                facts.append(fact)
    for fact in facts:
        entry = {
            "measure": fact.measure,
            "value": fact.value,
            "unit": fact.unit,
            "comparator": fact.comparator,
            "comparator_value": fact.comparator_value,
            "period": fact.period,
            "source": None,
        }
        path = f"key_facts/{fact.measure}"
        result.found(f"{path}/value", fact.block.line_with(fact.value_text))
        result.found(f"{path}/comparator_value", fact.block.line_with(fact.comparator_text))
        footnote = footnotes.get(fact.footnote) if fact.footnote is not None else None
        if footnote is not None:
            entry["source"] = footnote.text
            result.found(f"{path}/source", footnote.first)
            cohort = _COHORT.search(footnote.text)
            if cohort and entry["period"] is None:
                entry["period"] = cohort.group(1)
                result.found(f"{path}/period", footnote.first)
        else:
            result.missing(f"{path}/source", "the report gives no source for this figure", fact.block.first)
        if entry["period"] is None:
            result.missing(f"{path}/period", "the report gives no period for this figure", fact.block.first)
        elif fact.period_line is not None:
            result.found(f"{path}/period", fact.period_line)
        result.document["key_facts"].append(entry)


def _fact_in(marked: str, following: list[str], block: Block) -> _Fact | None:
    text = clean_inline(marked)
    mark = FOOTNOTE_MARK.search(marked)
    footnote = int(re.sub(r"\D", "", mark.group(0).translate(_SUPERSCRIPT_VALUES))) if mark else None
    custody = _PER_THOUSAND.search(text)
    if custody and "custody" in text.lower():
        comparator = _comparator(text[custody.end() :]) or _comparator(text)
        if comparator is None:
            return None
        return _Fact(
            "custody_rate",
            "per 1,000",
            _number(custody.group(1)),
            comparator,
            _number(custody.group(2)),
            block,
            custody.group(1),
            custody.group(2),
            footnote,
        )
    if "reoffend" not in text.lower():
        return None
    percents = _PERCENT.findall(text)
    comparator = _comparator(text)
    if len(percents) == 1 and following and comparator is None:
        # "The published reoffending rate for X was 38.0%. This was ... the England and Wales average of 36.1%."
        nextsentence = clean_inline(following[0])
        next_percents = _PERCENT.findall(nextsentence)
        comparator = _comparator(nextsentence)
        if len(next_percents) != 1 or comparator is None or "average" not in nextsentence:
            return None
        percents = [percents[0], next_percents[0]]
    if len(percents) != 2 or comparator is None:
        return None
    looked_after = re.search(r"\blooked after\b", text, re.IGNORECASE)
    fact = _Fact(
        "looked_after_children_reoffending_rate" if looked_after else "reoffending_rate",
        "%",
        _number(percents[0]),
        comparator,
        _number(percents[1]),
        block,
        f"{percents[0]}%",
        f"{percents[1]}%",
        footnote,
    )
    since = _SINCE_YEAR.search(text)
    if since:
        fact.period, fact.period_line = since.group(1), block.line_with(since.group(0))
    return fact


def empty_document(framework: str) -> dict:
    """A draft document of the format `load_reports` reads, every value still unknown."""
    return {
        "service": {"name": None, "slug": None, "nation": None, "local_authorities": []},
        "framework": framework,
        "status": "draft",
        "published": None,
        "fieldwork_start": None,
        "fieldwork_end": None,
        "lead_inspector": None,
        "cases": {"court": None, "out_of_court": None, "total": None},
        "overall_rating": None,
        "title": None,
        "notes": [],
        "judgements": [],
        "key_questions": [],
        "recommendations": [],
        "findings": [],
        "key_facts": [],
    }


def add_finding(result: ImportResult, kind: str, standard: str | None, text: str, line: SourceLine, **extra) -> dict:
    """Append a finding and record its source line; returns it so a box that runs on can be extended."""
    findings = result.document["findings"]
    finding = {"kind": kind, "standard": standard, "text": text, **extra}
    findings.append(finding)
    result.found(f"findings/{len(findings) - 1}/text", line)
    return finding
