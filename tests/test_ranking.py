"""Ranking: kb scores a plain multi-word query the way Lucene's BM25 does (checked against our own few lines of
BM25), more matched words rank higher, no word is compulsory, and natural-language questions just run."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import pytest

from kb import search as ks
from kb.index import whoosh as whoosh_index
from kb.models import Passage
from kb.store import Store

REPO = Path(__file__).resolve().parent.parent
# Words that are their own index term (no stemming, not stop words, not acronyms), so the reference BM25 below
# can split on spaces and stay independent of kb's analysis.
WORDS = "cat dog fox owl yak emu gnu bat eel ant elk hen ram cod".split()
K1, B = 1.2, 0.75


def make_index(tmp_path: Path, docs: dict[str, str], titles: dict[str, str] | None = None) -> Path:
    """One passage per document, stored and indexed by kb's own code (what `kb ingest` writes)."""
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    with store.transaction():
        for i, (doc_id, text) in enumerate(docs.items()):
            row = {"id": doc_id, "source": f"{doc_id}.txt", "sha256": f"{i:064d}", "format": "text",
                   "title": (titles or {}).get(doc_id, ""), "pages": 1, "passages": 1, "words": len(text.split()),
                   "text": text, "ingested_at": "2026-01-01T00:00:00Z"}
            passage = Passage(f"{doc_id}-p0", doc_id, 0, 1, 1, 0, len(text), text)
            store.replace_document(row, [(1, 0, len(text))], [passage])
    whoosh_index.rebuild(store, tmp_path / "whoosh")
    store.close()
    return tmp_path / "whoosh"


def lucene_bm25(docs: dict[str, str], query: str) -> dict[str, float]:
    """Lucene's BM25: idf = ln(1 + (N - n + 0.5) / (n + 0.5)), tf saturated with k1, lengths normalised by b."""
    tokens = {d: t.split() for d, t in docs.items()}
    avgdl = sum(map(len, tokens.values())) / len(tokens)
    scores: dict[str, float] = {}
    for term in query.split():
        n = sum(term in toks for toks in tokens.values())
        idf = math.log(1 + (len(docs) - n + 0.5) / (n + 0.5))
        for d, toks in tokens.items():
            tf = toks.count(term)
            if tf:
                norm = K1 * (1 - B + B * len(toks) / avgdl)
                scores[d] = scores.get(d, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
    return scores


def kb_scores(index_dir: Path, query: str) -> dict[str, float]:
    res = ks.search(index_dir, query, concepts=[], limit=100, suggest=False)
    return {h.doc_id: h.score for h in res.hits}


def exact_lengths() -> list[int]:
    """Passage lengths Whoosh stores exactly (it keeps a length in one byte, as Lucene does)."""
    from whoosh.util.numeric import byte_to_length, length_to_byte

    return [n for n in range(1, 60) if byte_to_length(length_to_byte(n)) == n]


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    rng = random.Random(5)
    lengths = exact_lengths()
    weights = [1 / (i + 1) for i in range(len(WORDS))]  # a few common words, many rarer ones
    docs = {f"d{i:02d}": " ".join(rng.choices(WORDS, weights, k=rng.choice(lengths))) for i in range(40)}
    return docs, make_index(tmp_path_factory.mktemp("ranking"), docs)


QUERIES = ["cat owl eel ram cod", "dog yak gnu bat elk hen", "fox emu ant ant cod", "owl bat eel hen ram cat"]


@pytest.mark.parametrize("query", QUERIES)
def test_plain_queries_score_exactly_as_lucene_bm25(collection, query):
    docs, index_dir = collection
    expected = lucene_bm25(docs, query)
    got = kb_scores(index_dir, query)
    assert set(got) == set(expected)  # every passage with any of the words, and no other
    for d, score in expected.items():
        assert got[d] == pytest.approx(score, rel=1e-6), d
    assert sorted(got, key=lambda d: (-got[d], d)) == sorted(expected, key=lambda d: (-expected[d], d))


@pytest.mark.parametrize("query", ["cat owl", "dog yak gnu", "fox emu ant"])
def test_short_queries_add_a_bonus_only_where_query_words_stand_side_by_side(collection, query):
    """Up to four words, neighbouring query words side by side (in the query's order) earn a small bonus on top
    of BM25; every other passage scores exactly BM25."""
    docs, index_dir = collection
    expected, got = lucene_bm25(docs, query), kb_scores(index_dir, query)
    assert set(got) == set(expected)
    pairs = list(zip(query.split(), query.split()[1:], strict=False))
    for d, score in expected.items():
        toks = docs[d].split()
        if any(p in pairs for p in zip(toks, toks[1:], strict=False)):
            assert got[d] > score * 1.000001, d
        else:
            assert got[d] == pytest.approx(score, rel=1e-6), d


def test_lengths_are_stored_in_one_byte_so_long_passages_are_scored_slightly_short(tmp_path):
    """Whoosh keeps a passage's length in one byte: exact up to 10 words, then rounded up to the next of 255
    steps (11 counts as 12, 50 as 52, 100 as 101), the average length stays exact. Lucene also encodes lengths
    in one byte (exact up to about 40, 4 significant bits after that), so neither is exactly textbook BM25; the
    order of passages changes only between near ties."""
    docs = {"short": "cat " + "dog " * 9, "odd": "cat " + "dog " * 10, "filler": "owl " * 12}
    index_dir = make_index(tmp_path, docs)
    expected, got = lucene_bm25(docs, "cat"), kb_scores(index_dir, "cat")
    assert got["short"] == pytest.approx(expected["short"], rel=1e-6)  # 10 words: exact
    idf, avgdl = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)), 33 / 3
    as_twelve = idf * (K1 + 1) / (1 + K1 * (1 - B + B * 12 / avgdl))
    assert got["odd"] == pytest.approx(as_twelve, rel=1e-6) and got["odd"] < expected["odd"]  # 11 scored as 12


