"""The title bonus and the side-by-side bonus, run tier by tier so block skipping still works.

Replaces Whoosh's ``AndMaybe(child, Or(title clauses))``, because a title matches few documents but adds a lot
to their passages' scores: as an optional clause scored on every candidate it made every block look worth
reading, and block skipping stopped. The bonus of each passage is worked out first and the child run tier by
tier (``PhasedMatcher``), each tier's bonus bounded, so the child's block maxima decide again what to skip.
"""

from __future__ import annotations

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh import matching
from whoosh import query as wq

from kb.index.nodes import BoolQ, PhraseQ, TermQ
from kb.index.whoosh import compiler as _compiler
from kb.index.whoosh.columns import _field_lengths
from kb.index.whoosh.compiler import RunsMatcher, _to_whoosh
from kb.index.whoosh.postings import _posting_blocks

#: Bonus tiers: documents whose bonus is within this factor of a tier's highest share that tier (at most
#: BONUS_TIERS tiers; the rest share the last one).
BONUS_TIER_RATIO = 0.7


BONUS_TIERS = 6


def _with_bonus(child, bonus_nodes: tuple, frequent: frozenset | None = None):
    """``child``'s matches, each scored plus what the optional ``bonus_nodes`` (title clauses) score on it.

    Exactly Whoosh's ``AndMaybe(child, Or(bonus))``, evaluated so that block-max skipping keeps working. A title
    matches few documents but adds a lot to their passages' scores; as an optional clause scored on every
    candidate it made every block look worth reading. Here the bonus of each passage is worked out first (titles
    are short postings lists), and the child is run tier by tier: passages with the highest bonus first, then
    lower tiers, then passages with no bonus at all. Within a tier the bonus is bounded, so the child's own
    block maxima decide what to skip, against a threshold the earlier tiers have already raised.
    """
    return Bonus(child, bonus_nodes, frequent)


class Bonus(wq.WrappingQuery):
    """``_with_bonus``'s query: the child's matcher run phase by phase (``PhasedMatcher``)."""

    def __init__(self, child, bonus_nodes: tuple, frequent: frozenset | None) -> None:
        super().__init__(child)
        self.bonus_nodes, self.frequent = bonus_nodes, frequent

    def __eq__(self, other):
        return (type(other) is Bonus and self.child == other.child and self.bonus_nodes == other.bonus_nodes
                and self.frequent == other.frequent)

    def __hash__(self):
        return hash((Bonus, self.child, self.bonus_nodes))

    def _rewrap(self, newchild):
        return Bonus(newchild, self.bonus_nodes, self.frequent)

    def matcher(self, searcher, context=None):
        scores = _bonus_scores(searcher, self.bonus_nodes, self.frequent, context)
        if not scores:
            return self.child.matcher(searcher, context)
        phases = _bonus_phases(scores, searcher.reader().doc_count_all())
        return PhasedMatcher(lambda: self.child.matcher(searcher, context), phases, scores)


def _bonus_scores(searcher, nodes: tuple, frequent, context) -> dict[int, float]:
    """Segment docnum -> summed score of the bonus clauses that match it."""
    total: dict[int, float] = {}
    for node in nodes:
        for d, v in _clause_scores(searcher, node, frequent, context).items():
            total[d] = total.get(d, 0.0) + v
    return total


def _clause_scores(searcher, node, frequent, context) -> dict[int, float]:
    if isinstance(node, TermQ):
        fast = _term_scores(searcher, node.field, node.term, context)
        if fast is not None:
            return fast if node.boost == 1.0 else {d: v * node.boost for d, v in fast.items()}
    elif isinstance(node, PhraseQ) and node.field != "text":
        # Without positions a title phrase is all of its words (see _to_whoosh): the sum of their scores.
        parts = [_clause_scores(searcher, TermQ(node.field, t), frequent, context) for t in node.terms]
        common = set(parts[0]).intersection(*parts[1:])
        return {d: sum(p[d] for p in parts) * node.boost for d in common}
    m = _to_whoosh(node, frequent).matcher(searcher, context)
    out = {}
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out


def _term_scores(searcher, field: str, term: str, context) -> dict[int, float] | None:
    """Every posting's score of one term, read a block at a time (None: not the expected posting reader)."""
    from whoosh import query as wq

    m = wq.Term(field, term).matcher(searcher, context)
    if not m.is_active():
        return {}
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend", "scorer")) or \
            getattr(m, "_byteids", False) or not hasattr(m.scorer, "_score"):
        return None
    scorer = m.scorer
    lengths = _field_lengths(searcher.reader(), field)
    dfl = lengths.__getitem__ if lengths is not None else scorer.dfl
    seen: dict[tuple, float] = {}  # passages of one document share their title: few distinct (weight, length)
    out = {}
    for ids, weights in _posting_blocks(m):
        for d, w in zip(ids, weights, strict=False):
            key = (w, dfl(d))
            v = seen.get(key)
            if v is None:
                v = seen[key] = scorer._score(*key)
            out[d] = v
    return out


