"""`kb ingest --scheduler`: a real Dask scheduler and workers on 127.0.0.1 give the same knowledge base as a local
ingest; a hung file, a lost worker and an unreachable scheduler behave as they do locally."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_kb
from pdf_fixtures import blocks_from_paragraphs, html_page, write_report_pdf

# Workers import this at start-up (it is on their PYTHONPATH only): a file holding KB-TEST-HANG hangs in
# extraction, one holding KB-TEST-SLOW takes a second. Local ingests never see it.
HOOK = '''
import time
import kb.ingest.extract as _extract

_original = _extract.extract_bytes


def _extract_bytes(data, suffix=""):
    if b"KB-TEST-HANG" in data:
        time.sleep(600)
    if b"KB-TEST-SLOW" in data:
        time.sleep(1.0)
    return _original(data, suffix)


_extract.extract_bytes = _extract_bytes
'''

PARAS = [
    "Integrated care systems (ICSs) bring together NHS organisations and local authorities to plan services for "
    "their populations. Primary care networks (PCNs) work within each place.",
    "Social prescribing link workers (SPLWs) connect people to community groups. Each PCN employs SPLWs, and "
    "the integrated care board funds them.",
    "The NHS 'triple aim' asks partners to improve population health, the quality of care and the sustainable "
    "use of resources. Clinical commissioning groups (CCGs) were replaced by integrated care boards (ICBs).",
]
CATALOG = '''
[[document]]
file = "report.txt"
id = "ics-report"
title = "Integrated care: a report"
publisher = "Test Organisation"
published = "2021-03"

[[document]]
file = "report.pdf"
id = "ics-report-pdf"
publisher = "Test Organisation"
published = "2021-03"
duplicate_of = "ics-report"
'''
SEARCHES = ["integrated care", '"primary care networks"', "concept:pcn", "SPLW", "triple aim OR ccg"]

try:
    import distributed
except ImportError:  # pragma: no cover - setup.cfg's test extra installs it
    distributed = None
needs_dask = pytest.mark.skipif(distributed is None,
                                reason="Dask's distributed is not installed (pip install -e '.[test]' brings it)")


def make_project(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A small corpus: text, Markdown, HTML and a generated PDF edition, with the bundled vocabulary."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    shutil.copy(REPO / "corpus" / "concepts.toml", corpus / "concepts.toml")
    (corpus / "catalog.toml").write_text(CATALOG, "utf-8")
    (corpus / "report.txt").write_text("Integrated care: a report\n\n" + "\n\n".join(PARAS), "utf-8")
    write_report_pdf(corpus / "report.pdf", blocks_from_paragraphs(PARAS), title="Integrated care: a report")
    (corpus / "notes.md").write_text("# Notes on networks\n\n" + PARAS[1] + "\n\n" + PARAS[0], "utf-8")
    (corpus / "web").mkdir()
    (corpus / "web" / "page.html").write_text(html_page("Care boards", f"<p>{PARAS[2]}</p><p>{PARAS[0]}</p>"),
                                              "utf-8")
    for name, text in (extra or {}).items():
        (corpus / name).write_text(text, "utf-8")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A `dask scheduler` and `dask worker` processes on 127.0.0.1, each in its own process group."""

    def __init__(self, root: Path) -> None:
        self.root = root
        hook = root / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(HOOK, "utf-8")
        path = os.pathsep.join([str(hook), str(REPO)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
        self.env.update(PYTHONPATH=path, PYTHONUNBUFFERED="1")
        self.procs: list[subprocess.Popen] = []
        self.file = root / "scheduler.json"
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", str(free_port()),
                                     "--no-dashboard", "--scheduler-file", str(self.file))
        deadline = time.monotonic() + 60
        while not self.file.exists() or not self.file.read_text().strip():
            assert self.scheduler.poll() is None, "dask scheduler exited: " + self._log("scheduler")
            assert time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.1)
        time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        self.client = distributed.Client(self.address, timeout=30, set_as_default=False)

    def _start(self, kind: str, *args: str) -> subprocess.Popen:
        log = open(self.root / f"{kind}-{len(self.procs)}.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "dask", kind, *args], env=self.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=self.root)
        self.procs.append(proc)
        return proc

    def _log(self, kind: str) -> str:
        return "\n".join(p.read_text()[-2000:] for p in self.root.glob(f"{kind}-*.log"))

    def add_worker(self) -> subprocess.Popen:
        """Start one `dask worker --nworkers 1 --nthreads 1` and wait until the scheduler has it."""
        before = len(self.client.scheduler_info()["workers"])
        proc = self._start("worker", self.address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
                           "--no-dashboard", "--local-directory", str(self.root / "work"))
        self.client.wait_for_workers(before + 1, timeout=60)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL a worker with its nanny and children, as a lost machine would be."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def close(self) -> None:
        self.client.close()
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    """A scheduler and two single-threaded workers for this module's tests."""
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        c.add_worker()
        c.add_worker()
        yield c
    finally:
        c.close()


def listing(home: Path, *args: str) -> object:
    """`kb --home HOME ARGS --json`, parsed (in this process: the real CLI, without a start-up per listing)."""
    from click.testing import CliRunner

    from kb.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(home), *args, "--json"], catch_exceptions=False,
                                env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def knowledge_base(home: Path) -> dict:
    """Everything a user can list or search, minus the ingest time stamps."""
    docs = listing(home, "docs")
    show = listing(home, "show", "ics-report")
    for d in docs + [show]:
        d.pop("ingested_at")
    searches = {q: listing(home, "search", "--limit", "50", q) for q in SEARCHES}
    return {"docs": docs, "mentions": listing(home, "mentions"), "acronyms": listing(home, "acronyms"),
            "show": show, "searches": searches, "reuse": listing(home, "reuse")}


