"""Resolve a document's metadata: the catalog first, then what the file itself says, and record each value's source.

Files say who they are in many unreliable ways: a PDF's info Title is often a template's ("Report template",
"[Insert title of report]") or the file name Word printed from ("Microsoft Word - report v3"); the first line
of a page is often a classification banner or a date. So every candidate title is checked (``is_title_like``)
before it is used, and the publisher is looked for where documents state it: a copyright line, "Published
by", a cover line naming a body, an "About us" sentence, or an Author field that names an organisation.
"""

from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

from kb.ingest.catalog import CatalogEntry
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
    provenance: dict[str, str] = {}

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
        # "NHS England: annual report 2023" names its publisher before the colon.
        lead = title_found[0].split(":", 1)[0] if ":" in title_found[0] else ""
        body = organisation_name(lead)
        if body and _BODY_END.fullmatch(body.split()[-1]):
            found["publisher"], found_sources["publisher"] = normalise_publisher(body), title_found[1]
    publisher = pick("publisher", entry and entry.publisher)
    url = pick("url", entry and entry.url)
    doc_type = pick("type", entry and entry.type)
    published: PartialDate | None = pick("published", entry and entry.published)
    date_source = provenance.get("published")
    if entry and entry.duplicate_of:
        provenance["duplicate_of"] = "catalog"
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


def _detected_title(found: dict, sources: dict, text: str) -> tuple[str, str] | None:
    """The first candidate that reads as a title: the extractor's own candidates (best first), then the
    file's stated title, then the first title-like line of the text."""
    candidates: list[tuple[str, str]] = list(found.get("title_candidates") or [])
    stated = found.get("title")
    if stated:
        candidates.append((str(stated), sources.get("title", "text")))
    subject = _letter_subject(text)
    if subject:
        candidates.append((subject, "text"))
    candidates.extend((line, "text") for line in _text_lines(text)
                      if 2 <= len(line.split()) <= 30 and ". " not in line and not line.endswith("."))
    sites = [found.get("site_name"), found.get("publisher")]
    cleaned = [(clean_title(value, sites), where) for value, where in candidates]
    usable = [(value, where) for value, where in cleaned if is_title_like(value)]
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


def _text_lines(text: str, limit: int = 6) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            lines.append(line)
            if len(lines) >= limit:
                break
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
    r"^(?:(?:security\s+)?classification\s*:.*|(?:official|official[- ]sensitive|not protectively marked|"
    r"protect|restricted|confidential|unclassified|sensitive|draft|final|final draft|for publication|"
    r"document outline|outline|contents|table of contents|index|glossary|foreword|preface|summary|"
    r"executive summary|abstract|introduction|background|acknowledge?ments|appendix|annex|title|title page|"
    r"untitled(?:[- ]?\d+| document)?|document\d*|cover|front cover|back cover|about this (?:report|document)|"
    r"powerpoint presentation|presentation|presentation title|click to add title|subtitle|heading|"
    r"title of (?:the )?(?:report|document|presentation)|report title|document title|"
    r"key (?:points|messages|findings)|overview|references|bibliography|notes|contact us|"
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


def is_title_like(value: str) -> bool:
    """Whether a cleaned candidate reads as a document's title: some words, not a label, date, placeholder,
    file name, version/page label, bare organisation name, address or sentence."""
    from kb.ingest.extract.dates import dates_in_line

    value = " ".join((value or "").split())
    words = value.split()
    if not words or len(value) < 3 or len(value) > 300 or len(words) > 45:
        return False
    if (_LABELS.match(value) or _PLACEHOLDER.search(value) or _FILE_NAME.search(value)
            or _NUMBERED_LABEL.match(value) or _FIELD.match(value)):
        return False
    if re.match(r"[£$€]?\d[\d.,]*\s*(?:%|per ?cent\b|million\b|billion\b|bn\b|m\b)", value, re.I):
        return False  # a statistic on an infographic's cover
    if value[:1].islower() or value.endswith((",", ";", "(")) or value.startswith(("•", "(", "-", "–")):
        return False
    if words[-1].lower() in _CONNECTORS:
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
    if len(words) <= 5 and organisation_name(value) == value and _BODY_END.fullmatch(words[-1]):
        return False  # "UK Government", "NHS England": who published it, not what it is called
    return True


