"""Plain text and Markdown: decode strictly, split pages at form feeds, strip Markdown markup lightly.

Decoding policy: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark. Anything else
is refused with the position of the first bad byte rather than guessed: a wrong guess (cp1252 vs latin-1 vs
mac-roman) silently corrupts quotes, dashes and "£" in the knowledge base, and the fix (re-save as UTF-8,
or ``iconv``) takes the user one command.

The title rules (``kb.ingest.titles``) are imported inside the functions that use them: importing them here
would load ``kb.ingest``, whose pipeline imports the extractors, while this module is still being loaded.
"""

from __future__ import annotations

import re

from kb.errors import ExtractionError
from kb.models import Extraction

#: Characters that print nothing and mean nothing, which converters leave between words ("Generations\u200b"):
#: a zero-width space, a word joiner, a stray byte-order mark, and the NUL a PDF-to-text converter writes for a
#: glyph it could not map (the "fi" of "findings"). (Zero-width joiners carry meaning in some scripts and in
#: emoji, and stay.)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\x00"))


def decode_text(data: bytes) -> str:
    """Bytes -> str under the policy above; raises ExtractionError("not valid UTF-8 text", ...)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").translate(_INVISIBLE)
        except UnicodeDecodeError as exc:
            raise ExtractionError(
                f"not valid UTF-16 text (bad bytes at offset {exc.start})",
                "re-save it as UTF-8",
            ) from None
    try:
        return data.decode("utf-8-sig").translate(_INVISIBLE)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExtractionError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})",
            "re-save it as UTF-8 (e.g. iconv -f cp1252 -t utf-8 FILE > FILE.utf8) and replace it",
        ) from None


def split_form_feeds(text: str) -> tuple[str, ...]:
    """Pages of a text file: form feeds (\\f) separate pages, as pdftotext writes them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends every page, including the last, with \f
    return tuple(pages)


def extract_text(data: bytes) -> Extraction:
    """Plain text: one page, or one per form feed. Text exported from Markdown keeps its emphasis marks
    ("**Lady Hallett**: Good morning"), which are removed so they never reach a quote, a KWIC line or a title."""
    pages = tuple(strip_emphasis(page) for page in split_form_feeds(decode_text(data)))
    metadata: dict = {"sources": {}}
    # The first page with a line of words: a cover that is only a picture leaves its page number, or a web
    # address and a handle ("www.nhsx.nhs.uk", "@NHSX").
    first = next((page for page in pages if any(len(_WORD.findall(line)) >= 2 for line in page.splitlines())),
                 pages[0])
    metadata["title_page"] = title_page(first)
    from kb.ingest.saved_pages import printed_page_title

    printed = printed_page_title(pages[0])
    if printed:
        metadata["title_candidates"] = [(printed, "text")]
    return Extraction(format="text", pages=pages, metadata=metadata)


#: A word as a line of text prints it: letters first, not a web or e-mail address, a handle or a number.
_WORD = re.compile(r"(?<!\S)[^\W\d_][\w'’-]*[,:;.]?(?!\S)")
#: How much of the first page's lines a title is looked for in (a file without form feeds is one long page).
_TITLE_PAGE_CHARS = 6000
#: A column of a table as a text export lays it out: at least this many short lines in a row.
_COLUMN_ROWS = 8


def title_page(page: str) -> str:
    """The lines of a text file's first page (with words) that may hold its title: of a file cut into pages (a
    PDF's text export), a line of a later page is a section's heading ("Principles that guide the NHS"), however
    early it comes once short pages are joined. A table's column, and the lines just above it, are left out
    (blank): in layout order a table's header ("State / Territory" over a list of states) often comes first."""
    lines = [line.strip() for line in page[:_TITLE_PAGE_CHARS * 20].splitlines()]  # a long page's start is enough
    short = [bool(line) and len(line.split()) <= 3 and not line.endswith((".", ":", ";", "?", "!")) for line in lines]
    n = 0
    while n < len(lines):
        end = n
        while end < len(lines) and short[end]:
            end += 1
        if end - n >= _COLUMN_ROWS:
            above = n  # the column's header: the short lines just above it, blank lines between them
            while above > 0 and n - above < 8 and (short[above - 1] or not lines[above - 1]):
                above -= 1
            for i in range(above, end):
                lines[i] = ""
        n = end + 1
    kept = [line for n, line in enumerate(lines) if line or (n and lines[n - 1])]  # one blank line for many
    return "\n".join(kept)[:_TITLE_PAGE_CHARS]


