"""`kb concepts`, `kb mentions` and `kb acronyms`: thin views over the store and :mod:`kb.nlp.glossary`."""

from __future__ import annotations

import click

from kb.cli import get_project
from kb.console import echo_json, echo_table

MENTION_KEYS = ("doc_id", "passage_id", "concept_id", "surface", "start", "end", "page")


def _stored_concepts(store, project):
    """The stored concept table, or the vocabulary file when nothing has been tagged yet."""
    concepts = store.concepts()
    if not concepts and project.vocabulary_path.exists():
        from kb.nlp.vocabulary import load_vocabulary

        concepts = load_vocabulary(project.vocabulary_path)
    return concepts


@click.command("concepts")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only concepts of this kind (body, policy, programme, legislation, document, role); repeatable.")
@click.option("--discovered", is_flag=True, help="Only concepts discovered from acronym definitions.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of concept objects.")
@click.pass_context
def concepts_command(ctx: click.Context, kinds: tuple[str, ...], discovered: bool, as_json: bool) -> None:
    """List concepts with how often they are mentioned, in how many documents, and where they first appear.

    Counts leave out duplicate editions of a document.

    \b
    Examples:
      kb concepts
      kb concepts --kind body --kind role
      kb concepts --json | jq -r '.[] | select(.mentions > 0) | [.id, .first_seen.published] | @tsv'
    """
    from kb.errors import UsageError
    from kb.nlp.glossary import concept_summaries
    from kb.store import Store

    project = get_project(ctx)
    with Store.open(project.store_path) as store:
        rows = concept_summaries(store, _stored_concepts(store, project))
    if kinds:
        known = sorted({r["kind"] for r in rows})
        unknown = [k for k in kinds if k not in known]
        if unknown:
            raise UsageError(f"No concepts of kind {', '.join(map(repr, unknown))}. Kinds here: {', '.join(known)}.")
        rows = [r for r in rows if r["kind"] in kinds]
    if discovered:
        rows = [r for r in rows if r["discovered"]]
    if as_json:
        echo_json([{k: r[k] for k in ("id", "label", "kind", "aliases", "acronyms", "mentions", "documents",
                                      "first_seen", "discovered")} for r in rows])
        return
    table = [(r["id"], r["label"], r["kind"] + (" *" if r["discovered"] else ""), ", ".join(r["acronyms"]),
              r["mentions"], r["documents"],
              f"{r['first_seen']['published'] or 'undated'} {r['first_seen']['doc_id']}" if r["first_seen"] else "")
             for r in rows]
    echo_table(table, ("id", "label", "kind", "acronyms", "mentions", "docs", "first seen"),
               max_widths={1: 40, 3: 16})
    n_disc = sum(r["discovered"] for r in rows)
    click.echo(f"{len(rows)} concepts" + (f" ({n_disc} discovered from acronym definitions, marked *)" if n_disc else ""))


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
    from kb.nlp.vocabulary import resolve_concept
    from kb.store import Store

    project = get_project(ctx)
    with Store.open(project.store_path) as store:
        concept_id = resolve_concept(_stored_concepts(store, project), concept).id if concept else None
        if doc_id and store.document(doc_id, with_text=False) is None:
            raise UnknownDocument(unknown_document_message(doc_id, [d["id"] for d in store.documents()]))
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
    from kb.store import Store

    project = get_project(ctx)
    with Store.open(project.store_path) as store:
        entries = glossary(store)
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
