"""One exception hierarchy for kb. Messages say what to do next."""

from __future__ import annotations


class KbError(Exception):
    """Base class: every error kb raises on purpose. The CLI shows its message, never a traceback."""

    exit_code = 1


class UsageError(KbError):
    """The user asked for something that cannot be done as asked (bad option, bad query)."""

    exit_code = 2


class ProjectNotFound(UsageError):
    """No kb project (a folder with corpus/) where one was expected."""


class CatalogError(UsageError):
    """The catalog file is malformed; the message names the line and the problem."""


class VocabularyError(UsageError):
    """The concept vocabulary file is malformed; the message names the line and the problem."""


class QuerySyntaxError(UsageError):
    """A search query could not be parsed."""


class NotIngested(UsageError):
    """The store or index does not exist yet: run `kb ingest` first."""


class UnknownDocument(UsageError):
    """A document id that the knowledge base does not hold."""


class UnknownConcept(UsageError):
    """A concept id, label or alias that the vocabulary does not hold."""


class StoreError(KbError):
    """The SQLite store is unusable (corrupt, or from an incompatible kb version)."""


class StoreBusy(KbError):
    """Another kb process holds the ingest lock."""


class ExtractionError(KbError):
    """A file could not be turned into text. ``reason`` and ``advice`` make the one-line report."""

    def __init__(self, reason: str, advice: str = "") -> None:
        super().__init__(reason if not advice else f"{reason}; {advice}")
        self.reason = reason
        self.advice = advice
