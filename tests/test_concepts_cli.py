"""`kb concepts`, `kb mentions` and `kb acronyms` through the real CLI on the bundled corpus."""

import json
from pathlib import Path

import pytest
from conftest import run_kb

KF = "kingsfund-integrated-care-our-position-2022"
BRIEFING = "nhsconfed-integrating-care-next-steps-briefing-2020"
GOLD = Path(__file__).resolve().parent / "data" / "gold_mentions.tsv"


def gold_count(concept_id):
    rows = (line.split("\t") for line in GOLD.read_text("utf-8").splitlines() if not line.startswith("#"))
    return sum(int(r[3]) for r in rows if r[1] == concept_id)


def ok_json(*args, home):
    result = run_kb(*args, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_concepts_json_lists_counts_first_appearance_and_discovered_flag(bundled_home):
    concepts = {c["id"]: c for c in ok_json("concepts", "--json", home=bundled_home)}
    assert len(concepts) >= 60
    ics = concepts["ics"]
    assert set(ics) == {"id", "label", "kind", "aliases", "acronyms", "mentions", "documents", "first_seen",
                        "discovered"}
    assert ics["label"] == "integrated care system" and ics["acronyms"] == ["ICS"] and ics["discovered"] is False
    # Same count as the hand-checked gold file; the PDF duplicate edition is never counted.
    assert ics["documents"] == 5 and ics["mentions"] == gold_count("ics")
    assert ics["first_seen"] == {"doc_id": "commons-library-nhs-reform-icss-2020", "published": "2020"}
    assert concepts["better-care-fund"]["mentions"] == 0 and concepts["better-care-fund"]["first_seen"] is None
    assert concepts["accountable-officer"]["documents"] == 1


def test_concepts_table_and_kind_filter(bundled_home):
    result = run_kb("concepts", "--kind", "legislation", home=bundled_home)
    assert result.returncode == 0
    assert "hsca-2012" in result.stdout and "Health and Social Care Act 2012" in result.stdout
    assert "ics " not in result.stdout
    bodies = ok_json("concepts", "--kind", "body", "--json", home=bundled_home)
    assert bodies and {c["kind"] for c in bodies} == {"body"}
    bad = run_kb("concepts", "--kind", "quango", home=bundled_home)
    assert bad.returncode == 2 and "No concepts of kind 'quango'" in bad.stderr


def test_mentions_offsets_point_into_the_text_kb_show_returns(bundled_home):
    mentions = ok_json("mentions", "--concept", "ICSs", "--doc", KF, "--json", home=bundled_home)
    assert len(mentions) >= 10
    assert set(mentions[0]) == {"doc_id", "passage_id", "concept_id", "surface", "start", "end", "page"}
    text = ok_json("show", KF, "--json", home=bundled_home)["text"]
    for m in mentions:
        assert m["concept_id"] == "ics" and m["doc_id"] == KF
        assert text[m["start"]:m["end"]] == m["surface"]
    surfaces = {m["surface"] for m in mentions}
    assert {"ICSs", "integrated care systems"} <= surfaces


def test_mentions_accepts_a_label_or_alias_and_prints_a_table(bundled_home):
    by_label = ok_json("mentions", "--concept", "accountable officer", "--json", home=bundled_home)
    assert [m["surface"] for m in by_label] == ["accountable officer", "AO", "AO", "AOs", "AO"]
    table = run_kb("mentions", "--concept", "nhsei", "--doc", BRIEFING, home=bundled_home)
    assert table.returncode == 0 and "NHSEI" in table.stdout and "mentions" in table.stdout.splitlines()[-1]


def test_unknown_concepts_and_documents_get_suggestions(bundled_home):
    result = run_kb("mentions", "--concept", "integrated care sytem", home=bundled_home)
    assert result.returncode == 2
    assert "No concept 'integrated care sytem'. Did you mean integrated care system (ics)," in result.stderr
    result = run_kb("mentions", "--doc", "kingsfund-integrated-care", home=bundled_home)
    assert result.returncode == 2 and f"Did you mean {KF}" in result.stderr


def test_acronyms_glossary_lists_every_defined_acronym_with_where_and_when(bundled_home):
    entries = {e["short"]: e for e in ok_json("acronyms", "--json", home=bundled_home)}
    assert set(entries) == {"AO", "CCG", "ICP", "ICS", "NHSEI", "PCN", "STP"}
    (icp,) = entries["ICP"]["senses"]
    assert icp["concept_id"] == "integrated-care-provider" and icp["long"] == "Integrated Care Provider"
    assert {d["doc_id"] for d in icp["definitions"]} == {"commons-library-nhs-reform-icss-2020"}
    assert entries["ICS"]["first_defined"] == "2020"
    assert len({d["doc_id"] for d in entries["ICS"]["senses"][0]["definitions"]}) == 5
    table = run_kb("acronyms", home=bundled_home)
    assert table.returncode == 0 and "accountable officer" in table.stdout and "7 acronyms" in table.stdout


@pytest.mark.parametrize("command", ["concepts", "mentions", "acronyms"])
def test_every_command_has_help_with_an_example(command):
    result = run_kb(command, "--help")
    assert result.returncode == 0 and "Example" in result.stdout


def test_commands_before_ingest_say_what_to_do(project_copy):
    for args in (("concepts",), ("mentions", "--concept", "ICS"), ("mentions", "--concept", "no such thing"),
                 ("acronyms",), ("kwic", "ICS"), ("reuse",), ("cites",)):
        result = run_kb(*args, home=project_copy)
        assert result.returncode == 2 and "Run `kb ingest` first" in result.stderr, args
        assert len(result.stderr.splitlines()) == 1, args


def test_another_vocabulary_file_replaces_the_bundled_one_and_defined_acronyms_are_discovered(project_copy):
    vocab = project_copy / "other.toml"
    vocab.write_text('[[concept]]\nid = "triple-aim"\nlabel = "triple aim"\nkind = "policy"\n', "utf-8")
    result = run_kb("--vocabulary", str(vocab), "ingest", home=project_copy)
    assert result.returncode == 0, result.stderr
    concepts = {c["id"]: c for c in ok_json("--vocabulary", str(vocab), "concepts", "--json", home=project_copy)}
    assert concepts["triple-aim"]["mentions"] == gold_count("triple-aim") and not concepts["triple-aim"]["discovered"]
    ics = concepts["acr-ics"]
    assert ics["discovered"] and ics["acronyms"] == ["ICS"] and ics["label"].lower() == "integrated care system"
    assert ics["documents"] == 5
    assert "ics" not in concepts
    table = run_kb("--vocabulary", str(vocab), "concepts", "--discovered", home=project_copy)
    assert "acr-nhsei" in table.stdout and "discovered from acronym definitions" in table.stdout


def test_a_malformed_vocabulary_stops_ingest_with_the_line(project_copy):
    vocab = project_copy / "bad.toml"
    vocab.write_text('[[concept]]\nid = "x"\nlabel = "x"\nkind = "gizmo"\n', "utf-8")
    result = run_kb("--vocabulary", str(vocab), "ingest", home=project_copy)
    assert result.returncode == 2
    assert "line 4" in result.stderr and "unknown kind 'gizmo'" in result.stderr


def test_one_concepts_details_in_the_terminal(bundled_home):
    """`kb concepts ID` shows every field of the concepts named (by id, acronym or name), any kind."""
    r = run_kb("concepts", "pcn", home=bundled_home)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "primary care network\n"
        "  id           pcn\n"
        "  kind         body\n"
        "  acronyms     PCN\n"
        "  also written -\n"
        "  mentions     9 in 3 documents\n"
        "  first seen   2020 commons-library-nhs-reform-icss-2020\n")
    both = run_kb("concepts", "PCN", "integrated care board", home=bundled_home)
    assert both.returncode == 0 and both.stdout.count("\n  id ") == 2, both.stdout
    unknown = run_kb("concepts", "nosuch", home=bundled_home)
    assert unknown.returncode == 2 and unknown.stderr.startswith("kb: error: No concept 'nosuch'"), unknown.stderr
    assert run_kb("concepts", "--toml", home=bundled_home).returncode == 2  # --toml still goes with --discovered
