"""Terminal output helpers for the CLI layer only: colour that respects NO_COLOR and pipes, tables, JSON, progress."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

import click


def color_enabled(stream: IO | None = None) -> bool:
    """Colour only on a real terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def style(text: str, **kwargs: Any) -> str:
    """click.style when colour is enabled, plain text otherwise."""
    return click.style(text, **kwargs) if color_enabled() else text


def echo_json(obj: Any) -> None:
    """Stable, diffable JSON on stdout."""
    click.echo(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False))


def echo_table(rows: Sequence[Sequence[Any]], headers: Sequence[str], max_widths: dict[int, int] | None = None) -> None:
    """A plain aligned table; long cells are cut with an ellipsis to the given column widths."""
    max_widths = max_widths or {}
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    for row in cells:
        for i, cell in enumerate(row):
            limit = max_widths.get(i)
            if limit and len(cell) > limit:
                row[i] = cell[: limit - 1] + "…"
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        click.echo(style(line, bold=True) if n == 0 else line)


def progress(iterable: Iterable | None = None, total: int | None = None, desc: str = "", unit: str = "file"):
    """A progress bar (counts, rate, current item) on a terminal; silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        dynamic_ncols=True,
        leave=False,
    )
