"""Highlighted fragments of a hit: windows around the matches, a phrase's words marked only where the\nwhole phrase occurs.
"""

from __future__ import annotations

import html
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from kb import index as ix

FRAGMENT_CHARS = 220


MAX_FRAGMENTS = 2


@dataclass(frozen=True)
class Fragment:
    """A piece of passage text as (text, matched) spans."""

    spans: tuple[tuple[str, bool], ...]

    def html(self) -> str:
        """HTML-escaped text with matches in <mark>...</mark>."""
        return "".join(f"<mark>{html.escape(t)}</mark>" if m else html.escape(t) for t, m in self.spans)

    def plain(self) -> str:
        return "".join(t for t, _ in self.spans)


def fragments(text: str, terms: set[str], phrases: set[tuple[str, ...]], prefixes: AbstractSet[str] = frozenset(),
              size: int = FRAGMENT_CHARS, top: int = MAX_FRAGMENTS) -> list[Fragment]:
    """Up to ``top`` windows of about ``size`` characters around the matches, matches marked.

    Words of a phrase are marked only where the whole phrase occurs, not wherever one of its words does.
    """
    toks = ix.tokens(text)
    marked = [False] * len(toks)
    for i, (t, _, _) in enumerate(toks):
        if t in terms or any(t.startswith(pre) for pre in prefixes):
            marked[i] = True
    for ph in phrases:
        n = len(ph)
        for i in range(len(toks) - n + 1):
            if all(toks[i + k][0] == ph[k] for k in range(n)):
                for k in range(n):
                    marked[i + k] = True
    hits = [i for i, m in enumerate(marked) if m]
    if not hits:
        end = _cut(text, min(len(text), size))
        return [Fragment(((text[:end].strip() + ("…" if end < len(text) else ""), False),))] if text else []
    # greedy windows: start a window at the first unused match, extend while within size
    windows = []
    i = 0
    while i < len(hits):
        start_char = toks[hits[i]][1]
        j = i
        while j + 1 < len(hits) and toks[hits[j + 1]][2] - start_char <= size * 0.8:
            j += 1
        windows.append((j - i + 1, i, j))
        i = j + 1
    best = sorted(sorted(windows, key=lambda w: -w[0])[:top], key=lambda w: w[1])
    out = []
    for _count, i, j in best:
        first, last = toks[hits[i]][1], toks[hits[j]][2]
        slack = max(0, size - (last - first))
        start = _cut_back(text, max(0, first - slack // 3))
        end = _cut(text, min(len(text), last + slack - slack // 3))
        spans: list[tuple[str, bool]] = []
        if start > 0:
            spans.append(("…", False))
        pos = start
        for k in range(hits[i], hits[j] + 1):
            if not marked[k]:
                continue
            s, e = toks[k][1], toks[k][2]
            if s < pos:
                continue
            if s > pos:
                spans.append((text[pos:s], False))
            spans.append((text[s:e], True))
            pos = e
        if end > pos:
            spans.append((text[pos:end], False))
        if end < len(text):
            spans.append(("…", False))
        out.append(Fragment(tuple(_merge(spans))))
    return out


def _merge(spans: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join a phrase's marked words (and the spaces between them) into one marked span."""
    out: list[tuple[str, bool]] = []
    for t, m in spans:
        if out and out[-1][1] == m:
            out[-1] = (out[-1][0] + t, m)
        elif m and len(out) >= 2 and out[-2][1] and out[-1][0].strip() == "":
            gap = out.pop()
            out[-1] = (out[-1][0] + gap[0] + t, True)
        else:
            out.append((t, m))
    return [(t.replace("\n", " "), m) for t, m in out]


def _cut(text: str, end: int) -> int:
    """Move an end offset forward to a word boundary (at most 20 chars)."""
    limit = min(len(text), end + 20)
    while end < limit and not text[end].isspace():
        end += 1
    return end


def _cut_back(text: str, start: int) -> int:
    limit = max(0, start - 20)
    while start > limit and not text[start - 1].isspace():
        start -= 1
    return start
