"""The exact alignment of two passages: the longest stretch of text they share, allowing light edits.

difflib's matcher (no junk heuristic) finds the common runs of words in order; runs separated by at most ``GAP``
words on either side (a changed word, a dropped clause) are one stretch. The stretch with the most shared words
is the reuse; its similarity is the share of the two stretches' words that match (2M / (a + b), difflib's ratio).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Words that may differ between two matching runs that still count as one stretch (an edit, a dropped clause).
GAP = 12
#: Fewest shared words for a stretch to count as reuse (kb reuse --min-words filters further up).
MIN_WORDS = 20


@dataclass(frozen=True)
class Alignment:
    """The shared stretch of passages a and b, in word positions (end exclusive) and shared word count."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    similarity: float


def align(a: Sequence[str], b: Sequence[str], min_words: int = MIN_WORDS,
          gap: int = GAP) -> Alignment | None:
    """The longest shared stretch of the word sequences ``a`` and ``b`` (None when under ``min_words``)."""
    from difflib import SequenceMatcher

    blocks = [m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size]
    best: Alignment | None = None
    start = 0
    for i in range(1, len(blocks) + 1):
        if i < len(blocks):
            prev, cur = blocks[i - 1], blocks[i]
            if cur.a - (prev.a + prev.size) <= gap and cur.b - (prev.b + prev.size) <= gap:
                continue
        run = blocks[start:i]
        start = i
        shared = sum(m.size for m in run)
        if shared < min_words or (best is not None and shared <= best.words):
            continue
        a0, b0 = run[0].a, run[0].b
        a1, b1 = run[-1].a + run[-1].size, run[-1].b + run[-1].size
        best = Alignment(a0, a1, b0, b1, shared, round(2 * shared / ((a1 - a0) + (b1 - b0)), 4))
    return best


def diff_words(a_text: str, a_spans: Sequence[tuple[int, int]], a_norm: Sequence[str], b_text: str,
               b_spans: Sequence[tuple[int, int]], b_norm: Sequence[str]) -> list[tuple[str, str]]:
    """The two stretches as one sequence of (op, text): "=" shared, "-" only in a, "+" only in b.

    Compared in kb's word form (case, hyphens and line breaks do not count), shown as written in a (shared and
    removed words, with their punctuation) or in b (added words), white space made single spaces."""
    from difflib import SequenceMatcher

    def piece(text: str, spans: Sequence[tuple[int, int]], i: int, j: int) -> str:
        end = spans[j][0] if j < len(spans) else len(text)  # up to the next word: keep the punctuation
        return " ".join(text[spans[i][0]:end].split())

    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a_norm, b_norm, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", piece(a_text, a_spans, i1, i2)))
            continue
        if i2 > i1:
            out.append(("-", piece(a_text, a_spans, i1, i2)))
        if j2 > j1:
            out.append(("+", piece(b_text, b_spans, j1, j2)))
    return out
