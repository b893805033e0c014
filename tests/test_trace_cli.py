"""`kb trace` and `kb kwic` as users run them: terminal output, --json, --csv, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import run_kb
from test_trace import FILLER, build_store

from kb.cli import cli
from kb.commands.trace import KWIC_CSV_COLUMNS, TRACE_CSV_COLUMNS, bar, sparkline


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
    columns = {line.index(term) for line, term in zip(body, terms, strict=False)}
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
    assert "Did you mean integrated care system (ics)" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_kb("kwic", "zzz qqq", home=home).returncode == 2


def test_json_and_csv_together_is_a_usage_error(home):
    result = run_kb("trace", "ICS", "--json", "--csv", home=home)
    assert result.returncode == 2 and "Choose one of --json and --csv" in result.stderr


def test_bars_and_sparklines():
    assert bar(10, 10, width=4) == "████" and bar(5, 10, width=4) == "██" and bar(0, 10) == ""
    assert sparkline([0, 1, 8]) == " ▂█"


# -- the bundled corpus, traced by hand ---------------------------------------------------------------------------------
# Dates from corpus/catalog.toml: Commons Library "2020" (could be any day of 2020, so it is ordered first and tied
# with every November 2020 document), the NHS Confederation briefing and news release "2020-11", its report summary
# "2020-11-20", the King's Fund position "2022-05-17". The briefing's PDF edition is a duplicate and never counts.
COMMONS = "commons-library-nhs-reform-icss-2020"
BRIEFING = "nhsconfed-integrating-care-next-steps-briefing-2020"
NEWS = "nhsconfed-statutory-footing-news-2020"
SUMMARY = "nhsconfed-future-of-integrated-care-2020"
KINGS = "kingsfund-integrated-care-our-position-2022"
SPAN = "first in this corpus of 5 documents dated 2020–2022-05-17"


@pytest.fixture(scope="module")
def bundled(bundled_home):
    from kb.store import Store

    with Store.open(bundled_home / "indexes" / "kb.sqlite") as store:
        yield store


def _ledger(entry):
    return None if entry is None else (entry["doc_id"], [t["doc_id"] for t in entry["tied_with"]])


def _counts(result):
    return {r["period"]: (r["mentions"], r["documents"]) for r in result["timeline"]}


@pytest.mark.e2e
def test_bundled_triple_aim(bundled):
    from kb.trace import trace

    r = trace(bundled, "triple aim").to_json()
    assert r["concept"]["id"] == "triple-aim" and SPAN in r["statement"]
    assert _ledger(r["first_use"]) == (COMMONS, [BRIEFING])
    assert r["first_use"]["sentence"].startswith("Introducing a new NHS")
    assert "<mark>triple aim</mark>" in r["first_use"]["quote"]
    assert r["first_definition"] is None  # "a new NHS 'triple aim' for ..." introduces it, no defining pattern
    assert _ledger(r["first_undefined_use"]) == (COMMONS, [BRIEFING])
    assert _counts(r) == {"2020": (3, 2), "2021": (0, 0), "2022": (0, 0)}
    assert [(p["publisher"], p["mentions"], p["documents"], p["first_published"]) for p in r["by_publisher"]] == [
        ("House of Commons Library", 2, 1, "2020"), ("NHS Confederation", 1, 1, "2020-11")]
    assert any("may well be older" in w for w in r["warnings"])
    assert r["undated"] == []


@pytest.mark.e2e
def test_bundled_integrated_care_system(bundled):
    from kb.trace import trace

    r = trace(bundled, "integrated care system").to_json()
    assert r["concept"]["id"] == "ics"
    assert _ledger(r["first_use"]) == (COMMONS, [BRIEFING, NEWS, SUMMARY])
    assert r["first_use"]["sentence"].startswith("Integrated Care Systems (ICSs) are the latest in a series")
    assert _ledger(r["first_definition"]) == (COMMONS, [BRIEFING, NEWS, SUMMARY])
    assert r["first_definition"]["definition_kind"] == "acronym"
    assert r["first_undefined_use"] is None  # every document spells out "(ICSs)", the King's Fund included
    assert {p["publisher"]: p["documents"] for p in r["by_publisher"]} == {
        "House of Commons Library": 1, "NHS Confederation": 3, "The King's Fund": 1}
    assert [(x["period"], x["documents"]) for x in r["timeline"]] == [("2020", 4), ("2021", 0), ("2022", 1)]
    stp = next(p for p in r["predecessors"] if p["concept_id"] == "stp")
    assert stp["mentions"] == 2 and stp["first_use"]["doc_id"] == COMMONS  # "... Partnerships (STPs) by 2021"
    assert {"from": "stp", "to": "ics", "period": "2020"} in r["crossovers"]
    assert {"from": "accountable-care-system", "to": "ics", "period": None} in r["crossovers"]  # never mentioned
    assert trace(bundled, "ICSs").to_json()["first_use"] == r["first_use"]


@pytest.mark.e2e
def test_bundled_primary_care_network(bundled):
    from kb.trace import trace

    r = trace(bundled, "primary care network").to_json()
    assert _ledger(r["first_use"]) == (COMMONS, [BRIEFING])
    assert "the formation of <mark>Primary Care Networks</mark> (PCNs) (see box)" in r["first_use"]["quote"]
    assert _ledger(r["first_definition"]) == (COMMONS, [BRIEFING])  # both spell out "(PCNs)"
    assert "<mark>Primary Care Networks (PCNs)</mark> (see box)" in r["first_definition"]["quote"]
    assert r["first_undefined_use"] is None  # the King's Fund glosses it: "(groups of GP practices ...)"
    assert _counts(r) == {"2020": (8, 2), "2021": (0, 0), "2022": (1, 1)}


@pytest.mark.e2e
def test_bundled_provider_collaborative(bundled):
    from kb.trace import trace

    r = trace(bundled, "provider collaborative").to_json()
    assert _ledger(r["first_use"]) == (BRIEFING, [])  # no other 2020 document uses it: no tie
    assert r["first_use"]["sentence"] == "Provider collaboratives."
    assert r["first_definition"] is None
    assert _ledger(r["first_undefined_use"]) == (BRIEFING, [])
    assert _counts(r) == {"2020": (5, 1), "2021": (0, 0), "2022": (1, 1)}
    assert [w for w in r["warnings"] if "tie" in w] == []
    assert any("may well be older" in w for w in r["warnings"])  # November 2020 is in the corpus's first year


@pytest.mark.e2e
def test_bundled_nhs_england_and_nhs_improvement(bundled):
    from kb.trace import trace

    r = trace(bundled, "NHS England and NHS Improvement").to_json()
    assert r["concept"]["id"] == "nhsei"
    assert _ledger(r["first_use"]) == (COMMONS, [BRIEFING])
    assert r["first_use"]["sentence"].startswith("They have yet to be introduced, but NHS England and NHS Improvement")
    assert _ledger(r["first_definition"]) == (BRIEFING, [])  # "NHS England and NHS Improvement (NHSEI)"
    assert _ledger(r["first_undefined_use"]) == (COMMONS, [])  # the Commons Library never spells out NHSEI
    assert [(p["publisher"], p["mentions"]) for p in r["by_publisher"]] == [
        ("House of Commons Library", 3), ("NHS Confederation", 26)]
    assert [s["concept_id"] for s in r["successors"]] == ["nhs-england"]
    assert trace(bundled, "NHSEI").to_json()["concept"]["id"] == "nhsei"


@pytest.mark.e2e
def test_bundled_duplicate_edition_never_counts(bundled):
    from kb.trace import kwic, trace

    r = trace(bundled, "NHSEI").to_json()
    assert "-pdf" not in json.dumps(r)
    assert r["corpus"]["documents"] == 5
    assert [row.doc_id for row in kwic(bundled, "triple aim")] == [COMMONS, COMMONS, BRIEFING]


@pytest.mark.e2e
def test_bundled_cli(bundled_home):
    result = run_kb("trace", "triple aim", home=bundled_home)
    assert result.returncode == 0, result.stderr
    assert SPAN in result.stdout and "«triple aim»" in result.stdout
    wrong = run_kb("trace", "tripple aim", home=bundled_home)
    assert wrong.returncode == 2 and "Did you mean triple aim (triple-aim)" in wrong.stderr
    lines = run_kb("kwic", "provider collaborative", "--width", "25", home=bundled_home).stdout.splitlines()
    assert lines[-1] == "6 line(s)" and lines[0].startswith("2020-11")


def test_library_errors_name_parameters_and_the_cli_names_its_options(home):
    """kb.trace speaks of its parameters; `kb trace`/`kb kwic` re-word the same errors with their flags."""
    from kb.commands.trace import _in_option_terms
    from kb.errors import InvalidArgument, UsageError
    from kb.store import Store
    from kb.trace import kwic, trace

    with Store.open(home / "indexes" / "kb.sqlite") as store:
        for call, field, library, cli_words in (
                (lambda: kwic(store, "ICS", limit=-1), "limit", "limit must be 0 or more.", "--limit must be 0 or more."),
                (lambda: kwic(store, "ICS", width=-1), "width", "width must be 0 or more characters.",
                 "--width must be 0 or more characters."),
                (lambda: trace(store, "ICS", by="week").to_json(), "by", "by must be one of year, month",
                 "Unknown period 'week': use --by year or --by month."),
                (lambda: trace(store, "  ").to_json(), "term", 'e.g. "triple aim"', 'e.g. kb trace "triple aim"')):
            with pytest.raises(InvalidArgument) as raised:
                call()
            assert raised.value.field == field and library in str(raised.value) and "--" not in str(raised.value)
            with pytest.raises(UsageError) as worded, _in_option_terms():
                call()
            assert cli_words in str(worded.value) and not isinstance(worded.value, InvalidArgument)
        with pytest.raises(InvalidArgument, match="Unknown sort 'x'"), _in_option_terms():  # no flag to name: as is
            kwic(store, "ICS", sort="x")