_CONNECTORS = frozenset("by of for and to the with from in on at a an or &".split())
_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())


# -- publishers -----------------------------------------------------------------------------------------

#: Words that end (or make) the name of an organisation.
_BODY_WORDS = (
    "agency authority board bureau cabinet centre center college commission committee confederation council "
    "court department directorate england executive foundation fund government group improvement inquiry "
    "institute institution library ministry network office ombudsman organisation organization parliament "
    "partnership regulator service services society trust unit university alliance association federation "
    "icb ics ccg csu collaborative lab laboratory team observatory forum panel"
).split()
_BODY_WORD = re.compile(r"\b(?:" + "|".join(_BODY_WORDS) + r")\b", re.I)
#: Last words that make a short line the name of a body on its own ("Community Services" may be a topic).
_BODY_END = re.compile(
    r"(?:agency|authority|commission|council|department|directorate|england|executive|foundation|government|"
    r"icb|ccg|csu|ics|inquiry|institute|institution|library|ministry|office|ombudsman|parliament|partnership|"
    r"regulator|trust|unit|university|alliance|association|confederation|federation|lab|laboratory|"
    r"observatory|team|society|college|centre|center|fund)",
    re.I,
)
_BODY_START = re.compile(
    r"^(?:the\s+)?(?:department|office|ministry|house|national|nhs|hm|his majesty's|her majesty's|uk|royal|"
    r"public health|health|care|local|general|united kingdom|scottish|welsh|northern ireland)\b",
    re.I,
)
#: People's names and software defaults found in Author fields.
_NOT_A_BODY = re.compile(
    r"^(?:microsoft office user|microsoft|administrator|admin|user|owner|author|unknown|windows user|"
    r"office user|staff|default|anonymous|company secretary)$",
    re.I,
)
#: Bodies that documents name by their acronym, and the GOV.UK addresses of departments (www.gov.uk/dhsc).
KNOWN_BODIES = {
    "dhsc": "Department of Health and Social Care",
    "dh": "Department of Health",
    "nhse": "NHS England",
    "nhsei": "NHS England and NHS Improvement",
    "nhsbsa": "NHS Business Services Authority",
    "nhsx": "NHSX",
    "nice": "National Institute for Health and Care Excellence",
    "cqc": "Care Quality Commission",
    "ukhsa": "UK Health Security Agency",
    "phe": "Public Health England",
    "ohid": "Office for Health Improvement and Disparities",
    "mhclg": "Ministry of Housing, Communities and Local Government",
    "dluhc": "Department for Levelling Up, Housing and Communities",
    "dfe": "Department for Education",
    "dwp": "Department for Work and Pensions",
    "hmt": "HM Treasury",
    "hm-treasury": "HM Treasury",
    "cabinet-office": "Cabinet Office",
    "ons": "Office for National Statistics",
    "hee": "Health Education England",
    "mhra": "Medicines and Healthcare products Regulatory Agency",
    "hra": "Health Research Authority",
    "hsj": "Health Service Journal",
}


def organisation_name(value: str) -> str | None:
    """``value`` tidied if it names an organisation (not a person, a software default or a sentence), else None.

    "National Institute for Health and Care Excellence (NICE)" -> itself; "NICE" -> itself; "Smith, Helen",
    "richard.wood", "Microsoft Office User", "Cook Josh (MLCSU)" -> None.
    """
    value = " ".join(str(value or "").split()).strip(" .,;:-–—©")
    words = value.split()
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    value = " ".join(words).strip(" .,;:-–—")
    if not value or len(value) > 120 or _NOT_A_BODY.match(value):
        return None
    words = value.split()
    if len(words) > 12 or re.search(r"[.!?]\s|@|https?:|\b(?:is|are|was|were|will|we|our|you)\b", value, re.I):
        return None
    if len(words) == 1:
        token = words[0]
        if re.fullmatch(r"[A-Z][A-Z&]{1,7}", token) or token.lower() in KNOWN_BODIES:
            return token
        return None
    if not _BODY_WORD.search(value) and not _BODY_START.match(value):
        return None
    if any(w.isdigit() or w.lower().strip(",.") in _MONTH_NAMES for w in words):
        return None  # "Department of Health in March 2023": a name with a date after it
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "for", "and", "the", "&", "in", "on", "to")
               or w[:1] in "([" for w in words):
        return None
    return value


