"""What an index engine must offer kb: the contract search, trace, site and ingest rely on, whatever answers.

A backend builds and syncs itself from the store (the source of truth), and opens searchers that answer
engine-neutral query nodes (:mod:`kb.index.nodes`) with ranked pages of :class:`Hit` and exact :class:`Count`.
Everything that crosses this line is defined here or in ``nodes``, never by an engine, so the rest of kb
imports no engine. Engines register in ``kb.index.BACKENDS``; ``tests/test_index_contract.py`` runs the
contract against every backend registered there, so a second engine (tantivy, a search server) proves itself by
passing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kb.index.nodes import Node

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


@dataclass
class Count:
    """How many passages (and documents) a query matches: exact, or a lower bound when ``exact`` is False.
    ``documents`` is 0 unless documents were asked for."""

    passages: int
    documents: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching passage as the index stores it, with its score (None when sorted by date)."""

    id: str
    doc_id: str
    score: float | None
    title: str = ""
    text: str = ""
    publisher_name: str = ""
    published: str = ""
    type: str = ""
    page: int = 0
    page_end: int = 0
    concepts: tuple[str, ...] = ()

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any], score: float | None) -> Hit:
        """A hit from a passage's stored fields (:func:`kb.index.fields.passage_fields`):
        missing values become empty, the comma-joined concepts a tuple."""
        page = int(stored.get("page") or 0)
        return cls(
            id=str(stored["id"]), doc_id=str(stored["doc_id"]), score=score,
            title=str(stored.get("title") or ""), text=str(stored.get("text") or ""),
            publisher_name=str(stored.get("publisher_name") or ""), published=str(stored.get("published") or ""),
            type=str(stored.get("type") or ""), page=page,
            page_end=int(stored.get("page_end") or page),
            concepts=tuple(c for c in str(stored.get("concepts") or "").split(",") if c),
        )


class IndexSearcher(Protocol):
    """One open index, queried many times."""

    @property
    def doc_count(self) -> int:
        """Live passages."""
        ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Live passages holding ``term`` in ``field``."""
        ...

    def has_term(self, field: str, term: str) -> bool:
        """Whether a live passage holds ``term``: a removed document's terms are unknown, as in a fresh build."""
        ...

    def page(self, node: Node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[Hit], Count]:
        """Hits ``offset`` to ``offset + limit`` of every match in kb's total order (:mod:`kb.index.order`),
        and the count of every match. With ``group_doc``: the hits of documents ``offset`` to
        ``offset + limit``, each document's first PASSAGES_PER_DOC passages, and documents counted. Exactly what
        :class:`kb.index.reference.ReferenceSearcher`, which scores every passage one by one, gives."""
        ...

    def count(self, node: Node, documents: bool = False) -> Count:
        """How many passages (and, with ``documents``, documents) match, whatever the page."""
        ...

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Words of the passages' text close to a misspelt ``word`` (lower case, never ``word`` itself)."""
        ...

    def keys(self, field: str) -> list[str]:
        """Every term of a keyword field (publisher, type, doc_id) a live passage holds, sorted."""
        ...

    def refresh(self) -> None:
        """See what a sync wrote since the searcher was opened (a no-op when nothing changed)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> IndexSearcher: ...

    def __exit__(self, *exc: object) -> None: ...


class IndexBackend(Protocol):
    """Building, syncing and opening an index in a folder of its own, from the store."""

    name: str

    def exists(self, index_dir: Path) -> bool:
        """An index of this engine is in ``index_dir``."""
        ...

    def up_to_date(self, index_dir: Path) -> bool:
        """An index is there and this kb can sync it (written by the index version it writes)."""
        ...

    def rebuild(self, store: Store, index_dir: Path, progress: Callable[[int], None] | None = None) -> list[str]:
        """Index every counted passage afresh (swapped in whole); returns the documents indexed."""
        ...

    def sync(self, store: Store, index_dir: Path,
             progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
        """Index what the store marks unindexed and drop what it queued for deletion: (indexed, deleted)."""
        ...

    def searcher(self, index_dir: Path) -> IndexSearcher: ...