#: Paired emphasis inside one paragraph (it may run across line breaks, never across a blank line). ``{n}`` is
#: filled with the longest span: any length where a paragraph has few marks, 200 characters where it has many
#: (a long line of lone marks, "_a _a _a …", would otherwise take time growing with its square).
_EMPHASIS_PARAGRAPH = (r"(?<![\w*])(\*\*\*|\*\*|\*|~~|___|__)(?=[^\s*_~])((?:(?!\n[ \t]*\n)[\s\S]){n})"
                       r"(?<=[^\s*_~])\1(?![\w*])")
_UNDERSCORE_INNER = r"(?<![\w_])_(?=[^\s_])((?:(?!\n[ \t]*\n)[^_]){n})(?<=[^\s_])_(?![\w_])"
#: How many emphasis marks a paragraph or line may hold before its spans are bounded.
_FEW_MARKS = 16


def _bounded(pattern: str) -> tuple[re.Pattern, re.Pattern]:
    """A span pattern twice: with spans of any length (for text with few marks), and of 200 characters at most."""
    return re.compile(pattern.replace("{n}", "+?")), re.compile(pattern.replace("{n}", "{1,200}?"))


_PARAGRAPH_SPANS = (_bounded(_EMPHASIS_PARAGRAPH), _bounded(_UNDERSCORE_INNER))
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")


def _marks(text: str) -> int:
    return text.count("*") + text.count("_") + text.count("~")


def strip_emphasis(text: str) -> str:
    """``text`` without Markdown emphasis marks (``**bold**``, ``*italic*``, ``_italic_``, ``~~struck~~``), also
    when the emphasis runs over a line break; a lone "*" (a footnote mark, "2 * 3") and snake_case stay."""
    if not any(mark in text for mark in ("*", "_", "~~")):
        return text
    parts = _PARAGRAPH_BREAK.split(text)
    for n, part in enumerate(parts):
        if n % 2 or not _marks(part):
            continue  # a blank line between paragraphs, or a paragraph without marks
        few = _marks(part) <= _FEW_MARKS
        for _ in range(3):  # nested: ***x***, **_x_**
            before = part
            for any_length, bounded in _PARAGRAPH_SPANS:
                part = (any_length if few else bounded).sub(lambda m: m.group(m.lastindex), part)
            if part == before:
                break
        parts[n] = part
    return "".join(parts)


