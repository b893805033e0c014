"""What a traced term is (a concept, or a phrase) and one occurrence of it with its context.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.models import Concept


@dataclass(frozen=True)
class TermRef:
    """What a term the user typed refers to: a vocabulary concept, or a free phrase matched exactly."""

    term: str
    kind: str  # "concept" | "phrase"
    matched_by: str  # "id" | "acronym" | "label" | "alias" | "phrase"
    concept: Concept | None = None
    alternatives: tuple[str, ...] = ()  # other concepts sharing the acronym
    note: str = ""  # an id issued once that now leads to this concept: what became of it
    exact: bool = False  # a phrase matched only as typed (no plural, possessive or hyphen variants)

    @property
    def key(self) -> str:
        """Concept id, or the phrase itself: the series name in timelines and CSV."""
        return self.concept.id if self.concept else self.term

    @property
    def display(self) -> str:
        return self.concept.label if self.concept else self.term


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of the term: offsets into the document text, plus some text either side."""

    doc_id: str
    passage_id: str
    page: int
    start: int
    end: int
    surface: str
    before: str = ""
    after: str = ""
    is_definition: bool = False
