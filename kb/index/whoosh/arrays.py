"""Plain multi-word queries scored in numpy arrays, with the same BM25 arithmetic and the exact count.

Replaces Whoosh's matcher tree and top-N collector for plain queries of several words on a large index,
because with many words almost every passage is a candidate: MaxScore skips little and Python's cost per
passage was the whole query time. Every posting list is scored at once in numpy (the arithmetic of
``scoring``, the same to the last bit), phrases confirmed as ``compiler._run_check`` does, and the count
comes with the page.
"""

from __future__ import annotations

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.index.analysis import _terms
from kb.index.nodes import BoolQ, NearQ, PhraseQ, TermQ
from kb.index.order import tie_floor
from kb.index.protocol import Count
from kb.index.whoosh import counting as _counting
from kb.index.whoosh import postings as _postings
from kb.index.whoosh.bonus import _clause_scores, _split_bonus
from kb.index.whoosh.columns import _cached
from kb.index.whoosh.compiler import _contains_run, checks_run
from kb.index.whoosh.postings import (
    _cache_key,
    _cache_put,
    _decode_postings,
    _leaf_of,
    _posting_blocks,
    _sidecar_postings,
)
from kb.index.whoosh.preload import _length_array
from kb.index.whoosh.scoring import on_grid

#: Plain queries of at least this many alternatives (a sentence pasted as a query) are scored a whole posting
#: list at a time in numpy instead of passage by passage: with many words almost every passage is a candidate,
#: so MaxScore skips little, and Python's per-passage cost was the whole query time.
ARRAY_FROM_CLAUSES = 2


#: ... on indexes of at least this many passages: below, the matchers are fast enough and a fresh `kb search`
#: would spend more on importing numpy than on the query.
ARRAY_FROM_PASSAGES = 2_000


def _plain_alternatives(node) -> tuple[list, tuple] | None:
    """(clauses, title-bonus clauses) of "any of these words or phrases, optionally these title clauses".

    Nested alternatives (a word and its acronym form, a concept's names) are spread out: a passage scores the
    sum of the clauses it matches either way.
    """
    core, bonus = _split_bonus(node)

    def spread(n):
        if isinstance(n, (TermQ, NearQ, PhraseQ)):
            return [n]
        if isinstance(n, BoolQ) and n.should and not (n.must or n.must_not or n.filters):
            out = []
            for child in n.should:
                sub = spread(child)
                if sub is None:
                    return None
                out += sub
            return out
        return None

    clauses = spread(core) if isinstance(core, (BoolQ, TermQ, PhraseQ)) else None
    if not clauses:
        return None
    return clauses, bonus


def _term_arrays(m, reader, scored: bool = True):
    """(docnums, BM25 scores) of a Whoosh term matcher's postings, scored in numpy exactly as Whoosh's scorer
    scores them one at a time; deleted passages left out. ``scored`` False: scores are zeros (a filter-like
    clause of weight 0). None when ``m`` is not a plain posting list."""
    import numpy as np

    found = _leaf_of(m)
    if found is None:
        return None
    m, boost_of, deleted = found
    scorer = getattr(m, "scorer", None)
    lengths = None
    if scored:
        if scorer is None or not all(hasattr(scorer, a) for a in ("idf", "avgfl", "B", "K1")):
            return None
        term = m.term()
        if not (isinstance(term, tuple) and len(term) == 2):
            return None
        lengths = _length_array(reader, term[0])
        if lengths is None:
            return None
    key = _cache_key(reader, m)
    cached = _postings._POSTINGS_CACHE.get(key) if key is not None else None
    fast = None
    if cached is not None and (cached[1] is not None or not scored):
        fast = cached[0], cached[1]
        assert key is not None  # a cache hit had a key
        _postings._POSTINGS_CACHE.move_to_end(key)
    elif m._data is None and m._i == 0:
        fast = _sidecar_postings(reader, m)
        if fast is None:
            fast = _decode_postings(m, weights=True)
            if fast is not None and key is not None:
                _cache_put(key, fast)
    if fast is not None:
        docs, tf = fast
        docs = docs.astype(np.int64, copy=False)
        tf = tf.astype(np.float64, copy=False) if tf is not None else None
    else:
        ids: list = []
        weights: list = []
        for block_ids, block_weights in _posting_blocks(m, weights=scored):
            ids.extend(block_ids)
            weights.extend(block_weights)
        docs = np.array(ids, dtype=np.int64)
        tf = np.array(weights, dtype=np.float64) if scored else None
    if deleted:
        keep = ~np.isin(docs, np.fromiter(deleted, dtype=np.int64))
        docs = docs[keep]
        if tf is not None:
            tf = tf[keep]
    if not scored:
        return docs, np.zeros(len(docs))
    assert lengths is not None and scorer is not None  # scored: both checked above
    idf, K1 = scorer.idf, scorer.K1
    norm = _length_norms(reader, term[0], lengths, K1, scorer.B, scorer.avgfl)
    scores = on_grid(idf * ((tf * (K1 + 1)) / (tf + norm[docs])))  # whoosh.scoring.bm25, as the scorer rounds it
    if boost_of != 1.0:
        scores = scores * boost_of
    return docs, scores


