"""Gather phase of the site build: read the whole knowledge base once into a ``SiteData`` snapshot.

First appearances, timelines and co-occurrence come from ``kb.trace.trace`` and the glossary from
``kb.nlp.glossary.glossary`` when they are installed; otherwise (or when one fails for a concept) the site fills
the same keys from the snapshot itself, so a page is never missing a section.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.models import AcronymDefinition, Concept, Mention, PartialDate, Passage
from kb.site.paths import doc_href, doc_part_href

log = logging.getLogger(__name__)


@dataclass
class SiteData:
    """Everything the site needs, read from the store once. Lists are in a fixed, sorted order."""

    documents: list[dict]
    concepts: list[Concept]
    passages: dict[str, list[Passage]]
    pages: dict[str, list[dict]]
    mentions_by_doc: dict[str, list[Mention]]
    acronyms: list[AcronymDefinition]
    glossary: list[dict]
    traces: dict[str, dict]
    title: str = "Policy knowledge base"
    description: str = ""
    docs_by_id: dict[str, dict] = field(default_factory=dict)
    concepts_by_id: dict[str, Concept] = field(default_factory=dict)
    mentions_by_concept: dict[str, list[Mention]] = field(default_factory=dict)
    passages_by_id: dict[str, Passage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.docs_by_id = {d["id"]: d for d in self.documents}
        self.concepts_by_id = {c.id: c for c in self.concepts}
        self.passages_by_id = {p.id: p for ps in self.passages.values() for p in ps}
        by_concept: dict[str, list[Mention]] = defaultdict(list)
        order = {d["id"]: i for i, d in enumerate(self.documents)}
        for doc_id in sorted(self.mentions_by_doc, key=lambda d: order.get(d, len(order))):
            for m in self.mentions_by_doc[doc_id]:
                by_concept[m.concept_id].append(m)
        self.mentions_by_concept = dict(by_concept)

    @property
    def primary_ids(self) -> set[str]:
        """Documents that count: duplicate editions are shown but never counted twice."""
        return {d["id"] for d in self.documents if not d.get("duplicate_of")}

    # -- long documents are split into parts of about PART_BYTES of HTML ---------------------------------------
    def doc_parts(self, doc_id: str) -> list[list[Passage]]:
        """A document's passages cut into parts (one part for most documents); cached."""
        cache = self.__dict__.setdefault("_parts", {})
        if doc_id not in cache:
            cache[doc_id] = split_parts(self.passages.get(doc_id, []), self.mentions_by_doc.get(doc_id, []))
            self.__dict__.setdefault("_part_of", {}).update(
                {p.id: n for n, part in enumerate(cache[doc_id], 1) for p in part})
        return cache[doc_id]

    def passage_href(self, doc_id: str, passage_id: str | None) -> str:
        """Site-relative URL of a passage: the part of its document that holds it, plus its anchor."""
        self.doc_parts(doc_id)
        if not passage_id:
            return doc_href(doc_id)
        part = self.__dict__["_part_of"].get(passage_id, 1)
        return f"{doc_part_href(doc_id, part)}#{passage_id}"


#: HTML bytes a document page aims to stay under: a longer document is split into parts. Search downloads a
#: result's whole page text (Pagefind's fragment, about a seventh of the page gzipped), so parts are kept well
#: below the 1 MB a page may reach.
PART_BYTES = 200_000
_PASSAGE_BYTES = 420  # markup around each passage (heading, anchor, section)
_MENTION_BYTES = 260  # markup around each linked mention


def split_parts(passages: list[Passage], mentions: list[Mention], budget: int | None = None) -> list[list[Passage]]:
    """Cut a document's passages into runs of about ``budget`` bytes of HTML, preferring to cut where a page
    starts (once a run is three quarters full); a passage is never split."""
    budget = budget or PART_BYTES
    per_passage = Counter(m.passage_id for m in mentions)
    parts: list[list[Passage]] = [[]]
    size = 0
    for p in passages:
        cost = _PASSAGE_BYTES + int(len(p.text) * 1.08) + _MENTION_BYTES * per_passage[p.id]
        run = parts[-1]
        new_page = bool(run) and p.page != run[-1].page
        if run and (size + cost > budget or (new_page and size >= budget * 0.75)):
            parts.append([])
            size = 0
        parts[-1].append(p)
        size += cost
    return parts


