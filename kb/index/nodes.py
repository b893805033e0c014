"""Engine-neutral query nodes: what kb.search plans and an index backend compiles (kb.index.whoosh, or any
engine registered in ``kb.index.BACKENDS``). Plain frozen values, so a plan can be compared, hashed and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


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

    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()
    filters: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AllQ:
    """Every passage."""


#: Any query node: what an engine's ``page`` and ``count`` answer.
Node: TypeAlias = TermQ | PhraseQ | NearQ | PrefixQ | RangeQ | BoolQ | AllQ
