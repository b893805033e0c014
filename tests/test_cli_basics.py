"""The command line as a newcomer meets it: version, help, project discovery, init, clean errors."""

import subprocess
import sys

import pytest
from conftest import run_kb

from kb import __version__
from kb.cli import COMMANDS


def test_version_and_python_m_kb():
    result = run_kb("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kb, version {__version__}"


def test_help_lists_every_command_without_importing_heavy_libraries():
    code = (
        "import sys, runpy; sys.argv=['kb','--help']\n"
        "try:\n    runpy.run_module('kb', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('spacy','pdfminer','whoosh','jinja2') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY []" in out
    for name in COMMANDS:
        assert f"  {name} " in out


@pytest.mark.parametrize("name", sorted(COMMANDS) + ["site build", "site serve"])
def test_every_command_has_help_with_an_example(name):
    result = run_kb(*name.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout or "example" in result.stdout


def test_no_project_says_how_to_make_one(tmp_path):
    result = run_kb("docs", home=tmp_path)
    assert result.returncode == 2
    assert "No kb project" in result.stderr and "kb init DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_home_env_is_used(tmp_path):
    result = run_kb("docs", env={"KB_HOME": str(tmp_path)})
    assert str(tmp_path) in result.stderr


def test_init_creates_a_project_with_starter_files(tmp_path):
    target = tmp_path / "mine"
    result = run_kb("init", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "corpus" / "catalog.toml").is_file()
    assert (target / "corpus" / "concepts.toml").is_file()
    assert (target / "indexes").is_dir()
    again = run_kb("init", str(target))
    assert again.returncode == 2 and "already holds a kb project" in again.stderr


def test_docs_before_ingest_says_to_ingest(tmp_path):
    run_kb("init", str(tmp_path / "p"))
    result = run_kb("docs", home=tmp_path / "p")
    assert result.returncode == 2
    assert "Run `kb ingest` first" in result.stderr


def test_unknown_option_is_a_usage_error_without_traceback(tmp_path):
    result = run_kb("docs", "--bogus", home=tmp_path)
    assert result.returncode == 2
    assert "No such option" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_tour(name):
    from conftest import REPO

    assert f"`kb {name}" in (REPO / "README.md").read_text("utf-8")


def test_ingesting_an_empty_corpus_says_what_to_do(tmp_path):
    run_kb("init", str(tmp_path / "p"))
    result = run_kb("ingest", home=tmp_path / "p")
    assert result.returncode == 0
    assert "The corpus is empty: put PDF, HTML, text or Markdown files in" in result.stderr
    search = run_kb("search", "care", home=tmp_path / "p")
    assert search.returncode == 0 and "0 matching passages" in search.stdout
