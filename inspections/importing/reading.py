"""A report file's bytes as text: plain text in the encodings reports are saved in, or a PDF's text layer.

Anything else (an empty file, a binary file, a scanned PDF without a text layer, a damaged or encrypted PDF) is
refused with ImportUnreadable naming what is wrong. Whether the text is a youth inspection report is decided
later, from its content (`detect.py`).
"""

from __future__ import annotations

import codecs
import io
import logging
import unicodedata
import warnings
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from inspections.importing import Progress
from inspections.importing.errors import ImportUnreadable

PDF_MAGIC = b"%PDF-"
# A text file may hold a stray control character or two (form feeds between pages are common); a binary file
# decoded by chance as cp1252 is full of them.
_MOST_CONTROL_CHARACTERS = 0.01
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def report_text_from_file(path: Path | str, progress: Progress | None = None) -> str:
    """The text of the report at `path` (ImportUnreadable if it cannot be read as a report's text)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportUnreadable(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise ImportUnreadable(f"{path}: cannot be read ({error.strerror})") from None
    return report_text_from_bytes(data, progress=progress)


def report_text_from_bytes(data: bytes, progress: Progress | None = None) -> str:
    """The text of a report file's content: a PDF's text layer, or the file decoded as text."""
    if not data.strip():
        raise ImportUnreadable("the file is empty")
    if data.startswith(PDF_MAGIC):
        return _pdf_text(data, progress)
    return _plain_text(data)


def _plain_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else Windows-1252 (Word's "Text Only")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        if not text.strip():
            raise ImportUnreadable("the file is empty")
        return text
    raise ImportUnreadable("the file is binary, not text or a PDF: export the report as a PDF or plain text")


def _looks_binary(text: str) -> bool:
    controls = sum(
        1 for character in text if unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROLS
    )
    return "\x00" in text or controls > _MOST_CONTROL_CHARACTERS * len(text)


def _pdf_text(data: bytes, progress: Progress | None) -> str:
    """Each page's text layer, pages one after the other.

    Pages are read in pypdf's layout mode: it keeps a table's row on one line and a gap between paragraphs as a
    blank line, as the report texts the parsers were written from have them.
    """
    # pypdf reports its repairs of damaged files as warnings; whether the text can be read is what matters here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _pdf_pages_text(data, progress)


def _pdf_pages_text(data: bytes, progress: Progress | None) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many reports are "encrypted" only against editing, with an empty password to open them: those read.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportUnreadable("the PDF is protected by a password: save an unprotected copy and import that")
        pages = reader.pages
        total = len(pages)
        texts = []
        for number, page in enumerate(pages, 1):
            texts.append(_page_text(page))
            if progress is not None:
                progress("reading the PDF's pages", number, total)
    except ImportUnreadable:
        raise
    except DependencyError:
        raise ImportUnreadable("the PDF is protected by a password: save an unprotected copy and import that") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        # pypdf raises many kinds of error on a damaged file; all mean the same to an inspector.
        raise ImportUnreadable(f"the PDF is damaged and cannot be read ({type(error).__name__}: {error})") from None
    if not total:
        raise ImportUnreadable("the PDF has no pages")
    text = "\n".join(texts)
    if not text.strip():
        raise ImportUnreadable(
            f"the PDF has no text layer (its {total} page(s) are images, as a scan is): "
            "run it through OCR and import the text"
        )
    return text


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
        # Layout mode needs the fonts' widths; a page whose fonts lack them still has its text in reading order.
        return page.extract_text() or ""
