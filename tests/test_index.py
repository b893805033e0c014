"""The Whoosh passage index: analysis, incremental sync, rebuild, and the Whoosh distribution we depend on."""

import pathlib
import warnings

import pytest
from search_fixtures import CONCEPTS, add_doc, make_store

import kb.index.whoosh.writer  # noqa: F401  (a search never loads the writer; these tests patch it by name)
from kb import index
from kb.index import whoosh as whoosh_index
from kb.search import search


def ids(results):
    return [h.passage_id for h in results.hits]


# -- analysis ---------------------------------------------------------------------------------------------
def test_words_are_stemmed_and_stop_words_dropped():
    assert index.analyze("The integrated systems are integrating") == ["integrat", "system", "integrat"]


def test_acronyms_are_kept_unstemmed_and_plural_s_is_dropped():
    assert index.analyze("ICSs and an ICS; PCNs, NHS, A&E") == ["ics", "ics", "pcn", "nhs", "a&e"]
    # an acronym is never confused with the stem of an ordinary word
    assert index.analyze("ICS") != index.analyze("ics")


def test_possessives_match_the_plain_name():
    assert index.analyze("King's Fund") == index.analyze("kings fund") == ["king", "fund"]


def test_publisher_key_ignores_case_apostrophes_and_the():
    assert index.publisher_key("The King's Fund") == index.publisher_key("kings fund") == "kings fund"


# -- sync -----------------------------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    s = make_store(tmp_path)
    yield s
    s.close()


def test_sync_indexes_new_documents_and_is_a_no_op_when_nothing_changed(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["The triple aim of better health."])
    add_doc(store, "b", ["Integrated care systems."])
    assert whoosh_index.sync(store, where) == (["a", "b"], [])
    assert store.unindexed_documents() == []
    assert whoosh_index.sync(store, where) == ([], [])
    assert ids(search(where, "triple")) == ["a-p0"]


