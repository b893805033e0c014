"""`kb concepts`, `kb mentions` and `kb acronyms`: thin views over the store and :mod:`kb.nlp.glossary`."""

from __future__ import annotations

from contextlib import nullcontext

import click

from kb.commands.common import open_kb
from kb.console import echo_json, echo_table

MENTION_KEYS = ("doc_id", "passage_id", "concept_id", "surface", "start", "end", "page")


def _stored_concepts(base):
    """The stored concept table, or the vocabulary file when nothing has been tagged yet."""
    return base.store.concepts() or base.vocabulary()


@click.command("concepts")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only concepts of this kind (body, policy, programme, legislation, document, role); repeatable.")
@click.option("--discovered", is_flag=True,
              help="Only concepts discovered from acronym definitions, with their long forms and where defined.")
@click.option("--toml", "as_toml", is_flag=True,
              help="With --discovered: print [[concept]] tables to paste into concepts.toml (the IDs given, or all).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of concept objects.")
@click.option("--add", "add", metavar="PHRASE",
              help="Add PHRASE to the vocabulary file as a new concept of --kind (default policy), with the other "
                   "ways the corpus writes it; the next `kb ingest` tags it.")
@click.pass_context
def concepts_command(ctx: click.Context, ids: tuple[str, ...], kinds: tuple[str, ...], discovered: bool,
                     as_toml: bool, as_json: bool, add: str | None) -> None:
    """List concepts with how often they are mentioned, in how many documents, and where they first appear.

    Counts leave out duplicate editions of a document. Discovered concepts are acronyms the documents define
    that the vocabulary lacks: review them with --discovered, keep good ones by pasting the output of
    --discovered --toml into corpus/concepts.toml, and hide wrong ones with `reject = ["ID or SHORT FORM"]`
    under [concepts] in kb.toml; then run `kb ingest`.

    \b
    Examples:
      kb concepts
      kb concepts --kind body --kind role
      kb concepts pcn ICB                            # every field of the concepts named
      kb concepts --discovered                       # long forms, counts, where each was defined
      kb concepts --discovered --toml acr-splw >> corpus/concepts.toml
      kb concepts --add "virtual wards" --kind programme   # a term kb emerging found
      kb concepts --json | jq -r '.[] | select(.mentions > 0) | [.id, .first_seen.published] | @tsv'
    """
    from kb.errors import UsageError
    from kb.nlp.glossary import concept_summaries

    if as_toml and not discovered:
        raise UsageError("--toml goes with --discovered: kb concepts --discovered --toml [ID]...")
    base = open_kb(ctx)
    if add is not None:
        _add_concept(base, add, kinds)
        return
    project = base.project
    settings = project.settings
    with nullcontext(base.store) as store:
        rows = concept_summaries(store, _stored_concepts(base))
        if discovered:
            from kb.nlp.glossary import glossary

            rows = [r for r in rows if r["discovered"] and r["id"] not in settings.reject
                    and not set(r["acronyms"]) & settings.reject]
            _add_definitions(rows, glossary(store), store)
            if as_toml:
                vocabulary = base.vocabulary()
                chosen = _choose(rows, ids)
                click.echo(concept_tables(chosen, vocabulary), nl=False)
                return
            if ids:
                rows = _choose(rows, ids, discovered=True)
            elif not as_json:
                _print_discovered(rows, kinds)
                return
        elif ids:
            rows = _choose(rows, ids, discovered=False)
    if ids and not as_json:
        _print_details(rows)
        return
    if kinds:
        known = sorted({r["kind"] for r in rows})
        unknown = [k for k in kinds if k not in known]
        if unknown:
            raise UsageError(f"No concepts of kind {', '.join(map(repr, unknown))}. Kinds here: {', '.join(known)}.")
        rows = [r for r in rows if r["kind"] in kinds]
    if discovered:
        rows = [r for r in rows if r["discovered"]]
    if as_json:
        keys = ("id", "label", "kind", "aliases", "acronyms", "mentions", "documents", "first_seen", "discovered")
        echo_json([{k: r[k] for k in keys + (("defined_in",) if discovered else ())} for r in rows])
        return
    table = [(r["id"], r["label"], r["kind"] + (" *" if r["discovered"] else ""), ", ".join(r["acronyms"]),
              r["mentions"], r["documents"],
              f"{r['first_seen']['published'] or 'undated'} {r['first_seen']['doc_id']}" if r["first_seen"] else "")
             for r in rows]
    echo_table(table, ("id", "label", "kind", "acronyms", "mentions", "docs", "first seen"),
               max_widths={1: 40, 3: 16})
    n_disc = sum(r["discovered"] for r in rows)
    click.echo(f"{len(rows)} concepts" + (f" ({n_disc} discovered from acronym definitions, marked *)" if n_disc else ""))



