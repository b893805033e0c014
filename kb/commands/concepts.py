"""`kb concepts`, `kb mentions` and `kb acronyms`: thin views over the knowledge base's concept layer."""

from __future__ import annotations

import click

from kb.commands.common import open_kb
from kb.console import echo_json, echo_table

MENTION_KEYS = ("doc_id", "passage_id", "concept_id", "surface", "start", "end", "page")


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

    if as_toml and not discovered:
        raise UsageError("--toml goes with --discovered: kb concepts --discovered --toml [ID]...")
    base = open_kb(ctx)
    if add is not None:
        _add_concept(base, add, kinds)
        return
    rows = base.concept_summaries()
    if discovered:
        rows = base.discovered_concepts(rows)
        if as_toml:
            click.echo(base.concept_tables(base.choose_concepts(rows, ids)), nl=False)
            return
        if ids:
            rows = base.choose_concepts(rows, ids, discovered=True)
        elif not as_json:
            _print_discovered(rows, kinds)
            return
    elif ids:
        rows = base.choose_concepts(rows, ids, discovered=False)
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

    if len(kinds) > 1:
        raise UsageError("--add takes one --kind.")
    concept = base.add_concept(phrase, kinds[0] if kinds else "policy")
    click.echo(f"Added concept {concept.id} ({concept.label!r}, {concept.kind}) to {base.project.vocabulary_path}; "
               "run `kb ingest` to tag it.")
    if concept.aliases:
        click.echo("  aliases: " + ", ".join(concept.aliases))


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
    mentions, note = open_kb(ctx).mentions(concept, doc_id)
    if note:
        click.echo(f"note: {note}", err=True)
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
    entries = open_kb(ctx).acronyms()
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
