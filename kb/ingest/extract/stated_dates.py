"""Dates a file states beside its text: the date fields of its properties (a PDF's CreationDate, an HTML page's
meta tags), the date its file name carries ("…-january-2025.pdf"), the year of its copyright line and of its
imprint ("Luxembourg: Publications Office of the European Union, 2017"). Each is weaker than a date the document
prints as its own; kb.ingest.metadata weighs them. Also the lines a date was wrapped across, joined again."""

from __future__ import annotations

import datetime as _dt
import re

from kb.ingest.extract.dates import _DAY, _MONTH, _REFERENCE, _RUNS_INTO_DATE, _YEAR, _to_partial, dates_in_line
from kb.models import PartialDate


def parse_meta_date(value: str) -> PartialDate | None:
    """A date from an HTML meta tag or similar machine-written field: ISO 8601 and common written forms."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.match(r"^((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?(?:$|[T\s])", value)
    if m:
        year, month, day = m.groups()
        text = year + (f"-{month}" if month else "") + (f"-{day}" if month and day else "")
        try:
            return PartialDate.parse(text)
        except ValueError:
            return None
    dates = dates_in_line(" ".join(value.split()))
    return dates[0][2] if dates else None


def parse_pdf_date(value: str) -> PartialDate | None:
    """A PDF date string ("D:20201120093000+00'00'") as a day-precision date, or None if malformed."""
    m = re.match(r"^\s*(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?", value or "")
    if not m:
        return None
    year, month, day = m.groups()
    try:
        if month and day:
            return PartialDate(_dt.date(int(year), int(month), int(day)).isoformat(), "day")
        if month:
            return PartialDate.parse(f"{year}-{month}")
        return PartialDate(year, "year")
    except ValueError:
        return None


#: A date in a file's name: "…-january-2025", "2025-01-…", "20250923-…", "…_23-09-2025".
_NAME_DATES = [
    # Before month-year, so "…-23-september-2025" keeps its day; "v2-march-2025", "issue-2-march-2025" and
    # "top-10-june-2024" number something else: a day after a word is two digits or an ordinal, not after a label.
    re.compile(r"(?:^|(?<![^\W_])(?<!issue[-_ ])(?<!phase[-_ ])(?<!part[-_ ])(?<!item[-_ ])(?<!top[-_ ])"
               r"(?<!section[-_ ])(?<!version[-_ ])(?<!no[-_ ])(?=\d\d|\d(?:st|nd|rd|th)))"
               + _DAY + r"[-_ ]+" + _MONTH + r"[-_ ]+" + _YEAR + r"(?!\d)", re.I),
    re.compile(r"(?<![a-z])" + _MONTH + r"[-_ ]*" + _YEAR + r"(?!\d)", re.I),  # "…-jan-2025", "…-Feb2025"
    re.compile(r"(?<!\d)" + _YEAR + r"[-_]?(?P<mnum>0[1-9]|1[0-2])[-_]?(?P<day>[0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<day>[0-3]\d)[-_.](?P<mnum>0[1-9]|1[0-2])[-_.]" + _YEAR + r"(?!\d)"),
    re.compile(r"(?<!\d)" + _YEAR + r"[-_](?P<mnum>0[1-9]|1[0-2])(?![\d])"),
]


def date_in_file_name(name: str) -> PartialDate | None:
    """The date a file's name carries (a last resort, shown as read from the file name), or None."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for pattern in _NAME_DATES:
        m = pattern.search(stem)
        if m:
            if m.groupdict().get("mnum") and m.groupdict().get("day") is None and int(m["mnum"]) == (int(m["year"]) + 1) % 100:
                continue  # "annual-report-2011-12": a financial year, not December
            date = _to_partial(m)
            if date is not None:
                return date
    return None


_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.I)
_COPYRIGHT_YEAR = re.compile(r"(?<![\d/.–-])((?:19|20)\d\d)(?!\s*[-–/]\s*\d)(?![\d/]|\.\d)")


