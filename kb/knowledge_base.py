"""One handle on a knowledge base: its project folder, store, search index and vocabulary.

Every command, and any script using kb as a library, opens a knowledge base the same way::

    from kb.knowledge_base import KnowledgeBase

    with KnowledgeBase.open("~/papers") as base:
        for hit in base.search('"triple aim"', limit=5).hits:
            print(hit.doc_id, hit.page)

The store is opened on first use (and migrated if an older kb wrote it); heavy modules (spaCy, Whoosh,
pdfminer) are imported only by the methods that need them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.project import Project, find_project

if TYPE_CHECKING:  # pragma: no cover
    from kb.models import Concept
    from kb.nlp.vocabulary import ConceptNames
    from kb.search import SearchResults
    from kb.store import Store


class KnowledgeBase:
    """A project folder (``corpus/``, ``indexes/``, ``kb.toml``) with its store and search index."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._store: Store | None = None

    @classmethod
    def open(cls, home: str | Path | None = None, vocabulary: str | Path | None = None) -> KnowledgeBase:
        """The knowledge base in ``home`` (default: ``KB_HOME`` or the current folder's project)."""
        return cls(find_project(str(home) if home is not None else None,
                                str(vocabulary) if vocabulary is not None else None))

    # -- parts -------------------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The SQLite store; a clear error when nothing was ingested yet."""
        if self._store is None:
            from kb.store import Store

            self._store = Store.open(self.project.store_path)
        return self._store

    @property
    def index_dir(self) -> Path:
        return self.project.whoosh_dir

    def vocabulary(self) -> list[Concept]:
        """The curated concepts of ``concepts.toml`` (or ``--vocabulary``); none when the file is absent."""
        if not self.project.vocabulary_path.exists():
            return []
        from kb.nlp.vocabulary import load_vocabulary

        return load_vocabulary(self.project.vocabulary_path)

    def concepts(self) -> list[Concept]:
        """Every concept the last ingest stored (the vocabulary plus concepts the documents defined); read-only
        when the store is not open yet, so a search never migrates or locks it."""
        if self._store is not None:
            return self._store.concepts()
        from kb.store import Store

        return Store.peek_concepts(self.project.store_path)

    def concept_names(self) -> ConceptNames:
        """The resolver from a user's words to a concept, over ``concepts()`` (the vocabulary file before the
        first ingest), with this corpus's mention counts to settle a shared acronym: what every command asks."""
        from kb.nlp.identity import LEDGER_KEY, load_redirects
        from kb.nlp.vocabulary import ConceptNames
        from kb.store import Store

        if self._store is not None:
            store = self._store
            concepts = store.concepts() or self.vocabulary()
            return ConceptNames(concepts, usage=store.mention_totals, redirects=lambda: load_redirects(
                store.get_meta(LEDGER_KEY), (c.id for c in concepts)))
        path = self.project.store_path
        concepts = self.concepts() or self.vocabulary()
        return ConceptNames(concepts, usage=lambda ids: Store.peek_mention_totals(path, ids),
                            redirects=lambda: load_redirects(Store.peek_meta(path, LEDGER_KEY),
                                                             (c.id for c in concepts)))

    # -- what users do -----------------------------------------------------------------------------------
    def search(self, query: str, **options: Any) -> SearchResults:
        """Ranked passages for a query in kb's query language (see :func:`kb.search.search` for options)."""
        from kb.search import search

        return search(self.index_dir, query, names=self.concept_names(), **options)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