def _length_norms(reader, field: str, lengths, K1: float, B: float, avgfl: float):
    """``K1 * ((1 - B) + B * fl / avgfl)`` (the length part of BM25's denominator) for every passage of a
    segment, worked out once per segment instead of once per term: the same operations on the same values, so
    every score is the same to the last bit."""
    return _cached(reader, ("bm25-norms", field, K1, B, avgfl), lambda: K1 * ((1 - B) + B * lengths / avgfl))


class _Component:
    """One clause of a plain query in one segment: its matches and scores; ``run`` when each match must still
    be confirmed word for word on the stored text (a phrase), as ``_run_check`` does."""

    __slots__ = ("docs", "scores", "run", "top")

    def __init__(self, docs, scores, run, top) -> None:
        self.docs, self.scores, self.run, self.top = docs, scores, run, top


def _components(sub, reader, context, clause, frequent) -> list | None:
    """The clause as a _Component list (empty when it matches nothing here); None: not a plain clause."""
    import numpy as np
    from whoosh import query as wq

    def leaf(field: str, term: str, boost: float = 1.0):
        m = wq.Term(field, term, boost=boost).matcher(sub, context)
        if not m.is_active():
            return None
        return _term_arrays(m, reader, scored=boost != 0), m.max_quality()

    if isinstance(clause, NearQ):
        if not (frequent and clause.first in frequent and clause.second in frequent):
            return []
        clause = TermQ("bigrams", clause.first + " " + clause.second, clause.boost)
    if isinstance(clause, PhraseQ) and len(clause.terms) == 1:
        clause = TermQ(clause.field, clause.terms[0], clause.boost)
    if isinstance(clause, TermQ):
        got = leaf(clause.field, clause.term, clause.boost)
        if got is None:
            return []
        if got[0] is None:
            return None
        (docs, scores), top = got
        return [_Component(docs, scores, None, top)]
    terms = clause.terms
    run = None
    if clause.field == "text" and frequent and all(t in frequent for t in terms):
        pairs = [a + " " + b for a, b in zip(terms, terms[1:], strict=False)]
        if len(pairs) == 1:
            return _components(sub, reader, context, TermQ("bigrams", pairs[0], clause.boost), frequent)
        parts = [("bigrams", g) for g in pairs]
        if checks_run(sub.get_parent().reader(), terms):
            run = terms
    else:
        parts = [(clause.field, t) for t in terms]
        run = terms if clause.field == "text" else None
    n = reader.doc_count_all()
    acc = np.zeros(n)
    hits = np.zeros(n, dtype=np.int32)
    top = 0.0
    for field, term in parts:  # the words of a phrase are all required: summed in order, as _bool sums them
        got = leaf(field, term)
        if got is None:
            return []
        if got[0] is None:
            return None
        (docs, scores), mx = got
        acc[docs] += scores
        hits[docs] += 1
        top += mx
    docs = np.flatnonzero(hits == len(parts))
    scores = acc[docs] * clause.boost if clause.boost != 1.0 else acc[docs]
    return [_Component(docs, scores, run, top * clause.boost)]


def _array_page(searcher, clauses: list, bonus: tuple, frequent, k: int):
    """The top ``k`` of "any of ``clauses``" (+ the title bonus) as [(score, global docnum)], with every match
    that may tie with the k-th (kb.index.whoosh.ordering puts them in the total order), and the Count of every
    match; None if a clause is not plain.

    Every posting list is decoded once and scored in numpy with Whoosh's own BM25 arithmetic, so the page is
    the top of every match scored, as the passage-at-a-time matchers give it. A phrase's candidates are
    confirmed on the stored text lazily: those that reach the page, and (for the count) those that match
    nothing else, within COUNT_CHECKS_UP_TO. Three stages: score each segment, gather the candidates with an
    upper bound and count, then confirm phrases until the page is settled.
    """
    segs = _scored_segments(searcher, clauses, bonus, frequent)
    if segs is None:
        return None
    checks = _Checks(_counting.COUNT_CHECKS_UP_TO)
    found = _candidates(segs, checks)
    if found is None:
        return [], Count(0, 0, True)
    cands, count = found
    return _settled_page(segs, cands, checks, k), count


