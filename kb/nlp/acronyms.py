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

#: Small words a long form may skip ("Department *of* Health *and* Social Care") but never start with.
FUNCTION_WORDS = frozenset(
    "a an and as at between by for from in into of on or over per than the to under upon via with within without"
    .split())
#: Markup left by a conversion (Markdown emphasis, tables, tags): a long form holding it is not a term.
_MARKUP = re.compile(r"[*_#|<>{}\[\]=~`^\\]")
_LEADING_JUNK = "*_#\u2022\u00b7>\"'\u2018\u2019\u201c\u201d-\u2013\u2014 "
_FOOTNOTE = re.compile(r"(?<=[a-z\)])\d{1,3}$")
_PLURAL_END = re.compile(r"(?<=[a-z])s$")

#: Characters that end the stretch of text a long form may come from (besides sentence boundaries).
_LONG_STOP = re.compile(r"[()\[\];:\u2022]|\s[\u2013\u2014-]\s")
_WORD = re.compile(r"\S+")
_REPEATED_WORD = re.compile(r"\b([A-Za-z]+)(?:\s+\1\b){2,}\s*")
_BRACKET = re.compile(r"[()]")
_ALNUM = re.compile(r"[^0-9a-z]")


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
    at = len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while at >= 0 and (candidate[at].lower() != ch or (s == 0 and at > 0 and candidate[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
        s -= 1
    return candidate.rfind(" ", 0, at + 1) + 1


def _first_alnum(short: str) -> str:
    return next((ch for ch in short if ch.isalnum()), "")


def _valid(short: str, long: str) -> bool:
    """Schwartz–Hearst's sanity checks (longer than the short form, not containing it, not too many words), and
    a careful reader's: no markup, not starting with a small word, initials that fit (see :func:`initials_fit`)."""
    words = long.split()
    if not words or len(long) <= len(short) or short.lower() in (w.lower() for w in words):
        return False
    if len(words) > min(len(short) + 5, len(short) * 2):
        return False
    if _MARKUP.search(long) or words[0].lower() in FUNCTION_WORDS:
        return False
    if _ALNUM.sub("", long.lower()) == _ALNUM.sub("", short.lower()):
        return False  # "BC 0123" for (BC0123): the code written out, not a name
    return initials_fit(short, long)


def _parts(long: str) -> list[tuple[int, int]]:
    """(start, end) of each word of a long form, hyphenated and slashed parts counted as words."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s\-/]+", long)]


def initials_fit(short: str, long: str) -> bool:
    """Do the short form's letters read as this long form's initials, as a reader would check?

    The letters are aligned to the long form preferring word initials. Rejected: a content word that gives no
    letter, when there are two such or it is the last word or a possessive (columns run together: "clinical Our
    hospitals service units" for CSU; a phrase running past the term: "Board of Directors" for BAF); and a long
    form of one word unless it is a real compound ("tuberculosis" for TB, not "services" for SS).
    """
    letters = [ch.lower() for ch in short if ch.isalnum()]
    parts = _parts(long)
    if not letters or not parts:
        return False
    low = long.lower()
    starts = {a for a, _ in parts}
    word_of = {}
    for n, (a, b) in enumerate(parts):
        for i in range(a, b):
            word_of[i] = n
    best = _align(letters, low, starts)
    if best is None:
        return False
    used = {word_of[i] for i in best if i in word_of}
    content = [n for n, (a, b) in enumerate(parts)
               if low[a:b] not in FUNCTION_WORDS and any(ch.isalpha() for ch in low[a:b])]
    unused = [n for n in content if n not in used]
    if len(parts) == 1:
        word = long[parts[0][0]:parts[0][1]]
        if len(letters) < 2:
            return False
        camel = sum(ch.isupper() for ch in word[1:]) >= len(letters) - 1
        plural_letter = best[-1] == len(low) - 1 and low.endswith("s")
        return camel or (len(word) >= 6 and not plural_letter and word.lower() not in _COMMON_SINGLE)
    if len(parts) - 1 in unused or len(unused) > 1:
        return False
    # A word read from the middle ("E" of "Area" for EEA, the long form having lost "European") is no initial.
    first_of: dict[int, int] = {}
    for i in best:
        first_of.setdefault(word_of[i], i)
    if any(i != parts[n][0] and low[parts[n][0]].isalpha() for n, i in first_of.items()):
        return False
    return not any(re.search(r"['\u2019]s$", low[parts[n][0]:parts[n][1]]) for n in unused)


def _align(letters: list[str], low: str, starts: set[int]) -> list[int] | None:
    """Positions in ``low`` for each letter, in order, the first at position 0, most letters on word initials."""
    n = len(low)
    # best[i][j]: most initials for letters[i:] placed after position j (exclusive), or None.
    memo: dict[tuple[int, int], tuple[int, list[int]] | None] = {}

    def solve(i: int, after: int) -> tuple[int, list[int]] | None:
        if i == len(letters):
            return (0, [])
        key = (i, after)
        if key in memo:
            return memo[key]
        result: tuple[int, list[int]] | None = None
        for j in range(after + 1, n):
            if low[j] != letters[i]:
                continue
            rest = solve(i + 1, j)
            if rest is None:
                continue
            score = rest[0] + (j in starts)
            if result is None or score > result[0]:
                result = (score, [j] + rest[1])
        memo[key] = result
        return result

    if not low or low[0] != letters[0]:
        return None
    first = solve(1, 0)
    return None if first is None else [0] + first[1]


#: Common single words a careless match makes a "long form" of (SS = "services", SMS = "system").
_COMMON_SINGLE = frozenset(
    "system systems service services support standard standards process processes programme programmes "
    "management statement statements strategy strategies services schemes scheme sessions session "
    "department departments government governments organisation organisations organization organizations "
    "community communities information assessment assessments development business businesses "
    "committee committees partnership partnerships director directors minister ministers".split())


def _window_start(text: str, open_at: int, floor: int) -> int:
    """Where the text a long form may come from begins: after the last stop mark or sentence start, and after
    a word written three times or more in a row (a table's header over its columns: "Exposure Exposure Exposure
    Frailty index (eFI)"), which is no part of a name. Twice is not enough: a table's cell can be followed by
    a name it begins ("Saxmundham Saxmundham and District CIC (SADCIC)")."""
    start = floor
    for m in _LONG_STOP.finditer(text, floor, open_at):
        start = m.end()
    for m in _REPEATED_WORD.finditer(text, start, open_at):
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
    return m is not None and is_short_form(m.group(1).strip("\"'\u2018\u2019"))


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
    long_start, long_end = _trim(text, long_start, long_end, short)
    long = " ".join(text[long_start:long_end].split())
    if long_end <= long_start or best_long_form(short, long) != 0 or not _valid(short, long):
        return []
    # The shortest long form may have read a letter from inside a word that a word before it starts with
    # ("clinical informatics officers" for CCIO, after "Chief"): take earlier words while more letters fall
    # on initials.
    score = initials_score(short, long)
    for w in reversed(words):
        begin = start + w.start()
        if begin >= long_start:
            continue
        wider = " ".join(text[begin:long_end].split())
        if not wider or wider[0].lower() != short[0].lower():
            continue
        wider_score = initials_score(short, wider)
        if wider_score > score and _valid(short, wider):
            long_start, long, score = begin, wider, wider_score
    return [Definition(short, written, long, a, b, long_start, long_end)]


def initials_score(short: str, long: str) -> int:
    """How many of the short form's letters fall on word initials of the long form, aligned at best (-1: none)."""
    letters = [ch.lower() for ch in short if ch.isalnum()]
    low = long.lower()
    best = _align(letters, low, {a for a, _ in _parts(long)}) if letters else None
    if best is None:
        return -1
    starts = {a for a, _ in _parts(long)}
    return sum(i in starts for i in best)


def _trim(text: str, start: int, end: int, short: str) -> tuple[int, int]:
    """Drop what a conversion glued to a long form: leading bullets and emphasis marks, a footnote number."""
    while start < end and text[start] in _LEADING_JUNK:
        start += 1
    while end > start and text[end - 1] in "*_ '\u2019\"\u201d":
        end -= 1
    if text[max(start, end - 2):end] in ("'s", "\u2019s"):
        end -= 2  # "children and young people's (CYP)": the term, not its possessive
    if not any(ch.isdigit() for ch in short):
        m = _FOOTNOTE.search(text, start, end)
        if m:
            end = m.start()
    return start, end


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
