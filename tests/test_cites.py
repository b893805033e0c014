"""kb cites: a passage naming another document of the corpus (title, URL, paper number) links the two."""

from __future__ import annotations

import json
import random

from test_lineage import paragraph, put

from kb.lineage.cites import find_citations
from kb.store import Store


def _titled(store: Store, doc_id: str, title: str, url: str | None = None) -> None:
    with store.transaction():
        store.conn.execute("UPDATE documents SET title=?, url=? WHERE id=?", (title, url, doc_id))


def _store(tmp_path):
    rng = random.Random(3)
    store = Store.open(tmp_path / "indexes" / "kb.sqlite", create=True)
    put(store, "report", ["Presented to Parliament by Command of His Majesty. CP 812. " + paragraph(rng),
                          "The Care Board Review of Plans looks at " + paragraph(rng)])
    _titled(store, "report", "The Care Board Review of Plans: final report and recommendations", "https://example.org/review")
    put(store, "response", ["Government response to the care\nboard review of plans. " + paragraph(rng),
                            paragraph(rng) + " See example.org/review for the full text.",
                            "As set out in CP 812, " + paragraph(rng)])
    _titled(store, "response", "Government response")
    put(store, "annual", ["Our annual report says little. " + paragraph(rng)])
    _titled(store, "annual", "Annual report")
    put(store, "other", ["The annual report of the trust and " + paragraph(rng)])
    return store


def test_titles_urls_and_paper_numbers_link_both_ways(tmp_path):
    store = _store(tmp_path)
    found = find_citations(store)
    assert {(c.citing_doc, c.cited_doc, c.how) for c in found} == {
        ("response", "report", "title"), ("response", "report", "url"), ("response", "report", "number")}
    assert {c.citing_passage for c in found} == {"response-p0001-1", "response-p0002-1", "response-p0003-1"}
    assert all(c.cited_doc != c.citing_doc for c in found)
    assert find_citations(store, "report") == found == find_citations(store, "response")
    assert find_citations(store, "annual") == []  # a two-word title names nothing
    store.close()


def test_the_command_prints_json(tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    _store(tmp_path).close()
    (tmp_path / "corpus").mkdir()
    out = CliRunner().invoke(cli, ["--home", str(tmp_path), "cites", "report", "--json"], env={"NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {(d["citing"]["doc"], d["cited"]["doc"], d["how"]) for d in data} == {
        ("response", "report", "title"), ("response", "report", "url"), ("response", "report", "number")}
    text = CliRunner().invoke(cli, ["--home", str(tmp_path), "cites", "report"], env={"NO_COLOR": "1"})
    assert "Cited by" in text.output and "Cites\n" not in text.output
