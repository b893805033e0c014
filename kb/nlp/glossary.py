"""The corpus glossary: acronym definitions pooled across documents, discovered concepts, and the corpus-wide
tagging that needs more than one document to decide.

:func:`finalize` runs after the changed documents are tagged and stored. It owns a clear share of the mentions:
those of discovered concepts, and those written as an acronym the tagger leaves alone (an acronym with several
senses such as ICP, one of two letters such as AO, one the vocabulary lacks, or a vocabulary acronym a document
defines in another sense). Everything else belongs to the tagger. It is plain Python and regular expressions over
stored passages, and it returns at once when nothing it depends on has changed.
"""

from __future__ import annotations

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
from kb.nlp.context import (
    COMMON_WORDS,
    Spans,
    capital_initials,
    in_code_path,
    joined_name,
    longest,
    numbered,
    other_name,
    other_spelling,
    proper_name,
    starts_a_name,
)
from kb.nlp.identity import (
    LEDGER_KEY,
    IdLedger,
    canonical_short,
    guess_kind,
    identity_key,
    same_meaning,
    senses,
    singular_phrase,
)
from kb.nlp.travel import Reach, document_words, named_senses, nearest_in_time, writes_words
from kb.nlp.vocabulary import guarded_acronyms, long_forms, surface_key, vocabulary_fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store
from kb.nlp.finders import _LINK, LongFinder, ShortFinder, docs_containing

log = logging.getLogger(__name__)


STATE_KEY = "glossary_state"


@dataclass(frozen=True)
class _Doc:
    id: str
    title: str
    published: str | None
    day: int | None  # middle of the possible publication dates, as a day number
    publisher: str | None = None


