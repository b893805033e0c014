"""Read queries of the store for the trace (kb.trace) and the corpus glossary (kb.nlp.glossary).

They live here, behind named methods, so that the SQL of kb is in one package: callers ask for "the occurrences
of a concept" or "the passages each concept shares with this one", never write a statement. Every statement
is bounded: lists of ids go in batches of at most ``CHUNK`` variables, never one statement per document.

Other editions of a document (``documents.duplicate_of``) are stored but never counted; the fragments
``COUNTED``, ``EDITION`` and ``KEPT`` below are the one way the queries say so.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator

from kb.models import AcronymDefinition

#: SQLite allows at most 32,766 variables in one statement; lists longer than this go in several statements.
CHUNK = 500

#: SQL condition on ``documents``: a document that counts (not another edition of one). Prefix an alias as
#: ``f"d.{COUNTED}"``.
COUNTED = "duplicate_of IS NULL"
#: SQL condition on ``documents``: another edition of a document, stored but never counted.
EDITION = "duplicate_of IS NOT NULL"
#: SQL condition on a table with ``doc_id``: rows of documents that count (the subquery runs once). Prefix an
#: alias as ``f"m.{KEPT}"``.
KEPT = f"doc_id NOT IN (SELECT id FROM documents WHERE {EDITION})"

#: A cheap SQL superset of kb.trace's defining-sentence patterns (checked exactly in Python afterwards): the
#: tagger marked it; or the text after the mention starts with "(", "," or a word starting like
#: is/are/means/refers/describes; or the 14 characters before it hold "as", "called" or "termed".
_TAIL = "lower(substr(p.text, max(1, m.start - p.start - 13), min(14, max(0, m.start - p.start))))"
MAYBE_DEFINING = (
    " AND (m.is_definition = 1"
    " OR substr(ltrim(substr(p.text, m.end - p.start + 1, 16), ' ' || char(9, 10, 13)), 1, 1)"
    "    IN ('(', ',', 'i', 'a', 'm', 'r', 'd', 'I', 'A', 'M', 'R', 'D')"
    f" OR {_TAIL} LIKE '%as%' OR {_TAIL} LIKE '%called%' OR {_TAIL} LIKE '%termed%')")


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    """``items`` in slices of at most ``size``: one bounded statement per slice."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(items: list) -> str:
    """``?, ?, ...`` for an IN list of these items (at most CHUNK of them)."""
    return ",".join("?" * len(items))


def mention_totals(conn: sqlite3.Connection, concept_ids: Iterable[str]) -> dict[str, int]:
    """Concept id -> mentions over every stored document, in bounded statements (see ``ReadQueries``)."""
    out: dict[str, int] = {}
    for chunk in chunks(sorted(set(concept_ids))):
        out.update(conn.execute(
            f"SELECT concept_id, COUNT(*) FROM mentions WHERE concept_id IN ({marks(chunk)}) GROUP BY concept_id",
            chunk).fetchall())
    return out


