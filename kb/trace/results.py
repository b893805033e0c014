"""What `kb trace` and `kb kwic` hand to the rest of kb: typed values, each with the ``to_json()`` that
`--json` prints (docs/trace.md), so a consumer reads named fields and the JSON keeps its keys and their order.

The trace is worked out over plain dicts inside kb.trace (the ledger's helpers are shared with kb emerging);
these values are made from them once, at the edge. Rows that only ever go to a table or a chart (timeline,
publishers, co-occurring concepts, senses, successors, undated mentions) stay the dicts docs/trace.md names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: The first-appearance entries of a trace, by key, in the order they are printed.
LEDGER_KEYS = ("first_use", "first_definition", "first_undefined_use")


@dataclass
class LedgerEntry:
    """Where a term first appears (by one of the ledger's three meanings): the document, the occurrence quoted,
    and the documents whose dates overlap it (``tied_with``: any could be as early)."""

    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    date_precision: str | None
    date_source: str | None
    date_note: str | None
    page: int
    passage_id: str
    start: int
    end: int
    surface: str
    quote: str  # HTML: the sentence, escaped, with the term in <mark>
    sentence: str
    mark_start: int
    mark_end: int
    tied_with: list[dict] = field(default_factory=list)
    definition_kind: str | None = None  # first_definition only: acronym, tagged, is, which, gloss, known-as
    reuse: str | None = None  # a note when the sentence sits in text shared with another document
    reuse_checked: bool = False  # reuse was looked up (kb trace does; the site does not print it)

    @classmethod
    def from_json(cls, d: dict | None) -> LedgerEntry | None:
        if d is None:
            return None
        return cls(**{k: d[k] for k in d if k != "reuse"}, reuse=d.get("reuse"), reuse_checked="reuse" in d)

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)
               if f.name not in ("tied_with", "definition_kind", "reuse", "reuse_checked")}
        if self.definition_kind is not None:
            out["definition_kind"] = self.definition_kind
        out["tied_with"] = self.tied_with
        if self.reuse_checked:
            out["reuse"] = self.reuse
        return out


def _form_json(row: dict) -> dict:
    return row | {"first_use": row["first_use"].to_json() if row["first_use"] else None}


@dataclass
class TraceResult:
    """Everything `kb trace TERM` knows of a term (schema in docs/trace.md): what it matched, the corpus it
    speaks for, the first-appearance ledger, and how its use spread."""

    term: str
    match: dict
    concept: dict | None
    by: str
    corpus: dict
    totals: dict
    first_use: LedgerEntry | None
    first_definition: LedgerEntry | None
    first_undefined_use: LedgerEntry | None
    undated: list[dict]
    first_use_by_form: list[dict]  # each with first_use a LedgerEntry or None
    timeline: list[dict]
    by_publisher: list[dict]
    cooccurring: list[dict]
    cooccurrence_score: str
    successors: list[dict]
    predecessors: list[dict]
    crossovers: list[dict]
    statement: str
    warnings: list[str]
    senses: list[dict]

    @classmethod
    def from_json(cls, d: dict) -> TraceResult:
        """From the dict kb.trace builds (the JSON's shape)."""
        values = {f.name: d[f.name] for f in fields(cls)}
        for key in LEDGER_KEYS:
            values[key] = LedgerEntry.from_json(d[key])
        values["first_use_by_form"] = [row | {"first_use": LedgerEntry.from_json(row["first_use"])}
                                       for row in d["first_use_by_form"]]
        return cls(**values)

    @classmethod
    def unavailable(cls, term: str, reason: str) -> TraceResult:
        """A trace that could not be worked out: no ledger, no rows, only the warning saying why (the site shows
        it on the concept's page rather than failing the build)."""
        return cls(term=term, match={}, concept=None, by="year", corpus={}, totals={}, first_use=None,
                   first_definition=None, first_undefined_use=None, undated=[], first_use_by_form=[], timeline=[],
                   by_publisher=[], cooccurring=[], cooccurrence_score="", successors=[], predecessors=[],
                   crossovers=[], statement="", warnings=[reason], senses=[])

    def ledger(self) -> Iterator[tuple[str, LedgerEntry | None]]:
        """(key, entry) of the three first appearances, in order."""
        return ((key, getattr(self, key)) for key in LEDGER_KEYS)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in LEDGER_KEYS:
                value = value.to_json() if value is not None else None
            elif f.name == "first_use_by_form":
                value = [_form_json(row) for row in value]
            out[f.name] = value
        return out

    def timeline_csv_rows(self) -> Iterable[dict]:
        """Rows for `kb trace --csv`: the term's timeline, then each successor's and predecessor's (``series``)."""
        series = [(self.concept["id"] if self.concept else self.term, "term", self.timeline)]
        series += [(s["concept_id"], s["relation"], s["timeline"]) for s in self.successors + self.predecessors]
        for name, relation, rows in series:
            for row in rows:
                yield {"series": name, "relation": relation} | row


@dataclass(frozen=True)
class KwicLine:
    """One occurrence of a term with the text either side (`kb kwic`), its document, date and page; ``start``
    and ``end`` are offsets of the match in the document text."""

    left: str
    match: str
    right: str
    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    date_precision: str | None
    page: int
    passage_id: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
