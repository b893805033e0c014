"""Clean raw page texts into paragraphs: characters, page furniture, hyphenation, bullets, whitespace.

Output: one string per page, paragraphs separated by one blank line, each paragraph on one line. Headings,
bullet items and numbered items are paragraphs of their own (the passage splitter relies on that).

Characters: NFKC (ligatures, non-breaking and other odd spaces, full-width forms) keeps "£", "–" and "—";
curly quotes become ' and "; soft hyphens and zero-width characters go; footnote superscripts after a word
go; bullet glyphs (•, ▪, , ...) become "•".

Line-end hyphenation ("integra-" / "tion"): the pieces are joined unless the hyphen is a real one. Rule,
first match wins, using the whole document's own words as the dictionary:
  1. the hyphenated form ("place-based") appears elsewhere in the document  -> keep the hyphen;
  2. the joined form ("integration") appears elsewhere in the document        -> join;
  3. the second piece starts with a capital or digit ("non-NHS", "2020-21")  -> keep;
  4. the first piece is a common compound head (self, non, co, cross, well ...) -> keep;
  5. both pieces are words of the document on their own ("evidence", "based") -> keep;
  6. otherwise                                                                -> join.

Page furniture: lines repeated at the top or bottom of many pages (digits ignored, so "Page 3 of 20"
matches "Page 4 of 20"), never in the middle of one, and bare page numbers there are removed. Inside a page, a bare page number between
paragraphs is removed too; when the text before it stops mid-sentence, the short title-like lines next to
it (an old page's footer and the next page's header, as in text pasted from a PDF) go as well and the
sentence is joined up again.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence

BULLET = "•"
_BULLET_GLYPHS = "•◦▪▫●○■□‣⁃∙·\uf0b7\uf0a7\uf0d8\uf076\uf0a8\uf0fc➢►▸✓✔"
_DASH_BULLETS = "-–—*"

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u00ad": None,  # soft hyphen (line-end ones were handled before)
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u2028": "\n",
        "\u2029": "\n\n",
        "\f": "\n",
        "\r": "\n",
        "\v": "\n",
        **{ch: BULLET for ch in _BULLET_GLYPHS if ch != BULLET},
    }
)
# str.translate with a dict looks up every character; a regex finds the few that need it much faster.
_SPECIAL_CHARS = re.compile("[" + re.escape("".join(chr(code) for code in _CHAR_MAP)) + "]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SUPERSCRIPT_NOTE = re.compile(r"(?<=[A-Za-z0-9)\].,;:'\"])[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*(?=[^\W\d_])")
_CID = re.compile(r"\(cid:\d+\)")
_CID_BULLET = re.compile(r"(?m)^[ \t]*\(cid:\d+\)(?:[ \t]+(?=\S)|[ \t]*$)")
#: Unmapped glyphs on a page above which the text is reported as damaged.
CID_WARNING = 10

_PAGE_NUMBER = re.compile(  # "12", "- 12 -", "Page 3 of 40", "iv"; never a financial year, "2012/13", "2012/2013"
    r"^(?!(?:19|20)\d\d\s*/\s*(?:19|20)?\d\d$)(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$|^[ivxlc]{1,6}$", re.I
)
_TERMINAL = re.compile(r"[.!?:;]['\")\]]*$")
_NUMBERED = re.compile(r"^(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+\S")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_TRAILING_HYPHENATED = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$")
_LEADING_WORD = re.compile(r"^([^\W\d_]+)")
_LINE_END_HYPHENATION = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-\n[^\W\d_]+")

#: First halves that usually make a hyphenated compound when a line ends after them.
COMPOUND_HEADS = frozenset(
    "self non co cross well place system long short high low full part mid ex anti half one two three four five "
    "six seven eight ten year cost value evidence person patient community decision joined end top bottom "
    "front first second third".split()
)

#: A line longer than this was not wrapped by a typesetter: its block holds one paragraph per line.
UNWRAPPED_LINE = 200

#: Lines considered at the top and at the bottom of each page when looking for running headers/footers.
EDGE_LINES = 3


def normalise_pages(pages: Sequence[str]) -> tuple[list[str], list[str]]:
    """Raw page texts -> (clean page texts, warnings). One output page per input page, in order."""
    warnings: list[str] = []
    page_lines = []
    for number, page in enumerate(pages, start=1):
        text, cids = normalise_chars(page)
        if cids > CID_WARNING:
            warnings.append(
                f"page {number}: {cids} glyph{'s' if cids != 1 else ''} without a Unicode mapping were dropped "
                "(the PDF's fonts lack a ToUnicode map; OCR may recover the text)"
            )
        if "\ufffd" in text:
            warnings.append(f"page {number}: {text.count(chr(0xFFFD))} unreadable characters (U+FFFD)")
        page_lines.append([" ".join(line.split()) for line in text.split("\n")])  # the page's text is not kept
    page_lines = remove_line_numbers(page_lines)
    remove_running_lines(page_lines)
    vocabulary = Vocabulary.from_pages(page_lines)
    return [_page_paragraphs(lines, vocabulary) for lines in page_lines], warnings


def without_glyph_codes(text: str) -> tuple[str, int]:
    """Text without the "(cid:N)" marks of glyphs the PDF maps to no character (a bullet opening a line, a
    separator in a masthead: "PRESCRIBING BULLETIN (cid:127) No. 47 (cid:127) July 2021"), and how many."""
    if "(cid:" not in text:
        return text, 0
    text = _CID_BULLET.sub(BULLET + " ", text)  # an unmapped symbol opening a line is a bullet
    count = text.count("(cid:")
    text = re.sub(r"(?<=\S) +\(cid:\d+\) +(?=\S)", " ", text)  # (one space where a separator stood)
    return _CID.sub("", text), count


def normalise_chars(text: str) -> tuple[str, int]:
    """Character-level cleaning; returns (text, number of unmapped "(cid:N)" glyphs removed)."""
    text = text.replace("\r\n", "\n")
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text, cids = without_glyph_codes(text)
    text = _SUPERSCRIPT_NOTE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _SPECIAL_CHARS.sub(_replace_special, text)
    return _CONTROL.sub("", text), cids


def _replace_special(match: re.Match) -> str:
    return _CHAR_MAP.get(ord(match.group()), "") or ""


# -- a transcript's line numbers -------------------------------------------------------------------------

_LINE_NUMBER = re.compile(r"^(\d{1,2})(?: (.*))?$")
#: Numbered lines in a run, 1, 2, 3, …, before they may be a transcript's line numbers: a court or inquiry
#: transcript numbers its 25 or so lines again from 1 on every page.
LINE_NUMBER_RUN = 15


def _numbered_runs(lines: list[str]) -> list[list[int]]:
    """The runs 1, 2, 3, … of numbered lines of one page (indices), at least LINE_NUMBER_RUN long, in which
    numbered lines are at least 40% of the lines the run spans (an item of a list carries lines of its own)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        m = _LINE_NUMBER.match(line)
        if not m:
            continue
        n = int(m.group(1))
        if current and n == len(current) + 1:
            current.append(i)
        elif n == 1:
            runs.append(current)
            current = [i]
    runs.append(current)
    return [run for run in runs if len(run) >= LINE_NUMBER_RUN
            and len(run) >= 0.4 * sum(1 for line in lines[run[0]:run[-1] + 1] if line)]


