"""The index folder itself: whether an index is there and of this kb's version, opening it, writing the
decoded lists an earlier kb's segments lack, and removing what interrupted writers left behind.

Replaces Whoosh's bare ``exists_in`` / ``open_dir``, because kb must also know which kb wrote an index (a version
marker: an index of another version is rebuilt, never misread), say what to do when there is none, and remove
the temporary folders and locks of writers that died (Whoosh leaves them).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from kb.errors import NotIngested, StoreError
from kb.index.analysis import log
from kb.index.whoosh import sidecar as _sidecar
from kb.index.whoosh.schema import INDEX_NAME
from kb.processes import process_alive


def exists(index_dir: Path) -> bool:
    from whoosh import index

    return Path(index_dir).is_dir() and index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_index(index_dir: Path):
    """Open the index for reading; NotIngested when it is not there."""
    from whoosh import index

    if not Path(index_dir).is_dir():
        raise NotIngested(f"No search index at {index_dir}. Run `kb ingest` first.")
    if index_version(index_dir) not in (None, INDEX_VERSION):
        raise NotIngested(
            f"The search index at {index_dir} was built by another version of kb. Run `kb ingest` to rebuild it."
        )
    try:
        return index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except index.EmptyIndexError:
        raise NotIngested(f"No search index at {index_dir}. Run `kb ingest` first.") from None
    except Exception as exc:  # whoosh raises a variety of errors for damaged indexes
        raise StoreError(f"The search index {index_dir} is unreadable ({exc}). Run `kb ingest --force`.") from None


#: Bump when the schema or analysis changes: `kb ingest` then rebuilds the index instead of adding to it.
INDEX_VERSION = "kb-index-6"


_VERSION_FILE = "kb-index-version"


def index_version(index_dir: Path) -> str | None:
    """The version marker of an existing index; None for a folder without an index."""
    marker = Path(index_dir) / _VERSION_FILE
    if marker.exists():
        return marker.read_text("utf-8").strip()
    return "unknown" if exists(index_dir) else None


_TEMP_RE = re.compile(rf"^(?:{INDEX_NAME}\.tmp|\.whoosh-build)-(\d+)(?:-.*)?$")


def _clean_leftovers(index_dir: Path) -> None:
    """Remove what an interrupted or crashed writer left: temporary folders of dead processes, a half-swapped
    ``.old`` index, and a write lock nobody holds.

    Callers hold kb's ingest lock, so no other kb writer is running; the process checks keep a foreign writer's
    folders safe anyway, and the write lock is removed only while this process holds it.
    """
    index_dir = Path(index_dir)
    places = [(index_dir, True), (index_dir.parent, False)]
    for folder, inside in places:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            name = entry.name
            stale = False
            m = _TEMP_RE.match(name)
            if m and entry.is_dir():
                stale = not process_alive(int(m.group(1)))
            elif inside and entry.is_dir() and name.startswith(f"{INDEX_NAME}.tmp"):
                stale = True  # Whoosh's own name, from a writer of an earlier kb
            elif not inside and entry.is_dir() and (name.startswith(".whoosh-build-") and not m
                                                    or name == index_dir.name + ".old"):
                stale = True  # a build folder of an earlier kb, or the previous index of an interrupted swap
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
    _clear_write_lock(index_dir)


def _clear_write_lock(index_dir: Path) -> None:
    """Delete Whoosh's lock file when no writer holds it (Whoosh leaves the file behind after every commit)."""
    import fcntl

    path = Path(index_dir) / f"{INDEX_NAME}_WRITELOCK"
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return  # a writer holds it
    try:
        path.unlink(missing_ok=True)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def ensure_sidecars(index_dir: Path) -> int:
    """Write the sidecar of every segment of the index at ``index_dir`` that lacks one of this version (an
    index written by an earlier kb); return how many were written. Callers hold kb's ingest lock."""
    from whoosh.reading import SegmentReader


    index_dir = Path(index_dir)
    ix = open_index(index_dir)
    written = 0
    try:
        storage, schema = ix.storage, ix.schema
        for segment in ix._segments():
            if _sidecar.has_sidecar(index_dir, segment):
                continue
            log.info("search index: writing the decoded posting lists of segment %s", segment.segment_id())
            reader = SegmentReader(storage, schema, segment)
            try:
                _sidecar.write_sidecar(index_dir, segment.segment_id(), segment.doc_count_all(), _sidecar._segment_lists(reader))
            finally:
                reader.close()
            written += 1
        for pending in index_dir.glob(f".{INDEX_NAME}_*{_sidecar.SUFFIX}.tmp-*"):
            pid = pending.name.rpartition("-")[2]
            if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
                pending.unlink(missing_ok=True)  # of a writer that was cancelled or killed
    finally:
        ix.close()
    return written
