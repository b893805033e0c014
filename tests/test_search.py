"""The search API: ranking, expansion, filters, highlighting, notes. One small index built per module."""

import pytest
from search_fixtures import CONCEPTS, add_doc, make_store

from kb.errors import NotIngested, QuerySyntaxError, UnknownConcept, UsageError
from kb.index import whoosh as whoosh_index
from kb.search import fragments, search


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    store = make_store(tmp)
    add_doc(store, "confed", [
        (1, "The triple aim is better health, better care and sustainable use of NHS resources."),
        (2, "Triple checks on the aim of each board were far from the core of the debate."),
        (3, "Primary care networks bring general practices together in neighbourhoods."),
        (3, "Integrated care systems (ICSs) and their boards plan services."),
    ], title="Integrating care: next steps", publisher="NHS Confederation", published="2020-11",
        doc_type="briefing", mentions=[(3, "integrated-care-system")])
    add_doc(store, "kings", [
        (1, "Every PCN has a clinical director and a workforce plan."),
        (2, "Workforce, funding and health inequalities are the main concerns."),
        (2, "Funding alone."),
    ], title="Integrated care: our position", publisher="The King's Fund", published="2022-05-17",
        doc_type="position statement")
    add_doc(store, "commons", [
        (1, "Reform of the NHS: the statutory footing for systems."),
        (1, "Health inequalities, funding and workforce shortages."),
    ], title="NHS reform", publisher="House of Commons Library", published="2020", doc_type="parliamentary briefing")
    add_doc(store, "undated", [(1, "Health and care without a date.")], title="Undated note", publisher="Nobody",
            published=None, doc_type="note")
    whoosh_index.sync(store, tmp / "indexes" / "whoosh")
    store.close()
    return tmp / "indexes" / "whoosh"


def run(where, q, **kw):
    kw.setdefault("concepts", CONCEPTS)
    return search(where, q, **kw)


def pids(res):
    return [h.passage_id for h in res.hits]


# -- words, phrases, operators ------------------------------------------------------------------------------
def test_phrase_matches_only_the_words_together(where):
    assert pids(run(where, '"triple aim"')) == ["confed-p0"]


def test_words_match_apart_but_the_phrase_outranks_them(where):
    res = run(where, "triple aim")
    assert pids(res)[:2] == ["confed-p0", "confed-p1"]
    assert res.hits[0].score > res.hits[1].score


def test_more_query_words_rank_higher_and_not_all_are_required(where):
    res = run(where, "workforce funding inequalities")
    assert pids(res)[:2] in (["kings-p1", "commons-p1"], ["commons-p1", "kings-p1"])
    assert "kings-p2" in pids(res)  # only "funding": still a hit, ranked below
    assert pids(res).index("kings-p2") > 1


def test_and_or_not_and_minus(where):
    assert set(pids(run(where, "funding AND workforce"))) == {"kings-p1", "commons-p1"}
    assert set(pids(run(where, "funding -workforce"))) == {"kings-p2"}
    assert set(pids(run(where, "funding NOT workforce"))) == {"kings-p2"}
    assert set(pids(run(where, "(statutory OR clinical) AND NOT reform"))) == {"kings-p0"}


def test_prefix_wildcard_matches_stemmed_forms(where):
    assert set(pids(run(where, "integrat*"))) == {"confed-p3"}  # titles only rank, never match alone


def test_stemming_matches_other_forms_of_a_word(where):
    assert "confed-p2" in pids(run(where, "network"))


# -- concept expansion --------------------------------------------------------------------------------------
def test_an_acronym_also_finds_the_long_form_and_says_so(where):
    res = run(where, "PCN")
    assert set(pids(res)) == {"kings-p0", "confed-p2"}
    assert any("primary-care-network" in n and '"primary care network' in n for n in res.notes)


def test_lowercase_acronym_and_plural_acronym_work(where):
    # "pcns" finds the acronym PCN itself; the concept's long form only through its id or as typed in capitals
    assert set(pids(run(where, "pcns"))) == {"kings-p0"}
    assert set(pids(run(where, "PCNs"))) == {"kings-p0", "confed-p2"}
    assert pids(run(where, "nhs", concepts=[])) and "confed-p0" in pids(run(where, "nhs", concepts=[]))


def test_quoted_alias_expands_to_the_acronym(where):
    assert set(pids(run(where, '"primary care networks"'))) == {"kings-p0", "confed-p2"}


def test_concept_filter_accepts_id_label_alias_or_acronym(where):
    for form in ("ics", "ICSs", '"integrated care system"', "integrated-care-system"):
        assert pids(run(where, f"concept:{form}")) == ["confed-p3"], form
    assert pids(run(where, "boards", concept=["ICS"])) == ["confed-p3"]


def test_unknown_concept_is_an_error_that_says_what_to_do(where):
    with pytest.raises(UnknownConcept, match="kb concepts"):
        run(where, "concept:nonsense")


# -- filters -----------------------------------------------------------------------------------------------
def test_publisher_filter_is_case_and_the_tolerant(where):
    for form in ('"King\'s Fund"', '"the kings fund"', "Kings", '"The King’s Fund"'):
        assert {h.doc_id for h in run(where, f"funding publisher:{form}").hits} == {"kings"}, form
    assert {h.doc_id for h in run(where, "funding", publisher="king's fund").hits} == {"kings"}


def test_year_and_year_ranges(where):
    assert {h.doc_id for h in run(where, "funding year:2020").hits} == {"commons"}
    assert {h.doc_id for h in run(where, "funding year:2020..2022").hits} == {"commons", "kings"}
    assert {h.doc_id for h in run(where, "health year:..2021").hits} == {"confed", "commons"}


