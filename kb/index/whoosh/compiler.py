"""Engine-neutral query nodes compiled to Whoosh queries: filters as runs of passage numbers, phrases of
three or more words confirmed on the stored text.

Replaces Whoosh's query parser and its positional phrase and numeric-range queries, because kb indexes no
positions (frequent word pairs are terms instead, ``schema``) and keeps dates as columns: a phrase becomes its
pairs plus a check on the stored text (``RunCheck``), a date range a filter over runs of passage numbers
(``ColumnFilter``), a filter a zero-scoring wrapper (``ConstantScore``), a boolean kb's exact ``ExactBool``.
Each query class carries its values as attributes and compares them in ``__eq__``, so two checks of different
phrases are never one query to Whoosh.
"""

from __future__ import annotations

import contextvars
from bisect import bisect_right
from collections.abc import Iterator, Sequence

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh import matching
from whoosh import query as wq

from kb.index.analysis import _terms
from kb.index.nodes import AllQ, BoolQ, NearQ, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.whoosh.columns import _date_runs
from kb.index.whoosh.matchers import ExactBool


def _zero_score(q):
    """Wrap a query so it filters without scoring and without materialising its matches."""
    return _constant_score(q, 0.0)


def _constant_score(q, value: float):
    """Wrap a query so every match scores ``value`` (0: a filter), without materialising its matches."""
    return ConstantScore(q, value)


class ConstantMatcher(matching.WrappingMatcher):
    """Its child's matches, each scoring ``value``."""

    def __init__(self, child, value: float) -> None:
        super().__init__(child)
        self.value = value

    def _replacement(self, newchild):
        return ConstantMatcher(newchild, self.value)

    def supports_block_quality(self):
        return False

    def max_quality(self):
        return self.value

    def score(self):
        return self.value

    def weight(self):
        return self.value

    def skip_to_quality(self, minquality):
        return 0  # every match scores the same: no block is better or worse than another

    def replace(self, minquality=0):
        if minquality and self.value <= minquality:
            return matching.NullMatcher()  # nothing here can reach the page
        return self


class ConstantScore(wq.WrappingQuery):
    """``_constant_score``'s query."""

    def __init__(self, child, value: float) -> None:
        super().__init__(child)
        self.value = value

    def __eq__(self, other):
        return type(other) is ConstantScore and self.child == other.child and self.value == other.value

    def __hash__(self):
        return hash((ConstantScore, self.child, self.value))

    def _rewrap(self, child):
        return ConstantScore(child, self.value)

    def matcher(self, searcher, context=None):
        return ConstantMatcher(self.child.matcher(searcher, context), self.value)


def _every():
    """Every passage, each scoring 1 (Whoosh's Every has no scorer: skipping by block quality crashed on it,
    e.g. `bilby OR year:..2019` once the page was full)."""
    return _constant_score(wq.Every(), 1.0)


#: A phrase of frequent words only is confirmed on the stored text when its rarest word pair is in at most this
#: many live passages of the index; above it, a passage holding every pair matches (see docs/search.md).
RUN_CHECK_UP_TO = 2000


def checks_run(reader, run: tuple) -> bool:
    """Whether a phrase of frequent words only (``run``) is confirmed word for word on the stored text: when its
    rarest word pair is in at most RUN_CHECK_UP_TO live passages of the whole index (``reader`` is the index's
    reader). Index-wide, not per segment, so the answer never depends on where segments begin and end."""
    from kb.index.whoosh.scoring import live_stats

    stats = live_stats(reader)
    pairs = [a + " " + b for a, b in zip(run, run[1:], strict=False)]
    return min(stats.doc_frequency("bigrams", g) for g in pairs) <= RUN_CHECK_UP_TO


