"""`kb trace TERM` and `kb kwic TERM`: thin layers over the knowledge base's trace that only decide how to print."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from kb.commands.common import open_kb
from kb.console import color_enabled, echo_json, echo_table, style
from kb.errors import InvalidArgument, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from kb.trace.results import KwicLine, LedgerEntry, TraceResult

#: Columns of `kb trace --csv` (one row per series and period; see docs/trace.md).
TRACE_CSV_COLUMNS = ("series", "relation", "period", "mentions", "documents", "words_in_period", "per_10k")
#: Columns of `kb kwic --csv`.
KWIC_CSV_COLUMNS = ("left", "match", "right", "doc_id", "title", "publisher", "published", "date_precision", "page",
                    "passage_id", "start", "end")
_BLOCKS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


#: How the CLI words a library InvalidArgument, by field: in terms of its own options ({value!r} is what was given).
_OPTION_WORDING = {
    "term": 'Give a concept or a phrase to trace, e.g. kb trace "triple aim".',
    "by": "Unknown period {value!r}: use --by year or --by month.",
    "width": "--width must be 0 or more characters.",
    "limit": "--limit must be 0 or more.",
}


@contextmanager
def _in_option_terms() -> Iterator[None]:
    """Re-word the library's InvalidArgument errors in terms of this command's options (the library speaks of
    its parameters, the user typed flags)."""
    try:
        yield
    except InvalidArgument as exc:
        wording = _OPTION_WORDING.get(exc.field)
        if wording is None:
            raise
        raise UsageError(wording.format(value=exc.value)) from None


def _check_formats(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise UsageError("Choose one of --json and --csv.")


def _write_csv(rows, columns) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def highlight(sentence: str, start: int, end: int) -> str:
    """The sentence with the term in bold yellow on a colour terminal, or between «» otherwise."""
    term = sentence[start:end]
    marked = click.style(term, fg="yellow", bold=True) if color_enabled() else f"«{term}»"
    return sentence[:start] + marked + sentence[end:]


def bar(value: float, top: float, width: int = 28) -> str:
    """A horizontal bar in eighth blocks, ``width`` cells for ``top``."""
    if not top or not value:
        return ""
    eighths = max(1, round(value / top * width * 8))
    return "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")


def sparkline(values: list[float]) -> str:
    """One character per value, ▁ to █ (a blank for zero)."""
    top = max(values, default=0)
    return "".join(" " if not v else _SPARKS[min(len(_SPARKS) - 1, int(v / top * (len(_SPARKS) - 1) + 0.5))]
                   for v in values) if top else " " * len(values)


@click.command("trace")
@click.argument("term", nargs=-1, required=True)
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True,
              help="Period of the timeline.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole trace as JSON (schema in the README).")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the timeline rows as CSV: series, relation, period, mentions, documents, words_in_period, "
                   "per_10k.")
@click.option("--exact", "--as-written", "exact", is_flag=True,
              help="Only the words as typed (any case): no plurals, possessives, hyphen/space variants, or the "
                   "concept they name.")
@click.pass_context
def trace_command(ctx: click.Context, term: tuple[str, ...], by: str, as_json: bool, as_csv: bool,
                  exact: bool) -> None:
    """Trace TERM through time: where it first appears (use, definition, use without definition), with a quote
    and passage for each; how often it is used per year or month and by which publishers; which concepts
    go with it; and the concepts it replaced or that replaced it.

    TERM is a concept (id, label, alias or acronym; every form counts, and the first use of each form is shown)
    or any phrase, matched as search matches it (plurals, possessives, hyphen/space variants; --exact for the
    words as typed). Dates are honest: documents whose possible dates overlap are reported as tied, undated
    documents are listed apart.

    \b
    Examples:
      kb trace "triple aim"
      kb trace ICS --by month
      kb trace stp --json | jq .crossovers
      kb trace "primary care network" --csv > pcn-timeline.csv
      kb trace "integrated care systems" --exact
    """
    _check_formats(as_json, as_csv)
    with _in_option_terms():
        result = open_kb(ctx).trace(" ".join(term), by=by, exact=exact)
    if as_json:
        echo_json(result.to_json())
    elif as_csv:
        _write_csv(result.timeline_csv_rows(), TRACE_CSV_COLUMNS)
    else:
        _print_trace(result)


_LEDGER_LABELS = {"first_use": "First use", "first_definition": "First definition",
                  "first_undefined_use": "First undefined use"}


def _print_trace(r: TraceResult) -> None:
    c = r.concept
    how = r.match["matched_by"]
    what = f"concept {c['id']} ({c['kind']}), matched by {how}" if c else "phrase"
    click.echo(style(c["label"] if c else r.term, bold=True) + f"  [{what}]")
    if c and (c["acronyms"] or c["aliases"]):
        click.echo("  also: " + ", ".join(c["acronyms"] + c["aliases"]))
    click.echo(style(r.match["matches"], dim=True))
    click.echo(r.statement)
    for w in r.warnings:
        click.echo(style("! " + w, fg="yellow"))
    if r.senses:
        click.echo("\n" + style(f"Every meaning of {r.term}", bold=True))
        echo_table([(s["label"], s["concept_id"], s["mentions"], s["documents"],
                     s["first_use"]["published"] if s["first_use"] else "undated") for s in r.senses],
                   ("meaning", "id", "mentions", "documents", "first"), {0: 40})

    click.echo("\n" + style("First-appearance ledger", bold=True))
    for key, entry in r.ledger():
        _print_ledger_entry(_LEDGER_LABELS[key], entry, key)
    if len(r.first_use_by_form) > 1:
        click.echo("\n" + style("First use of each form", bold=True))
        for f in r.first_use_by_form:
            click.echo(f"  {f['form']} ({f['kind']}): {f['mentions']} mention(s) in {f['documents']} document(s)")
            _print_ledger_entry("", f["first_use"], "first_use")

    if r.undated:
        click.echo("\n" + style("Undated documents (not ordered)", bold=True))
        for u in r.undated:
            click.echo(f"  {u['title']} ({u['publisher'] or 'unknown publisher'}): {u['mentions']} mention(s), "
                       f"first p.{u['page']}, passage {u['passage_id']}")
            click.echo(f"    “{highlight(u['sentence'], u['mark_start'], u['mark_end'])}”")

    _print_timeline(r)
    if r.by_publisher:
        click.echo("\n" + style("By publisher", bold=True))
        echo_table([(p["publisher"], p["mentions"], p["documents"], p["first_published"] or "undated")
                    for p in r.by_publisher], ("publisher", "mentions", "documents", "first"), {0: 40})
    if r.cooccurring:
        click.echo("\n" + style("Co-occurring concepts", bold=True)
                   + " (same passage; score = signed log-likelihood G², higher = more associated than chance)")
        echo_table([(x["label"], x["concept_id"], x["passages_together"], x["passages_with_concept"], x["expected"],
                     x["score"], x["pmi"]) for x in r.cooccurring[:12]],
                   ("concept", "id", "together", "with concept", "expected", "G²", "PMI"), {0: 40})
    _print_successors(r)


def _print_ledger_entry(label: str, entry: LedgerEntry | None, key: str) -> None:
    pad = " " * 24
    if entry is None:
        reason = {"first_use": "no dated document mentions it",
                  "first_definition": "no dated document defines it (acronym or defining sentence)",
                  "first_undefined_use": "every dated document that uses it also defines it"}[key]
        click.echo(f"  {label:<22}{style('—', dim=True)} {reason}")
        return
    date = f"{entry.published} ({entry.date_precision}, from {entry.date_source or 'unknown source'})"
    kind = f"  [{entry.definition_kind}]" if entry.definition_kind else ""
    click.echo(f"  {label:<22}{date}  {entry.publisher or 'unknown publisher'}{kind}")
    click.echo(f"{pad}{entry.title} · p.{entry.page} · passage {entry.passage_id}")
    click.echo(f"{pad}“{highlight(entry.sentence, entry.mark_start, entry.mark_end)}”")
    if entry.reuse:  # the sentence sits in text shared with another document (kb reuse)
        click.echo(pad + style("reused: ", fg="magenta") + entry.reuse)
    if entry.tied_with:
        click.echo(pad + style("tied with (dates overlap): ", fg="yellow")
                   + "; ".join(f"{t['title']} ({t['published']})" for t in entry.tied_with))


def _print_timeline(r: TraceResult) -> None:
    rows = r.timeline
    if not rows:
        return
    click.echo("\n" + style(f"Timeline per {r.by}", bold=True) + " (bar: mentions per 10,000 words of that period)")
    top = max((x["per_10k"] or 0 for x in rows), default=0)
    width = max(len(x["period"]) for x in rows)
    for x in rows:
        if r.by == "month" and not x["words_in_period"]:
            continue  # months without any document: nothing to say
        rate = "" if x["per_10k"] is None else f"{x['per_10k']:.1f}"
        click.echo(f"  {x['period']:<{width}}  {bar(x['per_10k'] or 0, top):<28}  {rate:>6}  "
                   f"{x['mentions']} in {x['documents']} doc(s), {x['words_in_period']:,} words")


def _print_successors(r: TraceResult) -> None:
    related = r.predecessors + r.successors
    if not related or r.concept is None:
        return
    click.echo("\n" + style("Predecessors and successors", bold=True) + " (mentions per period)")
    key = r.concept["id"]
    series = ([(p["concept_id"], p["timeline"]) for p in r.predecessors] + [(key, r.timeline)]
              + [(s["concept_id"], s["timeline"]) for s in r.successors])
    periods = [x["period"] for x in r.timeline]
    headers = ("period", *[name for name, _ in series])
    echo_table([(p, *[rows[i]["mentions"] for _, rows in series]) for i, p in enumerate(periods)
                if any(rows[i]["mentions"] for _, rows in series)], headers)
    width = max(len(name) for name, _ in series)
    for name, rows in series:
        click.echo(f"  {name:<{width}}  {sparkline([x['per_10k'] or 0 for x in rows])}")
    mentioned = {key: r.totals["mentions"]} | {s["concept_id"]: s["mentions"] for s in related}
    for x in r.crossovers:
        if not mentioned.get(x["from"]):
            click.echo(f"  {x['from']} is not mentioned in this corpus: no crossover to see")
        else:
            when = f"from {x['period']}" if x["period"] else "not (yet) in this corpus"
            click.echo(f"  {x['to']} overtakes {x['from']}: {when}")


@click.command("kwic")
@click.argument("term", nargs=-1, required=True)
@click.option("--width", default=40, show_default=True, type=click.IntRange(0, 500),
              help="Characters of context either side.")
@click.option("--limit", default=None, type=click.IntRange(0), help="Show at most N lines (after sorting).")
@click.option("--sort", type=click.Choice(["date", "doc", "left", "right"]), default="date", show_default=True,
              help="Order: date, document, word before (left) or word after (right) the term.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (schema in the README).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with the same columns as --json.")
@click.option("--exact", "--as-written", "exact", is_flag=True,
              help="Only the words as typed (any case): no plurals, possessives, hyphen/space variants, or the "
                   "concept they name.")
@click.pass_context
def kwic_command(ctx: click.Context, term: tuple[str, ...], width: int, limit: int | None, sort: str, as_json: bool,
                 as_csv: bool, exact: bool) -> None:
    """Keyword in context: every occurrence of TERM (a concept, or a phrase matched as `kb trace` matches it)
    with the text either side, aligned on the term, with document, date and page.

    \b
    Examples:
      kb kwic "triple aim"
      kb kwic PCN --sort left --width 30
      kb kwic "provider collaborative" --limit 20 --csv > contexts.csv
    """
    _check_formats(as_json, as_csv)
    with _in_option_terms():
        rows = open_kb(ctx).kwic(" ".join(term), width=width, sort=sort, limit=limit, exact=exact)
    if as_json:
        echo_json([r.to_json() for r in rows])
    elif as_csv:
        _write_csv([r.to_json() for r in rows], KWIC_CSV_COLUMNS)
    else:
        _print_kwic(rows, width)


def _print_kwic(rows: list[KwicLine], width: int) -> None:
    if not rows:
        click.echo("No lines to show.")
        return
    match_width = max(len(r.match) for r in rows)
    date_width = max(len(r.published or "undated") for r in rows)
    for r in rows:
        term = r.match.ljust(match_width)
        term = click.style(term, fg="yellow", bold=True) if color_enabled() else term
        click.echo(f"{(r.published or 'undated'):<{date_width}}  {r.left:>{width}} {term} {r.right:<{width}}"
                   f"  {r.doc_id} p.{r.page}".rstrip())
    click.echo(f"{len(rows)} line(s)")
