"""OCR for PDF pages that have images but no text layer: pypdfium2 renders, Tesseract reads (via pytesseract).

Why this route: pytesseract is a small pure-Python wrapper that runs the ``tesseract`` binary from the
system package (Debian's tesseract-ocr, with its English data), so nothing is compiled and nothing is
downloaded; pypdfium2 is a self-contained wheel that renders pages without Ghostscript or poppler. Both are
the optional extra ``kb-policy[ocr]`` and are imported only here, only when a page needs them.

Pages are rendered one at a time (grayscale, 300 DPI, capped in pixels for huge pages), so memory stays
bounded whatever the page count. Each Tesseract run gets what is left of the file's time limit, so OCR stops
cleanly with a one-line reason before the ingest's own hard stop. Settings: ``KB_OCR=off`` turns OCR off,
``KB_OCR_LANG`` picks Tesseract languages (default ``eng``; e.g. ``eng+fra``).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.errors import ExtractionError
from kb.processes import process_alive

if TYPE_CHECKING:
    from PIL import Image

#: Rendering resolution: Tesseract reads body text best at about 300 DPI.
DPI = 300
#: Caps for one rendered page (grayscale, one byte a pixel): a poster-sized page is rendered at a lower DPI.
MAX_SIDE_PX = 7000
MAX_PIXELS = 40_000_000
#: Below this mean word confidence (0-100) a page's OCR text gets a warning.
LOW_CONFIDENCE = 60.0
#: Stop this many seconds (at most a fifth of the limit) before the file's time limit, so the reason is ours
#: and not the ingest's hard stop (stopping Tesseract and reporting takes a moment on a busy machine).
STOP_MARGIN = 3.0

INSTALL_ADVICE = "install OCR: apt-get install tesseract-ocr tesseract-ocr-eng and pip install 'kb-policy[ocr]'"
ELSEWHERE_ADVICE = "or run OCR elsewhere (e.g. ocrmypdf) and add the result"


class OcrUnavailable(Exception):
    """Why OCR cannot run here (one line) and what to do about it."""

    def __init__(self, reason: str, advice: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.advice = advice


@dataclass(frozen=True)
class Engine:
    """The Tesseract that will read the pages."""

    version: str  # "5.3.0"
    languages: str  # "eng" or "eng+fra"

    @property
    def label(self) -> str:
        return f"tesseract {self.version}, {self.languages}"


@dataclass
class PageOcr:
    """One OCR'd page: its text, the mean confidence of its words (0-100) and how many words."""

    page: int
    text: str
    confidence: float
    words: int


@dataclass
class OcrResult:
    """What OCR added to a PDF: page texts by number, warnings, and the report stored with the document."""

    texts: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    report: dict | None = None


# -- the time budget and progress of the current file (set by the ingest worker) ------------------------

_deadline: float | None = None
_limit: float | None = None
_progress: Callable[[dict], None] | None = None


@contextmanager
def budget(seconds_left: float | None, limit: float | None = None,
           progress: Callable[[dict], None] | None = None) -> Iterator[None]:
    """Give OCR in this block the time left of the file's limit (--timeout) and a progress callback."""
    global _deadline, _limit, _progress
    saved = _deadline, _limit, _progress
    _limit = limit or seconds_left
    margin = min(STOP_MARGIN, 0.2 * _limit) if _limit else 0.0
    _deadline = time.monotonic() + seconds_left - margin if seconds_left is not None else None
    _progress = progress
    try:
        yield
    finally:
        _deadline, _limit, _progress = saved


# -- availability -----------------------------------------------------------------------------------------


def enabled() -> bool:
    """False when the user turned OCR off with KB_OCR=off (or 0, no, false)."""
    return os.environ.get("KB_OCR", "").strip().lower() not in ("off", "0", "no", "false")


def languages() -> str:
    """Tesseract language(s) to read with: KB_OCR_LANG, default "eng"."""
    return os.environ.get("KB_OCR_LANG", "").strip() or "eng"


def engine() -> Engine:
    """The Tesseract to use, or OcrUnavailable saying what is missing and how to install it."""
    if not enabled():
        raise OcrUnavailable(f"OCR is turned off (KB_OCR={os.environ.get('KB_OCR', '').strip()})",
                             f"unset KB_OCR to read it with Tesseract, {ELSEWHERE_ADVICE}")
    return _engine(languages(), os.environ.get("PATH", ""))


