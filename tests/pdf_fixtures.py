"""Make small test documents: report-like PDFs (reportlab), broken PDFs, HTML pages.

``write_report_pdf`` lays out paragraphs like a real report: a running header and footer page numbers on
every page, one- or two-column pages, and words hyphenated at line ends. It does its own line breaking so
the hyphenation is known exactly (it returns the words it split). scripts/make_briefing_pdf.py and
bench/bench_extract.py use it too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595.27, 841.89  # A4 in points
MARGIN = 56.0
GUTTER = 22.0
BODY_FONT, BODY_SIZE, LEADING = "Helvetica", 9.5, 12.5
HEADING_FONT, HEADING_SIZE = "Helvetica-Bold", 12.0
PARAGRAPH_SPACE = 7.0
BULLET_INDENT = 11.0


@dataclass(frozen=True)
class Block:
    """One paragraph to lay out: kind is "heading", "para" or "bullet"."""

    kind: str
    text: str


@dataclass
class Layout:
    """What write_report_pdf did: pages, the words it split at line ends, and where text went."""

    pages: int = 0
    hyphenated: list[str] = field(default_factory=list)  # whole words that were split with a hyphen
    compound_breaks: list[str] = field(default_factory=list)  # hyphenated compounds broken at their hyphen
    two_column_pages: list[int] = field(default_factory=list)


def blocks_from_paragraphs(paragraphs: Sequence[str]) -> list[Block]:
    """Normalised paragraphs ("• item", short headings, prose) -> blocks."""
    from kb.ingest.passages import is_heading

    blocks = []
    for paragraph in paragraphs:
        if paragraph.startswith("• "):
            blocks.append(Block("bullet", paragraph[2:]))
        elif is_heading(paragraph):
            blocks.append(Block("heading", paragraph))
        else:
            blocks.append(Block("para", paragraph))
    return blocks


def write_report_pdf(
    path: Path | None,
    blocks: Sequence[Block],
    *,
    title: str = "Test report",
    author: str = "kb tests",
    header: str = "Test Organisation briefing",
    footer: str = "Test report",
    creation_date: str = "D:20201127093000+00'00'",
    columns: Callable[[int], int] = lambda page: 2 if page % 2 == 0 else 1,
    max_hyphenations: int = 12,
    encrypt: str | None = None,
) -> tuple[bytes, Layout]:
    """Lay out blocks into an A4 PDF; write it to ``path`` when given; return (bytes, layout report)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas as rl_canvas

    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                              encrypt=encrypt)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(title)
    canvas.setCreator("kb test fixtures")
    canvas.setDateFormatter(lambda *_: creation_date)
    layout = Layout()

    top, bottom = PAGE_HEIGHT - 78.0, 64.0
    state = {"page": 0, "col": 0, "ncols": 1, "y": top}

    def column_x() -> tuple[float, float]:
        ncols = state["ncols"]
        width = (PAGE_WIDTH - 2 * MARGIN - GUTTER * (ncols - 1)) / ncols
        return MARGIN + state["col"] * (width + GUTTER), width

    def furniture() -> None:
        canvas.setFont(BODY_FONT, 8)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 40, header)
        canvas.drawString(MARGIN, 34, footer)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 34, str(state["page"]))

    def new_page() -> None:
        if state["page"]:
            canvas.showPage()
        state["page"] += 1
        state["ncols"] = columns(state["page"])
        if state["ncols"] == 2:
            layout.two_column_pages.append(state["page"])
        state["col"], state["y"] = 0, top
        furniture()

    def next_column() -> None:
        if state["col"] + 1 < state["ncols"]:
            state["col"] += 1
            state["y"] = top
        else:
            new_page()

    def take_line(words: list[str], width: float, font: str, size: float) -> str:
        """Pop the words of one line (splitting the last one with a hyphen when it helps) and return it."""
        line = ""
        while words:
            word = words[0]
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                words.pop(0)
                continue
            split = _split_word(word, line, width, font, size, stringWidth, layout, max_hyphenations)
            if split:
                head, tail = split
                words[0] = tail
                return f"{line} {head}" if line else head
            if not line:  # a word wider than the column: put it on its own line anyway
                return words.pop(0)
            return line
        return line

    new_page()
    for block in blocks:
        if block.kind == "heading":
            font, size, indent = HEADING_FONT, HEADING_SIZE, 0.0
        else:
            font, size, indent = BODY_FONT, BODY_SIZE, BULLET_INDENT if block.kind == "bullet" else 0.0
        if block.kind == "heading" and state["y"] - 3 * LEADING < bottom:
            next_column()  # keep a heading with the text that follows it
        words = block.text.split()
        first = True
        while words:
            if state["y"] - LEADING < bottom:
                next_column()
            x, width = column_x()
            line = take_line(words, width - indent, font, size)
            state["y"] -= LEADING
            canvas.setFont(font, size)
            if first and block.kind == "bullet":
                canvas.drawString(x, state["y"], "\u2022")
            canvas.drawString(x + indent, state["y"], line)
            first = False
        state["y"] -= PARAGRAPH_SPACE
    canvas.showPage()
    canvas.save()
    layout.pages = state["page"]
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data, layout


