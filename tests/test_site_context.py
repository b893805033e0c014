"""Page contexts of the static site: what each page says, computed from a tiny store (no rendering)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_sample import build_sample_store

from kb.models import AcronymDefinition, Mention, Passage
from kb.site import context as ctx
from kb.site.charts import bar_chart, column_chart
from kb.site.gather import gather
from kb.site.paths import UnsafePath, doc_href, output_path, safe_name


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = build_sample_store(tmp_path_factory.mktemp("ctx") / "kb.sqlite")
    yield gather(store)
    store.close()


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    """Another gathered store: first appearances from kb.trace, as in every build."""
    pytest.importorskip("kb.trace")
    store = build_sample_store(tmp_path_factory.mktemp("ctx-trace") / "kb.sqlite")
    yield gather(store)
    store.close()


def _text(segments):
    return "".join(s.get("text", "") for s in segments)


# -- passages -----------------------------------------------------------------------------------------------------
def test_passage_segments_link_mentions_and_keep_every_character():
    p = Passage("d-p1", "d", 1, 1, 2, 100, 150, "The ICS and the triple aim meet here on two pages.")
    mentions = [Mention("d", "d-p1", "ics", "ICS", 104, 107, 1), Mention("d", "d-p1", "triple-aim", "triple aim", 116, 126, 1)]
    segs = ctx.passage_segments(p, mentions, [(131, 2)], {})
    assert _text(segs) == p.text
    kinds = [s["t"] for s in segs]
    assert kinds == ["text", "mention", "text", "mention", "text", "page", "text"]
    assert segs[5]["page"] == 2


def test_overlapping_mentions_keep_the_longest_as_the_link():
    p = Passage("d-p1", "d", 1, 1, 1, 0, 30, "integrated care systems grow")
    mentions = [Mention("d", "d-p1", "ic", "integrated care", 0, 15, 1),
                Mention("d", "d-p1", "ics", "integrated care systems", 0, 23, 1)]
    segs = ctx.passage_segments(p, mentions, [], {})
    links = [s for s in segs if s["t"] == "mention"]
    assert [s["concept_id"] for s in links] == ["ics"]
    assert _text(segs) == p.text


def test_mentions_whose_offsets_do_not_match_the_text_are_not_linked():
    p = Passage("d-p1", "d", 1, 1, 1, 0, 10, "plain text")
    segs = ctx.passage_segments(p, [Mention("d", "d-p1", "ics", "ICS", 0, 3, 1)], [], {})
    assert [s["t"] for s in segs] == ["text"] and _text(segs) == "plain text"


# -- document page ------------------------------------------------------------------------------------------------
def test_document_has_an_anchor_for_every_page_and_passage(data):
    c = ctx.document_context(data, "confed-2020")
    pages = [b["page"] for b in c["blocks"] if b["t"] == "page"]
    passages = [b["id"] for b in c["blocks"] if b["t"] == "passage"]
    assert pages == [1, 2]
    assert passages == ["confed-2020-p001", "confed-2020-p002", "confed-2020-p003"]
    assert c["page_numbers"] == [1, 2]
    assert c["passage_level"] == 3  # h1 title, h2 "Full text", h3 per passage when there are no section headings


def test_document_mentions_link_to_concept_pages_and_definitions_are_marked(data):
    c = ctx.document_context(data, "confed-2020")
    first = next(b for b in c["blocks"] if b["t"] == "passage")
    links = [s for s in first["segments"] if s["t"] == "mention"]
    assert links[0]["text"] == "Integrated care systems"
    assert links[0]["href"] == "concepts/ics.html"
    assert links[0]["definition"] is True
    assert links[0]["title"] == "integrated care system (ICS)"
    assert links[0]["also"] == "ICS"  # indexed beside the long form, so searching the acronym finds it
    assert [s["also"] for s in links if s["text"] == "ICSs"] == [""]  # nothing to add beside an acronym
    assert {x["id"] for x in c["concepts"]} >= {"ics", "triple-aim", "stp", "pcn", "ccg"}


def test_document_metadata_names_the_source_of_each_value(data):
    c = ctx.document_context(data, "confed-2020")
    meta = {m["name"]: m for m in c["metadata"]}
    assert meta["Publisher"]["value"] == "NHS Confederation" and meta["Publisher"]["source"] == "catalog"
    assert meta["Published"]["source"] == "catalog"
    assert meta["Publisher"]["evidence"] == "set by hand" and meta["URL"].get("evidence") is None
    assert meta["URL"]["href"] == "https://www.nhsconfed.org/"
    assert c["warnings"] == ["page 2: text layer is thin"]


def test_duplicate_edition_points_to_its_primary_and_back(data):
    dup = ctx.document_context(data, "confed-2020-pdf")
    assert dup["primary"]["href"] == "documents/confed-2020.html"
    primary = ctx.document_context(data, "confed-2020")
    assert [e["id"] for e in primary["editions"]] == ["confed-2020-pdf"]


def test_hostile_url_is_never_a_link(data):
    c = ctx.document_context(data, "hostile-2021")
    url = next(m for m in c["metadata"] if m["name"] == "URL")
    assert url["href"] is None and url["value"].startswith("javascript:")


# -- concept page -------------------------------------------------------------------------------------------------
def test_concept_ledger_quotes_the_first_use_and_links_to_the_passage(data):
    c = ctx.concept_context(data, "triple-aim")
    first = c["ledger"][0]
    assert first["key"] == "first_use"
    assert first["doc"]["id"] == "commons-2020"  # "2020" could be January: earlier than "2020-11"
    assert first["href"] == "documents/commons-2020.html#commons-2020-p001"
    assert [s["text"] for s in first["quote"] if s["t"] == "mark"] == ["triple aim"]


def test_concept_mentions_grouped_by_document_in_date_order_and_editions_not_counted(data):
    c = ctx.concept_context(data, "triple-aim")
    assert [g["doc"]["id"] for g in c["groups"]] == ["commons-2020", "confed-2020", "confed-2020-pdf", "hostile-2021"]
    assert [g["counted"] for g in c["groups"]] == [True, True, False, True]
    assert c["mention_count"] == 3 and c["document_count"] == 3
    kwic = c["groups"][0]["mentions"][0]
    assert kwic["href"] == "documents/commons-2020.html#commons-2020-p001"
    assert "".join(s["text"] for s in kwic["segments"]).startswith("The triple aim")


def test_frequent_concept_mentions_are_split_into_pages_without_losing_any(data, monkeypatch):
    monkeypatch.setattr(ctx, "MENTIONS_PER_PAGE", 3)
    monkeypatch.setattr(ctx, "PREVIEW_MENTIONS", 1)
    pages = ctx.mention_pages(data, "ics")
    # confed-2020 has 4 mentions, more than a page holds: its first 3 fill page 2, its 4th opens page 3.
    assert [[(r.doc_id, r.first, len(r.mentions)) for r in run] for run in pages] == [
        [("commons-2020", 0, 1)], [("confed-2020", 0, 3)], [("confed-2020", 3, 1), ("confed-2020-pdf", 0, 2)],
        [("hostile-2021", 0, 1)]]
    flat = [m for run in pages for r in run for m in r.mentions]
    assert flat == data.mentions_by_concept["ics"]  # all of them, in date order, none twice
    c = ctx.concept_context(data, "ics")
    assert [p["n"] for p in c["mention_pages"]] == [1, 2, 3, 4]
    assert c["mention_pages"][2] == {"n": 3, "href": "concepts/ics/mentions-3.html", "documents": 2,
                                         "mentions": 3, "first": "2020-11", "last": "2020-11"}
    assert c["all_documents"] == 4 and c["all_mentions"] == len(flat)
    assert [g["doc"]["id"] for g in c["groups"]] == ["commons-2020", "confed-2020", "confed-2020-pdf", "hostile-2021"]
    confed = next(g for g in c["groups"] if g["doc"]["id"] == "confed-2020")
    assert len(confed["mentions"]) == 1 and confed["more"] == 3 and confed["count"] == 4
    assert confed["all_href"] == "concepts/ics/mentions-2.html#doc-confed-2020"
    page = ctx.concept_mentions_context(data, "ics", 3)
    assert [(g["doc"]["id"], len(g["mentions"]), g["count"], g["span"]) for g in page["groups"]] == [
        ("confed-2020", 1, 4, (4, 4)), ("confed-2020-pdf", 2, 2, None)]
    assert ctx.concept_context(data, "icb")["mention_pages"] == []  # small concepts stay on one page
    monkeypatch.setattr(ctx, "DOCUMENTS_PER_PAGE", 1)  # many documents with one mention each: pages stay short
    assert [len(run) for run in ctx.mention_pages(data, "ics")] == [1, 1, 1, 1, 1]


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(counts=st.lists(st.integers(0, 30), min_size=1, max_size=12), per_page=st.integers(1, 12),
       docs_per_page=st.integers(1, 5))
def test_mention_pages_tile_every_mention_in_order_and_stay_small(counts, per_page, docs_per_page):
    """Whatever the spread of mentions over documents, pages hold every mention once, in date order, and none
    holds more than a page's share: a document with many mentions is split, never one huge page."""
    import types

    documents = [{"id": f"d{i:02d}", "published": f"20{10 + i:02d}"} for i in range(len(counts))]
    mentions = [Mention(doc_id=d["id"], passage_id=f"{d['id']}-p{j}", concept_id="c", start=j, end=j + 1,
                        surface="C", page=1) for d, n in zip(documents, counts, strict=True) for j in range(n)]
    data = types.SimpleNamespace(documents=documents, mentions_by_concept={"c": mentions})
    old = ctx.MENTIONS_PER_PAGE, ctx.DOCUMENTS_PER_PAGE
    ctx.MENTIONS_PER_PAGE, ctx.DOCUMENTS_PER_PAGE = per_page, docs_per_page
    try:
        pages = ctx.mention_pages(data, "c")  # type: ignore[arg-type]
    finally:
        ctx.MENTIONS_PER_PAGE, ctx.DOCUMENTS_PER_PAGE = old
    assert [m for run in pages for r in run for m in r.mentions] == mentions
    if len(mentions) > per_page:
        assert all(sum(len(r.mentions) for r in run) <= per_page for run in pages)
        assert all(len(run) <= docs_per_page for run in pages)
    for run in pages:
        for r in run:
            assert r.total == counts[int(r.doc_id[1:])] and 0 <= r.first < r.total