# -- gathering --------------------------------------------------------------------------------------------------
Tracer = Callable[[object, str], dict]


def default_tracer() -> Tracer | None:
    """``kb.trace.trace`` when it is installed; None means the site computes first appearances itself."""
    try:
        from kb.trace import trace
    except ImportError:
        return None
    return lambda store, concept_id: trace(store, concept_id, by="year")


def default_glossary(store) -> list[dict] | None:
    try:
        from kb.nlp.glossary import glossary
    except ImportError:
        return None
    return glossary(store)


def gather(store, tracer: Tracer | None | bool = True, glossary: list[dict] | bool | None = None,
           progress: Callable | None = None, settings=None) -> SiteData:
    """Read the whole knowledge base once.

    ``tracer=True`` uses kb.trace when installed, False/None uses the site's own ledger (golden tests pin it).
    ``glossary=None`` uses kb.nlp.glossary when installed, False the site's own, a list is used as given.
    ``settings`` (a ``kb.project.Settings``) gives the title, description and rejected discovered concepts.
    """
    reject = set(getattr(settings, "reject", ()) or ())
    concepts = [c for c in store.concepts() if not _rejected(c, reject)]
    known = {c.id for c in concepts}
    documents = store.documents(include_duplicates=True)
    passages: dict[str, list[Passage]] = defaultdict(list)
    for p in store.passages():
        passages[p.doc_id].append(p)
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in store.mentions():
        if m.concept_id in known:
            mentions[m.doc_id].append(m)
    pages = {d["id"]: store.pages(d["id"]) for d in documents}
    if glossary is None:
        glossary = default_glossary(store)
    elif glossary is False:
        glossary = None
    acronyms = [a for a in store.acronym_definitions() if not _rejected_definition(a, reject, known)]
    data = SiteData(
        documents=documents, concepts=sorted(concepts, key=lambda c: c.id), passages=dict(passages),
        pages=pages, mentions_by_doc=dict(mentions), acronyms=acronyms, glossary=[], traces={},
    )
    if settings is not None:
        data.title, data.description = settings.title, settings.description
    if glossary is not None:
        glossary = filter_glossary(glossary, reject, known)
    data.glossary = glossary if glossary is not None else local_glossary(data)
    trace_fn = default_tracer() if tracer is True else (tracer or None)
    mentioned = [c.id for c in data.concepts if data.mentions_by_concept.get(c.id)]
    items = progress(mentioned, desc="trace", unit="concept") if progress else mentioned
    for concept_id in items:
        result = None
        if trace_fn is not None:
            try:
                result = trace_fn(store, concept_id)
            except Exception as exc:  # a failed trace must not sink the whole site; the page says so
                log.warning("trace(%s) failed: %s; using the site's own first-appearance ledger", concept_id, exc)
        data.traces[concept_id] = complete_trace(data, concept_id, result or {})
    return data


def _rejected(concept: Concept, reject: set[str]) -> bool:
    """A discovered concept a person rejected in kb.toml, by id or by short form."""
    return concept.discovered and (concept.id in reject or any(a in reject for a in concept.acronyms))


def _rejected_definition(a: AcronymDefinition, reject: set[str], known: set[str]) -> bool:
    """A definition of a rejected short form, or linked to a concept the site does not show."""
    return a.concept_id not in known and (a.short in reject or a.concept_id is not None)


def filter_glossary(entries: list[dict], reject: set[str], known: set[str]) -> list[dict]:
    """The glossary without rejected short forms and senses whose concept was rejected."""
    out = []
    for e in entries:
        if e.get("short") in reject:
            continue
        senses = [s for s in e.get("senses", []) if not s.get("concept_id") or s["concept_id"] in known]
        if senses:
            out.append(dict(e, senses=senses))
    return out


def year_of(doc: dict) -> str | None:
    return doc["published"][:4] if doc.get("published") else None



