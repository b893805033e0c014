"""BM25 as Lucene computes it, over the statistics of live passages, on a grid that makes sums exact.

Replaces Whoosh's BM25F statistics and idf, because Whoosh counts deleted passages a segment still holds in
every document frequency and length (so an edit changed other passages' scores) and uses its own idf: kb
scores with Lucene's idf over live passages only, each term's score rounded to a grid so sums do not depend
on the order they are added in.
"""

from __future__ import annotations

import math

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh import scoring

from kb.index.whoosh.columns import LENGTH_OF, _field_lengths
from kb.processes import process_alive


class LiveBM25Scorer(scoring.BM25FScorer):
    """Whoosh's BM25F scorer with the statistics of live passages (``live_stats``), not of every passage a
    segment still holds."""

    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        stats = live_stats(parent.reader())
        self.avgfl = stats.field_length(fieldname) / (stats.doc_count or 1) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)
        if fieldname in LENGTH_OF:  # bounds from the field's own lengths stay bounds: they are never longer
            other = LENGTH_OF[fieldname]
            self.dfl = lambda docnum: searcher.doc_field_length(docnum, other, 1)

    def _score(self, weight, length):
        return on_grid(scoring.bm25(self.idf, weight, length, self.avgfl, self.B, self.K1))

class LuceneBM25(scoring.BM25F):
    """Whoosh's BM25F with Lucene's idf, log(1 + (N - df + 0.5) / (df + 0.5)), over live passages."""

    def idf(self, searcher, fieldname, text):
        stats = live_stats(searcher.get_parent().reader())
        n = stats.doc_frequency(fieldname, text)
        dc = stats.doc_count
        return math.log(1 + (dc - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        scorer = LiveBM25Scorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)
        # Field lengths from one in-memory copy per segment, not a file read per scored passage.
        lengths = _field_lengths(searcher.reader(), fieldname)
        if lengths is not None:
            scorer.dfl = lengths.__getitem__
        return scorer


def _lucene_bm25() -> LuceneBM25:
    """The weighting every kb searcher uses: Lucene's BM25 (k1 1.2, b 0.75) over live passages."""
    return LuceneBM25(B=0.75, K1=1.2)


#: Every term's BM25 score is rounded to a multiple of this (2^-32, about 2.3e-10): sums of such numbers (and of
#: their multiples by the boosts kb uses, 0.5 and whole numbers) are exact in floating point up to 2^20, so a
#: passage's score is the same whatever order its terms are added in (segment by segment, the matchers add
#: them in the order of each segment's own maxima) and rounding never ranks two equal scores apart.
SCORE_QUANTUM = 2.0 ** -32


def on_grid(score):
    """``score`` (a float or a numpy array) rounded to the nearest multiple of SCORE_QUANTUM (ties to even)."""
    if isinstance(score, float):
        return round(score / SCORE_QUANTUM) * SCORE_QUANTUM
    import numpy as np

    return np.round(score / SCORE_QUANTUM) * SCORE_QUANTUM


class LiveStats:
    """The corpus statistics BM25 reads (passages, document frequencies, field-length totals) of the live
    passages only.

    Whoosh keeps a replaced passage in its segment's passage count, in every one of its terms' document
    frequencies and in the field-length totals until the segment is rewritten, which a sync does only once a
    tenth of a large segment is deleted; scores would then differ from those of a fresh build of the same files.
    The deleted passages' share is taken out exactly: their stored text and title are indexed again in memory
    by the same field code that indexed them (``field.index``), once per segment reader.
    """

    def __init__(self, reader) -> None:
        self.reader = reader
        self.doc_count = reader.doc_count()
        self._dead = [_deleted_share(leaf) for leaf, _ in _leaves(reader) if leaf.has_deletions()]

    def doc_frequency(self, field: str, text) -> int:
        n = self.reader.doc_frequency(field, text)
        if self._dead and n:
            key = (field, text if isinstance(text, bytes) else str(text).encode("utf-8"))
            n -= sum(dead[1].get(key, 0) for dead in self._dead)
        return n

    def field_length(self, field: str) -> int:
        """The total length of ``field`` in live passages, as its terms are scored (``LENGTH_OF``)."""
        field = LENGTH_OF.get(field, field)
        return self.reader.field_length(field) - sum(dead[0].get(field, 0) for dead in self._dead)


def _leaves(reader) -> list:
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def live_stats(reader) -> LiveStats:
    """The live statistics of ``reader`` (an index or segment reader), computed once per reader."""
    found = reader.__dict__.get("_kb_live_stats")
    if found is None:
        found = reader.__dict__["_kb_live_stats"] = LiveStats(reader)
    return found


#: The scorable fields whose terms and lengths a deleted passage's stored values give back exactly (the bigram
#: field indexes the text).
_SOURCES = {"text": "text", "title": "title", "bigrams": "text"}


def _deleted_share(leaf) -> tuple[dict, dict]:
    """What the deleted passages of one segment add to its statistics: (field -> total length,
    (field, term bytes) -> passages), cached with the segment's reader and, once a sync has written it, read from
    the segment's ``.kbdeleted`` file (working it out costs about 0.5 ms a deleted passage)."""
    found = leaf.__dict__.get("_kb_deleted_share")
    if found is not None:
        return found
    deleted = sorted(leaf.segment().deleted_docs())
    found = _read_share(leaf, deleted)
    if found is None:
        found = _work_out_share(leaf, deleted)
    leaf.__dict__["_kb_deleted_share"] = found
    return found


def _work_out_share(leaf, deleted: list[int]) -> tuple[dict, dict]:
    from collections import Counter

    lengths: Counter = Counter()
    df: Counter = Counter()
    fields = [(name, source) for name, source in _SOURCES.items()
              if name in leaf.schema and leaf.schema[name].scorable]
    for docnum in deleted:
        stored = leaf.stored_fields(docnum)
        for name, source in fields:
            value = stored.get(source)
            if not value:
                continue
            for term, freq, _weight, _value in leaf.schema[name].index(value):
                lengths[name] += freq
                df[(name, term)] += 1
    return dict(lengths), dict(df)


#: Bump when what a ``.kbdeleted`` file holds changes; a file of another version is ignored.
_SHARE_VERSION = 1


def _share_path(leaf):
    from pathlib import Path

    storage = leaf.storage()
    storage = getattr(storage, "b", storage)  # a compound segment's files overlay the index folder
    folder = getattr(storage, "folder", None)
    return Path(folder) / f"{leaf.segment().segment_id()}.kbdeleted" if folder else None


def _digest(deleted: list[int]) -> str:
    import hashlib
    from array import array

    return hashlib.blake2b(array("q", deleted).tobytes(), digest_size=16).hexdigest()


def _read_share(leaf, deleted: list[int]) -> tuple[dict, dict] | None:
    """The segment's saved share when it was saved for exactly these deleted passages (a cancelled sync may have
    saved one for deletions that were never committed)."""
    import pickle

    path = _share_path(leaf)
    if path is None or not path.exists():
        return None
    try:
        version, digest, share = pickle.loads(path.read_bytes())
    except Exception:  # a damaged or foreign file: work it out instead
        return None
    return share if version == _SHARE_VERSION and digest == _digest(deleted) else None


def save_deleted_shares(reader) -> None:
    """Save each segment's deleted share beside it (after a sync's commit), so that a fresh ``kb search`` reads it
    instead of indexing the deleted passages again. Named after the segment: Whoosh deletes it with the segment."""
    import os
    import pickle

    folders = set()
    for leaf, _ in _leaves(reader):
        if not leaf.has_deletions():
            continue
        path = _share_path(leaf)
        deleted = sorted(leaf.segment().deleted_docs())
        if path is None or _read_share(leaf, deleted) is not None:
            continue
        share = _deleted_share(leaf)
        folders.add(path.parent)
        part = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        part.write_bytes(pickle.dumps((_SHARE_VERSION, _digest(deleted), share), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(part, path)
    for folder in folders:  # what a killed writer left half-written
        for pending in folder.glob(".*.kbdeleted.tmp-*"):
            pid = pending.name.rpartition("-")[2]
            if pid.isdigit() and not process_alive(int(pid)):
                pending.unlink(missing_ok=True)
