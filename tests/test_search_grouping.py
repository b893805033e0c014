"""Grouping, date sorting and option edge cases of `kb search` on the bundled corpus."""

import json

from conftest import run_kb


def search_json(home, *args):
    result = run_kb("search", "--json", *args, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_group_doc_ranks_every_matching_document_with_its_best_passages(bundled_home):
    data = search_json(bundled_home, "integrated care", "--group", "doc", "--limit", "10")
    docs = list(dict.fromkeys(h["doc_id"] for h in data["hits"]))
    assert len(docs) == 5  # every (non-duplicate) document uses the words
    for doc in docs:
        ranks = {h["rank"] for h in data["hits"] if h["doc_id"] == doc}
        assert len(ranks) == 1  # passages of a document share its rank
        assert 1 <= sum(h["doc_id"] == doc for h in data["hits"]) <= 3
    assert sorted({h["rank"] for h in data["hits"]}) == [1, 2, 3, 4, 5]
    page2 = search_json(bundled_home, "integrated care", "--group", "doc", "--limit", "2", "--offset", "2")
    assert list(dict.fromkeys(h["doc_id"] for h in page2["hits"])) == docs[2:4]
    assert {h["rank"] for h in page2["hits"]} == {3, 4}


def test_sorting_by_date_orders_hits_and_reports_no_fake_score(bundled_home):
    data = search_json(bundled_home, "integrated care", "--sort", "date", "--limit", "50")
    dates = [h["published"] for h in data["hits"]]
    assert dates[0] == "2020" and dates[-1] == "2022-05-17"
    assert all(h["score"] is None for h in data["hits"])
    newest = search_json(bundled_home, "integrated care", "--sort", "-date", "--limit", "1")
    assert newest["hits"][0]["published"] == "2022-05-17"
    relevance = search_json(bundled_home, "integrated care", "--limit", "1")
    assert isinstance(relevance["hits"][0]["score"], float)


def test_a_query_may_start_with_a_minus(bundled_home):
    result = run_kb("search", "-nhs", "care", home=bundled_home)
    assert result.returncode == 0, result.stderr
    assert "matching passage" in result.stdout


def test_empty_filters_are_errors_not_silently_dropped(bundled_home):
    for args in (["care", "--concept", ""], ["care", "--publisher", " "], ["concept:"], ["care year:"]):
        result = run_kb("search", *args, home=bundled_home)
        assert result.returncode == 2, args
        assert "needs a value" in result.stderr and "Traceback" not in result.stderr


def test_words_that_look_like_short_options_are_query_words(bundled_home):
    for word in ("-health", "-nhs"):
        result = run_kb("search", "--json", word, "care", home=bundled_home)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["query"] == f"{word} care"
