"""What a document's masthead says of who publishes it: the description of the logo that heads a page saved as
text, the lines of a body's identity a converter set apart, and a journal article's own header."""

from __future__ import annotations

import re

from kb.ingest.bodies import is_listed
from kb.ingest.orgnames import BODY_WORD, organisation_name

#: A document's word beside initials: a title ("ICB Workforce Strategy"), not a logo's.
KIND_WORD = re.compile(r"(?i)\b(?:strategy|plan|report|review|update|guide|guidance|policy|framework|bulletin|"
                       r"briefing|consultation|statement|explained|summary|annual)\b")

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
        apart = " ".join(out[-2].split()) if len(out) >= 2 else ""
        if (_IDENTITY_KIND.fullmatch(line) and re.fullmatch(r"[A-Z][A-Z'’-]+", apart) and apart != "NHS" and len(place.split()) <= 4
                and not _IDENTITY_KIND.fullmatch(place)):
            out[-2:] = [f"{apart} {line}", out[-1]]  # "WREXFORD" / "Agenda Item 7" / "BOROUGH COUNCIL": a logo's
            continue                                  # two lines with another column's line read between them
        if (out and len(line.split()) <= 3 and 1 <= len(place.split()) <= 3 and "\n" not in block.strip()
                and is_listed(" ".join(f"{place} {line}".split()))):
            out[-1] = f"{place} {line}"  # "EUROPEAN" / "COMMISSION": a name the table lists, set on two lines
            continue
        out.append(block)
    # the NHS logo over a place alone ("NHS" / "Tayside", "NHS" / "Cheshire and Merseyside"): the board's name
    for n in range(len(out) - 2, -1, -1):
        place = " ".join(out[n + 1].split())
        if out[n].strip() == "NHS" and 1 <= len(place.split()) <= 4 and not BODY_WORD.search(place) and all(
                w[:1].isupper() or w in ("and", "of", "&") for w in place.split()) and not re.search(r"\d", place):
            out[n:n + 2] = [f"NHS {place}"]
    return out


#: "BMC Public Health", "The Lancet Public Health", "Journal of Public Health": the journal a paper appeared in, printed
#: above its title on the first page (and often alone on the first line of a text export).
JOURNAL = re.compile(
    r"^(?:[A-Z]{2}\s+)?(?:[Tt]he\s+)?(?:(?:BMC|BMJ|PLOS|PLoS|JAMA|Lancet|NEJM|Cochrane)\b(?:\s+[A-Z][\w&-]*){0,4}"
    r"|(?:[A-Z][a-z]+\s+){0,4}Journal\s+of\s+"
    r"(?:the\s+)?[A-Z][\w&'-]*(?:\s+(?:and|of|&|[A-Z][\w&'-]*)){0,6}"
    r"|Federal\s+Register|Morbidity\s+and\s+Mortality\s+Weekly\s+Report|(?:[A-Z][\w&'-]*\s+){1,4}Journal|(?:Annals|Archives)\s+of\s+[A-Z][\w&'-]*(?:\s+(?:and|of|&|[A-Z][\w&'-]*)){0,4})"
    r"(?:\s*\(?\d{4}\)?\b.*|\s+(?:[A-Z]{1,2}\s+)?\d+(?:/\d+)?)?$")  # "EN Official Journal of the European Union L 119/1"
#: The issue line of a journal or periodical: "Health Policy 125 (2021) 1–10", "BMJ Open 2021;11:e045543",
#: "Vol. 12, No. 3", "Volume 39, Issue 4".
ISSUE = re.compile(r"^(?:[A-Z][\w&,.' -]{1,80}?\s+\d{1,4}\s*\((?:19|20)\d\d\)\s*[\de]|[A-Z][\w&,.' -]{1,80}?,?\s+"
                   r"(?:19|20)\d\d\s*[;:]\s*\d|(?:.*\b)?(?:Vol(?:ume)?\.?|No\.|Issue)\s*\d+\s*,\s*(?:No\.|Issue|Number)\s*\d)")
#: A periodical's name and issue: "Prescribing Newsletter Issue 12", "Medicines Bulletin No. 4" (not "Draft version 2").
PERIODICAL_ISSUE = re.compile(r"\b(?:newsletter|bulletin|update|digest|magazine|briefing|gazette)\s+"
                               r"(?:issue|no\.?|number|vol(?:ume)?\.?)\s*\d", re.I)
#: What a periodical's issue holds, listed under its name: "In this issue - Apixaban dosing …".
IN_THIS_ISSUE = re.compile(r"(?:in|inside)\s+this\s+(?:issue|edition|bulletin|newsletter)\b", re.I)

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


#: Small words a body's initials skip: "National Institution for Transforming India" is NITI.
_SMALL_WORDS = frozenset("of for and the in on to".split())


def logo_over_its_name(line: str, text: str) -> bool:
    """Whether a short cover line is a body's initials as a logo over the name they stand for, on the next line
    or the one after ("EPA United States" / "Environmental Protection Agency", "NITI Aayog" / "National Institution
    for Transforming India"): who wrote the document, not its title."""
    words = line.split()
    initials = [w for w in words if re.fullmatch(r"[A-Z]{2,6}", w)]
    if not initials or len(words) > 3:
        return False
    lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()][:20]
    at = next((n for n, x in enumerate(lines) if x == " ".join(words)), None)
    for name in lines[at + 1:at + 3] if at is not None else ():
        if not (BODY_WORD.search(name) or organisation_name(name)):
            continue
        spelt = "".join(w[0] for w in name.split() if w.lower() not in _SMALL_WORDS and w[:1].isupper())
        others = [w for w in words if w not in initials]
        whole = " ".join([*others, name])
        if any(letters in spelt for letters in initials) and not KIND_WORD.search(" ".join(others)) and (
                all(w.lower() in name.lower().split() for w in others) or organisation_name(whole) == whole):
            return True  # ("United States" / "Environmental Protection Agency"; not "ICB Workforce Strategy")
    return False
