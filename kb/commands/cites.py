"""`kb cites [DOC]`: documents of the corpus that name other documents of the corpus (kb.lineage.cites)."""

from __future__ import annotations

import click

from kb.commands.common import open_kb
from kb.console import echo_json, echo_table, style

#: Columns of `kb cites --csv` (a stable schema, documented in docs/lineage.md).
CSV_COLUMNS = ("citing_doc", "citing_passage", "page", "cited_doc", "how", "name", "context")


@click.command("cites")
@click.argument("doc_id", metavar="[DOC]", required=False)
@click.option("--json", "as_json", is_flag=True, help="JSON array, one object per citing passage (docs/lineage.md).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per citing passage (columns in docs/lineage.md).")
@click.pass_context
def cites_command(ctx: click.Context, doc_id: str | None, as_json: bool, as_csv: bool) -> None:
    """Citations inside the corpus: passages that name another document of the corpus by its title, its URL or
    its paper number (CP, Cm, HC, ISBN). Given a document id, what it cites and what cites it.

    \b
    Examples:
      kb cites
      kb cites pdf-nhs-constitution-for-england
      kb cites --csv > citations.csv
    """
    from kb.errors import UsageError

    if as_json and as_csv:
        raise UsageError("Choose one output format: --json or --csv.")
    found = open_kb(ctx).citations(doc_id)
    if as_json:
        echo_json([{"citing": {"doc": c.citing_doc, "passage": c.citing_passage, "page": c.page},
                    "cited": {"doc": c.cited_doc}, "how": c.how, "name": c.name, "context": c.context}
                   for c in found])
        return
    if as_csv:
        import csv
        import sys

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        w.writerows((c.citing_doc, c.citing_passage, c.page, c.cited_doc, c.how, c.name, c.context) for c in found)
        return
    groups = [("Citations", found)] if doc_id is None else [
        ("Cites", [c for c in found if c.citing_doc == doc_id]), ("Cited by", [c for c in found if c.cited_doc == doc_id])]
    click.echo(style(f"{len(found)} citing passage{'s' if len(found) != 1 else ''}", bold=True))
    for label, items in groups:
        if not items:
            continue
        click.echo()
        click.echo(style(label, bold=True))
        echo_table([(c.citing_doc, c.page, c.cited_doc, c.how, c.context) for c in items],
                   ("citing", "page", "cited", "by", "context"), max_widths={0: 40, 2: 40, 4: 90})
