"""`kb ingest`: bring the knowledge base in line with the corpus folder, incrementally and all or nothing.

Files are discovered, fingerprinted (size+mtime, then sha256), and only new or changed ones are extracted, in
worker processes with a time limit per file. The whole ingest (documents, corpus glossary, copies, failures)
is one store transaction; the search index is written into a new generation folder, and the commit that names
it is the one moment the knowledge base changes (see ``_ingest_with`` and kb/index/generations.py).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import errno
import fcntl
import hashlib
import itertools
import json
import logging
import os
import shlex
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import ExtractionError, StoreBusy, UsageError
from kb.ingest.catalog import CatalogEntry, load_catalog, slugify
from kb.ingest.checkpoints import checkpoint
from kb.ingest.copies import settle_copies
from kb.ingest.metadata import resolve_metadata
from kb.ingest.resume import FingerprintSpool, FinishedWork
from kb.ingest.tagger import LazyTagger
from kb.ingest.tasks import Executor, TaskResult
from kb.ingest.worker import FileResult, FileTask
from kb.lineage import update_lineage
from kb.lineage.update import LineageChange
from kb.nlp.phrases import update_term_counts
from kb.project import CONTROL_FILES, Project
from kb.store import Store

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 180.0


@dataclass(frozen=True)
class Failure:
    """A file that could not be ingested: one line for the user (file, reason, what to do)."""

    source: str
    reason: str
    advice: str
    kept_previous: bool = False

    def line(self) -> str:
        kept = " (the previously ingested version is kept)" if self.kept_previous else ""
        advice = f"; {self.advice}" if self.advice else ""
        return f"{self.source}: {self.reason}{advice}{kept}"


@dataclass
class IngestReport:
    """What an ingest did, for the summary line and `--json`."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    retagged: int = 0
    reused: int = 0  # files whose extraction and tagging an ingest that was stopped had done (kb/ingest/resume.py)
    indexed: int = 0
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    editions: int = 0  # other editions of stored documents (duplicate_of), not counted in the totals
    pages: int = 0
    passages: int = 0
    words: int = 0
    seconds: float = 0.0
    executor: dict = field(default_factory=lambda: {"executor": "local"})  # where the per-file work ran
    lineage: LineageChange | None = None  # what the reuse update did (not in --json: see kb reuse)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "documents": self.documents, "editions": self.editions, "pages": self.pages, "passages": self.passages, "words": self.words,
            "new": self.new, "changed": self.changed, "unchanged": self.unchanged, "removed": self.removed,
            "retagged": self.retagged, "reused": self.reused, "indexed": self.indexed,
            "failed": [{"source": f.source, "reason": f.reason, "advice": f.advice, "kept_previous": f.kept_previous}
                       for f in self.failed],
            "warnings": self.warnings, "seconds": round(self.seconds, 3),
            **self.executor,
        }


#: Callback for the CLI: event name and details ("extract-start", total=N), ("file-done", source=..., ok=bool), ...
Progress = Callable[..., None]


def _noop(event: str, **info: object) -> None:
    pass


@contextmanager
def ingest_lock(project: Project, wait: bool = False) -> Iterator[None]:
    """Only one ingest at a time: a second one waits (``wait``) or stops with a clear message."""
    project.ensure_indexes_dir()
    fh = open(project.lock_path, "a+")
    try:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fh, flags)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                raise StoreBusy(
                    f"Another `kb ingest` is running ({holder}) on {project.home}. "
                    "Wait for it to finish, or run with --wait to queue behind it."
                ) from None
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()


def discover(project: Project, paths: Sequence[str | os.PathLike] | None = None
             ) -> tuple[list[Path], list[str], list[Path]]:
    """Files to ingest (absolute, sorted), the corpus-relative prefixes they cover (for removals), and links
    that point outside the corpus (never followed: the site would publish whatever they point to)."""
    corpus = project.corpus_dir.resolve()
    roots: list[Path] = []
    if not paths:
        roots = [corpus]
    else:
        for p in paths:
            path = Path(p).expanduser().resolve()
            if not path.exists():
                raise UsageError(f"{p} does not exist.")
            if path != corpus and corpus not in path.parents:
                raise UsageError(
                    f"{p} is outside the corpus folder {corpus}. Copy it into corpus/ and run `kb ingest` again."
                )
            roots.append(path)
    files: set[Path] = set()
    outside: set[Path] = set()
    for root in roots:
        candidates = [root] if root.is_file() else root.rglob("*")
        for f in candidates:
            rel = f.relative_to(corpus)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if f.is_file() and not (len(rel.parts) == 1 and rel.name in CONTROL_FILES):
                target = f.resolve()
                if target != corpus and corpus not in target.parents:
                    outside.add(f)
                else:
                    files.add(f)
    scopes = sorted({r.relative_to(corpus).as_posix() if r != corpus else "" for r in roots})
    return sorted(files), scopes, sorted(outside)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _catalog_hash(entry: CatalogEntry | None) -> str:
    if entry is None:
        return ""
    data = {k: v for k, v in entry.__dict__.items() if k != "line"}
    data["published"] = entry.published.value if entry.published else None
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def paths_given(scopes: list[str]) -> bool:
    """True when the ingest was limited to some files or folders of the corpus."""
    return scopes != [""]


