"""Resolve a document's metadata: the catalog first, then what the file itself says, and record each value's source.

Files say who they are in many unreliable ways: a PDF's info Title is often a template's ("Report template",
"[Insert title of report]") or the file name Word printed from ("Microsoft Word - report v3"); the first line
of a page is often a classification banner or a date. So every candidate title is checked (``is_title_like``)
before it is used. The publisher is found by ``kb.ingest.publishers`` where documents state it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

from kb.ingest.catalog import CatalogEntry
from kb.ingest.orgnames import (
    BODY_END,
    CONNECTORS,
    FOREIGN_CONNECTORS,
    KIND_OF_DOCUMENT,
    body_before_kind,
    normalise_publisher,
    organisation_name,
)
from kb.models import Extraction, PartialDate

log = logging.getLogger(__name__)

#: Detected dates are trusted in this order when the catalog gives none.
DATE_SOURCES = ("html-meta", "text", "pdf-info")


def resolve_metadata(source: str, entry: CatalogEntry | None, extraction: Extraction, text: str) -> dict:
    """Columns of the ``documents`` table for title, publisher, dates, URL and type, plus ``provenance``.

    ``source`` is the corpus-relative path; ``text`` the normalised document text (for a fallback title).
    """
    found = dict(extraction.metadata)
    found_sources = dict(found.pop("sources", {}) or {})
    if found.get("title"):
        found["title_stated"] = found["title"]
    provenance: dict[str, Any] = {}  # field -> source; "evidence" -> field -> {text, page}

    def pick(field: str, catalog_value, fallback=None, fallback_source: str | None = None):
        if catalog_value:
            provenance[field] = "catalog"
            return catalog_value
        value = found.get(field)
        if value:
            provenance[field] = found_sources.get(field, extraction.format)
            return value
        if fallback:
            provenance[field] = fallback_source or "default"
            return fallback
        return None

    try:
        title_found = _detected_title(found, found_sources, text)
    except Exception:  # detection is best effort: the file name is still a title
        log.debug("title detection failed for %s", source, exc_info=True)
        title_found = None
    if title_found:
        found["title"], found_sources["title"] = _recased(title_found[0], text), title_found[1]
    else:
        found.pop("title", None)
    title = pick("title", entry and entry.title, _title_from_name(source), "file-name")
    if found.get("publisher"):
        found["publisher"] = normalise_publisher(str(found["publisher"]))
    if not found.get("publisher") and title_found and title_found[1] != "file-name":
        # "NHS England: annual report 2023" names its publisher before the colon, when a kind of document follows
        # it ("Infected Blood Inquiry: recommendations for recognition" is about the inquiry, not by it).
        lead, _colon, after = title_found[0].partition(":")
        body = organisation_name(lead) if _colon and KIND_OF_DOCUMENT.match(after.strip()) else None
        if not (body and BODY_END.fullmatch(body.split()[-1])):
            body = body_before_kind(title_found[0])
        if body and BODY_END.fullmatch(body.split()[-1]):
            found["publisher"], found_sources["publisher"] = normalise_publisher(body), title_found[1]
            found["evidence"] = dict(found.get("evidence") or {}, publisher={"text": title_found[0], "page": None})
    if found.get("publisher"):
        found["publisher"] = _name_case(_recased(_expanded(str(found["publisher"]), text), text))
    evidence = dict(found.pop("evidence", {}) or {})
    if title_found:
        pages = found.get("title_pages") or {}
        evidence["title"] = {"text": title_found[0], "page": next(
            (page for raw, page in pages.items() if page and clean_title(raw) == title_found[0]),
            1 if title_found[1] == "text" and _fold(title_found[0]) in _fold(text[:3000]) else None)}
    titles = [title_found[0]] if title_found else []
    titles += [str(found["title_stated"])] if found.get("title_stated") else []
    _date_for_this_document(found, found_sources, evidence, titles, text, source)
    publisher = pick("publisher", entry and entry.publisher)
    url = pick("url", entry and entry.url)
    doc_type = pick("type", entry and entry.type)
    published: PartialDate | None = pick("published", entry and entry.published)
    date_source = provenance.get("published")
    if entry and entry.duplicate_of:
        provenance["duplicate_of"] = "catalog"
    kept = {field: evidence[field] for field, key in (("title", "title"), ("publisher", "publisher"),
                                                      ("published", "published"))
            if field in evidence and provenance.get(key) not in (None, "catalog", "file-name")}
    if provenance.get("published") == "file-name":
        kept["published"] = {"text": PurePosixPath(source).name, "page": None}
    if kept:
        provenance["evidence"] = kept
    held = {field: dict(value) for field, value in (found.get("held_back") or {}).items()
            if field in ("title", "publisher", "published") and not provenance.get(field)}
    if held:
        provenance["held_back"] = held  # weak or conflicting evidence: shown for review, never used
    row = {
        "title": str(title),
        "publisher": publisher,
        "url": url,
        "doc_type": doc_type,
        "published": published.value if published else None,
        "date_precision": published.precision if published else None,
        "date_earliest": published.earliest if published else None,
        "date_latest": published.latest if published else None,
        "date_source": date_source,
        "date_note": entry.date_note if entry else None,
        "duplicate_of": entry.duplicate_of if entry else None,
        "provenance": provenance,
    }
    return row


def _date_for_this_document(found: dict, sources: dict, evidence: dict, titles: list[str], text: str,
                            source: str) -> None:
    """Keep only a date that belongs to this document. A PDF's CreationDate is when the file was made (printed
    to PDF years later, or a template's): a date in the document's title beats it ("Minutes of the meeting
    of 20 June 2023"), and it is kept only when the first pages print its year, as a month (the day a file
    was made is rarely the day it was published). A date in the title is used when the text presents none;
    the file name's date ("…-january-2025") is the last resort, and says so."""
    from kb.ingest.extract.dates import date_in_file_name, dates_in_line

    if sources.get("published") not in (None, "pdf-info"):
        return
    # "Microsoft Word - Award of bids -August 2016.docx": the name of the file a PDF was printed from, whose
    # date is a file name's (weak), not a title's.
    printed_from = [title for title in titles if _APP_PREFIX.match(title) or _FILE_NAME.search(title)]
    titles = [title for title in titles if title not in printed_from]
    for title in titles:
        in_title = [date for _s, _e, date in dates_in_line(" ".join(title.split()))]
        if len(in_title) == 1:
            found["published"], sources["published"] = in_title[0], "title"
            evidence["published"] = {"text": title, "page": evidence.get("title", {}).get("page")}
            return
    created = found.get("published") if sources.get("published") == "pdf-info" else None
    if created is not None:
        year = created.value[:4]
        if re.search(r"(?<!\d)" + year + r"(?!\d)", text[:6000]):
            if created.precision == "day":
                found["published"] = PartialDate(created.value[:7], "month")
            evidence["published"] = {"text": f"CreationDate {created.value} in the PDF's properties; {year} is "
                                             "printed on its first pages", "page": None}
            return
        found.pop("published", None)
        sources.pop("published", None)
    for title in titles:
        # "Conservative Election Manifesto 2005": the year of the election it was written for, as a year only.
        # (Not a strategy's or a report's year: "2020 Strategy", "Annual Report 2019" name a period.)
        year = re.search(r"\b(?:election|manifesto)\b\W+(?:[^\W\d]+\W+){0,2}((?:19|20)\d\d)$", title.strip(), re.I)
        if year:
            found["published"], sources["published"] = PartialDate(year.group(1), "year"), "title"
            evidence["published"] = {"text": title, "page": evidence.get("title", {}).get("page")}
            return
    for title in printed_from:
        in_name = [date for _s, _e, date in dates_in_line(" ".join(title.split()))]
        if len(in_name) == 1:
            found["published"], sources["published"] = in_name[0], "pdf-info"
            evidence["published"] = {"text": f"Title: {title} (the name of the file it was printed from)", "page": None}
            return
    named = date_in_file_name(source)
    if named is not None:
        found["published"], sources["published"] = named, "file-name"


