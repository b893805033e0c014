"""kb's passage index: the face the rest of kb uses, whatever engine answers.

``analysis`` (how text becomes terms) and ``nodes`` (the query nodes kb.search plans) are engine-neutral; the
engine is Whoosh, in ``kb.index.whoosh`` (schema, writer, compiler, matchers, counting, searcher). Search, trace
and site import only the names below.

Design notes:
- One analysis function serves indexing, querying and highlighting, so they always agree. Words are
  lower-cased, Lucene's English stop words are dropped (positions renumbered, as in Lucene) and the rest is
  Porter-stemmed; ALL-CAPS acronyms (2-5 letters, optional plural "s") are kept unstemmed, so "ICSs" and "ICS"
  are the same term but "ics" is never confused with "ice".
- Frequent word pairs are index terms, so phrases need no positions; longer phrases are confirmed on the text.
- Ranking is BM25 (k1=1.2, b=0.75) with Lucene's idf, per field, summed across fields (title weight 1).
- Hits come in one total order (``order``): score at SCORE_DECIMALS decimals, then passage id.
"""

from kb.index.analysis import STOP_WORDS, analyze, is_acronym, raw_words, term_for, tokens
from kb.index.nodes import AllQ, BoolQ, NearQ, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.order import PASSAGES_PER_DOC, SCORE_DECIMALS, relevance_key
from kb.index.protocol import IndexBackend, IndexSearcher
from kb.index.reference import ReferenceBackend, ReferenceSearcher
from kb.index.whoosh.backend import WhooshBackend
from kb.index.whoosh.counting import Count, count
from kb.index.whoosh.postings import clear_postings_cache
from kb.index.whoosh.schema import TITLE_BOOST, KbText, KbTokenizer, frequent_terms, publisher_key, schema, type_key
from kb.index.whoosh.searcher import Searcher
from kb.index.whoosh.writer import INDEX_VERSION, exists, index_version, open_index, rebuild, sync

#: Every engine kb can index with; the contract tests run against each. "reference" scores every passage one
#: by one over the Whoosh index's data (kb.index.reference): the yardstick for tests and checks, never the
#: engine kb searches with.
BACKENDS: dict[str, IndexBackend] = {"whoosh": WhooshBackend(), "reference": ReferenceBackend()}

__all__ = ["BACKENDS", "INDEX_VERSION", "PASSAGES_PER_DOC", "SCORE_DECIMALS", "IndexBackend", "IndexSearcher",
           "ReferenceBackend", "ReferenceSearcher", "WhooshBackend", "relevance_key", "STOP_WORDS", "TITLE_BOOST", "AllQ", "BoolQ", "Count", "KbText", "KbTokenizer", "NearQ", "PhraseQ", "PrefixQ",
           "RangeQ", "Searcher", "TermQ", "analyze", "clear_postings_cache", "count", "exists", "frequent_terms",
           "index_version", "is_acronym", "open_index", "publisher_key", "raw_words", "rebuild", "schema", "sync",
           "term_for", "tokens", "type_key"]