def _to_whoosh(node, frequent: frozenset | None = None):
    if isinstance(node, TermQ):
        return wq.Term(node.field, node.term, boost=node.boost)
    if isinstance(node, PhraseQ):
        if len(node.terms) == 1:
            return wq.Term(node.field, node.terms[0], boost=node.boost)
        if node.field == "text" and frequent and all(t in frequent for t in node.terms):
            grams = [wq.Term("bigrams", a + " " + b) for a, b in zip(node.terms, node.terms[1:], strict=False)]
            if len(node.terms) == 2:
                grams[0].boost = node.boost
                return grams[0]
            return _run_check(_bool(grams, boost=node.boost), node.terms, RUN_CHECK_UP_TO)
        query = _bool([wq.Term(node.field, t) for t in node.terms], boost=node.boost)
        # Without positions a title "phrase" means all of its words; text is confirmed word for word (a rarer
        # word bounds the candidates).
        return _run_check(query, node.terms) if node.field == "text" else query
    if isinstance(node, NearQ):
        if frequent and node.first in frequent and node.second in frequent:
            return wq.Term("bigrams", node.first + " " + node.second, boost=node.boost)
        # Pairs with a rarer word seldom stand side by side by chance: they go without the bonus.
        return wq.NullQuery
    if isinstance(node, PrefixQ):
        # Every match scores 1, as Lucene scores a prefix. (Whoosh's Prefix scored BM25 in a segment whose
        # lexicon held one word with the prefix and 1 in one with several: scores followed segment layout.)
        return _constant_score(wq.Prefix(node.field, node.prefix), 1.0)
    if isinstance(node, RangeQ):
        return _column_filter(_every(), [node])
    if isinstance(node, AllQ):
        return _every()
    if isinstance(node, BoolQ):
        ranges = [n for n in _flat_filters(node.filters) if isinstance(n, RangeQ)]
        others = [n for n in _flat_filters(node.filters) if not isinstance(n, RangeQ)]
        if ranges:
            rest = BoolQ(must=node.must, should=node.should, must_not=node.must_not, filters=tuple(others))
            inner = _to_whoosh(rest, frequent) if (rest.must or rest.should or rest.filters) else None
            if inner is None:
                inner = _every() if not rest.must_not else wq.AndNot(
                    _every(), _bool([], [_to_whoosh(n, frequent) for n in rest.must_not]))
            return _column_filter(inner, ranges)
        must = [_to_whoosh(n, frequent) for n in node.must]
        filters = [_zero_score(_to_whoosh(n, frequent)) for n in node.filters]
        should = [_to_whoosh(n, frequent) for n in node.should]
        nots = [_to_whoosh(n, frequent) for n in node.must_not]
        if should and not must:
            # Filters narrow the alternatives; unlike Lucene they do not make them optional.
            must, should = [_bool([], should)], []
        must += filters
        positive = _bool(must, should) if must else _every()
        if nots:
            return wq.AndNot(positive, _bool([], nots))
        return positive
    raise TypeError(f"not a query node: {node!r}")


def _flat_filters(filters: tuple) -> list:
    """Filters, with pure-filter BoolQs (e.g. a date range's two column checks) spread out."""
    out = []
    for f in filters:
        if isinstance(f, BoolQ) and f.filters and not (f.must or f.should or f.must_not):
            out += _flat_filters(f.filters)
        else:
            out.append(f)
    return out


class FilterMatcher(matching.WrappingMatcher):
    """Base of matchers that pass on only some of their child's matches: ``_find`` settles on the next one."""

    def _find(self) -> None:
        raise NotImplementedError

    def next(self):
        r = self.child.next()
        self._find()
        return r

    def skip_to(self, id: int):
        r = self.child.skip_to(id)
        self._find()
        return r

    def skip_to_quality(self, minquality: float):
        r = self.child.skip_to_quality(minquality)
        self._find()
        return r

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()


