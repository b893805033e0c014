"""Finding acronyms and long forms in text fast, whatever their number: a word pass and a set lookup for\nacronyms, a word lookup before each long form's regex. No statement or regex grows with the corpus.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store


_RUN_CHARS = r"[\w&]"


_LINK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:uk|com|org|net|gov)/\S*", re.IGNORECASE)


class ShortFinder:
    """Finds acronyms (as whole words, optionally plural) in text: one pass and a set lookup per word.

    Matches exactly what ``(?<![\\w&])(SHORT1|SHORT2|...)(s?)(?![\\w&])`` would, longest short first, without a
    regular expression whose size grows with the number of acronyms (thousands on a real corpus).
    """

    def __init__(self, shorts: Iterable[str]) -> None:
        self.shorts = {s for s in shorts if s}
        firsts = {s[0] for s in self.shorts}
        odd = {s for s in self.shorts if not re.match(_RUN_CHARS, s[0])}
        # Shorts that start with a character outside [\w&] are rare; a small regex handles them exactly.
        self._odd = _alternation(odd)
        self.shorts -= odd
        firsts -= {s[0] for s in odd}
        cls = "".join(re.escape(ch) for ch in sorted(firsts))
        self._runs = re.compile(rf"(?<!{_RUN_CHARS})[{cls}]{_RUN_CHARS}*") if cls else None
        # Prefixes of shorts that continue past a non-word character ("NHSE/I", "A-E"): worth extending a match.
        self._extend: set[str] = set()
        for s in self.shorts:
            for i, ch in enumerate(s):
                if i and not re.match(_RUN_CHARS, ch):
                    self._extend.add(s[:i])

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, short, surface) of every match, left to right, non-overlapping."""
        found = list(self._find(text))
        if self._odd is not None:
            found.extend((m.start(), m.end(), m.group(1), m.group(0)) for m in self._odd.finditer(text))
            found.sort()
            kept, last = [], -1
            for f in found:
                if f[0] >= last:
                    kept.append(f)
                    last = f[1]
            found = kept
        return iter(found)

    def _find(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        if self._runs is None:
            return
        shorts, extend, n = self.shorts, self._extend, len(text)
        skip_to = 0
        for m in self._runs.finditer(text):
            p, e = m.start(), m.end()
            if p < skip_to:
                continue
            best: tuple[int, int] | None = None  # (short length, match end)
            while True:
                word = text[p:e]
                if word in shorts:
                    best = (e - p, e)
                elif word.endswith("s") and word[:-1] in shorts:
                    best = (e - p - 1, e)
                if e >= n or text[e].isspace() or not extend:
                    break
                # Try a longer short through the non-word character ("NHSE" -> "NHSE/I").
                if text[p:e] not in extend:
                    break
                k = e + 1
                while k < n and re.match(_RUN_CHARS, text[k]):
                    k += 1
                if k == e + 1:
                    break
                e = k
            if best is not None:
                length, end = best
                skip_to = end
                yield p, end, text[p:p + length], text[p:end]


def _alternation(shorts: set[str]) -> re.Pattern | None:
    alts = sorted(shorts, key=lambda s: (-len(s), s))
    if not alts:
        return None
    return re.compile(r"(?<![\w&])(" + "|".join(re.escape(s) for s in alts) + r")(s?)(?![\w&])")


def _long_regex(long: str, case_sensitive: bool = False) -> re.Pattern:
    words = [re.escape(w).replace("'", "['\u2019]") for w in re.split(r"[\s\-]+", long.strip()) if w]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?:s|es)?(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def _keys(long: str) -> list[str]:
    """Lower-case whole words that every match of the long form contains: a cheap filter before its regex.

    The first is the best single probe (the longest); a match holds all of them, except for a one-word form,
    whose alternatives (plural endings) are listed instead.
    """
    words = [w for w in re.split(r"[\s\-]+", long.strip().lower()) if w]
    if not words:
        return []
    tokens = [t for w in words[:-1] for t in re.findall(r"\w+", w)]
    if len(words) > 1:
        tokens += re.findall(r"\w+", words[-1])[:-1]
    if tokens:
        return sorted(set(tokens), key=lambda t: (-len(t), t))
    last = re.findall(r"\w+", words[-1])
    if not last:
        return []
    return [last[-1], last[-1] + "s", last[-1] + "es"]


class LongFinder:
    """Finds the written-out long forms of discovered concepts: a word lookup picks the few forms worth a regex."""

    def __init__(self, forms: Iterable[tuple[str, str, bool]]) -> None:
        self.by_key: dict[str, list[tuple[str, str, bool, frozenset[str]]]] = defaultdict(list)
        self.always: list[tuple[str, str, bool, frozenset[str]]] = []
        self._compiled: dict[tuple[str, bool], re.Pattern] = {}
        for cid, form, case_sensitive in forms:
            keys = _keys(form)
            words = [w for w in re.split(r"[\s\-]+", form.strip()) if w]
            if not keys:
                self.always.append((cid, form, case_sensitive, frozenset()))
            elif len(words) == 1:  # one word: any of its endings
                for k in keys:
                    self.by_key[k].append((cid, form, case_sensitive, frozenset()))
            else:  # several: filed under the longest word, run only where every word is present
                self.by_key[keys[0]].append((cid, form, case_sensitive, frozenset(keys[1:])))

    def finditer(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """(concept id, start, end, surface) of every match of every form (overlaps left to the caller)."""
        if not self.by_key and not self.always:
            return
        candidates = set(self.always)
        words = set(re.findall(r"\w+", text.lower()))
        for word in words:
            for entry in self.by_key.get(word, ()):
                if entry[3] <= words:
                    candidates.add(entry)
        for cid, form, case_sensitive, _ in sorted(candidates):
            rx = self._compiled.get((form, case_sensitive))
            if rx is None:  # compiled when first needed: most forms never occur outside their definition
                rx = self._compiled[(form, case_sensitive)] = _long_regex(form, case_sensitive)
            for m in rx.finditer(text):
                yield cid, m.start(), m.end(), m.group(0)


#: Above this many changed acronyms or long forms, one pass over every document beats a lookup per pattern.
_TARGETED_LIMIT = 40


def docs_containing(store: Store, patterns: list[str], *, lower: bool, every: dict) -> set[str]:
    """Documents whose passages may hold one of these strings: a lookup per pattern, or every document."""
    if not patterns:
        return set()
    if len(patterns) > _TARGETED_LIMIT or (lower and any(not p.isascii() for p in patterns)):
        return set(every)
    probes = []
    for p in patterns:
        if lower:
            keys = _keys(p)
            if not keys:
                return set(every)
            probes.append(keys[0])
        else:
            probes.append(p)
    return {d for d in store.documents_containing(probes, lower=lower) if d in every}
