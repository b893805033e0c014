"""How text becomes index terms, the same for indexing, querying and highlighting: lower-cased words,
Lucene's English stop words dropped, Porter stems; ALL-CAPS acronyms kept unstemmed ("ICSs" and "ICS" are one
term, never "ice"). Engine-neutral: any backend indexes these terms.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)


#: Lucene's English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET).
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split()
)


_TOKEN_RE = re.compile(r"[A-Z]+&[A-Z]+|[^\W_]+(?:['\u2019][^\W_]+)*")


_ACRONYM_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&]{1,4}s?$")


_POSSESSIVE_RE = re.compile(r"['\u2019]s$")


@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    from whoosh.lang.porter import stem

    return stem(word)


def is_acronym(token: str) -> bool:
    """ALL-CAPS tokens of 2-5 characters (plus a plural "s"): NHS, ICS, ICSs, PCNs, A&E."""
    return bool(_ACRONYM_RE.match(token))


def term_for(token: str) -> str | None:
    """The index term for one token as written, or None for a stop word (see _term_of for the cached form)."""
    if is_acronym(token):
        if token.endswith("s") and len(token) > 2:
            token = token[:-1]
        return token.lower()
    low = _POSSESSIVE_RE.sub("", token.lower())
    if low in STOP_WORDS:
        return None
    return _stem(low.replace("\u2019", "'"))


#: token as written -> its term ("" for a stop word): the one cache of term_for, a plain dict so that
#: indexing can look tokens up in C (``map(_TERM_OF.get, ...)``).
_TERM_OF: dict[str, str] = {}


def _term_of(token: str) -> str:
    """``term_for`` through the cache; "" for a stop word."""
    term = _TERM_OF.get(token)
    if term is None:
        if len(_TERM_OF) > 2_000_000:
            _TERM_OF.clear()
        term = _TERM_OF[token] = term_for(token) or ""
    return term


@lru_cache(maxsize=8)
def _analyse(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) for every kept token; a token's position is its index in this tuple."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        term = _term_of(m.group())
        if term:
            out.append((term, m.start(), m.end()))
    return tuple(out)


@lru_cache(maxsize=8)
def _terms(text: str) -> tuple[str, ...]:
    """The terms of ``_analyse`` without their offsets: what indexing needs, at a third of the cost."""
    tokens = _TOKEN_RE.findall(text)
    terms = list(map(_TERM_OF.get, tokens))
    if None in terms:
        terms = [_term_of(t) if term is None else term for t, term in zip(tokens, terms, strict=False)]
    return tuple(filter(None, terms))


def analyze(text: str) -> list[str]:
    """The index terms of a piece of text, in order (stop words removed)."""
    return list(_terms(text))


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(term, start char, end char) for highlighting."""
    return list(_analyse(text))


def raw_words(text: str) -> list[str]:
    """The tokens of ``text`` as written (stop words included), for explaining a query."""
    return _TOKEN_RE.findall(text)


def publisher_key(name: str) -> str:
    """Case-, punctuation- and "The"-insensitive publisher key: "The King's Fund" -> "kings fund"."""
    low = name.lower().replace("\u2019", "'").replace("'", "")
    low = re.sub(r"[^\w]+", " ", low).strip()
    return re.sub(r"^the ", "", low)


def type_key(name: str) -> str:
    """A document type as the index keys it: lower case, spaces collapsed."""
    return re.sub(r"\s+", " ", name.strip().lower())
