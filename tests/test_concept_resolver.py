"""One concept resolver (issue 13): every command and the search planner turn the same words into the same
concept, and a name no concept has gets the same one-line suggestion everywhere.

The CLI tests run the real commands on the bundled corpus; the unit tests run :class:`ConceptNames` on
generated concepts.
"""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path

import pytest
from conftest import run_kb

from kb.errors import UnknownConcept, did_you_mean
from kb.models import Concept
from kb.nlp.vocabulary import ConceptNames, _loosen, surface_key

# What each input means on the bundled corpus. ICP is shared by integrated-care-provider (mentioned in the
# corpus) and icp (the partnership, never mentioned): as an acronym it is the sense the corpus uses; typed as
# the id "icp" it is the partnership.
MEANS = {
    "ICS": "ics",
    "ICSs": "ics",
    "icss": "ics",
    "Integrated Care Systems": "ics",
    "integrated-care systems": "ics",
    "ICP": "integrated-care-provider",
    "icp": "icp",
    "ao": "accountable-officer",
    "Accountable Officers": "accountable-officer",
    "place based partnerships": "place-based-partnership",
}


def _ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def _search_filter(home, *args: str) -> str:
    """The concept id a search's concept filter resolved to (from the parsed query of --json)."""
    parsed = json.loads(_ok(run_kb("search", "care", *args, "--json", home=home)))["parsed"]
    (concept_id,) = re.findall(r"#concepts:([a-z0-9-]+)", parsed)
    return concept_id


@pytest.mark.parametrize("typed", list(MEANS))
def test_every_command_resolves_a_name_to_the_same_concept(bundled_home, typed):
    want = MEANS[typed]
    traced = json.loads(_ok(run_kb("trace", typed, "--json", home=bundled_home)))
    assert traced["concept"]["id"] == want
    assert _search_filter(bundled_home, "--concept", typed) == want
    assert _search_filter(bundled_home, f'concept:"{typed}"') == want
    mentions = json.loads(_ok(run_kb("mentions", "--concept", typed, "--json", home=bundled_home)))
    assert {m["concept_id"] for m in mentions} == ({want} if want != "icp" else set())


def test_a_shared_acronym_names_its_other_senses_and_a_bare_query_word_expands_to_the_same_sense(bundled_home):
    traced = json.loads(_ok(run_kb("trace", "ICP", "--json", home=bundled_home)))
    assert {k: v for k, v in traced["match"].items() if k != "matches"} == {
        "alternatives": ["icp"], "kind": "concept", "matched_by": "acronym", "note": ""}
    for typed, want in (("ICP", "integrated-care-provider"), ("ICSs", "ics"), ("icss", "ics"), ("icp", "icp")):
        notes = json.loads(_ok(run_kb("search", typed, "--json", home=bundled_home)))["notes"]
        assert any(n.startswith(f"{typed} also matches concept {want} (") for n in notes), (typed, notes)


def test_a_bare_lower_case_word_is_not_expanded_to_the_concept_of_that_acronym(bundled_home):
    """By design the one difference between the modes: "ao" named on purpose is the concept (above); as a bare
    query word it is searched as a word, never expanded to "accountable officer" (so "of" never becomes OF)."""
    result = json.loads(_ok(run_kb("search", "ao", "--json", home=bundled_home)))
    assert result["total"] > 0 and not any("also matches concept" in n for n in result["notes"])


def _error(result) -> str:
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: No concept 'integrated care sytem'")
    return lines[0]


def test_an_unknown_name_gets_the_same_one_line_suggestion_everywhere(bundled_home):
    typed = "integrated care sytem"
    errors = [_error(run_kb("trace", typed, home=bundled_home)),
              _error(run_kb("mentions", "--concept", typed, home=bundled_home)),
              _error(run_kb("search", "care", "--concept", typed, home=bundled_home)),
              _error(run_kb("search", f'care concept:"{typed}"', home=bundled_home))]
    hint = " Did you mean integrated care system (ics), integrated care (integrated-care), integrated care board (icb)?"
    assert all(hint + " Run `kb concepts` to list them." in e for e in errors), errors
    assert "and no passage contains that phrase." in errors[0]  # kb trace also tried the words as a phrase


