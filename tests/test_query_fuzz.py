"""Fuzzing the query language: whatever a user types, kb answers or says why not, in one line, quickly.

Thousands of generated queries (words of the bundled corpus, operators, quotes, parentheses, field:value
pairs good and bad, prefixes, dashes, stray punctuation and arbitrary unicode) go through the parser and
through `kb.search.search` in-process on the bundled corpus (indexed once per session), and a few hundred
through the real CLI entry point: never a traceback, only exit status 0, 1 or 2, and every error is one line.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.cli import run
from kb.errors import KbError
from kb.search import load_concepts, search
from kb.search import query as kq

WORDS = ["ics", "ICS", "ICSs", "care", "integrated", "nhs", "NHS", "PCN", "pcns", "of", "the", "and", "or",
         "not", "england", "triple", "aim", "funding", "statutory", "footing", "integrat*", "a*", "*", "**",
         "x*y", "ics's", "A&E", "2020", "-80", "°C", "http://example.org/a:b", "and/or", "heat-transfer", "?",
         ".", ",", ":", "'", "’", "—", "–", "Ünïcödé", "日本語", "\u200b", "\t", "e\u0301"]
SYNTAX = ["AND", "OR", "NOT", "(", ")", '"', "-", "+", "--", "-(", "+(", "NOT(", ")*", "()", '""']
FIELDS = ["concept:ics", "concept:nosuch", 'concept:"integrated care system"', "concept:", "publisher:kings",
          'publisher:"King\'s Fund"', "publisher:Nobody", "year:2020", "year:2019..2021", "year:..2020",
          "year:2020..", "year:..", "year:abc", "year:2021..2019", "date:2020-11..2021-03", "date:2020-13",
          "date:2022-05-17", "doc:kingsfund-integrated-care-our-position-2022", "doc:nosuch", "type:briefing",
          "type:nosuch", "title:reform", "title:the", "bogus:x", "CONCEPT:ics", "concept:(ics", "doc:"]

token = st.one_of(st.sampled_from(WORDS), st.sampled_from(SYNTAX), st.sampled_from(FIELDS),
                  st.text(max_size=6),
                  st.builds(lambda sign, word, star: sign + word + star, st.sampled_from(["", "", "-", "+"]),
                            st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8),
                            st.sampled_from(["", "", "*"])))
queries = st.builds(
    lambda toks, seps: "".join(t + s for t, s in zip(toks, seps, strict=False)),
    st.lists(token, min_size=0, max_size=12),
    st.lists(st.sampled_from([" ", " ", " ", "", "  ", "\n"]), min_size=12, max_size=12),
)
FAST = settings(max_examples=1000, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: No generated query may take longer than this (seconds): anything typed is answered in moments.
SLOWEST_ALLOWED = 5.0


@pytest.fixture(scope="module")
def corpus(bundled_home):
    index_dir = bundled_home / "indexes" / "whoosh"
    return index_dir, load_concepts(bundled_home / "indexes" / "kb.sqlite")


def _one_line(exc: KbError) -> None:
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    assert exc.exit_code in (1, 2)


@FAST
@given(q=queries)
def test_the_parser_answers_or_refuses_in_one_line(q):
    try:
        tree = kq.parse(q)
    except KbError as exc:
        _one_line(exc)
    else:
        kq.render(tree)


@settings(FAST, max_examples=1500)
@given(q=queries, sort=st.sampled_from(["relevance", "relevance", "date", "-date"]),
       group=st.sampled_from([None, None, "doc"]), offset=st.sampled_from([0, 0, 5]))
def test_search_answers_or_refuses_in_one_line(corpus, q, sort, group, offset):
    index_dir, concepts = corpus
    started = time.monotonic()
    try:
        results = search(index_dir, q, concepts=concepts, limit=5, offset=offset, sort=sort, group=group)
    except KbError as exc:
        _one_line(exc)
    else:
        assert len(results.notes) == len(set(results.notes)), results.notes
        assert len(results.hits) <= 5 * (3 if group else 1)
        results.to_json()
    took = time.monotonic() - started
    assert took < SLOWEST_ALLOWED, (q, took)


@settings(FAST, max_examples=150)
@given(q=queries, extra=st.sampled_from([[], ["--json"], ["--csv"], ["--explain"], ["--limit", "2"],
                                         ["--doc", "nosuch"], ["--publisher", "kings"], ["--sort", "-date"]]),
       dash=st.booleans())
def test_the_cli_exits_0_1_or_2_without_a_traceback(bundled_home, q, extra, dash):
    args = ["--home", str(bundled_home), "search", *extra, *(["--"] if dash else []), *q.split()]
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        code = run(args)
        stderr = err.getvalue().decode("utf-8", "replace")
    assert code in (0, 1, 2), (args, code, stderr)
    assert "Traceback" not in stderr
    if code and stderr.startswith("kb: error: "):
        assert len(stderr.strip().splitlines()) == 1, stderr
