"""OCR of scanned PDF pages: searchable, marked with a confidence, only where a page has images and no text,
and a one-line failure with install advice where Tesseract is missing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run_kb
from pdf_fixtures import scanned_pdf

from kb.errors import ExtractionError
from kb.ingest.extract import extract_file, ocr


def _ocr_ready() -> bool:
    try:
        ocr._engine.cache_clear()
        ocr._engine("eng", shutil.which("tesseract") or "")
        return True
    except ocr.OcrUnavailable:
        return False


# Skipped where Tesseract is missing, except in CI (CI set), where .ci/run installs it and a skip would hide that.
needs_tesseract = pytest.mark.skipif(
    not os.environ.get("CI") and not _ocr_ready(),
    reason="needs Tesseract with English data and kb-policy[ocr] (apt-get install tesseract-ocr tesseract-ocr-eng)",
)

SCAN_1 = ["Neighbourhood health centres", "serve local communities"]
SCAN_2 = ["Hospital discharge funding", "supports social care"]
MIXED_TEXT = ["Commissioning guidance for integrated care boards."]
MIXED_SCAN = ["Workforce planning matters"]


def _corpus(home: Path) -> Path:
    corpus = home / "corpus"
    corpus.mkdir(parents=True)
    (home / "indexes").mkdir()
    scanned_pdf(corpus / "scan.pdf", [("scan", SCAN_1), ("scan", SCAN_2)])
    scanned_pdf(corpus / "mixed.pdf", [("text", MIXED_TEXT), ("scan", MIXED_SCAN), ("blank", ())])
    return home


@pytest.fixture(scope="module")
def ocr_home(tmp_path_factory) -> Path:
    """A scan (two image-only pages) and a mixed PDF (text, image-only, blank), ingested with OCR."""
    home = _corpus(tmp_path_factory.mktemp("ocr"))
    result = run_kb("ingest", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    return home


def _docs(home: Path) -> dict[str, dict]:
    result = run_kb("docs", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return {d["id"]: d for d in json.loads(result.stdout)}


@needs_tesseract
def test_scanned_words_are_searchable(ocr_home):
    for query, doc in (("neighbourhood", "scan"), ('"hospital discharge"', "scan"), ("workforce", "mixed")):
        result = run_kb("search", query, home=ocr_home)
        assert result.returncode == 0, result.stderr
        assert f"{doc}-p" in result.stdout, (query, result.stdout)


@needs_tesseract
def test_show_marks_ocr_text_with_its_confidence(ocr_home):
    shown = run_kb("show", "scan", home=ocr_home)
    assert shown.returncode == 0, shown.stderr
    report = [line for line in shown.stdout.splitlines() if "OCR (tesseract " in line]
    assert len(report) == 1 and "on all pages" in report[0] and "mean confidence" in report[0], shown.stdout
    assert ", eng)" in report[0]
    headers = [line for line in shown.stdout.splitlines() if line.startswith("[scan-p")]
    assert headers and all("· OCR " in line and line.split("· OCR ")[1].split("%")[0].isdigit() for line in headers)

    data = json.loads(run_kb("show", "scan", "--json", home=ocr_home).stdout)
    assert data["ocr"]["engine"] == "tesseract" and data["ocr"]["languages"] == "eng"
    assert [p["page"] for p in data["ocr"]["pages"]] == [1, 2]
    assert data["ocr"]["mean_confidence"] > 70
    assert [p["ocr"] for p in data["pages"]] == [True, True]
    assert "Neighbourhood health centres" in data["text"]


@needs_tesseract
def test_a_mixed_pdf_ocrs_only_its_image_page(ocr_home):
    docs = _docs(ocr_home)
    mixed = docs["mixed"]
    assert [p["page"] for p in mixed["ocr"]["pages"]] == [2]
    assert mixed["pages"] == 3
    assert "page 3 has no text (no text layer, and no images or drawn text to OCR)" in mixed["warnings"]
    data = json.loads(run_kb("show", "mixed", "--json", home=ocr_home).stdout)
    assert [p["ocr"] for p in data["pages"]] == [False, True, False]
    assert "Commissioning guidance" in data["text"] and "Workforce planning" in data["text"]
    shown = run_kb("show", "mixed", home=ocr_home).stdout
    assert "on 1 of 3 pages: p. 2 (" in shown


@needs_tesseract
def test_text_drawn_as_vector_outlines_is_read_by_ocr_and_said_so(tmp_path):
    """A page without a text layer whose text was converted to outlines (filled glyph paths) is OCR'd like a
    scan, and the report says the text came from drawing; a chart of a few filled shapes is not sent to OCR."""
    path = scanned_pdf(tmp_path / "outlined.pdf", [("text", MIXED_TEXT), ("outlines", ["Neighbourhood health",
                                                                                        "centres open daily"]),
                                                   ("bars", ())])
    extraction = extract_file(path)
    assert "Neighbourhood health" in extraction.pages[1] and "centres open daily" in extraction.pages[1]
    assert [(p["page"], p["source"]) for p in extraction.metadata["ocr"]["pages"]] == [(2, "vector outlines")]
    assert extraction.warnings == ("page 3 has no text (no text layer, and no images or drawn text to OCR)",)


def test_a_blank_page_costs_no_ocr(tmp_path, monkeypatch):
    seen: list[int] = []

    def fake_page(data, number, eng, remaining):
        seen.append(number)
        return ocr.PageOcr(number, "Workforce planning matters", 90.0, 3)

    monkeypatch.setattr(ocr, "engine", lambda: ocr.Engine("5.0.0", "eng"))
    monkeypatch.setattr(ocr, "_ocr_page", fake_page)
    path = scanned_pdf(tmp_path / "mixed.pdf", [("text", MIXED_TEXT), ("blank", ()), ("scan", MIXED_SCAN),
                                                ("blank", ())])
    extraction = extract_file(path)
    assert seen == [3]
    assert extraction.pages[2] == "Workforce planning matters" and extraction.pages[1] == ""
    assert extraction.metadata["ocr"]["pages"] == [{"page": 3, "confidence": 90.0, "words": 3, "source": "images"}]
    assert [w.split(" has no text (")[0] for w in extraction.warnings] == ["page 2", "page 4"]


def test_without_tesseract_a_scan_fails_in_one_line_with_install_advice(tmp_path):
    home = _corpus(tmp_path / "home")
    no_tools = tmp_path / "empty-path"
    no_tools.mkdir()
    result = run_kb("ingest", home=home, env={"PATH": str(no_tools)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert failed == [
        "failed: scan.pdf: PDF has no text layer (image-only, 2 pages) and Tesseract is not installed (no tesseract"
        " command on PATH); install OCR: apt-get install tesseract-ocr tesseract-ocr-eng and pip install"
        " 'kb-policy[ocr]', or run OCR elsewhere (e.g. ocrmypdf) and add the result"
    ], result.stderr
    # The mixed PDF is still ingested; its image page is reported, not silently dropped.
    assert "mixed.pdf: page 2 has no text layer (image-only) and was not OCR'd: Tesseract is not installed" in (
        result.stderr)
    assert "1 documents" in result.stdout


def test_without_the_ocr_extra_the_advice_is_the_pip_install(monkeypatch):
    import sys

    ocr._engine.cache_clear()
    monkeypatch.setitem(sys.modules, "pytesseract", None)  # as if the extra were not installed
    try:
        with pytest.raises(ocr.OcrUnavailable) as caught:
            ocr.engine()
    finally:
        ocr._engine.cache_clear()
    assert caught.value.reason == "the OCR extra is not installed (no module pytesseract)"
    assert "pip install 'kb-policy[ocr]'" in caught.value.advice


def test_a_missing_language_names_the_debian_package(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract, "get_tesseract_version", lambda: "5.3.0")
    monkeypatch.setattr(pytesseract, "get_languages", lambda: ["eng", "osd"])
    monkeypatch.setenv("KB_OCR_LANG", "eng+fra")
    ocr._engine.cache_clear()
    try:
        with pytest.raises(ocr.OcrUnavailable) as caught:
            ocr.engine()
    finally:
        ocr._engine.cache_clear()
    assert caught.value.reason == "Tesseract has no language data for fra (KB_OCR_LANG=eng+fra)"
    assert "apt-get install tesseract-ocr-fra" in caught.value.advice and "eng" in caught.value.advice


def test_ocr_stops_cleanly_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: ocr.Engine("5.0.0", "eng"))
    path = scanned_pdf(tmp_path / "scan.pdf", [("scan", SCAN_1), ("scan", SCAN_2)])
    with ocr.budget(0.001, 0.001), pytest.raises(ExtractionError) as caught:
        extract_file(path)
    assert caught.value.reason == "OCR did not finish within the time limit (0.001 s): 0 of 2 pages read"
    assert "--timeout" in caught.value.advice


@needs_tesseract
def test_ocr_reports_progress_page_by_page(tmp_path):
    from kb.ingest import ingest
    from kb.ingest.report import FileProgress
    from kb.project import Project

    home = tmp_path / "home"
    (home / "corpus").mkdir(parents=True)
    scanned_pdf(home / "corpus" / "scan.pdf", [("scan", SCAN_1), ("scan", SCAN_2)])
    events: list[FileProgress] = []

    def progress(event) -> None:
        if isinstance(event, FileProgress):
            events.append(event)

    report = ingest(Project(home), jobs=1, progress=progress)
    assert report.ok, report.failed
    assert [(e.source, e.stage, e.done, e.total) for e in events] == [
        ("scan.pdf", "ocr", 1, 2), ("scan.pdf", "ocr", 2, 2)]


def test_huge_pages_are_rendered_within_the_pixel_caps():
    assert ocr.page_scale(595.27, 841.89) == pytest.approx(300 / 72)  # A4 at 300 DPI
    for width, height in ((7200.0, 7200.0), (200.0, 14400.0), (14400.0, 14400.0)):
        scale = ocr.page_scale(width, height)
        assert max(width, height) * scale <= ocr.MAX_SIDE_PX + 1
        assert width * height * scale * scale <= ocr.MAX_PIXELS * 1.001


def test_an_older_store_gains_the_ocr_column(tmp_path):
    from kb.store import SCHEMA_VERSION, Store

    path = tmp_path / "kb.sqlite"
    Store.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE documents DROP COLUMN ocr")
    conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")  # the version before OCR
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(documents)")}
    assert "ocr" in columns


def test_ocr_is_an_optional_extra_imported_only_when_needed():
    import configparser
    import subprocess
    import sys

    from conftest import REPO

    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    extras = config["options.extras_require"]
    for name in ("ocr", "test"):
        assert "pytesseract" in extras[name] and "pypdfium2" in extras[name]
    assert "pytesseract" not in config["options"]["install_requires"]
    code = ("import sys, kb.ingest.extract.ocr, kb.ingest.extract.pdf, kb.ingest.worker; "
            "print(sorted(m for m in ('pytesseract', 'pypdfium2', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_a_pdf_of_blank_pages_is_not_called_a_scan(tmp_path):
    path = scanned_pdf(tmp_path / "blank.pdf", [("blank", ()), ("blank", ())])
    with pytest.raises(ExtractionError) as caught:
        extract_file(path)
    assert caught.value.reason == "PDF has no text (no text layer and no images on its 2 pages)"


def _clocked_task(task):
    """A worker task that reports progress and tells how much of its time limit it has left."""
    from kb.ingest.tasks import report_progress, time_left

    report_progress({"step": task})
    return time_left()


def test_a_worker_task_knows_its_time_left_and_can_report_progress():
    from kb.ingest.pool import run_tasks
    from kb.ingest.tasks import time_left

    assert time_left() is None  # outside a worker
    notes: list[tuple] = []
    results = list(run_tasks(_clocked_task, [1, 2], jobs=1, timeout=30.0,
                             on_progress=lambda task, info: notes.append((task, info))))
    for result in results:
        left, limit = result.value
        assert limit == 30.0 and 0 < left <= 30.0
    assert sorted(notes) == [(1, {"step": 1}), (2, {"step": 2})]


def test_pages_that_cannot_be_rendered_or_read_well_are_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: ocr.Engine("5.0.0", "eng"))

    def broken(data, number, dpi=ocr.DPI):
        raise ocr._PageError("the page could not be rendered: PdfiumError: Failed to load page")

    monkeypatch.setattr(ocr, "render_page", broken)
    with pytest.raises(ExtractionError) as caught:
        extract_file(scanned_pdf(tmp_path / "scan.pdf", [("scan", SCAN_1)]))
    assert caught.value.reason == ("PDF has no text layer (image-only, 1 page) and OCR could not read it"
                                   " (the page could not be rendered: PdfiumError: Failed to load page)")

    monkeypatch.setattr(ocr, "_ocr_page", lambda data, number, eng, remaining: ocr.PageOcr(number, "Smudged", 41.0, 1))
    extraction = extract_file(scanned_pdf(tmp_path / "mixed.pdf", [("text", MIXED_TEXT), ("scan", SCAN_1)]))
    assert extraction.warnings == ("page 2 was OCR'd with low confidence (41%): its text may have errors",)


def test_without_a_terminal_a_long_scan_reports_every_15_seconds(capsys):
    from kb.commands.ingest import _ProgressView
    from kb.ingest.report import FileProgress

    view = _ProgressView(quiet=False)
    view.tty = False
    for done, seconds in ((1, 6.0), (2, 16.0), (3, 24.0), (4, 33.0)):
        view(FileProgress(source="scans/board.pdf", stage="ocr", page=done, done=done, total=9, seconds=seconds))
    assert capsys.readouterr().err.splitlines() == [
        "OCR: scans/board.pdf: 2 of 9 pages read (16 s)", "OCR: scans/board.pdf: 4 of 9 pages read (33 s)"]
    quiet = _ProgressView(quiet=True)
    quiet.tty = False
    quiet(FileProgress(source="a.pdf", stage="ocr", page=1, done=1, total=1, seconds=40.0))
    assert capsys.readouterr().err == ""
