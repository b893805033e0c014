"""What a cover's printed lines say outright, read before a converter's paragraphs run them together: the value
of a title field ("Paper title: …", a document control table's "Title …" row), a letter's subject (the line
under "Dear colleagues,"), a committee report's subject (the line over its "1. Purpose of report") and the title
an EU document prints under its form ("COMMUNICATION FROM THE COMMISSION TO …") or a US notice between its docket
number and its "AGENCY:" field."""

from __future__ import annotations

import itertools
import re

from kb.ingest.kinds import is_kind_only
from kb.ingest.orgnames import BODY_END, BODY_WORD, PRESS_OFFICE, organisation_name
from kb.ingest.titles import ENDS_ON, EU_FORM, FINITE, is_title_like

#: A cover's field that names the document: "Paper title: Chief Executive's Report", "Title of report: …".
_TITLE_FIELD = re.compile(
    r"(?:(?:paper|report|document|item|agenda\s+item|publication)\s+)?title(?:\s+of\s+(?:the\s+)?(?:paper|report|"
    r"document|item|publication))?\s*[:|]\s*(\S.*)", re.I)
#: A title field's name that says whose title it is, alone on its line: "Report title", "Title of paper:".
NAMED_TITLE_FIELD = re.compile(r"(?:(?:paper|report|document|item|publication)\s+title|title\s+of\s+(?:the\s+)?"
                                r"(?:paper|report|document|item|publication))\s*:?", re.I)
#: A cover sheet's other fields, alone on their lines: "Date", "Report of", "Wards affected", "Meeting".
_COVER_FIELD = re.compile(r"(?:date(?:\s+of\s+meeting)?|report\s+(?:of|to|author)|wards?\s+affected|meeting|"
                          r"agenda\s+item|purpose|author|lead\s+officer|executive\s+lead|key\s+decision)\s*:?", re.I)
#: Where the next field starts on a line that a table's row ran on into: "… Agenda item: 4".
_NEXT_FIELD = re.compile(r"\s+[A-Z][\w/&-]*(?:\s+[a-z][\w/&()-]*){0,3}\s*:(?:\s|$)")


def title_field(lines: list[str], next_page: list[str] | None = None) -> str | None:
    """The value of a title field among a cover's first lines (a board paper's "Paper title:"), which names the
    document more surely than any line's size or place; never a person's "Job title:"."""
    rows = [line.strip().strip("|*").strip() for line in [*lines, *(next_page or [])] if line.strip()][:60]
    for n, row in enumerate(rows):
        # a document control table's row: "Title Better care, closer to home" over "Version 1.0", "Status Final"
        # (or a paper's cover sheet: "Meeting" / "Date" / "Agenda item" / "Title …" / "Author" / "Action required")
        bare = re.fullmatch(r"(?:Document\s+|Paper\s+|Report\s+)?Title\s+([A-Z].+)", row)
        if bare and sum(bool(re.match(r"(?:Version|Status|Author|Owner|Date|Approved|Review|Meeting|Agenda\s+item|"
                                      r"Responsible|Action|Purpose|Executive|Lead|Sponsor|Presented)\b", other))
                        for other in rows[max(0, n - 3):n] + rows[n + 1:n + 4]) >= 2 and is_title_like(bare.group(1)):
            return bare.group(1)
    first = [line.strip().strip("|*").strip() for line in lines if line.strip()][:40]
    fielded = sum(bool(_COVER_FIELD.fullmatch(row)) for row in first) >= 2  # a cover sheet's table of fields
    named = [n for n, row in enumerate(first) if NAMED_TITLE_FIELD.fullmatch(row)
             or (fielded and re.fullmatch(r"Title\s*:?", row))]
    if len(named) == 1 and named[0] + 1 < len(first):
        # a cover sheet's table as a converter sets it, the field's name over its value: "Report title" /
        # "Maternity and neonatal safety report – Quarter 3 2024/25" (once: a forward plan lists many reports)
        value = first[named[0] + 1]
        if len(value.split()) >= 3 and is_title_like(value) and not value.rstrip().endswith(":"):
            return value
    # a paper's cover fields: "Date: 6 December 2017" / "Item: Vision Zero Action Plan: Progress Update"
    for n, row in enumerate(first):
        item = re.fullmatch(r"Item\s*:\s*(\S.{5,200})", row)
        if item and any(re.match(r"(?:Date|Meeting)\s*:", other) for other in first[max(0, n - 3):n + 4]) \
                and len(item.group(1).split()) >= 3 and is_title_like(item.group(1)):
            return item.group(1).strip()
    # a staff report's cover sheet: "Report To:", "Meeting Date:", "Report From:", … "Subject: Lead Service Line …"
    subject = next((m.group(1) or (first[n + 1] if n + 1 < len(first) else "") for n, row in enumerate(first)
                    if (m := re.fullmatch(r"(?i:Subject)\s*:\s*(\S.{5,200})?", row))), None)  # (or its value under it)
    # (or a memo's: "DATE: 10/18/2019" / "TO: Board of Supervisors" / "FROM: Director, …" / "SUBJECT: …")
    if subject and sum(bool(re.match(r"(?i:report\s+(?:to|from|no\.?)|meeting\s+date|date|to|from|cc|memo\s+no\.?)\s*:",
                                     row)) for row in first) >= 2:
        value = " ".join(_NEXT_FIELD.split(subject.strip(), maxsplit=1)[0].split())
        if len(value.split()) >= 3 and is_title_like(value):
            return value
    for line in [line for line in lines if line.strip()][:40]:
        m = _TITLE_FIELD.fullmatch(line.strip().strip("|*").strip())
        if m:
            value = _NEXT_FIELD.split(m.group(1).strip(" |*"), maxsplit=1)[0].strip(" |*")
            if len(value.split()) >= 2 and is_title_like(value) and not re.search(r"\bM(?:r|rs|s|iss)\b\s*/", value):
                return value  # (not a form's "Title: Mr / Mrs / Ms / Dr")
    return None