def _add_concept(base, phrase: str, kinds: tuple[str, ...]) -> None:
    """`kb concepts --add PHRASE`: promote a term into the vocabulary file, with the forms the corpus writes."""
    from kb.errors import UsageError
    from kb.nlp.phrases import term_key
    from kb.nlp.promote import promote
    from kb.store.terms import surfaces

    if len(kinds) > 1:
        raise UsageError("--add takes one --kind.")
    path = base.project.vocabulary_path
    variants = list(surfaces(base.store, [term_key(phrase)]).get(term_key(phrase), ()))
    concept = promote(path, phrase, kinds[0] if kinds else "policy", variants)
    click.echo(f"Added concept {concept.id} ({concept.label!r}, {concept.kind}) to {path}; run `kb ingest` to tag it.")
    if concept.aliases:
        click.echo("  aliases: " + ", ".join(concept.aliases))


def _add_definitions(rows: list[dict], entries: list[dict], store) -> None:
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


def _quote(store, passage_id: str | None, short: str, width: int = 70) -> str:
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


def concept_tables(rows: list[dict], vocabulary: list) -> str:
    """Discovered concepts as ``[[concept]]`` tables for concepts.toml, with the evidence in comments.

    The id is the acronym in lower case when free (else one made from the label); the kind is a guess from the
    long form's last word. An acronym with several senses (in the vocabulary or among these) becomes a shared
    acronym; a concept whose label is already another concept's name is printed commented out, saying why, so
    the output always loads.
    """
    import re
    from collections import Counter

    from kb.nlp.vocabulary import KINDS, surface_key
    from kb.project import _toml_string

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


def _print_details(rows: list[dict]) -> None:
    """Every field of the concepts named, one block each (`kb concepts ID`)."""
    for i, r in enumerate(rows):
        if i:
            click.echo("")
        first = r.get("first_seen")
        lines = [("id", r["id"]), ("kind", r["kind"] + (" (discovered)" if r["discovered"] else "")),
                 ("acronyms", ", ".join(r["acronyms"]) or "-"), ("also written", "; ".join(r["aliases"]) or "-"),
                 ("mentions", f"{r['mentions']:,} in {r['documents']:,} document{'s' if r['documents'] != 1 else ''}"),
                 ("first seen", f"{first['published'] or 'undated'} {first['doc_id']}" if first else "-")]
        for d in r.get("defined_in") or []:
            lines.append(("defined in", ", ".join(str(v) for v in d.values()) if isinstance(d, dict) else str(d)))
        click.echo(r["label"])
        for key, value in lines:
            click.echo(f"  {key:<12} {value}")


def _choose(rows: list[dict], ids: tuple[str, ...], discovered: bool = True) -> list[dict]:
    """The concepts the user named, by id, acronym or long form, as every command resolves names."""
    from kb.errors import UnknownConcept
    from kb.models import Concept
    from kb.nlp.vocabulary import ConceptNames

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