def test_changed_document_is_reindexed_and_old_passages_are_gone(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Clinical commissioning groups commission care."])
    whoosh_index.sync(store, where)
    add_doc(store, "a", ["Integrated care boards replaced them."])  # a new version of the same document
    assert whoosh_index.sync(store, where) == (["a"], [])
    assert search(where, "commissioning").total == 0
    assert ids(search(where, "boards")) == ["a-p0"]


def test_deleted_document_leaves_no_hits(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Sustainability and transformation partnerships."])
    add_doc(store, "b", ["Sustainability matters."])
    whoosh_index.sync(store, where)
    with store.transaction():
        store.delete_document("a")
    assert whoosh_index.sync(store, where) == ([], ["a"])
    assert store.pending_index_deletions() == []
    assert ids(search(where, "sustainability")) == ["b-p0"]


def test_duplicate_editions_are_marked_indexed_but_never_searchable(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "orig", ["Statutory footing for systems."])
    add_doc(store, "copy", ["Statutory footing for systems."], duplicate_of="orig")
    indexed, _ = whoosh_index.sync(store, where)
    assert sorted(indexed) == ["copy", "orig"]
    assert store.unindexed_documents() == []
    assert [h.doc_id for h in search(where, "statutory").hits] == ["orig"]


def test_a_crash_before_marking_redoes_the_work_without_duplicates(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Provider collaboratives."])
    whoosh_index.sync(store, where)
    with store.transaction():  # as if kb died after the Whoosh commit but before mark_indexed
        store.conn.execute("UPDATE documents SET indexed=0")
    whoosh_index.sync(store, where)
    assert search(where, "collaboratives").total == 1


def test_missing_index_is_rebuilt_from_the_store(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Provider collaboratives."])
    whoosh_index.sync(store, where)
    import shutil

    shutil.rmtree(where)
    assert whoosh_index.sync(store, where) == (["a"], [])
    assert search(where, "collaboratives").total == 1


def test_rebuild_swaps_in_a_complete_index(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Provider collaboratives."])
    whoosh_index.sync(store, where)
    add_doc(store, "b", ["Place-based partnerships."])
    assert sorted(whoosh_index.rebuild(store, where)) == ["a", "b"]
    assert store.unindexed_documents() == []
    assert search(where, "partnerships").total == 1
    assert search(where, "collaboratives").total == 1
    assert not list(where.parent.glob(".whoosh-build-*"))


def _corpus(store, docs: int = 12) -> None:
    import random

    rng = random.Random(3)
    words = ("integrated care systems boards primary networks provider collaboratives triple aim health "
             "funding local authority place partnerships commissioning ICS PCN CCG").split()
    for d in range(docs):
        texts = [" ".join(rng.choice(words) for _ in range(rng.randint(8, 40))) for _ in range(rng.randint(1, 6))]
        add_doc(store, f"d{d:02}", texts, publisher=rng.choice(["King's Fund", "NHS England"]),
                published=f"20{rng.randint(15, 23)}")


def _answers(where) -> list:
    out = []
    for q in ("integrated care", '"triple aim"', "ICS OR networks", "funding -local", "boards publisher:nhs"):
        res = search(where, q, limit=50)
        # Equal scores may come out in either order (Whoosh breaks ties per segment).
        out.append((res.total, sorted((-round(h.score, 9), h.passage_id) for h in res.hits)))
    return out


def test_two_process_build_gives_the_same_answers_as_whooshs_own_writer(store, tmp_path, monkeypatch):
    """The rebuild's in-memory writer and second process must not change a single hit or score."""
    _corpus(store)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    monkeypatch.setattr(index.whoosh.writer, "PARALLEL_THRESHOLD", 0)
    whoosh_index.rebuild(store, ours)
    ix = whoosh_index.open_index(ours)
    assert len(ix._segments()) == 2 and ix.doc_count() == sum(1 for _ in store.conn.execute("SELECT 1 FROM passages"))
    ix.close()
    # Reference: one segment written by Whoosh's stock writer from the same rows.
    theirs_ix = index.whoosh.writer._create(theirs, store)
    writer = theirs_ix.writer()
    for (doc_id,) in store.conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
        for fields in index.whoosh.schema._doc_fields(store, doc_id, bigrams=True):
            writer.add_document(**fields)
    writer.commit()
    assert _answers(ours) == _answers(theirs)


def test_segment_writers_running_at_once_keep_their_temporary_files_apart(tmp_path):
    """Whoosh names a writer's temporary folder after the index and deletes it when done: two writers of one
    rebuild (two processes) each need their own, or the first to finish deletes the other's spilled columns.
    Within one process the writer and its per-document writer share one, which the writer deletes."""
    import os

    storage = index.whoosh.writer._private_temp_storage(tmp_path)
    first, again = storage.temp_storage("MAIN.tmp"), storage.temp_storage("MAIN.tmp")
    assert first.folder == again.folder and first.folder.endswith(f"-{os.getpid()}")
    real = os.getpid
    try:
        os.getpid = lambda: real() + 1  # the other writer process
        second = storage.temp_storage("MAIN.tmp")
    finally:
        os.getpid = real
    assert first.folder != second.folder
    first.destroy()
    assert pathlib.Path(second.folder).is_dir()


def test_a_failing_second_writer_leaves_the_previous_index_in_place(store, tmp_path, monkeypatch):
    from kb.errors import StoreError

    _corpus(store)
    where = tmp_path / "indexes" / "whoosh"
    whoosh_index.sync(store, where)
    before = _answers(where)
    monkeypatch.setattr(index.whoosh.writer, "PARALLEL_THRESHOLD", 0)
    from kb.index.whoosh import handoff

    def garbled(path, rows):  # the worker cannot read its share
        path.write_bytes(b"not a pickle")
        return 0

    monkeypatch.setattr(handoff, "write_rows", garbled)
    with pytest.raises(StoreError, match="Run `kb ingest --force`"):
        whoosh_index.rebuild(store, where)
    assert _answers(where) == before
    assert not list(where.parent.glob(".whoosh-build-*"))


def test_an_incremental_sync_adds_through_the_in_memory_writer(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    _corpus(store, docs=6)
    whoosh_index.sync(store, where)
    add_doc(store, "late", ["Provider collaboratives and integrated care boards."])
    add_doc(store, "d00", ["A new edition of the first document about triple aim."])
    assert whoosh_index.sync(store, where) == (["d00", "late"], [])
    assert [h.doc_id for h in search(where, "collaboratives boards", limit=50).hits].count("late") == 1
    assert {h.passage_id for h in search(where, '"triple aim"', limit=50).hits if h.doc_id == "d00"} == {"d00-p0"}


@pytest.mark.parametrize("field", ["text", "title", "bigrams"])
def test_fast_field_indexing_gives_what_whooshs_generic_path_gives(field):
    from whoosh.fields import TEXT

    sch = whoosh_index.schema.schema(bigrams=True)
    ours = sch[field]
    generic = TEXT(analyzer=ours.analyzer, phrase=False, field_boost=ours.format.field_boost)
    for text in ["Integrated care systems (ICSs) and the NHS: integrated care, integrated care systems!",
                 "", "the of and", "Café's naïve ICS ’s résumé A&E 2022 care care care"]:
        assert sorted(ours.index(text)) == sorted(generic.index(text))


def test_faster_posting_skips_land_where_whooshs_own_skips_land(store, tmp_path):
    """kb replaces Whoosh's posting-by-posting skip_to with a binary search: same positions, every time."""
    import random

    from whoosh.codec.whoosh3 import W3LeafMatcher

    original = W3LeafMatcher._kb_original
    # 700 passages over several 128-posting blocks; "boards" in a scattered third of them.
    add_doc(store, "big", [("integrated care boards " if n % 3 == 0 or n % 7 == 0 else "integrated care ") + f"w{n}"
                           for n in range(700)])
    where = tmp_path / "ix"
    whoosh_index.rebuild(store, where)
    reader = whoosh_index.open_index(where).reader()
    rng = random.Random(5)
    for term in index.analyze("boards integrated"):
        ours, theirs = reader.postings("text", term), reader.postings("text", term)
        while ours.is_active():
            target = ours.id() + rng.choice([0, 1, 2, 5, 60, 130, 300])
            ours.skip_to(target)
            original["skip_to"](theirs, target)
            assert ours.is_active() == theirs.is_active()
            if ours.is_active():
                assert ours.id() == theirs.id() >= target
                assert list(ours._ids) == list(original["_read_ids"](theirs) or theirs._ids)


def test_concept_ids_come_from_the_stores_mentions(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["The systems work.", "Nothing here."], mentions=[(0, "integrated-care-system")])
    whoosh_index.sync(store, where)
    res = search(where, "concept:ics", concepts=CONCEPTS)
    assert ids(res) == ["a-p0"]
    assert res.hits[0].concepts == ("integrated-care-system",)


def test_retagging_a_document_rewrites_its_concepts(store, tmp_path):
    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["The systems work."])
    whoosh_index.sync(store, where)
    assert search(where, "concept:ics", concepts=CONCEPTS).total == 0
    from kb.models import Mention

    with store.transaction():  # replace_mentions marks the document for re-indexing
        store.replace_mentions("a", [Mention("a", "a-p0", "integrated-care-system", "systems", 4, 11, 1)], [], "v2")
    assert whoosh_index.sync(store, where) == (["a"], [])
    assert search(where, "concept:ics", concepts=CONCEPTS).total == 1


# -- the Whoosh distribution -------------------------------------------------------------------------------
def test_whoosh_is_the_reloaded_fork_without_syntax_warnings():
    """Whoosh 2.7.4 emits SyntaxWarnings (`is 0`, invalid escapes) when compiled on Python 3.12+;
    whoosh-reloaded 2.7.5, which we depend on, compiles cleanly (its vendored pyparsing aside)."""
    import whoosh

    assert whoosh.versionstring() == "2.7.5"
    root = pathlib.Path(whoosh.__file__).parent
    noisy = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "pyparsing.py":
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            compile(path.read_text("utf-8"), str(path), "exec")
        noisy += [f"{path.relative_to(root)}:{w.lineno}" for w in caught if issubclass(w.category, SyntaxWarning)]
    assert noisy == []


def test_phrases_match_exactly_the_passages_holding_the_words_side_by_side(store, tmp_path, monkeypatch):
    """Phrases come from the bigram field (and, for 3+ words, a check of the stored text): the answer must be
    what reading every passage word by word gives."""
    where = tmp_path / "indexes" / "whoosh"
    texts = ["care systems work for local care", "local care systems and care", "systems of care, local to care",
             "care care care local systems", "the local systems care plan", "integrated care systems locally",
             "local care, then systems", "Local Care Systems (LCS)", "the quokka care systems"]
    add_doc(store, "a", texts)
    add_doc(store, "b", list(reversed(texts)))
    whoosh_index.sync(store, where)
    s = whoosh_index.Searcher(where)
    every = [(f"{d}-p{n}", index.analyze(t)) for d, ts in (("a", texts), ("b", texts[::-1])) for n, t in enumerate(ts)]
    for phrase in ("care systems", "local care", "local care systems", "care care", "care care care local",
                   "systems care plan", "integrated care systems locally", "quokka care", "care quokka",
                   "quokka care systems"):
        run = tuple(index.analyze(phrase))
        expected = {pid for pid, terms in every if index.whoosh.compiler._contains_run(tuple(terms), run)}
        got, _, _ = s.run(index.PhraseQ("text", run), limit=50)
        assert {h.id for h in got} == expected, phrase
        assert expected or phrase == "care quokka", phrase
    # Above the check's limit a long phrase needs every pair, not the whole run (documented superset).
    monkeypatch.setattr(index.whoosh.compiler, "RUN_CHECK_UP_TO", 0)
    got, _, _ = s.run(index.PhraseQ("text", ("local", "care", "system")), limit=50)
    assert {h.id for h in got} >= {pid for pid, terms in every if index.whoosh.compiler._contains_run(tuple(terms), ("local", "care", "system"))}
    s.close()


def test_a_short_page_of_phrase_hits_is_the_top_of_the_full_list(store, tmp_path):
    """Candidates that cannot reach the page are not read; the page must still be exactly the best hits."""
    import random

    rng = random.Random(11)
    texts = []
    for n in range(120):
        words = (["care"] * rng.randint(1, 4) + ["quokka"] * rng.randint(1, 3) + ["plan"] * rng.randint(1, 2)
                 + ["filler"] * rng.randint(0, 30))
        rng.shuffle(words)
        texts.append(" ".join(words) + (" quokka care plan" if n % 9 == 0 else ""))
    add_doc(store, "z", texts)
    where = tmp_path / "ix"
    whoosh_index.rebuild(store, where)
    s = whoosh_index.Searcher(where)
    node = index.PhraseQ("text", ("quokka", "care", "plan"))
    full, _, _ = s.run(node, limit=500)
    expected = {f"z-p{n}" for n, t in enumerate(texts) if "quokka care plan" in t}
    assert {h.id for h in full} == expected
    for limit in (1, 3, 5):
        page, _, _ = s.run(node, limit=limit)
        assert [(h.id, h.score) for h in page] == [(h.id, h.score) for h in full[:limit]]
    s.close()


def test_an_index_from_another_kb_version_is_rebuilt_by_sync_and_refused_by_search(store, tmp_path):
    from kb.errors import NotIngested

    where = tmp_path / "indexes" / "whoosh"
    add_doc(store, "a", ["Provider collaboratives."])
    whoosh_index.sync(store, where)
    (where / "kb-index-version").write_text("kb-index-0\n")
    with pytest.raises(NotIngested, match="Run `kb ingest` to rebuild it"):
        whoosh_index.Searcher(where)
    assert whoosh_index.sync(store, where) == (["a"], [])  # nothing changed in the store, but the index is rebuilt
    assert whoosh_index.index_version(where) == whoosh_index.INDEX_VERSION
    assert search(where, "collaboratives").total == 1


@pytest.mark.parametrize("preload", [False, True])
def test_pages_are_exactly_the_best_of_every_match_scored(store, tmp_path, monkeypatch, preload):
    """Pages come from pruned evaluation (MaxScore, block maxima, title-bonus tiers, or whole posting lists
    scored at once when words are common): every page must be the top of every match scored one by one, in
    two segments, for alternatives, ANDs with optional words, title terms, phrases and prefixes."""
    monkeypatch.setattr(index.whoosh.preload, "PRELOAD_FROM", 0 if preload else 10**9)
    preloaded = []
    real_preload = index.whoosh.preload._preload
    monkeypatch.setattr(index.whoosh.preload, "_preload", lambda *a: preloaded.append(real_preload(*a)) or preloaded[-1])
    import random

    rng = random.Random(17)
    words = "care health board trust plan fund quokka wombat numbat bilby dingo emu".split()
    weights = [30, 25, 12, 8, 6, 5, 3, 2, 2, 1, 1, 1]
    for d in range(60):
        title = " ".join(rng.choices(words, weights, k=rng.randint(1, 6)))
        texts = [" ".join(rng.choices(words, weights, k=rng.randint(5, 60))) for _ in range(rng.randint(5, 40))]
        add_doc(store, f"d{d:02}", texts, title=title, published=f"20{rng.randint(15, 23)}")
    where = tmp_path / "ix"
    monkeypatch.setattr(index.whoosh.writer, "PARALLEL_THRESHOLD", 0)
    whoosh_index.rebuild(store, where)
    s = whoosh_index.Searcher(where)
    assert len(s.ix._segments()) == 2

    def words_query(ws, title_clauses):
        text = index.BoolQ(should=tuple(index.TermQ("text", w) for w in ws))
        return index.BoolQ(must=(text,), should=title_clauses)

    T = index.TermQ
    nodes = [
        words_query(["care", "health", "board"], (T("title", "care"), T("title", "health"), T("title", "board"))),
        words_query(["quokka", "care"], (T("title", "quokka"), T("title", "care"))),
        words_query(["wombat", "numbat", "bilby", "dingo"], tuple(T("title", w) for w in ("wombat", "numbat", "bilby", "dingo"))),
        words_query(["care", "plan"], (index.PhraseQ("title", ("care", "plan")), T("title", "care", boost=2.0))),
        words_query(["trust", "fund"], (index.PrefixQ("title", "tru"), T("title", "fund"))),
        index.BoolQ(must=(index.BoolQ(must=(T("text", "care"),), filters=(index.RangeQ("date", 20180101, 20201231),)),),
                    should=(T("title", "care"), T("title", "emu"))),
        index.BoolQ(must=(index.BoolQ(must=(T("text", "care"), T("text", "health")), should=(T("text", "plan"),
                                                                                           T("text", "emu", boost=0.5))),),
                    should=(T("title", "plan"),)),
        index.BoolQ(must=(index.BoolQ(should=(T("text", "board"), T("text", "trust"))),),
                    should=(T("title", "board"),)),
    ]
    # Without a title bonus too: the boolean matchers alone.
    nodes += [index.BoolQ(must=(n.must[0],), should=(T("title", "no-such-title-word"),)) for n in nodes[:2]]
    for node in nodes:
        core, bonus = index.whoosh.bonus._split_bonus(node)
        assert bonus, node
        reference = s._s.search(index.whoosh.compiler._to_whoosh(node, s._frequent), limit=None, terms=False)
        full = sorted((-round(hit.score, 4), hit["id"]) for hit in reference)  # kb.index.order's total order
        for limit in (1, 10, 25):
            page, _, _ = s.run(node, limit=limit)
            assert [h.id for h in page] == [f[1] for f in full[:limit]], (node, limit)
    assert any(arrays is not None for arrays in preloaded) == preload
    s.close()


def test_segment_files_are_read_from_their_memory_map_without_a_copy():
    """Opening a file inside a mapped segment must not copy it (a fresh kb search at a million passages once
    copied 2.3 GB of index to read a few blocks); reads, seeks, lines and pickles still give the same bytes."""
    import io
    import mmap
    import pickle
    import tracemalloc

    from kb.index.whoosh import patches

    patches.apply()
    from whoosh.filedb.structfile import BufferFile

    payload = pickle.dumps({"terms": list(range(50))}) + b"line one\nline two\n" + bytes(range(256)) * 80_000
    area = mmap.mmap(-1, len(payload))
    area[:] = payload
    view = memoryview(area)
    tracemalloc.start()
    f = BufferFile(view, name="seg.pst")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < len(payload) // 20  # a 20 MB file opened with well under 1 MB allocated
    plain = io.BytesIO(payload)
    assert f.read_pickle() == pickle.load(plain)
    assert f.readline() == plain.readline() == b"line one\n"
    for pos, n in ((0, 7), (len(payload) - 300, 1000), (12_345, 64), (5, 0)):
        f.seek(pos)
        plain.seek(pos)
        assert f.read(n) == plain.read(n) and f.tell() == plain.tell()
    assert f.get(100, 40) == payload[100:140]
    f.close()
    view.release()
    area.close()


def test_a_search_never_imports_the_writer(store, tmp_path):
    """`kb search` reads an index: the writer, the segment writer and Whoosh's writing modules stay unloaded."""
    import subprocess
    import sys

    add_doc(store, "a", ["Integrated care systems plan services."])
    where = tmp_path / "indexes" / "whoosh"
    whoosh_index.rebuild(store, where)
    code = ("import sys\nfrom pathlib import Path\nfrom kb.search import search\n"
            f"hits = search(Path({str(where)!r}), 'integrated care').hits\n"
            "print(len(hits), sorted(m for m in sys.modules if m in ('kb.index.whoosh.writer', "
            "'kb.index.whoosh.memory', 'whoosh.writing', 'whoosh.externalsort')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=pathlib.Path(__file__).parent.parent)
    assert done.stdout.split("\n")[0] == "1 []"
