"""The site's Atom feed: read back by a feed parser after rebuilds, new facts only, never an entry twice."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from conftest import run_kb
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import UsageError
from kb.project import load_settings
from kb.site.feed import FeedItem, FeedLedger, render_feed, update_ledger

ATOM = "{http://www.w3.org/2005/Atom}"

CATALOG = """
[[document]]
file = "{name}.txt"
id = "{name}"
title = "{title}"
publisher = "{publisher}"
published = "{published}"
"""


def _write(home: Path, name: str, title: str, publisher: str, published: str, text: str) -> None:
    (home / "corpus" / f"{name}.txt").write_text(textwrap.dedent(text), "utf-8")
    with (home / "corpus" / "catalog.toml").open("a", encoding="utf-8") as f:
        f.write(CATALOG.format(name=name, title=title, publisher=publisher, published=published))


_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def atom_problems(root: ET.Element) -> list[str]:
    """What breaks a MUST of RFC 4287 (sections 4.1.1-4.2) in the parts of Atom kb writes."""
    problems = []

    def one(el: ET.Element, tag: str, where: str) -> None:
        found = el.findall(f"{ATOM}{tag}")
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} atom:{tag}, must be 1")
        elif tag == "updated" and not _RFC3339.fullmatch(found[0].text or ""):
            problems.append(f"{where}: updated {found[0].text!r} is not an RFC 3339 date-time")
        elif tag == "id" and not re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", found[0].text or ""):
            problems.append(f"{where}: id {found[0].text!r} is not an IRI")

    if root.tag != f"{ATOM}feed":
        return [f"root element {root.tag}"]
    for tag in ("id", "title", "updated"):
        one(root, tag, "feed")
    entries = root.findall(f"{ATOM}entry")
    if not root.findall(f"{ATOM}author") and any(not e.findall(f"{ATOM}author") for e in entries):
        problems.append("feed without atom:author has an entry without one")
    for n, entry in enumerate(entries):
        for tag in ("id", "title", "updated"):
            one(entry, tag, f"entry {n}")
        alternates = [x for x in entry.findall(f"{ATOM}link") if x.get("rel", "alternate") == "alternate"]
        if not alternates and entry.find(f"{ATOM}content") is None:
            problems.append(f"entry {n}: neither content nor an alternate link")
        if len({(x.get("type"), x.get("hreflang")) for x in alternates}) != len(alternates):
            problems.append(f"entry {n}: two alternate links of one type and language")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("two entries share an id")
    return problems


def _build(home: Path) -> feedparser.FeedParserDict:
    for args in (("ingest", "-q"), ("site", "build", "--no-search")):
        result = run_kb(*args, home=home)
        assert result.returncode == 0, result.stdout + result.stderr
    assert atom_problems(ET.parse(home / "site" / "feed.xml").getroot()) == []
    feed = feedparser.parse((home / "site" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def home(tmp_path) -> Path:
    result = run_kb("init", str(tmp_path / "p"), "--title", "Feed test")
    assert result.returncode == 0, result.stderr
    return tmp_path / "p"


def test_a_rebuild_announces_what_it_added_and_nothing_twice(home):
    _write(home, "plan-2021", "A plan for places", "Board A", "2021-06",
           """\
           Integrated neighbourhood teams will work across each place.
           Integrated neighbourhood teams bring nurses and social workers together.
           """)
    first = _build(home)
    assert [e.title for e in first.entries] == ["The knowledge base"]
    baseline = first.entries[0]

    # An older document arrives, defining an acronym and using the earlier document's phrase first.
    _write(home, "review-2019", "An older review", "Board B", "2019-03",
           """\
           The zebra quality register (ZQR) records every team's results.
           Integrated neighbourhood teams were first tried in two towns.
           """)
    second = _build(home)
    ids = [e.id for e in second.entries]
    assert len(ids) == len(set(ids))
    titles = [e.title for e in second.entries]
    assert "New document: An older review" in titles
    assert "Acronym: ZQR = zebra quality register" in titles
    assert "New document: A plan for places" not in titles  # known before the feed began
    assert titles[-1] == "The knowledge base"  # the oldest entry, with its id and time unchanged
    assert (second.entries[-1].id, second.entries[-1].updated) == (baseline.id, baseline.updated)
    new = [e for e in second.entries if e.id != baseline.id]
    assert {e.updated for e in new} == {second.feed.updated} and second.feed.updated >= baseline.updated
    doc = next(e for e in new if e.title == "New document: An older review")
    assert doc.link == "documents/review-2019.html" and doc.summary == "Board B · 2019-03 · 1 page · 1 passage"
    assert (home / "site" / doc.link).is_file()
    for e in new:  # every link leads to a page of the site
        assert (home / "site" / e.link.partition("#")[0]).is_file(), e.link

    # Nothing new: the feed is byte for byte the same.
    before = (home / "site" / "feed.xml").read_bytes()
    _build(home)
    assert (home / "site" / "feed.xml").read_bytes() == before

    # A removed document's entries go (their links would lead nowhere); the rest keep their ids.
    (home / "corpus" / "review-2019.txt").unlink()
    third = _build(home)
    assert "New document: An older review" not in [e.title for e in third.entries]
    assert baseline.id in [e.id for e in third.entries]


def test_document_text_stays_text_in_the_feed(home):
    _write(home, "first", "First", "Board", "2020", "Integrated neighbourhood teams.\n")
    _build(home)
    _write(home, "hostile", "Plan <script>alert(1)</script> & more \\u0007bell", "Board & Co", "2022",
           "The <b>board</b> met. Integrated neighbourhood teams were discussed.\n")
    _write(home, "later", "Later <img src=x onerror=alert(1)>", "Board", "2023",
           "Integrated neighbourhood teams again.\n")
    feed = _build(home)
    feed_xml = home / "site" / "feed.xml"
    assert "\x07" not in feed_xml.read_text("utf-8")  # XML cannot carry it: dropped, so the file stays well-formed
    root = ET.parse(feed_xml).getroot()
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert "New document: Plan <script>alert(1)</script> & more bell" in titles  # text, escaped by the writer
    assert "New document: Later <img src=x onerror=alert(1)>" in titles
    assert all(s.get("type") == "text" for s in root.iter(f"{ATOM}summary"))
    assert len(feed.entries) == len(titles)


def test_the_published_address_makes_links_absolute(home):
    settings_file = home / "kb.toml"
    settings_file.write_text(settings_file.read_text("utf-8").replace(
        '# url = "https://example.org/policy-kb/"', 'url = "https://example.org/policy-kb"'), "utf-8")
    _write(home, "a", "A", "B", "2020", "Integrated neighbourhood teams.\n")
    feed = _build(home)
    assert feed.feed.links[0].href == "https://example.org/policy-kb/feed.xml"
    assert feed.entries[0].link == "https://example.org/policy-kb/index.html"


def test_a_url_that_is_not_an_address_is_a_clear_error(tmp_path):
    path = tmp_path / "kb.toml"
    path.write_text('title = "T"\nurl = "example.org"\n', "utf-8")
    with pytest.raises(UsageError, match="url must be the http"):
        load_settings(path)


# -- the ledger over many builds --------------------------------------------------------------------------------
_KEYS = [f"{kind}/{n}" for kind in ("document", "acronym", "first") for n in range(8)]


def _items(keys: set[str]) -> list[FeedItem]:
    return [FeedItem(k, f"title {k}", f"{k}.html", f"summary of {k} <b>&</b>") for k in sorted(keys)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.sampled_from(_KEYS)), min_size=1, max_size=7))
def test_over_any_sequence_of_builds_each_fact_is_announced_once(builds):
    """Each build's facts are a random set. The feed lists exactly the facts that hold now and did not hold
    without a break since the first build, each dated by the build from which it has held; a fact's entry id
    never changes; ids never repeat within a feed; the first build's one entry stays."""
    ledger: FeedLedger | None = None
    ids: dict[str, str] = {}
    for n, facts in enumerate(builds):
        ledger = update_ledger(ledger, _items(facts), _time(n), "summary")
        root = ET.fromstring(render_feed(ledger, _items(facts), "T"))
        assert atom_problems(root) == []
        entries = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"))
                   for e in root.iter(f"{ATOM}entry")]
        assert len({i for _, i, _ in entries}) == len(entries)
        listed = {t.removeprefix("title "): (i, u) for t, i, u in entries if t != "The knowledge base"}
        assert [(t, u) for t, _, u in entries if t == "The knowledge base"] == [("The knowledge base", _time(0))]
        expected = {k: _time(_held_since(builds, n, k)) for k in facts if _held_since(builds, n, k) > 0}
        assert {k: u for k, (_, u) in listed.items()} == expected
        for key, (entry_id, _) in listed.items():
            assert ids.setdefault(key, entry_id) == entry_id


def _time(n: int) -> str:
    return f"2026-01-{n + 1:02d}T00:00:00Z"


def _held_since(builds: list[set[str]], n: int, key: str) -> int:
    """The build from which ``key`` has held without a break up to build ``n``."""
    start = n
    while start > 0 and key in builds[start - 1]:
        start -= 1
    return start
