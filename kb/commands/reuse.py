"""`kb reuse [DOC]`: text that documents of the corpus share, earlier document first (kb.lineage)."""

from __future__ import annotations

import click

from kb.commands.common import open_kb
from kb.console import echo_json, style

#: Columns of `kb reuse --csv`, in order (a stable schema, documented in docs/lineage.md).
CSV_COLUMNS = ("earlier_doc", "earlier_passage", "earlier_page", "earlier_published", "later_doc", "later_passage",
               "later_page", "later_published", "order", "words", "similarity", "boilerplate", "holders", "excerpt")


@click.command("reuse")
@click.argument("doc_id", metavar="[DOC]", required=False)
@click.option("--publisher", help="Only pairs with a document from this publisher (either side).")
@click.option("--since", help="Only pairs whose later document is published on or after this date (2020, 2020-11).")
@click.option("--min-words", default=20, show_default=True, type=click.IntRange(1),
              help="Only stretches of at least this many shared words.")
@click.option("--boilerplate", is_flag=True,
              help="Show only boilerplate (text many documents of several publishers share), left out by default.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0),
              help="Pairs to print as text (0: all); --json and --csv print all.")
@click.option("--json", "as_json", is_flag=True, help="JSON array, one object per pair (schema in docs/lineage.md).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per pair (columns in docs/lineage.md).")
@click.pass_context
def reuse_command(ctx: click.Context, doc_id: str | None, publisher: str | None, since: str | None, min_words: int,
                  boilerplate: bool, limit: int, as_json: bool, as_csv: bool) -> None:
    """Text reused between documents: each pair of passages sharing a stretch of text (verbatim or lightly
    edited), the earlier document first, with the shared words, similarity and the aligned excerpt
    ([-only in the earlier-] {+only in the later+}).

    Given a document id, what it took from earlier documents and what later ones took from it.

    \b
    Examples:
      kb reuse
      kb reuse kingsfund-integrated-care-our-position-2022
      kb reuse --publisher "King's Fund" --since 2021 --min-words 40
      kb reuse --boilerplate
      kb reuse --json | jq '.[] | [.earlier.doc, .later.doc, .words] | @tsv'
    """
    from kb.errors import InvalidArgument, UsageError

    if as_json and as_csv:
        raise UsageError("Choose one output format: --json or --csv.")
    base = open_kb(ctx)
    try:
        found = base.reuse(doc_id, publisher=publisher, since=since, min_words=min_words, boilerplate=boilerplate)
    except InvalidArgument as exc:
        raise UsageError(f"--{exc.field}: {exc}") from None
    if as_json:
        echo_json([reuse_json(r, doc_id) for r in found])
    elif as_csv:
        _csv(found)
    else:
        _text(base, found, doc_id, boilerplate, limit)
    if not found and base.store.document_ids() and not base.compared():
        click.echo("note: reuse is worked out at ingest and this knowledge base has not been compared yet: "
                   "run `kb ingest`", err=True)


def reuse_json(r, doc_id: str | None = None) -> dict:
    """One pair as `kb reuse --json` prints it."""
    out = {"earlier": _side(r.earlier), "later": _side(r.later), "order": r.order, "words": r.words,
           "similarity": r.similarity, "boilerplate": r.boilerplate, "holders": r.holders,
           "excerpt": r.excerpt(), "diff": [list(d) for d in r.diff]}
    if doc_id is not None:
        out["relation"] = "source" if r.later.doc == doc_id else "follower"
    return out


def _side(s) -> dict:
    return {"doc": s.doc, "passage": s.passage, "page": s.page, "title": s.title, "publisher": s.publisher,
            "published": s.published, "start": s.start, "end": s.end, "text": s.text}


def _csv(found) -> None:
    import csv
    import sys

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in found:
        w.writerow([r.earlier.doc, r.earlier.passage, r.earlier.page, r.earlier.published or "", r.later.doc,
                    r.later.passage, r.later.page, r.later.published or "", r.order, r.words, r.similarity,
                    int(r.boilerplate), r.holders, r.excerpt()])


_ORDER_NOTE = {"dated": "", "cited": "  (dates overlap: the later names the earlier's title)", "overlapping": "  (dates overlap: order uncertain)",
               "undated": "  (a document is undated: order unknown)"}


def _text(base, found, doc_id: str | None, boilerplate: bool, limit: int) -> None:
    import functools
    import textwrap

    from kb.console import color_enabled

    echo = functools.partial(click.echo, color=color_enabled())
    what = "boilerplate stretches" if boilerplate else "reused stretches"
    docs = {r.earlier.doc for r in found} | {r.later.doc for r in found}
    echo(style(f"{len(found)} {what} between {len(docs)} documents"
               + ("" if boilerplate else " (boilerplate left out: see --boilerplate)"), bold=True))
    if doc_id is not None:
        sources, followers = base.reuse_relatives(found, doc_id)
        for label, items in (("Took text from", sources), ("Text taken up by", followers)):
            if items:
                echo()
                echo(style(label, bold=True))
                for rel in items:
                    echo(f"  {rel.published or 'undated':<10}  {rel.doc}  {rel.words:,} words in {rel.pairs} "
                         f"passage{'s' if rel.pairs != 1 else ''}  {rel.title}")
    shown = found if limit == 0 else found[:limit]
    for n, r in enumerate(shown, 1):
        echo()
        echo(style(f"{n}. {r.words} shared words, similarity {r.similarity:.2f}", bold=True)
             + _ORDER_NOTE[r.order] + (f"  [boilerplate: {r.holders} documents]" if r.boilerplate else ""))
        for label, s in (("earlier", r.earlier), ("later", r.later)):
            echo(f"   {label:<8} {s.published or 'undated':<10}  {s.title} · p. {s.page} · "
                 + style(s.passage, dim=True))
        echo(textwrap.fill(_excerpt(r), width=110, initial_indent="   ", subsequent_indent="   ",
                           break_on_hyphens=False))
    if len(shown) < len(found):
        echo()
        echo(f"… {len(found) - len(shown)} more: --limit 0 shows all, --json or --csv for scripts")


def _excerpt(r, limit: int = 80) -> str:
    """The aligned excerpt; on a terminal removals in red and additions in green, else [-…-] and {+…+}."""
    from kb.console import color_enabled

    if not color_enabled():
        return r.excerpt(limit)
    parts, count = [], 0
    for op, text in r.diff:
        if count >= limit:
            parts.append("…")
            break
        count += len(text.split())
        parts.append(text if op == "=" else click.style(text, fg="red" if op == "-" else "green",
                                                        strikethrough=op == "-"))
    return " ".join(parts)
