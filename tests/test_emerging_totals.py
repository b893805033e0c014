"""The sums `kb emerging` reads (kb/store/terms.py: per key, year and publisher) against an exhaustive
recomputation: after any sequence of adds, changes (new text, date or publisher) and removals, the stored sums
equal the counts summed afresh, and every list (--period, --since/--until bounded by days, --against, --fading,
--min-docs, --min-publishers, --by year, the site's list per year) equals the list worked out from every
document's counts, the path kb took before the sums."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_emerging import put

from kb.errors import KbError
from kb.nlp.phrases import update_term_counts
from kb.store import SCHEMA_VERSION, Store
from kb.store import terms as db
from kb.trace import emerging as em

PHRASES = ["virtual wards", "virtual ward beds", "integrated care systems", "care systems", "anchor institutions",
           "neighbourhood health centres", "health centres", "population health management",
           "sustainability and transformation partnerships", "primary care networks"]
PUBLISHERS = ["Alpha Trust", "Beta Institute", "Gamma Council", None]
WORDS = "ba be bo ku ki la lo mi mu na no pe po ra ri sa so ta te tu va vi zo".split()


def _date(draw_year: int, kind: int, month: int, day: int) -> str | None:
    """A date of one of kb's precisions (year, month, day) or none."""
    if kind == 0:
        return None
    if kind == 1:
        return str(draw_year)
    if kind == 2:
        return f"{draw_year}-{month:02d}"
    return f"{draw_year}-{month:02d}-{day:02d}"


documents = st.tuples(
    st.integers(2018, 2023), st.integers(0, 3), st.integers(1, 12), st.integers(1, 28),
    st.sampled_from(PUBLISHERS),
    st.lists(st.tuples(st.sampled_from(PHRASES), st.integers(1, 8)), min_size=1, max_size=5),
    st.integers(0, 10_000))
edits = st.lists(st.tuples(st.sampled_from([f"d{i}" for i in range(14)]), st.booleans(), documents),
                 min_size=1, max_size=10)


def _base(seed: int) -> list[tuple[str, bool, tuple]]:
    """Twelve documents, two a year 2018-2023, whose phrases change with the year (so that lists are not empty)
    and whose dates, precisions and publishers vary with ``seed``."""
    rng = random.Random(seed)
    out = []
    for i in range(12):
        year = 2018 + i // 2
        phrases = [(PHRASES[(year - 2018 + k) % len(PHRASES)], rng.randint(2, 8)) for k in range(3)]
        out.append((f"d{i}", False, (year, rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28),
                                     rng.choice(PUBLISHERS), phrases, rng.randint(0, 10_000))))
    return out
periods = st.tuples(st.integers(2018, 2024), st.integers(0, 2), st.integers(1, 12), st.integers(1, 28),
                    st.booleans())


def _paragraphs(phrases: list[tuple[str, int]], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for phrase, times in phrases:
        filler = " ".join("".join(rng.choices(WORDS, k=3)) for _ in range(rng.randint(2, 8)))
        # "met" after a phrase could extend it (open on the right): some phrases are, some are not
        out.append(f"{filler}. " + " ".join(f"The {phrase}{rng.choice(['', '', ' met'])}." for _ in range(times)))
    return out


def _apply(store: Store, live: dict, doc_id: str, remove: bool, doc: tuple) -> None:
    """One edit, then counting as an ingest does (in one transaction)."""
    year, kind, month, day, publisher, phrases, seed = doc
    if remove and doc_id in live:
        with store.transaction():
            store.delete_document(doc_id)
        del live[doc_id]
    else:
        live[doc_id] = doc
        put(store, doc_id, _date(year, kind, month, day), publisher, _paragraphs(phrases, seed))  # type: ignore[arg-type]
    with store.transaction():
        update_term_counts(store)


def _recounted(store: Store) -> tuple[list, list]:
    """The sums per (key, year, publisher) and per key, computed afresh from every document's counts."""
    totals = store.conn.execute(
        "SELECT c.term, COALESCE(substr(d.date_earliest, 1, 4), ''), COALESCE(d.publisher, '#' || d.id), SUM(c.n), "
        "COUNT(*), SUM(c.open_left), SUM(c.open_right) FROM term_counts c JOIN documents d ON d.id = c.doc_id "
        "WHERE d.duplicate_of IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
    sums = store.conn.execute(
        "SELECT c.term, SUM(c.n), COUNT(*), SUM(c.open_left), SUM(c.open_right) FROM term_counts c "
        "JOIN documents d ON d.id = c.doc_id WHERE d.duplicate_of IS NULL GROUP BY 1 ORDER BY 1").fetchall()
    return [tuple(r) for r in totals], [tuple(r) for r in sums]


def _stored(store: Store) -> tuple[list, list]:
    totals = store.conn.execute("SELECT term, year, publisher, n, docs, open_left, open_right FROM term_totals "
                                "ORDER BY 1, 2, 3").fetchall()
    sums = store.conn.execute("SELECT term, n, docs, open_left, open_right FROM term_sums ORDER BY 1").fetchall()
    return [tuple(r) for r in totals], [tuple(r) for r in sums]


@contextlib.contextmanager
def every_documents_counts():
    """kb emerging as it was before the sums: every period, total and year count from the per-document rows."""
    patch = pytest.MonkeyPatch()
    patch.setattr(em, "_years", lambda span, docs: None)
    patch.setattr(db, "summed_totals", db.candidate_totals)
    patch.setattr(db, "summed_year_counts", db.year_counts)
    try:
        yield
    finally:
        patch.undo()


def _answer(store: Store, since, until, against, fading, min_docs, min_publishers) -> dict | str:
    try:
        return em.report_json(em.emerging(store, since, until, against, fading, min_docs, None, min_publishers))
    except KbError as exc:
        return f"{type(exc).__name__}: {exc}"


def _bound(period: tuple) -> str:
    year, precision, month, day, _ = period
    return (str(year), f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}")[precision]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.integers(0, 1000), edits, st.lists(st.tuples(periods, periods, st.booleans(), st.integers(1, 3), st.integers(1, 3)),
                       min_size=1, max_size=3))