@needs_dask
def test_a_dask_ingest_gives_the_same_knowledge_base_as_a_local_one(cluster, tmp_path):
    quoted = ("The board will publish a single plan for the whole area each spring, setting out how the partners "
              "share their budgets, which services move closer to home, how progress is measured against the "
              "targets agreed with residents, and what each partner has promised to do before the next review "
              "of the arrangements takes place in the autumn.")
    extra = {"plan.txt": "The area plan\n\n" + quoted + "\n",
             "response.txt": "Our response\n\nWe quote the plan: " + quoted.replace("spring", "year") + "\n"}
    local, remote = make_project(tmp_path / "local", extra), make_project(tmp_path / "remote", extra)
    done = run_kb("ingest", "--json", "--scheduler", "local", home=local)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["executor"] == "local"

    result = run_kb("ingest", "--json", "--scheduler", cluster.address, home=remote)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["executor"] == "dask" and summary["failed"] == [] and summary["new"]
    assert sum(summary["workers"].values()) == 6
    assert set(summary["workers"]) <= set(cluster.client.scheduler_info()["workers"])

    expected = knowledge_base(local)
    assert expected["mentions"] and expected["acronyms"]  # the corpus exercises tagging
    assert expected["reuse"]  # and reuse, from fingerprints the workers made
    assert knowledge_base(remote) == expected

    # Each worker built its spaCy pipeline once and keeps it for the next ingest (DASK_SCHEDULER_ADDRESS works
    # as --scheduler does).
    before = cluster.client.run(tagger_ids)
    assert all(len(ids) <= 1 for ids in before.values()) and any(before.values())
    again = run_kb("ingest", "--json", "--force", home=remote, env={"DASK_SCHEDULER_ADDRESS": cluster.address})
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["executor"] == "dask" and json.loads(again.stdout)["failed"] == []
    after = cluster.client.run(tagger_ids)
    assert all(after[worker] == ids for worker, ids in before.items() if ids)
    assert knowledge_base(remote) == expected


# On a worker: the identities of the spaCy pipelines its process has built (a lambda, so that it is sent by value:
# the workers cannot import this test module).
tagger_ids = lambda: [id(t) for t in __import__("kb.ingest.worker", fromlist=["_TAGGERS"])._TAGGERS.values()]  # noqa: E731


