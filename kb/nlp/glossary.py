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
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.nlp.vocabulary import guarded_acronyms, long_forms, surface_key, vocabulary_fingerprint

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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def _bare(surface: str, shorts: set[str]) -> str | None:
    if surface in shorts:
        return surface
    if surface.endswith("s") and surface[:-1] in shorts:
        return surface[:-1]
    return None


def _short_regex(shorts: Iterable[str]) -> re.Pattern | None:
    alts = sorted(set(shorts), key=lambda s: (-len(s), s))
    if not alts:
        return None
    return re.compile(r"(?<![\w&])(" + "|".join(re.escape(s) for s in alts) + r")(s?)(?![\w&])")


def _long_regex(long: str) -> re.Pattern:
    words = [re.escape(w).replace("'", "['\u2019]") for w in re.split(r"[\s\-]+", long.strip()) if w]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?:s|es)?(?!\w)", re.IGNORECASE)


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
        rows = store.conn.execute(
            "SELECT id, title, published, date_earliest, date_latest FROM documents WHERE duplicate_of IS NULL "
            "ORDER BY id").fetchall()
        self.docs = {r["id"]: _Doc(r["id"], r["title"], r["published"], _day(r["date_earliest"], r["date_latest"]))
                     for r in rows}
        self.definitions = [d for d in store.acronym_definitions() if d.doc_id in self.docs and not self._rejected(d)]

    def _rejected(self, d: AcronymDefinition) -> bool:
        """A definition of a rejected short form or discovered concept (never one the vocabulary names)."""
        if not self.reject or self.long_index.get(surface_key(d.long)) is not None:
            return False
        ids = {f"acr-{_slug(d.short)}", f"acr-{_slug(d.short)}-{_slug(surface_key(d.long))}", d.concept_id}
        return d.short in self.reject or bool(ids & self.reject)

    # -- senses ------------------------------------------------------------------------------------------
    def build_senses(self) -> None:
        """Give every definition a concept: the vocabulary's, or a discovered one; build discovered concepts."""
        groups: dict[tuple[str, str], list[AcronymDefinition]] = defaultdict(list)
        for d in self.definitions:
            cid = self.long_index.get(surface_key(d.long))
            if cid is None:
                groups[(d.short, surface_key(d.long))].append(d)
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
            cid = self.long_index.get(surface_key(d.long)) or sense_of_key[(d.short, surface_key(d.long))]
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

    def _defined_in_plural(self, defs: list[AcronymDefinition]) -> bool:
        """True when the acronym was written plural ("(ICSs)"), so the long form is a plural too."""
        d = defs[0]
        n = len(d.short) + 1
        row = self.store.conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE id=?",
                                      (d.end - n + 1, n, d.doc_id)).fetchone()
        return bool(row) and row[0] == d.short + "s"

    def _when(self, d: AcronymDefinition) -> int:
        day = self.docs[d.doc_id].day
        return day if day is not None else 10**7

    def concepts(self) -> list[Concept]:
        """The full concept table: vocabulary (plus acronyms documents gave it) and discovered concepts."""
        extra: dict[str, set[str]] = defaultdict(set)
        for d in self.linked:
            if d.concept_id in self.vocab_ids and d.short not in self.vocab_senses:
                extra[d.concept_id].add(d.short)  # type: ignore[index]
        out = [replace(c, acronyms=c.acronyms + tuple(sorted(extra[c.id]))) if extra.get(c.id) else c
               for c in self.vocab]
        return sorted(out + list(self.discovered.values()), key=lambda c: c.id)

    # -- mentions ----------------------------------------------------------------------------------------
    def all_shorts(self) -> set[str]:
        return self.managed | {s for v in self.overridden.values() for s in v}

    def _passages(self, shorts: set[str], longs: list[str]):
        """Only the stored passages that can hold a short or long form this module tags (SQLite filters)."""
        clauses, args = [], []
        for short in sorted(shorts):
            clauses.append("instr(text, ?) > 0")
            args.append(short)
        for long in longs:
            word = max(re.split(r"[\s\-']+", long), key=len)
            clauses.append("text LIKE ? ESCAPE '\\'")
            args.append("%" + re.sub(r"([%_\\])", r"\\\1", word) + "%")
        if not clauses:
            return []
        sql = f"SELECT * FROM passages WHERE {' OR '.join(clauses)} ORDER BY doc_id, ordinal"
        return [Passage(r["id"], r["doc_id"], r["ordinal"], r["page"], r["page_end"], r["start"], r["end"], r["text"],
                        r["heading"]) for r in self.store.conn.execute(sql, args)]

    def usage(self, shorts: set[str]) -> dict[str, Counter]:
        """Per document, how often each sense of these acronyms appears written out (its long forms)."""
        interest = sorted({c for s in shorts for c in self.senses.get(s, ())})
        usage: dict[str, Counter] = defaultdict(Counter)
        if not interest:
            return usage
        marks = ", ".join("?" for _ in interest)
        for doc_id, cid, surface, n in self.store.conn.execute(
                f"SELECT doc_id, concept_id, surface, COUNT(*) FROM mentions WHERE concept_id IN ({marks}) "
                "GROUP BY doc_id, concept_id, surface", interest):
            if not _looks_short(surface):
                usage[doc_id][cid] += n
        return usage

    def desired_mentions(self) -> dict[str, set[Mention]]:
        """The mentions this module owns, per document."""
        shorts = self.all_shorts()
        short_re = _short_regex(shorts)
        long_res = [(cid, _long_regex(f)) for cid, c in sorted(self.discovered.items()) for f in long_forms(c)]
        passages = self._passages(shorts, [f for c in self.discovered.values() for f in long_forms(c)])
        hits: dict[str, list[tuple]] = defaultdict(list)  # doc -> (passage, start, end, short, surface)
        long_hits: dict[str, list[Mention]] = defaultdict(list)
        for p in passages:
            if p.doc_id not in self.docs:
                continue
            if short_re is not None:
                for m in short_re.finditer(p.text):
                    short = m.group(1)
                    if short in self.managed or short in self.overridden.get(p.doc_id, ()):
                        hits[p.doc_id].append((p, p.start + m.start(), p.start + m.end(), short, m.group(0)))
            for cid, rx in long_res:
                for m in rx.finditer(p.text):
                    long_hits[p.doc_id].append(Mention(p.doc_id, p.id, cid, m.group(0), p.start + m.start(),
                                                       p.start + m.end(), p.page))
        # Evidence of each sense in each document: its long form used there (for "uses it so" and dating).
        usage = self.usage(shorts)
        for doc_id, ms in long_hits.items():
            for m in ms:
                usage[doc_id][m.concept_id] += 1
        def_spans = defaultdict(list)
        for d in self.linked:
            def_spans[d.doc_id].append((d.start, d.end))
        desired: dict[str, set[Mention]] = {doc_id: set() for doc_id in self.docs}
        for doc_id, ms in long_hits.items():
            for m in _longest(ms):
                is_def = any(s < m.end and m.start < e for s, e in def_spans[doc_id])
                desired[doc_id].add(replace(m, is_definition=is_def))
        cache: dict[tuple[str, str], str | None] = {}
        for doc_id, found in hits.items():
            for p, start, end, short, surface in found:
                key = (doc_id, short)
                if key not in cache:
                    cache[key] = self.sense(doc_id, short, usage)
                cid = cache[key]
                if cid is None:
                    continue
                is_def = any(s < end and start < e for s, e in def_spans[doc_id])
                desired[doc_id].add(Mention(doc_id, p.id, cid, surface, start, end, p.page, is_def))
        return desired

    def sense(self, doc_id: str, short: str, usage: dict[str, Counter]) -> str | None:
        """Which concept an acronym names in a document, or None when nothing settles it."""
        own = self.doc_defs.get(doc_id, {}).get(short)
        if own is not None:
            return own
        if short in self.overridden.get(doc_id, ()):
            return None
        candidates = sorted(self.senses.get(short, ()))
        if not candidates:
            return None
        letters = sum(ch.isalpha() for ch in short)
        if len(candidates) == 1 and letters > 2:
            return candidates[0]
        used = [(usage[doc_id][c], c) for c in candidates if usage[doc_id][c]]
        if used:
            return max(used)[1]
        if len(candidates) < 2:
            return None
        return self._by_date(doc_id, short, candidates, usage)

    def _by_date(self, doc_id: str, short: str, candidates: list[str], usage: dict[str, Counter]) -> str | None:
        """The sense whose definitions or written-out uses elsewhere in the corpus are nearest in time.

        The document itself is never among that evidence: had it defined or written out a sense, that sense
        would have been chosen before dates were needed.
        """
        cache = self.__dict__.setdefault("_evidence", {})
        if short not in cache:
            found: dict[str, list[int | None]] = defaultdict(list)
            for d in self.linked:
                if d.short == short and d.concept_id in candidates:
                    found[d.concept_id].append(self.docs[d.doc_id].day)  # type: ignore[index]
            for other, counts in usage.items():
                if other in self.docs:
                    for c in candidates:
                        if counts[c]:
                            found[c].append(self.docs[other].day)
            cache[short] = {c: (len(days), sorted(d for d in days if d is not None)) for c, days in found.items()}
        evidence = cache[short]
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


