"""Concept ids never change meaning, and one meaning is one concept, over random sequences of ingests and
vocabulary edits (kb.nlp.identity, kb.nlp.glossary)."""

from __future__ import annotations

import random

import pytest
from test_tagging import make_store, split_passages

from kb.errors import UnknownConcept
from kb.models import Concept
from kb.nlp.glossary import finalize
from kb.nlp.identity import canonical_short, same_meaning, senses
from kb.trace import resolve

#: (acronym, meaning) -> the ways documents write it out. Spellings of one name share a meaning; different
#: meanings of one acronym do not.
MEANINGS: dict[tuple[str, int], list[str]] = {
    ("ICB", 1): ["Integrated Care Board", "integrated care board", "Integrated Care Boards"],
    ("ICB", 2): ["Integrated Commissioning Board"],
    ("NICE", 1): ["National Institute for Health and Clinical Excellence",
                  "National Institute for Health and Care Excellence",
                  "National Institute for Health & Care Excellence"],
    ("SPA", 1): ["Single Point of Access", "single point of access"],
    ("SPA", 2): ["State Pension age"],
    ("DHSC", 1): ["Department of Health and Social Care", "Department of Health & Social Care",
                  "Department of Health and Social-Care"],
    ("PCN", 1): ["Primary Care Network", "Primary Care Networks", "Primary Care Netwrok"],
    ("NT", 1): ["National Trust"],
    ("NT", 2): ["nominated tester"],
}
#: Vocabulary concepts a project may adopt: each the first spelling of a meaning above.
ADOPTABLE = [("ICB", 1), ("NT", 2), ("SPA", 2), ("PCN", 1)]


def _vocab_concept(key: tuple[str, int]) -> Concept:
    short, n = key
    return Concept(id=f"v-{short.lower()}-{n}", label=MEANINGS[key][0].lower(), kind="body", acronyms=(short,))


def _meaning_of_long(short: str, long: str) -> tuple[str, int]:
    matches = [k for k, forms in MEANINGS.items() if k[0] == short and long in forms]
    assert len(matches) == 1, (short, long)
    return matches[0]


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(sorted(MEANINGS))
        long = rng.choice(MEANINGS[key])
        short = key[0] + ("s" if long.endswith("s") and not long.endswith("ss") else "")
        parts.append(f"The {long} ({short}) met in May. Later the {key[0]} agreed a plan.")
    return "\n\n".join(parts)


class _Corpus:
    """A store kept as kb ingest keeps it: documents added, edited, removed; a vocabulary edit re-tags all."""

    def __init__(self, path, rng: random.Random) -> None:
        from kb.nlp.pipeline import Tagger

        self.rng, self.Tagger = rng, Tagger
        self.vocab: list[tuple[str, int]] = []
        self.taggers: dict[tuple, object] = {}
        self.store = make_store(path, [], tagger=self.tagger())
        self.docs: dict[str, str] = {}

    def tagger(self):
        key = tuple(sorted(self.vocab))
        if key not in self.taggers:
            self.taggers[key] = self.Tagger([_vocab_concept(k) for k in key])
        return self.taggers[key]

    def put(self, doc_id: str, text: str, published: str) -> None:
        from kb.models import PartialDate

        passages = split_passages(doc_id, text)
        date = PartialDate.parse(published)
        row = {"id": doc_id, "source": f"{doc_id}.txt", "sha256": doc_id, "format": "text", "title": doc_id,
               "published": published, "date_precision": date.precision, "date_earliest": date.earliest,
               "date_latest": date.latest, "duplicate_of": None, "pages": 1, "passages": len(passages),
               "words": len(text.split()), "text": text, "ingested_at": "2026-01-01T00:00:00Z"}
        with self.store.transaction():
            self.store.replace_document(row, [(1, 0, len(text))], passages)
            (_, mentions, acronyms), = self.tagger().tag([(doc_id, passages)])
            self.store.replace_mentions(doc_id, mentions, acronyms, "test")
        self.docs[doc_id] = published

    def step(self, n: int) -> str:
        rng = self.rng
        action = rng.choice(["add", "add", "add", "remove", "date", "adopt", "drop"]) if self.docs else "add"
        if action == "add" or (action == "date" and not self.docs):
            self.put(f"d{n}", _text(rng), f"20{rng.randint(10, 24)}")
        elif action == "remove":
            doc_id = rng.choice(sorted(self.docs))
            del self.docs[doc_id]
            with self.store.transaction():
                self.store.delete_document(doc_id)
        elif action == "date":
            doc_id = rng.choice(sorted(self.docs))
            text = self.store.document(doc_id)["text"]
            self.put(doc_id, text, f"20{rng.randint(10, 24)}")
        else:
            if action == "adopt":
                free = [k for k in ADOPTABLE if k not in self.vocab]
                if free:
                    self.vocab.append(rng.choice(free))
            elif self.vocab:
                self.vocab.remove(rng.choice(sorted(self.vocab)))
            for doc_id, published in sorted(self.docs.items()):  # a new vocabulary re-tags every document
                self.put(doc_id, self.store.document(doc_id)["text"], published)
        finalize(self.store, [_vocab_concept(k) for k in sorted(self.vocab)])
        return action

    def meanings(self) -> dict[str, set[tuple[str, int]]]:
        """Per concept id (discovered or vocabulary), the true meanings of the definitions linked to it."""
        out: dict[str, set[tuple[str, int]]] = {}
        for d in self.store.acronym_definitions():
            out.setdefault(d.concept_id, set()).add(_meaning_of_long(canonical_short(d.short), d.long))
        return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_an_id_never_changes_meaning_over_ingests_and_vocabulary_edits(tmp_path, seed):
    corpus = _Corpus(tmp_path, random.Random(seed))
    issued: dict[str, tuple[str, int]] = {}  # every discovered id seen, with the meaning it first had
    for n in range(24):
        action = corpus.step(n)
        meanings = corpus.meanings()
        discovered = {c.id for c in corpus.store.concepts() if c.discovered}
        # One concept per meaning, one meaning per concept.
        owners: dict[tuple[str, int], str] = {}
        for cid, ms in meanings.items():
            assert len(ms) == 1, (n, action, cid, ms)
            m = next(iter(ms))
            assert owners.setdefault(m, cid) == cid, (n, action, m, owners[m], cid)
        for cid in sorted(discovered):
            issued.setdefault(cid, next(iter(meanings[cid])))
        # Every id ever issued means what it first meant: as itself, through a note to the concept its
        # meaning is now, or nowhere (an unknown concept that says what it was).
        for cid, meaning in sorted(issued.items()):
            if cid in discovered:
                assert meanings[cid] == {meaning}, (n, action, cid)
                continue
            try:
                ref = resolve(corpus.store, cid)
            except UnknownConcept as exc:
                assert meaning not in owners, (n, action, cid, meaning)  # the meaning is gone from the corpus
                assert cid in str(exc) and "any more" in str(exc)
                continue
            assert ref.concept is not None and ref.note, (n, action, cid)
            if ref.concept.discovered:
                assert meanings.get(ref.concept.id) == {meaning}, (n, action, cid, ref.concept.id)
            else:
                assert ref.concept.id == _vocab_concept(meaning).id, (n, action, cid, ref.concept.id)
    assert len(issued) >= 4  # the sequence did make and move ids


