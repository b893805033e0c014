"""PDF: text page by page with pdfminer.six, in reading order, plus the info dictionary.

pdfminer's own box ordering (``boxes_flow``) clusters text boxes hierarchically, which is slow and can
interleave two columns beside a heading. We switch it off (``boxes_flow=None``) and order the boxes
ourselves: find the gutter of a two-column page from where text does not reach, then read each band
between full-width boxes as left column then right column.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

from kb.errors import ExtractionError
from kb.extract.dates import parse_pdf_date
from kb.models import Extraction

log = logging.getLogger(__name__)

#: Width of the histogram bins used to find a gutter, in points.
_BIN = 4.0


def laparams():
    """Layout parameters: pdfminer defaults for lines and boxes, our own ordering of boxes."""
    from pdfminer.layout import LAParams

    return LAParams(line_margin=0.5, char_margin=2.0, word_margin=0.1, boxes_flow=None, detect_vertical=False)


def extract_pdf(data: bytes) -> Extraction:
    """PDF bytes -> one raw text per page; raises ExtractionError for encrypted, corrupt or image-only files."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    warnings: list[str] = []
    pages: list[str] = []
    try:
        document = _open(data)
        metadata = _info(document)
        for number, text in enumerate(_page_texts(document), start=1):
            if not text.strip():
                warnings.append(f"page {number} has no text layer (blank or image-only)")
            pages.append(text)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        detail = "needs a password" if isinstance(exc, PDFPasswordIncorrect) else str(exc) or type(exc).__name__
        raise ExtractionError(
            f"encrypted PDF ({detail})", "decrypt it (e.g. qpdf --decrypt) and add the decrypted copy"
        ) from None
    except ExtractionError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many types (PSEOF, KeyError, struct.error...) on broken files
        if pages:
            warnings.append(f"stopped after page {len(pages)}: {_describe(exc)}")
        else:
            detail = _describe(exc)
            if b"%%EOF" not in data[-2048:]:
                detail = f"the file ends before its %%EOF marker, so it was cut short; {detail}"
            raise ExtractionError(
                f"PDF is corrupt or truncated ({detail})",
                "download or export it again and replace the file",
            ) from None
    if not pages:
        raise ExtractionError("PDF is corrupt or truncated (no pages found)", "download or export it again")
    if not any(page.strip() for page in pages):
        raise ExtractionError(
            f"PDF has no text layer (image-only, {len(pages)} page{'s' if len(pages) != 1 else ''})",
            "run OCR (e.g. ocrmypdf) and add the result",
        )
    if b"%%EOF" not in data[-2048:]:
        warnings.append("the file does not end with %%EOF: it may be truncated and text may be missing")
    return Extraction(format="pdf", pages=tuple(pages), metadata=metadata, warnings=tuple(warnings))


