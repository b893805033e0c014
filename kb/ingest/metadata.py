"""Resolve a document's metadata: the catalog first, then what the file itself says, and record each value's source.

Files say who they are in many unreliable ways: a PDF's info Title is often a template's ("Report template",
"[Insert title of report]") or the file name Word printed from ("Microsoft Word - report v3"); the first line
of a page is often a classification banner or a date. So every candidate title is checked (``is_title_like``)
before it is used. The publisher is found by ``kb.ingest.publishers`` where documents state it.
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import PurePosixPath
from typing import Any

from kb.ingest.bilingual import without_other_language_names, without_translated_title
from kb.ingest.body_names import expanded_name
from kb.ingest.casing import name_case, recased, rejoined, title_recased
from kb.ingest.catalog import CatalogEntry
from kb.ingest.extract.stated_dates import with_wrapped_days
from kb.ingest.kinds import ACT_NAME, is_kind_only, names_only_a_kind
from kb.ingest.mastheads import logo_over_its_name
from kb.ingest.name_agreement import line_the_name_spells, title_from_name
from kb.ingest.orgnames import (
    BODY_END,
    KIND_OF_DOCUMENT,
    body_before_kind,
    normalise_publisher,
    organisation_name,
)
from kb.ingest.printed_titles import info_title_above, printed_extension, printed_prefix
from kb.ingest.record_titles import (
    committee_record,
    gazette_notice,
    meets_at,
    names_its_own_meeting,
    without_meeting_over_paper,
)
from kb.ingest.titles import (
    ADDRESS,
    APP_PREFIX,
    CONTACT,
    DOCUMENT_WORD,
    ENDS_ON,
    FILE_NAME,
    FINITE,
    NAMED_RECORD,
    RECORD_LABEL,
    STARTS_ON,
    URL,
    bare_body,
    before_date,
    body_and_label,
    body_start,
    clean_title,
    fold,
    is_title_like,
    only_names,
    text_lines,
    up_to_date,
    without_authors,
    without_trailing_date,
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
        from kb.ingest.saved_pages import line_named_by_file

        named = line_named_by_file(source, text[:30000])
        title_found = _detected_title(found, found_sources, text, named)
        spelt = line_the_name_spells(source, text[:30000], title_found and title_found[0],
                                     found.get("title_page") if isinstance(found.get("title_page"), str) else None)
        if spelt and extraction.format != "pdf":  # (a PDF's cover sets its title apart by size, a better witness)
            title_found = (spelt, "text")  # a page's furniture over its headline, which the file's name spells
    except Exception:  # detection is best effort: the file name is still a title
        log.debug("title detection failed for %s", source, exc_info=True)
        title_found = None
    if title_found:
        found["title"], found_sources["title"] = title_recased(title_found[0], text), title_found[1]
    else:
        found.pop("title", None)
    title = pick("title", entry and entry.title, title_from_name(source, text), "file-name")
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
        found["publisher"] = name_case(recased(expanded_name(str(found["publisher"]), text), text, name=True))
    evidence = dict(found.pop("evidence", {}) or {})
    if title_found:
        pages = found.get("title_pages") or {}
        evidence["title"] = {"text": title_found[0], "page": next(
            (page for raw, page in pages.items() if page and clean_title(raw) == title_found[0]),
            1 if title_found[1] == "text" and fold(title_found[0]) in fold(text[:3000]) else None)}
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
    of 20 June 2023"), and it is kept only when the first pages print its year: as the month the text prints
    with that year, else as the year (the day or month a file was made is not always when it was published). A date in the title is used when the text presents none;
    the file name's date ("…-january-2025") is the last resort, and says so. The year of a copyright line
    ("© WHO African Region, 2024") is held back for review."""
    from kb.ingest.extract.dates import dates_in_line
    from kb.ingest.extract.stated_dates import copyright_year, date_in_file_name, imprint_year

    if sources.get("published") not in (None, "pdf-info"):
        return
    # "Microsoft Word - Award of bids -August 2016.docx": the name of the file a PDF was printed from, whose
    # date is a file name's (weak), not a title's.
    printed_from = [title for title in titles if APP_PREFIX.match(title) or FILE_NAME.search(title)]
    titles = [title for title in titles if title not in printed_from]
    for title in titles:
        flat = " ".join(title.split())
        # "… for the year ended 31 March 2024": the end of the period it reports on, not when it was published
        period = _PERIOD_START.search(flat)
        in_title = [date for start, _e, date in dates_in_line(flat)
                    if not _PERIOD_END.search(flat[:start]) and not (period and start >= period.start())]
        if len(in_title) == 1:
            found["published"], sources["published"] = in_title[0], "title"
            evidence["published"] = {"text": title, "page": evidence.get("title", {}).get("page")}
            return
    created = found.get("published") if sources.get("published") == "pdf-info" else None
    if created is not None:
        year = created.value[:4]
        if re.search(r"(?<!\d)" + year + r"(?!\d)", text[:6000]):
            # the month too when the text prints it with the year ("Published … November 2024" in an imprint),
            # else the year alone: the month a file was made is not always the month it came out
            month = created.value[:7] if created.precision in ("day", "month") else None
            printed = month and any(date.value == month and date.precision == "month"
                                    for line in text.splitlines() if year in line
                                    for _s, _e, date in dates_in_line(line))
            found["published"] = PartialDate(month, "month") if printed and month else PartialDate(year, "year")
            evidence["published"] = {"text": f"CreationDate {created.value} in the PDF's properties; "
                                             f"{found['published'].value} is printed in the text", "page": None}
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
    imprint = imprint_year(text)
    if imprint is not None:  # "Luxembourg: Publications Office of the European Union, 2017"
        found["published"], sources["published"] = imprint[0], "text"
        evidence["published"] = {"text": imprint[1], "page": None}
        return
    named = date_in_file_name(source)
    if named is not None:
        found["published"], sources["published"] = named, "file-name"
        return
    claimed = copyright_year(text)
    if claimed is not None:  # the year of a first edition as often as this one's: offered for review, not used
        found["held_back"] = dict(found.get("held_back") or {}, published={
            "value": claimed[0].value, "text": claimed[1], "page": None,
            "why": "only a copyright line gives a year, which may be an earlier edition's"})


