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
from collections.abc import Sequence
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


_INNER_JOINER_RE = re.compile(r"(?<=[^\W_])(?:[-\u00ad\u2010\u2011]\s*|['\u2019])(?=[^\W_])")
_PLAIN_WORD_RE = re.compile(r"[^\W_]+")


def norm_words(text: str) -> list[str]:
    """``words(text).norm`` without the spans, at a fraction of the cost (fingerprinting needs no offsets)."""
    return _PLAIN_WORD_RE.findall(_INNER_JOINER_RE.sub("", text.lower()))


_HASHES: dict[str, int] = {}


def _word_hashes(norm: Sequence[str]) -> list[int]:
    found = list(map(_HASHES.get, norm))
    if None in found:
        if len(_HASHES) > 1_000_000:
            _HASHES.clear()
        for i, (word, h) in enumerate(zip(norm, found, strict=True)):
            if h is None:
                found[i] = _HASHES[word] = zlib.crc32(word.encode("utf-8")) | (len(word) << 32)
    return found  # type: ignore[return-value]


def fingerprints(norm: Sequence[str]) -> list[int]:
    """The winnowed shingle hashes of one word sequence, distinct and sorted (see ``passage_fingerprints``)."""
    return sorted({h for h, _ in passage_fingerprints([norm])})


def passage_fingerprints(passages: Sequence[Sequence[str]]) -> set[tuple[int, int]]:
    """(hash, index of the passage) of the winnowed shingles of a document's passages, in one pass.

    Shingles never cross from one passage into the next; the windows of the winnowing run over the document's
    shingles, so a window at a boundary picks its minimum from either passage (any 13-word run inside a passage
    still has the same fingerprint wherever it sits). Hashes are signed 64-bit (as SQLite stores them) and
    deterministic across processes and runs (no Python ``hash``), so stored fingerprints stay comparable."""
    import numpy as np

    lengths = [len(p) for p in passages]
    total = sum(lengths)
    n = total - SHINGLE + 1
    if n <= 0:
        return set()
    w = np.fromiter((h for p in passages for h in _word_hashes(p)), dtype=np.uint64, count=total)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mult = np.uint64(_MULT)
        for j in range(SHINGLE):
            h = h * mult + w[j:j + n]
        h ^= h >> np.uint64(29)  # spread the high bits down: the minimum must not favour some words
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    starts = np.cumsum([0, *lengths])  # passage k holds words starts[k]:starts[k+1]
    owner = np.searchsorted(starts, np.arange(n), side="right") - 1
    inside = np.arange(n) + SHINGLE <= starts[owner + 1]
    if not inside.any():
        return set()
    top = np.uint64(np.iinfo(np.uint64).max)
    h = np.where(inside, h, top)
    width = min(WINDOW, n)
    m = h[:n - width + 1].copy()  # the minimum of each window of ``width`` shingles
    for k in range(1, width):
        np.minimum(m, h[k:n - width + 1 + k], out=m)
    chosen = np.zeros(n, dtype=bool)
    for k in range(width):  # shingle i is chosen when it is the minimum of a window starting at i - k
        lo = max(k, 0)
        hi = min(n, len(m) + k)
        chosen[lo:hi] |= h[lo:hi] == m[lo - k:hi - k]
    chosen &= inside
    picked = h[chosen].view(np.int64).tolist()
    return set(zip(picked, owner[chosen].tolist(), strict=True))


def pack_fingerprints(found: set[tuple[int, int]]) -> bytes:
    """``passage_fingerprints`` as bytes (signed 64-bit hashes, then 32-bit passage indexes, sorted), so a worker
    can send them with a file's result and the writer keep them on disk, at 12 bytes a fingerprint."""
    from array import array

    rows = sorted(found)
    return array("q", [h for h, _ in rows]).tobytes() + array("I", [k for _, k in rows]).tobytes()


def unpack_fingerprints(blob: bytes) -> set[tuple[int, int]]:
    """The set ``pack_fingerprints`` packed."""
    from array import array

    n = len(blob) // 12
    hashes, owners = array("q"), array("I")
    hashes.frombytes(blob[:8 * n])
    owners.frombytes(blob[8 * n:12 * n])
    return set(zip(hashes, owners, strict=True))