def test_date_ranges_respect_partial_dates(where):
    # "2020" (commons) could be in November 2020; "2020-11" (confed) is; 2022-05-17 (kings) is not
    assert {h.doc_id for h in run(where, "health date:2020-11..2021-03").hits} == {"confed", "commons"}
    assert {h.doc_id for h in run(where, "health", since="2021").hits} == {"kings"}
    assert {h.doc_id for h in run(where, "health", until="2020-06").hits} == {"commons"}


def test_doc_and_type_filters(where):
    assert {h.doc_id for h in run(where, "health doc:kings").hits} == {"kings"}
    assert {h.doc_id for h in run(where, "health type:briefing").hits} == {"confed", "commons"}
    assert {h.doc_id for h in run(where, "health", type='parliamentary briefing').hits} == {"commons"}


def test_a_filter_alone_lists_its_passages(where):
    assert run(where, "doc:commons").total == 2


def test_filters_do_not_make_words_optional(where):
    assert pids(run(where, "clinical year:2022")) == ["kings-p0"]


# -- output ------------------------------------------------------------------------------------------------
def test_title_match_ranks_a_passage_higher(where):
    # both passages say "inequalities" once; kings-p1 is longer but its document is "...our position"
    assert pids(run(where, "inequalities"))[0] == "commons-p1"
    assert pids(run(where, "inequalities position"))[0] == "kings-p1"
    assert "kings-p0" not in pids(run(where, "position"))  # a title alone never makes a hit


def test_hits_carry_document_page_and_passage(where):
    hit = run(where, '"statutory footing"').hits[0]
    assert (hit.rank, hit.doc_id, hit.title, hit.publisher, hit.published, hit.page) == (
        1, "commons", "NHS reform", "House of Commons Library", "2020", 1)
    assert hit.text.startswith("Reform of the NHS")


def test_highlighting_marks_the_phrase_not_its_words_elsewhere():
    text = "The aim here is a triple aim, not a triple check."
    html = fragments(text, set(), {("tripl", "aim")})[0].html()
    assert html == "The aim here is a <mark>triple aim</mark>, not a triple check."


def test_highlighting_marks_words_and_escapes_html():
    html = fragments("Care & <b>funding</b> for care homes", {"care"}, set())[0].html()
    assert html == "<mark>Care</mark> &amp; &lt;b&gt;funding&lt;/b&gt; for <mark>care</mark> homes"


def test_long_passages_get_a_window_around_the_match():
    text = " ".join(["filler"] * 100) + " the triple aim " + " ".join(["filler"] * 100)
    frag = fragments(text, set(), {("tripl", "aim")})[0]
    assert "<mark>triple aim</mark>" in frag.html()
    assert frag.plain().startswith("…") and frag.plain().endswith("…") and len(frag.plain()) < 300


def test_ignored_stop_words_are_reported(where):
    res = run(where, "the aim of it")
    assert any(n.startswith("ignored:") and "the (stop word)" in n and "of (stop word)" in n for n in res.notes)


def test_misspelt_word_gets_did_you_mean_from_the_index(where):
    res = run(where, "workforse")
    assert res.total == 0
    assert "workforce" in res.suggestions
    assert any("did you mean" in n for n in res.notes)


def test_sort_by_date_and_paging(where):
    oldest = [h.doc_id for h in run(where, "health", sort="date").hits]
    newest = [h.doc_id for h in run(where, "health", sort="-date").hits]
    assert oldest[0] == "commons" and newest[0] == "kings"
    assert oldest[-1] == newest[-1] == "undated"  # an undated passage is never "oldest" or "newest"
    page2 = run(where, "health", limit=1, offset=1)
    assert page2.hits[0].rank == 2 and page2.hits[0].passage_id == pids(run(where, "health"))[1]


def test_group_by_document(where):
    res = run(where, "health OR funding OR care", group="doc", limit=2)
    docs = []
    for h in res.hits:
        if h.doc_id not in docs:
            docs.append(h.doc_id)
    assert len(docs) == 2
    assert [h.doc_id for h in res.hits] == sorted([h.doc_id for h in res.hits], key=docs.index)


def test_total_counts_every_match_not_just_the_page(where):
    assert run(where, "health", limit=1).total == 4


def test_explain_shows_the_understood_query(where):
    res = run(where, 'PCN -reform year:2020..2021')
    assert "text:pcn" in res.explain and "-text:reform" in res.explain and "year" in res.explain
    assert "text:pcn" in res.parsed


# -- errors ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query, error", [
    ("", QuerySyntaxError), ("the of and", QuerySyntaxError), ('"unclosed', QuerySyntaxError),
    ("bogus:field", QuerySyntaxError),
])
def test_bad_queries(where, query, error):
    with pytest.raises(error):
        run(where, query)


def test_bad_options(where):
    with pytest.raises(UsageError):
        run(where, "health", since="last year")
    with pytest.raises(UsageError):
        run(where, "health", sort="score")
    with pytest.raises(UsageError, match="ends before it starts"):
        run(where, "health date:2021..2020")


def test_missing_index_says_run_ingest(tmp_path):
    with pytest.raises(NotIngested, match="kb ingest"):
        search(tmp_path / "nope", "health")


def test_long_natural_language_question_runs_as_plain_bm25(where):
    q = "what funding and workforce plans must be made for health inequalities (in the NHS)?"
    res = run(where, q)
    assert res.total > 0
    assert "near:" not in res.parsed  # no proximity bonus for long queries: plain BM25 like Lucene
    assert any("? (punctuation)" in n or "stop word" in n for n in res.notes)


def test_hyphenated_words_are_separate_words(where):
    assert set(pids(run(where, "funding-workforce"))) == set(pids(run(where, "funding workforce")))
