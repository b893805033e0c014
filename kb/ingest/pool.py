"""The local process pool: per-file work with a time limit per task; a worker stuck on one file is killed and
replaced.

``concurrent.futures`` cannot cancel a running task, and a PDF that sends the parser into a loop must cost one
file, not the whole ingest. Results come back as they finish, so the caller can store each one at once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from kb.ingest import tasks
from kb.ingest.tasks import TaskProgress, TaskResult


def _worker_loop(func: Callable[[Any], Any], conn: Connection) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        task, deadline, limit = message
        tasks.enter(conn, deadline, limit)
        try:
            conn.send(("ok", func(task)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
            try:
                conn.send(("error", exc))
            except Exception:  # the exception itself may not pickle
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: mp.context.SpawnContext, func: Callable[[Any], Any], timeout: float) -> None:
        self.timeout = timeout
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_loop, args=(func, child), daemon=True)
        self.process.start()
        child.close()
        self.task: Any = None
        self.started = 0.0

    def give(self, task: Any) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send((task, time.time() + self.timeout, self.timeout))

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


_DONE = object()


def run_tasks(func: Callable[[Any], Any], tasks: Sequence[Any], jobs: int, timeout: float,
              on_progress: Callable[[Any, Any], None] | None = None) -> Iterator[TaskResult]:
    """Run ``func(task)`` for every task in ``jobs`` processes; yield results in completion order.

    ``on_progress(task, info)`` is called in the caller's thread for each ``report_progress`` of a task.

    A background thread keeps the workers fed while the caller is busy with earlier results (tagging and
    storing them), so extraction never waits for the consumer. A task running longer than ``timeout`` seconds
    is reported as timed out and its worker replaced. On KeyboardInterrupt (or the caller closing the
    generator) every worker is killed at once.
    """
    if not tasks:
        return
    results: queue.Queue = queue.Queue()
    stop = threading.Event()

    def pump() -> None:
        try:
            for result in _run(func, tasks, jobs, timeout, stop):
                results.put(result)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            results.put(exc)
        finally:
            results.put(_DONE)

    thread = threading.Thread(target=pump, name="kb-workers", daemon=True)
    thread.start()
    try:
        while True:
            try:
                item = results.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, TaskProgress):
                if on_progress is not None:
                    on_progress(item.task, item.info)
                continue
            yield item
    finally:
        stop.set()
        thread.join()


def _run(func: Callable[[Any], Any], tasks: Sequence[Any], jobs: int, timeout: float,
         stop: threading.Event) -> Iterator[TaskResult | TaskProgress]:
    ctx = mp.get_context("spawn")
    pending = list(tasks)[::-1]
    workers = [_Worker(ctx, func, timeout) for _ in range(max(1, min(jobs, len(pending))))]
    try:
        for w in workers:
            if pending:
                w.give(pending.pop())
        while any(w.task is not None for w in workers) and not stop.is_set():
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            next_deadline = min(w.started + timeout for w in busy)
            ready = wait([w.conn for w in busy], timeout=min(0.25, max(0.0, next_deadline - now)))
            now = time.monotonic()
            for w in busy:
                result = None
                if w.conn in ready:
                    try:
                        status, payload = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.process.exitcode
                        result = TaskResult(w.task, error=RuntimeError(f"worker process died (exit code {code})"),
                                            seconds=now - w.started)
                        w.kill()
                        workers[workers.index(w)] = w = _Worker(ctx, func, timeout)
                    else:
                        if status == "progress":
                            yield TaskProgress(w.task, payload)
                            continue
                        result = (TaskResult(w.task, value=payload, seconds=now - w.started) if status == "ok"
                                  else TaskResult(w.task, error=payload, seconds=now - w.started))
                elif now - w.started >= timeout:
                    result = TaskResult(w.task, timed_out=True, seconds=now - w.started)
                    w.kill()
                    workers[workers.index(w)] = w = _Worker(ctx, func, timeout)
                if result is not None:
                    w.task = None
                    if pending:
                        w.give(pending.pop())
                    yield result
    finally:
        for w in workers:
            if w.task is not None:
                w.kill()
            else:
                w.stop()


# --- Executors: where the per-file work runs. kb.ingest calls one of these and nothing else. ------------------


class LocalExecutor:
    """Worker processes on this machine (``jobs`` of them, default: all cores); the writer tags."""

    name = "local"
    tags_remotely = False

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1

    def run(self, tasks: Sequence[Any], timeout: float, vocabulary: list | None,
            on_progress: Callable[[Any, Any], None] | None = None) -> Iterator[TaskResult]:
        """Extract, normalise and split each task's file in a local process with a time limit."""
        from kb.ingest.worker import process_file

        return run_tasks(process_file, tasks, jobs=self.jobs, timeout=timeout, on_progress=on_progress)

    def summary(self) -> dict:
        return {"executor": self.name, "jobs": self.jobs}

    def close(self) -> None:
        pass
