"""The extraction pool: a file that hangs or crashes its worker costs that file only."""

import time

from kb.ingest.pool import run_tasks


def work(task):
    kind, value = task
    if kind == "sleep":
        time.sleep(value)
    if kind == "raise":
        raise ValueError(value)
    if kind == "exit":
        import os

        os._exit(3)
    return value * 2 if kind == "double" else value


def test_results_errors_timeouts_and_crashes_are_each_reported():
    tasks = [("double", 1), ("sleep", 30), ("raise", "bad"), ("exit", 0), ("double", 5), ("double", 7)]
    started = time.monotonic()
    results = {r.task: r for r in run_tasks(work, tasks, jobs=2, timeout=2.0)}
    assert time.monotonic() - started < 20
    assert results[("double", 1)].value == 2
    assert results[("double", 5)].value == 10 and results[("double", 7)].value == 14
    assert results[("sleep", 30)].timed_out
    assert isinstance(results[("raise", "bad")].error, ValueError)
    assert "worker process died" in str(results[("exit", 0)].error)


def test_no_tasks_starts_no_workers():
    assert list(run_tasks(work, [], jobs=2, timeout=1)) == []