def _day(earliest: str | None, latest: str | None) -> int | None:
    if not earliest:
        return None
    a = date.fromisoformat(earliest).toordinal()
    b = date.fromisoformat(latest).toordinal() if latest else a
    return (a + b) // 2


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
        self.vocab_by_id = {c.id: c for c in self.vocab}
        self.long_index = {surface_key(f): c.id for c in self.vocab for f in long_forms(c)}
        self._vocab_named: dict[str, list[tuple[str, str]]] = defaultdict(list)  # acronym -> (long form, id)
        for c in self.vocab:
            for a in c.acronyms:
                self._vocab_named[a].extend((f, c.id) for f in long_forms(c))
        self.guarded = guarded_acronyms(self.vocab)
        self.vocab_senses: dict[str, list[str]] = defaultdict(list)
        for c in self.vocab:
            for a in c.acronyms:
                self.vocab_senses[a].append(c.id)
        self.unguarded_owner = {a: ids[0] for a, ids in self.vocab_senses.items() if a not in self.guarded}
        rows = store.glossary_documents()
        self.docs = {r["id"]: _Doc(r["id"], r["title"], r["published"], _day(r["date_earliest"], r["date_latest"]),
                                   r["publisher"]) for r in rows}
        self.pending = {r["id"] for r in rows if not r["glossary_done"]}
        self.written: dict[tuple[str, int, str], str] = {}  # (doc, start, acronym) -> the acronym as written
        self.definitions: list[AcronymDefinition] = []
        for d in store.acronym_definitions():
            if d.doc_id in self.docs and not self._rejected(d):
                short = canonical_short(d.short)
                self.written[(d.doc_id, d.start, short)] = d.short
                self.definitions.append(replace(d, short=short))

    def stored_definitions(self) -> list[AcronymDefinition]:
        """The linked definitions with each acronym as the document wrote it (the store's key)."""
        return [replace(d, short=self.written[(d.doc_id, d.start, d.short)]) for d in self.linked]

    def _rejected(self, d: AcronymDefinition) -> bool:
        """A definition of a rejected short form or discovered concept (never one the vocabulary names)."""
        if not self.reject or self.long_index.get(surface_key(d.long)) is not None:
            return False
        short = canonical_short(d.short)
        ids = {f"acr-{_slug(short)}", f"acr-{_slug(short)}-{_slug(identity_key(d.long))}", d.concept_id}
        return d.short in self.reject or short in self.reject or bool(ids & self.reject)

    # -- senses ------------------------------------------------------------------------------------------
    def build_senses(self, ledger: IdLedger) -> None:
        """Give every definition a concept: the vocabulary's, or a discovered one (ids from ``ledger``)."""
        by_short: dict[str, list[AcronymDefinition]] = defaultdict(list)
        for d in sorted(self.definitions, key=lambda d: (self._when(d), d.doc_id, d.start)):
            if self.vocab_id(d.short, d.long) is None:
                by_short[d.short].append(d)
        self.discovered: dict[str, Concept] = {}
        sense_of: dict[tuple[str, str], str] = {}  # (short, long as written) -> discovered id
        self.where: dict[tuple[str, str], str] = {}  # identity (short, identity key) -> discovered id
        for short, defs in sorted(by_short.items()):
            for group in senses(d.long for d in defs):
                members = [d for d in defs if d.long in set(group)]
                owned = [ledger.owner(short, identity_key(f)) for f in group]
                known = sorted((ledger.ids[i]["seq"], i) for i in owned if i is not None)
                cid = known[0][1] if known else ledger.issue(short, group[0], self.vocab_ids)
                self.discovered[cid] = self._concept(cid, short, members, ledger.ids[cid]["key"])
                for f in group:
                    sense_of[(short, f)] = cid
                    self.where[(short, identity_key(f))] = cid
        self.linked: list[AcronymDefinition] = []
        for d in self.definitions:
            cid = self.vocab_id(d.short, d.long) or sense_of[(d.short, d.long)]
            self.linked.append(replace(d, concept_id=cid))
        self.senses: dict[str, set[str]] = defaultdict(set)  # short -> every sense the corpus or vocabulary gives
        for a, ids in self.vocab_senses.items():
            self.senses[a].update(ids)
        self.defined_in: dict[str, set[str]] = defaultdict(set)  # concept -> documents defining it
        for d in self.linked:
            self.senses[d.short].add(d.concept_id)  # type: ignore[arg-type]
            self.defined_in[d.concept_id].add(d.doc_id)  # type: ignore[index]
        self.doc_defs: dict[str, dict[str, str]] = defaultdict(dict)  # doc -> short -> sense (first definition)
        for d in sorted(self.linked, key=lambda d: (d.doc_id, d.start)):
            self.doc_defs[d.doc_id].setdefault(d.short, d.concept_id)  # type: ignore[arg-type]
        # Acronyms this module tags: guarded ones, ones the vocabulary lacks, and per document, vocabulary
        # acronyms the document defines in another sense.
        self.managed = set(self.guarded) | {d.short for d in self.linked if d.short not in self.vocab_senses}
        self.overridden: dict[str, set[str]] = defaultdict(set)
        for doc_id, firsts in self.doc_defs.items():
            for short, cid in firsts.items():
                if short in self.unguarded_owner and self.unguarded_owner[short] != cid:
                    self.overridden[doc_id].add(short)
        self.def_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for d in self.linked:
            self.def_spans[d.doc_id].append((d.start, d.end))
        # The written-out forms tagged in running text: reliable ones case-insensitively, a single word only
        # exactly as the document wrote it.
        self.forms: list[tuple[str, str, bool]] = sorted(
            (cid, f, not _reliable_long_form(f)) for cid, c in self.discovered.items() for f in long_forms(c))
        self._settle(ledger)

    def vocab_id(self, short: str, long: str) -> str | None:
        """The vocabulary concept a defined long form names: one of its names, or a spelling of a name it
        gives this acronym (:func:`kb.nlp.identity.same_meaning`)."""
        cid = self.long_index.get(surface_key(long))
        if cid is None:
            cid = next((c for f, c in self._vocab_named.get(short, ()) if same_meaning(f, long)), None)
        return cid

    def _concept(self, cid: str, short: str, defs: list[AcronymDefinition], key: str) -> Concept:
        """A discovered concept from the definitions of one meaning: the name defined most often (then the one
        its id was given for, then the latest) is the label; every other spelling an alias, dated in the
        definition when there are several."""
        written = Counter(d.long for d in defs)
        last_seen = {d.long: n for n, d in enumerate(defs)}
        keys = Counter(identity_key(d.long) for d in defs)  # "and" and "&" spellings count together
        label = max(written, key=lambda f: (keys[identity_key(f)], written[f], identity_key(f) == key, "&" not in f,
                                            last_seen[f]))
        if label.endswith("s") and self._defined_in_plural([d for d in defs if d.long == label]):
            label = singular_phrase(label)
        aliases = tuple(sorted({f for f in written if f != label}))
        definition = f"Acronym {short} as defined in the corpus."
        if len(written) > 1:
            spans = []
            for f in sorted(written, key=lambda f: min(self._when(d) for d in defs if d.long == f)):
                years = sorted({(self.docs[d.doc_id].published or "")[:4] for d in defs if d.long == f} - {""})
                when = f" ({years[0]}{'-' + years[-1] if years[-1] != years[0] else ''})" if years else ""
                spans.append(f"{f}{when}")
            definition += " Written " + "; ".join(spans) + "."
        return Concept(id=cid, label=label, kind=guess_kind(label), definition=definition, aliases=aliases,
                       acronyms=(short,), discovered=True)

    def _settle(self, ledger: IdLedger) -> None:
        """Record in the ledger where each id's identity is now: its own concept, the concept its spelling
        merged into, the vocabulary concept that adopted it, or nowhere."""
        where = dict(self.where)
        for e in ledger.ids.values():
            ident = (e["short"], e["key"])
            if ident in where:
                continue
            for other, target in self.where.items():  # the form went, another spelling of it is still here
                if other[0] == ident[0] and same_meaning(e["long"], self.discovered[target].label):
                    where[ident] = target
                    break
        vocab_of = {e["long"]: self.vocab_id(e["short"], e["long"]) for e in ledger.ids.values()}
        labels = {c.id: c.label for c in self.vocab} | {c.id: c.label for c in self.discovered.values()}
        ledger.settle(where, {k: v for k, v in vocab_of.items() if v}, labels)

    def _spans(self, doc_id: str) -> Spans:  # the definitions' spans in one document
        return Spans(self.def_spans.get(doc_id, []))

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
    def all_shorts(self) -> set[str]:  # every acronym this module tags somewhere
        return self.managed | {s for v in self.overridden.values() for s in v}

    def scan(self, doc_id: str, passages: Iterable[Passage], shorts: ShortFinder, longs: LongFinder) -> _Scan:
        """One document's raw material: its long-form mentions (overlaps resolved) and acronym hits."""
        long_hits: list[Mention] = []
        short_hits: list[tuple[str, int, int, str, str, int]] = []
        mine = self.managed | self.overridden.get(doc_id, set())
        own = self.doc_defs.get(doc_id, {})
        texts: list[str] = []
        seen: Counter = Counter()  # acronyms defined elsewhere: uses here, and those followed by a number
        coded: set[tuple[int, str]] = set()
        paths: Counter = Counter()  # uses inside a path of codes ("MRH/IDA/TSP/ICB/G-")
        for p in passages:
            texts.append(p.text)
            links = Spans([m.span() for m in _LINK.finditer(p.text)])  # web addresses are not running text
            for start, end, short, surface in shorts.finditer(p.text):
                if short not in mine or links.overlaps(start, end):
                    continue
                if joined_name(p.text, end) or (short not in own and starts_a_name(p.text, end)):
                    continue  # "NHS-R"; "NHS Employers" where the document does not define NHS itself
                if short not in own:  # codes, unless this document defines the letters
                    seen[short] += 1
                    if in_code_path(p.text, start, end):
                        paths[short] += 1
                        continue
                    if numbered(p.text, end):
                        coded.add((p.start + start, short))
                short_hits.append((p.id, p.start + start, p.start + end, short, surface, p.page))
            for cid, start, end, surface in longs.finditer(p.text):
                if not links.overlaps(start, end):
                    long_hits.append(Mention(doc_id, p.id, cid, surface, p.start + start, p.start + end, p.page))
        spans = self._spans(doc_id)
        resolved = [replace(m, is_definition=spans.overlaps(m.start, m.end)) for m in longest(long_hits)]
        # "BC 47", "BC 12": letters this document mostly numbers are a series of reference codes; letters it
        # mostly writes inside paths of codes are a code wherever written (a table's "ICB" beside ".../ICB/G-").
        series = {s for s in seen if 2 * sum(1 for _, c in coded if c == s) >= seen[s] - paths[s]}
        in_paths = {s for s in seen if 2 * paths[s] >= seen[s]}
        if series or in_paths:
            short_hits = [h for h in short_hits if h[3] not in in_paths
                          and ((h[1], h[3]) not in coded or h[3] not in series)]
        # Acronyms this document writes, defined elsewhere, whose letters it writes as another word ("GPs").
        found = {h[3] for h in short_hits if h[3] not in own}
        if found:
            text = "\n".join(texts)
            low = text.lower()
            spelt = {s for s in found if len(low) == len(text) and other_spelling(s, low, text)}
            # (only where every meaning is a discovered one: a curated vocabulary's meanings are not second-guessed)
            named = {s for s in found - spelt if len(s) > 2 and self.senses.get(s, set()) <= self.discovered.keys()}
            initials = capital_initials(text) if named else frozenset()
            spelt |= {s for s in named if other_name(s, text, low, self._names(s), same_meaning, initials)}
            if spelt:
                short_hits = [h for h in short_hits if h[3] not in spelt]
            words = document_words(low)  # senses whose every content word this document writes somewhere
            worded = frozenset(c for s in found - spelt for c in self.senses.get(s, ())
                               if any(writes_words(f, words) for f in self._forms(c)))
            lettered = frozenset(c for s in found - spelt if len(self.senses.get(s, ())) == 1
                                 for c in self.senses[s])
            return _Scan(resolved, short_hits, worded, lettered)
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
            senses = sorted(self.senses.get(short, ()))
            payload = [short in self.managed, senses, self.unguarded_owner.get(short), evidence.get(short),
                       [(self._travels(c), len(self.defined_in.get(c, ())) > 1, self.reach.key(c)) for c in senses],
                       self._names(short)]
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
        inside = Spans(names + [(m.start, m.end) for m in scan.longs])
        for pid, start, end, short, surface, page in scan.shorts:
            if inside.overlaps(start, end):
                continue
            if short not in cache:
                cache[short] = self.sense(doc_id, short, usage, evidence, scan.worded, scan.lettered)
            cid = cache[short]
            if cid is None:
                continue
            desired.add(Mention(doc_id, pid, cid, surface, start, end, page, spans.overlaps(start, end)))
        return desired

    def sense(self, doc_id: str, short: str, usage: Counter, evidence: dict[str, dict],
              worded: frozenset[str] = frozenset(), lettered: frozenset[str] = frozenset()) -> str | None:
        """Which concept an acronym names in a document, or None when nothing settles it. ``worded``: the senses
        whose every content word the document writes (:func:`kb.nlp.travel.writes_words`); ``lettered``: the
        senses of other letters it writes that have one meaning only."""
        own = self.doc_defs.get(doc_id, {}).get(short)
        if own is not None:
            return own
        if short in self.overridden.get(doc_id, ()) or short.lower() in COMMON_WORDS:
            return None  # "YES" in a vote count is a word, unless this document defines it as an acronym
        candidates = sorted(self.senses.get(short, ()))
        if not candidates:
            return None
        named = {c for c, n in usage.items() if n} | set(self.doc_defs.get(doc_id, {}).values())
        letters = sum(ch.isalpha() for ch in short)
        here = [c for c in candidates if self._travels(c) and self._supported(c, worded, named, lettered - {c}) and (
            letters > 2 or len(self.defined_in.get(c, ())) > 1 or (c not in self.discovered and len(candidates) > 1))]
        if len(candidates) == 1 and here:
            return here[0]  # two letters (GP) only once two documents give it the same meaning
        used = [(usage[c], c) for c in candidates if usage[c]]
        if used:
            return max(used)[1]
        if len(candidates) < 2:
            return None
        return nearest_in_time(self.docs[doc_id].day, {c: v for c, v in (evidence.get(short) or {}).items() if c in here})

    def _supported(self, cid: str, worded: frozenset[str], named: set[str], lettered: frozenset[str]) -> bool:
        """Whether a document that neither defines a sense nor writes it out supports it: always for a
        vocabulary concept; for a discovered one, see :mod:`kb.nlp.travel`."""
        return (cid not in self.discovered or self.reach.corpus_wide(cid) or cid in worded
                or self.reach.shares_world(cid, named, lettered))

    def _travels(self, cid: str) -> bool:
        """Whether a sense holds outside the documents that define it: a vocabulary concept, or a discovered one
        defined in two documents or more, or named by a specific name: a proper name ("Business Cases") or three
        content words or more ("employer identification number"), not a generic phrase ("Business cases",
        "self-assessment"). Elsewhere it is tagged only where a document writes its long form out."""
        concept = self.discovered.get(cid)
        return (concept is None or len(self.defined_in.get(cid, ())) > 1 or proper_name(concept.label)
                or sum(w.lower() not in FUNCTION_WORDS for w in concept.label.split()) >= 3)

    def _names(self, short: str) -> list[str]:  # every long form of every sense of an acronym
        return [f for c in sorted(self.senses.get(short, ())) for f in self._forms(c)]

    def _forms(self, cid: str) -> list[str]:
        return long_forms(self.discovered.get(cid) or self.vocab_by_id[cid])

    def settle_reach(self, usage: dict[str, Counter]) -> None:  # which senses hold where (kb.nlp.travel)
        self.reach = Reach(self.senses, self.defined_in, named_senses(usage, self.doc_defs),
                           {d: doc.publisher for d, doc in self.docs.items()})


