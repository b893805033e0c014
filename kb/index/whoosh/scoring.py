"""BM25 as Lucene computes it, and common words demoted so a query of them stays fast.
"""

from __future__ import annotations

import math

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.index.nodes import BoolQ, NearQ, TermQ
from kb.index.whoosh.columns import _field_lengths


def _lucene_bm25():
    from whoosh import scoring

    class LuceneBM25(scoring.BM25F):
        """Whoosh's BM25F with Lucene's idf: log(1 + (N - df + 0.5) / (df + 0.5))."""

        def idf(self, searcher, fieldname, text):
            parent = searcher.get_parent()
            n = parent.doc_frequency(fieldname, text)
            dc = parent.doc_count_all()
            return math.log(1 + (dc - n + 0.5) / (n + 0.5))

        def scorer(self, searcher, fieldname, text, qf=1):
            scorer = super().scorer(searcher, fieldname, text, qf=qf)
            if hasattr(scorer, "dfl"):
                # Field lengths from one in-memory copy per segment, not a file read per scored passage.
                lengths = _field_lengths(searcher.reader(), fieldname)
                if lengths is not None:
                    scorer.dfl = lengths.__getitem__
            return scorer

    return LuceneBM25(B=0.75, K1=1.2)


#: On indexes of at least this many passages, alternatives are evaluated like Lucene's CommonTermsQuery:
#: words in more than COMMON_SHARE of the passages only score passages that match a rarer alternative; when
#: every alternative is that common, passages need all of them (as Elasticsearch's "common" query does).
#: Either shortcut is used only when it fills the requested page; otherwise the exact BM25 disjunction runs.
#: Smaller indexes always get exact BM25 disjunctions.
COMMON_TERMS_FROM = 20_000


COMMON_SHARE = 0.1


def _demote_common(node, is_common):
    """Rewrite OR-nodes so very common text terms no longer drive matching (they still add to scores)."""
    if not isinstance(node, BoolQ):
        return node
    must = tuple(_demote_common(n, is_common) for n in node.must)
    should = tuple(_demote_common(n, is_common) for n in node.should)
    if should and not must:
        common = tuple(n for n in should if isinstance(n, TermQ) and n.field == "text" and is_common(n.term))
        near = tuple(n for n in should if isinstance(n, NearQ))  # a bonus: never what makes a passage a hit
        rare = tuple(n for n in should if n not in common and n not in near)
        if common and rare:
            return BoolQ(must=(BoolQ(should=rare),), should=common + near, must_not=node.must_not,
                         filters=node.filters)
        if len(common) > 1 and not rare:
            return BoolQ(must=common, should=near, must_not=node.must_not, filters=node.filters)
    return BoolQ(must=must, should=should, must_not=node.must_not, filters=node.filters)
