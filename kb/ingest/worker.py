"""The per-file work done in worker processes: extract, normalise, split. Kept free of spaCy and the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.models import Extraction, Passage


@dataclass(frozen=True)
class FileTask:
    """One file to turn into passages."""

    path: str  # absolute path
    source: str  # corpus-relative POSIX path
    doc_id: str


@dataclass(frozen=True)
class FileResult:
    """Everything the main process needs to store a document."""

    extraction: Extraction
    text: str
    pages: list[tuple[int, int, int]]
    passages: list[Passage]
    warnings: list[str]


def process_file(task: FileTask) -> FileResult:
    """Extract, normalise and split one file. Raises kb.errors.ExtractionError for bad input."""
    from kb.ingest.extract import extract_file
    from kb.ingest.extract.ocr import budget
    from kb.ingest.normalise import normalise_pages
    from kb.ingest.passages import split_passages
    from kb.ingest.pool import report_progress, time_left

    left, limit = time_left() or (None, None)
    with budget(left, limit, report_progress):
        extraction = extract_file(Path(task.path))
    clean, norm_warnings = normalise_pages(extraction.pages)
    text, pages, passages = split_passages(task.doc_id, clean)
    warnings = list(extraction.warnings) + list(norm_warnings)
    # Drop the raw page texts before pickling the result back: the clean text is all that is stored.
    slim = Extraction(extraction.format, (), extraction.metadata, extraction.warnings)
    return FileResult(slim, text, pages, passages, warnings)
