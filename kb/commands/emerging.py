"""`kb emerging`: the terms whose use rises (or falls) in a period, a thin layer over kb.trace.emerging."""

from __future__ import annotations

import click

from kb.commands.common import open_kb
from kb.commands.trace import highlight
from kb.console import echo_json, echo_table, style
from kb.errors import InvalidArgument, UsageError

#: Columns of `kb emerging --csv` (one row per term; see docs/trace.md).
EMERGING_CSV_COLUMNS = ("rank", "term", "kind", "concept_id", "g2", "log_ratio", "target", "reference",
                        "target_docs", "target_publishers", "reference_docs", "reference_publishers", "total",
                        "first_doc_id", "first_published", "first_page", "first_passage_id", "variants")
#: Columns of `kb emerging --csv --by year` (one row per term and year).
EMERGING_YEAR_CSV_COLUMNS = ("rank", "term", "year", "occurrences")

_OPTION_WORDING = {
    "period": "{message} (--period, --since, --until)",
    "against": "{message} (--against)",
}


@click.command("emerging")
@click.option("--period", help="The period to look at: a year (2022), a range (2020-2022), a month or a day. "
                               "Default: the corpus's last year.")
@click.option("--since", help="First day of the period (YYYY, YYYY-MM or YYYY-MM-DD); instead of --period.")
@click.option("--until", help="Last day of the period (YYYY, YYYY-MM or YYYY-MM-DD); instead of --period.")
@click.option("--against", "against", help="The period to compare with (a range such as 2015-2021). Default: the "
                                           "same length just before.")
@click.option("--fading", is_flag=True, help="Terms whose use falls instead of rises.")
@click.option("--min-docs", default=2, show_default=True, type=click.IntRange(1),
              help="Documents of the period (the earlier one with --fading) that must use a term.")
@click.option("--min-publishers", default=2, show_default=True, type=click.IntRange(1),
              help="Publishers of those documents (a document without one counts as its own).")
@click.option("--by", type=click.Choice(["year"]), default=None, help="Also show each term's occurrences per year.")
@click.option("--limit", default=30, show_default=True, type=click.IntRange(0), help="Show at most N terms.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema in docs/trace.md).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per term (per term and year with --by "
                                                    "year); columns in docs/trace.md.")
@click.pass_context
def emerging_command(ctx: click.Context, period: str | None, since: str | None, until: str | None,
                     against: str | None, fading: bool, min_docs: int, min_publishers: int, by: str | None,
                     limit: int, as_json: bool, as_csv: bool) -> None:
    """List the terms whose use rises in a period against the period before: multi-word phrases mined from
    the corpus, acronyms it defines and the vocabulary's concepts, ranked by log-likelihood G² (with the log
    ratio as effect size), with how many documents and publishers use each, and where each first appears.

    Documents count in the period their earliest possible date falls in; undated ones in none. The corpus's
    make-up changes over time too: read the list as what this corpus shows.

    \b
    Examples:
      kb emerging --period 2022-2025
      kb emerging --since 2023-06 --until 2024 --against 2020-2022
      kb emerging --period 2024 --fading
      kb emerging --period 2022-2025 --by year --limit 10
      kb emerging --period 2022 --json | jq '.terms[].term'
    """
    if as_json and as_csv:
        raise UsageError("Choose one of --json and --csv.")
    if period and (since or until):
        raise UsageError("Give either --period or --since/--until, not both.")
    from kb.knowledge_base import KnowledgeBase

    try:
        if period:
            since, until = KnowledgeBase.period(period)
        report = open_kb(ctx).emerging(since, until, against, fading=fading, min_docs=min_docs, limit=limit,
                                       min_publishers=min_publishers)
    except InvalidArgument as exc:
        wording = _OPTION_WORDING.get(exc.field)
        if wording is None:
            raise
        raise UsageError(wording.format(message=str(exc).rstrip("."))) from None
    data = KnowledgeBase.emerging_json(report)
    if as_json:
        echo_json(data)
    elif as_csv:
        _print_csv(data, by)
    else:
        _print(data, by)


