"""Keyword-in-context lines (a concordance) for a concept or phrase, sortable by date, document or context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.errors import InvalidArgument
from kb.trace.ledger import doc_counts, load_documents, occurrences, resolve
from kb.trace.quotes import _PUNCT, context
from kb.trace.results import KwicLine

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

SORTS = ("date", "doc", "left", "right")


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


def _occurrences_for(store: Store, ref, docs: dict[str, dict], window: int, sort: str, limit: int | None):
    """All occurrences; or, for a concept sorted by date or document with a limit, only those of the first
    documents in that order (read in growing batches), so `kb kwic ICS --limit 20` stays fast on a big corpus."""
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


def kwic(store: Store, term: str, width: int = 40, sort: str = "date", limit: int | None = None,
         exact: bool = False) -> list[KwicLine]:
    """Keyword-in-context lines for a concept or phrase, one per occurrence, sorted by date, doc, left or right.

    Each row: left, match, right, doc_id, title, publisher, published, date_precision, page, passage_id, start,
    end (character offsets of the match in the document text). Duplicate editions are left out. The term matches
    as in `kb trace` (:func:`kb.trace.resolve`); ``exact``: the words only as typed.
    """
    if sort not in SORTS:
        raise InvalidArgument("sort", sort, f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
    if width < 0:
        raise InvalidArgument("width", width, "width must be 0 or more characters.")
    if limit is not None and limit < 0:
        raise InvalidArgument("limit", limit, "limit must be 0 or more.")
    ref = resolve(store, term, exact)
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
    return [KwicLine(**r) for r in rows]
