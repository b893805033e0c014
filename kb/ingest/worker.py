"""The per-file work done away from the writer: extract, normalise, split (and, on a cluster, tag).

``process_file`` is what the local pool runs; it is kept free of spaCy and the store. ``run_remote`` is what a
Dask worker runs: the file's bytes travel with the task, the extraction runs in a child process of the worker
(so a file that hangs is killed at its time limit, as it is locally), and the passages are tagged with a spaCy
pipeline built once per worker process.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.models import Extraction, Passage


@dataclass(frozen=True)
class FileTask:
    """One file to turn into passages."""

    path: str  # absolute path
    source: str  # corpus-relative POSIX path
    doc_id: str
    tag: bool = True  # whether its passages are tagged (not for another edition of a stored document)


@dataclass(frozen=True)
class FileResult:
    """Everything the main process needs to store a document."""

    extraction: Extraction
    text: str
    pages: list[tuple[int, int, int]]
    passages: list[Passage]
    warnings: list[str]
    # (mentions, acronym definitions, vocabulary fingerprint) when the worker tagged the passages already.
    tags: tuple[list, list, str] | None = None
    # The passages' reuse fingerprints (kb.lineage.text.pack_fingerprints), made here so the writer need not;
    # None in a result kept by an earlier kb.
    fingerprints: bytes | None = None


def process_file(task: FileTask) -> FileResult:
    """Extract, normalise and split one file. Raises kb.errors.ExtractionError for bad input."""
    from kb.ingest.extract import extract_file
    from kb.ingest.extract.ocr import budget
    from kb.ingest.tasks import report_progress, time_left

    left, limit = time_left() or (None, None)
    with budget(left, limit, report_progress):
        extraction = extract_file(Path(task.path))
    return _split(extraction, task.doc_id)


def process_bytes(data: bytes, suffix: str, doc_id: str, seconds_left: float | None = None,
                  progress: Callable[[dict], None] | None = None) -> FileResult:
    """``process_file`` for a file's bytes and file-name suffix, where the file itself is not at hand;
    ``seconds_left`` of the file's time limit (for OCR to stop cleanly) and OCR ``progress`` as there."""
    from kb.ingest.extract import extract_bytes
    from kb.ingest.extract.ocr import budget

    with budget(seconds_left, seconds_left, progress):
        extraction = extract_bytes(data, suffix)
    return _split(extraction, doc_id)


def _split(extraction: Extraction, doc_id: str) -> FileResult:
    from kb.ingest.normalise import normalise_pages
    from kb.ingest.passages import split_passages

    clean, norm_warnings = normalise_pages(extraction.pages)
    text, pages, passages = split_passages(doc_id, clean)
    warnings = list(extraction.warnings) + list(norm_warnings)
    # Drop the raw page texts before pickling the result back: the clean text is all that is stored.
    slim = Extraction(extraction.format, (), extraction.metadata, extraction.warnings)
    return FileResult(slim, text, pages, passages, warnings, fingerprints=_fingerprints(passages))


def _fingerprints(passages: list[Passage]) -> bytes:
    """Reuse fingerprints of a document's passages: the per-file part of kb.lineage, done where the file is."""
    from kb.lineage.text import norm_words, pack_fingerprints, passage_fingerprints

    return pack_fingerprints(passage_fingerprints([norm_words(p.text) for p in passages]))


# --- On a Dask worker -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteJob:
    """One file sent to a cluster: its bytes travel with it, the worker never needs the corpus folder."""

    source: str
    doc_id: str
    suffix: str
    data: bytes
    timeout: float
    tag: bool
    progress_topic: str = ""  # Dask event topic for OCR progress ("" for none)


@dataclass(frozen=True)
class RemoteOutcome:
    """What a worker made of one file: ``status`` is "ok", "error", "timeout" or "died"."""

    status: str
    value: FileResult | None = None
    error: BaseException | None = None
    seconds: float = 0.0
    worker: str = ""
    kb_version: str = ""