def _longest(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, longest first (discovered long forms that share words)."""
    chosen: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.concept_id)):
        if all(m.end <= c.start or c.end <= m.start for c in chosen):
            chosen.append(m)
    return chosen


def _owned_candidates(store, concept_ids: set[str], shorts: set[str]) -> dict[str, list[Mention]]:
    """Stored mentions that may belong to this module: of discovered concepts, or written as a managed acronym."""
    surfaces = sorted(shorts | {s + "s" for s in shorts})
    ids = sorted(concept_ids)
    if not surfaces and not ids:
        return {}
    sql = ("SELECT * FROM mentions WHERE concept_id IN (%s) OR surface IN (%s)"
           % (", ".join("?" for _ in ids) or "NULL", ", ".join("?" for _ in surfaces) or "NULL"))
    out: dict[str, list[Mention]] = defaultdict(list)
    for r in store.conn.execute(sql, ids + surfaces):
        out[r["doc_id"]].append(Mention(r["doc_id"], r["passage_id"], r["concept_id"], r["surface"], r["start"],
                                        r["end"], r["page"], bool(r["is_definition"])))
    return out


def _state(store, concepts: list[Concept]) -> str:
    """A fingerprint of everything finalize reads: unchanged means there is nothing to do."""
    h = hashlib.sha256(vocabulary_fingerprint(concepts).encode())
    for table, sql in (
        ("docs", "SELECT id, sha256, tagged_with, duplicate_of, date_earliest, date_latest, title, published "
                 "FROM documents ORDER BY id"),
        ("defs", "SELECT doc_id, start, short, long, page, passage_id FROM acronym_definitions "
                 "ORDER BY doc_id, start, short"),
        ("mentions", "SELECT doc_id, COUNT(*), SUM(start), SUM(LENGTH(concept_id)) FROM mentions "
                     "GROUP BY doc_id ORDER BY doc_id"),
    ):
        h.update(table.encode())
        h.update(repr([tuple(r) for r in store.conn.execute(sql)]).encode())
    return h.hexdigest()


def finalize(store, concepts: list[Concept], reject: Iterable[str] = ()) -> set[str]:
    """Pool acronym definitions corpus-wide, make discovered concepts, tag what needs the whole corpus.

    Writes the concept table, links each acronym definition to its concept, adds and removes the mentions this
    module owns, and returns the ids of documents whose mentions changed (they need re-indexing). Idempotent; when
    nothing it reads has changed since the last run it returns an empty set without writing. ``reject`` holds
    discovered concept ids (``acr-ss``) and short forms (``SS``) to leave out: their definitions make no concept.
    """
    rejected = repr(sorted(reject))
    before = _state(store, concepts) + rejected
    if store.get_meta(STATE_KEY) == before:
        return set()
    plan = _Plan(store, list(concepts), reject)
    plan.build_senses()
    previous_discovered = {c.id for c in store.concepts() if c.discovered}
    desired = plan.desired_mentions()
    owned_ids = previous_discovered | set(plan.discovered)
    stored = _owned_candidates(store, owned_ids, plan.all_shorts())
    changed: set[str] = set()
    adds: list[Mention] = []
    removes: list[Mention] = []
    for doc_id in sorted(set(stored) | set(desired)):
        if doc_id not in plan.docs:
            continue
        shorts = plan.managed | plan.overridden.get(doc_id, set())
        owned = {m for m in stored.get(doc_id, ()) if m.concept_id in owned_ids or _bare(m.surface, shorts)}
        want = desired.get(doc_id, set())
        gone, new = owned - want, want - owned
        if gone or new:
            changed.add(doc_id)
            removes.extend(gone)
            adds.extend(new)
    with store.transaction():
        store.conn.executemany("DELETE FROM mentions WHERE doc_id=? AND start=? AND concept_id=?",
                               [(m.doc_id, m.start, m.concept_id) for m in removes])
        store.conn.executemany(
            "INSERT OR REPLACE INTO mentions(doc_id, passage_id, concept_id, surface, start, end, page, is_definition)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(m.doc_id, m.passage_id, m.concept_id, m.surface, m.start, m.end, m.page, int(m.is_definition))
             for m in sorted(adds, key=lambda m: (m.doc_id, m.start))])
        store.conn.executemany(
            "UPDATE acronym_definitions SET concept_id=? WHERE doc_id=? AND start=? AND short=? "
            "AND concept_id IS NOT ?",
            [(d.concept_id, d.doc_id, d.start, d.short, d.concept_id) for d in plan.linked])
        store.replace_concepts(plan.concepts())
        if changed:
            store.conn.executemany("UPDATE documents SET indexed=0 WHERE id=?", [(d,) for d in sorted(changed)])
        store.set_meta(STATE_KEY, _state(store, concepts) + rejected)
    log.info("glossary: %d definitions, %d discovered concepts, %d documents changed",
             len(plan.linked), len(plan.discovered), len(changed))
    return changed


def glossary(store) -> list[dict]:
    """The corpus glossary: per short form, each sense with its long form, concept and defining documents."""
    rows = store.conn.execute(
        "SELECT a.short, a.long, a.concept_id, a.doc_id, a.page, a.passage_id, a.start, d.title, d.published, "
        "d.date_earliest FROM acronym_definitions a JOIN documents d ON d.id = a.doc_id "
        "WHERE d.duplicate_of IS NULL ORDER BY a.short, d.date_earliest IS NULL, d.date_earliest, a.doc_id, a.start"
    ).fetchall()
    labels = {r["id"]: r["label"] for r in store.conn.execute("SELECT id, label FROM concepts")}
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


def concept_summaries(store, concepts: Iterable[Concept] | None = None) -> list[dict]:
    """Per concept: names, mention and document counts, and first appearance. Duplicate documents never count.

    ``concepts`` defaults to the stored concept table (vocabulary plus discovered).
    """
    concepts = list(concepts) if concepts is not None else store.concepts()
    counts = {r[0]: (r[1], r[2]) for r in store.conn.execute(
        "SELECT m.concept_id, COUNT(*), COUNT(DISTINCT m.doc_id) FROM mentions m JOIN documents d ON d.id = m.doc_id "
        "WHERE d.duplicate_of IS NULL GROUP BY m.concept_id")}
    first: dict[str, dict] = {}
    for r in store.conn.execute(
            "SELECT DISTINCT m.concept_id, d.id, d.published, d.date_earliest, d.date_latest FROM mentions m "
            "JOIN documents d ON d.id = m.doc_id WHERE d.duplicate_of IS NULL "
            "ORDER BY m.concept_id, d.date_earliest IS NULL, d.date_earliest, d.date_latest, d.id"):
        first.setdefault(r[0], {"doc_id": r[1], "published": r[2]})
    out = []
    for c in sorted(concepts, key=lambda c: c.id):
        mentions, documents = counts.get(c.id, (0, 0))
        out.append({"id": c.id, "label": c.label, "kind": c.kind, "definition": c.definition,
                    "aliases": list(c.aliases), "acronyms": list(c.acronyms), "mentions": mentions,
                    "documents": documents, "first_seen": first.get(c.id), "discovered": c.discovered})
    return out
