"""The Searcher: one open index, answering ranked pages, counts, terms and spelling suggestions.
"""

from __future__ import annotations

from pathlib import Path

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.errors import StoreError
from kb.index.analysis import _analyse, log, term_for
from kb.index.whoosh import arrays as _arrays
from kb.index.whoosh import scoring as _scoring
from kb.index.whoosh.arrays import _plain_alternatives
from kb.index.whoosh.bonus import _split_bonus, _with_bonus
from kb.index.whoosh.compiler import _to_whoosh
from kb.index.whoosh.counting import Count, count
from kb.index.whoosh.schema import _frequent
from kb.index.whoosh.scoring import _demote_common
from kb.index.whoosh.writer import open_index

#: Indexes up to this many passages always get exact BM25 disjunctions (no common-word shortcut).
EXACT_TOTAL_UP_TO = 5_000


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

    def run(self, node, *, limit: int, offset: int = 0, sort: str = "relevance",
            group_doc: bool = False, exact_total: bool | None = None) -> tuple[list[dict], int, bool]:
        """Run a query; return (hits, passages matched, whether that count is exact). Each hit: stored fields
        + score."""
        hits, counted = self.page(node, limit=limit, offset=offset, sort=sort, group_doc=group_doc,
                                  exhaustive=exact_total)
        return hits, counted.passages, counted.exact

    def page(self, node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[dict], Count]:
        """One page of hits (stored fields + score each) and the count of every match (``count``).

        ``exhaustive`` (default: on indexes up to EXACT_TOTAL_UP_TO passages) turns the common-word shortcuts
        off. The count never depends on ``limit`` or ``offset``: it is taken separately from the ranking.
        """
        # Live passages and document frequencies, so that the rules below choose as on a fresh build.
        n = self._s.doc_count()
        if exhaustive is None:
            exhaustive = n <= EXACT_TOTAL_UP_TO
        by_date = sort in ("date", "-date")
        plain = None if by_date or group_doc else _plain_alternatives(node)
        if plain is not None and len(plain[0]) >= _arrays.ARRAY_FROM_CLAUSES and n >= _arrays.ARRAY_FROM_PASSAGES:
            common = None
            if n >= _scoring.COMMON_TERMS_FROM and not exhaustive:
                common = lambda t: self.doc_frequency("text", t) > _scoring.COMMON_SHARE * n  # noqa: E731
            try:
                found = _arrays._array_page(self._s, plain[0], plain[1], self._frequent, offset + limit, common)
            except Exception as exc:
                log.debug("search failed", exc_info=True)
                raise StoreError(f"The search index could not answer ({exc}). Run `kb ingest --force` to rebuild it.") from None
            if found is not None:
                rows, counted = found
                hits = []
                for score, docnum in rows[offset:]:
                    d = dict(self._s.stored_fields(docnum))
                    d["score"] = float(score)
                    hits.append(d)
                if not counted.exact:
                    counted = Count(max(counted.passages, len(rows)), 0, False)
                return hits, counted
        q = exact_q = self._compile(node, scored=not by_date)
        if n >= _scoring.COMMON_TERMS_FROM and not exhaustive:
            shortcut = _demote_common(node, lambda t: self.doc_frequency("text", t) > _scoring.COMMON_SHARE * n)
            if shortcut != node:
                q = self._compile(shortcut, scored=not by_date)
        kwargs: dict = {"limit": offset + limit, "terms": False}
        if by_date:
            from whoosh import sorting

            # Undated passages (0 in both columns) go last either way.
            if sort == "date":  # oldest first, by the earliest day a document could be from
                kwargs["sortedby"] = sorting.TranslateFacet(lambda day: day or 99_999_999, sorting.FieldFacet("date"))
            else:  # newest first, by the latest day it could be from
                kwargs["sortedby"] = sorting.FieldFacet("date_latest", reverse=True)
        if group_doc:
            # Whole documents are ranked by their best passages: widen the window until it holds enough
            # distinct documents (or every match), then group in search.py.
            kwargs["limit"] = max(50, (offset + limit) * 5)
        try:
            while True:
                results = self._s.search(q, **kwargs)
                if q is not exact_q and results.scored_length() < kwargs["limit"]:
                    q = exact_q  # the common-word shortcut did not fill the page: answer exactly
                    continue
                if not group_doc or results.scored_length() < kwargs["limit"]:
                    break
                if len({hit["doc_id"] for hit in results}) >= offset + limit:
                    break
                kwargs["limit"] *= 4
            counted = self.count(node, documents=group_doc)
        except Exception as exc:  # a damaged or foreign index: say what to do, not a traceback
            log.debug("search failed", exc_info=True)
            raise StoreError(f"The search index could not answer ({exc}). Run `kb ingest --force` to rebuild it.") from None
        start = 0 if group_doc else offset
        hits = []
        for hit in results[start:]:
            d = dict(hit.fields())
            # Sorted by date, Whoosh's "score" is the sort key, not relevance: report no score then.
            d["score"] = None if by_date or hit.score is None else float(hit.score)
            hits.append(d)
        if not counted.exact:
            # A lower bound: what the ranking found is certainly there.
            seen = results.scored_length()
            docs = len({hit["doc_id"] for hit in results}) if group_doc else 0
            counted = Count(max(counted.passages, seen), max(counted.documents, docs), False)
        return hits, counted

    def count(self, node, documents: bool = False) -> Count:
        """How many passages (and, with ``documents``, documents) match ``node``; see ``count()``."""
        return count(self._s.reader(), node, self._frequent, documents)

    def _compile(self, node, scored: bool = True):
        """The Whoosh query for a node; a top-level title bonus is evaluated tier by tier (or dropped when
        results are sorted by date and scores do not matter)."""
        core, bonus = _split_bonus(node)
        if not bonus:
            return _to_whoosh(node, self._frequent)
        if not scored:
            return _to_whoosh(core, self._frequent)
        return _with_bonus(_to_whoosh(core, self._frequent), bonus, self._frequent)

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
