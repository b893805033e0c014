"""A discovered definition's meaning travels only as far as it holds (kb.nlp.context, kb.nlp.glossary)."""

from __future__ import annotations

import random
import re

import pytest
from test_tagging import glossary_store, make_store

from kb.nlp.context import in_code_path, numbered, other_spelling, proper_name, starts_a_name
from kb.nlp.glossary import finalize


def _surfaces(store, doc_id):
    return [(m.surface, m.concept_id) for m in store.mentions(doc_id=doc_id) if m.concept_id.startswith("acr-")]


def _store(tmp_path, docs):
    return glossary_store(tmp_path, docs)


def test_reference_codes_are_not_mentions_outside_the_defining_document(tmp_path):
    docs = [("a", "The plan was approved by the Bristol Council (BC).", "2020"),
            ("a2", "The Bristol Council (BC) met.", "2020"),  # a meaning two documents give travels
            ("b", "Written evidence BC 47 and BC 0123, (BC0123), BC-12, #BC, A/B/C/BC. The BC approved it.",
             "2021"),
            ("c", "The BC approved it; the BC 2 report and the BC met.", "2021")]
    store = _store(tmp_path, docs)
    assert [s for s, _ in _surfaces(store, "b")] == ["BC"]
    assert [s for s, _ in _surfaces(store, "c")] == ["BC", "BC", "BC"]  # mostly the body, so "BC 2" is too


def test_a_string_the_document_writes_as_another_word_is_that_word(tmp_path):
    docs = [("a", "The Global Positioning System (GPS) is old. The GPS works.", "2019"),
            ("a2", "A Global Positioning System (GPS) helps.", "2019"),
            ("t", "Witness: we asked the GPs. Q: how many GPS? A: the GPs said no.", "2020"),
            ("u", "Each GPS receiver was checked.", "2021")]
    store = _store(tmp_path, docs)
    assert _surfaces(store, "t") == []
    assert _surfaces(store, "u") == [("GPS", "acr-gps")]


def test_a_generic_long_form_defined_once_stays_in_its_document(tmp_path):
    docs = [("a", "We record self-assessment scores (SAS) here. The SAS went up.", "2019"),
            ("b", "The SAS flight landed.", "2020"),
            ("c", "Their self-assessment scores were low; the SAS rose.", "2021"),
            ("d", "The Sheffield Valuation Audit (SVA) runs. The SVA reports.", "2019"),
            ("e", "The SVA arrived.", "2020"),
            ("f", "The audit of every valuation in Sheffield: the SVA reported.", "2021")]
    store = _store(tmp_path, docs)
    assert [s for s, _ in _surfaces(store, "a")] == ["self-assessment scores", "SAS", "SAS"]
    assert _surfaces(store, "b") == []
    assert [s for s, _ in _surfaces(store, "c")] == ["self-assessment scores", "SAS"]
    # A proper name travels where the document supports it: here, by writing its words.
    assert _surfaces(store, "e") == []
    assert _surfaces(store, "f") == [("SVA", "acr-sva")]


def test_an_acronym_before_a_capitalised_word_is_a_mention_where_defined_and_before_a_generic_noun(tmp_path):
    text = ("The Individual Funding Request (IFR) route. The IFR Panel met; the IFR Panel Chair spoke. "
            "See BAF Risk 1 in the Board Assurance Framework (BAF). The IFR Improvement Plan, the IFR "
            "Employers and the IFR Constitution. The IFR-R group. The IFR itself.")
    elsewhere = ("A request for individual funding: the IFR Panel met. The IFR Improvement Plan, the IFR Employers "
                 "and the IFR Constitution.")
    store = _store(tmp_path, [("a", text, "2020"), ("b", elsewhere, "2021")])
    assert [s for s, c in _surfaces(store, "a") if c == "acr-ifr"] == [
        "Individual Funding Request", "IFR", "IFR", "IFR", "IFR", "IFR", "IFR", "IFR"]
    assert [s for s, c in _surfaces(store, "a") if c == "acr-baf"] == ["BAF", "Board Assurance Framework", "BAF"]
    # Outside the defining document, an acronym opening another proper name is part of that name.
    assert [m.start for m in store.mentions(doc_id="b")] == [elsewhere.index("IFR Panel"),
                                                             elsewhere.index("IFR Improvement")]


def test_context_rules_on_random_neighbours():
    """Seeded random text around an acronym: a number next to it makes a code unless it is a year, a share
    never does; a lower-case word never opens a name, and a generic noun never does."""
    rng = random.Random(9)
    for _ in range(500):
        number = str(rng.randint(0, 9999)).zfill(rng.choice((1, 2, 4)))
        word = rng.choice(["panel", "Panel", "Employers", "Risk", "board", "Trust", "Plan"])
        share = rng.random() < 0.2
        text = f"the ABC {number}{'%' if share else ''} and ABC {word} x"
        assert numbered(text, 7) == (not share and re.fullmatch(r"(19|20)\d\d", number) is None), text
        assert starts_a_name(text, text.rindex("ABC") + 3) == (word in ("Employers", "Trust"))
    assert not numbered("the ABC panel", 7) and not numbered("(ABC) met", 4)
    assert in_code_path("MRH/IDA/TSP/ABC/G- x", 12, 15) and not in_code_path("Directive 2011/24/ABC x", 18, 21)
    assert other_spelling("GPS", "the gps and gps", "the GPs and GPS")
    assert not other_spelling("GPS", "the gps", "the GPS") and not other_spelling("SPA", "a spa day", "a spa day")
    assert proper_name("Office for Budgetary Responsibility") and not proper_name("Business cases")