def _name_case(name: str) -> str:
    """A name printed all in capitals ("COUNCIL OF THE CITY OF WINNIPEG") as names are written; short words that
    are not connectors stay capitals (NHS, UK, WHO)."""
    words = name.split()
    if len(words) < 2 or not all(w.isupper() or not w.isalpha() for w in words):
        return name
    out = []
    for i, word in enumerate(words):
        if i and (word.lower() in CONNECTORS or word.lower() in FOREIGN_CONNECTORS):
            out.append(word.lower())  # "of", "and"; "da", "de la" ("MINISTÉRIO DA SAÚDE")
        elif len(word.strip(".,")) <= 3:
            out.append(word)
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)


def _expanded(name: str, text: str) -> str:
    """An acronym publisher ("GAO") as the name the document spells out for it, when it prints one whose
    initials it is ("U.S. Government Accountability Office")."""
    if not re.fullmatch(r"[A-Z]{2,8}", name):
        return name
    from kb.ingest.publishers import spelled_out

    for m in re.finditer(r"((?:[A-Z][\w.'’-]*[ \t]+(?:(?:of|for|and|the|&)[ \t]+)*){1,8})\(?" + name + r"\b", text[:20000]):
        long = spelled_out(name.lower(), m.group(1))
        if long and organisation_name(re.sub(r"^(?:[A-Z]\.){2,}\s+", "", long)):  # "U.S. Government ..."
            return long
    from kb.ingest.bodies import body_for_acronym

    return body_for_acronym(name, text) or name  # "About GAO" and "www.gao.gov": the table's name for it


