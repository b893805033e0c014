"""Time and peak memory of `kb emerging`'s two halves on a generated corpus (bench/gen_corpus.py).

    python bench/bench_emerging.py --passages 22000 [--passages 100000] [--work /tmp/kb-bench-emerging]

For each size: counting every document's candidate terms as a full ingest does (``update_term_counts`` on a
store without counts), counting one more document as an incremental ingest does, then ``emerging`` for
2022-2023 against 2020-2021 with 30 first appearances; each phase in its own process, so its peak resident
memory (``ru_maxrss``) is its own; CPU seconds are given beside wall seconds for a shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _phase(phase: str, home: str) -> None:
    from kb.nlp.phrases import update_term_counts
    from kb.store import Store
    from kb.trace.emerging import emerging

    path = Path(home) / "indexes" / "kb.sqlite"
    started = time.perf_counter()
    out: dict = {}
    if phase == "count":
        store = Store.open(path)
        with store.transaction():
            out["documents"], _ = update_term_counts(store)
        out["rows"] = store.conn.execute("SELECT COUNT(*) FROM term_counts").fetchone()[0]
        store.close()
    elif phase == "one-more":
        store = Store.open(path)
        with store.transaction():  # a changed document: its counts go and come back; rolled back after
            doc = store.conn.execute("SELECT doc_id FROM term_docs LIMIT 1").fetchone()[0]
            store.conn.execute("UPDATE term_docs SET version='changed' WHERE doc_id=?", (doc,))
            out["documents"], _ = update_term_counts(store)
            store.conn.execute("SELECT 1").fetchone()
            out["seconds_inside"] = round(time.perf_counter() - started, 3)
            store.conn.execute("ROLLBACK")
        store.close()
    else:
        store = Store.open_snapshot(path)
        assert store is not None
        report = emerging(store, "2022", "2023", limit=30)
        out["listed"] = len(report.terms)
        out["considered"] = report.considered
        store.close()
    out["seconds"] = round(time.perf_counter() - started, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)  # the machine may be shared: CPU is steadier
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--work", default="/tmp/kb-bench-emerging")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase(args.phase, args.home)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen_corpus import generate

    for n in args.passages or [22_000]:
        home = Path(args.work) / f"p{n}"
        generate(home, n)
        print(f"{n:,} passages")
        for phase in ("count", "one-more", "emerging"):
            result = subprocess.run([sys.executable, __file__, "--phase", phase, "--home", str(home)],
                                    check=True, capture_output=True, text=True)
            print(f"  {phase:<9} {result.stdout.strip()}")
        size = (home / "indexes" / "kb.sqlite").stat().st_size
        print(f"  store     {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
