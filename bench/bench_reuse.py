"""Lineage (kb reuse): recall, precision and speed on generated documents with planted reuse, and the cost on a
real knowledge base. Run on demand, not in the test suite:

    python bench/bench_reuse.py --passages 20000              # planted reuse, generated store in /tmp
    python bench/bench_reuse.py --store /tmp/try/indexes/kb.sqlite   # a real store: full and one-document times

Planted reuse: documents of 20 passages; each passage is 5-8 sentences of 10-16 words drawn with a Zipf-like
spread from a 30,000-word vocabulary (the gen_corpus.py words), so common phrases recur by chance. 15% of the
documents copy 1-3 passages of earlier documents, each copy lightly edited (a changed word, a dropped clause of
2-5 words, a word hyphenated over a line break), a copy of a copy edited again. 3% of the documents, of 8
publishers, carry the same licence notice. The truth: every two passages descending from one original passage
(5 sentences or more) are a pair; licence notices are boilerplate and must stay out of the default list.
Reported: recall and precision of the default list, update time per passage, peak memory (RSS), and the
all-pairs baseline (aligning every two passages of a sample) per passage for comparison.
"""

from __future__ import annotations

import argparse
import bisect
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_corpus import PUBLISHERS, _vocabulary  # noqa: E402

from kb.lineage import update_lineage  # noqa: E402
from kb.lineage.align import align  # noqa: E402
from kb.lineage.report import find_reuse  # noqa: E402
from kb.lineage.text import words  # noqa: E402
from kb.models import PartialDate, Passage  # noqa: E402
from kb.store import Store  # noqa: E402
from kb.store import lineage as db  # noqa: E402

PER_DOC = 20
LICENCE = ("This publication is licensed under the terms of the Open Government Licence v3.0 except where otherwise "
           "stated. To view this licence, visit nationalarchives.gov.uk/doc/open-government-licence/version/3 or "
           "write to the Information Policy Team, The National Archives, Kew, London.")