def _detected_title(found: dict, sources: dict, text: str) -> tuple[str, str] | None:
    """The first candidate that reads as a title: the extractor's own candidates (best first), then the
    file's stated title, then the first title-like line of the text (of a text file cut into pages, one its
    extractor says may hold the title: ``title_page``)."""
    candidates: list[tuple[str, str]] = list(found.get("title_candidates") or [])
    stated = found.get("title")
    if stated:
        candidates.append((str(stated), sources.get("title", "text")))
    subject = _letter_subject(text)
    if subject:
        candidates.append((subject, "text"))
    # The first lines, less running headers and footers, which label pages: "Interim report".
    running = {_fold(line) for line in found.get("running_lines") or [] if len(line.split()) <= 6}
    # Lines a PDF prints smaller than its body text: a page header, a letterhead, a footer.
    running |= {_fold(line) for line in found.get("small_lines") or []}
    top = [line for line in _before_body(_text_lines(text, 8)) if _fold(line) not in running]
    title_page = _fold(found["title_page"]) if isinstance(found.get("title_page"), str) else None
    for i, line in enumerate(top[:6]):
        if i + 1 < len(top) and line.split() and line.split()[-1].lower() in _RUNS_ON and top[i + 1][:1].isupper():
            line = f"{line} {top[i + 1]}"  # "No Chips Without" / "Water Financial": one title on two lines
        elif i + 1 < len(top) and top[i + 1].split()[0] in CONNECTORS and len(top[i + 1].split()) <= 6:
            line = without_trailing_date(f"{line} {top[i + 1]}")  # "The Handbook to …" / "for England 2019"
        # A line ending in a comma runs on, and the line after it is its rest: "MINISTER FOR INDUSTRY," /
        # "BUSINESS AND FINANCIAL" / "AFFAIRS", a letterhead set on narrow lines, not a title.
        cut = line.endswith(",") or (i > 0 and top[i - 1].endswith(","))
        # The first line may end with a full stop when it says what the document is, not what it does: "Long
        # term prediction intervals for … the New Hospital Programme."
        stop = line.endswith(".") and (i > 0 or _FINITE.search(line) is not None)
        if 2 <= len(line.split()) <= 40 and ". " not in line and not stop and not cut \
                and (title_page is None or _fold(line) in title_page):
            candidates.append((line, "text"))
    sites = [found.get("site_name"), found.get("publisher")]
    sections = _masthead_sections(found.get("running_lines") or [])
    candidates = [(value, where) for value, where in candidates
                  if not str(value).rstrip().endswith(":")  # "Ihr Zeichen:", "Our ref:": a field's label
                  and _fold(str(value)) not in sections]
    cleaned = [(_rejoined(clean_title(value, sites), text), where) for value, where in candidates]
    # One word read from the text ("Framework", "Morning") is a heading or a label, not a document's title.
    usable = [(value, where) for value, where in cleaned if is_title_like(value)
              and (len(value.split()) >= 2 or where not in ("text", "pdf-outline"))
              and not (where == "text" and _lost_initial(value, text))]
    if not usable:
        return None
    best = usable[0]
    if best[1] == "text":
        # A cover title that ran on into a heading: the file's own title says where it ends.
        for value, where in usable[1:]:
            if where in ("pdf-info", "pdf-outline") and len(value.split()) >= 3:
                head = _fold(best[0])
                if head != _fold(value) and head.startswith(_fold(value) + " "):
                    return value, where
    if best[1] == "pdf-info":
        # The title as printed beats the same title as typed into a file's properties.
        words = set(_words(best[0]))
        for value, where in usable[1:4]:
            if where == "text" and words and len(words & set(_words(value))) >= 0.8 * len(words):
                return value, where
    return best


