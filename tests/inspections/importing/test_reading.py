"""A report file as text: the encodings reports are saved in, PDFs with a text layer, and every file refused."""

import codecs

import pytest
from fpdf import FPDF

from inspections.importing import import_report_text
from inspections.importing.agreement import agreement
from inspections.importing.errors import ImportUnreadable
from inspections.importing.reading import report_text_from_bytes, report_text_from_file
from tests.inspections.importing.conftest import SEEDS, image_only_pdf, pdf_text, report_pdf, seed_path, seed_text

TEXT = "Full Joint Inspection of Youth Offending Work in Swindon\nThe YOT\u2019s work \u2013 74% \u00a9 Crown\n"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("encoded", "how"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with a byte-order mark"),
        (TEXT.encode("cp1252"), "Windows-1252"),
        (TEXT.encode("utf-16"), "UTF-16 with a byte-order mark"),
    ],
)
def test_plain_text_in_each_encoding_reads_the_same(encoded, how):
    assert report_text_from_bytes(encoded) == TEXT, how


@pytest.mark.unit
def test_a_seed_file_reads_as_its_text():
    assert report_text_from_file(seed_path("western-bay-2019-03")) == seed_text("western-bay-2019-03")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\t\n", "the file is empty"),
        (codecs.BOM_UTF8 + b"\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "the file is binary, not text or a PDF"),
        (bytes(range(256)) * 4, "the file is binary, not text or a PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml", "the file is binary, not text or a PDF"),
        (b"%PDF-1.7\nthis is not a PDF at all", "the PDF is damaged and cannot be read"),
        (image_only_pdf(), "the PDF has no text layer (its 2 page(s) are images, as a scan is)"),
    ],
)
def test_unreadable_content_is_refused_with_what_is_wrong(content, message):
    with pytest.raises(ImportUnreadable) as refused:
        report_text_from_bytes(content)
    assert str(refused.value).startswith(message)


@pytest.mark.unit
def test_a_password_protected_pdf_is_refused_and_an_edit_protected_one_read():
    def pdf(**passwords) -> bytes:
        document = FPDF()
        document.add_page()
        document.set_font("Helvetica", size=10)
        document.cell(0, 5, "Youth offending work")
        document.set_encryption(owner_password="owner", **passwords)
        return bytes(document.output())

    with pytest.raises(ImportUnreadable) as refused:
        report_text_from_bytes(pdf(user_password="secret"))
    assert str(refused.value) == "the PDF is protected by a password: save an unprotected copy and import that"
    assert report_text_from_bytes(pdf()).strip() == "Youth offending work"


@pytest.mark.unit
def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(ImportUnreadable, match="^.*nothing.txt: no such file$"):
        report_text_from_file(tmp_path / "nothing.txt")
    with pytest.raises(ImportUnreadable, match="is a directory, not a file$"):
        report_text_from_file(tmp_path)


@pytest.mark.unit
def test_a_pdf_reads_line_by_line_and_tells_its_progress_page_by_page():
    text = seed_text("western-bay-2019-03")
    told = []
    read = report_text_from_bytes(report_pdf(text), progress=lambda *step: told.append(step))
    expected = [line for line in pdf_text(text).splitlines() if line]
    assert [line.strip() for line in read.splitlines() if line.strip()] == expected
    pages = -(-len(text.splitlines()) // 90)
    assert told == [("reading the PDF's pages", page, pages) for page in range(1, pages + 1)]


@pytest.mark.integration
@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_as_pdf_imports_as_its_text_does(frameworks, seed):
    text = pdf_text(seed_text(seed))
    from_text = import_report_text(text)
    from_pdf = import_report_text(report_text_from_bytes(report_pdf(text)))
    assert from_pdf.format == from_text.format
    compared = agreement(from_pdf.document, from_text.document)
    assert compared.mismatches == []
    assert compared.total > 0