def _print_discovered(rows: list[dict], kinds: tuple[str, ...]) -> None:
    if kinds:
        rows = [r for r in rows if r["kind"] in kinds]
    table = []
    for r in rows:
        defs = r["defined_in"]
        where = "; ".join(f"{d['doc_id']} p.{d['page']}" for d in defs[:2]) + (f" (+{len(defs) - 2})" if len(defs) > 2 else "")
        table.append((r["id"], ", ".join(r["acronyms"]), r["label"], r["mentions"], r["documents"], where))
    echo_table(table, ("id", "short", "defined as", "mentions", "docs", "defined in"),
               max_widths={0: 28, 2: 44, 5: 60})
    click.echo(f"{len(rows)} concepts discovered from acronym definitions. Keep one: kb concepts --discovered --toml ID >> corpus/concepts.toml; "
               "drop one: add its id to reject = [...] under [concepts] in kb.toml; then kb ingest.")


@click.command("mentions")
@click.option("--concept", "concept", metavar="CONCEPT", help="A concept id, label, alias or acronym (ics, ICSs, ...).")
@click.option("--doc", "doc_id", metavar="DOC", help="A document id (see `kb docs`).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per mention.")
@click.pass_context
def mentions_command(ctx: click.Context, concept: str | None, doc_id: str | None, as_json: bool) -> None:
    """List concept mentions: document, passage, concept, surface text, character offsets and page.

    Offsets point into the document text that `kb show DOC --json` returns.

    \b
    Examples:
      kb mentions --concept ICS --doc kingsfund-integrated-care-our-position-2022
      kb mentions --concept "primary care networks" --json | jq length
    """
    from kb.errors import UnknownDocument, unknown_document_message

    base = open_kb(ctx)
    with nullcontext(base.store) as store:
        concept_id = None
        if concept:
            names = base.concept_names()
            found = names.match(concept)
            if found is None:
                names.resolve(concept)  # the unknown-concept error, with the closest names
            else:
                concept_id = found.concept.id
                if found.note:
                    click.echo(f"note: {found.note}", err=True)
        if doc_id and store.document(doc_id, with_text=False) is None:
            raise UnknownDocument(unknown_document_message(doc_id, store.document_ids()))
        mentions = store.mentions(concept_id=concept_id, doc_id=doc_id)
    if as_json:
        echo_json([{k: getattr(m, k) for k in MENTION_KEYS} for m in mentions])
        return
    rows = [(m.doc_id, m.page, f"{m.start}-{m.end}", m.concept_id, " ".join(m.surface.split()), m.passage_id)
            for m in mentions]
    echo_table(rows, ("doc", "page", "chars", "concept", "surface", "passage"), max_widths={4: 40})
    click.echo(f"{len(mentions)} mentions")


@click.command("acronyms")
@click.option("--json", "as_json", is_flag=True, help="Print the glossary as a JSON array, one object per acronym.")
@click.pass_context
def acronyms_command(ctx: click.Context, as_json: bool) -> None:
    """The corpus glossary: every acronym the documents define, its long form(s), concept, and where and when
    each sense was defined (an acronym with several senses, such as ICP, lists each).

    \b
    Examples:
      kb acronyms
      kb acronyms --json | jq '.[] | select(.short == "ICP") | .senses[].long'
    """
    from kb.nlp.glossary import glossary
    from kb.site.gather import filter_glossary

    base = open_kb(ctx)
    project = base.project
    with nullcontext(base.store) as store:
        known = {c.id for c in store.concepts()}
        entries = filter_glossary(glossary(store), set(project.settings.reject), known)
    if as_json:
        echo_json(entries)
        return
    rows = []
    for e in entries:
        for n, sense in enumerate(e["senses"]):
            where = "; ".join(dict.fromkeys(f"{d['doc_id']} p.{d['page']}" for d in sense["definitions"]))
            rows.append((e["short"] if n == 0 else "", sense["long"], sense["concept_id"] or "",
                         e["first_defined"] or "undated" if n == 0 else "", where))
    echo_table(rows, ("short", "long form", "concept", "first defined", "defined in"),
               max_widths={1: 44, 4: 70})
    click.echo(f"{len(entries)} acronyms defined in the corpus")