_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
#: Attributes pandoc writes after an image, link or span: '![](media/image1.png){width="1.6in" height="0.68in"}'.
_PANDOC_SPAN = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\{[^{}\n]*\}")  # pandoc's "[Board]{.underline}"
_ATTRIBUTES = re.compile(r"(?<=[)\]])\{[^{}\n]*(?:=|#|\.)[^{}\n]*\}")
#: pandoc's attributes at the end of a heading or a line: "# Unpaid carers {#unpaid-carers .page-title}".
_TRAILING_ATTRIBUTES = re.compile(r"\s+\{(?:[#.][\w:.-]+|[\w-]+=)[^{}\n]*\}\s*$")
#: pandoc's fenced divs ("::: {#main-content}", ":::") and a definition's marker (":   22 July 2025").
_DIV = re.compile(r"^\s*:::")
_DEFINITION = re.compile(r"^:\s{1,4}(?=\S)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_WRAPPED_LABEL = re.compile(r"\[([^\[\]\n]*)\n[ \t]*([^\[\]\n]*)\]\(")
_WRAPPED_TARGET = re.compile(r"\]\(([^()\s]*)\n[ \t]*([^()\s]*\))")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
# A run of marks pairs with a run of the same length ("***x***", never "**" of "***x***" with the "**" of a
# later "**y**"), so no mark is left behind.
_EMPHASIS = _bounded(r"(?<![*\\])(\*\*\*|\*\*|\*)(?=[^\s*])(.{n})(?<=[^\s*])\1(?!\*)|(~~)(?=\S)(.{n})(?<=\S)~~"
                     r"|(?<!\w)(__|_)(?=\S)(.{n})(?<=\S)\5(?!\w)")
_CODE = re.compile(r"`([^`]+)`")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LIST = re.compile(r"^(\s*)[*+-]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_markdown(text: str) -> tuple[str, str | None]:
    """Markdown -> plain text with the same words; returns (text, first level-one heading or None).

    Light on purpose: headings, emphasis, links, images, code spans, quotes, rules and list markers;
    fenced code is kept as text. Not a full CommonMark renderer.
    """
    plain, headings = _strip_markdown(text)
    return plain, next((h for level, h, *_ in headings if level == 1), None)


#: A heading as (level, text without markup, its first and last line in the output text).
Heading = tuple[int, str, int, int]


def _strip_markdown(text: str) -> tuple[str, list[Heading]]:
    """Plain text (one entry of ``out`` per line) and the headings."""
    out: list[str] = []
    headings: list[Heading] = []
    in_fence = False
    text = _outside_fences(text, _without_comments_and_wrapped_links)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _DIV.match(line):
            out.append("")
            continue
        line = _DEFINITION.sub("", _TRAILING_ATTRIBUTES.sub("", line))
        heading = _ATX.match(line)
        if heading:
            level = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
            first = len(out) + 1
            out.append("")
            out.extend(_STRAY_MARKS.sub("", part) for part in _inline(_spans_as_lines(heading.group(1))).split("\n"))
            headings.append((level, _heading_text(heading.group(1)), first, len(out) - 1))
            out.append("")
            continue
        if _SETEXT.match(line) and out and out[-1].strip() and i > 0 and not _LIST.match(line):
            level = 1 if line.strip().startswith("=") else 2
            headings.append((level, _heading_text(out[-1].strip()), len(out) - 1, len(out) - 1))
            out.append("")
            continue
        if _RULE.match(line) or _TABLE_RULE.match(line) or _REF_DEF.match(line):
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        line = _LIST.sub(r"\1• ", line)
        if line.strip().startswith("|"):
            cells = line.strip().strip("|").split("|")
            if i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]):
                # a header row: "Col2" is the name a converter gives a column whose header cell is empty
                cells = [cell for cell in cells if not _EMPTY_HEADER.match(cell)]
            line = " ".join(cell.strip() for cell in cells)
        out.extend(_inline(_spans_as_lines(line)).split("\n"))
    return strip_emphasis("\n".join(out)), headings


def _outside_fences(text: str, change) -> str:
    """``text`` with ``change`` applied to each stretch of lines outside fenced code, which stays as written."""
    if "```" not in text and "~~~" not in text:
        return change(text)
    parts: list[str] = []
    stretch: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line) or in_fence:
            if stretch and not in_fence:
                parts.append(change("\n".join(stretch)))
                stretch = []
            parts.append(line)
            in_fence = in_fence != bool(_FENCE.match(line))
        else:
            stretch.append(line)
    if stretch:
        parts.append(change("\n".join(stretch)))
    return "\n".join(parts)


def _without_comments_and_wrapped_links(text: str) -> str:
    """Text without HTML comments ("<!-- Start of picture text -->", markup, never text; one that never closes
    is left, so no text after it is lost) and with links a converter wrapped over two lines joined, so their
    address never reaches the text."""
    if "<!--" in text:
        kept, at = [], 0
        while True:
            start = text.find("<!--", at)
            end = text.find("-->", start + 4) if start >= 0 else -1
            if start < 0 or end < 0:
                kept.append(text[at:])
                break
            kept.append(text[at:start])
            at = end + 3
        text = "".join(kept)
    if "](" in text:
        # pandoc's attributes wrapped over two lines: '![Logo](/images/logo.png){width="291"' / 'height="49"}'
        text = _WRAPPED_ATTRIBUTES.sub(r"{\1 \2}", text)
        for _ in range(2):
            text = _WRAPPED_TARGET.sub(r"](\1\2", _WRAPPED_LABEL.sub(r"[\1 \2](", text))
    return text


_WRAPPED_ATTRIBUTES = re.compile(r"(?<=\))\{([^{}\n]*=[^{}\n]*)\n[ \t]*([^{}\n]*)\}")