def _lost_initial(title: str, text: str) -> str | None:
    """A word of ``title`` that is another word of the text without its first letter ("mplementation",
    "IGITAL"): a cover set with drop capitals, whose large initials the text layer keeps apart from their
    words. Such a title is the cover's pieces, not its title. The word is returned, else None. Only words of
    six letters or more that start in lower case or are all capitals, and that the text prints alone at most
    once (in the title itself) while it prints them whole, count: "award" in the text never makes a title's
    "Ward" a broken word."""
    head = text[:60000]
    for word in set(re.findall(r"\b[^\W\d_]{6,}\b", title)):
        if not (word[0].islower() or word.isupper()):
            continue
        alone = len(re.findall(r"\b" + re.escape(word) + r"\b", head, re.I))
        whole = len(re.findall(r"\b[^\W\d_]" + re.escape(word) + r"\b", head, re.I))
        if whole and alone <= 1:
            return word
    return None


def _masthead_sections(lines: list[str]) -> set[str]:
    """The parts of a dated running header of three or more parts ("Federal Register / Vol. 85, No. 152 /
    Thursday, August 6, 2020 / Proposed Rules"): a periodical's name, issue and section, which a cover may print
    large ("Proposed Rules") but which name the issue, not the document."""
    from kb.ingest.extract.dates import dates_in_line

    sections: set[str] = set()
    for line in lines:
        parts = [part.strip() for part in re.split(r"\s+[/|]\s+", line)]
        if len(parts) >= 3 and dates_in_line(line):
            sections |= {_fold(part) for part in parts if part}
    return sections


def _rejoined(title: str, text: str) -> str:
    """A word a cover broke across lines with a hyphen ("re- sponse") joined again when the text writes it
    whole; a real compound ("decision- making", where the text writes "decision-making") keeps its hyphen."""
    def join(m: re.Match) -> str:
        whole = m.group(1) + m.group(2)
        if re.search(r"\b" + re.escape(whole) + r"\b", text[:50000], re.I):
            return whole
        return m.group(1) + "-" + m.group(2)

    return re.sub(r"\b([^\W\d_]+)- ([a-z]+)\b", join, title)


def _recased(title: str, text: str) -> str:
    """A title printed in capitals ("FREEDOM OF INFORMATION POLICY") in the case its words have in the text;
    words the text only writes in capitals (NHS, FOI) stay so."""
    words = title.split()
    caps = [w for w in words if re.fullmatch(r"[A-Z][A-Z'’-]+[,:;.]?", w)]
    if len(caps) < 2 or not re.search(r"\b[A-Z][A-Z'’-]+[,:;.]?\s+[A-Z][A-Z'’-]+\b", title):
        return title
    seen: dict[str, dict[str, int]] = {}
    for token in re.findall(r"[A-Za-z][A-Za-z'’-]*", text[:50000]):
        forms = seen.setdefault(token.lower(), {})
        forms[token] = forms.get(token, 0) + 1
    out: list[str] = []
    for i, word in enumerate(words):
        core = word.rstrip(",:;.")
        if word in caps and len(core) > 1:
            all_forms = seen.get(core.lower(), {})
            forms = {f: n for f, n in all_forms.items() if not f.isupper()}
            first = i == 0 or out[-1].endswith(":")
            if forms and all_forms.get(core, 0) - 1 >= sum(forms.values()):  # the title itself counts once
                pass  # mostly written in capitals (NHS; "nhs" in web addresses): an acronym
            elif forms:
                best = max(forms, key=lambda f: (forms[f], f.islower()))
                word = (best[:1].upper() + best[1:] if first else best) + word[len(core):]
            elif sum(all_forms.values()) >= 2:
                pass  # only ever in capitals, and not just in the title: an acronym
            elif len(core) > 4:
                word = (core.capitalize() if first else core.lower()) + word[len(core):]
            else:
                return title  # a short word the text never uses otherwise: perhaps an acronym, so leave it
        out.append(word)
    return " ".join(out)


def _letter_subject(text: str) -> str | None:
    """A letter's subject: the paragraph right after "Dear ...," near the top."""
    m = re.search(r"(?:^|\n)[ \t]*Dear [^\n]{1,60}\n\s*\n?((?:[^\n]+\n?){1,3})", text[:3000])
    if not m:
        return None
    subject = " ".join(m.group(1).split())
    return subject if len(subject.split()) <= 30 and ". " not in subject else None


#: Words a title line does not end with unless the title runs on to the next line.
_RUNS_ON = CONNECTORS | {"without", "into", "between", "across", "through", "towards", "under", "within", "beyond"}


