"""kb ingest keeps reuse pairs in step: after files are added, changed and removed, the pairs equal those of a
fresh ingest of the same files; `kb reuse` and `kb show` print them."""

from __future__ import annotations

import json
import random

from conftest import run_kb
from test_ingest import make_project
from test_lineage import edit, paragraph

from kb.store import Store
from kb.store import lineage as db


def _pairs(home) -> list[tuple]:
    with Store.open(home / "indexes" / "kb.sqlite") as store:
        return db.all_pairs_rows(store)


def test_an_incremental_ingest_equals_a_fresh_one(tmp_path):
    rng = random.Random(4)
    quoted, later = paragraph(rng, 5), paragraph(rng, 5)
    files = {
        "report.txt": "Review of care board plans\n\n" + paragraph(rng) + "\n\n" + quoted + "\n",
        "response.txt": "Our response\n\n" + paragraph(rng) + "\n\n" + edit(rng, quoted) + "\n\n" + later + "\n",
        "other.txt": "Something else\n\n" + paragraph(rng) + "\n",
    }
    home = make_project(tmp_path / "inc", files)
    assert run_kb("ingest", home=home).returncode == 0
    first = _pairs(home)
    assert [(r[2], r[3]) for r in first] == [("report", "response")]

    (home / "corpus" / "other.txt").unlink()
    (home / "corpus" / "new.txt").write_text("A newer paper\n\n" + edit(rng, later) + "\n", "utf-8")
    (home / "corpus" / "report.txt").write_text(files["report.txt"] + "\n" + paragraph(rng) + "\n", "utf-8")
    assert run_kb("ingest", home=home).returncode == 0
    final = {p.name: p.read_text("utf-8") for p in (home / "corpus").glob("*.txt")}
    fresh = make_project(tmp_path / "fresh", final)
    assert run_kb("ingest", home=fresh).returncode == 0
    incremental = _pairs(home)
    assert incremental == _pairs(fresh)
    assert sorted((r[2], r[3]) for r in incremental) == [("new", "response"), ("report", "response")]

    reuse = run_kb("reuse", "response", "--json", home=home)
    assert reuse.returncode == 0, reuse.stderr
    found = json.loads(reuse.stdout)  # the three files are undated: the order is passage-id order, and says so
    assert sorted((d["earlier"]["doc"], d["later"]["doc"], d["order"]) for d in found) == [
        ("new", "response", "undated"), ("report", "response", "undated")]
    show = run_kb("show", "response", home=home)
    assert "took from" in show.stdout and "report (undated)" in show.stdout and "new (undated)" in show.stdout
    assert show.stdout.count("taken from ") == 2


def test_the_workers_make_the_fingerprints_and_they_equal_the_writers(tmp_path):
    """The per-file part of reuse (words, shingles, winnowing) runs where the file is extracted (a pool process
    here, a Dask worker on a cluster); the pairs equal those the writer finds making every fingerprint itself."""
    from kb.ingest.pipeline import ingest
    from kb.lineage import update_lineage
    from kb.project import Project

    rng = random.Random(7)
    quoted = paragraph(rng, 6)
    files = {f"doc{n}.txt": f"Paper {n}\n\n" + paragraph(rng) + "\n\n" + (edit(rng, quoted) if n % 2 else
                                                                         paragraph(rng)) + "\n" for n in range(6)}
    home = make_project(tmp_path / "p", files)
    report = ingest(Project(home), jobs=2)
    assert report.lineage is not None and report.lineage.given == 6 and report.lineage.added == 6
    with Store.open(home / "indexes" / "kb.sqlite") as store:
        by_workers = db.all_pairs_rows(store)
        assert sorted({(r[2], r[3]) for r in by_workers}) == [("doc1", "doc3"), ("doc1", "doc5"), ("doc3", "doc5")]
        with store.transaction():
            db.forget(store, sorted(db.fingerprinted(store)))
            change = update_lineage(store)
        assert change.given == 0 and change.added == 6
        assert db.all_pairs_rows(store) == by_workers
