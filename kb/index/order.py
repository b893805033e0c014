"""The one total order of hits, whatever engine or evaluation path produced them.

Relevance: score descending, compared at SCORE_DECIMALS decimals (the precision kb shows), then passage id
ascending. Date sorts: the date key, then passage id. Documents (``--group doc``): in the order of their first
passage in that passage order, each with its first PASSAGES_PER_DOC passages. The passage id never depends on
how the index was built (segments, processes, Whoosh's document numbers), so neither does the order; scores
that differ only in the last bits of a float (the same sum added in another order) compare equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kb.index.protocol import Hit

#: Scores are compared, and shown, at this many decimals.
SCORE_DECIMALS = 4


#: A passage scoring this much below another may still round to the same shown score (half a unit of the
#: last decimal, with room for float error): pruning keeps such passages, so a tie is never lost.
TIE_MARGIN = 0.6 * 10.0 ** -SCORE_DECIMALS


#: Best passages shown per document with ``--group doc``.
PASSAGES_PER_DOC = 3


#: Undated passages sort last, both ways.
UNDATED_LAST = 99_999_999


def score_key(score: float) -> float:
    """The score as ranking compares it."""
    return round(score, SCORE_DECIMALS)


def relevance_key(score: float, passage_id: str) -> tuple[float, str]:
    """Sort key of a hit ranked by relevance (ascending = best first)."""
    return (-round(score, SCORE_DECIMALS), passage_id)


def tie_floor(score: float) -> float:
    """Scores at or below this can neither beat nor tie ``score``."""
    return round(score, SCORE_DECIMALS) - TIE_MARGIN


def date_key(sort: str, date: int, date_latest: int) -> int:
    """Primary key of a hit sorted by ``date`` (oldest first, by the earliest day) or ``-date`` (newest first,
    by the latest day); undated (0) last either way. Ties go by passage id."""
    if sort == "date":
        return date or UNDATED_LAST
    return -(date_latest or date) if (date_latest or date) else UNDATED_LAST


def group_documents(rows: list[Hit], offset: int, limit: int, per_doc: int = PASSAGES_PER_DOC) -> list[Hit]:
    """From hits in the total order (enough of them), the hits of documents ``offset`` to ``offset + limit``:
    each document's first ``per_doc`` hits, documents in order of their first hit."""
    order: list[str] = []
    groups: dict[str, list[Hit]] = {}
    for r in rows:
        d = r.doc_id
        if d not in groups:
            order.append(d)
            groups[d] = []
        if len(groups[d]) < per_doc:
            groups[d].append(r)
    return [r for d in order[offset:offset + limit] for r in groups[d]]