def _in_scope(source: str, scopes: list[str]) -> bool:
    return any(s == "" or source == s or source.startswith(s.rstrip("/") + "/") for s in scopes)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def ingest(
    project: Project,
    paths: Sequence[str | os.PathLike] | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    wait: bool = False,
    progress: Progress = _noop,
    scheduler: str | None = None,
    executor: Executor | None = None,
) -> IngestReport:
    """Ingest the corpus (or the given files/folders inside it) and bring store and search index up to date.

    The per-file work runs in ``jobs`` local processes, or on the Dask cluster whose scheduler is at
    ``scheduler`` (tcp://HOST:8786), or with ``executor`` when one is given (the caller then closes it);
    storing and indexing always happen here.
    """
    from kb.nlp.vocabulary import load_vocabulary, vocabulary_fingerprint

    started = time.monotonic()
    report = IngestReport()
    catalog = load_catalog(project.catalog_path)  # errors in the catalog or vocabulary stop before any work
    vocabulary = load_vocabulary(project.vocabulary_path) if project.vocabulary_path.exists() else []
    vocab_fp = vocabulary_fingerprint(vocabulary)
    _ = project.settings  # a mistake in kb.toml stops here too
    files, scopes, outside = discover(project, paths)
    corpus = project.corpus_dir.resolve()
    owned = executor is None
    if executor is None:
        executor = open_executor(scheduler, jobs)  # an unreachable cluster stops the ingest before any change
    report.executor = {"executor": executor.name}
    try:
        _ingest_with(project, catalog, vocabulary, vocab_fp, files, scopes, outside, corpus, force, executor,
                     timeout, wait, progress, report)
    finally:
        report.executor = executor.summary()
        if owned:
            executor.close()
    report.seconds = time.monotonic() - started
    return report


def open_executor(scheduler: str | None = None, jobs: int | None = None) -> Executor:
    """The local pool, or the Dask cluster whose scheduler listens at ``scheduler`` ("local" or empty: the pool).

    Connecting to a cluster happens here, so an unreachable scheduler stops an ingest before it changes anything.
    """
    if not scheduler or scheduler.strip().lower() == "local":
        from kb.ingest.pool import LocalExecutor

        return LocalExecutor(jobs)
    from kb.ingest.cluster import DaskExecutor  # imports dask only now

    return DaskExecutor(scheduler.strip())


def _ingest_with(project, catalog, vocabulary, vocab_fp, files, scopes, outside, corpus, force,
                 executor: Executor, timeout, wait, progress, report) -> None:
    """Everything the ingest changes in the store is one transaction, committed last and naming the index
    generation written for it: readers see the knowledge base before the ingest until that commit, and after it
    from then on, whatever stops the ingest (an interrupt, a kill, a full disk, a crash)."""
    from kb.index import generations

    with ingest_lock(project, wait=wait):
        fresh = not project.store_path.exists()
        # A first ingest builds its store beside the final name and renames it there once committed, so an
        # interrupted one leaves no knowledge base, as before it.
        path = project.store_path.with_name(project.store_path.name + ".new") if fresh else project.store_path
        if fresh:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        store = Store.open(path, create=True)
        written: str | None = None
        try:
            with store.transaction():
                for link in outside:
                    failure = Failure(link.relative_to(corpus).as_posix(), "link to a file outside the corpus folder",
                                      "copy the file into corpus/ instead of linking to it")
                    _fail(store, report, progress, failure)
                written = _ingest_locked(project, store, catalog, vocabulary, vocab_fp, files, scopes, corpus,
                                         force, executor, timeout, progress, report)
                checkpoint("commit")
            if fresh:
                store.checkpoint_wal()
                store.close()
                os.replace(path, project.store_path)
                generations.sync_folder(project.indexes_dir)
                store = Store.open(project.store_path)
            checkpoint("committed")
            FinishedWork(project.indexes_dir, EXTRACTION_VERSION).clear()
            if written:  # the switch is made; what follows only tidies
                generations.point_link(project.indexes_dir, written)
                checkpoint("linked")
                generations.clean(project.indexes_dir, keep=written)
        finally:
            (report.documents, report.pages, report.passages, report.words,
             report.editions) = store.corpus_totals()
            store.close()


