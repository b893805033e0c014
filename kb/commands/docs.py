"""`kb docs`."""

from __future__ import annotations

import click

from kb.commands.common import open_kb
from kb.console import echo_json, echo_table

#: Keys of `kb docs --json` objects (a stable schema; new keys may be added, none removed).
DOC_KEYS = ("id", "title", "publisher", "published", "date_precision", "date_source", "date_note", "source",
            "sha256", "format", "doc_type", "url", "pages", "passages", "words", "warnings", "provenance",
            "duplicate_of", "ingested_at", "ocr")


def public_doc(doc: dict) -> dict:
    """A document row as the JSON schema promises it."""
    return {k: doc.get(k) for k in DOC_KEYS}


def _marker(doc: dict) -> str:
    """"[copy] " for a file found to be a copy of another, "[edition] " for an edition the catalog names."""
    if not doc.get("duplicate_of"):
        return ""
    return "[copy] " if doc["provenance"].get("duplicate_of") in ("same-file", "same-text") else "[edition] "


@click.command("docs")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (schema in the README).")
@click.option("--check", is_flag=True, help="List only documents whose title, date or publisher is missing or weak, "
              "with the evidence.")
@click.option("--set", "set_id", metavar="ID", help="Correct document ID in the catalog: give FIELD=VALUE after it "
              "(title, publisher, published, url, type, date_note; FIELD= removes it).")
@click.option("--export-catalog", "export_to", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write every document's current title, publisher and date as a catalog to edit ('-': stdout).")
@click.option("--import-catalog", "import_from", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read an edited export back: values that differ from kb's go into corpus/catalog.toml.")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.pass_context
def docs_command(ctx: click.Context, as_json: bool, check: bool, set_id: str | None, export_to: str | None,
                 import_from: str | None, assignments: tuple[str, ...]) -> None:
    """List the documents in the knowledge base, oldest first (undated last), under the project's title (kb.toml).

    Corrections go into the catalog (corpus/catalog.toml), so they win over what kb reads on every later
    ingest, a forced one included, and show as "from catalog"; run `kb ingest` to apply them.

    \b
    Examples:
      kb docs
      kb docs --check
      kb docs --set nhs-plan-2019 publisher="NHS England" published=2019-01
      kb docs --export-catalog review.toml
      kb docs --import-catalog review.toml
      kb docs --json | jq -r '.[] | [.id, .published] | @tsv'
    """
    from kb.commands.review import check_documents, export_catalog, import_catalog, set_values

    if assignments and not set_id:
        raise click.UsageError(f"FIELD=VALUE ({assignments[0]!r}) goes with --set ID.")
    base = open_kb(ctx)
    if set_id:
        set_values(base, set_id, assignments)
        return
    if export_to:
        export_catalog(base, export_to)
        return
    if import_from:
        import_catalog(base, import_from)
        return
    docs = base.store.documents()
    if check:
        check_documents(docs, as_json)
        return
    failures = base.store.failures()
    if as_json:
        echo_json([public_doc(d) for d in docs])
        return
    settings = base.project.settings
    click.echo(settings.title)
    if settings.description:
        click.echo(settings.description)
    click.echo()
    rows = [(d["id"], d["published"] or "undated", d["publisher"] or "",
             _marker(d) + d["title"], d["pages"], d["passages"]) for d in docs]
    echo_table(rows, ("id", "date", "publisher", "title", "pages", "passages"), max_widths={2: 26, 3: 50})
    editions = sum(1 for d in docs if d["duplicate_of"])
    copies = sum(1 for d in docs if _marker(d) == "[copy] ")
    parts = ([f"{editions - copies} of them another edition of a listed one"] if editions - copies else []) + (
        [f"{copies} of them {'a copy' if copies == 1 else 'copies'} of a listed one"] if copies else [])
    click.echo(f"{len(docs)} documents" + (f" ({' and '.join(parts)}, not counted twice)" if parts else ""))
    undated = sum(1 for d in docs if not d["published"] and not d["duplicate_of"])
    if undated:
        click.echo(f"{undated} undated (kb docs --check lists what to review)")
    if failures:
        click.echo(f"{len(failures)} file(s) failed at the last ingest: " + ", ".join(f["source"] for f in failures))
