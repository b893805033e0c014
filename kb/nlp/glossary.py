"""The corpus glossary: acronym definitions pooled across documents, discovered concepts, and the corpus-wide
tagging that needs more than one document to decide.

:func:`finalize` runs after the changed documents are tagged and stored. It owns a clear share of the mentions:
those of discovered concepts, and those written as an acronym the tagger leaves alone (an acronym with several
senses such as ICP, one of two letters such as AO, one the vocabulary lacks, or a vocabulary acronym a document
defines in another sense). Everything else belongs to the tagger. It is plain Python and regular expressions over
stored passages, and it returns at once when nothing it depends on has changed.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.nlp.acronyms import FUNCTION_WORDS
from kb.nlp.vocabulary import guarded_acronyms, long_forms, surface_key, vocabulary_fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store
from kb.nlp.finders import _LINK, LongFinder, ShortFinder, _keys

log = logging.getLogger(__name__)


STATE_KEY = "glossary_state"


_KIND_WORDS = [
    ("legislation", r"\b(act|bill|regulations?|order)\b"),
    ("role", r"\b(officer|director|chief|lead|manager|secretary|chair|executive|practitioner|nurse|clinician)s?$"),
    ("programme", r"\b(programme|program|fund|initiative|scheme|pilot|vanguard)s?\b"),
    ("document", r"\b(plan|paper|view|strategy|framework|report|review|guidance|standards?|contract)s?$"),
    ("body", r"\b(board|committee|group|network|trust|commission|council|authority|agency|department|partnership|"
             r"system|organi[sz]ation|service|body|institute|foundation|association|confederation|unit|office|"
             r"alliance|collaborative|team|centre|center|practice|provider)s?$"),
]


@dataclass(frozen=True)
class _Doc:
    id: str
    title: str
    published: str | None
    day: int | None  # middle of the possible publication dates, as a day number


def _day(earliest: str | None, latest: str | None) -> int | None:
    if not earliest:
        return None
    a = date.fromisoformat(earliest).toordinal()
    b = date.fromisoformat(latest).toordinal() if latest else a
    return (a + b) // 2


def guess_kind(long: str) -> str:
    """A best guess at the kind of a discovered concept from its long form's head word."""
    low = long.lower()
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, low):
            return kind
    return "discovered"


