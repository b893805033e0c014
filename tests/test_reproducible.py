"""The same files give the same scores, to the last digit, and the same ranking whatever the history of the index:
incremental syncs after additions, edits and removals (deleted passages still held by large segments), a
``--force`` rebuild, another storing order (``--jobs``, Dask: documents arrive in any order), other segment
sizes, one or two build processes."""

from __future__ import annotations

import random

import pytest
from search_fixtures import CONCEPTS, add_doc, make_store

from kb import search as ks
from kb.index import whoosh as whoosh_index
from kb.index.whoosh import schema as wschema
from kb.index.whoosh import writer as wwriter

#: A Zipf-like vocabulary: the first words are in most passages, the middle ones near the 2% "frequent" line
#: (so edits move words in and out of the bigram set), the last ones rare.
VOCAB = ("care health board trust plan fund integrated system local people service quokka wombat numbat bilby "
         "dingo emu kiwi kea tui weka moa kakapo takahe pukeko kereru ruru hoiho titi kokako piwakawaka "
         "tieke toroa kahu karearea matuku kotuku").split()
WEIGHTS = [1 / (rank + 1) ** 1.1 for rank in range(len(VOCAB))]


def _document(rng: random.Random) -> tuple[list[str], list[tuple[int, str]], str]:
    texts = [" ".join(rng.choices(VOCAB, WEIGHTS, k=rng.randint(2, 40))) for _ in range(rng.randint(1, 9))]
    mentions = [(i, "triple-aim") for i in range(len(texts)) if rng.random() < 0.2]
    return texts, mentions, " ".join(rng.choices(VOCAB, WEIGHTS, k=rng.randint(1, 4)))


def _store(store, doc_id: str, doc) -> None:
    texts, mentions, title = doc
    add_doc(store, doc_id, texts, mentions=mentions, title=title)


