"""Values that flow through the pipeline: frozen dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartialDate:
    """A publication date known to day, month or year precision ("2020-11-20", "2020-11", "2020")."""

    value: str  # ISO prefix: YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # "day" | "month" | "year"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse an ISO partial date; raise ValueError with a readable message otherwise."""
        import datetime as _dt

        text = str(text).strip()
        parts = text.split("-")
        try:
            if len(parts) == 1 and len(parts[0]) == 4:
                int(parts[0])
                return cls(text, "year")
            if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
                _dt.date(int(parts[0]), int(parts[1]), 1)
                return cls(text, "month")
            if len(parts) == 3:
                _dt.date.fromisoformat(text)
                return cls(text, "day")
        except ValueError:
            pass
        raise ValueError(f"{text!r} is not a date like 2020-11-20, 2020-11 or 2020")

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def earliest(self) -> str:
        """First day the date could be (for range filters and ordering)."""
        return {"year": self.value + "-01-01", "month": self.value + "-01", "day": self.value}[self.precision]

    @property
    def latest(self) -> str:
        """Last day the date could be."""
        import calendar

        if self.precision == "year":
            return self.value + "-12-31"
        if self.precision == "month":
            y, m = int(self.value[:4]), int(self.value[5:7])
            return f"{self.value}-{calendar.monthrange(y, m)[1]:02d}"
        return self.value


@dataclass(frozen=True)
class Extraction:
    """What an extractor returns: raw page texts plus metadata found in the file itself."""

    format: str  # "pdf" | "html" | "text" | "markdown" | "captions"
    pages: tuple[str, ...]
    metadata: dict = field(default_factory=dict)  # title, published (PartialDate), url, publisher, ... with *_source
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A chunk of a document's text: stable id, page(s) and offsets into the document text."""

    id: str
    doc_id: str
    ordinal: int
    page: int
    page_end: int
    start: int
    end: int
    text: str
    heading: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Concept:
    """A canonical policy concept from the vocabulary (or discovered from an acronym definition)."""

    id: str
    label: str
    kind: str
    definition: str = ""
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    successor: tuple[str, ...] = ()  # ids of concepts that replaced this one
    part_of: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    discovered: bool = False


@dataclass(frozen=True)
class Mention:
    """One occurrence of a concept in a document: offsets are into the document text."""

    doc_id: str
    passage_id: str
    concept_id: str
    surface: str
    start: int
    end: int
    page: int
    is_definition: bool = False


@dataclass(frozen=True)
class AcronymDefinition:
    """A short form defined in a document, e.g. "primary care networks (PCNs)"."""

    doc_id: str
    passage_id: str
    short: str
    long: str
    start: int
    end: int
    page: int
    concept_id: str | None = None