def _sense_key(long: str) -> str:
    """Long forms that differ only in spacing ("advisorygroup", a PDF's glued words) are one sense."""
    return surface_key(long).replace(" ", "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def _bare(surface: str, shorts: set[str]) -> str | None:
    if surface in shorts:
        return surface
    if surface.endswith("s") and surface[:-1] in shorts:
        return surface[:-1]
    return None


def _reliable_long_form(form: str) -> bool:
    """A discovered long form tagged in running text: several words that are not all small words."""
    words = re.split(r"[\s\-]+", form.strip())
    return len(words) >= 2 and any(w.lower() not in FUNCTION_WORDS for w in words)


class _Plan:
    """Everything finalize decides, computed from the store without writing to it."""

    def __init__(self, store, concepts: list[Concept], reject: Iterable[str] = ()) -> None:
        self.store = store
        self.reject = set(reject)  # discovered ids or short forms a person rejected (kb.toml)
        self.vocab = list(concepts)
        self.vocab_ids = {c.id for c in self.vocab}
        self.long_index = {surface_key(f): c.id for c in self.vocab for f in long_forms(c)}
        self.guarded = guarded_acronyms(self.vocab)
        self.vocab_senses: dict[str, list[str]] = defaultdict(list)
        for c in self.vocab:
            for a in c.acronyms:
                self.vocab_senses[a].append(c.id)
        self.unguarded_owner = {a: ids[0] for a, ids in self.vocab_senses.items() if a not in self.guarded}
        rows = store.glossary_documents()
        self.docs = {r["id"]: _Doc(r["id"], r["title"], r["published"], _day(r["date_earliest"], r["date_latest"]))
                     for r in rows}
        self.pending = {r["id"] for r in rows if not r["glossary_done"]}
        self.definitions = [d for d in store.acronym_definitions() if d.doc_id in self.docs and not self._rejected(d)]

    def _rejected(self, d: AcronymDefinition) -> bool:
        """A definition of a rejected short form or discovered concept (never one the vocabulary names)."""
        if not self.reject or self.long_index.get(surface_key(d.long)) is not None:
            return False
        ids = {f"acr-{_slug(d.short)}", f"acr-{_slug(d.short)}-{_slug(_sense_key(d.long))}", d.concept_id}
        return d.short in self.reject or bool(ids & self.reject)

    # -- senses ------------------------------------------------------------------------------------------
    def build_senses(self) -> None:
        """Give every definition a concept: the vocabulary's, or a discovered one; build discovered concepts."""
        groups: dict[tuple[str, str], list[AcronymDefinition]] = defaultdict(list)
        for d in self.definitions:
            cid = self.long_index.get(surface_key(d.long))
            if cid is None:
                groups[(d.short, _sense_key(d.long))].append(d)
        by_short: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in groups:
            by_short[key[0]].append(key)
        self.discovered: dict[str, Concept] = {}
        sense_of_key: dict[tuple[str, str], str] = {}
        taken = set(self.vocab_ids)
        for short, keys in sorted(by_short.items()):
            keys.sort(key=lambda k: (min(self._when(d) for d in groups[k]), k[1]))
            for n, key in enumerate(keys):
                cid = f"acr-{_slug(short)}" if n == 0 else f"acr-{_slug(short)}-{_slug(key[1])}"
                while cid in taken:
                    cid += "-x"
                taken.add(cid)
                written = Counter(d.long for d in groups[key]).most_common()
                label = written[0][0]
                if self._defined_in_plural(groups[key]):
                    label = _singular_phrase(label)
                aliases = tuple(sorted({w for w, _ in written if w != label}))
                self.discovered[cid] = Concept(
                    id=cid, label=label, kind=guess_kind(label),
                    definition=f"Acronym {short} as defined in the corpus.",
                    aliases=aliases, acronyms=(short,), discovered=True)
                sense_of_key[key] = cid
        self.linked: list[AcronymDefinition] = []
        for d in self.definitions:
            cid = self.long_index.get(surface_key(d.long)) or sense_of_key[(d.short, _sense_key(d.long))]
            self.linked.append(replace(d, concept_id=cid))
        self.senses: dict[str, set[str]] = defaultdict(set)  # short -> every sense the corpus or vocabulary gives
        for a, ids in self.vocab_senses.items():
            self.senses[a].update(ids)
        for d in self.linked:
            self.senses[d.short].add(d.concept_id)  # type: ignore[arg-type]
        self.doc_defs: dict[str, dict[str, str]] = defaultdict(dict)  # doc -> short -> sense (first definition)
        for d in sorted(self.linked, key=lambda d: (d.doc_id, d.start)):
            self.doc_defs[d.doc_id].setdefault(d.short, d.concept_id)  # type: ignore[arg-type]
        # Acronyms this module tags: guarded ones, ones the vocabulary lacks, and per document, vocabulary
        # acronyms the document defines in another sense.
        self.managed = set(self.guarded) | {d.short for d in self.linked if d.short not in self.vocab_senses}
        self.overridden: dict[str, set[str]] = defaultdict(set)
        for doc_id, defs in self.doc_defs.items():
            for short, cid in defs.items():
                if short in self.unguarded_owner and self.unguarded_owner[short] != cid:
                    self.overridden[doc_id].add(short)
        self.def_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for d in self.linked:
            self.def_spans[d.doc_id].append((d.start, d.end))
        # The written-out forms tagged in running text: reliable ones case-insensitively, a single word only
        # exactly as the document wrote it.
        self.forms: list[tuple[str, str, bool]] = sorted(
            (cid, f, not _reliable_long_form(f)) for cid, c in self.discovered.items() for f in long_forms(c))

    def _spans(self, doc_id: str) -> _Spans:
        return _Spans(self.def_spans.get(doc_id, []))

    def _defined_in_plural(self, defs: list[AcronymDefinition]) -> bool:
        """True when the acronym was written plural ("(ICSs)"), so the long form is a plural too."""
        d = defs[0]
        n = len(d.short) + 1
        return self.store.document_text_slice(d.doc_id, d.end - n, d.end) == d.short + "s"

    def _when(self, d: AcronymDefinition) -> int:
        day = self.docs[d.doc_id].day
        return day if day is not None else 10**7

    def concepts(self) -> list[Concept]:
        """The full concept table: vocabulary (plus acronyms documents gave it) and discovered concepts."""
        extra: dict[str, set[str]] = defaultdict(set)
        for d in self.linked:
            if d.concept_id in self.vocab_ids and d.short not in self.vocab_senses:
                extra[d.concept_id].add(d.short)
        out = [replace(c, acronyms=c.acronyms + tuple(sorted(extra[c.id]))) if extra.get(c.id) else c
               for c in self.vocab]
        return sorted(out + list(self.discovered.values()), key=lambda c: c.id)

    # -- mentions ----------------------------------------------------------------------------------------
    def all_shorts(self) -> set[str]:
        return self.managed | {s for v in self.overridden.values() for s in v}

    def scan(self, doc_id: str, passages: Iterable[Passage], shorts: ShortFinder, longs: LongFinder) -> _Scan:
        """One document's raw material: its long-form mentions (overlaps resolved) and acronym hits."""
        long_hits: list[Mention] = []
        short_hits: list[tuple[str, int, int, str, str, int]] = []
        mine = self.managed | self.overridden.get(doc_id, set())
        for p in passages:
            links = _Spans([m.span() for m in _LINK.finditer(p.text)])  # web addresses are not running text
            for start, end, short, surface in shorts.finditer(p.text):
                if short in mine and not links.overlaps(start, end) and not _starts_a_name(p.text, end):
                    short_hits.append((p.id, p.start + start, p.start + end, short, surface, p.page))
            for cid, start, end, surface in longs.finditer(p.text):
                if not links.overlaps(start, end):
                    long_hits.append(Mention(doc_id, p.id, cid, surface, p.start + start, p.start + end, p.page))
        spans = self._spans(doc_id)
        resolved = [replace(m, is_definition=spans.overlaps(m.start, m.end)) for m in _longest(long_hits)]
        return _Scan(resolved, short_hits)

    def evidence(self, usage: dict[str, Counter]) -> dict[str, dict[str, tuple[int, list[int]]]]:
        """Per ambiguous acronym, per sense: how often the corpus defines or writes it out, and on which days."""
        out: dict[str, dict[str, tuple[int, list[int]]]] = {}
        defs_by_short: dict[str, list[AcronymDefinition]] = defaultdict(list)
        for d in self.linked:
            defs_by_short[d.short].append(d)
        users: dict[str, list[str]] = defaultdict(list)  # concept -> documents writing it out
        for doc_id in sorted(usage):
            if doc_id in self.docs:
                for c, n in usage[doc_id].items():
                    if n:
                        users[c].append(doc_id)
        for short in sorted(self.all_shorts()):
            candidates = sorted(self.senses.get(short, ()))
            if len(candidates) < 2:
                continue
            found: dict[str, list[int | None]] = defaultdict(list)
            for d in defs_by_short.get(short, ()):
                if d.concept_id in candidates:
                    found[d.concept_id].append(self.docs[d.doc_id].day)
            for c in candidates:
                for other in users.get(c, ()):
                    found[c].append(self.docs[other].day)
            out[short] = {c: (len(days), sorted(d for d in days if d is not None)) for c, days in sorted(found.items())}
        return out

    def signatures(self, evidence: dict[str, dict]) -> dict[str, str]:
        """Per acronym this module tags, a fingerprint of everything that decides its sense outside a document."""
        out = {}
        for short in sorted(self.all_shorts()):
            payload = [short in self.managed, sorted(self.senses.get(short, ())), self.unguarded_owner.get(short),
                       evidence.get(short)]
            out[short] = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
        return out

    def desired(self, doc_id: str, scan: _Scan, usage: Counter, evidence: dict[str, dict],
                names: list[tuple[int, int]]) -> set[Mention]:
        """The mentions this module owns in one document.

        ``names`` are the spans of other concepts' written-out names there: an acronym inside one ("NHS" in
        "NHS England") is part of that name, not a mention of its own.
        """
        desired = set(scan.longs)
        cache: dict[str, str | None] = {}
        spans = self._spans(doc_id)
        inside = _Spans(names + [(m.start, m.end) for m in scan.longs])
        for pid, start, end, short, surface, page in scan.shorts:
            if inside.overlaps(start, end):
                continue
            if short not in cache:
                cache[short] = self.sense(doc_id, short, usage, evidence)
            cid = cache[short]
            if cid is None:
                continue
            desired.add(Mention(doc_id, pid, cid, surface, start, end, page, spans.overlaps(start, end)))
        return desired

    def sense(self, doc_id: str, short: str, usage: Counter, evidence: dict[str, dict]) -> str | None:
        """Which concept an acronym names in a document, or None when nothing settles it."""
        own = self.doc_defs.get(doc_id, {}).get(short)
        if own is not None:
            return own
        if short in self.overridden.get(doc_id, ()) or short.lower() in _COMMON_WORDS:
            return None  # "YES" in a vote count is a word, unless this document defines it as an acronym
        candidates = sorted(self.senses.get(short, ()))
        if not candidates:
            return None
        letters = sum(ch.isalpha() for ch in short)
        if len(candidates) == 1 and letters > 2:
            return candidates[0]
        used = [(usage[c], c) for c in candidates if usage[c]]
        if used:
            return max(used)[1]
        if len(candidates) < 2:
            return None
        return self._by_date(doc_id, evidence.get(short) or {})

    def _by_date(self, doc_id: str, evidence: dict[str, tuple[int, list[int]]]) -> str | None:
        """The sense whose definitions or written-out uses elsewhere in the corpus are nearest in time.

        The document itself is never among that evidence: had it defined or written out a sense, that sense
        would have been chosen before dates were needed.
        """
        if not evidence:
            return None
        here = self.docs[doc_id].day
        scored = []
        for c, (count, dated) in evidence.items():
            distance = 10**7
            if here is not None and dated:
                i = bisect.bisect_left(dated, here)
                distance = min(abs(dated[j] - here) for j in (i - 1, i) if 0 <= j < len(dated))
            scored.append((distance, -count, c))
        return min(scored)[2]


@dataclass
class _Scan:
    longs: list[Mention]
    shorts: list[tuple[str, int, int, str, str, int]]  # passage, start, end, short, surface, page


def _singular_phrase(phrase: str) -> str:
    """ "Integrated Care Systems" -> "Integrated Care System" (the last word only)."""
    from kb.nlp.vocabulary import _singular

    head, _, last = phrase.rpartition(" ")
    single = _singular(last.lower())
    if single == last.lower():
        return phrase
    if last.isupper():
        single = single.upper()
    elif last[0].isupper():
        single = single[0].upper() + single[1:]
    last = single
    return f"{head} {last}" if head else last


def _looks_short(surface: str) -> bool:
    return " " not in surface and sum(ch.isupper() for ch in surface) >= 2


#: Words that are also acronyms somewhere (YES, NO, AIM, ACT): tagged only in a document that defines them.
_COMMON_WORDS = frozenset(
    "a am an and any are as at be but by can do for go he her him his how if in is it its me my no not of oh ok "
    "on one or our out see she so the to too two up us was we who why yes you aim act age aid art day end fit "
    "key law man new now old own pay run set sit top use way win".split())


#: A capitalised word after an acronym that continues the name of the acronym's own body, not another name.
_OWN_PARTS = frozenset(
    "Board Boards Chair Chairs Chief Committee Committees Director Directors Executive Executives Lead Leads "
    "Member Members Officer Officers Partners Staff Team Teams".split())


_NAME_AFTER = re.compile(r" ([A-Z][a-z]+)|-[A-Z]")


def _starts_a_name(text: str, end: int) -> bool:
    """The acronym opens a longer proper name ("NHS Employers", "NHS Constitution", "NHS-R"): part of that
    name, not a mention of its own ("ICB Board" still is: the board of the ICB)."""
    m = _NAME_AFTER.match(text, end)
    return m is not None and m.group(1) not in _OWN_PARTS


class _Spans:
    """Definition spans of one document, asked "does [start, end) overlap any?" in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []  # the furthest end among spans[:i+1]
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def _longest(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, longest first (discovered long forms that share words)."""
    chosen: list[Mention] = []
    starts: list[int] = []  # of chosen mentions, sorted; chosen ones never overlap, so their ends sort alike
    ends: list[int] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.concept_id)):
        i = bisect.bisect_left(starts, m.end)  # chosen mentions starting before m ends
        if i == 0 or ends[i - 1] <= m.start:
            chosen.append(m)
            starts.insert(i, m.start)
            ends.insert(i, m.end)
    return chosen


