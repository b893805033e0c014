"""The index contract (kb.index.protocol), run against every registered backend.

A second engine earns its place in ``kb.index.BACKENDS`` by passing this file unchanged (the toy engine of
tests/toy_index.py, which knows nothing of Whoosh, passes it too); tests of Whoosh's own
machinery (segments, matchers, patches) live in test_index.py, test_counts.py and test_reingest.py.
"""

from __future__ import annotations

import pytest
from search_fixtures import add_doc, make_store
from toy_index import ToyBackend

from kb import index as ix
from kb.index import AllQ, BoolQ, PhraseQ, PrefixQ, RangeQ, TermQ, term_for

TEXTS = {
    "a": ["Integrated care systems plan services for their population.", "The triple aim guides every board."],
    "b": ["Primary care networks bring practices together.", "Integrated care needs shared records."],
    "c": ["Hospital discharge and social care funding.", "Care homes and workforce plans."],
}


def t(word: str) -> TermQ:
    return TermQ("text", term_for(word))


#: Every registered engine, and a toy one of the tests' own (tests/toy_index.py: plain Python over the store, no
#: Whoosh) that proves the protocol is all an engine needs to implement.
ENGINES = {**ix.BACKENDS, "toy": ToyBackend()}


@pytest.fixture(params=sorted(ENGINES))
def backend(request):
    return ENGINES[request.param]


@pytest.fixture
def built(backend, tmp_path):
    store = make_store(tmp_path)
    for doc_id, texts in TEXTS.items():
        add_doc(store, doc_id, texts)
    index_dir = tmp_path / "indexes" / backend.name
    indexed = backend.rebuild(store, index_dir)
    yield backend, store, index_dir, indexed
    store.close()


def ids(rows: list[ix.Hit]) -> list[str]:
    return [r.id for r in rows]


def test_a_rebuild_indexes_every_document_and_exists_after(built):
    backend, _store, index_dir, indexed = built
    assert sorted(indexed) == ["a", "b", "c"] and backend.exists(index_dir)
    with backend.searcher(index_dir) as s:
        assert s.doc_count == 6


def test_pages_are_ranked_and_counts_are_exact_at_every_limit(built):
    backend, _store, index_dir, _ = built
    query = BoolQ(should=(t("care"), t("integrated")))
    with backend.searcher(index_dir) as s:
        full, counted = s.page(query, limit=10)
        assert (counted.passages, counted.exact) == (5, True)  # documents are counted when asked (group_doc)
        assert [r.score for r in full] == sorted((r.score for r in full), reverse=True)
        for limit in (1, 2, 3):
            rows, c = s.page(query, limit=limit)
            assert ids(rows) == ids(full)[:limit] and c == counted
        rows, _ = s.page(query, limit=2, offset=2)
        assert ids(rows) == ids(full)[2:4]


def test_and_not_phrase_and_prefix_match_what_they_say(built):
    backend, _store, index_dir, _ = built
    with backend.searcher(index_dir) as s:
        rows, c = s.page(BoolQ(must=(t("care"),), must_not=(t("integrated"),)), limit=10)
        assert sorted(ids(rows)) == ["b-p0", "c-p0", "c-p1"] and c.passages == 3
        rows, _ = s.page(PhraseQ("text", (term_for("integrated"), term_for("care"))), limit=10)
        assert sorted(ids(rows)) == ["a-p0", "b-p1"]
        rows, _ = s.page(PrefixQ("text", "hosp"), limit=10)
        assert ids(rows) == ["c-p0"]
        assert s.count(t("care")).passages == 5 and s.count(t("care"), documents=True).documents == 3


def test_terms_frequencies_and_suggestions(built):
    backend, _store, index_dir, _ = built
    with backend.searcher(index_dir) as s:
        assert s.has_term("text", term_for("workforce")) and not s.has_term("text", "quokka")
        assert s.doc_frequency("text", term_for("care")) == 5
        assert "workforce" in s.suggest("workforse")


