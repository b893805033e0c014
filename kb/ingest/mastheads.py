"""What a document's masthead says of who publishes it: the description of the logo that heads a page saved as
text, the lines of a body's identity a converter set apart, and a journal article's own header."""

from __future__ import annotations

import re

from kb.ingest.orgnames import BODY_WORD, organisation_name

_LOGO = re.compile(r"(?im)^[ \t]*(?:(?:the[ \t]+)?([A-Z][^\n]{1,80}?)[ \t]+logo|logo[ \t]*(?:of|:)[ \t]*(?:the[ \t]+)?"
                   r"([A-Z][^\n]{1,80}?))[ \t]*$")


def cover_logo(cover: str) -> tuple[str, str] | None:
    """The body whose logo heads a page saved as text or Markdown ("![Kirklees Council logo](media/image1.png)"
    keeps its description), over everything else the cover prints: whose the document is, unless the cover shows
    two bodies' logos (a partnership's). A logo under the title is a funder's or an award's."""
    top: list[str] = []
    for line in cover.splitlines():
        if not line.strip() or re.match(r"\W*skip\s+to\b", line.strip(), re.I):
            continue
        if not _LOGO.fullmatch(line):
            break
        top.append(line)
    found = {body: m.group(0).strip() for m in map(_LOGO.fullmatch, top)
             if m and (body := organisation_name(m.group(1) or m.group(2))) and body != "NHS"}
    under = [" ".join(line.strip(" #*").split()) for line in cover.splitlines()[len(top):] if line.strip()][:8]
    if any(organisation_name(line) == line and line not in found for line in under):
        return None  # "![The National Lottery Community Fund logo]" over "# Kingsmere Carers Centre": a funder's
    if len(found) != 1:
        return None
    return found.popitem()


#: The kinds of body an identity prints under its place's name: "Integrated Care Board", "NHS Foundation Trust",
#: "Borough Council" (never "Committee" or "Government", which end titles as often: "Towards Open" / "Government").
_IDENTITY_KIND = re.compile(r"(?:NHS\s+)?(?:integrated\s+care\s+board|(?:foundation\s+)?trust|health\s+board|"
                            r"clinical\s+commissioning\s+group|ICB|CCG|(?:city|county|borough|district|"
                            r"metropolitan\s+borough|county\s+borough)\s+council)", re.I)


def identity_joined(blocks: list[str]) -> list[str]:
    """A body's identity set in lines a converter put apart, as the one name they print: "NHS" / "Mid Pennine" /
    "Integrated Care Board", "Ashcombe" / "Borough Council"; the last alone names a kind of body, not which."""
    out: list[str] = []
    for block in blocks:
        line = " ".join(block.split())
        place = " ".join(out[-1].split()) if out else ""
        if (_IDENTITY_KIND.fullmatch(line) and 1 <= len(place.split()) <= 4 and place != "NHS"
                and all(w[:1].isupper() or w in ("and", "of", "&") for w in place.split())
                and not BODY_WORD.search(place)):
            whole = f"{place} {line}"  # "Ashcombe" / "Borough Council"
            logo = len(out) >= 2 and out[-2].strip() == "NHS" and "NHS" not in whole.split()
            out[-2:] = [f"NHS {whole}"] if logo else [whole]
            continue
        out.append(block)
    return out


#: The publishers of journals an article's first lines name in its own header ("Smith et al. BMC Public Health
#: (2024) 24:1234", "BMJ Open 2024;14:e089123", "The Lancet Healthy Longevity 2025; 6: 100672").
_JOURNAL_PUBLISHERS = (("BMC", "BMC"), ("BMJ", "BMJ"), ("The Lancet", "Elsevier"), ("Lancet", "Elsevier"),
                       ("PLOS", "Public Library of Science"), ("PLoS", "Public Library of Science"))
_JOURNAL_HEADER = re.compile(r"(?m)^[ \t]*(?:[A-Z][\w'’-]+(?:\s+and\s+[A-Z][\w'’-]+)?\s+et\s+al\.?\s+)?"
                             r"((?:The\s+)?(?:BMC|BMJ|Lancet|PLOS|PLoS)\b[\w &-]{0,40}?)\s*[(,]?\s*(?:19|20)\d\d\b"
                             r"[);,]?\s*\d")


def journal_of(head: str) -> tuple[str, str] | None:
    """The publisher of the journal whose issue line heads an article's first page (its own header, with a
    year and a volume or page after the journal's name, not a reference to another article)."""
    m = _JOURNAL_HEADER.search(head)
    if not m:
        return None
    name = m.group(1).strip()
    return next(((publisher, " ".join(m.group(0).split())) for prefix, publisher in _JOURNAL_PUBLISHERS
                 if name.startswith(prefix)), None)
