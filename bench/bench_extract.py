"""Throughput of extraction + normalisation + passages on text-heavy two-column PDFs.

Run on demand (not in the test suite):  python bench/bench_extract.py [--pages 300] [--files 4] [--runs 3]

Generates report-like PDFs (running header, footer page numbers, mostly two-column pages, line-end
hyphenation; sentences drawn from the bundled corpus) into bench/out/, then reports medians of:
  - pdfminer.six ``extract_text`` alone on one file (the reference the issue quotes),
  - extract_file + normalise_pages + split_passages on one file in this process (one core),
  - the same over several files with a 2-process pool (both cores).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def make_pdf(path: Path, pages: int, seed: int) -> int:
    """A report of about ``pages`` pages; returns the real page count. Reuses an existing file."""
    from pdf_fixtures import Block, write_report_pdf

    if path.exists():
        from pdfminer.pdfpage import PDFPage

        with path.open("rb") as handle:
            return sum(1 for _ in PDFPage.get_pages(handle))
    corpus = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    corpus = corpus.replace("\u2022", " ")  # no bullet glyphs inside sentences (Helvetica has no mapping)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(corpus.split())) if len(s.split()) > 6]
    rng = random.Random(seed)
    blocks: list[Block] = []
    words = 0
    per_page = 900  # words on a full two-column page at 9.5pt
    section = 0
    while words < pages * per_page:
        section += 1
        blocks.append(Block("heading", f"{section}. {rng.choice(sentences).split(',')[0][:60].rstrip('.')}"))
        for _ in range(rng.randint(3, 7)):
            paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
            kind = "bullet" if rng.random() < 0.15 else "para"
            blocks.append(Block(kind, paragraph))
            words += len(paragraph.split())
    _, layout = write_report_pdf(
        path,
        blocks,
        title=f"Benchmark report {seed}",
        header="Benchmark Trust  |  Annual report on integrated care",
        footer="Benchmark Trust",
        columns=lambda page: 1 if page % 5 == 1 else 2,
        max_hyphenations=pages * 4,
    )
    return layout.pages


def pipeline(path: str) -> tuple[int, int]:
    """extract + normalise + passages for one file; returns (pages, passages)."""
    from kb.ingest.extract import extract_file
    from kb.ingest.normalise import normalise_pages
    from kb.ingest.passages import split_passages

    extraction = extract_file(Path(path))
    pages, _ = normalise_pages(extraction.pages)
    _, _, passages = split_passages("bench", pages)
    return len(pages), len(passages)


def pdfminer_only(path: str) -> None:
    from pdfminer.high_level import extract_text

    extract_text(path)


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def cpu_timed(fn, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is robust when other work shares the cores."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages per generated PDF (default 300)")
    parser.add_argument("--files", type=int, default=4, help="files for the 2-process run (default 4)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported (default 3)")
    parser.add_argument("--reference-runs", type=int, default=1, help="runs of the pdfminer reference (default 1)")
    parser.add_argument("--skip-reference", action="store_true", help="skip the pdfminer extract_text reference")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    files = []
    page_counts = []
    for seed in range(args.files):
        path = OUT / f"report-{args.pages}p-{seed}.pdf"
        started = time.perf_counter()
        page_counts.append(make_pdf(path, args.pages, seed))
        files.append(str(path))
        print(f"{path.name}: {page_counts[-1]} pages, {path.stat().st_size // 1024} KB "
              f"({time.perf_counter() - started:.1f} s to make or count)", flush=True)

    pipeline(files[0])  # warm imports
    pages = page_counts[0]
    if not args.skip_reference:
        ref = [cpu_timed(pdfminer_only, files[0]) for _ in range(args.reference_runs)]
        wall, cpu = statistics.median(r[0] for r in ref), statistics.median(r[1] for r in ref)
        print(f"pdfminer extract_text alone, 1 core: {pages / wall:.1f} pages/s wall, {pages / cpu:.1f} pages/s "
              f"per CPU-second (median of {len(ref)}: {wall:.2f} s wall, {cpu:.2f} s CPU)", flush=True)

    one = [cpu_timed(pipeline, files[0]) for _ in range(args.runs)]
    wall, cpu = statistics.median(r[0] for r in one), statistics.median(r[1] for r in one)
    print(f"extract+normalise+passages, 1 core: {pages / wall:.1f} pages/s wall, {pages / cpu:.1f} pages/s per "
          f"CPU-second (median of {args.runs}: {wall:.2f} s wall, {cpu:.2f} s CPU)", flush=True)

    def pool_run() -> None:
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(pipeline, files))

    import resource

    two = []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = timed(pool_run)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        two.append((wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)))
    total = sum(page_counts)
    wall, cpu = statistics.median(r[0] for r in two), statistics.median(r[1] for r in two)
    print(f"extract+normalise+passages, 2 processes over {len(files)} files: {total / wall:.1f} pages/s wall, "
          f"{total / cpu:.1f} pages/s per CPU-second of the workers (median of {args.runs}: {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU); load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
