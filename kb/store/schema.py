"""The store's tables (``SCHEMA``) and the migrations that bring an older store up to ``SCHEMA_VERSION``.

Kept apart from the queries so the shape of the data can be read in one place.
"""

from __future__ import annotations

from kb.store.lineage import LINEAGE_SCHEMA
from kb.store.terms import TERMS_SCHEMA, TOTALS_MIGRATION, TOTALS_SCHEMA

SCHEMA_VERSION = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,          -- path relative to corpus/, POSIX separators
    sha256 TEXT NOT NULL,
    file_size INTEGER,                    -- with file_mtime_ns: skip hashing files that did not change
    file_mtime_ns INTEGER,
    catalog_hash TEXT,                    -- the catalog entry it was ingested with; a change re-ingests
    format TEXT NOT NULL,                 -- pdf | html | text | markdown | captions
    title TEXT NOT NULL,
    publisher TEXT,
    published TEXT,                       -- YYYY, YYYY-MM or YYYY-MM-DD
    date_precision TEXT,                  -- year | month | day | NULL when undated
    date_earliest TEXT,                   -- first possible day (YYYY-MM-DD), for ordering and ranges
    date_latest TEXT,                     -- last possible day
    date_source TEXT,                     -- catalog | text | html-meta | pdf-info | NULL
    date_note TEXT,
    url TEXT,
    doc_type TEXT,
    provenance TEXT NOT NULL DEFAULT '{}',  -- JSON: field -> where its value came from
    duplicate_of TEXT,                    -- another edition of that document: stored, never counted
    pages INTEGER NOT NULL,
    passages INTEGER NOT NULL,
    words INTEGER NOT NULL,
    text TEXT NOT NULL,                   -- normalised full text; every offset points into it
    warnings TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
    ingested_at TEXT NOT NULL,
    tagged_with TEXT,                     -- vocabulary fingerprint used to tag it; NULL = needs tagging
    indexed INTEGER NOT NULL DEFAULT 0,   -- 1 once its passages are committed to the search index
    glossary_done INTEGER NOT NULL DEFAULT 0, -- 1 once the corpus glossary step has seen this version
    ocr TEXT                              -- JSON: which pages were OCR'd, engine, confidence; NULL = none
);
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, page)
);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    heading TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    words INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS concepts (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]',   -- JSON list
    acronyms TEXT NOT NULL DEFAULT '[]',  -- JSON list
    discovered INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS concept_relations (
    concept_id TEXT NOT NULL,
    relation TEXT NOT NULL,               -- successor | part_of | related
    target_id TEXT NOT NULL,
    PRIMARY KEY (concept_id, relation, target_id)
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL,
    concept_id TEXT NOT NULL,
    surface TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL,
    is_definition INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, start, concept_id)
);
CREATE INDEX IF NOT EXISTS mentions_concept ON mentions(concept_id, doc_id);
CREATE INDEX IF NOT EXISTS mentions_passage ON mentions(passage_id);
-- kb trace: passages per concept (co-occurrence background counts) straight from the index
CREATE INDEX IF NOT EXISTS mentions_concept_passage ON mentions(concept_id, passage_id);
CREATE TABLE IF NOT EXISTS acronym_definitions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL,
    short TEXT NOT NULL,
    long TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL,
    concept_id TEXT,
    PRIMARY KEY (doc_id, start, short)
);
CREATE INDEX IF NOT EXISTS acronyms_short ON acronym_definitions(short);
CREATE TABLE IF NOT EXISTS index_queue (
    doc_id TEXT PRIMARY KEY               -- documents whose passages must be removed from the search index
);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT PRIMARY KEY,              -- files that could not be ingested last time, and why
    sha256 TEXT,
    reason TEXT NOT NULL,
    advice TEXT NOT NULL,
    at TEXT NOT NULL
);
""" + LINEAGE_SCHEMA + TERMS_SCHEMA + TOTALS_SCHEMA

#: Migrations from version N to N+1, applied in order.
MIGRATIONS: dict[int, str] = {
    1: "ALTER TABLE documents ADD COLUMN glossary_done INTEGER NOT NULL DEFAULT 0",
    2: "ALTER TABLE documents ADD COLUMN ocr TEXT",  # OCR report per document (NULL: no page was OCR'd)
    3: LINEAGE_SCHEMA,  # reuse between documents (kb.lineage)
    4: TERMS_SCHEMA,  # candidate terms per document (kb emerging)
    5: TOTALS_MIGRATION,  # their sums per year and publisher, built from the counts stored
}
