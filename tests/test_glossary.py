"""The corpus-wide glossary step: discovered concepts, acronyms resolved across documents and by date."""

from __future__ import annotations

from test_tagging import bundled_tagger, make_store, split_passages

from kb.nlp.glossary import concept_summaries, finalize, glossary, guess_kind

GM_DEF = "Greater Manchester Health and Social Care Partnership (GMHSCP) leads devolution. The GMHSCP board met."
GM_USE = "Later the GMHSCP said more. The Greater Manchester Health and Social Care Partnership agreed."


def surfaces(store, doc_id, concept_id=None):
    return [m.surface for m in store.mentions(concept_id=concept_id, doc_id=doc_id)]


def run(store):
    return finalize(store, bundled_tagger().concepts)


def test_acronyms_the_vocabulary_lacks_become_discovered_concepts_tagged_across_the_corpus(tmp_path):
    store = make_store(tmp_path, [("a", GM_DEF, "2019"), ("b", GM_USE, "2020"), ("c", "Nothing here.", "2021")])
    changed = run(store)
    assert changed == {"a", "b"}
    concept = {c.id: c for c in store.concepts()}["acr-gmhscp"]
    assert concept.discovered and concept.acronyms == ("GMHSCP",)
    assert concept.label == "Greater Manchester Health and Social Care Partnership" and concept.kind == "body"
    assert surfaces(store, "a", "acr-gmhscp") == ["Greater Manchester Health and Social Care Partnership", "GMHSCP",
                                                  "GMHSCP"]
    assert surfaces(store, "b", "acr-gmhscp") == ["GMHSCP", "Greater Manchester Health and Social Care Partnership"]
    first = store.mentions(concept_id="acr-gmhscp", doc_id="a")
    assert [m.is_definition for m in first] == [True, True, False]
    assert [d.concept_id for d in store.acronym_definitions()] == ["acr-gmhscp"]
    # Vocabulary concepts are in the table too, not marked discovered.
    assert not concept_from(store, "ics").discovered


def concept_from(store, cid):
    return {c.id: c for c in store.concepts()}[cid]


def test_finalize_is_idempotent_and_repairs_a_retagged_document(tmp_path):
    store = make_store(tmp_path, [("a", GM_DEF, "2019"), ("b", GM_USE, "2020")])
    assert run(store) == {"a", "b"}
    before = store.mentions()
    assert run(store) == set()
    assert store.mentions() == before
    # Ingest re-tags one document: its glossary mentions go, and the next finalize puts them back.
    (_, mentions, acronyms), = bundled_tagger().tag([("b", split_passages("b", GM_USE))])
    with store.transaction():
        store.replace_mentions("b", mentions, acronyms, "test")
    assert surfaces(store, "b", "acr-gmhscp") == []
    assert run(store) == {"b"}
    assert store.mentions() == before


def test_when_the_defining_document_goes_its_discovered_concept_and_mentions_go(tmp_path):
    store = make_store(tmp_path, [("a", GM_DEF, "2019"), ("b", GM_USE, "2020")])
    run(store)
    with store.transaction():
        store.delete_document("a")
    assert run(store) == {"b"}
    assert "acr-gmhscp" not in {c.id for c in store.concepts()}
    assert store.mentions(concept_id="acr-gmhscp") == []


def test_duplicate_documents_are_neither_tagged_nor_used_as_evidence(tmp_path):
    store = make_store(tmp_path, [("a", GM_USE, "2020"), ("dup", GM_DEF, "2019")], duplicate_of={"dup": "a"})
    run(store)
    assert store.mentions(doc_id="dup") == []
    assert "acr-gmhscp" not in {c.id for c in store.concepts()}


def test_an_ambiguous_acronym_takes_the_documents_own_definition_else_the_sense_nearest_in_time(tmp_path):
    docs = [
        ("old", "The integrated care provider (ICP) contract was new. Each ICP is big.", "2019-05"),
        ("new", "Every integrated care partnership (ICP) sets a strategy. The ICP meets.", "2022-07"),
        ("y2020", "One ICP was procured.", "2020"),
        ("y2023", "The ICP strategy was published.", "2023-01-10"),
        ("uses", "The integrated care partnership met; the ICP agreed.", "2018-01"),
        ("undated", "Plain words only.", None),
    ]
    store = make_store(tmp_path, docs)
    run(store)
    icp = {d: [m.concept_id for m in store.mentions(doc_id=d) if m.surface == "ICP"] for d, *_ in docs}
    assert icp["old"] == ["integrated-care-provider", "integrated-care-provider"]
    assert icp["new"] == ["icp", "icp"]
    assert icp["y2020"] == ["integrated-care-provider"]
    assert icp["y2023"] == ["icp"]
    assert icp["uses"] == ["icp"]  # the document uses the partnership long form, whatever its date
    entry = next(e for e in glossary(store) if e["short"] == "ICP")
    assert [(s["concept_id"], s["long"]) for s in entry["senses"]] == [
        ("integrated-care-provider", "integrated care provider"), ("icp", "integrated care partnership")]
    assert entry["first_defined"] == "2019-05"
    assert entry["senses"][1]["definitions"] == [
        {"doc_id": "new", "title": "new", "published": "2022-07", "page": 1, "passage_id": "new-0"}]


