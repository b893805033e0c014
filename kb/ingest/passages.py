"""Split a document's clean pages into passages: a few sentences each, with page numbers and offsets.

The document text is the clean pages joined with a blank line; every offset points into it, so
``text[p.start:p.end] == p.text`` always holds. Passages follow paragraphs: short ones (headings, bullet
items) are merged with what follows, long ones are cut at sentence ends. A passage never crosses a page
boundary, so ``page == page_end``. Ids are ``{doc_id}-p{ordinal:04d}-{hash6}`` with hash6 from the text,
so a permalink survives re-ingest while the passage's text is unchanged.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kb.models import Passage

PAGE_SEPARATOR = "\n\n"
#: Keep adding paragraphs to a passage while it has fewer words than this.
MIN_WORDS = 60
#: Never grow a passage past this by merging; cut paragraphs longer than this at sentence ends.
MAX_WORDS = 250
#: A heading starts a new passage once the current one has at least this many words.
HEADING_BREAK_WORDS = 15

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
# Sentence ends: . ! ? (optionally closed by quotes/brackets), then space and an upper-case letter,
# digit, quote or bullet. Abbreviations that rarely end sentences are excluded below.
_SENTENCE_END = re.compile(r"[.!?]['\")\]]*\s+(?=[A-Z0-9\"'(•])")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc.al al cf vs dr mr mrs ms prof st no nos pp p para paras fig figs vol rt hon ed eds approx "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co".split()
)


@dataclass(frozen=True)
class _Unit:
    start: int  # offsets into the document text
    end: int
    words: int
    heading: bool


def document_text(pages: Sequence[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join clean pages; return (text, [(page number from 1, start, end)])."""
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for number, page in enumerate(pages, start=1):
        spans.append((number, offset, offset + len(page)))
        offset += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(pages), spans


def split_passages(
    doc_id: str, pages: Sequence[str]
) -> tuple[str, list[tuple[int, int, int]], list[Passage]]:
    """(document text, page spans, passages) for a document's clean pages."""
    text, spans = document_text(pages)
    passages: list[Passage] = []
    heading: str | None = None
    for number, page_start, page_end in spans:
        for group in _group(_units(text, page_start, page_end)):
            leading = 0
            if not all(unit.heading for unit in group):  # headings that open this passage name it
                while group[leading].heading:
                    heading = text[group[leading].start : group[leading].end]
                    leading += 1
            start, end = group[0].start, group[-1].end
            body = text[start:end]
            ordinal = len(passages) + 1
            digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:6]
            passages.append(
                Passage(
                    id=f"{doc_id}-p{ordinal:04d}-{digest}",
                    doc_id=doc_id,
                    ordinal=ordinal,
                    page=number,
                    page_end=number,
                    start=start,
                    end=end,
                    text=body,
                    heading=heading,
                )
            )
            for unit in group[leading:]:
                if unit.heading:
                    heading = text[unit.start : unit.end]
    return text, spans, passages


def is_heading(paragraph: str) -> bool:
    """A short line with no end punctuation that starts like a title: "Summary of the proposals", "1. Purpose"."""
    stripped = paragraph.strip()
    if not stripped or "\n" in stripped or stripped.startswith("•"):
        return False
    words = stripped.split()
    if len(words) > 12 or len(stripped) > 100:
        return False
    if stripped[-1] in ".,;:!?" or not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    if re.search(r"@|www\.|https?://|\d{3,}\s?\d{3,}", stripped):  # addresses and phone numbers
        return False
    return any(ch.isalpha() for ch in stripped)


def _units(text: str, start: int, end: int) -> list[_Unit]:
    """Paragraphs of one page, long ones cut into sentence groups of at most MAX_WORDS words."""
    units: list[_Unit] = []
    for match in _PARAGRAPH.finditer(text, start, end):
        p_start, p_end = match.start(), match.end()
        # Trim surrounding whitespace so passages start and end on text.
        while p_start < p_end and text[p_start].isspace():
            p_start += 1
        while p_end > p_start and text[p_end - 1].isspace():
            p_end -= 1
        if p_start == p_end:
            continue
        paragraph = text[p_start:p_end]
        words = len(paragraph.split())
        if words <= MAX_WORDS:
            units.append(_Unit(p_start, p_end, words, is_heading(paragraph)))
        else:
            units.extend(_split_long(text, p_start, p_end, words))
    return units


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in text[start:end] from a small regex splitter (no NLP model)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[cursor : match.start() + 1]
        last_word = re.search(r"([A-Za-z.]+)\.$", before)
        if last_word and text[match.start()] == ".":
            token = last_word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue  # "e.g. NHS", "J. Smith"
        sentence_end = match.end()
        while sentence_end > cursor and text[sentence_end - 1].isspace():
            sentence_end -= 1
        spans.append((cursor, sentence_end))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans


def _split_long(text: str, start: int, end: int, words: int) -> list[_Unit]:
    """Cut a long paragraph into even groups of whole sentences (words as a last resort)."""
    pieces: list[tuple[int, int]] = []
    for s_start, s_end in sentence_spans(text, start, end):
        if len(text[s_start:s_end].split()) > MAX_WORDS:
            pieces.extend(_word_chunks(text, s_start, s_end))
        else:
            pieces.append((s_start, s_end))
    target = words / math.ceil(words / (MAX_WORDS * 0.8))
    units: list[_Unit] = []
    group_start, group_words = pieces[0][0], 0
    for i, (p_start, p_end) in enumerate(pieces):
        n = len(text[p_start:p_end].split())
        if group_words and group_words + n > MAX_WORDS:
            units.append(_Unit(group_start, pieces[i - 1][1], group_words, False))
            group_start, group_words = p_start, 0
        group_words += n
        if group_words >= target:
            units.append(_Unit(group_start, p_end, group_words, False))
            group_words = 0
            if i + 1 < len(pieces):
                group_start = pieces[i + 1][0]
    if group_words:
        units.append(_Unit(group_start, pieces[-1][1], group_words, False))
    return units


def _word_chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run-on "sentence" (a table, a list without punctuation) cut every ~200 words."""
    matches = list(re.finditer(r"\S+", text[start:end]))
    chunks = []
    for i in range(0, len(matches), 200):
        group = matches[i : i + 200]
        chunks.append((start + group[0].start(), start + group[-1].end()))
    return chunks


def _group(units: list[_Unit]) -> list[list[_Unit]]:
    """Merge paragraphs into passages: small ones join what follows; headings open a new passage."""
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    words = 0
    for unit in units:
        if current:
            only_headings = all(u.heading for u in current)
            if unit.heading and words >= HEADING_BREAK_WORDS and not only_headings:
                flush = True
            elif words >= MIN_WORDS:
                flush = True
            elif words + unit.words > MAX_WORDS and not only_headings:
                flush = True
            else:
                flush = False
            if flush:
                groups.append(current)
                current, words = [], 0
        current.append(unit)
        words += unit.words
    if current:
        tail_words = sum(u.words for u in current)
        if (
            groups
            and tail_words < 20
            and not current[0].heading
            and tail_words + sum(u.words for u in groups[-1]) <= MAX_WORDS
        ):
            groups[-1].extend(current)  # a short last paragraph belongs with the one before it
        else:
            groups.append(current)
    return groups
