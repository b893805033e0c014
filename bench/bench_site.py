"""How long `kb site build` takes, and how much the first search downloads in a real browser.

Run on demand (not in the test suite):

    python bench/bench_site.py                   # bundled corpus + generated 1,000 documents / 50,000 passages
    python bench/bench_site.py --skip-large      # bundled corpus only
    python bench/bench_site.py --docs 200 --runs 1

Targets (issue 6): bundled corpus in a few seconds; 1,000 documents / 50,000 passages under 3 minutes including
Pagefind; the first search in the browser downloads under 300 KB (300,000 bytes, as transferred with gzip on
text files, which is what static hosts do) on that corpus.

The generated corpus draws its sentences from the bundled documents (real policy vocabulary, so Pagefind's index
and fragments have realistic sizes), 50 passages of about 100 words per document, 40 publishers, 2010-2024 with
day/month/year precision and 5% undated, 1% duplicate editions, and 40 concepts mentioned with a Zipf-like spread.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.models import AcronymDefinition, Concept, Mention, Passage  # noqa: E402
from kb.store import Store  # noqa: E402

CONCEPTS = [("ics", "integrated care system", "ICS"), ("icb", "integrated care board", "ICB"),
            ("ccg", "clinical commissioning group", "CCG"), ("pcn", "primary care network", "PCN"),
            ("stp", "sustainability and transformation partnership", "STP"), ("triple-aim", "triple aim", ""),
            ("icp", "integrated care partnership", "ICP"), ("provider-collaborative", "provider collaborative", ""),
            ("hwb", "health and wellbeing board", "HWB"), ("nhse", "NHS England", "NHSE")] + \
           [(f"concept-{i}", f"policy concept {i}", f"PC{i}") for i in range(30)]
QUERIES = ["triple aim", "integrated care", "ICS", "workforce", "provider collaborative", "social care funding"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def generate(path: Path, docs: int, per_doc: int = 50, seed: int = 11) -> None:
    """Write a generated store of ``docs`` documents of ``per_doc`` passages to ``path``."""
    rng = random.Random(seed)
    text = " ".join(p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if 6 < len(s.split()) < 40]
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path, create=True)
    concepts = [Concept(cid, label, "body" if i % 3 else "policy", acronyms=(acr,) if acr else (),
                        successor=("ics",) if cid == "stp" else ()) for i, (cid, label, acr) in enumerate(CONCEPTS)]
    with store.transaction():
        store.replace_concepts(concepts)
    weights = [1 / (rank + 1) for rank in range(len(concepts))]
    for d in range(docs):
        doc_id = f"report-{d:05d}"
        year = 2010 + d * 15 // docs
        r = rng.random()
        if r < 0.05:
            published = precision = earliest = latest = None
        elif r < 0.2:
            published, precision, earliest, latest = str(year), "year", f"{year}-01-01", f"{year}-12-31"
        else:
            m, day = rng.randint(1, 12), rng.randint(1, 28)
            published = earliest = latest = f"{year}-{m:02d}-{day:02d}"
            precision = "day"
        passages, mentions, acronyms, full, pages = [], [], [], "", []
        for n in range(per_doc):
            page = 1 + n // 5
            if n % 5 == 0:
                pages.append((page, len(full), 0))
            start = len(full)
            words: list[str] = []
            while len(words) < 90:
                words += rng.choice(sentences).split()
            chosen = rng.choices(concepts, weights, k=rng.randint(0, 4))
            cuts = sorted(rng.sample(range(len(words)), len(chosen)))
            body, last = "", 0
            for c, at in zip(chosen, cuts, strict=True):
                body += " ".join(words[last:at]) + (" " if at > last else "")
                surface = c.acronyms[0] if c.acronyms and rng.random() < 0.5 else c.label
                a = len(body)
                body += surface + " "
                last = at
                mentions.append(Mention(doc_id, f"{doc_id}-{n}", c.id, surface, start + a, start + a + len(surface), page))
                if surface == c.label and c.acronyms and rng.random() < 0.05:
                    acronyms.append(AcronymDefinition(doc_id, f"{doc_id}-{n}", c.acronyms[0], c.label, start + a,
                                                      start + a + len(surface), page, c.id))
            body += " ".join(words[last:])
            full += body
            passages.append(Passage(f"{doc_id}-{n}", doc_id, n + 1, page, page, start, len(full), body))
            full += "\n\n"
        pages = [(p, s, pages[i + 1][1] if i + 1 < len(pages) else len(full)) for i, (p, s, _) in enumerate(pages)]
        doc = {"id": doc_id, "source": doc_id + ".txt", "sha256": doc_id, "format": "text",
               "title": f"Report {d}: {rng.choice(sentences)[:60]}", "publisher": f"Publisher {d % 40}",
               "published": published, "date_precision": precision, "date_earliest": earliest, "date_latest": latest,
               "date_source": "catalog" if published else None, "doc_type": ["report", "briefing", "guidance"][d % 3],
               "duplicate_of": "report-00000" if d and d % 100 == 0 else None, "pages": len(pages),
               "passages": per_doc, "words": sum(p.words for p in passages), "text": full,
               "ingested_at": f"2026-01-01T00:{d // 60 % 60:02d}:{d % 60:02d}"}
        with store.transaction():
            store.replace_document(doc, pages, passages)
            store.replace_mentions(doc_id, mentions, acronyms, "bench")
    store.conn.execute("ANALYZE")
    store.close()


def build_times(store_path: Path, out: Path, runs: int) -> list[float]:
    from kb.site.build import build_site

    times = []
    for _ in range(runs):
        with Store.open(store_path) as store:
            t0 = time.perf_counter()
            summary = build_site(store, out)
            times.append(time.perf_counter() - t0)
    print(f"    {summary.pages:,} pages, {summary.search_pages:,} indexed, {summary.files:,} files, "
          f"{summary.bytes / 1e6:.1f} MB")
    return times


def phase_times(store_path: Path) -> None:
    """Where the time goes: gathering (with kb.trace per concept) versus everything else."""
    from kb.site.gather import gather

    with Store.open(store_path) as store:
        t0 = time.perf_counter()
        gather(store, tracer=False)
        t1 = time.perf_counter()
        gather(store, tracer=True)
        t2 = time.perf_counter()
    print(f"    gather without trace {t1 - t0:.1f} s; with kb.trace per concept {t2 - t1:.1f} s")


def served_size(site: Path, url_path: str, gzip_text: bool = True) -> int:
    """Bytes a static host sends for a file: text gzipped (as `kb site serve`, GitHub Pages, Netlify, nginx with
    gzip on do), Pagefind's own files as they are (they are gzipped already)."""
    import gzip

    from kb.site.serve import COMPRESSIBLE

    path = site / url_path
    if not path.is_file():
        return 0
    body = path.read_bytes()
    return len(gzip.compress(body, 6)) if gzip_text and path.suffix in COMPRESSIBLE else len(body)


