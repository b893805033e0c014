"""The contract between kb's ingest and wherever per-file work runs (local pool or Dask cluster).

A task (one file) yields a :class:`TaskResult`; while it runs it may ask how much of its time limit is left and
report progress (OCR page by page). :class:`Executor` is what the ingest pipeline calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class TaskResult:
    """What happened to one task: ``value`` on success, or ``error`` (an exception, or "timeout")."""

    task: Any
    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class TaskProgress:
    """A note from a running task (e.g. OCR page 3 of 12), sent with ``report_progress``."""

    task: Any
    info: Any


_progress_conn: Any = None  # the pipe to the parent, inside a pool worker
_deadline: float | None = None  # wall-clock time at which the parent stops the running task
_limit: float | None = None


def time_left() -> tuple[float, float] | None:
    """Inside a task: (seconds left before the parent stops it, the whole time limit); None elsewhere.

    The clock starts when the parent hands the task over, so a task that wants to stop cleanly before
    the hard stop (e.g. OCR) knows how long it really has, start-up included."""
    if _deadline is None or _limit is None:
        return None
    return _deadline - time.time(), _limit


def report_progress(info: Any) -> None:
    """From inside a task: tell the parent how far it got, so a slow file shows progress. No-op elsewhere."""
    if _progress_conn is None:
        return
    try:
        _progress_conn.send(("progress", info))
    except (OSError, ValueError):  # the parent went away: the result will not be read either
        pass


def enter(conn: Any, deadline: float | None, limit: float | None) -> None:
    """A pool worker starts a task: where progress goes, and when the parent will stop it."""
    global _progress_conn, _deadline, _limit
    _progress_conn, _deadline, _limit = conn, deadline, limit


class Executor(Protocol):
    """Runs the per-file work of an ingest and yields a TaskResult per file, in completion order.

    ``value`` is a kb.ingest.worker.FileResult. An executor whose ``tags_remotely`` is true returns results
    already tagged with the vocabulary it was given (``FileResult.tags``), so the writer need not build spaCy.
    """

    name: str
    tags_remotely: bool

    def run(self, tasks: Sequence[Any], timeout: float, vocabulary: list | None,
            on_progress: Callable[[Any, Any], None] | None = None) -> Iterator[TaskResult]: ...

    def summary(self) -> dict: ...

    def close(self) -> None: ...
