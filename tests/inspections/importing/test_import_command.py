"""`manage.py import_report`: the draft on stdout or a file, the problems on stderr, --service, --load, refusals."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inspections.importing import import_report_text
from inspections.importing.result import ImportResult, SourceLine
from inspections.management.commands.import_report import problems_report
from inspections.models import Inspection, InspectionStatus
from tests.conftest import MODELS
from tests.inspections.importing.conftest import image_only_pdf, report_pdf, seed_path, seed_text

SEED = "swindon-2015-06"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_report", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are named by short relative paths, as an inspector types them (the history keeps 100 characters)."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seed_file(tmp_path) -> Path:
    path = Path("swindon.txt")
    path.write_bytes(seed_path(SEED).read_bytes())
    return path


@pytest.mark.unit
def test_problems_report_lists_field_reason_and_source_line():
    result = ImportResult(format="standards-2018", document={})
    result.found("overall_rating", SourceLine(12, "rated 'Good'"))
    result.missing("key_questions/2.1.1/percent_yes", "the percentage is on a lost page", SourceLine(851, "2.1.1 Does"))
    result.missing("published", "the cover page is not in the text")
    assert problems_report(Path("w.txt"), result) == (
        "w.txt: read as standards-2018: 1 values read, 2 could not be read:\n"
        "  key_questions/2.1.1/percent_yes: the percentage is on a lost page (line 851: '2.1.1 Does')\n"
        "  published: the cover page is not in the text\n"
    )
    assert problems_report(Path("w.txt"), ImportResult("fji-2015", {})) == (
        "w.txt: read as fji-2015: 0 values read, 0 could not be read.\n"
    )


@pytest.mark.integration
def test_import_writes_the_draft_to_stdout_and_the_problems_to_stderr(frameworks, seed_file):
    stdout, stderr = run(seed_file)
    expected = import_report_text(seed_text(SEED))
    assert json.loads(stdout) == expected.document
    assert json.loads(stdout)["status"] == "draft"
    assert stderr == problems_report(seed_file, expected)
    assert stderr.startswith(f"swindon.txt: read as fji-2015: {len(expected.sources)} values read, ")
    assert "\r" not in stderr  # no progress drawn when stderr is not a terminal (CI)
    assert row_counts() == dict.fromkeys(row_counts(), 0)  # without --load, nothing is written


@pytest.mark.integration
def test_import_output_option_writes_the_file_and_nothing_to_stdout(frameworks, seed_file):
    stdout, _ = run(seed_file, "--output", "draft.json")
    assert stdout == ""
    written = Path("draft.json").read_text(encoding="utf-8")
    assert json.loads(written) == import_report_text(seed_text(SEED)).document
    assert written.startswith('{\n  "service": {')


@pytest.mark.integration
def test_import_service_option_replaces_the_slug(frameworks, seed_file):
    stdout, _ = run(seed_file, "--service", "swindon-borough")
    assert json.loads(stdout)["service"]["slug"] == "swindon-borough"
    with pytest.raises(CommandError, match=r"^--service: 'Swindon Borough' is not a service slug"):
        run(seed_file, "--service", "Swindon Borough")


@pytest.mark.integration
def test_import_from_a_pdf_gives_the_draft_the_text_gives(frameworks, seed_file):
    Path("swindon.pdf").write_bytes(report_pdf(seed_text(SEED)))
    from_pdf, _ = run("swindon.pdf")
    assert json.loads(from_pdf)["judgements"] == json.loads(run(seed_file)[0])["judgements"]


@pytest.mark.integration
def test_import_shows_progress_only_on_a_terminal(frameworks, seed_file):
    terminal = Terminal()
    call_command("import_report", str(seed_file), "--output", "draft.json", stdout=io.StringIO(), stderr=terminal)
    shown = terminal.getvalue()
    assert "\rdetecting the format: 0/3\x1b[K" in shown
    assert "\rchecking the draft: 3/3\x1b[K\n" in shown


@pytest.mark.integration
def test_import_load_saves_a_draft_with_the_import_in_its_history(frameworks, seed_file, inspector):
    _, stderr = run(seed_file, "--load", "--nation", "England", "--user", "inspector")
    inspection = Inspection.objects.get(service__slug="swindon")
    assert inspection.status == InspectionStatus.DRAFT
    assert stderr.endswith(f"swindon.txt: created ({inspection}), as a draft\n")
    [record] = inspection.history.all()
    assert (record.history_change_reason, record.history_user) == ("import_report swindon.txt", inspector)
    judgement_reasons = {row.history_change_reason for row in inspection.judgements.model.history.all()}
    assert judgement_reasons == {"import_report swindon.txt"}
    # Importing the same file again changes nothing.
    _, stderr = run(seed_file, "--load", "--nation", "England")
    assert stderr.endswith(f"swindon.txt: unchanged ({inspection}), as a draft\n")
    assert inspection.history.count() == 1


@pytest.mark.integration
def test_import_load_replaces_the_stored_inspection_as_a_draft(reports, seed_file):
    stored = Inspection.objects.get(service__slug="swindon")
    assert stored.status == InspectionStatus.PUBLISHED
    _, stderr = run(seed_file, "--load")
    assert stderr.endswith(f"swindon.txt: updated ({stored}), as a draft\n")
    stored.refresh_from_db()
    assert stored.status == InspectionStatus.DRAFT
    assert stored.history.first().history_change_reason == "import_report swindon.txt"


@pytest.mark.integration
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00",
            "the file is binary, not text or a PDF",
        ),
        (
            b"Minutes of the Youth Offending Service Management Board\nItem 1: budget\n",
            "this is not an HMIP youth inspection report in a format the importer reads",
        ),
        (b"A shopping list\nmilk\neggs\n", "this is not an HMIP youth inspection report: it never mentions"),
        (image_only_pdf(), "the PDF has no text layer"),
    ],
)
def test_import_refuses_a_bad_file_and_creates_nothing(frameworks, content, message):
    Path("bad.txt").write_bytes(content)
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        run("bad.txt", "--output", "draft.json", "--load")
    assert str(refused.value).startswith(f"bad.txt: cannot be imported: {message}")
    assert not Path("draft.json").exists()
    assert row_counts() == before


@pytest.mark.integration
def test_import_refuses_a_missing_file_and_an_unknown_user(frameworks, seed_file):
    with pytest.raises(CommandError, match=r"^nothing.txt: cannot be imported: nothing.txt: no such file$"):
        run("nothing.txt")
    with pytest.raises(CommandError, match=r"^--user 'nobody': no such user$"):
        run(seed_file, "--load", "--user", "nobody")
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.integration
def test_import_load_of_a_draft_the_loader_refuses_writes_the_draft_and_loads_nothing(frameworks, seed_file):
    # Swindon's report does not say it is in England, and no service "swindon" is stored to say so.
    with pytest.raises(CommandError) as refused:
        run(seed_file, "--load", "--output", "draft.json")
    assert str(refused.value) == (
        "Nothing was loaded: correct the draft, then load it.\n"
        "swindon.txt: $.service.nation: null is not a known nation (one of: England, Wales)"
    )
    assert json.loads(Path("draft.json").read_text(encoding="utf-8"))["service"]["nation"] is None
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.integration
def test_import_nation_comes_from_the_option_or_the_stored_service(reports, seed_file):
    assert import_report_text(seed_text(SEED)).document["service"]["nation"] == "England"  # stored "swindon"
    as_new = import_report_text(seed_text(SEED), "swindon-new")
    assert as_new.document["service"]["nation"] is None
    assert [problem.field for problem in as_new.problems if problem.field.startswith("service/")] == [
        "service/nation",
        "service/nation",  # the parser's "not stated", and the document check's refusal of null
    ]
    stdout, _ = run(seed_file, "--service", "swindon-new", "--nation", "Wales")
    assert json.loads(stdout)["service"]["nation"] == "Wales"
