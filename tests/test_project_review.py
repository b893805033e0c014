"""The project file (kb.toml), `kb init`, and reviewing discovered concepts: list, print as TOML, reject."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from conftest import run_kb

from kb.errors import UsageError
from kb.project import DEFAULT_TITLE, load_settings, settings_text

DOC_A = """Social prescribing in practice

Social prescribing link workers (SPLWs) help people reach community groups. Every SPLW works with a primary care network (PCN).

The Sustainability Score (SS) of each scheme is measured yearly. SPLWs report it to the PCN.
"""
DOC_B = """A second note

Our SPLWs met twice. The SS was high this year, and the PCN grew.
"""


def _ok(*args, home: Path) -> str:
    done = run_kb(*args, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A new project (empty vocabulary) with two small documents that define three acronyms, ingested."""
    home = tmp_path_factory.mktemp("review") / "links"
    _ok("init", str(home), "--title", "Link workers: <the> evidence", "--description", "Two notes.", home=None)
    (home / "corpus" / "a.txt").write_text(DOC_A, "utf-8")
    (home / "corpus" / "b.txt").write_text(DOC_B, "utf-8")
    _ok("ingest", home=home)
    return home


# -- kb.toml and kb init ------------------------------------------------------------------------------------------
def test_init_writes_a_project_file_and_an_empty_vocabulary(tmp_path):
    home = tmp_path / "p"
    out = _ok("init", str(home), "--title", 'A "quoted" \\ title', home=None)
    assert "kb.toml" in out
    settings = load_settings(home / "kb.toml")
    assert settings.title == 'A "quoted" \\ title' and settings.description == "" and settings.reject == frozenset()
    vocabulary = (home / "corpus" / "concepts.toml").read_text("utf-8")
    assert "[[concept]]" in vocabulary and tomllib.loads(vocabulary) == {}  # a commented example only


def test_init_can_start_from_the_bundled_vocabulary(tmp_path):
    from kb.nlp.vocabulary import load_vocabulary

    _ok("init", str(tmp_path / "nhs"), "--concepts", "nhs-integration", home=None)
    assert len(load_vocabulary(tmp_path / "nhs" / "corpus" / "concepts.toml")) > 80
    assert load_settings(tmp_path / "nhs" / "kb.toml").title == DEFAULT_TITLE
    bad = run_kb("init", str(tmp_path / "x"), "--concepts", "nosuch")
    assert bad.returncode == 2 and not (tmp_path / "x").exists()


def test_the_bundled_corpus_has_its_own_project_file():
    from conftest import REPO

    assert load_settings(REPO / "kb.toml").title == "Health and care integration policy: the knowledge base"


def test_settings_mistakes_are_one_line_errors(tmp_path):
    path = tmp_path / "kb.toml"
    assert load_settings(path).title == DEFAULT_TITLE and not load_settings(path).exists
    for text, words in (('title = "x\n', "TOML"), ("colour = 'red'", "unknown key"), ("title = 3", "quoted string"),
                        ("[concepts]\nreject = 'SS'", "list of quoted"), ("[concepts]\nkeep = []", "[concepts]")):
        path.write_text(text, "utf-8")
        with pytest.raises(UsageError, match=r"kb\.toml") as err:
            load_settings(path)
        assert words in str(err.value)
    path.write_text(settings_text("T", "D").replace("reject = []", 'reject = ["acr-ss", "SS"]'), "utf-8")
    assert load_settings(path).reject == {"acr-ss", "SS"}


def test_docs_prints_the_project_title(project):
    out = _ok("docs", home=project)
    assert out.splitlines()[:2] == ["Link workers: <the> evidence", "Two notes."]


def test_a_new_project_site_shows_only_what_its_documents_hold(project, tmp_path):
    _ok("site", "build", "--no-search", "--out", str(tmp_path / "site"), home=project)
    site = tmp_path / "site"
    concept_pages = sorted(p.stem for p in (site / "concepts").glob("*.html"))
    assert concept_pages == ["acr-pcn", "acr-splw", "acr-ss"]  # discovered ones only: no bundled vocabulary
    home = (site / "index.html").read_text("utf-8")
    assert "<h1>Link workers: &lt;the&gt; evidence</h1>" in home and "Two notes." in home
    assert "Health and care integration" not in home
    assert "<title>Home · Link workers: &lt;the&gt; evidence</title>" in home


