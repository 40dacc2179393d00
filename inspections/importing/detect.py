"""Which of the three report formats a text is, from the markers the reports themselves print.

A report is recognised by its title ("Full Joint Inspection of Youth Offending Work in ...", "Short Quality
Screening (SQS)", "An inspection of youth offending services in ...") and, since OCR can lose the cover page
(Warwickshire's was), by the headings and questions its framework prints throughout. A text must also be about
youth offending work: an adult probation inspection uses the same 2018 domain names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspections.importing.errors import ImportUnreadable
from inspections.importing.text import ReportText


@dataclass(frozen=True)
class ReportFormat:
    framework: str  # the framework code of fixtures/frameworks.json
    module: str  # the parser, inspections.importing.formats.<module>
    name: str  # for people


FJI_2015 = ReportFormat("fji-2015", "fji2015", "Full Joint Inspection (2015)")
SQS_2015 = ReportFormat("sqs-2015", "sqs2015", "Short Quality Screening (2015)")
STANDARDS_2018 = ReportFormat("standards-2018", "standards2018", "2018 standards")
FORMATS = [FJI_2015, SQS_2015, STANDARDS_2018]

# A title on the first page counts for three markers; a format needs two, and more than any other format has.
# (Later pages may name another format: a 2018 report can mention "our last full joint inspection".)
_TITLE_WEIGHT = 3
_FIRST_PAGE_LINES = 60
_TITLES = {
    FJI_2015: re.compile(r"full joint inspection of youth offending work", re.IGNORECASE),
    SQS_2015: re.compile(r"short quality screening|\(SQS\)", re.IGNORECASE),
    STANDARDS_2018: re.compile(r"an inspection of youth offending services in", re.IGNORECASE),
}
_MARKERS = {
    FJI_2015: [
        re.compile(r"^theme [1-6]: ", re.IGNORECASE | re.MULTILINE),
        re.compile(r"full joint inspection", re.IGNORECASE),
        re.compile(r"ensuring that the sentence is served", re.IGNORECASE),
        re.compile(r"interventions to reduce reoffending", re.IGNORECASE),
        re.compile(r"governance and partnerships", re.IGNORECASE),
    ],
    SQS_2015: [
        re.compile(r"quality screening", re.IGNORECASE),
        re.compile(r"commentary on the inspection", re.IGNORECASE),
        re.compile(r"operational management", re.IGNORECASE),
        re.compile(r"areas requiring improvement", re.IGNORECASE),
    ],
    STANDARDS_2018: [
        re.compile(r"organisational delivery", re.IGNORECASE),
        re.compile(r"out-of-court disposals", re.IGNORECASE),
        re.compile(r"does assessment sufficiently analyse", re.IGNORECASE),
        re.compile(r"does planning focus sufficiently", re.IGNORECASE),
        re.compile(r"requires improvement", re.IGNORECASE),
        re.compile(r"governance and leadership", re.IGNORECASE),
    ],
}
# `Y]S` is how OCR reads YJS in the seeds.
_YOUTH = re.compile(
    r"youth offending|youth justice|\bY[O\]J][TS]\b|young (?:person|people)|children and young", re.IGNORECASE
)


def report_format(text: ReportText) -> ReportFormat:
    """The format of `text`, or ImportUnreadable saying why it is not a report this importer reads."""
    body = "\n".join(line.text for line in text.non_blank())
    if not body:
        raise ImportUnreadable("the file has no text")
    if not _YOUTH.search(body):
        raise ImportUnreadable(
            "this is not an HMIP youth inspection report: it never mentions youth offending or youth justice work"
        )
    first_page = "\n".join(line.text for line in text.non_blank()[:_FIRST_PAGE_LINES])
    scores = {
        candidate: sum(1 for marker in _MARKERS[candidate] if marker.search(body))
        + (_TITLE_WEIGHT if _TITLES[candidate].search(first_page) else 0)
        for candidate in FORMATS
    }
    best = max(scores.values())
    leaders = [candidate for candidate, score in scores.items() if score == best]
    if best >= 2 and len(leaders) == 1:
        return leaders[0]
    names = ", ".join(candidate.name for candidate in FORMATS)
    if best >= 2:
        tied = " and ".join(candidate.name for candidate in leaders)
        raise ImportUnreadable(f"the text has the markers of more than one report format ({tied}): it cannot be read")
    raise ImportUnreadable(
        f"this is not an HMIP youth inspection report in a format the importer reads ({names}): "
        "none of their titles or headings was found"
    )
