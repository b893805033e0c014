"""What a discovered concept *is*, and the ids that name it: one concept per real meaning, ids that never change
meaning.

A discovered concept is an acronym (plural and possessive forms folded: "PCNs", "CCG's" are PCN, CCG) with one
meaning, written out in one or more long forms. :func:`same_meaning` decides when two long forms of one acronym
are spellings of one name (case, "and"/"&", hyphens, a typo, a renamed body whose acronym stays) and
:func:`senses` groups them.

The :class:`IdLedger` (kept in the store's meta table) records every id ever issued with the identity it was
issued for: the acronym and the normalised long form. Ids are looked up there before new ones are made, so a
saved ``concept:acr-icb`` query or a site URL keeps meaning what it meant: a concept keeps its id while its
identity is in the corpus; an id whose identity was adopted into the vocabulary or merged into another spelling
resolves to that concept, with a note; an id is never issued twice.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.models import AcronymDefinition, Concept
from kb.nlp.acronyms import FUNCTION_WORDS
from kb.nlp.vocabulary import ConceptNames, _singular, surface_key

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

#: The store meta key holding the ledger (JSON).
LEDGER_KEY = "concept_ids"
_VERSION = 1

_POSSESSIVE_END = re.compile(r"(?:['\u2019]s|s['\u2019])$")


def canonical_short(short: str) -> str:
    """The acronym an inflected form writes: "PCNs" -> "PCN", "CCG's" / "CCGs'" -> "CCG"; "NHS" stays."""
    s = short.strip()
    if _POSSESSIVE_END.search(s) and len(s) > 3:
        s = s[:-2]
    if len(s) > 2 and s.endswith("s") and s[-2].isupper():
        s = s[:-1]
    return s


@functools.lru_cache(maxsize=65536)
def identity_key(long: str) -> str:
    """A long form's identity: :func:`surface_key` (case, hyphens, possessive, plural, spelling) with "&" read
    as "and" and everything but letters and digits dropped ("Department of Health & Social Care" ==
    "department of health and social-care")."""
    key = surface_key(long.replace("&", " and "))
    return re.sub(r"[^0-9a-z]+", "", key)


def content_words(long: str) -> list[str]:
    """The content words of a long form, lower case, function words and punctuation dropped."""
    words = re.split(r"[^0-9a-z]+", surface_key(long.replace("&", " and ")))
    return [w for w in words if w and w not in FUNCTION_WORDS]


def _same_word(a: str, b: str) -> bool:
    """One word of a name, written alike: equal, sharing a stem of five letters ("practice", "practitioner";
    "excellence", "excellance"), or one edit apart in a word of five letters or more ("primery")."""
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]:
        return True
    return min(len(a), len(b)) >= 5 and _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def same_meaning(a: str, b: str) -> bool:
    """True when two long forms of one acronym are spellings of one name.

    Same identity key; or, word by word (content words only), at least three quarters in common on each side,
    or every word of a name of two words or more found in the other ("Prepayment Certificate", "Prescription
    Prepayment Certificate"), counting words written alike (:func:`_same_word`): "National Institute for Health and Clinical Excellence"
    and "... Care Excellence" (4 of 5) are one body renamed, "Integrated Care Board" and "Integrated
    Commissioning Board" (2 of 3) are two bodies, "Single Point of Access" and "State Pension age" share nothing.
    """
    if identity_key(a) == identity_key(b):
        return True
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    common = 0
    rest = list(wb)
    for w in wa:
        hit = next((i for i, v in enumerate(rest) if _same_word(w, v)), None)
        if hit is not None:
            common += 1
            del rest[hit]
    shorter = min(len(wa), len(wb))
    return common * 4 >= 3 * max(len(wa), len(wb)) or (common == shorter >= 2)


def senses(longs: Iterable[str]) -> list[list[str]]:
    """Long forms of one acronym grouped into meanings (single link over :func:`same_meaning`), each group and
    the groups in first-seen order."""
    items = list(dict.fromkeys(longs))
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i):
            if root(i) != root(j) and same_meaning(items[i], items[j]):
                parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[str]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    return list(groups.values())


@dataclass(frozen=True)
class Redirect:
    """Where an id that no longer names a concept of its own leads: ``to`` (None: nowhere now) and why."""

    id: str
    to: str | None
    note: str


class IdLedger:
    """Every discovered-concept id ever issued, with the identity (acronym, long-form key) it was issued for."""

    def __init__(self, raw: str | None = None) -> None:
        data = {}
        if raw:
            try:
                data = json.loads(raw)
            except ValueError:
                data = {}
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            data = {}
        self.ids: dict[str, dict] = dict(data.get("ids", {}))
        self._by_identity: dict[tuple[str, str], str] = {}
        for i, e in sorted(self.ids.items(), key=lambda kv: kv[1]["seq"]):
            self._by_identity.setdefault((e["short"], e["key"]), i)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def owner(self, short: str, key: str) -> str | None:
        """The id issued for this identity, if any."""
        return self._by_identity.get((short, key))

    def issue(self, short: str, long: str, reserved: Iterable[str] = ()) -> str:
        """A new id for (short, long): ``acr-<short>``, else ``acr-<short>-<long>``, else with a number; never an
        id issued before or one of ``reserved`` (vocabulary ids)."""
        key = identity_key(long)
        known = self.owner(short, key)
        if known is not None:
            return known
        taken = set(self.ids) | set(reserved)
        base = f"acr-{_slug(short)}"
        candidates = [base, f"{base}-{_slug(key)}"]
        cid = next((c for c in candidates if c not in taken), None)
        n = 2
        while cid is None:
            cid = f"{candidates[1]}-{n}" if f"{candidates[1]}-{n}" not in taken else None
            n += 1
        self.ids[cid] = {"short": short, "key": key, "long": long, "seq": len(self.ids), "to": cid, "note": ""}
        self._by_identity[(short, key)] = cid
        return cid

    def adopt(self, cid: str, short: str, long: str) -> None:
        """Record an id given before the ledger existed, for the identity it was given to (two ids given to
        one identity then: the first owns it, the second will lead to it)."""
        key = identity_key(long)
        self.ids[cid] = {"short": short, "key": key, "long": long, "seq": len(self.ids), "to": cid, "note": ""}
        self._by_identity.setdefault((short, key), cid)

    def seed(self, definitions: Iterable[AcronymDefinition]) -> None:
        """A store made before the ledger: its discovered ids keep the meaning they had (the identity of the
        first definition linked to each), so ids given then stay valid."""
        firsts: dict[str, AcronymDefinition] = {}
        for d in definitions:
            if d.concept_id and d.concept_id.startswith("acr-"):
                firsts.setdefault(d.concept_id, d)
        for cid in sorted(firsts):
            d = firsts[cid]
            if cid not in self.ids:
                self.adopt(cid, d.short, d.long)

    def settle(self, where: Mapping[tuple[str, str], str], vocab_of: Mapping[str, str | None],
               labels: Mapping[str, str]) -> None:
        """Record where every id's identity is now.

        ``where`` maps the identity of every discovered long form now in the corpus to its concept's id;
        ``vocab_of`` maps an identity key to the vocabulary concept whose long form it is (if any); ``labels``
        names concepts for the notes.
        """
        for cid, e in sorted(self.ids.items()):
            ident = (e["short"], e["key"])
            now = where.get(ident) or vocab_of.get(e["long"])
            if now == cid:
                e["to"], e["note"] = cid, ""
            elif now is not None:
                how = "merged into" if now in where.values() else "adopted into the vocabulary as"
                e["to"] = now
                e["note"] = f"{cid} ({e['short']}: {e['long']}) was {how} {now} ({labels.get(now, now)})"
            else:
                e["to"] = None
                e["note"] = (f"{cid} named {e['short']} ({e['long']}), which no document in this corpus defines "
                             "any more")

    def redirects(self, current: Iterable[str]) -> dict[str, Redirect]:
        """Ids that no longer name a concept of their own (not in ``current``), with where they lead."""
        now = set(current)
        return {cid: Redirect(cid, e.get("to") if e.get("to") in now else None, e.get("note", ""))
                for cid, e in self.ids.items() if cid not in now}

    def dumps(self) -> str:
        return json.dumps({"version": _VERSION, "ids": self.ids}, sort_keys=True, ensure_ascii=False)


def load_redirects(raw: str | None, current: Iterable[str]) -> dict[str, tuple[str | None, str]]:
    """The redirects of a stored ledger (the meta value under :data:`LEDGER_KEY`), as
    :class:`kb.nlp.vocabulary.ConceptNames` takes them: id -> (the id it leads to or None, a note)."""
    return {cid: (r.to, r.note) for cid, r in IdLedger(raw).redirects(current).items()}


def store_names(store: Store, concepts: list[Concept] | None = None) -> ConceptNames:
    """The one way a knowledge base's names are resolved (``KnowledgeBase.concept_names()``, kb trace, the site):
    the store's concepts (or ``concepts``, e.g. the site's without rejected ones), the corpus's mention counts to
    settle a shared acronym, and the id ledger's redirects for ids issued once."""
    concepts = store.concepts() if concepts is None else concepts
    return ConceptNames(concepts, usage=store.mention_totals, redirects=lambda: load_redirects(
        store.get_meta(LEDGER_KEY), (c.id for c in concepts)))


_KIND_WORDS = [
    ("legislation", r"\b(act|bill|regulations?|order)\b"),
    ("role", r"\b(officer|director|chief|lead|manager|secretary|chair|executive|practitioner|nurse|clinician)s?$"),
    ("programme", r"\b(programme|program|fund|initiative|scheme|pilot|vanguard)s?\b"),
    ("document", r"\b(plan|paper|view|strategy|framework|report|review|guidance|standards?|contract)s?$"),
    ("body", r"\b(board|committee|group|network|trust|commission|council|authority|agency|department|partnership|"
             r"system|organi[sz]ation|service|body|institute|foundation|association|confederation|unit|office|"
             r"alliance|collaborative|team|centre|center|practice|provider)s?$"),
]


def guess_kind(long: str) -> str:
    """A best guess at the kind of a discovered concept from its long form's head word."""
    low = long.lower()
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, low):
            return kind
    return "discovered"


def singular_phrase(phrase: str) -> str:
    """ "Integrated Care Systems" -> "Integrated Care System" (the last word only)."""
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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"
