"""Resolve a document's metadata: the catalog first, then what the file itself says, and record each value's source."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from kb.ingest.catalog import CatalogEntry
from kb.models import Extraction, PartialDate

#: Detected dates are trusted in this order when the catalog gives none.
DATE_SOURCES = ("html-meta", "text", "pdf-info")


def resolve_metadata(source: str, entry: CatalogEntry | None, extraction: Extraction, text: str) -> dict:
    """Columns of the ``documents`` table for title, publisher, dates, URL and type, plus ``provenance``.

    ``source`` is the corpus-relative path; ``text`` the normalised document text (for a fallback title).
    """
    found = dict(extraction.metadata)
    found_sources = dict(found.pop("sources", {}) or {})
    provenance: dict[str, str] = {}

    def pick(field: str, catalog_value, fallback=None, fallback_source: str | None = None):
        if catalog_value:
            provenance[field] = "catalog"
            return catalog_value
        value = found.get(field)
        if value:
            provenance[field] = found_sources.get(field, extraction.format)
            return value
        if fallback:
            provenance[field] = fallback_source or "default"
            return fallback
        return None

    title = pick("title", entry and entry.title, _title_from_text(text) or _title_from_name(source),
                 "text" if _title_from_text(text) else "file-name")
    publisher = pick("publisher", entry and entry.publisher)
    url = pick("url", entry and entry.url)
    doc_type = pick("type", entry and entry.type)
    published: PartialDate | None = pick("published", entry and entry.published)
    date_source = provenance.get("published")
    row = {
        "title": str(title),
        "publisher": publisher,
        "url": url,
        "doc_type": doc_type,
        "published": published.value if published else None,
        "date_precision": published.precision if published else None,
        "date_earliest": published.earliest if published else None,
        "date_latest": published.latest if published else None,
        "date_source": date_source,
        "date_note": entry.date_note if entry else None,
        "duplicate_of": entry.duplicate_of if entry else None,
        "provenance": provenance,
    }
    return row


def _title_from_text(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if 3 <= len(line) <= 200 and not line.endswith((".", ",", ";")) else None
    return None


def _title_from_name(source: str) -> str:
    stem = PurePosixPath(source).stem
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or source
