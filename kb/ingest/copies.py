"""Copies: byte-identical files, and files with the same extracted text, are one document (``duplicate_of``)."""

from __future__ import annotations

from kb.store import Store

#: How a document was found to be a copy of another (``provenance["duplicate_of"]``).
COPY_KINDS = ("same-file", "same-text")


def settle_copies(store: Store) -> None:
    """Byte-identical files, then files with the same extracted text, are one document: the one with the
    first source path (in sorted order, so the order of ingests never matters) is the original and the others
    are recorded as its copies. A copy whose original left is promoted. Editions named in the catalog are
    left as the catalog says. Call inside ``transaction()``."""
    rows = store.copy_candidates()
    editions = {r["id"] for r in rows if r["duplicate_of"] and r["provenance"].get("duplicate_of") not in COPY_KINDS}
    targets = {r["duplicate_of"] for r in rows if r["id"] in editions}

    def rank(row: dict) -> tuple:
        return (row["id"] in editions, row["id"] not in targets, row["source"])

    wanted: dict[str, tuple[str, str]] = {}
    for kind, key in (("same-file", lambda r: r["sha256"]), ("same-text", None)):
        groups: dict[object, list[dict]] = {}
        candidates = [r for r in rows if r["id"] not in wanted]
        if key is None:  # only texts of equal length can be equal: hash just those
            by_length: dict[int, list[dict]] = {}
            for r in candidates:
                by_length.setdefault(r["chars"], []).append(r)
            candidates = [r for group in by_length.values() if len(group) > 1 for r in group]
            key = lambda r: store.text_digest(r["id"])  # noqa: E731
        for r in candidates:
            groups.setdefault(key(r), []).append(r)
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=rank)
            for other in group[1:]:
                if other["id"] not in editions:
                    wanted[other["id"]] = (group[0]["id"], kind)
    for doc_id, (original, kind) in list(wanted.items()):  # a copy of a copy is a copy of the original
        seen = {doc_id}
        while original in wanted and original not in seen:
            seen.add(original)
            original = wanted[original][0]
        wanted[doc_id] = (original, kind)
    for r in rows:
        if r["id"] in editions:
            continue
        target = wanted.get(r["id"], (None, None))
        if (r["duplicate_of"], r["provenance"].get("duplicate_of")) != target:
            store.mark_copy(r["id"], *target)
