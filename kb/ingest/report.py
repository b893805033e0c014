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


#: Callback for the CLI: event name and details ("extract-start", total=N), ("file-done", source=..., ok=bool), ...
Progress = Callable[..., None]


def noop(event: str, **info: object) -> None:
    pass




def now() -> str:
    """The time an ingest stamps on what it stores (UTC, seconds)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def fail(store: Store, report: IngestReport, progress: Progress, failure: Failure, sha: str | None = None) -> None:
    """Record a file that could not be ingested (with its hash when known, so it is not parsed again unchanged)."""
    with store.transaction():
        store.record_failure(failure.source, sha, failure.reason, failure.advice, now())
    report.failed.append(failure)
    progress("failure", failure=failure)
