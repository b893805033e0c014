"""How often kb detects a document's title, publisher and publication date, against a table of true values.

Run on demand (not in the test suite):

    python bench/bench_metadata.py FOLDER EXPECTED.tsv [--jobs 2] [--verbose] [--json OUT]

``EXPECTED.tsv`` is tab-separated with a header naming at least ``file`` (a path relative to FOLDER) and any of
``title``, ``publisher``, ``publication_date``; other columns are ignored. A blank expected value is not scored.
Each file goes through kb's own extraction, normalisation and metadata resolution (no catalog), as `kb ingest`
does it, and is scored per field:

- title: equal after case/punctuation folding, or equal to the expected title cut at a separator (":", ".",
  ",", " - ", "(": the main title without its subtitle, or without a parenthetical the table added), a
  leading "The" ignored; a title that is only the file name standing in (source "file-name", which `kb docs
  --check` lists as missing) is counted as missing, not wrong, unless it matches;
- publisher: the detected name appears in one of the expected names or the other way round (a leading "The"
  ignored), or it is the initials of one ("NICE", "NHSBSA"). The expected names are the text before any ";"
  without its parentheticals, plus a parenthetical that is another name of the same body ("WHO African Region
  (World Health Organization)"); notes ("(produced by ...)", "; author ...") and lists of partners are not
  names. Variant names of one body count as right ("Department of Health & Social Care" / "and", "NHS England"
  inside "NHS England and NHS Improvement"); a bare generic word ("Council") never does;
- date: equal to an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) written in the expected text ("published 2019-06-25;
  last updated 2023-04-17" accepts either); a value that agrees only to a coarser precision is counted as
  "close", not as a match.

The summary also says how many assigned values are right (precision: a missing value beats a wrong one), and is
repeated per group (a `group` column, else "no kind" / "with kind" when the table has a `kind`
column) and format, and per kind: a rule must hold on the groups it was not written for.

Hold-out discipline: ``--half dev`` or ``--half held-out`` scores one of two fixed halves of the table, chosen by
a hash of each file's name (``half_of``), so that rules are written looking at the failures of one half only and
then measured on the other, which no rule was written for.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_SMALL = {"and", "of", "for", "the", "in", "on", "to", "a", "an", "&"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("&", " and ")
    text = text.replace("’", "'").replace("'s ", "s ").replace("'", "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _contains(longer: str, shorter: str) -> bool:
    return bool(shorter) and f" {shorter} " in f" {longer} "


def title_match(found: str | None, expected: str) -> bool:
    """Equal after folding, or equal to the expected title cut at a separator (the main title without its
    subtitle, or without a parenthetical the table added)."""
    f = fold(found or "")
    if not f:
        return False
    expected = expected.replace("’", "'")
    accepted = {fold(expected), fold(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", expected))}
    for m in re.finditer(r"\s*(?:[:.;,?(\[]|\s[-–—]\s)", expected):
        accepted.add(fold(expected[: m.start()]))
    f = f.removeprefix("the ")
    accepted = {a.removeprefix("the ") for a in accepted}
    return f in accepted and len(f.split()) >= 2 or f == fold(expected).removeprefix("the ")


#: One word that names a kind of body, not a body: "Council" is inside "Suffolk County Council" but names no one.
_GENERIC = {"council", "government", "department", "ministry", "office", "agency", "authority", "trust", "board",
            "commission", "committee", "university", "parliament", "court", "service", "unit", "team", "lab"}


def _aliases(expected: str) -> list[str]:
    """The names the expected text gives the publisher: the text without its parentheticals, plus a
    parenthetical that is itself a name of the same body ("WHO African Region (World Health Organization)",
    "Suffolk Libraries (Suffolk's Libraries Industrial and Provident Society)", "(FAA)"); a note ("(produced
    by Williams Lea ...)", "(policy paper)") or a list of partners ("(A, B, C)", "(A / B)") is not one."""
    names = [fold(re.sub(r"\([^)]*\)", " ", expected.split(";")[0]))]
    for inner in re.findall(r"\(([^()]*)\)", expected.split(";")[0]):
        words = inner.split()
        if words and not re.search(r"[,;/]", inner) and all(
                w[:1].isupper() or w.lower() in _SMALL or w.lower() in ("du", "de", "des", "la", "le") for w in words):
            names.append(fold(inner))
    return [n.removeprefix("the ") for n in names if n]


