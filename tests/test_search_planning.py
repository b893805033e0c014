"""How a query is planned: case-sensitive acronym expansion, unknown filter values, repeated clauses, bounded
"did you mean" (issues 11 and 12). One small index with a discovered acronym that is also a stop word."""

from __future__ import annotations

import time

import pytest
from search_fixtures import add_doc, make_store

from kb import index
from kb import search as ks
from kb.errors import QuerySyntaxError, UnknownConcept, UnknownDocument, UnknownValue, closest
from kb.index import whoosh as whoosh_index
from kb.models import Concept
from kb.nlp.vocabulary import ConceptNames
from kb.search import load_concepts, search

OF = Concept("acr-of", "Osteitis fibrosa", "discovered", acronyms=("OF",), discovered=True)
US = Concept("acr-us", "ultrasound scan", "discovered", acronyms=("US",), discovered=True)
PCN = Concept("pcn", "primary care network", "body", aliases=("primary care networks",), acronyms=("PCN",))
DOH = Concept("department-of-health", "Department of Health", "body", acronyms=("DH", "DoH"))
CONCEPTS = [OF, US, PCN, DOH]


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("planning")
    store = make_store(tmp)
    with store.transaction():
        store.replace_concepts(CONCEPTS)
    add_doc(store, "bones", [
        (1, "Osteitis fibrosa (OF) shows on the scan of the hand."),
        (2, "Seen in OF cystica; the US scan agreed with us."),
        (3, "A state of the art review of bone disease."),
    ], title="Bone disease", publisher="The Lancet", doc_type="review")
    add_doc(store, "care", [
        (1, "Every PCN has a clinical director and a workforce plan."),
        (2, "Primary care networks bring practices together; funding and workforce."),
        (3, "Funding, workforce and funding again."),
    ], title="Networks", publisher="NHS Confederation", doc_type="briefing")
    whoosh_index.sync(store, tmp / "indexes" / "whoosh")
    store.close()
    return tmp / "indexes" / "whoosh"


def run(where, q, **kw):
    kw.setdefault("concepts", CONCEPTS)
    return search(where, q, **kw)


def pids(res):
    return [h.passage_id for h in res.hits]


# -- issue 11: acronyms are case-sensitive in expansion ---------------------------------------------------
def test_a_lower_case_stop_word_never_becomes_a_discovered_acronym(where):
    with pytest.raises(QuerySyntaxError, match=r"ignored: of \(stop word\)"):
        run(where, "of")
    res = run(where, "state of the art")
    assert not any("OF" in n or "acr-of" in n for n in res.notes)
    assert "bones-p2" in pids(res)


def test_the_acronym_typed_in_capitals_expands(where):
    res = run(where, "OF")
    assert {"bones-p0", "bones-p1"} <= set(pids(res))
    assert any("OF also matches concept acr-of (Osteitis fibrosa)" in n for n in res.notes)


def test_a_lower_case_common_word_never_reaches_a_discovered_concept(where):
    res = run(where, "us")
    assert not any("acr-us" in n for n in res.notes)
    assert run(where, "US").notes and any("acr-us" in n for n in run(where, "US").notes)


def test_vocabulary_ids_still_expand_in_lower_case(where):
    for q in ("pcn", "pcns", "PCN", "PCNs"):
        res = run(where, q)
        assert set(pids(res)) == {"care-p0", "care-p1"}, q
        assert any("also matches concept pcn (primary care network)" in n for n in res.notes), q


def test_bare_word_lookup_rules():
    names = ConceptNames(CONCEPTS)
    assert names.bare("of", stop_word=True) is None and names.bare("Of", stop_word=True) is None
    assert names.bare("of") is None and names.bare("OF", stop_word=True) is OF
    assert names.bare("acr-of") is None  # a discovered concept's id is not a word to type
    assert names.bare("DoH") is DOH and names.bare("doh") is None and names.bare("DH") is DOH
    assert names.bare("pcn") is PCN
    # concept: filters and quoted phrases stay case-insensitive
    assert names.resolve("of") is OF and names.resolve("primary care networks") is PCN


def test_load_concepts_reads_the_discovered_flag(where):
    by_id = {c.id: c for c in load_concepts(where.parent / "kb.sqlite")}
    assert by_id["acr-of"].discovered and not by_id["pcn"].discovered


# -- issue 12: unknown filter values ----------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, query, error, needle", [
    ({"doc": "nosuch"}, "doc:nosuch", UnknownDocument, "No document 'nosuch'. Run `kb docs` to list them."),
    ({"doc": "bone"}, "doc:bone", UnknownDocument, "Did you mean bones?"),
    ({"publisher": "lancett"}, "publisher:lancett", UnknownValue, "Did you mean lancet?"),
    ({"publisher": "Nobody"}, "publisher:Nobody", UnknownValue, "Known: lancet, nhs confederation."),
    ({"type": "reveiw"}, "type:reveiw", UnknownValue, "Did you mean review?"),
    ({"concept": "primary care netwrk"}, 'concept:"primary care netwrk"', UnknownConcept,
     "Did you mean primary care network (pcn)?"),
])
def test_unknown_filter_values_are_errors_naming_the_closest(where, kwargs, query, error, needle):
    with pytest.raises(error) as by_option:
        run(where, "funding", **kwargs)
    with pytest.raises(error) as by_field:
        run(where, f"funding {query}")
    assert needle in str(by_option.value) and needle in str(by_field.value)
    assert by_option.value.exit_code == by_field.value.exit_code == 2


