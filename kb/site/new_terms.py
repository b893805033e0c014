"""The site's "New terms" pages: for each year, the terms whose use rose in it against every earlier year.

The lists are `kb emerging --period YEAR --against FIRST..YEAR-1` (kb.trace.emerging, the same candidates,
statistic and first appearances; every year's from one read of the counts' sums per year, ``emerging_each``),
so the site and the terminal never disagree; each term has a small trend (its
uses per 10,000 words of each year, so a year with more documents does not look like a rise) and links to the
passage of its first appearance.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kb.site.charts import sparkline
from kb.site.paths import concept_href

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


class SiteView(Protocol):
    """What these pages read of the site's snapshot (``kb.site.gather.SiteData`` has it): named here so that
    gathering, which calls :func:`gather_new_terms`, and these pages do not import each other."""

    documents: list[dict]
    concepts_by_id: dict[str, Any]
    new_terms: dict[str, Any]

    def passage_href(self, doc_id: str, passage_id: str | None) -> str: ...


log = logging.getLogger(__name__)

#: Terms listed per year.
PER_YEAR = 30
#: Terms per year on the overview page.
OVERVIEW = 5


def new_terms_href(year: str | None = None) -> str:
    """Site-relative URL of the overview (no year) or of one year's page."""
    return "new-terms.html" if year is None else f"new-terms/{int(year)}.html"


def gather_new_terms(store: Store, documents: list[dict], progress: Callable | None = None) -> dict[str, Any]:
    """Each year's report (newest first), from the second year of ``documents`` (the store's, as gathered) on:
    year -> EmergingReport.

    A year whose list cannot be made (nothing dated before it, a failure) is left out with a logged reason: the
    rest of the site is still built."""
    from kb.errors import KbError
    from kb.trace.emerging import emerging_each

    years = sorted({d["published"][:4] for d in documents if d.get("published") and not d.get("duplicate_of")})
    out: dict[str, Any] = {}
    items = years[1:]
    try:
        reports = emerging_each(store, [(year, year, (years[0], str(int(year) - 1))) for year in items],
                                limit=PER_YEAR)
    except Exception as exc:  # noqa: BLE001 - the lists must not sink the site
        log.warning("new terms could not be worked out: %s", exc)
        return out
    for year, report in zip(progress(items, desc="new terms", unit="year") if progress else items, reports, strict=True):
        if isinstance(report, KbError):
            log.warning("new terms of %s could not be worked out: %s", year, report)
        else:
            out[year] = report
    return dict(sorted(out.items(), reverse=True))


def _words_per_year(data: SiteView) -> dict[str, int]:
    words: Counter = Counter()
    for d in data.documents:
        if d.get("published") and not d.get("duplicate_of"):
            words[d["published"][:4]] += d.get("words") or 0
    return dict(words)


def _term_row(data: SiteView, term: Any, words: dict[str, int], chart_id: str) -> dict:
    years = sorted(words)
    rates = [(y, 10_000 * term.by_year.get(y, 0) / words[y] if words[y] else 0.0) for y in years]
    first = term.first
    return {
        "term": term.term,
        "variants": list(term.variants)[:6],
        "kind": term.kind,
        "concept_href": concept_href(term.concept_id) if term.concept_id in data.concepts_by_id else None,
        "g2": f"{term.g2:.1f}",
        "log_ratio": f"{term.log_ratio:+.1f}",
        "target": term.target,
        "reference": term.reference,
        "docs": term.target_docs,
        "publishers": term.target_publishers,
        "trend": sparkline(rates, label=f"Uses of {term.term} per 10,000 words, per year", chart_id=chart_id),
        "first": None if first is None else {
            "title": first.title, "publisher": first.publisher, "published": first.published,
            "page": first.page, "href": data.passage_href(first.doc_id, first.passage_id),
            "before": first.quote[:first.mark_start], "mark": first.quote[first.mark_start:first.mark_end],
            "after": first.quote[first.mark_end:],
        },
    }


def new_terms_context(data: SiteView, year: str | None = None) -> dict:
    """The overview (``year`` None: every year's strongest few) or one year's page."""
    words = _words_per_year(data)
    reports = data.new_terms
    years = []
    for y, report in reports.items():
        if year is not None and y != year:
            continue
        terms = report.terms if year is not None else report.terms[:OVERVIEW]
        years.append({
            "year": y, "href": new_terms_href(y), "against": f"{report.reference[0][:4]}–{report.reference[1][:4]}",
            "documents": report.target_documents, "reference_documents": report.reference_documents,
            "listed": len(report.terms),
            "terms": [_term_row(data, t, words, f"trend-{y}-{n}") for n, t in enumerate(terms)],
        })
    from kb.trace.emerging import NOTE

    return {"year": year, "years": years, "all_years": [(y, new_terms_href(y)) for y in reports], "note": NOTE,
            "undated": next(iter(reports.values())).undated_documents if reports else 0}
