"""Candidate terms of one document: the 2-5 word phrases it uses, counted, for `kb emerging`.

Mined from the stored passages at ingest (``update_term_counts``, inside the ingest's transaction) so that
`kb emerging` only sums counts. A candidate is a run of 2 to 5 words inside one clause (punctuation, brackets,
numbers and line breaks end a run) whose first and last words are content words (not a function word, modal,
month or quantifier) and with at most two function words inside ("secretary of state for health"). Words are
folded as `kb trace` matches a free phrase (kb/trace/forms.py): each word in the singular, a possessive dropped,
hyphens read as spaces, so "integrated care systems" and "integrated-care system's" are one candidate.

Left out before counting, because they are not the author's prose: page furniture (a short line met three times
or more in one document: a running header or footer; "page 12 of 40"), and licence or copyright text (a clause
naming a licence, copyright, ISBN, a URL or an e-mail address). A document keeps at most ``MAX_PER_DOCUMENT``
candidates (its most frequent), so the table grows with the corpus, never with one document's length.
Whether a candidate reads like a term across the corpus (C-value's nested-term correction, spread, keyness) is
decided when reading (kb/trace/emerging.py).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kb.store import Store

#: Words of a candidate, fewest and most.
MIN_WORDS, MAX_WORDS = 2, 5
#: Candidates a document keeps (its most frequent, see ``_rank``): bounds the table at any document length.
MAX_PER_DOCUMENT = 3000
#: Forms as written a document keeps per candidate (the first ones met): the variants `kb emerging` shows.
SURFACES = 4
#: A short line met this many times in one document is page furniture (a running header, a footer).
FURNITURE_REPEATS = 3
#: Raised when the rules change, so the next ingest counts every document again.
MINER_VERSION = "3"

#: Function words: never first or last in a candidate; at most two inside one.
FUNCTION_WORDS = frozenset("""
a about above across after against all along also although am among an and another any are around as at be
because been before being below between both but by can cannot could did do does doing done down during each
either else etc even ever every for from further had has have having he her here hers him his how however i if
in into is it its itself just least less many may me might more most much must my near neither no nor not now of
off on once one only onto or other others otherwise our ours out over own per rather same several shall she
should since so some such than that the their theirs them then there these they this those though through
throughout thus to too toward towards under unless until up upon us very via was we well were what whatever when
where whether which while who whom whose why will with within without would yet you your yours
""".split())
#: Words that can sit inside a term but never open or close one (verbs of prose, modals, vague quantifiers,
#: months and weekdays, ordinals): "will need", "set out", "march 2022" and "first time" are not terms.
EDGE_WORDS = FUNCTION_WORDS | frozenset("""
able according additional again ago already always became become becomes best better clear currently e.g eg
example following given going good got great i.e ie including include includes included key like likely made
main make makes making mean means need needs often particular particularly perhaps possible provide provided
provides put really recent recently said say says see seen set sets take takes taken things think used using
use uses various want way ways whilst yes
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
first second third fourth fifth last next previous
""".split())
#: Function words a candidate may hold inside ("health and wellbeing board", "secretary of state").
INNER_WORDS = frozenset("of and for in on to the at with by from & as into".split())

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019](?=[^\W\d_])|[-\u2010\u2011](?=[^\W_]))*|\d[\d,.]*|&")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»•|/\\<>=+*#§–—\u2022\n]|\s['\u2019]|['\u2019]\s")
_BOILERPLATE = re.compile(r"©|copyright|licen[cs]e|all rights reserved|isbn|issn|https?:|www\.|\S@\S|\.gov\b|\.org\b"
                          r"|\.com\b|\.uk\b", re.IGNORECASE)
_FURNITURE = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$|^page\s+\d+", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def fold(word: str) -> str:
    """A word as `kb trace` matches it (kb/trace/forms.py ``word_forms``): lower case, singular, no possessive."""
    from kb.nlp.vocabulary import _singular

    w = word.casefold().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    if not w.isalpha() or len(w) < 2:
        return w
    return _singular(w) if len(w) > 3 else (w[:-1] if w.endswith("s") and len(w) > 2 else w)


def term_key(phrase: str) -> str:
    """The key a phrase is counted under: its words folded (``fold``), hyphens as spaces, one space between."""
    words = [w for w in re.split(r"[\s\-\u2010-\u2014]+", phrase) if w]
    return " ".join(fold(w) for w in words)


def _line_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).casefold())


def furniture_lines(texts: Iterable[str]) -> set[str]:
    """Keys of the short lines met ``FURNITURE_REPEATS`` times or more in these texts (one document's)."""
    counts: Counter = Counter()
    for text in texts:
        for line in text.split("\n"):
            key = _line_key(line)
            if key and len(key.split()) <= 15:
                counts[key] += 1
    return {k for k, n in counts.items() if n >= FURNITURE_REPEATS}


def _clauses(text: str, furniture: set[str]) -> Iterator[str]:
    """The clauses of a text that are prose: furniture lines and licence or copyright clauses left out."""
    for line in text.split("\n"):
        key = _line_key(line)
        if not key or key in furniture or _FURNITURE.match(key):
            continue
        for clause in _BREAK.split(line):
            if clause.strip() and not _BOILERPLATE.search(clause):
                yield clause


def candidates(text: str, furniture: set[str] = frozenset()) -> Iterator[tuple[str, str, bool, bool]]:  # type: ignore[assignment]
    """(key, surface as written, open on the left, open on the right) of every candidate occurrence in ``text``
    (see the module docstring). Open: the next word out is one a candidate could take in, so this occurrence
    sits inside a longer phrase; a candidate that is nearly always open on one side is cut mid-phrase."""
    for clause in _clauses(text, furniture):
        tokens: list[_Token] = []
        for m in _WORD.finditer(clause):
            surface = m.group()
            if surface[0].isdigit() or surface.count("-") >= 3:  # a number, or a URL's slug ("government-response-to-the")
                yield from _runs(clause, tokens)
                tokens = []
                continue
            at = m.start()
            if "-" not in surface and "\u2010" not in surface and "\u2011" not in surface:
                tokens.append((_word(surface), at, m.end()))
                continue
            for p in re.split(r"([-\u2010\u2011])", surface):
                if p and p not in "-\u2010\u2011":
                    tokens.append((_word(p), at, at + len(p)))
                at += len(p)
        yield from _runs(clause, tokens)


#: Possessives that can sit inside a term ("children's services", "women's health"): plurals owning a service.
PLURAL_OWNERS = frozenset({"children", "women", "men", "people"})

_Word = tuple[str, bool, bool, bool, bool, bool]  # folded, possessive that ends a candidate, edge, function, inner, closes
_Token = tuple[_Word, int, int]  # the word, its start and end in the clause
_WORDS: dict[str, _Word] = {}


def _word(surface: str) -> _Word:
    """What the rules need to know of a word as written, worked out once per spelling."""
    known = _WORDS.get(surface)
    if known is None:
        if len(_WORDS) > 500_000:
            _WORDS.clear()
        folded = fold(surface)
        owner = ("'" in surface or "\u2019" in surface) and surface.casefold().replace("\u2019", "'").endswith(
            ("'s", "'")) and folded not in PLURAL_OWNERS
        edge = len(folded) >= 2 and folded[0].isalpha() and folded not in EDGE_WORDS
        function = folded in FUNCTION_WORDS or folded == "&"
        known = _WORDS[surface] = (folded, owner, edge, function, folded in INNER_WORDS,
                                   edge and not _participle(folded))
    return known


def _runs(clause: str, tokens: list[_Token]) -> Iterator[tuple[str, str, bool, bool]]:
    n = len(tokens)
    for i in range(n):
        first, start, _ = tokens[i]
        if not first[2]:
            continue
        before = tokens[i - 1][0] if i else None
        left_open = before is not None and before[2] and not before[1]
        inner = 0
        key = first[0]
        for j in range(i + 1, min(i + MAX_WORDS, n)):
            previous = tokens[j - 1][0]
            if previous[1]:  # a possessive ends a candidate: "the government's response" is not a term
                break
            word = tokens[j][0]
            key += " " + word[0]
            if word[3]:
                if not word[4] or previous[3]:
                    break
                inner += 1
                if inner > 2:
                    break
                continue
            if not word[5]:
                continue
            after = tokens[j + 1][0] if j + 1 < n else None
            right_open = after is not None and after[2] and not word[1]
            yield key, clause[start:tokens[j][2]], left_open, right_open


def _participle(word: str) -> bool:
    """A past participle ("based", "led", "funded") closes no term: "home based" is cut from "home based care"."""
    return len(word) >= 5 and word.endswith("ed") and not word.endswith("eed")


def document_counts(texts: Callable[[], Iterable[str]]) -> list[tuple[str, int, int, int, str]]:
    """(key, occurrences, open on the left, open on the right, its first ``SURFACES`` forms as written, one a line)
    of one document's candidates, at
    most ``MAX_PER_DOCUMENT`` of them; ``texts`` gives its passages' texts afresh (read twice: furniture, then
    candidates; never all at once)."""
    furniture = furniture_lines(texts())
    counts: dict[str, list[int]] = {}
    surfaces: dict[str, list[str]] = {}
    for text in texts():
        for key, surface, left, right in candidates(text, furniture):
            c = counts.get(key)
            if c is None:
                c = counts[key] = [0, 0, 0]
                surfaces[key] = [surface]
            elif len(surfaces[key]) < SURFACES and surface not in surfaces[key]:
                surfaces[key].append(surface)  # as written (line breaks and all): tidied once, when stored
            c[0] += 1
            c[1] += left
            c[2] += right
    kept = counts.items() if len(counts) <= MAX_PER_DOCUMENT else \
        heapq.nsmallest(MAX_PER_DOCUMENT, counts.items(), key=_rank)
    return [(k, n, left, right, "\n".join(dict.fromkeys(" ".join(f.split()) for f in surfaces[k])))
            for k, (n, left, right) in kept]


def _rank(item: tuple[str, list[int]]) -> tuple[int, int, str]:
    """Which candidates a document past the cap keeps: the most frequent; among as frequent, those whose uses
    stand alone more often (not inside a longer phrase: the likelier terms); then by key."""
    key, (n, left, right) = item
    return -n, left + right, key


def update_term_counts(store: Store) -> tuple[int, int]:
    """Bring the stored candidate counts in step with the documents that count: a removed, changed or now
    duplicate document's counts go, a new or changed one's are counted. Runs inside the caller's transaction.
    Returns (documents counted, documents dropped)."""
    from kb.store import terms as db

    now = db.current_versions(store, MINER_VERSION)
    known = db.counted_versions(store)
    stale = sorted(d for d, v in known.items() if now.get(d) != v)
    db.forget(store, stale)
    todo = sorted(d for d, v in now.items() if known.get(d) != v)
    db.rebucket(store)  # a document kept whose date or publisher changed: its counts move to other sums
    for doc_id in todo:
        db.add_counts(store, doc_id, now[doc_id], document_counts(partial(db.passage_texts, store, doc_id)))
    return len(todo), len(stale)