def test_known_filter_values_filter(where):
    assert set(pids(run(where, "funding", publisher="nhs"))) == {"care-p1", "care-p2"}
    assert pids(run(where, "funding doc:bones")) == []
    assert pids(run(where, "type:review scan")) == ["bones-p0", "bones-p1"] or set(
        pids(run(where, "type:review scan"))) == {"bones-p0", "bones-p1"}


def test_one_did_you_mean_helper():
    assert closest("kingsfund-2022", ["kingsfund-integrated-care-our-position-2022", "other"]) == [
        "kingsfund-integrated-care-our-position-2022"]
    assert closest("Brefing", ["briefing", "report"]) == ["briefing"]
    assert closest("zzz", ["briefing"]) == [] and closest("", ["a"]) == []


# -- repeated clauses --------------------------------------------------------------------------------------
def test_a_repeated_clause_is_planned_once_and_scores_as_often_as_typed(where):
    once = {h.passage_id: h.score for h in run(where, "funding AND workforce").hits}
    twice = run(where, "(funding AND workforce) AND (funding AND workforce)")
    assert {h.passage_id: round(h.score / 2, 6) for h in twice.hits} == {k: round(v, 6) for k, v in once.items()}
    res = run(where, " OR ".join(["PCN"] * 500))
    assert sum("PCN also matches" in n for n in res.notes) == 1
    node, _plan, _tree = ks.plan(" AND ".join(["PCN"] * 500), ConceptNames(CONCEPTS))
    assert ks.describe(node).count("concepts:pcn") == 1


# -- did you mean ------------------------------------------------------------------------------------------
def test_suggestions_only_when_the_page_is_not_full(where, monkeypatch):
    asked = []
    real = whoosh_index.Searcher.suggest
    monkeypatch.setattr(whoosh_index.Searcher, "suggest", lambda self, w, limit=3: asked.append(w) or real(self, w, limit))
    res = run(where, "fundng workforce", limit=1)  # the page of 1 is full: no spelling lookup
    assert asked == [] and "no passage contains 'fundng'" in res.notes
    res = run(where, "fundng workforce", limit=10)  # 3 hits, page of 10: worth a suggestion
    assert asked == ["fundng"] and any("did you mean: funding" in n for n in res.notes)
    assert "funding" in res.suggestions


def test_suggestions_are_bounded_in_words_and_time():
    calls = []

    def slow(word):
        calls.append(word)
        time.sleep(0.3)
        return ["x"]

    started = time.monotonic()
    notes, suggestions = ks._missing_word_notes([f"w{i}" for i in range(50)] + ["w1", "W1"], slow)
    assert len(calls) <= ks.SUGGEST_WORDS and time.monotonic() - started < ks.SUGGEST_SECONDS + 0.5
    assert len(notes) == ks.MISSING_WORDS_NAMED + 1 and notes[-1].startswith("no passage contains 45 more")
    assert suggestions == ["x"]


def test_a_phrase_typed_as_a_concepts_name_is_searched_and_scored_once():
    """'"primary care network"' names concept pcn: its other names join the query, but the phrase typed is not
    added a second time as one of them (it once scored twice over, outweighing every other word of a query)."""
    names = ConceptNames(CONCEPTS)
    node, planned, _ = ks.plan('"primary care network" funding', names, has_term=lambda f, t: True,
                               keys=lambda f: [])
    notes = planned.notes
    phrase = index.PhraseQ("text", ("primari", "care", "network"))
    assert repr(node).count(repr(phrase)) == 1, node
    assert any('"primary care network"' in n and "also matches concept pcn" in n for n in notes), notes


def test_an_expanded_word_typed_twice_counts_twice_as_a_plain_word_does(where):
    """A word typed twice counts twice; one that also names a concept did not (its clause, grown by the
    concept's other names, was counted once), so expansion took weight away from what was typed: on CISI the
    query that names MEDLARS three times ranked worse with the ingest's concepts than without them."""
    for q in ("PCN PCN workforce", "workforce PCN clinical PCN PCN"):
        expanded = {h.passage_id: h.score for h in run(where, q, limit=50).hits}
        plain = {h.passage_id: h.score for h in run(where, q, concepts=[], limit=50).hits}
        # "Every PCN has a clinical director and a workforce plan." has no other name of the concept
        assert expanded["care-p0"] == plain["care-p0"], q
        assert set(plain) <= set(expanded)


def test_a_long_form_typed_beside_its_acronym_is_not_counted_again(where):
    """'PCN primary care networks': the long form's words are in the query already, so the expansion does not
    add them a second time as a phrase (a passage with the long form would score its words twice over)."""
    expanded = {h.passage_id: h.score for h in run(where, "PCN primary care networks").hits}
    plain = {h.passage_id: h.score for h in run(where, "PCN primary care networks", concepts=[]).hits}
    assert expanded["care-p1"] == plain["care-p1"]
    res = run(where, "PCN workforce")  # not typed beside it: the long form is searched as a phrase
    assert "care-p1" in pids(res) and any('"primary care network"' in n for n in res.notes)
