"""Every change kb makes to Whoosh, in one place, applied by :func:`apply` and only on the pinned
whoosh-reloaded 2.7.5 (setup.cfg): imports without modules kb never uses, faster posting-block skips, an exact
AND NOT, segment files read from their memory map without a copy.
"""

from __future__ import annotations

import io
import logging
import sys
import types
from contextlib import contextmanager


@contextmanager
def _without_unused_imports():
    """Import Whoosh without the stdlib modules it imports but kb never uses (~60 ms per ``kb search``).

    whoosh.compat imports urllib.request for ``urlretrieve``, whoosh-reloaded's ``cached_property``
    dependency imports asyncio for coroutine support, and whoosh.query compiles the English morphology
    regexes of ``Variations`` queries (kb never makes one). While Whoosh loads, both names resolve to tiny stand-ins
    that import the real module on first use; afterwards the real modules import normally.
    """
    stand_ins = {}
    for name, attrs in (("urllib.request", ("urlretrieve",)), ("asyncio", ("iscoroutinefunction", "ensure_future")),
                        ("whoosh.lang.morph_en", ("variations",))):
        if name in sys.modules:
            continue
        mod = types.ModuleType(name)
        for attr in attrs:
            setattr(mod, attr, _deferred(name, attr))
        stand_ins[name] = sys.modules[name] = mod
    try:
        yield
    finally:
        for name, mod in stand_ins.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]


def _deferred(module: str, attr: str):
    def call(*args, **kwargs):
        import importlib

        if module == "asyncio" and attr == "iscoroutinefunction":
            import inspect

            return inspect.iscoroutinefunction(*args, **kwargs)
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    return call


def _faster_posting_reads() -> None:
    """Make Whoosh's posting-block reader skip with a binary search instead of one Python call per posting.

    Whoosh 2.7's ``W3LeafMatcher.skip_to`` walks a block posting by posting (``id()``, ``next()``, ...),
    and decodes a block's document numbers with a Python generator. Those two loops were half the time of
    AND, filtered and multi-word queries on 100,000 passages. The replacements give the same positions
    (tests compare them with the originals on real blocks); they apply to whoosh-reloaded 2.7.5, which
    setup.cfg pins, and are skipped if the class does not look as expected.
    """
    from bisect import bisect_left
    from itertools import accumulate

    from whoosh.codec import whoosh3
    from whoosh.matching import ReadTooFar

    leaf = whoosh3.W3LeafMatcher
    if getattr(leaf, "_kb_original", None) or not all(
            hasattr(leaf, n) for n in ("skip_to", "_read_ids", "_read_data", "_next_block", "_goto")):
        return
    original = {"skip_to": leaf.skip_to, "_read_ids": leaf._read_ids}

    def _read_ids(self):
        if self._byteids:
            return original["_read_ids"](self)
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(self._data[0]))  # the ids are stored as deltas

    def skip_to(self, targetid):
        if self._byteids:
            return original["skip_to"](self, targetid)
        if self._atend or self._i >= self._blocklength:
            raise ReadTooFar
        if self._ids is None:
            self._read_ids()
        if targetid <= self._ids[self._i]:
            return
        if targetid > self._maxid:
            # Whole blocks are passed on their stored maximum id, without decoding them.
            while True:
                self._next_block()
                if self._atend:
                    return
                if targetid <= self._maxid:
                    break
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)

    leaf._kb_original = original
    leaf._read_ids = _read_ids
    leaf.skip_to = skip_to




class _ViewReader(io.RawIOBase):
    """Raw reads from a memoryview of a memory-mapped segment, for ``io.BufferedReader``: nothing is copied but
    the bytes asked for (and one read-ahead buffer)."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view, self._pos = view, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = max(0, min(len(b), len(self._view) - self._pos))
        b[:n] = self._view[self._pos:self._pos + n]
        self._pos += n
        return n

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = max(0, pos if whence == 0 else self._pos + pos if whence == 1 else len(self._view) + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos


def _zero_copy_segment_files() -> None:
    """Read a segment's files from its memory map instead of a private copy of each.

    Whoosh maps a segment file and then wraps each file inside it in ``BytesIO(memoryview)``, which copies the
    whole file into memory: a fresh ``kb search`` on a million passages copied 2.3 GB of index (3 GB resident,
    1 s of its start) to read a few posting blocks. The replacement reads through a buffered reader over the
    same memoryview; ``get`` (how posting blocks are read) already slices the view without copying.
    """
    from whoosh.filedb import structfile

    cls = structfile.BufferFile
    if getattr(cls, "_kb_original", None):
        return
    original = {"__init__": cls.__init__}

    def __init__(self, buf, name=None, onclose=None):
        if not isinstance(buf, memoryview):
            return original["__init__"](self, buf, name=name, onclose=onclose)
        self._buf = buf
        self._name = name
        self.file = io.BufferedReader(_ViewReader(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    cls._kb_original = original
    cls.__init__ = __init__


def _exact_and_not() -> None:
    """Fix two slips of Whoosh's ``AndNotMatcher`` (A AND NOT B).

    - On creation it excludes A's first match only when B starts on the very same passage, so a first match of
      A that B reaches after skipping (B starts earlier) was kept: ``care -health`` listed a passage with
      "health" when it was the first with "care" and another "health" passage came before it.
    - It read A's id after ``skip_to_quality`` had moved A past its last posting (None < int: TypeError).
    """
    from whoosh.matching import binary

    cls = binary.AndNotMatcher
    if getattr(cls, "_kb_original", None):
        return
    original = {"_find_next": cls._find_next, "_find_first": cls._find_first}

    def _find_next(self):
        if not self.a.is_active():
            return False
        return original["_find_next"](self)

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            original["_find_next"](self)

    cls._kb_original = original
    cls._find_next = _find_next
    cls._find_first = _find_first


#: The Whoosh release kb's patches were written against and checked on (setup.cfg pins it).
PINNED = "2.7.5"
_applied = False


def apply() -> None:
    """Import Whoosh as kb uses it and apply kb's changes to it, once per process.

    The posting-reader and AND NOT changes touch Whoosh internals, so they are applied only to the pinned
    release; on another version Whoosh runs unchanged (slower skips, and the AND NOT slips the tests catch).
    """
    global _applied
    if _applied:
        return
    with _without_unused_imports():
        import whoosh
        import whoosh.query  # noqa: F401  (pulls in whoosh.lang.morph_en: 60 regexes kb never uses)
        import whoosh.reading  # noqa: F401  (the module that pulls in cached_property)
    if whoosh.versionstring() == PINNED:
        _faster_posting_reads()
        _exact_and_not()
        _zero_copy_segment_files()
    else:  # pragma: no cover - only with an unpinned install
        logging.getLogger(__name__).warning("whoosh %s is not the pinned %s: kb's patches are not applied",
                                            whoosh.versionstring(), PINNED)
    _applied = True
