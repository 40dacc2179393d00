"""Annex 2 of a 2018 standards report: each standard's rating and each key question's % yes.

Two layouts occur. Clean text puts the % at the end of its question (`2.1.1. Does assessment ...? 65%`, or on the
question's first line when it wraps). OCR of the PDF can print a standard's codes, then its questions, then a column
of figures apart from them (`3.1.1.` `3.1.2.` `3.1.3.` ... `80%` `93%` `73%`), sometimes after a page footer. A
column is placed on the questions in order only when it holds exactly one figure per question; anything else leaves
the questions null with a problem naming each one. The question's wording is checked against the framework's
(ignoring the service's acronym and OCR's line breaks): a figure beside a question that is not the framework's
question with that code is not placed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from inspections.documents import question_key
from inspections.importing.formats.standards2018_lines import (
    clean,
    is_page_furniture,
    join_lines,
    rating_word,
    similar,
    standard_heading,
    standards,
    trailing_rating,
)
from inspections.importing.result import SourceLine

# `2.1.1.`, or as OCR prints it: a comma for a dot, or one dot lost (`21.1.`, `2.11.`), never both.
_QUESTION_MARKER = re.compile(
    r"^(?:[-•*]\s*)?(?P<code>[1-9](?:[.,][1-9][.,]?|[1-9][.,])[1-9])[.,]?(?:\s+(?P<text>.*))?$"
)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3})\s?%")
_COLUMN_HEADER = re.compile(r"^(?:standards and key questions\s*)?(?:rating\s*)?(?:and\s*)?(?:% yes)?$", re.IGNORECASE)
# Wording that is recognisably the question despite OCR specks, but not another question of the same standard.
_SAME_QUESTION = 0.9


@dataclass
class Percent:
    value: int
    line: SourceLine
    alone: bool  # printed on a line of its own, not beside its question's words


@dataclass
class Question:
    code: str
    marker: SourceLine
    parts: list[str] = field(default_factory=list)
    percents: list[Percent] = field(default_factory=list)


@dataclass
class AnnexStandard:
    code: str
    heading: SourceLine
    ratings: list[tuple[str, SourceLine]] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    leading_parts: list[str] = field(default_factory=list)
    leading_percents: list[Percent] = field(default_factory=list)


@dataclass
class Placed:
    """One key question as read: its printed wording (or None), % (or None), where, and why not when null."""

    code: str
    text: str | None
    percent_yes: int | None
    line: SourceLine | None
    problem: str | None = None
    note: str | None = None


def annex_blocks(lines: list[SourceLine]) -> dict[str, AnnexStandard]:
    """Annex 2 cut into one block per standard (the lines from its heading to the next standard's)."""
    blocks: dict[str, AnnexStandard] = {}
    current: AnnexStandard | None = None
    for line in lines:
        text = clean(line.text)
        if not text or is_page_furniture(text):
            continue
        heading = standard_heading(text, name_required=False)
        if heading is not None and heading.code not in blocks:
            current = AnnexStandard(heading.code, line)
            blocks[heading.code] = current
            rating = trailing_rating(heading.rest) if heading.rest else None
            if rating:
                current.ratings.append((rating[1], line))
            continue
        if current is None:
            continue
        marker = _QUESTION_MARKER.match(text)
        if marker:
            code = ".".join(re.findall(r"\d", marker["code"]))
            standard_code = code.rsplit(".", 1)[0]
            if standard_code != current.code and standard_code not in blocks:
                # The standard's heading was lost: its questions still say which standard they belong to.
                current = AnnexStandard(standard_code, line)
                blocks[standard_code] = current
            current.questions.append(Question(code, line, [marker["text"] or ""]))
            _take_percents(current, marker["text"] or "", line, beside_code=True)
            continue
        rating = rating_word(text)
        if rating:
            current.ratings.append((rating, line))
            continue
        if _COLUMN_HEADER.match(text):
            continue
        if _take_percents(current, text, line) and not _PERCENT.sub("", text).strip():
            continue
        (current.questions[-1].parts if current.questions else current.leading_parts).append(text)
    return blocks


def _take_percents(block: AnnexStandard, text: str, line: SourceLine, *, beside_code: bool = False) -> bool:
    alone = not beside_code and not _PERCENT.sub("", text).strip()
    found = [Percent(int(match.group(1)), line, alone) for match in _PERCENT.finditer(text)]
    target = block.questions[-1].percents if block.questions else block.leading_percents
    target.extend(found)
    return bool(found)


def annex_rating(block: AnnexStandard) -> tuple[str, SourceLine] | None:
    """The block's rating, when it gives one rating and only one."""
    names = {rating for rating, _ in block.ratings}
    return block.ratings[0] if len(names) == 1 else None


def place_key_questions(blocks: dict[str, AnnexStandard]) -> list[Placed]:
    """Every key question of the framework's case-based standards, with its % placed or a reason why not."""
    placed: list[Placed] = []
    for standard in standards():
        if standard["rated_by"] != "key_questions":
            continue
        block = blocks.get(standard["code"])
        if block is None:
            for question in standard["key_questions"]:
                placed.append(
                    Placed(
                        question["code"], None, None, None, f"Annex 2 has no section for standard {standard['code']}"
                    )
                )
            continue
        placed.extend(_place_block(standard, block))
    return placed


def _place_block(standard: dict, block: AnnexStandard) -> list[Placed]:
    expected = {question["code"]: question["text"] for question in standard["key_questions"]}
    printed = {question.code: question for question in block.questions if question.code in expected}
    wording = _printed_wording(block, printed)
    inline = bool(printed) and not block.leading_percents and all(len(q.percents) == 1 for q in printed.values())
    column = _column(block, printed)
    results = []
    for code, framework_text in expected.items():
        question = printed.get(code)
        text = wording.get(code)
        if question is None:
            results.append(Placed(code, None, None, block.heading, f"Annex 2 does not print key question {code}"))
            continue
        if text is not None and not _is_question(text, framework_text, expected, code):
            results.append(
                Placed(
                    code,
                    None,
                    None,
                    question.marker,
                    f"the question printed as {code} in Annex 2 is not the framework's ({text!r})",
                )
            )
            continue
        if text is not None and question_key(text) != question_key(framework_text):
            text = None  # recognisably the question but misprinted by OCR: the framework's wording is used
        if inline:
            percent = question.percents[0]
            results.append(Placed(code, text, percent.value, percent.line))
        elif column is not None:
            percent = column[code]
            note = (
                f"Annex 2 printed the {standard['code']} figures "
                f"{', '.join(f'{p.value}%' for p in column.values())} in a column apart from the questions; "
                "placed on the questions in the order printed, one figure per question."
            )
            results.append(Placed(code, text, percent.value, percent.line, note=note))
        elif len(question.percents) == 1 and not question.percents[0].alone and not block.leading_percents:
            results.append(Placed(code, text, question.percents[0].value, question.percents[0].line))
        else:
            reason = (
                f"Annex 2 prints no % for {code} (lost from the report)"
                if not _all_percents(block)
                else f"the % figures printed near {code} in Annex 2 cannot be placed on their questions with confidence"
            )
            results.append(Placed(code, text, None, question.marker, reason))
    return results


def _all_percents(block: AnnexStandard) -> list[Percent]:
    return [p for question in block.questions for p in question.percents] + block.leading_percents


def _column(block: AnnexStandard, printed: dict[str, Question]) -> dict[str, Percent] | None:
    """Figures printed together after the questions, one per question: placed in order."""
    if not printed:
        return None
    codes = list(printed)
    last = printed[codes[-1]]
    earlier_have_none = all(not printed[code].percents for code in codes[:-1])
    column = last.percents + block.leading_percents if earlier_have_none else []
    if len(codes) > 1 and len(column) == len(codes):
        return dict(zip(codes, column, strict=True))
    return None


def _printed_wording(block: AnnexStandard, printed: dict[str, Question]) -> dict[str, str]:
    """Each question's wording as printed: after its code, or (column layout) the questions in order after the codes."""
    texts = {code: _question_text(question.parts) for code, question in printed.items()}
    if printed and all(not text for text in list(texts.values())[:-1]):
        # Codes on their own lines, then the questions one after another.
        joined = join_lines([part for question in printed.values() for part in question.parts])
        questions = [q.strip() + "?" for q in joined.split("?")[:-1]]
        if len(questions) == len(printed):
            return dict(zip(printed, questions, strict=True))
    return {code: text for code, text in texts.items() if text}


def _question_text(parts: list[str]) -> str | None:
    text = _PERCENT.sub("", join_lines(parts))
    text = " ".join(text.split())
    if "?" not in text:
        return None
    return text[: text.index("?") + 1]


def _is_question(text: str, framework_text: str, expected: dict[str, str], code: str) -> bool:
    if question_key(text) == question_key(framework_text):
        return True
    score = similar(question_key(text), question_key(framework_text))
    others = [
        similar(question_key(text), question_key(other)) for other_code, other in expected.items() if other_code != code
    ]
    return score >= _SAME_QUESTION and all(score > other for other in others)
