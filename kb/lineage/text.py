"""Words and fingerprints of a passage, so the same text is found again however it was typeset.

Words are lower-cased; a hyphen between letters (with any line break or space after it) is dropped, so
"co-ordinated", "co- ordinated" and "coordinated" are one word, and an apostrophe never splits one. A passage's
shingles are its runs of ``SHINGLE`` consecutive words, hashed; winnowing keeps the smallest hash of every window
of ``WINDOW`` shingles, so any shared run of ``SHINGLE + WINDOW - 1`` words shares at least one fingerprint
(Schleimer, Wilkerson and Aiken 2003), at about 2 / (WINDOW + 1) of the shingles' storage.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

#: Words per shingle: 8-word runs are rare by chance in policy prose, common only where text was copied.
SHINGLE = 8
#: Winnowing window (in shingles): any shared run of 8 + 6 - 1 = 13 words is guaranteed a shared fingerprint.
WINDOW = 6

_WORD_RE = re.compile(r"[^\W_]+(?:(?:[-\u00ad\u2010\u2011]\s*|['\u2019])[^\W_]+)*")
_JOINERS_RE = re.compile(r"[-\u00ad\u2010\u2011'\u2019\s]")
_MULT = 0x100000001B3  # FNV prime: mixes the word hashes of a shingle (uint64 arithmetic wraps)


@dataclass(frozen=True)
class Words:
    """A text's words in kb's comparison form, with where each sits in the text (for excerpts)."""

    norm: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def words(text: str) -> Words:
    """The words of ``text``: lower-cased, hyphens and apostrophes inside a word dropped, with char spans."""
    norm: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _WORD_RE.finditer(text):
        norm.append(_JOINERS_RE.sub("", m.group()).lower())
        spans.append(m.span())
    return Words(tuple(norm), tuple(spans))


_HASHES: dict[str, int] = {}


def _word_hash(word: str) -> int:
    h = _HASHES.get(word)
    if h is None:
        if len(_HASHES) > 1_000_000:
            _HASHES.clear()
        h = _HASHES[word] = zlib.crc32(word.encode("utf-8")) | (len(word) << 32)
    return h


def fingerprints(norm: tuple[str, ...] | list[str]) -> list[int]:
    """The winnowed shingle hashes of a word sequence (signed 64-bit, as SQLite stores them), distinct, sorted.

    Deterministic across processes and runs (no Python ``hash``), so stored fingerprints stay comparable."""
    import numpy as np

    n = len(norm) - SHINGLE + 1
    if n <= 0:
        return []
    w = np.fromiter((_word_hash(t) for t in norm), dtype=np.uint64, count=len(norm))
    h = np.zeros(n, dtype=np.uint64)
    mult = np.uint64(_MULT)
    with np.errstate(over="ignore"):
        for j in range(SHINGLE):
            h = h * mult + w[j:j + n]
        h ^= h >> np.uint64(29)  # spread the high bits down: the minimum must not favour some words
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    if n <= WINDOW:
        chosen = h[[int(np.argmin(h))]]
    else:
        from numpy.lib.stride_tricks import sliding_window_view

        windows = sliding_window_view(h, WINDOW)
        picks = np.unique(windows.argmin(axis=1) + np.arange(len(windows)))
        chosen = h[picks]
    return sorted({int(x) for x in np.unique(chosen).view(np.int64)})
