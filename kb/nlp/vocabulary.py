"""The concept vocabulary: a hand-edited TOML file of policy concepts, loaded into :class:`kb.models.Concept`.

Users edit or replace this file for another policy domain, so every mistake gets a message naming the file,
the line and what to change. The surface-form helpers here are shared by the tagger and the glossary so that a
long form written in a document ("Integrated Care Systems", "place based partnerships") finds its concept.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kb.errors import UnknownConcept, VocabularyError, did_you_mean
from kb.models import Concept
from kb.tomltables import load_tables

#: Bump when the tagging rules change, so that every document is tagged again (it is part of the fingerprint).
TAGGING_VERSION = 5
KINDS = ("body", "policy", "programme", "legislation", "document", "role")
LIST_FIELDS = ("aliases", "acronyms", "shared_acronyms", "successor", "part_of", "related")
FIELDS = ("id", "label", "kind", "definition") + LIST_FIELDS
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'",
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


# -- surface forms ---------------------------------------------------------------------------------------
_POSSESSIVE = re.compile(r"'s\b")
_WELL_BEING = re.compile(r"\bwell being\b")
_CO_HYPHEN = re.compile(r"\bco (?=ordinat|operat)")
_AMERICAN = re.compile(r"iz(ation|ations|e|es|ed|ing)$")
_EDGE = " .,;:'\""


@functools.lru_cache(maxsize=65536)
def surface_key(text: str) -> str:
    """A canonical key for a long form: case, quotes, hyphens, British/American spelling and plural ignored.

    "Place-based Partnerships" and "place based partnership" share a key, so a long form found in a document
    can be looked up in the vocabulary. Cached: the tagger and the glossary look the same forms up again and
    again.
    """
    return _surface_key(text)


def _surface_key(text: str) -> str:
    """``surface_key`` without the cache, for names keyed once (the concept resolver keys every name of every
    concept on each search). Plain string operations, each rule run only when its letters are there."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = text.lower()
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    words = text.replace("-", " ").replace("/", " ").split()
    if words and (words[0][0] in _EDGE or words[-1][-1] in _EDGE):
        words = " ".join(words).strip(_EDGE).split()
    if not words:
        return ""
    joined = " ".join(words)
    if "well being" in joined or "co " in joined:
        words = _CO_HYPHEN.sub("co", _WELL_BEING.sub("wellbeing", joined)).split()
    if "iz" in text or "program" in text:
        words = [_british(w) for w in words]
    words[-1] = _singular(words[-1])
    return " ".join(words)


def _british(word: str) -> str:
    word = _AMERICAN.sub(r"is\1", word)
    if word in ("program", "programs"):
        word = "programme" + word[7:]
    return word


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(phrase: str) -> str:
    """The plural of a noun phrase (its last word): "body" -> "bodies", "board" -> "boards"."""
    head, _, last = phrase.rpartition(" ")
    if last[-1:].isdigit() or not last[-1:].isalpha():
        return phrase
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|ch|sh)$", last):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


def _spellings(word: str) -> set[str]:
    """British and American spellings of one word (organisation/organization, programme/program)."""
    low = word.lower()
    out = {word}
    if re.search(r"is(ation|ations|e|es|ed|ing)$", low):
        out.add(re.sub(r"is(ation|ations|e|es|ed|ing)$", r"iz\1", word, flags=re.I))
    if re.search(r"iz(ation|ations|e|es|ed|ing)$", low):
        out.add(re.sub(r"iz(ation|ations|e|es|ed|ing)$", r"is\1", word, flags=re.I))
    if low in ("programme", "programmes"):
        out.add(word[:7] + word[9:])
    if low in ("program", "programs"):
        out.add(word[:7] + "me" + word[7:])
    if low == "wellbeing":
        out.update({"well-being", "well being"})
    if low.startswith(("co-ordinat", "co-operat")):
        out.add(word[:2] + word[3:])
    elif low.startswith(("coordinat", "cooperat")):
        out.add(word[:2] + "-" + word[2:])
    return out