@dataclass
class _Scan:
    longs: list[Mention]
    shorts: list[tuple[str, int, int, str, str, int]]  # passage, start, end, short, surface, page
    worded: frozenset[str] = frozenset()  # senses whose every content word the document writes
    lettered: frozenset[str] = frozenset()  # senses of letters it writes, defined elsewhere, that mean one thing


def _looks_short(surface: str) -> bool:  # an acronym as written, not a long form
    return " " not in surface and sum(ch.isupper() for ch in surface) >= 2


#: Bump when what finalize computes changes, so a knowledge base made by an older version is redone in full.
_STATE_VERSION = 9


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
    ledger = IdLedger(store.get_meta(LEDGER_KEY))
    if not ledger:
        ledger.seed(plan.definitions)
    plan.build_senses(ledger)
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
        touched |= docs_containing(store, [f for _, f, _ in form_delta], lower=True, every=plan.docs)
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
    plan.settle_reach(usage)
    evidence = plan.evidence(usage)
    short_sigs = plan.signatures(evidence)

    # Phase 2: documents holding an acronym whose sense may have changed elsewhere in the corpus.
    if not full:
        changed_shorts = {s for s in set(short_sigs) | set(old_shorts) if short_sigs.get(s) != old_shorts.get(s)}
        more = docs_containing(store, sorted(changed_shorts), lower=False, every=plan.docs) - touched
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
            and concepts_now == store.concepts() and ledger.dumps() == store.get_meta(LEDGER_KEY)):
        return set()
    with store.transaction():
        store.apply_mention_changes(removes, sorted(adds, key=lambda m: (m.doc_id, m.start)))
        store.link_definitions(plan.stored_definitions())
        store.replace_concepts(concepts_now)
        store.mark_unindexed(sorted(changed))
        store.mark_glossary_done(sorted(touched))
        store.set_meta(STATE_KEY, state)
        store.set_meta(LEDGER_KEY, ledger.dumps())
    log.info("glossary: %d definitions, %d discovered concepts, %d documents rescanned, %d changed",
             len(plan.linked), len(plan.discovered), len(touched), len(changed))
    return changed


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
