"""The per-file work of an ingest that did not commit, kept so that the next run need not do it again.

An ingest is all or nothing, so a stopped one leaves the knowledge base as it was; but extracting and tagging
a large corpus takes hours, and that work is still good. Each file's result (text, pages, passages, mentions) is
written to ``indexes/unfinished/`` as it is stored; the next ingest takes a file's result from there when the
file, its id, its catalog entry and kb's extraction rules are the same, and a committed ingest deletes the
folder. Nothing reads it but the ingest: no command sees it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

from kb.ingest.worker import FileResult, FileTask

FOLDER = "unfinished"


class FinishedWork:
    """Results of files an earlier, stopped ingest already extracted and tagged."""

    def __init__(self, indexes_dir: Path, version: str) -> None:
        self.folder = Path(indexes_dir) / FOLDER
        self.version = version

    def _path(self, task: FileTask, sha: str, catalog: str) -> Path:
        key = "|".join((self.version, task.source, task.doc_id, str(task.tag), sha, catalog))
        return self.folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".pickle")

    def get(self, task: FileTask, sha: str, catalog: str) -> FileResult | None:
        """The stored result of this file as it is now, or None."""
        try:
            with open(self._path(task, sha, catalog), "rb") as fh:
                value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        return value if isinstance(value, FileResult) else None

    def put(self, task: FileTask, sha: str, catalog: str, result: FileResult) -> None:
        """Keep a file's result (written whole or not at all); a full disk only costs the keeping."""
        path = self._path(task, sha, catalog)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def clear(self) -> None:
        """The ingest committed: nothing here is needed any more."""
        shutil.rmtree(self.folder, ignore_errors=True)


class FingerprintSpool:
    """This ingest's reuse fingerprints, made by the workers, on disk until kb.lineage takes them: the writer
    holds only an offset per document, so a million-passage ingest does not hold its fingerprints in memory."""

    def __init__(self, folder: Path) -> None:
        import tempfile

        Path(folder).mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder, prefix="kb-fingerprints-")  # unlinked at once
        self._at: dict[str, tuple[int, int, int]] = {}  # doc id -> (offset, length, passages)

    def put(self, doc_id: str, passages: int, blob: bytes | None) -> None:
        """Keep a stored document's fingerprints (None: made by an earlier kb, so kb.lineage makes them)."""
        if blob is None:
            self._at.pop(doc_id, None)
            return
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(blob)
        self._at[doc_id] = (offset, len(blob), passages)

    def get(self, doc_id: str, passages: int) -> set[tuple[int, int]] | None:
        """The fingerprints of ``doc_id`` if this ingest stored it with ``passages`` passages, else None."""
        from kb.lineage.text import unpack_fingerprints

        at = self._at.get(doc_id)
        if at is None or at[2] != passages:
            return None
        self._file.seek(at[0])
        return unpack_fingerprints(self._file.read(at[1]))

    def close(self) -> None:
        self._file.close()
