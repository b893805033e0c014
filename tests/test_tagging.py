"""Concept tagging: the matching rules users rely on, offsets, and precision/recall on the bundled corpus."""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from kb.models import Passage
from kb.nlp.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLD = Path(__file__).resolve().parent / "data" / "gold_mentions.tsv"


@functools.cache
def bundled_tagger():
    """One tagger for the whole test session (building spaCy costs about a second)."""
    from kb.nlp.pipeline import Tagger

    return Tagger(load_vocabulary(CORPUS / "concepts.toml"))


def split_passages(doc_id: str, text: str, page: int = 1) -> list[Passage]:
    """Passages split on blank lines, with offsets into ``text`` (a stand-in for kb's own splitter)."""
    return [Passage(f"{doc_id}-{n}", doc_id, n, page, page, m.start(), m.end(), m.group())
            for n, m in enumerate(re.finditer(r"\S.*?(?=\n[ \t]*\n|\Z)", text, re.S))]


def tag(text: str, doc_id: str = "d"):
    (_, mentions, definitions), = bundled_tagger().tag([(doc_id, split_passages(doc_id, text))])
    return mentions, definitions


def found(text: str) -> list[tuple[str, str]]:
    return [(m.concept_id, m.surface) for m in tag(text)[0]]


def make_store(path: Path, docs: list[tuple[str, str, str | None]], tagger=None, duplicate_of: dict | None = None,
               publishers: dict | None = None):
    """A real SQLite store holding ``docs`` (id, text, published), tagged with ``tagger``."""
    from kb.models import PartialDate
    from kb.store import Store

    store = Store.open(path / "kb.sqlite", create=True)
    tagger = tagger or bundled_tagger()
    for doc_id, text, published in docs:
        passages = split_passages(doc_id, text)
        date = PartialDate.parse(published) if published else None
        row = {"id": doc_id, "source": f"{doc_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
               "format": "text", "title": doc_id.replace("-", " "), "published": published,
               "date_precision": date.precision if date else None, "date_earliest": date.earliest if date else None,
               "date_latest": date.latest if date else None, "duplicate_of": (duplicate_of or {}).get(doc_id),
               "publisher": (publishers or {}).get(doc_id),
               "pages": 1, "passages": len(passages), "words": len(text.split()), "text": text,
               "ingested_at": "2026-01-01T00:00:00Z"}
        with store.transaction():
            store.replace_document(row, [(1, 0, len(text))], passages)
            if not row["duplicate_of"]:
                (_, mentions, acronyms), = tagger.tag([(doc_id, passages)])
                store.replace_mentions(doc_id, mentions, acronyms, "test")
    return store


def glossary_store(path: Path, docs: list[tuple[str, str, str | None]], publishers: dict | None = None,
                   vocab: tuple = ()):
    """``make_store`` tagged with ``vocab`` alone (no bundled vocabulary), its glossary finalised: what the
    documents define for themselves and where those meanings travel."""
    from kb.nlp.glossary import finalize
    from kb.nlp.pipeline import Tagger

    store = make_store(path, docs, tagger=Tagger(list(vocab)), publishers=publishers)
    finalize(store, list(vocab))
    return store


# -- matching rules --------------------------------------------------------------------------------------------
def test_long_forms_match_whatever_the_case():
    assert found("An Integrated Care System and an INTEGRATED CARE SYSTEM.") == [
        ("ics", "Integrated Care System"), ("ics", "INTEGRATED CARE SYSTEM")]


def test_plurals_and_possessives_of_long_forms():
    assert found("integrated care systems and the integrated care system's budget and health and wellbeing boards") == [
        ("ics", "integrated care systems"), ("ics", "integrated care system"), ("hwb", "health and wellbeing boards")]


def test_hyphen_and_space_variants():
    assert found("place based partnerships and place-based partnership and health and well-being boards") == [
        ("place-based-partnership", "place based partnerships"), ("place-based-partnership", "place-based partnership"),
        ("hwb", "health and well-being boards")]


