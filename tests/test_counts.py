"""Totals: the number of matching passages (and documents) is exact, the same at every limit and offset.

The ranked page comes from matchers that skip what cannot reach it; the total is counted apart from it
(``kb.index.whoosh.count``). Every query shape is checked here against an exhaustive count made without the engine:
each live passage's stored fields evaluated against the query plan in plain Python.
"""

from __future__ import annotations

import random

import pytest
from search_fixtures import CONCEPTS, add_doc, make_store

import kb.index.whoosh.writer  # noqa: F401  (a search never loads the writer; these tests patch it by name)
from kb import index
from kb import search as ks
from kb.index import whoosh as whoosh_index
from kb.nlp.vocabulary import ConceptNames

WORDS = ("care health board trust plan fund integrated system systems primary network networks triple aim "
         "quokka wombat numbat bilby dingo emu healthy healing").split()
WEIGHTS = [30, 25, 12, 8, 6, 5, 6, 5, 3, 4, 4, 2, 2, 2, 3, 2, 2, 1, 1, 1, 2, 1]
PUBLISHERS = ["The King's Fund", "NHS Confederation", None]
TYPES = ["report", "briefing", None]
CONCEPT_IDS = [c.id for c in CONCEPTS]


def _text(rng: random.Random) -> str:
    words = rng.choices(WORDS, WEIGHTS, k=rng.randint(4, 40))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(["ICS", "PCNs", "the", "of the"]))
    return " ".join(words)


def _add(store, rng: random.Random, doc_id: str) -> None:
    texts = [_text(rng) for _ in range(rng.randint(1, 12))]
    mentions = [(i, rng.choice(CONCEPT_IDS)) for i in range(len(texts)) if rng.random() < 0.3]
    year = rng.choice([None, 2018, 2019, 2020, 2021, 2022])
    published = None if year is None else rng.choice([str(year), f"{year}-{rng.randint(1, 12):02}"])
    add_doc(store, doc_id, texts, mentions=mentions, title=" ".join(rng.choices(WORDS, WEIGHTS, k=rng.randint(1, 5))),
            publisher=rng.choice(PUBLISHERS), doc_type=rng.choice(TYPES), published=published)


QUERIES = [
    "care", "quokka", "care health", "care AND health", "quokka OR wombat", "care NOT health", "-health care",
    "+care wombat", '"care health"', '"health care board"', '"quokka care"', '"triple aim"', "heal*", "net*",
    "concept:triple-aim", "care concept:primary-care-network", "pcn", "ics", '"integrated care systems"',
    "publisher:kings", "type:report care", "year:2020", "care year:2019..2021", "wombat date:2020-03..2021",
    "year:..2019 -care", "title:care", "(care OR wombat) AND NOT numbat", "NOT care",
    "wombat numbat bilby dingo emu quokka care health board trust plan fund",
    "healthy care systems integrated primary networks triple aim",
]


def _reference(node, passage, frequent: frozenset) -> bool:
    """Does ``passage`` (a dict of stored fields + analysed terms) match ``node``? Plain Python, no index."""
    T = passage["terms"]
    if isinstance(node, index.TermQ):
        return _term(node.field, node.term, passage, frequent)
    if isinstance(node, index.PhraseQ):
        if node.field == "title" or len(node.terms) == 1:
            return all(_term(node.field, t, passage, frequent) for t in node.terms)
        return index.whoosh.compiler._contains_run(T, node.terms)
    if isinstance(node, index.NearQ):
        return node.first in frequent and node.second in frequent and index.whoosh.compiler._contains_run(T, (node.first, node.second))
    if isinstance(node, index.PrefixQ):
        pool = T if node.field == "text" else passage["title_terms"]
        return any(t.startswith(node.prefix) for t in pool)
    if isinstance(node, index.RangeQ):
        value = passage.get(node.field) or 0
        return value != 0 and (node.low is None or value >= node.low) and (node.high is None or value <= node.high)
    if isinstance(node, index.AllQ):
        return True
    if isinstance(node, index.BoolQ):
        ok = all(_reference(n, passage, frequent) for n in node.must + node.filters)
        if node.should and not node.must:
            ok = ok and any(_reference(n, passage, frequent) for n in node.should)
        return ok and not any(_reference(n, passage, frequent) for n in node.must_not)
    raise TypeError(node)


def _term(field: str, term: str, passage, frequent) -> bool:
    if field == "text":
        return term in passage["terms"]
    if field == "title":
        return term in passage["title_terms"]
    if field == "concepts":
        return term in passage["concepts"].split(",")
    return passage.get(field) == term


