"""The store's side of `kb emerging`: per-document counts of candidate terms (kb/nlp/phrases.py).

``term_docs`` remembers which version of each document was counted (so an ingest counts only new and changed
documents, and drops the counts of removed ones), ``term_counts`` holds one row per (candidate key, document)
with its occurrences and the first surface written there. Reading sums them per period in one grouped statement
that walks the primary key in order, so memory holds only the candidates that pass its thresholds.

The same counts are also kept summed, in the same transaction as the rows they sum (so an interrupted ingest
leaves both before or both after): ``term_totals`` per (key, year, publisher) and ``term_sums`` per key. A
document has one year and one publisher, so the documents and publishers of any run of whole years are exact
sums over a few rows per key, and `kb emerging` reads those instead of every document's row (12 million rows at
200,000 passages). ``term_buckets`` remembers the (year, publisher) each document was summed under, so its
counts can be taken out again after its row in ``documents`` changed or went.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kb.store.queries import COUNTED, chunks, marks

if TYPE_CHECKING:
    from kb.store import Store

#: Tables (also migration 4 -> 5 in kb/store/schema.py).
TERMS_SCHEMA = """
CREATE TABLE IF NOT EXISTS term_docs (
    doc_id TEXT PRIMARY KEY,
    version TEXT NOT NULL                 -- the document version and miner version counted
);
CREATE TABLE IF NOT EXISTS term_counts (
    term TEXT NOT NULL,                   -- the candidate's key: words folded as kb trace matches a phrase
    doc_id TEXT NOT NULL,
    n INTEGER NOT NULL,                   -- occurrences in the document (page furniture and licences left out)
    open_left INTEGER NOT NULL,           -- of which the word before could extend it (it sits in a longer phrase)
    open_right INTEGER NOT NULL,          -- of which the word after could extend it
    surface TEXT NOT NULL,                -- its first forms as written there, one a line
    PRIMARY KEY (term, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS term_counts_doc ON term_counts(doc_id);
"""

#: The smallest total and number of documents of a candidate `kb emerging` reads (its MIN_TOTAL, and two
#: documents): the partial index below holds just those keys, which a query uses when it asks for these numbers.
INDEXED_TOTAL, INDEXED_DOCS = 3, 2

#: Tables of the sums (migration 5 -> 6 builds them from ``term_counts``).
TOTALS_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS term_buckets (
    doc_id TEXT PRIMARY KEY,              -- a counted document (as in term_docs)
    year TEXT NOT NULL,                   -- the year of its earliest possible day when counted; '' undated
    publisher TEXT NOT NULL               -- its publisher when counted; '#' || id without one (its own)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_totals (
    term TEXT NOT NULL,
    year TEXT NOT NULL,
    publisher TEXT NOT NULL,
    n INTEGER NOT NULL,                   -- occurrences in the documents of this year and publisher
    docs INTEGER NOT NULL,                -- how many of them use it (rows with none are deleted)
    open_left INTEGER NOT NULL,
    open_right INTEGER NOT NULL,
    PRIMARY KEY (term, year, publisher)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_sums (
    term TEXT PRIMARY KEY,                -- term_totals summed over every year and publisher
    n INTEGER NOT NULL,
    docs INTEGER NOT NULL,
    open_left INTEGER NOT NULL,
    open_right INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS term_sums_candidates ON term_sums(term, n, docs, open_left, open_right)
    WHERE n >= {INDEXED_TOTAL} AND docs >= {INDEXED_DOCS};
"""

#: The sums of every stored count, in bulk (into empty tables).
SUMS_FROM_COUNTS = """
INSERT INTO term_buckets(doc_id, year, publisher)
    SELECT t.doc_id, COALESCE(substr(d.date_earliest, 1, 4), ''), COALESCE(d.publisher, '#' || d.id)
    FROM term_docs t JOIN documents d ON d.id = t.doc_id;
INSERT INTO term_totals(term, year, publisher, n, docs, open_left, open_right)
    SELECT c.term, b.year, b.publisher, SUM(c.n), COUNT(*), SUM(c.open_left), SUM(c.open_right)
    FROM term_counts c JOIN term_buckets b ON b.doc_id = c.doc_id GROUP BY c.term, b.year, b.publisher;
INSERT INTO term_sums(term, n, docs, open_left, open_right)
    SELECT term, SUM(n), SUM(docs), SUM(open_left), SUM(open_right) FROM term_totals GROUP BY term;
"""

#: Migration 5 -> 6: the sums of the counts already stored. Counts of a document that no longer counts (which the
#: next ingest would drop anyway) are dropped first, so the sums and the rows they sum agree.
TOTALS_MIGRATION = TOTALS_SCHEMA + f"""
DELETE FROM term_counts WHERE doc_id NOT IN (SELECT id FROM documents WHERE {COUNTED});
DELETE FROM term_docs WHERE doc_id NOT IN (SELECT id FROM documents WHERE {COUNTED});
""" + SUMS_FROM_COUNTS


def current_versions(store: Store, miner: str) -> dict[str, str]:
    """doc id -> version (content, catalog entry, ingest time, miner rules) of every document that counts."""
    return dict(store.conn.execute(
        "SELECT id, sha256 || '@' || COALESCE(catalog_hash, '') || '@' || ingested_at || '@' || ? "
        f"FROM documents WHERE {COUNTED}", (miner,)).fetchall())


def counted_versions(store: Store) -> dict[str, str]:
    """doc id -> version of every document whose candidates are stored."""
    return dict(store.conn.execute("SELECT doc_id, version FROM term_docs").fetchall())


def forget(store: Store, doc_ids: Iterable[str]) -> None:
    """Drop these documents' counts and take them out of the sums. Call inside ``transaction()``."""
    for doc_id in sorted(set(doc_ids)):  # one document at a time: its rows name each sum row at most once
        _unsum(store, doc_id)
    for chunk in chunks(sorted(set(doc_ids))):
        store.conn.execute(f"DELETE FROM term_counts WHERE doc_id IN ({marks(chunk)})", chunk)
        store.conn.execute(f"DELETE FROM term_docs WHERE doc_id IN ({marks(chunk)})", chunk)
        store.conn.execute(f"DELETE FROM term_buckets WHERE doc_id IN ({marks(chunk)})", chunk)


def _unsum(store: Store, doc_id: str) -> None:
    """Subtract one document's rows from the sums it was added to, deleting sums left with no document."""
    bucket = store.conn.execute("SELECT year, publisher FROM term_buckets WHERE doc_id=?", (doc_id,)).fetchone()
    if bucket is None:
        return
    year, publisher = bucket
    store.conn.execute(
        "UPDATE term_totals SET n = term_totals.n - c.n, docs = term_totals.docs - 1, "
        "open_left = term_totals.open_left - c.open_left, open_right = term_totals.open_right - c.open_right "
        "FROM term_counts c WHERE c.doc_id = ? AND term_totals.term = c.term AND term_totals.year = ? "
        "AND term_totals.publisher = ?", (doc_id, year, publisher))
    store.conn.execute(
        "UPDATE term_sums SET n = term_sums.n - c.n, docs = term_sums.docs - 1, "
        "open_left = term_sums.open_left - c.open_left, open_right = term_sums.open_right - c.open_right "
        "FROM term_counts c WHERE c.doc_id = ? AND term_sums.term = c.term", (doc_id,))
    store.conn.execute("DELETE FROM term_totals WHERE year = ? AND publisher = ? AND docs = 0 "
                       "AND term IN (SELECT term FROM term_counts WHERE doc_id = ?)", (year, publisher, doc_id))
    store.conn.execute("DELETE FROM term_sums WHERE docs = 0 AND term IN (SELECT term FROM term_counts "
                       "WHERE doc_id = ?)", (doc_id,))


def rebucket(store: Store) -> int:
    """Move the sums of every counted document whose year or publisher is no longer the one it was summed under
    (its counts, which depend on its text only, stay). Call inside ``transaction()``. Returns how many moved."""
    moved = [r[0] for r in store.conn.execute(
        "SELECT b.doc_id FROM term_buckets b JOIN documents d ON d.id = b.doc_id "
        "WHERE b.year != COALESCE(substr(d.date_earliest, 1, 4), '') OR b.publisher != COALESCE(d.publisher, "
        "'#' || d.id)")]
    for doc_id in moved:
        _unsum(store, doc_id)
        store.conn.execute("DELETE FROM term_buckets WHERE doc_id = ?", (doc_id,))
        _sum(store, doc_id)
    return len(moved)


def add_counts(store: Store, doc_id: str, version: str, rows: Iterable[tuple[str, int, int, int, str]]) -> None:
    """Store one document's (key, occurrences, open left, open right, surface) rows and the version counted, and
    add them to the sums of the document's year and publisher."""
    if store.conn.execute("SELECT 1 FROM term_buckets WHERE doc_id=?", (doc_id,)).fetchone():
        forget(store, [doc_id])  # counted before: replacing its rows must not add them twice
    store.conn.execute("INSERT OR REPLACE INTO term_docs(doc_id, version) VALUES (?, ?)", (doc_id, version))
    store.conn.executemany("INSERT OR REPLACE INTO term_counts(term, doc_id, n, open_left, open_right, surface) "
                           "VALUES (?, ?, ?, ?, ?, ?)", ((k, doc_id, n, lo, ro, s) for k, n, lo, ro, s in rows))
    _sum(store, doc_id)


def _sum(store: Store, doc_id: str) -> None:
    """Add one document's rows to the sums of its year and publisher (as ``documents`` has them now)."""
    store.conn.execute(
        "INSERT INTO term_buckets(doc_id, year, publisher) SELECT id, COALESCE(substr(date_earliest, 1, 4), ''), "
        "COALESCE(publisher, '#' || id) FROM documents WHERE id = ?", (doc_id,))
    store.conn.execute(
        "INSERT INTO term_totals(term, year, publisher, n, docs, open_left, open_right) "
        "SELECT c.term, b.year, b.publisher, c.n, 1, c.open_left, c.open_right FROM term_counts c "
        "JOIN term_buckets b ON b.doc_id = c.doc_id WHERE c.doc_id = ? "
        "ON CONFLICT(term, year, publisher) DO UPDATE SET n = n + excluded.n, docs = docs + 1, "
        "open_left = open_left + excluded.open_left, open_right = open_right + excluded.open_right", (doc_id,))
    store.conn.execute(
        "INSERT INTO term_sums(term, n, docs, open_left, open_right) "
        "SELECT term, n, 1, open_left, open_right FROM term_counts WHERE doc_id = ? "
        "ON CONFLICT(term) DO UPDATE SET n = n + excluded.n, docs = docs + 1, "
        "open_left = open_left + excluded.open_left, open_right = open_right + excluded.open_right", (doc_id,))


def passage_texts(store: Store, doc_id: str) -> Iterator[str]:
    """One document's passage texts in order, read as they are used."""
    for (text,) in store.conn.execute("SELECT text FROM passages WHERE doc_id=? ORDER BY ordinal", (doc_id,)):
        yield text


Span = tuple[str, str]  # first and last day (YYYY-MM-DD) of a period, both included


def _period_sums(alias: str, target: Span, reference: Span) -> tuple[str, list[str]]:
    """SELECT columns summing ``{alias}.n`` in the target and reference periods, with their arguments (a
    document without a publisher counts as a publisher of its own)."""
    t = "d.date_earliest BETWEEN ? AND ?"
    sql = (f"SUM(CASE WHEN {t} THEN {alias} ELSE 0 END), SUM(CASE WHEN {t} THEN 1 ELSE 0 END), "
           f"COUNT(DISTINCT CASE WHEN {t} THEN COALESCE(d.publisher, '#' || d.id) END), "
           f"SUM(CASE WHEN {t} THEN {alias} ELSE 0 END), SUM(CASE WHEN {t} THEN 1 ELSE 0 END), "
           f"COUNT(DISTINCT CASE WHEN {t} THEN COALESCE(d.publisher, '#' || d.id) END)")
    return sql, [*target, *target, *target, *reference, *reference, *reference]


def candidate_sums(store: Store, target: Span, reference: Span, min_total: int, min_docs: int
                   ) -> Iterator[tuple]:
    """(key, occurrences, documents, target n, target docs, target publishers, reference n, reference docs,
    reference publishers, open on the left, open on the right) of every candidate used ``min_total`` times in ``min_docs`` documents that count
    (dated or not: the nested-term correction looks at the whole corpus)."""
    sums, args = _period_sums("c.n", target, reference)
    yield from store.conn.execute(
        f"SELECT c.term, SUM(c.n), COUNT(*), {sums}, SUM(c.open_left), SUM(c.open_right) FROM term_counts c JOIN documents d ON d.id = c.doc_id "
        f"WHERE d.{COUNTED} GROUP BY c.term HAVING SUM(c.n) >= ? AND COUNT(*) >= ?", [*args, min_total, min_docs])


def candidate_totals(store: Store, min_total: int, min_docs: int) -> Iterator[tuple[str, int]]:
    """(key, occurrences) of the candidates ``candidate_sums`` reads, streamed in key order."""
    yield from store.conn.execute(
        "SELECT c.term, SUM(c.n) FROM term_counts c JOIN documents d ON d.id = c.doc_id "
        f"WHERE d.{COUNTED} GROUP BY c.term HAVING SUM(c.n) >= ? AND COUNT(*) >= ?", (min_total, min_docs))


def _candidates_where(min_total: int, min_docs: int) -> str:
    """WHERE clause on ``term_sums s`` for candidates used ``min_total`` times in ``min_docs`` documents and not
    more often open on one side than ``?`` of their uses (the literal numbers let SQLite use the partial index)."""
    return (f"s.n >= {int(min_total)} AND s.docs >= {int(min_docs)} "
            "AND NOT (MAX(s.open_left, s.open_right) > ? * s.n)")


def year_sums(store: Store, target: tuple[str, str], reference: tuple[str, str], min_total: int, min_docs: int,
              open_share: float) -> Iterator[tuple]:
    """``candidate_sums`` (without the candidates open on one side more than ``open_share`` of their uses) for
    periods of whole years, ``target`` and ``reference`` as (first year, last year), from the sums."""
    t = "t.year BETWEEN ? AND ?"
    sums = (f"SUM(CASE WHEN {t} THEN t.n ELSE 0 END), SUM(CASE WHEN {t} THEN t.docs ELSE 0 END), "
            f"COUNT(DISTINCT CASE WHEN {t} THEN t.publisher END)")
    yield from store.conn.execute(
        f"SELECT s.term, s.n, s.docs, {sums}, {sums}, s.open_left, s.open_right FROM term_sums s "
        f"JOIN term_totals t ON t.term = s.term WHERE {_candidates_where(min_total, min_docs)} GROUP BY s.term",
        [*target, *target, *target, *reference, *reference, *reference, open_share])


def bucket_rows(store: Store, min_total: int, min_docs: int, open_share: float) -> Iterator[tuple]:
    """(key, occurrences, documents, open left, open right, year, publisher, occurrences, documents) of every
    candidate ``year_sums`` reads and each of its (year, publisher) sums, in key order: every period's sums
    from one read."""
    yield from store.conn.execute(
        "SELECT s.term, s.n, s.docs, s.open_left, s.open_right, t.year, t.publisher, t.n, t.docs FROM term_sums s "
        f"JOIN term_totals t ON t.term = s.term WHERE {_candidates_where(min_total, min_docs)} "
        "ORDER BY s.term, t.year, t.publisher", (open_share,))


def summed_totals(store: Store, min_total: int, min_docs: int) -> Iterator[tuple[str, int]]:
    """``candidate_totals`` from the sums."""
    yield from store.conn.execute(
        f"SELECT s.term, s.n FROM term_sums s WHERE s.n >= {int(min_total)} AND s.docs >= {int(min_docs)}")


def summed_year_counts(store: Store, keys: Iterable[str]) -> dict[str, Counter]:
    """``year_counts`` from the sums."""
    out: dict[str, Counter] = defaultdict(Counter)
    for chunk in chunks(sorted(set(keys))):
        for term, year, n in store.conn.execute(
                f"SELECT term, year, SUM(n) FROM term_totals WHERE term IN ({marks(chunk)}) AND year != '' "
                "GROUP BY term, year", chunk):
            out[term][year] += n
    return out


def concept_buckets(store: Store) -> Iterator[tuple]:
    """(concept id, year, publisher, mentions, documents) of every concept per year (of the earliest possible
    day, '' undated) and publisher ('#' || id without one), from its mentions in documents that count."""
    yield from store.conn.execute(
        "SELECT m.concept_id, COALESCE(substr(d.date_earliest, 1, 4), ''), COALESCE(d.publisher, '#' || d.id), "
        "SUM(m.n), COUNT(*) FROM (SELECT concept_id, doc_id, COUNT(*) AS n FROM mentions GROUP BY concept_id, "
        f"doc_id) m JOIN documents d ON d.id = m.doc_id WHERE d.{COUNTED} GROUP BY 1, 2, 3 ORDER BY 1")


def concept_sums(store: Store, target: Span, reference: Span) -> Iterator[tuple]:
    """``candidate_sums`` for concepts (vocabulary and discovered), from their mentions."""
    sums, args = _period_sums("m.n", target, reference)
    yield from store.conn.execute(
        f"SELECT m.concept_id, SUM(m.n), COUNT(*), {sums} FROM (SELECT concept_id, doc_id, COUNT(*) AS n "
        "FROM mentions GROUP BY concept_id, doc_id) m JOIN documents d ON d.id = m.doc_id "
        f"WHERE d.{COUNTED} GROUP BY m.concept_id", args)


def surfaces(store: Store, keys: Iterable[str]) -> dict[str, Counter]:
    """key -> Counter of its forms as written (documents per form)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for chunk in chunks(sorted(set(keys))):
        for term, surface, n in store.conn.execute(
                "SELECT c.term, c.surface, COUNT(*) FROM term_counts c JOIN documents d ON d.id = c.doc_id "
                f"WHERE c.term IN ({marks(chunk)}) AND d.{COUNTED} GROUP BY c.term, c.surface", chunk):
            for form in surface.split("\n"):
                out[term][form] += n
    return out


def year_counts(store: Store, keys: Iterable[str]) -> dict[str, Counter]:
    """key -> Counter of occurrences per year of publication (dated documents that count), recounted from every
    document's counts: the exhaustive reference that ``summed_year_counts`` is checked against."""
    out: dict[str, Counter] = defaultdict(Counter)
    for chunk in chunks(sorted(set(keys))):
        for term, year, n in store.conn.execute(
                "SELECT c.term, substr(d.date_earliest, 1, 4), SUM(c.n) FROM term_counts c "
                f"JOIN documents d ON d.id = c.doc_id WHERE c.term IN ({marks(chunk)}) AND d.{COUNTED} "
                "AND d.date_earliest IS NOT NULL GROUP BY c.term, substr(d.date_earliest, 1, 4)", chunk):
            out[term][year] += n
    return out


def concept_year_counts(store: Store, concept_ids: Iterable[str]) -> dict[str, Counter]:
    """concept id -> Counter of mentions per year of publication (dated documents that count)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for chunk in chunks(sorted(set(concept_ids))):
        for cid, year, n in store.conn.execute(
                "SELECT m.concept_id, substr(d.date_earliest, 1, 4), COUNT(*) FROM mentions m "
                f"JOIN documents d ON d.id = m.doc_id WHERE m.concept_id IN ({marks(chunk)}) AND d.{COUNTED} "
                "AND d.date_earliest IS NOT NULL GROUP BY m.concept_id, substr(d.date_earliest, 1, 4)", chunk):
            out[cid][year] += n
    return out


def stored_counts(store: Store) -> list[tuple]:
    """Every stored row (key, doc id, n, open left, open right, surface), sorted: two stores' counts compare equal
    or not."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT term, doc_id, n, open_left, open_right, surface FROM term_counts ORDER BY term, doc_id")]
