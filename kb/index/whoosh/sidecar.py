"""Decoded posting lists of a segment's long terms, in a file of kb's own beside the segment, read as arrays.

A cold query of many common words spends nearly all its time unpickling and decompressing Whoosh's posting
blocks (about 2,000 blocks for a 12-word query on 300,000 passages). When a segment is written, kb also writes
``<segment id>.kbpostings``: for every term with at least SIDECAR_FROM postings, its document numbers (as
16-bit gaps where they fit) and term frequencies (as bytes where they fit), one contiguous run each. A query
memory-maps the file and reads a term's list as two numpy arrays, with exactly the values Whoosh's blocks
hold, deleted passages included (they are left out where the blocks' are, from the segment's deletions).

The file belongs to its segment: it is named after it (so Whoosh's own ``clean_files`` deletes it with the
segment), written to a temporary name and renamed before the segment is listed in the index, and carries a
version. A segment without the file, or with another version, is read the old way; ``kb ingest`` writes the
missing files (``kb.index.whoosh.writer.ensure_sidecars``).
"""

from __future__ import annotations

import os
import struct
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

from kb.index.whoosh.blocks import _decode_postings

#: Terms with at least this many postings in a segment (8 of Whoosh's 128-posting blocks) get their list in
#: the segment's sidecar; shorter ones cost a query a few blocks at most.
SIDECAR_FROM = 1024


#: Bump when the layout changes: files of another version are ignored and rewritten by the next `kb ingest`.
SIDECAR_VERSION = 2


#: Off: every query reads Whoosh's blocks, as indexes without sidecars are read (benchmarks compare both).
USE_SIDECARS = True


SUFFIX = ".kbpostings"
_MAGIC = b"KBPOSTS\x00"
#: magic, version, doc count, terms, offset of the table (terms x [postings, docs code, docs offset, tf code,
#: tf offset] as int64), offset of the keys' ends (terms x int64), offset of the keys ("field NUL term" as
#: UTF-8, concatenated in ascending byte order, the table's order): a lookup is a binary search in the mapped
#: file, so opening a sidecar reads nothing but its header.
_HEADER = struct.Struct("<8sIIQQQQ")
_ALIGN = 8
_DOCS_CODES = ("<u2", "<u4", "<i8")  # 0: gaps between docnums (the first from 0); 1, 2: docnums
_TF_CODES = ("<u1", "<f4", "<f8")


def sidecar_path(folder: Path, segment_id: str) -> Path:
    """Where the sidecar of segment ``segment_id`` (e.g. ``MAIN_abc123``) lives."""
    return Path(folder) / f"{segment_id}{SUFFIX}"


def _encode(docs, tf) -> list[tuple[int, bytes]]:
    """The smallest exact encodings of one posting list: [(code, bytes) of the docnums, (code, bytes) of tf]."""
    import numpy as np

    gaps = np.diff(docs, prepend=0)
    if len(docs) == 0 or int(gaps.max()) < 2**16:
        d = (0, gaps.astype("<u2").tobytes())
    elif int(docs[-1]) < 2**32:
        d = (1, docs.astype("<u4").tobytes())
    else:
        d = (2, docs.astype("<i8").tobytes())
    if len(tf) == 0 or (tf.min() >= 0 and tf.max() <= 255 and bool((np.floor(tf) == tf).all())):
        t = (0, tf.astype("<u1").tobytes())
    elif bool((tf.astype(np.float32) == tf).all()):
        t = (1, tf.astype("<f4").tobytes())
    else:
        t = (2, tf.astype("<f8").tobytes())
    return [d, t]


def _pending_path(folder: Path, segment_id: str) -> Path:
    """Where a sidecar is written before it is renamed into place: a hidden name, which Whoosh's compound-file
    assembly (every ``<segment id>.*`` file) and ``clean_files`` both pass over."""
    return Path(folder) / f".{segment_id}{SUFFIX}.tmp-{os.getpid()}"


def _write_file(path: Path, doc_count: int, lists: Iterable[tuple[str, bytes, object, object]]) -> None:
    import numpy as np

    entries: list[tuple[bytes, list[int]]] = []
    try:
        with open(path, "wb") as out:
            out.write(b"\x00" * _HEADER.size)
            pos = _HEADER.size

            def put(raw: bytes) -> int:
                nonlocal pos
                pad = -pos % _ALIGN
                out.write(b"\x00" * pad + raw)
                at = pos + pad
                pos = at + len(raw)
                return at

            for field, term, docs, tf in lists:
                row = [len(docs)]  # type: ignore[arg-type]
                for code, raw in _encode(docs, tf):
                    row += [code, put(raw)]
                entries.append((field.encode("utf-8") + b"\x00" + term, row))
            entries.sort(key=lambda e: e[0])
            n = len(entries)
            table = put(np.array([row for _, row in entries], dtype="<i8").reshape(n, 5).tobytes())
            ends = put(np.cumsum([len(key) for key, _ in entries], dtype=np.int64).astype("<i8").tobytes())
            keys = put(b"".join(key for key, _ in entries))
            out.seek(0)
            out.write(_HEADER.pack(_MAGIC, SIDECAR_VERSION, doc_count, n, table, ends, keys))
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def write_sidecar(folder: Path, segment_id: str, doc_count: int,
                  lists: Iterable[tuple[str, bytes, object, object]]) -> Path:
    """Write the sidecar of one segment from (field, term bytes, docnums, term frequencies) of its long terms,
    docnums ascending; atomically (a temporary file renamed into place). Returns its path."""
    pending = _pending_path(folder, segment_id)
    _write_file(pending, doc_count, lists)
    path = sidecar_path(folder, segment_id)
    os.replace(pending, path)
    return path


