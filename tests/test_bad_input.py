"""Every kind of bad input gives one ExtractionError with a specific reason and advice, never a traceback."""

from __future__ import annotations

import os
import zipfile

import pytest
from pdf_fixtures import image_only_pdf, simple_pdf

from kb.errors import ExtractionError, KbError
from kb.ingest.extract import extract_file

TEXT = "Integrated care systems bring together NHS organisations and local authorities. " * 8


def reason(path) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    error = info.value
    assert isinstance(error, KbError)
    assert error.reason and error.advice, "every failure says what happened and what to do"
    assert "\n" not in str(error)
    return error


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pdf") / "good.pdf"
    return simple_pdf(path, [TEXT, TEXT]).read_bytes()


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    error = reason(path)
    assert error.reason == "empty file (0 bytes)"
    assert "remove it or replace it" in error.advice


def test_whitespace_only_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n\t \n")
    assert "only whitespace" in reason(path).reason


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf(tmp_path, good_pdf, fraction):
    path = tmp_path / "cut.pdf"
    path.write_bytes(good_pdf[: int(len(good_pdf) * fraction)])
    error = reason(path)
    assert error.reason.startswith("PDF is corrupt or truncated (")
    assert "cut short" in error.reason
    assert "download or export it again" in error.advice


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    error = reason(path)
    assert error.reason.startswith("PDF is corrupt or truncated (")
    assert "cut short" not in error.reason


def test_encrypted_pdf(tmp_path):
    path = simple_pdf(tmp_path / "locked.pdf", [TEXT], encrypt="s3cret")
    error = reason(path)
    assert error.reason.startswith("encrypted PDF")
    assert "qpdf --decrypt" in error.advice


def test_image_only_pdf(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_OCR", "off")  # with OCR: tests/test_ocr.py
    path = image_only_pdf(tmp_path / "scan.pdf", pages=3)
    error = reason(path)
    assert error.reason == "PDF has no text layer (image-only, 3 pages) and OCR is turned off (KB_OCR=off)"
    assert "ocrmypdf" in error.advice


def test_some_pages_without_text_are_warnings_not_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_OCR", "off")
    extraction = extract_file(image_only_pdf(tmp_path / "mixed.pdf", pages=3, text_on=[2]))
    assert len(extraction.pages) == 3
    assert "integrated care" in extraction.pages[1]
    assert extraction.pages[0].strip() == "" and extraction.pages[2].strip() == ""
    assert [w.split(" has")[0] for w in extraction.warnings] == ["page 1", "page 3"]


def test_binary_junk_with_a_text_extension(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes(range(256)) * 8)
    error = reason(path)
    assert error.reason == "binary data with a text extension"


def test_a_converters_unmapped_glyphs_are_text_not_binary(tmp_path):
    """pdfminer writes a NUL for a ligature it cannot map; the file is still the document's text."""
    path = tmp_path / "poll.txt"
    path.write_bytes(b"Findings: YouGov poll\n\nRead the \x00ndings below, or the poll \x00ndings in full.\n" * 20)
    extraction = extract_file(path)
    assert "Read the ndings below" in extraction.pages[0]
    assert "\x00" not in "".join(extraction.pages)


def test_utf16_without_a_bom_is_binary(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Integrated care boards were set up in 2022.\n".encode("utf-16-le") * 10)
    assert reason(path).reason == "binary data with a text extension"


def test_non_utf8_text_is_refused_not_guessed(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Health and care: \u00a3 3bn for \u201cintegration\u201d".encode("cp1252"))
    error = reason(path)
    assert error.reason.startswith("not valid UTF-8 text (byte 0x")
    assert "iconv" in error.advice


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("\ufeffPrimary care networks (PCNs) \u00a3".encode("utf-16-le"))
    assert extract_file(path).pages[0].strip() == "Primary care networks (PCNs) \u00a3"


@pytest.mark.parametrize(
    "name, payload, expected",
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unknown format (PNG image)"),
        ("picture.txt", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "unknown format (JPEG image)"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "unknown format (legacy Office"),
        ("blob.bin", bytes(range(256)) * 4, "unknown format (binary data)"),
        ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "unknown format (SVG"),
        ("feed.txt", b'<?xml version="1.0"?>\n<rss><channel/></rss>', "unknown format (XML document)"),
    ],
)
def test_unknown_formats_are_named(tmp_path, name, payload, expected):
    path = tmp_path / name
    path.write_bytes(payload)
    assert reason(path).reason.startswith(expected)


def test_zip_archive_such_as_docx(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert reason(path).reason.startswith("unknown format (ZIP archive")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(TEXT)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        error = reason(path)
        assert error.reason == "cannot read file (Permission denied)"
        assert "chmod" in error.advice
    finally:
        path.chmod(0o644)


def test_missing_file(tmp_path):
    assert reason(tmp_path / "gone.txt").reason == "cannot read file (No such file or directory)"


def test_directory(tmp_path):
    assert "directory" in reason(tmp_path).reason