def _queries(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        kind = rng.randrange(6)
        words = rng.choices(VOCAB, WEIGHTS, k=rng.randint(1, 5))
        if kind == 0:
            out.append(words[0])
        elif kind == 1:
            out.append(" ".join(words))  # plain words: the side-by-side bonus, array and matcher paths
        elif kind == 2:
            out.append('"' + " ".join(words[:3]) + '"')
        elif kind == 3:
            out.append(" AND ".join(words[:2]) + " " + " ".join(words[2:]))
        elif kind == 4:
            out.append(" ".join(words) + " concept:triple-aim")
        else:
            out.append(f"title:{words[0]} " + " ".join(words[1:]))
    return out


def _ranking(where, queries: list[str]) -> list:
    """Every query's total and its ranking: (score as stored, to the last bit; passage id), best first; ties by
    passage id (the tie order itself is not what this test checks)."""
    out = []
    for q in queries:
        res = ks.search(where, q, concepts=CONCEPTS, limit=10_000)
        out.append((q, res.total, sorted((-h.score, h.passage_id) for h in res.hits)))
    return out


def _first_difference(a: list, b: list) -> str:
    for x, y in zip(a, b, strict=True):
        if x != y:
            at = next((i for i, (u, v) in enumerate(zip(x[2], y[2], strict=False)) if u != v), None)
            shown = (x[2][at], y[2][at]) if at is not None else (len(x[2]), len(y[2]))
            return f"{x[0]!r}: {x[1]} hits vs {y[1]}; first difference at rank {at}: {shown}"
    return ""


@pytest.mark.parametrize("seed", range(4))
def test_scores_and_order_equal_a_fresh_build_of_the_same_files(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    # Small samples and segments, and large segments that keep their deleted passages, so that the sample,
    # segment boundaries and deletions all get a chance to change the statistics.
    monkeypatch.setattr(wschema, "FREQUENT_SAMPLE", rng.choice([30, 80, 5000]))
    monkeypatch.setattr(wwriter, "PURGE_ALWAYS_UP_TO", rng.choice([0, 20]))
    monkeypatch.setattr(wwriter, "PURGE_SHARE", rng.choice([0.5, 2.0]))
    monkeypatch.setattr(wwriter, "SEGMENT_BYTES", rng.choice([40_000, 150_000, 448 * 2**20]))
    store = make_store(tmp_path / "a")
    where = tmp_path / "a" / "indexes" / "whoosh"
    files: dict[str, tuple] = {}
    for _step in range(12):
        action = rng.choice(["add", "add", "edit", "edit", "remove", "force"]) if files else "add"
        if action == "add":
            for _ in range(rng.randint(1, 8)):
                doc_id = f"d{rng.randrange(200):03}"
                files[doc_id] = _document(rng)
                _store(store, doc_id, files[doc_id])
        elif action == "edit":
            for doc_id in rng.sample(sorted(files), min(len(files), rng.randint(1, 4))):
                files[doc_id] = _document(rng)
                _store(store, doc_id, files[doc_id])
        elif action == "remove":
            with store.transaction():
                for doc_id in rng.sample(sorted(files), min(len(files), rng.randint(1, 3))):
                    store.delete_document(doc_id)
                    del files[doc_id]
        if action == "force" or not where.exists():
            whoosh_index.rebuild(store, where)
        else:
            whoosh_index.sync(store, where)
    queries = _queries(rng, 60)
    incremental = _ranking(where, queries)

    fresh = tmp_path / "a" / "fresh"
    whoosh_index.rebuild(store, fresh)
    assert _ranking(fresh, queries) == incremental, _first_difference(_ranking(fresh, queries), incremental)

    # The same final files stored in another order (as --jobs and Dask deliver them), after a history of their
    # own, and built with other segment sizes.
    other = make_store(tmp_path / "b")
    order = list(files)
    rng.shuffle(order)
    for doc_id in order[: len(order) // 2]:
        _store(other, doc_id, _document(rng))  # a version of the file that is edited later
    for doc_id in order:
        _store(other, doc_id, files[doc_id])
    monkeypatch.setattr(wwriter, "SEGMENT_BYTES", rng.choice([30_000, 448 * 2**20]))
    shuffled = tmp_path / "b" / "indexes" / "whoosh"
    whoosh_index.rebuild(other, shuffled)
    assert _ranking(shuffled, queries) == incremental, _first_difference(_ranking(shuffled, queries), incremental)
    store.close()
    other.close()


def test_deleted_passages_a_segment_keeps_leave_no_trace_in_scores(tmp_path, monkeypatch):
    """A large segment keeps its deleted passages until a tenth of it is deleted: N, document frequencies and
    average lengths are still those of the live passages, so scores equal a fresh build's exactly."""
    monkeypatch.setattr(wwriter, "PURGE_ALWAYS_UP_TO", 10)
    monkeypatch.setattr(wwriter, "PURGE_SHARE", 0.9)
    rng = random.Random(7)
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    for d in range(30):
        _store(store, f"d{d:02}", _document(rng))
    whoosh_index.sync(store, where)
    for d in range(0, 30, 4):  # edited: their old passages stay in the big segment, marked deleted
        _store(store, f"d{d:02}", _document(rng))
    with store.transaction():
        store.delete_document("d01")
    whoosh_index.sync(store, where)
    ix = whoosh_index.open_index(where)
    held, live = ix.doc_count_all(), ix.doc_count()
    ix.close()
    assert held > live  # the deleted passages are still there...
    queries = _queries(rng, 80)
    fresh = tmp_path / "fresh"
    whoosh_index.rebuild(store, fresh)
    # ...and change nothing.
    assert _ranking(where, queries) == _ranking(fresh, queries)
    with whoosh_index.Searcher(where) as s, whoosh_index.Searcher(fresh) as f:
        assert s.doc_count == f.doc_count
        for word in VOCAB:
            assert s.doc_frequency("text", word) == f.doc_frequency("text", word)
    store.close()


def test_a_removed_document_is_an_unknown_id_everywhere(tmp_path, monkeypatch):
    """A removed document's id (and a publisher or type only removed documents had) is refused with the message
    of any unknown one and never suggested, even while a large segment still holds its deleted passages."""
    from kb.errors import UnknownDocument, UsageError, unknown_document_message

    monkeypatch.setattr(wwriter, "PURGE_ALWAYS_UP_TO", 0)
    monkeypatch.setattr(wwriter, "PURGE_SHARE", 2.0)  # deleted passages are never purged here
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    ids = [f"report-{n}" for n in range(6)]
    for n, doc_id in enumerate(ids):
        add_doc(store, doc_id, ["care plan quokka", "health board"], publisher=f"Publisher {n % 3}",
                doc_type="briefing" if n else "manifesto")
    whoosh_index.sync(store, where)
    gone = ["report-0", "report-3"]  # report-0 alone was a manifesto; Publisher 0 published only these two
    with store.transaction():
        for doc_id in gone:
            store.delete_document(doc_id)
    whoosh_index.sync(store, where)
    ix = whoosh_index.open_index(where)
    assert ix.doc_count_all() > ix.doc_count()  # their passages are still in the segment, deleted
    ix.close()
    live = [d for d in ids if d not in gone]
    for doc_id in gone + ["report-9"]:
        for how in ({"doc": doc_id}, {"query": f"care doc:{doc_id}"}):
            with pytest.raises(UnknownDocument) as err:
                ks.search(where, how.get("query", "care"), concepts=CONCEPTS, doc=how.get("doc"))
            assert str(err.value) == unknown_document_message(doc_id, live)
            assert not any(g in str(err.value) for g in gone if g != doc_id)
    for option in ({"publisher": "Publisher 0"}, {"type": "manifesto"}):
        with pytest.raises(UsageError):
            ks.search(where, "care", concepts=CONCEPTS, **option)
    assert ks.search(where, "care", concepts=CONCEPTS, publisher="Publisher 1").total == 2
    with whoosh_index.Searcher(where) as s:
        assert s.keys("doc_id") == live
        assert s.keys("publisher") == ["publisher 1", "publisher 2"]
        assert s.keys("type") == ["briefing"]
    store.close()


def test_the_deleted_share_a_sync_saves_is_what_working_it_out_gives(tmp_path, monkeypatch):
    """A sync saves each segment's deleted share beside it; a fresh reader takes it only for exactly the
    deletions it was saved for, and it equals the share worked out from the deleted passages."""
    from kb.index.whoosh import scoring

    monkeypatch.setattr(wwriter, "PURGE_ALWAYS_UP_TO", 0)
    monkeypatch.setattr(wwriter, "PURGE_SHARE", 2.0)
    rng = random.Random(3)
    store = make_store(tmp_path)
    where = tmp_path / "indexes" / "whoosh"
    for d in range(20):
        _store(store, f"d{d:02}", _document(rng))
    whoosh_index.sync(store, where)
    for round_ in range(3):
        for d in rng.sample(range(20), 3):
            _store(store, f"d{d:02}", _document(rng))
        whoosh_index.sync(store, where)
        ix = whoosh_index.open_index(where)
        with ix.reader() as reader:
            for leaf, _ in scoring._leaves(reader):
                if not leaf.has_deletions():
                    continue
                deleted = sorted(leaf.segment().deleted_docs())
                saved = scoring._read_share(leaf, deleted)
                assert saved is not None, round_
                assert saved == scoring._work_out_share(leaf, deleted)
                assert scoring._read_share(leaf, deleted[:-1]) is None  # other deletions: not taken
        ix.close()
    store.close()
