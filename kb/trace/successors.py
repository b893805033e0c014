"""Which rising term replaced a fading one, with the sentence that says so (`kb emerging --fading`).

A rise that coincides with a fall is not evidence that one term replaced the other: both may follow the corpus's
composition. So kb names a successor only where a document says it: a sentence that uses both terms (any of
their forms, as `kb trace` finds them) joined by a word of replacement in the order that says which gave way:
"OLD were replaced by / became / merged into NEW", "NEW replace / took over from / (formerly) OLD", "the
replacement of OLD by NEW", the two within 80 characters. The fading term is the one whose use fell and the rising
one the one whose use rose between the same periods; the sentence is quoted with its document, date, page and
passage, the earliest such sentence first, so the claim can be checked in one step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.errors import KbError
from kb.trace.ledger import date_key, load_documents, occurrences, resolve

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

#: Between the fading term and the rising one written after it: words saying the first gave way to the second
#: ("CCGs were replaced by ICBs", "STPs became ICSs", "NHS Improvement, now part of NHS England").
AFTER = re.compile(
    r"\b(?:replaced|succeeded|superseded|taken over|absorbed|merged|renamed|rebranded|became|become|becomes|"
    r"becoming|evolved|evolving|evolve|transitioned|transitioning|transition|transferred|now known as|"
    r"now part of|gave way|giving way|give way|made way|making way|turned into|converted into)\b", re.I)
#: Between the rising term and the fading one written after it ("ICBs replace CCGs", "ICSs, formerly STPs").
BEFORE = re.compile(
    r"\b(?:replace|replaces|replaced|replacing|will replace|succeed|succeeds|succeeded|supersede|supersedes|"
    r"superseded|took over from|takes over from|take over from|taking over from|took over|takes over|"
    r"absorbed|absorbs|formerly|previously|in place of|instead of|successor to|successors to|successor of)\b", re.I)
#: Before the fading term when the rising one follows with "by" or "with" ("the replacement of CCGs by ICBs").
LEAD = re.compile(r"\b(?:replac\w*|abolition|abolish\w*|transition\w*|move|moving|shift\w*)(?: of| from)?\s*$", re.I)
#: Characters allowed between the two terms: the cue must join them, not sit elsewhere in a long sentence.
GAP = 80
_SENTENCE = re.compile(r"[^.!?;]*(?:[.!?;]+|$)")
#: Sentences kept per successor (the earliest first), and rising terms looked at per fading one.
PER_SUCCESSOR = 2
RISING = 50


@dataclass(frozen=True)
class Replacement:
    """A rising term a document says replaced the fading one, and where it says so."""

    term: str
    doc_id: str
    title: str
    published: str | None
    page: int
    passage_id: str
    sentence: str
    sentences: int  # how many such sentences kb found, in how many documents
    documents: int


def replacements(store: Store, fading: list[str], rising: list[str]) -> dict[str, list[Replacement]]:
    """fading term -> the rising terms a sentence of the corpus says replaced it (most sentences first)."""
    docs = load_documents(store)
    spans = {t: _spans(store, t) for t in {*fading, *rising[:RISING]}}
    texts: dict[str, tuple[str, int, str, int]] = {}  # passage id -> (text, start, doc id, page)
    out: dict[str, list[Replacement]] = {}
    for old in fading:
        found = []
        for new in rising[:RISING]:
            if new == old or not spans[old] or not spans[new]:
                continue
            shared = sorted(set(spans[old]) & set(spans[new]))
            said = []
            for pid in shared:
                if pid not in texts:
                    p = store.passage(pid)
                    if p is None:
                        continue
                    texts[pid] = (p.text, p.start, p.doc_id, p.page)
                text, start, doc_id, page = texts[pid]
                for sentence in _saying(text, start, spans[old][pid], spans[new][pid]):
                    doc = docs.get(doc_id)
                    when = (0, date_key(doc)) if doc and doc["date_earliest"] else (1, ())  # undated last
                    said.append((when, doc_id, page, pid, sentence))
            if said:
                said.sort()
                _, doc_id, page, pid, sentence = said[0]
                doc = docs.get(doc_id) or {}
                found.append(Replacement(new, doc_id, doc.get("title") or doc_id, doc.get("published"), page, pid,
                                         sentence, len(said), len({s[1] for s in said})))
        found.sort(key=lambda r: (-r.sentences, -r.documents, r.term))
        if found:
            out[old] = found
    return out


def _spans(store: Store, term: str) -> dict[str, list[tuple[int, int]]]:
    """passage id -> the term's (start, end) in the document text, as `kb trace TERM` finds them."""
    try:
        ref = resolve(store, term)
    except KbError:  # a term kb emerging listed but cannot trace has no evidence here
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    for o in occurrences(store, ref, window=0):
        out.setdefault(o.passage_id, []).append((o.start, o.end))
    return out


def _saying(text: str, offset: int, old: list[tuple[int, int]], new: list[tuple[int, int]]) -> list[str]:
    """The sentences of a passage (``offset``: where it starts in its document) that say the new term took the
    old one's place: both terms within ``GAP`` characters, joined by a word of replacement in the right order."""
    out = []
    for m in _SENTENCE.finditer(text):
        lo, hi = offset + m.start(), offset + m.end()
        olds = [(a, b) for a, b in old if lo <= a and b <= hi]
        news = [(a, b) for a, b in new if lo <= a and b <= hi]
        if olds and news and any(_joined(text, offset, o, n) for o in olds for n in news):
            out.append(" ".join(m.group().split()))
    return out


def _joined(text: str, offset: int, old: tuple[int, int], new: tuple[int, int]) -> bool:
    if old[1] <= new[0]:  # "OLD ... replaced by ... NEW", or "replacement of OLD by NEW"
        between = text[old[1] - offset:new[0] - offset]
        if len(between) > GAP:
            return False
        lead = text[max(0, old[0] - offset - 30):old[0] - offset]
        return bool(AFTER.search(between)) or (bool(LEAD.search(lead)) and
                                               re.fullmatch(r"\W*(?:\w+\W+){0,3}?(?:by|with|to)\W+", between) is not None)
    if new[1] <= old[0]:  # "NEW replaces OLD", "NEW (formerly OLD)"
        between = text[new[1] - offset:old[0] - offset]
        return len(between) <= GAP and bool(BEFORE.search(between))
    return False
