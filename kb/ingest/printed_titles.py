"""How a cover's title runs over its printed lines: where a paragraph of the first lines stops being the title
(at a date alone, a field, a byline, the authors, a body's team) and which lines printed under a first line go on
with it. The normaliser joins a cover's short lines into paragraphs; these read the lines as printed."""

from __future__ import annotations

import re

from kb.ingest.kinds import MOTTO, is_kind_only
from kb.ingest.orgnames import CONNECTORS, KIND_OF_DOCUMENT, organisation_name
from kb.ingest.titles import (
    ACRONYM_LABEL,
    BYLINE,
    FIELD,
    FIELD_NAME,
    FINITE,
    LABELS,
    SESSION_REPORT,
    URL,
    bare_body,
    fold,
    is_credit,
    is_date_only,
    title_line_ok,
)

_MEETING_END = re.compile(r"\b(?:meeting|minutes|agenda|hearing|session|sitting|proceedings)(?: held)?(?: on)?$")


def _ends_title(line: str) -> bool:
    """A printed line that is a cover's field, not a title's line: a date alone, a field and its value, a field's
    name alone, a byline or credit, an address."""
    if not re.search(r"[^\W\d_]{2}", line):  # figures only: "2004-08", a page number; not a period, "2012/13"
        span = re.fullmatch(r"((?:19|20)\d\d)\s*[-–/]\s*(\d\d|(?:19|20)\d\d)", line)
        return not (span and (int(span[2]) > int(span[1]) if len(span[2]) == 4
                              else int(span[2]) == (int(span[1]) + 1) % 100))
    return bool(is_date_only(line) or FIELD.match(line) or FIELD_NAME.fullmatch(line) or BYLINE.match(line)
                or is_credit(line) or LABELS.match(line) or (URL.search(line) and len(line.split()) <= 3)
                or bool(MOTTO.fullmatch(line)) or bool(SESSION_REPORT.match(line))  # "Tenth Report of Session …"
                or bool(re.fullmatch(r"[A-Z]{2,}\s+guidelines?", line))  # "NICE guideline"
                # a template's field filled in: "[Frank Wood, Anna Palczewska]", "NDL [Leeds Network Data Lab]"
                or bool(re.fullmatch(r"[^\[\]]{0,12}\[[^\[\]]+\]", line)))


#: A line of people's names: "Dr Konstantinos Daras, Tom Butterworth, Dr Elizabeth Camacho, Dr".
_HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Miss|Cllr)\.?\s+"
_PERSON = r"(?-i:[A-Z][a-zà-öø-ÿ]+)(?:\s+[A-Z]\.)?\s+[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*"  # ("Lucía Ferrer"
#: An author's affiliation marks, printed after the name: "John Smith1*", "Jane Doe2,3", "Ali Khan†".
_MARKS = r"(?:\d{1,2}(?:,\d{1,2})*|[*†‡§¶])"
#: Three names in a list, an honorific, or two names each with an author's marks ("John Smith1*, Jane Doe2 and …").
_PEOPLE = re.compile(_HONORIFIC + _PERSON + r"\s*,|(?:" + _PERSON + _MARKS + r"*\s*,\s*){2}" + _PERSON + r"\b|"
                     + _PERSON + _MARKS + r"+\s*(?:,\s*|\s+and\s+)" + _PERSON + _MARKS + r"+|"
                     # "Rohan Sethi, Eleanor Pryce and Matthew Dunstan": a byline, its names apart, the last with "and"
                     # (never "Primary Care, Mental Health and Social Care")
                     + r"(?!.*\b(?:Care|Health|Social|Services?|Mental|Public|Primary|Community|Policy|Local|National|"
                     r"Council|Trust|Board|Practice|Hospital|Education|Housing)\b)"
                     + _PERSON + r"\s*,\s*" + _PERSON + r"\s+(?:and|&)\s+" + _PERSON + r"$|"
                     # "Rebecca Fairlie and Jonathan Moss-Hendry": two names, the whole line (never two places)
                     + r"(?!.*\b(?:Care|Health|Social|Services?|Public|Primary|Community|Policy|Council|Trust|Board|"
                     r"North|South|East|West|Greater|Central|Upper|Lower|New|Royal|City|County)\b)"
                     + _PERSON + r"\s+(?:and|&)\s+" + _PERSON + r"$")


#: A field's name starting a line, its value beside it without a colon: "Version Number 2.3", "Policy Owner …".
_FIELD_START = re.compile(r"(?i:version|author|authors|owner|policy owner|document owner|status|reference|ref|"
                          r"approved|approval|date|page|classification|review)\b|"
                          r"(?i:time|venue|location|place|held at|present|members?hip)\s*:")  # (a meeting's fields)


def _title_case(line: str) -> bool:
    """Every word but a connector starts with a capital or a figure: "Topic 4: Intermediate Care Final Report"."""
    words = re.findall(r"[^\W_][\w'’-]*", line)
    return bool(words) and all(w[0].isupper() or w[0].isdigit() or w.lower() in CONNECTORS for w in words)


