"""What an index engine must offer kb: the contract search, trace and site rely on, whatever answers.

A backend builds and syncs itself from the store (the source of truth), and opens searchers that answer
engine-neutral query nodes (:mod:`kb.index.nodes`) with ranked pages and exact counts. Whoosh is the one
backend today (``kb.index.BACKENDS``); ``tests/test_index_contract.py`` runs the contract against every backend
registered there, so a second engine (tantivy, a search server) proves itself by passing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from kb.index.whoosh.counting import Count


class IndexSearcher(Protocol):
    """One open index, queried many times."""

    @property
    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int: ...

    def has_term(self, field: str, term: str) -> bool: ...

    def page(self, node: Any, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[dict], Count]:
        """Rows ``offset`` to ``offset + limit`` of every match in kb's total order (:mod:`kb.index.order`):
        stored fields + ``score`` (None sorted by date) per hit, and the count of every match. With
        ``group_doc``: the rows of documents ``offset`` to ``offset + limit``, each document's first
        PASSAGES_PER_DOC passages. Exactly what :class:`kb.index.reference.ReferenceSearcher`, which scores every
        passage one by one, gives."""
        ...

    def count(self, node: Any, documents: bool = False) -> Count: ...

    def suggest(self, word: str, limit: int = 3) -> list[str]: ...

    def keys(self, field: str) -> list[str]: ...

    def refresh(self) -> None: ...

    def close(self) -> None: ...


class IndexBackend(Protocol):
    """Building, syncing and opening an index in a folder of its own, from the store."""

    name: str

    def exists(self, index_dir: Path) -> bool: ...

    def rebuild(self, store: Any, index_dir: Path, progress: Callable[[int], None] | None = None) -> list[str]:
        """Index every counted passage afresh (swapped in whole); returns the documents indexed."""
        ...

    def sync(self, store: Any, index_dir: Path,
             progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
        """Index what the store marks unindexed and drop what it queued for deletion: (indexed, deleted)."""
        ...

    def searcher(self, index_dir: Path) -> IndexSearcher: ...
