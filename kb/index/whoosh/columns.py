"""Per-segment columns (field lengths, dates) read once and kept in memory.

Replaces Whoosh's per-passage column and field-length reads (a file read and an unpack per call), because the
matchers, the counts and the date filters ask for them once per candidate: each segment's values are unpacked
once into a list or array and kept on the segment's reader.
"""

from __future__ import annotations

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)


def _column_values(column_reader) -> list | None:
    """Every value of a fixed-width numeric column as a list indexed by docnum (None if not that kind)."""
    import struct

    try:
        dbfile, base, count = column_reader._dbfile, column_reader._basepos, column_reader._count
        typecode, default, doccount = column_reader._typecode, column_reader._default, column_reader._doccount
    except AttributeError:
        return None
    values = list(struct.unpack(f"!{count}{typecode}", dbfile.get(base, count * struct.calcsize(typecode))))
    return values + [default] * (doccount - count)


def _cached(reader, key, make):
    cache = reader.__dict__.setdefault("_kb_columns", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


#: Fields scored with another field's lengths: a bigram term's BM25 length is the passage's word count, so a
#: pair scores the same whichever other pairs the index holds (see schema.INDEXED_SHARE).
LENGTH_OF = {"bigrams": "text"}


def _field_lengths(reader, fieldname: str) -> list | None:
    """Decoded field lengths of one segment (what ``doc_field_length(docnum, field, 1)`` returns), the lengths
    a term of ``fieldname`` is scored with (LENGTH_OF)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    fieldname = LENGTH_OF.get(fieldname, fieldname)

    def make():
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is None or not perdoc.has_column(_lenfield(fieldname)):
            return None
        raw = _column_values(perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN))
        if raw is None:
            return None
        table = [1] + [byte_to_length(b) for b in range(1, 256)]
        return [table[b] for b in raw]

    return _cached(reader, ("length", fieldname), make)


def _date_runs(reader, checks: tuple) -> tuple[list[int], list[int]]:
    """Runs of docnums [start, end) whose date columns pass every (field, low, high) check."""

    def make():
        ok = None
        for field, lo, hi in checks:
            raw = reader.column_reader(field, translate=False)
            values = _column_values(raw) or list(raw)
            ok = ([lo <= v <= hi for v in values] if ok is None else
                  [o and lo <= v <= hi for o, v in zip(ok, values, strict=False)])
        assert ok is not None  # a filter has at least one check
        n = len(ok)
        starts = [i for i in range(n) if ok[i] and (i == 0 or not ok[i - 1])]
        ends = [i for i in range(1, n + 1) if ok[i - 1] and (i == n or not ok[i])]
        return starts, ends

    return _cached(reader, ("dates", checks), make)