def printed_extension(line: str, printed: list[str]) -> str:
    """A first line that is a printed line with the lines printed under it that go on with its title: after a
    colon, the next line ("Artificial Intelligence:" / "How to get it right"); else short lines in title case
    ("Children and Young" / "People's Mental Health", "Great North Care Record" / "Technical Vision"), up to a
    line in sentence case (a subtitle), a field or a body's name. The normaliser may keep such a line apart
    from the lines under it, which it joins with the subtitle."""
    target = fold(line)
    # the printed line it is, or the last of the two or three it was set on ("Connected Health" / "Cities Programme:")
    at = next((i + k - 1 for k in (1, 2, 3) for i in range(len(printed) - k + 1)
               if all(printed[i:i + k]) and fold(" ".join(printed[i:i + k])) == target), None)
    if at is None or not target:
        return line
    following = [" ".join(raw.split()) for raw in printed[at + 1:at + 5]]
    following = following[:next((n for n, raw in enumerate(following) if not raw), len(following))]  # its block
    if line.rstrip().endswith(":"):
        return f"{line} {following[0]}" if following and not _ends_title(following[0]) else line
    if not _title_case(line) or organisation_name(line) == line:
        return line
    out = [line]
    for raw in following:
        # a name cut at the line's end runs on ("Guidance on the Hormone" / "Replacement Therapy prescription" /
        # "prepayment certificate"), and so does a line in lower case; the title's case is kept past them
        # (a subtitle starts with one capital: "Strengthening Victims' Rights" / "Government response to …")
        runs_on = (re.match(r"(?!(?:A|An|The)\s)[A-Z][a-z]+\s+[A-Z][a-z]+", raw) and re.search(r"\s[A-Z][a-z]+$", out[-1])
                   and len(out[-1].split()) >= 3) or (
            raw[:1].islower() and not _title_case(out[-1]) and not re.search(r"[.:;,]$", out[-1]))
        # (a body's name goes on a line that leads into it: "ORDINARY MEETING" / "OF" / "CITY STRATEGY COMMITTEE")
        leads_on = bool(_LEADS_ON.search(out[-1].lower()))
        if leads_on and re.fullmatch(r"(?:19|20)\d\d(?:\s*(?:[-–/]|to)\s*(?:19|20)?\d\d)?", raw):
            out.append(raw)  # "… Fee Rate Adjustment for" / "2017–2018": the years it leads into
            break
        if (not (_title_case(raw) or runs_on) or _ends_title(raw) or not title_line_ok(raw) or _FIELD_START.match(raw)
                or (not leads_on and (_PEOPLE.match(raw) or (organisation_name(raw) == raw and not is_kind_only(raw))))
                or len(raw.split()) > 8
                or ACRONYM_LABEL.fullmatch(raw)  # "LGA on-the-day briefing"
                or re.fullmatch(r"[A-Za-z]+\.?\s+(?!(?:19|20)\d\d\b)\d+[A-Za-z]?", raw)  # "Vote 6": a number's label
                or raw.endswith((".", ","))):
            break
        if len(out) == 1 and line.isupper() and len(line.split()) >= 3 and not raw.isupper() and not leads_on:
            out[0] += ":"  # "NOTICE OF PUBLIC HEARING" / "Proposed Fee Rate Adjustment …": a heading over its subject
        out.append(raw)
    return " ".join(out)


#: A team's name on a line of its own under a title: "Pharmacy Department", "Finance Directorate".
_OWN_UNIT = re.compile(r"(?:[A-Z][\w&'’-]*\s+){1,4}(?:Department|Directorate|Team|Unit|Division)")
#: A printed line saying what kind of document the title above it is, and for whom: a subtitle.
_SUBTITLE_KIND = re.compile(r"(?:a\s+|an\s+)?(?:submission|response|feedback|comments?)\s+(?:to|on)\s+\S", re.I)


#: A verb of a sentence, in lower case ("… (HTF) is the source of most"): prose, not a title's line.
_PROSE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must)\b")
#: A title's line that ends in a connector leads on into the next: "Board Terms of" / "Reference".
_LEADS_ON = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(CONNECTORS | {"after", "before", "since", "until"})))
                       + r")$")  # ("… Flexibilities After" / "March 31, 2025": a date the title leads into)