def remove_line_numbers(page_lines: list[list[str]]) -> list[list[str]]:
    """Pages' lines without the numbers a transcript prints in its margin ("12 The above-entitled matter came
    on for oral" / "13 argument before …", or "12" on a line of its own): its sentences then run on from line to
    line, so that a phrase across two lines ("oral argument") is found.

    Only a transcript's numbering is taken out: runs from 1 that start again, page after page, each as long as
    the one before (the lines of a page), at least two of them. One run is a numbered list, a ranking or a
    contents page, whose numbers are the document's."""
    runs = [(page, run) for page, lines in enumerate(page_lines) for run in _numbered_runs(lines)]
    lengths = [len(run) for _page, run in runs]
    if len(runs) < 2 or len(set(lengths[:-1])) != 1 or lengths[-1] > lengths[0]:
        return page_lines
    strip: dict[int, set[int]] = {}
    for page, run in runs:
        strip.setdefault(page, set()).update(run)
    out = []
    for page, lines in enumerate(page_lines):
        numbered = strip.get(page, set())
        kept = []
        for i, line in enumerate(lines):
            m = _LINE_NUMBER.match(line) if i in numbered else None
            if m and not m.group(2):
                continue  # the number on a line of its own: no paragraph break where it stood
            kept.append(m.group(2) if m else line)
        out.append(kept)
    return out


