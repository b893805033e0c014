"""Turn one file into raw page texts plus the metadata the file itself carries.

``extract_file`` is the only entry point: it reads the file, sniffs its format from the content (a PDF named
``.txt`` is still a PDF), runs the matching extractor and adds a publication date written in the text when
the file offers no better one. Every failure is an ExtractionError whose reason and advice make one line.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from pathlib import Path

from kb.errors import ExtractionError
from kb.ingest.extract.dates import (
    SEARCH_WINDOW,
    cited_as_date,
    closing_labelled_date,
    find_dated_line,
    find_running_date,
    journal_history_date,
)
from kb.ingest.extract.sniff import SNIFF_BYTES, sniff
from kb.ingest.extract.stated_dates import find_signature_date, foreword_signature_date
from kb.models import Extraction

__all__ = ["extract_file", "extract_bytes", "EXTRACTORS"]

log = logging.getLogger(__name__)


def _pdf(data: bytes) -> Extraction:
    from kb.ingest.extract.pdf import extract_pdf

    return extract_pdf(data)


def _html(data: bytes) -> Extraction:
    from kb.ingest.extract.html import extract_html

    return extract_html(data)


def _text(data: bytes) -> Extraction:
    from kb.ingest.extract.text import extract_text

    return extract_text(data)


def _markdown(data: bytes) -> Extraction:
    from kb.ingest.extract.text import extract_markdown

    return extract_markdown(data)


def _captions(data: bytes) -> Extraction:
    from kb.ingest.extract.captions import extract_captions

    return extract_captions(data)


#: Format name -> extractor. Heavy parsers are imported only when a file of that format turns up.
EXTRACTORS: dict[str, Callable[[bytes], Extraction]] = {
    "pdf": _pdf,
    "html": _html,
    "text": _text,
    "markdown": _markdown,
    "captions": _captions,
}

# Date sources that beat a date written in the text; a PDF's CreationDate does not (it is when the file
# was made, often long after publication), so the text wins over it.
_STRONG_DATE_SOURCES = frozenset({"html-meta", "front-matter"})


def extract_file(path: Path) -> Extraction:
    """Extract one file. Raises ExtractionError (reason + advice) for anything kb cannot read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ExtractionError("cannot read file (it is a directory)", "give a file, not a folder") from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ExtractionError(
            f"cannot read file ({detail})", "check its permissions (e.g. chmod u+r) or remove it"
        ) from None
    return extract_bytes(data, path.suffix)


def extract_bytes(data: bytes, suffix: str = "") -> Extraction:
    """Extract a file's content given its bytes and file-name suffix (".pdf", ".txt", ...)."""
    if not data:
        raise ExtractionError("empty file (0 bytes)", "remove it or replace it with the real document")
    if not data.strip():
        raise ExtractionError(
            f"file holds only whitespace ({len(data)} bytes)", "remove it or replace it with the real document"
        )
    fmt = sniff(data[:SNIFF_BYTES], suffix)
    extraction = EXTRACTORS[fmt](data)
    if not any(page.strip() for page in extraction.pages):
        raise ExtractionError(f"no text found ({fmt})", "check that the file holds the document's text")
    if extraction.metadata.get("spoken"):
        return extraction  # what a meeting's speakers say dates and names what they talk about, not the recording
    return _with_text_date(_with_cover_fields(extraction))


def _with_cover_fields(extraction: Extraction) -> Extraction:
    """Add what the first page's lines say as printed, before a converter's paragraphs run them together: the
    value of a title field ("Paper title: …"; a document control table's "Title …" row, also on the second page),
    else a committee report's subject over its "1. Purpose of report" an EU document's under its form, a US notice's over its "AGENCY:"; a letter's subject (the line under "Dear
    colleagues,"); and the title of a web page saved as text, after its site's menus. An e-mail's header gives
    its subject, sender and day (``mail``, read by ``_with_text_date``)."""
    from kb.ingest.fields import form_title, letter_subject, mail_header, notice_title, report_subject, title_field
    from kb.ingest.saved_pages import saved_page_title

    first = extraction.pages[0] if extraction.pages else ""
    mail = mail_header(first) if extraction.format in ("text", "markdown") else None
    found = {"title_field": (mail or {}).get("subject") or extraction.metadata.get("title_field")
             or title_field(first.splitlines(), "\n".join(extraction.pages[1:2]).splitlines())
             or report_subject(first) or form_title(first) or notice_title(first),
             "mail": mail,
             "letter_subject": letter_subject(first),
             "page_title": saved_page_title(first) if extraction.format not in ("html", "pdf") else None}
    found = {key: value for key, value in found.items() if value}
    return dataclasses.replace(extraction, metadata={**extraction.metadata, **found}) if found else extraction