def test_kb_concepts_discovered_toml_takes_the_same_names(project_copy):
    vocab = project_copy / "other.toml"
    vocab.write_text('[[concept]]\nid = "triple-aim"\nlabel = "triple aim"\nkind = "policy"\n', "utf-8")
    _ok(run_kb("--vocabulary", str(vocab), "ingest", home=project_copy))
    for typed in ("acr-ics", "ICSs", "icss", "Integrated Care Systems"):
        toml = _ok(run_kb("--vocabulary", str(vocab), "concepts", "--discovered", "--toml", typed, home=project_copy))
        assert 'label = "integrated care system"' in toml.lower() and toml.count("[[concept]]") == 1, typed
        traced = json.loads(_ok(run_kb("--vocabulary", str(vocab), "trace", typed, "--json", home=project_copy)))
        assert traced["concept"]["id"] == "acr-ics"
    wrong = run_kb("--vocabulary", str(vocab), "concepts", "--discovered", "--toml", "acr-icx", home=project_copy)
    assert wrong.returncode == 2 and "No concept 'acr-icx' among the discovered ones. Did you mean " in wrong.stderr
    assert "(acr-ics)" in wrong.stderr and "Run `kb concepts --discovered` to list them." in wrong.stderr


# -- the resolver on generated concepts ---------------------------------------------------------------------
def _word(rng: random.Random) -> str:
    """A made-up word ending in a consonant whose plural is the word and "s" (so "Gorbaks" is "gorbak")."""
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8))) + rng.choice("bdfgkmnprt")


def _generated(n: int = 300, seed: int = 13) -> list[Concept]:
    rng = random.Random(seed)
    out, labels, shorts = [], set(), set()
    while len(out) < n:
        label = " ".join(_word(rng) for _ in range(rng.randint(2, 4)))
        short = "".join(w[0] for w in label.split()).upper() + rng.choice(string.ascii_uppercase)
        if label in labels or short in shorts:
            continue
        labels.add(label)
        shorts.add(short)
        cid = f"acr-{short.lower()}" if len(out) % 3 == 0 else f"c{len(out)}"
        out.append(Concept(cid, label, "body", aliases=(label.title() + " Group",), acronyms=(short,),
                           discovered=cid.startswith("acr-")))
    return out


def test_every_generated_concept_is_found_by_each_of_its_names_in_each_way_a_user_types_them():
    concepts = _generated()
    names = ConceptNames(concepts)
    for c in concepts:
        (short,) = c.acronyms
        for typed, how in ((c.id, "id"), (c.id.upper(), "id"), (short, "acronym"), (short + "s", "acronym"),
                           (short.lower(), "acronym"), (short.lower() + "s", "acronym"), (c.label, "label"),
                           (c.label.upper() + "S", "label"), (c.label.replace(" ", "-"), "label"),
                           (c.aliases[0], "alias"), (c.aliases[0].lower() + "s", "alias")):
            found = names.match(typed)
            assert found is not None and found.concept is c and found.how == how, (typed, found)
        assert names.bare(short) is c and names.bare(short + "s") is c
        assert names.bare(short.lower()) is None  # an acronym in lower case is not a query word's concept
        assert names.bare(c.id) is (None if c.discovered else c)


def test_an_acronym_as_written_comes_before_a_name_in_any_case():
    ice = Concept("ice", "ice", "document")
    other = Concept("intensive-care-episode", "intensive care episode", "programme", acronyms=("ICE",))
    names = ConceptNames([ice, other])
    assert names.resolve("ICE") is other and names.resolve("ice") is ice and names.resolve("Ices") is ice
    assert names.bare("ICE") is other and names.bare("ice") is ice


def test_a_shared_acronym_is_the_most_used_sense_then_a_vocabulary_one_then_the_first_id():
    a = Concept("b-sense", "bravo sense", "body", acronyms=("XYZ",))
    b = Concept("a-sense", "alpha sense", "body", acronyms=("XYZ",))
    c = Concept("acr-xyz", "xylophone zone", "body", acronyms=("XYZ",), discovered=True)
    asked: list[list[str]] = []

    def usage(counts: dict[str, int]):
        def ask(ids: list[str]) -> dict[str, int]:
            asked.append(ids)
            return {i: counts.get(i, 0) for i in ids}
        return ask

    assert ConceptNames([a, b, c]).resolve("XYZ") is b  # no counts: vocabulary first, then the first id
    assert ConceptNames([a, b, c], usage({})).resolve("xyzs") is b
    names = ConceptNames([a, b, c], usage({"acr-xyz": 9, "b-sense": 3}))
    found = names.match("XYZ")
    assert found is not None and found.concept is c and found.others == ("a-sense", "b-sense")
    assert names.bare("XYZs") is c and names.resolve("xyz") is c
    assert asked[-1] == ["a-sense", "acr-xyz", "b-sense"] and len(asked) == 2  # asked once per resolver
    alone = ConceptNames([Concept("one", "only one", "body", acronyms=("ONE",))], usage({}))
    assert alone.resolve("ONE").id == "one" and len(asked) == 2  # no tie, no question