#: One emphasised span of a line: "**Fri, Feb 24, 2017**", "_01 July 2024_".
_SPAN = re.compile(r"(\*\*\*|\*\*|\*|__|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_SPAN_LINE_CHARS = 600
_EMPTY_HEADER = re.compile(r"^\s*Col\d+\s*$")


def _spans_as_lines(line: str) -> str:
    """A line made only of emphasised spans, one per line: a PDF converted to Markdown writes each line of a
    cover's block as a span, so "**Fri, Feb 24, 2017** **USDA Market News**" is two lines of the page (a date
    and a body) and "_Dr A Smith, Prof B Jones_ _01 July 2024_" a byline above a date (spans of one or two words
    only are one line's words, set one by one). An HTML line break ("<br>", in a table's cell) is one too."""
    line = _BREAK.sub("\n", line) if "<" in line else line
    if ("*" not in line and "_" not in line) or len(line) > _SPAN_LINE_CHARS:
        return line  # a cover's line is short: a long one is a paragraph (and never scanned span by span)
    spans = list(_SPAN.finditer(line))
    if len(spans) < 2 or _SPAN.sub("", line).strip(" \t") or max(len(m.group(2).split()) for m in spans) < 3:
        return line  # "**DECEMBER** **12,** **2022**": short spans are one line's words, set one by one
    return "\n".join(m.group(0) for m in spans)


#: Emphasis marks a heading has left unpaired ("*FIT FOR *", "# **", "## ___"): never words.
_STRAY_MARKS = re.compile(r"(?<!\w)[*_~]+|[*_~]+(?!\w)")


def _heading_text(text: str) -> str:
    """A heading as words: inline markup removed, and stray emphasis marks too."""
    return " ".join(_STRAY_MARKS.sub("", _inline(text)).split())


#: How far apart ``_strip_markdown`` puts headings written on consecutive lines (each becomes a paragraph).
_NEXT_LINE = 3


def _title_part(heading: str) -> bool:
    from kb.ingest.titles import clean_title, is_title_like, title_line_ok

    return title_line_ok(heading) and is_title_like(clean_title(heading))


def _joined(parts: list[str]) -> str:
    """Lines of one title as one string: a line that ends without punctuation is followed by ": "."""
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text.rstrip()[-1:] in "?!.:;,-–—" else ": ") + part
    return text


def _inline(line: str) -> str:
    line = _ATTRIBUTES.sub("", _PANDOC_SPAN.sub(r"\1", line))
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    emphasis = _EMPHASIS[0 if _marks(line) <= _FEW_MARKS else 1]
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        line = emphasis.sub(lambda m: m.group(2) or m.group(4) or m.group(6), line)
    return line.replace("\\", "") if "\\" in line else line


#: How many lines of the start of a Markdown file its cover's headings are looked for in.
_COVER_LINES = 400
#: The lines of a Markdown file's cover: a larger heading there is the title, over a smaller one above it.
_NEAR_TOP = 60


