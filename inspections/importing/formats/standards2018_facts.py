"""The Key facts page of a 2018 standards report: each figure with its comparator, period and source.

The page is a graphic in the PDF, so its text comes in two layouts: one value per line (the label, the service's
figure, the service's name, the comparator's figure, "Average for England and Wales") or, from OCR, one table row
per line (`Warwickshire 21% 79%`). Sources are the page's footnotes, tied to a figure by what they are about
(first-time entrants, reoffending, recorded crime, annual statistics for the caseload, population estimates).
A figure OCR garbled is left null with a problem; its footnote still gives the period and source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspections.importing.formats.standards2018_lines import clean, is_running_footer
from inspections.importing.result import ImportResult, SourceLine

_FOOTNOTE = re.compile(r"^(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,2}|\*)\s+(?P<text>[A-Z].*)$")
_PERIOD = re.compile(r"\b((?:[A-Z][a-z]+ )?\d{4} to (?:[A-Z][a-z]+ )?\d{4})\b")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)%?$")
_LABELLED_NUMBER = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]*?)\s+(?P<number>\d+(?:\.\d+)?)$")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")

# What each footnote is about, in the order they are tried ("Youth Justice Board" publishes two of them).
_SOURCE_TOPICS = [
    ("first_time_entrants", re.compile(r"first-time entrants", re.IGNORECASE)),
    ("reoffending", re.compile(r"reoffending", re.IGNORECASE)),
    ("crime", re.compile(r"crime in england|recorded crime", re.IGNORECASE)),
    ("caseload", re.compile(r"annual statistics", re.IGNORECASE)),
    ("population", re.compile(r"population estimates|census", re.IGNORECASE)),
]
_CASELOAD_GROUPS = {
    "Age": [("10-14", "caseload_age_10_14"), ("15-17", "caseload_age_15_17")],
    "Race/ethnicity": [
        ("White", "caseload_white"),
        ("Black and minority ethnic", "caseload_black_and_minority_ethnic"),
    ],
    "Gender": [("Male", "caseload_male"), ("Female", "caseload_female")],
}
_POPULATION_ROWS = {
    "total population": ("population_total", "count"),
    "total youth population": ("youth_population_share", "%"),
    "total black and minority ethnic youth population": ("black_and_minority_ethnic_youth_population_share", "%"),
}


@dataclass
class Source:
    text: str
    period: str | None
    line: SourceLine


def _number(text: str) -> int | float:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


def key_facts(lines: list[SourceLine], start: int | None, end: int, raw: str, result: ImportResult) -> list[dict]:
    if start is None:
        result.missing("key_facts", "the Key facts page was not found")
        return []
    # Bare numbers here are figures, not page numbers: only the running footer is dropped.
    region = [line for line in lines[start + 1 : end] if line.text and not is_running_footer(line.text)]
    sources = _sources(region)
    facts: list[dict] = []

    def add(measure, value, unit, comparator, comparator_value, topic, line, *, area=None, problem=None):
        source = sources.get(topic)
        fact = {
            "measure": measure,
            "value": value,
            "unit": unit,
            "comparator": comparator,
            "comparator_value": comparator_value,
            "period": source.period if source and topic != "population" else None,
            "source": source.text if source else None,
        }
        key = f"key_facts/{measure}" + (f"[{area}]" if area else "")
        if area:
            fact["area"] = area
        if value is None:
            result.missing(f"{key}/value", problem, line)
        else:
            result.found(f"{key}/value", line)
        if comparator_value is not None:
            result.found(f"{key}/comparator_value", line)
        facts.append(fact)

    for topic, measure, unit, label in (
        ("first_time_entrants", "first_time_entrants_rate", "per 100,000", re.compile(r"first-time entrant", re.I)),
        ("reoffending", "reoffending_rate", "%", re.compile(r"^reoffending rate", re.I)),
    ):
        figures = _labelled_column(region, label, sources.get(topic))
        if figures is not None:
            value, comparator, comparator_value, line = figures
            add(measure, value, unit, comparator, comparator_value, topic, line)
        elif topic in sources:
            add(
                measure, None, unit, None, None, topic, sources[topic].line,
                problem="the figures on the Key facts page were lost or garbled (OCR): only the footnote survives",
            )  # fmt: skip
    crime = _crime(region)
    if crime is not None or "crime" in sources:
        value, comparator, comparator_value, line = crime or (None, None, None, sources["crime"].line)
        add(
            "total_recorded_crime_rate", value, "per 1,000 households", comparator, comparator_value, "crime", line,
            problem="the recorded crime figures on the Key facts page could not be read",
        )  # fmt: skip
    for measure, value, comparator_value, line in _caseload(region):
        add(measure, value, "%", "National average", comparator_value, "caseload", line)
    for measure, unit, area, value, line in _population(raw, lines[start + 1 : end]):
        add(measure, value, unit, None, None, "population", line, area=area)
    if not facts:
        result.missing("key_facts", "no figures could be read from the Key facts page", lines[start])
    return facts


def _sources(region: list[SourceLine]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for line in region:
        match = _FOOTNOTE.match(clean(line.text))
        if not match:
            continue
        text = match["text"]
        topic = next((topic for topic, pattern in _SOURCE_TOPICS if pattern.search(text)), None)
        if topic is None:
            continue
        period = _PERIOD.search(text)
        if topic in sources:  # two footnotes for one figure (population: estimates and census)
            sources[topic] = Source(f"{sources[topic].text} {text}", None, sources[topic].line)
        else:
            sources[topic] = Source(text, period.group(1) if period else None, line)
    return sources


def _labelled_column(
    region: list[SourceLine], label: re.Pattern, source: Source | None
) -> tuple[int | float, str, int | float, SourceLine] | None:
    """`<label>` / figure / service / comparator's figure / `Average for <comparator>`, one per line."""
    for position, line in enumerate(region):
        if source is not None and line is source.line:
            continue
        if not label.search(clean(line.text)) or _FOOTNOTE.match(clean(line.text)):
            continue
        following = [clean(item.text) for item in region[position + 1 : position + 5]]
        if len(following) < 4:
            return None
        value, comparator_value = _NUMBER.match(following[0]), _NUMBER.match(following[2])
        comparator = re.match(r"^Average for (.+)$", following[3])
        if value and comparator_value and comparator:
            return (
                _number(value.group(1)),
                comparator.group(1),
                _number(comparator_value.group(1)),
                region[position + 1],
            )
        return None
    return None


