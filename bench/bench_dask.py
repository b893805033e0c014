"""Ingest throughput on a Dask cluster of 1, 2 and 4 workers (on 127.0.0.1) against the local pool, and the ceiling
of the single writer (store + index) fed results that were extracted and tagged beforehand.

Run on demand (needs `pip install -e '.[dask,bench]'`):

    python bench/bench_dask.py [--pdfs 12] [--pages 8] [--texts 36] [--repeat 3] [--workers 1,2,4]

Each figure is the median of --repeat fresh ingests of the same corpus into an empty project. The Dask workers are
`dask worker --nworkers N --nthreads 1` processes started like a user would, warmed by one small ingest first (so
each has built its spaCy pipeline); the local pool starts fresh processes on every ingest, as `kb ingest` does.
Same-run ratios are what to compare: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_ingest import WORDS, make_pdf  # noqa: E402

from kb.ingest import ingest  # noqa: E402
from kb.ingest.tasks import TaskResult  # noqa: E402
from kb.project import Project  # noqa: E402


def make_corpus(root: Path, pdfs: int, pages: int, texts: int) -> Path:
    """PDF reports and plain-text papers with acronym definitions, plus the bundled vocabulary."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    shutil.copy(REPO / "corpus" / "concepts.toml", corpus / "concepts.toml")
    for n in range(pdfs):
        make_pdf(corpus / f"report{n:02d}.pdf", pages, n)
    rng = random.Random(7)
    for n in range(texts):
        paras = []
        for _ in range(30):
            words = [rng.choice(WORDS) for _ in range(rng.randint(60, 120))]
            paras.append(" ".join(words).capitalize() + ". Integrated care systems (ICSs) and primary care "
                         "networks (PCNs) work with social prescribing link workers (SPLWs).")
        (corpus / f"paper{n:03d}.txt").write_text(f"Paper {n}\n\n" + "\n\n".join(paras), "utf-8")
    return corpus


def fresh_home(corpus: Path) -> Path:
    home = Path(tempfile.mkdtemp(prefix="kb-bench-dask-"))
    shutil.copytree(corpus, home / "corpus")
    return home


def timed_ingest(corpus: Path, **kwargs: Any) -> tuple[float, dict]:
    """Seconds for a fresh ingest, and its summary with the seconds of its stages ("phases")."""
    home = fresh_home(corpus)
    marks: dict[str, float] = {}

    from kb.ingest.report import ExtractStarted, StageStarted

    def progress(event: object) -> None:
        if isinstance(event, ExtractStarted):
            marks["files"] = time.perf_counter()
        elif isinstance(event, StageStarted):
            marks.setdefault(event.name, time.perf_counter())

    try:
        started = time.perf_counter()
        report = ingest(Project(home), progress=progress, **kwargs)
        ended = time.perf_counter()
        assert report.ok, [f.line() for f in report.failed]
        summary = report.as_dict()
        summary["phases"] = {"files": marks["glossary"] - marks["files"], "glossary": marks["index"] - marks["glossary"],
                             "index": ended - marks["index"]}
        return ended - started, summary
    finally:
        shutil.rmtree(home, ignore_errors=True)


class LocalDask:
    """`dask scheduler` plus `dask worker --nworkers N --nthreads 1` on 127.0.0.1, stopped on exit."""

    def __init__(self, workers: int, root: Path) -> None:
        from distributed import Client

        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        log = open(root / f"dask-{workers}.log", "w")
        common = dict(env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=root)
        self.procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                        str(port), "--no-dashboard"], **common)]
        time.sleep(1.5)
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", self.address, "--host", "127.0.0.1", "--nworkers",
             str(workers), "--nthreads", "1", "--no-dashboard", "--local-directory", str(root / "work")], **common))
        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)

    def close(self) -> None:
        for proc in reversed(self.procs):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


class Precomputed:
    """An executor that hands the writer results extracted and tagged beforehand: what the writer alone costs."""

    name = "precomputed"
    tags_remotely = True

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results

    def run(self, tasks: Sequence[Any], timeout: float, vocabulary: list | None,
            on_progress: Any = None) -> Iterator[TaskResult]:
        for task in tasks:
            yield TaskResult(task, value=self.results[task.source])

    def summary(self) -> dict:
        return {"executor": self.name}

    def close(self) -> None:
        pass


