"""Page contexts for the static site: plain dicts built from one gathered snapshot of the store.

Two phases, as in any static site generator that cross-references: ``kb.site.gather.gather`` reads everything
once (documents, passages, concepts, mentions, first appearances), then each ``*_context`` function here derives
one page from that snapshot without touching the store. Contexts hold plain text only; document text is split
into *segments* (text / mention / page marker) so templates can escape every character that came from a document.
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from kb.models import AcronymDefinition, Mention, Passage
from kb.site.charts import bar_chart, column_chart
from kb.site.gather import SiteData, year_of
from kb.site.paths import concept_href, doc_anchor, doc_href, doc_part_href, mentions_href
from kb.site.text import (  # noqa: F401  (shown as ctx.* to the templates and tests)
    KWIC_WIDTH,
    MONTHS,
    _heading_prefix,
    _kwic_segments,
    also_known_as,
    concept_title,
    human_date,
    passage_segments,
    safe_url,
)
from kb.trace.results import LedgerEntry

log = logging.getLogger(__name__)

# A concept page lists every mention in context only up to MENTIONS_PER_PAGE; beyond that the list moves to
# numbered mention pages of at most that many mentions and DOCUMENTS_PER_PAGE documents (about 100 KB each)
# and the concept page previews it.
MENTIONS_PER_PAGE = 400
DOCUMENTS_PER_PAGE = 100
PREVIEW_DOCUMENTS = 10
PREVIEW_MENTIONS = 3
GLOSSARY_PASSAGES = 5  # defining passages quoted per sense on the glossary (the concept page lists every mention)
LEDGER_KEYS = (("first_use", "First use"), ("first_definition", "First definition"),
               ("first_undefined_use", "First use without a definition"))


def _doc_brief(data: SiteData, doc_id: str) -> dict:
    doc = data.docs_by_id.get(doc_id)
    if doc is None:
        return {"id": doc_id, "title": doc_id, "href": None, "publisher": None, "published": None}
    return {"id": doc_id, "title": doc["title"], "href": doc_href(doc_id), "publisher": doc.get("publisher"),
            "published": doc.get("published"), "date_precision": doc.get("date_precision"),
            "date_source": doc.get("date_source"), "duplicate_of": doc.get("duplicate_of"),
            "doc_type": doc.get("doc_type")}


def _concept_brief(data: SiteData, concept_id: str) -> dict:
    c = data.concepts_by_id.get(concept_id)
    if c is None:
        return {"id": concept_id, "label": concept_id, "href": None}
    return {"id": c.id, "label": c.label, "href": concept_href(c.id), "title": concept_title(c), "kind": c.kind,
            "discovered": c.discovered}


# -- passages as segments -----------------------------------------------------------------------------------------
def _page_starts(data: SiteData, doc_id: str) -> list[tuple[int, int]]:
    rows = data.pages.get(doc_id) or []
    if rows:
        return [(r["start"], r["page"]) for r in rows]
    starts, last = [], None
    for p in data.passages.get(doc_id, []):
        if p.page != last:
            starts.append((p.start, p.page))
            last = p.page
    return starts


# -- pages -------------------------------------------------------------------------------------------------------
def document_context(data: SiteData, doc_id: str, part: int = 1) -> dict:
    """One page of a document: metadata with sources and warnings (on its first part), and the text of this part
    as passages with page anchors. Most documents have one part; long ones are split (``SiteData.doc_parts``)."""
    doc = data.docs_by_id[doc_id]
    mentions = data.mentions_by_doc.get(doc_id, [])
    by_passage: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_passage[m.passage_id].append(m)
    parts = data.doc_parts(doc_id)
    mine = parts[part - 1] if parts else []
    page_starts = _page_starts(data, doc_id)
    bounds = [run[0].start if n else -1 for n, run in enumerate(parts) if run] + [float("inf")]
    pending = [(s, page) for s, page in page_starts if bounds[part - 1] <= s < bounds[part]] \
        if len(parts) > 1 else list(page_starts)
    blocks = _document_blocks(data, mine, pending, by_passage)
    counts = Counter(m.concept_id for m in mentions)
    in_doc = sorted(counts, key=lambda c: (-counts[c], _concept_brief(data, c)["label"].lower(), c))
    in_part = sorted({m.concept_id for p in mine for m in by_passage.get(p.id, [])})
    primary = doc.get("duplicate_of")
    return {
        "doc": _doc_brief(data, doc_id),
        "year": year_of(doc),
        "part": part,
        "parts": _part_list(doc_id, parts),
        "metadata": _document_metadata(doc),
        "url": doc.get("url"),
        "date_note": doc.get("date_note"),
        "warnings": list(doc.get("warnings") or []),
        "primary": _doc_brief(data, primary) if primary else None,
        "editions": [_doc_brief(data, d["id"]) for d in data.documents if d.get("duplicate_of") == doc_id],
        "blocks": blocks,
        "passage_level": 4 if any(b["t"] == "heading" for b in blocks) else 3,  # no skipped heading levels
        "concepts": [dict(_concept_brief(data, c), mentions=counts[c]) for c in in_doc],
        "part_concepts": [_concept_brief(data, c)["label"] for c in in_part],
        "page_numbers": [page for _, page in page_starts],
        "page_links": [{"n": page, "href": f"{doc_part_href(doc_id, bisect.bisect_right(bounds, s))}#page-{page}"}
                       for s, page in page_starts],
    }


def _document_blocks(data: SiteData, passages: list[Passage], pending: list[tuple[int, int]],
                     by_passage: dict[str, list[Mention]]) -> list[dict]:
    """The text of one part as the template draws it, in order: a heading where the passages' heading changes,
    a page marker where a page starts (between passages, or inside one as a segment), and each passage cut at
    its mentions. ``pending``: (offset, page) of the page starts in this part, consumed as the text passes them."""
    blocks: list[dict] = []
    heading = None
    for p in passages:
        markers = [page for start, page in pending if start <= p.start]
        pending = [(s, page) for s, page in pending if s > p.start]
        skip = 0
        if p.heading and p.heading != heading:
            skip = _heading_prefix(p)
            title = p.text[:skip].strip() if skip else p.heading
            blocks.append({"t": "heading", "text": " · ".join(x.strip() for x in title.split("\n") if x.strip())})
        heading = p.heading or heading
        for page in markers:
            blocks.append({"t": "page", "page": page})
        inline = [(s, page) for s, page in pending if s < p.end]
        pending = [(s, page) for s, page in pending if s >= p.end]
        concept_ids = sorted({m.concept_id for m in by_passage.get(p.id, [])})
        shown = replace(p, start=p.start + skip, text=p.text[skip:]) if skip else p
        blocks.append({
            "t": "passage", "id": p.id, "ordinal": p.ordinal, "page": p.page, "page_end": p.page_end,
            "segments": passage_segments(shown, by_passage.get(p.id, []), inline, data.concepts_by_id),
            "lead": " ".join(p.text[:skip].split()) if skip else "",
            "concepts": [_concept_brief(data, c) for c in concept_ids],
        })
    for _, page in pending:
        blocks.append({"t": "page", "page": page})
    return blocks


def _document_metadata(doc: dict) -> list[dict]:
    """The metadata table: each value with where it came from and the evidence for it (empty values left out),
    so a reader can judge a title or date as `kb show` lets them."""
    provenance = doc.get("provenance") or {}
    precision = f" ({doc['date_precision']} precision)" if doc.get("date_precision") else ""
    fields = [
        ("Title", doc.get("title"), provenance.get("title")),
        ("Publisher", doc.get("publisher"), provenance.get("publisher")),
        ("Published", human_date(doc.get("published")) + precision,
         doc.get("date_source") or provenance.get("published")),
        ("Type", doc.get("doc_type"), provenance.get("doc_type") or provenance.get("type")),
        ("URL", doc.get("url"), provenance.get("url")),
        ("Source file", doc.get("source"), None),
        ("Format", doc.get("format"), None),
        ("Pages", doc.get("pages"), None),
        ("Passages", doc.get("passages"), None),
        ("Words", doc.get("words"), None),
    ]
    rows = []
    for n, v, s in fields:
        held = _held_back(doc, n, s)
        if v in (None, "") and not held:
            continue
        rows.append({"name": n, "value": v if v not in (None, "") else None, "source": s,
                     "evidence": _evidence(doc, n, s), "held": held, "href": safe_url(v) if n == "URL" else None})
    return rows


def _part_list(doc_id: str, parts: list) -> list[dict]:
    """The links between the parts of a long document, with the pages and passages each holds (none for a
    document of one part)."""
    if len(parts) <= 1:
        return []
    return [{"n": n, "href": doc_part_href(doc_id, n), "first_page": run[0].page if run else None,
             "last_page": max(x.page_end for x in run) if run else None,
             "first_ordinal": run[0].ordinal if run else None, "last_ordinal": run[-1].ordinal if run else None}
            for n, run in enumerate(parts, 1)]


def concept_context(data: SiteData, concept_id: str) -> dict:
    """The concept page: what it is, how it relates, where it first appears, and every mention in context."""
    c = data.concepts_by_id[concept_id]
    trace = data.traces.get(concept_id)  # a concept no document mentions has no trace
    primary = data.primary_ids
    mentions = data.mentions_by_concept.get(concept_id, [])
    predecessors = sorted(o.id for o in data.concepts if concept_id in o.successor)
    parts = sorted(o.id for o in data.concepts if concept_id in o.part_of)
    relations = [
        ("Replaced by", list(c.successor)), ("Replaces", predecessors), ("Part of", list(c.part_of)),
        ("Has parts", parts), ("Related", list(c.related)),
    ]
    ledger = []
    for key, name in LEDGER_KEYS:
        entry = getattr(trace, key) if trace else None
        if entry:
            ledger.append(dict(_ledger_entry(data, concept_id, entry), name=name, key=key))
    forms = trace.first_use_by_form if trace else []
    for n, form in enumerate(forms if len(forms) > 1 else [], 1):  # when the acronym or a long form appeared
        if form["first_use"]:
            ledger.append(dict(_ledger_entry(data, concept_id, form["first_use"]), key=f"form-{n}",
                               name=f"First use of {form['form']} ({form['kind']})"))
    pages = mention_pages(data, concept_id)
    paged = len(pages) > 1
    if paged:
        first = [(n, r) for n, run in enumerate(pages, 1) for r in run if r.first == 0][:PREVIEW_DOCUMENTS]
        groups = [_mention_group(data, concept_id, r, page=n, limit=PREVIEW_MENTIONS) for n, r in first]
    else:
        groups = [_mention_group(data, concept_id, r) for run in pages for r in run]
    timeline = trace.timeline if trace else []
    by_publisher = trace.by_publisher if trace else []
    return {
        "concept": _concept_brief(data, concept_id),
        "definition": c.definition,
        "aliases": list(c.aliases),
        "acronyms": list(c.acronyms),
        "discovered": c.discovered,
        "relations": [{"name": n, "targets": [_concept_brief(data, t) for t in ts]} for n, ts in relations if ts],
        "statement": trace.statement if trace else None,
        "warnings": list(trace.warnings) if trace else [],
        "ledger": ledger,
        "undated": trace.undated if trace else [],
        "mention_count": sum(1 for m in mentions if m.doc_id in primary),
        "document_count": len({m.doc_id for m in mentions if m.doc_id in primary}),
        "timeline": timeline,
        "by_publisher": by_publisher,
        "timeline_chart": column_chart(
            [(str(r["period"]), r["mentions"]) for r in timeline], title=f"Mentions of {c.label} per year",
            x_label="Year of publication", y_label="Mentions", chart_id="timeline") if timeline else None,
        "publisher_chart": bar_chart(
            [(r["publisher"] or "Unknown publisher", r["mentions"]) for r in by_publisher],
            title=f"Mentions of {c.label} per publisher", x_label="Mentions", y_label="Publisher",
            chart_id="publishers") if by_publisher else None,
        "groups": groups,
        "mention_pages": [_page_summary(data, concept_id, n, run) for n, run in enumerate(pages, 1)] if paged else [],
        "all_mentions": len(mentions),
        "all_documents": len({r.doc_id for run in pages for r in run}),
        "cooccurring": [dict(_concept_brief(data, r["concept_id"]), passages_together=r["passages_together"],
                             score=r.get("score")) for r in (trace.cooccurring if trace else [])[:15]],
    }


@dataclass(frozen=True)
class MentionRun:
    """Mentions of one concept in one document, shown together: all of them, or one page's share of a document
    with more than MENTIONS_PER_PAGE (``first`` counts from 0 within the document's ``total``)."""

    doc_id: str
    mentions: list[Mention]
    first: int = 0
    total: int = 0


def mention_pages(data: SiteData, concept_id: str) -> list[list[MentionRun]]:
    """Every document's mentions of the concept, in document date order, cut into pages of at most
    MENTIONS_PER_PAGE mentions and DOCUMENTS_PER_PAGE documents. A document with more mentions than a page holds
    is split over consecutive pages, so no page grows with the corpus (a concept in every passage of a 20 MB
    document once made one 104 MB page). One page (or none) when all mentions fit on the concept page.
    Computed once per concept: the concept page and each of its mention pages ask for it."""
    cache = data.__dict__.setdefault("_mention_pages", {})
    key = (concept_id, MENTIONS_PER_PAGE, DOCUMENTS_PER_PAGE)
    if key in cache:
        return cache[key]
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in data.mentions_by_concept.get(concept_id, []):
        by_doc[m.doc_id].append(m)
    pages: list[list[MentionRun]] = []
    run: list[MentionRun] = []
    size = 0
    total = sum(len(ms) for ms in by_doc.values())
    for doc in data.documents:
        ms = by_doc.get(doc["id"])
        if not ms:
            continue
        for first in range(0, len(ms), MENTIONS_PER_PAGE):
            chunk = ms[first:first + MENTIONS_PER_PAGE]
            full = size + len(chunk) > MENTIONS_PER_PAGE or len(run) == DOCUMENTS_PER_PAGE
            if run and total > MENTIONS_PER_PAGE and full:
                pages.append(run)
                run, size = [], 0
            run.append(MentionRun(doc["id"], chunk, first, len(ms)))
            size += len(chunk)
    if run:
        pages.append(run)
    cache[key] = pages
    return pages


def _mention_group(data: SiteData, concept_id: str, run: MentionRun, page: int | None = None,
                   limit: int | None = None) -> dict:
    """One document's mentions of a concept in context (or one page's share of them); ``limit`` shows only the
    first few, linking to the rest on mention page ``page``."""
    shown = run.mentions if limit is None else run.mentions[:limit]
    doc_id = run.doc_id
    return {
        "doc": _doc_brief(data, doc_id),
        "anchor": doc_anchor(doc_id),
        "counted": doc_id in data.docs_by_id and not data.docs_by_id[doc_id].get("duplicate_of"),
        "count": run.total,
        "mentions": [_kwic(data, m) for m in shown],
        "more": run.total - len(shown) if limit is not None else 0,
        # Part of a document split over pages: which of its mentions these are.
        "span": (run.first + 1, run.first + len(run.mentions)) if len(run.mentions) < run.total else None,
        "all_href": f"{mentions_href(concept_id, page)}#{doc_anchor(doc_id)}" if page else None,
    }


def _page_summary(data: SiteData, concept_id: str, n: int, run: list[MentionRun]) -> dict:
    dates = [data.docs_by_id[r.doc_id].get("published") for r in run]
    return {"n": n, "href": mentions_href(concept_id, n), "documents": len({r.doc_id for r in run}),
            "mentions": sum(len(r.mentions) for r in run), "first": dates[0], "last": dates[-1]}


def concept_mentions_context(data: SiteData, concept_id: str, page: int) -> dict:
    """Mention page ``page`` of a frequently mentioned concept: each document's mentions, in date order."""
    pages = mention_pages(data, concept_id)
    run = pages[page - 1]
    return {
        "concept": _concept_brief(data, concept_id),
        "page": _page_summary(data, concept_id, page, run),
        "pages": [_page_summary(data, concept_id, n, r) for n, r in enumerate(pages, 1)],
        "groups": [_mention_group(data, concept_id, r) for r in run],
    }


def _ledger_entry(data: SiteData, concept_id: str, entry: LedgerEntry) -> dict:
    doc_id, passage_id = entry.doc_id, entry.passage_id
    quote = None
    passage = data.passages_by_id.get(passage_id) if passage_id else None
    if passage is not None:
        span = None
        start, end = entry.start, entry.end
        if isinstance(start, int) and isinstance(end, int) and passage.start <= start <= end <= passage.end:
            span = (start, end)
        else:
            mentions = data.mentions_by_doc.get(doc_id, []) if doc_id is not None else []
            hit = next((m for m in mentions if m.passage_id == passage_id
                        and m.concept_id == concept_id), None)
            span = (hit.start, hit.end) if hit else None
        quote = _kwic_segments(passage, *span, width=160) if span else [{"t": "text", "text": passage.text[:320]}]
    brief = _doc_brief(data, doc_id) if doc_id else None
    return {
        "doc": brief,
        "href": data.passage_href(doc_id, passage_id) if doc_id and brief and brief["href"] else None,
        "page": entry.page,
        "published": entry.published,
        "date_precision": entry.date_precision,
        "date_source": entry.date_source,
        "quote": quote,
        "tied_with": [_doc_brief(data, t["doc_id"]) for t in entry.tied_with],
    }


def _kwic(data: SiteData, m: Mention) -> dict:
    passage = data.passages_by_id.get(m.passage_id)
    segments = _kwic_segments(passage, m.start, m.end) if passage else [{"t": "mark", "text": m.surface}]
    return {"href": data.passage_href(m.doc_id, m.passage_id), "page": m.page, "segments": segments,
            "definition": m.is_definition}


def home_context(data: SiteData) -> dict:
    """Home: what the corpus holds, a documents-per-year chart, most mentioned concepts, recent additions."""
    primary = [d for d in data.documents if not d.get("duplicate_of")]
    dated = [d for d in primary if d.get("date_earliest")]
    per_year = Counter(year for year in map(year_of, dated) if year is not None)  # a dated document has a year
    years = list(range(int(min(per_year)), int(max(per_year)) + 1)) if per_year else []
    primary_ids = data.primary_ids
    counts = Counter(m.concept_id for ms in data.mentions_by_doc.values() for m in ms if m.doc_id in primary_ids)
    top = sorted((c for c in counts if c in data.concepts_by_id), key=lambda c: (-counts[c], c))[:12]
    recent = sorted(primary, key=lambda d: (d.get("ingested_at") or "", d["id"]), reverse=True)[:8]
    return {
        "title": data.title,
        "description": data.description,
        "stats": {
            "documents": len(primary),
            "editions": len(data.documents) - len(primary),
            "publishers": len({d.get("publisher") for d in primary if d.get("publisher")}),
            "pages": sum(d.get("pages") or 0 for d in primary),
            "passages": sum(d.get("passages") or 0 for d in primary),
            "words": sum(d.get("words") or 0 for d in primary),
            "concepts": len(data.concepts),
            "discovered": sum(1 for c in data.concepts if c.discovered),
            "concepts_mentioned": len([c for c in counts if c in data.concepts_by_id]),
            "mentions": sum(counts.values()),
            "first": min((d["published"] for d in dated), key=lambda p: p, default=None),
            "last": max((d["published"] for d in dated), key=lambda p: p, default=None),
            "undated": len(primary) - len(dated),
        },
        "publishers": sorted(Counter(d.get("publisher") or "Unknown publisher" for d in primary).items(),
                             key=lambda kv: (-kv[1], kv[0])),
        "timeline_chart": column_chart([(str(y), per_year.get(str(y), 0)) for y in years],
                                       title="Documents per year of publication", x_label="Year of publication",
                                       y_label="Documents", chart_id="corpus-timeline") if years else None,
        "top_concepts": [dict(_concept_brief(data, c), mentions=counts[c]) for c in top],
        "recent": [_doc_brief(data, d["id"]) for d in recent],
    }


SORTS = {
    "date": ("documents.html", "date"),
    "publisher": ("documents-by-publisher.html", "publisher"),
    "title": ("documents-by-title.html", "title"),
}


def documents_context(data: SiteData, sort: str) -> dict:
    """One pre-sorted documents table (the site has one page per sort order: no JavaScript needed)."""
    rows = [_doc_brief(data, d["id"]) for d in data.documents]
    for r in rows:
        r["pages"] = data.docs_by_id[r["id"]].get("pages")
        r["concepts"] = len({m.concept_id for m in data.mentions_by_doc.get(r["id"], [])})
    if sort == "publisher":
        rows.sort(key=lambda r: ((r["publisher"] or "\uffff").lower(), r["published"] or "9999", r["title"].lower(), r["id"]))
    elif sort == "title":
        rows.sort(key=lambda r: (r["title"].lower(), r["id"]))
    return {"rows": rows, "sort": sort, "sorts": [{"key": k, "href": v[0]} for k, v in SORTS.items()]}


def concepts_list_context(data: SiteData) -> dict:
    """Concepts the documents mention, grouped by kind with mention and document counts (duplicate editions not
    counted), then the vocabulary's concepts no document mentions, apart."""
    primary = data.primary_ids
    kinds: dict[str, list[dict]] = defaultdict(list)
    unused = []
    for c in data.concepts:
        ms = [m for m in data.mentions_by_concept.get(c.id, []) if m.doc_id in primary]
        row = dict(_concept_brief(data, c.id), acronyms=list(c.acronyms), mentions=len(ms),
                   documents=len({m.doc_id for m in ms}))
        if ms:
            kinds[c.kind or "other"].append(row)
        else:
            unused.append(row)
    return {"kinds": [{"kind": k, "concepts": sorted(v, key=lambda r: (-r["mentions"], r["label"].lower(), r["id"]))}
                      for k, v in sorted(kinds.items())],
            "unused": sorted(unused, key=lambda r: (r["label"].lower(), r["id"])),
            "discovered": sum(1 for c in data.concepts if c.discovered)}


def _definition_quotes(data: SiteData) -> dict[tuple[str, str, str], AcronymDefinition]:
    """(document, passage, short form) -> the first stored definition there, to quote it."""
    out: dict[tuple[str, str, str], AcronymDefinition] = {}
    for a in sorted(data.acronyms, key=lambda a: (a.doc_id, a.start)):
        out.setdefault((a.doc_id, a.passage_id, a.short), a)
    return out


def _defining_passages(data: SiteData, short: str, definitions: list[dict],
                       quotes: dict[tuple[str, str, str], AcronymDefinition]) -> list[dict]:
    """Each passage that defines ``short``, once, with its page, paragraph number and the definition quoted."""
    out, seen = [], set()
    for d in definitions:
        doc_id, passage_id = d.get("doc_id"), d.get("passage_id")
        if doc_id not in data.docs_by_id or (doc_id, passage_id) in seen:
            continue
        seen.add((doc_id, passage_id))
        passage = data.passages_by_id.get(passage_id) if passage_id else None
        a = quotes.get((doc_id, passage_id, short)) if passage_id else None
        quote = None
        if passage is not None and a is not None and passage.start <= a.start <= a.end <= passage.end:
            quote = _kwic_segments(passage, a.start, a.end, width=50)
        out.append(dict(_doc_brief(data, doc_id), page=d.get("page"), ordinal=passage.ordinal if passage else None,
                        href=data.passage_href(doc_id, passage_id), quote=quote))
    return out


def glossary_context(data: SiteData) -> dict:
    """Acronyms with every sense and each passage that defines it (once), with the definition quoted."""
    quotes = _definition_quotes(data)
    entries = []
    for e in data.glossary:
        senses = []
        for s in e.get("senses", []):
            defs = _defining_passages(data, e["short"], s.get("definitions", []), quotes)
            senses.append({"long": s.get("long"), "concept": _concept_brief(data, s["concept_id"]) if s.get("concept_id") else None,
                           "definitions": defs[:GLOSSARY_PASSAGES], "more": len(defs[GLOSSARY_PASSAGES:])})
        entries.append({"short": e["short"], "senses": senses, "first_defined": e.get("first_defined")})
    letters = sorted({(e["short"][:1] or "#").upper() for e in entries})
    return {"entries": entries, "letters": letters}


def discovered_context(data: SiteData) -> dict:
    """Discovered concepts (acronyms the documents define that the vocabulary lacks), each with its evidence:
    the defining passages quoted, how often and where it is used, and how to keep or reject it."""
    quotes = _definition_quotes(data)
    defs_by_concept: dict[str, list[dict]] = defaultdict(list)
    for e in data.glossary:
        for s in e.get("senses", []):
            if s.get("concept_id"):
                defs_by_concept[s["concept_id"]].extend(
                    dict(d, short=e["short"]) for d in s.get("definitions", []))
    primary = data.primary_ids
    rows = []
    for c in data.concepts:
        if not c.discovered:
            continue
        ms = [m for m in data.mentions_by_concept.get(c.id, []) if m.doc_id in primary]
        defs = defs_by_concept.get(c.id, [])
        if not defs:  # defined only in another edition, which the glossary never counts: the stored definitions
            defs = [{"doc_id": a.doc_id, "passage_id": a.passage_id, "page": a.page, "short": a.short}
                    for a in data.acronyms if a.concept_id == c.id]
        evidence = []
        for short in dict.fromkeys(d["short"] for d in defs):
            evidence += _defining_passages(data, short, [d for d in defs if d["short"] == short], quotes)
        rows.append(dict(_concept_brief(data, c.id), acronyms=list(c.acronyms), aliases=list(c.aliases),
                         mentions=len(ms), documents=len({m.doc_id for m in ms}), evidence=evidence))
    rows.sort(key=lambda r: (-r["documents"], -r["mentions"], r["label"].lower(), r["id"]))
    return {"concepts": rows}


def _evidence(doc: dict, name: str, source: str | None) -> str | None:
    """What a detected title, publisher or date was read from, and how strong that source is
    ('"Transcript of … 4 October 2022" (p. 1) · good'); None for other fields."""
    key = {"Title": "title", "Publisher": "publisher", "Published": "published"}.get(name)
    if not key or not source:
        return None
    from kb.ingest.review import evidence_of, strength

    why = evidence_of(doc, key).removeprefix(f"from {source}").removeprefix(": ")
    return (why + " · " if why else "") + strength(source)


def _held_back(doc: dict, name: str, source: str | None) -> str | None:
    """A title, publisher or date kb found on weak or conflicting evidence and did not assign, named as `kb show`
    and `kb docs --check` name it (the value, why, the line and page), so a reader of the site sees what a
    reviewer would; None when the field has a value of its own (a file name standing in for a title is none)."""
    key = {"Title": "title", "Publisher": "publisher", "Published": "published"}.get(name)
    if not key or (doc.get(key) and not (key == "title" and source in ("file-name", "default"))):
        return None
    from kb.ingest.review import held_back

    return held_back(doc, key) or None


def with_lineage(page: dict, data: SiteData, doc_id: str) -> dict:
    """A document page's context (``kb.site.context.document_context``) with the document's lineage block:
    sources and followers linked to their pages, and each passage's links to the passages it shares text with."""
    found = data.lineage.get(doc_id)
    if not found:
        page["lineage"] = None
        return page
    shown = {b["id"] for b in page["blocks"] if b["t"] == "passage"}
    def cite(link: dict, other: str) -> dict:
        return dict(link, title=(data.docs_by_id.get(other) or {}).get("title") or other, href=doc_href(other),
                    passage_href=data.passage_href(link["citing_doc"], link["citing_passage"]))

    page["lineage"] = {
        "cites": [cite(x, x["cited_doc"]) for x in found["cites"]],
        "cited_by": [cite(x, x["citing_doc"]) for x in found["cited_by"]],
        "sources": [dict(x, href=doc_href(x["doc"])) for x in found["sources"]],
        "followers": [dict(x, href=doc_href(x["doc"])) for x in found["followers"]],
        "passages": {pid: [dict(link, href=data.passage_href(link["doc"], link["passage"])) for link in links]
                     for pid, links in found["passages"].items() if pid in shown},
    }
    return page
