"""Passages handed from the ingest to a second index-writing process through a file.

The ingest's store changes are one transaction, invisible to other processes until it commits, so a rebuild's
second writer cannot read its share from the store: the parent writes that share's index fields here (pickled
batches, read back in order) and the child reads them.

Replaces nothing of Whoosh: a file between two of kb's own writer processes.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

BATCH = 500


def write_rows(path: Path, rows: Iterable[dict]) -> int:
    """Write ``rows`` to ``path`` in batches; return how many."""
    n = 0
    with open(path, "wb") as fh:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
                n += len(batch)
                batch = []
        if batch:
            pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
            n += len(batch)
    return n


def read_rows(path: Path, progress: Callable[[int], None] | None = None, every: int = BATCH) -> Iterator[dict]:
    """The rows ``write_rows`` wrote, in order; ``progress`` is told of every ``every`` rows taken."""
    taken = 0
    with open(path, "rb") as fh:
        while True:
            try:
                batch = pickle.load(fh)
            except EOFError:
                break
            for row in batch:
                yield row
                taken += 1
                if progress and taken == every:
                    progress(taken)
                    taken = 0
    if progress and taken:
        progress(taken)