#: Bump when what finalize computes changes, so a knowledge base made by an older version is redone in full.
_STATE_VERSION = 5


#: Above this many changed acronyms or long forms, one pass over every document beats a lookup per pattern.
_TARGETED_LIMIT = 40


def finalize(store, concepts: list[Concept], reject: Iterable[str] = ()) -> set[str]:
    """Pool acronym definitions corpus-wide, make discovered concepts, tag what needs the whole corpus.

    Writes the concept table, links each acronym definition to its concept, adds and removes the mentions this
    module owns, and returns the ids of documents whose mentions changed (they need re-indexing). Idempotent.
    ``reject`` holds discovered concept ids (``acr-ss``) and short forms (``SS``) to leave out: their
    definitions make no concept.

    Incremental: it rescans only documents that changed since the last run, plus those holding an acronym whose
    corpus-wide sense changed or a long form that appeared or went; a first run (or a new vocabulary) scans every
    document once, a passage at a time. The result is the same as a full recomputation.
    """
    vocab_fp = vocabulary_fingerprint(concepts)
    try:
        previous = json.loads(store.get_meta(STATE_KEY) or "{}")
    except ValueError:
        previous = {}
    rejected = sorted(set(reject))
    if (not isinstance(previous, dict) or previous.get("version") != _STATE_VERSION
            or previous.get("vocab") != vocab_fp or previous.get("reject", []) != rejected):
        previous = {}
    plan = _Plan(store, list(concepts), reject)
    plan.build_senses()
    full = not previous
    old_shorts: dict[str, str] = previous.get("shorts", {})
    old_forms = {tuple(f) for f in previous.get("forms", [])}
    new_forms = set(plan.forms)
    previous_discovered = {c.id for c in store.concepts() if c.discovered}
    owned_ids = previous_discovered | set(plan.discovered)
    shorts = ShortFinder(plan.all_shorts())
    longs = LongFinder(plan.forms)

    # Phase 1: documents that changed, and those holding a long form that came or went.
    if full:
        touched = set(plan.docs)
    else:
        touched = set(plan.pending)
        form_delta = old_forms ^ new_forms
        touched |= _docs_containing(store, [f for _, f, _ in form_delta], lower=True, every=plan.docs)
    scans = {d: plan.scan(d, store.iter_passages(d), shorts, longs) for d in sorted(touched)}

    # Usage of each sense written out, per document: the tagger's mentions plus this module's long forms.
    interest = sorted({c for s in plan.all_shorts() for c in plan.senses.get(s, ())})
    usage: dict[str, Counter] = defaultdict(Counter)
    all_shorts = plan.all_shorts()
    for doc_id, cid, surface, n in store.mention_counts(interest):
        if doc_id not in plan.docs or _looks_short(surface):
            continue
        if cid in owned_ids and (doc_id in scans or _bare(surface, all_shorts)):
            continue  # this module's own mentions: long forms are counted from the scan below or kept as stored
        usage[doc_id][cid] += n
    for doc_id, scan in scans.items():
        for m in scan.longs:
            usage[doc_id][m.concept_id] += 1
    evidence = plan.evidence(usage)
    short_sigs = plan.signatures(evidence)

    # Phase 2: documents holding an acronym whose sense may have changed elsewhere in the corpus.
    if not full:
        changed_shorts = {s for s in set(short_sigs) | set(old_shorts) if short_sigs.get(s) != old_shorts.get(s)}
        more = _docs_containing(store, sorted(changed_shorts), lower=False, every=plan.docs) - touched
        for d in sorted(more):
            scans[d] = plan.scan(d, store.iter_passages(d), shorts, longs)
        touched |= more

    changed: set[str] = set()
    adds: list[Mention] = []
    removes: list[Mention] = []
    for doc_id in sorted(touched):
        mine = plan.managed | plan.overridden.get(doc_id, set())
        stored = store.mentions(doc_id=doc_id)
        owned = {m for m in stored if m.concept_id in owned_ids or _bare(m.surface, mine)}
        names = [(m.start, m.end) for m in stored if m not in owned and " " in m.surface.strip()]
        want = plan.desired(doc_id, scans[doc_id], usage[doc_id], evidence, names)
        gone, new = owned - want, want - owned
        if gone or new:
            changed.add(doc_id)
            removes.extend(gone)
            adds.extend(new)
    concepts_now = plan.concepts()
    state = json.dumps({"version": _STATE_VERSION, "vocab": vocab_fp, "reject": rejected, "shorts": short_sigs,
                        "forms": sorted(new_forms)}, sort_keys=True)
    if (not changed and not plan.pending and state == store.get_meta(STATE_KEY)
            and concepts_now == store.concepts()):
        return set()
    with store.transaction():
        store.apply_mention_changes(removes, sorted(adds, key=lambda m: (m.doc_id, m.start)))
        store.link_definitions(plan.linked)
        store.replace_concepts(concepts_now)
        store.mark_unindexed(sorted(changed))
        store.mark_glossary_done(sorted(touched))
        store.set_meta(STATE_KEY, state)
    log.info("glossary: %d definitions, %d discovered concepts, %d documents rescanned, %d changed",
             len(plan.linked), len(plan.discovered), len(touched), len(changed))
    return changed


