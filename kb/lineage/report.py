"""Reuse pairs as a reader wants them: which document is earlier, whether the text is boilerplate, the excerpt.

Direction comes from the documents' dates as they are now: the one whose whole date span ends before the
other's begins is the earlier ("dated"); spans that overlap (a report and its response dated only by year) are
put in order of their first possible day ("overlapping"); a pair with an undated document is "undated" (the
dated one, if any, first); of two documents with overlapping dates, the one naming the other's title is the later
("cited"). Boilerplate is a shared stretch that at least ``BOILERPLATE_DOCS`` documents from at
least ``BOILERPLATE_PUBLISHERS`` publishers hold, or a short one that reads as a licence, copyright line or
disclaimer (``NOTICE``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.errors import InvalidArgument
from kb.lineage.align import MIN_WORDS, diff_words
from kb.lineage.text import words
from kb.store import lineage as db

if TYPE_CHECKING:
    from kb.store import Store

#: Documents (both of the pair included) that must hold a stretch for it to be boilerplate.
BOILERPLATE_DOCS = 5
#: Distinct publishers among them (an undated or unattributed document counts as its own publisher).
BOILERPLATE_PUBLISHERS = 3
#: A licence, copyright line or disclaimer: a shared stretch this short that says so is boilerplate however few
#: documents hold it.
NOTICE = re.compile(r"licen[cs]e|copyright|\u00a9|all rights reserved|disclaimer|reproduced free of charge|"
                    r"(?:enquiries|queries) (?:about|regarding) this (?:publication|document)", re.I)
NOTICE_WORDS = 120
#: Share of a stretch another pair must cover on the same passage to count as holding the same text.
OVERLAP = 0.5


@dataclass(frozen=True)
class Side:
    """One passage of a pair: its document and where the shared stretch sits."""

    doc: str
    passage: str
    page: int
    title: str
    publisher: str | None
    published: str | None
    start: int  # character offsets of the shared stretch in the passage's text
    end: int
    text: str  # the shared stretch as this document has it


_DIFFS: dict[tuple[str, str, int, int], list[tuple[str, str]]] = {}


@dataclass(frozen=True)
class Reuse:
    """A stretch of text two documents share: ``earlier`` and ``later`` by date (see ``order``)."""

    earlier: Side
    later: Side
    order: str  # dated | cited | overlapping | undated
    words: int
    similarity: float
    boilerplate: bool
    holders: int  # documents holding this stretch (both of the pair included)

    @property
    def diff(self) -> list[tuple[str, str]]:
        """("=", shared), ("-", earlier only), ("+", later only): worked out when asked (a listing shows a few)."""
        cache = _DIFFS.get((self.earlier.passage, self.later.passage, self.earlier.start, self.later.start))
        if cache is None:
            ew, lw = words(self.earlier.text), words(self.later.text)
            cache = diff_words(self.earlier.text, ew.spans, ew.norm, self.later.text, lw.spans, lw.norm)
            if len(_DIFFS) > 10_000:
                _DIFFS.clear()
            _DIFFS[(self.earlier.passage, self.later.passage, self.earlier.start, self.later.start)] = cache
        return cache

    def excerpt(self, limit: int | None = None) -> str:
        """The aligned stretch with the differences marked: [-only in the earlier-] {+only in the later+}."""
        parts, count = [], 0
        for op, text in self.diff:
            if limit is not None and count >= limit:
                parts.append("…")
                break
            piece = text.split()
            if limit is not None and count + len(piece) > limit:
                piece = piece[:max(limit - count, 0)] + ["…"]
            count += len(piece)
            body = " ".join(piece)
            parts.append(body if op == "=" else f"[-{body}-]" if op == "-" else f"{{+{body}+}}")
        return " ".join(parts)


def publisher_key(name: str) -> str:
    """Case-, punctuation- and "The"-insensitive publisher key (as search's publisher filter)."""
    low = re.sub(r"[^\w]+", " ", name.lower().replace("\u2019", "").replace("'", "")).strip()
    return re.sub(r"^the ", "", low)


def find_reuse(store: Store, doc_id: str | None = None, *, publisher: str | None = None, since: str | None = None,
               min_words: int = MIN_WORDS, boilerplate: bool | None = False) -> list[Reuse]:
    """Reuse pairs, longest first: all, or one document's (what it took, who took from it).

    ``publisher`` keeps pairs where either side has that publisher; ``since`` pairs whose later document could
    be published on or after that date; ``boilerplate`` False leaves boilerplate out, True keeps only it, None both.
    """
    from kb.models import PartialDate

    low = None
    if since:
        try:
            low = PartialDate.parse(since).earliest
        except ValueError as exc:
            raise InvalidArgument("since", since, str(exc)) from None
    rows = [r for r in db.pairs(store, doc_id) if r["words"] >= min_words]
    facts = db.document_facts(store, {r["a_doc"] for r in rows} | {r["b_doc"] for r in rows})
    holders = _holders(store, rows)
    key = publisher_key(publisher) if publisher else None
    out = []
    citing: dict[tuple[str, str], tuple[str, str]] = {}
    for r in rows:
        docs = holders[(r["a_passage"], r["a_start"], r["a_end"])] | holders[(r["b_passage"], r["b_start"], r["b_end"])]
        docs |= {r["a_doc"], r["b_doc"]}
        publishers = {db_pub if (db_pub := (facts.get(d) or {}).get("publisher")) else f"?{d}" for d in docs}
        is_boilerplate = (len(docs) >= BOILERPLATE_DOCS and len(publishers) >= BOILERPLATE_PUBLISHERS) or (
            r["words"] <= NOTICE_WORDS and bool(NOTICE.search(r["a_text"][r["a_start"]:r["a_end"]])))
        if boilerplate is not None and is_boilerplate != boilerplate:
            continue
        a, b = _side(r, "a", facts), _side(r, "b", facts)
        order, first = _order(facts.get(a.doc, {}), facts.get(b.doc, {}))
        if order == "overlapping":
            order, first = citing.setdefault((a.doc, b.doc), _by_citation(store, facts, a.doc, b.doc, first))
        earlier, later = (a, b) if first == "a" else (b, a)
        if key and key not in (publisher_key(a.publisher or ""), publisher_key(b.publisher or "")):
            continue
        if low and (facts.get(later.doc, {}).get("date_latest") or "") < low:
            continue
        out.append(Reuse(earlier, later, order, r["words"], r["similarity"], is_boilerplate, len(docs)))
    out.sort(key=lambda x: (-x.words, x.earlier.passage, x.later.passage))
    return out


def _side(r: dict, x: str, facts: dict[str, dict]) -> Side:
    doc = facts.get(r[f"{x}_doc"], {})
    text = r[f"{x}_text"]
    start, end = r[f"{x}_start"], r[f"{x}_end"]
    return Side(r[f"{x}_doc"], r[f"{x}_passage"], r[f"{x}_page"], doc.get("title") or r[f"{x}_doc"],
                doc.get("publisher"), doc.get("published"), start, end, text[start:end])


def _order(a: dict, b: dict) -> tuple[str, str]:
    """("dated" | "overlapping" | "undated", "a" | "b": which is earlier)."""
    a0, a1, b0, b1 = a.get("date_earliest"), a.get("date_latest"), b.get("date_earliest"), b.get("date_latest")
    if not a0 or not b0:
        return "undated", "b" if (b0 and not a0) else "a"
    if a1 and a1 < b0:
        return "dated", "a"
    if b1 and b1 < a0:
        return "dated", "b"
    return "overlapping", "b" if (b0, b1 or "") < (a0, a1 or "") else "a"


def _by_citation(store: Store, facts: dict[str, dict], a: str, b: str, first: str) -> tuple[str, str]:
    """Order two documents whose dates overlap: the one that names the other's title (a response naming the
    report it answers) is the later ("cited"); else as the dates' first possible days put them ("overlapping")."""
    a_names_b = names_title(store, a, facts.get(b, {}).get("title") or "")
    b_names_a = names_title(store, b, facts.get(a, {}).get("title") or "")
    if a_names_b != b_names_a:
        return "cited", "b" if a_names_b else "a"
    return "overlapping", first


def names_title(store: Store, doc_id: str, title: str) -> bool:
    """Whether a document names this title, or its main part (before a colon), when that has four words or more:
    of two documents whose dates overlap, the one naming the other's title is the later (a response naming the
    report it answers). The reuse report and the trace's ledger order such documents by it."""
    main = " ".join(re.split(r"[:\u2013\u2014]| - ", title)[0].lower().split())
    return len(main.split()) >= 4 and db.names(store, doc_id, main)


def _holders(store: Store, rows: list[dict]) -> dict[tuple[str, int, int], set[str]]:
    """(passage, start, end) of each pair's stretch -> the other documents holding most of that stretch."""
    regions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for passage, start, end, other in db.pair_regions(store, {r["a_passage"] for r in rows} |
                                                              {r["b_passage"] for r in rows}):
        regions[passage].append((start, end, other))
    out: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for r in rows:
        for x in ("a", "b"):
            start, end = r[f"{x}_start"], r[f"{x}_end"]
            span = max(end - start, 1)
            out[(r[f"{x}_passage"], start, end)] |= {
                other for s, e, other in regions[r[f"{x}_passage"]] if (min(e, end) - max(s, start)) >= OVERLAP * span}
    return out


@dataclass(frozen=True)
class Relative:
    """A document that one document took text from (a source) or that took text from it (a follower)."""

    doc: str
    title: str
    published: str | None
    pairs: int
    words: int  # shared words over all its pairs with the document


def relatives(reuses: list[Reuse], doc_id: str) -> tuple[list[Relative], list[Relative]]:
    """(sources, followers) of ``doc_id`` among ``reuses``, most shared words first."""
    groups: dict[tuple[str, str], list[Reuse]] = defaultdict(list)
    for r in reuses:
        if r.later.doc == doc_id and r.earlier.doc != doc_id:
            groups[("source", r.earlier.doc)].append(r)
        elif r.earlier.doc == doc_id and r.later.doc != doc_id:
            groups[("follower", r.later.doc)].append(r)
    out: dict[str, list[Relative]] = {"source": [], "follower": []}
    for (role, other), items in groups.items():
        side = items[0].earlier if role == "source" else items[0].later
        out[role].append(Relative(other, side.title, side.published, len(items), sum(r.words for r in items)))
    for found in out.values():
        found.sort(key=lambda x: (-x.words, x.doc))
    return out["source"], out["follower"]


@dataclass
class DocumentLineage:
    """One document's reuse for `kb show` (boilerplate left out): its sources and followers, and per passage
    which earlier passage it took text from and which later passages took text from it."""

    doc_id: str
    sources: list[Relative]
    followers: list[Relative]
    links: dict[str, list[tuple[str, Side, Reuse]]]  # passage id -> ("from" | "by", the other passage, the pair)

    def summary_lines(self) -> list[str]:
        """The document-level lines: "took text from" and "text taken up by", most shared words first."""
        out = []
        for label, items in (("took from", self.sources), ("reused by", self.followers)):
            for rel in items:
                out.append(f"  {label:<10} {rel.doc} ({rel.published or 'undated'}): {rel.words:,} shared words in "
                           f"{rel.pairs} passage{'s' if rel.pairs != 1 else ''}")
                label = ""
        return out

    def notes(self, passage_id: str) -> list[str]:
        """One line per link of a passage: where its text came from, or where it went."""
        return [f"{'taken from' if role == 'from' else 'taken up by'} {s.doc} p. {s.page} [{s.passage}]: "
                f"{r.words} words, similarity {r.similarity:.2f}" + ("" if r.order == "dated" else f" ({r.order})")
                for role, s, r in self.links.get(passage_id, [])]

    def as_json(self) -> dict:
        """`kb show --json`'s "lineage" key (schema in docs/lineage.md)."""
        def rel(x: Relative) -> dict:
            return {"doc": x.doc, "title": x.title, "published": x.published, "pairs": x.pairs, "words": x.words}

        return {"sources": [rel(x) for x in self.sources], "followers": [rel(x) for x in self.followers],
                "passages": {pid: [{"relation": "source" if role == "from" else "follower", "doc": s.doc,
                                    "passage": s.passage, "page": s.page, "words": r.words,
                                    "similarity": r.similarity, "order": r.order}
                                   for role, s, r in items] for pid, items in sorted(self.links.items())}}


def document_lineage(store: Store, doc_id: str) -> DocumentLineage:
    """The reuse one document takes part in, as `kb show` and the site show it."""
    found = find_reuse(store, doc_id)
    sources, followers = relatives(found, doc_id)
    links: dict[str, list[tuple[str, Side, Reuse]]] = defaultdict(list)
    for r in found:
        if r.later.doc == doc_id and r.earlier.doc != doc_id:
            links[r.later.passage].append(("from", r.earlier, r))
        elif r.earlier.doc == doc_id and r.later.doc != doc_id:
            links[r.earlier.passage].append(("by", r.later, r))
    return DocumentLineage(doc_id, sources, followers, dict(links))


def reuse_note(store: Store, passage_id: str, sentence: str) -> str | None:
    """For a quoted sentence (a trace's first appearance): whether it sits in text this passage took from an
    earlier document, or that later documents took from it, and from or by whom; None when neither."""
    passage = store.passage(passage_id)
    if passage is None:
        return None
    at = " ".join(passage.text.split()).find(" ".join(sentence.split()))
    flat_to_raw = [i for i, ch in enumerate(passage.text) if not ch.isspace() or (i and not passage.text[i - 1].isspace())]
    start = flat_to_raw[at] if 0 <= at < len(flat_to_raw) else 0
    end = start + len(sentence)
    took: list[str] = []
    given: list[str] = []
    for r in find_reuse(store, passage.doc_id):
        own, other, mine = (r.later, r.earlier, took) if r.later.passage == passage_id else \
            (r.earlier, r.later, given) if r.earlier.passage == passage_id else (None, None, None)
        if own is None or other is None or mine is None:
            continue
        if min(end, own.end) - max(start, own.start) >= 0.5 * (end - start):
            mine.append(f"{other.title} ({other.published or 'undated'}), p. {other.page} [{other.passage}]"
                        + ("" if r.order == "dated" else f", {r.order}"))
    if took:
        return "in text taken from " + "; ".join(took)
    if given:
        return f"in text taken up by {len(given)} later passage{'s' if len(given) != 1 else ''}: " + "; ".join(given)
    return None
