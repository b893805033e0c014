"""Sidecars: each segment's long posting lists decoded into a file of kb's own, read as arrays by cold queries.

The sidecar must hold exactly what the segment's blocks hold, be written and deleted with its segment, change
no score, page, total or fragment, and an index without one (or with one of another version) must still answer
the same, the old way, until `kb ingest` writes it.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import numpy as np
import pytest
from search_fixtures import CONCEPTS
from test_counts import LONG_QUERIES, QUERIES, build_with_deletions

import kb.index.whoosh.writer  # noqa: F401  (a search never loads the writer; these tests patch it by name)
from kb import index
from kb import search as ks
from kb.index import whoosh as whoosh_index
from kb.index.whoosh import sidecar
from kb.index.whoosh.postings import _decode_postings


@pytest.fixture
def small_index(tmp_path, monkeypatch):
    """Four segments with deleted passages (three of a rebuild, one of a sync), sidecars from 8 postings."""
    monkeypatch.setattr(sidecar, "SIDECAR_FROM", 8)
    monkeypatch.setattr(index.whoosh.writer, "PARALLEL_THRESHOLD", 10**9)  # one process: it sees the patches
    monkeypatch.setattr(index.whoosh.writer, "SEGMENT_BYTES", 60_000)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_ALWAYS_UP_TO", 0)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_SHARE", 2.0)
    monkeypatch.setattr(index.whoosh.arrays, "ARRAY_FROM_PASSAGES", 0)  # the array and numpy-count paths
    monkeypatch.setattr(index.whoosh.counting, "COUNT_NUMPY_FROM", 0)
    store, where = build_with_deletions(tmp_path, random.Random(5))
    ix = whoosh_index.open_index(where)
    assert len(ix._segments()) >= 3 and ix.doc_count_all() > ix.doc_count()
    ix.close()
    yield store, where
    store.close()
    whoosh_index.clear_postings_cache()


def _answers(where) -> list:
    """Every query's total and page (scores, ids, fragments), each asked cold."""
    out = []
    for q in QUERIES + LONG_QUERIES:
        whoosh_index.clear_postings_cache()
        res = ks.search(where, q, concepts=CONCEPTS, limit=20, suggest=False)
        out.append((q, res.total, res.total_exact,
                    [(h.score, h.passage_id, [f.html() for f in h.fragments]) for h in res.hits]))
    return out


def _files(where) -> tuple[set[str], set[str]]:
    """(sidecar files in the index folder, sidecar names its listed segments should have)."""
    ix = whoosh_index.open_index(where)
    wanted = {f"{seg.segment_id()}{sidecar.SUFFIX}" for seg in ix._segments()}
    ix.close()
    return {p.name for p in where.iterdir() if sidecar.SUFFIX in p.name}, wanted


def test_every_segment_has_a_sidecar_holding_exactly_its_long_lists(small_index):
    from whoosh.reading import SegmentReader

    _, where = small_index
    present, wanted = _files(where)
    assert present == wanted
    ix = whoosh_index.open_index(where)
    checked = 0
    for seg in ix._segments():
        assert sidecar.has_sidecar(where, seg)
        side = sidecar.Sidecar(sidecar.sidecar_path(where, seg.segment_id()), seg.doc_count_all())
        reader = SegmentReader(ix.storage, ix.schema, seg)
        for (field, term), info in reader._terms.items():
            got = side.lookup(field, term)
            if info.doc_frequency() < sidecar.SIDECAR_FROM:
                assert got is None
                continue
            docs, tf = _decode_postings(reader._terms.matcher(field, term, reader.schema[field].format))
            assert np.array_equal(got[0], docs) and np.array_equal(got[1], tf), (field, term)
            checked += 1
        reader.close()
        side.close()
    ix.close()
    assert checked > 50


def test_queries_answer_the_same_with_and_without_sidecars(small_index, monkeypatch):
    _, where = small_index
    with_sidecars = _answers(where)
    assert any(s is not None for s in sidecar._OPEN.values())  # they were read
    monkeypatch.setattr(sidecar, "USE_SIDECARS", False)
    assert _answers(where) == with_sidecars
    without = _answers(where)
    monkeypatch.setattr(sidecar, "USE_SIDECARS", True)
    assert _answers(where) == without


def test_a_sidecar_goes_with_its_segment(small_index, monkeypatch):
    store, where = small_index
    before, _ = _files(where)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_ALWAYS_UP_TO", 5_000)  # segments with deletions are rewritten
    with store.transaction():
        store.delete_document("d03")
    whoosh_index.sync(store, where)
    present, wanted = _files(where)
    assert present == wanted and present != before
    assert before - wanted and not (before - wanted) & present  # the dropped segments' sidecars went with them
    # no pending file left behind (a segment's random id may itself hold the letters "tmp": "MAIN_7mwpqtmpp64q.seg")
    assert not [p.name for p in where.iterdir() if re.search(r"\.tmp(?:-\d+)?$", p.name)]


def test_an_index_without_sidecars_answers_the_same_and_ingest_writes_them(small_index):
    store, where = small_index
    want = _answers(where)
    for path in where.glob(f"*{sidecar.SUFFIX}"):
        path.unlink()
    assert _answers(where) == want
    ix = whoosh_index.open_index(where)
    segments = ix._segments()
    ix.close()
    # One segment's sidecar is of another version, and a killed writer left a pending one: both ignored.
    sidecar.write_sidecar(where, segments[0].segment_id(), segments[0].doc_count_all(), [])
    path = sidecar.sidecar_path(where, segments[0].segment_id())
    raw = bytearray(path.read_bytes())
    raw[8:12] = (sidecar.SIDECAR_VERSION + 1).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pending = where / f".{segments[1].segment_id()}{sidecar.SUFFIX}.tmp-{int(dead.stdout)}"
    pending.write_bytes(b"half")
    assert _answers(where) == want
    assert not sidecar.has_sidecar(where, segments[0])
    whoosh_index.sync(store, where)  # nothing to index: it writes the missing sidecars and removes the pending one
    present, wanted = _files(where)
    assert present == wanted and all(sidecar.has_sidecar(where, seg) for seg in segments)
    assert _answers(where) == want
