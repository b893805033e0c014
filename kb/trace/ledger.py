"""Trace a concept or phrase through time: first-appearance ledger, timeline, publishers, co-occurrence, successors.

Everything is read through the store's named queries (never the corpus files, never SQL of its own), and honest
about dates: documents are ordered by the first day they could have been published, two documents whose possible
date ranges overlap are *tied* (the ledger picks one deterministically and names the others), undated documents never take part in ordering, and duplicate
editions (``documents.duplicate_of``) are left out everywhere.

What counts as a *definition* of a term in a document (kept simple on purpose, see docs/trace.md):
  1. an acronym definition for it (``acronym_definitions``: "primary care networks (PCNs)");
  2. a mention the tagger marked ``is_definition``;
  3. a defining sentence: the term opens its sentence and is followed by "is/are/means/refers to ..."
     (optionally after a bracketed acronym), or is followed by ", which ..."/", who ...", or by a bracketed gloss
     of three or more words starting in lower case, or is introduced by "known as/called/referred to as/termed".
"""

from __future__ import annotations

import datetime as _dt
import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.errors import InvalidArgument, UnknownConcept
from kb.models import Concept
from kb.nlp.identity import store_names
from kb.store import Store
from kb.trace.cooccurrence import COOCCURRENCE_SCORE, cooccurring
from kb.trace.forms import (
    CONCEPT_NOTE,
    EXACT_NOTE,
    VARIANTS_NOTE,
    form_firsts,
    like_prefixes,
    phrase_pattern,
    sense_rows,
)
from kb.trace.quotes import mark_html, quote
from kb.trace.results import TraceResult
from kb.trace.terms import Occurrence, TermRef

log = logging.getLogger(__name__)


BY_CHOICES = ("year", "month")


_WINDOW = 80  # characters of context fetched either side of an occurrence for definition patterns


def resolve(store: Store, term: str, exact: bool = False) -> TermRef:
    """The concept the term names (:class:`kb.nlp.vocabulary.ConceptNames`, as every command resolves it), else
    a phrase found in the passages, with its plurals, possessives and hyphen/space variants
    (:mod:`kb.trace.forms`). ``exact``: the words only as typed, never a concept.

    A shared acronym (ICP) is the sense this corpus mentions most; the others are named as alternatives.
    Raises UnknownConcept with the closest concepts when neither a concept nor a phrase matches.
    """
    term = " ".join(str(term).split())
    if not term:
        raise InvalidArgument("term", term, 'Give a concept or a phrase to trace, e.g. "triple aim".')
    if exact:
        if _phrase_exists(store, term, exact=True):
            return TermRef(term, "phrase", "as-written", exact=True)
        raise UnknownConcept(f"No passage contains {term!r} as written. Leave out --exact to match its "
                             "plurals, hyphen/space variants and the concept it names.")
    names = store_names(store)
    found = names.match(term)
    if found is not None:
        return TermRef(term, "concept", found.how, found.concept, found.others, found.note)
    if _phrase_exists(store, term):
        return TermRef(term, "phrase", "phrase")
    raise UnknownConcept(names.unknown_message(term, also=" and no passage contains that phrase"))


