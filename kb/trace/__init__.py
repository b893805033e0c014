"""Trace: where a term first appears and how its use spreads, always with a quote as evidence.

``ledger`` owns the first-appearance ledger, timelines, publishers, co-occurrence (G²) and successors;
``concordance`` the keyword-in-context lines of `kb kwic`; ``quotes`` the sentence around a term.
Everything reads the store only, and duplicate editions never count.
"""

from kb.trace.concordance import SORTS, kwic
from kb.trace.ledger import (
                             Occurrence,
                             TermRef,
                             by_publisher,
                             cooccurring,
                             corpus_summary,
                             crossover,
                             defining_pattern,
                             doc_counts,
                             first_appearances,
                             load_documents,
                             occurrences,
                             resolve,
                             timeline,
                             timeline_csv_rows,
                             trace,
)
from kb.trace.quotes import context, mark_html, quote, sentence_bounds

__all__ = ["SORTS", "Occurrence", "TermRef", "by_publisher", "context", "cooccurring", "corpus_summary", "crossover",
           "defining_pattern", "doc_counts", "first_appearances", "kwic", "load_documents", "mark_html",
           "occurrences", "quote", "resolve", "sentence_bounds", "timeline", "timeline_csv_rows", "trace"]