def test_an_empty_project_site_has_no_concept_pages(tmp_path):
    home = tmp_path / "empty"
    _ok("init", str(home), home=None)
    _ok("ingest", home=home)
    _ok("site", "build", "--no-search", home=home)
    assert not list((home / "site").glob("concepts/*.html"))
    assert "No document mentions a concept yet" in (home / "site" / "concepts.html").read_text("utf-8")


# -- reviewing discovered concepts -----------------------------------------------------------------------------
def test_discovered_lists_long_forms_counts_and_where_defined(project):
    out = _ok("concepts", "--discovered", home=project)
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("acr-")}
    assert sorted(lines) == ["acr-pcn", "acr-splw", "acr-ss"]
    assert "Social prescribing link worker" in lines["acr-splw"] and " a p.1" in lines["acr-splw"]
    rows = {r["id"]: r for r in json.loads(_ok("concepts", "--discovered", "--json", home=project))}
    splw = rows["acr-splw"]
    assert splw["mentions"] >= 4 and splw["documents"] == 2
    assert splw["defined_in"][0]["doc_id"] == "a" and "(SPLWs)" in splw["defined_in"][0]["quote"]


def test_discovered_as_toml_pastes_into_the_vocabulary(project, tmp_path):
    from kb.nlp.vocabulary import load_vocabulary

    one = _ok("concepts", "--discovered", "--toml", "SPLW", home=project)
    assert one.count("[[concept]]") == 1 and 'id = "splw"' in one and 'acronyms = ["SPLW"]' in one
    everything = _ok("concepts", "--discovered", "--toml", home=project)
    assert everything.count("[[concept]]") == 3
    vocab = tmp_path / "concepts.toml"
    vocab.write_text((project / "corpus" / "concepts.toml").read_text("utf-8") + everything, "utf-8")
    assert sorted(c.id for c in load_vocabulary(vocab)) == ["pcn", "splw", "ss"]
    missing = run_kb("concepts", "--discovered", "--toml", "acr-nosuch", home=project)
    assert missing.returncode == 2 and "kb concepts --discovered" in missing.stderr
    assert run_kb("concepts", "--toml", home=project).returncode == 2


def test_rejected_concepts_leave_tagging_the_glossary_and_the_site(project, tmp_path):
    home = tmp_path / "copy"
    import shutil

    shutil.copytree(project, home)
    text = (home / "kb.toml").read_text("utf-8").replace("reject = []", 'reject = ["SS", "acr-pcn"]')
    (home / "kb.toml").write_text(text, "utf-8")
    _ok("ingest", home=home)
    ids = [r["id"] for r in json.loads(_ok("concepts", "--json", home=home))]
    assert ids == ["acr-splw"]
    mentions = json.loads(_ok("mentions", "--json", home=home))
    assert {m["concept_id"] for m in mentions} == {"acr-splw"}
    shorts = [e["short"] for e in json.loads(_ok("acronyms", "--json", home=home))]
    assert shorts == ["SPLW"]
    _ok("site", "build", "--no-search", home=home)
    assert sorted(p.stem for p in (home / "site" / "concepts").glob("*.html")) == ["acr-splw"]
    page = (home / "site" / "discovered.html").read_text("utf-8")
    assert "acr-splw" in page and "acr-ss" not in page and "acr-pcn" not in page
    glossary = (home / "site" / "glossary.html").read_text("utf-8")
    assert "<abbr>SS</abbr>" not in glossary and "<abbr>PCN</abbr>" not in glossary
    # Taking a rejection back restores the concept at the next ingest.
    (home / "kb.toml").write_text(text.replace('reject = ["SS", "acr-pcn"]', "reject = []"), "utf-8")
    _ok("ingest", home=home)
    assert len(json.loads(_ok("concepts", "--json", home=home))) == 3
