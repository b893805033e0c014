"""A file's name as a second witness to its title.

A download keeps words of what it is: a web page's address ends in a slug of its headline
("zoning-reform-mid-sized-cities"), a report's file holds its short name and initials ("wwh-sodium-eng" for
"… What We Heard Report"). The name alone is a poor title, but it is independent of the page's layout: when the
title kb read from the lines shares almost none of the name's words, and a title-like line near the top spells
most of them, that line is the document's title and the other was furniture (a cookie button, a menu, a site's
tagline, a section label over the headline).
"""

from __future__ import annotations

import collections
import os
import re

from kb.ingest.casing import word_forms
from kb.ingest.orgnames import BODY_WORD, organisation_name
from kb.ingest.titles import DOCUMENT_WORD, bare_body, clean_title, file_stem, fold, is_title_like

#: Words a file's name holds that say nothing of the document: versions, formats, languages, download names.
_NOISE = frozenset(
    "the of and for in on to a an at by with from final web eng en fr de ga cy print online accessible pdf doc docx "
    "txt html htm md copy signed version draft rev update updated new v download document file item index page "
    "untitled doc web-version lowres hires full summary easy read vtt srt captions transcript jan feb mar apr may "
    "jun jul aug sep sept oct nov dec january february march april june july august september october november "
    "december".split())
#: Words that name a kind of document or its place in a series: many files share them, so they witness nothing.
_KINDS = frozenset(
    "press release releases news briefing brief report reports paper papers notice letter statement issue issues "
    "no number vol volume edition bulletin newsletter publication item agenda minutes web page".split())
#: A name's word that stands for a phrase: its initials ("jfp", "RAAP"), not a word of its own.
_INITIALS = re.compile(r"[a-z]{2,6}")
#: Share of the name's words a line must spell, and the most the line kb chose may spell, for the line to win.
_AGREES, _DISAGREES = 0.6, 0.34
#: Words a title may go on with past the last the name spells ("…, says UN-Habitat"), not a field run into it.
_RUNS_ON = 4
#: Lines that spell a name's words without being a headline: two sentences ("… in your inbox. Subscribe", "DOT.
#: ACTION: …"), a field in capitals ("ACTION: Notice of proposed rulemaking"), a figure's or a table's caption.
_NOT_A_HEADLINE = re.compile(r"\w{2}\.\s+[A-Z]|\b[A-Z]{3,}:\s|^(?:Figure|Fig\.|Table|Chart|Box|Map|Graph|Exhibit)\s+\d")
#: The longest line a title with a footer run into it may take up (in characters): a paragraph is read no further.
_LONGEST = 400
#: How far down the text a title may stand: a saved page's menus and banners run long before its headline.
_TOP_LINES = 60


def name_words(source: str) -> list[str]:
    """The words of a file's name that may name its document, lower-cased, in order ("wwh-sodium-eng" →
    ["wwh", "sodium"]); numbers, dates, versions, formats and download names left out."""
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", file_stem(source))
    words = [w.lower() for w in re.split(r"[^A-Za-z0-9]+", stem) if w]
    return [w for w in words if len(w) >= 2 and not re.search(r"\d", w) and w not in _NOISE and w not in _KINDS]


def _spelt_at(word: str, folded: list[str]) -> int | None:
    """Where a line spells one of the name's words (the index of its last word there): as a word, a plural or
    a word cut short ("harbours", "schooling" for "schools"), or as the initials of words that follow each other
    ("jfp": "Joint Forward Plan", with or without its small words)."""
    for at, w in enumerate(folded):
        if w == word or w.rstrip("s") == word.rstrip("s"):
            return at
        if min(len(w), len(word)) >= 4 and len(os.path.commonprefix([w, word])) >= min(len(w), len(word), 6):
            return at
    if not (_INITIALS.fullmatch(word) and len(word) >= 3):
        return None
    for small in (False, True):
        kept = [(at, w) for at, w in enumerate(folded) if small or w not in _SMALL]
        initials = "".join(w[0] for _at, w in kept)
        start = initials.find(word)
        if start >= 0:
            return kept[start + len(word) - 1][0]
    return None


_SMALL = frozenset("the of and for in on to a an".split())


def agreement(words: list[str], line: str) -> tuple[int, float, int]:
    """How many of the name's words a line spells, what share of them, and how many of the line's words run on
    after the last word it spells."""
    if not words:
        return 0, 0.0, 0
    folded = fold(line).split()
    spelt = [at for word in words if (at := _spelt_at(word, folded)) is not None]
    return len(spelt), len(spelt) / len(words), len(folded) - 1 - max(spelt, default=len(folded) - 1)


