"""kb's passage index: the face the rest of kb uses, whatever engine answers.

``analysis`` (how text becomes terms), ``nodes`` (the query nodes kb.search plans), ``order`` (the one total
order of hits) and ``protocol`` (what an engine offers: ``IndexBackend``, ``IndexSearcher``, ``Hit``,
``Count``) are engine-neutral. An engine lives in a package of its own (Whoosh in ``kb.index.whoosh``) and
registers in ``BACKENDS``; search, trace, site and ingest import only the names below and pick an engine by name
(:func:`backend`), never an engine's package (``tests/test_layout.py`` checks it).

Design notes:
- One analysis function serves indexing, querying and highlighting, so they always agree. Words are
  lower-cased, Lucene's English stop words are dropped (positions renumbered, as in Lucene) and the rest is
  Porter-stemmed; ALL-CAPS acronyms (2-5 letters, optional plural "s") are kept unstemmed, so "ICSs" and "ICS"
  are the same term but "ics" is never confused with "ice".
- Frequent word pairs are index terms, so phrases need no positions; longer phrases are confirmed on the text.
- Ranking is BM25 (k1=1.2, b=0.75) with Lucene's idf, per field, summed across fields (title weight 1).
- Hits come in one total order (``order``): score at SCORE_DECIMALS decimals, then passage id.
"""

from kb.errors import UsageError, did_you_mean
from kb.index.analysis import STOP_WORDS, analyze, is_acronym, publisher_key, raw_words, term_for, tokens, type_key
from kb.index.nodes import AllQ, BoolQ, NearQ, Node, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.order import PASSAGES_PER_DOC, SCORE_DECIMALS, relevance_key
from kb.index.protocol import Count, Hit, IndexBackend, IndexSearcher
from kb.index.reference import ReferenceBackend
from kb.index.whoosh.backend import WhooshBackend

#: Every engine kb can index with; the contract tests run against each. "reference" scores every passage one
#: by one over the Whoosh index's data (kb.index.reference): the yardstick for tests and checks, never the
#: engine kb searches with.
BACKENDS: dict[str, IndexBackend] = {"whoosh": WhooshBackend(), "reference": ReferenceBackend()}

#: The engine kb builds, syncs and searches with.
DEFAULT_BACKEND = "whoosh"


def backend(name: str = DEFAULT_BACKEND) -> IndexBackend:
    """The registered engine called ``name``."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise UsageError(f"No index engine {name!r}.{did_you_mean(name, list(BACKENDS))}") from None


def __getattr__(name: str) -> object:
    """``kb.index.KbText`` and ``kb.index.KbTokenizer``: the class paths Whoosh pickled into every index kb wrote
    (kb.index.whoosh.schema), resolved only when an index is opened, so no engine name is part of this face."""
    if name in ("KbText", "KbTokenizer"):
        from kb.index.whoosh import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "PASSAGES_PER_DOC", "SCORE_DECIMALS", "STOP_WORDS", "AllQ", "BoolQ",
           "Count", "Hit", "IndexBackend", "IndexSearcher", "NearQ", "Node", "PhraseQ", "PrefixQ", "RangeQ", "TermQ",
           "analyze", "backend", "is_acronym", "publisher_key", "raw_words", "relevance_key", "term_for", "tokens",
           "type_key"]
