"""`kb ingest`: incremental, crash-safe, one clear line per bad file, source files untouched."""

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_kb

PARA = ("Integrated care systems (ICSs) bring together NHS organisations and local authorities to plan services. "
        "Primary care networks work within each place. ")


def make_project(tmp_path: Path, files: dict[str, str | bytes], catalog: str = "") -> Path:
    home = tmp_path / "proj"
    (home / "corpus").mkdir(parents=True)
    for name, content in files.items():
        path = home / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    (home / "corpus" / "catalog.toml").write_text(catalog, "utf-8")
    return home


def docs(home: Path) -> dict[str, dict]:
    result = run_kb("docs", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return {d["source"]: d for d in json.loads(result.stdout)}


def test_incremental_new_changed_unchanged_removed(tmp_path):
    home = make_project(tmp_path, {"a.txt": "Alpha paper\n\n" + PARA * 3, "sub/b.md": "# Beta paper\n\n" + PARA})
    first = run_kb("ingest", "--json", home=home)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert sorted(summary["new"]) == ["a", "sub-b"] and summary["failed"] == []
    assert summary["documents"] == 2 and summary["passages"] >= 2

    again = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert again["unchanged"] == 2 and again["new"] == [] and again["changed"] == []

    (home / "corpus" / "a.txt").write_text("Alpha paper, revised\n\n" + PARA * 2, "utf-8")
    (home / "corpus" / "sub" / "b.md").unlink()
    (home / "corpus" / "c.txt").write_text("Gamma paper\n\n" + PARA, "utf-8")
    third = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert third["changed"] == ["a"] and third["new"] == ["c"] and third["removed"] == ["sub-b"]
    assert set(docs(home)) == {"a.txt", "c.txt"}


def test_a_knowledge_base_read_by_an_earlier_kb_is_read_again_once(tmp_path):
    """After an upgrade that changes what kb reads from a file, unchanged files are extracted again (once), so
    old titles, publishers and dates never sit beside new ones; naming files does not trigger it."""
    from kb.ingest.pipeline import EXTRACTION_VERSION
    from kb.store import Store

    home = make_project(tmp_path, {"a.txt": "Alpha paper\n\n" + PARA * 3, "b.md": "# Beta paper\n\n" + PARA})
    assert run_kb("ingest", home=home).returncode == 0
    with Store.open(home / "indexes" / "kb.sqlite") as store:
        assert store.get_meta("extraction_version") == EXTRACTION_VERSION
        with store.transaction():
            store.conn.execute("DELETE FROM meta WHERE key='extraction_version'")  # as an earlier release left it
    named = json.loads(run_kb("ingest", "--json", str(home / "corpus" / "a.txt"), home=home).stdout)
    assert named["changed"] == [] and named["warnings"] == []
    again = run_kb("ingest", "--json", home=home)
    summary = json.loads(again.stdout)
    assert sorted(summary["changed"]) == ["a", "b"] and summary["unchanged"] == 0 and summary["indexed"] == 2
    assert summary["warnings"] == [
        f"these 2 files were read by an earlier kb (extraction version 1; now {EXTRACTION_VERSION}): every file is "
        "read again this once, so titles, publishers and dates follow the new rules"]
    after = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert after["unchanged"] == 2 and after["changed"] == [] and after["warnings"] == []


def test_bad_files_are_reported_one_line_each_and_the_rest_is_ingested(tmp_path):
    home = make_project(tmp_path, {
        "good.txt": "Good paper\n\n" + PARA,
        "empty.txt": b"",
        "junk.txt": bytes(range(256)) * 40,
        "broken.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n",
        "board paper (draft).pdf": b"%PDF-1.4\n",
    })
    result = run_kb("ingest", home=home)
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 4, result.stderr
    assert any(line.startswith("failed: empty.txt: ") for line in failed)
    assert any(line.startswith("failed: junk.txt: ") for line in failed)
    assert any(line.startswith("failed: broken.pdf: ") for line in failed)
    assert "Traceback" not in result.stderr
    assert set(docs(home)) == {"good.txt"}
    # Unchanged bad files are not re-parsed, but still reported.
    again = run_kb("ingest", home=home)
    assert again.returncode == 1 and "unchanged since the last attempt" in again.stderr
    assert "to retry it, name it: kb ingest corpus/empty.txt" in again.stderr
    # The hint can be pasted back into a shell as it is, spaces and parentheses included.
    assert "to retry it, name it: kb ingest 'corpus/board paper (draft).pdf'" in again.stderr
    # Naming the file parses it again (e.g. with a longer --timeout).
    named = run_kb("ingest", str(home / "corpus" / "empty.txt"), home=home)
    assert named.returncode == 1
    assert "failed: empty.txt: empty file" in named.stderr and "unchanged since" not in named.stderr


def test_source_files_are_never_modified(project_copy):
    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (project_copy / "corpus").rglob("*")
                if p.is_file()}

    before = digest()
    assert run_kb("ingest", home=project_copy).returncode == 0
    assert digest() == before