def printed_prefix(line: str, printed: list[str]) -> str:
    """A paragraph of the first lines as far as its printed lines can be a title: "Listening to digital" /
    "health innovators" / "Publication date: 15 October 2019" set without a blank line are one paragraph once
    normalised, and the title ends where a cover's field starts (a date alone, a field, a byline, an address;
    never a line of prose that mentions a date). The paragraph is kept whole when the printed lines do not make
    it, or its first line is already such a line."""
    target = fold(line)
    for start, first in enumerate(printed):
        head = fold(first)
        if not head or not (target == head or target.startswith(head + " ")):
            continue
        taken: list[str] = []
        done = ""
        for raw in printed[start:]:
            words = fold(raw)
            if not words:  # a blank line ends the cover's block ("1  THE … INQUIRY" / "2" / "3" / "4  MODULE 2 …",
                # a transcript's cover whose numbered blank lines the normaliser ran together)
                return " ".join(" ".join(part.split()) for part in taken) if taken and target != done else line
            joined = f"{done} {words}".strip()
            if not (target == joined or target.startswith(joined + " ")):
                break
            flat = " ".join(raw.split())
            leads_on = bool(_LEADS_ON.search(done))  # "Report of the" / …
            bare_date = is_date_only(flat) and not re.match(r"[^\W\d_]+\s+[^\W\d_]+\s", flat)  # (not "Updated …")
            if (_ends_title(flat) and not (leads_on and (FIELD_NAME.fullmatch(flat) or bare_date))) or (taken and not leads_on and (
                    _PEOPLE.match(flat)  # its authors
                    or _OWN_UNIT.fullmatch(flat)  # "Pharmacy Department": the team that wrote it
                    # a slogan, "A new politics." / "A healthy NHS.", not a title's last line, "Programme."
                    or re.fullmatch(r"(?:A|An|Our|We|We're|Your|It's|Let's|Together)\s[^.!?]{1,40}[.!]", flat)
                    or _SUBTITLE_KIND.match(flat) or ACRONYM_LABEL.fullmatch(flat)  # "Submission to …", "LGA … briefing"
                    # a sentence under it: "Cabinet Social Wellbeing Committee paper SWC-18-SUB-0142, considered on …."
                    or (flat.endswith(".") and "," in flat and len(flat.split()) >= 6
                        and not FINITE.search(" ".join(taken)))  # (not prose: "… cybersecurity was the aim set")
                    # prose under a title in title case: "The Highway Trust Fund After the FAST Act" / "The Highway
                    # Trust Fund (HTF) is the source of most"
                    or (len(flat.split()) >= 6 and _PROSE_VERB.search(flat) and not _title_case(flat)
                        and _title_case(" ".join(taken)) and not FINITE.search(" ".join(taken)))
                    # a line of sentence-case text under a title set in title case over lines of its own:
                    # "… Cybersecurity Strategy" / "Threats Highlight …" / "Federal agencies and our nation's …"
                    or (len(taken) >= 3 and len(flat.split()) >= 6 and not _title_case(flat)
                        and all(_title_case(part) for part in taken) and not leads_on)
                    # a paragraph's first line, wrapped, under a title of its own line: "Methodology for estimating
                    # … into care homes" / "Where a patient is resident in a care home …, hospital records are"
                    or (len(" ".join(taken).split()) >= 5 and len(flat.split()) >= 10 and flat[:1].isupper()
                        and _PROSE_VERB.search(flat) and "," in flat and not leads_on
                        and not FINITE.search(" ".join(taken))))):
                if taken and is_date_only(raw) and _MEETING_END.search(done):
                    # "Minutes of the meeting" / "Thursday 28 March 2019": the day names the meeting (up to the
                    # fields under it, "PRESENT: Councillor A Hartley in the Chair")
                    taken.append(raw)
                    done = joined
                    continue
                return " ".join(" ".join(part.split()) for part in taken) if taken else line
            if (len(taken) == 1 and bare_body(" ".join(taken[0].split())) and not leads_on
                    and re.match(r"[A-Z][^:]{2,40}:\s", flat) and not re.match(r"[A-Z]\w*\s+\d+\w?:", flat)):
                # "Health and Social Care Committee" / "Oral evidence: Adult social care workforce": who, then a title
                # whole with its own colon (not "The … Committee" / "Report on Workforce", the body's report, nor
                # "The Networked Data Lab" / "Topic 4: …", one series)
                return " ".join(taken[0].split())
            if (len(taken) >= 2 and any(part.strip()[:1].islower() for part in taken[1:]) and flat[:1].isupper()
                    and not leads_on and (not taken[-1].split()[-1][:1].isupper() or KIND_OF_DOCUMENT.match(flat))):
                # "Rethinking general" / "practice" / "Lessons from the frontline": a title set in sentence case
                # goes on to its next line in lower case; a line starting with a capital after it is its subtitle
                # (not "… the New Hospital" / "Programme.", a name running on)
                return " ".join(" ".join(part.split()) for part in taken)
            taken.append(raw)
            done = joined
        return line
    return line


def info_title_above(info: str, chosen: str, printed: list[str]) -> str | None:
    """The cover's line that a PDF's own Title property repeats, when the cover prints it above the line kb chose
    by size ("LAGOS STATE ROAD SAFETY STRATEGY 2025–2029" over the larger "Safer Roads for a Greater Lagos"): two
    witnesses over one. Right above it, the chosen line is its subtitle. None when no line above repeats it."""
    wanted = fold(info)
    lines = [" ".join(line.split()) for line in printed if fold(line)][:15]  # (not a rule of dashes or dots)
    at = next((n for n, line in enumerate(lines) if fold(chosen).startswith(fold(line))), None)
    if not wanted or at is None or len(wanted.split()) < 3:
        return None
    above = next((n for n, line in enumerate(lines[:at]) if fold(line) == wanted), None)
    if above is None or bare_body(lines[above]) or re.search(r"(?i)\b(?:meeting|agenda|minutes|item|paper)\b",
                                                             lines[above]):
        return None
    return f"{lines[above]}: {chosen}" if above == at - 1 else lines[above]
