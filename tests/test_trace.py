"""kb.trace: resolving terms, the date-honest first-appearance ledger, timelines, co-occurrence and successors.

Stores are built directly with kb.store (one passage per paragraph, concept mentions found by a plain regex), so
these tests pin the trace logic without depending on the ingest pipeline.
"""

from __future__ import annotations

import re

import pytest

from kb.errors import UnknownConcept, UsageError
from kb.models import AcronymDefinition, Concept, Mention, PartialDate, Passage
from kb.store import Store
from kb.trace import defining_pattern, resolve, trace

ICS = Concept("ics", "integrated care system", "body", aliases=("integrated care systems",), acronyms=("ICS", "ICSs"))
STP = Concept("stp", "sustainability and transformation partnership", "body", acronyms=("STP", "STPs"),
              successor=("ics",))
PCN = Concept("pcn", "primary care network", "body", aliases=("primary care networks",), acronyms=("PCN", "PCNs"))
NHS = Concept("nhs", "NHS", "body", acronyms=("NHS",))
VOCAB = [ICS, STP, PCN, NHS]


def build_store(path, documents: list[dict], concepts: list[Concept] = VOCAB) -> Store:
    """A store from specs {id, published|None, publisher, paragraphs, duplicate_of?}; one passage per paragraph."""
    store = Store.open(path, create=True)
    with store.transaction():
        store.replace_concepts(concepts)
    for spec in documents:
        paragraphs = spec["paragraphs"]
        text = "\n\n".join(paragraphs)
        passages, offset = [], 0
        for n, para in enumerate(paragraphs):
            passages.append(Passage(f"{spec['id']}-{n}", spec["id"], n, 1 + n // 3, 1 + n // 3, offset,
                                    offset + len(para), para))
            offset += len(para) + 2
        date = PartialDate.parse(spec["published"]) if spec.get("published") else None
        doc = {
            "id": spec["id"], "source": spec["id"] + ".txt", "sha256": spec["id"], "format": "text",
            "title": spec.get("title", spec["id"].replace("-", " ").title()),
            "publisher": spec.get("publisher", "Publisher"),
            "published": date.value if date else None, "date_precision": date.precision if date else None,
            "date_earliest": date.earliest if date else None, "date_latest": date.latest if date else None,
            "date_source": "catalog" if date else None, "duplicate_of": spec.get("duplicate_of"),
            "pages": passages[-1].page, "passages": len(passages), "words": sum(p.words for p in passages),
            "text": text, "ingested_at": "2026-01-01T00:00:00",
        }
        mentions, acronyms = [], []
        for p in passages:
            for c in concepts:
                names = [(n, re.IGNORECASE) for n in (c.label, *c.aliases)] + [(a, 0) for a in c.acronyms]
                taken: list[tuple[int, int]] = []
                for name, flags in sorted(names, key=lambda x: -len(x[0])):
                    for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", p.text, flags):
                        if any(m.start() < e and s < m.end() for s, e in taken):
                            continue
                        taken.append((m.start(), m.end()))
                        mentions.append(Mention(spec["id"], p.id, c.id, m.group(), p.start + m.start(),
                                                p.start + m.end(), p.page))
                for m in re.finditer(r"(" + "|".join(re.escape(n) for n in (c.label, *c.aliases)) + r") \((\w+)\)",
                                     p.text, re.IGNORECASE):
                    if m.group(2) in c.acronyms:
                        acronyms.append(AcronymDefinition(spec["id"], p.id, m.group(2), m.group(1),
                                                          p.start + m.start(), p.start + m.end(), p.page, c.id))
        with store.transaction():
            store.replace_document(doc, [(1, 0, len(text))], passages)
            store.replace_mentions(spec["id"], mentions, acronyms, "test")
    return store


FILLER = "Local partners met to talk about budgets, staff and buildings across the county this year."