def long_form_variants(alias: str, pluralise: bool = True) -> set[str]:
    """Every written form the tagger should accept for a long form.

    Plural, British/American spellings and hyphen/space variants ("place-based" / "place based"); case, curly
    quotes and possessives are handled by matching on spaCy's NORM attribute.
    """
    alias = " ".join(unicodedata.normalize("NFKC", alias).translate(_QUOTES).split())
    bases = {alias, plural(alias)} if pluralise else {alias}
    out: set[str] = set()
    for base in bases:
        words = base.split(" ")
        for combo in itertools.product(*(sorted(_spellings(w)) for w in words)):
            phrase = " ".join(combo)
            out.add(phrase)
            out.add(phrase.replace("-", " "))
            gaps = phrase.count(" ")
            if 1 <= gaps <= 3 and "-" not in phrase:
                parts = phrase.split(" ")
                for seps in itertools.product((" ", "-"), repeat=gaps):
                    out.add(parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True)))
    return out


def acronym_variants(short: str) -> set[str]:
    """Case-sensitive forms of an acronym: "CCG", "CCGs" (possessives and "ICS-wide" split off as tokens)."""
    return {short, short + "s"}


def long_forms(concept: Concept) -> list[str]:
    """The label and aliases of a concept: its case-insensitive names."""
    return [concept.label, *concept.aliases]


def guarded_acronyms(concepts: Iterable[Concept]) -> set[str]:
    """Acronyms too risky to tag on sight: claimed by two concepts (ICP) or two letters or fewer (AO).

    They are tagged only where a document defines them or uses one sense's long form, or (for acronyms with
    several senses) where the corpus glossary settles the sense by date.
    """
    owners: dict[str, set[str]] = {}
    for c in concepts:
        for a in c.acronyms:
            owners.setdefault(a, set()).add(c.id)
    return {a for a, ids in owners.items() if len(ids) > 1 or sum(ch.isalpha() for ch in a) <= 2}