def local_glossary(data: SiteData) -> list[dict]:
    """The glossary from stored acronym definitions (used when kb.nlp.glossary is not available)."""
    order = {d["id"]: i for i, d in enumerate(data.documents)}
    shorts: dict[str, dict[tuple[str, str | None], list[AcronymDefinition]]] = defaultdict(lambda: defaultdict(list))
    for a in data.acronyms:
        shorts[a.short][(a.long.lower(), a.concept_id)].append(a)
    out = []
    for short in sorted(shorts, key=lambda s: (s.lower(), s)):
        senses = []
        for (long_key, concept_id), defs in sorted(shorts[short].items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            defs.sort(key=lambda a: (order.get(a.doc_id, 1 << 30), a.start))
            senses.append({"long": defs[0].long, "concept_id": concept_id, "definitions": [
                {"doc_id": a.doc_id, "title": data.docs_by_id.get(a.doc_id, {}).get("title", a.doc_id),
                 "published": data.docs_by_id.get(a.doc_id, {}).get("published"), "page": a.page,
                 "passage_id": a.passage_id} for a in defs]})
        dated = [d["published"] for s in senses for d in s["definitions"]
                 if d["doc_id"] in data.docs_by_id and data.docs_by_id[d["doc_id"]].get("date_earliest")]
        first = min(dated, key=lambda p: PartialDate.parse(p).earliest) if dated else None
        out.append({"short": short, "senses": senses, "first_defined": first})
    return out


# -- first appearances when kb.trace is not there (or failed) ----------------------------------------------------
def complete_trace(data: SiteData, concept_id: str, trace: dict) -> dict:
    """Fill whatever ``trace`` lacks (timeline, by_publisher, cooccurring, ledger) from the gathered data."""
    primary = data.primary_ids
    mentions = [m for m in data.mentions_by_concept.get(concept_id, []) if m.doc_id in primary]
    out = dict(trace)
    dated = [m for m in mentions if data.docs_by_id[m.doc_id].get("date_earliest")]
    if "first_use" not in out:
        first = dated[0] if dated else None  # mentions_by_concept is in document date order, then offset
        out["first_use"] = _entry(data, first) if first else None
        defs = [m for m in dated if m.is_definition]
        out["first_definition"] = _entry(data, defs[0]) if defs else None
        out["undated"] = [{"doc_id": d} for d in sorted({m.doc_id for m in mentions} - {m.doc_id for m in dated})]
    if "timeline" not in out:
        words = Counter()
        for d in data.documents:
            if d["id"] in primary and year_of(d):
                words[year_of(d)] += d.get("words") or 0
        per: dict[str, list[Mention]] = defaultdict(list)
        for m in dated:
            per[year_of(data.docs_by_id[m.doc_id])].append(m)
        years = sorted(per)
        out["timeline"] = [
            {"period": str(y), "mentions": len(per.get(str(y), [])), "documents": len({m.doc_id for m in per.get(str(y), [])}),
             "per_10k": round(10000 * len(per.get(str(y), [])) / words[str(y)], 1) if words[str(y)] else 0.0}
            for y in (range(int(years[0]), int(years[-1]) + 1) if years else [])
        ]
    if "by_publisher" not in out:
        pub: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            pub[data.docs_by_id[m.doc_id].get("publisher") or ""].append(m)
        out["by_publisher"] = sorted(
            ({"publisher": p or None, "mentions": len(ms), "documents": len({m.doc_id for m in ms})} for p, ms in pub.items()),
            key=lambda r: (-r["mentions"], r["publisher"] or ""))
    if "cooccurring" not in out:
        mine = {m.passage_id for m in mentions}
        together: Counter = Counter()
        for doc_id in sorted({m.doc_id for m in mentions}):
            seen = set()
            for m in data.mentions_by_doc.get(doc_id, []):
                if m.passage_id in mine and m.concept_id != concept_id and (m.passage_id, m.concept_id) not in seen:
                    seen.add((m.passage_id, m.concept_id))
                    together[m.concept_id] += 1
        out["cooccurring"] = [
            {"concept_id": c, "label": data.concepts_by_id[c].label if c in data.concepts_by_id else c,
             "passages_together": n, "score": round(n / math.sqrt(max(len(mine), 1)), 3)}
            for c, n in sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return out


def _entry(data: SiteData, m: Mention) -> dict:
    d = data.docs_by_id[m.doc_id]
    return {"doc_id": m.doc_id, "title": d["title"], "publisher": d.get("publisher"), "published": d.get("published"),
            "date_precision": d.get("date_precision"), "date_source": d.get("date_source"), "page": m.page,
            "passage_id": m.passage_id, "tied_with": []}
