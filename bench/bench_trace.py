"""How long `kb trace` and `kb kwic` take on a generated store of 100,000 passages (target: a trace under 1 s).

Run on demand, not in the test suite:

    python bench/bench_trace.py                # builds /tmp/kb-bench-trace/kb.sqlite once, then times
    python bench/bench_trace.py --passages 20000 --runs 7 --rebuild

The store has 2,000 documents of 50 passages (about 110 words each), dates spread over 2010-2024 with day, month
and year precision, 5% undated and 1% duplicate editions, and 30 concepts mentioned with a Zipf-like spread, so
the most common concept is in about a quarter of all passages and the rarest in a few dozen. The second most
common one ("National Health Service") is never defined: the worst case for the search for a first definition.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.models import AcronymDefinition, Concept, Mention, Passage  # noqa: E402
from kb.store import Store  # noqa: E402

WORDS = ("health care services local partners budget staff plan population system providers commissioners board "
         "council funding workforce hospital community primary social review outcomes quality access patients "
         "duty reform policy national regional place neighbourhood data digital finance oversight").split()
CONCEPT_NAMES = [
    ("ics", "integrated care system", "ICS"), ("nhs", "National Health Service", ""),
    ("nhs-england", "NHS England", "NHSE"),
    ("ccg", "clinical commissioning group", "CCG"), ("pcn", "primary care network", "PCN"),
    ("stp", "sustainability and transformation partnership", "STP"), ("icb", "integrated care board", "ICB"),
    ("icp", "integrated care partnership", "ICP"), ("triple-aim", "triple aim", ""),
    ("provider-collaborative", "provider collaborative", ""), ("hwb", "health and wellbeing board", "HWB"),
] + [(f"concept-{i}", f"policy concept {i}", f"PC{i}") for i in range(20)]


def build(path: Path, passages: int, seed: int = 7) -> None:
    """Write the generated store (documents, passages, concepts, mentions, acronym definitions)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store.open(path, create=True)
    concepts = [Concept(cid, label, "body", acronyms=(acr,) if acr else (),
                        successor=("icb",) if cid == "ccg" else ("ics",) if cid == "stp" else ())
                for cid, label, acr in CONCEPT_NAMES]
    with store.transaction():
        store.replace_concepts(concepts)
    weights = [1 / (rank + 1) for rank in range(len(concepts))]
    per_doc = 50
    for d in range(passages // per_doc):
        doc_id = f"doc-{d:05d}"
        year = 2010 + d * 15 // (passages // per_doc)
        kind = rng.random()
        if kind < 0.05:
            published = precision = earliest = latest = None
        elif kind < 0.15:
            published, precision, earliest, latest = str(year), "year", f"{year}-01-01", f"{year}-12-31"
        elif kind < 0.40:
            m = rng.randint(1, 12)
            published, precision, earliest, latest = f"{year}-{m:02d}", "month", f"{year}-{m:02d}-01", f"{year}-{m:02d}-28"
        else:
            m, day = rng.randint(1, 12), rng.randint(1, 28)
            published = earliest = latest = f"{year}-{m:02d}-{day:02d}"
            precision = "day"
        rows, mentions, acronyms, offset = [], [], [], 0
        for n in range(per_doc):
            words = [rng.choice(WORDS) for _ in range(100)]
            spans = []
            text = ""
            chosen = rng.choices(concepts, weights, k=rng.randint(0, 6))
            cut = sorted(rng.sample(range(100), len(chosen)))
            last = 0
            for c, at in zip(chosen, cut, strict=True):
                text += " ".join(words[last:at]) + " "
                surface = c.acronyms[0] if c.acronyms and rng.random() < 0.5 else c.label
                start = len(text)
                text += surface
                spans.append((c, surface, start, len(text)))
                if surface == c.label and c.acronyms and rng.random() < 0.1:
                    text += f" ({c.acronyms[0]})"
                    acronyms.append(AcronymDefinition(doc_id, f"{doc_id}-{n}", c.acronyms[0], c.label,
                                                      offset + start, offset + len(text), 1 + n // 5, c.id))
                text += " is a partnership." if c.id != "nhs" and rng.random() < 0.02 else " "
                last = at
            text += " ".join(words[last:]) + "."
            pid = f"{doc_id}-{n}"
            rows.append(Passage(pid, doc_id, n, 1 + n // 5, 1 + n // 5, offset, offset + len(text), text))
            mentions += [Mention(doc_id, pid, c.id, s, offset + a, offset + b, 1 + n // 5) for c, s, a, b in spans]
            offset += len(text) + 2
        full = "\n\n".join(p.text for p in rows)
        doc = {"id": doc_id, "source": doc_id + ".txt", "sha256": doc_id, "format": "text", "title": f"Report {d}",
               "publisher": f"Publisher {d % 40}", "published": published, "date_precision": precision,
               "date_earliest": earliest, "date_latest": latest, "date_source": "catalog" if published else None,
               "duplicate_of": "doc-00000" if d and d % 100 == 0 else None, "pages": 10, "passages": per_doc,
               "words": sum(p.words for p in rows), "text": full, "ingested_at": "2026-01-01T00:00:00"}
        with store.transaction():
            store.replace_document(doc, [(1, 0, len(full))], rows)
            store.replace_mentions(doc_id, mentions, acronyms, "bench")
    store.conn.execute("ANALYZE")
    store.close()


def timed(fn, runs: int) -> tuple[float, float, float]:
    """Median wall time, max wall time and median CPU time of this process (SQLite runs in-process, so CPU time
    is what a trace costs on an idle machine; wall time also shows waiting for other processes)."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, default=Path("/tmp/kb-bench-trace/kb.sqlite"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    from kb.trace import kwic, trace

    if args.rebuild or not args.store.exists():
        t0 = time.perf_counter()
        build(args.store, args.passages)
        print(f"built {args.passages:,} passages in {time.perf_counter() - t0:.1f} s -> {args.store}")
    store = Store.open(args.store)
    n = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    m = store.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    print(f"{n:,} passages, {m:,} mentions; medians of {args.runs} runs; load average {os.getloadavg()[0]:.1f}")
    cases = [
        ("trace ICS (most common concept)", lambda: trace(store, "ICS")),
        ("trace NHS (common, never defined)", lambda: trace(store, "National Health Service")),
        ("trace ccg --by month (with successor)", lambda: trace(store, "ccg", by="month")),
        ("trace 'triple aim' (concept label)", lambda: trace(store, "triple aim")),
        ("trace rare concept", lambda: trace(store, "policy concept 19")),
        ("trace phrase 'workforce hospital'", lambda: trace(store, "workforce hospital")),
        ("trace phrase 'is a partnership'", lambda: trace(store, "is a partnership")),
        ("kwic PCN (all lines, sort left)", lambda: kwic(store, "PCN", sort="left")),
        ("kwic ICS --limit 50", lambda: kwic(store, "ICS", limit=50)),
    ]
    for name, fn in cases:
        median, worst, cpu = timed(fn, args.runs)
        print(f"  {name:<42} wall {median * 1000:6.0f} ms (max {worst * 1000:5.0f})  cpu {cpu * 1000:6.0f} ms")
    store.close()


if __name__ == "__main__":
    main()