def test_a_stop_word_reaches_a_concept_only_as_an_acronym_in_capitals():
    of = Concept("acr-of", "osteitis fibrosa", "body", acronyms=("OF",), discovered=True)
    names = ConceptNames([of])
    assert names.bare("of", stop_word=True) is None and names.bare("OF", stop_word=True) is of
    assert names.resolve("of") is of  # named on purpose (concept:of) any case will do


def test_plain_query_words_never_build_the_index_of_long_forms():
    names = ConceptNames(_generated(50))
    for word in ("funding", "care", "ACRX", "c3", "integration"):
        names.bare(word)
    assert names._long_index is None
    names.match("some long form")
    assert names._long_index is not None


def test_one_unknown_concept_message():
    names = ConceptNames([Concept("ics", "integrated care system", "body", acronyms=("ICS",)),
                          Concept("icb", "integrated care board", "body", acronyms=("ICB",)),
                          Concept("ice", "ice", "document")])
    with pytest.raises(UnknownConcept) as err:
        names.resolve("ICX")
    message = str(err.value)
    assert message == ("No concept 'ICX'. Did you mean integrated care system (ics), ice, integrated care board "
                       "(icb)? Run `kb concepts` to list them.")  # a concept whose label is its id: named once
    assert "\n" not in message and err.value.exit_code == 2
    assert names.unknown_message("zzzz") == "No concept 'zzzz'. Run `kb concepts` to list them."


def test_did_you_mean_offers_each_shown_name_once():
    shown = {"ICS": "integrated care system (ics)", "ics": "integrated care system (ics)",
             "integrated care system": "integrated care system (ics)", "ICB": "integrated care board (icb)"}
    assert did_you_mean("ICX", shown) == " Did you mean integrated care system (ics), integrated care board (icb)?"
    assert did_you_mean("brefing", ["briefing", "report"]) == " Did you mean briefing?"


def _reference_surface_key(text: str) -> str:
    """surface_key as it was written with regular expressions throughout: the faster one must agree."""
    import unicodedata

    from kb.nlp.vocabulary import _QUOTES, _british, _singular

    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[\s\-/]+", " ", text).strip(" .,;:'\"")
    text = re.sub(r"\bwell being\b", "wellbeing", text)
    text = re.sub(r"\bco (?=ordinat|operat)", "co", text)
    words = [_british(w) for w in text.split()]
    if words:
        words[-1] = _singular(words[-1])
    return " ".join(words)


def test_surface_key_agrees_with_its_reference():
    rng = random.Random(7)
    alphabet = string.ascii_letters + "-'/ .,;:\"\t\u2019\u2018\u201c\u2013\u00e9\u00a0"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(20000)]
    texts += [f"{a}{b}" for a in ("Well-being Boards", "co-ordination", "Co operatives", "Programs", "organizations",
                                  "King\u2019s Fund", "the co-op", "NHS England & NHS Improvement", " - ")
              for b in ("", "s", "-x", " 's", ".")]
    assert [t for t in texts if surface_key(t) != _reference_surface_key(t)] == []


