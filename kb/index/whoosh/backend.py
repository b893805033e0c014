"""The Whoosh engine as kb's index protocol sees it: build, sync, search (the one name kb.index registers).

Replaces nothing of Whoosh: the adapter kb.index.protocol asks for, so the rest of kb never names this package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kb.index.protocol import IndexSearcher
from kb.index.whoosh.folder import INDEX_VERSION, exists, index_version
from kb.index.whoosh.searcher import Searcher

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


class WhooshBackend:
    """The Whoosh engine as an :class:`kb.index.protocol.IndexBackend`."""

    name = "whoosh"

    def exists(self, index_dir: Path) -> bool:
        return exists(index_dir)

    def up_to_date(self, index_dir: Path) -> bool:
        return exists(index_dir) and index_version(index_dir) == INDEX_VERSION

    # The writer (and Whoosh's writing modules under it) is imported only to write: `kb search` never needs it.
    def rebuild(self, store: Store, index_dir: Path, progress: Callable[[int], None] | None = None) -> list[str]:
        from kb.index.whoosh.writer import rebuild

        return rebuild(store, index_dir, progress)

    def sync(self, store: Store, index_dir: Path,
             progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
        from kb.index.whoosh.writer import sync

        return sync(store, index_dir, progress)

    def searcher(self, index_dir: Path) -> IndexSearcher:
        return Searcher(index_dir)
