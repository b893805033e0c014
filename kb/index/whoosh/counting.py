"""Exact totals apart from the ranked page: set operations over posting lists, no scoring; a lower
bound ("at least N") when counting would cost too much.

Replaces Whoosh's result counting (its collectors score every match to count it, or give an estimate), because
kb shows exact totals and the ranked page needs only its top hits: totals are set operations over posting
lists, with no scoring, taken apart from the ranking.
"""

from __future__ import annotations

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.index.analysis import _terms
from kb.index.nodes import AllQ, BoolQ, NearQ, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.protocol import Count
from kb.index.whoosh import postings as _postings
from kb.index.whoosh.bonus import _split_bonus
from kb.index.whoosh.columns import _cached, _date_runs
from kb.index.whoosh.compiler import _contains_run, _flat_filters, checks_run
from kb.index.whoosh.postings import _cache_key, _cache_put, _decode_postings, _posting_blocks, _sidecar_postings

#: The count of a query decodes the posting lists it names (document numbers only, no scores). Past this many
#: postings per query it stops decoding, and the total becomes "at least N" (a lower bound, never a guess).
COUNT_POSTINGS_UP_TO = 2_000_000


#: Phrase candidates confirmed word for word on the stored text for a count, per query; the rest make the total
#: "at least N".
COUNT_CHECKS_UP_TO = 3_000


class _Budget:
    def __init__(self) -> None:
        self.postings = COUNT_POSTINGS_UP_TO
        self.checks = COUNT_CHECKS_UP_TO


#: Segments up to this many passages are counted with Python integers as bit sets (no numpy import, which
#: would cost a fresh `kb search` more than the whole count); larger ones with numpy boolean arrays.
COUNT_NUMPY_FROM = 20_000