def test_a_sync_takes_in_edits_and_removals(built):
    backend, store, index_dir, _ = built
    add_doc(store, "b", ["Primary care networks and the triple aim."])
    with store.transaction():
        store.delete_document("c")
    indexed, deleted = backend.sync(store, index_dir)
    assert indexed == ["b"] and deleted == ["c"]
    with backend.searcher(index_dir) as s:
        assert s.doc_count == 3
        rows, c = s.page(t("triple"), limit=10)
        assert sorted(ids(rows)) == ["a-p1", "b-p0"] and c.passages == 2
        assert s.count(t("hospital")).passages == 0


@pytest.fixture
def ties(backend, tmp_path):
    """Equal passages in documents added in an order unlike their ids, and a later sync: equal scores, dates."""
    store = make_store(tmp_path)
    for doc_id in ("m", "c", "x", "a"):
        add_doc(store, doc_id, ["care plan", "care plan", "wombat care"], published="2020",
                mentions=[(0, "triple-aim"), (2, "triple-aim")])
    index_dir = tmp_path / "indexes" / backend.name
    backend.rebuild(store, index_dir)
    add_doc(store, "b", ["care plan", "wombat care care"], published="2021", mentions=[(1, "triple-aim")])
    backend.sync(store, index_dir)
    yield backend, index_dir
    store.close()


def test_ties_come_in_passage_id_order_and_pages_tile_the_ranking(ties):
    backend, index_dir = ties
    with backend.searcher(index_dir) as s:
        full, counted = s.page(t("plan"), limit=100)
        assert ids(full) == sorted(ids(full)) and counted.passages == 9  # every score equal: by passage id
        tiled = [r for off in range(0, 9, 2) for r in s.page(t("plan"), limit=2, offset=off)[0]]
        assert ids(tiled) == ids(full)
        both, _ = s.page(BoolQ(should=(t("care"), t("wombat"))), limit=100)
        keys = [ix.relevance_key(r.score, r.id) for r in both]
        assert keys == sorted(keys) and len(both) == 14
        zero, _ = s.page(BoolQ(filters=(TermQ("concepts", "triple-aim"),)), limit=4)  # scores all 0
        assert ids(zero) == ["a-p0", "a-p2", "b-p1", "c-p0"] and {r.score for r in zero} == {0.0}


def test_date_sorts_and_grouped_pages_break_ties_by_passage_id(ties):
    backend, index_dir = ties
    with backend.searcher(index_dir) as s:
        old, _ = s.page(t("care"), limit=4, sort="date")
        assert ids(old) == ["a-p0", "a-p1", "a-p2", "c-p0"] and old[0].score is None
        new, _ = s.page(t("care"), limit=3, sort="-date")
        assert ids(new) == ["b-p0", "b-p1", "a-p0"]
        grouped, counted = s.page(t("wombat"), limit=2, offset=1, group_doc=True)
        assert counted.documents == 5
        best = [r.doc_id for r in s.page(t("wombat"), limit=10)[0]]
        assert [r.doc_id for r in grouped] == best[1:3]
        assert ids(s.page(t("care"), limit=1, group_doc=True)[0]) == ["b-p1", "b-p0"]
        assert ids(s.page(t("care"), limit=1, offset=1, group_doc=True)[0]) == ["a-p0", "a-p1", "a-p2"]


@pytest.fixture
def dated(backend, tmp_path):
    """Documents of three dates (one undated), publishers, types, pages and concepts: what filters and hits show."""
    store = make_store(tmp_path)
    add_doc(store, "old", [(2, "Care plan for the winter."), (3, "Care plan again.")], published="2019-03",
            publisher="The King's Fund", doc_type="report", mentions=[(1, "triple-aim")])
    add_doc(store, "mid", ["Care plan in spring."], published="2020", publisher="NHS England", doc_type="guidance")
    add_doc(store, "new", ["Care plan for the summer."], published="2022-05-17", publisher="NHS England")
    add_doc(store, "undated", ["Care plan with no date."], published=None, publisher=None, doc_type=None)
    index_dir = tmp_path / "indexes" / backend.name
    backend.rebuild(store, index_dir)
    yield backend, store, index_dir
    store.close()


