"""The concept vocabulary file: bundled content, clear errors for malformed files, fingerprints, name lookup."""

from pathlib import Path

import pytest

from kb.errors import UnknownConcept, VocabularyError
from kb.nlp.vocabulary import (
    ConceptNames,
    guarded_acronyms,
    load_vocabulary,
    long_form_variants,
    surface_key,
    vocabulary_fingerprint,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "corpus" / "concepts.toml"
SHIPPED = REPO / "kb" / "data" / "concepts.toml"


@pytest.fixture(scope="module")
def vocab():
    return {c.id: c for c in load_vocabulary(BUNDLED)}


def write(tmp_path, text):
    path = tmp_path / "concepts.toml"
    path.write_text(text, "utf-8")
    return path


GOOD = '''
[[concept]]
id = "ics"
label = "integrated care system"
kind = "body"
acronyms = ["ICS"]

[[concept]]
id = "stp"
label = "sustainability and transformation partnership"
kind = "body"
acronyms = ["STP"]
successor = ["ics"]
'''


def test_the_copy_shipped_for_kb_init_is_identical_to_the_corpus_vocabulary():
    assert SHIPPED.read_bytes() == BUNDLED.read_bytes()


def test_bundled_vocabulary_covers_the_policy_concepts_users_ask_for(vocab):
    assert len(vocab) >= 60
    for cid in ("ics", "icb", "icp", "integrated-care-provider", "ccg", "pcn", "stp", "stp-plan", "nhs-england",
                "nhs-improvement", "nhsei", "cqc", "dhsc", "hwb", "local-authority", "foundation-trust",
                "provider-collaborative", "place-based-partnership", "accountable-officer", "triple-aim",
                "population-health-management", "single-pot", "duty-to-collaborate", "statutory-footing",
                "joint-committee", "long-term-plan", "five-year-forward-view", "integration-white-paper-2021",
                "hsca-2012", "hca-2022", "health-service-bill", "better-care-fund", "new-care-models"):
        assert cid in vocab, cid
    assert {c.kind for c in vocab.values()} == {"body", "policy", "programme", "legislation", "document", "role"}
    assert all(c.definition for c in vocab.values())


def test_bundled_relations(vocab):
    assert vocab["stp"].successor == ("ics",)
    assert vocab["ccg"].successor == ("icb",)
    assert vocab["nhsei"].successor == ("nhs-england",)
    assert "place-based-partnership" in vocab["pcn"].part_of
    assert "ics" in vocab["place-based-partnership"].part_of
    assert "icp" in vocab and "ICP" in vocab["icp"].acronyms and "ICP" in vocab["integrated-care-provider"].acronyms


def test_shared_and_two_letter_acronyms_are_guarded(vocab):
    guarded = guarded_acronyms(vocab.values())
    assert {"ICP", "STP", "AO"} <= guarded
    assert "ICS" not in guarded and "CCG" not in guarded


def test_a_good_small_file_loads(tmp_path):
    concepts = load_vocabulary(write(tmp_path, GOOD))
    assert [c.id for c in concepts] == ["ics", "stp"]
    assert concepts[1].successor == ("ics",)


@pytest.mark.parametrize("text, line, words", [
    (GOOD + '\n[[concept]]\nid = "x"\nlabel = "unterminated\nkind = "body"\n', 17, "TOML"),
    (GOOD + '\n[[concept]]\nlabel = "no id"\nkind = "body"\n', 15, "needs id"),
    (GOOD + '\n[[concept]]\nid = "pcn"\nkind = "body"\n', 15, "needs label"),
    (GOOD + '\n[[concept]]\nid = "pcn"\nlabel = "primary care network"\nkind = "quango"\n', 18, "unknown kind 'quango'"),
    (GOOD + '\n[[concept]]\nid = "ics"\nlabel = "another"\nkind = "body"\n', 16, "duplicate id 'ics' (first used at line 3)"),
    (GOOD + '\n[[concept]]\nid = "ics2"\nlabel = "Integrated Care Systems"\nkind = "body"\n', 17, "already a name of concept 'ics'"),
    (GOOD + '\n[[concept]]\nid = "ics2"\nlabel = "other"\nkind = "body"\nacronyms = ["ICS"]\n', 19, "already claimed by concept 'ics'"),
    (GOOD + '\n[[concept]]\nid = "pcn"\nlabel = "primary care network"\nkind = "body"\npart_of = ["place"]\n', 19, "unknown concept 'place'"),
    (GOOD + '\n[[concept]]\nid = "pcn"\nlabel = "primary care network"\nkind = "body"\naliases = "PCN"\n', 19, "must be a list"),
    (GOOD + '\n[[concept]]\nid = "pcn"\nlabel = "primary care network"\nkind = "body"\ncolour = "red"\n', 19, "unknown key"),
])
def test_malformed_files_name_the_line_and_the_problem(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(path)
    message = str(err.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert words in message


def test_an_acronym_with_two_senses_must_be_declared_shared_in_both(tmp_path):
    text = GOOD + '''
[[concept]]
id = "icp"
label = "integrated care partnership"
kind = "body"
shared_acronyms = ["ICP"]

[[concept]]
id = "integrated-care-provider"
label = "integrated care provider"
kind = "body"
shared_acronyms = ["ICP"]
'''
    concepts = {c.id: c for c in load_vocabulary(write(tmp_path, text))}
    assert concepts["icp"].acronyms == concepts["integrated-care-provider"].acronyms == ("ICP",)
    with pytest.raises(VocabularyError, match="shared_acronyms"):
        load_vocabulary(write(tmp_path, text.replace('shared_acronyms = ["ICP"]\n', 'acronyms = ["ICP"]\n', 1)))


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(VocabularyError, match="does not exist"):
        load_vocabulary(tmp_path / "nope.toml")


def test_fingerprint_changes_with_the_vocabulary_and_only_then(tmp_path):
    a = load_vocabulary(write(tmp_path, GOOD))
    b = load_vocabulary(write(tmp_path, GOOD))
    c = load_vocabulary(write(tmp_path, GOOD.replace("integrated care system", "integrated care systems x")))
    assert vocabulary_fingerprint(a) == vocabulary_fingerprint(b) == vocabulary_fingerprint(list(reversed(b)))
    assert vocabulary_fingerprint(a) != vocabulary_fingerprint(c)
    assert len(vocabulary_fingerprint(a)) == 64


def test_surface_keys_ignore_case_plural_hyphens_quotes_and_spelling():
    assert surface_key("Place-based Partnerships") == surface_key("place based partnership")
    assert surface_key("health and well-being boards") == surface_key("Health and Wellbeing Board")
    assert surface_key("organization") == surface_key("organisation")
    assert surface_key("The King\u2019s Fund") == surface_key("The King's Fund")


def test_long_form_variants_cover_plural_spelling_and_hyphens():
    forms = long_form_variants("place-based partnership")
    assert {"place-based partnership", "place based partnership", "place-based partnerships"} <= forms
    assert "accountable care organizations" in long_form_variants("accountable care organisation")
    assert "new care models program" in long_form_variants("new care models programme")
    assert "primary care bodies" in long_form_variants("primary care body")


def test_resolve_concept_by_id_label_alias_or_acronym(vocab):
    names = ConceptNames(vocab.values())
    for query in ("ics", "ICS", "ICSs", "Integrated Care Systems", "integrated care system"):
        assert names.resolve(query).id == "ics"
    assert names.resolve("NHS England & NHS Improvement").id == "nhsei"
    with pytest.raises(UnknownConcept, match=r"Did you mean integrated care system \(ics\)"):
        names.resolve("integrated care sytem")


def test_concept_written_as_a_plain_array_gets_a_line_not_a_traceback(tmp_path):
    from kb.errors import VocabularyError
    from kb.nlp.vocabulary import load_vocabulary

    path = tmp_path / "concepts.toml"
    path.write_text("# vocabulary\nconcept = [1]\n", "utf-8")
    with pytest.raises(VocabularyError, match=r"line 2: `concept` must be written as \[\[concept\]\] tables"):
        load_vocabulary(path)


def test_a_concept_is_found_by_a_plural_acronym_in_any_case_as_trace_and_search_find_it():
    from kb.models import Concept

    names = ConceptNames([Concept("ics", "integrated care system", "body", acronyms=("ICS",)),
                          Concept("ice", "ice", "document")])
    assert [names.resolve(q).id for q in ("ICSs", "icss", "ICS", "ics")] == ["ics"] * 4
