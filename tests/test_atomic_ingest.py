"""An ingest is all or nothing: stopped anywhere (Ctrl-C, kill -9, a full disk), every command and the site show
the knowledge base as it was before the ingest, or as a complete ingest leaves it, never a mix; and the next
ingest completes the work.

A real ``kb ingest`` is stopped at its N-th checkpoint (``KB_INGEST_STOP``, kb/ingest/checkpoints.py), then every
reader's output (tests/atomic_views.py: kb docs, mentions, concepts, acronyms, trace, search, the site's gathered
data) is compared with the outputs before and after an uninterrupted ingest of the same change. By default one
stop per stage (extract and store, copies, glossary and mentions, index, commit, tidying) per scenario; set
KB_ATOMIC_ALL=1 to stop at every checkpoint with every signal.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_bundled_project

VIEWS = Path(__file__).with_name("atomic_views.py")
ENV = {k: v for k, v in os.environ.items() if k not in ("KB_HOME", "KB_VOCABULARY", "FORCE_COLOR", "KB_INGEST_STOP",
                                                         "KB_INGEST_CHECKPOINTS")}
ENV["NO_COLOR"] = "1"
ENV["PYTHONPATH"] = str(REPO) + os.pathsep + ENV.get("PYTHONPATH", "")

KINGS = "kingsfund-2022-05-17-integrated-care-our-position.txt"
NEWS = "nhsconfed-2020-11-statutory-footing-for-icss-news.txt"
COMMONS = "commons-library-2020-nhs-reform-integrated-care-systems.txt"


def ingest(home: Path, *args: str, stop: str | None = None, log: Path | None = None) -> subprocess.CompletedProcess:
    """A real `kb ingest` in its own process group (so a Ctrl-C reaches its workers, as in a shell, and no one else)."""
    env = dict(ENV)
    if stop:
        env["KB_INGEST_STOP"] = stop
    if log:
        env["KB_INGEST_CHECKPOINTS"] = str(log)
    return subprocess.run([sys.executable, "-m", "kb", "--home", str(home), "ingest", "-q", "--jobs", "1", *args],
                          capture_output=True, text=True, env=env, timeout=300, start_new_session=True)


def views(home: Path) -> dict:
    out = home.parent / f"{home.name}.views.json"
    subprocess.run([sys.executable, str(VIEWS), str(home), str(out)], check=True, env=ENV, timeout=300)
    return json.loads(out.read_text("utf-8"))


def edit(home: Path) -> None:
    """The change an ingest brings in: an edit with a new acronym, a removal, a new file, a byte-identical copy,
    a failing file fixed and another failing."""
    corpus = home / "corpus"
    with open(corpus / KINGS, "a", encoding="utf-8") as fh:
        fh.write("\n\nPrimary care networks (PCNs) join up general practices. Each PCN serves a local population, "
                 "and PCNs work with the integrated care system.\n")
    (corpus / NEWS).unlink()
    (corpus / "broken.pdf").unlink()
    (corpus / "broken-too.pdf").write_bytes(b"%PDF-1.4\n this is not a PDF either \x00\x01")
    (corpus / "copy-of-commons.txt").write_bytes((corpus / COMMONS).read_bytes())
    (corpus / "new-note.txt").write_text(
        "A note on neighbourhood teams\n\nNeighbourhood health teams (NHTs) work inside integrated care systems "
        "(ICSs). NHTs and primary care networks share staff.\n", "utf-8")


def differences(got: dict, want: dict) -> list[str]:
    return sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The knowledge base before (a project ingested once, with one failing file), and after a complete
    incremental and a complete --force ingest of the edited corpus, with the checkpoints each passed."""
    root = tmp_path_factory.mktemp("atomic")
    before = copy_bundled_project(root / "before")
    (before / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4\n not really a PDF \x00")
    first = ingest(before)
    assert first.returncode == 1 and "broken.pdf" in first.stderr  # the one failing file
    edit(before)
    out = {"home": before, "before": views(before)}
    for name, args in (("incremental", ()), ("force", ("--force",))):
        home = root / name
        shutil.copytree(before, home, symlinks=True)
        log = root / f"{name}.log"
        done = ingest(home, *args, log=log)
        assert done.returncode == 1 and "broken-too.pdf" in done.stderr and "broken.pdf:" not in done.stderr
        out[name] = views(home)
        out[name + "-steps"] = [line.split()[1] for line in log.read_text("utf-8").splitlines()]
    for name in ("incremental", "force"):
        # Every view tells the two states apart, so "equals one of them" says which one.
        assert differences(out["before"], out[name]) == sorted(out["before"]), differences(out["before"], out[name])
        assert "1 file(s) failed at the last ingest: broken-too.pdf" in out[name]["docs"][2]
    assert "1 file(s) failed at the last ingest: broken.pdf" in out["before"]["docs"][2]
    return out


def _stop_and_compare(states: dict, tmp_path: Path, scenario: str, at: int, how: str, complete: bool = False) -> str:
    steps = states[scenario + "-steps"]
    home = tmp_path / f"{scenario}-{at}-{how}"
    shutil.copytree(states["home"], home, symlinks=True)
    args = ("--force",) if scenario == "force" else ()
    result = ingest(home, *args, stop=f"{at}:{how}")
    name = steps[at - 1]
    committed = steps.index("committed") + 1
    expected = "before" if at < committed else scenario
    if how == "kill":
        assert result.returncode == -signal.SIGKILL, result.stderr
    elif how == "int":
        assert result.returncode == 130 and "interrupted" in result.stderr, result.stderr
    else:
        assert result.returncode != 0 if at < committed else True, result.stderr
    got = views(home)
    wrong = differences(got, states[expected])
    assert not wrong, (f"{scenario} ingest stopped ({how}) at checkpoint {at} ({name}): these views differ from the "
                       f"{expected} state: {wrong}; from the other state: "
                       f"{differences(got, states['incremental' if expected == 'before' else 'before'])}")
    if complete:  # the next ingest completes the work, reusing the files already done, and leaves only the
        # current index generation
        done = json.loads(ingest(home, "--json", *args).stdout)
        assert done["reused"] == steps[:at].count("stored") > 0
        assert not differences(views(home), states[scenario])
        assert not (home / "indexes" / "unfinished").exists()
        current = os.readlink(home / "indexes" / "whoosh")
        assert sorted(p.name for p in (home / "indexes").iterdir() if "whoosh" in p.name) == ["whoosh", current]
    return expected


def _first_of_each(steps: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    for i, name in enumerate(steps, 1):
        seen.setdefault(name, i)
    return sorted(seen.values())


@pytest.mark.parametrize("scenario", ["incremental", "force"])
def test_an_ingest_stopped_at_any_stage_shows_the_state_before_or_after_never_a_mix(states, tmp_path, scenario):
    steps = states[scenario + "-steps"]
    assert {"stored", "copies", "glossary", "index", "indexing", "commit", "committed"} <= set(steps)
    points = _first_of_each(steps)
    points.append(max(i for i, s in enumerate(steps, 1) if s == "stored"))  # the last document stored
    rng = random.Random(scenario)
    if os.environ.get("KB_ATOMIC_ALL"):
        plan = [(at, how) for at in range(1, len(steps) + 1) for how in ("kill", "int")]
    elif scenario == "incremental":  # every stage, Ctrl-C and kill -9 in turn, and one random point
        plan = [(at, ("kill", "int")[i % 2]) for i, at in enumerate(points)]
        plan.append((rng.randint(1, len(steps)), "kill"))
    else:  # a rebuild: the stages where it differs (storing every document, writing a fresh index), and the switch
        names = ("stored", "glossary", "indexing", "commit", "committed")
        plan = [(steps.index(name) + 1, ("int", "kill")[i % 2]) for i, name in enumerate(names)]
    seen = set()
    for at, how in sorted(set(plan)):
        index_stage = steps[at - 1] == "indexing"
        seen.add(_stop_and_compare(states, tmp_path, scenario, at, how, complete=index_stage and how == "kill"))
    assert seen == {"before", scenario}


@pytest.mark.parametrize("stage", ["stored", "indexing"])
def test_a_full_disk_at_a_stage_leaves_the_state_before(states, tmp_path, stage):
    steps = states["incremental-steps"]
    assert _stop_and_compare(states, tmp_path, "incremental", steps.index(stage) + 1, "full") == "before"


def test_a_reader_open_while_an_ingest_commits_keeps_the_state_it_started_with(states, tmp_path):
    from kb.knowledge_base import KnowledgeBase

    home = tmp_path / "reader"
    shutil.copytree(states["home"], home, symlinks=True)

    def seen(base: KnowledgeBase):
        hits = base.search("ics", limit=50)
        return ([d["id"] for d in base.store.documents()], len(base.store.mentions()), hits.total,
                [(h.passage_id, round(h.score, 6)) for h in hits.hits], base.index_dir)

    with KnowledgeBase.open(home) as base:
        before = seen(base)
        assert ingest(home).returncode == 1  # broken-too.pdf fails; the rest commits
        assert seen(base) == before  # the same snapshot, and the index generation it names, still there
        assert before[-1].is_dir()
    with KnowledgeBase.open(home) as base:
        after = seen(base)
    assert "nhsconfed-statutory-footing-news-2020" in before[0] and "nhsconfed-statutory-footing-news-2020" not in after[0]
    assert after[1:4] != before[1:4] and after[-1] != before[-1]
    assert before[-1].is_dir()  # it was held while that ingest tidied up: the next one deletes it
    ingest(home)
    assert not before[-1].exists() and after[-1].is_dir()
