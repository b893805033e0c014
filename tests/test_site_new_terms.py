"""The site's "New terms" pages: one per year, the same terms and first appearances as `kb emerging`, each
linking to the passage of its first use, with a trend per 10,000 words and the note on what keyness cannot show."""

from __future__ import annotations

import html
import random
import re

import pytest
from test_emerging import corpus, put

from kb.nlp.phrases import update_term_counts
from kb.site.build import build_site
from kb.store import Store
from kb.trace.emerging import NOTE, emerging


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("newterms")
    store = Store.open(root / "kb.sqlite", create=True)
    for doc in corpus(random.Random(5)):
        put(store, *doc)
    with store.transaction():
        update_term_counts(store)
    out = root / "site"
    build_site(store, out, search=False)
    yield store, out
    store.close()


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>(.*?)</td>", page, flags=re.S)


def test_each_year_after_the_first_has_a_page_and_the_overview_links_them(built):
    _, out = built
    overview = (out / "new-terms.html").read_text("utf-8")
    years = re.findall(r'<li><a href="new-terms/(\d{4})\.html"', overview)
    assert years == ["2023", "2022", "2021", "2020", "2019"]  # newest first; 2018 has nothing before it
    assert sorted(p.name for p in (out / "new-terms").iterdir()) == [f"{y}.html" for y in sorted(years)]
    assert NOTE in html.unescape(overview)
    assert "1 undated document belongs to no year and is left out." in overview
    assert 'href="new-terms.html"' in (out / "index.html").read_text("utf-8")  # in every page's navigation


def test_a_year_lists_what_kb_emerging_lists_and_links_each_first_use(built):
    store, out = built
    page = (out / "new-terms" / "2022.html").read_text("utf-8")
    expected = emerging(store, "2022", "2022", against=("2018", "2021"), limit=30).terms
    assert expected and expected[0].term == "virtual wards"
    shown = [html.unescape(re.sub(r"<[^>]+>", "", r.split("<br>")[0])) for r in _rows(page)]
    assert shown == [t.term for t in expected]
    first = expected[0].first
    assert first is not None
    link = re.search(r'<a href="\.\./(documents/[^"#]+)#([^"]+)">' + re.escape(first.title), page)
    assert link and link.group(2) == first.passage_id
    assert f'id="{first.passage_id}"' in (out / link.group(1)).read_text("utf-8")
    assert "<mark>virtual wards</mark>" in page
    trend = re.search(r'<svg class="spark".*?<title id="[^"]+">([^<]+)</title>', page, flags=re.S)
    assert trend and trend.group(1).startswith("Uses of virtual wards per 10,000 words, per year: 2018: 0; ")