def cover_heading_title(headings: list[Heading], lines: list[str]) -> str | None:
    """The title set by a Markdown file's first runs of headings, with nothing but blank lines between them: a
    PDF converted to Markdown writes each line of its cover as a heading whose level is its size ("## THE
    HANDBOOK TO" / "# The NHS Constitution" / "### for England January 2019"). The title is the largest
    title-like line of a run, with the lines its words run on into or from (a line ending in "to" or ":", a
    line starting with "for"; never a byline, "by …", "from …"), a fragment of its level that is no title on
    its own ("Strategy 2024–2028", "The Leeds") and lines of its level written on the very next line; the
    month of its edition at its end is the date's, not the title's. None when no run of the first three holds
    a title."""
    from kb.ingest.titles import DOCUMENT_WORD, bare_body, clean_title, is_title_like, without_trailing_date

    runs: list[list[tuple[int, str, bool]]] = []  # (level, text, written on the line right after the one before)
    headings_at: dict[int, int] = {}  # the line each run starts on
    last = None
    for level, heading, first, end in headings:
        if first >= _COVER_LINES:
            break
        if not heading.split():
            continue  # a picture or a rule set as a heading ("# ![](logo.png)"): no line of a title
        if last is not None and runs and not any(lines[n].strip() for n in range(last + 1, first)):
            runs[-1].append((level, heading, first - last == _NEXT_LINE))
        else:
            headings_at[len(runs)] = first
            runs.append([(level, heading, False)])
        last = end
    # The run whose title is largest (its level lowest), of those near the top: "### WAKA KOTAHI" over "# Evaluating
    # the safety outcomes of …"; else the first that holds a title.
    tops = {n: min((level for level, text, _next in run if is_title_like(clean_title(text))), default=9)
            for n, run in enumerate(runs[:3])}
    near = [n for n in tops if tops[n] < 9 and headings_at.get(n, 0) < _NEAR_TOP]
    named = " ".join(text for _level, text, _next in runs[near[0]]) if near else ""
    if near and len(named.split()) <= 3 and (named.isupper() or bare_body(named) or not DOCUMENT_WORD.search(named)):
        # (a name, "WAKA KOTAHI", "Suffolk's Libraries IPS", not a title that names a kind, "Local Transport Plan")
        best = min(near, key=lambda n: (tops[n], n))
        runs = [runs[best]] + [run for n, run in enumerate(runs) if n != best]
    for run in runs[:3]:
        # (not a body's initials alone over the title: "# OECD" / "# Affordable housing in OECD cities")
        usable = [is_title_like(clean_title(text)) and not re.fullmatch(r"[A-Z]{2,6}", text.strip())
                  for _level, text, _next in run]
        if not any(usable):
            continue
        top = min(level for (level, _text, _next), ok in zip(run, usable, strict=True) if ok)
        first = next(i for i, ((level, *_rest), ok) in enumerate(zip(run, usable, strict=True)) if ok and level == top)
        start = first
        while start > 0 and _runs_on(run[start - 1], run[start], top):
            start -= 1
        end = first + 1
        while end < len(run) and end - start < 4 and _runs_on(run[end - 1], run[end], top):
            end += 1
        title = run[start][1]
        for n in range(start + 1, end):
            wraps = (_goes_on(run[n - 1][1], run[n][1]) or _fragment(run[n - 1][1]) or _fragment(run[n][1])
                     or run[n - 1][1].rstrip()[-1:] in "?!.,;")
            title += (" " if wraps else ": ") + run[n][1]
        title = without_trailing_date(title)  # "… for England January 2019"
        if is_title_like(clean_title(title)):
            return title
        if end - start > 1:  # lines joined into no title ("healthwatch Norbridge" over it): the largest alone
            return run[first][1]
    return None


def _runs_on(before: tuple[int, str, bool], after: tuple[int, str, bool], top: int) -> bool:
    """Whether two headings of a cover's run are lines of one title: the words run on from one into the other
    (``_goes_on``), or both are of the title's level and they are written on consecutive lines or one is a
    fragment that is no title on its own. Never a byline or a credit ("by …", "from the Royal College …")."""
    from kb.ingest.titles import STARTS_ON, is_credit, title_line_ok

    (_, first, _), (level, second, adjacent) = before, after
    if is_credit(second) or second.split()[0].lower() in ("by", "from"):
        return False
    if not title_line_ok(second) and second.split()[0] not in STARTS_ON:
        return False  # "02 December 2024" under a title: its date, not its words ("for England January 2019" is)
    if _goes_on(first, second):
        return True
    return (before[0] == level == top and title_line_ok(first) and title_line_ok(second)
            and (adjacent or _fragment(first) or _fragment(second)))


def _goes_on(first: str, second: str) -> bool:
    """Whether a line's words run on into the next: it ends in a connector or a colon or dash ("THE HANDBOOK
    TO", "Feeling the crunch:"), or the next starts with one in lower case ("for England")."""
    from kb.ingest.titles import ENDS_ON, STARTS_ON

    return first.split()[-1].lower() in ENDS_ON or first.rstrip()[-1:] in ":-–—" or second.split()[0] in STARTS_ON


def _fragment(text: str) -> bool:
    """A short heading that is no title on its own, yet no label, date or body's bare name: only a kind of
    document ("Strategy 2024–2028") or an article and a word ("The Leeds"); not "Contents", "Framework" alone
    or "NHS England"."""
    from kb.ingest.kinds import is_kind_only
    from kb.ingest.orgnames import organisation_name
    from kb.ingest.titles import clean_title, is_title_like, title_line_ok

    return (2 <= len(text.split()) <= 3 and title_line_ok(text) and organisation_name(text) != text
            and (is_kind_only(text) or not is_title_like(clean_title(text))))