def test_catalog_edits_are_picked_up_and_values_say_where_they_came_from(tmp_path):
    text = "Our position on integration\n\nLast updated: 17 May 2022\n\n" + PARA
    home = make_project(tmp_path, {"pos.txt": text})
    assert run_kb("ingest", home=home).returncode == 0
    doc = docs(home)["pos.txt"]
    assert doc["published"] == "2022-05-17" and doc["date_precision"] == "day" and doc["date_source"] == "text"
    assert doc["title"] == "Our position on integration" and doc["provenance"]["title"] == "text"

    (home / "corpus" / "catalog.toml").write_text(
        '[[document]]\nfile = "pos.txt"\nid = "kf-pos"\ntitle = "Integrated care: our position"\n'
        'publisher = "The King\'s Fund"\npublished = "2022-05"\n', "utf-8")
    summary = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert summary["changed"] == ["kf-pos"] and summary["new"] == [] and summary["removed"] == []
    doc = docs(home)["pos.txt"]
    assert doc["id"] == "kf-pos" and doc["publisher"] == "The King's Fund"
    assert (doc["published"], doc["date_precision"], doc["date_source"]) == ("2022-05", "month", "catalog")


def test_paths_outside_the_corpus_are_refused(tmp_path):
    home = make_project(tmp_path, {"a.txt": PARA})
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(PARA)
    result = run_kb("ingest", str(outside), home=home)
    assert result.returncode == 2 and "outside the corpus folder" in result.stderr