#: A letter's subject line over its salutation: "RE: …", "Subject: …".
_SUBJECT_LINE = re.compile(r"^(?:RE|Re|SUBJECT|Subject|Subj)\s*:\s*(?=\S)")


def _date_line(line: str) -> bool:
    """Whether a line is a date alone ("May 9, 2016"), as a letter prints its own under its subject."""
    from kb.ingest.extract.dates import dates_in_line

    found = dates_in_line(line)
    return len(found) == 1 and found[0][0] == 0 and found[0][1] >= len(line.rstrip(" ."))


def letter_subject(page: str) -> str | None:
    """A letter's subject as printed: its "RE:" line over "Dear …", else the line after "Dear colleagues," near
    the top of its first page (a converter that sets every line apart runs it into the salutation and the first
    sentence once normalised)."""
    lines = [" ".join(line.split()) for line in page[:6000].splitlines()]
    for n, line in enumerate(lines):
        if not re.fullmatch(r"Dear\s+[^.!?]{1,60}[,:]?|(?:Sir|Madam)(?:\s*/\s*(?:Sir|Madam))?\s*[,:]", line):
            continue
        heading = next((i for i in range(n - 1, max(-1, n - 9), -1) if _SUBJECT_LINE.match(lines[i])), None)
        if heading is not None:  # "RE: Request for Temporary Extension of …" / "Demonstration (…)" over "Dear …:"
            leads = lines[heading].split()[-1].lower() in ENDS_ON | {"from", "until", "since"}
            taken = [lines[heading]]
            for line in lines[heading + 1:n][:2]:
                if not line or re.match(r"[A-Z][\w ]{1,20}:", line) or (_date_line(line) and not leads):
                    break
                taken.append(line)  # (up to a field, "Date: …", "Our ref: …", or the letter's date; not
            # a date its subject leads into: "RE: Changes to bus services from" / "Sunday 1 September 2024")
            # (less the "– regarding." an office memorandum's subject ends with)
            subject = re.sub(r"\s*[-–—]\s*(?:regarding|reg\.)\.?$", "", _SUBJECT_LINE.sub("", " ".join(taken)), flags=re.I)
            if re.match(r"(?:your|my|our)\s+(?:letter|e-?mail|message|request|enquiry)\b", subject, re.I):
                return None  # "Re: your letter of 12 February 2025": what it answers, not what it is about
            return subject if 2 <= len(subject.split()) <= 40 else None
        start = next((i for i in range(n + 1, min(n + 3, len(lines))) if lines[i]), None)
        if start is None:
            return None
        block = list(itertools.takewhile(bool, lines[start:start + 5]))
        first, after = block[0], block[1] if len(block) > 1 else ""
        if start > n + 1 and len(block) > 3 and not FINITE.search(first) and len(first.split()) <= 15 \
                and re.match(r"[A-Z][a-z]", after) and not re.search(r"(?:^|\s)(?:[A-Z]\S*|" + "|".join(ENDS_ON)
                                                                    + r")$", first):
            taken = block[:1]  # "Reducing corridor care: … winter 2025/26" / "Last winter too many …": a subject
            # set over the first paragraph without a blank line (a wrapped sentence ends in a connector or a name)
        elif start > n + 1:  # paragraphs set apart: the subject is one of its own, of a line or three
            if len(block) > 3 or start + len(block) >= len(lines) or lines[start + len(block)]:
                return None  # "Thank you for attending …" / "on Tuesday to …": the letter's first paragraph
            taken = block  # "Covid-19 – Notice under … of" / "Patient Information …"
        else:  # lines one under the other: the first, with the lines it runs on into
            taken = block[:1]
            while len(taken) < len(block) and taken[-1].split()[-1].lower() in ENDS_ON:
                taken.append(block[len(taken)])
            rest = block[len(taken)] if len(taken) < len(block) else ""
            if rest[:1].islower() or (". " in rest and len(rest.split(". ")[0].split()) < 6):
                return None  # "… to review the European" / "Chips Act. As Europe's …": a sentence, wrapped
        subject = re.sub(r"^(?:re|subject|subj)\s*:\s*", "", " ".join(taken), flags=re.I)
        if 2 <= len(subject.split()) <= 30 and ". " not in subject and not subject.endswith((".", ",", ";")):
            return subject
        return None
    return None


