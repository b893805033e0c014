"""A second index engine in plain Python over the store, for tests only: proof that kb.index.protocol is enough.

It knows nothing of Whoosh: a build writes every counted passage's index fields (kb.index.fields) to one JSON
file, a searcher reads it back and scores every passage one by one with BM25 (k1 1.2, b 0.75, Lucene's idf,
exact field lengths), text and title summed. Scores are not Whoosh's to the last bit (Whoosh keeps lengths in
one byte), so tests/test_index_contract.py, which runs it as the engine "toy", asks of every engine only what
the rest of kb relies on.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kb.index.analysis import analyze, tokens
from kb.index.fields import doc_fields
from kb.index.nodes import AllQ, BoolQ, NearQ, Node, PhraseQ, PrefixQ, RangeQ, TermQ
from kb.index.order import date_key, group_documents, relevance_key
from kb.index.protocol import Count, Hit
from kb.store import Store

FILE = "toy-index.json"
K1, B = 1.2, 0.75
SCORED = ("text", "title")


class ToyBackend:
    name = "toy"

    def exists(self, index_dir: Path) -> bool:
        return (Path(index_dir) / FILE).exists()

    def up_to_date(self, index_dir: Path) -> bool:
        return self.exists(index_dir)

    def rebuild(self, store: Store, index_dir: Path, progress: Callable[[int], None] | None = None) -> list[str]:
        docs = [d["id"] for d in store.documents(include_duplicates=False)]
        _write(index_dir, [f for doc in docs for f in doc_fields(store, doc)])
        store.mark_indexed(store.document_ids(), store.pending_index_deletions())
        return docs

    def sync(self, store: Store, index_dir: Path,
             progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
        deleted = store.pending_index_deletions()
        if not self.exists(index_dir):
            self.rebuild(store, index_dir, progress)
            return store.document_ids(), deleted
        todo = store.unindexed_documents()
        if not todo and not deleted:
            return [], []
        counted, gone = set(store.document_ids(counted_only=True)), set(deleted) | set(todo)
        rows = [r for r in _read(index_dir) if r["doc_id"] not in gone]
        _write(index_dir, rows + [f for doc in todo if doc in counted for f in doc_fields(store, doc)])
        store.mark_indexed(todo, deleted)
        return todo, deleted

    def searcher(self, index_dir: Path) -> ToySearcher:
        return ToySearcher(index_dir)


def _write(index_dir: Path, rows: list[dict]) -> None:
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(index_dir) / (FILE + ".tmp")
    tmp.write_text(json.dumps(rows), "utf-8")
    os.replace(tmp, Path(index_dir) / FILE)


def _read(index_dir: Path) -> list[dict]:
    return json.loads((Path(index_dir) / FILE).read_text("utf-8"))


class ToySearcher:
    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._load()

    def _load(self) -> None:
        self._stamp = (self.index_dir / FILE).stat().st_mtime_ns
        self.rows = sorted(_read(self.index_dir), key=lambda r: r["id"])
        self.terms: list[dict[str, Counter]] = []
        for r in self.rows:
            fields = {f: Counter(analyze(r.get(f) or "")) for f in SCORED}
            fields["concepts"] = Counter(c for c in r["concepts"].split(",") if c)
            for f in ("doc_id", "publisher", "type"):
                fields[f] = Counter([r[f]] if r.get(f) else [])
            self.terms.append(fields)
        self.sequences = [tuple(analyze(r["text"])) for r in self.rows]
        n = len(self.rows) or 1
        self.avg = {f: sum(sum(t[f].values()) for t in self.terms) / n or 1.0 for f in SCORED}

    def __enter__(self) -> ToySearcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.rows = []

    def refresh(self) -> None:
        if (self.index_dir / FILE).stat().st_mtime_ns != self._stamp:
            self._load()

    @property
    def doc_count(self) -> int:
        return len(self.rows)

    def doc_frequency(self, field: str, term: str) -> int:
        return sum(1 for t in self.terms if t[field][term])

    def has_term(self, field: str, term: str) -> bool:
        return self.doc_frequency(field, term) > 0

    def keys(self, field: str) -> list[str]:
        return sorted({k for t in self.terms for k in t[field]})

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        low = word.lower()
        seen: dict[str, int] = {}
        for r in self.rows:
            for term, start, end in tokens(r["text"]):
                surface = r["text"][start:end].lower()
                if surface != low and surface not in seen and _distance(surface, low) <= 2:
                    seen[surface] = self.doc_frequency("text", term)
        return [w for w, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]

    # -- scoring ------------------------------------------------------------------------------------------
    def _bm25(self, i: int, field: str, term: str) -> float | None:
        tf = self.terms[i][field][term]
        if not tf:
            return None
        if field not in SCORED:
            return float(tf)
        df, n = self.doc_frequency(field, term), len(self.rows)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        length = sum(self.terms[i][field].values())
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg[field]))

    def score(self, node: Node, i: int) -> float | None:
        """Passage ``i``'s score for ``node``, None when it does not match."""
        if isinstance(node, TermQ):
            s = self._bm25(i, node.field, node.term)
            return None if s is None else s * node.boost
        if isinstance(node, PhraseQ):
            parts = [self._bm25(i, node.field, t) for t in node.terms]
            seq = self.sequences[i] if node.field == "text" else tuple(analyze(self.rows[i]["title"]))
            n = len(node.terms)
            if any(p is None for p in parts) or not any(seq[k:k + n] == node.terms for k in range(len(seq))):
                return None
            return sum(p for p in parts if p is not None) * node.boost
        if isinstance(node, NearQ):
            seq = self.sequences[i]
            hit = any(a == node.first and b == node.second for a, b in zip(seq, seq[1:], strict=False))
            return self.score(PhraseQ("text", (node.first, node.second), node.boost), i) if hit else None
        if isinstance(node, PrefixQ):
            return 1.0 if any(t.startswith(node.prefix) for t in self.terms[i][node.field]) else None
        if isinstance(node, RangeQ):
            value = self.rows[i].get(node.field) or 0
            low, high = node.low or 1, node.high or 99_999_999
            return 1.0 if value and low <= value <= high else None
        if isinstance(node, AllQ):
            return 1.0
        return self._bool(node, i)

    def _bool(self, node: BoolQ, i: int) -> float | None:
        if any(self.score(n, i) is not None for n in node.must_not):
            return None
        if any(self.score(n, i) is None for n in node.filters):
            return None
        must = [self.score(n, i) for n in node.must]
        if any(s is None for s in must):
            return None
        should = [s for s in (self.score(n, i) for n in node.should) if s is not None]
        if node.should and not node.must and not should:
            return None
        if not node.must and not node.should:
            return 0.0 if node.filters else 1.0
        return sum(s for s in must if s is not None) + sum(should)

    # -- the contract ------------------------------------------------------------------------------------
    def _ranking(self, node: Node, sort: str) -> list[Hit]:
        keyed = []
        for i, r in enumerate(self.rows):
            s = self.score(node, i)
            if s is None:
                continue
            if sort == "relevance":
                keyed.append((relevance_key(s, r["id"]), Hit.from_stored(r, s)))
            else:
                date = (date_key(sort, r.get("date") or 0, r.get("date_latest") or 0), r["id"])
                keyed.append(((float(date[0]), date[1]), Hit.from_stored(r, None)))
        return [h for _k, h in sorted(keyed, key=lambda kh: kh[0])]

    def page(self, node: Node, *, limit: int, offset: int = 0, sort: str = "relevance", group_doc: bool = False,
             exhaustive: bool | None = None) -> tuple[list[Hit], Count]:
        hits = self._ranking(node, sort)
        counted = Count(len(hits), len({h.doc_id for h in hits}) if group_doc else 0, True)
        return (group_documents(hits, offset, limit) if group_doc else hits[offset:offset + limit]), counted

    def count(self, node: Node, documents: bool = False) -> Count:
        hits = self._ranking(node, "relevance")
        return Count(len(hits), len({h.doc_id for h in hits}) if documents else 0, True)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
