"""Citations between documents of the corpus (`kb cites`): a passage that names another document by its title,
its URL or its command-paper, House of Commons paper or ISBN number links the two, both ways.

A document's names: the main part of its title (before a colon or dash) when that has at least ``TITLE_WORDS``
words besides a leading article, so "Annual report" or "The Networked Data Lab" (a series) names nothing; its URL without the scheme; and the paper numbers printed in its first
``OPENING`` passages (cover and imprint), earlier there than in any other document. A name found in another document's passage, case and line breaks
ignored, is a citation; a document never cites itself. Read from the store when asked, never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.store import lineage as db

if TYPE_CHECKING:
    from kb.store import Store

TITLE_WORDS = 4
OPENING = 5
#: Paper numbers: command papers (CP 123, Cm 9876), House of Commons papers (HC 1234), ISBNs.
NUMBER = re.compile(r"\b(?:CP|Cm|Cmnd|HC) ?\d{2,5}\b|\bISBN(?:-1[03])?:? ?[\d-]{10,17}[\dX]\b")


@dataclass(frozen=True)
class Citation:
    """``citing`` (a passage of one document) names ``cited`` (another document) by ``how`` (title, url, number)."""

    citing_doc: str
    citing_passage: str
    page: int
    cited_doc: str
    how: str
    name: str
    context: str  # the words around the name in the citing passage


def _clean(text: str) -> str:
    return " ".join(text.lower().split())


def names(store: Store, doc: dict) -> list[tuple[str, str]]:
    """(how, name) pairs by which a document can be cited by title or URL, lower-cased."""
    out: list[tuple[str, str]] = []
    main = _clean(re.split(r"[:\u2013\u2014]| - ", doc.get("title") or "")[0])
    if len(re.sub(r"^(the|a|an) ", "", main).split()) >= TITLE_WORDS:
        out.append(("title", main))
    url = (doc.get("url") or "").strip()
    if url:
        out.append(("url", re.sub(r"^https?://(www\.)?", "", url.lower()).rstrip("/")))
    return out


def paper_numbers(store: Store, doc_ids: list[str]) -> dict[str, list[str]]:
    """doc id -> the paper numbers that are its own: printed in its first ``OPENING`` passages, earlier there
    than in any other document's (a response quoting its report's number on page 2 does not take it)."""
    first: dict[str, list[tuple[int, str]]] = {}
    for doc_id in doc_ids:
        for ordinal, text in enumerate(db.opening_passages(store, doc_id, OPENING)):
            for m in NUMBER.finditer(text):
                first.setdefault(_clean(m.group()), []).append((ordinal, doc_id))
    out: dict[str, list[str]] = {}
    for number, where in sorted(first.items()):
        best = min(o for o, _ in where)
        owners = {d for o, d in where if o == best}
        if len(owners) == 1:
            out.setdefault(owners.pop(), []).append(number)
    return out


def find_citations(store: Store, doc_id: str | None = None) -> list[Citation]:
    """Every citation between documents of the corpus, or those from and to one document."""
    targets = db.citation_targets(store)
    numbers = paper_numbers(store, [t["id"] for t in targets])
    out: list[Citation] = []
    for target in targets:
        for how, name in names(store, target) + [("number", n) for n in numbers.get(target["id"], [])]:
            citing_only = None if doc_id is None or target["id"] == doc_id else doc_id
            for p in db.passages_naming(store, name, citing_only):
                if p["doc_id"] == target["id"]:
                    continue
                out.append(Citation(p["doc_id"], p["id"], p["page"], target["id"], how, name,
                                    _context(p["text"], name)))
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for c in sorted(out, key=lambda c: (c.citing_doc, c.citing_passage, c.cited_doc, c.how)):
        if (c.citing_passage, c.cited_doc, c.how) not in seen:
            seen.add((c.citing_passage, c.cited_doc, c.how))
            unique.append(c)
    return unique


def _context(text: str, name: str, words: int = 12) -> str:
    """The name with up to ``words`` words either side, as the passage has it (line breaks as spaces)."""
    flat = " ".join(text.split())
    at = flat.lower().find(name)
    if at < 0:
        return flat[:200]
    before = flat[:at].split()[-words:]
    after = flat[at + len(name):].split()[:words]
    return " ".join([*(["…"] if len(flat[:at].split()) > words else []), *before, flat[at:at + len(name)], *after,
                     *(["…"] if len(flat[at + len(name):].split()) > words else [])])
