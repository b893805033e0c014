"""The SQLite store: versioned schema, whole-document transactions, index bookkeeping."""

import sqlite3

import pytest

from kb.errors import NotIngested, StoreError
from kb.models import Mention, Passage
from kb.store import SCHEMA_VERSION, Store


def doc_row(doc_id="d1", source="d1.txt", **extra):
    row = {"id": doc_id, "source": source, "sha256": "0" * 64, "format": "text", "title": "T", "pages": 1,
           "passages": 1, "words": 3, "text": "One two three", "ingested_at": "2020-01-01T00:00:00+00:00"}
    row.update(extra)
    return row


def passage(doc_id="d1"):
    return Passage(f"{doc_id}-p0001-abcdef", doc_id, 1, 1, 1, 0, 13, "One two three")


def test_opening_a_missing_store_says_to_ingest(tmp_path):
    with pytest.raises(NotIngested, match="Run `kb ingest` first"):
        Store.open(tmp_path / "kb.sqlite")


def test_schema_version_is_recorded_and_newer_stores_are_refused(tmp_path):
    path = tmp_path / "kb.sqlite"
    Store.open(path, create=True).close()
    with Store.open(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="newer kb"):
        Store.open(path)


def test_an_older_store_without_a_migration_asks_for_a_rebuild(tmp_path):
    path = tmp_path / "kb.sqlite"
    Store.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='0' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="kb ingest --force"):
        Store.open(path)


def test_a_corrupt_store_gets_a_clear_error(tmp_path):
    path = tmp_path / "kb.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="unreadable"):
        Store.open(path)


def test_a_failed_transaction_leaves_the_previous_document(tmp_path):
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    with store.transaction():
        store.replace_document(doc_row(), [(1, 0, 13)], [passage()])
    with pytest.raises(KeyboardInterrupt):
        with store.transaction():
            store.replace_document(doc_row(title="New"), [(1, 0, 13)], [])
            raise KeyboardInterrupt
    assert store.document("d1")["title"] == "T"
    assert [p.id for p in store.passages("d1")] == ["d1-p0001-abcdef"]


def test_deleting_a_document_removes_everything_and_queues_the_index(tmp_path):
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    with store.transaction():
        store.replace_document(doc_row(), [(1, 0, 13)], [passage()])
        store.replace_mentions("d1", [Mention("d1", "d1-p0001-abcdef", "c", "One", 0, 3, 1)], [], "fp")
    store.mark_indexed(["d1"])
    assert store.unindexed_documents() == []
    with store.transaction():
        store.delete_document("d1")
    assert store.document("d1") is None
    assert store.passages("d1") == [] and store.mentions(doc_id="d1") == []
    assert store.pending_index_deletions() == ["d1"]
    store.mark_indexed([], deleted=["d1"])
    assert store.pending_index_deletions() == []


def test_retagging_marks_the_document_for_reindexing(tmp_path):
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    with store.transaction():
        store.replace_document(doc_row(), [(1, 0, 13)], [passage()])
    store.mark_indexed(["d1"])
    with store.transaction():
        store.replace_mentions("d1", [], [], "fp2")
    assert store.unindexed_documents() == ["d1"]


def test_read_queries_leave_other_editions_out_and_stay_bounded(tmp_path):
    """The trace's counts come from named store queries: other editions never count, and 1,200 documents or
    concepts go in batches (SQLite caps the variables of one statement)."""
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    ids = [f"d{n:04d}" for n in range(1200)]
    with store.transaction():
        for n, doc_id in enumerate(ids):
            extra = {"duplicate_of": "d0000"} if n % 2 else {}
            store.replace_document(doc_row(doc_id, f"{doc_id}.txt", **extra), [(1, 0, 13)], [passage(doc_id)])
            store.replace_mentions(doc_id, [Mention(doc_id, f"{doc_id}-p0001-abcdef", f"c{n % 600}", "One", 0, 3, 1),
                                            Mention(doc_id, f"{doc_id}-p0001-abcdef", "all", "two", 4, 7, 1)],
                                   [], "v1")
    editions = store.edition_ids()
    assert len(editions) == 600 and set(store.counted_documents()) == set(ids[::2])
    assert store.counted_passage_total(editions) == 600
    assert store.concept_passage_count("all", editions) == 600
    assert store.passages_shared("all", editions) == {f"c{n}": 2 for n in range(0, 600, 2)}  # d(n), d(n+600)
    assert store.passages_per_concept(editions)["all"] == 600
    assert sum(store.mention_totals(f"c{n}" for n in range(600)).values()) == 1200  # editions included here
    assert sum(store.concept_doc_counts("all").values()) == 600
    assert len(store.concept_occurrences("all", 5, doc_ids=ids)) == 600
    assert len(list(store.mention_spans(f"{d}-p0001-abcdef" for d in ids))) == 2400
    assert store.concept_totals()["all"] == (600, 600)
    store.close()
