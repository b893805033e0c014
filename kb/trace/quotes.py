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


#: A list item shorter than this many words that is not a sentence of its own is quoted after its list's lead-in.
LIST_ITEM_WORDS = 12
_BULLETS = "•▪●◦"
_LEAD_IN_CHARS = 160


def _lead_in(text: str, s: int, e: int, max_chars: int) -> str:
    """The words that introduce the list, with a separating space, when ``text[s:e]`` is a short bullet item that
    is no sentence of its own ("such as: • integrated care;"), so a quote says what the item is an item of; ''
    otherwise."""
    item = text[s:e].strip()
    if not item or item[-1] in ".!?" or len(item.split()) >= LIST_ITEM_WORDS:
        return ""
    pos = text.rfind(text[:s].rstrip()[-1:], 0, s) if text[:s].rstrip()[-1:] in _BULLETS else -1
    if pos < 0:
        return ""
    own = pos
    for _ in range(200):  # back over the earlier short items of the same list to its first bullet (bounded)
        prev = max(text.rfind(b, 0, pos) for b in _BULLETS)
        between = text[prev + 1:pos] if prev >= 0 else ""
        if prev < 0 or between.strip()[-1:] in (".", "!", "?") \
                or len(between.split()) >= 2 * LIST_ITEM_WORDS:
            break
        pos = prev
    last = len(text[:pos].rstrip()) - 1
    if last < 0:
        return ""
    lead_start, _ = sentence_bounds(text, last, last)
    lead = _SPACE.sub(" ", text[lead_start:last + 1]).strip()
    if not lead or lead[-1] in ".!?":
        return ""
    keep = min(_LEAD_IN_CHARS, max_chars // 2)
    if len(lead) > keep:
        lead = "…" + lead[len(lead) - keep:].lstrip()
    return lead + (" " if pos == own else " … ")  # "…" where earlier items are left out


def quote(text: str, start: int, end: int, max_chars: int = 320) -> tuple[str, int, int]:
    """The sentence around ``text[start:end]``, whitespace collapsed and cut to about ``max_chars`` with ellipses.

    A short bullet item that is no sentence of its own comes after its list's lead-in ("… key areas such as: …
    integrated care;"). Returns (sentence, mark_start, mark_end): the offsets of the term inside the returned
    sentence.
    """
    s, e = sentence_bounds(text, start, end)
    lead = _lead_in(text, s, e, max_chars)
    sentence, ms, me = _cut(text, s, start, end, e, max_chars - len(lead))
    return lead + sentence, ms + len(lead), me + len(lead)


def _cut(text: str, s: int, start: int, end: int, e: int, max_chars: int) -> tuple[str, int, int]:
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