def copyright_year(text: str) -> tuple[PartialDate, str] | None:
    """The year of a document's copyright line ("© Crown copyright 2019", "© WHO African Region, 2024",
    "Copyright © 2016 Cancer Council Australia") on its first or last pages, with the line: when the document
    prints no date of its own, the year it claims copyright for is its year. Only one year, read from short
    lines that start with the mark: never a range ("© 2012–2024"), a cited act ("Copyright, Designs and
    Patents Act 1988") or a sentence about copyright."""
    years: dict[str, str] = {}
    for part in (text[:8000], text[-6000:]):
        for line in part.splitlines():
            line = " ".join(line.split())
            if not _COPYRIGHT_LINE.match(line) or len(line.split()) > 16:
                continue
            if re.search(r"\b(?:act|acts|regulations?|order|directive|convention)\b", line, re.I):
                continue  # "Copyright, Designs and Patents Act 1988", "Copyright Act, 1957": a law's year
            m = _COPYRIGHT_YEAR.search(line)
            if m and not re.search(r"\d\s*[-–/]\s*$", line[:m.start()]):  # the end of a range, "© 2012 - 2024"
                years.setdefault(m.group(1), line)  # the first year: "© Queen's Printer, 2012. Revised 2019"
    if len(years) != 1:
        return None
    year, line = next(iter(years.items()))
    return PartialDate(year, "year"), line


#: A publication's imprint, where and by whom and when: "Luxembourg: Publications Office of the European Union, 2017",
#: "Paris: OECD Publishing, 2020", "Washington, DC: The National Academies Press, 2019".
_IMPRINT = re.compile(r"(?m)^[ \t]*[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?:,\s+[A-Z]{2}|,\s+D\.?C\.?)?:\s+((?:The\s+)?[A-Z][^,:\n]{2,80}),"
                      r"\s+((?:19|20)\d\d)\.?[ \t]*$")


def imprint_year(text: str) -> tuple[PartialDate, str] | None:
    """The year of a publication's imprint on its first or last pages ("Luxembourg: Publications Office of the
    European Union, 2017"), with the line: when it prints no date of its own, the year its publisher put it out."""
    from kb.ingest.orgnames import organisation_name

    for part in (text[:8000], text[-6000:]):
        for m in _IMPRINT.finditer(part):
            above = part[:m.start()].rstrip("\n ").rsplit("\n", 1)[-1]
            if re.search(r"(?im)^\W*(?:references|bibliography|notes|endnotes|sources|further reading)\b",
                         part[:m.start()]) or (len(above.split()) > 8 and not re.search(r"\n[ \t]*\n[ \t]*$",
                                                                                         part[:m.start()])):
                continue  # a reference's imprint, in a list or wrapped from the line above ("London: HMSO, 1998.")
            if organisation_name(m.group(1).removeprefix("The ")):
                return PartialDate(m.group(2), "year"), " ".join(m.group(0).split())
    return None


def with_wrapped_days(lines: list[str]) -> list[str]:
    """Lines with a day wrapped from its month joined to it ("Public Board Meeting – Tuesday 4" / "March 2025"), and
    a range of years wrapped after its dash ("Our Strategy 2022–" / "2027")."""
    joined: list[str] = []
    for line in lines:
        if joined and line and _WRAPPED_DAY.search(joined[-1]) and _MONTH_START.match(line):
            joined[-1] += " " + line
        elif joined and line and _OPEN_RANGE.search(joined[-1]) and re.match(r"(?:19|20)?\d\d\b", line):
            joined[-1] += line  # "Our Strategy 2022–" / "2027"
        else:
            joined.append(line)
    return joined


_OPEN_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[–-]$")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WRAPPED_DAY = re.compile(r"\b" + _WEEKDAY + r",?\s+\d{1,2}(?:st|nd|rd|th)?$")
_MONTH_START = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                          r",?\s+(?:19|20)\d\d\b")