def test_an_adopted_acronym_keeps_its_old_id_leading_to_the_vocabulary_and_a_new_sense_gets_a_new_id(tmp_path):
    corpus = _Corpus(tmp_path, random.Random(0))
    corpus.put("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2020")
    finalize(corpus.store, [])
    assert {c.id for c in corpus.store.concepts()} == {"acr-icb"}
    corpus.vocab.append(("ICB", 1))
    corpus.put("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2020")
    corpus.put("b", "The Integrated Commissioning Board (ICB) met.", "2021")
    finalize(corpus.store, [_vocab_concept(("ICB", 1))])
    ids = {c.id: c.label for c in corpus.store.concepts()}
    assert ids == {"v-icb-1": "integrated care board", "acr-icb-integratedcommissioningboard":
                   "Integrated Commissioning Board"}
    ref = resolve(corpus.store, "acr-icb")
    assert ref.concept.id == "v-icb-1" and "adopted into the vocabulary as v-icb-1" in ref.note
    # The vocabulary drops it again: the old id is the concept's own again.
    corpus.vocab.clear()
    corpus.put("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2020")
    finalize(corpus.store, [])
    assert {c.id for c in corpus.store.concepts()} == {"acr-icb", "acr-icb-integratedcommissioningboard"}


def test_plural_and_possessive_acronyms_are_one_concept(tmp_path):
    from kb.nlp.pipeline import Tagger

    docs = [("a", "Primary Care Networks (PCNs) formed. Each PCN's board and the PCNs met.", "2019"),
            ("b", "A Primary Care Network (PCN) is small.", "2020")]
    store = make_store(tmp_path, docs, tagger=Tagger([]))
    finalize(store, [])
    (concept,) = store.concepts()
    assert (concept.id, concept.label, concept.acronyms) == ("acr-pcn", "Primary Care Network", ("PCN",))
    assert {m.concept_id for m in store.mentions()} == {"acr-pcn"}
    assert [m.surface for m in store.mentions(doc_id="a")] == ["Primary Care Networks", "PCNs", "PCN", "PCNs"]


