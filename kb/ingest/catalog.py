"""The catalog: hand-edited facts about each corpus file (title, publisher, date with precision, URL, type)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import CatalogError
from kb.models import PartialDate
from kb.tomltables import load_tables

FIELDS = ("file", "id", "title", "publisher", "published", "date_note", "url", "type", "duplicate_of")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")


@dataclass(frozen=True)
class CatalogEntry:
    """One [[document]] table of the catalog."""

    file: str
    line: int
    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    date_note: str | None = None
    url: str | None = None
    type: str | None = None
    duplicate_of: str | None = None  # id of the document this file is another edition of


def slugify(text: str) -> str:
    """A stable, URL- and file-safe document id from a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:120] or "document"


def load_catalog(path: Path) -> dict[str, CatalogEntry]:
    """Read the catalog; map corpus-relative file path (POSIX) to its entry. A missing file is an empty catalog."""
    if not path.exists():
        return {}
    entries: dict[str, CatalogEntry] = {}
    ids: dict[str, str] = {}
    for t in load_tables(path, "document", CatalogError):
        table, line = t.data, t.first_line
        where = t.where()
        unknown = set(table) - set(FIELDS)
        if unknown:
            raise CatalogError(f"{t.where(sorted(unknown)[0])}: unknown key(s) {sorted(unknown)}; allowed: {', '.join(FIELDS)}.")
        for key, value in table.items():
            if not isinstance(value, str):
                raise CatalogError(f"{t.where(key)}: {key} must be a quoted string, got {value!r}.")
        file = table.get("file", "").strip().replace("\\", "/")
        if not file:
            raise CatalogError(f"{where}: every [[document]] needs file = \"path relative to corpus/\".")
        if file in entries:
            raise CatalogError(f"{where}: {file} is catalogued twice (first at line {entries[file].line}).")
        published = None
        if table.get("published"):
            try:
                published = PartialDate.parse(table["published"])
            except ValueError as exc:
                raise CatalogError(f"{t.where('published')}: published: {exc}.") from None
        doc_id = table.get("id")
        if doc_id is not None:
            if not _ID_RE.match(doc_id):
                raise CatalogError(f"{t.where('id')}: id {doc_id!r} must be lower-case letters, digits, '.', '_' or '-'.")
            if doc_id in ids:
                raise CatalogError(f"{t.where('id')}: id {doc_id!r} is already used by {ids[doc_id]}.")
            ids[doc_id] = file
        entries[file] = CatalogEntry(
            file=file,
            line=line,
            id=doc_id,
            title=table.get("title") or None,
            publisher=table.get("publisher") or None,
            published=published,
            date_note=table.get("date_note") or None,
            url=table.get("url") or None,
            type=table.get("type") or None,
            duplicate_of=table.get("duplicate_of") or None,
        )
    for entry in entries.values():
        target = entry.duplicate_of
        if target and (target == entry.id or target not in ids):
            problem = "names the document itself" if target == entry.id else "is not the id of any catalogued document"
            raise CatalogError(
                f"{path}, line {entry.line}: duplicate_of {target!r} {problem}; give the other edition's catalog id."
            )
    return entries
