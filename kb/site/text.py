"""How text is shown on the site's pages: dates in words, safe links, a passage cut at its mentions and page
breaks, the heading a passage repeats, a keyword-in-context window. Plain functions of plain values, shared by
the page contexts (``kb.site.context``) and registered as template filters (``kb.site.build``)."""

from __future__ import annotations

import logging
import re

from kb.models import Concept, Mention, Passage
from kb.site.paths import concept_href

log = logging.getLogger(__name__)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
KWIC_WIDTH = 60


# -- formatting helpers (registered as template filters in build.py) ---------------------------------------------
def human_date(value: str | None) -> str:
    """'2020-11-20' -> '20 November 2020', '2020-11' -> 'November 2020', '2020' -> '2020', None -> 'undated'."""
    if not value:
        return "undated"
    parts = str(value).split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return str(value)
    return str(value)


def safe_url(value: object) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, data:) stays plain text."""
    text = str(value or "").strip()
    return text if re.match(r"^https?://[^\s<>\"']+$", text, re.IGNORECASE) else None


def concept_title(concept: Concept) -> str:
    """Label plus acronyms, e.g. 'integrated care system (ICS)': the tooltip and the words search indexes."""
    return concept.label + (f" ({', '.join(concept.acronyms)})" if concept.acronyms else "")


def also_known_as(surface: str, concept: Concept) -> str:
    """The acronyms a written-out mention lacks, indexed beside it so searching "ICS" finds "integrated care systems".

    Only this direction is added (a long form beside every acronym would multiply the index entries of the
    commonest words, and so what the first search downloads); the concept page, indexed with its label and
    acronyms, answers the other direction.
    """
    return " ".join(a for a in concept.acronyms if a.casefold() not in surface.casefold())


def passage_segments(passage: Passage, mentions: list[Mention], page_starts: list[tuple[int, int]],
                     concepts: dict[str, Concept]) -> list[dict]:
    """Split a passage's text at mentions and page breaks.

    Overlapping mentions (one concept inside another's span) keep the longest, earliest one as the link; the
    others still count and still appear in "concepts in this passage".
    """
    text, base = passage.text, passage.start
    spans: list[Mention] = []
    last_end = base
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.concept_id)):
        if m.start < last_end or m.end > passage.end or m.start < base:
            continue
        if text[m.start - base:m.end - base] != m.surface and m.surface:
            log.debug("mention %s at %d does not match passage %s text; shown unlinked", m.concept_id, m.start, passage.id)
            continue
        spans.append(m)
        last_end = m.end
    cuts: list[tuple[int, str, object]] = [(s, "page", page) for s, page in page_starts if base < s < passage.end]
    cuts += [(m.start, "mention", m) for m in spans]
    cuts.sort(key=lambda c: (c[0], c[1] != "page"))
    segments: list[dict] = []
    pos = base
    for offset, kind, item in cuts:
        if offset < pos:
            continue
        if offset > pos:
            segments.append({"t": "text", "text": text[pos - base:offset - base]})
            pos = offset
        if kind == "page":
            segments.append({"t": "page", "page": item})
        else:
            assert isinstance(item, Mention)  # a "mention" cut carries its Mention
            m = item
            concept = concepts.get(m.concept_id)
            segments.append({
                "t": "mention", "text": text[m.start - base:m.end - base], "concept_id": m.concept_id,
                "href": concept_href(m.concept_id) if concept else None,
                "title": concept_title(concept) if concept else m.concept_id,
                "also": also_known_as(text[m.start - base:m.end - base], concept) if concept else "",
                "definition": m.is_definition,
            })
            pos = m.end
    if pos < passage.end:
        segments.append({"t": "text", "text": text[pos - base:]})
    return segments


def _heading_prefix(passage: Passage) -> int:
    """How many leading characters of a passage repeat its section heading (shown just above it), or 0.

    A passage that opens a section starts with the heading line(s); the page shows them as the heading, so the
    passage text starts after them. Only short lines before the heading are taken with it.
    """
    heading, text = passage.heading, passage.text
    if not heading:
        return 0
    at = text.find(heading, 0, 400 + len(heading))
    if at < 0 or (at and text[at - 1] != "\n"):
        return 0
    before = text[:at].split("\n")
    if any(len(line) > 160 for line in before):
        return 0
    end = at + len(heading)
    if end < len(text) and not text[end].isspace():
        return 0
    while end < len(text) and text[end].isspace():
        end += 1
    return end if end < len(text) else 0


def _kwic_segments(passage: Passage, start: int, end: int, width: int = KWIC_WIDTH) -> list[dict]:
    base, text = passage.start, passage.text
    a, b = start - base, end - base
    left_from = max(0, a - width)
    right_to = min(len(text), b + width)
    if left_from > 0:
        space = text.find(" ", left_from)
        left_from = space + 1 if 0 <= space < a else left_from
    if right_to < len(text):
        space = text.rfind(" ", b, right_to)
        right_to = space if space > b else right_to
    return [
        {"t": "text", "text": ("…" if left_from > 0 else "") + text[left_from:a]},
        {"t": "mark", "text": text[a:b]},
        {"t": "text", "text": text[b:right_to] + ("…" if right_to < len(text) else "")},
    ]