def test_british_and_american_spellings():
    assert found("accountable care organizations, a new care models program") == [
        ("accountable-care-organisation", "accountable care organizations"),
        ("new-care-models", "new care models program")]


def test_acronyms_are_case_sensitive_and_never_lower_case_look_alikes():
    assert found("ICS and ics and Ics and CCG and ccg.") == [("ics", "ICS"), ("ccg", "CCG")]


def test_acronym_plurals_possessives_and_compounds():
    assert found("CCGs, the ICS's plan, the ICS\u2019s plan, ICS-wide and ICS-level work, NHSEI\u2019s paper") == [
        ("ccg", "CCGs"), ("ics", "ICS"), ("ics", "ICS"), ("ics", "ICS"), ("ics", "ICS"), ("nhsei", "NHSEI")]


def test_acronyms_never_match_inside_other_words():
    assert found("PICS, ICSX, topics, physics, L&CCG, CCGx and NHSEIx.") == []


def test_curly_and_straight_quotes_alike():
    assert found("The King\u2019s Fund and the King's Fund on the \u2018triple aim\u2019 and the 'triple aim'") == [
        ("kings-fund", "The King\u2019s Fund"), ("kings-fund", "the King's Fund"),
        ("triple-aim", "triple aim"), ("triple-aim", "triple aim")]


def test_longest_match_wins():
    assert found("NHS England and NHS Improvement merged; NHS England leads the NHS.") == [
        ("nhsei", "NHS England and NHS Improvement"), ("nhs-england", "NHS England"), ("nhs", "NHS")]
    assert found("the Health and Social Care Act 2012 and the Department of Health and Social Care") == [
        ("hsca-2012", "Health and Social Care Act 2012"), ("dhsc", "Department of Health and Social Care")]


def test_long_forms_match_across_line_breaks_with_offsets_into_the_text():
    text = "Views of integrated\ncare   systems matter."
    mentions, _ = tag(text)
    (m,) = mentions
    assert m.concept_id == "ics" and text[m.start:m.end] == m.surface == "integrated\ncare   systems"


def test_offsets_are_document_offsets_and_pages_come_from_the_passage():
    text = "Preface.\n\nLater, clinical commissioning groups (CCGs) merged. CCGs shrank."
    passages = split_passages("doc", text, page=3)
    (_, mentions, definitions), = bundled_tagger().tag([("doc", passages)])
    assert [(text[m.start:m.end], m.page, m.passage_id, m.is_definition) for m in mentions] == [
        ("clinical commissioning groups", 3, "doc-1", True), ("CCGs", 3, "doc-1", True), ("CCGs", 3, "doc-1", False)]
    (d,) = definitions
    assert (d.short, d.long, d.concept_id, d.page, d.passage_id) == ("CCG", "clinical commissioning groups", "ccg", 3, "doc-1")
    assert text[d.start:d.end].startswith("clinical commissioning groups (CCGs")


def test_a_document_defining_a_vocabulary_acronym_otherwise_is_not_tagged_with_the_vocabulary_sense():
    mentions, definitions = tag("Each independent care service (ICS) reports. The ICS board meets.")
    assert [d.concept_id for d in definitions] == [None]
    assert all(m.concept_id != "ics" for m in mentions)


def test_guarded_acronyms_are_left_to_the_glossary_step():
    assert found("The ICP and the AO and the STP met.") == []


def test_tag_streams_documents_in_order_even_empty_ones():
    docs = [("a", split_passages("a", "An ICS.")), ("empty", []), ("b", split_passages("b", "Two CCGs."))]
    out = list(bundled_tagger().tag(docs, batch_size=1))
    assert [(d, [m.surface for m in ms]) for d, ms, _ in out] == [("a", ["ICS"]), ("empty", []), ("b", ["CCGs"])]