#: How much of a saved web page under its title prints the page's own dates.
_PAGE_HEADER_CHARS = 800
#: How much of each end of a text without pages holds the date it was signed with.
_END_CHARS = 4000


def _with_text_date(extraction: Extraction) -> Extraction:
    """Add a date written near the top of the text unless the file already states a publication date, the
    publisher the text states, and the evidence of each (the line it was read from and its page)."""
    metadata = dict(extraction.metadata)
    sources = dict(metadata.get("sources", {}))
    metadata["sources"] = sources
    evidence = dict(metadata.get("evidence", {}))
    metadata["evidence"] = evidence
    mail = metadata.pop("mail", None) or {}
    if mail.get("sent") and sources.get("published") not in _STRONG_DATE_SOURCES:
        # an e-mail: the day its message was sent (the forwarded one's, not the forward's)
        metadata["published"], sources["published"] = mail["sent"], "text"
        evidence["published"] = {"text": mail["sent_line"], "page": 1}
    if mail.get("sender") and sources.get("publisher") not in ("html-meta", "front-matter"):
        metadata["publisher"], sources["publisher"] = mail["sender"], "text"
        evidence["publisher"] = {"text": mail["sender_line"], "page": 1}
    if sources.get("published") not in _STRONG_DATE_SOURCES and not mail.get("sent"):
        head = _head_text(extraction.pages)
        under_title = None
        if metadata.get("page_title"):  # a saved web page: its dates are under its title, past the site's menus
            from kb.ingest.saved_pages import text_under_title

            under_title = text_under_title(extraction.pages[0], str(metadata["page_title"]))
        # (the page's header under its title: its kind, byline and dates, not the related links under its text)
        dated = ((find_dated_line(under_title[:_PAGE_HEADER_CHARS]) if under_title else None)
                 or find_dated_line(head)
                 or (find_dated_line(metadata["cover_date"]) if metadata.get("cover_date") else None)
                 or journal_history_date("\n".join(extraction.pages[:2]))
                 # an imprint's date past the first lines ("Published: December 2025" on page 2; not a signature's
                 # "Date: 24 June 2025")
                 or _published_line(head[head.rfind("\n", 0, SEARCH_WINDOW) + 1:] if len(head) > SEARCH_WINDOW else "")
                 or (closing_labelled_date(extraction.pages[-1], back_page=len(extraction.pages) > 1)
                     if extraction.pages else None)
                 or cited_as_date(head))
        written, line = dated if dated else (None, "")
        if written is None:
            # A letter or a submission is dated where it is signed, at its end (or at its start): a date alone on
            # a line on page 33 of 155 is a table's or a timeline's.
            ends = extraction.pages if len(extraction.pages) <= 3 else extraction.pages[:1] + extraction.pages[-2:]
            written = find_signature_date("\n".join(ends), _END_CHARS if len(ends) == 1 else None)
            line = "signed " + written.value if written else ""
        if written is None and (signed := foreword_signature_date(extraction.pages)):
            written, line = signed  # a foreword's or an introduction's signature, with its date
        if written is None:
            written = find_running_date(extraction.pages)
            where = "a header or footer on most pages" if len(extraction.pages) > 1 else "a line printed through the text"
            line = f"{where} dated {written.value}" if written else ""
        if written is not None:
            metadata["published"] = written
            sources["published"] = "text"
            evidence["published"] = {"text": line, "page": locate(extraction.pages, line)}
    from kb.ingest.orgnames import generic_unit
    from kb.ingest.publishers import publisher_with_evidence

    held_back = dict(metadata.get("held_back", {}))
    if sources.get("publisher") == "pdf-info":
        author = str(metadata.get("publisher"))
        # An Author field naming a body the document never prints: a template's or a printer's, as likely as not;
        # or a team named by what it does ("Policy Team"), whichever body it works for.
        why = ("only the PDF's Author field names it; the text never does" if not _printed(extraction.pages, author)
               else "the PDF's Author field names a team by what it does, not its body"
               if generic_unit(author, "\n".join(extraction.pages[:3]))
               # ("Healthwatch Annual Report template 2019-20" by "Healthwatch England": whose template it is)
               else "the PDF's properties are a template's" if sources.get("title") == "pdf-info"
               and re.search(r"\btemplate\b", str(metadata.get("title") or ""), re.I) else None)
        if why:
            held_back["publisher"] = {"value": metadata.pop("publisher"),
                                      "text": evidence.pop("publisher", {}).get("text"), "page": None, "why": why}
            sources.pop("publisher")
    if (not metadata.get("publisher") or sources.get("publisher") not in ("html-meta", "pdf-info", "front-matter")) \
            and not mail.get("sender"):
        try:  # (an e-mail's header is no evidence: a person's mailbox names their employer, not a publisher)
            from kb.ingest.fields import MAIL_FIELD

            stated = publisher_with_evidence([MAIL_FIELD.sub("", page) for page in extraction.pages] if mail
                                             else extraction.pages)
        except Exception:  # detection is best effort: never lose the document over it
            log.debug("publisher detection failed", exc_info=True)
            stated = None
        if stated:
            line = stated.evidence or evidence_line(extraction.pages, stated.body)
            if stated.doubt:
                held_back.setdefault("publisher", {"value": stated.body, "text": line,
                                                   "page": locate(extraction.pages, line), "why": stated.doubt})
            else:
                metadata["publisher"] = stated.body
                sources["publisher"] = "text"
                evidence["publisher"] = {"text": line, "page": locate(extraction.pages, line)}
                held_back.pop("publisher", None)
    if held_back:
        metadata["held_back"] = held_back
    pages = {}
    for candidate, _where in metadata.get("title_candidates") or []:
        pages[candidate] = locate(extraction.pages[:3], candidate)
    metadata["title_pages"] = pages
    metadata["running_lines"] = running_lines(extraction.pages)
    return Extraction(
        format=extraction.format, pages=extraction.pages, metadata=metadata, warnings=extraction.warnings
    )


