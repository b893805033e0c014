"""The segment writer kb builds with: postings gathered in memory, in compact columns, and written in term order.

Replaces Whoosh's ``SegmentWriter`` posting pool (``whoosh.writing.PostingPool``), because that pool pushes every
posting through an external sort (a pickle dump and load each, then a heap merge) and reads each posting's field
length back from disk afterwards: about two thirds of the build time. kb's batches fit in memory and documents
arrive in docnum order, so postings are appended to columns per term and written in term order; the segment
files are the ones Whoosh writes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from whoosh.writing import SegmentWriter

from kb.index.whoosh import sidecar

#: What one gathered posting costs (its docnum, weight and value in the pool's columns), and one distinct term
#: (its key and columns); measured on the benchmark corpus: 3.6 million postings of 190,000 terms took 192 MB.
POSTING_BYTES = 28


TERM_BYTES = 480


class MemoryPool:
    """Postings per term in three flat columns: about 25 bytes a posting where a tuple of Python objects
    took about 160, so a segment of millions of postings fits in a few hundred MB."""

    def __init__(self) -> None:
        # (fieldname, term bytes) -> (docnums, weights, encoded values); values are mostly the same few bytes
        # (a term's count), kept once each in ``_values``.
        self.terms: dict = {}
        self.postings = 0
        self._values: dict = {}

    def add(self, item) -> None:  # item = (fieldname, term bytes, docnum, weight, value bytes)
        self.postings += 1
        key = item[:2]
        columns = self.terms.get(key)
        if columns is None:
            columns = self.terms[key] = (array("q"), array("d"), [])
        columns[0].append(item[2])
        columns[1].append(item[3])
        value = item[4]
        columns[2].append(self._values.setdefault(value, value))

    def size(self) -> int:
        """About how many bytes the gathered postings hold (see SEGMENT_BYTES)."""
        return self.postings * POSTING_BYTES + len(self.terms) * TERM_BYTES

    def cleanup(self) -> None:
        self.terms = {}
        self._values = {}
        self.postings = 0

class MemoryWriter(SegmentWriter):
    """A Whoosh SegmentWriter that gathers postings in memory (a ``MemoryPool``), per term, as documents arrive."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool()
        self._merged = False  # postings of merged segments may come out of docnum order

    def add_reader(self, reader) -> None:
        self._merged = True
        super().add_reader(reader)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader()
        try:
            lengths = {name: [reader.doc_field_length(d, name) for d in range(self.docnum)]
                       for name, field in self.schema.items() if field.scorable}
        finally:
            reader.close()
        writer, terms, current = self.fieldwriter, self.pool.terms, None
        for key in sorted(terms):
            fieldname, text = key
            if fieldname != current:
                if current is not None:
                    writer.finish_field()
                writer.start_field(fieldname, self.schema[fieldname])
                current, length = fieldname, lengths.get(fieldname)
            docnums, weights, values = terms.pop(key)
            postings: Iterable = zip(docnums, weights, values, strict=True)
            if self._merged:
                postings = sorted(postings)
            writer.start_term(text)
            for docnum, weight, value in postings:
                writer.add(docnum, weight, value or b"", length[docnum] if length else 0)
            writer.finish_term()
        if current is not None:
            writer.finish_field()
        writer.close()
        self.pool.cleanup()

    def _assemble_segment(self) -> None:
        super()._assemble_segment()
        sidecar.write_for_segment(self)  # listed with its segment, so it is there before any reader
