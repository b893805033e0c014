"""Every page of hits is the exact slice of the full ranking: the engine against the reference engine.

Hypothesis writes queries (words, typos, phrases, acronyms, concept names, filters, prefixes, NOT/AND/OR,
pasted sentences) for a generated corpus shaped like real piles: titles that share words with the text, a
first passage under its title, one large document of many passages, a few very common words, several
segments, deleted passages. Every page (several limits and offsets, each sort, grouped by document) and
every total must equal the reference engine's (``kb.index.reference``: each passage scored one by one). The
engine's thresholds (common-word rule, array scoring, preloading, sidecars, phrase checks, bonus tiers) are
lowered so that every evaluation path runs on a corpus small enough to build in seconds.

``KB_EXACT_EXAMPLES=2000 pytest tests/test_exact_pages.py`` hunts longer.
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import CONCEPTS, add_doc, make_store

from kb import index
from kb import search as ks
from kb.errors import KbError
from kb.index import order
from kb.index import whoosh as whoosh_index
from kb.index.reference import ReferenceSearcher
from kb.index.whoosh import writer as whoosh_writer  # imported by name: the package loads it lazily
from kb.nlp.vocabulary import ConceptNames

COMMON = "health care service services".split()  # each in well over a tenth of the passages
FREQUENT = "mental board trust plan fund integrated system systems primary network networks local people".split()
RARE = ("neighbourhood inequalities quokka wombat numbat bilby dingo emu healthy healing triple aim commissioning "
        "workforce discharge hospital funding statutory").split()
WORDS = COMMON + FREQUENT + RARE
WEIGHTS = [40, 35, 14, 8] + [6] * len(FREQUENT) + [1] * len(RARE)
EXTRAS = ["ICS", "ICSs", "PCN", "PCNs", "NHS", "the", "of the", "primary care networks", "integrated care systems",
          "triple aim"]
PUBLISHERS = ["The King's Fund", "NHS Confederation", None]
TYPES = ["report", "briefing", None]
CONCEPT_IDS = [c.id for c in CONCEPTS]
EXAMPLES = int(os.environ.get("KB_EXACT_EXAMPLES", "30"))


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, WEIGHTS, k=n)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(EXTRAS))
    return " ".join(words)


def _add(store, rng: random.Random, doc_id: str, passages: int | None = None) -> None:
    title = _sentence(rng, rng.randint(2, 6))
    n = passages or rng.choice([1, 2, 3, 5, 8, 12, 20])
    texts = [_sentence(rng, rng.randint(3, 45)) for _ in range(n)]
    if rng.random() < 0.6:
        texts[0] = title + " " + texts[0]  # the first passage, under its title
    if rng.random() < 0.2:
        texts[rng.randrange(n)] = texts[0]  # a passage repeated word for word: equal scores
    mentions = [(i, rng.choice(CONCEPT_IDS)) for i in range(n) if rng.random() < 0.25]
    year = rng.choice([None, 2018, 2019, 2020, 2021])
    published = None if year is None else rng.choice([str(year), f"{year}-{rng.randint(1, 12):02}"])
    add_doc(store, doc_id, texts, mentions=mentions, title=title, publisher=rng.choice(PUBLISHERS),
            doc_type=rng.choice(TYPES), published=published)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """~1,500 passages in four segments with deleted passages, one document of 300 passages."""
    mp = pytest.MonkeyPatch()
    mp.setattr(whoosh_writer, "PARALLEL_THRESHOLD", 0)
    mp.setattr(whoosh_writer, "PURGE_ALWAYS_UP_TO", 0)
    mp.setattr(whoosh_writer, "PURGE_SHARE", 2.0)
    mp.setattr(index.whoosh.sidecar, "SIDECAR_FROM", 64)
    rng = random.Random(24)
    tmp = tmp_path_factory.mktemp("exact")
    store = make_store(tmp)
    for d in range(110):
        _add(store, rng, f"d{d:03}")
    _add(store, rng, "big", passages=300)
    where = tmp / "indexes" / "whoosh"
    whoosh_index.rebuild(store, where)
    for d in rng.sample(range(110), 12):
        _add(store, rng, f"d{d:03}")
    with store.transaction():
        for d in rng.sample(range(110), 4):
            store.delete_document(f"d{d:03}")
    whoosh_index.sync(store, where)
    for d in rng.sample(range(110), 6):
        _add(store, rng, f"d{d:03}")
    whoosh_index.sync(store, where)
    mp.undo()
    ref = ReferenceSearcher(where)
    texts = [p.stored["text"] for p in ref.passages]
    yield where, ref, texts
    ref.close()
    store.close()


@pytest.fixture
def paths(monkeypatch):
    """Every evaluation path on a small corpus: the thresholds that pick them lowered."""
    monkeypatch.setattr(index.whoosh.preload, "PRELOAD_FROM", 40)
    monkeypatch.setattr(index.whoosh.compiler, "RUN_CHECK_UP_TO", 60)
    return monkeypatch


def _typo(rng: random.Random, w: str) -> str:
    i = rng.randrange(len(w))
    return w[:i] + rng.choice("aeioustn") + w[i + 1:]


@st.composite
def queries(draw, texts: list[str]) -> str:
    """A query such as people type or paste."""
    rng = random.Random(draw(st.integers(0, 2**32)))

    def span(lo: int, hi: int) -> str:
        words = rng.choice(texts).split()
        n = min(len(words), rng.randint(lo, hi))
        start = rng.randrange(len(words) - n + 1)
        return " ".join(words[start:start + n])

    def atom() -> str:
        kind = rng.choice(["word", "word", "word", "common", "typo", "phrase", "acronym", "concept", "prefix",
                           "filter", "title", "missing"])
        if kind == "word":
            return rng.choice(WORDS)
        if kind == "common":
            return rng.choice(COMMON)
        if kind == "typo":
            return _typo(rng, rng.choice(WORDS))
        if kind == "phrase":
            return '"' + span(2, 4) + '"'
        if kind == "acronym":
            return rng.choice(["ICS", "PCN", "PCNs", "ics", "pcn", "nhs", "NHS"])
        if kind == "concept":
            return rng.choice(['"primary care networks"', '"integrated care systems"', '"triple aim"',
                               "concept:triple-aim", "concept:ics", "concept:pcn"])
        if kind == "prefix":
            return rng.choice(["heal*", "net*", "serv*", "comm*", "int*"])
        if kind == "filter":
            return rng.choice(["year:2020", "year:2019..2021", "year:..2019", "date:2020-03..2021",
                               "publisher:kings", "type:report", "doc:big", "doc:d007"])
        if kind == "title":
            return "title:" + rng.choice(WORDS)
        return "zyzzyva"

    shape = draw(st.sampled_from(["plain", "plain", "long", "and", "or", "not", "required", "group", "filtered"]))
    if shape == "long":
        words = span(10, 25).split()
        for i in range(len(words)):
            if rng.random() < 0.3:
                words[i] = rng.choice(WORDS)
        return " ".join(words)
    parts = [atom() for _ in range(rng.randint(1, 5))]
    if shape == "plain":
        return " ".join(parts)
    if shape == "and":
        return " AND ".join(parts)
    if shape == "or":
        return " OR ".join(parts)
    if shape == "not":
        return " ".join(parts) + " NOT " + rng.choice(WORDS)
    if shape == "required":
        return "+" + rng.choice(WORDS) + " " + " ".join(parts) + " -" + rng.choice(RARE)
    if shape == "group":
        return f"({parts[0]} OR {rng.choice(WORDS)}) AND " + " ".join(parts[1:] or [rng.choice(WORDS)])
    return " ".join(parts) + " " + rng.choice(["year:2019..2021", "publisher:kings", "concept:pcn", "type:report"])


WINDOWS = ((10, 0), (1, 0), (3, 2), (7, 7), (25, 0), (25, 25), (50, 3))


def _near_boundary(score: float | None) -> bool:
    """A score within float error of a rounding boundary of the shown precision (order may then differ)."""
    if score is None:
        return False
    x = score * 10 ** order.SCORE_DECIMALS
    return abs(x - int(x) - 0.5) < 1e-6


def _same(got: list[index.Hit], want: list[index.Hit]) -> bool:
    if [r.id for r in got] == [r.id for r in want]:
        return all((a.score is None) == (b.score is None) and
                   (a.score is None or abs(a.score - b.score) <= 1e-9 * max(1.0, abs(b.score)))
                   for a, b in zip(got, want, strict=True))
    return False


def check_query(s, ref: ReferenceSearcher, q: str) -> bool:
    """Compare every page and total of ``q``; False when kb turns the query down."""
    try:
        node, _, _ = ks.plan(q, ConceptNames(CONCEPTS), has_term=s.has_term, keys=s.keys)
    except KbError:
        return False
    for sort in ("relevance", "date", "-date"):
        full = [r for _k, r in ref.ranking(node, sort)]
        docs = len({r.doc_id for r in full})
        for group in (False, True):
            for limit, offset in WINDOWS:
                if sort != "relevance" and (limit, offset) not in ((10, 0), (7, 7)):
                    continue
                rows, counted = s.page(node, limit=limit, offset=offset, sort=sort, group_doc=group)
                want = order.group_documents(full, offset, limit) if group else full[offset:offset + limit]
                where = f"{q!r} sort={sort} group={group} limit={limit} offset={offset}"
                assert counted.exact and counted.passages == len(full), where
                if group:
                    assert counted.documents == docs, where
                if not _same(rows, want):
                    shown = [(r.id, r.score) for r in rows]
                    expected = [(r.id, r.score) for r in want]
                    if not any(_near_boundary(r.score) for r in rows + want):
                        raise AssertionError(f"{where}\n got  {shown}\n want {expected}")
    return True


def test_the_corpus_exercises_what_it_should(corpus):
    where, ref, _ = corpus
    with whoosh_index.Searcher(where) as s:
        n = s._s.doc_count_all()
        assert len(s.ix._segments()) >= 3 and n > ref.doc_count  # several segments, deleted passages
        assert max(s.doc_frequency("text", index.term_for(w)) for w in COMMON) > 0.1 * n
        assert sum(p.stored["doc_id"] == "big" for p in ref.passages) == 300


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_page_equals_the_reference(corpus, paths, data):
    where, ref, texts = corpus
    q = data.draw(queries(texts), label="query")
    with whoosh_index.Searcher(where) as s:
        check_query(s, ref, q)


@pytest.mark.parametrize("q", ["health care", "neighbourhood health", "mental health services", "concept:pcn",
                               "health", "year:2020", '"health care"', "care NOT health", "PCN health services",
                               "integrated care systems health board trust plan fund people local"])
def test_known_shapes_equal_the_reference_on_every_path(corpus, paths, q):
    where, ref, _ = corpus
    with whoosh_index.Searcher(where) as s:
        assert check_query(s, ref, q)
