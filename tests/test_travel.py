"""Where a meaning defined in one document is read into another (kb.nlp.travel, kb.nlp.glossary)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from test_tagging import glossary_store, make_store

from kb.nlp.glossary import finalize
from kb.nlp.travel import Reach, content_words, document_words, writes_words


def _store(path, docs, publishers=None, vocab=()):
    return glossary_store(path, docs, publishers, tuple(vocab))


def _bare(store, doc_id):
    """The acronyms tagged as written (not long forms) in one document, with their concepts."""
    return [(m.surface, m.concept_id) for m in store.mentions(doc_id=doc_id) if " " not in m.surface
            and m.surface.isupper()]


def test_a_sense_defined_once_is_not_read_into_an_unrelated_document(tmp_path):
    docs = [("irs", "Call the Taxpayer Advocate Service (TAS) for help. The TAS is free.", "2020"),
            ("guide", "Reviewers: Launceston General Hospital, TAS; The Wesley Clinic, QLD.", "2021"),
            ("letter", "Each taxpayer may ask an advocate; the service is the TAS.", "2021")]
    store = _store(tmp_path, docs, {"irs": "Internal Revenue Service", "guide": "Cancer Council",
                                    "letter": "A tax adviser"})
    assert _bare(store, "guide") == []
    # The letter writes every content word of the name, not together: it supports the sense.
    assert _bare(store, "letter") == [("TAS", "acr-tas")]


def test_a_corpus_wide_sense_travels_and_one_publishers_sense_does_not(tmp_path):
    docs = [("a", "The Office for National Statistics (ONS) counts people.", "2020"),
            ("b", "Figures from the Office for National Statistics rose.", "2020"),
            ("c", "ONS figures show growth.", "2021")]
    wide = _store(tmp_path / "wide", docs, {"a": "Cabinet Office", "b": "A think tank", "c": "A newspaper"})
    assert _bare(wide, "c") == [("ONS", "acr-ons")]
    narrow = _store(tmp_path / "narrow", docs, {"a": "Cabinet Office", "b": "Cabinet Office", "c": "A newspaper"})
    assert _bare(narrow, "c") == []


def test_letters_with_several_senses_need_the_documents_support(tmp_path):
    """A date no longer picks a sense the document gives no sign of (SMS as a text message)."""
    docs = [("a", "Referrals to substance misuse services (SMS) rose; the SMS team grew.", "2020"),
            ("b", "Alerts by Short Message Service (SMS) reach phones; the SMS costs little.", "2018"),
            ("c", "Invitations went out by NHS App, SMS, email and paper.", "2020"),
            ("d", "Misuse of a substance: services such as the SMS help.", "2021")]
    store = _store(tmp_path, docs)
    assert _bare(store, "c") == []
    assert _bare(store, "d") == [("SMS", "acr-sms-substancemisuseservice")]


def test_a_document_naming_the_defining_documents_other_senses_shares_its_world(tmp_path):
    defining = ("The Great North Care Record (GNCR) uses Fast Healthcare Interoperability Resources (FHIR), the "
                "Clinical Document Architecture (CDA) and the Health and Social Care Network (HSCN).")
    docs = [("a", defining, "2019"),
            ("b", "The Health and Social Care Network carries the Clinical Document Architecture and FHIR.", "2020"),
            ("c", "The Madrid office chose FHIR.", "2020")]
    store = _store(tmp_path, docs, {"a": "A care record", "b": "A standards board", "c": "A vendor"})
    assert _bare(store, "b") == [("FHIR", "acr-fhir")]
    assert _bare(store, "c") == []


def test_a_note_using_another_notes_local_abbreviations_shares_its_world(tmp_path):
    """A team's second note writes the first note's abbreviations without spelling them out again: two other
    letters whose only, local meaning the defining note gives are enough; one is not."""
    defining = ("Social prescribing link workers (SPLWs) help people. Every SPLW works with a primary care "
                "network (PCN). The Sustainability Score (SS) is measured yearly.")
    docs = [("a", defining, "2019"),
            ("b", "Our SPLWs met twice. The SS was high this year, and the PCN grew.", "2020"),
            ("c", "Our SPLWs met twice, and the PCN grew.", "2020")]
    store = _store(tmp_path, docs)
    tagged = {d: sorted({m.concept_id for m in store.mentions(doc_id=d)}) for d in ("b", "c")}
    assert tagged["b"] == ["acr-pcn", "acr-splw"]  # two letters (SS) travel only once two documents define them
    assert tagged["c"] == []


def test_curated_vocabulary_concepts_are_unaffected(tmp_path):
    from kb.models import Concept
    from kb.nlp.pipeline import Tagger

    vocab = [Concept("ics", "integrated care system", "body", acronyms=("ICS",))]
    docs = [("a", "Our ICS met; the ICS agreed.", "2020"), ("b", "The Ice Cream Society (ICS) met.", "2020"),
            ("c", "Madrid: the ICS budget.", "2021")]
    tagged = make_store(tmp_path / "tagger", docs, tagger=Tagger(vocab))
    before = {(m.doc_id, m.start, m.concept_id) for m in tagged.mentions() if m.concept_id == "ics"}
    store = _store(tmp_path / "final", docs, vocab=vocab)
    after = {(m.doc_id, m.start, m.concept_id) for m in store.mentions() if m.concept_id == "ics"}
    assert before == after and {d for d, _, _ in after} == {"a", "c"}


def test_words_and_reach_on_their_own():
    assert content_words("Information Commissioner's Office") == ("information", "commissioner", "office")
    words = document_words("the enterprises of small and medium size")
    assert writes_words("small and medium enterprise", words) and not writes_words("small and large enterprise", words)
    assert not writes_words("of the", words)  # a name with no content word is never written
    reach = Reach({"ONS": ["ons"], "SMS": ["sms-a", "sms-b"]}, {"ons": ["a"], "sms-a": ["a"], "sms-b": ["b"]},
                  {"a": {"ons", "sms-a", "x", "y"}, "b": {"ons", "sms-b"}}, {"a": "P", "b": None})
    assert reach.corpus_wide("ons") and not reach.corpus_wide("sms-a")  # letters with two senses never are
    assert reach.shares_world("sms-a", {"x", "y"}) and not reach.shares_world("sms-a", {"x"})


# -- a differential check against a plain statement of the rule -------------------------------------------------
#: Senses whose names share no word, so one sense's words never support another.
_SENSES = {"TAS": "Tax Advocate Service", "HRC": "Harbour Rail Company", "MVB": "Marsh Valley Board",
           "QLP": "Quarry Lane Partnership", "WFT": "Westfield Forest Trust"}
_PUBLISHERS = ["Alpha Council", "Alpha Council", "Beta Trust", None]


def _pieces(short):
    long = _SENSES[short]
    words = [w.lower() for w in long.split()]
    return {"define": f"The {long} ({short}) opened.", "long": f"Visit the {long} today.",
            "bare": f"The {short} met.", "words": " ".join(f"A {w} was seen." for w in reversed(words))}


def _reference(docs, publishers):
    """Which acronyms each document's bare use tags, stated directly from the rule: the document's own
    definition, or its writing the name out, or support (corpus-wide, the name's words, a shared world)."""
    defined_anywhere = {s for parts in docs.values() for s, kind in parts if kind == "define"}
    # writing a name out names a sense only where some document defines it (otherwise there is no sense)
    named = {d: {s for s, kind in parts if kind in ("define", "long") and s in defined_anywhere}
             for d, parts in docs.items()}
    def defined(s):
        return any((s, "define") in p for p in docs.values())

    def wide(s):
        naming = [o for o in docs if s in named[o]]
        return len({publishers[o] or f"doc:{o}" for o in naming}) >= 2

    expected = {}
    for d, parts in docs.items():
        kinds = {(s, k) for s, k in parts}
        out = set()
        for s in {s for s, k in parts if k == "bare"}:
            definers = [o for o, p in docs.items() if (s, "define") in p]
            if not definers:
                continue
            if (s, "define") in kinds or (s, "long") in kinds:
                out.add(s)
                continue
            worded = (s, "words") in kinds
            world = set().union(*(named[o] for o in definers)) - {s}
            # letters written bare name their sense too when it is their only one and a local one
            lettered = {o for o, k in parts if k == "bare" and o != s and defined(o) and not wide(o)}
            if wide(s) or worded or len(world & (named[d] | lettered)) >= 2:
                out.add(s)
        expected[d] = out
    return expected


def _check(docs, publishers):
    texts = [(d, " ".join(_pieces(s)[k] for s, k in parts), "2020") for d, parts in sorted(docs.items())]
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(Path(tmp), texts, publishers)
        got = {d: {m.surface for m in store.mentions(doc_id=d) if m.surface in _SENSES and not m.is_definition}
               for d in docs}
        store.close()
    assert got == _reference(docs, publishers)


def test_the_glossary_agrees_with_a_plain_statement_of_the_rule_on_generated_corpora():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    piece = st.tuples(st.sampled_from(sorted(_SENSES)[:3]), st.sampled_from(["define", "long", "bare", "words"]))
    corpus = st.dictionaries(st.sampled_from([f"d{i}" for i in range(5)]),
                             st.lists(piece, min_size=1, max_size=5, unique=True), min_size=1, max_size=5)

    @settings(max_examples=60, deadline=None)
    @given(corpus, st.lists(st.sampled_from(_PUBLISHERS), min_size=5, max_size=5))
    def check(docs, pubs):
        _check(docs, {d: pubs[int(d[1:])] for d in docs})

    check()


@pytest.mark.parametrize("seed", [3, 4])
def test_an_incremental_run_matches_a_full_one_when_support_comes_and_goes(tmp_path, seed):
    """Seeded random additions and removals of documents that define senses, write their names or words and
    use the letters: after each step the stored mentions equal a fresh store's."""
    from kb.nlp.pipeline import Tagger

    rng = random.Random(seed)
    tagger = Tagger([])
    pool = [_pieces(s)[k] for s in ("TAS", "HRC", "MVB") for k in ("define", "long", "bare", "words")]
    docs: dict[str, str] = {}
    publishers: dict[str, str | None] = {}
    store = make_store(tmp_path / "inc", [], tagger=tagger)
    for step in range(16):
        if docs and rng.random() < 0.3:
            doc_id = rng.choice(sorted(docs))
            del docs[doc_id]
            with store.transaction():
                store.delete_document(doc_id)
        else:
            doc_id = f"d{step}"
            docs[doc_id] = " ".join(rng.sample(pool, rng.randint(1, 4)))
            publishers[doc_id] = rng.choice(_PUBLISHERS)
            fresh = make_store(tmp_path / f"one{step}", [(doc_id, docs[doc_id], "2020")], tagger=tagger,
                               publishers=publishers)
            row, passages = fresh.document(doc_id), fresh.passages(doc_id)
            with store.transaction():
                store.replace_document(row, [(1, 0, len(row["text"]))], passages)
                (_, mentions, acronyms), = tagger.tag([(doc_id, passages)])
                store.replace_mentions(doc_id, mentions, acronyms, "test")
            fresh.close()
        finalize(store, [])
        full = make_store(tmp_path / f"full{step}", [(d, docs[d], "2020") for d in sorted(docs)], tagger=tagger,
                          publishers=publishers)
        finalize(full, [])
        assert _mentions(store) == _mentions(full), step
        full.close()


def _mentions(store):
    acronym = {c.id: c.acronyms for c in store.concepts()}
    return [(m.doc_id, m.start, m.surface, acronym[m.concept_id]) for m in store.mentions()]
