"""What a passage holds in any index: the fields every engine indexes and stores, read from the store.

Engine-neutral (plain values from :mod:`kb.store`), so a second engine indexes exactly what Whoosh does; a
stored row of these fields becomes a :class:`kb.index.protocol.Hit` (``Hit.from_stored``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kb.index.analysis import publisher_key, type_key

if TYPE_CHECKING:  # pragma: no cover
    from kb.models import Passage
    from kb.store import Store


def day_number(iso: str | None) -> int | None:
    """A date as the index's date columns hold it: "2020-11-30" -> 20201130."""
    return int(iso.replace("-", "")) if iso else None


def passage_fields(doc: dict[str, Any], passage: Passage, concepts: Iterable[str]) -> dict[str, Any]:
    """The index fields of one passage of ``doc`` (a ``documents`` row): stored ones (id, doc_id, text, title,
    published, page, page_end, concepts, publisher_name) and keys (publisher, type, date, date_latest)."""
    fields: dict[str, Any] = {
        "id": passage.id,
        "doc_id": passage.doc_id,
        "text": passage.text,
        "title": doc.get("title") or "",
        "published": doc.get("published") or "",
        "page": passage.page,
        "page_end": passage.page_end,
        "concepts": ",".join(sorted(set(concepts))),
    }
    if doc.get("publisher"):
        fields["publisher"] = publisher_key(doc["publisher"])
        fields["publisher_name"] = doc["publisher"]
    if doc.get("doc_type"):
        fields["type"] = type_key(doc["doc_type"])
    earliest, latest = day_number(doc.get("date_earliest")), day_number(doc.get("date_latest"))
    if earliest:
        fields["date"] = earliest
        fields["date_latest"] = latest or earliest
    return fields


def doc_fields(store: Store, doc_id: str) -> Iterator[dict[str, Any]]:
    """The index fields of every passage of one document, in order, read from the store a batch at a time
    (a very large document's passages are never all held at once)."""
    doc = store.document(doc_id, with_text=False)
    if doc is None:
        return
    for passage, concepts in store.passages_with_concepts(doc_id):
        yield passage_fields(doc, passage, concepts)
