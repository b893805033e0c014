"""`kb ingest`: bring the knowledge base in line with the corpus folder, incrementally and all or nothing.

Files are discovered, fingerprinted (size+mtime, then sha256), and only new or changed ones are extracted, in
worker processes with a time limit per file. The whole ingest (documents, corpus glossary, copies, failures)
is one store transaction; the search index is written into a new generation folder, and the commit that names
it is the one moment the knowledge base changes (see ``_ingest_with`` and kb/index/generations.py).
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import itertools
import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kb.errors import ExtractionError, StoreBusy, UsageError
from kb.ingest.catalog import CatalogEntry, load_catalog
from kb.ingest.checkpoints import checkpoint
from kb.ingest.copies import settle_copies
from kb.ingest.metadata import resolve_metadata
from kb.ingest.report import (
    ExtractStarted,
    Failure,
    FileDone,
    FileFailed,
    FileProgress,
    IndexStarted,
    IngestReport,
    Progress,
    StageStarted,
    Tagged,
    TagStarted,
    fail,
    noop,
    now,
)
from kb.ingest.resume import FingerprintSpool, FinishedWork
from kb.ingest.scan import Plan, catalog_hash, in_scope, paths_given, plan_work, remove_gone
from kb.ingest.tagger import LazyTagger
from kb.ingest.tasks import Executor, TaskResult
from kb.ingest.worker import FileResult, FileTask
from kb.lineage import update_lineage
from kb.nlp.phrases import update_term_counts
from kb.project import CONTROL_FILES, Project
from kb.store import Store

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 180.0


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


def ingest(
    project: Project,
    paths: Sequence[str | os.PathLike] | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    wait: bool = False,
    progress: Progress = noop,
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
                    fail(store, report, progress, failure)
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
EXTRACTION_VERSION = "19"


def _ingest_locked(project, store, catalog, vocabulary, vocab_fp, files, scopes, corpus, force,
                   executor: Executor, timeout, progress, report) -> str:
    """The ingest's work inside its transaction, stage by stage (each ends at a checkpoint the interrupted-ingest
    test stops at); returns the name of the index generation written for it."""
    known = store.fingerprints()
    force = _check_extraction_version(store, known, scopes, force, report)
    plan = plan_work(store, known, catalog, files, scopes, corpus, force, report, progress)
    remove_gone(store, catalog, files, scopes, corpus, plan.known, report, progress)
    checkpoint("scanned")
    tagger = LazyTagger(vocabulary)
    spool = FingerprintSpool(project.indexes_dir)
    try:
        _extract_and_store(project, store, catalog, vocabulary, vocab_fp, plan, executor, timeout, tagger, spool,
                           progress, report)
        with store.transaction():
            settle_copies(store)
            # reuse between documents: new and changed ones against the rest, from the workers' fingerprints
            report.lineage = update_lineage(store, fingerprints=spool.get)
            update_term_counts(store)  # candidate terms per document, for kb emerging (kb.nlp.phrases)
    finally:
        spool.close()
    checkpoint("copies")
    _retag(store, tagger, vocab_fp, progress, report)
    _update_glossary(project, store, vocabulary, progress, report)
    tagger.settle()
    checkpoint("glossary")
    _forget_fixed_failures(store, corpus, scopes, report)
    if not paths_given(scopes):
        store.set_meta("extraction_version", EXTRACTION_VERSION)
    return _write_index(project, store, force, progress, report)


def _check_extraction_version(store: Store, known: dict[str, dict], scopes: list[str], force: bool,
                              report: IngestReport) -> bool:
    """Whether every file must be read again: asked for, or read by a kb whose extraction rules differ."""
    read_with = store.get_meta("extraction_version")
    if known and not paths_given(scopes) and not force and read_with != EXTRACTION_VERSION:
        report.warnings.append(
            f"these {len(known)} files were read by an earlier kb (extraction version {read_with or 1}; now "
            f"{EXTRACTION_VERSION}): every file is read again this once, so titles, publishers and dates follow the "
            "new rules")
        force = True
    if not known:  # everything this run stores is read by this kb
        store.set_meta("extraction_version", EXTRACTION_VERSION)
    if force:
        store.mark_all_unindexed()
    return force


def _extract_and_store(project: Project, store: Store, catalog: dict, vocabulary, vocab_fp: str, plan: Plan,
                       executor: Executor, timeout: float, tagger: LazyTagger, spool: FingerprintSpool,
                       progress: Progress, report: IngestReport) -> None:
    """Extract the planned files in parallel; tag (unless the workers did) and store each result as it arrives.
    Results an ingest that was stopped had finished are taken from indexes/unfinished/ instead."""
    tasks, known, shas = plan.tasks, plan.known, plan.shas
    if tasks and not executor.tags_remotely:
        tagger.warm_up()  # load spaCy while the workers start extracting
    progress(ExtractStarted(len(tasks)))

    def file_progress(task: FileTask, info: dict) -> None:
        progress(FileProgress(source=task.source, **info))

    finished = FinishedWork(project.indexes_dir, EXTRACTION_VERSION)
    kept = {t.source: r for t in tasks
            if (r := finished.get(t, shas[t.source], catalog_hash(catalog.get(t.source)))) is not None}
    report.reused = len(kept)
    results = itertools.chain((TaskResult(t, value=kept[t.source]) for t in tasks if t.source in kept),
                              executor.run([t for t in tasks if t.source not in kept], timeout, vocabulary,
                                           on_progress=file_progress))
    for result in results:
        task: FileTask = result.task
        failure = _failure_of(result, timeout, task.source in known)
        if failure is None:
            try:
                tagged = _store_result(store, task, result.value, catalog.get(task.source), plan.stats[task.source],
                                       shas[task.source], tagger, vocab_fp)
            except Exception as exc:  # one document's tagging or metadata must not stop the corpus
                log.exception("storing %s failed", task.source)
                failure = Failure(task.source, f"could not be tagged or stored ({type(exc).__name__}: {exc})",
                                  "report a bug with this file; the rest of the corpus was ingested",
                                  kept_previous=task.source in known)
        if failure is not None:
            fail(store, report, progress, failure, shas.get(task.source))
            progress(FileDone(task.source, ok=False))
            continue
        if task.source not in kept:  # for the next run, should this one stop before it commits
            finished.put(task, shas[task.source], catalog_hash(catalog.get(task.source)), tagged)
        spool.put(task.doc_id, len(tagged.passages), tagged.fingerprints)
        (report.changed if task.source in known else report.new).append(task.doc_id)
        report.warnings.extend(f"{task.source}: {w}" for w in result.value.warnings)
        progress(FileDone(task.source, ok=True))
        checkpoint("stored")


def _failure_of(result: TaskResult, timeout: float, kept_previous: bool) -> Failure | None:
    """The one-line failure of a file whose extraction timed out or raised, else None."""
    source = result.task.source
    if result.timed_out:
        return Failure(source, f"extraction took longer than {timeout:g} s and was stopped",
                       "check the file opens in a viewer, or raise the limit with --timeout", kept_previous)
    if isinstance(result.error, ExtractionError):
        return Failure(source, result.error.reason, result.error.advice, kept_previous)
    if result.error is not None:
        return Failure(source, f"could not be read ({type(result.error).__name__}: {result.error})",
                       "check the file opens in a viewer; report a bug if it does", kept_previous)
    return None


def _retag(store: Store, tagger: LazyTagger, vocab_fp: str, progress: Progress, report: IngestReport) -> None:
    """Documents stored with an older vocabulary (or never tagged) are tagged again from their stored passages."""
    stale = store.stale_documents(vocab_fp)
    if not stale:
        return
    progress(TagStarted(len(stale)))
    for doc_id in stale:
        passages = store.passages(doc_id)
        for _, mentions, acronyms in tagger.get().tag([(doc_id, passages)]):
            with store.transaction():
                store.replace_mentions(doc_id, mentions, acronyms, vocab_fp)
        report.retagged += 1
        progress(Tagged(doc_id))
        checkpoint("tagged")


def _update_glossary(project: Project, store: Store, vocabulary, progress: Progress, report: IngestReport) -> None:
    """The corpus glossary (kb.nlp.glossary.finalize); it marks the documents whose mentions changed for
    re-indexing. A failure is reported and the index still brought up to date with what is stored."""
    from kb.nlp.glossary import finalize

    progress(StageStarted("glossary"))
    try:
        finalize(store, vocabulary, reject=project.settings.reject)
    except Exception as exc:
        log.exception("the corpus glossary step failed")
        failure = Failure("(corpus glossary)", f"discovered concepts could not be updated ({type(exc).__name__}: {exc})",
                          "search works on what is stored; report a bug and run kb ingest --force after upgrading")
        report.failed.append(failure)
        progress(FileFailed(failure))


def _forget_fixed_failures(store: Store, corpus: Path, scopes: list[str], report: IngestReport) -> None:
    """Failures are the ingest's notes: after it they list exactly the files of its scope that failed in it."""
    failed_now = {f.source for f in report.failed}
    for row in store.failures():
        gone = not (corpus / row["source"]).exists()  # whatever the scope: a file that left fails no more
        if (gone or in_scope(row["source"], scopes)) and row["source"] not in failed_now:
            store.clear_failure(row["source"])


