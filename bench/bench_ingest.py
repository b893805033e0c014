"""Whole-ingest throughput (extract, normalise, passages, tag, glossary, store, index) on real-like documents.

Run on demand:  python bench/bench_ingest.py [--files 8] [--pages 40] [--repeat 3] [--acronyms 300]
                python bench/bench_ingest.py --abstracts 5000      # many short files, then one changed file

Reports: two-column reports with running headers that define and reuse ``--acronyms`` invented acronyms each
(as real reports do: a definition, then the short form throughout, and a glossary table at the end), in pages/s
with one and two worker processes (medians of --repeat fresh ingests) beside pdfminer's extract_text alone; the
time of a no-op re-ingest over 1,000 unchanged small files. With --abstracts: N abstracts (title line, blank
line, text; a quarter define an acronym) ingested fresh, then the time to re-ingest after one file changes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("integrated care system board partnership commissioning primary network provider collaborative "
         "population health management place-based statutory footing accountable officer local authority "
         "foundation trust workforce funding allocation outcomes quality governance legislation reform "
         "community services hospital social care prevention inequalities digital data planning budget").split()


LETTERS = "ABCDEFGHIJKLMNOPRSTUVW"


def invented_acronyms(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """``n`` distinct (short, long) pairs of invented capitalised words, so none is in the vocabulary."""
    seen, out = set(), []
    while len(out) < n:
        short = "".join(rng.choice(LETTERS) for _ in range(rng.choice((3, 3, 4, 5))))
        if short in seen:
            continue
        seen.add(short)
        out.append((short, " ".join(ch + "".join(rng.choice("aeiourlnst") for _ in range(rng.randint(4, 9)))
                                     for ch in short)))
    return out


def make_pdf(path: Path, pages: int, seed: int, paragraphs_per_page: int = 9, acronyms: int = 0) -> None:
    """A two-column, justified A4 report with a running header and page-number footer on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph

    rng = random.Random(seed)
    width, height = A4
    margin, gap = 50, 20
    col = (width - 2 * margin - gap) / 2

    def furniture(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(margin, height - 30, "Benchmark Policy Institute briefing")
        canvas.drawCentredString(width / 2, 25, str(doc.page))

    frames = [Frame(margin, 50, col, height - 110, id="left"), Frame(margin + col + gap, 50, col, height - 110, id="right")]
    doc = BaseDocTemplate(str(path), pagesize=A4, title=f"Benchmark report {seed}", author="Benchmark Policy Institute")
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=furniture)])
    style = getSampleStyleSheet()["BodyText"]
    style.alignment = 4  # justified
    story = []
    terms = invented_acronyms(random.Random(seed * 7919 + 1), acronyms)
    defined: list[tuple[str, str]] = []
    total = pages * paragraphs_per_page
    for n in range(total):
        if n and paragraphs_per_page < 9 and n % paragraphs_per_page == 0:
            story.append(PageBreak())  # a lighter page: fewer paragraphs than fill it
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            if terms and rng.random() < 0.5:  # define the next acronym, or use one already defined
                if len(defined) < len(terms) and (not defined or rng.random() < max(0.3, len(terms) / total)):
                    short, long = terms[len(defined)]
                    defined.append((short, long))
                    words.insert(rng.randint(0, len(words)), f"the {long} ({short})")
                elif defined:
                    words.insert(rng.randint(0, len(words)), rng.choice(defined)[0])
            sentences.append(" ".join(words).capitalize() + ".")
        story.append(Paragraph(" ".join(sentences), style))
    if defined:  # the glossary at the back of a real report
        story.append(PageBreak())
        story.append(Paragraph("Glossary", getSampleStyleSheet()["Heading2"]))
        story.extend(Paragraph(f"{short} {long}", style) for short, long in sorted(defined))
    doc.build(story)


def fresh_ingest(corpus: Path, jobs: int) -> tuple[float, int]:
    from kb.ingest import ingest
    from kb.project import Project

    home = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        shutil.copytree(corpus, home / "corpus")
        (home / "corpus" / "concepts.toml").write_text(
            (Path(__file__).resolve().parent.parent / "corpus" / "concepts.toml").read_text("utf-8"), "utf-8")
        started = time.perf_counter()
        report = ingest(Project(home), jobs=jobs)
        elapsed = time.perf_counter() - started
        assert report.ok, [f.line() for f in report.failed]
        return elapsed, report.pages
    finally:
        shutil.rmtree(home, ignore_errors=True)