@functools.lru_cache(maxsize=4)
def _engine(langs: str, _path: str) -> Engine:
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError as exc:
        raise OcrUnavailable(f"the OCR extra is not installed (no module {exc.name})",
                             f"{INSTALL_ADVICE}, {ELSEWHERE_ADVICE}") from None
    try:
        version = str(pytesseract.get_tesseract_version())
        installed = set(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, OSError):
        raise OcrUnavailable("Tesseract is not installed (no tesseract command on PATH)",
                             f"{INSTALL_ADVICE}, {ELSEWHERE_ADVICE}") from None
    except SystemExit:  # pytesseract's answer to a version string it cannot parse
        raise OcrUnavailable("the tesseract command did not report a version kb understands",
                             f"check `tesseract --version`; {INSTALL_ADVICE}") from None
    missing = [lang for lang in langs.split("+") if lang and lang not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang.lower().replace('_', '-')}" for lang in missing)
        raise OcrUnavailable(
            f"Tesseract has no language data for {', '.join(missing)}"
            + (f" (KB_OCR_LANG={langs})" if os.environ.get("KB_OCR_LANG", "").strip() else ""),
            f"install it (apt-get install {packages}) or set KB_OCR_LANG to one of: "
            + (", ".join(sorted(installed - {'osd'})) or "none installed"),
        )
    return Engine(version.split()[0] if version else "?", langs)


# -- OCR of PDF pages -------------------------------------------------------------------------------------


def ocr_pdf_pages(data: bytes, numbers: list[int], page_count: int, text_elsewhere: bool,
                  drawn: set[int] | frozenset[int] = frozenset()) -> OcrResult:
    """OCR the 1-based pages ``numbers`` of a PDF (pages with images, or of them ``drawn`` with text as vector
    outlines, but no text layer); the report and warnings say which kind each page was.

    When no other page has text (``text_elsewhere`` false) and OCR is unavailable or finds nothing, the file
    cannot be used: ExtractionError with the install advice. Otherwise problems become page warnings.
    """
    result = OcrResult()
    whole = not text_elsewhere
    kind = "text drawn as outlines" if drawn and set(numbers) <= set(drawn) else "image-only"
    what = f"{kind}, {page_count} page{'s' if page_count != 1 else ''}"
    try:
        eng = engine()
    except OcrUnavailable as exc:
        if whole:
            raise ExtractionError(f"PDF has no text layer ({what}) and {exc.reason}",
                                  exc.advice) from None
        for number in numbers:
            seen = "text drawn as outlines" if number in drawn else "image-only"
            result.warnings.append(f"page {number} has no text layer ({seen}) and was not OCR'd: "
                                   f"{exc.reason}; {exc.advice}")
        return result
    done: list[PageOcr] = []
    failures: list[str] = []
    started = time.monotonic()
    with _scratch_dir():
        _read_pages(data, numbers, eng, result, done, failures, started, drawn)
    read = [p for p in done if p.words]
    if whole and not read and failures:
        raise ExtractionError(f"PDF has no text layer ({what}) and OCR could not read it ({failures[0]})",
                              "check the file opens in a viewer; run OCR elsewhere (e.g. ocrmypdf) and add the result")
    if whole and not read:
        raise ExtractionError(f"PDF has no text layer ({what}) and OCR ({eng.label}) found no text in it",
                              "check the scan is legible (not blank, not a photo of a page upside down)")
    if read:
        words = sum(p.words for p in read)
        result.report = {
            "engine": "tesseract",
            "version": eng.version,
            "languages": eng.languages,
            "dpi": DPI,
            "mean_confidence": round(sum(p.confidence * p.words for p in read) / words, 1),
            "pages": [{"page": p.page, "confidence": round(p.confidence, 1), "words": p.words,
                       "source": "vector outlines" if p.page in drawn else "images"} for p in read],
            "seconds": round(time.monotonic() - started, 2),
        }
    return result


def _read_pages(data: bytes, numbers: list[int], eng: Engine, result: OcrResult, done: list[PageOcr],
                failures: list[str], started: float, drawn: set[int] | frozenset[int] = frozenset()) -> None:
    """OCR page after page until done or out of time; each page's outcome goes into ``result``, ``done``
    or ``failures``."""
    for position, number in enumerate(numbers, start=1):
        remaining = None if _deadline is None else _deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            _out_of_time(position - 1, len(numbers))
        try:
            page = _ocr_page(data, number, eng, remaining)
        except _Timeout:
            _out_of_time(position - 1, len(numbers))
        except _PageError as exc:
            result.warnings.append(f"page {number} has no text layer and OCR failed ({exc}); its text is missing")
            failures.append(str(exc))
            continue
        done.append(page)
        if page.words == 0:
            result.warnings.append(f"page {number} has no text layer and OCR found no text in its "
                                   f"{'drawing' if number in drawn else 'images'}")
        else:
            result.texts[number] = page.text
            if page.confidence < LOW_CONFIDENCE:
                result.warnings.append(f"page {number} was OCR'd with low confidence ({page.confidence:.0f}%): "
                                       "its text may have errors")
        if _progress is not None:
            _progress({"stage": "ocr", "page": number, "done": position, "total": len(numbers),
                       "seconds": round(time.monotonic() - started, 1)})