def _write_index(project: Project, store: Store, force: bool, progress: Progress, report: IngestReport) -> str:
    """Write the search index for the store's new state into a new generation (the current one is left as it is,
    for readers and in case the ingest stops); return its name, which the caller commits into the store."""
    from kb import index
    from kb.index import generations

    progress(StageStarted("index"))
    indexes = project.indexes_dir
    current_name = store.get_meta(generations.META_KEY)
    generations.clean(indexes, keep=current_name)  # what an interrupted ingest left
    current = generations.folder_of(indexes, current_name)
    engine = index.backend()
    if (current_name and not force and engine.up_to_date(current)
            and not store.unindexed_documents() and not store.pending_index_deletions()):
        return current_name  # nothing to write: the current generation goes with the new state too
    folder = indexes / (name := generations.next_name(indexes, current_name))
    if not force and engine.exists(current):
        generations.start_from(current, folder)
    if not engine.exists(folder):
        store.mark_all_unindexed()
    progress(IndexStarted(len(store.unindexed_documents())))
    checkpoint("index")

    def step(n: int) -> None:
        checkpoint("indexing")

    if force or not engine.exists(folder):
        report.indexed = len(engine.rebuild(store, folder, step))
    else:
        report.indexed = len(engine.sync(store, folder, step)[0])
    checkpoint("indexed")
    store.set_meta(generations.META_KEY, name)
    return name


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
        "catalog_hash": catalog_hash(entry),
        "format": result.extraction.format,
        **meta,
        "pages": len(result.pages),
        "passages": len(result.passages),
        "words": sum(p.words for p in result.passages),
        "text": result.text,
        "warnings": result.warnings,
        "ocr": result.extraction.metadata.get("ocr"),
        "ingested_at": now(),
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