def abstracts(count: int, repeat: int) -> None:
    """Many short files: a fresh ingest, then the re-ingest after one file changes (median of ``repeat``)."""
    from kb.ingest import ingest
    from kb.project import Project

    rng = random.Random(5)
    terms = invented_acronyms(rng, max(1, count // 4))
    home = Path(tempfile.mkdtemp(prefix="kb-bench-abstracts-"))
    try:
        corpus = home / "corpus"
        corpus.mkdir()
        for n in range(count):
            words = [rng.choice(WORDS) for _ in range(rng.randint(150, 250))]
            if n % 4 == 0:
                short, long = terms[n // 4]
                words.insert(rng.randint(0, 20), f"the {long} ({short})")
                words.insert(rng.randint(40, 120), short)
            if n % 3 == 0:
                words.insert(rng.randint(0, 100), rng.choice(terms)[0])
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
            (corpus / f"abstract{n:05d}.txt").write_text(f"{title}\n\n{' '.join(words).capitalize()}.\n", "utf-8")
        started = time.perf_counter()
        report = ingest(Project(home))
        fresh = time.perf_counter() - started
        print(f"{count} abstracts: fresh ingest {fresh:.1f} s ({count / fresh:.0f} files/s), "
              f"{report.passages} passages")
        times = []
        for r in range(repeat):
            target = corpus / f"abstract{(r * 37) % count:05d}.txt"
            short, long = terms[-1 - r]
            target.write_text(target.read_text("utf-8") + f"\nA new {long} ({short}) was named.\n", "utf-8")
            started = time.perf_counter()
            report = ingest(Project(home))
            times.append(time.perf_counter() - started)
            assert report.changed, "the edited file was not re-ingested"
        print(f"one changed file in {count}: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def noop_reingest(files: int) -> float:
    from kb.ingest import ingest
    from kb.project import Project

    home = Path(tempfile.mkdtemp(prefix="kb-bench-noop-"))
    try:
        (home / "corpus").mkdir()
        for n in range(files):
            (home / "corpus" / f"note{n:04d}.txt").write_text(f"Note {n}\n\nIntegrated care systems note {n}.\n")
        ingest(Project(home))
        started = time.perf_counter()
        report = ingest(Project(home))
        elapsed = time.perf_counter() - started
        assert report.unchanged == files
        return elapsed
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--density", type=int, default=9,
                        help="paragraphs per page: 9 fills a page (~570 words, dense); fewer leave the rest of the page empty")
    parser.add_argument("--acronyms", type=int, default=300,
                        help="invented acronyms each report defines and reuses (0: none)")
    parser.add_argument("--abstracts", type=int, default=0,
                        help="instead: this many short files, then the cost of one changed file")
    args = parser.parse_args()
    if args.abstracts:
        abstracts(args.abstracts, args.repeat)
        return None
    corpus = Path(tempfile.mkdtemp(prefix="kb-bench-corpus-"))
    for n in range(args.files):
        make_pdf(corpus / f"report{n:02d}.pdf", args.pages, n, args.density, args.acronyms)
    print(f"corpus: {args.files} PDFs x ~{args.pages} pages, {args.density} paragraphs per page, "
          f"{args.acronyms} acronyms defined per report")
    from pdfminer.high_level import extract_text

    started = time.perf_counter()
    extract_text(str(corpus / "report00.pdf"))
    alone = time.perf_counter() - started
    first_pages = sum(1 for _ in __import__("pdfminer.pdfpage", fromlist=["PDFPage"]).PDFPage.get_pages(
        open(corpus / "report00.pdf", "rb")))
    print(f"pdfminer extract_text alone, one core: {first_pages / alone:.1f} pages/s")
    results = {}
    for jobs in (1, 2):
        runs = [fresh_ingest(corpus, jobs) for _ in range(args.repeat)]
        pages = runs[0][1]
        med = statistics.median(t for t, _ in runs)
        results[jobs] = pages / med
        print(f"jobs={jobs}: {pages} pages, median {med:.2f} s -> {pages / med:.1f} pages/s")
    print(f"scaling 2 vs 1 jobs: {results[2] / results[1]:.2f}x")
    noop = [noop_reingest(1000) for _ in range(args.repeat)]
    print(f"no-op re-ingest of 1,000 unchanged files: median {statistics.median(noop):.3f} s")
    shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