# -- the bundled corpus ----------------------------------------------------------------------------------------
def bundled_docs():
    from kb.ingest.catalog import load_catalog

    catalog = load_catalog(CORPUS / "catalog.toml")
    docs = []
    for path in sorted(CORPUS.glob("*.txt")):
        entry = catalog[path.name]
        docs.append((entry.id, path.read_text("utf-8"), entry.published.value if entry.published else None))
    return docs


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    from kb.nlp.glossary import finalize

    store = make_store(tmp_path_factory.mktemp("gold"), bundled_docs())
    finalize(store, bundled_tagger().concepts)
    yield store
    store.close()


def read_gold() -> Counter:
    gold: Counter = Counter()
    with GOLD.open(encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            gold[(row["doc"], row["concept"], row["surface"])] += int(row["count"])
    return gold


def test_precision_and_recall_on_the_bundled_corpus_against_hand_counts(bundled_store):
    gold = read_gold()
    got = Counter((m.doc_id, m.concept_id, " ".join(m.surface.split())) for m in bundled_store.mentions())
    tp = sum((gold & got).values())
    precision, recall = tp / sum(got.values()), tp / sum(gold.values())
    missing, extra = gold - got, got - gold
    assert precision >= 0.97 and recall >= 0.97, f"missing {dict(missing)}; extra {dict(extra)}"
    assert sum(gold.values()) > 300


def test_every_acronym_the_bundled_documents_define_is_found_with_its_long_form(bundled_store):
    got = {(d.doc_id, d.short, d.long.lower(), d.concept_id) for d in bundled_store.acronym_definitions()}
    expected = {
        ("commons-library-nhs-reform-icss-2020", "ICS", "integrated care systems", "ics"),
        ("commons-library-nhs-reform-icss-2020", "STP", "sustainability and transformation partnerships", "stp"),
        ("commons-library-nhs-reform-icss-2020", "CCG", "clinical commissioning groups", "ccg"),
        ("commons-library-nhs-reform-icss-2020", "ICP", "integrated care provider", "integrated-care-provider"),
        ("commons-library-nhs-reform-icss-2020", "PCN", "primary care networks", "pcn"),
        ("nhsconfed-future-of-integrated-care-2020", "ICS", "integrated care systems", "ics"),
        ("nhsconfed-statutory-footing-news-2020", "ICS", "integrated care systems", "ics"),
        ("kingsfund-integrated-care-our-position-2022", "ICS", "integrated care systems", "ics"),
        ("nhsconfed-integrating-care-next-steps-briefing-2020", "NHSEI", "nhs england and nhs improvement", "nhsei"),
        ("nhsconfed-integrating-care-next-steps-briefing-2020", "ICS", "integrated care systems", "ics"),
        ("nhsconfed-integrating-care-next-steps-briefing-2020", "PCN", "primary care networks", "pcn"),
        ("nhsconfed-integrating-care-next-steps-briefing-2020", "AO", "accountable officer", "accountable-officer"),
    }
    assert got == expected


def test_l_and_od_is_not_a_concept_and_ao_is_the_accountable_officer_only_where_defined(bundled_store):
    kf = bundled_store.mentions(doc_id="kingsfund-integrated-care-our-position-2022")
    assert not [m for m in kf if "OD" in m.surface]
    ao = bundled_store.mentions(concept_id="accountable-officer")
    assert {m.doc_id for m in ao} == {"nhsconfed-integrating-care-next-steps-briefing-2020"}
    assert [m.surface for m in ao] == ["accountable officer", "AO", "AO", "AOs", "AO"]


def test_acronym_long_forms_stop_at_the_sentence_boundary_the_pipeline_marks():
    _, definitions = tag("Patients need Care. Quality Commission (CQC) reports came.")
    assert definitions == []
    _, definitions = tag("Patients value the Care Quality Commission (CQC). It reports.")
    assert [(d.short, d.long) for d in definitions] == [("CQC", "Care Quality Commission")]
