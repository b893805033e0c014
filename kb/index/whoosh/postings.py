"""Posting lists decoded into arrays, and a bounded cache of recently used ones for a long-lived process.
"""

from __future__ import annotations

from collections import OrderedDict

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.index.whoosh import sidecar as _sidecar
from kb.index.whoosh.sidecar import close_sidecars, sidecar_for


def _posting_blocks(m):
    """(docnums, weights) of each remaining posting block of a Whoosh leaf matcher, read a block at a time."""
    while not m._atend:
        m._read_ids()
        m._read_weights()
        yield m._ids, m._weights
        m._next_block()


def _leaf_of(m):
    """(the posting reader under ``m``, its boost, the deleted docnums it filtered out) or None."""
    from whoosh import matching

    boost_of = 1.0
    if type(m) is matching.WrappingMatcher:
        m, boost_of = m.child, m.boost
    deleted = None
    if type(m).__name__ == "FilterMatcher" and getattr(m, "_exclude", False):
        deleted, m = m._ids, m.child
        m.reset()  # the filter may have moved past leading deleted postings
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend")) or \
            getattr(m, "_byteids", False):
        return None
    return m, boost_of, deleted


#: Decoded posting lists (docnums as int32, frequencies as float32) of recently used terms, per segment, kept by
#: a long-lived process (the Python API, a server) up to this many bytes; 0 turns the cache off. Decoding
#: Whoosh's pickled, compressed blocks is most of a plain query's time on a large index, and the commonest
#: words come back in almost every query. A segment's postings never change (deletions are kept apart), so
#: entries stay valid across index refreshes. A fresh `kb search` process starts with it empty. Lists that a
#: segment's sidecar holds are not kept here: they are read from the memory-mapped file each time.
POSTINGS_CACHE_BYTES = 256 * 2**20


_POSTINGS_CACHE: OrderedDict[tuple, tuple] = OrderedDict()


_CACHE_SIZE = [0]


def _cache_key(reader, m) -> tuple | None:
    if not POSTINGS_CACHE_BYTES:
        return None
    segment = getattr(reader, "_segment", None)
    term = m.term() if hasattr(m, "term") else None
    if segment is None or not (isinstance(term, tuple) and len(term) == 2):
        return None
    return (segment.segment_id(), *term)  # segment ids are random 16-letter names


def _cache_put(key: tuple, arrays: tuple) -> None:
    import numpy as np

    docs, tf = arrays
    small = (docs.astype(np.int32), tf.astype(np.float32) if tf is not None else None)
    size = small[0].nbytes + (small[1].nbytes if small[1] is not None else 0)
    if size > POSTINGS_CACHE_BYTES // 4:
        return
    _POSTINGS_CACHE[key] = small
    _CACHE_SIZE[0] += size
    while _CACHE_SIZE[0] > POSTINGS_CACHE_BYTES and _POSTINGS_CACHE:
        _, (d, t) = _POSTINGS_CACHE.popitem(last=False)
        _CACHE_SIZE[0] -= d.nbytes + (t.nbytes if t is not None else 0)


def clear_postings_cache() -> None:
    """Forget every decoded posting list and opened sidecar (benchmarks measure cold queries with it, as a
    fresh process starts)."""
    _POSTINGS_CACHE.clear()
    _CACHE_SIZE[0] = 0
    close_sidecars()


def _sidecar_postings(reader, m):
    """(docnums int64, term frequencies float64) of a term matcher's whole posting list from its segment's
    sidecar (deleted passages included, as in the blocks), or None when the sidecar does not hold it. A short
    list never opens the sidecar (reading the file's list of terms costs more than a few blocks)."""
    term = m.term() if hasattr(m, "term") else None
    if not (isinstance(term, tuple) and len(term) == 2):
        return None
    field, text = term
    text = text if isinstance(text, bytes) else text.encode("utf-8")
    if reader.doc_frequency(field, text) < _sidecar.SIDECAR_FROM:
        return None
    side = sidecar_for(reader)
    return side.lookup(field, text) if side is not None else None


def _decode_postings(m, weights: bool = True):
    """(docnums int64, term frequencies float64 or None) of a Whoosh 3 posting reader, from its current block to
    the end, with numpy: a block is decompressed and unpickled (as Whoosh does) but its document-number deltas
    and weights are never turned into Python lists one posting at a time. None if ``m`` is not that reader."""
    import zlib
    from itertools import chain
    from pickle import loads

    import numpy as np

    if not all(hasattr(m, a) for a in ("_postfile", "_dataoffset", "_nextoffset", "_lastblock", "_goto",
                                       "_compression", "_maxid", "_blocklength")) or getattr(m, "_byteids", True):
        return None
    get = m._postfile.get
    deltas, tfs, sizes, maxids = [], [], [], []
    while not m._atend:
        raw = get(m._dataoffset, m._nextoffset - m._dataoffset)
        if m._compression:
            raw = zlib.decompress(raw)
        data = loads(raw)
        n = m._blocklength
        deltas.append(data[0])
        sizes.append(n)
        maxids.append(m._maxid)
        if weights:
            w = data[1]
            tfs.append((1.0,) * n if w is None else (w,) * n if isinstance(w, float) else w)
        if m._lastblock:
            m._atend = True
            break
        m._goto(m._nextoffset)
    total = sum(sizes)
    if not total:
        return np.zeros(0, dtype=np.int64), (np.zeros(0) if weights else None)
    d = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=total)
    if len(sizes) > 1:
        # Each block's first number is absolute: make it relative to the previous block's last (its maximum).
        starts = np.cumsum(sizes[:-1])
        d[starts] -= np.array(maxids[:-1], dtype=np.int64)
    docs = np.cumsum(d)
    tf = np.fromiter(chain.from_iterable(tfs), dtype=np.float64, count=total) if weights else None
    return docs, tf
