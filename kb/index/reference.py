"""The reference engine: every passage scored one by one in plain Python, no pruning, no shortcut.

It answers the index contract (:mod:`kb.index.protocol`) from the data of a built Whoosh index: each live
passage's stored text and title analysed again with kb's own analysis, the index's statistics (document
frequencies, passage count and average field lengths of the live passages, counted here one by one; the one-byte
field lengths Whoosh keeps per passage). Each term's score is rounded to kb's score grid (``on_grid``).
Every matching passage is scored with kb's BM25 and every bonus (title, side by side, concept expansion), then
sorted by the total order of :mod:`kb.index.order`. It is slow by design (seconds on a few thousand
passages): it exists so the fast engine can be compared with it (``tests/test_exact_pages.py``,
``tests/test_index_contract.py``), never to answer users.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from kb.index.analysis import _terms, publisher_key
from kb.index.nodes import AllQ, BoolQ, NearQ, Node, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.order import date_key, group_documents, relevance_key
from kb.index.protocol import Count, Hit
from kb.index.whoosh import compiler as _compiler
from kb.index.whoosh.backend import WhooshBackend

K1, B = 1.2, 0.75  # kb's BM25 (kb.index.whoosh.scoring)


def _bm25(idf: float, tf: float, fl: float, avgfl: float) -> float:
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def _contains(terms: tuple, run: tuple) -> bool:
    n = len(run)
    return any(terms[i:i + n] == run for i in range(len(terms) - n + 1))


class _Passage:
    """One live passage of one segment, its fields analysed on demand."""

    def __init__(self, seg: _Segment, docnum: int, stored: dict) -> None:
        self.seg, self.docnum, self.stored = seg, docnum, stored
        self._terms: dict[str, tuple] = {}
        self._counts: dict[str, Counter] = {}

    def terms(self, field: str) -> tuple:
        if field not in self._terms:
            s = self.stored
            if field in ("text", "title"):
                found = _terms(s.get(field) or "")
            elif field == "bigrams":
                f = self.seg.engine.frequent or frozenset()
                t = self.terms("text")
                found = tuple(a + " " + b for a, b in zip(t, t[1:], strict=False) if a in f and b in f)
            elif field == "concepts":
                found = tuple(c.strip() for c in (s.get("concepts") or "").split(",") if c.strip())
            elif field == "publisher":
                found = (publisher_key(s["publisher_name"]),) if s.get("publisher_name") else ()
            else:
                found = (s[field],) if s.get(field) else ()
            self._terms[field] = found
        return self._terms[field]

    def tf(self, field: str, term: str) -> int:
        if field not in self._counts:
            self._counts[field] = Counter(self.terms(field))
        return self._counts[field][term]

    def column(self, field: str) -> int:
        return self.seg.columns[field][self.docnum]


class _Segment:
    def __init__(self, engine: ReferenceSearcher, reader) -> None:
        self.engine, self.reader = engine, reader
        n = reader.doc_count_all()
        self.columns = {}
        for field in ("date", "date_latest"):
            values = [0] * n
            if reader.has_column(field):
                col = reader.column_reader(field, translate=False)
                values = [int(col[d] or 0) for d in range(n)]
            self.columns[field] = values


class ReferenceSearcher:
    """The contract's searcher, answered by scoring every passage (see the module's docstring)."""

    def __init__(self, index_dir: Path) -> None:
        from kb.index.whoosh.folder import open_index
        from kb.index.whoosh.scoring import _lucene_bm25

        self.ix = open_index(index_dir)
        self._s = self.ix.searcher(weighting=_lucene_bm25())
        self._load()

    def _load(self) -> None:
        from kb.index.whoosh.schema import _frequent

        self.frequent = _frequent(self.ix, self._s.reader())
        self.passages: list[_Passage] = []
        for sub, _base in self._s.leaf_searchers():
            seg = _Segment(self, sub.reader())
            for d, stored in sub.reader().iter_docs():
                self.passages.append(_Passage(seg, d, dict(stored)))
        self._df: dict[tuple[str, str], int] = {}
        self._avgfl: dict[str, float] = {}

    def close(self) -> None:
        self._s.close()
        self.ix.close()

    def __enter__(self) -> ReferenceSearcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> None:
        """A new searcher over the index's latest generation, every passage read again (Whoosh's own refresh keeps
        readers of segments a sync rewrote or added deletions to)."""
        if self.ix.latest_generation() == self._s.reader().generation():
            return
        weighting = self._s.weighting
        self._s.close()
        self._s = self.ix.searcher(weighting=weighting)
        self._load()

    # -- statistics -------------------------------------------------------------------------------------
    @property
    def doc_count(self) -> int:
        return len(self.passages)

    def doc_frequency(self, field: str, term: str) -> int:
        """Live passages holding ``term``, counted one by one."""
        key = (field, term)
        if key not in self._df:
            self._df[key] = sum(1 for p in self.passages if p.tf(field, term))
        return self._df[key]

    def _avg_length(self, field: str) -> float:
        """The exact mean length of ``field`` over live passages (a bigram is scored with its text's length)."""
        if field not in self._avgfl:
            total = sum(len(p.terms(field)) for p in self.passages)
            self._avgfl[field] = (total / len(self.passages) if self.passages else 0.0) or 1.0
        return self._avgfl[field]

    def has_term(self, field: str, term: str) -> bool:
        return self.doc_frequency(field, term) > 0

    def keys(self, field: str) -> list[str]:
        return sorted({t for p in self.passages for t in p.terms(field)})

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        from kb.index.whoosh.searcher import Searcher

        s = Searcher.__new__(Searcher)
        s._s = self._s
        return s.suggest(word, limit)

    def _term_score(self, p: _Passage, field: str, term: str) -> float | None:
        tf = p.tf(field, term)
        if not tf:
            return None
        schema = self._s.schema[field]
        weight = tf * schema.format.field_boost
        if not schema.scorable:
            return weight
        import math

        from kb.index.whoosh.columns import LENGTH_OF
        from kb.index.whoosh.scoring import on_grid

        length_of = LENGTH_OF.get(field, field)  # the one-byte length BM25 reads, as Lucene keeps it
        fl = p.seg.reader.doc_field_length(p.docnum, length_of, 1)
        n, df = len(self.passages), self.doc_frequency(field, term)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return on_grid(_bm25(idf, weight, fl, self._avg_length(length_of)))

    # -- matching and scoring, node for node as kb.index.whoosh.compiler compiles them ------------------
    def score(self, node: Node, p: _Passage) -> float | None:
        """The score of passage ``p`` for ``node``, or None when it does not match."""
        if isinstance(node, TermQ):
            s = self._term_score(p, node.field, node.term)
            return None if s is None else s * node.boost
        if isinstance(node, PhraseQ):
            return self._phrase(node, p)
        if isinstance(node, NearQ):
            f = self.frequent
            if not (f and node.first in f and node.second in f):
                return None
            s = self._term_score(p, "bigrams", node.first + " " + node.second)
            return None if s is None else s * node.boost
        if isinstance(node, PrefixQ):
            return self._prefix(node, p)
        if isinstance(node, RangeQ):
            return 1.0 if self._in_range(node, p) else None  # Whoosh's Every scores 1
        if isinstance(node, AllQ):
            return 1.0
        if isinstance(node, BoolQ):
            return self._bool(node, p)
        raise TypeError(f"not a query node: {node!r}")

    def _phrase(self, node: PhraseQ, p: _Passage) -> float | None:
        terms = node.terms
        if len(terms) == 1:
            return self.score(TermQ(node.field, terms[0], node.boost), p)
        f = self.frequent
        if node.field == "text" and f and all(t in f for t in terms):
            pairs = [a + " " + b for a, b in zip(terms, terms[1:], strict=False)]
            parts = [self._term_score(p, "bigrams", g) for g in pairs]
            if any(s is None for s in parts):
                return None
            up_to = _compiler.RUN_CHECK_UP_TO  # read at query time, as the compiler reads it
            if len(pairs) > 1 and min(self.doc_frequency("bigrams", g) for g in pairs) <= up_to:
                if not _contains(p.terms("text"), terms):
                    return None
            return sum(parts) * node.boost  # type: ignore[arg-type]
        parts = [self._term_score(p, node.field, t) for t in terms]
        if any(s is None for s in parts):
            return None
        if node.field == "text" and not _contains(p.terms("text"), terms):
            return None
        return sum(parts) * node.boost  # type: ignore[arg-type]

    @staticmethod
    def _prefix(node: PrefixQ, p: _Passage) -> float | None:
        """Every passage with a word starting so scores 1 (as Lucene scores a prefix)."""
        return 1.0 if any(t.startswith(node.prefix) for t in p.terms(node.field)) else None

    @staticmethod
    def _in_range(node: RangeQ, p: _Passage) -> bool:
        lo = 1 if node.low is None else node.low
        hi = 99_999_999 if node.high is None else node.high
        return lo <= p.column(node.field) <= hi

    def _bool(self, node: BoolQ, p: _Passage) -> float | None:
        from kb.index.whoosh.compiler import _flat_filters

        flat = _flat_filters(node.filters)
        ranges = [n for n in flat if isinstance(n, RangeQ)]
        if ranges:
            if not all(self._in_range(r, p) for r in ranges):
                return None
            rest = BoolQ(must=node.must, should=node.should, must_not=node.must_not,
                         filters=tuple(n for n in flat if not isinstance(n, RangeQ)))
            if rest.must or rest.should or rest.filters:
                return self._bool(rest, p)
            if any(self.score(n, p) is not None for n in rest.must_not):
                return None
            return 1.0
        if any(self.score(n, p) is not None for n in node.must_not):
            return None
        total = 0.0
        for n in node.filters:
            if self.score(n, p) is None:
                return None
        for n in node.must:
            s = self.score(n, p)
            if s is None:
                return None
            total += s
        should = [s for s in (self.score(n, p) for n in node.should) if s is not None]
        if node.should and not node.must and not should:
            return None
        if not node.must and not node.should:
            return 0.0 if node.filters else 1.0
        return total + sum(should)

    # -- the contract -----------------------------------------------------------------------------------
    def ranking(self, node: Node, sort: str = "relevance") -> list[tuple[Any, Hit]]:
        """Every match in the total order: (sort key, hit)."""
        rows = []
        for p in self.passages:
            s = self.score(node, p)
            if s is None:
                continue
            pid = p.stored["id"]
            if sort == "relevance":
                key: Any = relevance_key(s, pid)
            else:
                s = None
                key = (date_key(sort, p.column("date"), p.column("date_latest")), pid)
            rows.append((key, Hit.from_stored(p.stored, s)))
        rows.sort(key=lambda kr: kr[0])
        return rows

    def page(self, node: Node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[Hit], Count]:
        rows = [r for _k, r in self.ranking(node, sort)]
        docs = len({r.doc_id for r in rows})
        counted = Count(len(rows), docs if group_doc else 0, True)
        if group_doc:
            return group_documents(rows, offset, limit), counted
        return rows[offset:offset + limit], counted

    def count(self, node: Node, documents: bool = False) -> Count:
        rows = [r for _k, r in self.ranking(node)]
        return Count(len(rows), len({r.doc_id for r in rows}) if documents else 0, True)


class ReferenceBackend(WhooshBackend):
    """The reference engine as an :class:`kb.index.protocol.IndexBackend`: it builds and syncs the Whoosh
    index (whose data it reads), as the Whoosh engine does, and answers every query by exhaustive scoring."""

    name = "reference"

    def searcher(self, index_dir: Path) -> ReferenceSearcher:
        return ReferenceSearcher(index_dir)
