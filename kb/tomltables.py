"""Hand-edited TOML files made of ``[[name]]`` tables (the catalog, the concept vocabulary).

One loader so both files report mistakes the same way: the file, the line and what to do, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KbError


@dataclass(frozen=True)
class Table:
    """One ``[[name]]`` table with the lines it spans, for error messages."""

    data: dict
    path: Path
    first_line: int
    last_line: int
    raw_lines: tuple[str, ...]

    def line_of(self, key: str | None = None) -> int:
        """The line where ``key = ...`` is written in this table (the table header if absent)."""
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for n in range(self.first_line, self.last_line + 1):
                if pattern.match(self.raw_lines[n - 1]):
                    return n
        return self.first_line

    def where(self, key: str | None = None) -> str:
        return f"{self.path}, line {self.line_of(key)}"


def load_tables(path: Path, name: str, error: type[KbError]) -> list[Table]:
    """Read ``path`` and return its ``[[name]]`` tables; raise ``error`` with file and line for any mistake."""
    path = Path(path)
    try:
        raw = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}). Save it as UTF-8.") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: {exc}. Fix the TOML syntax there.") from None
    header = f"[[{name}]]"
    unknown = sorted(set(data) - {name})
    if unknown:
        raise error(f"{path}: unknown top-level key(s) {unknown}; write one {header} table per entry.")
    tables = data.get(name, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        line = next((n for n, text in enumerate(raw.splitlines(), 1) if re.match(rf"\s*\[?\s*{name}\b", text.strip("[ "))), 1)
        raise error(f"{path}, line {line}: `{name}` must be written as {header} tables, one per entry.")
    raw_lines = tuple(raw.splitlines())
    starts = [n for n, line in enumerate(raw_lines, 1) if line.strip().replace(" ", "").startswith(header)]
    result = []
    for i, table in enumerate(tables):
        first = starts[i] if i < len(starts) else 1
        last = (starts[i + 1] - 1) if i + 1 < len(starts) else len(raw_lines)
        result.append(Table(table, path, first, last, raw_lines))
    return result
