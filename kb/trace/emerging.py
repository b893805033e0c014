"""What is new: terms whose use rises (or falls) in a period against the period before (`kb emerging`).

Candidates are the 2-5 word phrases ingest counted per document (kb/nlp/phrases.py) and the concepts kb knows
(vocabulary and discovered acronyms, counted by their mentions; a phrase that names a concept is that concept).
A phrase reads as a term only if it is used in two documents or more and not mostly inside one longer candidate
(C-value's nested-term correction, Frantzi, Ananiadou and Mima 2000: "care system" almost always inside
"integrated care system" is a fragment of it).

Keyness compares the term's occurrences per word in the target period with the reference period: log-likelihood
G² (Rayson and Garside 2000) for how sure, the log ratio (Hardie 2014, binary log of the ratio of relative
frequencies, 0.5 for a zero count) for how much. A term is listed when G² passes ``SIGNIFICANT`` (p < 0.001, one
degree of freedom) with the effect in the asked direction, and used in ``min_docs`` documents from
``min_publishers`` publishers of the period (one publisher's series of reports is not a term's spread); the list
is ranked by G². Documents belong to the period their earliest possible day falls in; undated documents
belong to none (and are counted in the report). docs/trace.md says what the statistic can and cannot show.

The first appearance of each term is the trace ledger's (:func:`kb.trace.ledger.first_appearances`), for the
term as `kb trace` resolves it, so both commands name the same passage.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kb.errors import InvalidArgument, KbError
from kb.models import Concept
from kb.nlp.phrases import term_key
from kb.store import Store
from kb.store import terms as db
from kb.trace.successors import RISING, Replacement, replacements

#: G² critical value for p < 0.001 at one degree of freedom: below it a difference is not reported.
SIGNIFICANT = 10.83
#: A candidate is a fragment when fewer than this share of its occurrences fall outside its most frequent
#: longer candidate (C-value's nested-term correction).
FREE_SHARE = 0.25
#: A candidate whose occurrences are this often followed (or preceded) by a word that would extend it is cut
#: mid-phrase ("mental health inpatient" before settings, services, beds...), however many phrases continue it.
OPEN_SHARE = 0.8
#: A phrase must be used at least this often in the whole corpus to be considered.
MIN_TOTAL = 3
#: Said next to every list: what keyness between periods cannot tell apart.
NOTE = ("Keyness compares what this corpus holds in each period: if the documents of one period come from "
        "other publishers or kinds than the other's, terms rise and fall with the corpus's composition, not only "
        "with their use.")

Span = tuple[str, str]


@dataclass(frozen=True)
class FirstAppearance:
    """Where a term is first used in the dated documents (the trace ledger's first use)."""

    doc_id: str
    title: str
    publisher: str | None
    published: str | None
    date_precision: str | None
    page: int
    passage_id: str
    quote: str  # the sentence around the first use
    mark_start: int  # the term inside ``quote``
    mark_end: int
    tied_with: tuple[str, ...] = ()  # documents whose dates overlap the chosen one's (could be as early)


@dataclass(frozen=True)
class EmergingTerm:
    """One term of the list, with the numbers that put it there and its evidence."""

    term: str  # as it is shown and as `kb trace` takes it
    key: str  # the counted key (words folded), or the concept id
    kind: str  # "phrase" | "concept" | "acronym" (a discovered concept)
    concept_id: str | None
    variants: tuple[str, ...]  # other ways it is written (surfaces, acronyms, aliases)
    g2: float  # log-likelihood, target against reference period
    log_ratio: float  # binary log of the ratio of relative frequencies (positive: more in the target period)
    target: int  # occurrences in the target period
    reference: int  # occurrences in the reference period
    target_docs: int
    target_publishers: int
    reference_docs: int
    reference_publishers: int
    total: int  # occurrences in every document that counts, dated or not
    cvalue: float | None  # C-value (termhood of a phrase; None for concepts)
    by_year: dict[str, int] = field(default_factory=dict)  # occurrences per year, every year of the corpus
    first: FirstAppearance | None = None
    # for a fading term: rising terms a sentence of the corpus says replaced it (kb.trace.successors)
    replaced_by: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class EmergingReport:
    """The list and what it was computed over."""

    target: Span
    reference: Span
    target_words: int
    reference_words: int
    target_documents: int
    reference_documents: int
    undated_documents: int  # left out of both periods
    fading: bool
    min_docs: int
    min_publishers: int
    considered: int  # candidates tested for keyness (fragments of a longer candidate are dropped after the test)
    terms: list[EmergingTerm]
    note: str = NOTE


def emerging_terms(store: Store, since: str | None = None, until: str | None = None,
                   against: tuple[str, str] | None = None, fading: bool = False, min_docs: int = 2,
                   limit: int = 30, min_publishers: int = 2) -> list[EmergingTerm]:
    """The terms whose use rises from the period before ``since``..``until`` (or ``against``) to it, strongest
    first; ``fading`` the terms whose use falls. Dates are YYYY, YYYY-MM or YYYY-MM-DD; without ``since`` and
    ``until`` the target is the corpus's last year. For the site's "New terms" page and feed."""
    return emerging(store, since, until, against, fading, min_docs, limit, min_publishers).terms


def parse_period(text: str) -> Span:
    """"2022" -> 2022-01-01..2022-12-31; "2020-2022" or "2020..2022"; "2022-03"; a day."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*(?:\.\.|-|–|to)\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)", text)
    if m and (len(m.group(1)) == 4 or ".." in text or "–" in text or "to" in text):
        lo, hi = _bounds(m.group(1))[0], _bounds(m.group(2))[1]
    else:
        lo, hi = _bounds(text)
    if lo > hi:
        raise InvalidArgument("period", text, f"The period {text!r} ends before it starts.")
    return lo, hi


def _bounds(text: str) -> Span:
    """First and last day of a year, month or day."""
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-01-01", f"{text}-12-31"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = int(text[:4]), int(text[5:])
            last = (_dt.date(y + m // 12, m % 12 + 1, 1) - _dt.timedelta(days=1)).isoformat()
            return f"{text}-01", last
        day = _dt.date.fromisoformat(text).isoformat()
        return day, day
    except ValueError:
        raise InvalidArgument("period", text, f"Unknown date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD, "
                                              "or a range such as 2020-2022.") from None


def _before(span: Span) -> Span:
    """The period of the same length that ends the day before ``span`` starts (whole years stay whole years)."""
    lo, hi = (_dt.date.fromisoformat(d) for d in span)
    if lo.month == 1 and lo.day == 1 and hi.month == 12 and hi.day == 31 and lo.year - (hi.year - lo.year + 1) >= 1:
        years = hi.year - lo.year + 1
        return f"{lo.year - years:04d}-01-01", f"{lo.year - 1:04d}-12-31"
    try:
        length = hi - lo
        end = lo - _dt.timedelta(days=1)
        return (end - length).isoformat(), end.isoformat()
    except OverflowError:
        raise InvalidArgument("against", f"{span[0]}..{span[1]}", "No period of the same length ends before "
                              f"{span[0]}: name the reference period yourself") from None


def periods(store: Store, since: str | None, until: str | None, against: tuple[str, str] | None
            ) -> tuple[Span, Span]:
    """The target and reference periods the options name (see ``emerging_terms``)."""
    docs = store.counted_documents()
    dated = [d["date_earliest"] for d in docs.values() if d["date_earliest"]]
    if since is None and until is None:
        if not dated:
            raise InvalidArgument("period", "", "No document of the knowledge base is dated, so no period can be "
                                                "compared with another.")
        year = max(dated)[:4]
        target = (f"{year}-01-01", f"{year}-12-31")
    else:
        if not dated and (since is None or until is None):
            raise InvalidArgument("period", since or until or "", "No document of the knowledge base is dated, so "
                                  "an open end of the period cannot be set: name the period in full")
        lo = _bounds(since)[0] if since else min(dated, default="0001-01-01")
        hi = _bounds(until)[1] if until else max(dated, default="9999-12-31")
        if lo > hi:
            raise InvalidArgument("period", f"{since}..{until}", "The period ends before it starts.")
        target = (lo, hi)
    reference = (_bounds(against[0])[0], _bounds(against[1])[1]) if against else _before(target)
    if reference[0] > reference[1]:
        raise InvalidArgument("against", f"{against}", "The reference period ends before it starts.")
    if reference[1] >= target[0] and reference[0] <= target[1]:
        raise InvalidArgument("against", f"{reference[0]}..{reference[1]}", "The reference period overlaps the "
                              "target period: compare two periods that do not share a day.")
    return target, reference


def g2(a: int, b: int, c: int, d: int) -> float:
    """Log-likelihood of ``a`` occurrences in ``c`` words against ``b`` in ``d`` (Rayson and Garside 2000)."""
    if not c or not d or not (a + b):
        return 0.0
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * ((a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0))


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Binary log of (a / c) / (b / d), a zero count taken as 0.5 (Hardie 2014)."""
    if not c or not d:
        return 0.0
    return math.log2(((a or 0.5) / c) / ((b or 0.5) / d))


def emerging(store: Store, since: str | None = None, until: str | None = None,
             against: tuple[str, str] | None = None, fading: bool = False, min_docs: int = 2,
             limit: int | None = 30, min_publishers: int = 2) -> EmergingReport:
    """``emerging_terms`` with the periods, word totals and counts it was computed over (for `kb emerging`)."""
    _check(min_docs, min_publishers, limit)
    target, reference = periods(store, since, until, against)
    docs = store.counted_documents()
    test = _Test(docs, target, reference, fading, min_docs, min_publishers)
    years = _years(target, docs), _years(reference, docs)
    if years[0] is not None and years[1] is not None:  # from the sums per year and publisher
        sums = db.year_sums(store, years[0], years[1], MIN_TOTAL, 2, OPEN_SHARE)
    else:  # a period that splits a year's documents: from every document's counts
        sums = db.candidate_sums(store, target, reference, MIN_TOTAL, 2)
    kept, tested = _listable_phrases(store, sums, test.listable)
    report = _report(store, docs, test, list(db.concept_sums(store, target, reference)),
                     _free(kept, _nesting(store, kept)), tested, limit, {})
    if fading and report.terms:
        rising = emerging(store, since, until, against, False, min_docs, RISING, min_publishers).terms
        said = replacements(store, [t.term for t in report.terms], [t.term for t in rising])
        report = dataclasses.replace(report, terms=[dataclasses.replace(t, replaced_by=tuple(said.get(t.term, ())))
                                                    for t in report.terms])
    return report


def emerging_each(store: Store, asks: list[tuple[str, str, tuple[str, str]]], limit: int | None = 30,
                  min_docs: int = 2, min_publishers: int = 2) -> list[EmergingReport | KbError]:
    """``emerging(store, since, until, against, False, min_docs, limit, min_publishers)`` for each of ``asks``
    (since, until, against), or the error it raises: the site's "New terms" lists, one per year. Lists over
    whole years come from one read of the candidates' sums per year and publisher and one of the concepts'
    mentions, not a read per list; first appearances are looked up once per term."""
    _check(min_docs, min_publishers, limit)
    docs = store.counted_documents()
    out: list[EmergingReport | KbError | None] = []
    summed: list[tuple[int, _Test, tuple[str, str], tuple[str, str]]] = []
    for since, until, against in asks:
        try:
            target, reference = periods(store, since, until, against)
        except KbError as exc:
            out.append(exc)
            continue
        ty, ry = _years(target, docs), _years(reference, docs)
        if ty is None or ry is None:
            out.append(emerging(store, since, until, against, False, min_docs, limit, min_publishers))
            continue
        summed.append((len(out), _Test(docs, target, reference, False, min_docs, min_publishers), ty, ry))
        out.append(None)
    if summed:
        concepts = _bucketed(db.concept_buckets(store))
        kept, tested = _listable_by_years(store, [(test.listable, ty, ry) for _, test, ty, ry in summed])
        nesting = _nesting(store, {k for found in kept for k in found})
        cache: dict = {}
        for (i, test, ty, ry), found in zip(summed, kept, strict=True):
            sums = [(cid, total, n, *_period(b, ty), *_period(b, ry)) for cid, total, n, b in concepts]
            out[i] = _report(store, docs, test, sums, _free(found, nesting), tested, limit, cache)
    return [r for r in out if r is not None]


def _check(min_docs: int, min_publishers: int, limit: int | None) -> None:
    if min_docs < 1 or min_publishers < 1:
        raise InvalidArgument("min_docs", str(min_docs), "min_docs and min_publishers must be 1 or more.")
    if limit is not None and limit < 0:
        raise InvalidArgument("limit", str(limit), "limit must be 0 or more.")


def _years(span: Span, docs: dict[str, dict]) -> tuple[str, str] | None:
    """The (first, last) year whose dated documents are exactly those of ``span`` (a year as the sums take it:
    the first four characters of the earliest day), or None when the span cuts a year's documents in two. A span
    of whole years always has one; a span bounded by days too, where it cuts off no document of its end years."""
    lo, hi = span
    if not (re.fullmatch(r"\d{4}", lo[:4]) and re.fullmatch(r"\d{4}", hi[:4])):
        return None
    days = [d["date_earliest"] for d in docs.values() if d["date_earliest"]]
    inside = [lo <= day <= hi for day in days]
    for first in (lo[:4], f"{int(lo[:4]) + 1:04d}"):
        for last in (hi[:4], f"{int(hi[:4]) - 1:04d}"):
            if all((first <= day[:4] <= last) == keep for day, keep in zip(days, inside, strict=True)):
                return first, last
    return None


class _Test:
    """The word totals of two periods and the spread and significance tests a term must pass to be listed."""

    def __init__(self, docs: dict[str, dict], target: Span, reference: Span, fading: bool, min_docs: int,
                 min_publishers: int) -> None:
        self.target, self.reference, self.fading = target, reference, fading
        self.min_docs, self.min_publishers = min_docs, min_publishers
        self.words: Counter = Counter()
        self.docs: Counter = Counter()
        for d in docs.values():
            day = d["date_earliest"]
            for name, (lo, hi) in (("t", target), ("r", reference)):
                if day and lo <= day <= hi:
                    self.words[name] += d["words"] or 0
                    self.docs[name] += 1
        self.side = "reference" if fading else "target"

    def listable(self, row: dict) -> dict | None:
        """The row with its G² and log ratio if it passes the spread and significance tests, else None."""
        if row[f"{self.side}_docs"] < self.min_docs or row[f"{self.side}_publishers"] < self.min_publishers:
            return None
        a, b, c, d = row["target"], row["reference"], self.words["t"], self.words["r"]
        score, ratio = g2(a, b, c, d), log_ratio(a, b, c, d)
        if score < SIGNIFICANT or (ratio <= 0 if not self.fading else ratio >= 0):
            return None
        return row | {"g2": round(score, 2), "log_ratio": round(ratio, 2)}


def _report(store: Store, docs: dict[str, dict], test: _Test, concept_sums: list[tuple], phrases: list[dict],
            tested: int, limit: int | None, cache: dict) -> EmergingReport:
    """One list: the concepts that pass ``test`` and the ``phrases`` that did, ranked by G², with each listed
    term's evidence (``cache`` keeps first appearances between the lists of one run)."""
    concepts = _concept_rows(store, concept_sums)
    listed = [r for r in map(test.listable, concepts) if r is not None] + phrases
    listed.sort(key=lambda r: (-r["g2"], r["term"]))
    if limit is not None:
        listed = listed[:limit]
    return EmergingReport(test.target, test.reference, test.words["t"], test.words["r"], test.docs["t"],
                          test.docs["r"], sum(1 for d in docs.values() if not d["date_earliest"]), test.fading,
                          test.min_docs, test.min_publishers, len(concepts) + tested,
                          _finish(store, docs, listed, cache))


def _sums(row: tuple) -> dict:
    return {"total": row[1], "target": row[3], "target_docs": row[4], "target_publishers": row[5],
            "reference": row[6], "reference_docs": row[7], "reference_publishers": row[8]}


def _concept_rows(store: Store, sums: Iterable[tuple]) -> list[dict]:
    concepts = {c.id: c for c in store.concepts()}
    rows = []
    for row in sums:
        c = concepts.get(row[0])
        if c is None:
            continue
        kind = "acronym" if c.discovered else "concept"
        rows.append({"term": c.label, "key": c.id, "kind": kind, "concept_id": c.id, "cvalue": None,
                     "variants": tuple(dict.fromkeys(v for v in (*c.acronyms, *c.aliases) if v != c.label))}
                    | _sums(row))
    return rows


def _concept_keys(concepts: list[Concept]) -> set[str]:
    """The counted keys of every concept's names: a phrase with one of them is that concept."""
    return {term_key(name) for c in concepts for name in (c.label, *c.aliases, *c.acronyms)}


def _phrase_row(key: str, sums: tuple) -> dict:
    return {"term": key, "key": key, "kind": "phrase", "concept_id": None, "variants": ()} | _sums(sums)


def _listable_phrases(store: Store, sums: Iterator[tuple], listable: Callable[[dict], dict | None]
                      ) -> tuple[dict[str, dict], int]:
    """The candidates that pass ``listable`` and may read as terms (used ``MIN_TOTAL`` times in two documents,
    not cut mid-phrase, not a concept's name), from ``sums`` (rows as ``kb.store.terms.candidate_sums`` gives
    them); and how many were tested. Memory holds what may be listed, never the corpus's candidates."""
    names = _concept_keys(store.concepts())
    kept: dict[str, dict] = {}
    tested = 0
    for row in sums:
        key, total = row[0], row[1]
        if key in names or max(row[9], row[10]) > OPEN_SHARE * total:
            continue
        tested += 1
        found = listable(_phrase_row(key, row))
        if found is not None:
            kept[key] = found
    return kept, tested


Bucket = tuple[str, str, int, int]  # (year, publisher, occurrences, documents)


def _listable_by_years(store: Store, lists: list[tuple[Callable[[dict], dict | None], tuple[str, str],
                                                      tuple[str, str]]]) -> tuple[list[dict[str, dict]], int]:
    """``_listable_phrases`` for each of ``lists`` (its test, target years and reference years), from one read
    of the candidates' sums per year and publisher, a candidate at a time."""
    names = _concept_keys(store.concepts())
    kept: list[dict[str, dict]] = [{} for _ in lists]
    tested = 0
    for key, group in itertools.groupby(db.bucket_rows(store, MIN_TOTAL, 2, OPEN_SHARE), key=lambda r: r[0]):
        rows = list(group)
        total, ndocs, left, right = rows[0][1:5]
        if key in names or max(left, right) > OPEN_SHARE * total:
            continue
        tested += 1
        buckets: list[Bucket] = [r[5:9] for r in rows]
        for found, (listable, ty, ry) in zip(kept, lists, strict=True):
            row = listable(_phrase_row(key, (key, total, ndocs, *_period(buckets, ty), *_period(buckets, ry))))
            if row is not None:
                found[key] = row
    return kept, tested


def _period(buckets: list[Bucket], years: tuple[str, str]) -> tuple[int, int, int]:
    """Occurrences, documents and distinct publishers of the buckets in a run of years."""
    first, last = years
    n = ndocs = 0
    publishers = set()
    for year, publisher, k, d in buckets:
        if first <= year <= last:
            n += k
            ndocs += d
            publishers.add(publisher)
    return n, ndocs, len(publishers)


def _bucketed(rows: Iterator[tuple]) -> list[tuple[str, int, int, list[Bucket]]]:
    """(concept id, mentions, documents, buckets) from ``kb.store.terms.concept_buckets``'s rows."""
    out = []
    for cid, group in itertools.groupby(rows, key=lambda r: r[0]):
        buckets = [(r[1], r[2], r[3], r[4]) for r in group]
        out.append((cid, sum(b[2] for b in buckets), sum(b[3] for b in buckets), buckets))
    return out


def _nesting(store: Store, keys: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """key -> (occurrences of its most frequent longer candidate, how many longer candidates hold it, their
    occurrences) for each of ``keys``: one pass over every candidate's total."""
    wanted = set(keys)
    inside: Counter = Counter()
    containers: Counter = Counter()
    held: Counter = Counter()
    if wanted:
        for key, total in db.summed_totals(store, MIN_TOTAL, 2):
            words = key.split()
            parts = {" ".join(words[i:i + n]) for n in range(2, len(words)) for i in range(len(words) - n + 1)}
            for part in parts & wanted:
                inside[part] = max(inside[part], total)
                containers[part] += 1
                held[part] += total
    return {k: (inside[k], containers[k], held[k]) for k in wanted}


def _free(kept: dict[str, dict], nesting: dict[str, tuple[int, int, int]]) -> list[dict]:
    """The kept candidates that are not mostly inside one longer candidate (C-value's nested-term correction),
    each with its C-value."""
    rows = []
    for key, entry in kept.items():
        total = entry["total"]
        inside, containers, held = nesting[key]
        if total - inside < FREE_SHARE * total:
            continue
        mean = held / containers if containers else 0
        rows.append(entry | {"cvalue": round(math.log2(len(key.split())) * (total - mean), 2)})
    return rows


def _finish(store: Store, docs: dict[str, dict], listed: list[dict], cache: dict) -> list[EmergingTerm]:
    """Shown form, variants, counts per year and first appearance of each listed term (``cache``: what name ->
    first appearance, kept between lists over the same documents)."""
    phrases = [r["key"] for r in listed if r["kind"] == "phrase"]
    written = db.surfaces(store, phrases)
    years = db.summed_year_counts(store, phrases) | db.concept_year_counts(
        store, [r["key"] for r in listed if r["kind"] != "phrase"])
    span = sorted({d["date_earliest"][:4] for d in docs.values() if d["date_earliest"]})
    all_years = [str(y) for y in range(int(span[0]), int(span[-1]) + 1)] if span else []
    out = []
    for r in listed:
        if r["kind"] == "phrase":
            shown, variants = _shown(written.get(r["key"], Counter()), r["key"])
            r = r | {"term": shown, "variants": variants}
        name = r["key"] if r["kind"] != "phrase" else r["term"]
        if name not in cache:
            cache[name] = _first(store, docs, name)
        first = cache[name]
        per_year = years.get(r["key"], Counter())
        out.append(EmergingTerm(
            term=r["term"], key=r["key"], kind=r["kind"], concept_id=r["concept_id"], variants=tuple(r["variants"]),
            g2=r["g2"], log_ratio=r["log_ratio"], target=r["target"], reference=r["reference"],
            target_docs=r["target_docs"], target_publishers=r["target_publishers"],
            reference_docs=r["reference_docs"], reference_publishers=r["reference_publishers"], total=r["total"],
            cvalue=r["cvalue"], by_year={y: per_year.get(y, 0) for y in all_years}, first=first))
    return out


def _first(store: Store, docs: dict[str, dict], name: str) -> FirstAppearance | None:
    """The first appearance of ``name`` as `kb trace` resolves it (the trace ledger's first use)."""
    from kb.trace.ledger import doc_counts, first_appearances, occurrences, resolve

    ref = resolve(store, name)
    occs = occurrences(store, ref) if ref.concept is None else None
    counts = Counter({d: n for d, n in doc_counts(store, ref, occs).items() if d in docs})
    ledger = first_appearances(store, ref, docs, counts, occs)["first_use"]
    if not ledger:
        return None
    return FirstAppearance(ledger["doc_id"], ledger["title"], ledger["publisher"], ledger["published"],
                           ledger["date_precision"], ledger["page"], ledger["passage_id"], ledger["sentence"],
                           ledger["mark_start"], ledger["mark_end"], tuple(t["doc_id"] for t in ledger["tied_with"]))


_POSSESSIVE_END = re.compile(r"['\u2019]s?$")


def _shown(surfaces: Counter, key: str) -> tuple[str, tuple[str, ...]]:
    """The form a phrase is shown in and the other forms written. The form most documents write in lower case
    (capitals at a sentence's or a heading's start say nothing); a name always written with capitals as written."""
    forms: Counter = Counter()
    for s, n in surfaces.items():
        forms[" ".join(s.split())] += n
    if not forms:
        return key, ()
    # a possessive ("centre's") is shown only when the phrase is never written without one
    lower = [(not _POSSESSIVE_END.search(f), n, f) for f, n in forms.items() if f == f.lower()]
    shown = max(lower)[2] if lower else max((not _POSSESSIVE_END.search(f), n, f) for f, n in forms.items())[2]
    others = sorted({f.casefold() for f in forms} - {shown.casefold()})
    return shown, tuple(others[:6])


def period_label(span: Span) -> str:
    """"2022", "2022–2025" for whole years, else the two days."""
    lo, hi = span
    if lo.endswith("-01-01") and hi.endswith("-12-31"):
        return lo[:4] if lo[:4] == hi[:4] else f"{lo[:4]}–{hi[:4]}"
    return lo if lo == hi else f"{lo}–{hi}"


def report_json(report: EmergingReport) -> dict:
    """`kb emerging --json` (schema in docs/trace.md, "kb emerging")."""
    return {
        "direction": "fading" if report.fading else "rising",
        "target": {"since": report.target[0], "until": report.target[1], "label": period_label(report.target),
                   "documents": report.target_documents, "words": report.target_words},
        "reference": {"since": report.reference[0], "until": report.reference[1],
                      "label": period_label(report.reference), "documents": report.reference_documents,
                      "words": report.reference_words},
        "undated_documents": report.undated_documents,
        "statistic": {"keyness": "log-likelihood G2", "critical_value": SIGNIFICANT, "p": 0.001,
                      "effect_size": "log ratio (binary log of the ratio of relative frequencies)"},
        "min_docs": report.min_docs,
        "min_publishers": report.min_publishers,
        "considered": report.considered,
        "note": report.note,
        "terms": [term_json(t, rank) for rank, t in enumerate(report.terms, 1)],
    }


def term_json(t: EmergingTerm, rank: int) -> dict:
    """One term of ``report_json``."""
    first = t.first
    return {"rank": rank, "term": t.term, "key": t.key, "kind": t.kind, "concept_id": t.concept_id,
            "variants": list(t.variants), "g2": t.g2, "log_ratio": t.log_ratio, "target": t.target,
            "reference": t.reference, "target_docs": t.target_docs, "target_publishers": t.target_publishers,
            "reference_docs": t.reference_docs, "reference_publishers": t.reference_publishers, "total": t.total,
            "cvalue": t.cvalue, "by_year": dict(t.by_year),
            "first_appearance": None if first is None else {
                "doc_id": first.doc_id, "title": first.title, "publisher": first.publisher,
                "published": first.published, "date_precision": first.date_precision, "page": first.page,
                "passage_id": first.passage_id, "quote": first.quote, "mark_start": first.mark_start,
                "mark_end": first.mark_end, "tied_with": list(first.tied_with)},
            "replaced_by": [{"term": r.term, "doc_id": r.doc_id, "title": r.title, "published": r.published,
                             "page": r.page, "passage_id": r.passage_id, "sentence": r.sentence,
                             "sentences": r.sentences, "documents": r.documents} for r in t.replaced_by]}
