"""The site's lineage blocks: a document page lists its sources and followers, and each reused passage links to
the passage it shares text with; every such link resolves, on pages split into parts too."""

from __future__ import annotations

import random
import re
from pathlib import Path

from test_lineage import LICENCE, edit, paragraph, put, refresh

from kb.site.build import build_site
from kb.site.paths import doc_href
from kb.store import Store


def test_document_pages_link_both_passages_of_a_reuse(tmp_path):
    rng = random.Random(21)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    quoted = paragraph(rng, 4)
    put(store, "report", [paragraph(rng), quoted, LICENCE], published="2021-03", publisher="Committee")
    put(store, "response", [paragraph(rng), "We accept: " + edit(rng, quoted), LICENCE], published="2021-06",
        publisher="Government")
    put(store, "unrelated", [paragraph(rng)], published="2021")
    refresh(store)
    out = tmp_path / "site"
    build_site(store, out, search=False)
    store.close()
    report = (out / doc_href("report")).read_text("utf-8")
    response = (out / doc_href("response")).read_text("utf-8")
    unrelated = (out / doc_href("unrelated")).read_text("utf-8")
    assert "Text taken up by" in report and "Took text from" in response
    assert "Reuse and citations" not in unrelated
    assert "lineage-links" not in unrelated
    links = re.findall(r'<ul class="lineage-links"[^>]*>.*?href="([^"]+)"', report + response)
    assert len(links) == 2  # one per side; the licence notice is boilerplate and links nowhere
    for page, href in ((doc_href("report"), links[0]), (doc_href("response"), links[1])):
        target, _, anchor = href.partition("#")
        html = (out / Path(page).parent / target).resolve().read_text("utf-8")
        assert f'id="{anchor}"' in html
    assert "response-p0002" in links[0] and "report-p0002" in links[1]


def test_document_pages_show_cites_and_cited_by_with_the_citing_passage(tmp_path):
    rng = random.Random(22)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    put(store, "report", [paragraph(rng)], published="2021-03")
    put(store, "response", [paragraph(rng), "We answer the Review Of Care Board Plans here. " + paragraph(rng)],
        published="2021-06")
    with store.transaction():
        store.conn.execute("UPDATE documents SET title='Review of care board plans' WHERE id='report'")
    refresh(store)
    out = tmp_path / "site"
    build_site(store, out, search=False)
    store.close()
    report = (out / doc_href("report")).read_text("utf-8")
    response = (out / doc_href("response")).read_text("utf-8")
    assert "<h3>Cited by</h3>" in report and "<h3>Cites</h3>" not in report
    assert "<h3>Cites</h3>" in response and "Review of care board plans</a>" in response
    href = re.search(r'<a href="([^"]+)">the citing passage, page 1</a>', report).group(1)
    target, _, anchor = href.partition("#")
    assert anchor == "response-p0002-1"
    assert f'id="{anchor}"' in (out / Path(doc_href("report")).parent / target).resolve().read_text("utf-8")
