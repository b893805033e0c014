"""The site's Atom feed (``feed.xml``): what each rebuild added to the knowledge base.

Three kinds of news, each a fact with a stable key, so an entry keeps its id for as long as the fact holds and a
feed reader never shows it twice:

- ``document/<id>/<sha256[:12]>``: a document (or a new version of it) entered the knowledge base;
- ``first/<concept>/<passage>``: where a concept is first used (a new concept, or an older document that moved its
  first appearance earlier: the passage changes, so the key does);
- ``acronym/<short>/<concept>``: an acronym and the meaning the documents define for it.

The feed remembers when it first saw each key in ``.kb-feed.json`` beside the pages (swapped into place with
them, so a failed build changes neither). The first build has nothing to compare with: it records every fact as
known and announces one entry, the knowledge base as it stands; every later build announces the facts it had not
seen, dated by that build. Entries are Atom 1.0 (RFC 4287) with text content only: document text is untrusted,
so it never reaches a feed reader as markup.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from kb.site.paths import concept_href, doc_href

if TYPE_CHECKING:  # pragma: no cover
    from kb.site.gather import SiteData

FEED = "feed.xml"
LEDGER = ".kb-feed.json"
MAX_ENTRIES = 200  # entries the feed lists, newest first; the ledger remembers every current fact
_ATOM = "http://www.w3.org/2005/Atom"
_KINDS = {"knowledge-base": 0, "document": 1, "acronym": 2, "first": 3}
# XML 1.0 cannot carry most control characters, whatever the escaping: drop them from untrusted text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedItem:
    """One piece of news: ``key`` names the fact (and, through the feed's uuid, the entry id)."""

    key: str
    title: str
    href: str  # site-relative
    summary: str

    @property
    def kind(self) -> str:
        return self.key.split("/", 1)[0]


@dataclass
class FeedLedger:
    """When the feed first saw each fact: ``feed_id`` names the feed, ``seen`` maps key -> RFC 3339 time, or ""
    for a fact already known when the feed began (never listed: the first build's one entry stands for them)."""

    feed_id: str
    seen: dict[str, str]
    items: dict[str, dict]  # what an entry still listed says, for facts that no longer hold

    @classmethod
    def load(cls, site_dir: Path) -> FeedLedger | None:
        """The ledger of the site already in ``site_dir``; None when there is none (or it cannot be read)."""
        try:
            raw = json.loads((Path(site_dir) / LEDGER).read_text("utf-8"))
            feed_id = str(uuid.UUID(raw["feed_id"]))
            seen = {str(k): str(v) for k, v in raw["seen"].items()}
            items = {str(k): dict(v) for k, v in raw.get("items", {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return cls(feed_id, seen, items)

    def dumps(self) -> str:
        return json.dumps({"version": 1, "feed_id": self.feed_id, "seen": self.seen, "items": self.items},
                          indent=0, sort_keys=True, ensure_ascii=False)


def feed_items(data: SiteData) -> list[FeedItem]:
    """Every fact the feed can announce, from what the site already gathered (the same trace and glossary)."""
    items = []
    for doc in data.documents:
        if doc.get("duplicate_of"):
            continue
        pages, passages = doc.get("pages", 0), doc.get("passages", 0)
        bits = [doc.get("publisher") or "publisher unknown", doc.get("published") or "undated",
                f"{pages} page{'s' if pages != 1 else ''}", f"{passages} passage{'s' if passages != 1 else ''}"]
        items.append(FeedItem(f"document/{doc['id']}/{(doc.get('sha256') or '')[:12]}",
                              f"New document: {doc['title']}", doc_href(doc["id"]), " · ".join(map(str, bits))))
    for entry in data.glossary:
        for sense in entry.get("senses", []):
            if not sense.get("concept_id"):
                continue
            where = (sense.get("definitions") or [{}])[0]
            summary = f"{entry['short']}: {sense.get('long', '')}"
            if where.get("doc_id"):
                summary += (f". Defined in {where.get('title', where['doc_id'])} ({where.get('published') or 'undated'}),"
                            f" p. {where.get('page')}.")
            items.append(FeedItem(f"acronym/{entry['short']}/{sense['concept_id']}",
                                  f"Acronym: {entry['short']} = {sense.get('long', '')}",
                                  concept_href(sense["concept_id"]), summary))
    for concept in data.concepts:
        trace = data.traces.get(concept.id)
        first = trace.first_use if trace else None
        if not first or not first.passage_id:
            continue
        when = first.published or "undated"
        items.append(FeedItem(
            f"first/{concept.id}/{first.passage_id}",
            f"First appearance of “{concept.label}”: {first.title} ({when})",
            data.passage_href(first.doc_id, first.passage_id),
            f"“{first.sentence or ''}” ({first.publisher or 'publisher unknown'}, {when}, p. {first.page})"))
    return sorted(items, key=lambda i: (_KINDS[i.kind], i.key))


def update_ledger(previous: FeedLedger | None, items: Iterable[FeedItem], now: str, summary: str,
                  feed_id: uuid.UUID | None = None) -> FeedLedger:
    """The ledger after this build: facts seen before keep their time, new ones get ``now``.

    With no previous ledger every fact is recorded as known and one ``knowledge-base`` entry stands for them;
    ``feed_id`` names the new feed (a random one if not given). A
    fact that no longer holds (a removed document, a first appearance moved) is dropped: its entry would link to
    what is gone. So the ledger holds the current facts and that one entry, nothing that grows by itself.
    """
    current = [i.key for i in items]
    if previous is None:
        feed_id = feed_id or uuid.uuid4()
        key = f"knowledge-base/{now}"
        ledger = FeedLedger(str(feed_id), {k: "" for k in current}, {})
        ledger.seen[key] = now
        ledger.items[key] = {"title": "The knowledge base", "href": "index.html", "summary": summary}
        return ledger
    seen = {k: previous.seen.get(k, now) for k in current}
    kept = {k: v for k, v in previous.items.items() if k in previous.seen}
    seen.update({k: previous.seen[k] for k in kept})
    return FeedLedger(previous.feed_id, seen, kept)


def _newest(seen: dict[str, str]) -> list[str]:
    """The keys the feed lists: newest first, a fixed order within one build."""
    order = sorted((k for k in seen if seen[k]), key=lambda k: (_KINDS.get(k.split("/", 1)[0], 9), k))
    return sorted(order, key=lambda k: seen[k], reverse=True)[:MAX_ENTRIES]


def render_feed(ledger: FeedLedger, items: Iterable[FeedItem], title: str, base_url: str = "") -> bytes:
    """The Atom document: the newest ``MAX_ENTRIES`` facts of ``ledger``; links absolute when ``base_url`` is
    known, else relative to the feed (which lies at the site's root)."""
    current = {i.key: i for i in items}
    ET.register_namespace("", _ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = _NOT_XML.sub("", text)
        return el

    root = ET.Element(f"{{{_ATOM}}}feed")
    keys = _newest(ledger.seen)
    sub(root, "id", f"urn:uuid:{ledger.feed_id}")
    sub(root, "title", f"{title}: what is new")
    sub(root, "updated", max((ledger.seen[k] for k in keys), default=_now()))
    sub(sub(root, "author"), "name", title)
    sub(root, "link", rel="self", type="application/atom+xml", href=base_url + FEED)
    sub(root, "link", rel="alternate", type="text/html", href=base_url + "index.html")
    sub(root, "generator", "kb site build")
    for key in keys:
        item = current.get(key)
        fields = ({"title": item.title, "href": item.href, "summary": item.summary} if item is not None
                  else ledger.items.get(key))
        if not fields:
            continue
        entry = sub(root, "entry")
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(uuid.UUID(ledger.feed_id), key)}")
        sub(entry, "title", fields["title"])
        sub(entry, "updated", ledger.seen[key])
        sub(entry, "link", rel="alternate", type="text/html", href=base_url + fields["href"])
        sub(entry, "category", term=key.split("/", 1)[0])
        sub(entry, "summary", fields["summary"], type="text")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def build_feed(data: SiteData, previous: FeedLedger | None, base_url: str = "", now: str | None = None
               ) -> tuple[bytes, bytes]:
    """``(feed.xml, .kb-feed.json)`` for this build, given the ledger of the site it replaces."""
    items = feed_items(data)
    counted = [d for d in data.documents if not d.get("duplicate_of")]
    summary = (f"{len(counted)} documents, {len(data.concepts)} concepts, {len(data.glossary)} acronyms. "
               "Later builds announce what each one adds.")
    # A feed's id follows from the site's address (or title), so a site rebuilt from scratch keeps its entry ids.
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, base_url or f"kb-site:{data.title}")
    ledger = update_ledger(previous, items, now or _now(), summary, feed_id)
    return render_feed(ledger, items, data.title, base_url), ledger.dumps().encode("utf-8")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
