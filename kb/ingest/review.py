"""How sure kb is of a document's title, publisher and date, and which documents a researcher should review.

Every value records its source; sources differ in strength. A value set in the catalog is the researcher's own;
a front-matter or HTML meta value is the publisher's own statement; a value read from the cover, an imprint or
a labelled line is good; a PDF's properties (often a template's or the day the file was made) and the file
name are weak. ``problems`` names what is missing or weak, so that 500 documents become a short review list.
"""

from __future__ import annotations

#: Source -> strength, per field. Sources not listed are "good".
_STRENGTH = {
    "catalog": "set by hand",
    "front-matter": "strong",
    "html-meta": "strong",
    "pdf-info": "weak",
    "file-name": "weak",
    "default": "weak",
}
FIELDS = (("title", "title"), ("publisher", "publisher"), ("date", "published"))


def strength(source: str | None) -> str:
    """How much a value from ``source`` can be trusted: set by hand, strong, good or weak."""
    return _STRENGTH.get(source or "", "good") if source else "missing"


def evidence_of(doc: dict, key: str) -> str:
    """The evidence of one value as one line: the text it was read from and its page, or its source."""
    prov = doc.get("provenance") or {}
    found = (prov.get("evidence") or {}).get(key) or {}
    source = prov.get(key)
    if source == "catalog":
        return "from catalog"
    if source == "file-name":
        return f"from the file name {doc['source'].rsplit('/', 1)[-1]!r}"
    if not found.get("text"):
        return f"from {source}" if source else ""
    page = f" (p. {found['page']})" if found.get("page") else ""
    return f"from {source}: \"{' '.join(str(found['text']).split())[:120]}\"{page}"


def held_back(doc: dict, key: str) -> str:
    """A value kb found but did not assign, and why, as one line ("'Suffolk Libraries' (the document gives the
    addresses of two sites ...), read from: \"Email: help@…\" (p. 155)"); "" when there is none."""
    held = ((doc.get("provenance") or {}).get("held_back") or {}).get(key)
    if not held or not held.get("value"):
        return ""
    page = f" (p. {held['page']})" if held.get("page") else ""
    text = f", read from \"{' '.join(str(held['text']).split())[:100]}\"{page}" if held.get("text") else ""
    return f"held back {held['value']!r} ({held.get('why') or 'weak evidence'}){text}"


def problems(doc: dict) -> list[tuple[str, str]]:
    """(field, what is wrong) for each value that is missing or weak; a value found on weak or conflicting
    evidence and held back is named, so that a reviewer can accept it with one command."""
    prov = doc.get("provenance") or {}
    found = []
    for label, key in FIELDS:
        source = prov.get(key)
        value = doc.get(key)
        if not value or (label == "title" and source in ("file-name", "default")):
            held = held_back(doc, key)
            found.append((label, "missing" + (" (the file name stands in)" if value else "") + (f"; {held}" if held else "")))
        elif strength(source) == "weak":
            found.append((label, f"weak: from {source}"))
    return found
