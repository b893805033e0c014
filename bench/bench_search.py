"""Benchmark kb's search on a generated corpus: index build, in-process query latency vs SQLite FTS5, and
fresh-process `kb search` wall clock.

    python bench/bench_search.py /tmp/kb-bench --passages 100000          # generate, build, measure
    python bench/bench_search.py /tmp/kb-bench --skip-build               # re-measure an existing build
    python bench/bench_search.py --bundled                                # fresh-process time on corpus/
    python bench/bench_search.py /tmp/kb-5k --passages 5000 --long --tantivy   # pasted sentences, 3 engines
    python bench/bench_search.py /tmp/kb-bench --skip-build --long --cold --no-sidecars   # without sidecars

Queries: a seeded mix of single terms, two-term AND, phrases taken from the corpus, concept filter + term,
date range + term and plain multi-word queries; every engine answers the same queries, 10 hits with
highlighted fragments (FTS5: snippet()). Prints medians and 95th percentiles.

``--long``: plain natural-language queries of 10-25 words instead (a claim pasted as a query): a run of words
from a passage of the corpus with about a third of them replaced by other corpus words, the way a paraphrase
shares some words with its source. FTS5 answers the OR of the same words (bm25, snippet()); ``--tantivy``
adds tantivy (its default English stemming tokenizer, BM25, a SnippetGenerator fragment) as a second anchor,
built and queried in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def _cpu() -> float:
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class TreeMemory:
    """Peak resident memory of this process and all its descendants together, sampled from /proc."""

    def __init__(self, every: float = 0.2) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _tree_rss(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                pid, ppid, pages = int(entry), int(fields[1]), int(fields[21])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(pid)
            rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
        total, todo = 0, [os.getpid()]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, ()))
        return total

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.peak = max(self.peak, self._tree_rss())

    def __enter__(self) -> TreeMemory:
        self.peak = self._tree_rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def make_queries(store_path: Path, n: int = 200, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, kb query, FTS5 MATCH expression) triples drawn from the corpus itself."""
    from kb.index import term_for

    rng = random.Random(seed)
    conn = sqlite3.connect(store_path)
    # The same sample every run (SQLite's random() is not seeded), so runs and versions can be compared.
    rowids = [r[0] for r in conn.execute("SELECT rowid FROM passages ORDER BY rowid")]
    picked = sorted(rng.sample(rowids, min(400, len(rowids))))
    texts = [conn.execute("SELECT text FROM passages WHERE rowid = ?", (i,)).fetchone()[0] for i in picked]
    conn.close()
    words = [w.strip(".").lower() for t in texts for w in t.split()]
    content = [w for w in words if w.isalpha() and len(w) > 3 and term_for(w) is not None]
    out = []
    kinds = ["term", "and", "phrase", "concept", "date", "multi"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "term":
            w = rng.choice(content)
            out.append((kind, w, w))
        elif kind == "and":
            a, b = rng.choice(content), rng.choice(content)
            out.append((kind, f"{a} AND {b}", f"{a} AND {b}"))
        elif kind == "phrase":
            t = rng.choice(texts).rstrip(".").lower().split()
            k = rng.randrange(len(t) - 3)
            ph = " ".join(t[k:k + rng.choice([2, 2, 3])])
            out.append((kind, f'"{ph}"', f'"{ph}"'))
        elif kind == "concept":
            w = rng.choice(content)
            out.append((kind, f"{w} concept:pcn", f"{w} AND concepts:primary*"))
        elif kind == "date":
            w = rng.choice(content)
            y = rng.randint(2015, 2022)
            out.append((kind, f"{w} date:{y}-03..{y + 1}-02", (w, f"{y}-03-01", f"{y + 1}-02-28")))
        else:
            ws = rng.sample(content, rng.randint(3, 6))
            out.append((kind, " ".join(ws), " OR ".join(ws)))
    return out


def make_long_queries(store_path: Path, n: int = 300, seed: int = 11,
                      length: int | None = None) -> list[tuple[str, str, str]]:
    """(kind "long", kb query, FTS5 MATCH expression) of 10-25 plain words each (see the module docstring)."""
    from kb.index import term_for

    rng = random.Random(seed)
    conn = sqlite3.connect(store_path)
    rowids = [r[0] for r in conn.execute("SELECT rowid FROM passages ORDER BY rowid")]
    picked = sorted(rng.sample(rowids, min(n, len(rowids))))
    texts = [conn.execute("SELECT text FROM passages WHERE rowid = ?", (i,)).fetchone()[0] for i in picked]
    conn.close()
    pool = [w for t in texts for w in (x.strip(".,;:()'\"").lower() for x in t.split()) if w.isalpha()]
    out = []
    for k in range(n):
        words = [w for w in (x.strip(".,;:()'\"").lower() for x in texts[k % len(texts)].split()) if w.isalpha()]
        size = rng.randint(10, 25) if length is None else length
        start = rng.randrange(max(1, len(words) - size))
        claim = [w if rng.random() > 0.35 else rng.choice(pool) for w in words[start:start + size]]
        content = [w for w in claim if term_for(w) is not None]
        if not content:
            continue
        fts = " OR ".join(f'"{w}"' for w in dict.fromkeys(content))
        out.append(("long", " ".join(claim), fts))
    return out


def build_tantivy(store_path: Path, where: Path) -> float:
    """A tantivy index of the passages (text with the en_stem tokenizer, stored; id stored)."""
    import tantivy

    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    t0 = time.perf_counter()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    schema = sb.build()
    ix = tantivy.Index(schema, path=str(where))
    writer = ix.writer(heap_size=200_000_000, num_threads=1)
    conn = sqlite3.connect(store_path)
    for pid, text in conn.execute("SELECT id, text FROM passages"):
        writer.add_document(tantivy.Document(id=pid, text=text))
    writer.commit()
    writer.wait_merging_threads()
    conn.close()
    return time.perf_counter() - t0


class TantivyAnchor:
    """Top 10 by BM25 with a highlighted fragment each, as kb and FTS5 answer."""

    def __init__(self, where: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.ix = tantivy.Index.open(str(where))
        self.ix.reload()
        self.searcher = self.ix.searcher()
        self.schema = self.ix.schema

    def run(self, words: list[str]) -> int:
        query = self.ix.parse_query(" ".join(words), ["text"])
        hits = self.searcher.search(query, 10).hits
        gen = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        gen.set_max_num_chars(220)
        for _score, addr in hits:
            gen.snippet_from_doc(self.searcher.doc(addr)).to_html()
        return len(hits)


def _plain_words(q: str) -> list[str]:
    return [w for w in (x.strip(".,;:()'\"?") for x in q.split()) if w.isalpha()]


def build_fts(store_path: Path, fts_path: Path) -> float:
    if fts_path.exists():
        fts_path.unlink()
    t0 = time.perf_counter()
    conn = sqlite3.connect(fts_path)
    conn.execute(f"ATTACH DATABASE '{store_path}' AS kb")
    conn.execute("CREATE VIRTUAL TABLE p USING fts5(text, concepts, id UNINDEXED, doc_id UNINDEXED, "
                 "date_earliest UNINDEXED, date_latest UNINDEXED, tokenize='porter unicode61')")
    conn.execute(
        "INSERT INTO p(text, concepts, id, doc_id, date_earliest, date_latest) "
        "SELECT ps.text, COALESCE((SELECT group_concat(concept_id, ' ') FROM kb.mentions m WHERE m.passage_id = ps.id), ''),"
        " ps.id, ps.doc_id, d.date_earliest, d.date_latest FROM kb.passages ps JOIN kb.documents d ON d.id = ps.doc_id"
    )
    conn.commit()
    conn.close()
    return time.perf_counter() - t0


def run_fts(conn: sqlite3.Connection, expr) -> int:
    if isinstance(expr, tuple):
        w, lo, hi = expr
        rows = conn.execute(
            "SELECT id, snippet(p, 0, '<mark>', '</mark>', '…', 24) FROM p WHERE p MATCH ? AND date_earliest <= ? "
            "AND date_latest >= ? ORDER BY rank LIMIT 10", (w, hi, lo)).fetchall()
    else:
        rows = conn.execute(
            "SELECT id, snippet(p, 0, '<mark>', '</mark>', '…', 24) FROM p WHERE p MATCH ? ORDER BY rank LIMIT 10",
            (expr,)).fetchall()
    return len(rows)


def measure(home: Path, queries, rounds: int = 3, tantivy_dir: Path | None = None, cold: bool = False) -> dict:
    from kb import search as ks
    from kb.index import whoosh as whoosh_index

    index_dir = home / "indexes" / "whoosh"
    concepts = ks.load_concepts(home / "indexes" / "kb.sqlite")
    t0 = time.perf_counter()
    ks.searcher_for(index_dir)
    open_s = time.perf_counter() - t0
    fts = sqlite3.connect(home / "indexes" / "fts.sqlite")
    kb_times: dict[str, list[float]] = {}
    fts_times: dict[str, list[float]] = {}
    tv_times: dict[str, list[float]] = {}
    tv = TantivyAnchor(tantivy_dir) if tantivy_dir else None
    for _kind, q, _ in queries[:20]:  # warm caches
        ks.search(index_dir, q, concepts=concepts)
    clock = time.thread_time if os.environ.get("BENCH_CPU") else time.perf_counter
    for _ in range(rounds):
        for kind, q, expr in queries:
            if cold:
                whoosh_index.clear_postings_cache()
            t = clock()
            ks.search(index_dir, q, concepts=concepts, limit=10)
            kb_times.setdefault(kind, []).append(clock() - t)
            t = clock()
            run_fts(fts, expr)
            fts_times.setdefault(kind, []).append(clock() - t)
            if tv is not None and kind == "long":
                t = clock()
                tv.run(_plain_words(q))
                tv_times.setdefault(kind, []).append(clock() - t)
    all_kb = [x for v in kb_times.values() for x in v]
    all_fts = [x for v in fts_times.values() for x in v]
    from kb.index.whoosh import sidecar

    print(f"kb's decoded-postings cache: {'cleared before every query' if cold else 'kept across queries'}; "
          f"segment sidecars {'read' if sidecar.USE_SIDECARS else 'not read'}")
    print(f"index open (first searcher): {open_s * 1000:.0f} ms; timing with "
          f"{'thread CPU time (BENCH_CPU=1)' if os.environ.get('BENCH_CPU') else 'wall clock'}; "
          f"load average {os.getloadavg()[0]:.1f}")
    extra = f" {'tv p50':>8} {'tv p95':>8}" if tv_times else ""
    print(f"{'kind':8} {'kb p50':>8} {'kb p95':>8} {'fts p50':>8} {'fts p95':>8}{extra}   (ms)")
    for kind in kb_times:
        line = (f"{kind:8} {statistics.median(kb_times[kind]) * 1000:8.1f} {pct(kb_times[kind], 95) * 1000:8.1f} "
                f"{statistics.median(fts_times[kind]) * 1000:8.1f} {pct(fts_times[kind], 95) * 1000:8.1f}")
        if kind in tv_times:
            line += f" {statistics.median(tv_times[kind]) * 1000:8.1f} {pct(tv_times[kind], 95) * 1000:8.1f}"
        print(line)
    res = {"kb_p50": statistics.median(all_kb), "kb_p95": pct(all_kb, 95),
           "fts_p50": statistics.median(all_fts), "fts_p95": pct(all_fts, 95)}
    print(f"{'ALL':8} {res['kb_p50'] * 1000:8.1f} {res['kb_p95'] * 1000:8.1f} {res['fts_p50'] * 1000:8.1f} "
          f"{res['fts_p95'] * 1000:8.1f}   ratio p50 {res['kb_p50'] / res['fts_p50']:.2f}x, "
          f"p95 {res['kb_p95'] / res['fts_p95']:.2f}x")
    if tv_times:
        all_tv = [x for v in tv_times.values() for x in v]
        res.update(tv_p50=statistics.median(all_tv), tv_p95=pct(all_tv, 95))
        print(f"{'tantivy':8} p50 {res['tv_p50'] * 1000:.1f} ms, p95 {res['tv_p95'] * 1000:.1f} ms; kb / tantivy "
              f"p50 {res['kb_p50'] / res['tv_p50']:.1f}x, p95 {res['kb_p95'] / res['tv_p95']:.1f}x")
    return res


def fresh_process(home: Path, query: str = '"triple aim"', runs: int = 7) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("KB_HOME",)}
    env["NO_COLOR"] = "1"
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "search", query], env=env,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(f"fresh `kb search {query}` on {home}: median {med:.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("home", type=Path, nargs="?")
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--procs", type=int, default=None, help="force 1 or 2 writer processes")
    ap.add_argument("--bundled", action="store_true", help="only time fresh `kb search` on the bundled corpus")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--long", action="store_true", help="plain 10-25-word queries (pasted sentences) only")
    ap.add_argument("--queries", type=int, default=None, help="how many queries (default 200; 300 with --long)")
    ap.add_argument("--words", type=int, default=None, help="with --long: exactly this many words per query")
    ap.add_argument("--tantivy", action="store_true", help="also answer the long queries with tantivy")
    ap.add_argument("--cold", action="store_true",
                    help="clear kb's decoded-postings cache before every query (as a fresh process starts)")
    ap.add_argument("--no-fresh", action="store_true", help="skip the fresh-process `kb search` timing")
    ap.add_argument("--no-sidecars", action="store_true",
                    help="read Whoosh's posting blocks even where segments have sidecars (an index of an earlier kb)")
    args = ap.parse_args()
    if args.bundled:
        home = Path(args.home or "/tmp/kb-bench-bundled")
        if not (home / "indexes" / "whoosh").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            shutil.copytree(REPO / "corpus", home / "corpus")
            subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "ingest"], check=True,
                           capture_output=True)
        fresh_process(home)
        return
    home = args.home
    store_path = home / "indexes" / "kb.sqlite"
    if not args.skip_build:
        from gen_corpus import generate

        from kb import index
        from kb.index import whoosh as whoosh_index
        from kb.store import Store

        if not store_path.exists():
            generate(home, args.passages)
        if args.procs == 1:
            index.whoosh.writer.PARALLEL_THRESHOLD = 10**12
        elif args.procs == 2:
            index.whoosh.writer.PARALLEL_THRESHOLD = 0
        store = Store.open(store_path)
        n = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        t = time.perf_counter()
        cpu0 = _cpu()
        with TreeMemory() as memory:
            whoosh_index.rebuild(store, home / "indexes" / "whoosh")
        build = time.perf_counter() - t
        cpu = _cpu() - cpu0
        print(f"whoosh build: {n} passages in {build:.1f} s wall, {cpu:.1f} s CPU incl. workers "
              f"({n / build:.0f} passages/s); peak memory of the process tree {memory.peak / 2**30:.2f} GB; "
              f"index {_size(home / 'indexes' / 'whoosh') / 2**30:.2f} GB; load average {os.getloadavg()[0]:.1f}")
        store.close()
        print(f"fts5 build: {build_fts(store_path, home / 'indexes' / 'fts.sqlite'):.1f} s")
    tantivy_dir = None
    if args.tantivy:
        tantivy_dir = home / "indexes" / "tantivy"
        if not args.skip_build or not tantivy_dir.exists():
            print(f"tantivy build: {build_tantivy(store_path, tantivy_dir):.1f} s")
    if args.long:
        queries = make_long_queries(store_path, args.queries or 300, length=args.words)
    else:
        queries = make_queries(store_path, args.queries or 200)
    if args.no_sidecars:
        from kb.index.whoosh import sidecar

        sidecar.USE_SIDECARS = False
    measure(home, queries, rounds=args.rounds, tantivy_dir=tantivy_dir, cold=args.cold)
    if not args.no_fresh:
        fresh_process(home, "health care")


if __name__ == "__main__":
    main()