#: One body's two spellings, both in use: the NHS's own short form of a board, and a publisher's former name.
_SAME_BODY = ((" integrated care board", " icb"), ("biomed central", "bmc"),
              ("national institute for health and care excellence", "nice"))


def _one_spelling(name: str) -> str:
    for long, short in _SAME_BODY:
        name = name.replace(long, short)
    return name


def publisher_match(found: str | None, expected: str) -> bool:
    """The detected name is one of the expected names, inside one ("NHS England" for "NHS England and NHS
    Improvement", "Department of the Treasury" for "Department of the Treasury, Internal Revenue Service") or
    holds one, or is the initials of one ("NICE"). Variants of one body's name are the same publisher; a bare
    "Council" is no one's name; a body the note names in other words ("conducted on behalf of X", "© X") is
    not accepted: the table gives who published the document, not who paid for or owns it."""
    f = _one_spelling(fold(found or "").removeprefix("the "))
    if not f or f in _GENERIC:
        return False
    for core in map(_one_spelling, _aliases(expected)):
        if _contains(core, f) or _contains(f, core):
            return True
    for name in [re.sub(r"\([^)]*\)", " ", expected.split(";")[0])] + re.findall(r"\(([^()]*)\)", expected):
        initials = "".join(w if w.isupper() else w[0] for w in name.split() if w.lower() not in _SMALL).lower()
        if len(f) >= 2 and f.replace(" ", "") == initials:
            return True
    # the other way round: the detected name spelled out, the expected one its initials ("NICE", "OECD")
    spelled = "".join(w if w.isupper() else w[0] for w in (found or "").split() if w.lower() not in _SMALL).lower()
    wanted = fold(expected).replace(" ", "")
    return len(wanted) >= 3 and spelled.replace("-", "") in (wanted, wanted.removesuffix("s"))


def expected_dates(expected: str) -> list[str]:
    return re.findall(r"\b(?:19|20)\d\d(?:-[01]\d(?:-[0-3]\d)?)?\b", expected or "")


def date_verdict(found: str | None, expected: str) -> str:
    """match | close | wrong | missing."""
    wanted = expected_dates(expected)
    if not found:
        return "missing"
    if found in wanted:
        return "match"
    if any(found.startswith(w) or w.startswith(found) for w in wanted):
        return "close"
    return "wrong"


def detect(path: str, source: str) -> dict:
    """kb's metadata for one file, as an ingest without a catalog would store it."""
    from kb.ingest.metadata import resolve_metadata
    from kb.ingest.worker import FileTask, process_file

    try:
        result = process_file(FileTask(path, source, "bench"))
    except Exception as exc:  # noqa: BLE001 - report and go on
        return {"error": f"{type(exc).__name__}: {exc}"}
    meta = resolve_metadata(source, None, result.extraction, result.text)
    return {k: meta.get(k) for k in ("title", "publisher", "published", "date_precision", "provenance")}


def half_of(file: str) -> str:
    """"dev" or "held-out": a stable half of the table by a hash of the file's name (not its folder)."""
    return "dev" if hashlib.sha256(file.rsplit("/", 1)[-1].encode()).digest()[0] % 2 == 0 else "held-out"


def _group(row: dict) -> str:
    """The group a row is reported in: its ``group`` column, else "with kind" / "no kind" when the table has a
    ``kind`` column (documents added later carry one), with the file's format (its folder) after it."""
    fmt = row["file"].split("/", 1)[0] if "/" in row["file"] else Path(row["file"]).suffix.lstrip(".")
    group = row.get("group") or ("" if "kind" not in row else "with kind" if row["kind"].strip() else "no kind")
    return f"{group} {fmt}".strip()


def _cell(counts: dict[str, int]) -> str:
    scored = sum(counts.values())
    if not scored:
        return "-"
    cell = f"{counts.get('match', 0)}/{scored}"
    return cell + (f" ({counts['wrong']} wrong)" if counts.get("wrong") else "")