def test_the_sums_and_every_list_equal_an_exhaustive_recount(tmp_path_factory, seed, steps, asks):
    path = tmp_path_factory.mktemp("totals") / "kb.sqlite"
    store = Store.open(path, create=True)
    live: dict = {}
    try:
        for doc_id, remove, doc in _base(seed) + steps:
            _apply(store, live, doc_id, remove, doc)
            assert _stored(store) == _recounted(store)
        for lo, hi, fading, min_docs, min_publishers in asks:
            since, until = sorted([_bound(lo), _bound(hi)])
            against = (_bound(lo), _bound(hi)) if lo[4] else None  # sometimes a reference of its own
            for span in ((since, until, None), (since, None, None), (None, until, None), (None, None, None),
                         (until, until, against)):
                got = _answer(store, *span, fading, min_docs, min_publishers)
                with every_documents_counts():
                    want = _answer(store, *span, fading, min_docs, min_publishers)
                assert got == want, span
                event("a list with terms" if isinstance(want, dict) and want["terms"] else "an empty list or error")
                if isinstance(want, dict):
                    docs = store.counted_documents()
                    spans = [(want[k]["since"], want[k]["until"]) for k in ("target", "reference")]
                    event("summed" if None not in [em._years(x, docs) for x in spans] else "every document's counts")
        years = sorted({d[0] for d in live.values() if d[1]} | {2017, 2030})
        asks_by_year = [(str(y), str(y), (str(years[0]), str(y - 1))) for y in years[1:]] + \
            [(f"{years[1]}-03", str(years[-1]), None)]  # and one that may cut a year in two
        got_each = [r if isinstance(r, KbError) else em.report_json(r) for r in em.emerging_each(store, asks_by_year)]
        with every_documents_counts():
            want_each = [_answer(store, s, u, a, False, 2, 2) for s, u, a in asks_by_year]
        assert [g if isinstance(g, dict) else f"{type(g).__name__}: {g}" for g in got_each] == want_each
    finally:
        store.close()


def test_a_period_that_cuts_a_year_in_two_is_summed_from_every_documents_counts(tmp_path):
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    for doc_id, date in (("a", "2021-02-01"), ("b", "2021-09-01"), ("c", "2022-05-01")):
        put(store, doc_id, date, "P", ["The virtual wards met."])
    with store.transaction():
        update_term_counts(store)
    docs = store.counted_documents()
    assert em._years(("2021-01-01", "2022-12-31"), docs) == ("2021", "2022")
    assert em._years(("2021-01-15", "2022-12-31"), docs) == ("2021", "2022")  # no document before the 15th
    assert em._years(("2021-06-01", "2022-12-31"), docs) is None  # a and b fall on either side
    assert em._years(("2021-10-01", "2022-12-31"), docs) == ("2022", "2022")
    store.close()


def test_a_store_of_schema_5_gains_the_sums_of_its_counts(tmp_path):
    path = tmp_path / "kb.sqlite"
    store = Store.open(path, create=True)
    for doc_id, date, publisher in (("a", "2020", "P"), ("b", "2021-04", None), ("c", None, "Q")):
        put(store, doc_id, date, publisher, ["Virtual wards opened. More virtual wards.", "Care systems grew."])
    with store.transaction():
        update_term_counts(store)
    before = _stored(store)
    assert before == _recounted(store) and before[0]
    store.conn.executescript("DROP TABLE term_totals; DROP TABLE term_sums; DROP TABLE term_buckets; "
                             "UPDATE meta SET value='5' WHERE key='schema_version';")
    store.close()
    store = Store.open(path)
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert _stored(store) == before
    with store.transaction():
        assert update_term_counts(store) == (0, 0)
    store.close()