def _describe(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = message[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _open(data: bytes):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    return PDFDocument(PDFParser(io.BytesIO(data)), password="")


def _page_texts(document) -> Iterator[str]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=laparams())
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        yield layout_text(device.get_result())


def layout_text(layout) -> str:
    """Text of one LTPage: text boxes in reading order, separated by blank lines."""
    from pdfminer.layout import LTTextBox

    boxes = [obj for obj in layout if isinstance(obj, LTTextBox) and obj.get_text().strip()]
    ordered = order_boxes([(b.x0, b.y0, b.x1, b.y1) for b in boxes], layout.x0, layout.x1, [len(b) for b in boxes])
    return "\n\n".join(boxes[i].get_text().strip("\n") for i in ordered)


def order_boxes(
    bboxes: list[tuple[float, float, float, float]],
    left: float,
    right: float,
    line_counts: list[int] | None = None,
) -> list[int]:
    """Reading order of boxes (x0, y0, x1, y1 in PDF coordinates, y up) on a page spanning left..right.

    One column: top to bottom. Two columns: the page is cut into bands by boxes that cross the gutter
    (titles, full-width paragraphs) or stand alone above/below both columns (running headers, footers);
    each band reads its left column, then its right column.
    """
    if not bboxes:
        return []
    top_down = sorted(range(len(bboxes)), key=lambda i: (-bboxes[i][3], bboxes[i][0]))
    gutter = _find_gutter(bboxes, left, right)
    if gutter is None:
        return top_down
    side = {}
    for i, (x0, _y0, x1, _y1) in enumerate(bboxes):
        side[i] = "left" if x1 <= gutter else "right" if x0 >= gutter else "span"
    # Single lines beyond the top or bottom of the other column are page furniture or titles: full width.
    for i in top_down:
        if side[i] == "span":
            continue
        x0, y0, x1, y1 = bboxes[i]
        single_line = line_counts[i] == 1 if line_counts else True
        # Boxes of the other column, ignoring single lines on the same row (a footer and its page number).
        others = [
            bboxes[j]
            for j in side
            if side[j] not in ("span", side[i])
            and not (
                (line_counts[j] == 1 if line_counts else True) and bboxes[j][1] < y1 and y0 < bboxes[j][3]
            )
        ]
        if not others:
            continue
        above = y0 >= max(o[3] for o in others) - 1
        below = y1 <= min(o[1] for o in others) + 1
        if single_line and (above or below):
            side[i] = "span"
    order: list[int] = []
    band: list[int] = []

    def flush() -> None:
        order.extend(i for i in band if side[i] == "left")
        order.extend(i for i in band if side[i] == "right")
        band.clear()

    for i in top_down:
        if side[i] == "span":
            flush()
            order.append(i)
        else:
            band.append(i)
    flush()
    return order


def _find_gutter(bboxes, left: float, right: float) -> float | None:
    """x of a vertical strip in the middle of the page that text rarely crosses, or None (one column)."""
    width = right - left
    if width <= 0:
        return None
    bins = int(width // _BIN) + 1
    coverage = [0.0] * bins
    for x0, y0, x1, y1 in bboxes:
        for b in range(max(0, int((x0 - left) // _BIN)), min(bins, int((x1 - left) // _BIN) + 1)):
            coverage[b] += y1 - y0
    lo, hi = int(bins * 0.3), int(bins * 0.7)
    body = max(coverage)
    if body <= 0:
        return None
    best = min(range(lo, hi + 1), key=lambda b: (coverage[b], abs(b - bins / 2)))
    if coverage[best] > 0.25 * body:
        return None
    # Text must exist on both sides of the gutter, or it is just a narrow single column.
    left_text = max(coverage[:best] or [0.0])
    right_text = max(coverage[best + 1 :] or [0.0])
    if min(left_text, right_text) < 0.3 * body:
        return None
    # The centre of the empty run around the best bin.
    start = end = best
    while start > 0 and coverage[start - 1] <= coverage[best]:
        start -= 1
    while end < bins - 1 and coverage[end + 1] <= coverage[best]:
        end += 1
    return left + (start + end + 1) / 2 * _BIN


def _info(document) -> dict:
    """Title, author and CreationDate from the PDF info dictionary (values may be PDFDocEncoding or UTF-16)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    metadata: dict = {"sources": {}}
    info: dict = {}
    for entry in document.info or []:
        try:
            info.update(resolve1(entry) or {})
        except Exception:  # a broken info dict must not lose the text
            log.debug("unreadable PDF info entry", exc_info=True)

    def text(key: str) -> str:
        value = resolve1(info.get(key))
        if isinstance(value, bytes):
            value = decode_text(value)
        return " ".join(str(value).split()) if value else ""

    for field, key in (("title", "Title"), ("author", "Author")):
        value = text(key)
        if value and value.lower() not in ("untitled", "(anonymous)", "anonymous", "unknown"):
            metadata[field] = value
            metadata["sources"][field] = "pdf-info"
    created = parse_pdf_date(text("CreationDate"))
    if created is not None:
        metadata["published"] = created
        metadata["sources"]["published"] = "pdf-info"
    return metadata