def line_the_name_spells(source: str, text: str, chosen: str | None, first_page: str | None = None) -> str | None:
    """A line near the top of ``text`` that spells most of the file name's words, when the title kb chose
    (``chosen``) spells few of them; else None. A name of fewer than two such words is no witness; where kb read
    no title at all, the line must spell every word of it. A file cut into pages prints its title on its first
    (``first_page``, as its extractor kept it): a later page's heading is a section's."""
    words = name_words(source)
    if len(words) < 2:
        return None
    against = agreement(words, chosen) if chosen else (0, 0.0, 0)
    # (where kb read no title at all, a page of prose whose lines name what it cites: every word of the name)
    wanted = _AGREES if chosen else 1.0
    if against[1] > _DISAGREES:
        return None
    lines = [" ".join(line.strip("#*> \t").split()) for line in text.splitlines()]
    lines = [line for line in lines if line][:_TOP_LINES]
    # (the chosen title's line: a line the name spells above it is a masthead, "Prescribing Matters" over the
    # issue's article; right under it, its subtitle)
    where = next((at for at, line in enumerate(lines) if chosen and fold(line).startswith(fold(chosen))), None)
    seen = collections.Counter(fold(line) for line in lines)
    on_cover = fold(first_page) if first_page else None
    best: tuple[float, int, str] | None = None
    prose = next((at for at, line in enumerate(lines) if len(line.split()) > 30), len(lines))
    for at, whole in enumerate(lines[:prose]):  # (the cover: a heading after the first paragraph is a section's)
        if where is not None and at <= where or len(whole) > _LONGEST or seen[fold(whole)] > 1 or (
                on_cover is not None and fold(whole) not in on_cover):
            continue  # (a paragraph; a running header; a later page's heading)
        covered, share, _after = agreement(words, whole)
        line = _up_to_spelt(whole, words)
        if not line or not 2 <= len(line.split()) <= 18 or line.endswith((".", ",", ";")) or "|" in line \
                or _NOT_A_HEADLINE.search(line) or not is_title_like(line) or bare_body(line):
            continue  # (not a sentence, a header or a row of tags, a banner's two sentences, a field, a caption)
        if covered >= against[0] + 2 and share >= wanted and (best is None or share > best[0]):
            best = (share, at, line)
    if not best:
        return None
    if where is not None and best[1] == where + 1 and chosen and not _names_a_body(chosen) \
            and not any(fold(chosen) in fold(line) for line in lines[:where]):
        # (not a kicker that names the site's section, in its menu too: "… Events Urban Wire About Donate")
        return f"{clean_title(chosen)}: {clean_title(best[2])}"  # the title's own subtitle, under it
    return clean_title(best[2])


def _up_to_spelt(line: str, words: list[str]) -> str | None:
    """The line as far as the title the name spells goes: whole when a few words run on after the last it spells
    ("…, says UN-Habitat"); cut there when what runs on has no word in lower case (the body's name in capitals
    and a date, a footer run into the line: "… Capital Program LEGISLATIVE ANALYST'S OFFICE | FEBRUARY 2024");
    None when a paragraph runs on."""
    tokens = line.split()
    ends: list[int] = []  # the folded words each token ends at
    count = 0
    for token in tokens:
        count += len(fold(token).split())
        ends.append(count)
    folded = fold(line).split()
    spelt = [at for word in words if (at := _spelt_at(word, folded)) is not None]
    if not spelt:
        return None
    last = next((n for n, end in enumerate(ends) if end > max(spelt)), len(tokens) - 1)
    tail = " ".join(tokens[last + 1:])
    if len(fold(tail).split()) <= _RUNS_ON:
        return line
    if not re.search(r"[a-z]", tail):
        return " ".join(tokens[:last + 1])
    return None


def _names_a_body(line: str) -> bool:
    """A line that names who wrote the document rather than what it is ("Health Santé / Canada Canada")."""
    return bool(organisation_name(line) or (BODY_WORD.search(line) and not DOCUMENT_WORD.search(line)))


_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())


def title_from_name(source: str, text: str = "") -> str:
    """The file name as a stand-in title ("nhs-england-board-meeting-23-september-2025.txt"), a month's name
    capitalised and each lower-case word in the case the text writes it nearly always, 3 times or more ("NHS
    England board meeting 23 September 2025"); a second extension a converter left ("….vtt.txt") goes too."""
    words = re.sub(r"[-_]+", " ", file_stem(source)).split()
    if not words:
        return source
    seen = word_forms(text)
    out = []
    for word in words:
        if word in _MONTH_NAMES:
            out.append(word.capitalize())
            continue
        forms = seen.get(word, {}) if word.islower() else {}
        best = max(forms, key=lambda f: (forms[f], f.islower())) if forms else word
        total = sum(forms.values())
        out.append(best if forms and not best.islower() and total >= 3 and forms[best] >= 0.9 * total else word)
    title = " ".join(out)
    return title[:1].upper() + title[1:]
