"""The store's side of `kb emerging`: per-document counts of candidate terms (kb/nlp/phrases.py).

``term_docs`` remembers which version of each document was counted (so an ingest counts only new and changed
documents, and drops the counts of removed ones), ``term_counts`` holds one row per (candidate key, document)
with its occurrences and the first surface written there. Reading sums them per period in one grouped statement
that walks the primary key in order, so memory holds only the candidates that pass its thresholds.
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


def current_versions(store: Store, miner: str) -> dict[str, str]:
    """doc id -> version (content, catalog entry, ingest time, miner rules) of every document that counts."""
    return dict(store.conn.execute(
        "SELECT id, sha256 || '@' || COALESCE(catalog_hash, '') || '@' || ingested_at || '@' || ? "
        f"FROM documents WHERE {COUNTED}", (miner,)).fetchall())


def counted_versions(store: Store) -> dict[str, str]:
    """doc id -> version of every document whose candidates are stored."""
    return dict(store.conn.execute("SELECT doc_id, version FROM term_docs").fetchall())


def forget(store: Store, doc_ids: Iterable[str]) -> None:
    """Drop these documents' counts. Call inside ``transaction()``."""
    for chunk in chunks(sorted(set(doc_ids))):
        store.conn.execute(f"DELETE FROM term_counts WHERE doc_id IN ({marks(chunk)})", chunk)
        store.conn.execute(f"DELETE FROM term_docs WHERE doc_id IN ({marks(chunk)})", chunk)


def add_counts(store: Store, doc_id: str, version: str, rows: Iterable[tuple[str, int, int, int, str]]) -> None:
    """Store one document's (key, occurrences, open left, open right, surface) rows and the version counted."""
    store.conn.execute("INSERT OR REPLACE INTO term_docs(doc_id, version) VALUES (?, ?)", (doc_id, version))
    store.conn.executemany("INSERT OR REPLACE INTO term_counts(term, doc_id, n, open_left, open_right, surface) "
                           "VALUES (?, ?, ?, ?, ?, ?)", ((k, doc_id, n, lo, ro, s) for k, n, lo, ro, s in rows))


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
    """key -> Counter of occurrences per year of publication (dated documents that count)."""
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