def _find_phrase(pattern: re.Pattern, text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each whole-word, case-insensitive match of the phrase in ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a rare character whose lower case is longer: stay exact, slower
        low = text
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    for m in pattern.finditer(low):
        a, b = m.span()
        if (a == 0 or not (low[a - 1].isalnum() or low[a - 1] == "_")) and \
                (b == len(low) or not (low[b].isalnum() or low[b] == "_")):
            yield a, b


def _candidates(store: Store, phrase: str, exact: bool):
    """Passages that may hold the phrase (SQL), to be checked with :func:`kb.trace.forms.phrase_pattern` (word
    boundaries are checked separately: a look-behind would stop the regex engine from scanning for the literal
    and make it 15x slower)."""
    return store.phrase_candidates(phrase, None if exact else like_prefixes(phrase))


def _phrase_exists(store: Store, phrase: str, exact: bool = False) -> bool:
    pattern = phrase_pattern(phrase, exact)
    return any(next(iter(_find_phrase(pattern, r["text"])), None) for r in _candidates(store, phrase, exact))


def occurrences(store: Store, ref: TermRef, window: int = _WINDOW, doc_ids: Iterable[str] | None = None,
                maybe_defining: bool = False) -> list[Occurrence]:
    """Occurrences of the term in kept (non-duplicate) documents, sorted by document and offset, with ``window``
    characters of passage text either side. ``doc_ids`` restricts them to some documents (cheaper for concepts);
    ``maybe_defining`` to those that might match a defining pattern (a superset, for concepts only).
    """
    if ref.concept is None:
        found = _phrase_occurrences(store, ref.term, window, ref.exact)
        if doc_ids is not None:
            wanted = set(doc_ids)
            found = [o for o in found if o.doc_id in wanted]
        return found
    rows = store.concept_occurrences(ref.concept.id, window, doc_ids=doc_ids, maybe_defining=maybe_defining)
    found = [Occurrence(r[0], r[1], r[2], r[3], r[4], r[5], r[7] or "", r[8] or "", bool(r[6])) for r in rows]
    found.sort(key=lambda o: (o.doc_id, o.start))
    return found


def _phrase_occurrences(store: Store, phrase: str, window: int, exact: bool = False) -> list[Occurrence]:
    pattern = phrase_pattern(phrase, exact)
    found = []
    for r in _candidates(store, phrase, exact):
        text = r["text"]
        for a, b in _find_phrase(pattern, text):
            found.append(Occurrence(r["doc_id"], r["id"], r["page"], r["start"] + a, r["start"] + b, text[a:b],
                                    text[max(0, a - window):a], text[b:b + window]))
    found.sort(key=lambda o: (o.doc_id, o.start))
    return found


def doc_counts(store: Store, ref: TermRef, phrase_occurrences: list[Occurrence] | None = None) -> Counter:
    """Occurrences per kept document (an index-only SQL count for concepts)."""
    if ref.concept is None:
        occs = phrase_occurrences if phrase_occurrences is not None else _phrase_occurrences(store, ref.term, 0,
                                                                                             ref.exact)
        return Counter(o.doc_id for o in occs)
    return store.concept_doc_counts(ref.concept.id)


# kb.store.queries.MAYBE_DEFINING is a cheap SQL superset of these patterns: widen it when they widen.
_DEFINING_VERB = re.compile(
    r"^\s*(?:\([^()]{1,30}\)\s*)?(?:is|are|means|refers\s+to|describes)\s+"
    r"(?!(?:not|also|now|being|expected|likely|set|to|due|currently|still|already|able|seen|in|on|at|by|under)\b)",
    re.IGNORECASE)


_WHICH = re.compile(r"^\s*(?:\([^()]{1,30}\)\s*)?,\s*(?:which|who)\s", re.IGNORECASE)


_GLOSS = re.compile(r"^\s*\((?=[a-z])[^()]*?\s[^()]*?\s[^()]*\)")


_INTRODUCED = re.compile(r"(?:known\s+as|called|referred\s+to\s+as|termed)\s+(?:an?\s+|the\s+)?[\"“‘']?$",
                         re.IGNORECASE)


_SENTENCE_START = re.compile(r"(?:^|[.!?:;•]\s*[\"'’”)\]]*\s*|\n)\s*(?:(?:the|a|an|new)\s+)?[\"“‘']?$", re.IGNORECASE)


def defining_pattern(before: str, after: str) -> str | None:
    """Which defining-sentence pattern (see the module docstring) the text around an occurrence matches, if any."""
    if _WHICH.match(after):
        return "which"
    if _GLOSS.match(after):
        return "gloss"
    if _INTRODUCED.search(before):
        return "known-as"
    if _DEFINING_VERB.match(after) and _SENTENCE_START.search(before):
        return "is"
    return None


def _acronym_definitions(store: Store, ref: TermRef) -> dict[str, Occurrence]:
    """doc id -> its first acronym definition of the term."""
    if ref.concept is not None:
        rows = store.acronym_definitions_of(concept_id=ref.concept.id)
    else:
        rows = store.acronym_definitions_of(term=ref.term)
    found: dict[str, Occurrence] = {}
    for a in rows:
        found.setdefault(a.doc_id, Occurrence(a.doc_id, a.passage_id, a.page, a.start, a.end, f"{a.long} ({a.short})"))
    return found


@dataclass
class _Walk:
    """What reading the dated documents in date order found: which documents use the term, which define it (with
    the defining occurrence and how), and which use it without defining it anywhere."""

    used: set[str]
    defined: dict[str, tuple[Occurrence, str]]
    undefined: set[str]


def _walk(store: Store, ref: TermRef, ordered: list[dict], phrase_occs: list[Occurrence] | None) -> _Walk:
    """Read documents oldest first, in growing batches, only until the three ledger entries and their ties are
    settled; and read only the occurrences that might define the term (a cheap SQL superset of the patterns),
    so a concept used in every document costs one query per batch, not a read of every mention."""
    acronyms = _acronym_definitions(store, ref)
    walk = _Walk(set(), {}, set())
    candidates: dict[str, list[Occurrence]] = defaultdict(list)
    if phrase_occs is not None:
        for o in phrase_occs:
            candidates[o.doc_id].append(o)

    def settled(found, upcoming: dict) -> bool:
        if not found:
            return False
        chosen = min((d for d in ordered if d["id"] in found), key=date_key)
        return upcoming["date_earliest"] > (chosen["date_latest"] or chosen["date_earliest"])

    i, batch = 0, 8
    while i < len(ordered):
        upcoming = ordered[i]
        if settled(walk.used, upcoming) and settled(walk.defined, upcoming) and settled(walk.undefined, upcoming):
            break
        chunk = ordered[i:i + batch]
        i += len(chunk)
        batch = min(batch * 2, 512)
        if phrase_occs is None:
            for o in occurrences(store, ref, doc_ids=[d["id"] for d in chunk], maybe_defining=True):
                candidates[o.doc_id].append(o)
        for doc in chunk:
            walk.used.add(doc["id"])
            checked = [(o, "tagged" if o.is_definition else defining_pattern(o.before, o.after))
                       for o in candidates.pop(doc["id"], [])]
            found = [(o, how) for o, how in checked if how]
            if doc["id"] in acronyms:
                found.append((acronyms[doc["id"]], "acronym"))
            if found:
                walk.defined[doc["id"]] = min(found, key=lambda item: (item[0].start, item[1]))
            else:
                walk.undefined.add(doc["id"])
    log.debug("trace %s: read %d of %d dated documents", ref.key, i, len(ordered))
    return walk


def _first_occurrences(store: Store, ref: TermRef, doc_ids: Iterable[str], phrase_occs: list[Occurrence] | None
                       ) -> dict[str, Occurrence]:
    """The first occurrence of the term in each of the given documents."""
    wanted = set(doc_ids)
    pool = phrase_occs if phrase_occs is not None else (occurrences(store, ref, doc_ids=wanted) if wanted else [])
    first: dict[str, Occurrence] = {}
    for o in pool:  # sorted by document and offset
        if o.doc_id in wanted:
            first.setdefault(o.doc_id, o)
    return first


def load_documents(store: Store) -> dict[str, dict]:
    """Kept (non-duplicate) documents by id, without their text."""
    return store.counted_documents()


def date_key(doc: dict) -> tuple:
    """The order of dated documents: earliest possible day, then latest, then id."""
    return (doc["date_earliest"], doc["date_latest"] or doc["date_earliest"], doc["id"])


def corpus_summary(docs: dict[str, dict]) -> dict:
    """Size and date span of the corpus the trace speaks for."""
    dated = sorted((d for d in docs.values() if d["date_earliest"]), key=date_key)
    last = max(dated, key=lambda d: (d["date_latest"] or d["date_earliest"], d["id"])) if dated else None
    return {
        "documents": len(docs),
        "dated": len(dated),
        "undated": len(docs) - len(dated),
        "first": dated[0]["published"] if dated else None,
        "last": last["published"] if last else None,
        "words": sum(d["words"] or 0 for d in docs.values()),
    }


def title_citations(store: Store) -> Callable[[str, str], bool]:
    """:func:`kb.lineage.report.names_title` for one trace: a search of a document's text, asked once per
    (document, title) however many ledger entries share a tie."""
    from kb.lineage.report import names_title

    return functools.lru_cache(maxsize=None)(lambda doc_id, title: names_title(store, doc_id, title))


def _ledger_docs(names: Callable[[str, str], bool], docs: dict[str, dict], doc_ids: Iterable[str]
                 ) -> tuple[dict, list[dict]] | None:
    """The earliest of the given dated documents (by first possible day, then last, then id) and those tied with it:
    every other one whose earliest possible day is not after the chosen one's latest. Of tied documents, one that
    the chosen names by title (and that does not name the chosen's) is shown instead: a response of the same day
    names the review it answers, so the review came first (``names``: :func:`title_citations`)."""
    dated = sorted((docs[d] for d in doc_ids if docs[d]["date_earliest"]), key=date_key)
    if not dated:
        return None
    first = dated[0]
    latest = first["date_latest"] or first["date_earliest"]
    group = [d for d in dated[1:] if d["date_earliest"] <= latest]
    chosen = next((d for d in group if names(first["id"], d["title"] or "")
                   and not names(d["id"], first["title"] or "")), first)
    return chosen, [d for d in [first, *group] if d is not chosen]


def _ledger(store: Store, picked: tuple[dict, list[dict]] | None, occ: dict[str, Occurrence], how: str | None = None
            ) -> dict | None:
    """A ledger entry: the chosen document, its occurrence quoted, and the documents tied with it."""
    if picked is None:
        return None
    chosen, tied = picked
    entry = _doc_fields(chosen) | _occurrence_fields(store, occ[chosen["id"]])
    if how is not None:
        entry["definition_kind"] = how
    entry["tied_with"] = [_doc_fields(d) | {"page": occ[d["id"]].page, "passage_id": occ[d["id"]].passage_id}
                          for d in tied]
    return entry


def _doc_fields(doc: dict) -> dict:
    keys = ("title", "publisher", "published", "date_precision", "date_source", "date_note")
    return {"doc_id": doc["id"]} | {k: doc.get(k) for k in keys}


def _occurrence_fields(store: Store, occ: Occurrence) -> dict:
    """passage, page, offsets and the quoted sentence (HTML with <mark>, and plain with mark offsets)."""
    passage = store.passage(occ.passage_id)
    fields = {"page": occ.page, "passage_id": occ.passage_id, "start": occ.start, "end": occ.end,
              "surface": occ.surface}
    if passage is None:
        sentence, ms, me = occ.surface, 0, len(occ.surface)
    else:
        local = occ.start - passage.start
        length = occ.end - occ.start
        if not (0 <= local <= len(passage.text)):
            found = passage.text.casefold().find(occ.surface.casefold())
            local, length = (found, len(occ.surface)) if found >= 0 else (0, 0)
        span = passage.text[local:local + length]
        if span.count("(") > span.count(")") and passage.text[local + length:local + length + 1] == ")":
            length += 1  # an acronym definition "Primary Care Networks (PCNs": mark the closing bracket too
        sentence, ms, me = quote(passage.text, local, local + length)
    return fields | {"quote": mark_html(sentence, ms, me), "sentence": sentence, "mark_start": ms, "mark_end": me}


def _period(doc: dict, by: str) -> str | None:
    if not doc["published"]:
        return None
    if by == "month" and doc["date_precision"] in ("month", "day"):
        return doc["published"][:7]
    return doc["published"][:4]


def _period_sort(period: str) -> tuple[int, int]:
    return int(period[:4]), int(period[5:7]) if len(period) > 4 else 0


def _all_periods(docs: dict[str, dict], by: str) -> list[str]:
    """Every period from the corpus's first to last dated document, gaps included (so zeros show)."""
    present = {p for d in docs.values() if (p := _period(d, by))}
    if not present:
        return []
    years = range(min(int(p[:4]) for p in present), max(int(p[:4]) for p in present) + 1)
    if by == "year":
        return [str(y) for y in years]
    months = sorted(p for p in present if len(p) > 4)
    span = []
    if months:
        y, m = int(months[0][:4]), int(months[0][5:7])
        while f"{y}-{m:02d}" <= months[-1]:
            span.append(f"{y}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    span += [p for p in present if len(p) == 4]
    return sorted(set(span), key=_period_sort)


def timeline(docs: dict[str, dict], counts: Counter, by: str = "year") -> list[dict]:
    """Rows per period: mentions, documents mentioning, words in the whole corpus for that period, per 10k words."""
    words: Counter = Counter()
    mentions: Counter = Counter()
    documents: Counter = Counter()
    for doc in docs.values():
        period = _period(doc, by)
        if period is None:
            continue
        words[period] += doc["words"] or 0
        if counts.get(doc["id"]):
            mentions[period] += counts[doc["id"]]
            documents[period] += 1
    return [
        {"period": p, "mentions": mentions[p], "documents": documents[p], "words_in_period": words[p],
         "per_10k": round(mentions[p] * 10000 / words[p], 2) if words[p] else None}
        for p in _all_periods(docs, by)
    ]


def by_publisher(docs: dict[str, dict], counts: Counter) -> list[dict]:
    """Mentions and documents per publisher, earliest publisher first (publishers seen only undated last)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for doc_id, n in counts.items():
        if n and doc_id in docs:
            groups[docs[doc_id]["publisher"] or "(unknown publisher)"].append(docs[doc_id])
    rows = []
    for publisher, members in groups.items():
        dated = sorted((d for d in members if d["date_earliest"]), key=date_key)
        rows.append({"publisher": publisher, "mentions": sum(counts[d["id"]] for d in members),
                     "documents": len(members), "first_published": dated[0]["published"] if dated else None,
                     "_key": date_key(dated[0]) if dated else ("9999",)})
    rows.sort(key=lambda r: (r["_key"], r["publisher"]))
    for r in rows:
        del r["_key"]
    return rows


def _related_series(store: Store, docs: dict[str, dict], concept: Concept, by: str) -> tuple[list[dict], list[dict]]:
    """Successor and predecessor concepts, each with mention counts, first dated use and its own timeline."""
    concepts = {c.id: c for c in store.concepts()}
    succ = sorted(concept.successor)
    pred = store.predecessors(concept.id)

    def series(cid: str, relation: str) -> dict:
        counts = store.concept_doc_counts(cid)
        dated = sorted((docs[d] for d in counts if d in docs and docs[d]["date_earliest"]), key=date_key)
        other = concepts.get(cid)
        return {"concept_id": cid, "label": other.label if other else cid, "relation": relation,
                "mentions": sum(counts.values()), "documents": len(counts),
                "first_use": ({"doc_id": dated[0]["id"], "published": dated[0]["published"],
                               "date_precision": dated[0]["date_precision"]} if dated else None),
                "timeline": timeline(docs, counts, by)}

    return [series(c, "successor") for c in succ], [series(c, "predecessor") for c in pred]


def crossover(older: list[dict], newer: list[dict]) -> str | None:
    """First period in which the newer concept is mentioned more often than the one it replaced (same period, same
    words, so also more per 10k words); None when the older one is never mentioned or is never overtaken."""
    if not any(row["mentions"] for row in older):
        return None
    for old, new in zip(older, newer, strict=False):
        if new["mentions"] and new["mentions"] > old["mentions"]:
            return new["period"]
    return None


def trace(store: Store, term: str, by: str = "year", exact: bool = False) -> TraceResult:
    """Everything `kb trace TERM` knows of a term (``to_json()``: what `--json` prints, schema in docs/trace.md).
    ``exact``: the words only as typed."""
    if by not in BY_CHOICES:
        raise InvalidArgument("by", by, f"Unknown period {by!r}: by must be one of {', '.join(BY_CHOICES)}.")
    ref = resolve(store, term, exact)
    docs = load_documents(store)
    corpus = corpus_summary(docs)
    phrase_occs = occurrences(store, ref) if ref.concept is None else None
    counts = doc_counts(store, ref, phrase_occs)
    counts = Counter({d: n for d, n in counts.items() if d in docs})
    names = title_citations(store)

    result = {
        "term": term,
        "match": {"kind": ref.kind, "matched_by": ref.matched_by, "alternatives": list(ref.alternatives),
                  "note": ref.note, "matches": (EXACT_NOTE if ref.exact else VARIANTS_NOTE if ref.concept is None
                                                else CONCEPT_NOTE)},
        "concept": _concept_json(ref.concept),
        "by": by,
        "corpus": corpus,
        "totals": {"mentions": sum(counts.values()), "documents": len(counts),
                   "undated_documents": sum(1 for d in counts if not docs[d]["date_earliest"])},
        **first_appearances(store, ref, docs, counts, phrase_occs, names),
        "first_use_by_form": _by_form(store, ref, docs, names),
        "timeline": timeline(docs, counts, by),
        "by_publisher": by_publisher(docs, counts),
        "cooccurring": cooccurring(store, ref, phrase_occs),
        "cooccurrence_score": COOCCURRENCE_SCORE,
        "successors": [],
        "predecessors": [],
        "crossovers": [],
    }
    if ref.concept is not None:
        result["successors"], result["predecessors"] = _related_series(store, docs, ref.concept, by)
        for s in result["successors"]:
            result["crossovers"].append({"from": ref.concept.id, "to": s["concept_id"],
                                         "period": crossover(result["timeline"], s["timeline"])})
        for p in result["predecessors"]:
            result["crossovers"].append({"from": p["concept_id"], "to": ref.concept.id,
                                         "period": crossover(p["timeline"], result["timeline"])})
    result["statement"] = _statement(ref, corpus, result)
    result["warnings"] = _warnings(docs, corpus, result)
    if ref.note:
        result["warnings"].insert(0, ref.note)
    result["senses"] = []
    if ref.alternatives:
        assert ref.concept is not None  # alternatives come only with a concept (resolve)
        by_id = {c.id: c for c in store.concepts()}
        result["senses"] = sense_rows(store, [ref.concept, *(by_id[a] for a in ref.alternatives if a in by_id)],
                                      docs)
        result["warnings"].insert(0, f"{term} is also the acronym of: {', '.join(ref.alternatives)}. Showing "
                                     f"{ref.concept.id}, the sense this corpus mentions most; trace a concept id to "
                                     "choose another.")
    return TraceResult.from_json(result)


def _by_form(store: Store, ref: TermRef, docs: dict[str, dict], names: Callable[[str, str], bool]) -> list[dict]:
    """Per form of a concept (each acronym as written, each long form): its first use, a ledger entry."""
    if ref.concept is None:
        return []
    rows = []
    for f in form_firsts(store, ref.concept, docs).values():
        occ = {d: Occurrence(d, pid, page, start, end, surface) for d, (start, end, pid, page, surface)
               in f["docs"].items()}
        picked = _ledger_docs(names, docs, occ)
        rows.append({"form": f["form"], "kind": f["kind"], "mentions": f["mentions"], "documents": len(occ),
                     "first_use": _ledger(store, picked, occ),
                     "_key": date_key(picked[0]) if picked else ("9999",)})
    rows.sort(key=lambda r: (r["_key"], r["kind"], r["form"]))
    for r in rows:
        del r["_key"]
    return rows


def first_appearances(store: Store, ref: TermRef, docs: dict[str, dict], counts: Counter,
                      phrase_occs: list[Occurrence] | None = None,
                      names: Callable[[str, str], bool] | None = None) -> dict:
    """The ledger (first_use, first_definition, first_undefined_use) and the undated mentions; ``names`` breaks
    ties by title citation (:func:`title_citations`, made here unless the caller shares one)."""
    names = names or title_citations(store)
    ordered = sorted((docs[d] for d in counts if docs[d]["date_earliest"]), key=date_key)
    walk = _walk(store, ref, ordered, phrase_occs)
    use, definition, undefined = (_ledger_docs(names, docs, found) for found in (walk.used, walk.defined, walk.undefined))
    undated = {d for d in counts if not docs[d]["date_earliest"]}
    needed = set(undated)
    for picked in (use, undefined):
        if picked:
            needed |= {picked[0]["id"]} | {d["id"] for d in picked[1]}
    first = _first_occurrences(store, ref, needed, phrase_occs)
    defining = {d: o for d, (o, _) in walk.defined.items()}
    return {
        "first_use": _ledger(store, use, first),
        "first_definition": _ledger(store, definition, defining,
                                    walk.defined[definition[0]["id"]][1] if definition else None),
        "first_undefined_use": _ledger(store, undefined, first),
        "undated": _undated(store, docs, {d: first[d] for d in undated if d in first}, counts),
    }


def _concept_json(c: Concept | None) -> dict | None:
    if c is None:
        return None
    return {"id": c.id, "label": c.label, "kind": c.kind, "definition": c.definition, "aliases": list(c.aliases),
            "acronyms": list(c.acronyms), "successor": list(c.successor), "discovered": c.discovered}


def _undated(store: Store, docs: dict[str, dict], first: dict[str, Occurrence], counts: Counter) -> list[dict]:
    """Mentions in undated documents: listed by title, never put in date order."""
    return [_doc_fields(d) | {"mentions": counts[d["id"]]} | _occurrence_fields(store, first[d["id"]])
            for d in sorted((docs[i] for i in first), key=lambda d: (d["title"], d["id"]))]


def _span(corpus: dict) -> str:
    return f"{corpus['first']}–{corpus['last']}" if corpus["first"] != corpus["last"] else str(corpus["first"])


def _statement(ref: TermRef, corpus: dict, result: dict) -> str:
    name = f'"{ref.display}"'
    dated = f"this corpus of {corpus['dated']} documents dated {_span(corpus)}" if corpus["dated"] else \
        "this corpus, which has no dated documents"
    if corpus["undated"]:
        dated += f" (plus {corpus['undated']} undated)"
    first = result["first_use"]
    if first:
        ties = len(first["tied_with"])
        tie = f", tied with {ties} other document{'s' if ties != 1 else ''} of overlapping date" if ties else ""
        return (f"{name} first in {dated}: {first['title']} ({first['publisher'] or 'unknown publisher'}, "
                f"{first['published']}){tie}.")
    if result["undated"]:
        return (f"{name} appears only in undated documents, so no first appearance can be dated in {dated}.")
    return f"{name} is not mentioned in {dated}."


def _warnings(docs: dict[str, dict], corpus: dict, result: dict) -> list[str]:
    warnings = []
    first = result["first_use"]
    if first and corpus["first"]:
        start = min(d["date_earliest"] for d in docs.values() if d["date_earliest"])
        doc_start = docs[first["doc_id"]]["date_earliest"]
        year_later = (_dt.date.fromisoformat(start) + _dt.timedelta(days=365)).isoformat()
        if doc_start < year_later:
            warnings.append(f"The earliest use ({first['published']}) falls within the first year of the corpus span "
                            f"({_span(corpus)}): the term may well be older than this corpus shows.")
    for key, label in (("first_use", "First use"), ("first_definition", "First definition"),
                       ("first_undefined_use", "First use without a definition")):
        entry = result[key]
        if entry and entry["tied_with"]:
            names = "; ".join(f"{t['title']} ({t['published']})" for t in entry["tied_with"])
            earliest = min([docs[entry["doc_id"]], *(docs[t["doc_id"]] for t in entry["tied_with"])], key=date_key)
            why = ("the one whose earliest possible date comes first" if earliest["id"] == entry["doc_id"] else
                   f"which {earliest['title'] or earliest['id']} names by title, so it came first")
            warnings.append(f"{label} is a tie: {len(entry['tied_with'])} other document(s) could be as early given "
                            f"their date precision: {names}. Shown: {entry['title']} ({entry['published']}), {why}.")
    if result["undated"]:
        n = sum(u["mentions"] for u in result["undated"])
        warnings.append(f"{n} mention(s) in {len(result['undated'])} undated document(s) are listed separately: "
                        "they cannot be placed in time and any of them could be earlier.")
    return warnings
