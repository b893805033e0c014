"""What every reader of a knowledge base shows, gathered in one process: run as
``python tests/atomic_views.py HOME OUT.json``. Used by test_atomic_ingest.py to compare a knowledge base after
an interrupted ingest with the states before and after a complete one.

Each view is a command's exit status and output (``kb docs --json`` without ``ingested_at``, the time of the
ingest), and a digest of the site's gathered data.
"""

from __future__ import annotations

import json
import sys

QUERIES = ("ics", '"integrated care"', "concept:ics", "primary care networks", "nhs england")
COMMANDS = (
    ("docs", "--json"), ("docs",), ("mentions",), ("mentions", "--json"), ("concepts",), ("concepts", "--discovered"),
    ("acronyms", "--json"), ("trace", "ics"), ("emerging", "--json", "--min-docs", "1"),
    *(("search", q, "--json", "--limit", "50") for q in QUERIES),
)


def _without_times(value):
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("ingested_at", "seconds", "elapsed_ms")}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def views(home: str) -> dict:
    from click.testing import CliRunner

    from kb.cli import cli
    from kb.search import _SEARCHERS

    out: dict = {}
    runner = CliRunner()
    for args in COMMANDS:
        _SEARCHERS.clear()
        result = runner.invoke(cli, ["--home", home, *args], catch_exceptions=True)
        text = result.output
        if "--json" in args and result.exit_code == 0:
            text = json.dumps(_without_times(json.loads(text)), sort_keys=True)
        error = type(result.exception).__name__ if result.exception and not isinstance(result.exception, SystemExit) \
            else None
        out[" ".join(args)] = [result.exit_code, error, text]
    out["site"] = _site(home)
    return out


def _site(home: str):
    from kb.errors import KbError
    from kb.knowledge_base import KnowledgeBase
    from kb.site.gather import gather

    try:
        with KnowledgeBase.open(home) as base:
            data = gather(base.store, settings=base.project.settings)
    except KbError as exc:
        return type(exc).__name__
    return json.dumps(_without_times({
        "documents": data.documents, "concepts": [c.id for c in data.concepts],
        "mentions": {k: len(v) for k, v in data.mentions_by_concept.items()},
        "acronyms": [repr(a) for a in data.acronyms], "glossary": data.glossary,
        "traces": {k: t.to_json() for k, t in data.traces.items()},
    }), sort_keys=True, default=repr)


if __name__ == "__main__":
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(views(sys.argv[1]), fh, sort_keys=True, indent=1)
