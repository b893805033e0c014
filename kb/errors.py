"""One exception hierarchy for kb. Messages say what to do next."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class KbError(Exception):
    """Base class: every error kb raises on purpose. The CLI shows its message, never a traceback."""

    exit_code = 1


class UsageError(KbError):
    """The user asked for something that cannot be done as asked (bad option, bad query)."""

    exit_code = 2


class InvalidArgument(UsageError):
    """A library function was given a value it cannot use. ``field`` names the parameter and ``value`` what it
    got, so a front end can word the error in its own terms (the CLI names its option, e.g. ``--limit``)."""

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


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


class UnknownValue(UsageError):
    """A filter value (publisher, document type) that no indexed document has."""


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


#: How alike (difflib's ratio, 0-1) a known name must be to a mistyped one to be suggested.
CLOSE_MATCH_CUTOFF = 0.6


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The known names most like a mistyped ``word``, best first, for "did you mean" hints.

    One helper for every such hint, so they agree. Case does not matter; besides names that are spelt alike
    (difflib's ratio at least CLOSE_MATCH_CUTOFF), names that contain every word of three or more letters of
    what was typed count: "kingsfund-2022" finds "kingsfund-integrated-care-our-position-2022".
    """
    import difflib
    import re

    by_fold: dict[str, str] = {}
    for name in candidates:
        by_fold.setdefault(str(name).casefold(), str(name))
    folded = word.casefold().strip()
    if not folded or not by_fold:
        return []
    found = difflib.get_close_matches(folded, list(by_fold), n=n, cutoff=CLOSE_MATCH_CUTOFF)
    words = [w for w in re.split(r"[\W_]+", folded) if len(w) >= 3]
    for name in sorted(by_fold):
        if len(found) >= n:
            break
        if name not in found and words and all(w in name for w in words):
            found.append(name)
    return [by_fold[f] for f in found[:n]]


def did_you_mean(word: str, candidates: Iterable[str] | Mapping[str, str], n: int = 3) -> str:
    """The hint ' Did you mean a, b?' for the closest known names, or '' when none is close (see ``closest``).

    The one "did you mean" of kb. ``candidates`` may map each name to how to show it (a concept's acronym to
    "integrated care system (ics)"): names are matched, and up to ``n`` different shown forms are offered.
    """
    if not isinstance(candidates, Mapping):
        close = closest(word, candidates, n=n)
        return f" Did you mean {', '.join(close)}?" if close else ""
    shown = list(dict.fromkeys(candidates[name] for name in closest(word, candidates, n=3 * n)))[:n]
    return f" Did you mean {', '.join(shown)}?" if shown else ""


def unknown_document_message(doc_id: str, known_ids: Iterable[str]) -> str:
    """The one message for a document id the knowledge base does not hold (kb show, kb mentions, kb search)."""
    return f"No document {doc_id!r}.{did_you_mean(doc_id, known_ids)} Run `kb docs` to list them."
