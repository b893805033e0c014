"""Acronym definitions in running text, found with the Schwartz–Hearst algorithm.

Pure functions on strings, so every tricky case (plural "(ICSs)", "SF (long form)", nested brackets, letters that
skip small words, a definition at the start of a sentence) has a test on a tiny string. The spaCy component in
:mod:`kb.nlp.pipeline` only calls :func:`find_definitions`.

Reference: A. Schwartz and M. Hearst, "A simple algorithm for identifying abbreviation definitions in biomedical
text", Pacific Symposium on Biocomputing, 2003.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Characters that end the stretch of text a long form may come from (besides sentence boundaries).
_LONG_STOP = re.compile(r"[()\[\];:\u2022]|\s[\u2013\u2014-]\s")
_WORD = re.compile(r"\S+")
_BRACKET = re.compile(r"[()]")


@dataclass(frozen=True)
class Definition:
    """A short form defined in text, with character offsets of both parts (end exclusive)."""

    short: str  # singular, as the acronym is looked up ("ICS" for "ICSs")
    written: str  # as written in the brackets or before them ("ICSs")
    long: str  # the long form, whitespace collapsed
    short_start: int
    short_end: int
    long_start: int
    long_end: int

    @property
    def start(self) -> int:
        return min(self.short_start, self.long_start)

    @property
    def end(self) -> int:
        return max(self.short_end, self.long_end)


def is_short_form(text: str) -> bool:
    """Looks like an acronym: one word of 2-10 characters, mostly capitals ("ICS", "PCNs", "NHSE/I", "A&E")."""
    if not 2 <= len(text) <= 10 or not text[0].isalnum() or any(ch.isspace() for ch in text):
        return False
    upper = sum(ch.isupper() for ch in text)
    lower = sum(ch.islower() for ch in text)
    return upper >= 1 and upper >= lower and (upper >= 2 or len(text) <= 3)


def singular_short(written: str, long: str = "") -> str:
    """ "ICSs" -> "ICS" (a plural acronym), but "NHS" stays "NHS"."""
    if len(written) > 2 and written.endswith("s") and written[-2].isupper():
        if not long or long.rstrip().lower().endswith("s"):
            return written[:-1]
    return written


def best_long_form(short: str, candidate: str) -> int | None:
    """Schwartz–Hearst: where in ``candidate`` the shortest long form for ``short`` starts, or None.

    Every letter or digit of the short form must appear in order, right to left, and the first one must start a
    word; letters may skip small words ("Department of Health and Social Care" for DHSC).
    """
    s = len(short) - 1
    l = len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while l >= 0 and (candidate[l].lower() != ch or (s == 0 and l > 0 and candidate[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    return candidate.rfind(" ", 0, l + 1) + 1


def _first_alnum(short: str) -> str:
    return next((ch for ch in short if ch.isalnum()), "")


def _valid(short: str, long: str) -> bool:
    """Schwartz–Hearst's sanity checks: longer than the short form, not containing it, not too many words."""
    words = long.split()
    if not words or len(long) <= len(short) or short.lower() in (w.lower() for w in words):
        return False
    return len(words) <= min(len(short) + 5, len(short) * 2)


def _window_start(text: str, open_at: int, floor: int) -> int:
    """Where the text a long form may come from begins: after the last stop mark or sentence start."""
    start = floor
    for m in _LONG_STOP.finditer(text, floor, open_at):
        start = m.end()
    return start


def _bracket_pairs(text: str) -> list[tuple[int, int, int]]:
    """(open, close, depth) of every balanced () pair; close is the index of ")"."""
    stack: list[int] = []
    pairs = []
    for m in _BRACKET.finditer(text):
        i = m.start()
        if text[i] == "(":
            stack.append(i)
        elif stack:
            open_at = stack.pop()
            pairs.append((open_at, i, len(stack)))
    return sorted(pairs)


def _inner_head(text: str, open_at: int, close_at: int) -> tuple[int, int]:
    """Offsets of the text inside brackets up to a nested bracket, comma or semicolon, stripped."""
    end = close_at
    for sep in ("(", ",", ";"):
        k = text.find(sep, open_at + 1, end)
        if k != -1:
            end = k
    start = open_at + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_definitions(text: str,
                     sentence_starts: Sequence[int] | Callable[[int], int] = ()) -> list[Definition]:
    """Every acronym definition in ``text``: "long form (SF)" and "SF (long form)".

    ``sentence_starts`` (character offsets, or a function from an offset to the start of its sentence) keep a
    long form from reaching back into the previous sentence.
    """
    if "(" not in text:
        return []
    found: list[Definition] = []
    if callable(sentence_starts):
        sentence_start = sentence_starts
    else:
        starts = sorted(sentence_starts)

        def sentence_start(offset: int) -> int:
            return max((s for s in starts if s <= offset), default=0)

    for open_at, close_at, _depth in _bracket_pairs(text):
        a, b = _inner_head(text, open_at, close_at)
        inside = text[a:b]
        if not is_short_form(inside) and not _ends_with_short_form(text, open_at):
            continue
        floor = sentence_start(open_at)
        enclosing = text.rfind("(", floor, open_at)
        if enclosing != -1 and text.find(")", enclosing, open_at) == -1:
            floor = enclosing + 1  # nested: the long form lies inside the outer brackets
        if is_short_form(inside):
            found.extend(_long_then_short(text, inside, a, b, open_at, floor))
        else:
            found.extend(_short_then_long(text, open_at, close_at, floor))
    return found


def _ends_with_short_form(text: str, open_at: int) -> bool:
    m = re.search(r"(\S+)\s*$", text[max(0, open_at - 14):open_at])
    return bool(m) and is_short_form(m.group(1).strip("\"'\u2018\u2019"))


def _long_then_short(text: str, written: str, a: int, b: int, open_at: int, floor: int) -> list[Definition]:
    start = _window_start(text, open_at, floor)
    window = text[start:open_at]
    words = list(_WORD.finditer(window))
    limit = min(len(written) + 5, len(written) * 2)
    words = words[-limit:]
    if not words:
        return []
    cand_start = start + words[0].start()
    candidate = text[cand_start:start + words[-1].end()]
    short = singular_short(written, candidate)
    at = best_long_form(short, candidate)
    if at is None:
        return []
    long_start = cand_start + at
    long_end = cand_start + len(candidate)
    long = " ".join(text[long_start:long_end].split())
    if not _valid(short, long):
        return []
    return [Definition(short, written, long, a, b, long_start, long_end)]


def _short_then_long(text: str, open_at: int, close_at: int, floor: int) -> list[Definition]:
    before = text[floor:open_at].rstrip()
    m = re.search(r"(\S+)$", before)
    if not m:
        return []
    written = m.group(1).strip("\"'\u2018\u2019")
    if not is_short_form(written):
        return []
    a = floor + m.start(1)
    b = a + len(written)
    inner_start, inner_end = _inner_head(text, open_at, close_at)
    inside = text[inner_start:inner_end]
    if len(inside.split()) < 2:
        return []
    short = singular_short(written, inside)
    at = best_long_form(short, inside)
    if at is None:
        return []
    skipped = inside[:at].split()
    if len(skipped) > 1 or (skipped and skipped[0].lower() not in ("the", "a", "an")):
        return []  # the whole bracket (bar an article) must be the long form
    long = " ".join(inside[at:].split())
    if not _valid(short, long):
        return []
    return [Definition(short, written, long, a, b, inner_start + at, inner_end)]