#: The header a browser prints on every page of a web page saved as PDF: when, then the page's own title
#: ("11/24/25, 8:19 PM Government response to the rapid review … - GOV.UK"), on one line or on the next.
_BROWSER_HEADER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+(.*))?$")


def printed_page_title(text: str) -> str | None:
    """The title of a web page printed to PDF, from the header the browser printed above it (the page's HTML
    title, its site's name after a dash, which ``clean_title`` removes); the header's date is when it was
    printed, never the document's date. None when the text does not start with such a header."""
    lines = _text_lines(text, 3)
    for i, line in enumerate(lines[:2]):
        m = _BROWSER_HEADER.match(line)
        if m:
            title = m.group(1) or (lines[i + 1] if i + 1 < len(lines) else "")
            return title if title and not _URL.match(title) else None
    return None


#: Words of a sentence (a verb, a person speaking), which a title set as a phrase rarely has.
_FINITE = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had|be|been|we|our|you|your|this|these|it|its|"
                     r"can|could|should|must|may|might|do|does|did|not)\b", re.I)


def _text_lines(text: str, limit: int = 6) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            lines.append(line)
            if len(lines) >= limit:
                break
    return lines


def without_trailing_date(title: str) -> str:
    """A title without the date it ends with ("… for England January 2019"): the date is the document's date,
    not part of its name."""
    from kb.ingest.extract.dates import dates_in_line

    dated = dates_in_line(title)
    if dated and dated[-1][1] >= len(title.rstrip(" .,")) and dated[-1][0] > 0:
        return title[:dated[-1][0]].rstrip(" ,–—-|")
    return title


#: Words of text after which a line is the body's (a section's heading), not the cover's.
COVER_WORDS = 60


def _before_body(lines: list[str]) -> list[str]:
    """The first lines up to the start of the body: a line that comes after ``COVER_WORDS`` words of text
    ("Access to health services" after the preamble) names a section, never the document, when the title
    itself was lost (a cover that is a picture)."""
    words = 0
    for n, line in enumerate(lines):
        if words > COVER_WORDS:
            return lines[:n]
        words += len(line.split())
    return lines


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _title_from_name(source: str) -> str:
    stem = PurePosixPath(source).stem
    stem = re.sub(r"[-_]+", " ", stem).strip()
    return (stem[:1].upper() + stem[1:]) if stem else source


# -- titles ---------------------------------------------------------------------------------------------

#: Lines that label a page rather than name the document.
_LABELS = re.compile(
    r"^(?:(?:security\s+)?classification\s*:.*|"
    # a protective marking with its qualifier: "OFFICIAL - SENSITIVE", "Official - Subject to Final Review"
    r"(?:official|restricted|confidential|unclassified|not protectively marked|protect)\s+[-–—]\s+.*|(?:official|official[- ]sensitive|not protectively marked|"
    r"protect|restricted|confidential|unclassified|sensitive|draft|final|final draft|for publication|"
    r"document outline|outline|contents|table of contents|index|glossary|foreword|preface|summary|"
    r"executive summary|abstract|introduction|background|acknowledge?ments|appendix|annex|title|title page|"
    r"untitled(?:[- ]?\d+| document)?|document\d*|cover|front cover|back cover|about this (?:report|document)|"
    r"powerpoint presentation|presentation|presentation title|click to add title|subtitle|heading|"
    r"title of (?:the )?(?:report|document|presentation)|report title|document title|"
    r"key (?:points|messages|findings)|overview|references|bibliography|notes|contact us|(?:image|photo|picture) credits|credits|"
    r"(?:report|document|word|presentation|powerpoint|briefing|paper)\s+template|template)[.:]?)$",
    re.I,
)
# "Publication reference: PRN00817", "Version: 1.2", "Document owner: Finance": fields, not titles.
_FIELD = re.compile(
    r"^(?:publication|document|reference|ref|gateway|version|status|owner|author|authors|approved|approval|"
    r"classification|date|review|issue|issued|audience|prepared|produced|published|updated|last|next|"
    r"contact|email|telephone|tel|web|website|copyright|licence|license|isbn|issn|doi|project|programme code|"
    r"job|print|ccs|crown)\b[\w ]{0,25}:\s*\S",
    re.I,
)
_PLACEHOLDER = re.compile(r"\[\s*(?:insert|enter|add|type)\b|\btemplate\b|^\s*\[.*\]\s*$|lorem ipsum|click here to",
                          re.I)