class Words:
    """Zipf-like word draws."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = _vocabulary(rng, 30_000)
        total, self.cum = 0.0, []
        for i in range(len(self.vocab)):
            total += 1.0 / (i + 1) ** 1.05
            self.cum.append(total)

    def sentence(self) -> str:
        n = self.rng.randint(10, 16)
        picks = [self.vocab[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])] for _ in range(n)]
        return " ".join(picks).capitalize() + "."

    def passage(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(5, 8)))


def edit(rng: random.Random, vocab: list[str], text: str) -> str:
    ws = text.split()
    ws[rng.randrange(len(ws))] = rng.choice(vocab[:2000])
    cut = rng.randrange(5, len(ws) - 10)
    del ws[cut:cut + rng.randint(2, 5)]
    k = rng.randrange(len(ws))
    if len(ws[k]) > 5:
        ws[k] = ws[k][:3] + "-\n" + ws[k][3:]
    return " ".join(ws)


def generate(path: Path, passages: int, seed: int = 7) -> dict[str, str]:
    """A store of planted reuse; returns passage id -> the id of the original it descends from."""
    rng = random.Random(seed)
    gen = Words(rng)
    store = Store.open(path, create=True)
    texts: list[list[str]] = []
    origin: dict[str, str] = {}
    docs = passages // PER_DOC
    with store.transaction():
        for d in range(docs):
            doc_id = f"doc{d:06d}"
            paras = [gen.passage() for _ in range(PER_DOC)]
            sources: dict[int, str] = {}
            if d > 10 and rng.random() < 0.15:
                for _ in range(rng.randint(1, 3)):
                    sd = rng.randrange(d)
                    sk = rng.randrange(PER_DOC)
                    k = rng.randrange(PER_DOC)
                    if k in sources:
                        continue
                    paras[k] = edit(rng, gen.vocab, texts[sd][sk])
                    sources[k] = f"doc{sd:06d}-p{sk + 1:04d}"
            if rng.random() < 0.03:
                paras[-1] = LICENCE
            texts.append(paras)
            pos, body, items = 0, "", []
            for k, p in enumerate(paras):
                pid = f"{doc_id}-p{k + 1:04d}"
                items.append(Passage(pid, doc_id, k + 1, 1, 1, pos, pos + len(p), p))
                body += p + "\n\n"
                pos = len(body)
                if p == LICENCE:
                    continue
                source = sources.get(k)
                origin[pid] = origin.get(source, source) if source else pid
            year = 2000 + d * 24 // max(docs, 1)
            date = PartialDate.parse(str(year))
            store.replace_document({
                "id": doc_id, "source": f"{doc_id}.txt", "sha256": f"{d:064d}", "format": "text",
                "title": f"Document {d}", "publisher": PUBLISHERS[d % len(PUBLISHERS)], "published": str(year),
                "date_precision": "year", "date_earliest": date.earliest, "date_latest": date.latest,
                "pages": 1, "passages": len(items), "words": len(body.split()), "text": body,
                "ingested_at": "2026-01-01T00:00:00Z"}, [(1, 0, len(body))], items)
    store.close()
    return origin


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def planted(passages: int, baseline_sample: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-reuse-"))
    try:
        t = time.perf_counter()
        origin = generate(tmp / "kb.sqlite", passages)
        print(f"generated {passages:,} passages in {time.perf_counter() - t:.1f} s")
        store = Store.open(tmp / "kb.sqlite")
        t, cpu = time.perf_counter(), time.process_time()
        with store.transaction():
            change = update_lineage(store)
        took = time.perf_counter() - t
        print(f"update: {took:.1f} s ({time.process_time() - cpu:.1f} s CPU), {1e3 * took / passages:.2f} ms per passage, {change.candidates:,} candidates, "
              f"{change.pairs:,} pairs stored; peak RSS {peak_mb():.0f} MB")
        t = time.perf_counter()
        found = {(min(r.earlier.passage, r.later.passage), max(r.earlier.passage, r.later.passage))
                 for r in find_reuse(store)}
        print(f"kb reuse (read, boilerplate decided): {time.perf_counter() - t:.1f} s")
        by_origin: dict[str, list[str]] = {}
        for pid, o in origin.items():
            by_origin.setdefault(o, []).append(pid)
        truth = {(a, b) for group in by_origin.values() for a in group for b in group if a < b}
        hit = len(found & truth)
        print(f"planted pairs {len(truth):,}, found {len(found):,}: recall {hit / max(len(truth), 1):.4f}, "
              f"precision {hit / max(len(found), 1):.4f}")
        boiler = find_reuse(store, boilerplate=True)
        print(f"boilerplate pairs (licence notices): {len(boiler):,}, all licence: "
              f"{all('Licence' in r.earlier.text for r in boiler)}")
        sample = [p for d in db.current_versions(store) for p in store.passages(d)][:baseline_sample]
        ws = [words(p.text).norm for p in sample]
        t = time.perf_counter()
        for i in range(len(ws)):
            for j in range(i + 1, len(ws)):
                align(ws[i], ws[j])
        per_pair = (time.perf_counter() - t) / max(len(ws) * (len(ws) - 1) / 2, 1)
        print(f"all-pairs baseline: {1e3 * per_pair:.3f} ms per pair, so {1e3 * per_pair * (passages - 1) / 2:.1f} ms "
              f"per passage at {passages:,} passages (growing with the corpus), against "
              f"{1e3 * took / passages:.2f} ms")
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def real(path: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-reuse-"))
    try:
        copy = tmp / "kb.sqlite"
        shutil.copy2(path, copy)
        store = Store.open(copy)
        docs = db.current_versions(store)
        counts = store.passage_counts()
        with store.transaction():
            db.forget(store, docs)
        t, cpu = time.perf_counter(), time.process_time()
        with store.transaction():
            change = update_lineage(store)
        full = time.perf_counter() - t
        print(f"{len(docs)} documents, {sum(counts.get(d, 0) for d in docs):,} passages: full computation "
              f"{full:.1f} s ({time.process_time() - cpu:.1f} s CPU), {change.pairs:,} pairs; "
              f"peak RSS {peak_mb():.0f} MB")
        largest = max(docs, key=lambda d: counts.get(d, 0))
        middle = sorted(docs, key=lambda d: counts.get(d, 0))[len(docs) // 2]
        for doc_id in (middle, largest):
            with store.transaction():
                db.forget(store, [doc_id])
            t = time.perf_counter()
            with store.transaction():
                update_lineage(store)
            print(f"one document added again ({doc_id}, {counts.get(doc_id, 0):,} passages): "
                  f"{time.perf_counter() - t:.2f} s")
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=20_000, help="passages of the planted-reuse store")
    ap.add_argument("--baseline-sample", type=int, default=300, help="passages aligned all-pairs for the baseline")
    ap.add_argument("--store", type=Path, help="time a real store's kb.sqlite instead (on a copy)")
    args = ap.parse_args()
    if args.store:
        real(args.store)
    else:
        planted(args.passages, args.baseline_sample)


if __name__ == "__main__":
    main()
