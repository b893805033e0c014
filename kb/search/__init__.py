"""Search passages: plan a parsed query (analysis, concept expansion, filters), run it, highlight the hits.

``query`` parses kb's query language, ``planning`` turns the parse into kb.index's engine-neutral nodes,
``highlight`` cuts fragments; the engine is reached only through kb.index's protocol (``kb.index.backend``).
Everything the planner does to the query (expansions, ignored words, suggestions) becomes a note, so nothing
is silently dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb import index as ix
from kb.errors import UsageError
from kb.index.order import PASSAGES_PER_DOC
from kb.models import Concept
from kb.nlp.vocabulary import ConceptNames
from kb.search import query as kq
from kb.search.highlight import FRAGMENT_CHARS, MAX_FRAGMENTS, Fragment, fragments
from kb.search.planning import PROXIMITY_BOOST, PROXIMITY_MAX_WORDS, _Plan, describe, load_concepts, plan

__all__ = ["FRAGMENT_CHARS", "MAX_FRAGMENTS", "MISSING_WORDS_NAMED", "PASSAGES_PER_DOC", "PROXIMITY_BOOST",
           "PROXIMITY_MAX_WORDS", "SORTS", "SUGGEST_SECONDS", "SUGGEST_WORDS", "Fragment", "Hit",
           "SearchResults", "describe", "fragments", "load_concepts", "plan", "search", "searcher_for"]


log = logging.getLogger(__name__)


SORTS = ("relevance", "date", "-date")


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float | None  # BM25 relevance; None when results are sorted by date
    passage_id: str
    doc_id: str
    title: str
    publisher: str
    published: str
    page: int
    page_end: int
    text: str
    fragments: tuple[Fragment, ...]
    concepts: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "rank": self.rank,
            "score": None if self.score is None else round(self.score, 4),
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published or None,
            "page": self.page,
            "page_end": self.page_end,
            "text": self.text,
            "fragments": [f.html() for f in self.fragments],
            "concepts": list(self.concepts),
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    parsed: str  # one line: how the query was understood
    explain: str  # several lines: the same, for --explain
    total: int  # matching passages (at least this many when total_exact is False)
    total_exact: bool
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"
    group: str | None = None
    total_docs: int | None = None  # matching documents, with group="doc" (same exactness as total)

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "parsed": self.parsed,
            "total": self.total,
            "total_exact": self.total_exact,
            **({"total_docs": self.total_docs} if self.group == "doc" else {}),
            "offset": self.offset,
            "limit": self.limit,
            "sort": self.sort,
            "group": self.group,
            "notes": list(self.notes),
            "suggestions": list(self.suggestions),
            "hits": [h.to_json() for h in self.hits],
        }


_SEARCHERS: dict[tuple[str, str], ix.IndexSearcher] = {}


_LOCK = threading.Lock()


def searcher_for(index_dir: Path, engine: str = ix.DEFAULT_BACKEND) -> ix.IndexSearcher:
    """One cached searcher per index folder and engine, refreshed when the index has changed."""
    key = (str(Path(index_dir).resolve()), engine)
    with _LOCK:
        s = _SEARCHERS.get(key)
        if s is None:
            s = _SEARCHERS[key] = ix.backend(engine).searcher(Path(index_dir))
        else:
            s.refresh()
        return s


def search(index_dir: Path, query: str, *, concepts: list[Concept] | None = None, names: ConceptNames | None = None,
           concept=None, publisher=None,
           since=None, until=None, doc=None, type=None, limit: int = 10, offset: int = 0,
           sort: str = "relevance", group: str | None = None, suggest: bool = True) -> SearchResults:
    """Run a query-language search over the passage index and return ranked, highlighted hits.

    ``names`` (``KnowledgeBase.concept_names()``, which settles shared acronyms by this corpus's usage) or else
    ``concepts`` (e.g. ``load_concepts(store_path)``) drives alias expansion and ``concept:`` filters. Option filters (concept, publisher, since, until, doc, type) combine with the
    query's own filters. Raises QuerySyntaxError / UsageError / NotIngested with a one-line message.
    """
    if sort not in SORTS:
        raise UsageError(f"--sort {sort}: choose one of {', '.join(SORTS)}.")
    if group not in (None, "doc"):
        raise UsageError(f"--group {group}: the only grouping is 'doc'.")
    if limit < 1 or offset < 0:
        raise UsageError("--limit must be at least 1 and --offset at least 0.")
    if names is None:
        names = ConceptNames(concepts or [])
    s = searcher_for(index_dir)
    node, p, tree = plan(query, names, concept=concept, publisher=publisher, since=since, until=until, doc=doc,
                         type=type, has_term=s.has_term, keys=s.keys)
    rows, counted = s.page(node, limit=limit, offset=offset, sort=sort, group_doc=group == "doc")
    hits = _hits(rows, p, offset, limit, group == "doc")
    notes = list(p.notes)
    if p.ignored:
        notes.append("ignored: " + ", ".join(dict.fromkeys(p.ignored)))
    missing = [typed for typed, term in dict.fromkeys(p.words) if s.doc_frequency("text", term) == 0]
    found = counted.documents if group == "doc" and counted.documents is not None else counted.passages
    more_notes, suggestions = _missing_word_notes(missing, s.suggest if suggest and found < offset + limit else None)
    notes = list(dict.fromkeys(notes + more_notes))  # a note repeated by a repeated word is said once
    parsed = describe(node)
    explain = _explain(query, tree, node, p, notes, dict(concept=concept, publisher=publisher, since=since,
                                                          until=until, doc=doc, type=type))
    return SearchResults(query=query, parsed=parsed, explain=explain, total=counted.passages,
                         total_exact=counted.exact, hits=tuple(hits), notes=tuple(notes),
                         suggestions=tuple(suggestions), offset=offset, limit=limit, sort=sort, group=group,
                         total_docs=counted.documents if group == "doc" else None)


#: "Did you mean" looks up at most this many missing words, and stops after SUGGEST_SECONDS.
SUGGEST_WORDS = 3


SUGGEST_SECONDS = 1.0


#: Missing words named one by one; the rest are counted in one note.
MISSING_WORDS_NAMED = 5


def _missing_word_notes(missing: list[str], suggest: Callable[[str], list[str]] | None) -> tuple[list[str], list[str]]:
    """Notes for query words no passage contains, and the spelling suggestions among them.

    Spelling suggestions cost up to a second each on a large index, so ``suggest`` is given only when the
    query found fewer hits than the page shows (a word of a query that found plenty needs no correcting),
    and even then at most SUGGEST_WORDS words are looked up within SUGGEST_SECONDS.
    """
    import time

    notes: list[str] = []
    suggestions: list[str] = []
    seen: set[str] = set()
    deadline = time.monotonic() + SUGGEST_SECONDS
    looked_up = 0
    unique: list[str] = []
    for w in missing:
        if w.lower() not in seen:
            seen.add(w.lower())
            unique.append(w)
    for typed in unique[:MISSING_WORDS_NAMED]:
        found: list[str] = []
        if suggest is not None and looked_up < SUGGEST_WORDS and time.monotonic() < deadline:
            looked_up += 1
            found = suggest(typed)
        if found:
            suggestions.extend(f for f in found if f not in suggestions)
            notes.append(f"no passage contains {typed!r}; did you mean: {', '.join(found)}?")
        else:
            notes.append(f"no passage contains {typed!r}")
    rest = len(unique) - MISSING_WORDS_NAMED
    if rest > 0:
        notes.append(f"no passage contains {rest:,} more of the query's words either")
    return notes, suggestions


def _explain(query, tree, node, p: _Plan, notes: list[str], options: dict) -> str:
    lines = [f"query:      {query}"]
    if tree is not None:
        lines.append(f"structure:  {kq.render(tree)}")
    opts = " ".join(f"--{k} {v}" for k, v in options.items() if v)
    if opts:
        lines.append(f"options:    {opts}")
    lines.append(f"searched:   {describe(node)}")
    lines.append("            (text = passage words, stemmed; title a second field; acronyms unstemmed;")
    lines.append("             + required, # filter (must match, no score), - excluded, OR = any, ranked by BM25)")
    lines += ["  " + e for e in p.explain]
    lines += ["  note: " + n for n in notes]
    return "\n".join(lines)


def _hits(rows: list[ix.Hit], p: _Plan, offset: int, limit: int, group_doc: bool) -> list[Hit]:
    # With group_doc the engine gives the page's documents, each with its best PASSAGES_PER_DOC passages.
    doc_rank = {d: offset + i + 1 for i, d in enumerate(dict.fromkeys(r.doc_id for r in rows))}
    out = []
    for n, r in enumerate(rows, start=offset + 1):
        if group_doc:
            n = doc_rank[r.doc_id]  # documents are ranked; their passages share the rank
        out.append(Hit(
            rank=n, score=r.score, passage_id=r.id, doc_id=r.doc_id, title=r.title, publisher=r.publisher_name,
            published=r.published, page=r.page, page_end=r.page_end, text=r.text,
            fragments=tuple(fragments(r.text, p.terms, p.phrases, p.prefixes)), concepts=r.concepts,
        ))
    return out
