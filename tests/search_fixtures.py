"""Tiny stores and indexes for the search tests (shared helpers, not a test file)."""

from __future__ import annotations

from pathlib import Path

from kb.models import Concept, Mention, PartialDate, Passage
from kb.store import Store


def doc_row(doc_id: str, title: str, publisher: str | None = "NHS Confederation", published: str | None = "2020-11",
            doc_type: str | None = "briefing", duplicate_of: str | None = None, text: str = "") -> dict:
    """A ``documents`` row as Store.replace_document wants it."""
    date = PartialDate.parse(published) if published else None
    return {
        "id": doc_id, "source": f"{doc_id}.txt", "sha256": "0" * 64, "format": "text", "title": title,
        "publisher": publisher, "published": published, "date_precision": date.precision if date else None,
        "date_earliest": date.earliest if date else None, "date_latest": date.latest if date else None,
        "date_source": "catalog" if date else None, "doc_type": doc_type, "duplicate_of": duplicate_of,
        "pages": 1, "passages": 0, "words": len(text.split()), "text": text, "ingested_at": "2026-01-01T00:00:00Z",
    }


def add_doc(store: Store, doc_id: str, texts: list[str] | list[tuple[int, str]], mentions=(), **meta) -> list[Passage]:
    """Store a document whose passages are ``texts`` (optionally (page, text) pairs)."""
    pairs = [(t if isinstance(t, tuple) else (1, t)) for t in texts]
    full, passages, start = "", [], 0
    for n, (page, text) in enumerate(pairs):
        passages.append(Passage(f"{doc_id}-p{n}", doc_id, n, page, page, start, start + len(text), text))
        full += text + "\n\n"
        start = len(full)
    row = doc_row(doc_id, meta.pop("title", doc_id.replace("-", " ").title()), text=full, **meta)
    row["passages"] = len(passages)
    row["pages"] = max(p for p, _ in pairs)
    with store.transaction():
        store.replace_document(row, [(p, 0, len(full)) for p in sorted({p for p, _ in pairs})], passages)
        if mentions:
            ms = [Mention(doc_id, passages[i].id, cid, cid, passages[i].start, passages[i].start + 1, 1)
                  for i, cid in mentions]
            store.replace_mentions(doc_id, ms, [], "test")
    return passages


CONCEPTS = [
    Concept("integrated-care-system", "integrated care system", "body",
            aliases=("integrated care systems",), acronyms=("ICS",)),
    Concept("primary-care-network", "primary care network", "body",
            aliases=("primary care networks",), acronyms=("PCN",)),
    Concept("triple-aim", "triple aim", "policy"),
]


def make_store(tmp: Path) -> Store:
    store = Store.open(tmp / "indexes" / "kb.sqlite", create=True)
    with store.transaction():
        store.replace_concepts(CONCEPTS)
    return store
