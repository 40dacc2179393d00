"""Property-based: whatever bytes or text arrive, reading and importing give a result or ImportUnreadable.

Random bytes and text mostly stop at the first gate (not text, not a report), so the strongest strategies start
from the seed reports and damage them: lines lost, shuffled, duplicated or replaced by junk, characters swapped,
the file cut short. The parsers must then still return a draft, with its problems listed, never crash.
Derandomised, so a run in CI is the same as a run here; no example database is written.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.importing import ImportResult, ImportUnreadable, import_report_text
from inspections.importing.reading import report_text_from_bytes
from inspections.importing.result import Problem, SourceLine
from ratings.selectors import framework_catalogues
from tests.inspections.importing.conftest import SEEDS, report_pdf, seed_text

# A failing example is a whole damaged report: its repr is long, and printing it is what we want.
pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEED_LINES = {seed: seed_text(seed).splitlines() for seed in SEEDS}
SMALL_PDF = report_pdf("\n".join(SEED_LINES["swindon-2015-06"][:120]))
# Characters OCR and word processors produce, and some no report has.
NOISE = st.text(
    alphabet=st.sampled_from(list("Y]S|l1I0O%.,:;-–—‘’“”•\u00a0\u00ad\ufeff\t\f\x00\x0b\u2028\u202e🙂ﬁ"))
    | st.characters(),
    max_size=40,
)


@st.composite
def damaged_report(draw) -> str:
    """A seed report's text with random lines lost, repeated, moved or replaced, and noise inserted."""
    lines = list(SEED_LINES[draw(st.sampled_from(SEEDS))])
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        start = draw(st.integers(0, len(lines) - 1))
        end = min(len(lines), start + draw(st.integers(1, 80)))
        action = draw(st.sampled_from(["lose", "repeat", "move", "junk", "noise", "cut"]))
        if action == "lose":
            del lines[start:end]
        elif action == "repeat":
            lines[start:start] = lines[start:end]
        elif action == "move":
            block = lines[start:end]
            del lines[start:end]
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = block
        elif action == "junk":
            lines[start:end] = draw(st.lists(NOISE, max_size=5))
        elif action == "noise":
            line = lines[start]
            at = draw(st.integers(0, len(line)))
            lines[start] = line[:at] + draw(NOISE) + line[at + draw(st.integers(0, 5)) :]
        else:
            del lines[start:]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


def assert_an_import_or_unreadable(text: str, catalogues) -> None:
    try:
        result = import_report_text(text, catalogues=catalogues)
    except ImportUnreadable as unreadable:
        assert str(unreadable)
        return
    assert isinstance(result, ImportResult)
    assert result.format in {"fji-2015", "sqs-2015", "standards-2018"}
    assert result.document["status"] == "draft"
    assert result.document["framework"] == result.format
    line_count = len(text.splitlines())
    for path, line in result.sources.items():
        assert isinstance(path, str) and isinstance(line, SourceLine)
        assert 1 <= line.number <= line_count
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.field and problem.reason


@pytest.fixture
def catalogues(frameworks):
    return framework_catalogues()


@HOSTILE
@given(content=st.binary(max_size=4000))
def test_any_bytes_read_as_text_or_are_refused(content):
    try:
        text = report_text_from_bytes(content)
    except ImportUnreadable as unreadable:
        assert str(unreadable)
    else:
        assert isinstance(text, str) and text.strip()


@HOSTILE
@given(content=st.binary(max_size=2000))
def test_any_bytes_after_a_pdf_header_read_or_are_refused(content):
    try:
        report_text_from_bytes(b"%PDF-1.7\n" + content)
    except ImportUnreadable as unreadable:
        assert str(unreadable)


@HOSTILE
@given(data=st.data())
def test_a_damaged_pdf_reads_or_is_refused(data):
    damaged = bytearray(SMALL_PDF)
    for _ in range(data.draw(st.integers(1, 20))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(b"%PDF-"), len(damaged)))
    try:
        report_text_from_bytes(bytes(damaged[:cut]))
    except ImportUnreadable as unreadable:
        assert str(unreadable)


@HOSTILE
@given(text=st.text(max_size=3000))
def test_any_text_imports_or_is_refused(catalogues, text):
    assert_an_import_or_unreadable(text, catalogues)


@HOSTILE
@given(text=damaged_report())
def test_a_damaged_report_imports_or_is_refused(catalogues, text):
    assert_an_import_or_unreadable(text, catalogues)