def precompute(corpus: Path) -> tuple[dict[str, Any], float]:
    """Every file's FileResult, tagged, as a cluster worker would return it; and the CPU seconds that took
    (the pipeline built beforehand, as a warm worker has it)."""
    from kb.ingest.catalog import slugify
    from kb.ingest.worker import FileResult, _tag, process_bytes
    from kb.nlp.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(corpus / "concepts.toml")
    _tag(vocabulary, "warm-up", [])
    results = {}
    cpu = time.process_time()
    for path in sorted(corpus.iterdir()):
        if path.name in ("concepts.toml", "catalog.toml"):
            continue
        doc_id = slugify(path.stem)  # the id the writer will choose for it
        r = process_bytes(path.read_bytes(), path.suffix, doc_id)
        mentions, acronyms, fingerprint = _tag(vocabulary, doc_id, r.passages)
        results[path.name] = FileResult(r.extraction, r.text, r.pages, r.passages, r.warnings,
                                        tags=(mentions, acronyms, fingerprint))
    return results, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=int, default=12)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--texts", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kb-bench-dask-root-"))
    corpus = make_corpus(root / "src", args.pdfs, args.pages, args.texts)
    warm = make_corpus(root / "warm", 1, 1, 2)
    files = args.pdfs + args.texts
    rows: list[tuple[str, float, dict]] = []

    def record(label: str, runs: list[tuple[float, dict]]) -> None:
        med = statistics.median(t for t, _ in runs)
        rows.append((label, med, runs[0][1]))
        summary = runs[0][1]
        phases = {k: statistics.median(r["phases"][k] for _, r in runs) for k in summary["phases"]}
        rows[-1][2]["phases"] = phases
        print(f"{label:<28} {med:7.2f} s  {files / med:6.2f} files/s  {summary['pages'] / med:7.1f} pages/s"
              f"  {summary['passages'] / med:7.1f} passages/s   (files {phases['files']:.2f} s, glossary"
              f" {phases['glossary']:.2f} s, index {phases['index']:.2f} s)", flush=True)

    print(f"corpus: {args.pdfs} PDFs x {args.pages} pages + {args.texts} text papers; {os.cpu_count()} cores;"
          f" median of {args.repeat}", flush=True)
    for jobs in (1, 2):
        record(f"local pool, --jobs {jobs}", [timed_ingest(corpus, jobs=jobs) for _ in range(args.repeat)])
    for workers in (int(w) for w in args.workers.split(",")):
        cluster = LocalDask(workers, root)
        try:
            timed_ingest(warm, scheduler=cluster.address)
            record(f"dask, {workers} worker{'s' if workers > 1 else ''}",
                   [timed_ingest(corpus, scheduler=cluster.address) for _ in range(args.repeat)])
        finally:
            cluster.close()
    results, work_cpu = precompute(corpus)
    cpu = time.process_time()
    record("writer alone (precomputed)",
           [timed_ingest(corpus, executor=Precomputed(results)) for _ in range(args.repeat)])
    writer_cpu = (time.process_time() - cpu) / args.repeat
    stored = rows[-1][2]["phases"]["files"]
    print(f"\nCPU seconds (what a dedicated core does, whatever else the machine runs):"
          f"\n  per-file work (extract, normalise, split, tag): {work_cpu:.2f} CPU-s for {files} files"
          f" = {files / work_cpu:.2f} files/s per worker core"
          f"\n  writer fed precomputed results: {writer_cpu:.2f} CPU-s = ceiling {files / writer_cpu:.1f} files/s"
          f" (storing {stored:.2f} s of it, the rest glossary and index)"
          f"\n  workers that saturate the writer: about {writer_cpu and work_cpu / writer_cpu:.1f}")
    base = rows[0][1]
    print("\nspeed-up over local --jobs 1: " + ", ".join(f"{label}: {base / t:.2f}x" for label, t, _ in rows))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            [{"config": "cpu", "work_cpu_s": round(work_cpu, 3), "writer_cpu_s": round(writer_cpu, 3)}] + [{"config": label, "seconds": round(t, 3), "files_per_s": round(files / t, 2),
              "pages_per_s": round(s["pages"] / t, 1), "passages_per_s": round(s["passages"] / t, 1),
              "phases": {k: round(v, 3) for k, v in s["phases"].items()}}
             for label, t, s in rows], indent=2))
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
