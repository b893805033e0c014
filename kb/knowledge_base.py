"""One handle on a knowledge base: its project folder, store, search index and vocabulary.

Every command, and any script using kb as a library, opens a knowledge base the same way::

    from kb.knowledge_base import KnowledgeBase

    with KnowledgeBase.open("~/papers") as base:
        for hit in base.search('"triple aim"', limit=5).hits:
            print(hit.doc_id, hit.page)

Commands reach the knowledge base only through this handle (search, trace, kwic, mentions, concepts,
reuse and citations, the site), never kb.trace, kb.lineage, kb.site, kb.nlp or kb.store themselves
(tests/test_layout.py checks it), so what a command can do a script can do the same way. The store is opened
on first use (and migrated if an older kb wrote it); heavy modules (spaCy, Whoosh, pdfminer) are imported only
by the methods that need them. Everything a handle reads comes from one snapshot of
the store and the index generation that snapshot names (locked while the handle is open): an ingest that
commits meanwhile is seen by the next handle, never half by this one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import StoreError, UnknownDocument, unknown_document_message
from kb.project import Project, find_project

if TYPE_CHECKING:  # pragma: no cover
    import http.server

    from kb.index.generations import ReaderPin
    from kb.lineage.cites import Citation
    from kb.lineage.report import DocumentLineage, Relative, Reuse
    from kb.models import Concept, Mention
    from kb.nlp.vocabulary import ConceptNames
    from kb.search import SearchResults
    from kb.site.build import BuildSummary
    from kb.store import Store
    from kb.trace.emerging import EmergingReport
    from kb.trace.results import KwicLine, TraceResult


class KnowledgeBase:
    """A project folder (``corpus/``, ``indexes/``, ``kb.toml``) with its store and search index."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._store: Store | None = None
        self._pin: ReaderPin | None = None
        self._current = False  # the open store has this kb's schema

    @classmethod
    def open(cls, home: str | Path | None = None, vocabulary: str | Path | None = None) -> KnowledgeBase:
        """The knowledge base in ``home`` (default: ``KB_HOME`` or the current folder's project)."""
        return cls(find_project(str(home) if home is not None else None,
                                str(vocabulary) if vocabulary is not None else None))

    # -- parts -------------------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The SQLite store (a read snapshot); a clear error when nothing was ingested yet."""
        from kb.store import SCHEMA_VERSION, Store

        if self._store is not None and (self._current or self._store.get_meta("schema_version") == str(SCHEMA_VERSION)):
            self._current = True
            return self._store
        self.close()  # none yet, or a read-only snapshot of a store to migrate first
        self._pinned(lambda: Store.open(self.project.store_path).snapshot())
        assert self._store is not None
        self._current = True
        return self._store

    def _snapshot(self) -> Store | None:
        """The open snapshot, or a read-only one (search never creates, migrates or locks the store); None before
        the first ingest."""
        if self._store is None and self._pin is None:
            from kb.store import Store

            self._pinned(lambda: Store.open_snapshot(self.project.store_path))
        return self._store

    def _pinned(self, opener) -> None:
        """Open a snapshot with ``opener`` and lock the index generation it names; if that generation was deleted
        meanwhile (an ingest committed and cleaned up), take a new snapshot."""
        from kb.index.generations import META_KEY, ReaderPin, folder_of

        for _ in range(20):
            store = opener()
            pin = ReaderPin(folder_of(self.project.indexes_dir, store.get_meta(META_KEY) if store else None))
            if pin.acquire():
                self._store, self._pin = store, pin
                return
            if store is not None:
                store.close()
        raise StoreError(f"The search index in {self.project.indexes_dir} keeps changing; try again.")

    @property
    def index_dir(self) -> Path:
        """The index generation that goes with the store's snapshot."""
        self._snapshot()
        assert self._pin is not None
        return self._pin.folder

    def vocabulary(self) -> list[Concept]:
        """The curated concepts of ``concepts.toml`` (or ``--vocabulary``); none when the file is absent."""
        if not self.project.vocabulary_path.exists():
            return []
        from kb.nlp.vocabulary import load_vocabulary

        return load_vocabulary(self.project.vocabulary_path)

    def concepts(self) -> list[Concept]:
        """Every concept the last ingest stored (the vocabulary plus concepts the documents defined); read-only
        when the store is not open yet, so a search never migrates or locks it."""
        snapshot = self._snapshot()
        return snapshot.concepts() if snapshot is not None else []

    def concept_names(self) -> ConceptNames:
        """The resolver from a user's words to a concept, over ``concepts()`` (the vocabulary file before the
        first ingest), with this corpus's mention counts to settle a shared acronym: what every command asks."""
        from kb.nlp.identity import store_names
        from kb.nlp.vocabulary import ConceptNames

        snapshot = self._snapshot()
        if snapshot is not None:
            return store_names(snapshot, snapshot.concepts() or self.vocabulary())
        return ConceptNames(self.vocabulary(), usage=lambda ids: {})

    # -- what users do -----------------------------------------------------------------------------------
    def search(self, query: str, **options: Any) -> SearchResults:
        """Ranked passages for a query in kb's query language (see :func:`kb.search.search` for options)."""
        from kb.search import search

        return search(self.index_dir, query, names=self.concept_names(), **options)

    def check_document(self, doc_id: str) -> None:
        """Raise UnknownDocument, naming the closest ids, unless ``doc_id`` is a stored document."""
        store = self.store
        if store.document(doc_id, with_text=False) is None:
            raise UnknownDocument(unknown_document_message(doc_id, store.document_ids()))

    # -- trace -------------------------------------------------------------------------------------------
    def trace(self, term: str, by: str = "year", exact: bool = False, reuse: bool = True) -> TraceResult:
        """Where a concept or phrase first appears and how its use spread (:func:`kb.trace.trace`); ``reuse``
        notes on each first appearance whose sentence sits in text shared with another document (kb reuse)."""
        from kb.trace import trace

        result = trace(self.store, term, by=by, exact=exact)
        if reuse:
            from kb.lineage.report import reuse_note

            for _, entry in result.ledger():
                if entry is not None and entry.passage_id:
                    entry.reuse = reuse_note(self.store, entry.passage_id, entry.sentence or "")
                    entry.reuse_checked = True
        return result

    def kwic(self, term: str, **options: Any) -> list[KwicLine]:
        """Keyword-in-context lines of a concept or phrase (options of :func:`kb.trace.kwic`)."""
        from kb.trace import kwic

        return kwic(self.store, term, **options)

    def emerging(self, since: str | None = None, until: str | None = None, against: str | None = None,
                 **options: Any) -> EmergingReport:
        """Terms whose use rises (or, ``fading=True``, falls) in a period (:func:`kb.trace.emerging.emerging`);
        periods as a user writes them ("2022", "2020-11"), ``against`` a span "2020-2022"."""
        from kb.trace.emerging import emerging, parse_period

        span = parse_period(against) if against else None
        return emerging(self.store, since, until, span, **options)

    @staticmethod
    def period(text: str) -> tuple[str, str]:
        """A period as a user writes it ("2022-2025", "2024") as (since, until): the way `kb emerging` reads one."""
        from kb.trace.emerging import parse_period

        return parse_period(text)

    @staticmethod
    def emerging_json(report: EmergingReport) -> dict:
        """What `kb emerging --json` prints for a report (schema in docs/trace.md)."""
        from kb.trace.emerging import report_json

        return report_json(report)

    # -- concepts ----------------------------------------------------------------------------------------
    def mentions(self, concept: str | None = None, doc_id: str | None = None) -> tuple[list[Mention], str]:
        """Stored mentions of a concept (any name a user types) and/or in a document, and the note to show when
        the name is an id issued once that now leads elsewhere ("" otherwise)."""
        store = self.store  # first: before any ingest, that is the error to show
        concept_id, note = None, ""
        if concept:
            names = self.concept_names()
            found = names.match(concept)
            if found is None:
                names.resolve(concept)  # the unknown-concept error, with the closest names
            else:
                concept_id, note = found.concept.id, found.note
        if doc_id:
            self.check_document(doc_id)
        return store.mentions(concept_id=concept_id, doc_id=doc_id), note

    def concept_summaries(self) -> list[dict]:
        """Per stored concept (the vocabulary file before the first ingest): names, counts, first appearance."""
        from kb.nlp.glossary import concept_summaries

        return concept_summaries(self.store, self.store.concepts() or self.vocabulary())

    def discovered_concepts(self, rows: list[dict]) -> list[dict]:
        """The discovered ones of ``rows`` (concept summaries) that kb.toml does not reject, each with
        ``defined_in``: every passage defining it, with a quote."""
        from kb.nlp.discovered import add_definitions
        from kb.nlp.glossary import glossary

        reject = self.project.settings.reject
        rows = [r for r in rows if r["discovered"] and r["id"] not in reject and not set(r["acronyms"]) & reject]
        add_definitions(rows, glossary(self.store), self.store)
        return rows

    @staticmethod
    def choose_concepts(rows: list[dict], ids: tuple[str, ...], discovered: bool = True) -> list[dict]:
        """The rows of the concepts named by id, acronym or long form (UnknownConcept, with the closest, else)."""
        from kb.nlp.discovered import choose

        return choose(rows, ids, discovered)

    def concept_tables(self, rows: list[dict]) -> str:
        """Discovered concepts as ``[[concept]]`` tables to paste into the vocabulary file."""
        from kb.nlp.discovered import concept_tables

        return concept_tables(rows, self.vocabulary())

    def add_concept(self, phrase: str, kind: str = "policy") -> Concept:
        """Promote a term into the vocabulary file, with the other ways the corpus writes it as aliases."""
        from kb.nlp.phrases import term_key
        from kb.nlp.promote import promote
        from kb.store.terms import surfaces

        key = term_key(phrase)
        return promote(self.project.vocabulary_path, phrase, kind, list(surfaces(self.store, [key]).get(key, ())))

    def acronyms(self) -> list[dict]:
        """The corpus glossary (acronyms, their senses, where and when defined) without what kb.toml rejects."""
        from kb.nlp.glossary import glossary
        from kb.site.gather import filter_glossary

        known = {c.id for c in self.store.concepts()}
        return filter_glossary(glossary(self.store), set(self.project.settings.reject), known)

    # -- lineage -----------------------------------------------------------------------------------------
    def reuse(self, doc_id: str | None = None, **options: Any) -> list[Reuse]:
        """Reuse pairs, longest first (options of :func:`kb.lineage.report.find_reuse`); a document given must
        exist."""
        from kb.lineage.report import find_reuse

        if doc_id is not None:
            self.check_document(doc_id)
        return find_reuse(self.store, doc_id, **options)

    @staticmethod
    def reuse_relatives(found: list[Reuse], doc_id: str) -> tuple[list[Relative], list[Relative]]:
        """The documents ``doc_id`` took text from and those that took text from it, among ``found``."""
        from kb.lineage.report import relatives

        return relatives(found, doc_id)

    def compared(self) -> bool:
        """Whether the ingest has worked out reuse for this knowledge base (an earlier kb did not)."""
        from kb.store.lineage import fingerprinted

        return bool(fingerprinted(self.store))

    def citations(self, doc_id: str | None = None) -> list[Citation]:
        """Passages naming another document of the corpus; a document given must exist."""
        from kb.lineage.cites import find_citations

        if doc_id is not None:
            self.check_document(doc_id)
        return find_citations(self.store, doc_id)

    def document_lineage(self, doc_id: str) -> DocumentLineage:
        """What one document took from earlier ones and what later ones took from it."""
        from kb.lineage.report import document_lineage

        return document_lineage(self.store, doc_id)

    # -- the site ----------------------------------------------------------------------------------------
    def build_site(self, out_dir: Path | None = None, progress: Callable | None = None,
                   search: bool = True) -> BuildSummary:
        """Render the static site into ``out_dir`` (default: the project's site/) and index it for search."""
        from kb.site.build import build_site

        return build_site(self.store, out_dir or self.project.site_dir, progress=progress, search=search,
                          settings=self.project.settings)

    def site_server(self, out_dir: Path | None = None, port: int = 8000) -> http.server.ThreadingHTTPServer:
        """An http server on 127.0.0.1 for the built site in ``out_dir`` (default: the project's site/)."""
        from kb.site.serve import make_server

        return make_server(out_dir or self.project.site_dir, port)

    def site_is_stale(self, out_dir: Path | None = None) -> bool | None:
        """Whether the site was built from another state of the knowledge base than it now holds (None: cannot
        tell, or nothing ingested yet)."""
        if not self.project.store_path.exists():
            return None
        from kb.site.build import site_is_stale

        return site_is_stale(self.store, out_dir or self.project.site_dir)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._pin is not None:
            self._pin.release()
            self._pin = None
        self._current = False

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