def _detected_title(found: dict, sources: dict, text: str, named: str | None = None) -> tuple[str, str] | None:
    """The first candidate that reads as a title: the extractor's own candidates (best first), then the
    file's stated title, then the first title-like line of the text (of a text file cut into pages, one its
    extractor says may hold the title: ``title_page``). Before them all: a title field, the line the file's
    name repeats (``named``), a saved web page's title after its site's menus."""
    candidates: list[tuple[str, str]] = list(found.get("title_candidates") or [])
    stated = found.get("title")
    if stated:
        candidates.append((str(stated), sources.get("title", "text")))
    # The first lines, less running headers and footers, which label pages: "Interim report".
    # (A running header that repeats the cover's title, "Access to GP services in England", is still its title.)
    running = {fold(line) for line in found.get("running_lines") or [] if len(line.split()) <= 6
               and not (len(line.split()) >= 3 and is_title_like(line) and not bare_body(line))}
    # Lines a PDF prints smaller than its body text: a page header, a letterhead, a footer.
    running |= {fold(line) for line in found.get("small_lines") or []}
    top = text_lines(text, 8)
    top = top[:body_start(top)]
    # (not a running header that names the body over its record: "NORTHBRIDGE MATERNITY SERVICES INQUIRY" on every
    # page of a transcript, over "PUBLIC HEARING" on its cover)
    top = [line for n, line in enumerate(top) if fold(line) not in running or (
        n + 1 < len(top) and bare_body(line) and _MEETING_RECORD.match(top[n + 1]))]
    raw_page = found.get("title_page")
    title_page = fold(raw_page) if isinstance(raw_page, str) else None
    printed = with_wrapped_days([line.strip() for line in str(raw_page if isinstance(raw_page, str)
                                                               else found.get("printed_lines") or "").splitlines()])
    numbers = [int(m.group(1)) for line in [line for line in printed if line][:12]
               if (m := re.match(r"(\d{1,2})(?:\s\s|$)", line))]
    if len(numbers) >= 5 and numbers == list(range(1, len(numbers) + 1)):
        # A transcript's first page, its lines numbered in the margin ("1      IN THE SUPREME COURT …"), set
        # apart from them or alone on their lines (a contents list, "1 Introduction", keeps its numbers)
        printed = [re.sub(r"^\d{1,2}(?:\s+|$)", "", line) for line in printed]
        top = [re.sub(r"^\d{1,2}\s+", "", line) for line in top]
    if sum(bool(_GAP.search(line)) for line in printed[:15]) >= 3 or all(
            _GAP.search(line) for line in [line for line in printed if line][:2]):  # (or a masthead's two rows)
        # A page set out in columns (pdftotext -layout): the cells of a row, set apart by a wide gap, are lines of
        # their own ("Congressional Research Service      IN FOCUS"; the addressees beside the sender's address)
        cells = {" ".join(line.split()): _GAP.split(line) for line in printed if _GAP.search(line)
                 and len(_GAP.split(line)) <= 4 and all(1 <= len(cell.split()) <= 8 for cell in _GAP.split(line))}
        rows = {line: row for line, row in cells.items() if all(len(cell.split()) >= 2 for cell in row)}
        # (not two columns of prose, nor a table's words set apart: "Impact     of the     COVID-19 …")
        # Two such rows, one under the other, are two columns of two lines: "Sallowfield and Marlbeck" / "Area
        # Prescribing Committee" beside "NHS Sallowfield and Marlbeck" / "Integrated Care Board".
        pairs = [(" ".join(a.split()), " ".join(b.split())) for a, b in zip(printed, printed[1:], strict=False)]
        # (the second row's cells may be a word each: "Iechyd Cyhoeddus      Public Health" / "Cymru      Wales")
        rows = {**{f"{a} {b}": [f"{x} {y}" for x, y in zip(cells[a], cells[b], strict=True)] for a, b in pairs
                   if len(cells.get(a, ())) == len(cells.get(b, ())) == 2 and a in rows}, **rows}
        split: list[str] = []
        for line in top:  # a paragraph that starts with such a row: the row's cells, then the rest
            row = next((row for row in rows if line == row or line.startswith(row + " ")), None)
            split += [*rows[row], line[len(row):].strip()] if row else [line]
        top = [line for line in split if line and fold(line) not in running][:12]
    # the name under the NHS logo ("NHS" / "Cheshire and Merseyside"): whose document it is, not its title
    top = [line for n, line in enumerate(top) if not (n and top[n - 1] == "NHS" and len(line.split()) <= 8
                                                        and not DOCUMENT_WORD.search(line))]
    # the meeting a paper goes to, over the paper's own title and its cover sheet's fields ("Meeting of the Board of
    # NHS Cheshire and Merseyside 25 January 2024" / "Urgent and Emergency Care: Winter Plan …" / "Agenda Item No: …")
    top = without_meeting_over_paper(top, _MEETING_RECORD)
    if top and _MEETING_RECORD.match(top[0]):
        # the body printed over its record's first line, which the normaliser took out of the text as the header
        # every page repeats ("NORTHBRIDGE MATERNITY SERVICES INQUIRY" over "PUBLIC HEARING")
        at = next((n for n, line in enumerate(printed) if line and fold(top[0]).startswith(fold(line))), None)
        above = [line for line in printed[:at] if line][-3:] if at else []
        body = next((" ".join(line.split()) for line in reversed(above) if bare_body(" ".join(line.split()))), None)
        if body and fold(body) not in fold(top[0]):
            top = [body, *top]
    cut: list[str] = []
    top = list(top)
    for i, line in enumerate(top):
        if not line:
            continue
        head = printed_prefix(line, printed)
        if head == line:
            # (the body's name as printed on one line or two: "ASHCOMBE" / "BOROUGH COUNCIL")
            names = [p for p in printed if p] + [f"{a} {b}" for a, b in itertools.pairwise(printed) if a and b]
            leading = next((p for p in names if line.startswith(p + " ") and bare_body(p)), None)
            trailing = next((p for p in printed if p and line.endswith(" " + p) and bare_body(p)), None)
            if leading and only_names(line[len(leading):], kinds=True):
                continue  # "Health Information and Quality Authority" / "An tÚdarás Um Fhaisnéis …": a body's names
            motto = line[len(leading):].split() if leading else []
            if 1 <= len(motto) <= 4 and not re.search(r"\d", " ".join(motto)) and not DOCUMENT_WORD.search(" ".join(motto)) \
                    and not _MEETING_RECORD.match(" ".join(motto)) and not is_kind_only(" ".join(motto)):
                continue  # "Region of Peel" / "Working with you": a body's name and its motto
            if trailing and only_names(line[:-len(trailing)]) and not (
                    i + 1 < len(top) and _MEETING_RECORD.match(top[i + 1])):  # (the body over its record is kept)
                continue  # "HSE" / "Feidhmeannacht na Seirbhíse Sláinte" / "Health Service Executive": an identity
            if leading and _MEETING_RECORD.match(line[len(leading):].strip()):
                head = line = f"{leading}: {line[len(leading):].strip()}"  # "THORNMERE HOSPITAL INQUIRY" / "Transcript …"
        extended = printed_extension(head, printed)
        cut.append(extended)
        added = extended[len(head):].strip()
        if head == line and added and i + 1 < len(top) and (top[i + 1] + " ").startswith(added + " ") \
                and is_title_like(clean_title(head)):  # (not "Version 2.1" over "The Leeds Networked Data Lab:")
            # (the lines it goes on with, which the normaliser set apart: "ORDINARY MEETING" / "OF CITY STRATEGY
            # COMMITTEE AGENDA Time: …", are taken from the next)
            top[i + 1] = top[i + 1][len(added):].strip()
        if head != line and bare_body(head):  # "Health and Social Care Committee" / "Oral evidence: …": the rest
            rest = line[len(head):].strip()
            cut.append(printed_extension(printed_prefix(rest, printed), printed))
    top = cut
    made = _MADE_UNDER.search(" ".join(text[:1500].split()))
    if made:  # a notice's order under the act it is made under: "ROAD TRAFFIC REGULATION ACT 1984 THE … ORDER 2018"
        candidates.append((made.group(1), "text"))
    record = committee_record(printed)
    if record:  # an official report's or a transcript's cover: the committee and the day it met
        candidates.insert(0, (record, "text"))
    notice = gazette_notice(text)
    if notice:  # a gazette's issue carrying one notice: the notice's heading, under the act it is given under
        candidates.insert(0, (notice, "text"))
    if found.get("letter_subject"):
        candidates.append((str(found["letter_subject"]), "text"))
    if found.get("page_title"):
        candidates.insert(0, (str(found["page_title"]), "text"))
    if named:
        candidates.insert(0, (named, "text"))
    if found.get("title_field"):
        candidates.insert(0, (str(found["title_field"]), "text"))
    candidates += [(without_trailing_date(line), "text") for line in _title_lines(top, raw_page, title_page)]
    # A title the normaliser took out of the text as a running header, since every page repeats it ("Community
    # pharmacy in England"), when the cover prints it too: after the cover's lines, which come first.
    cover = [line for line in printed if line][:12]
    for line in found.get("running_lines") or []:
        at = next((n for n, printed_line in enumerate(cover) if fold(line) in (
            fold(printed_line), fold(" ".join(cover[n:n + 2])))), None)  # (or on two lines: "… Plan" / "2025")
        if at is not None and fold(line) not in running:
            # with the lines the cover goes on with it in lower case ("… and political" / "governance")
            lines = 1 if fold(line) == fold(cover[at]) else 2  # (the cover's lines it takes up)
            more = list(itertools.takewhile(lambda later: later[:1].islower(), cover[at + lines:at + lines + 2]))
            # before the lines the cover prints under it ("Building a better health service", a strapline)
            def place(value: str) -> int:  # where the cover prints a candidate's first line
                return next((n for n, printed_line in enumerate(cover) if printed_line
                             and fold(value).startswith(fold(printed_line))), len(cover))

            under = next((n for n, (value, where) in enumerate(candidates) if where == "text" and
                          at + 1 < place(str(value)) < len(cover)), len(candidates))
            if at == 0 or any(place(str(value)) <= at for value, where in candidates[:under] if where == "text"):
                under = len(candidates)  # a line the cover prints above it comes first (the first is a header)
            whole = " ".join([line, *more])
            part = next((n for n, (value, where) in enumerate(candidates) if where == "text"
                         and fold(whole).startswith(fold(str(value)) + " ") and place(str(value)) == at), None)
            if part is not None:  # the cover's first line of it, kept: "National Service Plan" (/ "2025")
                candidates[part] = (whole, "text")
                continue
            candidates.insert(under, (whole, "text"))
    sites = [found.get("site_name"), found.get("publisher")]
    sections = _masthead_sections(found.get("running_lines") or [])
    homepage = fold(text[:4000]).find("journal homepage")
    masthead = fold(text[:4000])[max(0, homepage - 160):homepage] if homepage >= 0 else ""
    candidates = [(value, where) for value, where in candidates
                  if not str(value).rstrip().endswith(":")  # "Ihr Zeichen:", "Our ref:": a field's label
                  and not str(value).lstrip().startswith(("•", "·"))  # a list's items: a site's menu
                  and fold(str(value)) not in sections
                  # a journal's name over its "journal homepage: …" line, in an article's masthead
                  and not (masthead and fold(str(value)) in masthead)]
    cleaned = [(without_authors(rejoined(clean_title(value, sites), text)), where) for value, where in candidates]
    # One word read from the text ("Framework", "Morning") is a heading or a label, not a document's title.
    usable = [(value, where) for value, where in cleaned if is_title_like(value)
              and (len(value.split()) >= 2 or where not in ("text", "pdf-outline") or value == found.get("page_title"))
              and not (where == "text" and (_lost_initial(value, text) or is_identity(value) or body_and_label(value)
                                            or logo_over_its_name(value, text)))]
    # (less the translation a bilingual cover prints under it, once a body's names in two languages are left out)
    usable = [(without_translated_title(value), where) for value, where in usable]
    if not usable:
        return None
    # A body's name alone ("NHS Leeds Integrated Care Board" over "Board Meeting Held in Public") says who wrote
    # the document, not what it is: the first candidate that names more than a body is its title.
    best = next((candidate for candidate in usable if not bare_body(candidate[0])), usable[0])
    if best is not usable[0] and meets_at(usable[0][0], top):
        best = usable[0]  # … unless it is a meeting's, over its day and hour: "Planning Committee" / "Tuesday, 8 …"
    if best is not usable[0]:  # … unless a line names both: "NHS Leeds Integrated Care Board: Board Meeting …"
        body = fold(usable[0][0])
        both = next((candidate for candidate in usable if fold(candidate[0]).startswith(body + " ")), None)
        rest = fold(both[0])[len(body) + 1:] if both else ""
        # (but a running header's "London Borough of Southwick – Homelessness … Strategy 2019–2024" is the cover's
        # title after its body's name, which the cover prints on its own lines, with its subtitle)
        best = next((candidate for candidate in usable if candidate is not both
                     and (fold(candidate[0]) + " ").startswith(rest + " ")), both) if both else best
    # A meeting's record under its body's name is that body's ("Holloway Vale Independent Inquiry" / "Preliminary
    # Hearing"): the candidate that joins them, when the top lines gave one.
    best = next((candidate for candidate in usable if candidate[0].endswith(": " + best[0])
                 and bare_body(candidate[0][:-len(best[0]) - 2])
                 and fold(candidate[0][:-len(best[0]) - 2]) not in fold(best[0])), best)
    # A running header's body and day ("Thornmere Hospital Inquiry      9 October 2024") over the cover that
    # names the body's record ("THORNMERE HOSPITAL INQUIRY" / "Transcript of public hearing"): the record.
    dated_body = before_date(best[0])
    if dated_body != best[0] and bare_body(dated_body):
        best = next((candidate for candidate in usable
                     if fold(candidate[0]).startswith(fold(dated_body) + " ") and candidate != best), best)
    if best[1] == "text" and sources.get("title") == "pdf-info" and stated and (
            over := info_title_above(clean_title(str(stated)), best[0], printed or text_lines(text, 15))):
        return over, "text"  # the file's own Title repeats a cover line above the one printed largest
    if best[1] == "text" and _GLUED.search(best[0]):
        # "2025/26 priorities and operationalNHS": a logo the cover sets beside the title, run into it; the file's
        # own title, when it starts as the cover's does
        start = fold(best[0]).split()[:3]
        best = next((candidate for candidate in usable if candidate[1] == "pdf-info"
                     and fold(candidate[0]).split()[:3] == start), best)
    if best[1] == "text":
        # A cover title that ran on into a heading: the file's own title says where it ends.
        for value, where in usable[1:]:
            if where in ("pdf-info", "pdf-outline") and len(value.split()) >= 3:
                head = fold(best[0])
                if head != fold(value) and head.startswith(fold(value) + " "):
                    return value, where
    if best[1] == "pdf-info":
        # The title as printed beats the same title as typed into a file's properties.
        words = set(_words(best[0]))
        for value, where in usable[1:4]:
            if where == "text" and words and len(words & set(_words(value))) >= 0.8 * len(words) \
                    and not _GLUED.search(value) and not fold(value).startswith(fold(best[0]) + " "):
                return value, where  # (not "… operationalNHS", a logo run in, nor the title run on into its authors)
    return best