def test_the_site_offers_a_shared_acronym_as_the_sense_the_commands_take(tmp_path):
    """The site's table is the commands' resolver: ICP is the sense the corpus mentions most, though its id sorts
    after the other's; both concepts are there to show."""
    from search_fixtures import add_doc

    from kb.nlp.identity import store_names
    from kb.site.gather import gather
    from kb.site.search_index import concept_names_json
    from kb.store import Store

    partnership = Concept("icp", "integrated care partnership", "body", acronyms=("ICP",))
    provider = Concept("integrated-care-provider", "integrated care provider", "body", acronyms=("ICP",))
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    with store.transaction():
        store.replace_concepts([partnership, provider])
    add_doc(store, "d", ["one ICP", "two ICP", "three ICP"],
            mentions=[(0, "icp"), (1, "integrated-care-provider"), (2, "integrated-care-provider")])
    data = gather(store, glossary=[])
    site = json.loads(concept_names_json(data, store_names(store, data.concepts)))
    assert site["names"]["a ICP"] == site["names"]["f icp"] == "integrated-care-provider"
    assert site["names"]["i icp"] == "icp" and site["names"]["l integrated care partnership"] == "icp"
    assert site["concepts"]["integrated-care-provider"][:4] == [
        "integrated care provider", "concepts/integrated-care-provider.html", "ICP", 2]
    assert sorted(site["concepts"]) == ["icp", "integrated-care-provider"]
    assert ConceptNames(store.concepts(), usage=store.mention_totals).resolve("ICP").id == "integrated-care-provider"
    store.close()


GOLDEN = json.loads((Path(__file__).parent / "data" / "resolver_cases.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: repr(c["input"]))
def test_the_golden_names_resolve_as_recorded(case):
    """The golden cases the site's script is held to (tests/test_site_names.py, tests/test_site_browser.py)."""
    found = _bundled_names().match(case["input"])
    assert (found.concept.id if found else None) == case["concept"]


def _bundled_names() -> ConceptNames:
    from kb.nlp.vocabulary import load_vocabulary

    return ConceptNames(load_vocabulary(Path(__file__).parent.parent / "kb" / "data" / "concepts.toml"))


def table_find(table: dict[str, str], text: str) -> str | None:
    """What site_templates/names.js does with ``ConceptNames.table()`` (its ``find``), in Python."""
    q = " ".join(str(text).replace("\u2019", "'").split())
    if not q:
        return None

    def first(prefix: str, keys) -> str | None:
        return next((table[prefix + k] for k in keys if prefix + k in table), None)

    def forgiven(w: str) -> tuple[str, ...]:
        return (w, w[:-1]) if len(w) > 2 and w.endswith("s") else (w,)

    def lookup(q: str) -> str | None:
        low = q.casefold()
        return (first("a ", forgiven(q)) or first("i ", forgiven(low)) or first("r ", [low.casefold()])
                or first("l ", [surface_key(q)]) or first("f ", forgiven(low)))

    found, loose = lookup(q), _loosen(q)  # then once more without "the" and a possessive, as find() does
    return found if found is not None or not loose or loose == q else lookup(loose)


def typed_forms(concepts: list[Concept], rng: random.Random, n: int) -> list[str]:
    """Names as users type them (every name, cased, hyphenated, pluralised, possessive, padded) and near misses."""
    out = []
    for c in concepts:
        for name in (c.id, c.label, *c.aliases, *c.acronyms):
            out += [name, name.upper(), name.lower() + "s", name.replace(" ", "-"), f"  {name}\u2019s ", name[:-1],
                    name.title() + "es", "the " + name]
    noise = string.ascii_letters + " -'\u2019/s"
    out += ["".join(rng.choice(noise) for _ in range(rng.randint(0, 8))) for _ in range(n)]
    return out


def test_the_table_the_site_exports_answers_every_name_as_the_resolver_does():
    """``ConceptNames.table`` is ``match`` as an exact lookup: differential over the bundled vocabulary, generated
    concepts (shared acronyms settled by usage, an id issued once that leads elsewhere) and random typing."""
    rng = random.Random(19)
    generated = _generated()
    shared = [Concept("b-sense", "bravo sense", "body", acronyms=("XYZ",)),
              Concept("a-sense", "alpha sense", "body", acronyms=("XYZ", "Xyz"))]
    resolvers = [
        _bundled_names(),
        ConceptNames(generated + shared, usage=lambda ids: {"b-sense": 3},
                     redirects=lambda: {"old-id": ("b-sense", "merged"), "gone": (None, "dropped")}),
    ]
    for names in resolvers:
        table = names.table()
        for typed in typed_forms(names.concepts, rng, 3000) + ["old-id", "OLD-IDs", "gone", "xyzs", "XYZs", "Xyz"]:
            found = names.match(typed)
            assert table_find(table, typed) == (found.concept.id if found else None), typed
    assert resolvers[1].table()["r old-id"] == "b-sense" and "r gone" not in resolvers[1].table()