def test_a_sense_only_ever_written_out_still_counts_as_evidence_by_date(tmp_path):
    docs = [
        ("old", "The integrated care provider (ICP) contract was new.", "2019-05"),
        ("spelt", "Each integrated care partnership will publish a strategy.", "2022-09"),
        ("bare", "The ICP strategy was published.", "2022-11"),
    ]
    store = make_store(tmp_path, docs)
    run(store)
    assert [m.concept_id for m in store.mentions(doc_id="bare")] == ["icp"]


def test_two_letter_acronyms_count_only_where_defined_or_used_so(tmp_path):
    docs = [
        ("defines", "The board has an accountable officer (AO). The AO reports.", "2020"),
        ("bare", "The AO went home.", "2020"),
        ("uses", "Each accountable officer, or AO, signs.", "2020"),
        ("od", "We fund organisational development (OD) work. OD matters.", "2021"),
        ("lod", "Nicola Walsh, Assistant Director L&OD. OD again.", "2021"),
    ]
    store = make_store(tmp_path, docs)
    run(store)
    assert surfaces(store, "defines", "accountable-officer") == ["accountable officer", "AO", "AO"]
    assert surfaces(store, "bare") == []
    assert surfaces(store, "uses", "accountable-officer") == ["accountable officer", "AO"]
    assert surfaces(store, "od", "acr-od") == ["organisational development", "OD", "OD"]
    assert surfaces(store, "lod") == []


def test_an_acronym_defined_for_a_vocabulary_concept_joins_its_acronyms(tmp_path):
    docs = [("a", "Each health and wellbeing board (HWBB) met.", "2020"), ("b", "The HWBB agreed.", "2021")]
    store = make_store(tmp_path, docs)
    run(store)
    assert "HWBB" in concept_from(store, "hwb").acronyms
    assert surfaces(store, "b", "hwb") == ["HWBB"]


def test_concept_summaries_count_mentions_documents_and_first_appearance(tmp_path):
    store = make_store(tmp_path, [("late", "An ICS. Two ICSs.", "2022"), ("early", "One ICS.", "2019-03"),
                                  ("dup", "ICS ICS ICS", "2018")], duplicate_of={"dup": "early"})
    run(store)
    row = next(r for r in concept_summaries(store) if r["id"] == "ics")
    assert (row["mentions"], row["documents"]) == (3, 2)
    assert row["first_seen"] == {"doc_id": "early", "published": "2019-03"}


def test_a_discovered_concept_defined_in_the_plural_gets_a_singular_label(tmp_path):
    from kb.nlp.pipeline import Tagger

    store = make_store(tmp_path, [("a", "Several Mental Health Trusts (MHTs) and Integrated Care Bodies (ICBs).", "2020")],
                       tagger=Tagger([]))
    finalize(store, [])
    labels = {c.id: c.label for c in store.concepts()}
    assert labels == {"acr-mht": "Mental Health Trust", "acr-icb": "Integrated Care Body"}


def test_kind_guesses_for_discovered_concepts():
    assert guess_kind("Greater Manchester Health and Social Care Partnership") == "body"
    assert guess_kind("Mental Health Investment Standard") == "document"
    assert guess_kind("Senior Responsible Officer") == "role"
    assert guess_kind("Coronavirus Act") == "legislation"
    assert guess_kind("organisational development") == "discovered"


def test_with_an_empty_vocabulary_every_defined_acronym_is_discovered(tmp_path):
    from kb.nlp.pipeline import Tagger

    store = make_store(tmp_path, [("a", "The Care Quality Commission (CQC) inspects. The CQC rates.", "2020"),
                                  ("b", "A CQC report: the commission rates the quality of care.", "2021")], tagger=Tagger([]))
    assert finalize(store, []) == {"a", "b"}
    (concept,) = store.concepts()
    assert (concept.id, concept.label, concept.kind, concept.discovered) == (
        "acr-cqc", "Care Quality Commission", "body", True)
    assert surfaces(store, "b") == ["CQC"]


