"""`kb show DOC`."""

from __future__ import annotations

import textwrap

import click

from kb.cli import get_project
from kb.console import echo_json, style


@click.command("show")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print metadata, full text, pages and passages as JSON.")
@click.option("--passages/--no-passages", default=True, help="Print the passages (default) or only the metadata.")
@click.pass_context
def show_command(ctx: click.Context, doc_id: str, as_json: bool, passages: bool) -> None:
    """Show one document: metadata (with where each value came from), extraction report and passages.

    With --json the output has the full normalised `text`; passage and mention offsets index into it.

    \b
    Examples:
      kb show kingsfund-integrated-care-our-position-2022
      kb show kingsfund-integrated-care-our-position-2022 --json | jq '.passages[0]'
    """
    import difflib

    from kb.commands.docs import public_doc
    from kb.errors import UnknownDocument
    from kb.store import Store

    project = get_project(ctx)
    with Store.open(project.store_path) as store:
        doc = store.document(doc_id)
        if doc is None:
            ids = [d["id"] for d in store.documents()]
            close = difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.4)
            hint = f" Did you mean {', '.join(close)}?" if close else " See `kb docs` for the ids."
            raise UnknownDocument(f"No document {doc_id!r}.{hint}")
        pages = store.pages(doc_id)
        items = store.passages(doc_id)
    if as_json:
        out = public_doc(doc)
        out["text"] = doc["text"]
        out["pages"] = pages
        out["passages"] = [
            {"id": p.id, "ordinal": p.ordinal, "page": p.page, "page_end": p.page_end, "heading": p.heading,
             "start": p.start, "end": p.end, "words": p.words, "text": p.text} for p in items
        ]
        echo_json(out)
        return
    prov = doc["provenance"]
    click.echo(style(doc["title"], bold=True))
    for label, key in (("id", "id"), ("publisher", "publisher"), ("published", "published"), ("url", "url"),
                       ("type", "doc_type")):
        value = doc.get(key)
        source = prov.get({"doc_type": "type"}.get(key, key))
        if key == "published" and value:
            value = f"{value} ({doc['date_precision']} precision)"
        click.echo(f"  {label:<10} {value or '—'}" + (f"  [from {source}]" if value and source else ""))
    if doc.get("date_note"):
        click.echo(f"  {'date note':<10} {doc['date_note']}")
    click.echo(f"  {'source':<10} corpus/{doc['source']} ({doc['format']}, sha256 {doc['sha256'][:12]}…)")
    if doc.get("duplicate_of"):
        how = prov.get("duplicate_of")
        label, why = {"same-file": ("copy of", "the same file byte for byte"),
                      "same-text": ("copy of", "the same text")}.get(how, ("edition of", "from catalog"))
        click.echo(f"  {label:<10} {doc['duplicate_of']} ({why}; not indexed or counted separately)")
    click.echo(f"  {'extracted':<10} {len(pages)} pages, {len(items)} passages, {doc['words']:,} words")
    for w in doc["warnings"]:
        click.echo("  " + style("warning: ", fg="yellow") + w)
    if not passages:
        return
    for p in items:
        where = f"p. {p.page}" if p.page == p.page_end else f"pp. {p.page}-{p.page_end}"
        click.echo()
        click.echo(style(f"[{p.id}] {where}", fg="cyan") + (f"  {p.heading}" if p.heading else ""))
        click.echo(textwrap.fill(p.text, width=100, initial_indent="  ", subsequent_indent="  "))
