"""Concepts that share passages with a term, ranked by signed log-likelihood G² (Dunning 1993), not by raw\nfrequency; duplicate editions never count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from kb.store import Store
from kb.trace.terms import Occurrence, TermRef

#: How co-occurrence is scored; also printed in the JSON so readers know.
COOCCURRENCE_SCORE = ("log-likelihood G2 (Dunning 1993) over passages, signed: positive when the two concepts share "
                      "more passages than chance predicts")


_COOCCURRING_LIMIT = 20


def _g2(a: int, n_t: int, n_c: int, total: int) -> float:
    """Signed Dunning log-likelihood of the 2x2 table (passages with/without the term x with/without the concept)."""
    cells = (a, n_t - a, n_c - a, total - n_t - n_c + a)
    rows = (n_t, total - n_t)
    cols = (n_c, total - n_c)
    g2 = 0.0
    for i, observed in enumerate(cells):
        expected = rows[i // 2] * cols[i % 2] / total if total else 0
        if observed > 0 and expected > 0:
            g2 += observed * math.log(observed / expected)
    g2 *= 2
    return g2 if a * total >= n_t * n_c else -g2


def cooccurring(store: Store, ref: TermRef, phrase_occs: list[Occurrence] | None = None,
                limit: int = _COOCCURRING_LIMIT) -> list[dict]:
    """Concepts sharing passages with the term, ranked by signed log-likelihood (not by raw frequency)."""
    editions = store.edition_ids()
    total = store.counted_passage_total(editions)
    if ref.concept is not None:
        n_t = store.concept_passage_count(ref.concept.id, editions)
        together = store.passages_shared(ref.concept.id, editions)
    else:
        n_t, together = _phrase_together(store, phrase_occs or [])
    if not n_t or not together:
        return []
    base = store.passages_per_concept(editions)
    labels = {c.id: c.label for c in store.concepts()}
    rows: list[dict[str, Any]] = []
    for cid, a in together.items():
        n_c = max(base.get(cid, 0), a)
        expected = n_t * n_c / total if total else 0.0
        rows.append({
            "concept_id": cid, "label": labels.get(cid, cid), "passages_together": a,
            "passages_with_concept": n_c, "expected": round(expected, 2),
            "score": round(_g2(a, n_t, n_c, total), 2),
            "pmi": round(math.log2(a / expected), 2) if expected else None,
        })
    rows.sort(key=lambda r: (-r["score"], -r["passages_together"], r["concept_id"]))
    return rows[:limit]


def _phrase_together(store: Store, occs: list[Occurrence]) -> tuple[int, dict[str, int]]:
    """Passages holding the phrase, and per concept how many of them it shares (not counting a concept whose
    mention the phrase is part of, in that passage)."""
    spans = defaultdict(list)
    for o in occs:
        spans[o.passage_id].append((o.start, o.end))
    together: dict[str, set[str]] = defaultdict(set)
    inside: set[tuple[str, str]] = set()
    for pid, cid, start, end in store.mention_spans(spans):
        if any(start < e and s < end for s, e in spans[pid]):
            inside.add((pid, cid))
        together[cid].add(pid)
    for pid, cid in inside:
        together[cid].discard(pid)
    return len(spans), {cid: len(p) for cid, p in together.items() if p}