# -- running headers and footers -------------------------------------------------------------------------


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _furniture_key(line: str) -> str:
    """What stays the same of a running line from page to page: no page numbers, no separators around them."""
    key = _PAGE_OF.sub(" ", line.lower())
    key = re.sub(r"\d+", "#", key)
    return key.strip(" #|\u00b7\u2022-\u2013\u2014.:")


_PAGE_OF = re.compile(r"\bpage\s*\d*\s*(?:of\s*\d*)?\s*$|^\s*page\s*\d+\s*(?:of\s*\d+)?\b")


def _looks_like_prose(line: str) -> bool:
    """A sentence (five words or more, ending like one) is body text even when it repeats."""
    return len(line.split()) >= 5 and bool(re.search(r"[.!?]['\")]*$", line))


def remove_running_lines(page_lines: list[list[str]]) -> int:
    """Blank out repeated header/footer lines and bare page numbers at page edges, in place; returns count.

    A line repeated at the edges of many pages is furniture unless it is as often found inside pages (a
    recurring heading); one that a layout put mid-page on a few pages still counts. A longer line that is not
    a sentence and repeats on most pages ("© NICE 2024. All rights reserved. ...") is furniture wherever it is.
    """
    pages_with_text = [lines for lines in page_lines if any(lines)]
    counts: Counter[str] = Counter()
    in_body: Counter[str] = Counter()  # pages where the line sits mid-page
    anywhere: Counter[str] = Counter()
    if len(pages_with_text) >= 2:
        ends: dict[str, set[int]] = {}  # the pages a key is found at the edge of
        for number, lines in enumerate(pages_with_text):
            edges = _edge_indices(lines)
            counts.update({_furniture_key(lines[i]) for i in edges})
            for i in edges:
                ends.setdefault(_furniture_key(lines[i]), set()).add(number)
            edge_set = set(edges)
            in_body.update({_furniture_key(line) for i, line in enumerate(lines) if line and i not in edge_set})
            anywhere.update({_furniture_key(line) for line in lines if line})
        for key, numbers in ends.items():
            if len(pages_with_text) >= 4 and numbers == {0, len(pages_with_text) - 1}:
                counts.pop(key, None)  # a title on the front and the back cover, not a header of the pages between
    for key, n in in_body.items():
        if n * 2 >= counts.get(key, 0):
            counts.pop(key, None)
    threshold = max(2, math.ceil(0.4 * len(pages_with_text)))
    everywhere = max(3, math.ceil(0.6 * len(pages_with_text)))
    removed = 0
    # A cover of a few lines keeps its title, though the pages after it run it as their header or footer: there it
    # is set elsewhere than the header is on them (under the body's name, not at the top), or without a page number.
    cover = pages_with_text[0] if pages_with_text and sum(map(bool, pages_with_text[0])) <= 15 else None
    heads = {_furniture_key(lines[i]) for lines, edges in ((lines, _edge_indices(lines)) for lines in pages_with_text[1:])
             for i in edges if i in edges[:EDGE_LINES] or re.search(r"\d", lines[i])}  # (or with its page's number)
    for lines in page_lines:
        edges = _edge_indices(lines)
        at_edge, top = set(edges), set(edges[:EDGE_LINES])
        for i, line in enumerate(lines):
            if not line:
                continue
            key = _furniture_key(line)
            if i in at_edge and _PAGE_NUMBER.match(line) and len(pages_with_text) >= 2:
                lines[i] = ""
                removed += 1
            elif line == BULLET or _looks_like_prose(line) or (lines is cover and key in heads and i not in top
                                                               and len(line.split()) >= 2 and not re.search(r"\d", line)):
                continue
            elif (i in at_edge and counts[key] >= threshold) or (
                    anywhere[key] >= everywhere and len(line.split()) >= 4):
                lines[i] = ""
                removed += 1
    return removed


# -- hyphenation -------------------------------------------------------------------------------------------


#: Lines of a page read at a time for the vocabulary: a 50 MB page's words are never all listed at once.
CHUNK_LINES = 2000