def test_concept_relations_both_directions(data):
    ics = {r["name"]: [t["id"] for t in r["targets"]] for r in ctx.concept_context(data, "ics")["relations"]}
    assert ics == {"Replaces": ["stp"], "Has parts": ["icb", "place"]}
    stp = {r["name"]: [t["id"] for t in r["targets"]] for r in ctx.concept_context(data, "stp")["relations"]}
    assert stp == {"Replaced by": ["ics"]}


def test_concept_charts_have_labelled_axes(data):
    c = ctx.concept_context(data, "ics")
    assert [r["period"] for r in c["timeline"]] == ["2020", "2021"]
    assert "Year of publication" in c["timeline_chart"] and "Mentions" in c["timeline_chart"]
    assert "NHS Confederation" in c["publisher_chart"]
    assert "&lt;Co&gt;" in c["publisher_chart"]  # publisher names are escaped inside the SVG


def test_unmentioned_and_discovered_concepts_still_have_pages(data):
    c = ctx.concept_context(data, "place")
    assert c["mention_count"] == 0 and c["groups"] == [] and c["ledger"] == []
    assert c["relations"] == [{"name": "Part of", "targets": [ctx._concept_brief(data, "ics")]}]
    assert ctx.concept_context(data, "pcn")["discovered"] is True