def _title_lines(top: list[str], raw_page: str | None, title_page: str | None) -> list[str]:
    """The first lines of a text that may be its title, each with the lines it runs on into: words set one per
    line, a line ending in a connector or followed by one that starts with "for", "The Leeds" over the rest,
    a period under it; less a byline run on to it; never a line ending in a comma or after one, or a sentence."""
    found_lines: list[str] = []
    # six lines, past a cover's furniture (a kind of document, an address, a telephone number, a web address): a
    # policy directive's "Policy Directive" / ministry / "1 Reserve Road St Leonards NSW 2065" / "Telephone …"
    # stand over its title
    counted, window = 0, 0
    while window < min(len(top), 8) and counted < 6:
        line = top[window]
        counted += not (names_only_a_kind(line) or CONTACT.search(line) or ADDRESS.search(line) or URL.match(line))
        window += 1
    for i, line in enumerate(top[:window]):
        single = 0
        while i + single < len(top) and single < 4 and re.fullmatch(r"[^\W\d_][\w'’-]*", top[i + single]):
            single += 1  # "MANUAL" / "TRANSMITTAL": a cover's large words, one per line
        if single >= 2 and (i == 0 or len(top[i - 1].split()) > 1):
            line = " ".join(top[i:i + single])
        elif i + 1 < len(top) and line.split() and line.split()[-1].lower() in ENDS_ON and top[i + 1][:1].isupper():
            line = f"{line} {top[i + 1]}"  # "No Chips Without" / "Water Financial": one title on two lines
        elif i + 1 < len(top) and top[i + 1].split()[0] in STARTS_ON and not bare_body(line) and len(
                up_to_date(top[i + 1]).split()) <= (
                12 if _PERIOD_START.match(top[i + 1]) else 6):
            line = f"{line} {up_to_date(top[i + 1])}"  # "The Handbook to …" / "for England" (never "by Jane Smith")
        elif (i + 1 < len(top) and line.isupper() and len(line.split()) >= 4 and top[i + 1].split()[0] in ("AND", "OF")
              and len(top[i + 1].split()) <= 30 and ". " not in top[i + 1]):
            # "REPORT FROM THE COMMISSION TO THE EUROPEAN PARLIAMENT" / "AND THE COUNCIL on the operation of …"
            line = f"{line} {top[i + 1]}"
        elif i + 1 < len(top) and re.fullmatch(r"(?:The|THE|An?|AN?)\s+\S+", line) and top[i + 1][:1].isupper() \
                and (not isinstance(raw_page, str) or re.search(re.escape(line) + r"[ \t]*\n[ \t]*" + re.escape(
                    top[i + 1].split()[0]), raw_page)):
            line = f"{line} {top[i + 1]}"  # "The Leeds" / "Health and Wellbeing Strategy 2023 to 2030", one block
        elif i + 1 < len(top) and _MEETING_RECORD.match(top[i + 1]) and organisation_name(line) == line != "NHS" \
                and fold(line) not in fold(top[i + 1]) and not NAMED_RECORD.match(top[i + 1]) \
                and not names_its_own_meeting(top[i + 1], line):
            # (not over "Minutes of a meeting of the Health and Wellbeing Board", "Minutes of the Cabinet held on …":
            # a record that names what met)
            line = f"{without_other_language_names(line)}: {top[i + 1]}"  # "Leeds Health and Wellbeing Board" / "Minutes of the meeting held on …"
        elif i + 1 < len(top) and _PERIOD_LINE.fullmatch(top[i + 1]):
            line = f"{line} {top[i + 1]}"  # "Suffolk Libraries Annual Review" / "2012/13": the period it covers
        byline = re.search(r"\s+by\s+((?:[A-Z][\w.'’-]*\s*){2,4})$", line)
        if byline and not organisation_name(byline.group(1).strip()):
            line = line[:byline.start()]  # "Annual Review of Services by Jane Smith": a byline the text ran on
        # A line ending in a comma runs on, and the line after it is its rest: "MINISTER FOR INDUSTRY," /
        # "BUSINESS AND FINANCIAL" / "AFFAIRS", a letterhead set on narrow lines, not a title.
        cut = line.endswith(",") or (i > 0 and top[i - 1].endswith(","))
        # The first line may end with a full stop when it says what the document is, not what it does: "Long
        # term prediction intervals for … the New Hospital Programme."
        stop = line.endswith(".") and (i > 0 or FINITE.search(line) is not None)
        start = label.end() if (label := RECORD_LABEL.match(line)) else 0
        if line.startswith(("MINUTES ", "Minutes "), start) and NAMED_RECORD.match(line, start) \
                and len(clean_title(line).split()) <= 30:
            found_lines.append(line)  # a record's opening sentence, which says what met and when (cut to that)
        elif 2 <= len(line.split()) <= 40 and ". " not in line and not stop and not cut \
                and (title_page is None or fold(line) in title_page):
            found_lines.append(line)
    return found_lines


