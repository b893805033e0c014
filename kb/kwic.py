"""Contexts of a term: the sentence around it (for quotes) and keyword-in-context lines (for concordances).

No spaCy here: a sentence splitter made of a regex and a short abbreviation list is enough to quote a sentence,
and keeps `kb kwic` and `kb trace` fast to start.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from kb.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

#: Sentence ends: ., ! or ? (with closing quotes/brackets) then whitespace; blank lines; bullets.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+|\n[ \t]*\n\s*|\s*[•▪●◦]\s*")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "pp", "p", "vs", "cf", "prof",
                            "para", "fig", "vol", "ed", "approx"})
_SPACE = re.compile(r"\s+")
_PUNCT = "\"'’‘“”()[],.;:!?–—-"
SORTS = ("date", "doc", "left", "right")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip(_PUNCT).casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence of ``text`` holding the span; never cuts the span itself."""
    begin, finish = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        sentence_end = m.group().count("\n") < 2 and not m.group().strip(" \t\n\r\"'’”)]")
        if sentence_end and m.start() > 0 and _is_abbreviation(text, m.start() - 1):
            continue
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            group = m.group()
            finish = m.start() + len(group) - len(group.lstrip("\"'’”)]"))  # keep closing quotes and brackets
            break
    return begin, finish


def quote(text: str, start: int, end: int, max_chars: int = 320) -> tuple[str, int, int]:
    """The sentence around ``text[start:end]``, whitespace collapsed and cut to about ``max_chars`` with ellipses.

    Returns (sentence, mark_start, mark_end): the offsets of the term inside the returned sentence.
    """
    s, e = sentence_bounds(text, start, end)
    left = _SPACE.sub(" ", text[s:start]).lstrip()
    middle = _SPACE.sub(" ", text[start:end])
    right = _SPACE.sub(" ", text[end:e]).rstrip()
    room = max(0, max_chars - len(middle))
    if len(left) + len(right) > room:
        keep_left = min(len(left), max(room // 2, room - len(right)))
        keep_right = room - keep_left
        if len(left) > keep_left:
            left = "…" + left[len(left) - keep_left:].lstrip()
        if len(right) > keep_right:
            right = right[:keep_right].rstrip() + "…"
    return left + middle + right, len(left), len(left) + len(middle)


def mark_html(sentence: str, mark_start: int, mark_end: int) -> str:
    """An HTML fragment: the sentence escaped, the term wrapped in <mark>…</mark>."""
    esc = html.escape
    return (esc(sentence[:mark_start], quote=False) + "<mark>" + esc(sentence[mark_start:mark_end], quote=False)
            + "</mark>" + esc(sentence[mark_end:], quote=False))


def context(before: str, match: str, after: str, width: int) -> tuple[str, str, str]:
    """Left context, match and right context, whitespace collapsed and cut to ``width`` characters each."""
    left = _SPACE.sub(" ", before)[-width:] if width > 0 else ""
    right = _SPACE.sub(" ", after)[:width] if width > 0 else ""
    return left, _SPACE.sub(" ", match), right


def _words(text: str) -> list[str]:
    return [w.strip(_PUNCT).casefold() for w in text.split() if w.strip(_PUNCT)]


def _sort_key(sort: str):
    if sort == "date":
        return lambda r: (r["_earliest"] is None, r["_earliest"] or "", r["_latest"] or "", r["doc_id"], r["start"])
    if sort == "doc":
        return lambda r: (r["doc_id"], r["start"])
    if sort == "left":  # the word just before the term first, then the one before that (like AntConc's 1L, 2L)
        return lambda r: (list(reversed(_words(r["left"]))), r["doc_id"], r["start"])
    return lambda r: (_words(r["right"]), r["doc_id"], r["start"])


def _occurrences_for(store: "Store", ref, docs: dict[str, dict], window: int, sort: str, limit: int | None):
    """All occurrences; or, for a concept sorted by date or document with a limit, only those of the first
    documents in that order (read in growing batches), so `kb kwic ICS --limit 20` stays fast on a big corpus."""
    from kb.trace import doc_counts, occurrences

    if ref.concept is None or limit is None or sort not in ("date", "doc"):
        return occurrences(store, ref, window=window)
    counts = doc_counts(store, ref)
    if sort == "date":
        order = sorted((d for d in counts if d in docs), key=lambda d: (
            docs[d]["date_earliest"] is None, docs[d]["date_earliest"] or "", docs[d]["date_latest"] or "", d))
    else:
        order = sorted(d for d in counts if d in docs)
    found, i, batch, seen = [], 0, 8, 0
    while i < len(order) and seen < limit:
        chunk = order[i:i + batch]
        i, batch = i + len(chunk), batch * 2
        seen += sum(counts[d] for d in chunk)
        found += occurrences(store, ref, window=window, doc_ids=chunk)
    return found


def kwic(store: "Store", term: str, width: int = 40, sort: str = "date", limit: int | None = None) -> list[dict]:
    """Keyword-in-context lines for a concept or phrase, one per occurrence, sorted by date, doc, left or right.

    Each row: left, match, right, doc_id, title, publisher, published, date_precision, page, passage_id, start,
    end (character offsets of the match in the document text). Duplicate editions are left out.
    """
    from kb.trace import load_documents, resolve

    if sort not in SORTS:
        raise UsageError(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    if width < 0:
        raise UsageError("--width must be 0 or more characters.")
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 or more.")
    ref = resolve(store, term)
    docs = load_documents(store)
    rows = []
    for occ in _occurrences_for(store, ref, docs, window=max(width * 2, 20), sort=sort, limit=limit):
        doc = docs[occ.doc_id]
        left, match, right = context(occ.before, occ.surface, occ.after, width)
        rows.append({
            "left": left, "match": match, "right": right,
            "doc_id": occ.doc_id, "title": doc["title"], "publisher": doc["publisher"],
            "published": doc["published"], "date_precision": doc["date_precision"],
            "page": occ.page, "passage_id": occ.passage_id, "start": occ.start, "end": occ.end,
            "_earliest": doc["date_earliest"], "_latest": doc["date_latest"],
        })
    rows.sort(key=_sort_key(sort))
    if limit is not None:
        rows = rows[:limit]
    for r in rows:
        del r["_earliest"], r["_latest"]
    return rows