def _bonus_phases(scores: dict[int, float], doc_count: int) -> list[tuple[float, tuple[list[int], list[int]]]]:
    """(highest bonus, docnum runs) per tier, best first, then (0, every docnum without a bonus)."""
    levels = sorted(set(scores.values()), reverse=True)
    tiers: list[list[float]] = []
    for v in levels:
        if tiers and (v >= tiers[-1][0] * BONUS_TIER_RATIO or len(tiers) == BONUS_TIERS):
            tiers[-1].append(v)
        else:
            tiers.append([v])
    tier_of = {v: k for k, tier in enumerate(tiers) for v in tier}
    members: list[list[int]] = [[] for _ in tiers]
    for d in sorted(scores):
        members[tier_of[scores[d]]].append(d)
    phases = [(tier[0], _runs_of(ds)) for tier, ds in zip(tiers, members, strict=False)]
    starts, ends = _runs_of(sorted(scores))
    rest = ([0] + ends, starts + [doc_count])  # the gaps between bonus runs
    keep = [k for k in range(len(rest[0])) if rest[0][k] < rest[1][k]]
    phases.append((0.0, ([rest[0][k] for k in keep], [rest[1][k] for k in keep])))
    return phases


def _runs_of(docnums: list[int]) -> tuple[list[int], list[int]]:
    """Sorted docnums as runs of consecutive numbers: ([start, ...], [end, ...]), ends exclusive."""
    starts: list[int] = []
    ends: list[int] = []
    for d in docnums:
        if ends and ends[-1] == d:
            ends[-1] = d + 1
        else:
            starts.append(d)
            ends.append(d + 1)
    return starts, ends


class PhasedMatcher(matching.Matcher):
    """Runs a fresh child matcher per phase (a set of docnum runs with a bonus bound), best phase first.

    Document numbers go up within a phase, not across phases: this matcher is only used at the top of a
    query, under Whoosh's collectors, which do not need them in order.
    """

    def __init__(self, make_child, phases, scores):
        self.make_child = make_child
        self.phases = phases
        self.scores = scores
        self.minquality = 0.0
        self.k = -1
        self.child = None
        self.child_max = None  # the unrestricted child's max quality, a bound for every phase
        self._advance()

    def _bound(self, k: int) -> float:
        return self.child_max + self.phases[k][0]

    def _advance(self) -> None:
        """Move to the next phase that can still reach the threshold and has a match."""
        while self.k + 1 < len(self.phases):
            self.k += 1
            if self.child_max is not None and self.minquality and self._bound(self.k) <= self.minquality:
                continue
            # A phrase check in the new phase need not read candidates that cannot beat the page.
            floor = _compiler._PHASE_FLOOR.set((self.minquality - self.phases[self.k][0]) if self.minquality else None)
            try:
                child = self.make_child()
            finally:
                _compiler._PHASE_FLOOR.reset(floor)
            if self.child_max is None:
                self.child_max = child.max_quality() if child.is_active() else 0.0
                if self.minquality and self._bound(self.k) <= self.minquality:
                    continue
            self.child = RunsMatcher(child, self.phases[self.k][1])
            if self.child.is_active():
                return
        self.child = None

    def is_active(self):
        return self.child is not None and self.child.is_active()

    # Whoosh calls id, score, weight, next, skip_to and block_quality only while the matcher is active.
    def id(self):
        assert self.child is not None
        return self.child.id()

    def score(self):
        assert self.child is not None
        return self.child.score() + self.scores.get(self.child.id(), 0.0)

    def weight(self):
        assert self.child is not None
        return self.child.weight()

    def next(self):
        assert self.child is not None
        entered = self.child.next()
        if not self.child.is_active():
            self._advance()
            return True
        return entered

    def skip_to(self, id):
        # Within the current phase only (callers here never skip back).
        assert self.child is not None
        self.child.skip_to(id)
        if not self.child.is_active():
            self._advance()

    def supports_block_quality(self):
        return self.child is not None and self.child.supports_block_quality()

    def max_quality(self):
        if self.child is None:
            return 0.0
        return max([self.child.max_quality() + self.phases[self.k][0]] +
                   [self._bound(k) for k in range(self.k + 1, len(self.phases))])

    def block_quality(self):
        assert self.child is not None
        return self.child.block_quality() + self.phases[self.k][0]

    def skip_to_quality(self, minquality):
        if minquality <= 0:
            return 0
        self.minquality = max(self.minquality, minquality)
        skipped = 0
        while self.child is not None:
            bonus = self.phases[self.k][0]
            if self.child.max_quality() + bonus > minquality:
                skipped += self.child.skip_to_quality(minquality - bonus)
                if self.child.is_active():
                    return skipped
            self._advance()
        return skipped

    def replace(self, minquality=0):
        if minquality and self.child is not None:
            self.minquality = max(self.minquality, minquality)
            self.child = self.child.replace(minquality - self.phases[self.k][0])
            if not self.child.is_active() or self.child.max_quality() + self.phases[self.k][0] <= minquality:
                self._advance()
        return self

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def copy(self):
        raise NotImplementedError("a phased matcher is used once, at the top of a query")

    def children(self):
        return [self.child] if self.child is not None else []


def _split_bonus(node) -> tuple[object, tuple]:
    """(core, bonus clauses) of a query of the form "core, optionally also these title clauses"."""
    if (isinstance(node, BoolQ) and len(node.must) == 1 and node.should and not node.must_not
            and not node.filters and all(getattr(n, "field", None) == "title" for n in node.should)):
        return node.must[0], node.should
    return node, ()