def _french_twin(name: str, after: str) -> bool:
    """Whether the line under a name is the same name in French ("Employment and Social Development Canada" /
    "Emploi et Développement social Canada"): a Canadian body's identity, not a title."""
    twin = strip_emphasis(after.strip().split("\n")[0]).strip()
    last = name.split()[-1] if name.split() else ""
    return bool(twin) and twin.split()[-1:] == [last] and bool(re.search(r"\b(?:et|de|du|des|la|le)\b", twin)) \
        and twin != name


#: A line set wholly in bold: "**Rail accessibility for persons with reduced mobility: progress remains uneven**".
#: A bold line that labels a figure, a warning or a note: "Figure 1: …", "Content warning: …", "Note: …".
_NOT_A_BOLD_TITLE = re.compile(r"(?:figure|table|chart|box|map|exhibit)\s+\w{1,4}\b|(?:content|trigger)\s+warning|"
                               r"notes?\s*:|source\s*:|key\s+(?:points|messages)", re.I)
_BOLD_LINE = re.compile(r"(?m)^[ \t]*\*\*([^*\n]{10,250})\*\*[ \t]*$")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def extract_markdown(data: bytes) -> Extraction:
    """Markdown: markup stripped; title, date and publisher from YAML front matter, else title candidates: a
    browser's print header, the title the cover's first run of headings sets (``cover_heading_title``), then
    the headings before the body starts (level one first; consecutive headings that split one title are
    joined)."""
    from kb.ingest.extract.stated_dates import parse_meta_date

    raw = decode_text(data).replace("\r\n", "\n")
    metadata: dict = {"sources": {}}
    front = _FRONT_MATTER.match(raw)
    if front:
        raw = raw[front.end():]
        fields = {}
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip() and not key.startswith((" ", "\t", "-")):
                fields[key.strip().lower()] = value.strip().strip("'\"")
        front_title = fields.get("title")
        for key in ("date", "published", "date_published", "publication_date"):
            date = parse_meta_date(fields.get(key, ""))
            if date is not None:
                metadata["published"], metadata["sources"]["published"] = date, "front-matter"
                break
        for key in ("publisher", "organisation", "organization", "author"):
            if fields.get(key):
                from kb.ingest.orgnames import organisation_name

                body = fields[key] if key != "author" else organisation_name(fields[key])
                if body:
                    metadata["publisher"], metadata["sources"]["publisher"] = body, "front-matter"
                    break
    text, headings = _strip_markdown(raw)
    candidates: list[tuple[str, str]] = [(front_title, "front-matter")] if front and front_title else []
    from kb.ingest.bilingual import is_other_language_name
    from kb.ingest.casing import name_case
    from kb.ingest.orgnames import organisation_name
    from kb.ingest.saved_pages import printed_page_title
    from kb.ingest.titles import DOCUMENT_WORD, FINITE, bare_body, body_start, clean_title, is_title_like

    lines = text.split("\n")
    cover_lines = body_start(lines[:_COVER_LINES], {n for *_h, first, end in headings for n in range(first, end + 1)})
    # A web page's one level-one heading is its title, however long the cookie notice and menus above it (not a
    # PDF converter's, which sizes every section's heading as one; not a numbered section's, "# 1 Introduction").
    level_one = [h for h in headings if h[0] == 1]
    page_title = level_one[0] if len(level_one) == 1 and is_title_like(clean_title(level_one[0][1])) \
        and not re.match(r"\d+(?:\.\d+)*\.?\s", level_one[0][1]) else None
    headings = [h for h in headings if h[2] < cover_lines or h is page_title]
    for cover in (printed_page_title(text), cover_heading_title(headings, lines)):
        if cover:
            # a cover's title a converter set in bold, not as a heading, above the first heading that reads as one
            # ("# **EN**" / "Special report" / "**Rail accessibility for …**" / … / "### **Audit team**")
            bold = next((m for m in _BOLD_LINE.finditer(raw[:6000]) if is_title_like(clean_title(m.group(1)))
                         and len(re.findall(r"[^\W\d_]{3,}", m.group(1))) >= 3 and not FINITE.search(m.group(1))
                         and not _NOT_A_BOLD_TITLE.match(m.group(1))
                         # (nor a body's name over its name in Welsh: "**Carers Link Cymru**" / "*Cysylltu …*")
                         and not is_other_language_name(strip_emphasis(raw[m.end():m.end() + 200].strip().split("\n")[0]))
                         and not bare_body(name_case(m.group(1)) if m.group(1).isupper() else m.group(1))
                         # (nor a body's name in bold over its name in French: "**Employment and Social Development
                         # Canada**" / "Emploi et Développement social Canada")
                         and not (organisation_name(m.group(1).strip()) == m.group(1).strip()
                                  and not DOCUMENT_WORD.search(m.group(1)))
                         and not _french_twin(m.group(1), raw[m.end():m.end() + 200])), None)
            at = raw.find(" ".join(cover.split()[:3]))
            # a series' label ending in a colon on the line over the title: "Local government:" / "# Managing …"
            label = re.search(r"(?m)^[ \t]*[*_]*([A-Z][\w ,'’&-]{2,40}:)[*_]*[ \t]*\n(?:[ \t]*\n)*[ \t]*#*[ \t]*[*_]*$",
                              raw[:max(at, 0)]) if at > 0 else None
            if label and len(label.group(1).split()) <= 4 and is_title_like(clean_title(label.group(1).rstrip(":"))):
                candidates.append((f"{label.group(1)} {cover}", "text"))
            # (above a heading that reads as a title: over a body's name, "**BETTER POLICIES FOR BETTER LIVES**" /
            # "# **OECD**", a bold line is its masthead's slogan)
            # (not over another heading over the title, a masthead's: "**BETTER POLICIES FOR BETTER LIVES**" /
            # "# **OECD**" / "# **Affordable housing in OECD cities**" holds its slogan)
            between = raw[bold.end():raw.rfind("\n", 0, at) + 1] if bold and 0 <= at else ""
            masthead = [strip_emphasis(m.group(1)) for m in re.finditer(r"(?m)^[ \t]*#{1,6}[ \t]+(\S.*)$", between)]
            if bold and 0 <= at and bold.start() < at and not bare_body(clean_title(cover)) \
                    and not any(is_title_like(clean_title(heading)) for heading in masthead):  # (not "# Contents")
                candidates.append((" ".join(bold.group(1).split()), "text"))
            candidates.append((cover, "text"))
    early = headings[:12]
    for wanted in (lambda level: level == 1, lambda level: level > 1):
        for i, (level, heading, line, end) in enumerate(early):
            if not wanted(level):
                continue
            following = early[i + 1] if i + 1 < len(early) else None
            if (following and following[0] == level and following[2] - end <= 3
                    and heading.split() and heading.split()[-1].lower() in ("for", "of", "and", "the", "to", "in", "on")):
                heading = f"{heading} {following[1]}"  # "FIT FOR" / "THE FUTURE"
            elif (following and following[0] == level and following[2] - end <= _NEXT_LINE + 1
                  and re.fullmatch(r"(?:The|THE|An?|AN?)\s+\S+", heading)):
                heading = f"{heading} {following[1]}"  # "The Leeds" / "Health and Wellbeing Strategy": not a title alone
            elif i == 0 or early[i - 1][3] != line - _NEXT_LINE or early[i - 1][0] != level:
                # Headings of one level on consecutive lines at the top are one title set on several lines
                # ("# ARE YOU THINKING WHAT WE'RE THINKING?" / "# IT'S TIME FOR ACTION" / "# … MANIFESTO 2005").
                run, last = [heading], end
                for later in early[i + 1:i + 3]:
                    if later[0] != level or later[2] != last + _NEXT_LINE:
                        break
                    run.append(later[1])
                    last = later[3]
                if len(run) > 1 and all(_title_part(part) for part in run):
                    candidates.append((_joined(run), "text"))
            candidates.append((heading, "text"))
    # The first page's lines as printed: a cover set without headings or blank lines ("Listening to digital" /
    # "health innovators" / "Publication date: …") is one paragraph once normalised, and these say where its
    # title's lines end.
    metadata["printed_lines"] = title_page(split_form_feeds(text)[0])
    if candidates:
        metadata["title_candidates"] = candidates
        usable = [(clean_title(value), where) for value, where in candidates]
        usable = [(value, where) for value, where in usable if is_title_like(value)]
        if usable:
            metadata["title"], metadata["sources"]["title"] = usable[0]
    return Extraction(format="markdown", pages=split_form_feeds(text), metadata=metadata)