def run_remote(job: RemoteJob, vocabulary: list | None) -> RemoteOutcome:
    """Run on a Dask worker: extract in a child process with the job's time limit, then tag with the
    worker's cached pipeline. Never raises for a bad file: the outcome says what happened."""
    import kb

    worker = _worker_address()
    started = time.monotonic()

    def forward(info: Any) -> None:  # OCR progress, to the ingest that sent the file
        if job.progress_topic and isinstance(info, dict):
            try:
                from distributed import get_worker

                get_worker().log_event(job.progress_topic, {"source": job.source, **info})
            except Exception:  # noqa: BLE001 - progress is a nicety, never a failure
                pass

    extractor = _acquire_extractor()
    try:
        status, payload = extractor.call((job.data, job.suffix, job.doc_id, job.timeout), job.timeout, forward)
    finally:
        _release_extractor(extractor)

    def outcome(status: str, value: FileResult | None = None, error: BaseException | None = None) -> RemoteOutcome:
        return RemoteOutcome(status, value, error, time.monotonic() - started, worker, kb.__version__)

    if status == "timeout":
        return outcome("timeout")
    if status == "died":
        return outcome("died", error=RuntimeError(f"worker process died (exit code {payload})"))
    if status == "error":
        return outcome("error", error=_portable(payload))
    result: FileResult = payload
    if job.tag and vocabulary is not None:
        try:
            mentions, acronyms, fingerprint = _tag(vocabulary, job.doc_id, result.passages)
        except Exception:  # noqa: BLE001 - sent back untagged: the writer tags it and reports as it does locally
            pass
        else:
            result = dataclasses.replace(result, tags=(mentions, acronyms, fingerprint))
    return outcome("ok", value=result)


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError that says the same."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any pickling problem
        return RuntimeError(f"{type(exc).__name__}: {exc}")


_TAGGERS: dict[str, Any] = {}  # vocabulary fingerprint -> Tagger, one per worker process
_TAGGER_LOCK = threading.Lock()


def _tag(vocabulary: list, doc_id: str, passages: list[Passage]) -> tuple[list, list, str]:
    """Tag one document with this process's pipeline for the vocabulary (built on first use, then reused)."""
    from kb.nlp.vocabulary import vocabulary_fingerprint

    fingerprint = vocabulary_fingerprint(vocabulary)
    with _TAGGER_LOCK:  # one pipeline per process; tagging holds the GIL anyway
        tagger = _TAGGERS.get(fingerprint)
        if tagger is None:
            from kb.nlp.pipeline import Tagger

            _TAGGERS.clear()
            tagger = _TAGGERS[fingerprint] = Tagger(vocabulary)
        _, mentions, acronyms = next(iter(tagger.tag([(doc_id, passages)])))
    return mentions, acronyms, fingerprint


_IDLE: list[_Extractor] = []
_IDLE_LOCK = threading.Lock()


def _acquire_extractor() -> _Extractor:
    with _IDLE_LOCK:
        while _IDLE:
            extractor = _IDLE.pop()
            if extractor.alive():
                return extractor
    return _Extractor()


def _release_extractor(extractor: _Extractor) -> None:
    if extractor.alive():
        with _IDLE_LOCK:
            _IDLE.append(extractor)


_HEADER = struct.Struct(">Q")


class _Extractor:
    """A child process that extracts one file at a time; killed and replaced when a file runs past its limit.

    A plain subprocess (not multiprocessing): a Dask worker under a nanny is a daemon process, which
    multiprocessing does not let start children. Tasks and results are pickled frames on its stdin/stdout.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-m", "kb.ingest.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def call(self, payload: tuple, timeout: float,
             on_progress: Callable[[Any], None] | None = None) -> tuple[str, Any]:
        """("ok", FileResult), ("error", exception), ("timeout", None) or ("died", exit code); progress
        notes the child sends on the way go to ``on_progress``."""
        assert self.proc is not None and self.proc.stdin is not None and self.proc.stdout is not None
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        deadline = time.monotonic() + timeout
        try:
            self.proc.stdin.write(_HEADER.pack(len(data)) + data)
            self.proc.stdin.flush()
            while True:
                header = self._read(_HEADER.size, deadline)
                body = self._read(_HEADER.unpack(header)[0], deadline) if header is not None else None
                if body is None:
                    break
                status, value = pickle.loads(body)
                if status != "progress":
                    return status, value
                if on_progress is not None:
                    on_progress(value)
        except (BrokenPipeError, EOFError, OSError):
            code = self.proc.wait(5)
            self.proc = None
            return "died", code
        self.kill()
        return "timeout", None

    def _read(self, size: int, deadline: float) -> bytes | None:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            self.proc = None


def serve() -> None:
    """The child's loop: read a pickled (bytes, suffix, doc id, seconds left), answer with pickled progress
    notes and then the outcome; stop at EOF."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides what an interrupt means
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the frames
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    while True:
        header = inp.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        data, suffix, doc_id, seconds_left = pickle.loads(inp.read(_HEADER.unpack(header)[0]))

        def send(answer: tuple[str, Any]) -> None:
            body = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            out.write(_HEADER.pack(len(body)) + body)
            out.flush()

        try:
            answer: tuple[str, Any] = ("ok", process_bytes(data, suffix, doc_id, seconds_left,
                                                           lambda info: send(("progress", info))))
        except BaseException as exc:  # noqa: BLE001 - reported to the worker, which decides
            answer = ("error", _portable(exc))
        send(answer)


if __name__ == "__main__":
    # Results must pickle as kb.ingest.worker's classes, not __main__'s.
    from kb.ingest.worker import serve as _serve

    _serve()
