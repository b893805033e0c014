"""`kb search` as users run it: output formats, options, messages and exit codes."""

import csv
import io
import json

import pytest
from conftest import run_kb
from search_fixtures import add_doc, make_store

from kb.index import whoosh as whoosh_index


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli")
    (home / "corpus").mkdir()
    store = make_store(home)
    add_doc(store, "confed", [
        (1, "The triple aim is better health, better care and sustainable use of resources."),
        (4, "Primary care networks bring general practices together."),
    ], title="Integrating care", publisher="NHS Confederation", published="2020-11", doc_type="briefing")
    add_doc(store, "kings", [(2, "Every PCN has a clinical director; the triple aim again.")],
            title="Our position", publisher="The King's Fund", published="2022-05-17")
    whoosh_index.sync(store, home / "indexes" / "whoosh")
    store.close()
    return home


def test_json_output_follows_the_documented_schema(home):
    r = run_kb("search", '"triple aim"', "--json", home=home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"query", "parsed", "total", "hits", "notes"} <= set(data)
    assert data["query"] == '"triple aim"' and data["total"] == 2
    hit = data["hits"][0]
    assert {"rank", "score", "passage_id", "doc_id", "title", "publisher", "published", "page", "text",
            "fragments", "concepts"} <= set(hit)
    assert hit["rank"] == 1 and isinstance(hit["score"], float)
    assert any("<mark>triple aim</mark>" in f for f in hit["fragments"])
    pages = {(h["doc_id"], h["page"]) for h in data["hits"]}
    assert pages == {("confed", 1), ("kings", 2)}


def test_terminal_output_has_one_block_per_hit_and_a_count(home):
    r = run_kb("search", "triple aim", "--limit", "1", home=home)
    assert r.returncode == 0, r.stderr
    assert "matching passages (showing 1-1)" in r.stdout
    assert "1. " in r.stdout and "p. " in r.stdout and ("confed-p0" in r.stdout or "kings-p0" in r.stdout)
    assert "\x1b[" not in r.stdout  # piped and NO_COLOR: no escape codes


def test_colour_only_when_forced(home):
    r = run_kb("search", "triple", home=home, env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in r.stdout


def test_expansions_are_stated(home):
    r = run_kb("search", "PCN", home=home)
    assert "note: PCN also matches concept primary-care-network" in r.stdout
    assert "confed-p1" in r.stdout and "kings-p0" in r.stdout


def test_explain_prints_the_understood_query(home):
    r = run_kb("search", "triple -care year:2020", "--explain", home=home)
    assert r.returncode == 0, r.stderr
    assert "searched:" in r.stdout and "text:tripl" in r.stdout and "year" in r.stdout


def test_csv_output(home):
    r = run_kb("search", "triple", "--format", "csv", home=home)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["passage_id"] for row in rows} == {"confed-p0", "kings-p0"}
    assert rows[0]["page"] in ("1", "2")


def test_options_filter_like_the_query_language(home):
    r = run_kb("search", "triple", "--publisher", "kings fund", "--json", home=home)
    assert [h["doc_id"] for h in json.loads(r.stdout)["hits"]] == ["kings"]
    r = run_kb("search", "triple", "--since", "2021", "--until", "2022-12", "--json", home=home)
    assert [h["doc_id"] for h in json.loads(r.stdout)["hits"]] == ["kings"]


def test_group_by_document(home):
    r = run_kb("search", "care OR triple", "--group", "doc", home=home)
    assert "== Integrating care (confed)" in r.stdout


@pytest.mark.parametrize("args, message", [
    (['"triple aim'], "Unbalanced quote"),
    (["bogus:x"], "Unknown field bogus:"),
    ([""], "The query is empty"),
    (["concept:nonsense"], "No concept 'nonsense'"),
    (["triple", "--since", "yesterday"], "--since yesterday"),
])
def test_errors_are_one_line_with_exit_status_2(home, args, message):
    r = run_kb("search", *args, home=home)
    assert r.returncode == 2
    assert r.stderr.startswith("kb: error: ") and message in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_missing_index_says_run_ingest(tmp_path):
    (tmp_path / "corpus").mkdir()
    r = run_kb("search", "anything", home=tmp_path)
    assert r.returncode == 2 and "Run `kb ingest` first" in r.stderr