@contextmanager
def _scratch_dir() -> Iterator[None]:
    """Tesseract's temporary files (a page image is megabytes) go to a folder of kb's own, removed afterwards.

    A folder left by a worker that was stopped mid-page (its process is gone) is removed the next time."""
    import re
    import shutil
    import tempfile

    base = tempfile.gettempdir()
    try:
        entries = list(os.scandir(base))
    except OSError:
        entries = []
    for entry in entries:
        match = re.fullmatch(r"kb-ocr-(\d+)-\w+", entry.name)
        if match and int(match.group(1)) != os.getpid() and not process_alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
    path = tempfile.mkdtemp(prefix=f"kb-ocr-{os.getpid()}-", dir=base)
    saved = tempfile.tempdir
    tempfile.tempdir = path
    try:
        yield
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(path, ignore_errors=True)


class _Timeout(Exception):
    """The file's time budget ran out during a page."""


class _PageError(Exception):
    """One page could not be rendered or read: a warning, unless no page of the file had text."""


def _out_of_time(done: int, total: int) -> None:
    limit = f" ({_limit:g} s)" if _limit else ""
    raise ExtractionError(
        f"OCR did not finish within the time limit{limit}: {done} of {total} page{'s' if total != 1 else ''} read",
        "raise the limit with --timeout (OCR takes a few seconds a page)",
    )


def _ocr_page(data: bytes, number: int, eng: Engine, remaining: float | None) -> PageOcr:
    """Render one page and read it; the image is dropped before the next page is rendered."""
    image = render_page(data, number)
    try:
        return read_image(image, number, eng, remaining)
    finally:
        image.close()


def render_page(data: bytes, number: int, dpi: int = DPI) -> Image.Image:
    """One page as a grayscale PIL image at ``dpi``, scaled down so it stays within the pixel caps."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium's own errors on files pdfminer could read
        raise _PageError(f"the page could not be rendered: {_short(exc)}") from None
    try:
        page = pdf[number - 1]
        try:
            width, height = page.get_size()
            scale = page_scale(width, height, dpi)
            bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
            try:
                image = bitmap.to_pil().copy()  # a copy owns its pixels, so the bitmap can be freed now
            finally:
                bitmap.close()
            image.info["dpi"] = (round(72 * scale),) * 2
            return image
        finally:
            page.close()
    except _PageError:
        raise
    except MemoryError:
        raise _PageError("the page is too large to render") from None
    except Exception as exc:
        raise _PageError(f"the page could not be rendered: {_short(exc)}") from None
    finally:
        pdf.close()


def page_scale(width_pt: float, height_pt: float, dpi: int = DPI) -> float:
    """Points -> pixels factor: ``dpi`` unless that would exceed MAX_SIDE_PX or MAX_PIXELS."""
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    scale = dpi / 72.0
    scale = min(scale, MAX_SIDE_PX / max(width_pt, height_pt))
    scale = min(scale, (MAX_PIXELS / (width_pt * height_pt)) ** 0.5)
    return max(scale, 0.05)


def read_image(image: Image.Image, number: int, eng: Engine, remaining: float | None) -> PageOcr:
    """Tesseract on one image: text in reading order (lines, blank line between paragraphs) and confidence."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one worker per core already: threads would only contend
    if remaining is not None and remaining <= 0:
        raise _Timeout()
    image.format = "PPM"  # handed over uncompressed (PGM for grayscale): encoding a PNG costs 0.3 s a page
    try:
        dpi = image.info.get("dpi", (DPI,))[0]  # told, not guessed from an image file without it (and faster)
        table = pytesseract.image_to_data(image, lang=eng.languages, config=f"--dpi {int(dpi)}",
                                          output_type=pytesseract.Output.DICT, timeout=remaining or 0)
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise _Timeout() from None
        raise _PageError(_short(exc)) from None
    except (pytesseract.TesseractError, OSError, ValueError) as exc:
        raise _PageError(_short(exc)) from None
    return _page_from_table(number, table)


def _page_from_table(number: int, table: dict) -> PageOcr:
    """Tesseract's word table -> lines joined by newlines, paragraphs by blank lines, as the PDF text path does."""
    paragraphs: dict[tuple, dict[int, list[str]]] = {}
    confidences: list[float] = []
    for i, word in enumerate(table.get("text", [])):
        word = (word or "").strip()
        try:
            conf = float(table["conf"][i])
        except (KeyError, IndexError, TypeError, ValueError):
            conf = -1.0
        if not word or conf < 0:
            continue
        key = (table["block_num"][i], table["par_num"][i])
        paragraphs.setdefault(key, {}).setdefault(table["line_num"][i], []).append(word)
        confidences.append(conf)
    text = "\n\n".join(
        "\n".join(" ".join(words) for _line, words in sorted(lines.items())) for lines in paragraphs.values()
    )
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return PageOcr(number, text, mean, len(confidences))


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
