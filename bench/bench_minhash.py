"""How kb finds reuse candidates (winnowed fingerprints in an inverted index) against MinHash with LSH (datasketch,
rensa), on the same generated passages. Run on demand, not in the test suite (needs `pip install datasketch rensa`):

    python bench/bench_minhash.py --passages 20000

Two kinds of planted reuse, as policy documents reuse text (the generator of bench_reuse.py: Zipf-like words from
a 30,000-word vocabulary, sentences of 10-16 words):

- **copied passage**: a passage copied whole from an earlier document and lightly edited (a changed word, a
  dropped clause of 2-5 words, a word hyphenated over a line break);
- **quotation**: 5 sentences of an earlier passage, edited the same way, inside a new passage of 8-12 other
  sentences (a response quoting a recommendation, then answering it);
- **short quotation**: the same with 2 sentences (20-32 words, still over kb's 20-word minimum).

Each method proposes candidate pairs of passages; reported per kind: recall of the planted pairs among the
candidates (what the exact alignment can then confirm), the candidates proposed (each costs one alignment), the
CPU time per passage (indexing and querying, one process) and the peak of Python's allocations
(tracemalloc: rensa's index lives in Rust and is not counted). rensa is given the split of 128 permutations into
bands (a power of two) whose S-curve midpoint is nearest the threshold; datasketch chooses its own. MinHash runs over the passages' 5-word
shingles with 128 permutations, LSH at Jaccard thresholds 0.5 and 0.2.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reuse import Words, edit  # noqa: E402

from kb.lineage.text import norm_words, passage_fingerprints  # noqa: E402
from kb.lineage.update import MAX_DOCS, MIN_SHARED  # noqa: E402

PER_DOC = 20


Planted = dict[str, set[tuple[int, int]]]


def generate(passages: int, seed: int = 11) -> tuple[list[tuple[int, list[str]]], Planted]:
    """Passages as (document, words), and the planted pairs of passage indexes of each kind."""
    rng = random.Random(seed)
    gen = Words(rng)
    out: list[tuple[int, list[str]]] = []
    texts: list[str] = []
    planted: Planted = {"copied": set(), "quoted": set(), "short quote": set()}
    for d in range(passages // PER_DOC):
        for _ in range(PER_DOC):
            n = len(out)
            roll = rng.random()
            if d > 10 and roll < 0.05:
                src = rng.randrange(0, (d - 1) * PER_DOC)
                texts.append(edit(rng, gen.vocab, texts[src]))
                planted["copied"].add((src, n))
            elif d > 10 and roll < 0.15:
                src = rng.randrange(0, (d - 1) * PER_DOC)
                sentences = texts[src].split(". ")
                size = 5 if roll < 0.10 else 2
                if len(sentences) < 5:
                    texts.append(gen.passage())
                else:
                    quote = edit(rng, gen.vocab, ". ".join(sentences[:size]))
                    before = " ".join(gen.sentence() for _ in range(rng.randint(3, 5)))
                    after = " ".join(gen.sentence() for _ in range(rng.randint(5, 7)))
                    texts.append(f"{before} {quote}. {after}")
                    planted["quoted" if size == 5 else "short quote"].add((src, n))
            else:
                texts.append(gen.passage())
            out.append((d, norm_words(texts[-1])))
    return out, planted


def winnowing(passages: list[tuple[int, list[str]]]) -> set[tuple[int, int]]:
    """kb's candidates: passages of different documents sharing MIN_SHARED fingerprints, as kb.lineage.update
    finds them (document by document against the index of the earlier ones)."""
    index: dict[int, list[int]] = defaultdict(list)
    docs_of: dict[int, set[int]] = defaultdict(set)
    out: set[tuple[int, int]] = set()
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, (d, _) in enumerate(passages):
        by_doc[d].append(i)
    for d, members in by_doc.items():
        found = passage_fingerprints([passages[i][1] for i in members])
        shared: Counter[tuple[int, int]] = Counter()
        for h, k in found:
            if len(docs_of[h]) > MAX_DOCS:
                continue
            for other in index[h]:
                shared[(other, members[k])] += 1
        out.update(pair for pair, n in shared.items() if n >= MIN_SHARED)
        for h, k in found:
            index[h].append(members[k])
            docs_of[h].add(d)
    return out


def shingles(ws: list[str], n: int = 5) -> list[str]:
    return [" ".join(ws[i:i + n]) for i in range(max(len(ws) - n + 1, 1))]


def datasketch_lsh(passages: list[tuple[int, list[str]]], threshold: float) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    out: set[tuple[int, int]] = set()
    for i, (d, ws) in enumerate(passages):
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(ws)])
        out.update((j, i) for j in lsh.query(m) if passages[j][0] != d)
        lsh.insert(i, m)
    return out


def rensa_lsh(passages: list[tuple[int, list[str]]], threshold: float) -> set[tuple[int, int]]:
    from rensa import RMinHash, RMinHashLSH

    # rensa needs bands dividing 128: the split whose S-curve midpoint (1/b)^(1/r) is nearest the threshold
    bands = min((2 ** k for k in range(8)), key=lambda b: abs((1 / b) ** (b / 128) - threshold))
    lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=bands)
    out: set[tuple[int, int]] = set()
    for i, (d, ws) in enumerate(passages):
        m = RMinHash(num_perm=128, seed=1)
        m.update(shingles(ws))
        out.update((j, i) for j in lsh.query(m) if passages[j][0] != d)
        lsh.insert(i, m)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=20_000)
    args = ap.parse_args()
    passages, planted = generate(args.passages)
    print(f"{len(passages):,} passages; planted pairs: " + ", ".join(f"{len(v):,} {k}" for k, v in planted.items()))
    methods = [("kb winnowing index", winnowing)]
    for t in (0.5, 0.2):
        methods.append((f"datasketch MinHashLSH {t}", lambda p, t=t: datasketch_lsh(p, t)))
        methods.append((f"rensa RMinHashLSH {t}", lambda p, t=t: rensa_lsh(p, t)))
    print(f"{'method':28} " + " ".join(f"{k + ' recall':>18}" for k in planted)
          + f" {'candidates':>11} {'ms/passage':>10} {'peak MB':>8}")
    for name, run in methods:
        tracemalloc.start()
        started = time.process_time()
        found = run(passages)
        took = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{name:28} " + " ".join(f"{len(found & v) / max(len(v), 1):18.3f}" for v in planted.values())
              + f" {len(found):11,} {1e3 * took / len(passages):10.3f} {peak:8.0f}")


if __name__ == "__main__":
    main()
