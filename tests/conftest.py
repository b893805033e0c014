"""Shared fixtures: the bundled corpus, throwaway project copies, and a way to run the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus"


def run_kb(*args: str, home: Path | None = None, env: dict | None = None, timeout: float = 300,
           input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `kb` CLI in a fresh process (as a user would) and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("KB_HOME", "KB_VOCABULARY", "FORCE_COLOR")}
    full_env["NO_COLOR"] = "1"
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "kb"] + (["--home", str(home)] if home else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout, input=input)


def copy_bundled_project(dest: Path) -> Path:
    """A fresh project holding a copy of the bundled corpus (the repository's own files are never touched)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BUNDLED_CORPUS, dest / "corpus")
    shutil.copy2(REPO / "kb.toml", dest / "kb.toml")
    (dest / "indexes").mkdir()
    return dest


#: Test modules that start real browsers, clusters, OCR engines or many CLI processes: `pytest -m "not slow"`
#: leaves them out for a quick loop while iterating; CI runs everything.
SLOW_MODULES = {"test_site_browser", "test_dask", "test_ocr", "test_reingest", "test_query_fuzz", "test_search_e2e",
                "test_e2e_bundled", "test_atomic_ingest", "test_lineage_ingest"}


def pytest_collection_modifyitems(config, items) -> None:
    """Mark as `slow` every test of a slow module and every test marked `browser` or `e2e`."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES or item.get_closest_marker("browser") or item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def bundled_home(tmp_path_factory) -> Path:
    """The bundled corpus, ingested once per test session with the real CLI. Treat it as read-only."""
    home = copy_bundled_project(tmp_path_factory.mktemp("bundled"))
    result = run_kb("ingest", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    return home


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A writable copy of the bundled project, not yet ingested."""
    return copy_bundled_project(tmp_path / "project")