def test_traced_ledger_reports_ties_and_a_statement(traced):
    c = ctx.concept_context(traced, "triple-aim")
    first = c["ledger"][0]
    assert first["doc"]["id"] == "commons-2020"
    assert [t["id"] for t in first["tied_with"]] == ["confed-2020"]
    assert "triple aim" in c["statement"]


# -- lists and home -----------------------------------------------------------------------------------------------
def test_home_counts_documents_but_not_other_editions(data):
    h = ctx.home_context(data)
    assert h["stats"]["documents"] == 3 and h["stats"]["editions"] == 1
    assert h["stats"]["publishers"] == 3
    assert h["stats"]["first"] == "2020" and h["stats"]["last"] == "2021-03-04"
    assert h["top_concepts"][0]["id"] == "ics"
    assert [d["id"] for d in h["recent"]][0] == "hostile-2021"
    assert "Documents per year" in h["timeline_chart"]


def test_documents_list_pre_sorted_three_ways(data):
    by_date = [r["id"] for r in ctx.documents_context(data, "date")["rows"]]
    by_title = [r["id"] for r in ctx.documents_context(data, "title")["rows"]]
    by_pub = [r["id"] for r in ctx.documents_context(data, "publisher")["rows"]]
    assert by_date == ["commons-2020", "confed-2020", "confed-2020-pdf", "hostile-2021"]
    assert by_title[0] == "hostile-2021" and by_title[-1] == "commons-2020"
    assert by_pub[0] == "hostile-2021" and by_pub[1] == "commons-2020"


