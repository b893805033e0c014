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


#: Fields a correction may set (``file`` names the entry; ``duplicate_of`` stays a hand edit).
SETTABLE = ("id", "title", "publisher", "published", "date_note", "url", "type")


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def set_catalog_values(path: Path, file: str, values: dict[str, str]) -> None:
    """Write ``values`` into the ``[[document]]`` entry of ``file`` in the catalog at ``path`` (added at the end
    when there is none), leaving every other line as it is; an empty value removes the key. The catalog is read
    back before it is kept, so a value it would refuse (a date like 2020-13) leaves the file untouched."""
    unknown = sorted(set(values) - set(SETTABLE))
    if unknown:
        raise CatalogError(f"cannot set {', '.join(unknown)}; fields that can be set: {', '.join(SETTABLE)}.")
    entries = load_catalog(path)
    old = path.read_text("utf-8") if path.exists() else ""
    lines = old.splitlines()
    entry = entries.get(file)
    if entry is None:
        block = ["", "[[document]]", f"file = {toml_string(file)}"]
        block += [f"{key} = {toml_string(value)}" for key, value in values.items() if value]
        lines += block
    else:
        start = entry.line  # the [[document]] header, counted from 1
        end = start
        while end < len(lines) and not lines[end].lstrip().startswith("["):
            end += 1
        for key, value in values.items():
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            at = next((n for n in range(start, end) if pattern.match(lines[n])), None)
            if at is not None and value:
                lines[at] = f"{key} = {toml_string(value)}"
            elif at is not None:
                del lines[at]
                end -= 1
            elif value:
                last = max(n for n in range(start - 1, end) if lines[n].strip() and not lines[n].lstrip().startswith("#"))
                lines.insert(last + 1, f"{key} = {toml_string(value)}")
                end += 1
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, "utf-8")
    try:
        load_catalog(tmp)
    except CatalogError as exc:
        tmp.unlink()
        raise CatalogError(str(exc).replace(str(tmp), str(path))) from None
    tmp.replace(path)


def catalog_export(docs: list[dict], entries: dict[str, CatalogEntry]) -> str:
    """The knowledge base's current title, publisher and date of every document as a catalog to edit in bulk
    (``kb docs --import-catalog``), each value commented with where it came from; a missing value is a
    commented-out key to fill in, holding the value kb held back on weak evidence when there is one. Keys only the catalog holds (id, url, type, ...) are kept."""
    out = ["# kb's current metadata, one [[document]] per file. Edit what is wrong and read it back with",
           "# `kb docs --import-catalog FILE`: only values that differ from what kb holds are written to the catalog.",
           ""]
    for doc in docs:
        entry = entries.get(doc["source"])
        prov = doc.get("provenance") or {}
        out.append("[[document]]")
        out.append(f"file = {toml_string(doc['source'])}")
        if entry and entry.id:
            out.append(f"id = {toml_string(entry.id)}")
        for key, field in (("title", "title"), ("publisher", "publisher"), ("published", "published")):
            value = doc.get(field)
            source = prov.get(field) or "default"
            if value:
                out.append(f"{key} = {toml_string(str(value))}  # from {source}")
            elif (prov.get("held_back") or {}).get(field, {}).get("value"):
                held = prov["held_back"][field]  # uncomment to accept what kb found but would not assign
                why = " ".join(str(held.get("why") or "weak evidence").split())
                out.append(f"# {key} = {toml_string(str(held['value']))}  # missing; held back: {why}")
            else:
                out.append(f"# {key} = \"\"  # missing")
        for key in ("date_note", "url", "type", "duplicate_of"):
            value = getattr(entry, key, None) if entry else None
            if value:
                out.append(f"{key} = {toml_string(str(value))}")
        out.append("")
    return "\n".join(out) + "\n"
