"""Whoosh's posting blocks read directly: the one decoder of kb's engine.

Whoosh 2.7 stores a term's postings in blocks of up to 128, each pickled (and zlib-compressed) with its document
numbers as deltas; its matcher turns every posting into Python objects as it goes. kb reads the blocks itself,
once, into numpy arrays (``_decode_postings``) or block by block (``_posting_blocks``), for the array scoring,
the exact counts, the decoded lists kept beside each segment (sidecars) and the bounded cache of ``postings``.
It reads the private fields of Whoosh's posting reader (``_postfile``, ``_dataoffset``, ...), which is why
whoosh-reloaded is pinned.
"""

from __future__ import annotations

import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)


def _posting_blocks(m, weights: bool = True):
    """(docnums, weights) of each remaining posting block of a Whoosh leaf matcher, read a block at a time:
    the one loop over Whoosh's blocks (without ``weights`` the weights are never decoded and come as ())."""
    while not m._atend:
        m._read_ids()
        if weights:
            m._read_weights()
            yield m._ids, m._weights
        else:
            yield m._ids, ()
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
