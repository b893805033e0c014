"""Opening, building and syncing the index from the store: segments written in memory and flushed at a
size, deleted passages purged, leftovers of dead writers cleaned, a rebuild swapped in atomically.

Replaces Whoosh's writer and merge policy for kb's builds, because Whoosh's pool sorts every posting through
pickles on disk (``memory`` gathers them in memory instead), its merge policy picks segments by size, not by
how many of their passages are deleted (deleted passages stay in BM25's statistics until rewritten), and one
writer writes one segment: kb writes segments of bounded size, rewrites segments with many deleted passages,
writes large rebuilds with two processes and swaps a rebuild in whole.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
from whoosh.filedb.filestore import FileStorage

from kb.errors import StoreError
from kb.index.analysis import log
from kb.index.whoosh import schema as _schema
from kb.index.whoosh.folder import (  # noqa: F401  (opened and checked through the writer's module too)
    _VERSION_FILE,
    INDEX_VERSION,
    _clean_leftovers,
    _clear_write_lock,
    ensure_sidecars,
    exists,
    index_version,
    open_index,
)
from kb.index.whoosh.memory import MemoryWriter
from kb.index.whoosh.schema import INDEX_NAME, _doc_fields, frequent_terms, schema


def _create(index_dir: Path, store, frequent: frozenset | None = None):
    from whoosh import index

    Path(index_dir).mkdir(parents=True, exist_ok=True)
    if frequent is None:
        frequent = frequent_terms(store) if _schema.BIGRAMS else frozenset()
    sch = schema(frequent=frequent)
    ix = index.create_in(str(index_dir), sch, indexname=INDEX_NAME)
    (Path(index_dir) / _VERSION_FILE).write_text(INDEX_VERSION + "\n", "utf-8")
    return ix


#: From this many passages to (re)build, a second process writes half of them as a segment of its own.
PARALLEL_THRESHOLD = 20_000


class PrivateTemp(FileStorage):
    """The index folder, with temporary files in a folder of this writer's own.

    Whoosh names a writer's temporary folder after the index ("MAIN.tmp") and deletes it when the writer
    finishes; with two segment writers at once, the first to finish deleted the other's spilled columns. The
    writer and its per-document writer each ask for a temporary folder and only the writer's is deleted, so
    both get the same one (named after the process; ``_clean_leftovers`` removes those of dead processes).
    """

    def temp_storage(self, name=None):
        return super().temp_storage(f"{name or 'tmp'}-{os.getpid()}")


@lru_cache(maxsize=1)
def _private_temp_storage(index_dir: Path) -> PrivateTemp:
    return PrivateTemp(str(index_dir))


def _write(writer, store, ix, doc_ids: list[str], progress: Callable[[int], None] | None,
           delete: Sequence[str] = (), originals: set[str] | None = None) -> None:
    """Delete then add documents' passages in one commit; cancel the writer on any error or interrupt.

    Segments left with many deleted passages (``_segments_to_rewrite``) are dropped and their live documents
    indexed again, from the store, into the new segments (``originals``: the documents that may be indexed).
    The passages go into segments of bounded size (``_write_segments``) written beside ``writer``, which holds
    the index's lock and lists them all in its one commit.
    """
    added: list = []
    try:
        for doc_id in delete:
            writer.delete_by_term("doc_id", doc_id)
        rewrite, again = _rewrite_closure(writer, _segments_to_rewrite(writer.segments))
        if originals is not None:
            again &= originals
        again -= set(doc_ids)
        if again:
            log.info("search index: re-indexing %d documents to drop deleted passages", len(again))
        bigrams = "bigrams" in ix.schema
        rows = itertools.chain(_passage_rows(store, bigrams, doc_ids, progress),
                               _passage_rows(store, bigrams, sorted(again), None))
        _write_segments(Path(writer.storage.folder), rows, added)
        dropped = {seg.segment_id() for seg in rewrite}
        writer.commit(mergetype=lambda w, segments: [seg for seg in segments if seg.segment_id() not in dropped]
                      + added)
    except BaseException:
        writer.cancel()
        _discard(writer.storage, added)
        raise


def _discard(storage, segments: list) -> None:
    """Delete the files of segments written but never listed (a failed or interrupted sync)."""
    for seg in segments:
        prefix = f"{INDEX_NAME}_{seg.segment_id()}"
        for name in list(storage.list()):
            if name.startswith(prefix):
                storage.delete_file(name)


#: A sync rewrites a segment without its deleted passages once they are this share of it, or whenever it has
#: deletions and holds at most PURGE_ALWAYS_UP_TO passages; see ``_segments_to_rewrite``.
PURGE_SHARE = 0.1


PURGE_ALWAYS_UP_TO = 5_000


#: More segments than this after a sync: the smallest of those up to PURGE_ALWAYS_UP_TO passages are rewritten
#: into the new one.
MAX_SEGMENTS = 6


def _segments_to_rewrite(segments: list) -> list:
    """The segments a sync re-indexes from the store (deletions applied), so that deleted passages go.

    Whoosh only marks passages deleted: they stay in the segment, in its document count and in every term's
    document frequency (so in BM25's idf) until the segment is rewritten, and piled up with every re-ingest.
    Whoosh's own merge would rewrite them, but it stores each passage's length rounded to its one-byte form,
    so the average length (and every score) would drift from a fresh build; re-indexing the segment's live
    documents from the store gives exactly what ``rebuild`` gives. Cost: indexing those passages again, so a
    large segment waits until a tenth of it is deleted.
    """
    out = []
    for seg in segments:
        dead, every = seg.deleted_count(), seg.doc_count_all()
        if dead and (every <= PURGE_ALWAYS_UP_TO or dead >= PURGE_SHARE * every):
            out.append(seg)
    # Too many segments: the small ones (a rebuild's full-size segments never count as small) are merged.
    rest = sorted((seg for seg in segments if seg not in out), key=lambda seg: seg.doc_count_all())
    small = [seg for seg in rest if seg.doc_count_all() <= PURGE_ALWAYS_UP_TO]
    while small and len(rest) + 1 > MAX_SEGMENTS:
        seg = small.pop(0)
        rest.remove(seg)
        out.append(seg)
    return out


def _live_doc_ids(storage, schema, segment) -> set[str]:
    """Doc ids of the passages of ``segment`` that are not deleted."""
    from whoosh.reading import SegmentReader

    reader = SegmentReader(storage, schema, segment)
    try:
        names = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("doc_id")]
        return {name for name in names if any(True for _ in reader.postings("doc_id", name).all_ids())}
    finally:
        reader.close()


def _rewrite_closure(writer, rewrite: list) -> tuple[list, set[str]]:
    """The segments to rewrite and the live documents to index again from them.

    A large document's passages span several segments and are indexed again whole, so every segment holding
    live passages of such a document is rewritten too (or its passages there would be indexed twice).
    """
    if not rewrite:
        return [], set()
    live = {seg.segment_id(): _live_doc_ids(writer.storage, writer.schema, seg) for seg in writer.segments}
    chosen = {seg.segment_id() for seg in rewrite}
    while True:
        again: set[str] = set().union(*(live[i] for i in chosen))
        more = {i for i, docs in live.items() if i not in chosen and docs & again}
        if not more:
            return [seg for seg in writer.segments if seg.segment_id() in chosen], again
        chosen |= more


def _passage_rows(store, bigrams: bool, doc_ids: list[str], progress: Callable[[int], None] | None
                  ) -> Iterator[dict]:
    """The index fields of every passage of ``doc_ids``, in order, read from the store a batch at a time;
    ``progress`` is told of each batch once it has been taken."""
    for doc_id in doc_ids:
        batch = 0
        for fields in _doc_fields(store, doc_id, bigrams):
            yield fields
            batch += 1
            if progress and batch == PROGRESS_EVERY:
                progress(batch)
                batch = 0
        if progress and batch:
            progress(batch)


#: Passages between two progress reports of a segment writer.
PROGRESS_EVERY = 500


#: A segment writer flushes its segment to disk and starts another at the first document boundary after the
#: postings it gathers in memory reach about this many bytes, so that a writer's memory stays bounded whatever
#: the size of the collection. The benchmark corpus (180 postings a passage) fills a segment every ~63,000
#: passages: a 1,000,000-passage rebuild has 16 segments and peaks under 1 GB for the whole process tree.
SEGMENT_BYTES = 448 * 2**20


#: A document still being added when the postings reach this multiple of SEGMENT_BYTES is cut there and goes on
#: in the next segment: memory stays bounded whatever the size of one document (a 50 MB one ingests within
#: 1 GB for the whole process tree). Only such documents span segments, so a sync that rewrites a segment
#: rewrites its neighbours only when they share one (``_rewrite_closure``).
SEGMENT_STRETCH = 1.25


def _write_segment(index_dir: Path, store, doc_ids: list[str], progress: Callable[[int], None] | None) -> list:
    """Write the passages of ``doc_ids`` as new segments (of about SEGMENT_BYTES of postings each) of the index
    at ``index_dir``; return them."""
    segments: list = []
    bigrams = "bigrams" in _schema_of(index_dir)
    _write_segments(index_dir, _passage_rows(store, bigrams, doc_ids, progress), segments)
    return segments


def _schema_of(index_dir: Path):
    ix = _private_temp_storage(index_dir).open_index(indexname=INDEX_NAME)
    try:
        return ix.schema
    finally:
        ix.close()


def _write_segments(index_dir: Path, rows: Iterator[dict], segments: list) -> None:
    """Write ``rows`` (passages' index fields) as new segments of the index at ``index_dir``, appending each
    to ``segments`` as it is finished (so a caller can discard them after a failure).

    The segments are not listed in the index's table of contents: the caller, which holds the index's only
    writer, lists them all at once. Passages are read from the store as they are indexed, so only the
    segment being gathered is held in memory.
    """
    pending = next(rows, None)
    while pending is not None:
        segment, pending = _write_one_segment(index_dir, rows, pending)
        segments.append(segment)


def _write_one_segment(index_dir: Path, rows: Iterator[dict], first: dict) -> tuple[object, dict | None]:
    """One segment of ``first`` and the ``rows`` after it, ended after the document that takes its postings
    to SEGMENT_BYTES, or inside a document at SEGMENT_STRETCH times that; return (the segment, the first row of
    the next one or None)."""
    import gc

    ix = _private_temp_storage(index_dir).open_index(indexname=INDEX_NAME)
    writer = MemoryWriter(ix, _lk=False)
    # Millions of long-lived posting tuples make every automatic collection walk them all; none form cycles.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        row: dict | None = first
        pool, budget, most = writer.pool, SEGMENT_BYTES, SEGMENT_BYTES * SEGMENT_STRETCH
        while row is not None:
            writer.add_document(**row)
            doc_id = row["doc_id"]
            row = next(rows, None)
            size = pool.size()
            if size >= most or (size >= budget and (row is None or row["doc_id"] != doc_id)):
                break
        return writer._finalize_segment(), row
    except BaseException:
        writer._close_segment()
        raise
    finally:
        writer._finish()
        ix.close()
        if collecting:
            gc.enable()


def _segment_process(index_dir: str, rows_path: str, ready, done, results) -> None:
    """Worker process: one share of a rebuild, whose passages the parent hands over in ``rows_path`` (the ingest's
    store changes are not committed yet, so another process cannot read them from the store). Reports passages
    done in ``done``; its segments in ``results``."""
    import signal

    from kb.index.whoosh.handoff import read_rows

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means

    def count(n: int) -> None:
        with done.get_lock():
            done.value += n

    try:
        ready.wait()
        segments: list = []
        _write_segments(Path(index_dir), read_rows(Path(rows_path), count, PROGRESS_EVERY), segments)
        results.put(("ok", segments))
    except BaseException as exc:  # reported to the parent, which raises it as a StoreError
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _shares(store, doc_ids: list[str], parts: int) -> list[list[str]]:
    """Split documents (kept in order) into ``parts`` runs holding about the same number of passages."""
    counts = store.passage_counts()
    total = sum(counts.get(d, 0) for d in doc_ids)
    shares: list[list[str]] = [[] for _ in range(parts)]
    seen = 0
    for doc_id in doc_ids:
        shares[min(parts - 1, seen * parts // max(total, 1))].append(doc_id)
        seen += counts.get(doc_id, 0)
    return [s for s in shares if s]


def _build_segments(index_dir: Path, store, doc_ids: list[str], passages: int,
                    progress: Callable[[int], None] | None) -> list:
    """Write ``doc_ids`` into the fresh index at ``index_dir`` as one segment per process; return them."""
    import multiprocessing as mp
    import queue

    procs = 2 if passages >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1 else 1
    shares = _shares(store, doc_ids, procs)
    if len(shares) < 2:
        return _write_segment(index_dir, store, doc_ids, progress)
    from kb.index.whoosh.handoff import write_rows

    ctx = mp.get_context("spawn")
    done, results, ready = ctx.Value("q", 0), ctx.Queue(), ctx.Event()
    rows_path = Path(index_dir) / f".handoff-{os.getpid()}.rows"
    worker = ctx.Process(target=_segment_process, daemon=True,
                         args=(str(index_dir), str(rows_path), ready, done, results))
    worker.start()  # it imports Whoosh while the rows of its share are written out
    reported = 0

    def report(mine: int = 0) -> None:
        nonlocal reported
        theirs = done.value
        if progress:
            progress(mine + theirs - reported)
        reported = theirs

    try:
        write_rows(rows_path, _passage_rows(store, "bigrams" in _schema_of(index_dir), shares[1], None))
        ready.set()
        segments = _write_segment(index_dir, store, shares[0], report)
        while True:
            try:
                status, value = results.get(timeout=0.2)
                break
            except queue.Empty:
                report()
                if not worker.is_alive():
                    raise StoreError("The search index worker stopped unexpectedly. Run `kb ingest` again.") from None
        report()
        if status != "ok":
            raise StoreError(f"Building the search index failed ({value}). Run `kb ingest --force`.")
        worker.join()
        return [*segments, *value]
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()
        rows_path.unlink(missing_ok=True)


def _list_segments(index_dir: Path, segments: list, after: int = 0) -> None:
    """Make ``segments`` the whole content of the fresh index at ``index_dir``, as a generation above ``after``
    (the index it replaces: a long-lived searcher notices a new generation, never a folder swapped under it)."""
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(index_dir))
    toc = whoosh_index.TOC.read(storage, INDEX_NAME)
    generation = max(toc.generation, after) + 1
    whoosh_index.TOC(toc.schema, segments, generation).write(storage, INDEX_NAME)
    whoosh_index.clean_files(storage, INDEX_NAME, generation, segments)


def _generation(index_dir: Path) -> int:
    """The latest generation of the index at ``index_dir`` (-1 without one)."""
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    if not Path(index_dir).is_dir():
        return -1
    return whoosh_index.TOC._latest_generation(FileStorage(str(index_dir)), INDEX_NAME)


def sync(store, index_dir: Path, progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
    """Bring the index in line with the store; return (indexed doc ids, deleted doc ids).

    Deletes the passages of queued deletions and of documents being re-indexed, adds every unindexed
    non-duplicate document, commits once, and only then marks the documents indexed in the store, so a crash
    in between just redoes the work on the next run. ``progress`` is called with a count of passages added.
    """
    index_dir = Path(index_dir)
    deleted = store.pending_index_deletions()
    present = exists(index_dir)
    if present and index_version(index_dir) != INDEX_VERSION:
        log.info("search index %s is from another kb version: rebuilding it", index_dir)
        indexed = rebuild(store, index_dir, progress)
        return indexed, deleted
    if not present:
        # Without an index every stored document needs indexing, whatever the store remembers.
        rebuild(store, index_dir, progress)
        return store.document_ids(), deleted
    todo = store.unindexed_documents()
    _clean_leftovers(index_dir)
    ensure_sidecars(index_dir)  # segments an earlier kb wrote
    if not deleted and not todo:
        return [], []
    ix = open_index(index_dir)
    originals = set(store.document_ids(counted_only=True))
    wanted = set(todo) & originals
    writer = MemoryWriter(ix)
    # Duplicate editions are stored and shown, never indexed.
    try:
        _write(writer, store, ix, [d for d in todo if d in wanted], progress, delete=sorted(set(deleted) | set(todo)),
               originals=originals - set(deleted))
    finally:
        ix.close()
        _clear_write_lock(index_dir)
    store.mark_indexed(todo, deleted)
    missing = _unindexed_frequent(index_dir)
    if missing:
        # A word became frequent whose pairs the index never took: only a build that indexes them answers as a
        # fresh build does (rare: the indexed words are those of three quarters of the frequent share).
        log.info("search index: %d words became frequent (%s): rebuilding", len(missing), ", ".join(sorted(missing)[:5]))
        rebuild(store, index_dir, progress)
    return todo, deleted


def _unindexed_frequent(index_dir: Path) -> set[str]:
    """Frequent words (exact, live) whose pairs the index at ``index_dir`` does not hold; saves each segment's
    deleted share on the way (``save_deleted_shares``), which reading the live statistics works out."""
    from kb.index.whoosh.scoring import save_deleted_shares

    ix = open_index(index_dir)
    try:
        with ix.reader() as reader:
            missing = _schema.unindexed_frequent(ix, reader)
            save_deleted_shares(reader)
            return missing
    finally:
        ix.close()


def rebuild(store, index_dir: Path, progress: Callable[[int], None] | None = None,
            frequent: frozenset | None = None) -> list[str]:
    """Build a fresh index from the whole store in a temporary folder, then swap it in.

    Readers of the old index keep working until the swap; a crash leaves the old index in place.
    Returns the ids of the documents indexed.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(index_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".whoosh-build-{os.getpid()}-", dir=index_dir.parent))
    try:
        docs = [d["id"] for d in store.documents(include_duplicates=False)]
        total = store.counted_passage_total()
        if frequent is None:
            frequent = frequent_terms(store) if _schema.BIGRAMS else frozenset()
        while True:
            ix = _create(tmp, store, frequent)
            ix.close()
            _list_segments(tmp, _build_segments(tmp, store, docs, total, progress), after=_generation(index_dir))
            # The sample may miss a word that is frequent in the whole corpus (a few standard deviations off):
            # then build again with it, so that every frequent word's pairs are terms.
            missing = _unindexed_frequent(tmp)
            if not missing:
                break
            log.info("search index: %d frequent words were not in the sample: building again", len(missing))
            frequent = frozenset(frequent | missing)
            shutil.rmtree(tmp)
        old = index_dir.with_name(index_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if index_dir.exists():
            os.replace(index_dir, old)
        os.replace(tmp, index_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    every = store.document_ids()
    store.mark_indexed(every, store.pending_index_deletions())
    return docs
