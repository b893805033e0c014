"""Each command's main forms print exactly what they printed when their output was last reviewed.

The bundled corpus is ingested once (the session's `bundled_home`); each form's stdout is compared with
tests/golden/cli/<name>.txt. After an intended change of output, regenerate and review the diff:

    KB_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_golden.py && git diff tests/golden/cli
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli

GOLDEN = Path(__file__).parent / "golden" / "cli"
PASSAGE = "commons-library-nhs-reform-icss-2020-p0006-3f87bd"

#: name -> the command's arguments: the forms the README's tour shows, and their --json / --csv twins where a
#: script would read them.
FORMS: dict[str, list[str]] = {
    "docs": ["docs"],
    "docs-check": ["docs", "--check"],
    "show-doc": ["show", "nhsconfed-statutory-footing-news-2020"],
    "show-passage": ["show", PASSAGE],
    "concepts": ["concepts"],
    "concepts-one": ["concepts", "pcn"],
    "mentions": ["mentions", "--concept", "pcn"],
    "acronyms": ["acronyms"],
    "search": ["search", '"triple aim"'],
    "search-json": ["search", "integrated care", "--limit", "3", "--json"],
    "search-csv": ["search", "PCN", "--csv"],
    "search-group": ["search", "integration funding", "--group", "doc", "--limit", "3"],
    "trace": ["trace", "pcn"],
    "trace-phrase": ["trace", "integrated care systems"],
    "kwic": ["kwic", "provider collaborative", "--width", "35"],
    "reuse": ["reuse"],
    "cites": ["cites"],
    "emerging": ["emerging"],
    "emerging-fading": ["emerging", "--fading", "--period", "2022", "--against", "2020", "--min-docs", "1",
                        "--min-publishers", "1", "--limit", "5"],
}


def _run(home: Path, args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False,
                                env={"NO_COLOR": "1", "COLUMNS": "120", "KB_HOME": None, "KB_VOCABULARY": None})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", sorted(FORMS))
def test_main_forms_print_what_was_reviewed(bundled_home, name):
    out = _run(bundled_home, FORMS[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"$ kb {shlex.join(FORMS[name])}\n{out}", "utf-8")
    expected = path.read_text("utf-8").split("\n", 1)[1]
    assert out == expected, f"`kb {shlex.join(FORMS[name])}` changed; KB_UPDATE_GOLDEN=1 regenerates {path}"


def test_every_command_has_a_golden_form():
    """A new command gets its main form here too."""
    from kb.cli import COMMANDS

    covered = {FORMS[n][0] for n in FORMS}
    assert set(COMMANDS) - covered <= {"ingest", "init", "site", "review"}, set(COMMANDS) - covered
