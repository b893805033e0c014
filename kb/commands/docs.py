"""`kb docs`."""

from __future__ import annotations

import click

from kb.cli import open_kb
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
@click.pass_context
def docs_command(ctx: click.Context, as_json: bool) -> None:
    """List the documents in the knowledge base, oldest first (undated last), under the project's title (kb.toml).

    \b
    Examples:
      kb docs
      kb docs --json | jq -r '.[] | [.id, .published] | @tsv'
    """
    base = open_kb(ctx)
    docs = base.store.documents()
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
    if failures:
        click.echo(f"{len(failures)} file(s) failed at the last ingest: " + ", ".join(f["source"] for f in failures))
