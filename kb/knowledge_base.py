"""One handle on a knowledge base: its project folder, store, search index and vocabulary.

Every command, and any script using kb as a library, opens a knowledge base the same way::

    from kb.knowledge_base import KnowledgeBase

    with KnowledgeBase.open("~/papers") as base:
        for hit in base.search('"triple aim"', limit=5).hits:
            print(hit.doc_id, hit.page)

The store is opened on first use (and migrated if an older kb wrote it); heavy modules (spaCy, Whoosh,
pdfminer) are imported only by the methods that need them. Everything a handle reads comes from one snapshot of
the store and the index generation that snapshot names (locked while the handle is open): an ingest that
commits meanwhile is seen by the next handle, never half by this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import StoreError
from kb.project import Project, find_project

if TYPE_CHECKING:  # pragma: no cover
    from kb.index.generations import ReaderPin
    from kb.models import Concept
    from kb.nlp.vocabulary import ConceptNames
    from kb.search import SearchResults
    from kb.store import Store


class KnowledgeBase:
    """A project folder (``corpus/``, ``indexes/``, ``kb.toml``) with its store and search index."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._store: Store | None = None
        self._pin: ReaderPin | None = None
        self._current = False  # the open store has this kb's schema

    @classmethod
    def open(cls, home: str | Path | None = None, vocabulary: str | Path | None = None) -> KnowledgeBase:
        """The knowledge base in ``home`` (default: ``KB_HOME`` or the current folder's project)."""
        return cls(find_project(str(home) if home is not None else None,
                                str(vocabulary) if vocabulary is not None else None))

    # -- parts -------------------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The SQLite store (a read snapshot); a clear error when nothing was ingested yet."""
        from kb.store import SCHEMA_VERSION, Store

        if self._store is not None and (self._current or self._store.get_meta("schema_version") == str(SCHEMA_VERSION)):
            self._current = True
            return self._store
        self.close()  # none yet, or a read-only snapshot of a store to migrate first
        self._pinned(lambda: Store.open(self.project.store_path).snapshot())
        assert self._store is not None
        self._current = True
        return self._store

    def _snapshot(self) -> Store | None:
        """The open snapshot, or a read-only one (search never creates, migrates or locks the store); None before
        the first ingest."""
        if self._store is None and self._pin is None:
            from kb.store import Store

            self._pinned(lambda: Store.open_snapshot(self.project.store_path))
        return self._store

    def _pinned(self, opener) -> None:
        """Open a snapshot with ``opener`` and lock the index generation it names; if that generation was deleted
        meanwhile (an ingest committed and cleaned up), take a new snapshot."""
        from kb.index.generations import META_KEY, ReaderPin, folder_of

        for _ in range(20):
            store = opener()
            pin = ReaderPin(folder_of(self.project.indexes_dir, store.get_meta(META_KEY) if store else None))
            if pin.acquire():
                self._store, self._pin = store, pin
                return
            if store is not None:
                store.close()
        raise StoreError(f"The search index in {self.project.indexes_dir} keeps changing; try again.")

    @property
    def index_dir(self) -> Path:
        """The index generation that goes with the store's snapshot."""
        self._snapshot()
        assert self._pin is not None
        return self._pin.folder

    def vocabulary(self) -> list[Concept]:
        """The curated concepts of ``concepts.toml`` (or ``--vocabulary``); none when the file is absent."""
        if not self.project.vocabulary_path.exists():
            return []
        from kb.nlp.vocabulary import load_vocabulary

        return load_vocabulary(self.project.vocabulary_path)

    def concepts(self) -> list[Concept]:
        """Every concept the last ingest stored (the vocabulary plus concepts the documents defined); read-only
        when the store is not open yet, so a search never migrates or locks it."""
        snapshot = self._snapshot()
        return snapshot.concepts() if snapshot is not None else []

    def concept_names(self) -> ConceptNames:
        """The resolver from a user's words to a concept, over ``concepts()`` (the vocabulary file before the
        first ingest), with this corpus's mention counts to settle a shared acronym: what every command asks."""
        from kb.nlp.identity import store_names
        from kb.nlp.vocabulary import ConceptNames

        snapshot = self._snapshot()
        if snapshot is not None:
            return store_names(snapshot, snapshot.concepts() or self.vocabulary())
        return ConceptNames(self.vocabulary(), usage=lambda ids: {})

    # -- what users do -----------------------------------------------------------------------------------
    def search(self, query: str, **options: Any) -> SearchResults:
        """Ranked passages for a query in kb's query language (see :func:`kb.search.search` for options)."""
        from kb.search import search

        return search(self.index_dir, query, names=self.concept_names(), **options)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._pin is not None:
            self._pin.release()
            self._pin = None
        self._current = False

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