@pytest.mark.parametrize("seed", [23, 24, 25])
def test_an_incremental_run_matches_a_full_one_when_a_meaning_starts_or_stops_travelling(tmp_path, seed):
    """Seeded random additions and removals of documents that define generic and specific senses, use them,
    number them as codes or write them as other words; after each step the stored mentions equal a fresh
    store's (ids aside: they depend on history, never reused, see test_concept_ids)."""
    from kb.nlp.pipeline import Tagger

    rng = random.Random(seed)
    tagger = Tagger([])
    pieces = ["We log business cases (BC) here.", "The Business Cases (BC) list.", "The BC met.",
              "Evidence BC 47 and BC 12.", "Self-assessment scores (SAS) rose.", "The SAS fell.",
              "Global Positioning Systems (GPS) help.", "Ask the GPs about GPS.", "Each GPS works.",
              "General Practice (GP) matters.", "general practitioners (GPs) work.", "The GP saw me."]
    docs: dict[str, str] = {}
    store = make_store(tmp_path / "inc", [], tagger=tagger)
    for step in range(20):
        if docs and rng.random() < 0.3:
            doc_id = rng.choice(sorted(docs))
            del docs[doc_id]
            with store.transaction():
                store.delete_document(doc_id)
        else:
            doc_id = f"d{step}"
            docs[doc_id] = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 3)))
            fresh = make_store(tmp_path / f"one{step}", [(doc_id, docs[doc_id], "2020")], tagger=tagger)
            row, passages = fresh.document(doc_id), fresh.passages(doc_id)
            with store.transaction():
                store.replace_document(row, [(1, 0, len(row["text"]))], passages)
                (_, mentions, acronyms), = tagger.tag([(doc_id, passages)])
                store.replace_mentions(doc_id, mentions, acronyms, "test")
            fresh.close()
        finalize(store, [])
        full = make_store(tmp_path / f"full{step}", [(d, docs[d], "2020") for d in sorted(docs)], tagger=tagger)
        finalize(full, [])
        assert _by_meaning(store) == _by_meaning(full), step
        full.close()


def _by_meaning(store):
    acronym = {c.id: c.acronyms for c in store.concepts()}
    return [(m.doc_id, m.start, m.end, m.surface, m.is_definition, acronym[m.concept_id]) for m in store.mentions()]


def test_a_name_defined_in_one_document_is_not_read_into_letters_another_names_otherwise(tmp_path):
    """ACS is the American Community Survey where one report defines it; a report that writes out another name
    with those initials and never the survey means its own ACS; one that names nothing else keeps the meaning."""
    docs = [("a", "The American Community Survey (ACS) is annual. The ACS samples homes.", "2019"),
            ("b", "The trust signed with Advanced Computer Software in May. ACS will run the system; ACS "
                  "staff trained the nurses.", "2020"),
            ("c", "Figures from the ACS show rents rising.", "2021"),
            ("d", "Applied Computer Systems wrote the code; the American Community Survey data came from the "
                  "ACS office.", "2021"),
            ("e", "The Standing Policy Committee met. The Statistical Process Control (SPC) chart is here.", "2019"),
            ("f", "Chairperson, Standing Policy Committee on Property. Chairperson, SPC on Development.", "2020")]
    store = _store(tmp_path, docs)
    assert _surfaces(store, "b") == []
    assert _surfaces(store, "c") == [("ACS", "acr-acs")]
    assert ("ACS", "acr-acs") in _surfaces(store, "d")
    assert [s for s, _ in _surfaces(store, "e")].count("SPC") == 1  # the defining document keeps its own
    assert _surfaces(store, "f") == []


def test_letters_a_document_mostly_writes_inside_code_paths_are_a_code_wherever_written(tmp_path):
    """A procurement table lists "ICB" beside "MRH/IDA/TSP/ICB/G-" (International Competitive Bidding): the
    table cell is the code too, not the integrated care board another report defines."""
    docs = [("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2022"),
            ("b", "Method  ICB  MRH/IDA/TSP/ICB/G-  NCB  MRH/IDA/TSP/NCB/G  ICB  MRH/IDA/TSP/ICB/G-  "
                  "ICB  MRH/IDA/TSP/ICB/G-", "2016"),
            ("c", "The ICB met; see file MRH/IDA/TSP/ICB/G-. The ICB agreed and the ICB paid for integrated care "
                  "across the board.", "2023")]
    store = _store(tmp_path, docs)
    assert _surfaces(store, "b") == []
    assert _surfaces(store, "c") == [("ICB", "acr-icb")] * 3


def test_a_curated_vocabulary_meaning_is_not_second_guessed_by_another_name_with_its_initials(tmp_path):
    from kb.models import Concept
    from kb.nlp.pipeline import Tagger

    vocab = [Concept("icp-provider", "integrated care provider", "body", acronyms=("ICP",)),
             Concept("icp-partnership", "integrated care partnership", "body", acronyms=("ICP",))]
    docs = [("a", "The integrated care partnership (ICP) met.", "2020"),
            ("b", "The Independent Clinical Panel reviewed it. The ICP agreed.", "2021")]
    store = make_store(tmp_path, docs, tagger=Tagger(vocab))
    finalize(store, vocab)
    assert [(m.surface, m.concept_id) for m in store.mentions(doc_id="b")] == [("ICP", "icp-partnership")]