def test_help_documents_the_query_language():
    r = run_kb("search", "--help")
    for needle in ('"quoted phrase"', "concept:ics", "year:2019..2021", "--explain", "--group", "NOT"):
        assert needle in r.stdout


def test_search_never_imports_spacy_or_pdfminer(home):
    r = run_kb("search", "triple", home=home, env={"PYTHONPROFILEIMPORTTIME": "1"})
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "import time" in line}
    assert "kb.search" in imported
    assert not {m for m in imported if m.split(".")[0] in ("spacy", "pdfminer", "thinc")}
    # numpy is for scoring long posting lists at once; a small corpus never pays for importing it.
    assert not {m for m in imported if m.split(".")[0] == "numpy"}


# -- exact output of the main forms (so changes to parsing and notes leave them alone) ----------------------
TRIPLE_AIM_TEXT = """\
note: "triple aim" also matches concept triple-aim (triple aim): "triple aim" and passages tagged with it
2 matching passages (showing 1-2)

1. Our position
   The King's Fund · 2022-05-17 · p. 2 · kings-p0 · score 0.47
   Every PCN has a clinical director; the triple aim again.

2. Integrating care
   NHS Confederation · 2020-11 · p. 1 · confed-p0 · score 0.45
   The triple aim is better health, better care and sustainable use of resources.
"""

PCN_CSV = """\
rank,score,passage_id,doc_id,title,publisher,published,page,page_end,fragment,concepts,text
1,2.5627,confed-p1,confed,Integrating care,NHS Confederation,2020-11,4,4,Primary care networks bring general practices together.,,Primary care networks bring general practices together.
2,0.9808,kings-p0,kings,Our position,The King's Fund,2022-05-17,2,2,Every PCN has a clinical director; the triple aim again.,,Every PCN has a clinical director; the triple aim again.
"""


def test_text_output_exactly(home):
    r = run_kb("search", '"triple aim"', home=home)
    assert (r.returncode, r.stdout, r.stderr) == (0, TRIPLE_AIM_TEXT, "")


@pytest.mark.parametrize("args", [["--csv"], ["--format", "csv"], ["--format=csv"]])
def test_csv_output_exactly_with_csv_or_format_csv(home, args):
    r = run_kb("search", "PCN", *args, home=home)
    assert (r.returncode, r.stdout, r.stderr) == (0, PCN_CSV, "")


def test_minus_word_excludes_where_it_stands_and_after_double_dash(home):
    first = run_kb("search", "triple", "-care", "--limit", "1", home=home)
    assert first.returncode == 0 and "1 matching passage (showing 1-1)" in first.stdout
    for args in (["-care", "triple", "--limit", "1"], ["--limit", "1", "--", "triple", "-care"],
                 ["triple -care", "--limit=1"]):
        assert run_kb("search", *args, home=home).stdout == first.stdout, args


def test_stray_parenthesis_is_punctuation_on_either_side_with_a_note(home):
    left, right = run_kb("search", "(triple", home=home), run_kb("search", "triple)", home=home)
    assert left.returncode == right.returncode == 0
    assert left.stdout == right.stdout
    assert left.stdout.startswith("note: unmatched parenthesis read as punctuation")
    for q in ("(triple OR care", "triple OR care)"):
        r = run_kb("search", q, home=home)
        assert r.returncode == 2 and r.stderr.startswith("kb: error: Unbalanced parentheses"), q


def test_a_long_plain_query_on_a_small_corpus_does_not_import_numpy(home):
    r = run_kb("search", "integrated care systems and the triple aim of better health for local people",
               home=home, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 0, r.stderr
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "import time" in line}
    assert not {m for m in imported if m.split(".")[0] == "numpy"}
