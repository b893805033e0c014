"""Publication dates: written in a document's text, or given by HTML meta tags and PDF info dictionaries.

A date is only taken from the text when it is *presented* as the document's date: after a label such as
"Published" or "Last updated", or standing alone on a short line near the top. Dates inside sentences
("views by Friday 8 January 2021", "in place by April 2022") are about something else and are ignored.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from kb.models import PartialDate

#: How far into a document the date finder looks (publication dates sit at the top).
SEARCH_WINDOW = 1500

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# The same months in the languages of the European documents kb reads (French, German, Dutch, Spanish,
# Portuguese, Italian), so that "20 juin 2023" or "27. November 2025" is a date and not a sentence's words.
for _number, _names in enumerate(
    [
        "janvier januar januari enero janeiro gennaio",
        "février fevrier februar februari febrero fevereiro febbraio",
        "mars märz maart marzo março marco",
        "avril abril aprile",
        "mai mei mayo maio maggio",
        "juin juni junio junho giugno",
        "juillet juli julio julho luglio",
        "août aout augustus agosto",
        "septembre septiembre setembro settembre",
        "octobre oktober octubre outubro ottobre",
        "novembre noviembre novembro",
        "décembre decembre dezember diciembre dezembro dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
_OF = r"(?:of|de|del)"

# Each pattern matches one written date; the order is the order of preference within one position.
_DATE_PATTERNS = [
    re.compile(_WEEKDAY + r"\b" + _DAY + r"\s+(?:" + _OF + r"\s+)?" + _MONTH + r",?\s+(?:" + _OF + r"\s+)?" + _YEAR
               + r"\b", re.I),  # 17 May 2022, 20 juin 2023, 4 de octubre de 2022
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),  # May 17, 2022
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2022-05-17
    re.compile(r"\b(?P<day>[0-3]?\d)/(?P<mnum>[01]?\d)/" + _YEAR + r"\b"),  # 17/05/2022 (UK order)
    re.compile(r"\b(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/" + _YEAR + r"\b"),  # 2/20/2025: only when no UK date fits
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\." + _YEAR + r"(?![\d]|\.\d)"),  # 27.11.2025
    re.compile(r"(?<![\d-])(?P<day>[0-3]?\d)-(?P<mnum>[01]?\d)-" + _YEAR + r"(?![\d-])"),  # 30-09-2025
    re.compile(_WEEKDAY + r"(?<![\d-])" + _DAY + r"-" + _MONTH + r"-" + _YEAR + r"\b", re.I),  # 02-Apr-2025
    re.compile(r"\b" + _MONTH + r",?\s+(?:" + _OF + r"\s+|[-–—]\s+)?" + _YEAR + r"\b", re.I),  # May 2022, juin 2023
    # A converter that drops the spaces of a cover's large type: "January2023", "12March2024" (full English
    # month names in title case or capitals only: "mar2023" is a code).
    re.compile(r"(?<![^\s(])(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?)?(?P<month>(?:January|February|March|April|May|"
               r"June|July|August|September|October|November|December)|(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|"
               r"AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))" + _YEAR + r"(?=[\s),;:]|\.(?:\s|$)|$)"),
]
#: A month written as an ISO year and month on a line of its own ("2004-08" under an edition number); inside a
#: line "2011-12" is as often a financial year, so it is read only alone.
#: A season and its year alone on a line, as a cover prints its date: "Spring 2016" (its year; not "Winter 2024/25").
_SEASON_LINE = re.compile(r"\s*(?:Spring|Summer|Autumn|Fall|Winter)\s+((?:19|20)\d\d)\s*")
_ISO_MONTH_LINE = re.compile(r"^" + _YEAR + r"-(?P<mnum>0[1-9]|1[0-2])$")

_LABEL = re.compile(
    r"\b(?:(?:first\s+|originally\s+)?published(?:\s+online)?(?:\s+on)?|^\s*(?-i:Published)\s+in|(?:last\s+)?updated(?:\s+on)?|last\s+reviewed"
    r"|date(?:\s+of\s+(?:publication|issue))?|issue\s+date|dated|date\s+modified|issued|released|posted(?:\s+on)?|(?:this|current|latest)\s+edition|revised"
    r"|reprinted|(?:this\s+page\s+was\s+)?last\s+edited\s+on|first\s+published\s+as\s+\S+\s+on"  # BMJ's "first published as 10.1136/bmjopen-… on …"
    r"|^\s*(?-i:Published)\s+by\s+(?:the\s+)?[A-Z][^,;:.()]{2,80}?(?:\s*\([^()]{2,60}\))?,?\s*(?:in\s+|on\s+)?"  # an imprint's
    r"|version\s+date|version\s+\d+(?:\.\d+)*\s*,|date\s+of\s+(?:the\s+)?(?:meeting|report|paper)|streamed\s+live\s+on|premiered(?:\s+on)?|recorded\s+on"  # a video's page
    # a House's paper: "Ordered by the House of Commons to be printed 18 June 2025", "HC 745 SESSION 2024–25 28 MAY
    # 2025" on an NAO report's cover
    r"|ordered\s+(?:by\s+the\s+house\s+of\s+(?:commons|lords)\s+)?to\s+be\s+printed(?:\s+on)?"
    r"|^\s*(?-i:Minutes|MINUTES)\s+of\s+.{3,150}?\bheld(?:\s+on)?"  # "Minutes of the meeting of … held on"
    r"|\b(?:HC|HL)\s+\d+\s+session\s+(?:19|20)\d\d\s*[–-]\s*\d\d(?:\d\d)?|^\s*session\s+(?:19|20)\d\d\s*[–-]\s*\d\d(?:\d\d)?)"
    r"\s*[:\-–—|]?\s*$",
    re.I,
)
#: A table's cell that is a field's name: "Publication date", "Date approved:", "Review date".
_FIELD_CELL = re.compile(r"[*_]*[A-Z][\w ]{2,30}?[*_]*:?", re.I)
#: A meeting's hours after its day: ", 10:00 – 13:00", " at 9:30am".
_MEETING_HOURS = re.compile(r"^\s*[,–—-]?\s*(?:at\s+|from\s+)?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?"
                            r"(?:\s*(?:[-–—]|to)\s*\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?)?", re.I)
#: A web page's own dates, not its document's: "Page updated: 11 February 2025", "Page last reviewed: …".
#: A verb after a date that makes the date another document's: "… published on 9 January 2025 showed that".
_REPORTED = re.compile(r"\s*,?\s*(?:show(?:s|ed)?|found|finds|reveal(?:s|ed)?|suggest(?:s|ed)|confirm(?:s|ed)|"
                       r"indicat(?:es|ed)|report(?:s|ed)|set(?:s)?\s+out|warn(?:s|ed))\b", re.I)
#: A cover sheet's date of the meeting a paper goes to, and the paper's own: "Date of meeting:", "Report date:".
_MEETING_LABEL = re.compile(r"\b(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date)\b", re.I)
_PAPER_LABEL = re.compile(r"\b(?:(?:report|paper)\s+date|date\s+of\s+(?:the\s+)?(?:report|paper))\b|^\s*date\s*:?\s*$", re.I)
_APPROVED_LABEL = re.compile(r"\b(?:date\s+)?approved\b|\bapproval\s+date\b|\bdate\s+of\s+approval\b", re.I)
_ISSUED_LABEL = re.compile(r"\b(?:date\s+of\s+issue|issue\s+date|date\s+issued|issued|date\s+of\s+publication|"
                           r"publication\s+date|published)\b", re.I)
_PAGE_LABEL = re.compile(r"\bpage\s+(?:last\s+)?(?:updated|reviewed|modified)\b", re.I)
#: A link to a file, with its format and size: "PDF 214 KB", "(DOCX, 1.2MB)".
_FILE_LINK = re.compile(r"\b(?:PDF|DOCX?|XLSX?|PPTX?|ODT|CSV)\b[\s,]*\d+(?:\.\d+)?\s*[KM]B\b", re.I)
#: A verb after a date that makes its line a sentence about the meeting: "… held on 4 July 2024 were approved".
_FINITE_AFTER = re.compile(r"\b(?:was|were|is|are|has|have|had)\b", re.I)
#: A meeting's record says when the meeting sat at the start of a line: "Held on Thursday 5 September 2024 at
#: 9:30am, in …" (not "… the minutes of the meeting held on 4 July were approved", a sentence, nor an agenda's
#: item "Minutes of the meeting held on 28 November 2024", the last meeting's).
_HELD_ON = re.compile(r"(?:meeting\s+)?held\s+on\s*", re.I)
# Words that, just before a date, show it is about something else (deadlines, plans, history).
_CONTEXT_WORDS = re.compile(
    r"\b(?:by|from|until|till|before|after|since|in|on|to|during|between|and|of|at|for|than|until|through"
    r"|starting|ending|ended|due|deadline|expected|end|early|late|mid)\s*$",
    re.I,
)

#: Words before a date on its line that make it the date of another event than this document's publication:
#: "Review date: March 2026", "Date of next review", "Next meeting: 12 May 2023", "Closing date", "Expires".
_OTHER_EVENT = re.compile(
    r"\b(?:next|review|revision\s+date|expiry|expiration|expires?|deadline|due|closing|closes|closed|close|valid|effective|"
    r"commencement|planned|"
    r"renewal|submissions?|responses?|consultation\s+(?:closes|ends)|start|end|implementation|"
    r"received|accepted|submitted)\b[^.]{0,30}$",  # a journal's "Received: … Accepted: …"
    re.I,
)

#: A line this short (in words, besides the date) may be a date line ("Briefing | November 2020").
_SHORT_LINE_WORDS = 6
#: The place (and the day of the week) a news release's dateline prints before its date, at its first paragraph.
_RELEASE = re.compile(r"(?i)\b(?:press|news|media)\s+release\b|\bfor\s+immediate\s+release\b")
_NEWS_DATELINE = re.compile(r"\s*[A-Z][A-Za-z.'’ -]{1,30},\s*(?:(?i:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?")
#: What a news release's dateline prints after its date: the hour, then who issued it.
_DATELINE = re.compile(r"\s*(?:\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?\s?[Mm]\.?)?)?\s*\|\s*[A-Z][^|]{2,60}")


def _to_partial(match: re.Match) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTHS[groups["month"].lower().rstrip(".")]
    else:
        month = int(groups["mnum"])
    day = groups.get("day")
    try:
        if day is None:
            _dt.date(year, month, 1)
            return PartialDate(f"{year:04d}-{month:02d}", "month")
        value = _dt.date(year, month, int(day))
    except ValueError:
        return None
    return PartialDate(value.isoformat(), "day")


def dates_in_line(line: str) -> list[tuple[int, int, PartialDate]]:
    """All non-overlapping dates in a line as (start, end, date), preferring the most precise form."""
    found: list[tuple[int, int, PartialDate | None]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(line):
            same = [(s, e, d) for s, e, d in found if (s, e) == m.span() and d is None]
            if same and (date := _to_partial(m)) is not None:
                found[found.index(same[0])] = (m.start(), m.end(), date)  # "12/13/2025": no UK date, an American one
                continue
            if any(m.start() < e and s < m.end() for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), _to_partial(m)))  # None: impossible, and blocks weaker forms
    return sorted(((s, e, d) for s, e, d in found if d is not None), key=lambda item: item[0])


def trailing_date(line: str) -> tuple[int, PartialDate] | None:
    """Where the date a line ends with starts, and the date ("NDL Leeds, NHS West Yorkshire ICB 2023-01-24",
    "… for England January 2019"); None when the line does not end with one, or is only a date."""
    dated = dates_in_line(line)
    if dated and dated[-1][0] > 0 and dated[-1][1] >= len(line.rstrip(" .,")):
        return dated[-1][0], dated[-1][2]
    return None


def find_date_in_text(text: str) -> PartialDate | None:
    """The publication date written near the top of ``text`` (see ``find_dated_line``), or None."""
    found = find_dated_line(text)
    return found[0] if found else None


def find_dated_line(text: str, labelled_only: bool = False) -> tuple[PartialDate, str] | None:
    """The publication date written near the top of ``text``, or None when none is presented as one.

    Preference: a labelled date ("Last updated: 17 May 2022"; of several, the latest: an edition's date
    beats the first edition's) over a line that is only a date
    ("20 November 2020") over a short line holding a date ("Briefing | November 2020"); the first of the
    best kind wins. Day precision beats month precision only within the same kind.
    """
    best: tuple[int, int, PartialDate] | None = None  # (rank, position, date); lower is better
    best_line = best_label = ""
    source = text if labelled_only else text[:SEARCH_WINDOW]
    cells = list(_cells(source))
    for index, (line, above, offset, solo) in enumerate(cells):
        below = cells[index + 1][0] if index + 1 < len(cells) else ""
        found = dates_in_line(line)
        iso_month = _ISO_MONTH_LINE.match(line)
        if iso_month and not found:
            found = [(0, len(line), PartialDate(line, "month"))]
        season = _SEASON_LINE.fullmatch(line)
        if season and not found:  # "Spring 2016" alone on a cover: its year
            found = [(0, len(line), PartialDate(season.group(1), "year"))]
        if len(found) >= 2 and any(re.fullmatch(r"\s*(?:to|until|till|through|and|[-–—])\s*", line[e1:s2], re.I)
                                   for (_s1, e1, _d1), (s2, _e2, _d2) in zip(found, found[1:], strict=False)):
            found = []  # "1 April 2022 to 31 March 2023": a reporting period, not the day it was published
        for start, end, date in found:
            before, after = line[:start], line[end:]
            # a masthead's parts set apart ("Prescribing bulletin for primary care clinicians | Issue 42 | February
            # 2025"): the date's own part is as long as its line, when the part before it names no field
            # (or by slashes, with the issue's volume: "Federal Register / Vol. 90, No. 48 / Thursday, March 13,
            # 2025 / Notices")
            bar = " / " if line.count(" / ") >= 2 and re.search(r"\bVol(?:ume)?\.?\s*\d", before) else " | "
            part_before, part_after = before.rpartition(bar)[2], after.partition(bar)[0]
            listed = re.match(r"\s*[•▪●◦·*-]\s", before)
            masthead = False
            if not before.strip() and _DATELINE.fullmatch(after) and len(after.split()) <= 10:
                masthead, part_after = True, ""  # a dateline: "March 12, 2025 9:30 A.M. | Ministry of Health"
            elif bar in before and not part_before.strip():
                field = before.rstrip(" |/").rpartition(bar)[2].strip()
                if len(field.split()) <= 5 and _EVENT_FIELD.search(field) and not _LABEL.search(field + " "):
                    continue  # "Consultation opens | 3 February 2025": another event's field
                masthead = True  # "… | Issue 42 | February 2025", "Policy briefing | 28 November 2024"
            if re.search(r"(?<![:.\d])\b\d{1,2}(?:st|nd|rd|th)?\s*(?:[-–—]|to)\s*$", before):
                continue  # "3–14 June 2019": the days a visit or an event took, not a document's date
            if re.search(r"\b\d{1,2}:\d\d\s*[-–—]\s*$", before):
                continue  # "7:48 - 6-DEC-2007": the time a proof was printed
            if _OTHER_EVENT.search(before):
                continue  # "Review date: March 2026", "Next meeting: 12 May 2023": another event's date
            if re.match(r"\s*(?:Ref|Our\s+ref|Your\s+ref|Reference)\b\.?", before, re.I):
                continue  # "Ref. Ares(2025)10452387 - 28/11/2025": a registry's stamp, the day it was received
            if _FILE_LINK.search(after):
                continue  # "Minutes, 15/01/2025 PDF 214 KB": a link to another document, with its size
            if after.lstrip().startswith(")"):
                continue  # "… NICE CKS (revised" / "May 2024); …": a date in brackets begun above, a source's
            cell_alone = not before.strip(" |–—-•,.:()[]") and not _MEETING_HOURS.sub("", after).strip(" |–—-•,.:()[]")
            # (a table's cell is alone on its line only when its row holds nothing else: a column of dates is not)
            alone = solo and cell_alone
            if cell_alone and len(above.split()) <= 4 and _OTHER_EVENT.search(above):
                continue  # "Review date" / "October 2026": a field's name over its value
            if cell_alone and len(above.split()) <= 6 and _VISIT_FIELD.search(above) and not dates_in_line(above):
                continue  # "Date of visit" / "23 October 2024": a visit's field over its value
            if _VISIT_FIELD.search(before) and not _LABEL.search(before):
                continue  # "Fieldwork Dates: 22nd - 29th May 2018", "Date of inspection visit: 3 December 2024"
            if cell_alone and len(below.split()) <= 6 and _VISIT_FIELD.search(below) and not _LABEL.search(below + " ") \
                    and not dates_in_line(below):
                continue  # "23 October 2024, 10.00 am" / "Date and time of visit": a converter puts the name under
            if cell_alone and len(above.split()) <= 4 and _LABEL.search(above.strip(" :|*_")) and (solo or not re.fullmatch(
                    r"dates?", above.strip(" :|"), re.I)):  # (a table's column "Date" over a version's row is not)
                before = above + " "  # "Date approved" / "15 October 2024", "Published" / "3 May 2023"
            # "Held on …" starts a meeting's record (not "… the meeting" / "held on 4 July were approved"); so does
            # a heading's last line "held on Tuesday, 8 October 2024 at 6.00 pm", with the hours it sat
            hours = _MEETING_HOURS.match(after)
            label = _LABEL.search(before) or (_HELD_ON.fullmatch(before) if (
                before[:1].isupper() or (hours and not after[hours.end():].strip(" .,")))
                and not _FINITE_AFTER.search(after) else None)
            if label and re.match(r"\s*minutes\s+of\b", before, re.I) and (
                    offset > 600 or _FINITE_AFTER.search(after) or re.search(r"(?im)^\W*agenda\b", text[:offset])
                    or sum(1 for earlier in text[:offset].splitlines() if earlier.strip()) > 5
                    or dates_in_line(" ".join(text[:offset].split()))):  # (a pack dated before it lists minutes)
                continue  # "Minutes of the meeting held on 7 January 2025" (were approved): an item, not the record
            if label and _cites(before[: label.start()]) and not _field_label(before, label):
                continue  # "follows NICE guideline NG133 (published 25 June 2019)": another document's date
            prior = re.sub(r"^\s*\d{1,2}\s{2,}", "", source[:max(source.rfind("\n", 0, offset), 0)].rstrip()
                           .rpartition("\n")[2]) if label else ""  # (the line above, less its number in the margin)
            if label and len(prior.split()) >= 8 and re.search(r"\b(?:the|a|an|to|of|for|in|on|at|by|from|with)$",
                                                               prior.strip()) and len(re.findall(r"\w+", before[: label.start()])) <= 4:
                continue  # "… you have provided a witness statement to the" / "Inquiry dated 4 December 2023.": a
                # sentence wrapped onto the line, about another document
            if label and _in_a_sentence(before[: label.start()], after):
                continue  # "… data published on 9 January 2025 showed that …": a date a sentence gives another document
            if label:
                rank = 0
                if best is not None and best[0] == 0 and date.value > best[2].value and not _PAGE_LABEL.search(before):
                    # "First published May 2006. This edition July 2016": the latest edition is this one (not a
                    # web page's "Page updated: …", a change to the page that carries the document)
                    best, best_line, best_label = (0, best[1], date), line, before
                    continue
                if best is not None and best[0] == 0 and _PAGE_LABEL.search(best_label + " " + best_line) \
                        and not _PAGE_LABEL.search(before):
                    best, best_line, best_label = (0, best[1], date), line, before  # the document's own date
                    continue
                if best is not None and best[0] == 0 and _APPROVED_LABEL.search(best_label) and _ISSUED_LABEL.search(before) \
                        and offset + start - best[1] < 600:
                    # "Date approved" / "11/09/2023" then "Date of issue" / "20/09/2023": a document control table's
                    # approval comes before the day the document was issued, which is its date
                    best, best_line, best_label = (0, best[1], date), line, before
                    continue
                if best is not None and best[0] == 0 and _MEETING_LABEL.search(best_label) and _PAPER_LABEL.search(before) \
                        and offset + start - best[1] < 400 and not re.search(r"\bminutes\b", text[:offset], re.I):
                    # (both fields of one paper's cover sheet; in minutes, a report's date is an item's)
                    # "Date of meeting: 12 March 2026" / "Report date: 2 March 2026": a paper's own date
                    best, best_line, best_label = (0, best[1], date), line, before
                    continue
            elif above and re.match(r"Held\b.*\bon$", above.strip()) and not before.strip(" ,"):
                rank = 0  # "Held in the Council Chamber, … on" / "Tuesday, 11 March 2025 at 10.00 am"
            elif above and _RUNS_INTO_DATE.search(above) and len(above.split()) >= 3:
                continue  # "… rose from 41,000 in" / "March 2020 to almost 61,000": a sentence's date, wrapped
            elif alone and re.search(r"\b(?:received|revised|form|accepted|published|updated|issued|dated|on|by|until|"
                                     r"before|after|from)\s+\d{1,2}$", above, re.I) and re.match(r"\s*[^\W\d_]", line):
                continue  # "Received in revised form 20" / "December 2024", "… may be sent to … by 31" / "August
                # 2018.": a date wrapped onto the next line
            elif alone and above.rstrip().endswith(",") and len(above.split()) >= 4:
                continue  # "- Webinar recording: Capacity reporting for critical access hospitals," / "February
                # 19, 2025": an item of a list, wrapped onto the next line
            elif alone and date.precision == "month" and start == 0 and (
                    day := re.search(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(\d{1,2})(?:st|nd|rd|th)?$",
                                     above.rstrip(), re.I)):
                # "Public Board Meeting – Tuesday 4" / "March 2025": a day wrapped from its month
                try:
                    date = PartialDate(_dt.date.fromisoformat(f"{date.value}-{int(day.group(1)):02d}").isoformat(),
                                       "day")
                except ValueError:
                    continue
                rank = 1
            elif _NEWS_DATELINE.fullmatch(before) and re.match(r"\s*[–—:-]\s+[A-Z]", after) and offset + start < 3000 \
                    and len(after.split()) >= 12 and _RELEASE.search(text[:1500]):
                rank = 1  # a news release's dateline: "Abuja, Monday, 26th April, 2021 – The Commission has urged …"
            elif alone:
                rank = 1  # a date alone, or a meeting's day with its hours ("Thursday 5 June 2025, 10:00 – 13:00")
            elif (
                not listed  # "• MHRA Drug Safety Update – January 2025": an item of a list, dated as the item is
                and len(re.findall(r"\w+", part_after if masthead else before + " " + after)) <= _SHORT_LINE_WORDS
                # ("Briefing · 28 November 2024 · 6 minute read", "Prescribing bulletin | Issue 42 | February 2025")
                and not _CONTEXT_WORDS.search(before)
                and not re.search(r"(?:\b[a-z]{2,}|\d{4}|\))[.!?]\s", (before + line[start:end] + after.partition(bar)[0])
                                  if masthead else line)  # a sentence's end, not "Vol. 74 / No. 10"
            ):
                rank = 2
            else:
                continue
            if rank == 2 and date.precision == "month":
                rank = 3
            if labelled_only and rank:
                continue
            candidate = (rank, offset + start, date)
            if best is None or candidate[:2] < best[:2]:
                best, best_line, best_label = candidate, line, before
    return (best[2], best_line) if best else None


def _cells(text: str) -> Iterator[tuple[str, str, int, bool]]:
    """Each line of ``text`` as (text, the text above it, offset, alone on its line); a line laid out in columns (pdftotext
    -layout: "KF3 7QP            Date of publication:") as one cell per column, each under the cell above it in
    its column, so a field's name over its value is read as one ("Date of publication:" / "3 October 2024")."""
    above_at: dict[int, str] = {}  # where a column starts -> its last cell, as a field's name may head it
    offset = 0
    for raw in text.splitlines(keepends=True):
        left = ""
        cells = list(re.finditer(r"\S+(?: {1,2}\S+)*", raw))
        for m in cells:
            cell = " ".join(m.group(0).split())
            near = [col for col in above_at if abs(col - m.start()) <= 6]
            above = above_at[near[0]] if near else ""
            for col in near:
                del above_at[col]
            # A field's name heads the cell under it when it is alone on its line or ends with a colon ("Date of
            # publication:" beside an address); a table's column header ("Last updated") heads every row.
            above_at[m.start()] = cell if len(cells) == 1 or cell.endswith(":") else ""
            # a row's field name beside its value ("Publication date      2 December 2024") reads as above it
            yield cell, (left if left and _FIELD_CELL.fullmatch(left) else above), offset + m.start(), len(cells) == 1
            left = cell
        offset += len(raw)


#: A journal article's history, printed at the foot of its first page: "Received: 14 March 2024 Accepted: 20
#: September 2024 Published online: 04 October 2024".
_HISTORY = re.compile(r"\b(?:Received|Submitted)(?:\s+on)?:?\s+[^\n]{6,90}?\s+Accepted(?:\s+on)?:?\s+[^\n]{6,40}?"
                      # Elsevier's "Received …; Received in revised form …; Accepted …" / "Available online …";
                      # Ubiquity's "Submitted on …; Accepted on …; Published on …"
                      r"(?:\s+|\s*\n\s*)(?:\w+\s+)?((?:Published(?:\s+online|\s+on)?|Available\s+online):?\s+([^\n]{6,40}))"
                      # BMJ's footer: "BMJ Open: first published as 10.1136/bmjopen-2024-089123 on 2 October 2024."
                      r"|(first\s+published\s+as\s+10\.\d{4,}/\S+\s+on\s+([^\n]{6,40}))")


def closing_labelled_date(text: str, back_page: bool = False) -> tuple[PartialDate, str] | None:
    """A labelled date at the end of a text without pages, where a web page saved as text keeps its dates
    ("Document first published: 6 February 2025" / "Page updated: 11 February 2025", under its content), or on
    a report's back page, its imprint ("Published May 2025 by …"; ``back_page``)."""
    if len(text) <= SEARCH_WINDOW and not back_page:
        return None
    if back_page and (len(text.split()) > _BACK_PAGE_WORDS or _NOT_OURS.search(text)):
        return None  # a page of text, an appendix's extract of another document, a provider's response
    end = text[-_CLOSING_CHARS:]
    found = find_dated_line(end, labelled_only=True)
    if found and not re.match(r"(?i)date\s+modified|(?:page\s+)?last\s+updated|this\s+page\s+was\s+last", found[1]) \
            and re.search(r"(?im)^[#*\s]*(?:references|bibliography|related|further reading|sources|notes|see also)\b",
                          end[:end.find(found[1])]):  # (a page's own footer, "Date modified: …", is under them all)
        return None  # a date in a list of other documents, each with its own
    if found and re.match(r"(?i)(?:date\s+)?(?:document\s+)?(?:first\s+)?published|(?:date\s+)?(?:page\s+)?(?:last\s+)?"
                          r"updated|date\s+of\s+publication|publication\s+date|this\s+page\s+was\s+last\s+edited|dated\b|date\s+modified", found[1]):
        return found  # (or a notice's "Dated: 17 October 2014" over who signed it)
    return None


#: The note that tells a reader how to cite the document, with the citation: "How to cite this document:" /
#: "Canadian Institute for Health Information. Wait Times … Ottawa, ON: CIHI; 2025.", "Suggested citation: …".
_CITE_AS = re.compile(r"(?i)\b(?:how\s+to\s+cite\s+this\s+(?:document|report|publication|paper|brief)|suggested\s+"
                      r"citation|please\s+cite\s+(?:this\s+(?:document|report|publication)\s+)?as|recommended\s+citation)"
                      r"\s*(?::|\.|\n)\s*((?:.+\n?){1,4})")


def cited_as_date(text: str) -> tuple[PartialDate, str] | None:
    """The date in the citation a document asks to be cited by: its own date, as its publisher gives it (the
    year alone, "Ottawa, ON: CIHI; 2025", unless the citation gives a month or a day)."""
    m = _CITE_AS.search(text)
    if not m:
        return None
    citation = " ".join(m.group(1).split())
    end = re.search(r"\.\s+(?:ISBN|Cette|This|The|©|Available|https?:|www\.)", citation)
    citation = citation[:end.start()] if end else citation  # (not the notes after it: ISBN, other editions)
    citation = re.split(r"(?i)\b(?:accessed|retrieved|viewed|downloaded)\b", citation)[0]  # (not when it was read)
    found = [date for _s, _e, date in dates_in_line(citation) if date.precision in ("day", "month")]
    years = re.findall(r"(?:\(|;\s*|,\s*)((?:19|20)\d\d)[a-z]?(?:\)|\.|;|,|$)", citation)
    if len(found) == 1:
        return found[0], citation
    if len(set(years)) == 1 and not found:
        return PartialDate(years[0], "year"), citation
    return None


#: A field's name that dates an event, not the document: "Consultation opens", "Effective from", "Deadline for
#: responses", "Approved by the Board".
_EVENT_FIELD = re.compile(r"\b(?:opens?|closes?|closing|from|until|by|due|deadline|effective|next|review|expir\w*|"
                          r"starts?|ends?|submitted|received|approved|agreed|adopted|meeting|held|valid|applies)\b", re.I)
#: A field that dates a visit or an inspection, not the report of it: "Date and time of visit", "Date of
#: inspection".
_VISIT_FIELD = re.compile(r"(?=.*\b(?:dates?|time)\b).*\b(?:visit|visits|visited|inspection|inspected|fieldwork)\b"
                          r"|\b(?:visit|inspection|fieldwork)\s+dates?\b", re.I)  # a field's name, not a headline
#: A back cover holds an imprint, not a page of text.
_BACK_PAGE_WORDS = 250
#: A last page that is another document's or another author's: "Appendix 2", "Extract from …", "Provider's
#: response", "Action plan".
_NOT_OURS = re.compile(r"(?im)^[ \t#*]*(?:appendix|annex|annexe|extract\s+from|(?:the\s+)?provider'?s\s+response|"
                       r"response\s+from|(?:updated\s+)?action\s+plan)\b")
#: How much of the end of a text without pages is read for its labelled date.
_CLOSING_CHARS = 2500


def journal_history_date(text: str) -> tuple[PartialDate, str] | None:
    """The day a journal article was published, from its history line on the first page (further down than a
    cover's date is looked for); never its received or accepted date."""
    m = _HISTORY.search(text[:12000]) or _HISTORY.search(" ".join(text[:12000].split()))  # (a box's lines wrapped)
    if m is None:
        return None
    line, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    found = dates_in_line(value)
    if not found or found[0][0] != 0:
        return None
    return found[0][2], " ".join(line.split())


def _field_label(before: str, label: re.Match) -> bool:
    """Whether a date's label is a field of a form or a cover's table, "… Version 2.1 Date 05/09/2023": the
    word "Date" with a capital, not inside a parenthesis or a sentence's flow. ("Published" or "Updated" with
    a capital as often closes a cited title: "… Our Plan for Patients Published 12 May 2015".)"""
    lead = before[: label.start()].rstrip()
    return (label.group(0).startswith("Date") and "(" not in lead
            and not re.search(r"\b(?:was|were|which|that|is|are)$", lead))


def _in_a_sentence(lead: str, after: str) -> bool:
    """Whether a labelled date sits in a sentence about another document: what that document showed ("NHS England
    data published on 9 January 2025 showed that …"), a clause after it ("Published in January 2019, the NHS Long
    Term Plan set out …"), or set in commas after its name ("… Kestermouth, published on 9 October 2024, makes
    for …"). Never a document's sentence about itself ("This report, published on 14 May 2025, sets out …")."""
    own = re.search(r"\b(?:This|Our)\s+\w+,?\s*$", lead)
    return bool((len(lead.split()) >= 2 and _REPORTED.match(after) and not own)
                or re.match(r"\s*,\s+(?:the|a|an|this|it|its|we|our)\b", after, re.I)
                or (lead.rstrip().endswith(",") and re.match(r"\s*,\s*[a-z]", after) and not own)
                # a sentence wrapped onto the line: "pharmacy, published on 9 May 2024 (HC 362), and is grateful …"
                # (not a version's label, "v1.2, published …")
                or (bool(re.match(r"[a-z]{3,}\b", lead.strip())) and lead.rstrip().endswith(",") and not own))


def _cites(lead: str) -> bool:
    """Whether the words before a date's label make it another document's date: the label sits inside a
    parenthesis or a sentence ("NICE guideline NG133 (published ...", "the strategy, which was published ...")
    rather than heading a line of its own ("Published:", "Briefing | Last updated")."""
    lead = lead.strip()
    if re.search(r"\b(?:replaces?|replaced|supersedes?|superseded|updates|revises|amends|previous|earlier)\b:?$", lead,
                 re.I):
        return True  # "This policy replaces Version 2.0, 12 January 2022": an earlier edition's date
    if re.match(r"(?:Ordered|Ordered by the House of \w+) to be printed\b", lead) and lead.endswith("and"):
        return False  # a House's paper: "Ordered to be printed 12 March 2024 and published 26 March 2024"
    if re.search(r"(?:^|\b)(?:The|That|Its|Their|An?)\s+\w+,$", lead):  # (not "This report, published …")
        return True  # "… care services. The report, published on 9 February 2024, rated …": another's, in a sentence
    return "(" in lead or len(re.findall(r"[^\W\d_]{2,}", lead)) > 4 or bool(re.search(r"\b(?:was|were|which|that)$", lead))


#: A line whose last words lead into a date on the next line: a reference's access date, a deadline.
_RUNS_INTO_DATE = re.compile(r"\b(?:accessed|retrieved|viewed|cited|downloaded|consulted|visited|updated|"
                             r"published|dated|on|by|from|until|before|after|since|to|of|at|in)[\s:,]*$", re.I)


#: A line of a reference list: a web address, a document's file name, a DOI.
_REFERENCE = re.compile(r"https?://|www\.|\.(?:pdf|html?|aspx?)\b|\bdoi\b", re.I)


#: A text without page breaks: characters per printed page, for how often a running line must come.
_PAGE_CHARS = 6000


def _repeated_date(text: str) -> PartialDate | None:
    """The date of a running footer kept in a text export without page breaks: a line with words besides its
    date (not a reference's "19 September 2023."), printed 3 times or more and about once a page, from the
    first third of the text to the last; never another event's date ("Applications close 1 May 2024") or a
    cited document's."""
    places: dict[str, list[int]] = {}
    lines: dict[str, str] = {}
    at = 0
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if 8 <= len(line) <= 160 and any(word.lower() not in _MONTHS for word in re.findall(r"[^\W\d_]{3,}", line)):
            places.setdefault(_running_key(line), []).append(at)
            lines.setdefault(_running_key(line), line)
        at += len(raw) + 1
    least = max(3, len(text) // (2 * _PAGE_CHARS))
    found: set[PartialDate] = set()
    for key, seen in places.items():
        line = lines[key]
        if len(seen) < least or seen[0] > len(text) / 3 or seen[-1] < 2 * len(text) / 3 or _NOT_EDITION.search(line):
            continue
        written = dates_in_line(line)
        if any(_OTHER_EVENT.search(line[:start]) or _cites(line[:start]) for start, _e, _d in written):
            continue
        found.update(_edition_dates(line))
    return found.pop() if len(found) == 1 else None


def find_running_date(pages: tuple[str, ...] | list[str]) -> PartialDate | None:
    """The date in a running footer or header that names the edition: a line printed on most pages that
    carries a date, written out or as month and year ("NHS maternity exemption certificate guidance (V4)
    02.2024"); in a text without page breaks, such a line printed about once a page through it. None for a
    review, print or access date, or when such lines disagree."""
    if len(pages) == 1:
        return _repeated_date(pages[0])
    counts: dict[str, int] = {}
    lines: dict[str, str] = {}
    for page in pages[:40]:
        for line in {" ".join(raw.split()) for raw in page.splitlines()}:
            if 8 <= len(line) <= 160:
                counts[_running_key(line)] = counts.get(_running_key(line), 0) + 1
                lines.setdefault(_running_key(line), line)
    least = max(2, 2 * min(len(pages), 40) // 3)
    found: set[PartialDate] = set()
    for key, count in counts.items():
        if count >= least and not _NOT_EDITION.search(lines[key]):
            found.update(_edition_dates(lines[key]))
    return found.pop() if len(found) == 1 else None


def _running_key(line: str) -> str:
    """A running line without the page number it carries ("… Official Journal of the European Union L 119/1",
    "… L 119/2"), so its copies on every page are one line."""
    return re.sub(r"(?:^\d{1,3}\s+|\s+\d{1,3}$|(?<=/)\d{1,3}$)", "", line)


def _edition_dates(line: str) -> list[PartialDate]:
    """The dates a running line gives, written out or as month and year ("02.2024")."""
    written = [date for _s, _e, date in dates_in_line(line)]
    if written:
        return written
    numeric = re.search(r"(?<![\d./])(0?[1-9]|1[0-2])[./]((?:19|20)\d\d)(?![\d./])", line)
    return [PartialDate(f"{numeric.group(2)}-{int(numeric.group(1)):02d}", "month")] if numeric else []


_NOT_EDITION = re.compile(r"\b(?:review|printed|print date|next|expires?|valid|accessed|downloaded|retrieved|"
                          r"uncontrolled|copyright|©)\b|[0-2]?\d:[0-5]\d", re.I)
