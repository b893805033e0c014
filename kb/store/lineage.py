"""The store's side of lineage (kb.lineage): fingerprints of every counted document and the reuse pairs found.

``lineage_docs`` remembers which version of each document was fingerprinted (so an ingest compares only new
and changed documents against the rest), ``lineage_marks`` is the inverted index fingerprint -> (document,
passage ordinal), and ``lineage_pairs`` holds one row per pair of passages sharing a stretch of text, the pair in
passage-id order (which of the two is earlier is decided when reading, from the documents' dates as they are then).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kb.store.queries import COUNTED, chunks, marks

if TYPE_CHECKING:
    from kb.store import Store

#: Tables (also migration 3 -> 4 in kb/store/schema.py).
LINEAGE_SCHEMA = """
CREATE TABLE IF NOT EXISTS lineage_docs (
    doc_key INTEGER PRIMARY KEY,          -- small integer for the marks table
    doc_id TEXT NOT NULL UNIQUE,
    version TEXT NOT NULL                 -- sha256, catalog entry, ingest time of the version fingerprinted
);
CREATE TABLE IF NOT EXISTS lineage_marks (
    hash INTEGER NOT NULL,                -- a winnowed 8-word shingle hash (kb.lineage.text)
    doc_key INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,             -- the passage's ordinal in its document
    PRIMARY KEY (hash, doc_key, ordinal)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lineage_marks_doc ON lineage_marks(doc_key);
CREATE TABLE IF NOT EXISTS lineage_pairs (
    a_passage TEXT NOT NULL,              -- a_passage < b_passage
    b_passage TEXT NOT NULL,
    a_doc TEXT NOT NULL,
    b_doc TEXT NOT NULL,
    a_start INTEGER NOT NULL,             -- the shared stretch, in characters of each passage's text
    a_end INTEGER NOT NULL,
    b_start INTEGER NOT NULL,
    b_end INTEGER NOT NULL,
    words INTEGER NOT NULL,               -- words the two stretches share
    similarity REAL NOT NULL,             -- 2 * words / (words of stretch a + words of stretch b)
    PRIMARY KEY (a_passage, b_passage)
);
CREATE INDEX IF NOT EXISTS lineage_pairs_a ON lineage_pairs(a_doc);
CREATE INDEX IF NOT EXISTS lineage_pairs_b ON lineage_pairs(b_doc);
"""

PAIR_COLUMNS = ("a_passage", "b_passage", "a_doc", "b_doc", "a_start", "a_end", "b_start", "b_end", "words",
                "similarity")


def current_versions(store: Store) -> dict[str, str]:
    """doc id -> version for every document that counts (other editions and copies take no part)."""
    return dict(store.conn.execute(
        "SELECT id, sha256 || '@' || COALESCE(catalog_hash, '') || '@' || ingested_at || '@' || passages "
        f"FROM documents WHERE {COUNTED}").fetchall())


def fingerprinted(store: Store) -> dict[str, tuple[int, str]]:
    """doc id -> (doc key, version) of every document whose fingerprints are stored."""
    return {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT doc_id, doc_key, version FROM lineage_docs")}


def forget(store: Store, doc_ids: Iterable[str]) -> None:
    """Drop these documents' fingerprints and every pair they take part in. Call inside ``transaction()``."""
    conn = store.conn
    for chunk in chunks(sorted(set(doc_ids))):
        keys = [r[0] for r in conn.execute(f"SELECT doc_key FROM lineage_docs WHERE doc_id IN ({marks(chunk)})", chunk)]
        for key in keys:
            conn.execute("DELETE FROM lineage_marks WHERE doc_key=?", (key,))
        conn.execute(f"DELETE FROM lineage_docs WHERE doc_id IN ({marks(chunk)})", chunk)
        conn.execute(f"DELETE FROM lineage_pairs WHERE a_doc IN ({marks(chunk)})", chunk)
        conn.execute(f"DELETE FROM lineage_pairs WHERE b_doc IN ({marks(chunk)})", chunk)


def register(store: Store, doc_id: str, version: str) -> int:
    """Record that this version of a document is fingerprinted; its doc key."""
    cur = store.conn.execute("INSERT INTO lineage_docs(doc_id, version) VALUES (?, ?)", (doc_id, version))
    return int(cur.lastrowid or 0)


def add_marks(store: Store, doc_key: int, rows: Iterable[tuple[int, int]]) -> None:
    """Store (hash, ordinal) fingerprints of one document."""
    store.conn.executemany("INSERT OR IGNORE INTO lineage_marks(hash, doc_key, ordinal) VALUES (?, ?, ?)",
                           ((h, doc_key, o) for h, o in rows))


def postings(store: Store, hashes: list[int], max_docs: int) -> Iterator[tuple[int, str, int]]:
    """(hash, doc id, passage ordinal) of the stored fingerprints among ``hashes``, leaving out a fingerprint
    that more than ``max_docs`` documents hold (boilerplate that common would make pairs without end)."""
    conn = store.conn
    for chunk in chunks(sorted(set(hashes))):
        common = {r[0] for r in conn.execute(
            f"SELECT hash FROM lineage_marks WHERE hash IN ({marks(chunk)}) GROUP BY hash "
            "HAVING COUNT(DISTINCT doc_key) > ?", [*chunk, max_docs])}
        kept = [h for h in chunk if h not in common]
        if not kept:
            continue
        yield from conn.execute(
            "SELECT m.hash, d.doc_id, m.ordinal FROM lineage_marks m JOIN lineage_docs d USING (doc_key) "
            f"WHERE m.hash IN ({marks(kept)})", kept)


def passage_texts(store: Store, doc_id: str, ordinals: Iterable[int]) -> dict[int, tuple[str, str]]:
    """ordinal -> (passage id, text) for these passages of one document."""
    out: dict[int, tuple[str, str]] = {}
    for chunk in chunks(sorted(set(ordinals))):
        out.update((r[0], (r[1], r[2])) for r in store.conn.execute(
            f"SELECT ordinal, id, text FROM passages WHERE doc_id=? AND ordinal IN ({marks(chunk)})",
            [doc_id, *chunk]))
    return out


def add_pairs(store: Store, rows: Iterable[tuple]) -> None:
    """Store reuse pairs (``PAIR_COLUMNS`` order). Call inside ``transaction()``."""
    store.conn.executemany(
        f"INSERT OR REPLACE INTO lineage_pairs({', '.join(PAIR_COLUMNS)}) VALUES ({marks(list(PAIR_COLUMNS))})",
        rows)


def pairs(store: Store, doc_id: str | None = None) -> list[dict]:
    """Stored pairs (every one, or those of one document), each with both passages' page and text."""
    where, args = "", []
    if doc_id is not None:
        where, args = "WHERE r.a_doc = ? OR r.b_doc = ?", [doc_id, doc_id]
    rows = store.conn.execute(
        f"SELECT r.*, pa.page AS a_page, pa.text AS a_text, pb.page AS b_page, pb.text AS b_text "
        "FROM lineage_pairs r JOIN passages pa ON pa.id = r.a_passage JOIN passages pb ON pb.id = r.b_passage "
        f"{where} ORDER BY r.a_passage, r.b_passage", args)
    return [dict(r) for r in rows]


def pair_regions(store: Store, passage_ids: Iterable[str]) -> Iterator[tuple[str, int, int, str]]:
    """(passage, start, end, other document) of every stored pair touching these passages: the documents
    that share each stretch of a passage (for telling boilerplate from reuse)."""
    for chunk in chunks(sorted(set(passage_ids))):
        q = marks(chunk)
        yield from store.conn.execute(
            f"SELECT a_passage, a_start, a_end, b_doc FROM lineage_pairs WHERE a_passage IN ({q}) "
            f"UNION ALL SELECT b_passage, b_start, b_end, a_doc FROM lineage_pairs WHERE b_passage IN ({q})",
            [*chunk, *chunk])


def document_facts(store: Store, doc_ids: Iterable[str]) -> dict[str, dict]:
    """id -> title, publisher, published, date_earliest, date_latest of these documents."""
    out: dict[str, dict] = {}
    for chunk in chunks(sorted(set(doc_ids))):
        out.update((r["id"], dict(r)) for r in store.conn.execute(
            "SELECT id, title, publisher, published, date_earliest, date_latest FROM documents "
            f"WHERE id IN ({marks(chunk)})", chunk))
    return out


def all_pairs_rows(store: Store) -> list[tuple]:
    """Every stored pair as a ``PAIR_COLUMNS`` tuple, sorted: two stores' results compare equal or not."""
    return [tuple(r) for r in store.conn.execute(
        f"SELECT {', '.join(PAIR_COLUMNS)} FROM lineage_pairs ORDER BY a_passage, b_passage")]


def names(store: Store, doc_id: str, phrase: str) -> bool:
    """Whether a document's title or text holds ``phrase`` (lower case, single spaces), line breaks ignored."""
    row = store.conn.execute(
        "SELECT instr(lower(title), ?) > 0 OR instr(replace(replace(lower(text), char(10), ' '), '  ', ' '), ?) > 0 "
        "FROM documents WHERE id = ?", (phrase, phrase, doc_id)).fetchone()
    return bool(row and row[0])


def citation_targets(store: Store) -> list[dict]:
    """id, title, url, published of every document that counts (the documents a citation can point to)."""
    return [dict(r) for r in store.conn.execute(
        f"SELECT id, title, url, published FROM documents WHERE {COUNTED} ORDER BY id")]


def opening_passages(store: Store, doc_id: str, count: int) -> list[str]:
    """The texts of a document's first ``count`` passages (its cover and imprint)."""
    return [r[0] for r in store.conn.execute(
        "SELECT text FROM passages WHERE doc_id=? ORDER BY ordinal LIMIT ?", (doc_id, count))]


def passages_naming(store: Store, phrase: str, doc_id: str | None = None) -> list[dict]:
    """Passages (of documents that count; of one document with ``doc_id``) whose text, lower-cased with line
    breaks as spaces, holds ``phrase``: id, doc_id, page, text."""
    where = "p.doc_id = ? AND " if doc_id else ""
    args = [doc_id] if doc_id else []
    return [dict(r) for r in store.conn.execute(
        "SELECT p.id, p.doc_id, p.page, p.text FROM passages p JOIN documents d ON d.id = p.doc_id "
        f"WHERE {where}d.{COUNTED} AND instr(replace(replace(lower(p.text), char(10), ' '), '  ', ' '), ?) > 0 "
        "ORDER BY p.doc_id, p.ordinal", [*args, phrase])]


@contextmanager
def savepoint(store: Store) -> Iterator[None]:
    """A nested transaction inside the caller's: one document's lineage is stored whole or not at all."""
    store.conn.execute("SAVEPOINT lineage_document")
    try:
        yield
    except BaseException:
        store.conn.execute("ROLLBACK TO lineage_document")
        store.conn.execute("RELEASE lineage_document")
        raise
    store.conn.execute("RELEASE lineage_document")
