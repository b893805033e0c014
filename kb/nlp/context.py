"""Where an acronym written in running text is a mention, and where a definition's meaning holds.

Rules the corpus glossary (:mod:`kb.nlp.glossary`) applies to each acronym it finds. They look at the text next
to the acronym and at the document it is in, never at a particular acronym: a reference code ("BC 47", "SPA
0088" in a document that mostly numbers the letters so; "MRH/IDA/TSP/ICB/G-") is not a mention outside a
document defining the letters; in a document that defines the acronym, it is a
mention before any capitalised word ("IFR Panel", "BAF Risk 1", "NHS Employers"); elsewhere an acronym opening
another proper name ("NHS Employers") is part of that name, while one before a generic noun ("ICB Board") is
still a mention; a string that is another word of the same
document in other letter case ("GPS" where the document writes "GPs") is that word; and letters a document
spells out as another name ("Standing Policy Committee" for SPC), never as the corpus's, are that name's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from kb.models import Mention
from kb.nlp.acronyms import FUNCTION_WORDS

#: Words that are also acronyms somewhere (YES, NO, AIM, ACT): tagged only in a document that defines them.
COMMON_WORDS = frozenset(
    "a am an and any are as at be but by can do for go he her him his how if in is it its me my no not of oh ok "
    "on one or our out see she so the to too two up us was we who why yes you aim act age aid art day end fit "
    "key law man new now old own pay run set sit top use way win".split())


#: Capitalised nouns after an acronym that name a part or a piece of work of the acronym's own body ("ICB
#: Board", "IFR Panel", "BAF Risk", "EPRR Plan"), not another name. In a title-cased heading every word is
#: capitalised, so these are read as ordinary nouns.
OWN_PARTS = frozenset(
    "Action Actions Agenda Assessment Assessments Assurance Audit Board Boards Budget Budgets Case Cases Chair "
    "Chairs Chief Committee Committees Contract Contracts Dashboard Data Decision Decisions Director Directors "
    "Executive Executives Framework Forum Fund Funding Group Groups Guidance Hub Lead Leads Levels Meeting "
    "Meetings Member Members Minutes Model Officer Officers Panel Panels Partners Pathway Phase Plan Plans "
    "Policy Process Programme Project Projects Rating Ratings Register Report Reports Requirements Review "
    "Reviews Risk Risks Role Roles Scheme Score Scores Staff Standard Standards Status Strategy Target Targets "
    "Team Teams Template Toolkit Update Updates Workstream".split())


_NAME_AFTER = re.compile(r" ([A-Z][a-z]+)(?: ([A-Z][a-z]+))?|-[A-Z]")
#: A number after the letters ("BC 47", "SPA 0088", "ABC-12", "AI\u201301/19"), but not a year ("LSOA 2011") or a
#: share ("IMD 40%").
_CODE_AFTER = re.compile(r"[ \u00a0]?[-/\u2013]?[A-Z]?(?!(?:19|20)\d\d(?!\d))\d+(?![\d.,]*%)")
#: A hash just before ("#BC").
_CODE_BEFORE = re.compile(r"#$")


def starts_a_name(text: str, end: int) -> bool:
    """The acronym ending at ``end`` opens a longer proper name ("NHS Employers", "NHS Constitution", "NHS-R"):
    part of that name, not a mention of its own ("ICB Board", "IFR Panel", "EPRR Improvement Plan" still are:
    a part or a piece of work of the body; see :data:`OWN_PARTS`)."""
    m = _NAME_AFTER.match(text, end)
    if m is None or m.group(1) is None:
        return m is not None
    return m.group(1) not in OWN_PARTS and m.group(2) not in OWN_PARTS


def joined_name(text: str, end: int) -> bool:
    """The acronym is joined by a hyphen to a capital ("NHS-R"): another name's first letters."""
    return text.startswith("-", end) and text[end + 1:end + 2].isupper()


def numbered(text: str, end: int) -> bool:
    """A number follows the acronym ("BC 47", "SPA 0088", "ABC-12"; not a year or a share: "LSOA 2011",
    "IMD 40%"). A reference code when most of a document's uses of the letters are so numbered (see
    :func:`kb.nlp.glossary`'s scan); "NHS 111" in a text that mostly writes "NHS" alone is still the NHS."""
    return _CODE_AFTER.match(text, end) is not None