def running_lines(pages: tuple[str, ...]) -> list[str]:
    """Short lines printed on at least half of the pages (three or more): running headers and footers
    ("Interim report", "Official - Subject to Final Review"), which label pages rather than name the document."""
    if len(pages) < 3:
        return []
    counts: dict[str, int] = {}
    for page in pages[:60]:
        for line in {" ".join(raw.split()) for raw in page.splitlines()}:
            if 3 <= len(line) <= 120:
                counts[line] = counts.get(line, 0) + 1
    least = max(3, (min(len(pages), 60) + 1) // 2)
    return sorted(line for line, count in counts.items() if count >= least)[:50]


def _printed(pages: tuple[str, ...], name: str) -> bool:
    """Whether the first or last pages print ``name`` (spacing, case and "&"/"and" aside), or the acronym it
    ends with in brackets ("National Institute for Health and Care Excellence (NICE)")."""
    import re

    text = _flat("\n".join(list(pages[:3]) + list(pages[-2:]))).replace("&", "and")
    bare = re.sub(r"\s*\([^()]*\)$", "", name)
    return any(_flat(form).replace("&", "and") in text for form in (name, bare) if len(form) >= 2)


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def locate(pages: tuple[str, ...], snippet: str) -> int | None:
    """The number (from 1) of the first page whose text holds ``snippet`` (spacing and case aside), or None."""
    wanted = _flat(snippet)
    if not wanted:
        return None
    for number, page in enumerate(pages, start=1):
        if wanted in _flat(page):
            return number
    return None


def evidence_line(pages: tuple[str, ...], name: str) -> str:
    """The line that names ``name`` as publisher: a copyright, imprint or "published by" line if one holds it,
    else the first line of the first or last pages that does (the cover line, the address)."""
    import re

    wanted = _flat(name)
    lines = [" ".join(raw.split()) for page in list(pages[:3]) + list(pages[-2:]) for raw in page.splitlines()]
    holding = [line for line in lines if wanted and wanted in line.casefold()]
    imprint = re.compile(r"©|\(c\)|copyright|published by|produced by|presented to|issued by|on behalf of", re.I)
    for line in holding:
        if imprint.search(line):
            return line[:200]
    if holding:
        return holding[0][:200]
    from kb.ingest.bodies import body_of_host

    for line in lines:  # a body named through the table of public bodies: the address it was read from
        if any(body_of_host(host) == name for host in re.findall(r"(?:@|https?://|\bwww\.)([\w.-]+\.[a-z]{2,})", line)):
            return line[:200]
    # A name the document does not print as such: the imprint it was read from ("Presented to Parliament by the
    # Secretary of State for ..."), else the address that spells it.
    return next((line[:200] for line in lines if imprint.search(line)), name)


def _published_line(text: str) -> tuple | None:
    """A date labelled as this document's publication ("Published: December 2025", "Date of publication …")."""
    if len(re.findall(r"(?im)^[ \t]*(?:date\s+)?published\s*:", text)) > 1:
        return None  # a list of other documents, each "Published: …"
    found = find_dated_line(text, labelled_only=True) if text else None
    if found and re.match(r"(?i)(?:date\s+)?(?:first\s+)?published|(?:date\s+of\s+)?publication|issued|released", found[1]):
        return found
    return None


def _head_text(pages: tuple[str, ...]) -> str:
    import unicodedata

    head = ""
    for page in pages:
        head += page + "\n"
        if len(head) >= 1500:
            break
    from kb.ingest.normalise import without_glyph_codes

    return unicodedata.normalize("NFKC", without_glyph_codes(head[:3000])[0])
