"""Time and peak memory of `kb emerging`'s two halves on a generated corpus (bench/gen_corpus.py).

    python bench/bench_emerging.py --passages 22000 [--passages 100000] [--work /tmp/kb-bench-emerging]
        [--phases count,one-more,emerging,site] [--before /path/to/other/checkout] [--copies 5]

For each size: counting every document's candidate terms as a full ingest does (``update_term_counts`` on a
store without counts, and their sums per year and publisher), counting one more document as an incremental
ingest does, then ``emerging`` for 2022-2023 against 2020-2021 with 30 first appearances, and the site's "New
terms" lists (``gather_new_terms``: one list per year after the first); each phase in its own process, so its
peak resident memory (VmHWM) is its own; CPU seconds are given beside wall seconds for a shared machine. The
emerging and site phases print a digest of their JSON, so two versions' answers on one store can be compared.

``--before CHECKOUT`` runs the emerging and site phases with that checkout's kb too, on the same store, just
before this one's (the store is opened read-only: an older kb reads it as it is, a newer schema included).
``migrate`` opens the store as kb does (building the sums of a store of schema 5). ``--copies K`` (phase
``scale``) makes the store of ``--passages N`` K times larger without counting anew: it adds K-1 copies of
every document with its passages, mentions and counted rows (ids and publishers suffixed "~k", dates kept), then
sums all counts in bulk with the migration's statements. Counting 1,000,000 passages takes about an hour of CPU;
the copies have the distribution of the N-passage run, K times the documents and publishers.
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


def _phase(phase: str, home: str, kb_path: str | None = None, copies: int = 1) -> None:
    if kb_path:
        sys.path.insert(0, kb_path)
    from kb.nlp.phrases import update_term_counts
    from kb.store import Store
    from kb.trace.emerging import emerging, report_json

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
        store.conn.execute("BEGIN IMMEDIATE")  # a changed document: its counts go and come back; rolled back after
        doc = store.conn.execute("SELECT doc_id FROM term_docs LIMIT 1").fetchone()[0]
        store.conn.execute("UPDATE term_docs SET version='changed' WHERE doc_id=?", (doc,))
        out["documents"], _ = update_term_counts(store)
        store.conn.execute("ROLLBACK")
        store.close()
    elif phase == "migrate":
        Store.open(path).close()
    elif phase == "scale":
        _scale(path, copies)
    elif phase == "site":
        from kb.site.new_terms import gather_new_terms

        store = Store.open_snapshot(path)
        assert store is not None
        documents = [{"published": d["published"], "duplicate_of": None} for d in store.counted_documents().values()]
        reports = gather_new_terms(store, documents)
        out["years"] = len(reports)
        out["listed"] = sum(len(r.terms) for r in reports.values())
        out["digest"] = _digest({y: report_json(r) for y, r in reports.items()})
        store.close()
    else:
        store = Store.open_snapshot(path)
        assert store is not None
        report = emerging(store, "2022", "2023", limit=30)
        out["listed"] = len(report.terms)
        out["considered"] = report.considered
        out["digest"] = _digest(report_json(report))
        store.close()
    out["seconds"] = round(time.perf_counter() - started, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)  # the machine may be shared: CPU is steadier
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out))


def _digest(data: object) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def _scale(path: Path, copies: int) -> None:
    """Add ``copies - 1`` copies of every document (passages, mentions, counted rows) and sum every count in
    bulk, as the migration to schema 6 does (see the module docstring)."""
    import sqlite3

    from kb.store.terms import SUMS_FROM_COUNTS

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    renamed = {"documents": {"id": "id || ?1", "source": "source || ?1", "publisher": "publisher || ' ' || ?1"},
               "passages": {"id": "id || ?1", "doc_id": "doc_id || ?1"},
               "mentions": {"doc_id": "doc_id || ?1", "passage_id": "passage_id || ?1"},
               "term_docs": {"doc_id": "doc_id || ?1"}, "term_counts": {"doc_id": "doc_id || ?1"}}
    for k in range(1, copies):
        for table, change in renamed.items():
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            exprs = ", ".join(change.get(c, c) for c in cols)
            conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {exprs} FROM {table} "
                         "WHERE instr(id, '~') = 0" if table in ("documents", "passages") else
                         f"INSERT INTO {table} ({', '.join(cols)}) SELECT {exprs} FROM {table} "
                         "WHERE instr(doc_id, '~') = 0", (f"~{k}",))
    conn.execute("COMMIT")
    conn.executescript("BEGIN; DELETE FROM term_buckets; DELETE FROM term_totals; DELETE FROM term_sums;"
                       + SUMS_FROM_COUNTS + "COMMIT;")
    conn.close()


PLANTED = 40  # phrases that rise: so that the list is full and 30 first appearances are looked up


def _plant(home: Path) -> None:
    """Append rising three-word phrases to passages: in 20% of the passages of documents dated 2022-2023, 1% of
    the others (the generated text alone, uniform over the years, has nothing that rises)."""
    import random

    from kb.store import Store

    rng = random.Random(3)
    words = "ward hub model pathway scheme network unit service panel board plan fund".split()
    heads = "virtual neighbourhood anchor population integrated shared digital community place".split()
    phrases = [f"{rng.choice(heads)} {rng.choice(heads)} {rng.choice(words)}" for _ in range(PLANTED)]
    store = Store.open(home / "indexes" / "kb.sqlite")
    with store.transaction():
        rows = store.conn.execute("SELECT p.id, p.text, substr(d.date_earliest, 1, 4) FROM passages p "
                                  "JOIN documents d ON d.id = p.doc_id").fetchall()
        for pid, text, year in rows:
            if rng.random() < (0.2 if year >= "2022" else 0.01):
                text += f" It opened in the {rng.choice(phrases)}."
                store.conn.execute("UPDATE passages SET text=? WHERE id=?", (text, pid))
    store.close()


def _peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: ru_maxrss would carry the parent's peak
    across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--work", default="/tmp/kb-bench-emerging")
    parser.add_argument("--phases", default="count,one-more,emerging",
                        help="which phases to run, comma-separated (count makes the counts the others read)")
    parser.add_argument("--before", help="another kb checkout: also run the emerging and site phases with it")
    parser.add_argument("--copies", type=int, default=1, help="phase scale: how many times larger to make the store")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--kb", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase(args.phase, args.home, args.kb, args.copies)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen_corpus import generate

    for n in args.passages or [22_000]:
        home = Path(args.work) / f"p{n}"
        phases = args.phases.split(",")
        if "count" in phases:
            generate(home, n)
            _plant(home)
        print(f"{n:,} passages")
        for phase in phases:
            runs = [("", None)]
            if args.before and phase in ("emerging", "site"):
                runs.insert(0, (" before", args.before))
            for label, kb_path in runs:
                extra = (["--kb", kb_path] if kb_path else []) + ["--copies", str(args.copies)]
                result = subprocess.run([sys.executable, __file__, "--phase", phase, "--home", str(home), *extra],
                                        check=True, capture_output=True, text=True)
                print(f"  {phase + label:<16} {result.stdout.strip()}", flush=True)
        size = (home / "indexes" / "kb.sqlite").stat().st_size
        print(f"  store     {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
