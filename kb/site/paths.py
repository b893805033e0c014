"""Safe output paths: document and concept ids become file names that can never leave the output folder.

Ids are slugs by contract, but the catalog is user data and the store may come from anywhere, so every id is
checked again here and every path is resolved and confirmed to sit inside ``out_dir`` before anything is written.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from kb.errors import KbError

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")
_RESERVED = frozenset({"con", "prn", "aux", "nul", "com1", "lpt1"})  # names Windows refuses
MAX_NAME = 120


class UnsafePath(KbError):
    """An output path would fall outside the site folder."""


def safe_name(identifier: str) -> str:
    """A file-name stem for ``identifier``: the id itself when it is a plain slug, else a slug plus a short hash.

    The mapping is deterministic and injective in practice (the hash keeps distinct unsafe ids apart), so links
    and files always agree.
    """
    text = str(identifier)
    if _SAFE.match(text) and len(text) <= MAX_NAME and text.lower() not in _RESERVED:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")[:60] or "item"
    return f"{stem}-{digest}"


def doc_href(doc_id: str) -> str:
    """Site-relative URL of a document page."""
    return f"documents/{safe_name(doc_id)}.html"


def doc_part_href(doc_id: str, part: int) -> str:
    """Site-relative URL of part ``part`` (from 1) of a document split over several pages; part 1 is the
    document's own page, so links made before it was split still work."""
    return doc_href(doc_id) if int(part) <= 1 else f"documents/{safe_name(doc_id)}/part-{int(part)}.html"


def concept_href(concept_id: str) -> str:
    """Site-relative URL of a concept page."""
    return f"concepts/{safe_name(concept_id)}.html"


def mentions_href(concept_id: str, page: int) -> str:
    """Site-relative URL of page ``page`` (from 1) of a concept's mentions, for concepts too often mentioned to
    list on one page."""
    return f"concepts/{safe_name(concept_id)}/mentions-{int(page)}.html"


def doc_anchor(doc_id: str) -> str:
    """The id of a document's group of mentions on a concept or mention page."""
    return f"doc-{safe_name(doc_id)}"


def output_path(out_dir: Path, relative: str) -> Path:
    """Resolve the site-relative POSIX path ``relative`` under ``out_dir``, refusing anything that escapes it."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or any(part in ("", ".", "..") for part in rel.parts) or "\\" in relative or "\x00" in relative:
        raise UnsafePath(f"Refusing to write {relative!r}: site paths must stay inside the output folder.")
    root = Path(out_dir).resolve()
    target = (root / Path(*rel.parts)).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnsafePath(f"Refusing to write {relative!r}: it resolves outside {root}.")
    return target
