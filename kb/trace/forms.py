"""What a traced term matches, form by form.

A free phrase matches as search matches it: each word in the singular or plural, the last with a possessive,
words joined by spaces, a line break or a hyphen ("integrated care systems", "integrated care system's",
"integrated-care system"). ``exact`` keeps the words as typed (any case, whitespace between them). A concept is
found through its mentions; :func:`form_firsts` says, per form (each acronym as written, each long form), where
it was first used, so a researcher who typed an acronym sees when *the acronym* appeared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from kb.models import Concept

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

#: Said in the output of a phrase matched with its variants.
VARIANTS_NOTE = "plurals, possessives and hyphen/space variants of the words count (--exact: only as typed)"
EXACT_NOTE = "only the words as typed count (any case, any whitespace between them)"
CONCEPT_NOTE = ("every mention of the concept counts: its acronyms (plural, possessive) and long forms; "
                "--exact: only the words as typed")


def word_forms(word: str) -> set[str]:
    """A lower-case word, its singular and its plural ("system", "systems"; "body", "bodies"; "GPs" -> "gp")."""
    from kb.nlp.vocabulary import _singular, plural

    w = word.casefold()
    if not w.isalpha() or len(w) < 2:
        return {w}
    single = _singular(w) if len(w) > 3 else (w[:-1] if w.endswith("s") and len(w) > 2 else w)
    return {w, single, plural(single)}


def phrase_pattern(phrase: str, exact: bool = False) -> re.Pattern:
    """The phrase as a regular expression over lower-cased text (word boundaries are checked by the caller)."""
    if exact:
        return re.compile(r"\s+".join(re.escape(w) for w in phrase.casefold().split()))
    words = _split(phrase)
    possessive = r"(?:['\u2019]s\b|['\u2019](?!\w))?"
    parts = ["(?:" + "|".join(re.escape(f) for f in sorted(word_forms(w), key=len, reverse=True)) + ")" + possessive
             for w in words]
    return re.compile(r"(?:\s+|\s*-\s*)".join(parts))


def _split(phrase: str) -> list[str]:
    """The words of a phrase, hyphens read as spaces ("place-based" is "place based")."""
    return [w for w in re.split(r"[\s\-\u2010-\u2014]+", phrase.casefold()) if w]


def like_prefixes(phrase: str, exact: bool = False) -> list[str]:
    """Per word, what every matching form starts with (for a cheap SQL prefilter)."""
    out = []
    for w in (phrase.casefold().split() if exact else _split(phrase)):
        forms = [w] if exact else sorted(word_forms(w))
        prefix = forms[0]
        for f in forms[1:]:
            n = 0
            while n < min(len(prefix), len(f)) and prefix[n] == f[n]:
                n += 1
            prefix = prefix[:n]
        out.append(prefix or w[:1])
    return out


def form_of(concept: Concept, surface: str) -> tuple[str, str]:
    """(form, kind) of a mention's surface: the acronym as the concept writes it ("ICSs" is ICS), else the long
    form (label or alias) it spells, else the surface itself; kind is "acronym" or "long form"."""
    from kb.nlp.identity import canonical_short
    from kb.nlp.vocabulary import surface_key

    text = " ".join(surface.split())
    short = canonical_short(text)
    for a in concept.acronyms:
        if text in (a, a + "s") or short == a:
            return a, "acronym"
    key = surface_key(text)
    for name in (concept.label, *concept.aliases):
        if surface_key(name) == key:
            return name, "long form"
    return text, ("acronym" if " " not in text and sum(ch.isupper() for ch in text) >= 2 else "long form")


def form_firsts(store: Store, concept: Concept, docs: dict[str, dict]) -> dict[str, dict]:
    """Per form: kind, mentions, documents, and per dated document its first occurrence (doc -> row)."""
    out: dict[str, dict] = {}
    for doc_id, surface, passage_id, page, start, end, n in store.concept_surface_firsts(concept.id):
        if doc_id not in docs:
            continue
        form, kind = form_of(concept, surface)
        entry = out.setdefault(form, {"form": form, "kind": kind, "mentions": 0, "docs": defaultdict(list)})
        entry["mentions"] += n
        entry["docs"][doc_id].append((start, end, passage_id, page, surface))
    for entry in out.values():
        entry["docs"] = {d: min(v) for d, v in entry["docs"].items()}
    return out


def sense_rows(store: Store, concepts: list[Concept], docs: dict[str, dict]) -> list[dict]:
    """Every meaning of an ambiguous acronym: id, label, mentions, documents and the first dated document, the
    earliest first, so a trace never shows one meaning silently."""
    rows = []
    for c in concepts:
        counts = {d: n for d, n in store.concept_doc_counts(c.id).items() if d in docs}
        dated = sorted((docs[d] for d in counts if docs[d]["date_earliest"]),
                       key=lambda d: (d["date_earliest"], d["date_latest"] or d["date_earliest"], d["id"]))
        first = dated[0] if dated else None
        rows.append({"concept_id": c.id, "label": c.label, "discovered": c.discovered,
                     "mentions": sum(counts.values()), "documents": len(counts),
                     "first_use": {"doc_id": first["id"], "published": first["published"],
                                   "date_precision": first["date_precision"]} if first else None,
                     "_key": (first["date_earliest"], first["id"]) if first else ("9999", "")})
    rows.sort(key=lambda r: (r["_key"], r["concept_id"]))
    for r in rows:
        del r["_key"]
    return rows