def test_a_hit_carries_what_search_shows(dated):
    backend, _store, index_dir = dated
    with backend.searcher(index_dir) as s:
        rows, _ = s.page(TermQ("doc_id", "old"), limit=10)
    first = rows[0]
    assert isinstance(first, ix.Hit) and ids(rows) == ["old-p0", "old-p1"]
    assert (first.doc_id, first.title, first.publisher_name, first.published, first.type) == (
        "old", "Old", "The King's Fund", "2019-03", "report")
    assert (first.page, first.page_end, first.concepts, rows[1].concepts) == (2, 2, (), ("triple-aim",))
    assert "winter" in first.text and isinstance(first.score, float)


def test_date_ranges_keyword_filters_and_keys(dated):
    backend, _store, index_dir = dated
    care = t("care")
    with backend.searcher(index_dir) as s:
        def docs(*filters) -> list[str]:
            rows, counted = s.page(BoolQ(must=(care,), filters=filters), limit=10, sort="date")
            assert counted.passages == len(rows)
            return list(dict.fromkeys(r.doc_id for r in rows))

        # since 2020: the latest day of the document's date is on or after it; until 2020: the earliest before
        assert docs(RangeQ("date_latest", 20200101, None)) == ["mid", "new"]
        assert docs(RangeQ("date", None, 20201231)) == ["old", "mid"]
        assert docs(RangeQ("date", None, 20201231), RangeQ("date_latest", 20200101, None)) == ["mid"]
        assert docs(RangeQ("date", None, 20101231)) == []  # an undated passage is in no range
        assert docs(TermQ("publisher", ix.publisher_key("NHS England"))) == ["mid", "new"]
        assert docs(TermQ("type", ix.type_key("Report"))) == ["old"]
        assert docs(TermQ("concepts", "triple-aim")) == ["old"]
        assert s.keys("publisher") == ["kings fund", "nhs england"]
        assert s.keys("type") == ["briefing", "guidance", "report"]
        assert s.keys("doc_id") == ["mid", "new", "old", "undated"]
        assert ids(s.page(AllQ(), limit=2, sort="-date")[0]) == ["new-p0", "mid-p0"]
        assert ids(s.page(AllQ(), limit=10, sort="date")[0])[-1] == "undated-p0"  # undated last both ways
        assert ids(s.page(AllQ(), limit=10, sort="-date")[0])[-1] == "undated-p0"


def test_a_searcher_refreshed_after_a_sync_sees_it_and_forgets_the_removed(dated):
    backend, store, index_dir = dated
    s = backend.searcher(index_dir)
    try:
        before, _ = s.page(t("care"), limit=10)
        assert len(before) == 5 and s.has_term("doc_id", "mid")
        add_doc(store, "later", ["Winter care in the wards."], published="2023")
        with store.transaction():
            store.delete_document("mid")
        assert backend.sync(store, index_dir) == (["later"], ["mid"])
        s.refresh()
        rows, counted = s.page(t("care"), limit=10)
        assert sorted(ids(rows)) == ["later-p0", "new-p0", "old-p0", "old-p1", "undated-p0"] and counted.passages == 5
        assert s.doc_count == 5 and s.doc_frequency("text", term_for("spring")) == 0
        assert not s.has_term("doc_id", "mid") and "mid" not in s.keys("doc_id")
        assert "guidance" not in s.keys("type")  # only the removed document had it
        assert s.count(t("winter"), documents=True) == ix.Count(2, 2, True)
        s.refresh()  # nothing new: the same answers
        assert ids(s.page(t("care"), limit=10)[0]) == ids(rows)
    finally:
        s.close()


def test_suggestions_are_words_of_the_text_never_the_word_itself(built):
    backend, _store, index_dir, _ = built
    with backend.searcher(index_dir) as s:
        assert s.suggest("integrted")[:1] == ["integrated"]
        assert s.suggest("care") == [] or "care" not in s.suggest("care")
        assert all(w == w.lower() for w in s.suggest("Hospitel"))
        assert s.suggest("zzzzqqq") == []


def test_an_unknown_engine_is_a_usage_error_with_a_hint():
    from kb.errors import UsageError

    assert ix.backend() is ix.BACKENDS[ix.DEFAULT_BACKEND]
    with pytest.raises(UsageError, match="No index engine 'whosh'. Did you mean whoosh?"):
        ix.backend("whosh")