class _SegmentCount:
    """The matches of a query in one segment as bit sets over its docnums, without scoring.

    Each node becomes a (lower, upper) pair: passages certainly matching, and passages that may match. They are
    the same set unless a budget ran out (a posting list left undecoded, a phrase candidate left unchecked); set
    operations carry both bounds (A AND NOT B: lower(A) - upper(B), upper(A) - lower(B)). Deleted passages are
    in neither. The semantics are those of ``_to_whoosh``, node for node. A set is a numpy boolean array on
    large segments and a Python integer (bit d = docnum d) on small ones; both support &, | and ~.
    """

    def __init__(self, reader, frequent: frozenset | None, budget: _Budget, index_reader=None) -> None:
        self.reader = reader
        self.index_reader = index_reader if index_reader is not None else reader  # index-wide statistics
        self.frequent = frequent
        self.budget = budget
        self.n = n = reader.doc_count_all()
        self.np = None
        if n >= COUNT_NUMPY_FROM:
            import numpy as np

            self.np = np
            live = np.ones(n, dtype=bool)
        else:
            live = (1 << n) - 1
        self.none = self._from_ids(())
        self.live = live
        if reader.has_deletions():
            self.live = live & ~self._from_ids(reader.deleted_docs_set)

    # -- sets -------------------------------------------------------------------------------------------------
    def _from_ids(self, ids):
        if self.np is not None:
            mask = self.np.zeros(self.n, dtype=bool)
            if not isinstance(ids, self.np.ndarray):
                ids = self.np.fromiter(ids, dtype=self.np.int64)
            mask[ids[ids < self.n]] = True
            return mask
        bits = bytearray((self.n + 7) // 8)
        for d in ids:
            if d < self.n:
                bits[d >> 3] |= 1 << (d & 7)
        return int.from_bytes(bits, "little")

    def _from_runs(self, starts: list[int], ends: list[int]):
        if self.np is not None:
            mask = self.np.zeros(self.n, dtype=bool)
            for a, b in zip(starts, ends, strict=False):
                mask[a:b] = True
            return mask
        out = 0
        for a, b in zip(starts, ends, strict=False):
            out |= ((1 << (b - a)) - 1) << a
        return out

    def size(self, x) -> int:
        return int(x.sum()) if self.np is not None else x.bit_count()

    def same(self, x, y) -> bool:
        return x is y or (bool((x == y).all()) if self.np is not None else x == y)

    def members(self, x) -> list[int]:
        if self.np is not None:
            return self.np.flatnonzero(x).tolist()
        out = []
        for k, byte in enumerate(x.to_bytes((self.n + 7) // 8, "little")):
            if byte:
                out += [k * 8 + j for j in range(8) if byte >> j & 1]
        return out

    # -- leaves -----------------------------------------------------------------------------------------------
    def _ids(self, field: str, term: str):
        """Docnums of a term's postings (deleted ones included), or None when over the budget."""
        reader = self.reader
        if field not in reader.schema or (field, term) not in reader:
            return ()
        df = reader.doc_frequency(field, term)
        if df > self.budget.postings:
            self.budget.postings = -1
            return None
        self.budget.postings -= df
        m = reader.postings(field, term)
        leaf = getattr(m, "child", m) if type(m).__name__ == "FilterMatcher" else m
        if self.np is not None and hasattr(leaf, "reset"):
            key = _cache_key(reader, leaf)
            cached = _postings._POSTINGS_CACHE.get(key) if key is not None else None
            if cached is not None:
                return cached[0]
            side = _sidecar_postings(reader, leaf)
            if side is not None:
                return side[0]
            leaf.reset()
            fast = _decode_postings(leaf, weights=True)
            if fast is not None:
                if key is not None:
                    _cache_put(key, fast)
                return fast[0]
        if all(hasattr(leaf, a) for a in ("_read_ids", "_next_block", "_atend", "reset")):
            leaf.reset()
            parts = [ids for ids, _ in _posting_blocks(leaf, weights=False)]
            if len(parts) == 1:
                return parts[0]
            return [d for part in parts for d in part]
        return list(m.all_ids())

    def term(self, field: str, term: str):
        ids = self._ids(field, term)
        if ids is None:
            return self.none, self.live
        mask = self._from_ids(ids) & self.live
        return mask, mask

    def _check_run(self, bounds, run: tuple[str, ...]):
        """Confirm candidates word for word on the stored text (as ``_run_check`` does), within the budget."""
        cands = self.members(bounds[1])
        take = max(0, min(len(cands), self.budget.checks))
        self.budget.checks -= take
        ok = []
        for d in cands[:take]:
            text = self.reader.stored_fields(d).get("text") or ""
            if _contains_run(_terms(text), run):
                ok.append(d)
        # A candidate whose text holds the run matches, whatever its bounds said; unchecked ones may match.
        sure = self._from_ids(ok)
        return sure, sure | self._from_ids(cands[take:])

    # -- nodes ------------------------------------------------------------------------------------------------
    def bounds(self, node):
        if isinstance(node, TermQ):
            return self.term(node.field, node.term)
        if isinstance(node, PhraseQ):
            terms = node.terms
            if len(terms) == 1:
                return self.term(node.field, terms[0])
            if node.field == "text" and self.frequent and all(t in self.frequent for t in terms):
                pairs = [a + " " + b for a, b in zip(terms, terms[1:], strict=False)]
                both = self._and([self.term("bigrams", g) for g in pairs])
                if len(terms) == 2:
                    return both
                if not checks_run(self.index_reader, terms):
                    return both
                return self._check_run(both, terms)
            both = self._and([self.term(node.field, t) for t in terms])
            return self._check_run(both, terms) if node.field == "text" else both
        if isinstance(node, NearQ):
            if self.frequent and node.first in self.frequent and node.second in self.frequent:
                return self.term("bigrams", node.first + " " + node.second)
            return self.none, self.none
        if isinstance(node, PrefixQ):
            if node.field not in self.reader.schema:
                return self.none, self.none
            expanded = [t.decode("utf-8") if isinstance(t, bytes) else t
                        for t in self.reader.expand_prefix(node.field, node.prefix)]
            return self._or([self.term(node.field, t) for t in expanded])
        if isinstance(node, RangeQ):
            return self._ranges([node])
        if isinstance(node, AllQ):
            return self.live, self.live
        if isinstance(node, BoolQ):
            flat = _flat_filters(node.filters)
            ranges = [n for n in flat if isinstance(n, RangeQ)]
            others = [n for n in flat if not isinstance(n, RangeQ)]
            parts = [self.bounds(n) for n in node.must] + [self.bounds(n) for n in others]
            if node.should and not node.must:
                parts.append(self._or([self.bounds(n) for n in node.should]))
            if ranges:
                parts.append(self._ranges(ranges))
            lo, hi = self._and(parts) if parts else (self.live, self.live)
            if node.must_not:
                nlo, nhi = self._or([self.bounds(n) for n in node.must_not])
                lo, hi = lo & ~nhi, hi & ~nlo
            return lo, hi
        raise TypeError(f"not a query node: {node!r}")

    def _ranges(self, ranges: list):
        checks = tuple((r.field, 1 if r.low is None else r.low, 99_999_999 if r.high is None else r.high)
                       for r in ranges)
        mask = self._from_runs(*_date_runs(self.reader, checks)) & self.live
        return mask, mask

    def _and(self, parts: list):
        lo, hi = parts[0]
        for plo, phi in parts[1:]:
            lo, hi = lo & plo, hi & phi
        return lo, hi

    def _or(self, parts: list):
        if not parts:
            return self.none, self.none
        lo, hi = parts[0]
        for plo, phi in parts[1:]:
            lo, hi = lo | plo, hi | phi
        return lo, hi

    def documents(self, mask) -> set[str]:
        """The doc ids of the passages in ``mask``."""
        ordinals, names = _doc_ordinals(self.reader)
        return {names[ordinals[d]] for d in self.members(mask) if ordinals[d] >= 0}


def _doc_ordinals(reader):
    """Per segment: (docnum -> index into the doc id list, the doc id list); -1 for a docnum of no document."""

    def make():
        names = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("doc_id")]
        ordinals = [-1] * reader.doc_count_all()
        for k, name in enumerate(names):
            for d in reader.postings("doc_id", name).all_ids():
                ordinals[d] = k
        return ordinals, names

    return _cached(reader, ("doc-ordinals",), make)


def count(reader, node, frequent: frozenset | None = None, documents: bool = False) -> Count:
    """Count a query's matches by set operations over posting lists (no scoring, no top-N pruning).

    The ranked page comes from matchers that skip what cannot reach it, so they never see every match; the
    total is counted here instead, the same for every page size and offset.
    """
    core, _bonus = _split_bonus(node)
    if isinstance(core, TermQ) and not documents and not reader.has_deletions():
        # One word, nothing deleted: its document frequency is the count.
        return Count(reader.doc_frequency(core.field, core.term) if (core.field, core.term) in reader else 0, 0, True)
    budget = _Budget()
    passages, exact = 0, True
    docs: set[str] = set()
    for leaf, _base in reader.leaf_readers():
        seg = _SegmentCount(leaf, frequent, budget, reader)
        lo, hi = seg.bounds(node)
        passages += seg.size(lo)
        if exact and not seg.same(lo, hi):
            exact = False
        if documents:
            docs |= seg.documents(lo)
    return Count(passages, len(docs), exact)