#: Raised whenever a release changes what kb reads from a file (text, pages, title, publisher, date): a
#: knowledge base built by an earlier release then reads every file again once, so an upgrade never leaves old
#: metadata beside new. Stored in the store's meta as "extraction_version".
EXTRACTION_VERSION = "3"


def _ingest_locked(project, store, catalog, vocabulary, vocab_fp, files, scopes, corpus, force,
                   executor: Executor, timeout, progress, report) -> str:
    """The ingest's work inside its transaction; returns the name of the index generation written for it."""
    known = store.fingerprints()
    previous_failures = {f["source"]: f for f in store.failures()}
    whole = not paths_given(scopes)
    read_with = store.get_meta("extraction_version")
    if known and whole and not force and read_with != EXTRACTION_VERSION:
        report.warnings.append(
            f"these {len(known)} files were read by an earlier kb (extraction version {read_with or 1}; now "
            f"{EXTRACTION_VERSION}): every file is read again this once, so titles, publishers and dates follow the "
            "new rules")
        force = True
    if not known:  # everything this run stores is read by this kb
        store.set_meta("extraction_version", EXTRACTION_VERSION)
    if force:
        store.mark_all_unindexed()
    # Which files need work?
    tasks: list[FileTask] = []
    shas: dict[str, str] = {}
    stats: dict[str, os.stat_result] = {}
    # Catalog ids are reserved first, so an automatic id never takes one; a stored document whose automatic
    # id a catalog entry now claims for another file is ingested again under a new id.
    catalog_ids = {e.id: e.file for e in catalog.values() if e.id}
    taken_ids = {rec["id"]: src for src, rec in known.items() if rec["id"] not in catalog_ids}
    taken_ids.update(catalog_ids)
    progress("scan-start", total=len(files))
    for path in files:
        source = path.relative_to(corpus).as_posix()
        entry = catalog.get(source)
        try:
            st = path.stat()
            stats[source] = st
            rec = known.get(source)
            chash = _catalog_hash(entry)
            displaced = rec is not None and catalog_ids.get(rec["id"], source) != source
            if (not force and not displaced and rec and rec["file_size"] == st.st_size and rec["file_mtime_ns"] == st.st_mtime_ns
                    and rec["catalog_hash"] == chash):
                report.unchanged += 1
                continue
            sha = sha256_file(path)
        except OSError as exc:
            _fail(store, report, progress, Failure(source, f"cannot read file ({exc.strerror or exc})",
                                                   "check its permissions", kept_previous=source in known))
            continue
        shas[source] = sha
        if not force and not displaced and rec and rec["sha256"] == sha and rec["catalog_hash"] == chash:
            with store.transaction():
                store.touch_document(rec["id"], st.st_size, st.st_mtime_ns)
            report.unchanged += 1
            continue
        prev = previous_failures.get(source)
        if not force and prev and prev["sha256"] == sha and not paths_given(scopes):
            # Not parsed again (a file that hung would cost the time limit on every run); naming it retries it.
            not_retried = Failure(source, prev["reason"] + " (unchanged since the last attempt)",
                                  f"{prev['advice']}; to retry it, name it: kb ingest {shlex.quote('corpus/' + source)}",
                                  kept_previous=source in known)
            report.failed.append(not_retried)
            progress("failure", failure=not_retried)
            continue
        doc_id = _choose_id(source, entry, taken_ids)
        tasks.append(FileTask(str(path), source, doc_id, tag=not (entry and entry.duplicate_of)))
    progress("scan-done", unchanged=report.unchanged, todo=len(tasks))

    # Files that left the corpus (within the scanned scope) leave the knowledge base.
    present = {p.relative_to(corpus).as_posix() for p in files}
    for entry in catalog.values():
        if entry.file not in present and not paths_given(scopes) and not (corpus / entry.file).is_symlink():
            report.warnings.append(f"catalog.toml, line {entry.line}: no file {entry.file!r} in corpus/ (a typo, or a"
                                   " file that was removed?); its metadata is not used")
    for source, rec in sorted(known.items()):
        if source not in present and _in_scope(source, scopes):
            with store.transaction():
                store.delete_document(rec["id"])
                store.clear_failure(source)
            report.removed.append(rec["id"])
            progress("removed", doc_id=rec["id"], source=source)
    checkpoint("scanned")

    tagger = LazyTagger(vocabulary)
    if tasks and not executor.tags_remotely:
        tagger.warm_up()  # load spaCy while the workers start extracting
    # Extract in parallel; tag (unless the workers did) and store each result as it arrives.
    progress("extract-start", total=len(tasks))
    def file_progress(task: FileTask, info: dict) -> None:
        progress("file-progress", source=task.source, **info)

    finished = FinishedWork(project.indexes_dir, EXTRACTION_VERSION)
    kept = {t.source: r for t in tasks
            if (r := finished.get(t, shas[t.source], _catalog_hash(catalog.get(t.source)))) is not None}
    report.reused = len(kept)
    spool = FingerprintSpool(project.indexes_dir)
    results = itertools.chain((TaskResult(t, value=kept[t.source]) for t in tasks if t.source in kept),
                              executor.run([t for t in tasks if t.source not in kept], timeout, vocabulary,
                                           on_progress=file_progress))
    for result in results:
        task: FileTask = result.task
        failure: Failure | None
        if result.timed_out:
            failure = Failure(task.source, f"extraction took longer than {timeout:g} s and was stopped",
                              "check the file opens in a viewer, or raise the limit with --timeout",
                              kept_previous=task.source in known)
        elif isinstance(result.error, ExtractionError):
            failure = Failure(task.source, result.error.reason, result.error.advice, kept_previous=task.source in known)
        elif result.error is not None:
            failure = Failure(task.source, f"could not be read ({type(result.error).__name__}: {result.error})",
                              "check the file opens in a viewer; report a bug if it does",
                              kept_previous=task.source in known)
        else:
            failure = None
        if failure:
            _fail(store, report, progress, failure, shas.get(task.source))
            progress("file-done", source=task.source, ok=False)
            continue
        try:
            tagged = _store_result(store, task, result.value, catalog.get(task.source), stats[task.source],
                                   shas[task.source], tagger, vocab_fp)
        except Exception as exc:  # one document's tagging or metadata must not stop the corpus
            log.exception("storing %s failed", task.source)
            failure = Failure(task.source, f"could not be tagged or stored ({type(exc).__name__}: {exc})",
                              "report a bug with this file; the rest of the corpus was ingested",
                              kept_previous=task.source in known)
            _fail(store, report, progress, failure, shas.get(task.source))
            progress("file-done", source=task.source, ok=False)
            continue
        if task.source not in kept:  # for the next run, should this one stop before it commits
            finished.put(task, shas[task.source], _catalog_hash(catalog.get(task.source)), tagged)
        spool.put(task.doc_id, len(tagged.passages), tagged.fingerprints)
        (report.changed if task.source in known else report.new).append(task.doc_id)
        report.warnings.extend(f"{task.source}: {w}" for w in result.value.warnings)
        progress("file-done", source=task.source, ok=True)
        checkpoint("stored")

    try:
        with store.transaction():
            settle_copies(store)
            # reuse between documents: new and changed ones against the rest, from the workers' fingerprints
            report.lineage = update_lineage(store, fingerprints=spool.get)
            update_term_counts(store)  # candidate terms per document, for kb emerging (kb.nlp.phrases)
    finally:
        spool.close()
    checkpoint("copies")

    # Documents stored with an older vocabulary (or never tagged) are tagged again from their stored passages.
    stale = store.stale_documents(vocab_fp)
    if stale:
        progress("tag-start", total=len(stale))
        for doc_id in stale:
            passages = store.passages(doc_id)
            for _, mentions, acronyms in tagger.get().tag([(doc_id, passages)]):
                with store.transaction():
                    store.replace_mentions(doc_id, mentions, acronyms, vocab_fp)
            report.retagged += 1
            progress("tagged", doc_id=doc_id)
            checkpoint("tagged")

    from kb.nlp.glossary import finalize

    progress("stage", name="glossary")
    try:
        finalize(store, vocabulary, reject=project.settings.reject)  # marks the documents whose mentions changed for re-indexing
    except Exception as exc:  # the search index is still brought up to date with what is stored
        log.exception("the corpus glossary step failed")
        failure = Failure("(corpus glossary)", f"discovered concepts could not be updated ({type(exc).__name__}: {exc})",
                          "search works on what is stored; report a bug and run kb ingest --force after upgrading")
        report.failed.append(failure)
        progress("failure", failure=failure)

    tagger.settle()
    checkpoint("glossary")
    # Failures are the ingest's notes: after it they list exactly the files of its scope that failed in it.
    failed_now = {f.source for f in report.failed}
    for row in store.failures():
        gone = not (corpus / row["source"]).exists()  # whatever the scope: a file that left fails no more
        if (gone or _in_scope(row["source"], scopes)) and row["source"] not in failed_now:
            store.clear_failure(row["source"])
    if whole:
        store.set_meta("extraction_version", EXTRACTION_VERSION)
    return _write_index(project, store, force, progress, report)