@needs_dask
def test_a_file_that_hangs_on_a_worker_is_stopped_and_the_rest_completes(cluster, tmp_path):
    home = make_project(tmp_path, {"stuck.txt": "A stuck paper KB-TEST-HANG\n\n" + PARAS[0]})
    started = time.monotonic()
    result = run_kb("ingest", "--timeout", "3", "--scheduler", cluster.address, home=home, timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("failed: stuck.txt: extraction took longer than 3 s and was stopped; check the file opens in a viewer,"
            " or raise the limit with --timeout") in result.stderr
    assert {d["source"] for d in listing(home, "docs")} == {"report.txt", "report.pdf", "notes.md", "web/page.html"}


@needs_dask
def test_a_worker_lost_mid_ingest_has_its_files_done_elsewhere(cluster, tmp_path):
    slow = {f"slow{n:02d}.txt": f"Slow paper {n} KB-TEST-SLOW\n\n" + PARAS[n % 3] for n in range(10)}
    local, remote = make_project(tmp_path / "local", slow), make_project(tmp_path / "remote", slow)
    assert run_kb("ingest", home=local).returncode == 0
    before = set(cluster.client.scheduler_info()["workers"])
    doomed = cluster.add_worker()
    (address,) = set(cluster.client.scheduler_info()["workers"]) - before
    env = {k: v for k, v in os.environ.items() if k != "KB_HOME"}
    proc = subprocess.Popen([sys.executable, "-m", "kb", "--home", str(remote), "ingest", "--json",
                             "--scheduler", cluster.address], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        deadline = time.monotonic() + 60  # kill the new worker while it works on a file
        while not cluster.client.processing().get(address) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest ended before a worker could be lost"
        cluster.kill(doomed)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    summary = json.loads(out)
    assert summary["failed"] == [] and summary["documents"] == 13 and address not in summary["workers"]
    assert knowledge_base(remote) == knowledge_base(local)


@needs_dask
def test_ctrl_c_on_a_cluster_ingest_keeps_nothing_and_the_next_run_completes(cluster, tmp_path):
    slow = {f"slow{n:02d}.txt": f"Slow paper {n} KB-TEST-SLOW\n\n" + PARAS[n % 3] for n in range(12)}
    home = make_project(tmp_path, slow)
    steps = tmp_path / "steps.log"
    env = {k: v for k, v in os.environ.items() if k != "KB_HOME"} | {"KB_INGEST_CHECKPOINTS": str(steps)}
    proc = subprocess.Popen([sys.executable, "-m", "kb", "--home", str(home), "ingest", "--scheduler",
                             cluster.address], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if steps.exists() and " stored" in steps.read_text("utf-8"):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted; nothing half-written was kept" in err and "Traceback" not in err
    assert not (home / "indexes" / "kb.sqlite").exists()  # all or nothing: a first ingest left no knowledge base
    resumed = run_kb("ingest", "--json", "--scheduler", cluster.address, home=home)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["documents"] == 15 and report["failed"] == [] and report["reused"] >= 1


@needs_dask
def test_an_unreachable_scheduler_is_one_line_and_changes_nothing(tmp_path):
    home = make_project(tmp_path)
    port = free_port()
    started = time.monotonic()
    result = run_kb("ingest", "--scheduler", f"tcp://127.0.0.1:{port}", home=home,
                    env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert time.monotonic() - started < 30
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"kb: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")
    assert len(result.stderr.strip().splitlines()) == 1 and "Nothing was changed" in result.stderr
    assert not (home / "indexes").exists()

    result = run_kb("ingest", "--jobs", "2", home=home, env={"DASK_SCHEDULER_ADDRESS": "tcp://127.0.0.1:1"})
    assert result.returncode == 2 and "--scheduler local" in result.stderr
    assert not (home / "indexes").exists()


def test_local_ingest_and_search_do_not_import_dask(tmp_path):
    home = tmp_path / "small"
    (home / "corpus").mkdir(parents=True)
    (home / "corpus" / "care.txt").write_text("Care paper\n\n" + PARAS[0], "utf-8")
    code = ("import sys\nfrom kb.project import find_project\nfrom kb.ingest import ingest\n"
            f"project = find_project({str(home)!r}, None)\n"
            "assert ingest(project).ok\n"
            "from kb.cli import main\nsys.argv = ['kb', '--home', project.home.as_posix(), 'search', 'care']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
            "assert not loaded, loaded\nprint('clean')\n")
    env = {k: v for k, v in os.environ.items() if k not in ("KB_HOME", "DASK_SCHEDULER_ADDRESS")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("clean"), result.stdout + result.stderr


@needs_dask
@pytest.mark.parametrize("address", ["nonsense", "tcp://", "http://127.0.0.1:8786", "tcp://127.0.0.1:port"])
def test_a_malformed_scheduler_address_is_a_usage_error(address):
    from kb.errors import UsageError
    from kb.ingest.cluster import DaskExecutor

    with pytest.raises(UsageError, match="is not a Dask scheduler address like tcp://HOST:8786"):
        DaskExecutor(address)


@needs_dask
def test_a_scan_is_read_on_a_worker_with_progress_page_by_page(cluster, tmp_path):
    from pdf_fixtures import scanned_pdf
    from test_ocr import SCAN_1, SCAN_2, needs_tesseract

    from kb.ingest import ingest
    from kb.project import Project

    if needs_tesseract.args[0]:
        pytest.skip(needs_tesseract.kwargs["reason"])
    homes = []
    for name in ("local", "remote"):
        home = tmp_path / name
        (home / "corpus").mkdir(parents=True)
        scanned_pdf(home / "corpus" / "scan.pdf", [("scan", SCAN_1), ("scan", SCAN_2)])
        homes.append(home)
    from kb.ingest.report import FileProgress

    events: list[FileProgress] = []

    def progress(event) -> None:
        if isinstance(event, FileProgress):
            events.append(event)

    assert ingest(Project(homes[0]), jobs=1).ok
    report = ingest(Project(homes[1]), scheduler=cluster.address, progress=progress)
    assert report.ok, report.failed
    assert [(e.source, e.stage, e.done, e.total) for e in events] == [
        ("scan.pdf", "ocr", 1, 2), ("scan.pdf", "ocr", 2, 2)]
    local, remote = ([listing(home, "show", "scan"), listing(home, "search", "neighbourhood health")]
                     for home in homes)
    for shown in (local[0], remote[0]):
        shown.pop("ingested_at")
        shown["ocr"].pop("seconds")  # how long Tesseract took, like the time stamp
    assert remote == local and "Neighbourhood" in remote[0]["text"]