#: What a printed day starts with before its date: its weekday ("Tuesday 15 November 2022"), "the", and the first
#: of two days ("3 and 4 June 2024").
_DAY_LEAD = re.compile(r"(?:" + _WEEKDAY + r",?\s+)?(?:the\s+)?"
                       r"(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:and|&|-|–|to)\s*)?$")


def printed_day(text: str, start: int, end: int) -> str:
    """The day the date at ``text[start:end]`` names, as printed, with the words before it that belong to it."""
    lead = _DAY_LEAD.search(text[:start])
    return text[lead.start() if lead else start:end]


def find_signature_date(text: str, ends: int | None = None) -> PartialDate | None:
    """The date a letter or a submission is signed with: the one day-precision date that stands alone on a
    line anywhere in the text ("28 February 2018" above the references), or with ``ends``, within that many
    characters of its start or end (a text export without pages; the lines before still say whether a date
    is a reference's). None when there is none, or several different ones (then they are dates of something
    else: a table, a timeline)."""
    found: set[str] = set()
    before = ""
    at = 0
    for raw_line in text.splitlines():
        line = raw_line.strip(" \t|–—-•,.:()[]")
        at += len(raw_line) + 1
        if ends is not None and ends < at - len(raw_line) - 1 and at < len(text) - ends:
            before = line or before
            continue
        if not line or len(line) > 40 or not line[:1].isalnum() or _RUNS_INTO_DATE.search(before) \
                or _REFERENCE.search(before):
            before = line or before
            continue  # "… accessed" / "19 September 2023.": a reference's date, wrapped onto a line of its own
        before = line
        line = re.sub(r"(?i)^dated\s*(?::|this\b)?\s*", "", line)  # "Dated: 12 April 2018" over who signed a notice,
        line = re.sub(r"(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+day\s+of\s+", r"\1 ", line)  # "Dated this 3rd day of April 2014"
        dates = dates_in_line(line)
        if len(dates) == 1 and dates[0][0] == 0 and dates[0][1] == len(line) and dates[0][2].precision == "day":
            found.add(dates[0][2].value)
            if len(found) > 1:
                return None
    return PartialDate(found.pop(), "day") if found else None


#: An office its holder signs a foreword or an introduction with: "HM Chief Inspector of Prisons", "Chief Executive".
_SIGNING_OFFICE = re.compile(r"(?i)\b(?:chief\s+(?:inspector|executive|officer)|chair(?:man|woman|person)?|director|"
                             r"commissioner|minister|secretary|ombudsman|auditor[\s-]general|comptroller|president|"
                             r"mayor|chief\s+constable|registrar|inspector)\b")


def foreword_signature_date(pages: list[str] | tuple[str, ...]) -> tuple[PartialDate, str] | None:
    """The date under the signature of a foreword or an introduction in the first pages: a person's name, the office
    they hold, then the date alone ("Richard Pennock" / "HM Chief Inspector of Prisons" / "September 2019"), the
    one a report without a dated cover is published with. None when the first pages sign with different dates."""
    found: dict[str, tuple[PartialDate, str]] = {}
    for page in pages[:6]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for name, office, line in zip(lines, lines[1:], lines[2:], strict=False):
            dates = dates_in_line(line.strip(" ."))
            if not (len(dates) == 1 and dates[0][0] == 0 and dates[0][1] >= len(line.strip(" .")) - 1):
                continue
            if len(office) <= 80 and _SIGNING_OFFICE.search(office) and re.fullmatch(
                    r"(?:(?:Dr|Sir|Dame|Professor|Prof|Mr|Mrs|Ms|Cllr)\.?\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
                    r"(?:\s+(?:[A-Z]{2,5}\s*)+)?", name):
                found.setdefault(dates[0][2].value, (dates[0][2], f"{name} / {office} / {line}"))
    return next(iter(found.values())) if len(found) == 1 else None
