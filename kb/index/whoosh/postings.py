"""Posting lists decoded into arrays, and a bounded cache of recently used ones for a long-lived process.

Replaces Whoosh's decoding of a term's blocks on every query, because decoding is most of a plain query's time
on a large index and the commonest words come back in almost every query: decoded lists come from the
segment's sidecar, or from a bounded cache a long-lived process keeps.
"""

from __future__ import annotations

from collections import OrderedDict

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)

from kb.index.whoosh import sidecar as _sidecar
from kb.index.whoosh.blocks import _decode_postings, _leaf_of, _posting_blocks  # noqa: F401  (kb's one decoder)
from kb.index.whoosh.sidecar import close_sidecars, sidecar_for

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
