"""One very large document: the peak memory of the whole kb process tree while it is ingested, stage by stage.

Run on demand:  python bench/bench_big_document.py                 # a generated 50 MB text document
                python bench/bench_big_document.py --mb 10 --stages   # also each stage alone, in one process

The document is generated here (a title, numbered sections, paragraphs of 80-200 words from the benchmark's
policy vocabulary), so nothing from outside is needed. ``kb ingest`` runs on it with one worker process; the
peak is the resident memory of this process and all its descendants together, sampled every 50 ms, and is
reported per part of the ingest (the per-file work with tagging and storing, the glossary, the index). The
target: a 50 MB document ingests within 1 GB. ``--stages`` then runs extraction, normalisation, splitting,
tagging, storing, the glossary and the index one after another in a fresh process and reports each one's time,
peak and what stays held after it (what a worker and the writer each hold, without the process boundary).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_ingest import WORDS  # noqa: E402
from bench_search import TreeMemory  # noqa: E402


def make_document(path: Path, megabytes: float, seed: int = 50) -> None:
    """A plain-text report of about ``megabytes`` MB: sections of ten paragraphs under a heading each."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("A very long report\n\n")
        section = 0
        while size < target:
            heading = f"Section {section}: " + " ".join(w.capitalize() for w in rng.choices(WORDS, k=6))
            parts = [heading]
            for _ in range(10):
                words = rng.choices(WORDS, k=rng.randint(80, 200))
                parts.append(" ".join(words).capitalize() + ".")
            block = "\n\n".join(parts) + "\n\n"
            out.write(block)
            size += len(block)
            section += 1


class StagePeaks(TreeMemory):
    """TreeMemory that also keeps the peak since the last ``mark``, per named part of the work."""

    def __init__(self, every: float = 0.05) -> None:
        super().__init__(every)
        self.since = 0
        self.parts: list[tuple[str, float, float, float]] = []  # (name, seconds, peak bytes, bytes held after)
        self._started = time.perf_counter()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            rss = self._tree_rss()
            self.peak = max(self.peak, rss)
            self.since = max(self.since, rss)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.since = max(self.since, self._tree_rss())
        held = self._tree_rss()
        self.parts.append((name, now - self._started, self.since, held))
        self._started, self.since = now, held


def ingest_peak(home: Path) -> None:
    from kb.ingest import ingest
    from kb.ingest.report import ExtractStarted, StageStarted
    from kb.project import Project

    current = ["extract, normalise, split, tag, store"]

    with StagePeaks() as memory:
        def progress(event: object) -> None:
            if isinstance(event, ExtractStarted):
                memory.mark("start")
            elif isinstance(event, StageStarted):
                memory.mark(current[0])
                current[0] = event.name

        started, cpu = time.perf_counter(), _cpu()
        report = ingest(Project(home), jobs=1, progress=progress)
        memory.mark(current[0])
        wall, cpu = time.perf_counter() - started, _cpu() - cpu
    print(f"{report.passages:,} passages, {report.words:,} words: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(this process and its workers); peak memory of the process tree {memory.peak / 2**30:.2f} GB")
    for name, seconds, peak, held in memory.parts[1:]:
        print(f"  {name:40s} {seconds:7.1f} s   peak {peak / 2**30:.2f} GB   then {held / 2**30:.2f} GB")


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def stages(path: Path, home: Path) -> None:
    """Each stage alone in this process: its time and the peak resident memory while it ran."""
    import pickle

    from kb.ingest.extract import extract_file
    from kb.ingest.metadata import resolve_metadata
    from kb.ingest.normalise import normalise_pages
    from kb.ingest.passages import split_passages
    from kb.nlp.glossary import finalize
    from kb.nlp.pipeline import Tagger
    from kb.store import Store

    with StagePeaks(every=0.02) as memory:
        def mark(name: str) -> None:
            gc.collect()
            memory.mark(name)

        extraction = extract_file(path)
        mark("extract")
        clean, _ = normalise_pages(extraction.pages)
        extraction = None
        mark("normalise")
        text, pages, passages = split_passages("big", clean)
        clean = None
        mark("split passages")
        passages = pickle.loads(pickle.dumps(passages))
        mark("result to the writer (pickle)")
        _, mentions, acronyms = next(iter(Tagger([]).tag([("big", passages)])))
        mark("tag (with building spaCy)")
        store = Store.open(home / "indexes" / "kb.sqlite", create=True)
        from kb.models import Extraction

        meta = resolve_metadata("big.txt", None, Extraction("text", (), {"sources": {}}, ()), text)
        doc = {"id": "big", "source": "big.txt", "sha256": "0" * 64, "file_size": 0, "file_mtime_ns": 0,
               "catalog_hash": "", "format": "text", **meta, "pages": len(pages), "passages": len(passages),
               "words": sum(p.words for p in passages), "text": text, "warnings": [], "ocr": None,
               "ingested_at": "2026-01-01T00:00:00+00:00"}
        with store.transaction():
            store.replace_document(doc, pages, passages)
            store.replace_mentions("big", mentions, acronyms, "bench")
        text = doc = passages = mentions = None  # type: ignore[assignment]
        mark("store")
        finalize(store, [])
        mark("glossary")
        from kb.index import whoosh as whoosh_index

        whoosh_index.rebuild(store, home / "indexes" / "whoosh")
        mark("index")
        store.close()
    print("each stage in turn, in one fresh process:")
    for name, seconds, peak, held in memory.parts:
        print(f"  {name:40s} {seconds:7.1f} s   peak {peak / 2**30:.2f} GB   then {held / 2**30:.2f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="size of the generated document in MB")
    parser.add_argument("--stages", action="store_true", help="also run each stage in turn and report it")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)  # the fresh process --stages starts
    args = parser.parse_args()
    if args.stages_of:
        stages(args.stages_of, args.stages_of.parent.parent / "alone")
        return
    home = Path(tempfile.mkdtemp(prefix="kb-bench-big-"))
    try:
        (home / "corpus").mkdir()
        path = home / "corpus" / "big.txt"
        make_document(path, args.mb)
        print(f"document: {path.stat().st_size / 1e6:.1f} MB of text")
        ingest_peak(home)
        if args.stages:
            (home / "alone").mkdir()
            subprocess.run([sys.executable, __file__, "--stages-of", str(path)], check=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