def _live_passages(where) -> list[dict]:
    out = []
    with whoosh_index.Searcher(where) as s:
        reader = s._s.reader()
        for docnum in reader.all_doc_ids():
            fields = dict(reader.stored_fields(docnum))
            fields["terms"] = index.analysis._terms(fields["text"])
            if fields.get("publisher_name"):
                fields["publisher"] = index.publisher_key(fields["publisher_name"])
            fields["title_terms"] = set(index.analysis._terms(fields.get("title") or ""))
            fields["date"] = reader.column_reader("date")[docnum] if "date" in reader.schema else 0
            fields["date_latest"] = reader.column_reader("date_latest")[docnum]
            out.append(fields)
    return out


@pytest.fixture
def index_with_deletions(tmp_path, monkeypatch):
    """Three segments (a two-process rebuild, then a sync of edits and removals) with deleted passages kept."""
    monkeypatch.setattr(index.whoosh.writer, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_ALWAYS_UP_TO", 0)
    monkeypatch.setattr(index.whoosh.writer, "PURGE_SHARE", 2.0)
    store, where = build_with_deletions(tmp_path, random.Random(12))
    ix = whoosh_index.open_index(where)
    assert len(ix._segments()) == 3 and ix.doc_count_all() > ix.doc_count()
    ix.close()
    yield store, where
    store.close()


def build_with_deletions(tmp_path, rng: random.Random):
    """A store of 70 random documents, indexed, then 15 of them edited and 5 removed and the index synced: the
    segments keep deleted passages. Returns (store, index folder)."""
    store = make_store(tmp_path)
    for d in range(70):
        _add(store, rng, f"d{d:02}")
    where = tmp_path / "indexes" / "whoosh"
    whoosh_index.rebuild(store, where)
    for d in rng.sample(range(70), 15):
        _add(store, rng, f"d{d:02}")  # a new version: the old passages are deleted, the new ones added
    with store.transaction():
        for d in rng.sample(range(70), 5):
            store.delete_document(f"d{d:02}")
    whoosh_index.sync(store, where)
    return store, where


def test_totals_equal_an_exhaustive_count_at_every_limit_and_offset(index_with_deletions):
    store, where = index_with_deletions
    passages = _live_passages(where)
    assert len(passages) == store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    cmap = ConceptNames(CONCEPTS)
    s = ks.searcher_for(where)
    checked = 0
    for q in QUERIES:
        node, _, _ = ks.plan(q, cmap, has_term=s.has_term, keys=s.keys)
        matching = [p for p in passages if _reference(node, p, s._frequent or frozenset())]
        want, want_docs = len(matching), len({p["doc_id"] for p in matching})
        for limit, offset in ((1, 0), (3, 0), (10, 0), (50, 0), (3, 7), (10, 25)):
            res = ks.search(where, q, concepts=CONCEPTS, limit=limit, offset=offset)
            assert (res.total, res.total_exact) == (want, True), (q, limit, offset)
            assert len(res.hits) == max(0, min(limit, want - offset)), (q, limit, offset)
            grouped = ks.search(where, q, concepts=CONCEPTS, limit=limit, offset=offset, group="doc")
            assert (grouped.total, grouped.total_docs, grouped.total_exact) == (want, want_docs, True), (q, limit)
            for sort in ("date", "-date"):
                assert ks.search(where, q, concepts=CONCEPTS, limit=limit, sort=sort).total == want
        checked += want > 0
    assert checked >= len(QUERIES) - 2  # the queries do match something


def test_option_filters_are_counted_like_query_filters(index_with_deletions):
    store, where = index_with_deletions
    a = ks.search(where, "care publisher:kings year:2019..2021", concepts=CONCEPTS, limit=1)
    b = ks.search(where, "care", concepts=CONCEPTS, publisher="kings", since="2019", until="2021", limit=5)
    assert a.total == b.total > 0 and a.total_exact and b.total_exact


def test_large_segments_count_with_numpy_the_same(index_with_deletions, monkeypatch):
    store, where = index_with_deletions
    cmap = ConceptNames(CONCEPTS)
    with whoosh_index.Searcher(where) as s:
        nodes = [ks.plan(q, cmap, has_term=s.has_term, keys=s.keys)[0] for q in QUERIES]
        small = [s.count(n, documents=True) for n in nodes]
        monkeypatch.setattr(index.whoosh.counting, "COUNT_NUMPY_FROM", 0)
        big = [s.count(n, documents=True) for n in nodes]
    assert small == big


def test_a_count_over_budget_is_a_lower_bound_never_a_wrong_exact_number(index_with_deletions, monkeypatch):
    store, where = index_with_deletions
    exact = ks.search(where, "care OR quokka", concepts=CONCEPTS, limit=3)
    monkeypatch.setattr(index.whoosh.counting, "COUNT_POSTINGS_UP_TO", 10)
    cut = ks.search(where, "care OR quokka", concepts=CONCEPTS, limit=3)
    assert not cut.total_exact and len(cut.hits) <= cut.total <= exact.total
    assert [h.passage_id for h in cut.hits] == [h.passage_id for h in exact.hits]
    monkeypatch.setattr(index.whoosh.counting, "COUNT_POSTINGS_UP_TO", 10**9)
    monkeypatch.setattr(index.whoosh.counting, "COUNT_CHECKS_UP_TO", 2)
    phrase = ks.search(where, '"quokka care"', concepts=CONCEPTS, limit=1)
    full = [p for p in _live_passages(where) if index.whoosh.compiler._contains_run(p["terms"], ("quokka", "care"))]
    assert phrase.total_exact is False or phrase.total == len(full)
    assert phrase.total <= len(full)


def test_the_bundled_corpus_counts_the_same_at_every_limit(bundled_home):
    import json

    from conftest import run_kb

    for q in ("ics", "statutory", '"integrated care"'):
        seen = set()
        for limit in ("1", "3", "10", "50"):
            data = json.loads(run_kb("search", "--json", q, "--limit", limit, home=bundled_home).stdout)
            assert data["total_exact"] is True
            seen.add(data["total"])
        assert len(seen) == 1, (q, seen)


def test_an_excluded_word_excludes_the_first_match_too(tmp_path):
    """Whoosh's AND NOT kept the first passage of the positive side when the excluded word's list started
    earlier (kb patches it): the page and the total must agree."""
    store = make_store(tmp_path)
    add_doc(store, "a", ["health only", "care and health", "care alone", "health again"])
    where = tmp_path / "indexes" / "whoosh"
    whoosh_index.sync(store, where)
    res = ks.search(where, "care -health", concepts=CONCEPTS, limit=10)
    assert [h.passage_id for h in res.hits] == ["a-p2"] and (res.total, res.total_exact) == (1, True)
    store.close()


LONG_QUERIES = [
    "wombat numbat bilby dingo emu quokka care health board trust plan fund",
    "healthy care systems integrated primary networks triple aim",
    "the integrated care systems of the primary care networks and their triple aim for health",
    "pcn care health board trust plan quokka",
    "ICS plan fund trust board care care health",  # a word typed twice counts twice
    '"care health" plan fund trust board wombat',
    "care health board trust plan fund integrated system systems primary network",
]


def test_long_plain_queries_scored_in_arrays_give_the_exhaustive_page(index_with_deletions, monkeypatch):
    """Plain queries of many words are scored a whole posting list at a time (``_array_page``): the page must
    be what scoring every match one by one gives, and the same as the passage-at-a-time matchers give."""
    store, where = index_with_deletions
    passages = _live_passages(where)
    cmap = ConceptNames(CONCEPTS)
    monkeypatch.setattr(index.whoosh.arrays, "ARRAY_FROM_PASSAGES", 0)
    used = []
    real = index.whoosh.arrays._array_page
    monkeypatch.setattr(index.whoosh.arrays, "_array_page", lambda *a, **k: used.append(real(*a, **k)) or used[-1])
    with whoosh_index.Searcher(where) as s:
        for q in LONG_QUERIES:
            node, _, _ = ks.plan(q, cmap, has_term=s.has_term, keys=s.keys)
            assert index.whoosh.arrays._plain_alternatives(node) is not None, q
            want = sum(_reference(node, p, s._frequent or frozenset()) for p in passages)
            reference = s._s.search(index.whoosh.compiler._to_whoosh(node, s._frequent), limit=None, terms=False)
            exhaustive = sorted((-round(hit.score, 4), hit["id"]) for hit in reference)  # kb.index.order
            assert len(exhaustive) == want, q
            for limit, offset in ((1, 0), (10, 0), (50, 0), (10, 20)):
                full = exhaustive
                monkeypatch.setattr(index.whoosh.arrays, "ARRAY_FROM_CLAUSES", 1)
                before = len(used)
                page, counted = s.page(node, limit=limit, offset=offset, exhaustive=None)
                assert len(used) == before + 1 and used[-1] is not None, q
                monkeypatch.setattr(index.whoosh.arrays, "ARRAY_FROM_CLAUSES", 10**9)
                other, other_count = s.page(node, limit=limit, offset=offset, exhaustive=None)
                got = [(round(h.score, 9), h.id) for h in page]
                assert (counted.passages, counted.exact) == (want, True) == (other_count.passages, other_count.exact)
                # The common-word rule never changes a page: it is the exhaustive one, in kb's total order.
                assert [g[1] for g in got] == [f[1] for f in full[offset:offset + limit]], (q, limit)
                assert [h.id for h in other] == [g[1] for g in got], (q, limit)