def test_concepts_list_grouped_by_kind_with_counts(data):
    kinds = {k["kind"]: k["concepts"] for k in ctx.concepts_list_context(data)["kinds"]}
    assert list(kinds) == sorted(kinds)
    body = {c["id"]: (c["mentions"], c["documents"]) for c in kinds["body"]}
    assert body["ics"][1] == 3  # three primary documents, the PDF edition not counted


def test_glossary_lists_each_sense_with_where_it_was_defined(data):
    g = ctx.glossary_context(data)
    entries = {e["short"]: e for e in g["entries"]}
    assert set(entries) >= {"ICS", "STP", "PCN"}
    assert entries["ICS"]["first_defined"] == "2020-11"
    sense = entries["PCN"]["senses"][0]
    assert sense["long"] == "primary care networks" and sense["concept"]["href"] == "concepts/pcn.html"
    assert sense["definitions"][0]["href"] == "documents/confed-2020.html#confed-2020-p003"


# -- helpers ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [("2020-11-20", "20 November 2020"), ("2020-11", "November 2020"),
                                             ("2020", "2020"), (None, "undated")])
def test_human_date(value, expected):
    assert ctx.human_date(value) == expected


@pytest.mark.parametrize("url, ok", [("https://example.org/a?b=1", True), ("http://x.y", True),
                                     ("javascript:alert(1)", False), ("data:text/html,x", False), ("//evil", False)])
def test_only_http_urls_become_links(url, ok):
    assert (ctx.safe_url(url) is not None) is ok


def test_empty_charts_still_render_a_labelled_frame():
    svg = column_chart([], title="Nothing", x_label="Year", y_label="Mentions", chart_id="c")
    assert "<svg" in svg and "No data." in svg and "Year" in svg
    assert "Publisher" in bar_chart([], title="t", x_label="Mentions", y_label="Publisher", chart_id="p")


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/abs", "a/b", "..", "CON", "x\\y", "", "a" * 300, "é"])
def test_unsafe_ids_become_plain_file_names(bad):
    name = safe_name(bad)
    assert "/" not in name and "\\" not in name and not name.startswith(".") and len(name) <= 120
    assert doc_href(bad) == f"documents/{name}.html"
    assert safe_name(bad) == name  # deterministic


def test_plain_slugs_are_kept():
    assert safe_name("nhsconfed-future-of-integrated-care-2020") == "nhsconfed-future-of-integrated-care-2020"


@pytest.mark.parametrize("rel", ["../x.html", "/etc/x", "a/../../x", "documents/../../x", "", "."])
def test_output_path_refuses_to_leave_the_site(tmp_path, rel):
    with pytest.raises(UnsafePath):
        output_path(tmp_path, rel)


def test_output_path_refuses_a_symlinked_folder_that_points_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "documents").symlink_to(outside)
    with pytest.raises(UnsafePath):
        output_path(site, "documents/x.html")


# -- headings, glossary, parts -----------------------------------------------------------------------------------
def _one_doc(passages, acronyms=(), glossary=None):
    from kb.site.gather import SiteData

    text_end = max(p.end for p in passages)
    doc = {"id": "d", "title": "D", "published": "2020", "date_earliest": "2020-01-01", "pages": 2,
           "passages": len(passages), "words": 10, "source": "d.txt"}
    return SiteData(documents=[doc], concepts=[], passages={"d": list(passages)},
                    pages={"d": [{"page": 1, "start": 0, "end": text_end}]}, mentions_by_doc={},
                    acronyms=list(acronyms), glossary=glossary or [], traces={})


