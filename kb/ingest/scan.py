"""The first stage of `kb ingest`: which files need work, which are unchanged, and which left the corpus.

Files are compared with what the store holds by size and modification time first, then by sha256; a file that
failed before and has not changed is not parsed again unless it is named; catalog ids are reserved before any
automatic id is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kb.ingest.catalog import CatalogEntry, slugify
from kb.ingest.report import (
    DocumentRemoved,
    Failure,
    FileFailed,
    IngestReport,
    Progress,
    ScanDone,
    ScanStarted,
    fail,
)
from kb.ingest.worker import FileTask

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


@dataclass
class Plan:
    """What the scan found: the files to extract (with their hashes and stat results) and what was stored."""

    known: dict[str, dict]  # source -> the stored document's fingerprint row
    tasks: list[FileTask] = field(default_factory=list)
    shas: dict[str, str] = field(default_factory=dict)
    stats: dict[str, os.stat_result] = field(default_factory=dict)


def plan_work(store: Store, known: dict[str, dict], catalog: dict[str, CatalogEntry], files: list[Path],
              scopes: list[str], corpus: Path, force: bool, report: IngestReport, progress: Progress) -> Plan:
    """The files that need work, against ``known`` (the store's fingerprint rows by source); unchanged ones are
    counted (and their new stat recorded), unreadable ones and unchanged failures reported."""
    plan = Plan(known)
    known = plan.known
    previous_failures = {f["source"]: f for f in store.failures()}
    # Catalog ids are reserved first, so an automatic id never takes one; a stored document whose automatic
    # id a catalog entry now claims for another file is ingested again under a new id.
    catalog_ids = {e.id: e.file for e in catalog.values() if e.id}
    taken_ids = {rec["id"]: src for src, rec in known.items() if rec["id"] not in catalog_ids}
    taken_ids.update(catalog_ids)
    progress(ScanStarted(len(files)))
    for path in files:
        source = path.relative_to(corpus).as_posix()
        entry = catalog.get(source)
        try:
            st = path.stat()
            plan.stats[source] = st
            rec = known.get(source)
            chash = catalog_hash(entry)
            displaced = rec is not None and catalog_ids.get(rec["id"], source) != source
            if (not force and not displaced and rec and rec["file_size"] == st.st_size
                    and rec["file_mtime_ns"] == st.st_mtime_ns and rec["catalog_hash"] == chash):
                report.unchanged += 1
                continue
            sha = sha256_file(path)
        except OSError as exc:
            fail(store, report, progress, Failure(source, f"cannot read file ({exc.strerror or exc})",
                                                  "check its permissions", kept_previous=source in known))
            continue
        plan.shas[source] = sha
        if not force and not displaced and rec and rec["sha256"] == sha and rec["catalog_hash"] == chash:
            with store.transaction():
                store.touch_document(rec["id"], st.st_size, st.st_mtime_ns)
            report.unchanged += 1
            continue
        prev = previous_failures.get(source)
        if not force and prev and prev["sha256"] == sha and not paths_given(scopes):
            # Not parsed again (a file that hung would cost the time limit on every run); naming it retries it.
            not_retried = Failure(source, prev["reason"] + " (unchanged since the last attempt)",
                                  f"{prev['advice']}; to retry it, name it: kb ingest {shlex.quote('corpus/' + source)}",
                                  kept_previous=source in known)
            report.failed.append(not_retried)
            progress(FileFailed(not_retried))
            continue
        doc_id = choose_id(source, entry, taken_ids)
        plan.tasks.append(FileTask(str(path), source, doc_id, tag=not (entry and entry.duplicate_of)))
    progress(ScanDone(report.unchanged, len(plan.tasks)))
    return plan


def remove_gone(store: Store, catalog: dict[str, CatalogEntry], files: list[Path], scopes: list[str], corpus: Path,
                known: dict[str, dict], report: IngestReport, progress: Progress) -> None:
    """Files that left the corpus (within the scanned scope) leave the knowledge base; a catalog entry without
    its file is a warning."""
    present = {p.relative_to(corpus).as_posix() for p in files}
    for entry in catalog.values():
        if entry.file not in present and not paths_given(scopes) and not (corpus / entry.file).is_symlink():
            report.warnings.append(f"catalog.toml, line {entry.line}: no file {entry.file!r} in corpus/ (a typo, or a"
                                   " file that was removed?); its metadata is not used")
    for source, rec in sorted(known.items()):
        if source not in present and in_scope(source, scopes):
            with store.transaction():
                store.delete_document(rec["id"])
                store.clear_failure(source)
            report.removed.append(rec["id"])
            progress(DocumentRemoved(rec["id"], source))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def catalog_hash(entry: CatalogEntry | None) -> str:
    if entry is None:
        return ""
    data = {k: v for k, v in entry.__dict__.items() if k != "line"}
    data["published"] = entry.published.value if entry.published else None
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def paths_given(scopes: list[str]) -> bool:
    """True when the ingest was limited to some files or folders of the corpus."""
    return scopes != [""]


def in_scope(source: str, scopes: list[str]) -> bool:
    return any(s == "" or source == s or source.startswith(s.rstrip("/") + "/") for s in scopes)



def choose_id(source: str, entry: CatalogEntry | None, taken: dict[str, str]) -> str:
    if entry and entry.id:
        doc_id = entry.id
    else:
        doc_id = slugify(source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source)
        if taken.get(doc_id, source) != source:
            doc_id = f"{doc_id}-{hashlib.sha256(source.encode()).hexdigest()[:6]}"
    taken[doc_id] = source
    return doc_id
