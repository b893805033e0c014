"""`kb search QUERY`: a thin layer over kb.search.search."""

from __future__ import annotations

import click

from kb.commands.common import open_kb

HELP = """Search passages with the kb query language; ranked by BM25, matches highlighted.

\b
Query language:
  words             any of the words; passages with more of them rank higher
  "quoted phrase"   the words together, in order
  a AND b, a OR b   both / either (AND binds tighter than OR)
  NOT a, -a         leave out passages with a;  +a  requires a
  ( ... )           grouping
  integrat*         prefix: integrate, integrated, integration...
  concept:ics       passages tagged with a concept (any alias or acronym,
                    e.g. concept:"integrated care system")
  publisher:"King's Fund"   case-insensitive, a leading "The" optional
  year:2020  year:2019..2021  date:2020-11..2021-03  (partial dates; ranges
                    match documents whose date could fall in them)
  doc:ID  type:briefing  title:word
A word that is a known acronym or alias also finds the concept's other names
(PCN finds "primary care networks"); the output says what was expanded or
ignored, and --explain shows how the whole query was understood. A query may
nest groups and NOTs 32 levels deep and hold up to 1,000 words.

\b
Options always start with two dashes (only -h is short), so a query word
may start with one: `kb search nhs -england` leaves out "england". After
--, everything is query text, even what looks like an option:
  kb search --limit 3 -- ics -json     (leave out passages with "json")
  kb search -- '--force'               (search for the word force)

\b
Examples:
  kb search '"triple aim"'
  kb search 'PCN AND workforce' --since 2020 --limit 5
  kb search 'concept:ics -"local authority"' --sort -date
  kb search "integrat* publisher:\\"King's Fund\\"" --json | jq '.hits[].page'
  kb search 'statutory footing' --group doc --csv > hits.csv
  kb search nhs -england --since 2021
"""


def _takes_values(command: click.Command, ctx: click.Context) -> dict[str, int]:
    """Each option name of ``command`` -> how many values follow it (0 for flags and --help)."""
    out: dict[str, int] = {}
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            for name in param.opts:
                out[name] = 0 if (param.is_flag or param.count) else max(1, param.nargs)
            for name in param.secondary_opts:
                out[name] = 0
    return out