_APP_PREFIX = re.compile(r"^\s*Microsoft\s+(?:Word|PowerPoint|Excel|Office)\b.*?-\s*", re.I)
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|dotx?|pptx?|xlsx?|indd|odt|rtf|txt|html?|md|tex)\s*$", re.I)
# "Version 2.3", "Page 4", "Committee Report 4.3", "Agenda item 7", "Paper 12b"
_NUMBERED_LABEL = re.compile(
    r"^(?:[A-Za-z]+\s+){0,3}(?:version|v|issue|rev(?:ision)?|page|p|slide|report|paper|item|agenda item|"
    r"appendix|annex|enclosure|section|chapter|part|table|figure)\.?\s*[0-9][0-9.]*[a-z]?(?:\s+of\s+\d+)?$",
    re.I,
)
# "CP 1478", "Cm 9999", "HC 123", "SG/2024/56": the numbers Parliament gives its papers, printed on covers.
_PAPER_NUMBER = re.compile(r"^(?:CP|Cm|Cmd|Cmnd|HC|HL|SG|SE|NIA|Cd)\b[\s/.]*\d[\d/ -]*$", re.I)
# A contents line: "Proposals for a framework Page 5", "Introduction ........ 3".
_CONTENTS_LINE = re.compile(r"\bPage\s+\d+\b|\.{4,}\s*\d+\s*$|…\s*p?\d+\s*$", re.I)
# "BMC Public Health", "The Lancet Public Health", "Journal of Public Health": the journal a paper appeared in, printed
# above its title on the first page (and often alone on the first line of a text export).
_JOURNAL = re.compile(
    r"^(?:[Tt]he\s+)?(?:(?:BMC|BMJ|PLOS|PLoS|JAMA|Lancet|NEJM|Cochrane)\b(?:\s+[A-Z][\w&-]*){0,4}"
    r"|(?:[A-Z][a-z]+\s+){0,2}Journal\s+of\s+"
    r"(?:the\s+)?[A-Z][\w&'-]*(?:\s+(?:and|of|&|[A-Z][\w&'-]*)){0,6}"
    r"|(?:[A-Z][\w&'-]*\s+){1,4}Journal|(?:Annals|Archives)\s+of\s+[A-Z][\w&'-]*(?:\s+(?:and|of|&|[A-Z][\w&'-]*)){0,4})"
    r"(?:\s*\(?\d{4}\)?\b.*)?$")
#: A title made only of words that say what kind of document it is, with nothing of what it is about: a GOV.UK
#: page's type ("Policy paper", "Independent report"), a journal's article type ("Research article", "Open
#: Access"), a running label ("Interim report"). Printed largest on many covers, but not a title on its own.
_KIND_ONLY = re.compile(
    r"(?:(?:the|a|an|and|&|of|in|for|our|this|final|interim|annual|draft|full|brief|executive|technical|"
    r"independent|corporate|statutory|official|original|open|rapid|study|case|press|news|policy|research|review|"
    r"reports?|response|consultation|outcome|update|progress|summary|evaluation|briefing|papers?|statement|"
    r"overview|recommendations|findings|guidance|release|story|analysis|statistics|transparency|data|"
    r"collection|speech|correspondence|notice|form|decision|article|access|commentary|editorial|perspective|"
    r"letter|protocol|document|publication|information|note|notes|minutes|agenda|accounts|strategy|plan|"
    r"framework|version)[\s:,.–—-]*)+", re.I)
#: The issue line of a journal or periodical: "Health Policy 125 (2021) 1–10", "BMJ Open 2021;11:e045543",
#: "Vol. 12, No. 3", "Volume 39, Issue 4".
_ISSUE = re.compile(r"^(?:[A-Z][\w&,.' -]{1,80}?\s+\d{1,4}\s*\((?:19|20)\d\d\)\s*[\de]|[A-Z][\w&,.' -]{1,80}?,?\s+"
                    r"(?:19|20)\d\d\s*[;:]\s*\d|(?:.*\b)?(?:Vol(?:ume)?\.?|No\.|Issue)\s*\d+\s*,\s*(?:No\.|Issue|Number)\s*\d)")
#: A part of a document named by a letter: "Enclosure B", "Part A", "Appendix C".
_LETTER_LABEL = re.compile(r"^(?:appendix|annex|annexe|enclosure|part|section|schedule|item|paper|attachment|"
                           r"exhibit|tab)\s+[A-Z]\d*$", re.I)