#: A committee report's first section: "1. Purpose of report", "1 Purpose of the Report", "Purpose of report".
_FIRST_SECTION = re.compile(r"(?:1\.?\s+(?:purpose|summary|executive\s+summary|introduction|recommendations?|"
                            r"background)\b|purpose\s+of\s+(?:the\s+|this\s+)?report\b)(?:.{0,40}[^\d\s.])?", re.I)
#: A cover that says it is a report to a meeting: "Report to Cabinet", "Report of the Director of Communities".
_REPORT_TO = re.compile(r"\b[Rr]eport\s+to\s+(?:the\s+)?[A-Z]|\b[Rr]eport\s+of\s+(?:the\s+)?(?:[Dd]irector|[Cc]hief|[Hh]ead|"
                        r"[Ee]xecutive|[Ss]trategic|[Cc]orporate|[Cc]abinet|[Pp]ortfolio|[Aa]ssistant|[Ii]nterim)\b|"
                        r"\b[Aa]genda\s+item\b")
#: A cover's field whose value may stand over the first section: "Wards affected" / "All wards".
_FIELD_ABOVE = re.compile(r"(?:report\s+of|wards?\s+affected|portfolio\s+holder|key\s+decision|report\s+author|"
                          r"(?:lead|contact|responsible)\s+officer|recommendations?|decision|author|status|"
                          r"classification|exempt\s+information|cabinet\s+member|executive\s+member)\s*:?", re.I)


def report_subject(page: str) -> str | None:
    """A committee report's subject as printed: the line over its first section ("1. Purpose of report"), under
    the cover's table of fields (meeting, date, report of, wards affected), which names the body and the meeting
    and leaves the subject to that line."""
    lines = [" ".join(line.split()) for line in page[:6000].splitlines()]
    lines = [line for line in lines if line]
    for n, line in enumerate(lines[:80]):
        if not _FIRST_SECTION.fullmatch(line):
            continue
        if n < 4 or not any(_REPORT_TO.search(above) for above in lines[:n]):
            return None
        subject = lines[n - 1]
        if (2 <= len(subject.split()) <= 25 and not subject.endswith((".", ",", ";", ":")) and ":" not in subject
                and is_title_like(subject) and not is_kind_only(subject) and not _REPORT_TO.search(subject)
                and not _FIELD_ABOVE.fullmatch(lines[n - 2]) and not re.match(r"contents\b", lines[n - 2], re.I)):
            return subject  # (not a field's value, "Wards affected" / "All wards", nor an entry of the contents)
        return None
    return None


#: The first line of an EU document's form: "COMMUNICATION FROM THE COMMISSION TO THE EUROPEAN", "COMMISSION STAFF
#: WORKING DOCUMENT".
_FORM_START = re.compile(r"(?:JOINT\s+)?(?:COMMUNICATION|REPORT)\s+FROM\s+THE\s+(?:EUROPEAN\s+)?COMMISSION\b|"
                         r"(?:COMMISSION\s+)?STAFF\s+WORKING\s+(?:DOCUMENT|PAPER)\b")


#: What an EU document prints over its form: the institution, the place and day, its number, the language.
_EU_HEAD = re.compile(r"EUROPEAN|COMMISSION|EUROPEAN COMMISSION|Brussels,.*|(?:COM|SWD|SEC|C|JOIN)\s*\(\d{4}\)\s*\d+.*|"
                      r"[A-Z]{2}|\{.*\}|(?:ANNEX|ANNEXES)(?:\s+\d+)?|(?:Council of the European Union).*|\d{1,5}/\d{2}|"
                      r"[^\w\s](?:\s*[^\w\s])*|\[?EU (?:emblem|flag)\]?", re.I)  # (the flag's stars: "★ ★ ★")


