"""Where a meaning defined in some documents of the corpus holds in another document that writes the acronym.

An acronym's letters mean different things in different worlds: TAS is a Taxpayer Advocate Service in a tax
form's instructions and Tasmania in an Australian patient guide; UPS a parcel carrier in one and a power supply
in a procurement table. A sense the corpus defines is read into a document that does not define it only where
something supports it (:class:`Reach`):

- the sense is **corpus-wide**: the only sense the corpus gives the letters, and defined or written out by
  documents of :data:`WIDE_PUBLISHERS` publishers or more (documents of unknown publisher count one each); or
- the document **writes its words**: every content word of one of its names appears somewhere in it (the words
  "gross", "domestic" and "product" for GDP), not necessarily together; or
- the document **shares its world**: it names at least :data:`SHARED_SENSES` other senses that a document
  defining this one also defines or writes out (two papers on one programme, naming the same bodies and data
  sets). A document names a sense by defining it, writing it out, or writing letters whose only meaning in the
  corpus is that sense and a local one (defined or written out by fewer than :data:`WIDE_PUBLISHERS`
  publishers): a team's second note that uses its first note's abbreviations without spelling them out again.

Everything here is about the document and the corpus, never about a particular acronym.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from kb.nlp.acronyms import FUNCTION_WORDS

#: How many other senses a document must name with a defining document to count as the same world: one is
#: common by chance (most documents of a health corpus name the NHS), two are rarely.
SHARED_SENSES = 2

#: How many publishers must define or write out the only sense of some letters for it to hold corpus-wide.
WIDE_PUBLISHERS = 2

_WORD = re.compile(r"[a-z]+")


def content_words(name: str) -> tuple[str, ...]:
    """The lower-case content words of a long form: no function words, no single letters ("Commissioner's")."""
    return tuple(w for w in _WORD.findall(name.lower()) if len(w) > 1 and w not in FUNCTION_WORDS)


def document_words(text_lower: str) -> frozenset[str]:
    """Every word of a document, lower case, for :func:`writes_words`."""
    return frozenset(_WORD.findall(text_lower))


def writes_words(name: str, words: frozenset[str]) -> bool:
    """Whether a document holding ``words`` writes every content word of ``name`` somewhere, a plural or a
    singular counting as the word ("enterprise" for "enterprises")."""
    wanted = content_words(name)
    return bool(wanted) and all(
        w in words or w + "s" in words or w + "es" in words or (w.endswith("s") and w[:-1] in words)
        for w in wanted)


class Reach:
    """The corpus-level half of the decision: which senses are corpus-wide and which senses each sense's
    defining documents name. The document-level half (its words, its named senses) is passed in per call."""

    def __init__(self, senses: Mapping[str, Iterable[str]], defined_in: Mapping[str, Iterable[str]],
                 named: Mapping[str, set[str]], publisher: Mapping[str, str | None]) -> None:
        """``senses``: acronym -> its senses; ``defined_in``: sense -> documents defining it; ``named``: document
        -> the senses it defines or writes out; ``publisher``: document -> its publisher, if known."""
        naming: dict[str, set[str]] = {}
        for doc_id, here in named.items():
            for cid in here:
                naming.setdefault(cid, set()).add(doc_id)
        self.wide: set[str] = set()
        self.local: set[str] = set()  # the only sense of some letters, but not corpus-wide
        for meanings in senses.values():
            only = list(meanings)
            if len(only) != 1:
                continue  # letters with several senses need the document's support for one of them
            docs = naming.get(only[0], set()) | set(defined_in.get(only[0], ()))
            if len({publisher.get(d) or f"doc:{d}" for d in docs}) >= WIDE_PUBLISHERS:
                self.wide.add(only[0])
            else:
                self.local.add(only[0])
        self.local -= self.wide
        self.world: dict[str, frozenset[str]] = {}
        for cid, definers in defined_in.items():
            around: set[str] = set()
            for d in definers:
                around |= named.get(d, set())
            self.world[cid] = frozenset(around - {cid})

    def corpus_wide(self, cid: str) -> bool:
        return cid in self.wide

    def shares_world(self, cid: str, named_here: set[str], lettered: Iterable[str] = ()) -> bool:
        """The document names at least :data:`SHARED_SENSES` senses its defining documents name: by defining or
        writing them out (``named_here``), or by writing letters whose only, local sense it is (``lettered``)."""
        here = set(named_here) | (set(lettered) & self.local)
        return len(self.world.get(cid, frozenset()) & here) >= SHARED_SENSES

    def key(self, cid: str) -> str:
        """A fingerprint of what decides this sense outside a document, for the glossary's incremental run."""
        world = self.world.get(cid, frozenset())
        payload = [cid in self.wide, sorted(world), sorted(world & self.local)]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def named_senses(usage: Mapping[str, Counter], doc_defs: Mapping[str, Mapping[str, str]]) -> dict[str, set[str]]:
    """Per document, the senses it writes out (``usage``: document -> sense -> count) or defines."""
    named: dict[str, set[str]] = {}
    for doc_id, counts in usage.items():
        named.setdefault(doc_id, set()).update(c for c, n in counts.items() if n)
    for doc_id, firsts in doc_defs.items():
        named.setdefault(doc_id, set()).update(firsts.values())
    return named


def nearest_in_time(here: int | None, evidence: Mapping[str, tuple[int, list[int]]]) -> str | None:
    """The sense whose definitions or written-out uses elsewhere in the corpus are nearest in time to a
    document of day number ``here`` (then the most used).

    The document itself is never among that evidence: had it defined or written out a sense, that sense
    would have been chosen before dates were needed.
    """
    if not evidence:
        return None
    scored = []
    for c, (count, dated) in evidence.items():
        distance = 10**7
        if here is not None and dated:
            i = bisect.bisect_left(dated, here)
            distance = min(abs(dated[j] - here) for j in (i - 1, i) if 0 <= j < len(dated))
        scored.append((distance, -count, c))
    return min(scored)[2]