def _split_word(word, line, width, font, size, string_width, layout: Layout, limit: int):
    """Split ``word`` so its head (with a hyphen) ends the current line; None to move it whole."""
    core = word.rstrip(".,;:!?)'\"")
    if "-" in core.strip("-"):  # a compound: break after its own hyphen, as typesetters do
        head = core[: core.index("-") + 1]
        if string_width(f"{line} {head}" if line else head, font, size) <= width and len(head) > 2:
            layout.compound_breaks.append(core)
            return head, word[len(head) :]
    if len(layout.hyphenated) >= limit or not core.isalpha() or len(core) < 9:
        return None
    for cut in range(len(core) - 4, 3, -1):
        head = word[:cut] + "-"
        if string_width(f"{line} {head}" if line else head, font, size) <= width:
            layout.hyphenated.append(core)
            return head, word[cut:]
    return None


# -- small fixtures for the bad-input tests -----------------------------------------------------------------


def simple_pdf(path: Path, pages: Sequence[str], *, encrypt: str | None = None, title: str = "Simple") -> Path:
    """A PDF with one line-wrapped text paragraph per page (no header, footer or columns)."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, encrypt=encrypt)
    canvas.setTitle(title)
    for text in pages:
        y = PAGE_HEIGHT - MARGIN
        canvas.setFont(BODY_FONT, 11)
        words = text.split()
        for start in range(0, len(words), 12):
            canvas.drawString(MARGIN, y, " ".join(words[start : start + 12]))
            y -= 14
        canvas.showPage()
    canvas.save()
    return path


def image_only_pdf(path: Path, pages: int = 2, text_on: Sequence[int] = ()) -> Path:
    """Pages that are only a drawn picture (rectangles and an embedded bitmap), no text layer,
    except on the 1-based page numbers in ``text_on``."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    picture = Image.new("RGB", (40, 30), (200, 30, 30))
    canvas = rl_canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    for number in range(1, pages + 1):
        canvas.setFillColorRGB(0.2, 0.4, 0.6)
        canvas.rect(80, 400, 300, 200, fill=1)
        canvas.drawImage(ImageReader(picture), 100, 100, 120, 90)
        if number in text_on:
            canvas.setFont(BODY_FONT, 11)
            canvas.drawString(MARGIN, 700, f"This page {number} has a real text layer about integrated care.")
        canvas.showPage()
    canvas.save()
    return path


def html_page(title: str, body: str, head_extra: str = "") -> str:
    """A full HTML page with navigation, header, footer, script and style around ``body`` (inside <main>)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head_extra}
<style>body {{ font-family: serif }} .x {{ color: red }}</style>
<script>var trackingCode = "SCRIPT-TEXT-MUST-NOT-APPEAR";</script></head>
<body><header><a href="/">SiteHeaderLink</a></header>
<nav><ul><li><a href="/a">NavItemOne</a></li><li><a href="/b">NavItemTwo</a></li></ul></nav>
<main>{body}</main>
<aside>AsideTextMustNotAppear</aside>
<footer>FooterTextMustNotAppear</footer>
<script>document.write("ALSO-NOT-TEXT")</script></body></html>"""


# -- scans: pages that are a picture of text, for the OCR tests ---------------------------------------------

SCAN_PAGE = (420.0, 300.0)  # a small page (points) keeps OCR in the tests fast


def text_image(lines: Sequence[str], size: tuple[int, int] = (1400, 1000), font_px: int = 44):
    """A white grayscale image with the lines drawn in black, as a scanner would see a printed page."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_px)  # Pillow's bundled font: no system fonts needed
    y = 80
    for line in lines:
        draw.text((80, y), line, fill=0, font=font)
        y += int(font_px * 1.6)
    return image


def scanned_pdf(path: Path, pages: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """A PDF of small pages, each ("scan", lines): only an image of the lines; ("text", lines): a real text
    layer; ("outlines", lines): the lines drawn as filled glyph outlines, no text layer (as a printer's "convert
    text to outlines" leaves them); ("bars", ()): a chart of filled rectangles, no text; ("blank", ()): nothing."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    width, height = SCAN_PAGE
    canvas = rl_canvas.Canvas(str(path), pagesize=SCAN_PAGE, invariant=1)
    for kind, lines in pages:
        if kind == "scan":
            canvas.drawImage(ImageReader(text_image(lines)), 0, 0, width, height)
        elif kind == "text":
            canvas.setFont(BODY_FONT, 11)
            for i, line in enumerate(lines):
                canvas.drawString(24, height - 40 - 16 * i, line)
        elif kind == "outlines":
            renderPDF.draw(outlined_text(lines, width, height), canvas, 0, 0)
        elif kind == "bars":  # a chart without labels: a few filled rectangles, nothing to read
            for i in range(12):
                canvas.rect(30 + 30 * i, 40, 20, 20 + 15 * (i % 5), stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return path


def outlined_text(lines: Sequence[str], width: float, height: float):
    """A reportlab drawing of ``lines`` as glyph outlines (paths, no text), in reportlab's own Vera font
    (rendered to outlines by freetype-py: the test extra installs it)."""
    import reportlab
    from reportlab.graphics.shapes import Drawing
    from reportlab.graphics.utils import text2Path
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KbVera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KbVera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    drawing = Drawing(width, height)
    for i, line in enumerate(lines):
        drawing.add(text2Path(line, x=20, y=height - 60 - 34 * i, fontName="KbVera", fontSize=22))
    return drawing