@pytest.fixture
def dated_store(tmp_path):
    docs = [
        {"id": "a-year", "published": "2020", "publisher": "Library",
         "paragraphs": [FILLER, "New integrated care systems will replace STPs by 2021."]},
        {"id": "b-month", "published": "2020-11", "publisher": "Confed",
         "paragraphs": ["Integrated care systems (ICSs) are partnerships of NHS bodies and councils.", FILLER]},
        {"id": "c-day", "published": "2020-11-20", "publisher": "Confed",
         "paragraphs": ["ICSs should be given a statutory footing. Each ICS will plan services.", FILLER]},
        {"id": "d-later", "published": "2022-05-17", "publisher": "Fund",
         "paragraphs": ["All parts of England are covered by ICSs.", "Primary care networks sit within each ICS."]},
        {"id": "e-undated", "published": None, "publisher": "Blog",
         "paragraphs": ["An undated note about the STP footprint and primary care networks (PCNs)."]},
        {"id": "f-duplicate", "published": "2019-01", "publisher": "Confed", "duplicate_of": "b-month",
         "paragraphs": ["Integrated care systems appear in this early duplicate edition."]},
    ]
    store = build_store(tmp_path / "kb.sqlite", docs)
    yield store
    store.close()


# -- resolution ------------------------------------------------------------------------------------------------------
def test_resolve_acronyms_exact_labels_and_aliases_any_case(dated_store):
    assert resolve(dated_store, "ICS").matched_by == "acronym"
    assert resolve(dated_store, "ics").matched_by == "id"
    assert resolve(dated_store, "Integrated Care System").concept.id == "ics"
    assert resolve(dated_store, "INTEGRATED CARE SYSTEMS").matched_by == "alias"
    assert resolve(dated_store, "STPs").concept.id == "stp"
    # "Pcn" is neither the id (pcn matches, case-insensitively, as an id) nor an exact acronym
    assert resolve(dated_store, "Pcn").matched_by == "id"
    ref = resolve(dated_store, "statutory   footing")
    assert (ref.kind, ref.concept, ref.term) == ("phrase", None, "statutory footing")


def test_unknown_term_suggests_vocabulary(dated_store):
    with pytest.raises(UnknownConcept) as err:
        resolve(dated_store, "integrated care sytem")
    assert "integrated care system (ics)" in str(err.value)
    assert "kb concepts" in str(err.value)
    with pytest.raises(UsageError):
        resolve(dated_store, "   ")


def test_phrase_match_respects_word_boundaries(dated_store):
    with pytest.raises(UnknownConcept):
        resolve(dated_store, "statutory foot")  # only "statutory footing" is in the text
    result = trace(dated_store, "Statutory Footing").to_json()
    assert result["concept"] is None
    assert result["first_use"]["doc_id"] == "c-day"
    assert "<mark>statutory footing</mark>" in result["first_use"]["quote"]


# -- ledger and dates ------------------------------------------------------------------------------------------------
def test_year_precision_document_first_but_tied_with_same_year_months(dated_store):
    result = trace(dated_store, "ICS").to_json()
    first = result["first_use"]
    assert first["doc_id"] == "a-year"  # 2020 could be as early as 1 January
    assert [t["doc_id"] for t in first["tied_with"]] == ["b-month", "c-day"]
    assert first["published"] == "2020" and first["date_precision"] == "year" and first["date_source"] == "catalog"
    assert first["sentence"] == "New integrated care systems will replace STPs by 2021."
    assert first["quote"] == "New <mark>integrated care systems</mark> will replace STPs by 2021."
    assert first["passage_id"] == "a-year-1" and first["page"] == 1
    assert any("tie" in w for w in result["warnings"])
    assert "first in this corpus of 4 documents dated 2020–2022-05-17 (plus 1 undated)" in result["statement"]


def test_month_and_day_in_that_month_are_tied_and_later_years_are_not(tmp_path):
    docs = [
        {"id": "z-day", "published": "2020-11-20", "paragraphs": ["The ICS met."]},
        {"id": "y-month", "published": "2020-11", "paragraphs": ["The ICS met again."]},
        {"id": "x-other-month", "published": "2020-12", "paragraphs": ["The ICS met in December."]},
        {"id": "w-day-before", "published": "2020-10-31", "paragraphs": [FILLER]},
    ]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        first = trace(store, "ICS").to_json()["first_use"]
    assert first["doc_id"] == "y-month"
    assert [t["doc_id"] for t in first["tied_with"]] == ["z-day"]