class _Segment:
    """One segment's scores: ``score`` sums the plain clauses (``matched`` where any matched), ``pending`` the
    phrases whose matches are still to be confirmed on the stored text, ``extra`` the title bonus."""

    __slots__ = ("base", "checked", "extra", "matched", "n", "pending", "reader", "score")

    def __init__(self, reader, base: int, n: int, score, matched, pending: list, extra) -> None:
        self.reader, self.base, self.n = reader, base, n
        self.score, self.matched, self.pending, self.extra = score, matched, pending, extra
        self.checked: dict[tuple[int, int], bool] = {}


class _Checks:
    """Phrase confirmations on the stored text, shared by every segment of one query: each (clause, passage) is
    read once, and at most ``budget`` are read for the count (a page reads what it must, see ``_settled_page``)."""

    __slots__ = ("budget",)

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def confirmed(self, seg: _Segment, comp: _Component, d: int) -> bool | None:
        """Whether passage ``d`` of ``seg`` holds ``comp``'s words in a run; None once the budget is spent."""
        key = (id(comp), d)
        if key not in seg.checked:
            if self.budget <= 0:
                return None
            self.budget -= 1
            seg.checked[key] = _contains_run(_terms(seg.reader.stored_fields(d).get("text") or ""), comp.run)
        return seg.checked[key]


def _scored_segments(searcher, clauses: list, bonus: tuple, frequent) -> list[_Segment] | None:
    """Every segment with a match, its plain clauses summed into one array (in descending order of their maxima,
    as the matcher adds them, so the sums are the same to the bit); None if a clause is not plain."""
    import numpy as np

    context = searcher.context()
    segs = []
    for sub, base in searcher.leaf_searchers():
        reader = sub.reader()
        comps = []
        for c in clauses:
            got = _components(sub, reader, context, c, frequent)
            if got is None:
                return None
            comps += got
        if not comps:
            continue
        n = reader.doc_count_all()
        comps.sort(key=lambda comp: -comp.top)
        score = np.zeros(n)
        matched = np.zeros(n, dtype=bool)
        pending = []
        for comp in comps:
            if comp.run is not None:
                pending.append(comp)
                continue
            score[comp.docs] += comp.scores
            matched[comp.docs] = True
        extra = _bonus_array(sub, reader, context, bonus, frequent, n) if bonus else None
        segs.append(_Segment(reader, base, n, score, matched, pending, extra))
    return segs


class _Candidates:
    """Every passage that may be on the page, over all segments: its docnum in its segment and in the index,
    its segment, its score so far (an upper bound while ``is_open``: a phrase of it is not yet confirmed)."""

    __slots__ = ("docs", "glob", "is_open", "seg_of", "ub")

    def __init__(self, docs, glob, seg_of, ub, is_open) -> None:
        self.docs, self.glob, self.seg_of, self.ub, self.is_open = docs, glob, seg_of, ub, is_open


def _candidates(segs: list[_Segment], checks: _Checks) -> tuple[_Candidates, Count] | None:
    """Passages matched by a plain clause or by a phrase still to confirm, with an upper bound of their score,
    and the Count: plain matches, plus phrase-only candidates confirmed one by one (within the budget, else the
    count is not exact). None when no segment has a candidate."""
    import numpy as np

    cand_docs, cand_ub, cand_seg, cand_open = [], [], [], []
    total, exact = 0, True
    for k_seg, seg in enumerate(segs):
        maybe = seg.matched.copy()
        ub = seg.score.copy()
        open_ = np.zeros(seg.n, dtype=bool)
        for comp in seg.pending:
            maybe[comp.docs] = True
            ub[comp.docs] += comp.scores
            open_[comp.docs] = True
        total += int(seg.matched.sum())
        only = np.flatnonzero(maybe & ~seg.matched)
        for d in only.tolist():
            results = [checks.confirmed(seg, comp, d) for comp in seg.pending if _has(comp, d)]
            if any(r is True for r in results):
                total += 1
            elif any(r is None for r in results):
                exact = False
        docs = np.flatnonzero(maybe)
        if seg.extra is not None:
            ub = ub + seg.extra
        cand_docs.append(docs)
        cand_ub.append(ub[docs])
        cand_seg.append(np.full(len(docs), k_seg, dtype=np.int64))
        cand_open.append(open_[docs])
    if not cand_docs:
        return None
    docs = np.concatenate(cand_docs)
    seg_of = np.concatenate(cand_seg)
    glob = docs + np.array([seg.base for seg in segs], dtype=np.int64)[seg_of]
    ub = np.concatenate(cand_ub).astype(np.float64)
    return _Candidates(docs, glob, seg_of, ub, np.concatenate(cand_open)), Count(total, 0, exact)


