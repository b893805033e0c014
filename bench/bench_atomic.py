"""What an all-or-nothing ingest costs: ingest CPU times of two kb source trees on the same corpora, interleaved.

Run on demand:  python bench/bench_atomic.py --code /path/to/old/kb --code . [--files 300] [--rebuild 40000]

For each source tree (``--code``, a folder holding the ``kb`` package; the first is the baseline): a fresh
``kb ingest`` of the bundled corpus, then of a generated corpus of ``--files`` text files (titles, paragraphs
of the benchmark vocabulary, a quarter defining an acronym), an incremental ingest after editing 5%, removing 2%
and adding 2% of its files, and ``kb ingest --force``; medians of ``--repeat`` runs, trees taking turns, in CPU
seconds of the whole process tree (a shared machine's wall clock says more about its other users). With
``--rebuild N``: ``whoosh_index.rebuild`` of a generated store of N passages (from 20,000 a second process writes half
of them, which now reads them from a file the ingest writes instead of from the store).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_ingest import WORDS  # noqa: E402


def make_corpus(corpus: Path, files: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    corpus.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        write_file(corpus / f"paper-{n:04d}.txt", rng, n)


def write_file(path: Path, rng: random.Random, n: int) -> None:
    paras = [f"Paper {n}: " + " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()]
    for p in range(rng.randint(8, 16)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(50, 110))]
        if p == 1 and n % 4 == 0:
            long = [rng.choice(WORDS) for _ in range(3)]
            words += [*long, f"({''.join(w[0].upper() for w in long)})"]
        paras.append(" ".join(words).capitalize() + ".")
    path.write_text("\n\n".join(paras) + "\n", "utf-8")


def cpu() -> float:
    """CPU seconds of every finished child process (and theirs): what a run costs whatever else the machine runs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(code: Path, home: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "KB_HOME"} | {"PYTHONPATH": str(code)}
    started = cpu()
    subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "ingest", "-q", *args], check=False,
                   env=env, capture_output=True, cwd=home)  # not a folder holding another kb: -m looks there first
    return cpu() - started


def change(corpus: Path, seed: int) -> None:
    rng = random.Random(seed)
    files = sorted(corpus.glob("paper-*.txt"))
    for path in rng.sample(files, max(1, len(files) // 20)):
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\nAn added paragraph about " + " ".join(rng.choice(WORDS) for _ in range(40)) + ".\n")
    for path in rng.sample(files, max(1, len(files) // 50)):
        path.unlink(missing_ok=True)
    for n in range(max(1, len(files) // 50)):
        write_file(corpus / f"added-{seed}-{n:03d}.txt", rng, 10_000 + n)


def ingests(codes: list[Path], files: int, repeat: int, work: Path) -> None:
    times: dict[tuple[str, int], list[float]] = {}
    for r in range(repeat):
        for i, code in enumerate(codes):
            for corpus_name in ("bundled", "generated"):
                home = work / f"{corpus_name}-{i}-{r}"
                shutil.rmtree(home, ignore_errors=True)
                if corpus_name == "bundled":
                    shutil.copytree(REPO / "corpus", home / "corpus")
                else:
                    make_corpus(home / "corpus", files)
                (home / "indexes").mkdir(parents=True)
                times.setdefault((f"{corpus_name} fresh", i), []).append(run(code, home))
                if corpus_name == "generated":
                    change(home / "corpus", r)
                    times.setdefault(("generated incremental", i), []).append(run(code, home))
                    times.setdefault(("generated --force", i), []).append(run(code, home, "--force"))
                shutil.rmtree(home, ignore_errors=True)
    for what in dict.fromkeys(k for k, _ in times):
        cells = "  ".join(f"{statistics.median(times[(what, i)]):6.2f} s" for i in range(len(codes)))
        print(f"{what:24s} {cells}")


REBUILD = """
import sys, time
from pathlib import Path
from kb import index
from kb.index import whoosh as whoosh_index
from kb.store import Store
store = Store.open(Path(sys.argv[1]))
started = time.perf_counter()
whoosh_index.rebuild(store, Path(sys.argv[2]))
print(f"{time.perf_counter() - started:.2f}")
"""


def rebuilds(codes: list[Path], passages: int, repeat: int, work: Path) -> None:
    from gen_corpus import generate

    home = work / "rebuild"
    generate(home, passages)
    times: dict[int, list[float]] = {}
    for r in range(repeat):
        for i, code in enumerate(codes):
            out = work / f"rebuilt-{i}-{r}"
            env = {k: v for k, v in os.environ.items() if k != "KB_HOME"} | {"PYTHONPATH": str(code)}
            started = cpu()
            subprocess.run([sys.executable, "-c", REBUILD, str(home / "indexes" / "kb.sqlite"), str(out)],
                           check=True, env=env, capture_output=True, text=True, cwd=work)
            times.setdefault(i, []).append(cpu() - started)
            shutil.rmtree(out, ignore_errors=True)
    cells = "  ".join(f"{statistics.median(times[i]):6.2f} s" for i in range(len(codes)))
    print(f"{f'rebuild {passages:,} passages':24s} {cells}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code", type=Path, action="append", required=True)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rebuild", type=int, default=0)
    args = ap.parse_args()
    codes = [c.resolve() for c in args.code]
    print(f"{'':24s} " + "  ".join(f"{c.name[:8]:>8s}" for c in codes))
    with tempfile.TemporaryDirectory(prefix="kb-atomic-") as tmp:
        if args.files:
            ingests(codes, args.files, args.repeat, Path(tmp))
        if args.rebuild:
            rebuilds(codes, args.rebuild, args.repeat, Path(tmp))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
