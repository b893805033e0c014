"""The Searcher: one open index, answering ranked pages, counts, terms and spelling suggestions.

Replaces Whoosh's ``Searcher.search`` and ``refresh`` for kb, because kb's pages follow one total order
(``ordering``) with exact counts (``counting``), and Whoosh's refresh keeps readers of segments a sync rewrote
or added deletions to (a replaced passage would still match).
"""

from __future__ import annotations

from pathlib import Path

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.errors import KbError, StoreError
from kb.index.analysis import _analyse, log, term_for
from kb.index.nodes import BoolQ, Node, TermQ
from kb.index.order import PASSAGES_PER_DOC, group_documents
from kb.index.protocol import Count, Hit
from kb.index.whoosh import arrays as _arrays
from kb.index.whoosh import ordering as _ordering
from kb.index.whoosh import scoring as _scoring
from kb.index.whoosh.arrays import _plain_alternatives
from kb.index.whoosh.bonus import _split_bonus, _with_bonus
from kb.index.whoosh.compiler import _to_whoosh
from kb.index.whoosh.counting import count
from kb.index.whoosh.folder import open_index
from kb.index.whoosh.schema import _frequent


class Searcher:
    """A reusable searcher over one index (open once, query many times)."""

    def __init__(self, index_dir: Path) -> None:
        self.ix = open_index(index_dir)
        self._s = self.ix.searcher(weighting=_scoring._lucene_bm25())
        self._frequent = _frequent(self.ix, self._s.reader())

    def close(self) -> None:
        self._s.close()
        self.ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def doc_count(self) -> int:
        return self._s.doc_count()

    def doc_frequency(self, field: str, term: str) -> int:
        """Live passages holding ``term`` (deleted ones a segment still holds left out, see ``LiveStats``)."""
        return _scoring.live_stats(self._s.reader()).doc_frequency(field, term)

    def has_term(self, field: str, term: str) -> bool:
        """Whether a live passage holds ``term``: a removed document's id, or a publisher only removed documents
        had, is unknown, as in a fresh build (a segment keeps deleted passages' terms until it is rewritten)."""
        reader = self._s.reader()
        if (field, term) not in reader:
            return False
        return not reader.has_deletions() or reader.postings(field, term).is_active()

    def refresh(self) -> None:
        """Move to the index's latest generation, keeping the open readers of segments that did not change.

        Whoosh's own ``refresh`` keeps every segment of the old reader that the new one lacks (a segment a sync
        rewrote would be searched twice) and reuses a segment's reader whatever deletions the sync added to
        it (a replaced document's old passages would still match).
        """
        from whoosh.reading import MultiReader, SegmentReader
        from whoosh.searching import Searcher as WhooshSearcher

        ix = self.ix
        old = self._s.reader()
        if ix.latest_generation() == old.generation():
            return
        toc = ix._read_toc()
        reusable = {r.segment().segment_id(): r for r, _ in old.leaf_readers() if r.segment() is not None}
        readers = []
        for seg in toc.segments:
            r = reusable.get(seg.segment_id())
            if r is not None and set(r.segment().deleted_docs()) == set(seg.deleted_docs()):
                del reusable[seg.segment_id()]
                readers.append(r)
            else:
                readers.append(SegmentReader(ix.storage, toc.schema, seg, generation=toc.generation))
        for r in reusable.values():
            r.close()
        if len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation) if readers else ix.reader()
        self._s = WhooshSearcher(reader, fromindex=ix, weighting=self._s.weighting)
        self._frequent = _frequent(ix, self._s.reader())

    def run(self, node: Node, *, limit: int, offset: int = 0, sort: str = "relevance",
            group_doc: bool = False, exact_total: bool | None = None) -> tuple[list[Hit], int, bool]:
        """Run a query; return (hits, passages matched, whether that count is exact). Each hit: stored fields
        + score."""
        hits, counted = self.page(node, limit=limit, offset=offset, sort=sort, group_doc=group_doc,
                                  exhaustive=exact_total)
        return hits, counted.passages, counted.exact

    def page(self, node: Node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[Hit], Count]:
        """One page of hits in kb's total order (:mod:`kb.index.order`), and the
        count of every match (``count``).

        The page is exactly rows ``offset`` to ``offset + limit`` of every match scored one by one; with
        ``group_doc`` it is the rows of documents ``offset`` to ``offset + limit``, each document's best
        PASSAGES_PER_DOC passages. ``exhaustive`` is kept for callers of earlier versions: every page is exact.
        The count never depends on ``limit`` or ``offset``: it is taken separately from the ranking.
        """
        try:
            if group_doc:
                hits, counted = self._grouped(node, limit, offset, sort), None
            else:
                hits, counted = self._ranked(node, offset + limit, sort)
                hits = hits[offset:]
            if counted is None:
                counted = self.count(node, documents=group_doc)
        except KbError:
            raise
        except Exception as exc:  # a damaged or foreign index: say what to do, not a traceback
            log.debug("search failed", exc_info=True)
            raise StoreError(f"The search index could not answer ({exc}). Run `kb ingest --force` to rebuild it.") from None
        if not counted.exact:
            # A lower bound: what the ranking found is certainly there.
            docs = len({hit.doc_id for hit in hits}) if group_doc else 0
            counted = Count(max(counted.passages, len(hits) + (0 if group_doc else offset)),
                            max(counted.documents, docs + (offset if group_doc else 0)), False)
        return hits, counted

    def _ranked(self, node: Node, k: int, sort: str) -> tuple[list[Hit], Count | None]:
        """The first ``k`` matches in the total order; the count when it came with them."""
        reader = self._s.reader()
        stored: dict[int, dict] = {}  # stored fields read to break ties, used again for the rows
        if sort in ("date", "-date"):
            docnums = list(self._s.docs_for_query(self._compile(node, scored=False)))
            return [self._row(d, None, stored) for d in _ordering.by_date(reader, docnums, sort, k, stored)], None
        counted = None
        found = None
        plain = _plain_alternatives(node)
        if (plain is not None and len(plain[0]) >= _arrays.ARRAY_FROM_CLAUSES
                and self._s.doc_count_all() >= _arrays.ARRAY_FROM_PASSAGES):
            got = _arrays._array_page(self._s, plain[0], plain[1], self._frequent, k)
            if got is not None:
                found, counted = got
        if found is None:
            collector = _ordering.TieCollector(limit=k)
            self._s.search_with_collector(self._compile(node), collector)
            found = collector.candidates()
        return [self._row(d, s, stored) for s, d in _ordering.by_relevance(reader, found, k, stored)], counted

    def _row(self, docnum: int, score: float | None, stored: dict[int, dict]) -> Hit:
        # sorted by date: no score
        return Hit.from_stored(stored.get(docnum) or self._s.stored_fields(docnum),
                               None if score is None else float(score))

    def _grouped(self, node: Node, limit: int, offset: int, sort: str) -> list[Hit]:
        """The rows of documents ``offset`` to ``offset + limit``, documents in the order of their first
        passage in the total order, each with its first PASSAGES_PER_DOC passages in that order."""
        want = offset + limit
        k = max(50, want * 5)
        while True:
            rows, _ = self._ranked(node, k, sort)
            if len(rows) < k or len({r.doc_id for r in rows}) >= want:
                break
            k *= 4
        shown = group_documents(rows, offset, limit)
        if len(rows) < k:
            return shown  # every match was in the window
        out: list[Hit] = []
        docs = list(dict.fromkeys(r.doc_id for r in shown))
        for doc in docs:
            mine = [r for r in shown if r.doc_id == doc]
            if len(mine) < PASSAGES_PER_DOC:  # its other passages may rank below the window
                mine, _ = self._ranked(BoolQ(must=(node,), filters=(TermQ("doc_id", doc),)), PASSAGES_PER_DOC, sort)
            out += mine
        return out

    def count(self, node: Node, documents: bool = False) -> Count:
        """How many passages (and, with ``documents``, documents) match ``node``; see ``count()``."""
        return count(self._s.reader(), node, self._frequent, documents)

    def _compile(self, node: Node, scored: bool = True):
        """The Whoosh query for a node; a top-level title bonus is evaluated tier by tier (or dropped when
        results are sorted by date and scores do not matter)."""
        core, bonus = _split_bonus(node)
        if not bonus:
            return _at_top(_to_whoosh(node, self._frequent))
        if not scored:
            return _at_top(_to_whoosh(core, self._frequent))
        return _with_bonus(_at_top(_to_whoosh(core, self._frequent)), bonus, self._frequent)

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Surface words from the index's own vocabulary close to a misspelt ``word``."""
        from whoosh import query as wq

        low = word.lower()
        corrector = self._s.reader().corrector("text")
        seen: dict[str, int] = {}
        for cand in (term_for(low) or low, low):
            for stem in corrector.suggest(cand, limit=5, maxdist=2):
                seen.setdefault(stem, self._s.doc_frequency("text", stem))
        out: list[str] = []
        for stem, _df in sorted(seen.items(), key=lambda kv: -kv[1]):
            found = self._s.search(wq.Term("text", stem), limit=1, terms=False)
            for hit in found:
                surface = next((hit["text"][s:e] for t, s, e in _analyse(hit["text"]) if t == stem), None)
                if surface and surface.lower() not in out and surface.lower() != low:
                    out.append(surface.lower())
            if len(out) >= limit:
                break
        return out

    def keys(self, field: str) -> list[str]:
        """Every term of a small keyword field (publisher, type, doc_id) that a live passage holds."""
        words = (t.decode() if isinstance(t, bytes) else t for t in self._s.lexicon(field))
        return sorted(w for w in words if self.has_term(field, w))


def _at_top(q):
    """``q``, marked as the top of its query when it is a phrase check (see ``_run_check``)."""
    if hasattr(q, "top") and type(q).__name__ == "RunCheck":
        q.top = True
    return q
