"""The PDF check: a strict parse, then nothing that runs, sends, carries files or plays media."""

import io

import pikepdf
import pytest

from leadership.pdfcheck import PdfRejected, check_pdf
from tests.leadership import factories
from tests.leadership.pdf_corpus import HARMLESS, HOSTILE, raw_pdf

MAX = 10 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pdf_is_refused_for_what_it_carries(name):
    data, reason = HOSTILE[name]
    with pytest.raises(PdfRejected) as refusal:
        check_pdf(data, max_bytes=MAX)
    assert reason in str(refusal.value), (name, str(refusal.value))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pdf_parses_so_the_refusal_is_about_its_content(name):
    data, reason = HOSTILE[name]
    if reason == "protetto":
        pytest.skip("encrypted files are refused before their content is read")
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        assert len(pdf.pages) == 1


def test_object_streams_hide_the_names_from_a_byte_scan():
    data, _reason = HOSTILE["javascript in object stream"]
    assert b"/JavaScript" not in data
    assert b"/JS" not in data
    data, _reason = HOSTILE["embedded executable in object stream"]
    assert b"/EmbeddedFiles" not in data


@pytest.mark.parametrize("name", sorted(HARMLESS))
def test_harmless_pdf_is_accepted(name):
    check_pdf(HARMLESS[name], max_bytes=MAX)


def test_a_real_document_is_accepted():
    check_pdf(factories.pdf_bytes(), max_bytes=MAX)


@pytest.mark.parametrize(
    "data",
    [
        raw_pdf().replace(b"startxref\n", b"startxref\n9"),  # cross-reference table elsewhere
        raw_pdf()[:-60],  # cut before the end
        raw_pdf().replace(b"xref\n0 4", b"xref\n0 9"),  # table that lies about its size
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
    ],
)
def test_what_does_not_parse_strictly_is_refused(data):
    with pytest.raises(PdfRejected) as refusal:
        check_pdf(data, max_bytes=MAX)
    assert "danneggiato" in str(refusal.value)


def test_empty_oversize_and_not_a_pdf():
    for data, word in [(b"", "vuoto"), (b"GIF89a", "non è un PDF"), (b"%PDF-" + b"0" * 99, "MB")]:
        with pytest.raises(PdfRejected) as refusal:
            check_pdf(data, max_bytes=50)
        assert word in str(refusal.value)
