"""kb's boolean matcher (MaxScore; Turtle & Flood 1995): AND, OR and "all of these, optionally those",
exact top-N pruning with block skipping.

Replaces Whoosh's And / Or / AndMaybe matchers (``whoosh.matching.binary``, ``wrappers``), because their block
skipping is not exact: they skip a block when the two sides' *current* block maxima cannot reach the page, but
the skipped block may run on past the other side's block, where that side scores more, so pages came out wrong
(the true best passage missing) for about one query in eight on 100,000 passages. ``ExactBool`` evaluates the
same boolean, scoring the same way, with MaxScore: clauses whose maxima together cannot reach the page only add
to passages found through the others, and a clause's block is skipped only when its block maximum plus every
other clause's maximum cannot reach the page.
"""

from __future__ import annotations

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh import matching
from whoosh import query as wq

from kb.index.whoosh import preload as _preload
from kb.index.whoosh.preload import ArrayMatcher


def bound(m) -> float:
    """What a clause can still add in its current block (its maximum when it has no blocks)."""
    return m.block_quality() if m.supports_block_quality() else m.max_quality()


class ExactBoolMatcher(matching.Matcher):
    """MaxScore over required and optional clauses (see the module's docstring)."""

    def __init__(self, required: list, optional: list, boost: float) -> None:
        self.req = required
        self.opt = sorted(optional, key=lambda m: m.max_quality())  # ascending: weakest first
        self.maxes = [m.max_quality() for m in self.opt]
        self.opt_max = sum(self.maxes)
        self.req_max = sum(m.max_quality() for m in required)
        self.boost = boost
        self.minq = 0.0  # the page's threshold, on the unboosted scale
        self.p = 0  # optional clauses [0, p) are non-essential: they never make a passage a candidate
        self._id: int | None = None
        self._score: float | None = None
        self._settle()

    # -- threshold -----------------------------------------------------------------------------------
    def _raise(self, minquality: float) -> None:
        if not minquality:
            return
        raw = minquality / self.boost if self.boost > 0 else float("inf")
        if raw <= self.minq:
            return
        self.minq = raw
        if not self.req:
            total, p = 0.0, 0
            for mx in self.maxes:
                if total + mx > raw:
                    break
                total, p = total + mx, p + 1
            self.p = p

    # -- finding the next candidate --------------------------------------------------------------------
    def _stop(self) -> None:
        self._id = self._score = None

    def _align(self):
        req = self.req
        if not all(m.is_active() for m in req):
            return None
        while True:
            target = max(m.id() for m in req)
            moved = False
            for m in req:
                if m.id() < target:
                    m.skip_to(target)
                    if not m.is_active():
                        return None
                    moved = True
            if not moved:
                return target

    def _settle(self) -> None:
        """Stop on the next passage that matches and, once there is a threshold, can beat it."""
        req, opt, maxes = self.req, self.opt, self.maxes
        while True:
            minq = self.minq
            if req:
                d = self._align()
                if d is None:
                    return self._stop()
                here, rest = req, self.opt_max
                probe = range(len(opt) - 1, -1, -1)
            else:
                ess = [m for m in opt[self.p:] if m.is_active()]
                if not ess:
                    return self._stop()
                rest = sum(maxes[:self.p])
                if minq and len(ess) == 1:
                    ess[0].skip_to_quality(minq - rest)
                    if not ess[0].is_active():
                        return self._stop()
                d = min(m.id() for m in ess)
                here = [m for m in ess if m.id() == d]
                probe = range(self.p - 1, -1, -1)
            if not minq:
                self._id, self._score = d, None  # every match counts: scored only if asked
                return
            bounds = [bound(m) for m in here]
            if sum(bounds) + rest > minq:
                score = sum(m.score() for m in here)
                for k in probe:
                    if score + rest <= minq:
                        break
                    m = opt[k]
                    rest -= maxes[k]
                    if m.is_active() and m.id() < d:
                        m.skip_to(d)
                    if m.is_active() and m.id() == d:
                        score += m.score()
                else:
                    if score > minq:
                        self._id, self._score = d, score
                        return
                if req:
                    req[0].next()
                    continue
            elif req and self._skip_blocks(bounds, minq):
                continue  # a required clause moved past blocks that cannot reach the page
            if req:
                req[0].next()
            else:
                for m in here:
                    m.next()

    def _skip_blocks(self, bounds: list, minq: float) -> bool:
        """Skip blocks of required clauses whose block maximum, with every other clause at its maximum,
        cannot reach the page. True if one moved."""
        moved = False
        for m, b in zip(self.req, bounds, strict=False):
            others = self.req_max - m.max_quality() + self.opt_max
            if b + others <= minq:
                before = m.id()
                m.skip_to_quality(minq - others)
                if not m.is_active():
                    return True  # _align reports the end
                moved = moved or m.id() != before
        return moved

    # -- the matcher protocol -------------------------------------------------------------------------
    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def score(self):
        if self._score is None:
            d = self._id
            score = sum(m.score() for m in self.req)
            for m in self.opt:
                if m.is_active() and m.id() < d:
                    m.skip_to(d)
                if m.is_active() and m.id() == d:
                    score += m.score()
            self._score = score
        return self._score * self.boost

    def weight(self):
        return self.score()

    def next(self):
        d = self._id
        if d is None:
            raise matching.ReadTooFar
        if self.req:
            self.req[0].next()
        else:
            for m in self.opt[self.p:]:
                if m.is_active() and m.id() == d:
                    m.next()
        self._settle()
        return True  # every passage is its own "block": callers re-check the bound each time

    def skip_to(self, id):
        if self._id is None:
            raise matching.ReadTooFar
        if id <= self._id:
            return
        for m in self.req + self.opt:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._settle()

    def supports_block_quality(self):
        return True

    def max_quality(self):
        return (self.req_max + self.opt_max) * self.boost

    def block_quality(self):
        return self.score() if self._id is not None else 0.0

    def skip_to_quality(self, minquality):
        if minquality <= 0:
            return 0  # no page threshold yet: every match counts, even one scoring 0 (a concept tag alone)
        self._raise(minquality)
        if self._id is not None and self.score() <= minquality:
            self.next()
            return 1
        return 0

    def replace(self, minquality=0):
        self._raise(minquality)
        return self if self._id is not None else matching.NullMatcher()

    def all_ids(self):
        while self._id is not None:
            yield self._id
            self.next()

    def copy(self):
        raise NotImplementedError("kb's boolean matcher is not copied")

    def children(self):
        return self.req + self.opt

