"""Quotes: the sentence around a term, cut to a readable length, and its HTML with the term marked.

No spaCy here: a sentence splitter made of a regex and a short abbreviation list is enough to quote a sentence,
and keeps `kb kwic` and `kb trace` fast to start.
"""

from __future__ import annotations

import html
import re

#: Sentence ends: ., ! or ? (with closing quotes/brackets) then whitespace; blank lines; bullets.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+|\n[ \t]*\n\s*|\s*[•▪●◦]\s*")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "pp", "p", "vs", "cf", "prof",
                            "para", "fig", "vol", "ed", "approx"})
_SPACE = re.compile(r"\s+")
_PUNCT = "\"'’‘“”()[],.;:!?–—-"


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip(_PUNCT).casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence of ``text`` holding the span; never cuts the span itself."""
    begin, finish = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        sentence_end = m.group().count("\n") < 2 and not m.group().strip(" \t\n\r\"'’”)]")
        if sentence_end and m.start() > 0 and _is_abbreviation(text, m.start() - 1):
            continue
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            group = m.group()
            finish = m.start() + len(group) - len(group.lstrip("\"'’”)]"))  # keep closing quotes and brackets
            break
    return begin, finish


def quote(text: str, start: int, end: int, max_chars: int = 320) -> tuple[str, int, int]:
    """The sentence around ``text[start:end]``, whitespace collapsed and cut to about ``max_chars`` with ellipses.

    Returns (sentence, mark_start, mark_end): the offsets of the term inside the returned sentence.
    """
    s, e = sentence_bounds(text, start, end)
    left = _SPACE.sub(" ", text[s:start]).lstrip()
    middle = _SPACE.sub(" ", text[start:end])
    right = _SPACE.sub(" ", text[end:e]).rstrip()
    room = max(0, max_chars - len(middle))
    if len(left) + len(right) > room:
        keep_left = min(len(left), max(room // 2, room - len(right)))
        keep_right = room - keep_left
        if len(left) > keep_left:
            left = "…" + left[len(left) - keep_left:].lstrip()
        if len(right) > keep_right:
            right = right[:keep_right].rstrip() + "…"
    return left + middle + right, len(left), len(left) + len(middle)


def mark_html(sentence: str, mark_start: int, mark_end: int) -> str:
    """An HTML fragment: the sentence escaped, the term wrapped in <mark>…</mark>."""
    esc = html.escape
    return (esc(sentence[:mark_start], quote=False) + "<mark>" + esc(sentence[mark_start:mark_end], quote=False)
            + "</mark>" + esc(sentence[mark_end:], quote=False))


def context(before: str, match: str, after: str, width: int) -> tuple[str, str, str]:
    """Left context, match and right context, whitespace collapsed and cut to ``width`` characters each."""
    left = _SPACE.sub(" ", before)[-width:] if width > 0 else ""
    right = _SPACE.sub(" ", after)[:width] if width > 0 else ""
    return left, _SPACE.sub(" ", match), right