# -- real-corpus scale and precision ---------------------------------------------------------------------------
def _invented_terms(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` distinct (short, long) pairs: three invented capitalised words and their initials."""
    import random

    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPRSTUVWY"
    seen, out = set(), []
    while len(out) < n:
        short = "".join(rng.choice(letters) for _ in range(rng.choice((3, 4))))
        if short in seen:
            continue
        seen.add(short)
        words = [ch + "".join(rng.choice("aeioulnrst") for _ in range(rng.randint(4, 8))) for ch in short]
        out.append((short, " ".join(words)))
    return out


def test_thousands_of_defined_acronyms_need_no_statement_per_acronym(tmp_path):
    """SQLite caps an expression at depth 1,000: a corpus defining 1,500 acronyms must still finalize."""
    from kb.nlp.pipeline import Tagger

    terms = _invented_terms(1500)
    defining = "\n\n".join(f"The {long} ({short}) met." for short, long in terms)
    using = "\n\n".join(f"Later the {short} and the {long.lower()} agreed." for short, long in terms[::3])
    store = make_store(tmp_path, [("defs", defining, "2020"), ("uses", using, "2021")], tagger=Tagger([]))
    assert finalize(store, []) == {"defs", "uses"}
    assert len(store.concepts()) == 1500
    short, long = terms[3]
    cid = f"acr-{short.lower()}"
    assert surfaces(store, "uses", cid) == [short, long.lower()]
    assert finalize(store, []) == set()


def test_the_acronym_finder_matches_what_one_big_regular_expression_would():
    import random

    from kb.nlp.finders import ShortFinder, _alternation

    rng = random.Random(3)
    shorts = {"ICS", "IC", "NHSE", "NHSE/I", "A&E", "COVID-19", "CO", "GP", "ICB", "S"}
    pieces = ["ICS", "ICSs", "NHSE/I", "NHSE/", "NHSE-I", "A&E", "A&Es", "COVID-19", "COVID-1", "CO-", "GPs",
              "GP's", "xICS", "ICSx", "IC", "ICB", "&ICS", "(ICS)", "ICS.", "S", "Ss", "the", "-", "/", " ", "\n"]
    finder, regex = ShortFinder(shorts), _alternation(shorts)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", ", ", "/", "-"]) for _ in range(rng.randint(1, 12)))
        expected = [(m.start(), m.end(), m.group(1), m.group(0)) for m in regex.finditer(text)]
        assert list(finder.finditer(text)) == expected, text


def _state(store):
    return (store.concepts(), store.mentions(), store.acronym_definitions())


def test_an_incremental_run_gives_what_a_full_recomputation_gives(tmp_path):
    """A random sequence of additions, edits and removals, compared after each step with a fresh store."""
    import random

    rng = random.Random(11)
    terms = _invented_terms(12, seed=5)
    icp = ["The integrated care provider (ICP) contract was new.", "Every integrated care partnership (ICP) met.",
           "The ICP agreed.", "An integrated care partnership and its ICP."]
    tagger = bundled_tagger()

    def random_text():
        parts = []
        for _ in range(rng.randint(1, 4)):
            short, long = rng.choice(terms)
            parts.append(rng.choice([f"The {long} ({short}) met.", f"The {short} said.", f"A {long} spoke.",
                                     rng.choice(icp), "Nothing to see."]))
        return "\n\n".join(parts)

    docs: dict[str, tuple[str, str]] = {}
    store = make_store(tmp_path / "inc", [], tagger=tagger)
    concepts = tagger.concepts
    for step in range(14):
        action = rng.choice(["add", "add", "edit", "remove", "date"]) if docs else "add"
        if action == "add":
            doc_id = f"d{step}"
            docs[doc_id] = (random_text(), f"20{rng.randint(18, 23)}")
        elif action == "edit":
            doc_id = rng.choice(sorted(docs))
            docs[doc_id] = (random_text(), docs[doc_id][1])
        elif action == "date":
            doc_id = rng.choice(sorted(docs))
            docs[doc_id] = (docs[doc_id][0], f"20{rng.randint(18, 23)}")
        else:
            doc_id = rng.choice(sorted(docs))
            del docs[doc_id]
            with store.transaction():
                store.delete_document(doc_id)
        if action != "remove":
            fresh = make_store(tmp_path / f"one{step}", [(doc_id, *docs[doc_id])], tagger=tagger)
            row = fresh.document(doc_id)
            passages = fresh.passages(doc_id)
            with store.transaction():
                store.replace_document(row, [(1, 0, len(row["text"]))], passages)
                (_, mentions, acronyms), = tagger.tag([(doc_id, passages)])
                store.replace_mentions(doc_id, mentions, acronyms, "test")
            fresh.close()
        finalize(store, concepts)
        full = make_store(tmp_path / f"full{step}", [(d, *docs[d]) for d in sorted(docs)], tagger=tagger)
        finalize(full, concepts)
        assert _state(store) == _state(full), (step, action)
        full.close()


def test_careless_long_forms_never_become_concepts(tmp_path):
    from kb.nlp.pipeline import Tagger

    text = ("Commissioning support units and clinical Our hospitals service units (CSU) merged. "
            "It reports to the Board of Directors (BAF) monthly. Shared services (SS) cost less. "
            "Research and Guidance (AG) is new. The Office for Budgetary Responsibility1 (OBR) forecasts. "
            "*Leeds General Infirmary (LGI) is busy. The NHS Business Services Authority (NHSBSA) pays.")
    store = make_store(tmp_path, [("a", text, "2020"), ("b", "Local services and the system. The OBR.", "2021"),
                                  ("c", "The Office for Budgetary Responsibility (OBR) forecasts.", "2021")],
                       tagger=Tagger([]))
    finalize(store, [])
    labels = {c.acronyms[0]: c.label for c in store.concepts()}
    assert labels == {"OBR": "Office for Budgetary Responsibility", "LGI": "Leeds General Infirmary",
                      "NHSBSA": "NHS Business Services Authority"}
    assert surfaces(store, "b") == ["OBR"]


def test_a_one_word_long_form_is_tagged_only_as_written(tmp_path):
    from kb.nlp.pipeline import Tagger

    store = make_store(tmp_path, [("a", "Screening for tuberculosis (TB) works.", "2020"),
                                  ("b", "Tuberculosis cases fell; tuberculosis is rare; TB too.", "2021")],
                       tagger=Tagger([]))
    finalize(store, [])
    assert surfaces(store, "b", "acr-tb") == ["tuberculosis", "TB"]


def test_an_acronym_inside_a_longer_name_or_a_web_address_is_not_a_mention(tmp_path):
    from kb.nlp.pipeline import Tagger

    text = ("The National Health Service (NHS) and NHS England (NHSE) agreed. NHS England wrote; the NHS paid. "
            "See www.example.org/nhs-prepayment/NHS-guide and nhse@example.org for the NHS.")
    store = make_store(tmp_path, [("a", text, "2020")], tagger=Tagger([]))
    finalize(store, [])
    assert surfaces(store, "a", "acr-nhs") == ["National Health Service", "NHS", "NHS", "NHS"]
    assert surfaces(store, "a", "acr-nhse") == ["NHS England", "NHSE", "NHS England"]


def test_long_forms_that_differ_only_in_spacing_are_one_sense(tmp_path):
    from kb.nlp.pipeline import Tagger

    store = make_store(tmp_path, [("a", "The Young People Advisory Group (YPAG) met.", "2020"),
                                  ("b", "The young people advisorygroup (YPAG) met.", "2021")], tagger=Tagger([]))
    finalize(store, [])
    assert [c.id for c in store.concepts()] == ["acr-ypag"]


def test_an_acronym_opening_another_name_or_spelling_a_word_is_not_a_mention(tmp_path):
    from kb.nlp.pipeline import Tagger

    text = ("The National Health Service (NHS) pays. NHS Employers and the NHS Constitution differ; the NHS "
            "Board met and NHS-R Community spoke; the NHS itself. Your Experience of Service (YES) surveys.")
    other = "Jury answers: YES: 10, NO: 6. The YES survey and the NHS Board."
    store = make_store(tmp_path, [("a", text, "2020"), ("b", other, "2021"),
                                  ("c", "The National Health Service (NHS) pays.", "2021")], tagger=Tagger([]))
    finalize(store, [])
    # In the document that defines NHS, "NHS Employers" mentions the NHS too; "NHS-R" is another name.
    assert surfaces(store, "a", "acr-nhs") == ["National Health Service", "NHS", "NHS", "NHS", "NHS", "NHS"]
    assert surfaces(store, "a", "acr-yes") == ["Your Experience of Service", "YES"]
    assert surfaces(store, "b") == ["NHS"]  # YES is a word where no document of its own defines it
