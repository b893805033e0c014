"""`kb trace` and `kb kwic` as users run them: terminal output, --json, --csv, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.commands.trace import KWIC_CSV_COLUMNS, TRACE_CSV_COLUMNS, bar, sparkline

from conftest import run_kb
from test_trace import FILLER, build_store


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("trace-cli")
    (home / "corpus").mkdir()
    docs = [
        {"id": "a-year", "published": "2020", "publisher": "Library", "title": "Reform briefing",
         "paragraphs": [FILLER, "New integrated care systems will replace STPs by 2021."]},
        {"id": "b-month", "published": "2020-11", "publisher": "Confed", "title": "Next steps",
         "paragraphs": ["Integrated care systems (ICSs) are partnerships of NHS bodies and councils."]},
        {"id": "c-later", "published": "2022-05-17", "publisher": "Fund", "title": "Our position",
         "paragraphs": ["All parts of England are covered by ICSs."]},
        {"id": "d-undated", "published": None, "publisher": "Blog", "title": "A note",
         "paragraphs": ["An undated note about the STP footprint."]},
    ]
    build_store(home / "indexes" / "kb.sqlite", docs).close()
    return home


def invoke(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_trace_terminal_shows_ledger_statement_timeline_and_successors(home):
    out = invoke(home, "trace", "STP")
    assert "first in this corpus of 3 documents dated 2020–2022-05-17 (plus 1 undated)" in out
    assert "“New integrated care systems will replace «STPs» by 2021.”" in out
    assert "Reform briefing · p.1 · passage a-year-1" in out
    assert "Undated documents (not ordered)" in out and "A note (Blog)" in out
    assert "Timeline per year" in out and "2021" in out
    assert "ics overtakes stp: from 2020" in out


def test_trace_accepts_an_unquoted_phrase_and_marks_ties(home):
    out = invoke(home, "trace", "integrated", "care", "systems")
    assert "tied with (dates overlap): Next steps (2020-11)" in out
    assert "Co-occurring concepts" in out


def test_trace_json_has_the_documented_keys(home):
    data = json.loads(invoke(home, "trace", "ICS", "--json"))
    for key in ("concept", "term", "corpus", "statement", "warnings", "first_use", "first_definition",
                "first_undefined_use", "undated", "timeline", "by_publisher", "cooccurring", "successors",
                "predecessors", "crossovers", "cooccurrence_score"):
        assert key in data
    for key in ("doc_id", "title", "publisher", "published", "date_precision", "date_source", "page", "passage_id",
                "quote", "start", "end", "tied_with"):
        assert key in data["first_use"]
    assert data["concept"]["id"] == "ics" and data["first_definition"]["doc_id"] == "b-month"


def test_trace_csv_timeline_rows(home):
    rows = list(csv.DictReader(io.StringIO(invoke(home, "trace", "ICS", "--csv", "--by", "month"))))
    assert tuple(rows[0]) == TRACE_CSV_COLUMNS
    assert [(r["series"], r["period"], r["mentions"]) for r in rows if r["mentions"] != "0"] == [
        ("ics", "2020", "1"), ("ics", "2020-11", "2"), ("ics", "2022-05", "1"), ("stp", "2020", "1")]
    assert rows[1]["per_10k"] == "" or float(rows[1]["per_10k"]) >= 0


def test_kwic_terminal_aligns_on_the_term(home):
    lines = invoke(home, "kwic", "ICS", "--width", "20").splitlines()
    body = lines[:-1]
    assert lines[-1] == "4 line(s)"
    terms = ["integrated care systems", "Integrated care systems", "ICSs", "ICSs"]
    columns = {line.index(term) for line, term in zip(body, terms)}
    assert len(columns) == 1  # the term starts in the same column on every line
    assert body[0].startswith("2020 ") and body[0].rstrip().endswith("a-year p.1")


def test_kwic_json_and_csv(home):
    rows = json.loads(invoke(home, "kwic", "ICS", "--sort", "doc", "--limit", "2", "--json"))
    assert [r["doc_id"] for r in rows] == ["a-year", "b-month"]
    table = list(csv.DictReader(io.StringIO(invoke(home, "kwic", "ICS", "--csv"))))
    assert tuple(table[0]) == KWIC_CSV_COLUMNS and len(table) == 4


def test_no_match_is_a_clear_error_with_suggestions_and_exit_2(home):
    result = run_kb("trace", "integrated care sytems", home=home)
    assert result.returncode == 2
    assert "Did you mean: integrated care system (ics)" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_kb("kwic", "zzz qqq", home=home).returncode == 2


def test_json_and_csv_together_is_a_usage_error(home):
    result = run_kb("trace", "ICS", "--json", "--csv", home=home)
    assert result.returncode == 2 and "Choose one of --json and --csv" in result.stderr


def test_bars_and_sparklines():
    assert bar(10, 10, width=4) == "████" and bar(5, 10, width=4) == "██" and bar(0, 10) == ""
    assert sparkline([0, 1, 8]) == " ▂█"
