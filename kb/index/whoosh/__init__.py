"""The Whoosh backend of kb's passage index (whoosh-reloaded, pinned in setup.cfg).

``patches`` holds every change kb makes to Whoosh and is applied when this package is imported; ``schema`` the
fields and tokenizer; ``writer`` building and syncing from the store (``memory`` its in-memory segment writer); ``compiler`` engine-neutral nodes to Whoosh
queries; ``matchers``, ``preload``, ``bonus`` and ``arrays`` kb's exact top-N matchers and array scoring;
``counting`` exact totals; ``postings`` and ``columns`` what is decoded and kept in memory; ``scoring`` BM25 as
Lucene computes it; ``searcher`` the Searcher the rest of kb uses.
"""

from kb.index.whoosh import patches

patches.apply()
