"""Trace: where a term first appears and how its use spreads, always with a quote as evidence.

``terms`` says what a traced term is; ``ledger`` owns the first-appearance ledger, timelines, publishers and
successors; ``cooccurrence`` the concepts sharing passages with a term (G²); ``concordance`` the
keyword-in-context lines of `kb kwic`; ``quotes`` the sentence around a term; ``results`` the typed values
the rest of kb receives (TraceResult, LedgerEntry, KwicLine), each with the ``to_json()`` that `--json` prints.
Everything reads the store only, and duplicate editions never count.
"""

from kb.trace.concordance import SORTS, kwic
from kb.trace.cooccurrence import COOCCURRENCE_SCORE, cooccurring
from kb.trace.ledger import (
                             by_publisher,
                             corpus_summary,
                             crossover,
                             defining_pattern,
                             doc_counts,
                             first_appearances,
                             load_documents,
                             occurrences,
                             resolve,
                             timeline,
                             trace,
)
from kb.trace.quotes import context, mark_html, quote, sentence_bounds
from kb.trace.results import KwicLine, LedgerEntry, TraceResult
from kb.trace.terms import Occurrence, TermRef

__all__ = ["COOCCURRENCE_SCORE", "SORTS", "KwicLine", "LedgerEntry", "Occurrence", "TermRef", "TraceResult", "by_publisher", "context", "cooccurring", "corpus_summary", "crossover",
           "defining_pattern", "doc_counts", "first_appearances", "kwic", "load_documents", "mark_html",
           "occurrences", "quote", "resolve", "sentence_bounds", "timeline", "trace"]
