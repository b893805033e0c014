"""The Whoosh backend of kb's passage index (whoosh-reloaded, pinned in setup.cfg).

``patches`` holds every change kb makes to Whoosh and is applied when this package is imported; ``schema`` the
fields and tokenizer; ``writer`` building and syncing from the store (``memory`` its in-memory segment writer); ``compiler`` engine-neutral nodes to Whoosh
queries; ``matchers``, ``preload``, ``bonus`` and ``arrays`` kb's exact top-N matchers and array scoring;
``counting`` exact totals; ``postings`` and ``columns`` what is decoded and kept in memory; ``scoring`` BM25 as
Lucene computes it; ``searcher`` the Searcher; ``backend`` the engine as kb.index.protocol sees it.

The rest of kb reaches this package only through ``kb.index.BACKENDS``; the names below are for the engine's
own tests and benchmarks.
"""

from kb.index.whoosh import patches

patches.apply()

from kb.index.whoosh.backend import WhooshBackend  # noqa: E402  (after the patches)
from kb.index.whoosh.counting import count  # noqa: E402
from kb.index.whoosh.folder import INDEX_VERSION, exists, index_version, open_index  # noqa: E402
from kb.index.whoosh.postings import clear_postings_cache  # noqa: E402
from kb.index.whoosh.schema import TITLE_BOOST, KbText, KbTokenizer, frequent_terms  # noqa: E402
from kb.index.whoosh.searcher import Searcher  # noqa: E402


def __getattr__(name: str) -> object:
    """``rebuild`` and ``sync`` from the writer, imported on first use (a search never writes)."""
    if name in ("rebuild", "sync"):
        from kb.index.whoosh import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["INDEX_VERSION", "TITLE_BOOST", "KbText", "KbTokenizer", "Searcher", "WhooshBackend", "clear_postings_cache",
           "count", "exists", "frequent_terms", "index_version", "open_index", "rebuild", "sync"]
