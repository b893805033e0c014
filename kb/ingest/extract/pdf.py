"""PDF: text page by page with pdfminer.six, in reading order, plus the info dictionary.

pdfminer parses the file, runs the content streams and decodes fonts; we collect the text it shows one
*run* (one Tj/TJ string) at a time instead of letting it build an object per character and cluster them.
That is several times faster and keeps what we need: runs are joined into lines (same baseline, close
together; a gap wider than a tenth of the font size is a space), lines into boxes (paragraph-like: close
lines of the same size that overlap horizontally), and boxes are put in reading order: one column top to
bottom, or, on two-column pages, each band between full-width boxes read left column then right column.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterator

from kb.errors import ExtractionError
from kb.ingest.extract.stated_dates import parse_pdf_date
from kb.models import Extraction

log = logging.getLogger(__name__)

#: Width of the histogram bins used to find a gutter, in points.
_BIN = 4.0
#: Gap between runs on a line that means a space, as a fraction of the font size (pdfminer: word_margin).
WORD_GAP = 0.1
#: Gap between runs that means separate lines (columns, table cells), as a fraction of the font size.
COLUMN_GAP = 1.0
#: Largest vertical gap between lines of one box, as a fraction of the line height (pdfminer: line_margin).
LINE_GAP = 0.5
#: Pages searched for the title printed on a cover.
TITLE_PAGES = 2
#: Filled path segments (lines and curves) on a page without a text layer past which its drawing is taken for
#: text drawn as vector outlines (a printer's "convert text to outlines"): a line of outlined text is hundreds,
#: a chart's bars or a logo tens. Such a page goes to OCR as a scan does.
OUTLINE_SEGMENTS = 300


def extract_pdf(data: bytes) -> Extraction:
    """PDF bytes -> one raw text per page; pages without a text layer that show images, or text drawn as vector
    outlines, are read by OCR (kb.ingest.extract.ocr).

    Raises ExtractionError for encrypted or corrupt files and for scans that cannot be OCR'd here."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    warnings: list[str] = []
    pages: list[str] = []
    problems: list[str] = []
    scanned: list[int] = []  # pages with images or outlined drawing but no text: OCR candidates
    drawn: set[int] = set()  # of them, those whose marks are vector outlines
    try:
        document = _open(data)
        metadata = _info(document)
        heads: list[list] = []
        for number, (text, problem, marks) in enumerate(_page_texts(document, heads), start=1):
            if problem:
                problems.append(problem)
                warnings.append(f"page {number} could not be read ({problem}); its text is missing")
            elif not text.strip():
                if marks:
                    scanned.append(number)
                    if marks == "outlines":
                        drawn.add(number)
                else:
                    warnings.append(f"page {number} has no text (no text layer, and no images or drawn text to OCR)")
            pages.append(text)
        try:
            from kb.ingest.extract.cover import cover_candidates

            metadata.update(cover_candidates(document, heads))
        except Exception:  # a title is a nicety: never lose the text over it
            log.debug("no title candidates", exc_info=True)
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
    if len(problems) == len(pages):
        raise ExtractionError(
            f"PDF is corrupt or truncated (no page could be read: {problems[0]})",
            "download or export it again and replace the file",
        )
    if scanned:
        from kb.ingest.extract.ocr import ocr_pdf_pages

        ocr = ocr_pdf_pages(data, scanned, len(pages), any(page.strip() for page in pages), drawn)
        for number, text in ocr.texts.items():
            pages[number - 1] = text
        warnings.extend(ocr.warnings)
        if ocr.report:
            metadata["ocr"] = ocr.report
    if not any(page.strip() for page in pages):
        raise ExtractionError(
            f"PDF has no text (no text layer and no images on its {len(pages)} page{'s' if len(pages) != 1 else ''})",
            "check that it is the right file, or export it again with its text",
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


def _page_texts(document, heads: list | None = None) -> Iterator[tuple[str, str | None, str]]:
    """(text, None, marks) per page, or ("", what went wrong, "") for a page that cannot be interpreted; marks is
    "images" when the page shows images, "outlines" when it fills more than ``OUTLINE_SEGMENTS`` path segments
    (text drawn as vector outlines), else "": what OCR could read on a page without a text layer.

    ``heads`` receives the lines (with font sizes) of the first pages, where a title is looked for.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = _run_collector(resources)
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.create_pages(document):
        try:
            interpreter.process_page(page)
        except MemoryError:
            raise
        except Exception as exc:  # one broken page must not lose the others
            yield "", _describe(exc), ""
            continue
        if heads is not None and len(heads) < TITLE_PAGES:
            heads.append(_lines(device.runs))
        marks = "images" if device.images else "outlines" if device.outlines > OUTLINE_SEGMENTS else ""
        yield page_text(device.runs, device.page_left, device.page_right), None, marks


#: A run of text as shown by one Tj/TJ operator: (x0, y0, x1, y1, font size, text), page space, y up.
Run = tuple[float, float, float, float, float, str]


def _run_collector(resources):
    """A pdfminer text device that records each shown string as one run with its bounding box."""
    return _collector_class()(resources)


@functools.cache
def _collector_class() -> type:
    """The device class, made on the first PDF a process reads and kept.

    It is made in a function, not at module level, on purpose: it subclasses pdfminer's PDFTextDevice, and
    pdfminer (a heavy import) is loaded only when a PDF is read, so `kb search` and an ingest of text and HTML
    never import it. The work of a shown string is :class:`_StringRuns`, which needs nothing of pdfminer but
    the two helpers handed to it."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect, mult_matrix

    class RunCollector(PDFTextDevice):
        def __init__(self, rsrcmgr) -> None:
            super().__init__(rsrcmgr)
            self.runs: list[Run] = []
            self.glyphs: dict[object, dict[int, tuple[str, float]]] = {}  # font -> cid -> (text, width)
            self.page_left = 0.0
            self.page_right = 612.0
            self.images = 0
            self.outlines = 0

        def begin_page(self, page, ctm) -> None:
            # Runs are kept in the page's own (unrotated) space, so a page with /Rotate reads like any other.
            self.undo_rotation = _inverse(ctm)
            x0, _y0, x1, _y1 = page.mediabox
            self.page_left, self.page_right = min(x0, x1), max(x0, x1)
            self.runs = []
            self.images = 0
            self.outlines = 0

        def render_image(self, name, stream) -> None:
            self.images += 1  # a page with images and no text may be a scan: a candidate for OCR

        def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:
            if fill:  # glyphs converted to outlines are filled curves: many of them may be text to OCR
                self.outlines += len(path)

        def render_string(self, textstate, seq, ncs, graphicstate) -> None:
            """Replaces pdfminer's per-character objects: one run per stretch of a Tj/TJ string."""
            font = textstate.font
            if font is None or self.ctm is None:  # (pdfminer sets the ctm before it renders anything)
                return
            matrix = mult_matrix(mult_matrix(textstate.matrix, self.ctm), self.undo_rotation)
            runs = _StringRuns(textstate, matrix, self.glyphs.setdefault(font, {}), self.runs, apply_matrix_rect,
                               PDFUnicodeNotDefined)
            for obj in seq:
                if isinstance(obj, (int, float)):
                    runs.move(obj)
                elif isinstance(obj, bytes):
                    runs.show(obj)
            textstate.linematrix = runs.finish()

    return RunCollector


class _StringRuns:
    """The runs one shown string (the operand of Tj or TJ) adds to a page, step by step: the text state is read
    once (``__init__``), a TJ number moves the pen (``move``: a gap wider than ``COLUMN_GAP`` ends the run, one
    wider than ``WORD_GAP`` is a space), bytes are glyphs (``show``), and ``emit`` puts a finished run on the
    page. One object holds the pen, so each step reads it from one place; ``show`` copies it to locals because
    its loop runs once per character of every PDF."""

    __slots__ = ("charspace", "chars", "dxscale", "em", "font", "glyphs", "low", "matrix", "missing",
                 "needcharspace", "page_size", "runs", "scaling", "size", "start", "to_page", "vertical",
                 "wordspace", "x", "y")

    def __init__(self, textstate, matrix, glyphs: dict[int, tuple[str, float]], runs: list[Run], to_page,
                 missing: type[Exception]) -> None:
        font = textstate.font
        size = textstate.fontsize
        scaling = textstate.scaling * 0.01
        self.font, self.matrix, self.size, self.scaling = font, matrix, size, scaling
        self.charspace = textstate.charspace * scaling
        self.wordspace = 0.0 if font.is_multibyte() else textstate.wordspace * scaling
        self.dxscale = 0.001 * size * scaling
        self.vertical = font.is_vertical()
        self.x, self.y = textstate.linematrix
        self.low = font.get_descent() * size + textstate.rise
        self.em = abs(size * scaling) or 1.0
        # Height of the font on the page (the matrix may scale it).
        self.page_size = abs(matrix[3]) * size if matrix[1] == 0 and matrix[2] == 0 else abs(size)
        self.start = self.y if self.vertical else self.x
        self.glyphs, self.runs, self.to_page, self.missing = glyphs, runs, to_page, missing
        self.chars: list[str] = []
        self.needcharspace = False

    def move(self, number: float) -> None:
        """A TJ number: the pen moves back by thousandths of an em; a wide move on a line is a gap between runs."""
        shift = -number * self.dxscale
        chars = self.chars
        if self.vertical:
            self.y += shift
            if not chars:
                self.start = self.y
        else:
            x = self.x
            if not chars:  # nothing shown yet: the run starts further along
                self.start = x + shift
            elif shift > COLUMN_GAP * self.em:
                self.emit(x)
                self.start = x + shift
            elif shift > WORD_GAP * self.em and chars[-1] != " ":
                chars.append(" ")
            self.x = x + shift
        self.needcharspace = True

    def show(self, data: bytes) -> None:
        """Glyphs: their text joins the run and the pen moves by their widths (each font's glyphs read once)."""
        font, glyphs, chars = self.font, self.glyphs, self.chars
        size, scaling, charspace, wordspace = self.size, self.scaling, self.charspace, self.wordspace
        vertical = self.vertical
        x, y, needcharspace = self.x, self.y, self.needcharspace
        for cid in font.decode(data):
            if needcharspace:
                if vertical:
                    y += charspace
                else:
                    x += charspace
            glyph = glyphs.get(cid)
            if glyph is None:
                glyph = glyphs[cid] = self._glyph(cid)
            chars.append(glyph[0])
            if vertical:
                disp = font.char_disp(cid)
                y += disp[1] * size if isinstance(disp, tuple) else -size
            else:
                x += glyph[1] * size * scaling
            if cid == 32 and wordspace:
                x += wordspace
            needcharspace = True
        self.x, self.y, self.needcharspace = x, y, needcharspace

    def _glyph(self, cid: int) -> tuple[str, float]:
        """A glyph's text and width; a glyph without a Unicode mapping reads as (cid:N), as pdfminer writes it."""
        try:
            text = self.font.to_unichr(cid)
        except self.missing:
            text = f"(cid:{cid})"
        return text, self.font.char_width(cid)

    def emit(self, end: float) -> None:
        """The run so far, from ``start`` to ``end`` along the line, as a box on the page (blank runs dropped)."""
        text = "".join(self.chars)  # edge spaces kept: they separate this run from the next
        self.chars.clear()
        if not text.strip():
            return
        x, y, size = self.x, self.y, self.size
        if self.vertical:  # vertical writing advances down the y axis
            rect = (x - size / 2, min(self.start, end), x + size / 2, max(self.start, end))
        else:
            rect = (self.start, self.low + y, end, self.low + y + size)
        bx0, by0, bx1, by1 = self.to_page(self.matrix, rect)
        self.runs.append((bx0, by0, bx1, by1, self.page_size or (by1 - by0), text))

    def finish(self) -> tuple[float, float]:
        """The last run emitted; the pen position, which the next string starts from."""
        self.emit(self.y if self.vertical else self.x)
        return self.x, self.y


def _inverse(m: tuple[float, float, float, float, float, float]) -> tuple[float, float, float, float, float, float]:
    """Inverse of a PDF affine matrix (a b c d e f); identity when it cannot be inverted."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return (1, 0, 0, 1, 0, 0)
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def page_text(runs: list[Run], left: float, right: float) -> str:
    """Runs -> lines -> boxes -> text in reading order (boxes separated by blank lines)."""
    boxes = _boxes(_lines(runs))
    ordered = order_boxes([box[:4] for box in boxes], left, right, [len(box[5]) for box in boxes])
    return "\n\n".join("\n".join(boxes[i][5]) for i in ordered)


def _lines(runs: list[Run]) -> list[tuple[float, float, float, float, float, str]]:
    """Group runs on the same baseline that are close together into lines, left to right."""
    open_lines: list[list] = []  # [x0, y0, x1, y1, size, [runs]]
    done: list[list] = []
    for run in sorted(runs, key=lambda r: (-r[3], r[0])):
        x0, y0, x1, y1, size, _text = run
        if open_lines and any(line[1] > y1 for line in open_lines):
            done.extend(line for line in open_lines if line[1] > y1)  # wholly above: finished
            open_lines = [line for line in open_lines if line[1] <= y1]
        target, best = None, 0.0
        for line in open_lines:  # the line it shares most height with: a raised note mark's line is not the text's
            overlap = min(line[3], y1) - max(line[1], y0)
            if overlap < 0.5 * min(line[3] - line[1], y1 - y0) or overlap <= best:
                continue
            if max(x0 - line[2], line[0] - x1) <= COLUMN_GAP * max(size, line[4]):
                target, best = line, overlap
        if target is None:
            open_lines.append([x0, y0, x1, y1, size, [run]])
        else:
            target[0], target[1] = min(target[0], x0), min(target[1], y0)
            target[2], target[3] = max(target[2], x1), max(target[3], y1)
            target[4] = max(target[4], size)
            target[5].append(run)
    done.extend(open_lines)
    lines = []
    for x0, y0, x1, y1, size, members in done:
        if len(members) == 1 and _note_mark_beside(members[0], done):
            continue
        members.sort(key=lambda r: r[0])
        if len(members) > 1:
            members = _without_note_markers(members) or members
        parts = [members[0][5]]
        for previous, run in zip(members, members[1:], strict=False):
            if run[0] - previous[2] > WORD_GAP * max(run[4], previous[4]):
                parts.append(" ")
            parts.append(run[5])
        lines.append((x0, y0, x1, y1, size, " ".join("".join(parts).split())))
    return lines


def _note_mark_beside(run: Run, lines: list[list]) -> bool:
    """Whether a run is a footnote mark set on its own line: raised at the end of a line of larger text ("… Board¹")."""
    mark = run[5].strip()
    if not (len(mark) <= 3 and (mark.isdigit() or mark in ("*", "†", "‡", "§"))):
        return False
    return any(line[4] >= 1.1 * run[4] and line[1] < run[1] < line[3] < run[3]
               and abs(run[0] - line[2]) <= 0.3 * line[4] for line in lines)


def _without_note_markers(members: list[Run]) -> list[Run]:
    """Drop footnote reference marks: short digit/symbol runs in a smaller font, raised above the line."""
    main = max(members, key=lambda r: (r[4], r[2] - r[0]))
    kept = []
    for run in members:
        marker = run[5].strip()
        if (
            run is not main
            and len(marker) <= 3
            and (marker.isdigit() or marker in ("*", "†", "‡", "§"))
            and run[4] <= 0.8 * main[4]
            and run[1] > main[1] + 0.2 * main[4]
        ):
            continue
        kept.append(run)
    return kept


def _boxes(lines):
    """Group lines into paragraph-like boxes: a line joins the box whose last line sits just above it,
    overlaps it horizontally and has the same font size. Returns [(x0, y0, x1, y1, size, [line texts])]."""
    boxes: list[list] = []  # [x0, y0, x1, y1, size, [texts], bbox of the last line]
    for x0, y0, x1, y1, size, text in sorted(lines, key=lambda line: (-line[3], line[0])):
        height = y1 - y0
        target = None
        for box in reversed(boxes[-12:]):
            lx0, ly0, lx1, ly1 = box[6]
            gap = ly0 - y1
            if gap < -0.5 * height or gap > LINE_GAP * max(height, ly1 - ly0):
                continue
            if min(x1, lx1) - max(x0, lx0) <= 0 or abs(size - box[4]) > 0.15 * max(size, box[4]):
                continue
            target = box
            break
        if target is None:
            boxes.append([x0, y0, x1, y1, size, [text], (x0, y0, x1, y1)])
        else:
            target[0], target[1] = min(target[0], x0), min(target[1], y0)
            target[2], target[3] = max(target[2], x1), max(target[3], y1)
            target[5].append(text)
            target[6] = (x0, y0, x1, y1)
    return [tuple(box[:6]) for box in boxes]


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
    for i in top_down if len(bboxes) <= 400 else ():  # quadratic: skipped on pages that are one big table
        if side[i] == "span":
            continue
        x0, y0, x1, y1 = bboxes[i]
        single_line = line_counts[i] == 1 if line_counts else True
        if not single_line:
            continue
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
        if above or below:
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
    if metadata.get("author"):
        # An Author that names an organisation (not a person, not "Microsoft Office User") is the publisher.
        import re

        from kb.ingest.orgnames import organisation_name

        # The whole field, else its last part of several words that names a body ("…, NDL Wales Team"); a lone
        # capitalised word is a surname there ("DUDDY, Claire").
        parts = [metadata["author"]] + [p for p in re.split(r"\s*[,;]\s*", metadata["author"])[::-1]
                                        if len(p.split()) >= 2]
        body = next((found for found in map(organisation_name, parts) if found), None)
        if body:
            metadata["publisher"] = body
            metadata["sources"]["publisher"] = "pdf-info"
            metadata["evidence"] = {"publisher": {"text": f"Author: {metadata['author']}", "page": None}}
    created = parse_pdf_date(text("CreationDate"))
    if created is not None:
        metadata["published"] = created
        metadata["sources"]["published"] = "pdf-info"
    return metadata