def normalise_publisher(value: str) -> str | None:
    """One spelling per body: "© NHS England 2023" -> "NHS England", "NICE" -> its full name."""
    value = " ".join(value.split()).replace(" & ", " and ")
    value = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", value, flags=re.I)
    value = re.sub(r"\s*(?:©|\(c\)|copyright)?\s*(?:19|20)\d\d\b\.?(?:\s*all rights reserved\.?)?$", "", value, flags=re.I)
    value = re.sub(r"^(?:19|20)\d\d\s+", "", value).strip(" .,;:")
    value = re.sub(r"^The\s+(?=(?:Department|Office|Ministry|House)\b)", "", value)
    acronym = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)$", value)
    if acronym and _abbreviates(acronym.group(1), value[: acronym.start()]):
        value = value[: acronym.start()]  # "National Institute for Health and Care Excellence (NICE)"
    return KNOWN_BODIES.get(value.lower(), value) if value and " " not in value else (value or None)


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is made of the initials of ``name``'s words, in order (NICE, NHSBSA)."""
    initials = [w[0].upper() for w in name.split() if w[:1].isupper()]
    letters = [c.upper() for c in short if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    i = 0
    for letter in letters:
        while i < len(initials) and initials[i] != letter:
            i += 1
        if i == len(initials):
            return False
        i += 1
    return True


def publisher_from_text(pages: tuple[str, ...] | list[str]) -> str | None:
    """Who published a document, as its own text states it (first and last pages), or None.

    Looked for in this order: "Published by X" / "Produced by [printer for] X"; a copyright line
    ("© NHS England 2023"; for "© Crown copyright" the department named near it or in a gov.uk address);
    an "About X" heading or "X is an independent ..." sentence; a short cover line naming a body.
    """
    if not pages:
        return None
    head = "\n\n".join(pages[:3])[:6000]
    tail = "\n\n".join(pages[-2:])[-6000:] if len(pages) > 3 else ""
    text = head + "\n\n" + tail
    flat = " ".join(text.split())
    for m in re.finditer(r"\b(?:Published|Produced|Prepared|Issued)\s+by:?\s+(?:[^.\n]{0,60}?\bfor\s+)?(?:the\s+)?"
                         r"([A-Z][\w'’&,\- ]{2,90})", flat):
        for part in m.group(1).split(","):  # "Rhod Joyce, Head of Partnerships, NHSX"
            body = _body_prefix(part.strip())
            if body:
                return body
    for m in re.finditer(r"(?:^|\n)[ \t]*From:[ \t]*\n?[ \t]*([A-Z][^\n]{2,80})", head):
        body = organisation_name(m.group(1))  # GOV.UK pages: "From: Department of Health and Social Care"
        if body:
            return body
    for m in re.finditer(r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s+)?([A-Z][\w'’&\- ]{1,80}?)"
                         r"(?:\s+(?:19|20)\d\d)?(?=[.,;\n]|\s+(?:All|Some|This|Published|\d)|$)", text):
        name = " ".join(m.group(1).split())
        if name.lower().startswith("crown"):
            body = _crown_department(text)
            if body:
                return body
            continue
        body = organisation_name(name)
        if body:
            return KNOWN_BODIES.get(body.lower(), body) if len(body.split()) == 1 else body
    for m in re.finditer(r"(?:^|\n)[ \t]*(?:About|ABOUT)[ \t]+(?:the[ \t]+|THE[ \t]+)?([A-Z][\w'’&\- ]{1,60}?)[ \t]*(?:\n|$)", text):
        body = organisation_name(m.group(1)) or organisation_name(m.group(1).replace(" ", ""))
        if body and not _is_funder(body, text):
            return body
    for m in re.finditer(r"(?:^|\n|[.:]\s)(?:The\s+)?([A-Z][\w'’&\-]*(?:[ \t]+(?:of|for|and|the|&|[A-Z0-9][\w'’&\-]*)){0,8})"
                         r"\s+is\s+(?:an?|the)\s+(?:independent|non-departmental|public|research|statutory|"
                         r"executive|national|charity|charitable|membership|think|government|health|"
                         r"[a-z]+\s+(?:body|organisation|service|agency|inquiry))", text):
        name = m.group(1)
        body = organisation_name(name) or organisation_name("The " + name)
        if body and body.lower() not in ("this", "it") and not _is_funder(body, text):
            return body
    signed = re.search(r"[Oo]n behalf of\s+(?:the\s+)?Secretary of State for\s+([A-Z][\w ,&]{3,60}?)\s*(?:\n|$|\.)", text)
    if signed:  # a letter signed for a Secretary of State comes from that department
        return "Department of " + " ".join(signed.group(1).split())
    citation = re.search(r"\((?:19|20)\d\d[a-z]?\)\.?\s[^()]{5,300}?\.\s+[A-Z][a-z]+(?:,\s*[A-Z][\w ]+)?:\s*([A-Z][\w&'’ -]{1,60}?)\.",
                         flat)
    if citation and organisation_name(citation.group(1)):  # a suggested citation: "(2019). Title. London: NHSX."
        return organisation_name(citation.group(1))
    ends = pages[0] + "\n" + (pages[-1] if len(pages) > 1 else "")
    for m in re.finditer(r"\b(?:www\.)?([a-z]{2,12})\.(?:nhs|gov|org)\.uk\b", ends):
        if m.group(1) in KNOWN_BODIES:  # "www.nhsbsa.nhs.uk": a body's own web address
            return KNOWN_BODIES[m.group(1)]
    for block in re.split(r"\n\s*\n", pages[0])[:12]:
        line = " ".join(block.split())
        if 2 <= len(line.split()) <= 10:
            body = organisation_name(line)
            if body and (_BODY_END.fullmatch(line.split()[-1]) or re.match(r"(?:Department|Office|Ministry)\b", line)):
                return body
    return None


def _is_funder(body: str, text: str) -> bool:
    """Whether the text says ``body`` funded or supported the work (a report describes its funder too)."""
    name = re.escape(body.removeprefix("The ").removeprefix("the "))
    return bool(re.search(r"\b(?:funded|supported|sponsored|grant(?:ed)?|funding)\s+(?:by|from)\s+(?:the\s+)?" + name,
                          " ".join(text.split()), re.I))


def _body_prefix(text: str) -> str | None:
    """The organisation name at the start of ``text`` ("NHS England in 2023, ..." -> "NHS England")."""
    words = text.replace("’", "'").split()
    for n in range(min(len(words), 10), 0, -1):
        candidate = " ".join(words[:n]).strip(" ,;-")
        body = organisation_name(candidate)
        if body:
            return KNOWN_BODIES.get(body.lower(), body) if n == 1 else body
    return None


def _crown_department(text: str) -> str | None:
    """The department behind a Crown copyright document: a gov.uk address or a department named on it."""
    for m in re.finditer(r"gov\.uk/(?:government/organisations/)?([a-z][a-z-]{1,40})\b|@([a-z]{2,12})\.gov\.uk\b", text):
        slug = m.group(1) or m.group(2)
        if slug in KNOWN_BODIES:
            return KNOWN_BODIES[slug]
    named = re.search(r"\b((?:Department|Ministry)\s+(?:of|for)\s+[A-Z][\w,]*(?:\s+(?:and|&|[A-Z][\w,]*)){0,6})", " ".join(text.split()))
    if named:
        return named.group(1).rstrip(",")
    return None