def form_title(page: str) -> str | None:
    """The title of an EU document, read from the form its cover prints in capitals over several lines: the form
    with its subject when the subject runs on in lower case ("REPORT FROM THE COMMISSION TO THE EUROPEAN
    PARLIAMENT AND THE COUNCIL" / "on the operation of Directive …"), else the line under it ("A European Action
    Plan for the Health and Care Workforce"), never the documents it goes with ("{SWD(2025) 61 final}")."""
    rows = [" ".join(line.split()) for line in page.splitlines() if line.strip()][:30]
    start = next((n for n, row in enumerate(rows) if _FORM_START.match(row)), None)
    if start is None or not all(_EU_HEAD.fullmatch(row) for row in rows[:start]):
        return None  # (a memorandum on an EU document prints its own title over the form it quotes)
    form, k = [rows[start]], start + 1
    while k < len(rows) and rows[k].isupper() and (
            EU_FORM.fullmatch(" ".join([*form, rows[k]])) or not EU_FORM.fullmatch(" ".join(form))):
        form.append(rows[k])  # the addressees the form goes on with, and its kind ("EVALUATION")
        k += 1
    if not EU_FORM.fullmatch(" ".join(form)) or k >= len(rows):
        return None
    if re.match(r"accompanying\b", rows[k], re.I):
        return None  # "Accompanying the document" / another document's form: no title of its own here
    subject = re.match(r"(?:on|of|concerning|amending|laying|establishing|setting)\b", rows[k])
    kind = form[-1] if len(form) > 1 and re.fullmatch(r"EVALUATION|IMPACT ASSESSMENT(?: REPORT)?|FITNESS CHECK",
                                                       form[-1]) else None
    # the kind of staff working document goes on with its subject: "EVALUATION" / "of Directive 2011/24/EU …"
    title = ([kind.capitalize(), rows[k]] if kind else [*form, rows[k]]) if subject else [rows[k]]
    for row in rows[k + 1:k + 4]:  # the lines a title goes on with, up to the documents it goes with or the next
        # part of the cover ("Accompanying the document", a form in capitals, the contents): "… establishing a
        # European" / "Child Guarantee", "… on High-Quality" / "Early Childhood Education and Care Systems"
        if row.startswith(("{", "[")) or row.isupper() or len(row.split()) > 20 or re.match(
                r"(?:accompanying|table\s+of\s+contents|contents|en|brussels|disclaimer|part\s+\d|\d+/\d+$)\b", row, re.I) or not (
                row[:1].islower() or title[-1].split()[-1].lower() in ENDS_ON or subject):
            break
        title.append(row)
    value = " ".join(title)
    return value if is_title_like(value) else None


def notice_title(page: str) -> str | None:
    """The title of a US rule or notice as the Federal Register prints it: the lines over its "AGENCY:" field,
    up to its docket number ("[CMS–5601–N]", "[Docket No. FAA–2020–0686; Product" / "Identifier …]") or its
    RIN ("Medicare Program; Rural Care" / "Coordination Demonstration: …"), the first such on the page (its first
    lines may end the notice before)."""
    rows = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    for n, row in enumerate(rows):
        if row.startswith("AGENCY:"):
            title: list[str] = []
            for above in reversed(rows[max(n - 6, 0):n]):
                if above.endswith("]") or re.match(r"RIN\s+\d{4}|\d+\s+CFR\b|\[", above) or above.isupper() or (
                        organisation_name(above) == above and BODY_WORD.search(above)):  # (the agency's own line)
                    break
                title.insert(0, above)
            else:
                return None  # no docket number or RIN over it: not a notice's heading
            value = " ".join(title)
            return value if 2 <= len(value.split()) <= 60 and is_title_like(value) else None
    return None


#: A field of an e-mail's header as a mail client saves it: "From:\tAuckland Council <…>", "Sent: Wednesday, …".
MAIL_FIELD = re.compile(r"^[ \t>]*(From|Sent|Date|To|Cc|Subject)[ \t]*:[ \t]*(.*?)[ \t]*$", re.I | re.M)
_FORWARDED = re.compile(r"^(?:(?:re|fw|fwd|aw|wg)\s*:\s*)+", re.I)
#: The office of a body that sends its mail: "NSW Department of Education Media Unit".
_MAIL_OFFICE = re.compile(r"\s+" + PRESS_OFFICE + "$")


