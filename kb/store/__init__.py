"""The SQLite store: the source of truth for documents, passages, concepts, mentions and acronym definitions.

An ingest writes in one transaction (``transaction()`` nested inside it is a savepoint), so a crash or Ctrl-C
leaves the whole store as it was before the ingest; readers take one snapshot (``snapshot()``) and see the
store before or after an ingest, never a mix. Whoosh is derived from this store: ``documents.indexed`` says
whether a document's passages are in the search index, ``index_queue`` holds deletions still to apply there,
and the meta key ``index_generation`` names the index folder that goes with this state of the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import NotIngested, StoreError
from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.store.queries import CHUNK, COUNTED, EDITION, KEPT, ReadQueries, chunks, marks, mention_totals
from kb.store.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA", "SCHEMA_VERSION", "Store"]

def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Store(ReadQueries):
    """A connection to ``indexes/kb.sqlite`` with the queries the rest of kb needs."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._doc_columns: str | None = None
        self._savepoints = 0

    # -- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, create: bool = False) -> Store:
        """Open the store; with ``create`` make it if missing. Migrates older schemas, refuses newer ones."""
        path = Path(path)
        if not path.exists() and not create:
            raise NotIngested(f"No knowledge base at {path.parent}. Run `kb ingest` first.")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = _connect(path)
            store = cls(conn, path)
            store._prepare()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The store {path} is unreadable ({exc}). Delete it and run `kb ingest --force`.") from None
        return store

    @staticmethod
    def peek_concepts(path: Path) -> list[Concept]:
        """The concept table's names (id, label, kind, aliases, acronyms, discovered; no definitions or relations),
        read through a read-only connection: search must never create, migrate or lock the store. An empty list
        when there is no store yet; a store that cannot be read is an error (expansion must not switch itself
        off unnoticed)."""
        path = Path(path)
        if not path.exists():
            return []
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                rows = conn.execute("SELECT id, label, kind, aliases, acronyms, discovered FROM concepts ORDER BY id"
                                    ).fetchall()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"The store {path} is unreadable ({exc}). Run `kb ingest --force` to rebuild it.") from None
        return [Concept(id=r[0], label=r[1], kind=r[2], aliases=tuple(json.loads(r[3])),
                        acronyms=tuple(json.loads(r[4])), discovered=bool(r[5])) for r in rows]

    @staticmethod
    def peek_mention_totals(path: Path, concept_ids: Iterable[str]) -> dict[str, int]:
        """``mention_totals`` through a read-only connection, for search (see ``peek_concepts``): which sense
        of a shared acronym the corpus uses most. Empty when there is no store yet."""
        path = Path(path)
        if not path.exists():
            return {}
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return mention_totals(conn, concept_ids)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"The store {path} is unreadable ({exc}). Run `kb ingest --force` to rebuild it.") from None

    def _prepare(self) -> None:
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        version = None
        if has_meta:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else None
        if version is None:
            self.conn.executescript(
                "BEGIN IMMEDIATE;" + SCHEMA
                + f"INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
            )
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The store {self.path} was written by a newer kb (schema {version}, this kb reads {SCHEMA_VERSION}). "
                "Upgrade kb, or delete indexes/ and run `kb ingest`."
            )
        while version < SCHEMA_VERSION:
            script = MIGRATIONS.get(version)
            if script is None:
                raise StoreError(
                    f"The store {self.path} uses schema {version}, which this kb cannot migrate. "
                    "Run `kb ingest --force` to rebuild it from the corpus."
                )
            self.conn.executescript(
                f"BEGIN IMMEDIATE;{script};"
                f"UPDATE meta SET value='{version + 1}' WHERE key='schema_version'; COMMIT;"
            )
            version += 1

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (KeyboardInterrupt included). Inside an open
        transaction (an ingest's) it is a savepoint: undone alone on an exception, committed with the outer one."""
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"kb_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk, say)
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def snapshot(self) -> Store:
        """Read everything from now on in one read transaction: the store as one ingest left it, even if another
        ingest commits while this reader runs (WAL keeps the snapshot). Ends with ``close()``."""
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT 1 FROM meta LIMIT 1").fetchone()  # the snapshot starts at the first read
        return self

    @classmethod
    def open_snapshot(cls, path: Path) -> Store | None:
        """A read-only snapshot of the store (no creation, migration or lock: what search uses); None when there is
        no store yet."""
        path = Path(path)
        if not path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            return cls(conn, path).snapshot()
        except sqlite3.Error as exc:
            raise StoreError(f"The store {path} is unreadable ({exc}). Run `kb ingest --force` to rebuild it.") from None

    def checkpoint_wal(self) -> None:
        """Copy everything committed into the database file and empty the WAL (before the file is renamed)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- meta ------------------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- documents -------------------------------------------------------------------------------------
    def fingerprints(self) -> dict[str, dict]:
        """source -> {id, sha256, file_size, file_mtime_ns, catalog_hash} for every stored document."""
        rows = self.conn.execute("SELECT id, source, sha256, file_size, file_mtime_ns, catalog_hash FROM documents")
        return {r["source"]: dict(r) for r in rows}

    def touch_document(self, doc_id: str, file_size: int, file_mtime_ns: int) -> None:
        """Remember a new mtime for a file whose content hash did not change."""
        self.conn.execute("UPDATE documents SET file_size=?, file_mtime_ns=? WHERE id=?", (file_size, file_mtime_ns, doc_id))

    def replace_document(self, doc: dict, pages: list[tuple[int, int, int]], passages: list[Passage]) -> None:
        """Insert or replace one document with its pages and passages. Call inside ``transaction()``.

        ``doc`` holds the ``documents`` columns (``provenance`` and ``warnings`` as Python objects).
        Mentions and acronym definitions of the old version go with it (ON DELETE CASCADE).
        """
        old = self.conn.execute("SELECT id, indexed FROM documents WHERE source=? OR id=?", (doc["source"], doc["id"])).fetchall()
        for row in old:
            self.delete_document(row["id"])
        row = dict(doc)
        row["provenance"] = json.dumps(row.get("provenance", {}), sort_keys=True)
        row["warnings"] = json.dumps(list(row.get("warnings", [])))
        row["ocr"] = json.dumps(row["ocr"], sort_keys=True) if row.get("ocr") else None
        row.setdefault("indexed", 0)
        row.setdefault("tagged_with", None)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO documents ({cols}) VALUES ({marks})", tuple(row.values()))
        self.conn.executemany("INSERT INTO pages(doc_id, page, start, end) VALUES (?, ?, ?, ?)",
                              [(doc["id"], p, s, e) for p, s, e in pages])
        self.conn.executemany(
            "INSERT INTO passages(id, doc_id, ordinal, page, page_end, heading, start, end, words, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p.id, p.doc_id, p.ordinal, p.page, p.page_end, p.heading, p.start, p.end, p.words, p.text) for p in passages],
        )
        self.conn.execute("DELETE FROM index_queue WHERE doc_id=?", (doc["id"],))

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and everything derived from it; queue its removal from the search index."""
        self.conn.execute("DELETE FROM mentions WHERE doc_id=?", (doc_id,))
        self.conn.execute("DELETE FROM acronym_definitions WHERE doc_id=?", (doc_id,))
        self.conn.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        self.conn.execute("DELETE FROM pages WHERE doc_id=?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        self.conn.execute("INSERT OR IGNORE INTO index_queue(doc_id) VALUES (?)", (doc_id,))

    def copy_candidates(self) -> list[dict]:
        """id, source, sha256, text length, duplicate_of and provenance of every document (to find copies)."""
        rows = self.conn.execute(
            "SELECT id, source, sha256, length(text) AS chars, duplicate_of, provenance FROM documents ORDER BY source")
        return [dict(r, provenance=json.loads(r["provenance"])) for r in rows]

    def text_digest(self, doc_id: str) -> str:
        """sha256 of a document's normalised text."""
        import hashlib

        row = self.conn.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
        return hashlib.sha256((row[0] if row else "").encode("utf-8")).hexdigest()

    def mark_copy(self, doc_id: str, original: str | None, how: str | None) -> None:
        """Make a document a copy of ``original`` (``how``: same-file or same-text), or an original again
        (``original`` None). A copy keeps no mentions; an original again is tagged and indexed anew.
        Call inside ``transaction()``."""
        row = self.conn.execute("SELECT provenance FROM documents WHERE id=?", (doc_id,)).fetchone()
        provenance = json.loads(row[0]) if row else {}
        if how:
            provenance["duplicate_of"] = how
        else:
            provenance.pop("duplicate_of", None)
        self.conn.execute("UPDATE documents SET duplicate_of=?, provenance=?, indexed=0, tagged_with=NULL WHERE id=?",
                          (original, json.dumps(provenance, sort_keys=True), doc_id))
        if original:
            self.conn.execute("DELETE FROM mentions WHERE doc_id=?", (doc_id,))
            self.conn.execute("DELETE FROM acronym_definitions WHERE doc_id=?", (doc_id,))

    def documents(self, include_duplicates: bool = True) -> list[dict]:
        """All documents (without full text), ordered by date (undated last), then title."""
        where = "" if include_duplicates else f"WHERE {COUNTED}"
        rows = self.conn.execute(
            f"SELECT {self._columns_but_text()} FROM documents {where} "
            "ORDER BY date_earliest IS NULL, date_earliest, date_latest, title, id"
        ).fetchall()
        return [_doc_row(r, with_text=False) for r in rows]

    def document(self, doc_id: str, with_text: bool = True) -> dict | None:
        columns = "*" if with_text else self._columns_but_text()
        row = self.conn.execute(f"SELECT {columns} FROM documents WHERE id=?", (doc_id,)).fetchone()
        return _doc_row(row, with_text) if row else None

    def _columns_but_text(self) -> str:
        """The documents table's columns but its full text, which a row without text need not read (a 50 MB
        document's text is 50 MB of memory for nothing, and ``documents()`` would read every one at once)."""
        if self._doc_columns is None:
            names = [r[1] for r in self.conn.execute("PRAGMA table_info(documents)")]
            self._doc_columns = ", ".join(f'"{n}"' for n in names if n != "text")
        return self._doc_columns

    def pages(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT page, start, end FROM pages WHERE doc_id=? ORDER BY page", (doc_id,))]

    def passages_with_concepts(self, doc_id: str, batch: int = CHUNK) -> Iterator[tuple[Passage, set[str]]]:
        """A document's passages in order, each with the ids of the concepts it mentions, read ``batch`` at a
        time: indexing a very large document never holds all of its passages at once."""
        cursor = self.conn.execute("SELECT * FROM passages WHERE doc_id=? ORDER BY ordinal", (doc_id,))
        while rows := cursor.fetchmany(batch):
            passages = [_passage(r) for r in rows]
            concepts: dict[str, set[str]] = {}
            ids = [p.id for p in passages]
            for pid, cid in self.conn.execute(
                    f"SELECT passage_id, concept_id FROM mentions WHERE passage_id IN ({marks(ids)})", ids):
                concepts.setdefault(pid, set()).add(cid)
            for p in passages:
                yield p, concepts.get(p.id, set())

    def passages(self, doc_id: str | None = None) -> list[Passage]:
        sql = "SELECT * FROM passages" + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY doc_id, ordinal"
        return [_passage(r) for r in self.conn.execute(sql, (doc_id,) if doc_id else ())]

    def passage(self, passage_id: str) -> Passage | None:
        row = self.conn.execute("SELECT * FROM passages WHERE id=?", (passage_id,)).fetchone()
        return _passage(row) if row else None

    # -- concepts, mentions, acronyms ------------------------------------------------------------------
    def replace_concepts(self, concepts: Iterable[Concept]) -> None:
        """Replace the whole concept table (vocabulary plus discovered). Call inside ``transaction()``."""
        self.conn.execute("DELETE FROM concepts")
        self.conn.execute("DELETE FROM concept_relations")
        for c in concepts:
            self.conn.execute(
                "INSERT INTO concepts(id, label, kind, definition, aliases, acronyms, discovered) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (c.id, c.label, c.kind, c.definition, json.dumps(list(c.aliases)), json.dumps(list(c.acronyms)), int(c.discovered)),
            )
            for relation, targets in (("successor", c.successor), ("part_of", c.part_of), ("related", c.related)):
                self.conn.executemany(
                    "INSERT OR IGNORE INTO concept_relations(concept_id, relation, target_id) VALUES (?, ?, ?)",
                    [(c.id, relation, t) for t in targets],
                )

    def concepts(self) -> list[Concept]:
        rels: dict[tuple[str, str], list[str]] = {}
        for r in self.conn.execute("SELECT * FROM concept_relations ORDER BY concept_id, relation, target_id"):
            rels.setdefault((r["concept_id"], r["relation"]), []).append(r["target_id"])
        return [
            Concept(
                id=r["id"], label=r["label"], kind=r["kind"], definition=r["definition"],
                aliases=tuple(json.loads(r["aliases"])), acronyms=tuple(json.loads(r["acronyms"])),
                successor=tuple(rels.get((r["id"], "successor"), ())),
                part_of=tuple(rels.get((r["id"], "part_of"), ())),
                related=tuple(rels.get((r["id"], "related"), ())),
                discovered=bool(r["discovered"]),
            )
            for r in self.conn.execute("SELECT * FROM concepts ORDER BY id")
        ]

    def replace_mentions(self, doc_id: str, mentions: Iterable[Mention], acronyms: Iterable[AcronymDefinition],
                         tagged_with: str) -> None:
        """Replace one document's mentions and acronym definitions. Call inside ``transaction()``."""
        self.conn.execute("DELETE FROM mentions WHERE doc_id=?", (doc_id,))
        self.conn.execute("DELETE FROM acronym_definitions WHERE doc_id=?", (doc_id,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO mentions(doc_id, passage_id, concept_id, surface, start, end, page, is_definition)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(m.doc_id, m.passage_id, m.concept_id, m.surface, m.start, m.end, m.page, int(m.is_definition)) for m in mentions],
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO acronym_definitions(doc_id, passage_id, short, long, start, end, page, concept_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(a.doc_id, a.passage_id, a.short, a.long, a.start, a.end, a.page, a.concept_id) for a in acronyms],
        )
        # Concepts changed, so the passages' concept field in the search index must be rewritten, and the
        # corpus glossary must look at the document again.
        self.conn.execute("UPDATE documents SET tagged_with=?, indexed=0, glossary_done=0 WHERE id=?",
                          (tagged_with, doc_id))

    def mentions(self, concept_id: str | None = None, doc_id: str | None = None) -> list[Mention]:
        clauses, args = [], []
        if concept_id:
            clauses.append("concept_id=?")
            args.append(concept_id)
        if doc_id:
            clauses.append("doc_id=?")
            args.append(doc_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(f"SELECT * FROM mentions{where} ORDER BY doc_id, start, concept_id", args)
        return [Mention(r["doc_id"], r["passage_id"], r["concept_id"], r["surface"], r["start"], r["end"], r["page"],
                        bool(r["is_definition"])) for r in rows]

    def acronym_definitions(self) -> list[AcronymDefinition]:
        rows = self.conn.execute("SELECT * FROM acronym_definitions ORDER BY short, doc_id, start")
        return [AcronymDefinition(r["doc_id"], r["passage_id"], r["short"], r["long"], r["start"], r["end"], r["page"],
                                  r["concept_id"]) for r in rows]

    # -- the corpus glossary (kb.nlp.glossary) ---------------------------------------------------------
    def glossary_documents(self) -> list[sqlite3.Row]:
        """The documents the glossary works over (other editions never count), with their dates."""
        return self.conn.execute(
            "SELECT id, title, publisher, published, date_earliest, date_latest, glossary_done FROM documents "
            f"WHERE {COUNTED} ORDER BY id").fetchall()

    def document_text_slice(self, doc_id: str, start: int, end: int) -> str | None:
        """``text[start:end]`` of one document, without reading the rest of it."""
        row = self.conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE id=?",
                                (start + 1, max(0, end - start), doc_id)).fetchone()
        return row[0] if row else None

    def iter_passages(self, doc_id: str) -> Iterator[Passage]:
        """One document's passages in order, read as they are used (a long report is not held twice)."""
        for r in self.conn.execute("SELECT * FROM passages WHERE doc_id=? ORDER BY ordinal", (doc_id,)):
            yield _passage(r)

    def mention_counts(self, concept_ids: Iterable[str]) -> Iterator[tuple[str, str, str, int]]:
        """(doc, concept, surface, count) for mentions of these concepts, in statements of bounded size."""
        for chunk in chunks(sorted(set(concept_ids))):
            marks = ", ".join("?" for _ in chunk)
            yield from (tuple(r) for r in self.conn.execute(
                f"SELECT doc_id, concept_id, surface, COUNT(*) FROM mentions WHERE concept_id IN ({marks}) "
                "GROUP BY doc_id, concept_id, surface", chunk))

    def documents_containing(self, needles: Iterable[str], lower: bool = False) -> set[str]:
        """Documents with a passage containing one of these strings (ASCII-lower-cased text with ``lower``)."""
        column = "lower(text)" if lower else "text"
        out: set[str] = set()
        for needle in sorted(set(needles)):
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT doc_id FROM passages WHERE instr({column}, ?) > 0", (needle,)))
        return out

    def apply_mention_changes(self, removes: Iterable[Mention], adds: Iterable[Mention]) -> None:
        """Remove and add individual mentions. Call inside ``transaction()``."""
        self.conn.executemany("DELETE FROM mentions WHERE doc_id=? AND start=? AND concept_id=?",
                              [(m.doc_id, m.start, m.concept_id) for m in removes])
        self.conn.executemany(
            "INSERT OR REPLACE INTO mentions(doc_id, passage_id, concept_id, surface, start, end, page, is_definition)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(m.doc_id, m.passage_id, m.concept_id, m.surface, m.start, m.end, m.page, int(m.is_definition))
             for m in adds])

    def link_definitions(self, definitions: Iterable[AcronymDefinition]) -> None:
        """Record which concept each acronym definition names. Call inside ``transaction()``."""
        self.conn.executemany(
            "UPDATE acronym_definitions SET concept_id=? WHERE doc_id=? AND start=? AND short=? "
            "AND concept_id IS NOT ?",
            [(d.concept_id, d.doc_id, d.start, d.short, d.concept_id) for d in definitions])

    def mark_glossary_done(self, doc_ids: Iterable[str]) -> None:
        """The glossary has seen these documents as they are now. Call inside ``transaction()``."""
        self.conn.executemany("UPDATE documents SET glossary_done=1 WHERE id=?", [(d,) for d in doc_ids])

    def mark_unindexed(self, doc_ids: Iterable[str]) -> None:
        """These documents' passages must be written to the search index again. Call inside ``transaction()``."""
        self.conn.executemany("UPDATE documents SET indexed=0 WHERE id=?", [(d,) for d in doc_ids])

    def stale_documents(self, vocabulary_fingerprint: str) -> list[str]:
        """Documents that count and were tagged with another vocabulary (or never tagged): to tag again."""
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM documents WHERE {COUNTED} AND (tagged_with IS NULL OR tagged_with != ?) ORDER BY id",
            (vocabulary_fingerprint,))]

    def corpus_totals(self) -> tuple[int, int, int, int, int]:
        """(documents, pages, passages, words) of the documents that count, and the number of other editions."""
        documents, pages, passages, words = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(pages),0), COALESCE(SUM(passages),0), COALESCE(SUM(words),0)"
            f" FROM documents WHERE {COUNTED}").fetchone()
        editions = self.conn.execute(f"SELECT COUNT(*) FROM documents WHERE {EDITION}").fetchone()[0]
        return documents, pages, passages, words, editions

    def document_ids(self, counted_only: bool = False) -> list[str]:
        """Every stored document's id (or only those that count), sorted."""
        where = f" WHERE {COUNTED}" if counted_only else ""
        return [r[0] for r in self.conn.execute(f"SELECT id FROM documents{where} ORDER BY id")]

    def passage_counts(self) -> dict[str, int]:
        """Passages per document id."""
        return dict(self.conn.execute("SELECT doc_id, COUNT(*) FROM passages GROUP BY doc_id").fetchall())

    def passage_text_sample(self, size: int) -> list[str]:
        """Texts of the ``size`` passages of documents that count whose ids hash lowest (all of them when there
        are fewer): a function of the set of passages alone, so the same files give the same sample whatever
        order they were stored in."""
        import hashlib
        import heapq

        def key(passage_id: str) -> bytes:
            return hashlib.blake2b(passage_id.encode("utf-8"), digest_size=8).digest() + passage_id.encode("utf-8")

        ids = [r[0] for r in self.conn.execute(f"SELECT id FROM passages WHERE {KEPT}")]
        chosen = sorted(heapq.nsmallest(size, ids, key=key), key=key)
        texts: dict[str, str] = {}
        for part in chunks(chosen):
            texts.update(self.conn.execute(f"SELECT id, text FROM passages WHERE id IN ({marks(part)})", part))
        return [texts[i] for i in chosen]

    # -- search index bookkeeping ----------------------------------------------------------------------
    def mark_all_unindexed(self) -> None:
        """Every document must be written to the search index again (a forced or lost index)."""
        with self.transaction():
            self.conn.execute("UPDATE documents SET indexed=0")

    def unindexed_documents(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE indexed=0 ORDER BY id")]

    def pending_index_deletions(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM index_queue ORDER BY doc_id")]

    def mark_indexed(self, doc_ids: Iterable[str], deleted: Iterable[str] = ()) -> None:
        with self.transaction():
            self.conn.executemany("UPDATE documents SET indexed=1 WHERE id=?", [(d,) for d in doc_ids])
            self.conn.executemany("DELETE FROM index_queue WHERE doc_id=?", [(d,) for d in deleted])

    # -- failures --------------------------------------------------------------------------------------
    def record_failure(self, source: str, sha256: str | None, reason: str, advice: str, at: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO failures(source, sha256, reason, advice, at) VALUES (?, ?, ?, ?, ?)",
            (source, sha256, reason, advice, at),
        )

    def clear_failure(self, source: str) -> None:
        self.conn.execute("DELETE FROM failures WHERE source=?", (source,))

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM failures ORDER BY source")]


def _doc_row(row: sqlite3.Row, with_text: bool) -> dict:
    d = dict(row)
    d["provenance"] = json.loads(d["provenance"])
    d["warnings"] = json.loads(d["warnings"])
    d["ocr"] = json.loads(d["ocr"]) if d.get("ocr") else None
    if not with_text:
        d.pop("text", None)
    return d


def _passage(r: sqlite3.Row) -> Passage:
    return Passage(r["id"], r["doc_id"], r["ordinal"], r["page"], r["page_end"], r["start"], r["end"], r["text"], r["heading"])