class Sidecar:
    """One segment's sidecar, memory-mapped: ``lookup(field, term bytes)`` gives (docnums int64, tf float64)."""

    def __init__(self, path: Path, doc_count: int) -> None:
        import mmap

        import numpy as np

        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            magic, version, docs, n, table, ends, keys = _HEADER.unpack_from(self._map, 0)
            if magic != _MAGIC or version != SIDECAR_VERSION or docs != doc_count:
                raise ValueError(f"{path}: not a version-{SIDECAR_VERSION} sidecar of this segment")
            self._n, self._keys = n, keys
            self._ends = np.frombuffer(self._map, "<i8", n, ends) if n else None
            self._table = np.frombuffer(self._map, "<i8", n * 5, table).reshape(n, 5) if n else None
        except BaseException:
            self._map.close()
            raise

    def close(self) -> None:
        self._table = self._ends = None
        try:
            self._map.close()
        except BufferError:  # an array still views it; the map goes when that array does
            pass

    def _row(self, key: bytes) -> int | None:
        """The table row of ``key``: a binary search over the sorted keys in the mapped file."""
        ends, mapped, base = self._ends, self._map, self._keys
        if ends is None:
            return None
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            start = int(ends[mid - 1]) if mid else 0
            if mapped[base + start:base + int(ends[mid])] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n and mapped[base + (int(ends[lo - 1]) if lo else 0):base + int(ends[lo])] == key:
            return lo
        return None

    def lookup(self, field: str, term: bytes):
        """(docnums int64, term frequencies float64) of one term's postings, or None if not held here."""
        import numpy as np

        k = self._row(field.encode("utf-8") + b"\x00" + term)
        if k is None or self._table is None:
            return None
        n, dcode, dpos, tcode, tpos = self._table[k].tolist()
        raw = np.frombuffer(self._map, _DOCS_CODES[dcode], n, dpos)
        docs = np.cumsum(raw, dtype=np.int64) if dcode == 0 else raw.astype(np.int64)
        tf = np.frombuffer(self._map, _TF_CODES[tcode], n, tpos).astype(np.float64)
        return docs, tf


#: Open sidecars by segment id (None: the segment has none, or one of another version), the most recently
#: used last; at most OPEN_UP_TO, so a long-lived process never keeps the files of long-dropped segments mapped.
_OPEN: OrderedDict[str, Sidecar | None] = OrderedDict()


OPEN_UP_TO = 64


def _folder(storage) -> Path | None:
    """The folder of a Whoosh storage (a segment reader's storage wraps the index folder's)."""
    for _ in range(4):
        folder = getattr(storage, "folder", None)
        if folder:
            return Path(folder)
        storage = getattr(storage, "b", None)
        if storage is None:
            return None
    return None


def sidecar_for(reader) -> Sidecar | None:
    """The sidecar of a segment reader's segment, opened once; None when it has no usable one."""
    if not USE_SIDECARS:
        return None
    segment = getattr(reader, "_segment", None)
    if segment is None:
        return None
    key = segment.segment_id()
    if key in _OPEN:
        _OPEN.move_to_end(key)
        return _OPEN[key]
    found = None
    folder = _folder(getattr(reader, "_storage", None))
    if folder is not None:
        path = sidecar_path(folder, key)
        if path.exists():
            try:
                found = Sidecar(path, segment.doc_count_all())
            except (OSError, ValueError, KeyError, struct.error):
                found = None
    _OPEN[key] = found
    while len(_OPEN) > OPEN_UP_TO:
        _, old = _OPEN.popitem(last=False)
        if old is not None:
            old.close()
    return found


def close_sidecars() -> None:
    """Forget every opened sidecar (a cold query opens them again, as a fresh process does)."""
    while _OPEN:
        _, old = _OPEN.popitem()
        if old is not None:
            old.close()


def write_for_segment(writer) -> None:
    """Write the sidecar of the segment a Whoosh SegmentWriter has just assembled, from the segment's own blocks,
    before the segment is listed in the index. (Taking the lists from the writer's in-memory postings cost three
    times as much: millions of scattered tuples.) The segment is read with plain file reads, not memory-mapped:
    a mapped segment counts in the writer's resident memory, at the moment it is largest."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    folder = _folder(writer.storage)
    if folder is None:
        return
    segment = writer.get_segment()
    reader = SegmentReader(FileStorage(str(folder), supports_mmap=False), writer.schema, segment)
    try:
        write_sidecar(folder, segment.segment_id(), segment.doc_count_all(), _segment_lists(reader))
    finally:
        reader.close()


def has_sidecar(folder: Path, segment) -> bool:
    """Whether ``segment`` of the index at ``folder`` has a sidecar of this version."""
    path = sidecar_path(folder, segment.segment_id())
    if not path.exists():
        return False
    try:
        with open(path, "rb") as f:
            magic, version, docs = _HEADER.unpack(f.read(_HEADER.size))[:3]
    except (OSError, struct.error):
        return False
    return magic == _MAGIC and version == SIDECAR_VERSION and docs == segment.doc_count_all()


def _segment_lists(reader) -> Iterator[tuple[str, bytes, object, object]]:
    """The long lists of an existing segment, decoded from its blocks (deleted passages included)."""
    terms = reader._terms
    for (field, term), info in terms.items():
        if info.doc_frequency() < SIDECAR_FROM:
            continue
        m = terms.matcher(field, term, reader.schema[field].format)
        got = _decode_postings(m, weights=True)
        if got is not None:
            yield field, term, got[0], got[1]
