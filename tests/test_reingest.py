"""Re-ingesting as often as users like: after any sequence of edits, removals, rebuilds and interrupted runs the
index holds exactly the live passages, answers exactly as a fresh build does, and leaves nothing behind."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from conftest import run_kb
from search_fixtures import CONCEPTS, add_doc, make_store

import kb.index.whoosh.writer  # noqa: F401  (a search never loads the writer; these tests patch it by name)
from kb import index
from kb import search as ks
from kb.index import whoosh as whoosh_index

WORDS = "care health board trust plan fund integrated system quokka wombat numbat bilby dingo emu".split()
QUERIES = ["care", "quokka OR wombat", "care AND NOT health", '"care health"', "wom*", "concept:triple-aim",
           "health care board trust plan fund quokka wombat numbat bilby dingo emu"]


def _add(store, rng: random.Random, doc_id: str) -> None:
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(3, 30))) for _ in range(rng.randint(1, 8))]
    mentions = [(i, "triple-aim") for i in range(len(texts)) if rng.random() < 0.2]
    add_doc(store, doc_id, texts, mentions=mentions, title=" ".join(rng.choices(WORDS, k=2)))


def _answers(where) -> list:
    out = []
    for q in QUERIES:
        res = ks.search(where, q, concepts=CONCEPTS, limit=1000)
        assert res.total_exact
        # Ties may come in any order; scores agree to float rounding.
        out.append((res.total, sorted((round(h.score, 6), h.passage_id) for h in res.hits)))
    return out


def _leftovers(where) -> list[str]:
    ix = whoosh_index.open_index(where)
    sidecars = {f"{seg.segment_id()}.{kind}" for seg in ix._segments() for kind in ("kbpostings", "kbdeleted")}
    sidecars -= {f"{seg.segment_id()}.kbdeleted" for seg in ix._segments() if not seg.has_deletions()}
    ix.close()
    inside = sorted(p.name for p in where.iterdir()
                    if not (p.name.endswith(".seg") or p.name.endswith(".toc") or p.name == "kb-index-version"
                            or p.name in sidecars))
    beside = sorted(p.name for p in where.parent.iterdir() if p.name not in ("whoosh", "kb.sqlite", "kb.sqlite-wal",
                                                                                "kb.sqlite-shm"))
    return inside + beside


class Interrupt(BaseException):
    pass


@pytest.mark.parametrize("seed", [1, 2])
def test_any_sequence_of_ingests_equals_a_fresh_build(tmp_path, seed):
    rng = random.Random(seed)
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    live = set()
    # Enough passages first that every word is "frequent" (bigram-indexed) from the start: that set is fixed
    # when an index is created, and a fresh build must pick the same one for scores to be comparable.
    for d in range(15):
        _add(store, rng, f"d{d:03}")
        live.add(f"d{d:03}")
    for step in range(14):
        action = rng.choice(["add", "edit", "edit", "remove", "force", "interrupt", "crash"])
        if action == "add" or not live:
            for _ in range(rng.randint(1, 6)):
                doc = f"d{rng.randrange(100):03}"
                _add(store, rng, doc)
                live.add(doc)
        elif action == "edit":
            for doc in rng.sample(sorted(live), min(len(live), rng.randint(1, 5))):
                _add(store, rng, doc)
        elif action == "remove":
            with store.transaction():
                for doc in rng.sample(sorted(live), min(len(live), rng.randint(1, 3))):
                    store.delete_document(doc)
                    live.discard(doc)
        elif action == "interrupt":
            # Ctrl-C while the changes are being indexed: nothing is committed, the next run does the work.
            for doc in rng.sample(sorted(live), min(len(live), 3)):
                _add(store, rng, doc)

            def stop(n):
                raise Interrupt

            with pytest.raises(Interrupt):
                whoosh_index.sync(store, where, progress=stop)
        elif action == "crash":
            # What a killed writer leaves: its temporary folder, a build folder and the lock file.
            if where.exists():
                dead = 2**22 + 12345  # no such process
                (where / f"MAIN.tmp-{dead}").mkdir()
                (where / f"MAIN.tmp-{dead}" / "x.tmp").write_bytes(b"x")
                (where / "MAIN_WRITELOCK").write_bytes(b"")
                (where.parent / f".whoosh-build-{dead}-abc").mkdir()
                (where / f".MAIN_abc.kbpostings.tmp-{dead}").write_bytes(b"x")  # a sidecar not yet renamed
        if action == "force":
            whoosh_index.rebuild(store, where)
        else:
            whoosh_index.sync(store, where)
        ix = whoosh_index.open_index(where)
        passages = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        assert ix.doc_count_all() == ix.doc_count() == passages, (step, action)
        ix.close()
        assert _leftovers(where) == [], (step, action)
    incremental = _answers(where)
    fresh = tmp_path / "fresh"
    whoosh_index.rebuild(store, fresh)
    assert _answers(fresh) == incremental
    store.close()


def test_a_busy_lock_and_a_live_writers_folder_are_left_alone(tmp_path):
    import fcntl

    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    _add(store, random.Random(3), "a")
    whoosh_index.sync(store, where)
    mine = where / f"MAIN.tmp-{os.getpid()}"  # a live process's folder
    mine.mkdir()
    lock = where / "MAIN_WRITELOCK"
    fd = os.open(lock, os.O_CREAT | os.O_WRONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        index.whoosh.writer._clean_leftovers(where)
        assert mine.is_dir() and lock.exists()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    index.whoosh.writer._clean_leftovers(where)
    assert not lock.exists()
    shutil.rmtree(mine)
    store.close()


def test_large_segments_wait_for_a_share_of_deletions(tmp_path, monkeypatch):
    """A segment above PURGE_ALWAYS_UP_TO keeps a few deleted passages (rewriting it costs a rebuild of it) and is
    rewritten once they pass PURGE_SHARE; counts are exact either way."""
    monkeypatch.setattr(index.whoosh.writer, "PURGE_ALWAYS_UP_TO", 10)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_SHARE", 0.25)
    rng = random.Random(5)
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    for d in range(20):
        add_doc(store, f"d{d:02}", ["care " + " ".join(rng.choices(WORDS, k=10)) for _ in range(5)])
    whoosh_index.sync(store, where)  # one segment of 100 passages
    add_doc(store, "d00", ["care quokka"] * 5)  # 5 of 100 deleted: kept for now
    whoosh_index.sync(store, where)
    ix = whoosh_index.open_index(where)
    assert ix.doc_count_all() == 105 and ix.doc_count() == 100
    ix.close()
    assert ks.search(where, "care", concepts=CONCEPTS, limit=1).total == 100
    for d in range(1, 6):  # 30 of 100 deleted: the segment is rewritten
        add_doc(store, f"d{d:02}", ["care wombat"] * 5)
    whoosh_index.sync(store, where)
    ix = whoosh_index.open_index(where)
    assert ix.doc_count_all() == ix.doc_count() == 100
    ix.close()
    store.close()


def test_repeated_cli_ingests_of_edited_files_keep_counts_and_leave_only_the_index(project_copy):
    home = project_copy
    assert run_kb("ingest", home=home).returncode == 0
    first = json.loads(run_kb("search", "--json", "ics", home=home).stdout)
    corpus = sorted(p for p in (home / "corpus").glob("*.txt"))
    for round_ in range(3):
        for path in corpus[:2]:
            path.write_text(path.read_text("utf-8") + f"\n\nAn added paragraph, round {round_}.\n", "utf-8")
        assert run_kb("ingest", home=home).returncode == 0
    again = json.loads(run_kb("search", "--json", "ics", home=home).stdout)
    assert again["total"] == first["total"] and again["total_exact"]
    # The store (with SQLite's own -wal/-shm files while they are in use), kb's ingest lock and the index: the
    # current generation, and the link to it.
    current = os.readlink(home / "indexes" / "whoosh")
    assert {p.name for p in (home / "indexes").iterdir()} <= {"ingest.lock", "kb.sqlite", "kb.sqlite-wal",
                                                             "kb.sqlite-shm", "whoosh", current}
    assert not [p.name for p in (home / "indexes" / "whoosh").iterdir() if "tmp" in p.name or "LOCK" in p.name]
    assert run_kb("ingest", "--force", home=home).returncode == 0
    forced = json.loads(run_kb("search", "--json", "ics", home=home).stdout)
    assert forced["total"] == again["total"]
    assert [h["passage_id"] for h in forced["hits"]] == [h["passage_id"] for h in again["hits"]]


def test_a_rebuild_in_bounded_segments_answers_as_one_segment(tmp_path, monkeypatch):
    """A rebuild writer closes its segment once its postings reach SEGMENT_BYTES (bounded memory); the index then
    has several segments and answers exactly as one segment does."""
    rng = random.Random(9)
    store = make_store(tmp_path)
    for d in range(30):
        _add(store, rng, f"d{d:03}")
    one = tmp_path / "one"
    whoosh_index.rebuild(store, one)
    monkeypatch.setattr(index.whoosh.writer, "SEGMENT_BYTES", 80_000)
    many = tmp_path / "many"
    whoosh_index.rebuild(store, many)
    ix = whoosh_index.open_index(many)
    passages = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    assert len(ix._segments()) >= passages // 30 and ix.doc_count_all() == passages
    # Segments end between documents (only a document too large for one is cut), so a sync that rewrites one
    # segment need not rewrite its neighbours.
    holders = [index.whoosh.writer._live_doc_ids(ix.storage, ix.schema, seg) for seg in ix._segments()]
    assert sum(len(docs) for docs in holders) == len(set().union(*holders))
    ix.close()
    assert _answers(many) == _answers(one)
    store.close()


def _segments_holding(where, doc_id: str) -> int:
    ix = whoosh_index.open_index(where)
    try:
        return sum(doc_id in index.whoosh.writer._live_doc_ids(ix.storage, ix.schema, seg) for seg in ix._segments())
    finally:
        ix.close()


def _fresh(store, where) -> list:
    whoosh_index.rebuild(store, where)
    return _answers(where)


def test_a_document_larger_than_a_segment_spans_several_and_is_replaced_whole(tmp_path, monkeypatch):
    """A document with more postings than a segment may hold is cut into several segments (memory stays bounded
    whatever one document's size); it searches, counts, is re-indexed and is deleted exactly as in one
    segment, and rewriting a segment it shares with a small document rewrites it whole, never twice."""
    rng = random.Random(11)
    store = make_store(tmp_path)
    for d in range(15):
        _add(store, rng, f"d{d:03}")
    big = [" ".join(rng.choices(WORDS, k=rng.randint(5, 25))) for _ in range(120)]
    add_doc(store, "big", big, mentions=[(i, "triple-aim") for i in range(0, 120, 7)], title="aaa big report")
    add_doc(store, "zzz", ["care quokka numbat"] * 3, title="aab next")  # in the big document's last segment
    one = tmp_path / "one"
    whoosh_index.rebuild(store, one)
    monkeypatch.setattr(index.whoosh.writer, "SEGMENT_BYTES", 100_000)
    where = tmp_path / "indexes" / "whoosh"
    whoosh_index.sync(store, where)
    assert _segments_holding(where, "big") >= 3
    ix = whoosh_index.open_index(where)
    assert any({"big", "zzz"} <= index.whoosh.writer._live_doc_ids(ix.storage, ix.schema, seg) for seg in ix._segments())
    ix.close()
    assert _answers(where) == _answers(one)
    assert ks.search(where, "doc:big", concepts=CONCEPTS, limit=1).total == 120

    # The small document sharing the big one's last segment goes: that segment is rewritten, and with it every
    # segment holding the big document, which is indexed again exactly once.
    with store.transaction():
        store.delete_document("zzz")
    whoosh_index.sync(store, where)
    ix = whoosh_index.open_index(where)
    assert ix.doc_count_all() == ix.doc_count() == store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    ix.close()
    assert ks.search(where, "doc:big", concepts=CONCEPTS, limit=1).total == 120
    answers = _answers(where)
    assert answers == _fresh(store, tmp_path / "fresh1")

    # Re-ingested with other text (fewer passages), then removed: nothing of it is left in any segment.
    add_doc(store, "big", [" ".join(rng.choices(WORDS, k=12)) for _ in range(70)], title="aaa big report")
    whoosh_index.sync(store, where)
    assert _segments_holding(where, "big") >= 2
    assert ks.search(where, "doc:big", concepts=CONCEPTS, limit=1).total == 70
    assert _answers(where) == _fresh(store, tmp_path / "fresh2")
    with store.transaction():
        store.delete_document("big")
    whoosh_index.sync(store, where)
    assert _segments_holding(where, "big") == 0
    assert _answers(where) == _fresh(store, tmp_path / "fresh3")
    assert _leftovers(where) == []
    store.close()


def test_a_long_lived_searcher_sees_each_sync_exactly(tmp_path, monkeypatch):
    """The cached searcher of a long-lived process (the Python API) answers after a sync as a fresh process
    does: a segment the sync dropped is not searched, and deletions added to a kept segment apply."""
    monkeypatch.setattr(index.whoosh.writer, "PURGE_ALWAYS_UP_TO", 10)
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    for d in range(20):
        add_doc(store, f"d{d:02}", ["care quokka wombat"] * 5)
    whoosh_index.sync(store, where)  # one segment of 100 passages
    ix = whoosh_index.open_index(where)
    frequent = index.whoosh.schema._indexed(ix)
    ix.close()
    assert ks.search(where, "care", concepts=CONCEPTS, limit=1).total == 100
    add_doc(store, "d00", ["care wombat"] * 5)  # 5 of 100 deleted, the segment kept: a new one of 5
    whoosh_index.sync(store, where)
    assert ks.search(where, "quokka", concepts=CONCEPTS, limit=1).total == 95
    assert ks.search(where, "care", concepts=CONCEPTS, limit=1).total == 100
    add_doc(store, "extra", ["care numbat"])  # the small segment of d00 is rewritten with it
    whoosh_index.sync(store, where)
    assert ks.search(where, "wombat", concepts=CONCEPTS, limit=1).total == 100
    assert ks.search(where, "numbat", concepts=CONCEPTS, limit=1).total == 1
    assert ks.search(where, "care", concepts=CONCEPTS, limit=1).total == 101
    ix = whoosh_index.open_index(where)
    assert index.whoosh.schema._indexed(ix) == frequent  # every step was a sync, not a rebuild
    ix.close()
    store.close()


def test_a_long_lived_searcher_sees_a_rebuild(tmp_path):
    """A rebuild swaps a whole new index in (``--force``, or a sync whose frequent words changed); a cached
    searcher moves to it even when the old index had as few generations as the new one."""
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "d00", ["care quokka"] * 5)
    whoosh_index.rebuild(store, where)
    assert ks.search(where, "quokka", concepts=CONCEPTS, limit=1).total == 5
    add_doc(store, "d00", ["care wombat"] * 3)
    whoosh_index.rebuild(store, where)
    assert ks.search(where, "quokka", concepts=CONCEPTS, limit=1).total == 0
    assert ks.search(where, "wombat", concepts=CONCEPTS, limit=1).total == 3
    store.close()
