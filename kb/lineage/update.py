"""Keep the store's reuse pairs in step with its documents, one new or changed document at a time.

A document is compared with the fingerprint index of those already in it, never with every pair again: its
passages' fingerprints are looked up, passages sharing at least ``MIN_SHARED`` of them with one of another
document are aligned exactly (kb.lineage.align), and its own fingerprints join the index. A removed, changed or
now-duplicate document's fingerprints and pairs go first. Every pair is aligned in passage-id order and the
candidate test is symmetric, so the pairs do not depend on the order documents arrive in: an incremental run
equals a full recomputation (tests/test_lineage.py), as long as no fingerprint is held by more than ``MAX_DOCS``
documents (past that it stops producing candidates, see docs/lineage.md).
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.lineage.align import MIN_WORDS, Alignment, align
from kb.lineage.text import Words, norm_words, passage_fingerprints, words
from kb.store import lineage as db

if TYPE_CHECKING:
    from kb.store import Store

log = logging.getLogger(__name__)

#: Fingerprints two passages must share to be aligned (a 20-word verbatim stretch always shares two).
MIN_SHARED = 2
#: A fingerprint held by more documents than this is not followed to candidates (see the module's note).
MAX_DOCS = 50


@dataclass
class LineageChange:
    """What one update did, for logs and benchmarks."""

    added: int = 0
    removed: int = 0
    candidates: int = 0
    pairs: int = 0
    given: int = 0  # documents whose fingerprints came made (by the ingest's workers)
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)  # documents left for the next ingest (an error was logged)


#: ``fingerprints(doc_id, passages)``: a document's fingerprints made elsewhere (by the ingest's workers, from
#: the passages it stored), or None when they were not.
Given = Callable[[str, int], "set[tuple[int, int]] | None"]


def update_lineage(store: Store, min_words: int = MIN_WORDS, fingerprints: Given | None = None) -> LineageChange:
    """Bring reuse pairs up to date with the store's documents. Runs inside the caller's transaction.

    ``fingerprints`` gives those a worker already made (the per-file part of the work); the rest are made here."""
    started = time.monotonic()
    change = LineageChange()
    now = db.current_versions(store)
    known = db.fingerprinted(store)
    stale = sorted(d for d, (_, version) in known.items() if now.get(d) != version)
    db.forget(store, stale)
    change.removed = len(stale)
    for doc_id in sorted(d for d in now if d not in known or known[d][1] != now[d]):
        try:
            with db.savepoint(store):
                _add_document(store, doc_id, now[doc_id], min_words, change, fingerprints)
        except Exception:  # one document's reuse must not stop an ingest; it is tried again at the next one
            log.exception("lineage: %s could not be compared with the other documents", doc_id)
            change.failed.append(doc_id)
            continue
        change.added += 1
    change.seconds = time.monotonic() - started
    if change.added or change.removed:
        log.info("lineage: %d documents fingerprinted, %d forgotten, %d candidates, %d pairs in %.1f s",
                 change.added, change.removed, change.candidates, change.pairs, change.seconds)
    return change


def _add_document(store: Store, doc_id: str, version: str, min_words: int, change: LineageChange,
                  given: Given | None) -> None:
    passages = list(store.iter_passages(doc_id))
    own = {p.ordinal: p for p in passages}
    by_hash: dict[int, list[int]] = defaultdict(list)
    found = given(doc_id, len(passages)) if given is not None else None
    if found is None:
        found = passage_fingerprints([norm_words(p.text) for p in passages])
    else:
        change.given += 1
    for h, k in found:
        by_hash[h].append(passages[k].ordinal)
    shared: Counter[tuple[int, str, int]] = Counter()
    for h, other_doc, other_ord in db.postings(store, list(by_hash), MAX_DOCS):
        for ordinal in by_hash[h]:
            shared[(ordinal, other_doc, other_ord)] += 1
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (ordinal, other_doc, other_ord), n in shared.items():
        if n >= MIN_SHARED:
            by_doc[other_doc].append((ordinal, other_ord))
    change.candidates += sum(len(c) for c in by_doc.values())
    own_words: dict[int, Words] = {}
    aligned: dict[tuple[str, str], Alignment | None] = {}  # repeated text (a passage pasted many times) aligns once
    rows = []
    for other_doc in sorted(by_doc):
        texts = db.passage_texts(store, other_doc, {o for _, o in by_doc[other_doc]})
        other_words: dict[int, Words] = {}
        for ordinal, other_ord in sorted(by_doc[other_doc]):
            if other_ord not in texts:
                continue
            p = own[ordinal]
            if ordinal not in own_words:
                own_words[ordinal] = words(p.text)
            if other_ord not in other_words:
                other_words[other_ord] = words(texts[other_ord][1])
            row = pair_row((p.id, p.text, own_words[ordinal]), doc_id,
                           (texts[other_ord][0], texts[other_ord][1], other_words[other_ord]), other_doc, min_words,
                           aligned)
            if row is not None:
                rows.append(row)
    db.add_pairs(store, rows)
    change.pairs += len(rows)
    key = db.register(store, doc_id, version)
    db.add_marks(store, key, sorted((h, o) for h, ordinals in by_hash.items() for o in ordinals))


def pair_row(one: tuple[str, str, Words], one_doc: str, two: tuple[str, str, Words], two_doc: str,
             min_words: int = MIN_WORDS, cache: dict[tuple[str, str], Alignment | None] | None = None
             ) -> tuple | None:
    """The stored row for two passages, aligned in passage-id order (so it never depends on which came first).
    ``cache`` holds alignments by the two texts: the same two texts always align the same way."""
    (a_id, a_text, a), a_doc, (b_id, b_text, b), b_doc = (one, one_doc, two, two_doc) if one[0] < two[0] else \
        (two, two_doc, one, one_doc)
    if cache is None:
        found = align(a.norm, b.norm, min_words)
    elif (a_text, b_text) in cache:
        found = cache[(a_text, b_text)]
    else:
        found = cache[(a_text, b_text)] = align(a.norm, b.norm, min_words)
    if found is None:
        return None
    return (a_id, b_id, a_doc, b_doc, a.spans[found.a_start][0], a.spans[found.a_end - 1][1],
            b.spans[found.b_start][0], b.spans[found.b_end - 1][1], found.words, found.similarity)
