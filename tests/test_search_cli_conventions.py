"""`kb search` follows click's conventions and stays bounded, on the bundled corpus (issue 12).

Unknown options are usage errors with click's suggestion, -h is help, a query word may still start with "-"
(and anything goes after --); huge or deeply nested queries are turned down in one line, repeated notes are
said once, and unknown filter values name the closest known ones, the same for options and query fields.
"""

from __future__ import annotations

import time

import pytest
from conftest import run_kb


def one_line_error(r, code: int = 2) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: "), r.stderr
    return lines[0]


@pytest.mark.parametrize("args, wrong, right", [
    (["--lmit", "3", "ics"], "--lmit", "--limit"),
    (["ics", "--jsn"], "--jsn", "--json"),
    (["ics", "--publisher=x", "--explian"], "--explian", "--explain"),
])
def test_an_unknown_option_is_a_usage_error_with_a_suggestion(bundled_home, args, wrong, right):
    r = run_kb("search", *args, home=bundled_home)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert f"No such option '{wrong}'" in r.stderr and "Did you mean" in r.stderr and f"'{right}'" in r.stderr


def test_a_one_dash_option_name_is_taken_for_a_typo_and_says_how_to_search_it(bundled_home):
    r = run_kb("search", "ics", "-json", home=bundled_home)
    assert r.returncode == 2 and "No such option '-json'. Did you mean '--json'?" in r.stderr and "after --" in r.stderr
    assert run_kb("search", "--", "ics", "-json", home=bundled_home).returncode == 0


def test_h_is_help_and_after_double_dash_it_is_a_query_word(bundled_home):
    short, long = run_kb("search", "-h"), run_kb("search", "--help")
    assert short.returncode == 0 and short.stdout == long.stdout and "kb search -- " in short.stdout
    r = run_kb("search", "--limit", "1", "--", "-h", home=bundled_home)
    assert r.returncode == 0 and "matching passage" in r.stdout


def test_option_values_may_start_with_a_dash(bundled_home):
    r = run_kb("search", "ics", "--sort", "-date", "--limit", "1", "--json", home=bundled_home)
    assert r.returncode == 0, r.stderr
    assert '"sort": "-date"' in r.stdout


def test_documented_csv_flag_works_for_search_trace_and_kwic(bundled_home):
    r = run_kb("search", '"statutory footing"', "--csv", home=bundled_home)
    assert r.returncode == 0 and r.stdout.startswith("rank,score,passage_id,")
    assert "no passage contains 'csv'" not in r.stdout + r.stderr
    for cmd in ("trace", "kwic"):
        r = run_kb(cmd, "ICS", "--csv", home=bundled_home)
        assert r.returncode == 0 and r.stdout.count(",") > 5, cmd
    assert "Choose one output format" in one_line_error(run_kb("search", "ics", "--json", "--csv", home=bundled_home))


def test_nesting_deeper_than_the_limit_is_one_line(bundled_home):
    line = one_line_error(run_kb("search", "(" * 200 + "ics" + ")" * 200, home=bundled_home))
    assert "32 levels" in line
    line = one_line_error(run_kb("search", "NOT " * 100 + "ics", home=bundled_home))
    assert "32 levels" in line
    assert run_kb("search", "(" * 30 + "ics OR nhs" + ")" * 30, "--limit", "1", home=bundled_home).returncode == 0


@pytest.mark.parametrize("query", [
    " OR ".join(f"word{i}" for i in range(5000)),
    " AND ".join(["ics"] * 3000),
])
def test_more_words_than_the_limit_is_one_line_and_quick(bundled_home, query):
    started = time.monotonic()
    line = one_line_error(run_kb("search", query, home=bundled_home))
    assert "the limit is 1,000" in line
    assert time.monotonic() - started < 10


def test_a_word_repeated_up_to_the_limit_is_noted_once_and_quick(bundled_home):
    started = time.monotonic()
    r = run_kb("search", " AND ".join(["ics"] * 1000), "--limit", "2", home=bundled_home)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("note: ") == 1 and "note: ics also matches concept ics" in r.stdout
    assert time.monotonic() - started < 10


def test_many_missing_words_give_a_few_notes_quickly(bundled_home):
    started = time.monotonic()
    r = run_kb("search", " OR ".join(f"word{i}" for i in range(1000)), home=bundled_home)
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stdout.splitlines() if line.startswith("note: ")]
    assert len(notes) <= 6 and "995 more of the query's words" in notes[-1]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("option, field, needle", [
    (["--doc", "nosuch"], "doc:nosuch", "No document 'nosuch'."),
    (["--doc", "kingsfund-2022"], "doc:kingsfund-2022",
     "Did you mean kingsfund-integrated-care-our-position-2022?"),
    (["--publisher", "Nobody"], "publisher:Nobody", "No publisher 'Nobody' in the index. Known: "),
    (["--publisher", "kingsfund"], "publisher:kingsfund", "Did you mean kings fund?"),
    (["--type", "nosuch"], "type:nosuch", "No document type 'nosuch' in the index. Known: "),
    (["--type", "brefing"], "type:brefing", "Did you mean briefing"),
    (["--concept", "nosuch"], "concept:nosuch", "No concept 'nosuch'."),
    (["--concept", "integrated care sytem"], 'concept:"integrated care sytem"', "Did you mean integrated care system (ics)"),
])
def test_unknown_filter_values_name_the_closest_known_ones(bundled_home, option, field, needle):
    by_option = one_line_error(run_kb("search", "care", *option, home=bundled_home))
    by_field = one_line_error(run_kb("search", f"care {field}", home=bundled_home))
    assert needle in by_option and needle in by_field
    if option[0] != "--concept":
        assert by_option == by_field


def test_known_filter_values_still_filter(bundled_home):
    for args in (["--doc", "kingsfund-integrated-care-our-position-2022"], ["--publisher", "kings"],
                 ["--type", "briefing"], ["publisher:\"The King's Fund\""]):
        r = run_kb("search", "care", *args, "--limit", "1", home=bundled_home)
        assert r.returncode == 0 and "(showing 1-1)" in r.stdout, (args, r.stderr)


def test_a_lower_case_stop_word_is_never_an_acronym(bundled_home):
    r = run_kb("search", "of", home=bundled_home)
    assert "Nothing searchable is left of the query (ignored: of (stop word))" in one_line_error(r)
    r = run_kb("search", "pcn", "--limit", "1", home=bundled_home)
    assert "note: pcn also matches concept pcn (primary care network)" in r.stdout


@pytest.mark.parametrize("args", [["ics", "--publisher"], ["--limit"], ["ics", "--sort"]])
def test_an_option_without_its_value_says_so(bundled_home, args):
    r = run_kb("search", *args, home=bundled_home)
    assert r.returncode == 2 and f"Option '{args[-1]}' requires an argument." in r.stderr