def _crime(region: list[SourceLine]) -> tuple[int | float, str, int | float, SourceLine] | None:
    """`Total recorded crime`, then `<police force area> 74.1` and `<comparator> 83.5`."""
    for position, line in enumerate(region):
        if not clean(line.text).lower().startswith("total recorded crime"):
            continue
        rows = [
            (item, _LABELLED_NUMBER.match(clean(item.text)))
            for item in region[position + 1 : position + 5]
            if _LABELLED_NUMBER.match(clean(item.text))
        ]
        if len(rows) >= 2:
            (value_line, value), (_, comparator) = rows[0], rows[1]
            return _number(value["number"]), comparator["label"], _number(comparator["number"]), value_line
    return None


def _caseload(region: list[SourceLine]) -> list[tuple[str, int | float, int | float, SourceLine]]:
    figures = []
    texts = [clean(line.text) for line in region]
    for group, categories in _CASELOAD_GROUPS.items():
        for position, text in enumerate(texts):
            if text == group:
                figures += _caseload_columns(region, texts, position, categories)
                break
            if text.startswith(f"{group} ") and all(name in text for name, _ in categories):
                figures += _caseload_rows(region, texts, position, categories)
                break
    return figures


def _caseload_columns(region, texts, position, categories):
    """`Age` / service / `National average` / `10-14` / `12%` / `24%` / `15-17` / ..."""
    figures = []
    for name, measure in categories:
        at = next((i for i in range(position + 1, min(position + 12, len(texts))) if texts[i] == name), None)
        if at is None or at + 2 >= len(texts):
            continue
        value, comparator = _NUMBER.match(texts[at + 1]), _NUMBER.match(texts[at + 2])
        if value and comparator and texts[at + 1].endswith("%") and texts[at + 2].endswith("%"):
            figures.append((measure, _number(value.group(1)), _number(comparator.group(1)), region[at + 1]))
    return figures


def _caseload_rows(region, texts, position, categories):
    """`Age 10-14 15-17` / `Warwickshire 21% 79%` / `National average 24% 76%`."""
    header = texts[position]
    order = sorted(categories, key=lambda category: header.index(category[0]))
    if position + 2 >= len(texts) or not texts[position + 2].startswith("National average"):
        return []
    values = _PERCENT.findall(texts[position + 1])
    comparators = _PERCENT.findall(texts[position + 2])
    if len(values) != len(order) or len(comparators) != len(order):
        return []
    return [
        (measure, _number(value), _number(comparator), region[position + 1])
        for (_, measure), value, comparator in zip(order, values, comparators, strict=True)
    ]


def _population(raw: str, lines: list[SourceLine]) -> list[tuple[str, str, str, int | float, SourceLine]]:
    """The population table, read from the raw text where its cells are still tab-separated."""
    raw_lines = raw.splitlines()
    figures = []
    areas: list[str] | None = None
    for line in lines:
        cells = [cell.strip() for cell in raw_lines[line.number - 1].split("\t")]
        if len(cells) < 2:
            continue
        if not cells[0] and all(cells[1:]):
            areas = cells[1:]
            continue
        row = _POPULATION_ROWS.get(cells[0].lower())
        if row is None or areas is None or len(cells) - 1 != len(areas):
            continue
        measure, unit = row
        for area, cell in zip(areas, cells[1:], strict=True):
            number = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)%?", cell)
            if number:
                figures.append((measure, unit, area, _number(number.group(1)), line))
    return figures
