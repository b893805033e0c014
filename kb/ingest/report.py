"""What an ingest did and how it failed, file by file: the values `kb ingest` prints and returns."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kb.lineage.update import LineageChange
    from kb.store import Store


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


# -- what an ingest reports while it runs: one typed event each, so the CLI (or a script) reads named fields --
@dataclass(frozen=True)
class ScanStarted:
    """The corpus was listed: ``total`` files to look at."""

    total: int


@dataclass(frozen=True)
class ScanDone:
    """Every file was looked at: ``unchanged`` skipped, ``todo`` to extract."""

    unchanged: int
    todo: int


@dataclass(frozen=True)
class ExtractStarted:
    """Extraction begins on ``total`` files (in worker processes or on a cluster)."""

    total: int


@dataclass(frozen=True)
class FileProgress:
    """A file still being worked on says how far it is (OCR: ``done`` of ``total`` pages after ``seconds``)."""

    source: str
    stage: str
    page: int
    done: int
    total: int
    seconds: float
    worker: str = ""  # on a Dask cluster, the address of the worker (distributed adds it to each note)


@dataclass(frozen=True)
class FileDone:
    """A file's work came back, stored (``ok``) or failed."""

    source: str
    ok: bool


@dataclass(frozen=True)
class FileFailed:
    """A file could not be ingested: the line to show the user."""

    failure: Failure


@dataclass(frozen=True)
class DocumentRemoved:
    """A document left the knowledge base because its file left the corpus."""

    doc_id: str
    source: str


@dataclass(frozen=True)
class TagStarted:
    """Documents tagged under an older vocabulary are retagged: ``total`` of them."""

    total: int


@dataclass(frozen=True)
class Tagged:
    """One document was retagged."""

    doc_id: str


@dataclass(frozen=True)
class StageStarted:
    """A corpus-wide stage begins ("glossary", "index")."""

    name: str


@dataclass(frozen=True)
class IndexStarted:
    """The index is written: ``total`` documents to (re)index."""

    total: int


IngestEvent = (ScanStarted | ScanDone | ExtractStarted | FileProgress | FileDone | FileFailed | DocumentRemoved
               | TagStarted | Tagged | StageStarted | IndexStarted)
#: Callback for the CLI: called with each IngestEvent, in the order things happen.
Progress = Callable[[IngestEvent], None]


def noop(event: IngestEvent) -> None:
    pass




def now() -> str:
    """The time an ingest stamps on what it stores (UTC, seconds)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def fail(store: Store, report: IngestReport, progress: Progress, failure: Failure, sha: str | None = None) -> None:
    """Record a file that could not be ingested (with its hash when known, so it is not parsed again unchanged)."""
    with store.transaction():
        store.record_failure(failure.source, sha, failure.reason, failure.advice, now())
    report.failed.append(failure)
    progress(FileFailed(failure))
