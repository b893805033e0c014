"""Ingest on a Dask cluster: files go to the cluster's workers, results come back to the single writer here.

Only this module (and the task function in kb.ingest.worker) imports dask/distributed, and only when an ingest
is given a scheduler. The writer stays where kb runs: one transaction per document, the index last.
"""

from __future__ import annotations

import logging
import queue
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

import kb
from kb.errors import ExtractionError, KbError, UsageError
from kb.ingest.tasks import TaskResult

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler, unless Dask's own connect timeout is set lower
_REFRESH = 2.0  # seconds between looks at how many worker threads the cluster has


class ClusterError(KbError):
    """The Dask scheduler cannot be reached, or was lost mid-ingest."""


class DaskExecutor:
    """Sends each file's bytes to a Dask cluster; workers extract, split and tag, and send the result back."""

    name = "dask"
    tags_remotely = True

    def __init__(self, address: str, connect_timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask's distributed package on this machine and the workers: "
                             "pip install 'kb-policy[dask]'") from None
        _check_address(address)
        self.address = address
        self.files: Counter[str] = Counter()
        self._quiet_logs()
        if connect_timeout is None:
            connect_timeout = _connect_timeout()
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({_short(exc)}); check that "
                               "`dask scheduler` runs there and the address is right, or ingest locally "
                               "with --scheduler local. Nothing was changed.") from None
        except Exception as exc:  # noqa: BLE001 - e.g. a tls:// address without certificates configured
            raise ClusterError(f"cannot use the Dask scheduler at {address} ({type(exc).__name__}: {_short(exc)})."
                               " Nothing was changed.") from None

    @staticmethod
    def _quiet_logs() -> None:
        # distributed logs connection trouble itself; kb reports it in one line instead.
        for name in ("distributed", "distributed.client", "distributed.comm", "distributed.batched"):
            logging.getLogger(name).setLevel(logging.CRITICAL)

    def _threads(self) -> int:
        try:
            return sum(self.client.nthreads().values())
        except Exception:  # noqa: BLE001 - only sizes the window of files in flight
            return 0

    def run(self, tasks: Sequence[Any], timeout: float, vocabulary: list | None,
            on_progress: Callable[[Any, Any], None] | None = None) -> Iterator[TaskResult]:
        """Submit the files a few at a time (bytes read as they go), yield results as they complete.

        A worker that is lost mid-file has its files run again elsewhere by the scheduler; a file whose task
        keeps killing workers fails alone. Closing the generator (Ctrl-C) cancels whatever is still queued.
        """
        from distributed import as_completed
        from distributed.client import FutureCancelledError

        from kb.ingest.worker import RemoteJob, run_remote

        pending = list(tasks)[::-1]
        in_flight: dict[Any, Any] = {}
        by_source = {task.source: task for task in tasks}
        notes: queue.SimpleQueue = queue.SimpleQueue()  # OCR progress from the workers, for this thread
        topic = self._subscribe(notes) if on_progress is not None else ""
        completed = as_completed(loop=self.client.loop)
        window, checked = max(4, 2 * self._threads() + 2), time.monotonic()
        errors: list[TaskResult] = []

        def top_up() -> None:
            nonlocal window, checked
            if time.monotonic() - checked > _REFRESH:
                window, checked = max(4, 2 * self._threads() + 2), time.monotonic()
            while pending and len(in_flight) < window:
                task = pending.pop()
                path = Path(task.path)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    errors.append(TaskResult(task, error=ExtractionError(
                        f"cannot read file ({exc.strerror or type(exc).__name__})",
                        "check its permissions (e.g. chmod u+r) or remove it")))
                    continue
                job = RemoteJob(task.source, task.doc_id, path.suffix, data, timeout, task.tag, topic)
                future = self.client.submit(run_remote, job, vocabulary if task.tag else None, pure=False,
                                            key=f"kb-ingest-{uuid.uuid4().hex}")
                in_flight[future] = task
                completed.add(future)

        try:
            top_up()
            yield from errors
            errors.clear()
            for future in self._as_completed(completed, notes, by_source, on_progress):
                task = in_flight.pop(future)
                try:
                    outcome = future.result()
                except (FutureCancelledError, CancelledError, OSError):
                    # Only a lost scheduler cancels kb's tasks: not this file's fault, so not recorded as failed.
                    raise ClusterError(f"lost the connection to the Dask scheduler at {self.address}; the "
                                       "knowledge base is as before this ingest: run `kb ingest` again") from None
                except ImportError as exc:
                    result = TaskResult(task, error=ExtractionError(
                        f"a Dask worker cannot run kb ({type(exc).__name__}: {_short(exc)})",
                        "install kb on every worker: pip install 'kb-policy[dask]'"))
                except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: this file, not the ingest, failed
                    self._check_connected(exc)
                    result = TaskResult(task, error=ExtractionError(
                        f"its Dask task failed ({type(exc).__name__}: {_short(exc)})",
                        "check the workers' logs and memory limit, or ingest it here with --scheduler local"))
                else:
                    result = self._result(task, outcome)
                top_up()
                yield result
                yield from errors
                errors.clear()
            yield from errors
        finally:
            if topic:
                try:
                    self.client.unsubscribe_topic(topic)
                except Exception:  # noqa: BLE001 - the scheduler may be gone already
                    pass
            if in_flight:
                try:
                    self.client.cancel(list(in_flight), force=True)
                except Exception:  # noqa: BLE001 - the scheduler may be gone already
                    pass

    def _subscribe(self, notes: queue.SimpleQueue) -> str:
        """A topic of this ingest's own on which workers publish OCR progress ("" if this Dask cannot)."""
        topic = f"kb-progress-{uuid.uuid4().hex}"
        try:
            self.client.subscribe_topic(topic, lambda event: notes.put(event[1]))
        except Exception:  # noqa: BLE001 - an older distributed: no progress notes, the ingest is the same
            return ""
        return topic

    @staticmethod
    def _as_completed(completed: Any, notes: queue.SimpleQueue, by_source: dict[str, Any],
                      on_progress: Callable[[Any, Any], None] | None) -> Iterator[Any]:
        """Futures as they complete; progress notes are handed to ``on_progress`` in this thread meanwhile."""
        while True:
            while not notes.empty():
                info = dict(notes.get())
                task = by_source.get(str(info.pop("source", "")))
                if task is not None and on_progress is not None:
                    on_progress(task, info)
            ready = completed.next_batch(block=False)
            if ready:
                yield from ready
            elif completed.is_empty():
                return
            else:
                time.sleep(0.05)

    def _result(self, task: Any, outcome: Any) -> TaskResult:
        self.files[outcome.worker] += 1
        if outcome.kb_version != kb.__version__:
            return TaskResult(task, error=ExtractionError(
                f"the Dask worker {outcome.worker} runs kb {outcome.kb_version}, this is kb {kb.__version__}",
                f"install the same version on the workers: pip install 'kb-policy[dask]=={kb.__version__}'"),
                seconds=outcome.seconds)
        if outcome.status == "ok":
            return TaskResult(task, value=outcome.value, seconds=outcome.seconds)
        if outcome.status == "timeout":
            return TaskResult(task, timed_out=True, seconds=outcome.seconds)
        return TaskResult(task, error=outcome.error, seconds=outcome.seconds)

    def _check_connected(self, exc: BaseException) -> None:
        if self.client.status not in ("running", "connecting"):
            raise ClusterError(f"lost the connection to the Dask scheduler at {self.address}; the knowledge "
                               "base is as before this ingest: run `kb ingest` again") from None

    def summary(self) -> dict:
        return {"executor": self.name, "scheduler": self.address, "workers": dict(sorted(self.files.items()))}

    def close(self) -> None:
        try:
            self.client.close(timeout=5)
        except Exception:  # noqa: BLE001 - closing a client whose scheduler is gone
            pass


def _check_address(address: str) -> None:
    """A usage error unless ``address`` looks like a scheduler address (tcp://HOST:PORT, tls://..., HOST:PORT)."""
    from distributed.comm import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    problem = None
    if ":" not in address:
        problem = "no port"
    else:
        try:
            scheme, _ = parse_address(address)
            get_backend(scheme)
            get_address_host_port(address)
        except (ValueError, TypeError) as exc:
            problem = _short(exc)
    if problem:
        raise UsageError(f"{address!r} is not a Dask scheduler address like tcp://HOST:8786 ({problem})")


def _connect_timeout() -> float:
    """Dask's connect timeout (``distributed.comm.timeouts.connect``, e.g. from
    DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT), at most CONNECT_TIMEOUT: a wrong address fails fast."""
    import dask.config
    from dask.utils import parse_timedelta

    try:
        configured = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect", CONNECT_TIMEOUT), "s")
    except (TypeError, ValueError):
        return CONNECT_TIMEOUT
    return min(float(configured or CONNECT_TIMEOUT), CONNECT_TIMEOUT)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