class ExactBool(wq.Query):
    """The query ``compiler._bool`` builds for AND, OR and "all of these, optionally those"."""

    def __init__(self, required: list, optional: list, boost: float = 1.0) -> None:
        self.required, self.optional, self.boost = required, optional, boost

    def __repr__(self):
        return f"ExactBool({self.required!r}, {self.optional!r}, boost={self.boost})"

    def children(self):
        return self.required + self.optional

    def estimate_size(self, ixreader):
        if self.required:
            return min(q.estimate_size(ixreader) for q in self.required)
        return min(ixreader.doc_count_all(), sum(q.estimate_size(ixreader) for q in self.optional))

    def matcher(self, searcher, context=None):
        req = [q.matcher(searcher, context) for q in self.required]
        if not all(m.is_active() for m in req):
            return matching.NullMatcher()
        opt = [m for m in (q.matcher(searcher, context) for q in self.optional) if m.is_active()]
        if not req and not opt:
            return matching.NullMatcher()
        # Kept per segment for this query: a title-bonus tier asks for the same matches again.
        cache = self.__dict__.setdefault("_preloaded", {})
        reader = searcher.reader()
        if id(reader) not in cache:
            cache[id(reader)] = (reader, _preload._preload(req, opt, self.boost, reader))
        arrays = cache[id(reader)][1]
        if arrays is not None:
            return ArrayMatcher(*arrays) if arrays[0] else matching.NullMatcher()
        return ExactBoolMatcher(req, opt, self.boost)