def test_a_second_ingest_stops_with_a_clear_message_while_one_runs(tmp_path):
    home = make_project(tmp_path, {"a.txt": PARA})
    (home / "indexes").mkdir()
    with open(home / "indexes" / "ingest.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        result = run_kb("ingest", home=home)
    assert result.returncode == 1
    assert "Another `kb ingest` is running" in result.stderr and "--wait" in result.stderr


DOCS = 120


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_a_kill_mid_ingest_leaves_no_knowledge_base_and_the_next_run_completes(tmp_path, sig):
    # Enough documents that the interrupt lands mid-way even on a slow, busy machine.
    files = {f"doc{n:03d}.txt": f"Paper {n}\n\n" + PARA * 40 for n in range(DOCS)}
    home = make_project(tmp_path, files)
    steps = tmp_path / "steps.log"
    env = {k: v for k, v in os.environ.items() if k != "KB_HOME"} | {"KB_INGEST_CHECKPOINTS": str(steps)}
    proc = subprocess.Popen([sys.executable, "-m", "kb", "--home", str(home), "ingest", "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        stored = steps.read_text("utf-8").count(" stored") if steps.exists() else 0
        if stored >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted: make the corpus bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130, err
        assert "interrupted; nothing half-written was kept" in err and "Traceback" not in err
    # Documents were stored in the ingest's transaction, never committed: there is no knowledge base yet.
    assert not (home / "indexes" / "kb.sqlite").exists()
    result = run_kb("docs", home=home)
    assert result.returncode != 0 and "kb ingest" in result.stderr
    resumed = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert resumed["documents"] == DOCS and resumed["new"] and resumed["failed"] == []
    hits = json.loads(run_kb("search", "--json", "--limit", "100", "Paper", home=home).stdout)
    assert len({h["doc_id"] for h in hits["hits"]}) == min(DOCS, 100) or hits["total"] >= DOCS
    assert sorted(p.name for p in (home / "indexes").iterdir() if p.name.startswith(("whoosh", ".whoosh"))) == [
        "whoosh", os.readlink(home / "indexes" / "whoosh")]


def test_a_catalog_id_never_swallows_another_files_document(tmp_path):
    home = make_project(tmp_path, {"alpha.txt": "Alpha paper\n\n" + PARA, "beta.txt": "Beta paper\n\n" + PARA})
    assert run_kb("ingest", home=home).returncode == 0
    # The catalog now gives beta.txt the id that alpha.txt got automatically.
    (home / "corpus" / "catalog.toml").write_text('[[document]]\nfile = "beta.txt"\nid = "alpha"\n', "utf-8")
    result = run_kb("ingest", home=home)
    assert result.returncode == 0, result.stderr
    stored = docs(home)
    assert set(stored) == {"alpha.txt", "beta.txt"}
    assert stored["beta.txt"]["id"] == "alpha"
    assert stored["alpha.txt"]["id"].startswith("alpha-")
    # And the ids are stable from then on.
    again = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert again["unchanged"] == 2 and docs(home)["alpha.txt"]["id"] == stored["alpha.txt"]["id"]


def test_links_out_of_the_corpus_are_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes that must not be published.\n\n" + PARA)
    home = make_project(tmp_path, {"good.txt": "Good paper\n\n" + PARA})
    (home / "corpus" / "notes.txt").symlink_to(secret)
    result = run_kb("ingest", home=home)
    assert result.returncode == 1
    assert "failed: notes.txt: link to a file outside the corpus folder; copy the file into corpus/" in result.stderr
    assert set(docs(home)) == {"good.txt"}


def test_a_catalog_entry_without_a_file_is_reported(tmp_path):
    home = make_project(tmp_path, {"a.txt": "Alpha paper\n\n" + PARA},
                       catalog='[[document]]\nfile = "a.txt"\n\n[[document]]\nfile = "missing-report.pdf"\n')
    result = run_kb("ingest", home=home)
    assert result.returncode == 0
    assert "catalog.toml, line 4: no file 'missing-report.pdf' in corpus/" in result.stderr


def test_the_failures_kb_docs_lists_are_those_of_the_last_ingest(tmp_path):
    from pdf_fixtures import simple_pdf

    home = make_project(tmp_path, {"alpha.txt": "Alpha paper\n\n" + PARA})
    good = simple_pdf(home / "corpus" / "report.pdf", ["A report on integrated care systems. " * 20])
    original = good.read_bytes()
    assert run_kb("ingest", home=home).returncode == 0
    good.write_bytes(b"%PDF-1.4\n broken \x00")  # the file breaks: the stored version is kept
    assert run_kb("ingest", home=home).returncode == 1
    assert "1 file(s) failed at the last ingest: report.pdf" in run_kb("docs", home=home).stdout
    good.write_bytes(original)  # and is put back as it was: same content, new modification time
    result = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert result["failed"] == [] and result["unchanged"] == 2
    assert "failed" not in run_kb("docs", home=home).stdout
    # A file that fails, then leaves the corpus while an ingest of another file runs: no failure is left.
    (home / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4\n broken \x00")
    assert run_kb("ingest", home=home).returncode == 1
    (home / "corpus" / "broken.pdf").unlink()
    assert json.loads(run_kb("ingest", "--json", str(home / "corpus" / "alpha.txt"), home=home).stdout)["failed"] == []
    assert "failed" not in run_kb("docs", home=home).stdout
