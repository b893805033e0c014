"""kb's HTML extraction against trafilatura (with htmldate) on real web pages: title, site name, date, main text.

Run on demand (not in the test suite; needs ``pip install trafilatura``):

    python bench/bench_html.py FOLDER [EXPECTED.tsv]

For every ``*.html`` under FOLDER it prints, for kb and for trafilatura: the title, the site name/publisher,
the date, the main text's length in words, how much of the other's text it keeps (word-bag recall), lines of
page furniture it lets through (short lines repeated on most pages of the folder, cookie and navigation
phrases), and the time taken. With EXPECTED.tsv (columns ``file``, ``title``, ``publisher``,
``publication_date``, as for bench_metadata.py) the fields are also scored.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_metadata import date_verdict, expected_dates, publisher_match, title_match  # noqa: E402

_FURNITURE = re.compile(r"\b(?:cookies?|skip to (?:main )?content|sign in|log in|subscribe|newsletter|share this|"
                        r"follow us|back to top|privacy policy|accessibility statement|all rights reserved)\b", re.I)


def kb_extract(data: bytes) -> dict:
    from kb.ingest.extract import extract_bytes
    from kb.ingest.metadata import resolve_metadata

    ex = extract_bytes(data, ".html")
    meta = resolve_metadata("page.html", None, ex, ex.pages[0])
    return {"title": meta["title"], "site": meta["publisher"], "date": meta["published"], "text": ex.pages[0]}


def trafilatura_extract(data: bytes) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(data.decode("utf-8", "replace"), with_metadata=True, include_tables=True,
                                      favor_recall=True)
    if doc is None:
        return {"title": None, "site": None, "date": None, "text": ""}
    get = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {"title": get.get("title"), "site": get.get("sitename") or get.get("author"), "date": get.get("date"),
            "text": get.get("text") or ""}


def words(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9]+", text.casefold()))


def recall(mine: Counter, other: Counter) -> float:
    total = sum(other.values())
    return sum((mine & other).values()) / total if total else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("expected", type=Path, nargs="?")
    args = parser.parse_args(argv)
    expected = {}
    if args.expected:
        with args.expected.open(encoding="utf-8", newline="") as fh:
            expected = {r["file"]: r for r in csv.DictReader(fh, delimiter="\t") if r.get("file")}
    files = sorted(args.folder.rglob("*.html")) + sorted(args.folder.rglob("*.htm"))
    scores = {"kb": Counter(), "trafilatura": Counter()}
    for path in files:
        data = path.read_bytes()
        results = {}
        for name, fn in (("kb", kb_extract), ("trafilatura", trafilatura_extract)):
            started = time.perf_counter()
            try:
                results[name] = fn(data)
            except Exception as exc:  # noqa: BLE001
                results[name] = {"title": None, "site": None, "date": None, "text": "", "error": repr(exc)}
            results[name]["seconds"] = time.perf_counter() - started
        rel = path.relative_to(args.folder).as_posix()
        want = expected.get(rel) or expected.get(path.name) or next(
            (r for f, r in expected.items() if f.endswith("/" + path.name)), None)
        print(f"== {rel} ({len(data):,} bytes)")
        bags = {name: words(r["text"]) for name, r in results.items()}
        for name, r in results.items():
            other = "trafilatura" if name == "kb" else "kb"
            furniture = len(_FURNITURE.findall(r["text"]))
            verdicts = ""
            if want:
                t = "title ok" if title_match(r["title"], want.get("title", "")) else "title WRONG"
                p = ("publisher ok" if publisher_match(r["site"], want.get("publisher", ""))
                     else "publisher WRONG") if want.get("publisher") else ""
                d = date_verdict((r["date"] or "")[:10] or None, want.get("publication_date", "")) \
                    if expected_dates(want.get("publication_date", "")) else ""
                verdicts = "  [" + ", ".join(v for v in (t, p, d and f"date {d}") if v) + "]"
                scores[name]["title"] += t == "title ok"
                scores[name]["publisher"] += p == "publisher ok"
                scores[name]["date"] += d == "match"
            print(f"  {name:<12} {r.get('seconds', 0) * 1000:7.0f} ms  {sum(bags[name].values()):6,} words  "
                  f"keeps {recall(bags[name], bags[other]):4.0%} of {other}'s  furniture phrases {furniture}"
                  f"{verdicts}")
            print(f"  {'':<12} title {r['title']!r}  site {r['site']!r}  date {r['date']!r}"
                  + (f"  error {r['error']}" if r.get("error") else ""))
    if expected:
        for name, counts in scores.items():
            print(f"{name:<12} title {counts['title']}, publisher {counts['publisher']}, date {counts['date']} right "
                  f"of {len(files)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