def is_identity(value: str) -> bool:
    """Whether a line is a body's name with the same name in another language after it ("Health Information and
    Quality Authority An tÚdarás Um Fhaisnéis agus Cáilíocht Sláinte"): an identity, not a title."""
    from kb.ingest.bilingual import other_language_spans, without_other_language_names

    if other_language_spans(value):  # "Carers Together Wales Gofalwyr Gyda'n Gilydd Cymru": its names in two languages
        english = without_other_language_names(value)  # (not "Adroddiad Blynyddol Annual Report 2023")
        return not re.search(r"\d", english) and all(word.lower() in ("for", "in")
                                                     for word in DOCUMENT_WORD.findall(english))
    words = value.split()
    return any(bare_body(" ".join(words[:n])) and only_names(rest := " ".join(words[n:])) and len(words) - n >= 2
               and re.search(r"[À-ÿĀ-ž]", rest) and not re.search(r"[\d–—-]", rest) for n in range(2, len(words)))


#: The gap between two columns of a page's text laid out as printed.
_GAP = re.compile(r"(?<=\S)\s{4,}(?=\S)")
#: A word and a logo's letters run together by a converter: "operationalNHS".
_GLUED = re.compile(r"[a-z]{3,}[A-Z]{2,}\b")


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
            sections |= {fold(part) for part in parts if part}
    return sections


