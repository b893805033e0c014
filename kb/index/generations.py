"""Index generations: each ingest writes its search index into a new folder and the store names the one that
goes with its state, so readers never see an index ahead of or behind the store.

``indexes/whoosh.g<N>`` is generation N. An ingest starts the next one as a copy of the current one (hard links:
an engine's files are written once and never changed in place; a sync only adds files and unlinks others) or
builds it fresh, writes into it, and commits the store with ``index_generation`` naming it: that commit is the
one switch. Afterwards ``indexes/whoosh`` is pointed at it (a symbolic link, for scripts and older tools), and
generations nobody reads are deleted. A crash before the commit leaves the store naming the old generation and
an orphan folder, which the next ingest deletes.

A reader takes a shared lock on ``kb-readers.lock`` in the generation its store snapshot names and keeps it while
it reads; cleaning deletes only generations it can lock exclusively. A store without ``index_generation`` (made
by an earlier kb, or by a script that built ``indexes/whoosh`` itself) reads ``indexes/whoosh``.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

#: The store's meta key naming the current generation's folder (a name inside ``indexes/``).
META_KEY = "index_generation"

#: The shared lock every reader of a generation holds.
READERS_LOCK = "kb-readers.lock"

_SKIP = re.compile(r"(_WRITELOCK|\.lock)$")


def folder_of(indexes_dir: Path, name: str | None, base: str = "whoosh") -> Path:
    """The folder of the generation ``name`` (the store's meta value), or ``indexes/<base>`` without one."""
    return Path(indexes_dir) / (name or base)


def _number(name: str, base: str) -> int | None:
    m = re.fullmatch(rf"{re.escape(base)}\.g(\d+)", name)
    return int(m.group(1)) if m else None


def next_name(indexes_dir: Path, current: str | None, base: str = "whoosh") -> str:
    """A generation name above every one in use or left behind."""
    numbers = [n for p in Path(indexes_dir).iterdir() if (n := _number(p.name, base)) is not None] \
        if Path(indexes_dir).is_dir() else []
    if current and (n := _number(current, base)) is not None:
        numbers.append(n)
    return f"{base}.g{max(numbers, default=0) + 1}"


def start_from(current: Path, new: Path) -> None:
    """Make ``new`` a copy of the index in ``current`` that shares its files (hard links), to be written into
    without changing ``current``; nothing when ``current`` holds no index (the caller then builds afresh)."""
    if new.exists():
        shutil.rmtree(new)
    if not current.is_dir():
        return
    tmp = new.with_name(new.name + ".part")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for entry in current.iterdir():
        if entry.is_file() and not _SKIP.search(entry.name):
            try:
                os.link(entry, tmp / entry.name)
            except OSError:  # a file system without hard links
                shutil.copy2(entry, tmp / entry.name)
    os.replace(tmp, new)


def point_link(indexes_dir: Path, name: str, base: str = "whoosh") -> None:
    """Point ``indexes/<base>`` at generation ``name`` (replacing a link atomically; a real folder left by an
    earlier kb only when no reader holds it)."""
    link = Path(indexes_dir) / base
    if link.is_symlink() and os.readlink(link) == name:
        return
    if link.is_dir() and not link.is_symlink():
        if not _delete_unread(link):
            return
    tmp = link.with_name(f".{base}.link-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(name, tmp)
    os.replace(tmp, link)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean(indexes_dir: Path, keep: str | None, base: str = "whoosh") -> list[str]:
    """Delete the generations other than ``keep`` that no reader holds (those that are held go at a later
    ingest), and copies left half-made; return the names deleted."""
    gone: list[str] = []
    indexes_dir = Path(indexes_dir)
    if not indexes_dir.is_dir():
        return gone
    for entry in sorted(indexes_dir.iterdir()):
        name = entry.name
        if name == keep or entry.is_symlink() or not entry.is_dir():
            continue
        if name.startswith(f"{base}.g") and name.endswith(".part"):
            shutil.rmtree(entry, ignore_errors=True)
            gone.append(name)
        elif _number(name, base) is not None and _delete_unread(entry):
            gone.append(name)
    return gone


def _delete_unread(folder: Path) -> bool:
    """Delete ``folder`` if no reader holds its lock; True when deleted."""
    try:
        fd = os.open(folder / READERS_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        # Renamed first, so a reader that opens the lock from now on finds no folder and looks again.
        doomed = folder.with_name(f".{folder.name}.deleting-{os.getpid()}")
        os.replace(folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        return True
    finally:
        os.close(fd)


class ReaderPin:
    """A shared lock on one generation, held while a command reads it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Lock the generation; False when it is gone (deleted after the snapshot that named it was taken)."""
        if not self.folder.is_dir():
            return not self.folder.exists()  # no index at all: nothing to pin, nothing to lose
        try:
            fd = os.open(self.folder / READERS_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return os.access(self.folder, os.R_OK) and not os.access(self.folder, os.W_OK)  # read-only copy
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not (self.folder / READERS_LOCK).exists():  # renamed away for deletion between open and lock
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
