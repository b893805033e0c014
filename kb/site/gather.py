"""Gather phase of the site build: read the whole knowledge base once into a ``SiteData`` snapshot.

First appearances, timelines, publishers and co-occurrence come from ``kb.trace.trace`` and the glossary from
``kb.nlp.glossary.glossary``: the very functions behind `kb trace` and `kb acronyms`, so the site and the CLI
never disagree (one co-occurrence statistic, one ledger, one glossary).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.nlp.glossary import glossary as corpus_glossary
from kb.site.lineage import gather_lineage
from kb.site.new_terms import gather_new_terms
from kb.site.paths import doc_href, doc_part_href
from kb.trace import TraceResult, trace

if TYPE_CHECKING:  # pragma: no cover
    from kb.project import Settings
    from kb.store import Store

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
    traces: dict[str, TraceResult]
    title: str = "Policy knowledge base"
    description: str = ""
    docs_by_id: dict[str, dict] = field(default_factory=dict)
    concepts_by_id: dict[str, Concept] = field(default_factory=dict)
    mentions_by_concept: dict[str, list[Mention]] = field(default_factory=dict)
    passages_by_id: dict[str, Passage] = field(default_factory=dict)
    #: ids issued once that now lead to another concept (adopted, merged): id -> (concept id, note)
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)
    lineage: dict[str, dict] = field(default_factory=dict)  # doc id -> its sources and followers (kb.site.lineage)
    new_terms: dict[str, Any] = field(default_factory=dict)  # year -> kb.trace.emerging report (kb.site.new_terms)

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
#: ``tracer(store, concept_id)``: a concept's trace, as ``kb.trace.trace(store, concept_id, by="year")`` gives it.
Tracer = Callable[["Store", str], "TraceResult"]


def trace_by_year(store: Store, concept_id: str) -> TraceResult:
    """The site's trace of a concept: `kb trace CONCEPT --json`, per year."""
    return trace(store, concept_id, by="year")


def gather(store: Store, tracer: Tracer | None = None, glossary: list[dict] | None = None,
           progress: Callable | None = None, settings: Settings | None = None) -> SiteData:
    """Read the whole knowledge base once.

    ``tracer`` defaults to :func:`trace_by_year` and ``glossary`` to ``kb.nlp.glossary.glossary(store)``; tests
    may pass their own. ``settings`` (a ``kb.project.Settings``) gives the title, description and rejected
    discovered concepts.
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
    entries = corpus_glossary(store) if glossary is None else glossary
    acronyms = [a for a in store.acronym_definitions() if not _rejected_definition(a, reject, known)]
    data = SiteData(
        documents=documents, concepts=sorted(concepts, key=lambda c: c.id), passages=dict(passages),
        pages=pages, mentions_by_doc=dict(mentions), acronyms=acronyms,
        glossary=filter_glossary(entries, reject, known), traces={},
    )
    if settings is not None:
        data.title, data.description = settings.title, settings.description
    from kb.nlp.identity import LEDGER_KEY, load_redirects

    data.moved = {old: (to, note) for old, (to, note) in load_redirects(store.get_meta(LEDGER_KEY), known).items()
                  if to is not None and to in known}
    data.lineage = gather_lineage(store)
    data.new_terms = gather_new_terms(store, data.documents, progress)
    trace_fn = tracer or trace_by_year
    mentioned = [c.id for c in data.concepts if data.mentions_by_concept.get(c.id)]
    items = progress(mentioned, desc="trace", unit="concept") if progress else mentioned
    for concept_id in items:
        try:
            data.traces[concept_id] = trace_fn(store, concept_id)
        except Exception as exc:  # a failed trace must not sink the whole site; the page says so
            log.warning("trace(%s) failed: %s", concept_id, exc)
            data.traces[concept_id] = TraceResult.unavailable(concept_id, "First appearances, timeline and "
                                                              f"co-occurrence could not be worked out for this concept ({exc}).")
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
    """The year a document was published in, or None when undated."""
    return doc["published"][:4] if doc.get("published") else None