#: A byline ("By Claire Duddy", "Authors: ..."), a report's number ("NIST AI 100-1", "CP 1478", "WHO/EURO/2024-1"), a
#: print header ("11/24/25, 5:39 PM") or a system field ("Userid: DTD INSTR04"): on a text export's first lines.
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_BYLINE = re.compile(r"^(?i:by|authors?|written by|compiled by|edited by):?\s+" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME
                     + r")*$")
_CODE = r"(?:[A-Z]{1,5}\d*|\d+)(?:[/.-](?:[A-Z]{1,5}\d*|\d+))*"
_IDENTIFIER = re.compile(r"^(?=.*\d)" + _CODE + r"(?:\s+" + _CODE + r"){0,3}$")
_PRINT_STAMP = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?[Mm]\.?)?\b")
_CODE_FIELD = re.compile(r"^[A-Za-z][\w ]{1,15}:\s*(?:\S+\s*){1,3}$")
_DATE_PREFIX = re.compile(r"^\s*(?:19|20)\d\d[01]\d(?:[0-3]\d)?\s*[-_–—:.]*\s*")
_REPEAT = re.compile(r"(\S.{6,}?)\s*\1")
_URL = re.compile(r"(?:https?://|www\.|\S+@\S+\.\w|\.(?:com|org|uk|net|gov)\b/?)", re.I)
_SITE_SUFFIX = re.compile(r"\s+[-|–—·•]\s+([^-|–—·•]{2,60})$")
_LEFTOVER_MARKUP = re.compile(r"(?:^[#>\s]+|[*_`~]+|\\)")


def clean_title(value: str, site: str | list | None = None) -> str:
    """A candidate title without markup, a file's date prefix or a site's name ("… - GOV.UK")."""
    value = " ".join(str(value or "").split())
    if _APP_PREFIX.match(value):
        return ""  # "Microsoft Word - report_v3": the name of the file it was printed from
    value = _LEFTOVER_MARKUP.sub(lambda m: "" if m.group(0).strip(" ") else m.group(0), value)
    value = " ".join(value.split())
    value = _DATE_PREFIX.sub("", value)
    value = re.sub(r"^(?:\d+\.(?:\d+\.?)*|\d+(?:\.\d+)+)\s+(?=[A-Z])", "", value)  # "1. Introduction to ..."
    if value.endswith(".") and not value.endswith("..") and ". " not in value and len(value.split()[-1]) > 3:
        value = value[:-1]
    head = re.match(r"([^|]{2,60}?)\s+\|\s+(?=\S)", value)
    if head and organisation_name(head.group(1)) == head.group(1).strip():
        value = value[head.end():]  # "NHS England | National engagement on data": a page header's body name
    for _ in range(2):
        m = _SITE_SUFFIX.search(value)
        if not m:
            break
        tail = _fold(m.group(1)).removeprefix("the ")
        names = {_fold(name).removeprefix("the ") for name in ([site] if isinstance(site, str) else site or []) if name}
        if tail in names or _is_site_name(m.group(1).strip()):
            value = value[: m.start()].rstrip()
    return value.strip(" -–—|:;,•")


def _is_site_name(text: str) -> bool:
    return bool(re.fullmatch(r"(?:GOV\.UK|NHS\.UK|[\w-]+(?:\.[\w-]+)+|[A-Z][\w&' ]{1,40}(?:\.com|\.org|\.uk))", text)
                or organisation_name(text) == text and len(text.split()) <= 6)


def title_line_ok(line: str) -> bool:
    """Whether one printed line could be part of a title (not a date, URL, label, page number or overprint)."""
    from kb.ingest.extract.dates import dates_in_line

    line = " ".join(line.split())
    if len(re.findall(r"[^\W\d_]", line)) < 2:
        return False
    if (_URL.search(line) or _LABELS.match(line) or _NUMBERED_LABEL.match(line) or _FIELD.match(line)
            or _REPEAT.search(line[:300])):
        return False
    return not dates_in_line(line)