def _docs_containing(store, patterns: list[str], *, lower: bool, every: dict) -> set[str]:
    """Documents whose passages may hold one of these strings: a lookup per pattern, or every document."""
    if not patterns:
        return set()
    if len(patterns) > _TARGETED_LIMIT or (lower and any(not p.isascii() for p in patterns)):
        return set(every)
    probes = []
    for p in patterns:
        if lower:
            keys = _keys(p)
            if not keys:
                return set(every)
            probes.append(keys[0])
        else:
            probes.append(p)
    return {d for d in store.documents_containing(probes, lower=lower) if d in every}


def glossary(store: Store) -> list[dict]:
    """The corpus glossary: per short form, each sense with its long form, concept and defining documents."""
    rows = store.glossary_definitions()
    labels = store.concept_labels()
    entries: dict[str, dict] = {}
    for r in rows:
        entry = entries.setdefault(r["short"], {"short": r["short"], "senses": [], "first_defined": None,
                                                "_keys": {}, "_first": None})
        key = r["concept_id"] or surface_key(r["long"])
        sense = entry["_keys"].get(key)
        if sense is None:
            sense = {"long": r["long"], "concept_id": r["concept_id"], "concept_label": labels.get(r["concept_id"]),
                     "definitions": [], "_forms": Counter()}
            entry["_keys"][key] = sense
            entry["senses"].append(sense)
        sense["_forms"][r["long"]] += 1
        sense["definitions"].append({"doc_id": r["doc_id"], "title": r["title"], "published": r["published"],
                                     "page": r["page"], "passage_id": r["passage_id"]})
        if r["date_earliest"] and (entry["_first"] is None or r["date_earliest"] < entry["_first"]):
            entry["_first"] = r["date_earliest"]
            entry["first_defined"] = r["published"]
    out = []
    for short in sorted(entries, key=lambda s: (s.lower(), s)):
        entry = entries[short]
        for sense in entry["senses"]:
            forms = sense.pop("_forms")
            sense["long"] = max(forms.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]
        del entry["_keys"], entry["_first"]
        out.append(entry)
    return out


def concept_summaries(store: Store, concepts: Iterable[Concept] | None = None) -> list[dict]:
    """Per concept: names, mention and document counts, and first appearance. Duplicate documents never count.

    ``concepts`` defaults to the stored concept table (vocabulary plus discovered).
    """
    concepts = list(concepts) if concepts is not None else store.concepts()
    counts = store.concept_totals()
    first = store.concept_first_documents()
    out = []
    for c in sorted(concepts, key=lambda c: c.id):
        mentions, documents = counts.get(c.id, (0, 0))
        out.append({"id": c.id, "label": c.label, "kind": c.kind, "definition": c.definition,
                    "aliases": list(c.aliases), "acronyms": list(c.acronyms), "mentions": mentions,
                    "documents": documents, "first_seen": first.get(c.id), "discovered": c.discovered})
    return out