class ReadQueries:
    """Mixin of :class:`kb.store.Store`: the read queries of the trace and the glossary."""

    conn: sqlite3.Connection

    @staticmethod
    def peek_meta(path, key: str) -> str | None:
        """One meta value through a read-only connection (search never creates, migrates or locks the store);
        None when there is no store or no such key."""
        from pathlib import Path

        from kb.errors import StoreError

        if not Path(path).exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"The store {path} is unreadable ({exc}). Run `kb ingest --force` to rebuild it.") from None
        return row[0] if row else None

    # -- documents ---------------------------------------------------------------------------------------------
    def counted_documents(self) -> dict[str, dict]:
        """Documents that count (no other editions) by id, with the date and size fields the trace needs, no text."""
        rows = self.conn.execute(
            "SELECT id, title, publisher, published, date_precision, date_earliest, date_latest, date_source, "
            f"date_note, words FROM documents WHERE {COUNTED}")
        return {r["id"]: dict(r) for r in rows}

    def edition_ids(self) -> list[str]:
        """Ids of the other editions (few): counts over everything minus counts over these are counts that count."""
        return [r[0] for r in self.conn.execute(f"SELECT id FROM documents WHERE {EDITION}")]

    def _editions_sum(self, sql: str, editions: list[str], args: tuple = ()) -> int:
        """Sum of a one-number count ``sql`` (``{}`` for the IN list) over the editions, batch by batch."""
        total = 0
        for chunk in chunks(editions):
            total += self.conn.execute(sql.format(marks(chunk)), (*args, *chunk)).fetchone()[0]
        return total

    def counted_passage_total(self, editions: list[str] | None = None) -> int:
        """Passages of documents that count (an index-only count over all, minus the editions' few)."""
        editions = self.edition_ids() if editions is None else editions
        return self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0] - self._editions_sum(
            "SELECT COUNT(*) FROM passages WHERE doc_id IN ({})", editions)

    # -- concepts ----------------------------------------------------------------------------------------------
    def concept_labels(self) -> dict[str, str]:
        """Concept id -> label, for naming concepts without reading the whole concept table."""
        return {r["id"]: r["label"] for r in self.conn.execute("SELECT id, label FROM concepts")}

    def mention_totals(self, concept_ids: Iterable[str]) -> dict[str, int]:
        """Concept id -> mentions over every stored document (editions included): which sense of a shared
        acronym the corpus uses most."""
        return mention_totals(self.conn, concept_ids)

    def predecessors(self, concept_id: str) -> list[str]:
        """Concepts whose vocabulary entry names ``concept_id`` as their successor, sorted."""
        return sorted(r[0] for r in self.conn.execute(
            "SELECT concept_id FROM concept_relations WHERE relation='successor' AND target_id=?", (concept_id,)))

    def concept_doc_counts(self, concept_id: str) -> Counter:
        """Mentions of a concept per document that counts (an index-only count)."""
        rows = self.conn.execute(
            f"SELECT doc_id, COUNT(*) FROM mentions WHERE concept_id = ? AND {KEPT} GROUP BY doc_id", (concept_id,))
        return Counter({r[0]: r[1] for r in rows})

    def concept_totals(self) -> dict[str, tuple[int, int]]:
        """Concept id -> (mentions, documents) over documents that count."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT m.concept_id, COUNT(*), COUNT(DISTINCT m.doc_id) FROM mentions m JOIN documents d ON d.id = m.doc_id "
            f"WHERE d.{COUNTED} GROUP BY m.concept_id")}

    def concept_first_documents(self) -> dict[str, dict]:
        """Concept id -> {doc_id, published} of the earliest document that counts mentioning it (by first possible
        day, then last, then id; undated documents only when no dated one mentions it)."""
        first: dict[str, dict] = {}
        for r in self.conn.execute(
                "SELECT DISTINCT m.concept_id, d.id, d.published, d.date_earliest, d.date_latest FROM mentions m "
                f"JOIN documents d ON d.id = m.doc_id WHERE d.{COUNTED} "
                "ORDER BY m.concept_id, d.date_earliest IS NULL, d.date_earliest, d.date_latest, d.id"):
            first.setdefault(r[0], {"doc_id": r[1], "published": r[2]})
        return first

    # -- occurrences -------------------------------------------------------------------------------------------
    def phrase_candidates(self, phrase: str, prefixes: list[str] | None = None) -> Iterator[sqlite3.Row]:
        """Passages (id, doc_id, page, start, text) of documents that count which may hold the phrase, in document
        and passage order, read lazily (a caller may stop at the first real hit).

        SQL LIKE (case-insensitive for ASCII letters) with one character between words, as in kb's normalised
        passages (single spaces; line breaks only between paragraphs). The caller checks word boundaries and
        whitespace exactly; checking every word separately instead is 3x slower on common words.

        ``prefixes`` (one per word, what every form of it starts with) widens the test to those prefixes in
        order with anything between them, for a phrase matched with its plurals and hyphen/space variants.
        """
        words = prefixes if prefixes is not None else phrase.split()
        escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
        sql = ("SELECT p.id, p.doc_id, p.page, p.start, p.text FROM passages p "
               f"WHERE p.text LIKE ? ESCAPE '\\' AND p.{KEPT} ORDER BY p.doc_id, p.ordinal")
        return self.conn.execute(sql, ["%" + ("%" if prefixes is not None else "_").join(escaped) + "%"])

    def concept_surface_firsts(self, concept_id: str) -> list[tuple]:
        """Per document that counts and surface form of a concept's mentions: (doc_id, surface, passage_id, page,
        start, end) of the first such mention, and how many there are; one grouped statement."""
        sql = ("SELECT m.doc_id, m.surface, m.passage_id, m.page, MIN(m.start), m.end, COUNT(*) FROM mentions m "
               f"WHERE m.concept_id = ? AND m.{KEPT} GROUP BY m.doc_id, m.surface")
        return [tuple(r) for r in self.conn.execute(sql, (concept_id,))]

    def concept_occurrences(self, concept_id: str, window: int, doc_ids: Iterable[str] | None = None,
                            maybe_defining: bool = False) -> list[tuple]:
        """Mentions of a concept in documents that count, each as (doc_id, passage_id, page, start, end, surface,
        is_definition, up to ``window`` characters of its passage before it, up to ``window`` after), unsorted.

        ``doc_ids`` restricts them to some documents (in batches); ``maybe_defining`` to mentions that might match
        one of kb.trace's defining patterns (``MAYBE_DEFINING``, a superset).
        """
        w = max(0, int(window))
        sql = ("SELECT m.doc_id, m.passage_id, m.page, m.start, m.end, m.surface, m.is_definition, "
               "  substr(p.text, max(1, m.start - p.start - ? + 1), min(?, max(0, m.start - p.start))), "
               "  substr(p.text, m.end - p.start + 1, ?) "
               "FROM mentions m LEFT JOIN passages p ON p.id = m.passage_id "
               f"WHERE m.concept_id = ? AND m.{KEPT}" + (MAYBE_DEFINING if maybe_defining else ""))
        args: list = [w, w, w, concept_id]
        batches: list[list[str] | None] = [None] if doc_ids is None else list(chunks(sorted(set(doc_ids))))
        rows: list[tuple] = []
        for batch in batches:
            extra = "" if batch is None else f" AND m.doc_id IN ({marks(batch)})"
            rows += [tuple(r) for r in self.conn.execute(sql + extra, args + (batch or []))]
        return rows

    def acronym_definitions_of(self, concept_id: str | None = None, term: str | None = None
                               ) -> list[AcronymDefinition]:
        """Acronym definitions in documents that count, by document and offset: those linked to ``concept_id``,
        or (for a phrase) those whose long form is ``term`` in any ASCII case or whose short form is ``term``."""
        if concept_id is not None:
            rows = self.conn.execute(f"SELECT * FROM acronym_definitions WHERE concept_id = ? AND {KEPT} "
                                     "ORDER BY doc_id, start", (concept_id,))
        else:
            rows = self.conn.execute("SELECT * FROM acronym_definitions WHERE (lower(long) = lower(?) OR short = ?) "
                                     f"AND {KEPT} ORDER BY doc_id, start", (term, term))
        return [AcronymDefinition(r["doc_id"], r["passage_id"], r["short"], r["long"], r["start"], r["end"], r["page"],
                                  r["concept_id"]) for r in rows]

    # -- co-occurrence -----------------------------------------------------------------------------------------
    def concept_passage_count(self, concept_id: str, editions: list[str] | None = None) -> int:
        """Passages of documents that count mentioning the concept (index-only count minus the editions')."""
        editions = self.edition_ids() if editions is None else editions
        return self.conn.execute("SELECT COUNT(DISTINCT passage_id) FROM mentions WHERE concept_id = ?",
                                 (concept_id,)).fetchone()[0] - self._editions_sum(
            "SELECT COUNT(DISTINCT passage_id) FROM mentions WHERE concept_id = ? AND doc_id IN ({})",
            editions, (concept_id,))

    def passages_shared(self, concept_id: str, editions: list[str] | None = None) -> dict[str, int]:
        """Per other concept, how many passages of documents that count it shares with ``concept_id`` (only > 0).

        Counted over all documents, minus those of the editions: a passage belongs to one document, so the
        subtraction is exact and the big query needs no document filter.
        """
        editions = self.edition_ids() if editions is None else editions
        sql = ("SELECT b.concept_id, COUNT(DISTINCT b.passage_id) FROM (SELECT DISTINCT passage_id FROM mentions "
               "WHERE concept_id = ? {}) a JOIN mentions b ON b.passage_id = a.passage_id WHERE b.concept_id != ? "
               "GROUP BY b.concept_id")
        together = Counter(dict(self.conn.execute(sql.format(""), (concept_id, concept_id)).fetchall()))
        for chunk in chunks(editions):
            together.subtract(dict(self.conn.execute(
                sql.format(f"AND doc_id IN ({marks(chunk)})"), (concept_id, *chunk, concept_id)).fetchall()))
        return {cid: n for cid, n in together.items() if n > 0}

    def passages_per_concept(self, editions: list[str] | None = None) -> Counter:
        """Per concept, passages of documents that count mentioning it (two index scans, no NOT IN)."""
        editions = self.edition_ids() if editions is None else editions
        base = Counter(dict(self.conn.execute(
            "SELECT concept_id, COUNT(DISTINCT passage_id) FROM mentions GROUP BY concept_id").fetchall()))
        for chunk in chunks(editions):
            base.subtract(dict(self.conn.execute(
                f"SELECT concept_id, COUNT(DISTINCT passage_id) FROM mentions WHERE doc_id IN ({marks(chunk)}) "
                "GROUP BY concept_id", chunk).fetchall()))
        return base

    def mention_spans(self, passage_ids: Iterable[str]) -> Iterator[tuple[str, str, int, int]]:
        """(passage_id, concept_id, start, end) of every mention in these passages, batch by batch."""
        for chunk in chunks(sorted(set(passage_ids))):
            yield from (tuple(r) for r in self.conn.execute(
                f"SELECT passage_id, concept_id, start, end FROM mentions WHERE passage_id IN ({marks(chunk)})", chunk))

    # -- the glossary ------------------------------------------------------------------------------------------
    def glossary_definitions(self) -> list[sqlite3.Row]:
        """Every acronym definition in documents that count, with its document's title and dates: (short, long,
        concept_id, doc_id, page, passage_id, start, title, published, date_earliest), by short form, then
        date (undated last), document and offset."""
        return self.conn.execute(
            "SELECT a.short, a.long, a.concept_id, a.doc_id, a.page, a.passage_id, a.start, d.title, d.published, "
            "d.date_earliest FROM acronym_definitions a JOIN documents d ON d.id = a.doc_id "
            f"WHERE d.{COUNTED} ORDER BY a.short, d.date_earliest IS NULL, d.date_earliest, a.doc_id, a.start"
        ).fetchall()