# -- loading ---------------------------------------------------------------------------------------------
def load_vocabulary(path: Path) -> list[Concept]:
    """Read and check a vocabulary file. Raise VocabularyError naming the file, line and problem."""
    path = Path(path)
    if not path.exists():
        raise VocabularyError(f"Vocabulary file {path} does not exist. Create it or pass --vocabulary FILE.")
    concepts: list[Concept] = []
    where_id: dict[str, int] = {}
    long_owner: dict[str, tuple[str, int]] = {}
    acr_owner: dict[str, tuple[str, int, bool]] = {}
    relation_refs: list[tuple[str, str, str, int]] = []
    for t in load_tables(path, "concept", VocabularyError):
        table = t.data

        def fail(problem: str, key: str | None = None, t=t) -> VocabularyError:
            return VocabularyError(f"{t.where(key)}: {problem}")

        unknown = set(table) - set(FIELDS)
        if unknown:
            raise fail(f"unknown key(s) {sorted(unknown)}; allowed: {', '.join(FIELDS)}.", sorted(unknown)[0])
        for key in ("id", "label", "kind"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise fail(f"every [[concept]] needs {key} = \"...\" (a non-empty quoted string).",
                           key if key in table else None)
        if not isinstance(table.get("definition", ""), str):
            raise fail("definition must be a quoted string.", "definition")
        for key in LIST_FIELDS:
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise fail(f"{key} must be a list of non-empty quoted strings, like {key} = [\"...\"].", key)
        cid = table["id"].strip()
        if not _ID_RE.match(cid):
            raise fail(f"id {cid!r} must be short lower-case letters, digits and hyphens, like \"ics\".", "id")
        if cid in where_id:
            raise fail(f"duplicate id {cid!r} (first used at line {where_id[cid]}).", "id")
        where_id[cid] = t.line_of("id")
        kind = table["kind"].strip()
        if kind not in KINDS:
            raise fail(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}.", "kind")
        label = " ".join(table["label"].split())
        aliases = tuple(dict.fromkeys(" ".join(a.split()) for a in table.get("aliases", [])))
        for form in (label, *aliases):
            key = surface_key(form)
            owner = long_owner.get(key)
            if owner and owner[0] != cid:
                raise fail(f"{form!r} is already a name of concept {owner[0]!r} (line {owner[1]}); "
                           "a long form can belong to one concept only.", "aliases" if form != label else "label")
            long_owner[key] = (cid, where_id[cid])
        own = [a.strip() for a in table.get("acronyms", [])]
        shared = [a.strip() for a in table.get("shared_acronyms", [])]
        for short, is_shared in [(a, False) for a in own] + [(a, True) for a in shared]:
            if " " in short or not any(ch.isupper() for ch in short):
                raise fail(f"acronym {short!r} must be one word with capitals, like \"ICS\" "
                           "(put long forms under aliases).", "shared_acronyms" if is_shared else "acronyms")
            claim = acr_owner.get(short)
            if claim and claim[0] != cid and not (claim[2] and is_shared):
                raise fail(f"acronym {short!r} is already claimed by concept {claim[0]!r} (line {claim[1]}). "
                           "If it really has two senses, list it under shared_acronyms in both concepts.",
                           "shared_acronyms" if is_shared else "acronyms")
            acr_owner[short] = (cid, where_id[cid], is_shared)
        for rel in ("successor", "part_of", "related"):
            for target in table.get(rel, []):
                relation_refs.append((cid, rel, target.strip(), t.line_of(rel)))
        concepts.append(Concept(
            id=cid, label=label, kind=kind, definition=" ".join(table.get("definition", "").split()),
            aliases=aliases, acronyms=tuple(dict.fromkeys(own + shared)),
            successor=tuple(t.strip() for t in table.get("successor", [])),
            part_of=tuple(t.strip() for t in table.get("part_of", [])),
            related=tuple(t.strip() for t in table.get("related", [])),
        ))
    for cid, rel, target, line in relation_refs:
        if target not in where_id:
            raise VocabularyError(f"{path}, line {line}: {rel} of {cid!r} names unknown concept {target!r}; "
                                  "add that concept or fix the id.")
        if target == cid:
            raise VocabularyError(f"{path}, line {line}: {cid!r} cannot be its own {rel}.")
    return concepts


def vocabulary_fingerprint(concepts: Iterable[Concept]) -> str:
    """sha256 of a canonical JSON of the concepts (and the tagging rules' version): when it changes, every
    document must be tagged again."""
    canon = [
        {"id": c.id, "label": c.label, "kind": c.kind, "definition": c.definition, "aliases": list(c.aliases),
         "acronyms": list(c.acronyms), "successor": list(c.successor), "part_of": list(c.part_of),
         "related": list(c.related), "discovered": c.discovered}
        for c in sorted(concepts, key=lambda c: c.id)
    ]
    payload = {"tagging_version": TAGGING_VERSION, "concepts": canon}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


# -- which concept a user means -------------------------------------------------------------------------
@dataclass(frozen=True)
class ConceptMatch:
    """The concept some words name, how they reached it, and the other senses of a shared acronym (by id)."""

    concept: Concept
    how: str  # "id" | "acronym" | "label" | "alias", as kb trace reports it
    others: tuple[str, ...] = ()
    note: str = ""  # an id that now leads to another concept: what became of it


class ConceptNames:
    """The one resolver from a user's words to a concept: every command, the search planner and the site ask it.

    Built once from a concept list (dictionaries only, so a search builds it per query; the index of long
    forms, about a microsecond per name, only when a name given on purpose is looked up). Two modes, because a
    word typed on its own in a query is not the same request as a concept named on purpose:

    * ``match`` / ``resolve`` (a concept named on purpose: ``kb trace``, ``kb mentions --concept``,
      ``kb search --concept``, ``concept:``, a quoted phrase): an acronym as written ("ICS", plural "ICSs"),
      then an id in any case ("ics", "pcns"), then a label or alias by :func:`surface_key` (case, plural,
      hyphens, British/American spelling: "Integrated Care Systems"), then an acronym in any case ("icss").
    * ``bare`` (a bare query word): an acronym only as written, so "of" never becomes the acronym OF; a stop
      word stops there; else a vocabulary concept's id or a one-word label or alias, in any case.

    An acronym with several senses (ICP: provider, later partnership) resolves to the sense this corpus mentions
    most, then a vocabulary concept before a discovered one, then the first id. ``usage`` gives mention counts
    for some concept ids (a store query): it is asked once, for every shared acronym, when the first tie comes up.
    """

    def __init__(self, concepts: Iterable[Concept],
                 usage: Callable[[list[str]], Mapping[str, int]] | None = None,
                 redirects: Callable[[], Mapping[str, tuple[str | None, str]]] | None = None) -> None:
        self.concepts = sorted(concepts, key=lambda c: (c.discovered, c.id))
        self.by_id = {c.id: c for c in self.concepts}
        self._usage = usage
        self._redirects = redirects
        self._moved: Mapping[str, tuple[str | None, str]] | None = None
        self._used: dict[str, int] | None = None
        self._acronyms: dict[str, list[Concept]] = {}  # as written -> its senses
        self._folded: dict[str, list[Concept]] = {}  # the same in any case
        self._one_word: dict[str, Concept] = {}  # surface_key -> concept, for labels and aliases of one word
        self._long_index: dict[str, tuple[Concept, str]] | None = None  # every long form: see _long
        for c in self.concepts:
            for a in c.acronyms:  # one word each (the vocabulary file and the acronym finder see to it)
                a = a.replace("\u2019", "'")
                for senses in (self._acronyms.setdefault(a, []), self._folded.setdefault(a.casefold(), [])):
                    if not senses or senses[-1] is not c:  # DoH and DOH: one sense
                        senses.append(c)
            for form in (c.label, *c.aliases):
                if form.isascii() and (" " in form or "-" in form or "/" in form):
                    continue  # two words or more: only _long has it
                key = _surface_key(form)
                if " " not in key:
                    self._one_word.setdefault(key, c)

    @property
    def _long(self) -> dict[str, tuple[Concept, str]]:
        """surface_key -> (concept, "label" | "alias") for every long form, built on the first lookup of a name
        given on purpose: a query of plain words never needs it."""
        if self._long_index is None:
            index: dict[str, tuple[Concept, str]] = {}
            for c in self.concepts:
                index.setdefault(_surface_key(c.label), (c, "label"))
                for a in c.aliases:
                    index.setdefault(_surface_key(a), (c, "alias"))
            self._long_index = index
        return self._long_index

    # -- the two modes -------------------------------------------------------------------------------------
    def match(self, text: str) -> ConceptMatch | None:
        """The concept a name given on purpose means (any case; see the class), or None. Where the words as typed
        name nothing, they are tried once more without a leading "the" and a closing possessive ("the triple
        aim", "PCN's"): a name written as it reads in a sentence."""
        q = _clean(text)
        if not q:
            return None
        found = self._match(q)
        loose = _loosen(q)
        return found if found is not None or not loose or loose == q else self._match(loose)

    def _match(self, q: str) -> ConceptMatch | None:
        found = self._acronym(self._acronyms, q)
        if found:
            return found
        low = q.casefold()
        for k in _plural_forgiven(low):
            if k in self.by_id:
                return ConceptMatch(self.by_id[k], "id")
        to, note = self.moved(low)
        if to is not None and to in self.by_id:
            return ConceptMatch(self.by_id[to], "id", note=note)
        long = self._long.get(surface_key(q))
        if long:  # "alias" when the words are an alias as written, though the label has the same key
            c, how = long
            return ConceptMatch(c, "alias" if any(a.casefold() == low for a in c.aliases) else how)
        return self._acronym(self._folded, low)

    def resolve(self, text: str, listing: str = "kb concepts") -> Concept:
        """``match``'s concept; UnknownConcept with the closest names when nothing matches."""
        found = self.match(text)
        if found is None:
            raise UnknownConcept(self.unknown_message(text, listing=listing))
        return found.concept

    def bare(self, word: str, stop_word: bool = False) -> Concept | None:
        """The concept a bare query word names (acronyms only as written; see the class), or None.

        ``stop_word`` says the word is one the index drops ("of"): it reaches a concept only as an acronym
        written in capitals, never through a name in lower case.
        """
        q = _clean(word)
        found = self._acronym(self._acronyms, q)
        if found or stop_word or not q:
            return found.concept if found else None
        for k in _plural_forgiven(q.casefold()):
            c = self.by_id.get(k)
            if c is not None and not c.discovered:  # a discovered concept's id is not a word anyone types
                return c
        return self._one_word.get(surface_key(q))

    def table(self) -> dict[str, str]:
        """``match`` as an exact-lookup table, for the site's script (site_templates/names.js): every key ``match``
        looks up, prefixed by its step ("a " an acronym as written, "i " an id, "r " an id issued once, "l " a
        long form's surface key, "f " an acronym in any case), to the concept id it settles on. names.js applies
        the same normalisation (a port, checked against this class by tests) and looks the keys up in the same
        order, so the site resolves a name exactly as the commands do."""
        out: dict[str, str] = {}
        for prefix, senses in (("a ", self._acronyms), ("f ", self._folded)):
            for key, found in senses.items():
                out[prefix + key] = self._preferred(found).id
        out.update(("i " + cid, cid) for cid in self.by_id)
        if self._redirects is not None:
            if self._moved is None:
                self._moved = self._redirects()
            out.update(("r " + old, to) for old, (to, _note) in self._moved.items()
                       if to is not None and to in self.by_id)
        out.update(("l " + key, c.id) for key, (c, _how) in self._long.items())
        return dict(sorted(out.items()))

    def moved(self, concept_id: str) -> tuple[str | None, str]:
        """An id issued once that names no concept of its own now (a discovered concept adopted into the
        vocabulary, merged into another spelling, or no longer defined): the id it leads to (or None) and a
        note saying what became of it; ``(None, "")`` for an id never issued. Read on the first miss only."""
        if self._redirects is None:
            return None, ""
        if self._moved is None:
            self._moved = self._redirects()
        return self._moved.get(concept_id.casefold(), (None, ""))

    # -- unknown names -------------------------------------------------------------------------------------
    def unknown_message(self, text: str, also: str = "", listing: str = "kb concepts") -> str:
        """The one message for a name no concept has: the closest concepts as "label (id)", and where to look.

        ``also`` adds what else was tried (kb trace: "and no passage contains that phrase"); an id issued once
        says what became of it.
        """
        _, note = self.moved(_clean(text))
        if note:
            also = f"{also} ({note})"
        shown: dict[str, str] = {}
        for c in self.concepts:
            for name in (c.id, c.label, *c.aliases, *c.acronyms):
                shown.setdefault(name, display_name(c))
        return f"No concept {text!r}{also}.{did_you_mean(text, shown)} Run `{listing}` to list them."

    # -- shared acronyms -----------------------------------------------------------------------------------
    def _acronym(self, table: dict[str, list[Concept]], key: str) -> ConceptMatch | None:
        for k in _plural_forgiven(key):
            senses = table.get(k)
            if senses:
                chosen = self._preferred(senses)
                return ConceptMatch(chosen, "acronym", tuple(sorted(c.id for c in senses if c is not chosen)))
        return None

    def _preferred(self, senses: list[Concept]) -> Concept:
        if len(senses) == 1:
            return senses[0]
        if self._usage is not None:
            if self._used is None:  # every shared acronym's senses in one query, the first time one is typed
                shared = {c.id for v in self._acronyms.values() if len(v) > 1 for c in v}
                self._used = dict(self._usage(sorted(shared | {c.id for c in senses})))
            used = self._used
        else:
            used = {}
        return min(senses, key=lambda c: (-used.get(c.id, 0), c.discovered, c.id))


def display_name(concept: Concept) -> str:
    """How a concept is named in suggestions: its label and the id to type, "integrated care system (ics)"."""
    return concept.label if concept.label == concept.id else f"{concept.label} ({concept.id})"


def _clean(text: str) -> str:
    """What was typed, with runs of white space made one and curly apostrophes straight."""
    return " ".join(str(text).replace("\u2019", "'").split())


def _loosen(q: str) -> str:
    """``q`` without a leading "the " and a closing possessive ("'s", or the apostrophe of "s'"), as names.js
    does it (plain string tests, so the port agrees on every character)."""
    if q[:4].lower() == "the ":
        q = q[4:]
    if len(q) > 2 and q.endswith("'s"):
        q = q[:-2]
    elif len(q) > 2 and q.endswith("s'"):
        q = q[:-1]
    return q


def _plural_forgiven(word: str) -> tuple[str, ...]:
    """The word, and without a plural "s" ("ICSs", "pcns"): an acronym's plural adds only the "s"."""
    return (word, word[:-1]) if len(word) > 2 and word.endswith("s") else (word,)