def in_code_path(text: str, start: int, end: int) -> bool:
    """The acronym is one segment of a path of codes ("MRH/IDA/TSP/ICB/G-": three slashes or more in the
    word), or follows a hash ("#BC")."""
    if _CODE_BEFORE.search(text, 0, start) is not None:
        return True
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return text.count("/", left, right) >= 3


def other_spelling(short: str, text_lower: str, text: str) -> bool:
    """The document writes the acronym's letters as another word: "GPs" or "Gps" where the acronym is "GPS"
    (the letters as a whole word in another mixed case; a lower-case word is :data:`COMMON_WORDS`' business).
    ``text_lower`` is ``text.lower()``, of the same length."""
    needle = short.lower()
    n = len(needle)
    at = text_lower.find(needle)
    while at >= 0:
        before = text_lower[at - 1] if at else " "
        after = text_lower[at + n] if at + n < len(text_lower) else " "
        if not before.isalnum() and not after.isalnum():
            written = text[at:at + n]
            if written != short and not written.islower():
                return True
        at = text_lower.find(needle, at + 1)
    return False


_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+$")
_BETWEEN = r"(?:[ \t]+(?:of|and|for|the|on|in|to|&))?[ \t]+"


_RUN = re.compile(r"[A-Z][a-z]+(?:" + _BETWEEN + r"[A-Z][a-z]+)*")


def capital_initials(text: str) -> frozenset[str]:
    """The initials (2 to 6 letters) of every run of capitalised words in ``text``, so that
    :func:`other_name` reads a long document once, not once per acronym."""
    out: set[str] = set()
    for m in _RUN.finditer(text):
        letters = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", m.group(0)))
        out.update(letters[i:j] for i in range(len(letters)) for j in range(i + 2, min(len(letters), i + 6) + 1))
    return frozenset(out)


def other_name(short: str, text: str, text_lower: str, names: list[str], same: Callable[[str, str], bool],
               initials: frozenset[str] | None = None) -> bool:
    """The document writes out another name with the acronym's letters as its initials, and none of the
    corpus's names for it ("Standing Policy Committee" for SPC where the corpus defines SPC as "Statistical
    process control"): there the letters are that name's, not a meaning defined in another document.
    ``same(a, b)`` tells spellings of one name apart from different names
    (:func:`kb.nlp.identity.same_meaning`); ``text_lower`` is ``text.lower()``."""
    if not (2 <= len(short) <= 6 and short.isalpha() and short.isupper()) or \
            (initials is not None and short not in initials) or any(n.lower() in text_lower for n in names):
        return False
    # the whole name: no capitalised word just before or after it ("Northern Health Science Alliance" is NHSA's)
    pattern = _BETWEEN.join(f"{ch}[a-z]+" for ch in short) + r"\b(?![ \t]+[A-Z])"  # a letter first: fast
    for m in re.finditer(pattern, text):
        if m.start() and text[m.start() - 1].isalpha():
            continue
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before is not None and before.group(1)[0].isupper() and before.group(1).lower() not in FUNCTION_WORDS:
            continue
        written = m.group(0)
        if not any(same(written, n) or _alike(written, n) for n in names):
            return True
    return False


def _alike(a: str, b: str) -> bool:
    """Word for word, each pair of content words begins alike ("General Practice", "general practitioner")."""
    def content(s: str) -> list[str]:
        return [w for w in re.findall(r"[a-z]+", s.lower()) if w not in FUNCTION_WORDS]

    wa, wb = content(a), content(b)
    return len(wa) == len(wb) and all(x[:5] == y[:5] for x, y in zip(wa, wb, strict=True))


def proper_name(long: str) -> bool:
    """A long form written as a proper name: every word of three letters or more capitalised ("Business Cases"
    is, "Business cases" and "self-assessment" are not)."""
    words = [w for w in re.split(r"[\s\-/]+", long) if len(w) >= 3 and w[0].isalpha() and w not in FUNCTION_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


class Spans:
    """Definition spans of one document, asked "does [start, end) overlap any?" in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []  # the furthest end among spans[:i+1]
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def longest(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, longest first (discovered long forms that share words)."""
    chosen: list[Mention] = []
    starts: list[int] = []  # of chosen mentions, sorted; chosen ones never overlap, so their ends sort alike
    ends: list[int] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.concept_id)):
        i = bisect.bisect_left(starts, m.end)  # chosen mentions starting before m ends
        if i == 0 or ends[i - 1] <= m.start:
            chosen.append(m)
            starts.insert(i, m.start)
            ends.insert(i, m.end)
    return chosen


