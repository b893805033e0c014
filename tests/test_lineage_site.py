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
    assert "Text shared with other documents" not in unrelated
    assert "lineage-links" not in unrelated
    links = re.findall(r'<ul class="lineage-links"[^>]*>.*?href="([^"]+)"', report + response)
    assert len(links) == 2  # one per side; the licence notice is boilerplate and links nowhere
    for page, href in ((doc_href("report"), links[0]), (doc_href("response"), links[1])):
        target, _, anchor = href.partition("#")
        html = (out / Path(page).parent / target).resolve().read_text("utf-8")
        assert f'id="{anchor}"' in html
    assert "response-p0002" in links[0] and "report-p0002" in links[1]