def test_more_matched_words_rank_higher_and_none_is_required(tmp_path):
    docs = {"three": "cat dog fox owl yak", "two": "cat dog owl yak emu", "one": "cat owl yak emu gnu",
            "none": "owl yak emu gnu bat"}
    index_dir = make_index(tmp_path, docs)
    res = ks.search(index_dir, "cat dog fox", concepts=[], suggest=False)
    assert [h.doc_id for h in res.hits] == ["three", "two", "one"]
    # a word no passage has does not empty the result
    res = ks.search(index_dir, "fox zebra", concepts=[], suggest=False)
    assert [h.doc_id for h in res.hits] == ["three"]


def test_a_rare_word_outweighs_a_common_one(tmp_path):
    docs = {f"c{i}": "cat owl yak emu" for i in range(6)} | {"rare": "fox owl yak emu", "both": "cat fox owl yak"}
    index_dir = make_index(tmp_path, docs)
    hits = [h.doc_id for h in ks.search(index_dir, "cat fox", concepts=[], suggest=False).hits]
    assert hits[:2] == ["both", "rare"]


@pytest.mark.parametrize("query", [
    "what similarity laws must be obeyed when constructing aeroelastic models of cats and dogs ?",
    "cat-dog interaction (in the fox's den) .",
    'what is the "best" owl/eel ratio: 5% or -80 °C?',
    "I'm interested in ... cats, and/or dogs; not (necessarily) foxes",
    "Do Cats Favor Dogs Over Owls? http://example.org/owls",
    "0-dimensional yak fibres show inductive properties.",
])
def test_natural_language_questions_run(collection, query):
    docs, index_dir = collection
    res = ks.search(index_dir, query, concepts=[], suggest=False)
    assert res.hits  # each of these mentions animals in the collection


def test_bench_reads_a_cranfield_layout_collection(tmp_path):
    """bench/bench_ranking.py on a tiny SMART/Cranfield collection: ids, sections and query numbering."""
    pytest.importorskip("ir_measures")
    sys.path.insert(0, str(REPO / "bench"))
    import bench_ranking as br

    (tmp_path / "c.all").write_text(
        ".I 1\n.T\nowl flight\n.A\nsmith\n.W\nowl flight over the yak.\n"
        ".I 2\n.T\ncod fishing\n.A\njones\n.W\ncod and eel fishing at sea.\n"
        ".I 3\n.T\nhen house\n.A\nbrown\n.W\nthe hen house of a ram.\n")
    # numbered with a gap, as in Cranfield; the qrels count the queries 1, 2
    (tmp_path / "c.qry").write_text(".I 001\n.W\nhow do owls fly ?\n.I 004\n.W\neel and cod (fishing) .\n")
    (tmp_path / "cqrel").write_text("1 1 2\n2 2 1\n")
    coll = br.load(tmp_path)
    assert coll.docs["2"] == ("cod fishing", "jones\ncod and eel fishing at sea.")
    assert coll.queries == {"1": "how do owls fly ?", "2": "eel and cod (fishing) ."}
    run, failures, _ = br.run_kb(coll, br.build_index(coll, tmp_path / "home"))
    assert not failures and run["1"][0] == "1" and run["2"][0] == "2"
    assert br.evaluate(coll, run)["AP"] == 1.0
    assert br.evaluate(coll, br.run_exact_bm25(coll))["AP"] == 1.0