def test_spellings_of_one_name_are_one_concept_with_the_renaming_dated(tmp_path):
    from kb.nlp.pipeline import Tagger

    docs = [("old", "The National Institute for Health and Clinical Excellence (NICE) advised.", "2005"),
            ("new", "The National Institute for Health and Care Excellence (NICE) advised.", "2016"),
            ("amp", "The National Institute for Health & Care Excellence (NICE) advised.", "2018"),
            ("spa1", "Call the Single Point of Access (SPA) today.", "2019"),
            ("spa2", "At State Pension age (SPA) people retire.", "2020")]
    store = make_store(tmp_path, docs, tagger=Tagger([]))
    finalize(store, [])
    concepts = {c.id: c for c in store.concepts()}
    assert sorted(concepts) == ["acr-nice", "acr-spa", "acr-spa-statepensionage"]
    nice = concepts["acr-nice"]
    assert nice.label == "National Institute for Health and Care Excellence"
    assert nice.aliases == ("National Institute for Health & Care Excellence",
                            "National Institute for Health and Clinical Excellence")
    assert "Clinical Excellence (2005)" in nice.definition and "and Care Excellence (2016)" in nice.definition


def test_same_meaning_groups_spellings_and_keeps_meanings_apart():
    same = [("Integrated Care Board", "integrated care boards"), ("Department of Health & Social Care",
            "Department of Health and Social-Care"), ("General Practice", "general practitioner"),
            ("Primary Care Network", "Primary Care Netwrok"), ("Prepayment Certificate",
            "Prescription Prepayment Certificate")]
    apart = [("Single Point of Access", "State Pension age"), ("Integrated Care Board",
             "Integrated Commissioning Board"), ("Day Care", "Day Cases"), ("Intermediate Care", "Integrated Care")]
    for a, b in same:
        assert same_meaning(a, b) and same_meaning(b, a), (a, b)
    for a, b in apart:
        assert not same_meaning(a, b) and not same_meaning(b, a), (a, b)
    rng = random.Random(5)
    forms = [f for fs in MEANINGS.values() for f in fs if not f.startswith(("Single", "State", "National T"))]
    for _ in range(20):  # grouping never depends on the order the forms come in
        rng.shuffle(forms)
        assert sorted(map(sorted, senses(forms))) == sorted(map(sorted, senses(sorted(forms))))


def test_canonical_short_folds_plurals_and_possessives_only():
    assert [canonical_short(s) for s in ["PCNs", "CCG's", "CCGs'", "NHS", "ICS", "GPs", "A&Es", "eFI"]] == [
        "PCN", "CCG", "CCG", "NHS", "ICS", "GP", "A&E", "eFI"]


def test_a_site_link_to_an_adopted_id_leads_to_the_concept_it_became(tmp_path):
    from kb.site.build import build_site

    corpus = _Corpus(tmp_path, random.Random(0))
    corpus.put("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2020")
    finalize(corpus.store, [])
    corpus.vocab.append(("ICB", 1))
    corpus.put("a", "The Integrated Care Board (ICB) met. The ICB agreed.", "2020")
    finalize(corpus.store, [_vocab_concept(("ICB", 1))])
    build_site(corpus.store, tmp_path / "site", search=False)
    page = (tmp_path / "site" / "concepts" / "acr-icb.html").read_text("utf-8")
    assert 'http-equiv="refresh" content="0; url=../concepts/v-icb-1.html"' in page
    assert "adopted into the vocabulary as v-icb-1" in page
    assert (tmp_path / "site" / "concepts" / "v-icb-1.html").is_file()


def test_a_store_made_before_the_ledger_keeps_the_ids_it_gave(tmp_path):
    from kb.nlp.pipeline import Tagger

    store = make_store(tmp_path, [("a", "The Care Quality Commission (CQC) inspects. The CQC rates.", "2020")],
                       tagger=Tagger([]))
    finalize(store, [])
    with store.transaction():  # as an earlier kb left it: another id for the sense, and no ledger
        for table, column in (("concepts", "id"), ("acronym_definitions", "concept_id"), ("mentions", "concept_id")):
            store.conn.execute(f"UPDATE {table} SET {column}='acr-cqc-x' WHERE {column}='acr-cqc'")
        store.conn.execute("DELETE FROM meta WHERE key IN ('concept_ids', 'glossary_state')")
    finalize(store, [])
    assert [c.id for c in store.concepts()] == ["acr-cqc-x"]
    assert {m.concept_id for m in store.mentions()} == {"acr-cqc-x"}


def test_a_moved_id_resolves_with_its_note_in_search_and_a_retired_one_says_what_it_was():
    from kb.nlp.vocabulary import ConceptNames
    from kb.search.planning import plan

    icb = Concept("icb", "integrated care board", "body", acronyms=("ICB",))
    names = ConceptNames([icb], redirects=lambda: {
        "acr-icb": ("icb", "acr-icb (ICB: Integrated Care Board) was adopted into the vocabulary as icb"),
        "acr-xyz": (None, "acr-xyz named XYZ (Xenon Yard Zone), which no document in this corpus defines any more")})
    found = names.match("ACR-ICB")
    assert found.concept is icb and "adopted" in found.note
    _, planned, _ = plan("concept:acr-icb", names)
    assert any("adopted into the vocabulary as icb" in n for n in planned.notes)
    assert names.match("acr-xyz") is None and "Xenon Yard Zone" in names.unknown_message("acr-xyz")
    assert names.match("acr-nothing") is None and "any more" not in names.unknown_message("acr-nothing")