def is_title_like(value: str, kinds: bool = False) -> bool:
    """Whether a cleaned candidate reads as a document's title: some words, not a label, date, placeholder,
    file name, version/page label, journal issue line, bare organisation name, address or sentence, nor only
    words for a kind of document ("Policy paper", "Research article"), unless ``kinds`` (the cover reader, which
    joins such a kind with the subject printed beside it)."""
    from kb.ingest.extract.dates import dates_in_line

    value = " ".join((value or "").split())
    words = value.split()
    if not words or len(value) < 3 or len(value) > 300 or len(words) > 45:
        return False
    if (_LABELS.match(value) or _PLACEHOLDER.search(value) or _FILE_NAME.search(value)
            or _NUMBERED_LABEL.match(value) or _FIELD.match(value) or _PAPER_NUMBER.match(value)
            or _CONTENTS_LINE.search(value) or _JOURNAL.match(value) or _ISSUE.match(value)
            or _LETTER_LABEL.match(value) or (not kinds and _KIND_ONLY.fullmatch(value))
            or _BYLINE.match(value) or _IDENTIFIER.match(value)
            or (_CODE_FIELD.match(value) and re.search(r"[A-Za-z]\d|\d[A-Za-z]", value.split(":", 1)[1]))):
        return False
    if _PRINT_STAMP.search(value) and len(re.findall(r"[^\W\d_]{3,}", value)) < 2:
        return False  # "11/24/25, 5:39 PM": when a browser printed the page
    if unicodedata.category(value[0]) in ("So", "Sm", "Sk", "Co"):
        return False  # "❏ Ok to Print": a form's check box, a printer's mark
    if re.match(r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Miss|Cllr|Councillor)\.?\s+[A-Z][\w'’-]+\s+[A-Z]", value):
        return False  # "Dr Gareth Collier and Cheryl Way": who wrote or presents it
    if re.search(r"\b(?:was|were)\s+(?:\w+ly\s+)?\w+(?:ed|en|ne|wn|ld|ght|ead)\b", value) and not value.endswith("?"):
        return False  # "The opening prayer was read by …": a sentence of the text, not a title
    if (len(words) <= 8 and re.match(r"(?:The\s+)?(?:Department|Ministry|Office)\s+(?:of|for)\b", value)
            and organisation_name(value) == value):
        return False  # "Department of Health & Social Care": who published it, not what it is called
    if re.fullmatch(r"(?:The|THE|An?|AN?)\s+\S+", value):
        return False  # "The Leeds": the first line of a title set on several lines, not a title
    if " | " in value and any(_is_date_only(part) for part in value.split(" | ")):
        return False  # "Board meeting | 12 May 2023": a running header
    if re.match(r"[£$€]?\d[\d.,]*\s*(?:%|per ?cent\b|million\b|billion\b|bn\b|m\b)", value, re.I):
        return False  # a statistic on an infographic's cover
    if value[:1].islower() or value.endswith((",", ";", "(")) or value.startswith(("•", "(", "-", "–")):
        return False
    if re.match(r"\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d+)?\b", value):
        return False  # "01:00:15.359 Morning": a transcript's time stamp and its first words
    if words[-1].lower() in CONNECTORS:
        return False  # "Prepared by", "Report of the"
    if re.search(r"[.!?]\s+[A-Z][a-z]+\s+\w+\s+\w+.*[.!?]$", value) or (value.endswith(".") and len(words) > 6):
        return False  # sentences
    if _URL.search(value) or _REPEAT.search(value[:300]):
        return False
    letters = [w for w in words if re.search(r"[^\W\d_]{2}", w)]
    if not letters:
        return False
    if len(words) == 1 and (not words[0].isalpha() or re.search(r"[a-z][A-Z]", words[0])):
        return False  # "CORE20PLUS5_Powerpoint", "RiskTriggersReport361"
    # A date with a label around it ("Date published: 3 December, 2024", "JUNE 2025").
    rest = value
    for start, end, _date in reversed(dates_in_line(value)):
        rest = rest[:start] + " " + rest[end:]
    rest_words = [w for w in re.findall(r"[^\W\d_]+", rest)
                  if w.lower() not in ("date", "published", "publication", "updated", "last", "first", "on",
                                       "issued", "updated", "reviewed", "of", "version", "v", "draft", "final")]
    if not rest_words or (len(rest_words) <= 1 and rest != value):
        return False
    if re.fullmatch(r"(?:\d+\s+)?[\w' ]+\s+(?:street|road|lane|avenue|square|place|house)\b.*", value, re.I):
        return False
    if len(words) <= 5 and organisation_name(value) == value and BODY_END.fullmatch(words[-1]):
        return False  # "UK Government", "NHS England": who published it, not what it is called
    if re.fullmatch(r"[A-Z][a-z]+(?:\s+[A-Z]\.?){1,2}\s+[A-Z][a-z'’-]+", value):
        return False  # "Mohammed A Mohammed": who wrote it
    return True




def _is_date_only(text: str) -> bool:
    from kb.ingest.extract.dates import dates_in_line

    text = text.strip()
    found = dates_in_line(text)
    return bool(found) and not re.sub(r"[\W\d_]+", "", text[:found[0][0]] + text[found[-1][1]:])


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())