def mail_header(page: str) -> dict | None:
    """What the header of an e-mail saved as text says of the message it carries: the innermost header when it
    forwards another ("-----Original Message-----"), whose subject titles it (less "RE:", "FW:" and a kind's
    label, "MEDIA RELEASE:"), whose sender, when a body, published it, and whose day sent it; with the lines
    they were read from. None when the text does not start with a header."""
    from kb.ingest.extract.dates import dates_in_line

    fields = list(MAIL_FIELD.finditer(page[:8000]))
    if not fields or fields[0].group(1).lower() != "from" or page[:fields[0].start()].strip():
        return None
    blocks: list[dict[str, tuple[str, str]]] = []
    for field in fields:
        name = field.group(1).lower().replace("date", "sent")
        if name == "from":
            blocks.append({})
        if blocks and name not in blocks[-1]:
            blocks[-1][name] = (field.group(2), " ".join(field.group(0).lstrip(" \t>").split()))
    blocks = [block for block in blocks if "subject" in block and "sent" in block]
    if not blocks:
        return None
    # a forward carries the message under it; a reply is its own message, whatever it quotes
    block = blocks[-1] if re.match(r"\s*(?:fw|fwd|wg)\s*:", blocks[0]["subject"][0], re.I) else blocks[0]
    subject = _FORWARDED.sub("", block["subject"][0]).strip()
    label, colon, rest = subject.partition(":")
    if colon and rest.strip() and _RELEASE_LABEL.fullmatch(label.strip()):
        subject = rest.strip()  # "MEDIA RELEASE: New wellbeing framework …" (not "Minutes: …")
    found: dict = {"subject": subject, "subject_line": block["subject"][1]}
    sent = block["sent"][0]
    us = re.match(r"\s*(?:\w+,?\s+)?(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\s+\d{1,2}:\d\d:\d\d\s*[AP]M", sent, re.I)
    if us:  # "3/5/2025 9:14:22 AM": a US mail client's day, month first
        sent = f"{(us.group(3))}-{int(us.group(1)):02d}-{int(us.group(2)):02d}"
    day = dates_in_line(sent)
    if day and day[0][2].precision == "day":
        found["sent"], found["sent_line"] = day[0][2], block["sent"][1]
    sender = block["from"][0]
    name = _MAIL_OFFICE.sub("", sender.split("<")[0].strip(" \"'"))
    from kb.ingest.bodies import body_of_host

    address = re.search(r"@([\w.-]+\.\w+)", sender)
    host_body = body_of_host(address.group(1)) if address else None
    if address and not host_body:  # a body's name as its domain spells it: "environment-agency.gov.uk"
        words = address.group(1).lower().split(".")[0].split("-")
        spelled = " ".join(word.capitalize() if word not in ("of", "for", "and", "the") else word for word in words)
        if len(words) >= 2 and BODY_END.fullmatch(words[-1]) and organisation_name(spelled) == spelled:
            host_body = spelled
    from kb.ingest.bodies import is_listed

    # (a body's name, ending as one does, or its initials: not a service's "Public Health Commissioning")
    bodylike = bool(name) and bool(BODY_WORD.search(name) or re.search(r"\b(?:County|City|Borough|Town|NHS)\b", name)
                                   or is_listed(name) or re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", name))
    if name and organisation_name(name) == name and not _MAIL_ROLE.search(name) and (bodylike or host_body):
        # (a service of the body whose domain sends it: "Flood Information Service <…@environment-agency.gov.uk>")
        service = host_body and re.search(r"\b(?:Service|Services|Team|Desk|Line|Hub|Centre|Center)$", name) \
            and host_body.lower() not in name.lower()
        found["sender"], found["sender_line"] = host_body if service else name, block["from"][1]
    elif (not name or "@" in name) and host_body:  # an address alone: the body the table lists for its domain
        found["sender"], found["sender_line"] = host_body, block["from"][1]
    return found


#: A release's label before its headline in a subject: "MEDIA RELEASE: …".
_RELEASE_LABEL = re.compile(r"(?:media|press|news)\s+(?:release|statement|advisory)", re.I)
#: A sender that is a team, an office or a role, not a body: "Planning Policy Team", "Schools Forum Clerk".
_MAIL_ROLE = re.compile(r"\b(?:Team|Unit|Directorate|Clerk|Officer|Manager|Director|Secretary|Secretariat|Desk|"
                        r"Inbox|Mailbox|Enquiries|Admin)$", re.I)