def _line_chunks(lines: list[str]) -> Iterator[list[str]]:
    """``lines`` in runs of about CHUNK_LINES, each ending on a line that does not end with a hyphen: a
    line-end hyphenation never straddles two runs, so the runs give the words the whole page gives."""
    start = 0
    while start < len(lines):
        end = min(start + CHUNK_LINES, len(lines))
        while end < len(lines) and lines[end - 1].endswith("-"):
            end += 1
        yield lines[start:end]
        start = end


class Vocabulary:
    """The document's own words, as the dictionary for deciding line-end hyphens."""

    def __init__(self, plain: set[str], hyphenated: set[str]) -> None:
        self.plain = plain
        self.hyphenated = hyphenated

    @classmethod
    def from_pages(cls, page_lines: list[list[str]]) -> Vocabulary:
        plain: set[str] = set()
        hyphenated: set[str] = set()
        for lines in page_lines:
            for chunk in _line_chunks(lines):
                # Pieces either side of a line-end hyphen are what we must decide: they are not evidence.
                body = "\n".join(chunk).lower()
                if "-\n" in body:
                    body = _LINE_END_HYPHENATION.sub(" ", body)
                words = set(_WORD.findall(body))
                del body
                for word in words:
                    if "-" in word:
                        hyphenated.add(word)
                        plain.update(word.split("-"))
                    else:
                        plain.add(word)
        return cls(plain, hyphenated)

    def keep_hyphen(self, first: str, second: str) -> bool:
        """Whether "first-" at a line end followed by "second" is a real hyphen (see the module rule)."""
        head = first.lower()
        tail = second.lower()
        if f"{head}-{tail}" in self.hyphenated:
            return True
        if f"{head}{tail}".replace("-", "") in self.plain or f"{head}{tail}" in self.hyphenated:
            return False
        if second[:1].isupper() or second[:1].isdigit():
            return True
        last = head.rsplit("-", 1)[-1]
        if last in COMPOUND_HEADS:
            return True
        return len(last) >= 3 and len(tail) >= 3 and last in self.plain and tail in self.plain


def _join_lines(lines: list[str], vocabulary: Vocabulary) -> str:
    parts: list[str] = []
    for line in lines:
        if not parts:
            parts.append(line)
            continue
        tail = parts[-1]
        if tail.endswith("-"):
            match = _TRAILING_HYPHENATED.search(tail[-80:])
            nxt = _LEADING_WORD.match(line)
            if match and nxt:
                if not vocabulary.keep_hyphen(match.group(1), nxt.group(1)):
                    parts[-1] = tail[:-1]
                parts.append(line)
                continue
            if tail[-2:-1].isdigit() and line[:1].isdigit():
                parts.append(line)  # "2020-" / "21": a range broken at its hyphen
                continue
        parts.append(" ")
        parts.append(line)
    return "".join(parts)


# -- paragraphs within a page ------------------------------------------------------------------------------


