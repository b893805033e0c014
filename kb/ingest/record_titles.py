"""The titles a meeting's and a gazette's papers take from their covers: a committee's record by the committee and
the day it met, a gazette's issue by the notice it carries, a paper by its own title over the meeting it goes to."""

from __future__ import annotations

import itertools
import re

from kb.ingest.casing import name_case
from kb.ingest.orgnames import BODY_WORD
from kb.ingest.titles import MEETING_TIME, bare_body, fold, is_title_like

#: A line naming the meeting a paper is for: "Meeting of the Board of …", "Board of Directors – Meeting in Public".
_MEETING_LINE = re.compile(r"(?i)(?:(?:public|ordinary|extraordinary)\s+)?meeting\s+of\s+the\b|.{3,80}\bmeeting\s+in\s+public\b")
#: A board paper's cover-sheet field: "Agenda Item No:", "Report author", "Purpose of report:".
_PAPER_FIELD = re.compile(r"(?i)(?:agenda\s+item|item\s+no|report\s+(?:author|of|to|date)|author|executive\s+(?:lead|sponsor)|"
                          r"purpose(?:\s+of\s+(?:the\s+)?(?:report|paper))?|date\s+of\s+(?:report|paper)|paper\s+(?:no|number))\b")


def without_meeting_over_paper(top: list[str], record: re.Pattern) -> list[str]:
    """The first lines less the meeting a paper goes to, printed over the paper's own title and its cover sheet's
    fields ("Meeting of the Board of NHS Cheshire and Merseyside 25 January 2024" / "Urgent and Emergency Care:
    Winter Plan …" / "Agenda Item No: …"); ``record`` says which lines name a meeting's record."""
    return [line for n, line in enumerate(top) if not (
        _MEETING_LINE.match(line) and n + 2 < len(top) and is_title_like(top[n + 1])
        and not record.match(top[n + 1]) and _PAPER_FIELD.match(top[n + 2]))]


#: A cover that says it is a meeting's record: "OFFICIAL REPORT", "The Record of Proceedings", "Committee Hansard".
_RECORD_MARK = re.compile(r"(?i)\b(?:official\s+report|o\s*f\s*f\s*i\s*c\s*i\s*a\s*l\s+r\s*e\s*p\s*o\s*r\s*t|record\s+of\s+"
                          r"proceedings|hansard|verbatim\s+(?:record|report)|transcript)\b")


def committee_record(printed: list[str]) -> str | None:
    """The title of a committee's record on a cover that says it is one: the committee's name over the day it met
    ("Health, Social Care and Sport Committee" / "Tuesday 14 May 2024"), its name in English where the cover
    prints it in two languages."""
    from kb.ingest.bilingual import without_other_language_names
    from kb.ingest.titles import is_date_only

    lines = [" ".join(line.split()) for line in printed if line.strip()][:20]
    if not any(_RECORD_MARK.search(line) for line in lines):
        return None
    for line, after in itertools.pairwise(lines):
        name = without_other_language_names(line).strip()
        if name and re.search(r"\b(?:Committee|Commission|Panel|Sub-Committee|Subcommittee)$", name) and bare_body(name) \
                and is_date_only(after):
            return f"{name} - {after}"
    return None


#: A gazette's masthead: "Government Gazette", "The London Gazette", "Provincial Gazette".
_GAZETTE = re.compile(r"(?im)^[ \t]*(?:the\s+)?(?:[A-Z][\w'’]*\s+){0,3}gazette[ \t]*$")
#: The act a notice is given under, in capitals, and the notice's heading in capitals after it: "WATER SERVICES
#: ACT, 1997 (ACT NO. 108 OF 1997) INVITATION FOR PUBLIC COMMENT ON THE DRAFT … REGULATIONS I, the Minister …".
_ACT_HEADING = re.compile(r"\b[A-Z][A-Z ,'’&-]{3,100}\bACT,?\s+(?:18|19|20)\d\d\b(?:\s*\((?:ACT\s+)?NO\.?\s*\d+\s+OF\s+"
                          r"(?:18|19|20)\d\d\))?\s+((?:[A-Z][A-Z'’,&()/-]*\s+){3,40}?)(?=[A-Z]?[a-z]|I,|$)")


def _gazette_notice(text: str) -> str | None:
    """The heading of the notice a gazette's issue carries: the words in capitals after the act it is given under,
    up to the notice's first sentence ("INVITATION FOR PUBLIC COMMENT ON THE DRAFT NATIONAL FAECAL SLUDGE
    MANAGEMENT REGULATIONS" / "I, the Minister …")."""
    act = _ACT_HEADING.search(" ".join(text[:20000].split()))
    if not act:
        return None
    heading = act.group(1).strip()
    return name_case(heading) if is_title_like(heading) else None


def gazette_notice(text: str) -> str | None:
    """The notice a gazette's issue carries as its title, when the text opens with a gazette's masthead."""
    return _gazette_notice(text) if _GAZETTE.search(text[:300]) else None


def meets_at(name: str, top: list[str]) -> bool:
    """The body's name is a meeting's: the next of the first lines is the day and hour it meets ("Planning
    Committee" / "Tuesday, 8 October 2019 at 7.00 pm"), which an agenda or a notice of meeting prints under it."""
    from kb.ingest.extract.dates import dates_in_line

    at = next((n for n, line in enumerate(top) if fold(line) == fold(name)), None)
    if at is None or at + 1 >= len(top):
        return False
    day = top[at + 1]
    dates = dates_in_line(day)
    return len(dates) == 1 and dates[0][2].precision == "day" and dates[0][0] <= 12 \
        and bool(MEETING_TIME.fullmatch(day[dates[0][1]:].rstrip(" .;"))) and not day[:dates[0][0]].strip(" ,").isdigit()


def names_its_own_meeting(record: str, body: str) -> bool:
    """Whether a record names what met, a part of the body over it: "Cabinet Agenda – Wednesday 10 September 2014"
    under "EASTMOOR DISTRICT COUNCIL" (not "Board Meeting Held in Public" under "NHS Leeds Integrated Care Board")."""
    lead = re.match(r"((?:[^\W\d_]+\s+){1,3}?)(?:minutes|agenda|meeting|papers)\b", record, re.I)
    said = lead.group(1).split() if lead else []
    words = set(fold(body).split())
    return any(word.lower() not in _ANY_BODYS for word in said) and any(
        BODY_WORD.fullmatch(word) and word.lower() not in words for word in said)


#: Words of a meeting any body holds ("Board Meeting Held in Public" under a council's name names no part of it).
_ANY_BODYS = frozenset("board council trust public annual general ordinary extraordinary special full of the directors "
                        "governors members".split())
