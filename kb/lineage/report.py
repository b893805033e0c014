"""Reuse pairs as a reader wants them: which document is earlier, whether the text is boilerplate, the excerpt.

Direction comes from the documents' dates as they are now: the one whose whole date span ends before the
other's begins is the earlier ("dated"); spans that overlap (a report and its response dated only by year) are
put in order of their first possible day ("overlapping"); a pair with an undated document is "undated" (the
dated one, if any, first). Boilerplate is a shared stretch that at least ``BOILERPLATE_DOCS`` documents from at
least ``BOILERPLATE_PUBLISHERS`` publishers hold (licences, copyright lines, standard disclaimers).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Reuse:
    """A stretch of text two documents share: ``earlier`` and ``later`` by date (see ``order``)."""

    earlier: Side
    later: Side
    order: str  # dated | overlapping | undated
    words: int
    similarity: float
    boilerplate: bool
    holders: int  # documents holding this stretch (both of the pair included)
    diff: list[tuple[str, str]] = field(default_factory=list)  # ("=", shared) ("-", earlier only) ("+", later only)

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
    for r in rows:
        docs = holders[(r["a_passage"], r["a_start"], r["a_end"])] | holders[(r["b_passage"], r["b_start"], r["b_end"])]
        docs |= {r["a_doc"], r["b_doc"]}
        publishers = {db_pub if (db_pub := (facts.get(d) or {}).get("publisher")) else f"?{d}" for d in docs}
        is_boilerplate = len(docs) >= BOILERPLATE_DOCS and len(publishers) >= BOILERPLATE_PUBLISHERS
        if boilerplate is not None and is_boilerplate != boilerplate:
            continue
        a, b = _side(r, "a", facts), _side(r, "b", facts)
        order, first = _order(facts.get(a.doc, {}), facts.get(b.doc, {}))
        earlier, later = (a, b) if first == "a" else (b, a)
        if key and key not in (publisher_key(a.publisher or ""), publisher_key(b.publisher or "")):
            continue
        if low and (facts.get(later.doc, {}).get("date_latest") or "") < low:
            continue
        ew, lw = words(earlier.text), words(later.text)
        diff = diff_words([earlier.text[s:e] for s, e in ew.spans], [later.text[s:e] for s, e in lw.spans],
                          list(ew.norm), list(lw.norm))
        out.append(Reuse(earlier, later, order, r["words"], r["similarity"], is_boilerplate, len(docs), diff))
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
    for items in out.values():
        items.sort(key=lambda x: (-x.words, x.doc))
    return out["source"], out["follower"]