def _write_index(project: Project, store: Store, force: bool, progress: Progress, report: IngestReport) -> str:
    """Write the search index for the store's new state into a new generation (the current one is left as it is,
    for readers and in case the ingest stops); return its name, which the caller commits into the store."""
    from kb import index
    from kb.index import generations

    progress("stage", name="index")
    indexes = project.indexes_dir
    current_name = store.get_meta(generations.META_KEY)
    generations.clean(indexes, keep=current_name)  # what an interrupted ingest left
    current = generations.folder_of(indexes, current_name)
    if (current_name and not force and index.exists(current) and index.index_version(current) == index.INDEX_VERSION
            and not store.unindexed_documents() and not store.pending_index_deletions()):
        return current_name  # nothing to write: the current generation goes with the new state too
    folder = indexes / (name := generations.next_name(indexes, current_name))
    if not force and index.exists(current):
        generations.start_from(current, folder)
    if not index.exists(folder):
        store.mark_all_unindexed()
    progress("index-start", total=len(store.unindexed_documents()))
    checkpoint("index")

    def step(n: int) -> None:
        checkpoint("indexing")

    if force or not index.exists(folder):
        report.indexed = len(index.rebuild(store, folder, step))
    else:
        report.indexed = len(index.sync(store, folder, step)[0])
    checkpoint("indexed")
    store.set_meta(generations.META_KEY, name)
    return name


