"""Booleans of common words: posting lists decoded once and scored in numpy arrays with Whoosh's BM25.

Replaces the posting-by-posting walk of Whoosh's matchers (and of ``ExactBool``) when every required word is
common, because then no block can be skipped and turning each posting into Python objects is all the cost:
the lists are decoded once (``blocks``) and scored together in numpy, then matched through ``ArrayMatcher``.
"""

from __future__ import annotations

from bisect import bisect_left

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh import matching

from kb.index.whoosh.columns import _cached, _field_lengths
from kb.index.whoosh.postings import _posting_blocks
from kb.index.whoosh.scoring import on_grid

#: Booleans of plain terms whose every required term (or, with none required, every term) is in at least this
#: many passages of a segment are scored a whole posting list at a time (see ``_preload``).
PRELOAD_FROM = 4096


def _preload(required: list, optional: list, boost: float, reader):
    """All matches of a boolean of plain terms, scored term at a time with numpy: (docnums, scores) or None.

    When every word is common (an AND of common words, or alternatives none of which is rare), almost every
    passage is a candidate, and scoring them one at a time in Python is what made such queries take most of a
    second on 100,000 passages. Here each posting list is decoded once and scored in arrays, with the same
    BM25 arithmetic as Whoosh's scorer, in the same order. None when a clause is not a plain term posting list
    (or a segment has deletions), or when the lists are short enough for the usual way.
    """
    from whoosh import matching

    leaves = []
    for m in required + optional:
        boost_of = 1.0
        if type(m) is matching.WrappingMatcher:
            m, boost_of = m.child, m.boost
        scorer = getattr(m, "scorer", None)
        if (not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend"))
                or getattr(m, "_byteids", False) or scorer is None
                or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1"))):
            return None
        term = m.term()
        if not (isinstance(term, tuple) and len(term) == 2):
            return None
        leaves.append((m, boost_of, scorer, term[0], reader.doc_frequency(*term)))
    sizes = [leaf[4] for leaf in leaves]
    drivers = sizes[:len(required)] if required else sizes
    if not drivers or min(drivers) < PRELOAD_FROM or (required and not optional):
        # An AND of terms alone keeps block skipping: each block's maximum plus the other terms' maxima
        # is a tight enough bound. Optional clauses (a side-by-side bonus, say) add their maxima to every
        # bound, and alternatives of common words each produce candidates: then every passage is read anyway.
        return None
    lengths = {field: _length_array(reader, field) for field in {leaf[3] for leaf in leaves}}
    if any(v is None for v in lengths.values()):
        return None
    import numpy as np

    n = reader.doc_count_all()
    total = np.zeros(n)
    count = np.zeros(n, dtype=np.int32)
    # Optional terms add in descending order of their maxima, as the one-at-a-time matcher adds them.
    order = list(range(len(required))) + sorted(range(len(required), len(leaves)),
                                                 key=lambda k: -leaves[k][0].max_quality())
    for k in order:
        m, boost_of, scorer, field, _ = leaves[k]
        ids: list = []
        weights: list = []
        for block_ids, block_weights in _posting_blocks(m):
            ids.extend(block_ids)
            weights.extend(block_weights)
        docs = np.array(ids, dtype=np.int64)
        tf = np.array(weights, dtype=np.float64)
        fl = lengths[field][docs]
        idf, K1, B, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
        scores = on_grid(idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))))  # as the scorer
        if boost_of != 1.0:
            scores = scores * boost_of
        total[docs] += scores
        if k < len(required) or not required:
            count[docs] += 1
    hits = np.flatnonzero(count == len(required)) if required else np.flatnonzero(count)
    scores = total[hits] * boost if boost != 1.0 else total[hits]
    return hits.tolist(), scores.tolist()


def _length_array(reader, field):
    """A segment's decoded field lengths as a float array (cached with the reader)."""
    def make():
        lengths = _field_lengths(reader, field)
        if lengths is None:
            return None
        import numpy as np

        return np.array(lengths, dtype=np.float64)

    return _cached(reader, ("length-array", field), make)


#: ArrayMatcher's block: the maximum score of each run of this many matches lets block skipping pass it over.
CHUNK = 64


class ArrayMatcher(matching.Matcher):
    """Matches given as ascending docnums with their scores; the maximum of each run of 64 lets
    block skipping pass over runs that cannot reach the page."""

    def __init__(self, ids: list, scores: list) -> None:
        self.ids, self.scores = ids, scores
        self.chunk_max = [max(scores[i:i + CHUNK]) for i in range(0, len(scores), CHUNK)]
        self.top = max(self.chunk_max)
        self.i = 0

    def is_active(self):
        return self.i < len(self.ids)

    def id(self):
        return self.ids[self.i]

    def score(self):
        return self.scores[self.i]

    def weight(self):
        return self.scores[self.i]

    def next(self):
        if self.i >= len(self.ids):
            raise matching.ReadTooFar
        self.i += 1
        return self.i % CHUNK == 0

    def skip_to(self, id):
        if self.i >= len(self.ids):
            raise matching.ReadTooFar
        if id > self.ids[self.i]:
            self.i = bisect_left(self.ids, id, self.i)

    def supports_block_quality(self):
        return True

    def max_quality(self):
        return self.top

    def block_quality(self):
        return self.chunk_max[self.i // CHUNK]

    def skip_to_quality(self, minquality):
        if minquality <= 0:
            return 0
        skipped, i, n = 0, self.i, len(self.ids)
        while i < n and self.chunk_max[i // CHUNK] <= minquality:
            i = (i // CHUNK + 1) * CHUNK
            skipped += 1
        self.i = min(i, n)
        return skipped

    def replace(self, minquality=0):
        if self.i >= len(self.ids) or (minquality and self.top <= minquality):
            return matching.NullMatcher()
        return self

    def all_ids(self):
        while self.i < len(self.ids):
            yield self.ids[self.i]
            self.i += 1

    def copy(self):
        other = ArrayMatcher.__new__(ArrayMatcher)
        other.__dict__.update(self.__dict__)
        return other