class QueryCommand(click.Command):
    """A command whose free text may hold words that start with "-" (``kb search nhs -england``).

    click would read ``-england`` as options -e -n -g ..., and with ``ignore_unknown_options`` it turns a
    mistyped ``--lmit 3`` into query words. Here the arguments are split first: a word starting with "--" is
    always an option (unknown ones get click's usage error and suggestion), so is one of the command's own
    short options (-h), and so is the value after an option that takes one (``--sort -date``); any other word,
    and everything after ``--``, is query text, in order. A one-dash word that spells an option (``-json``)
    is taken for a typo of ``--json`` and refused with the way round it.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes = _takes_values(self, ctx)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                words += args[i + 1:]
                break
            name = arg.split("=", 1)[0]
            if arg.startswith("--") or name in takes:
                count = takes.get(name, 0) if "=" not in arg else 0
                if i + count >= len(args):
                    raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.", ctx=ctx)
                options += args[i : i + 1 + count]
                i += 1 + count
                continue
            if arg.startswith("-") and "-" + arg in takes:
                raise click.UsageError(
                    f"No such option '{arg}'. Did you mean '-{arg}'? To leave out passages with the word "
                    f"{arg[1:]!r}, put the query after --: kb {self.name} -- ... {arg}", ctx=ctx)
            words.append(arg)
            i += 1
        return super().parse_args(ctx, options + (["--", *words] if words else []))


@click.command("search", cls=QueryCommand, help=HELP)
@click.argument("query", nargs=-1)
@click.option("--concept", multiple=True, help="Only passages tagged with this concept (id, label, alias or acronym).")
@click.option("--publisher", help="Only documents from this publisher.")
@click.option("--since", help="Only documents published on or after this date (2020, 2020-11 or 2020-11-20).")
@click.option("--until", help="Only documents published on or before this date.")
@click.option("--doc", help="Only passages of this document id.")
@click.option("--type", "doc_type", help="Only documents of this type (e.g. briefing).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 10_000), help="Hits to show.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many hits (paging).")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True,
              help="Order by score, oldest first, or newest first.")
@click.option("--group", type=click.Choice(["doc"]), default=None, help="Best passages per document.")
@click.option("--json", "as_json", is_flag=True, help="JSON output (schema in docs/search.md).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output, one row per hit (columns in docs/search.md).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="Output format (--json and --csv are short for json and csv).")
@click.option("--explain", is_flag=True, help="Show how the query was understood before the hits.")
@click.pass_context
def search_command(ctx: click.Context, query: tuple[str, ...], concept: tuple[str, ...], publisher: str | None,
                   since: str | None, until: str | None, doc: str | None, doc_type: str | None, limit: int,
                   offset: int, sort: str, group: str | None, as_json: bool, as_csv: bool, fmt: str,
                   explain: bool) -> None:
    from kb.errors import UsageError

    chosen = {f for f, on in (("json", as_json), ("csv", as_csv), (fmt, fmt != "text")) if on}
    if len(chosen) > 1:
        raise UsageError("Choose one output format: --json, --csv or --format.")
    fmt = chosen.pop() if chosen else "text"

    for name, value in (("--publisher", publisher), ("--since", since), ("--until", until), ("--doc", doc),
                        ("--type", doc_type)) + tuple(("--concept", c) for c in concept):
        if value is not None and not value.strip():
            raise UsageError(f"{name} needs a value, e.g. {name} " + {
                "--publisher": "\"King's Fund\"", "--since": "2020", "--until": "2021-03", "--concept": "ics",
                "--doc": "ID (see kb docs)", "--type": "briefing"}[name])
    base = open_kb(ctx)
    results = base.search(
        " ".join(query), concept=list(concept), publisher=publisher, since=since, until=until, doc=doc,
        type=doc_type, limit=limit, offset=offset, sort=sort, group=group,
    )
    if fmt == "json":
        from kb.console import echo_json

        data = results.to_json()
        if explain:
            data["explain"] = results.explain
        echo_json(data)
    elif fmt == "csv":
        _csv(results)
    else:
        _text(results, explain)


def _text(results, explain: bool) -> None:
    import functools

    from kb.console import color_enabled, style

    # click.echo strips escape codes off a non-terminal unless told otherwise (FORCE_COLOR)
    echo = functools.partial(click.echo, color=color_enabled())

    if explain:
        echo(results.explain)
        echo()
    for note in () if explain else results.notes:  # --explain has already shown them
        echo(style(f"note: {note}", fg="yellow"))
    about = "" if results.total_exact else "at least "
    if results.group == "doc":
        docs = len({h.doc_id for h in results.hits})
        shown = f"documents {results.offset + 1}-{results.offset + docs}, best passages of each" if docs else "none"
    else:
        shown = f"{results.offset + 1}-{results.offset + len(results.hits)}" if results.hits else "none"
    in_docs = ""
    if results.group == "doc" and results.total_docs is not None:
        in_docs = f" in {results.total_docs} document{'s' if results.total_docs != 1 else ''}"
    echo(style(f"{about}{results.total} matching passage{'s' if results.total != 1 else ''}{in_docs} "
                     f"(showing {shown})", bold=True))
    colour = color_enabled()
    last_doc = None
    for hit in results.hits:
        if results.group == "doc" and hit.doc_id != last_doc:
            echo()
            echo(style(f"== {hit.title} ({hit.doc_id})", bold=True))
            last_doc = hit.doc_id
        echo()
        pages = f"p. {hit.page}" if hit.page == hit.page_end else f"pp. {hit.page}-{hit.page_end}"
        meta = " · ".join(x for x in (hit.publisher, hit.published or "undated", pages) if x)
        echo(f"{style(str(hit.rank) + '.', bold=True)} {style(hit.title, bold=True)}")
        score = "" if hit.score is None else f" · score {hit.score:.2f}"
        echo(f"   {meta} · {style(hit.passage_id, dim=True)}{score}")
        for frag in hit.fragments:
            text = "".join(
                (click.style(t, bold=True, fg="red") if colour else t) if m else t for t, m in frag.spans
            )
            echo(f"   {text}")


def _csv(results) -> None:
    import csv
    import sys

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["rank", "score", "passage_id", "doc_id", "title", "publisher", "published", "page", "page_end",
                "fragment", "concepts", "text"])
    for h in results.hits:
        w.writerow([h.rank, "" if h.score is None else f"{h.score:.4f}", h.passage_id, h.doc_id, h.title, h.publisher, h.published, h.page,
                    h.page_end, " … ".join(f.plain() for f in h.fragments), ";".join(h.concepts), h.text])