def _choose_id(source: str, entry: CatalogEntry | None, taken: dict[str, str]) -> str:
    if entry and entry.id:
        doc_id = entry.id
    else:
        doc_id = slugify(source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source)
        if taken.get(doc_id, source) != source:
            doc_id = f"{doc_id}-{hashlib.sha256(source.encode()).hexdigest()[:6]}"
    taken[doc_id] = source
    return doc_id


def _store_result(store: Store, task: FileTask, result: FileResult, entry: CatalogEntry | None,
                  st: os.stat_result, sha: str, tagger: LazyTagger, vocab_fp: str) -> FileResult:
    """Store one file's result (tagging it here unless a worker did); return it with its tags."""
    meta = resolve_metadata(task.source, entry, result.extraction, result.text)
    doc = {
        "id": task.doc_id,
        "source": task.source,
        "sha256": sha,
        "file_size": st.st_size,
        "file_mtime_ns": st.st_mtime_ns,
        "catalog_hash": _catalog_hash(entry),
        "format": result.extraction.format,
        **meta,
        "pages": len(result.pages),
        "passages": len(result.passages),
        "words": sum(p.words for p in result.passages),
        "text": result.text,
        "warnings": result.warnings,
        "ocr": result.extraction.metadata.get("ocr"),
        "ingested_at": _now(),
    }
    if meta["duplicate_of"]:
        mentions, acronyms = [], []
    elif result.tags is not None and result.tags[2] == vocab_fp:  # tagged by a cluster worker
        mentions, acronyms = result.tags[0], result.tags[1]
    else:
        _, mentions, acronyms = next(iter(tagger.get().tag([(task.doc_id, result.passages)])))
    with store.transaction():
        store.replace_document(doc, result.pages, result.passages)
        store.replace_mentions(task.doc_id, mentions, acronyms, vocab_fp)
        store.clear_failure(task.source)
    return dataclasses.replace(result, tags=(mentions, acronyms, vocab_fp))


def _fail(store: Store, report: IngestReport, progress: Progress, failure: Failure, sha: str | None = None) -> None:
    """Record a file that could not be ingested (with its hash when known, so it is not parsed again unchanged)."""
    with store.transaction():
        store.record_failure(failure.source, sha, failure.reason, failure.advice, _now())
    report.failed.append(failure)
    progress("failure", failure=failure)
