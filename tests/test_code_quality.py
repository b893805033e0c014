"""Lint (ruff) and type check (mypy) as part of the test suite, so the README's test command, which CI runs,
enforces them. Both read their settings from pyproject.toml; their versions are pinned in setup.cfg's test extra,
so a new release cannot change the results under us."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO

LINTED = ["kb", "tests", "bench", "scripts"]


def _needs(tool: str) -> pytest.MarkDecorator:
    # Skipped where the tool is missing, except in CI (CI set), where the test extra installs it and a skip would
    # hide that: there the run below fails with "No module named ...".
    return pytest.mark.skipif(not os.environ.get("CI") and importlib.util.find_spec(tool) is None,
                              reason=f"{tool} is not installed (python3 -m pip install -e '.[test]')")


def _run(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` exited with {done.returncode}:\n{done.stdout}{done.stderr}", pytrace=False)


@_needs("ruff")
def test_ruff_finds_nothing():
    _run("ruff", "check", "--output-format", "concise", *LINTED)


@_needs("mypy")
def test_mypy_finds_nothing():
    _run("mypy")


_SQL = re.compile(r"^\s*(SELECT\s.*\bFROM\b|SELECT COUNT|INSERT (OR \w+ )?INTO|UPDATE \w+ SET|DELETE FROM|"
                  r"(CREATE|DROP|ALTER) (TABLE|INDEX|VIEW|TRIGGER)|PRAGMA |WITH \w+ AS)", re.DOTALL)


def test_the_store_is_the_only_code_that_writes_sql():
    """A schema change is made in kb/store/ alone: no statement or execute() call anywhere else in kb."""
    found = []
    for path in sorted((REPO / "kb").rglob("*.py")):
        if (REPO / "kb" / "store") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.match(node.value):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value[:40]!r}")
            elif isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript"):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: .{node.attr}(")
    assert not found, "SQL outside kb/store/:\n" + "\n".join(found)