def _print_csv(data: dict, by: str | None) -> None:
    import csv
    import sys

    columns = EMERGING_YEAR_CSV_COLUMNS if by else EMERGING_CSV_COLUMNS
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for t in data["terms"]:
        if by:
            for year, n in t["by_year"].items():
                writer.writerow({"rank": t["rank"], "term": t["term"], "year": year, "occurrences": n})
            continue
        first = t["first_appearance"] or {}
        writer.writerow({k: ("" if v is None else v) for k, v in t.items()} | {
            "first_doc_id": first.get("doc_id", ""), "first_published": first.get("published", ""),
            "first_page": first.get("page", ""), "first_passage_id": first.get("passage_id", ""),
            "variants": "; ".join(t["variants"])})


def _n(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def _undated(n: int) -> str:
    return f"; {n} undated document{'s' if n != 1 else ''} left out (no period holds them)" if n else ""


def _print(data: dict, by: str | None) -> None:
    t, r = data["target"], data["reference"]
    what = "Fading" if data["direction"] == "fading" else "Emerging"
    click.echo(style(f"{what} terms: {t['label']} against {r['label']}", bold=True))
    click.echo(f"{_n(t['documents'], 'document')} ({t['words']:,} words) in {t['label']}, {r['documents']} "
               f"({r['words']:,} words) in {r['label']}"
               + _undated(data["undated_documents"]))
    side = "earlier period" if data["direction"] == "fading" else "period"
    click.echo(style(f"log-likelihood G² ≥ {data['statistic']['critical_value']} (p < 0.001), log ratio as effect "
                     f"size; used in {data['min_docs']}+ documents from {data['min_publishers']}+ publishers of the "
                     f"{side}; {data['considered']:,} candidate terms", dim=True))
    click.echo(style("note: " + data["note"], fg="yellow"))
    terms = data["terms"]
    for period in (t, r):
        if not period["words"]:
            click.echo(style(f"No dated document falls in {period['label']}: nothing can rise or fall against it; "
                             "choose other periods (--period, --against).", fg="yellow"))
    if not terms:
        click.echo("\nNo term's use " + ("falls" if data["direction"] == "fading" else "rises")
                   + " significantly between these periods.")
        return
    docs, pubs = ("reference_docs", "reference_publishers") if data["direction"] == "fading" else \
        ("target_docs", "target_publishers")
    click.echo("")
    echo_table([(x["rank"], x["term"], x["kind"], f"{x['g2']:.1f}", f"{x['log_ratio']:+.2f}", x["target"],
                 x["reference"], x[docs], x[pubs],
                 x["first_appearance"]["published"] if x["first_appearance"] else "undated")
                for x in terms],
               ("#", "term", "kind", "G²", "log ratio", t["label"], r["label"], "docs", "publishers", "first"),
               {1: 40})
    if by:
        years = [y for y in terms[0]["by_year"] if r["since"][:4] <= y <= t["until"][:4]]
        click.echo("\n" + style("Occurrences per year", bold=True))
        echo_table([(x["rank"], x["term"], *(x["by_year"][y] for y in years)) for x in terms], ("#", "term", *years),
                   {1: 40})
    click.echo("\n" + style("First appearances", bold=True) + " (as kb trace TERM shows them)")
    for x in terms:
        f = x["first_appearance"]
        if f is None:
            click.echo(f"  {x['rank']}. {x['term']}: only in undated documents")
            continue
        tie = f" (tied with {len(f['tied_with'])} of overlapping date)" if f["tied_with"] else ""
        publisher = f["publisher"] or "unknown publisher"
        click.echo(f"  {x['rank']}. {x['term']}: {f['published']} · {f['title']} ({publisher}) · p.{f['page']} · "
                   f"passage {f['passage_id']}{tie}")
        click.echo(f"     “{highlight(f['quote'], f['mark_start'], f['mark_end'])}”")
    said = [x for x in terms if x.get("replaced_by")]
    if said:
        click.echo("\n" + style("Replaced by", bold=True) + " (a rising term a sentence of the corpus says took its place)")
        for x in said:
            for r in x["replaced_by"]:
                more = f"; {_n(r['sentences'], 'sentence')} in {_n(r['documents'], 'document')}" \
                    if r["sentences"] > 1 else ""
                click.echo(f"  {x['rank']}. {x['term']} → {r['term']}: {r['published'] or 'undated'} · {r['title']} · "
                           f"p.{r['page']} · passage {r['passage_id']}{more}")
                click.echo(f"     “{r['sentence']}”")