def test_a_passage_does_not_repeat_its_section_heading():
    text1 = "Background\n\nIntegrated care began in 2016."
    text2 = "It grew."
    p1 = Passage("d-p0001-aaaaaa", "d", 1, 1, 1, 0, len(text1), text1, "Background")
    p2 = Passage("d-p0002-bbbbbb", "d", 2, 1, 1, len(text1) + 2, len(text1) + 2 + len(text2), text2, "Background")
    blocks = ctx.document_context(_one_doc([p1, p2]), "d")["blocks"]
    headings = [b["text"] for b in blocks if b["t"] == "heading"]
    passages = [b for b in blocks if b["t"] == "passage"]
    assert headings == ["Background"]  # once, above the first passage of its section
    assert _text(passages[0]["segments"]) == "Integrated care began in 2016."
    assert passages[0]["lead"] == "Background"  # still indexed for search with its passage
    assert _text(passages[1]["segments"]) == "It grew." and passages[1]["lead"] == ""
    # A heading the text does not start with stays a heading; the text is left whole.
    p3 = Passage("d-p0001-cccccc", "d", 1, 1, 1, 0, len(text2), text2, "Elsewhere")
    blocks = ctx.document_context(_one_doc([p3]), "d")["blocks"]
    assert _text(blocks[-1]["segments"]) == "It grew."


def test_the_glossary_lists_each_defining_passage_once_and_quotes_it():
    text = "Primary care networks (PCNs) are groups. PCNs are new. Primary care networks (PCNs) again."
    p1 = Passage("d-p0001-aaaaaa", "d", 1, 1, 1, 0, len(text), text)
    defs = [AcronymDefinition("d", p1.id, "PCN", "primary care networks", 0, 28, 1, "pcn"),
            AcronymDefinition("d", p1.id, "PCN", "primary care networks", 56, 84, 1, "pcn")]
    where = {"doc_id": "d", "title": "D", "published": "2020", "page": 1, "passage_id": p1.id}
    glossary = [{"short": "PCN", "first_defined": "2020",
                 "senses": [{"long": "primary care networks", "concept_id": None, "definitions": [where, where]}]}]
    g = ctx.glossary_context(_one_doc([p1], defs, glossary))
    (sense,) = g["entries"][0]["senses"]
    (d,) = sense["definitions"]
    assert d["href"] == f"documents/d.html#{p1.id}" and d["ordinal"] == 1 and d["page"] == 1
    assert [s["text"] for s in d["quote"] if s["t"] == "mark"] == ["Primary care networks (PCNs)"]


def test_parts_cut_at_page_starts_and_links_follow_the_passage():
    from kb.site.gather import split_parts

    passages = [Passage(f"d-p{i:04d}-abcdef", "d", i, 1 + i // 4, 1 + i // 4, i * 1000, i * 1000 + 900, "x" * 900)
                for i in range(1, 41)]
    parts = split_parts(passages, [], budget=8_000)
    assert [p.id for run in parts for p in run] == [p.id for p in passages]  # every passage, once, in order
    cost = 420 + int(900 * 1.08)
    assert len(parts) > 4 and all(len(run) * cost <= 8_000 for run in parts)
    for prev, run in zip(parts, parts[1:], strict=False):  # a cut falls where a page starts, unless the part was full
        assert run[0].page != prev[-1].page or (len(prev) + 1) * cost > 8_000


def test_the_site_and_the_cli_share_one_trace_and_one_glossary(tmp_path):
    """The site shows what `kb trace` and `kb acronyms` compute (one ledger, one co-occurrence statistic, G2)."""
    from kb.nlp.glossary import glossary
    from kb.trace import trace
    from kb.trace.ledger import COOCCURRENCE_SCORE

    store = build_sample_store(tmp_path / "kb.sqlite")
    try:
        data = gather(store)
        for concept_id in data.traces:
            assert data.traces[concept_id] == trace(store, concept_id, by="year")
        assert data.traces["ics"].cooccurrence_score == COOCCURRENCE_SCORE
        assert data.glossary == glossary(store)  # nothing rejected in the sample project
        failing = gather(store, tracer=lambda s, c: 1 / 0)
        assert all("could not be worked out" in t.warnings[0] for t in failing.traces.values())
        assert ctx.concept_context(failing, "ics")["ledger"] == []
    finally:
        store.close()
