"""Concepts discovered from acronym definitions, made ready for review: where each was defined (with a quote),
the ``[[concept]]`` tables that keep one in concepts.toml, and the concepts a user named among a listing.

It lives in kb.nlp, not in the command that prints it, so the knowledge base handle (and any script) gets the
same answers as `kb concepts --discovered`."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from kb.errors import UnknownConcept
from kb.models import Concept
from kb.nlp.vocabulary import KINDS, ConceptNames, surface_key
from kb.project import _toml_string

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


def add_definitions(rows: list[dict], entries: list[dict], store: Store) -> None:
    """Give each discovered concept row ``defined_in``: every passage defining it, with page and a quote."""
    where: dict[str, list[dict]] = {}
    for e in entries:
        for sense in e["senses"]:
            for d in sense["definitions"]:
                if sense["concept_id"]:
                    where.setdefault(sense["concept_id"], []).append(dict(d, short=e["short"], long=sense["long"]))
    for r in rows:
        seen, out = set(), []
        for d in where.get(r["id"], []):
            if (d["doc_id"], d["passage_id"]) in seen:
                continue
            seen.add((d["doc_id"], d["passage_id"]))
            out.append({"doc_id": d["doc_id"], "page": d["page"], "passage_id": d["passage_id"],
                        "published": d["published"], "quote": _quote(store, d["passage_id"], d["short"])})
        r["defined_in"] = out


def _quote(store: Store, passage_id: str | None, short: str, width: int = 70) -> str:
    """The words around the first "(SHORT)" in a passage, on one line."""
    if not passage_id:
        return ""
    passage = store.passage(passage_id)
    if passage is None:
        return ""
    text = " ".join(passage.text.split())
    at = text.find(f"({short}")
    at = at if at >= 0 else max(text.find(short), 0)
    start, end = max(0, at - width), min(len(text), at + len(short) + 3 + 10)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def concept_tables(rows: list[dict], vocabulary: list[Concept]) -> str:
    """Discovered concepts as ``[[concept]]`` tables for concepts.toml, with the evidence in comments.

    The id is the acronym in lower case when free (else one made from the label); the kind is a guess from the
    long form's last word. An acronym with several senses (in the vocabulary or among these) becomes a shared
    acronym; a concept whose label is already another concept's name is printed commented out, saying why, so
    the output always loads.
    """
    taken = {c.id for c in vocabulary}
    owners = {a: c.id for c in vocabulary for a in c.acronyms}
    names = {surface_key(n): c.id for c in vocabulary for n in (c.label, *c.aliases)}
    senses = Counter(a for r in rows for a in r["acronyms"])
    out = []
    for r in rows:
        short = r["acronyms"][0] if r["acronyms"] else ""
        candidates = [re.sub(r"[^a-z0-9]+", "-", x.lower()).strip("-")[:60] for x in (short, r["label"], r["id"])]
        cid = next((c for c in candidates if c and re.match(r"^[a-z0-9][a-z0-9-]*$", c) and c not in taken), r["id"])
        kind = r["kind"] if r["kind"] in KINDS else "body"
        lines = [f"# {r['id']}: {r['mentions']} mention{'s' if r['mentions'] != 1 else ''} in "
                 f"{r['documents']} document{'s' if r['documents'] != 1 else ''}"]
        quotes = list(dict.fromkeys((d["doc_id"], d["page"], " ".join(d["quote"].split())) for d in r.get("defined_in", [])))
        lines += [f"# defined in {doc} p.{page}: {quote}" for doc, page, quote in quotes[:3]]
        clash = names.get(surface_key(r["label"]))
        if clash:
            lines.append(f"# not printed as a table: {r['label']!r} is already a name of concept {clash!r}")
            out.append("\n".join(lines) + "\n")
            continue
        taken.add(cid)
        aliases = [a for a in r["aliases"] if surface_key(a) not in names and surface_key(a) != surface_key(r["label"])]
        for n in (r["label"], *aliases):
            names[surface_key(n)] = cid
        lines += ["[[concept]]", f"id = {_toml_string(cid)}", f"label = {_toml_string(r['label'])}",
                  f"kind = {_toml_string(kind)}" + ("" if r["kind"] == kind else "  # a guess: check it"),
                  'definition = ""  # one line saying what it is']
        if aliases:
            lines.append("aliases = [" + ", ".join(_toml_string(a) for a in aliases) + "]")
        mine = [a for a in r["acronyms"] if a not in owners and senses[a] == 1]
        shared = [a for a in r["acronyms"] if a not in owners and senses[a] > 1]
        lines.append("acronyms = [" + ", ".join(_toml_string(a) for a in mine) + "]")
        if shared:
            lines.append("shared_acronyms = [" + ", ".join(_toml_string(a) for a in shared) + "]")
        for a in r["acronyms"]:
            if a in owners:
                lines.append(f"# shared_acronyms = [{_toml_string(a)}]  # {a} is {owners[a]}'s acronym: if it has "
                             f"both senses, list it under shared_acronyms there too and uncomment this")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def choose(rows: list[dict], ids: tuple[str, ...], discovered: bool = True) -> list[dict]:
    """The concepts the user named, by id, acronym or long form, as every command resolves names."""
    if not ids:
        return rows
    by_id = {r["id"]: r for r in rows}
    mentions = {r["id"]: r["mentions"] for r in rows}
    names = ConceptNames([Concept(r["id"], r["label"], r["kind"], aliases=tuple(r["aliases"]),
                                  acronyms=tuple(r["acronyms"]), discovered=r["discovered"]) for r in rows],
                         usage=lambda wanted: {i: mentions.get(i, 0) for i in wanted})
    chosen = {}
    for typed in ids:
        found = names.match(typed)
        if found is None:
            raise UnknownConcept(names.unknown_message(typed, also=" among the discovered ones" if discovered else "",
                                                       listing="kb concepts --discovered" if discovered
                                                       else "kb concepts"))
        chosen[found.concept.id] = by_id[found.concept.id]
    return list(chosen.values())