def _settled_page(segs: list[_Segment], cands: _Candidates, checks: _Checks, k: int) -> list[tuple[float, int]]:
    """The top ``k`` (with its ties) once no passage on it has an unconfirmed phrase: each open one on the page
    gets its true score (or drops out, matching nothing), and the top is taken again until none is open."""
    import numpy as np

    docs, glob, seg_of, ub, is_open = cands.docs, cands.glob, cands.seg_of, cands.ub, cands.is_open
    while True:
        order = _top(ub, glob, k)
        unresolved = [i for i in order.tolist() if is_open[i]]
        if not unresolved:
            break
        for i in unresolved:
            seg, d = segs[int(seg_of[i])], int(docs[i])
            value, hit = float(seg.score[d]), bool(seg.matched[d])
            for comp in seg.pending:
                j = _index_of(comp, d)
                if j is not None:
                    ok = checks.confirmed(seg, comp, d)
                    if ok is None:  # out of checks: read it anyway, a page must never show a non-match
                        ok = _contains_run(_terms(seg.reader.stored_fields(d).get("text") or ""), comp.run)
                    if ok:
                        value += float(comp.scores[j])
                        hit = True
            if seg.extra is not None:
                value += float(seg.extra[d])
            ub[i] = value if hit else -np.inf
            is_open[i] = False
    return [(float(ub[i]), int(glob[i])) for i in order.tolist() if ub[i] != -np.inf]


def _bonus_array(sub, reader, context, nodes: tuple, frequent, n: int):
    """``_bonus_scores`` as an array over the segment's docnums (None when no passage has a bonus): title
    terms scored a posting list at a time, with the same arithmetic and in the same order."""
    import numpy as np
    from whoosh import query as wq

    total = np.zeros(n)
    any_bonus = False
    for node in nodes:
        words = (node.term,) if isinstance(node, TermQ) else node.terms if isinstance(node, PhraseQ) else None
        arrays: list[tuple] | None = None  # each word's (docnums, scores); None: not all to be had as arrays
        if words is not None and node.field != "text":
            found: list[tuple] = []
            for word in words:
                m = wq.Term(node.field, word).matcher(sub, context)
                got = _term_arrays(m, reader) if m.is_active() else (np.zeros(0, dtype=np.int64), np.zeros(0))
                if got is None:
                    break
                found.append(got)
            else:
                arrays = found
        if arrays is None or words is None or node.field == "text":
            scores = _clause_scores(sub, node, frequent, context)
            if scores:
                any_bonus = True
                keys = np.fromiter(scores.keys(), dtype=np.int64)
                total[keys] += np.fromiter(scores.values(), dtype=float)
            continue
        if len(arrays) == 1:
            docs, values = arrays[0]
        else:  # a title "phrase" is all of its words: the sum of their scores where every word is
            acc, hits = np.zeros(n), np.zeros(n, dtype=np.int32)
            for docs, values in arrays:
                acc[docs] += values
                hits[docs] += 1
            docs = np.flatnonzero(hits == len(arrays))
            values = acc[docs]
        if node.boost != 1.0:
            values = values * node.boost
        if len(docs):
            any_bonus = True
            total[docs] += values
    return total if any_bonus else None


def _has(comp: _Component, d: int) -> bool:
    return _index_of(comp, d) is not None


def _index_of(comp: _Component, d: int) -> int | None:
    import numpy as np

    j = int(np.searchsorted(comp.docs, d))
    return j if j < len(comp.docs) and comp.docs[j] == d else None


def _top(values, docnums, k: int):
    """Indices of the ``k`` highest values and of every value that may tie with the lowest of them at the shown
    precision (:func:`kb.index.order.tie_floor`), best first."""
    import numpy as np

    idx = np.arange(len(values))
    if len(values) > k:
        cut = float(np.partition(values, len(values) - k)[len(values) - k])
        floor = tie_floor(cut) if np.isfinite(cut) else cut
        idx = np.flatnonzero(values > floor) if np.isfinite(floor) else np.flatnonzero(values >= cut)
    return idx[np.lexsort((docnums[idx], -values[idx]))]