def _is_bullet(line: str) -> bool:
    return line.startswith(BULLET)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Lines -> blocks separated by blank lines; a bullet glyph alone on a line goes to the next text line."""
    blocks: list[list[str]] = []
    current: list[str] = []
    pending_bullet = False
    for line in lines:
        if line == BULLET or (line and all(ch in _BULLET_GLYPHS for ch in line.replace(" ", ""))):
            pending_bullet = True
            continue
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        if pending_bullet:
            if current:
                blocks.append(current)
                current = []
            line = f"{BULLET} {line.lstrip(BULLET).strip()}"
            pending_bullet = False
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _is_short_title_line(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1
        and len(line.split()) <= 15
        and not _TERMINAL.search(line)
        and not line.endswith(",")
        and not _is_bullet(line)
        and not _NUMBERED.match(line)
    )


def _remove_inline_page_numbers(blocks: list[list[str]]) -> list[list[str]]:
    """Drop bare page numbers between paragraphs (and their header/footer lines when a sentence was cut)."""
    k = 0
    while k < len(blocks):
        block = blocks[k]
        if not (len(block) == 1 and _PAGE_NUMBER.match(block[0]) and not re.match(r"^[ivxlc]+$", block[0], re.I)):
            k += 1
            continue
        lo = k
        while lo - 1 >= 0 and k - lo < 2 and _is_short_title_line(blocks[lo - 1]):
            lo -= 1
        hi = k
        while hi + 1 < len(blocks) and hi - k < 2 and _is_short_title_line(blocks[hi + 1]):
            hi += 1
        before = blocks[lo - 1] if lo > 0 else None
        after = blocks[hi + 1] if hi + 1 < len(blocks) else None
        prose_around = any(b is not None and len(" ".join(b).split()) >= 8 for b in (before, after))
        if not prose_around:
            k += 1
            continue
        cut_sentence = (
            before is not None
            and after is not None
            and not _TERMINAL.search(before[-1])
            and len(before[-1].split()) >= 6  # a full line: the page ran out mid-sentence
            and not (len(before) == 1 and _is_bullet(before[0]))
        )
        if cut_sentence and before is not None and after is not None:  # (cut_sentence implies both)
            merged = before + after if not _is_bullet(after[0]) else None
            if merged is not None:
                blocks[lo - 1 : hi + 2] = [merged]
                k = lo
            else:
                del blocks[lo : hi + 1]
                k = lo
        else:
            del blocks[k]
    return blocks


def _merge_flowing_blocks(blocks: list[list[str]]) -> list[list[str]]:
    """Join blocks split mid-sentence (column or box breaks): a full last line without end punctuation,
    then a block starting in lower case."""
    merged: list[list[str]] = []
    for block in blocks:
        if merged:
            prev_last = merged[-1][-1]
            first = block[0]
            # A column or box break falls after a full line; a short last line ends its paragraph or item.
            full_line = len(prev_last.split()) >= 6 or prev_last.endswith("-")
            if first[:1].islower() and not _TERMINAL.search(prev_last) and full_line:
                merged[-1] = merged[-1] + block
                continue
        merged.append(list(block))
    return merged


def _is_heading_line(lines: list[str], i: int, widest: int) -> bool:
    line = lines[i]
    if i + 1 >= len(lines) or _is_bullet(line):
        return False
    if i > 0 and not _TERMINAL.search(lines[i - 1]):
        return False
    words = line.split()
    nxt = lines[i + 1]
    if not (1 <= len(words) <= 10) or _TERMINAL.search(line) or line.endswith((",", "-")):
        return False
    if not (line[:1].isupper() or line[:1].isdigit()):
        return False
    if not (nxt[:1].isupper() or nxt[:1].isdigit() or _is_bullet(nxt) or nxt[:1] in "\"'("):
        return False
    return len(line) < 0.6 * widest


def _is_dash_bullet(lines: list[str], i: int, in_list: bool) -> bool:
    line = lines[i]
    if len(line) < 3 or line[0] not in _DASH_BULLETS or line[1] != " ":
        return False
    return i == 0 or in_list or bool(_TERMINAL.search(lines[i - 1]))


def _paragraphs(block: list[str], vocabulary: Vocabulary) -> list[str]:
    """One block of lines -> paragraphs: headings, bullet items and numbered items stand alone."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_list = False

    def flush() -> None:
        if current:
            paragraphs.append(_join_lines(current, vocabulary))
            current.clear()

    lines = list(block)
    widest = max(len(line) for line in lines)
    if widest > UNWRAPPED_LINE:
        # Text saved one paragraph per line (no wrapping): every line is a paragraph.
        return [f"{BULLET} {line[1:].strip()}" if _is_bullet(line) else line for line in lines]
    for i, line in enumerate(lines):
        if _is_dash_bullet(lines, i, in_list):
            line = f"{BULLET} {line[2:].strip()}"
            lines[i] = line
        if _is_bullet(line):
            flush()
            in_list = True
            current.append(f"{BULLET} {line[1:].strip()}" if len(line) > 1 else line)
            continue
        if _is_heading_line(lines, i, widest):
            flush()
            paragraphs.append(line)
            in_list = False
            continue
        if _NUMBERED.match(line) and (i == 0 or _TERMINAL.search(lines[i - 1]) or in_list):
            flush()
            current.append(line)
            continue
        current.append(line)
    flush()
    return [p for p in paragraphs if p.strip() and p.strip() != BULLET]


def _page_paragraphs(lines: list[str], vocabulary: Vocabulary) -> str:
    blocks = _blocks(lines)
    blocks = _remove_inline_page_numbers(blocks)
    blocks = _merge_flowing_blocks(blocks)
    paragraphs: list[str] = []
    for block in blocks:
        paragraphs.extend(_paragraphs(block, vocabulary))
    return "\n\n".join(paragraphs)
