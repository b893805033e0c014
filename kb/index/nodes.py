"""Engine-neutral query nodes: what kb.search plans and an index backend compiles (here: kb.index.whoosh).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermQ:
    field: str
    term: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseQ:
    field: str  # "text" or "title" (bigrams used automatically for "text")
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class NearQ:
    """Two terms side by side in the passage text (used as an optional ranking bonus)."""

    first: str
    second: str
    boost: float = 1.0


@dataclass(frozen=True)
class PrefixQ:
    field: str
    prefix: str


@dataclass(frozen=True)
class RangeQ:
    field: str  # a column: date, date_latest (YYYYMMDD)
    low: int | None
    high: int | None


@dataclass(frozen=True)
class BoolQ:
    """Lucene-style boolean: all of ``must``, none of ``must_not``, ``should`` optional but scored.

    With no ``must`` at least one ``should`` has to match. ``filters`` must match but add no score.
    """

    must: tuple = ()
    should: tuple = ()
    must_not: tuple = ()
    filters: tuple = ()


@dataclass(frozen=True)
class AllQ:
    """Every passage."""