@pytest.mark.parametrize("ids", [("a", "b"), ("b", "a")])
def test_of_tied_documents_the_one_the_other_names_by_title_comes_first(tmp_path, ids):
    """A response of the same day names the review it answers: the review is shown first, whatever the ids, and
    the warning says why; a document naming a title of fewer than four words decides nothing."""
    review, response = ids
    docs = [{"id": review, "title": "Rapid review of waiting lists in care", "published": "2021-03-01",
             "paragraphs": ["The ICS should publish its waiting list."]},
            {"id": response, "title": "Government response", "published": "2021-03-01",
             "paragraphs": ["This answers the Rapid review of waiting lists in care.", "The ICS will publish it."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        result = trace(store, "ICS").to_json()
    first = result["first_use"]
    assert first["doc_id"] == review and [t["doc_id"] for t in first["tied_with"]] == [response]
    why = ("which Government response names by title, so it came first" if review == "b" else
           "the one whose earliest possible date comes first")
    assert any("First use is a tie" in w and why in w for w in result["warnings"])


def test_same_day_tie_is_broken_by_document_id_and_reported(tmp_path):
    docs = [{"id": "b", "published": "2021-03-01", "paragraphs": ["The ICS met."]},
            {"id": "a", "published": "2021-03-01", "paragraphs": ["The ICS met."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        first = trace(store, "ICS").to_json()["first_use"]
    assert first["doc_id"] == "a" and [t["doc_id"] for t in first["tied_with"]] == ["b"]


def test_undated_documents_are_listed_apart_and_never_ordered(dated_store):
    result = trace(dated_store, "stp").to_json()
    assert result["first_use"]["doc_id"] == "a-year"
    assert [u["doc_id"] for u in result["undated"]] == ["e-undated"]
    assert result["undated"][0]["mentions"] == 1
    assert "<mark>STP</mark>" in result["undated"][0]["quote"]
    assert any("undated" in w for w in result["warnings"])
    assert all(row["period"] != "None" for row in result["timeline"])


def test_concept_only_in_undated_documents(tmp_path):
    docs = [{"id": "dated", "published": "2021", "paragraphs": [FILLER]},
            {"id": "undated", "published": None, "paragraphs": ["Primary care networks (PCNs) are groups of practices."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        result = trace(store, "PCN").to_json()
    assert result["first_use"] is None and result["first_definition"] is None
    assert result["first_undefined_use"] is None
    assert [u["doc_id"] for u in result["undated"]] == ["undated"]
    assert "only in undated documents" in result["statement"]
    assert [r["mentions"] for r in result["timeline"]] == [0]
    assert result["by_publisher"][0]["first_published"] is None


def test_duplicate_editions_are_left_out(dated_store):
    result = trace(dated_store, "integrated care system").to_json()
    assert result["first_use"]["doc_id"] != "f-duplicate"
    assert "f-duplicate" not in str(result)
    assert result["corpus"]["documents"] == 5


def test_definition_and_first_undefined_use(dated_store):
    result = trace(dated_store, "ics").to_json()
    assert result["first_definition"]["doc_id"] == "b-month"
    assert result["first_definition"]["definition_kind"] in ("acronym", "is")
    assert result["first_undefined_use"]["doc_id"] == "a-year"
    pcn = trace(dated_store, "pcn").to_json()
    assert pcn["first_use"]["doc_id"] == "d-later"
    assert pcn["first_definition"] is None  # only the undated note defines it: undated never orders
    assert pcn["first_undefined_use"]["doc_id"] == "d-later"


@pytest.mark.parametrize("before, after, expected", [
    ("", " (PCNs) are groups of GP practices.", "is"),
    ("services. The ", " is a partnership of bodies.", "is"),
    ("taken forward by ", " (ICSs), which bring together providers", "which"),
    ("at neighbourhood level, where ", " (groups of GP practices and others) work", "gloss"),
    ("a new body known as the ", " will plan care.", "known-as"),
    ("Every ", " is expected to plan.", None),
    ("replace the remaining ", " are soon gone.", None),
    ("in each ", " (see box).", None),
])
def test_defining_sentence_patterns(before, after, expected):
    assert defining_pattern(before, after) == expected


def test_first_year_of_corpus_warning(dated_store):
    assert any("may well be older" in w for w in trace(dated_store, "ICS").to_json()["warnings"])
    late = trace(dated_store, "primary care networks").to_json()
    assert not any("may well be older" in w for w in late["warnings"])


# -- timeline, publishers, successors --------------------------------------------------------------------------------
def test_timeline_by_year_counts_and_normalises(dated_store):
    result = trace(dated_store, "ICS").to_json()
    rows = {r["period"]: r for r in result["timeline"]}
    assert list(rows) == ["2020", "2021", "2022"]
    assert rows["2020"]["mentions"] == 5 and rows["2020"]["documents"] == 3
    assert rows["2021"] == {"period": "2021", "mentions": 0, "documents": 0, "words_in_period": 0, "per_10k": None}
    words_2020 = rows["2020"]["words_in_period"]
    assert rows["2020"]["per_10k"] == round(5 * 10000 / words_2020, 2)
    assert rows["2022"]["mentions"] == 2


def test_timeline_by_month_keeps_year_only_documents_apart(dated_store):
    periods = [r["period"] for r in trace(dated_store, "ICS", by="month").to_json()["timeline"]]
    assert periods[:3] == ["2020", "2020-11", "2020-12"] and periods[-1] == "2022-05"
    assert len(periods) == 1 + 19
    with pytest.raises(UsageError):
        trace(dated_store, "ICS", by="week").to_json()


def test_by_publisher(dated_store):
    rows = trace(dated_store, "ICS").to_json()["by_publisher"]
    assert [(r["publisher"], r["mentions"], r["documents"], r["first_published"]) for r in rows] == [
        ("Library", 1, 1, "2020"), ("Confed", 4, 2, "2020-11"), ("Fund", 2, 1, "2022-05-17")]


def test_successor_and_predecessor_timelines_show_the_crossover(dated_store):
    stp = trace(dated_store, "STP").to_json()
    assert [s["concept_id"] for s in stp["successors"]] == ["ics"]
    assert stp["successors"][0]["timeline"][0]["mentions"] == 5
    assert stp["crossovers"] == [{"from": "stp", "to": "ics", "period": "2020"}]
    ics = trace(dated_store, "ICS").to_json()
    assert [p["concept_id"] for p in ics["predecessors"]] == ["stp"]
    assert ics["predecessors"][0]["first_use"]["doc_id"] == "a-year"


# -- co-occurrence ---------------------------------------------------------------------------------------------------
def test_cooccurrence_ranks_association_not_frequency(tmp_path):
    paragraphs = (["The ICS and the NHS work with primary care networks."] * 4
                  + ["The ICS and the NHS plan services."] * 8
                  + ["The NHS runs hospitals."] * 20
                  + ["Primary care networks hire staff."] * 1)
    with build_store(tmp_path / "kb.sqlite", [{"id": "d", "published": "2021", "paragraphs": paragraphs}]) as store:
        rows = trace(store, "ICS").to_json()["cooccurring"]
    by_id = {r["concept_id"]: r for r in rows}
    assert by_id["nhs"]["passages_together"] == 12 and by_id["pcn"]["passages_together"] == 4
    assert [r["concept_id"] for r in rows] == ["pcn", "nhs"]  # rarer but far more associated
    assert by_id["pcn"]["score"] > 0 > by_id["nhs"]["score"] or by_id["pcn"]["score"] > by_id["nhs"]["score"]
    assert by_id["pcn"]["pmi"] > by_id["nhs"]["pmi"]


def test_phrase_cooccurrence_ignores_the_concept_the_phrase_is_part_of(dated_store):
    rows = trace(dated_store, "integrated care").to_json()["cooccurring"]
    assert "ics" not in {r["concept_id"] for r in rows}


def test_cooccurrence_counts_leave_duplicate_editions_out(tmp_path):
    text = ["The ICS and the NHS plan services.", FILLER]
    docs = [{"id": "orig", "published": "2021", "paragraphs": text},
            {"id": "copy", "published": "2021", "paragraphs": text, "duplicate_of": "orig"}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        for term in ("ICS", "the ICS and"):
            (nhs,) = [r for r in trace(store, term).to_json()["cooccurring"] if r["concept_id"] == "nhs"]
            assert (nhs["passages_together"], nhs["passages_with_concept"]) == (1, 1)
            assert nhs["expected"] == 0.5  # 1 passage with the term x 1 with NHS / 2 kept passages


def test_a_shared_acronym_resolves_to_the_sense_the_corpus_uses_most(tmp_path):
    provider = Concept("integrated-care-provider", "integrated care provider", "body", acronyms=("ICP",))
    partnership = Concept("icp", "integrated care partnership", "body", acronyms=("ICP",))
    docs = [{"id": "d", "published": "2019", "paragraphs": ["An integrated care provider (ICP) contract. One ICP."]}]
    with build_store(tmp_path / "kb.sqlite", docs, [provider, partnership]) as store:
        ref = resolve(store, "ICP")
        assert ref.concept.id == "integrated-care-provider" and ref.alternatives == ("icp",)
        result = trace(store, "ICP").to_json()
    assert result["match"]["alternatives"] == ["icp"]
    assert result["warnings"][0].startswith("ICP is also the acronym of: icp.")


@pytest.mark.parametrize("sentence, kind", [
    ("The ICS is a partnership of local bodies.", "is"),
    ("Each area has an ICS, which plans care.", "which"),
    ("Each area has an ICS (a partnership of local bodies) now.", "gloss"),
    ("A new body known as the ICS will plan care.", "known-as"),
    ("Integrated care systems (ICSs) plan care.", "acronym"),
])
def test_a_late_definition_is_found_after_many_undefined_uses(tmp_path, sentence, kind):
    docs = [{"id": f"use-{n}", "published": str(2001 + n), "paragraphs": ["Every ICS plans care."] * 3}
            for n in range(9)]
    docs += [{"id": "defines", "published": "2015", "paragraphs": ["Every ICS plans care.", sentence]},
             {"id": "defines-later", "published": "2016", "paragraphs": [sentence]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        result = trace(store, "ICS").to_json()
    assert result["first_use"]["doc_id"] == "use-0"
    assert result["first_undefined_use"]["doc_id"] == "use-0"
    assert result["first_definition"]["doc_id"] == "defines"
    assert result["first_definition"]["definition_kind"] == kind
    assert result["first_definition"]["tied_with"] == []


def test_phrase_matches_across_a_line_break_and_a_hyphen_and_exact_keeps_the_words_as_typed(tmp_path):
    docs = [{"id": "a", "published": "2021", "paragraphs": ["A shadow\nform first.", "A shadow-form next.",
                                                             "SHADOW FORM again; shadow formation never."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        rows = trace(store, "shadow form").to_json()
        exact = trace(store, "shadow form", exact=True).to_json()
    assert rows["totals"]["mentions"] == 3 and exact["totals"]["mentions"] == 2
    assert rows["first_use"]["surface"] == "shadow\nform"
    assert "hyphen/space" in rows["match"]["matches"] and exact["match"]["matched_by"] == "as-written"


def test_every_document_defines_it(tmp_path):
    docs = [{"id": f"d{n:02d}", "published": f"{2000 + n}-06", "paragraphs": [FILLER, "Primary care networks (PCNs) "
             "are groups of practices. Each PCN hires staff."]} for n in range(20)]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        result = trace(store, "PCN").to_json()
    assert result["first_undefined_use"] is None
    assert (result["first_definition"]["doc_id"], result["first_definition"]["tied_with"]) == ("d00", [])
    assert result["totals"] == {"mentions": 60, "documents": 20, "undated_documents": 0}


def test_the_typed_trace_keeps_every_key_the_docs_name_and_loses_nothing(dated_store):
    """TraceResult and LedgerEntry are what the rest of kb reads; their to_json() is what `kb trace --json`
    prints. For every concept and some phrases: the JSON has exactly the keys docs/trace.md names (a ledger entry
    too), and reading it back gives the same value, so no field is dropped or renamed on the way out."""
    import json
    from pathlib import Path

    from kb.trace import LedgerEntry, TraceResult

    doc = (Path(__file__).resolve().parent.parent / "docs" / "trace.md").read_text("utf-8")
    table = doc[doc.index("## `kb trace TERM --json`"):doc.index("**Ledger entry**")]
    keys = {k for row in re.findall(r"^\| (`.*?) \|", table, re.M) for k in re.findall(r"`(\w+)`", row)}
    ledger_doc = doc[doc.index("**Ledger entry**"):doc.index("**Timeline row**")]
    ledger_keys = {k.strip() for span in re.findall(r"`([^`]*)`", ledger_doc.split("(list of")[0])
                   for k in span.split(",") if re.fullmatch(r"\s*\w+\s*", k)}
    terms = [c.id for c in dated_store.concepts()] + ["integrated care", "statutory footing", "ICSs"]
    for term in terms:
        try:
            result = trace(dated_store, term)
        except UnknownConcept:
            continue
        out = result.to_json()
        assert set(out) == keys, term
        assert TraceResult.from_json(json.loads(json.dumps(out))) == result, term
        for key, entry in result.ledger():
            assert (entry is None) == (out[key] is None)
            if entry is not None:
                assert isinstance(entry, LedgerEntry)
                assert ledger_keys <= set(out[key]) <= ledger_keys | {"definition_kind"}, term