def _contains_run(terms: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n, first = len(run), run[0]
    return any(t == first and terms[i:i + n] == run for i, t in enumerate(terms))


#: The score a phrase check's candidates must beat to be worth reading, while a title-bonus tier's matcher is
#: built (None: no page threshold yet).
_PHASE_FLOOR: contextvars.ContextVar = contextvars.ContextVar("kb_phase_floor", default=None)


def _run_check(child, run: tuple[str, ...], up_to: int | None = None):
    """Keep the matches of ``child`` whose stored text holds the terms of ``run`` side by side, in order."""
    return RunCheck(child, run, up_to)


class RunCheckMatcher(FilterMatcher):
    """Reads a candidate's stored text only when its score could still put it on the page asked for.

    Whoosh's top-N collector tells matchers the score a passage must beat (``skip_to_quality``, adjusted
    for the rest of the query, as for its own block skipping); a candidate at or below it can never be
    shown, so it is passed on unchecked and only the handful that compete for the page are read.
    """

    def __init__(self, child, reader, run: tuple[str, ...], minquality=None, top=False):
        super().__init__(child)
        self.reader = reader
        self.run = run
        self.minquality = minquality
        self.top = top
        self._find()

    def _find(self) -> None:
        child = self.child
        while child.is_active():
            if self.top and self.minquality and child.score() <= self.minquality:
                return
            text = self.reader.stored_fields(child.id()).get("text") or ""
            if _contains_run(_terms(text), self.run):
                return
            child.next()

    def _replacement(self, newchild):
        return RunCheckMatcher(newchild, self.reader, self.run, self.minquality, self.top)

    def copy(self):
        return RunCheckMatcher(self.child.copy(), self.reader, self.run, self.minquality, self.top)

    def skip_to_quality(self, minquality):
        self.minquality = minquality
        return super().skip_to_quality(minquality)


class RunCheck(wq.WrappingQuery):
    """``_run_check``'s query; ``up_to``: check only when the rarest word pair is in at most that many passages
    (``checks_run``)."""

    #: Only a check at the top of a query (its score is the passage's, but for a title-bonus tier's bounded
    #: bonus) may pass a candidate on unchecked when it cannot reach the page; inside a boolean the other
    #: clauses add to it, and an unconfirmed phrase would add its score to a passage without the phrase.
    top = False

    def __init__(self, child, run: tuple[str, ...], up_to: int | None) -> None:
        super().__init__(child)
        self.run, self.up_to = run, up_to

    def __eq__(self, other):
        return (type(other) is RunCheck and self.child == other.child and self.run == other.run
                and self.up_to == other.up_to and self.top == other.top)

    def __hash__(self):
        return hash((RunCheck, self.child, self.run, self.up_to))

    def _rewrap(self, child):
        out = RunCheck(child, self.run, self.up_to)
        out.top = self.top
        return out

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        inner = self.child.matcher(searcher, context)
        if self.up_to is not None:
            # Reading stored text costs ~0.2 ms a passage: only when the word pairs leave few candidates.
            parent = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
            if not checks_run(parent.reader(), self.run):
                return inner
        if not self.top:
            return RunCheckMatcher(inner, reader, self.run)
        return RunCheckMatcher(inner, reader, self.run, _PHASE_FLOOR.get(), top=True)


#: A docnum past the end of any segment (skip_to it to exhaust a matcher).
_BEYOND = 2**31


class RunsMatcher(FilterMatcher):
    """Passes on only its child's matches inside docnum runs ([start, end) lists), skipping the gaps."""

    def __init__(self, child, runs: tuple[list[int], list[int]]):
        super().__init__(child)
        self.runs = runs
        self._find()

    def _find(self) -> None:
        child, (starts, ends) = self.child, self.runs
        while child.is_active():
            d = child.id()
            k = bisect_right(starts, d) - 1
            if k >= 0 and d < ends[k]:
                return
            # Passages of one document are neighbours (and share its date and title): jump to the next run.
            child.skip_to(starts[k + 1] if k + 1 < len(starts) else _BEYOND)

    def _replacement(self, newchild):
        return RunsMatcher(newchild, self.runs)

    def copy(self):
        return RunsMatcher(self.child.copy(), self.runs)


def _column_filter(child, ranges: list):
    """Keep only the matches of ``child`` whose column values fall in every range (no postings needed)."""
    # 0 means undated: an undated passage never passes a date filter, open-ended or not.
    checks = tuple((r.field, 1 if r.low is None else r.low, 99_999_999 if r.high is None else r.high)
                   for r in ranges)
    return ColumnFilter(child, checks)


class ColumnFilter(wq.WrappingQuery):
    """``_column_filter``'s query: (column, lowest, highest) checks."""

    def __init__(self, child, checks: tuple[tuple[str, int, int], ...]) -> None:
        super().__init__(child)
        self.checks = checks

    def __eq__(self, other):
        return type(other) is ColumnFilter and self.child == other.child and self.checks == other.checks

    def __hash__(self):
        return hash((ColumnFilter, self.child, self.checks))

    def _rewrap(self, child):
        return ColumnFilter(child, self.checks)

    def matcher(self, searcher, context=None):
        runs = _date_runs(searcher.reader(), self.checks)
        return RunsMatcher(self.child.matcher(searcher, context), runs)


def _bool(required: Sequence, optional: Sequence = (), boost: float = 1.0):
    """Passages matching every ``required`` query, scored with whichever ``optional`` ones they also match."""
    required, optional = list(required), list(optional)
    if boost == 1.0 and len(required) + len(optional) == 1:
        return (required or optional)[0]
    return ExactBool(required, optional, boost)