#: A meeting's record, which a cover names under the body that met: "Minutes of the meeting held on 12 March
#: 2024", "OPEN BOARD MEETING MINUTES", "Agenda".
_MEETING_RECORD = re.compile(r"(?:[^\W\d_]+\s+){0,3}(?:minutes|agenda|meeting|papers|hearing|transcript|sitting)\b"
                             r"|day\s+\d{1,3}\b", re.I)
#: A line that is only the period a document covers ("2012/13", "2024–2028"), printed under its title.
#: "for the year ended 31 March 2024", "for the period April 2019 to March 2020": a report's period, whose
#: dates are when it began and ended, never when the report was published.
_PERIOD_START = re.compile(r"\b(?:for|during|covering|over)\s+the\s+(?:financial\s+|calendar\s+)?"
                           r"(?:year|period|quarter|months?|weeks?)\b", re.I)
_PERIOD_END = re.compile(r"\b(?:year|period|quarter|months?|weeks?)\s+(?:ended|ending|to)\s*$|\bto\s*$|\bas at\s*$",
                         re.I)
#: An instrument under the act it is made under, at a notice's start: "ROAD TRAFFIC REGULATION ACT 1984" / "THE
#: KESTREL COUNTY COUNCIL (VARIOUS ROADS) (PROHIBITION OF WAITING) ORDER 2014", "… Regulations 2009".
_MADE_UNDER = re.compile(r"(?i)^(?:[^\n]{0,120}?\s)?" + ACT_NAME.pattern + r"\s+((?:the\s+)?(?:[^.:;]|\.(?=\s*\d)){10,300}?"
                         r"\b(?:order|regulations|rules|scheme|byelaws?|directions?)\s+(?:19|20)\d\d)\b")
_PERIOD_LINE = re.compile(r"(?:19|20)\d\d\s*(?:[-–/]|to)\s*(?:19|20)?\d\d")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())