def first_search_bytes(site: Path) -> list[dict]:
    """What the first search downloads, per query, each in a cold browser (no cache, no service worker).

    Counts response bodies as transferred (Chromium's encoded size, i.e. after gzip). A request whose size the
    browser does not report (a web worker's script) is counted at the size a static host would send. Also
    reports the same requests from a host that compresses nothing, and the response headers separately.
    """
    from playwright.sync_api import sync_playwright

    from kb.site.serve import serve_in_thread

    server, base = serve_in_thread(site)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for q in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                seen: list[tuple[str, int, int]] = []
                # The context closes before the next query rebinds ``seen``, so the late binding is harmless.
                page.on("requestfinished", lambda r: seen.append(  # noqa: B023
                    (r.url[len(base):].split("?")[0], r.sizes()["responseBodySize"], r.sizes()["responseHeadersSize"])))
                page.goto(base + "search.html?q=" + q.replace(" ", "+"))
                page.wait_for_selector("#results .result", timeout=30000)
                page.wait_for_load_state("networkidle")
                row = {"query": q, "bytes": 0, "plain": 0, "headers": 0, "index": 0, "fragments": 0,
                       "results": page.inner_text("#search-status")}
                for path, body, headers in seen:
                    size = body or served_size(site, path)
                    row["bytes"] += size
                    row["plain"] += served_size(site, path, gzip_text=False)
                    row["headers"] += headers
                    row["index"] += size if path.startswith("pagefind/index/") else 0
                    row["fragments"] += size if path.startswith("pagefind/fragment/") else 0
                rows.append(row)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def page_sizes(site: Path) -> None:
    """The largest concept page and mention page: no page should take megabytes to open."""
    concepts = sorted((site / "concepts").glob("*.html"), key=lambda p: -p.stat().st_size)
    mentions = sorted((site / "concepts").glob("*/mentions-*.html"), key=lambda p: -p.stat().st_size)
    for label, pages in (("concept page", concepts), ("mention page", mentions)):
        if pages:
            sizes = [p.stat().st_size for p in pages]
            print(f"    largest {label}: {pages[0].relative_to(site)} {sizes[0] / 1e3:,.0f} KB "
                  f"(median {statistics.median(sizes) / 1e3:,.0f} KB over {len(sizes)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs for the bundled corpus (the large one runs once)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-bench-site"))
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    print("bundled corpus")
    home = args.work / "bundled"
    if not (home / "indexes" / "kb.sqlite").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        shutil.copytree(ROOT / "corpus", home / "corpus")
        subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "ingest"], check=True, capture_output=True)
    times = build_times(home / "indexes" / "kb.sqlite", home / "site", args.runs)
    print(f"    build_site: median {statistics.median(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "site", "build"], check=True, capture_output=True)
    print(f"    `kb site build` (fresh process): {time.perf_counter() - t0:.2f} s")
    if args.skip_large:
        return

    store_path = args.work / "large" / "kb.sqlite"
    if args.regenerate or not store_path.exists():
        t0 = time.perf_counter()
        generate(store_path, args.docs)
        print(f"generated {args.docs:,} documents in {time.perf_counter() - t0:.1f} s -> {store_path}")
    with Store.open(store_path) as store:
        n = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        m = store.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    print(f"generated corpus: {args.docs:,} documents, {n:,} passages, {m:,} mentions")
    phase_times(store_path)
    times = build_times(store_path, args.work / "large" / "site", 1)
    print(f"    build_site incl. Pagefind: {times[0]:.1f} s (target < 180 s)")
    page_sizes(args.work / "large" / "site")
    rows = first_search_bytes(args.work / "large" / "site")
    for r in rows:
        print(f"    first search {r['query']!r}: {r['bytes']:,} bytes (index chunks {r['index']:,}, fragments "
              f"{r['fragments']:,}; {r['plain']:,} from a host without gzip; headers {r['headers']:,}) "
              f"- {r['results']}")
    sizes = [r["bytes"] for r in rows]
    under = sum(s < 300_000 for s in sizes)
    print(f"    first search: median {statistics.median(sizes):,.0f} bytes, range {min(sizes):,}-{max(sizes):,}; "
          f"{under} of {len(sizes)} queries under the 300,000-byte target "
          f"(without gzip: median {statistics.median(r['plain'] for r in rows):,.0f})")


if __name__ == "__main__":
    main()
