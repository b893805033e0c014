"""`kb search` end to end on the bundled corpus, ingested once per session by the real CLI."""

import json

import pytest
from conftest import run_kb

pytestmark = pytest.mark.e2e


def search_json(home, *args):
    r = run_kb("search", *args, "--json", "--limit", "50", home=home)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_triple_aim_finds_the_two_documents_that_use_it_with_pages(bundled_home):
    data = search_json(bundled_home, '"triple aim"')
    assert {(h["doc_id"], h["page"]) for h in data["hits"]} >= {
        ("commons-library-nhs-reform-icss-2020", 1),
        ("nhsconfed-integrating-care-next-steps-briefing-2020", 1),
    }
    assert {h["doc_id"] for h in data["hits"]} == {
        "commons-library-nhs-reform-icss-2020", "nhsconfed-integrating-care-next-steps-briefing-2020"}
    assert all("<mark>triple aim</mark>" in " ".join(h["fragments"]).lower() for h in data["hits"])


def test_duplicate_pdf_edition_is_never_a_hit(bundled_home):
    data = search_json(bundled_home, "integrated care systems")
    assert data["total"] > 0
    assert not any(h["doc_id"].endswith("-pdf") for h in data["hits"])


def test_acronym_finds_long_form_on_the_bundled_corpus(bundled_home):
    data = search_json(bundled_home, "PCN")
    texts = " ".join(h["text"] for h in data["hits"]).lower()
    assert "primary care networks" in texts
    assert any("also matches concept" in n for n in data["notes"])


def test_publisher_filter_with_the_kings_fund(bundled_home):
    data = search_json(bundled_home, 'integration publisher:"King\'s Fund"')
    assert data["hits"] and {h["doc_id"] for h in data["hits"]} == {"kingsfund-integrated-care-our-position-2022"}


def test_date_filter_on_partial_dates(bundled_home):
    data = search_json(bundled_home, "statutory date:2022")
    assert {h["published"][:4] for h in data["hits"]} <= {"2022"}