def print_groups(rows: list[dict], per_file: list[dict]) -> None:
    """Right/scored per group and format, and per kind when the table names kinds: a rule must hold on the
    groups it was not written for."""
    tables = {"group": {}, "kind": {}}  # type: dict[str, dict[str, dict[str, dict[str, int]]]]
    for row, result in zip(rows, per_file, strict=True):
        keys = {"group": _group(row), "kind": (row.get("kind") or "").strip()}
        for table, key in keys.items():
            if not key:
                continue
            for field, verdict in result["verdicts"].items():
                bucket = tables[table].setdefault(key, {}).setdefault(field, {})
                bucket[verdict] = bucket.get(verdict, 0) + 1
    for table, groups in tables.items():
        if not groups:
            continue
        print(f"\n{table:<40} {'title':<16} {'publisher':<16} {'date':<16}")
        for key in sorted(groups):
            cells = [_cell(groups[key].get(field, {})) for field in ("title", "publisher", "date")]
            print(f"{key[:40]:<40} {cells[0]:<16} {cells[1]:<16} {cells[2]:<16}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("expected", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", "-v", action="store_true", help="print the values of every file")
    parser.add_argument("--json", type=Path, help="write per-file results to this file")
    parser.add_argument("--only", help="score only files whose path contains this text")
    parser.add_argument("--half", choices=("dev", "held-out"), help="score only one half of the table (half_of)")
    args = parser.parse_args(argv)

    with args.expected.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("file")]
    if args.only:
        rows = [r for r in rows if args.only in r["file"]]
    if args.half:
        rows = [r for r in rows if half_of(r["file"]) == args.half]
    paths = [str((args.folder / r["file"]).resolve()) for r in rows]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        found = list(pool.map(detect, paths, [r["file"] for r in rows]))

    totals: dict[str, dict[str, int]] = {}
    per_file = []
    print(f"{'file':<58} {'title':<6} {'publ.':<6} {'date':<7}")
    for row, got in zip(rows, found, strict=True):
        verdicts = {}
        if "error" in got:
            verdicts = {"title": "error", "publisher": "error", "date": "error"}
        else:
            if row.get("title", "").strip():
                stand_in = (got.get("provenance") or {}).get("title") in ("file-name", "default")
                verdicts["title"] = ("match" if title_match(got["title"], row["title"])
                                     else "missing" if stand_in else "wrong")
            if row.get("publisher", "").strip():
                verdicts["publisher"] = ("match" if publisher_match(got["publisher"], row["publisher"])
                                         else "missing" if not got["publisher"] else "wrong")
            if expected_dates(row.get("publication_date", "")):
                verdicts["date"] = date_verdict(got["published"], row["publication_date"])
        for field, verdict in verdicts.items():
            bucket = totals.setdefault(field, {})
            bucket[verdict] = bucket.get(verdict, 0) + 1
        print(f"{row['file'][:58]:<58} {verdicts.get('title', '-'):<6} {verdicts.get('publisher', '-'):<6} "
              f"{verdicts.get('date', '-'):<7}")
        if args.verbose:
            prov = got.get("provenance") or {}
            if "error" in got:
                print(f"    error: {got['error']}")
            else:
                print(f"    title     {got['title']!r} [{prov.get('title')}]\n              want {row.get('title')!r}")
                print(f"    publisher {got['publisher']!r} [{prov.get('publisher')}]\n              want "
                      f"{row.get('publisher')!r}")
                print(f"    date      {got['published']!r} [{prov.get('published')}]  want "
                      f"{row.get('publication_date')!r}")
        per_file.append({"file": row["file"], "found": got, "verdicts": verdicts})
    print()
    for field in ("title", "publisher", "date"):
        counts = totals.get(field, {})
        scored = sum(counts.values())
        matched = counts.get("match", 0)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "match")
        share = f"{100 * matched / scored:.0f}%" if scored else "-"
        assigned = scored - counts.get("missing", 0)
        precision = f"; of {assigned} assigned, {matched} right" + (f" ({100 * matched / assigned:.0f}%)" if assigned else "")
        print(f"{field:<10} {matched}/{scored} right ({share})" + (f"; {detail}" if detail else "") + precision)
    print_groups(rows, per_file)
    if args.json:
        args.json.write_text(json.dumps(per_file, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
