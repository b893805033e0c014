"""Who published a document: the organisation its own text, properties or page head names as publisher.

A publisher is only given where a reader would agree with it: a name kb finds must read as an organisation
(``organisation_name``: not a person, a software default or a sentence), and it must be stated as the
publisher (a copyright or imprint line, "Published by", GOV.UK's "From:", an "About us" heading, the document
speaking of itself as "our Trust"), never merely mentioned. A wrong publisher is worse than none.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from kb.ingest.addresses import CONTACT, own_address, own_domain
from kb.ingest.bodies import is_listed, issued_for, part_on_masthead
from kb.ingest.body_names import as_printed
from kb.ingest.copyright_lines import copyright_holders, within_lines
from kb.ingest.kinds import ACT_NAME
from kb.ingest.mastheads import cover_logo, identity_joined, journal_of
from kb.ingest.orgnames import (
    BODY_END,
    BODY_WORD,
    BODY_WORDS,
    BOROUGH_OF,
    CONNECTORS,
    FOREIGN_START,
    KIND_OF_DOCUMENT,
    KNOWN_BODIES,
    PRESS_OFFICE,
    UNIT,
    abbreviates,
    body_before_kind,
    generic_unit,
    normalise_publisher,
    organisation_name,
)
from kb.ingest.saved_pages import site_owner
from kb.ingest.titles import ADDRESS, fold


def publisher_from_text(pages: tuple[str, ...] | list[str]) -> str | None:
    """Who published a document, as its own text states it (first and last pages), or None.

    Looked for in this order: a UK Parliament committee's written evidence; "Published by X" / "Produced by
    [printer for] X"; GOV.UK's "From: X"; a copyright line ("© NHS England 2023"; for "© Crown copyright" the
    department named near it or in a gov.uk address); the document speaking as the body ("our work at NHSX",
    "our Trust" with the one Trust it names); an "About X" heading or "X is an independent ..." sentence; a
    letter signed for a Secretary of State; a suggested citation; a body's own web address or mailbox; a short
    cover line naming a body. A name never runs on across a line break into the next line ("Policy paper")."""
    found = publisher_with_evidence(pages)
    return found.body if found and not found.doubt else None


class Stated(NamedTuple):
    """A publisher as a document states it: the body, the words it was read from (None when the rule read more
    than one line) and, when the evidence is weak or conflicting, why the body is held back rather than given."""

    body: str
    evidence: str | None
    doubt: str | None = None


def publisher_with_evidence(pages: tuple[str, ...] | list[str]) -> Stated | None:
    """``publisher_from_text`` with the words it was read from (an imprint, a copyright line, a cover line), or
    None as evidence when the rule reads more than one line (an address that spells the name, the one Trust a
    document calls "our Trust"); the caller then shows the line of the document that names the body."""
    if not pages:
        return None
    from kb.ingest.normalise import remove_line_numbers

    lines = [[line.strip() for line in page.splitlines()] for page in pages]
    unnumbered = remove_line_numbers(lines)
    if unnumbered is not lines:  # a transcript's margin numbers: its cover's lines without them
        pages = ["\n".join(page) for page in unnumbered]
    head = "\n\n".join(pages[:3])[:6000]
    if len(pages) > 3:
        tail = "\n\n".join(pages[-2:])[-6000:]
    else:  # a long web page or a short report: its end holds the footer and the "About us"
        tail = "\n\n".join(pages)[len(head):][-6000:]
    text = head + "\n\n" + tail
    stated = _stated_publisher(pages, head, text)
    if not stated:
        return None
    issuer = issued_for(normalise_publisher(stated.body) or stated.body)
    if issuer:  # a parliament's corporate body, its copyright holder: "© Senedd Commission Copyright 2024"
        stated = stated._replace(body=issuer)
    part = part_on_masthead(stated.body, pages[0][:3000])
    if part:  # a parent body's copyright over a part of it that the page's masthead names
        stated = Stated(*part)
    if re.search(r"\b(?:Team|Directorate|Unit)$", stated.body):
        stated = _team_body(stated, "\n".join(pages))
    elif re.match(r"(?i)(?:U\.?S\.?\s+)?(?:department|ministry)\s+(?:of|for)\s", stated.body):
        stated = _agency_under(stated, pages[0][:1500])
    return Stated(within_lines(stated.body, text), " ".join(stated.evidence.split())[:200] if stated.evidence else None,
                  stated.doubt)


def _team_body(stated: Stated, text: str) -> Stated:
    """A team's name over its body's ("Planning Policy Team" / "Westshire County Council"): the body's."""
    under = re.search(r"(?m)^[ \t]*" + re.escape(stated.body) + r"[ \t,]*\n[ \t]*([^\n]{3,80}?)[ \t]*$", text)
    body = under.group(1) if under else ""
    if body and organisation_name(body) == body and BODY_END.fullmatch(body.split()[-1]):
        return Stated(body, body)
    if generic_unit(stated.body, text):
        # a team named only by what it does ("Medicines Management Team"): whose team, the document does not say here
        return stated._replace(doubt="a team or unit, not the body it belongs to")
    return stated


def _agency_under(stated: Stated, cover: str) -> Stated:
    """A department's letterhead over one of its agencies ("DEPARTMENT OF HEALTH & HUMAN SERVICES" / "Centers for
    Medicare & Medicaid Services"): the agency writes the letter."""
    printed = re.escape(stated.evidence or stated.body).replace(r"\ ", r"\s+")
    under = re.search(r"(?im)^[ \t]*" + printed + r"[ \t,]*\n[ \t]*([^\n]{3,90}?)[ \t]*(?:\n[ \t]*([^\n]{3,90}?)[ \t]*)?$",
                      cover)
    for line in under.groups() if under else ():  # (the line under it, or the next: "Public Health Service" /
        agency = " ".join((line or "").split())  # "Food and Drug Administration")
        if agency and organisation_name(agency) == agency and not UNIT.search(agency) and re.search(
                r"(?i)^(?:the\s+)?(?:centers?|centres?)\s+for\b|\b(?:agency|administration|institutes?|bureau|commission)$",
                agency):  # (never a part of the department: "Office of Student Support Services")
            return Stated(agency, agency)
    return stated


def _stated_publisher(pages: tuple[str, ...] | list[str], head: str, text: str) -> Stated | None:
    flat = " ".join(text.split())
    written = re.match(r"\s*Written evidence (?:submitted |presented )?(?:by|from)\b.{0,400}?\([A-Z]{2,6}\d{3,5}\)",
                " ".join(pages[0][:600].split()))
    if written:  # a committee publishes the evidence it receives: "Written evidence from X (RTP0022)"
        return Stated("UK Parliament", written.group(0))
    imprints: list[Stated] = []
    # (a name ends with its paragraph: "by authority of the House of Commons" over the report's title)
    lined = "\n".join(" ".join(paragraph.split()) for paragraph in re.split(r"\n[ \t]*\n", text))
    # (and with its day between: "First published July 2016 by the Joseph Rowntree Foundation")
    statements = [m for m in re.finditer(r"\b(?:Published|Issued|[Ff]irst\s+published|Printed\s+and\s+published)(?:\s+(?:on|in)\s+[^.\n]{0,30}?|"
                                         r"\s+[^.\n]{0,24}?(?:19|20)\d\d)?\s+by:?\s+(?:the\s+)?"
                                         r"(?:[Aa]uthority\s+of\s+(?:the\s+)?)?([A-Z][\w'’&,\- ]{2,90})", lined)]
    # (also a paragraph's own statement: "Transcript produced by Opus 2 … on behalf of the Thornmere Hospital Inquiry")
    statements += re.finditer(r"(?:\b(?:Produced|Prepared)|(?m:^)(?:Transcript|Minutes|Recording|Captions|This\s+"
                              r"(?:transcript|report|document|briefing))\s+(?:was\s+)?(?:produced|prepared))\s+by:?\s+"
                              r"(?:the\s+)?([^.\n]{2,200})", lined)
    # a series' own statement, its name on the cover: "Prescribing Matters is produced by the Medicines Optimisation
    # Team, NHS Eastfield CCG, …" (not "The data is produced by …", another body's figures)
    cover_words = fold(" ".join(pages[0][:800].split())) if pages else ""
    statements += [m for m in re.finditer(r"(?:^|(?<=[.\n]))[ \t]*(?P<series>[A-Z][\w'’&]*(?:[ \t]+[A-Z][\w'’&]*){0,4})[ \t]+is"
                                          r"[ \t]+(?:produced|prepared)[ \t]+by:?[ \t]+(?:the[ \t]+)?([^.\n]{2,200})", lined)
                   if len(m.group("series").split()) >= 2 and fold(m.group("series")) in cover_words]
    # a journal's own statement: "International Journal of Integrated Care is a peer-reviewed open access journal
    # published by Ubiquity Press."
    statements += re.finditer(r"\b(?:journal|quarterly|review)\s+published\s+by\s+(?:the\s+)?([A-Z][\w'’&,\- ]{2,60})",
                              lined, re.I)
    # a publisher's own field: "Publisher: Emerald Publishing Limited"
    statements += re.finditer(r"(?m)^[ \t]*Publisher\s*:\s*(?:the\s+)?([A-Z][^\n]{2,80})$", lined)
    for m in statements:
        statement = m.group(2) if "series" in m.re.groupindex else m.group(1)
        if "roduced" in m.re.pattern:
            # a printer's or a team's work for a body ("Produced by Williams Lea for the Department of Health"),
            # else whoever produced it ("Produced by NHS England … for Primary Care Networks", an audience); a
            # firm that prepared it for no one named (a court reporter's transcript) did not publish it
            by, _for, client = (*re.split(r"\s+(for|on\s+behalf\s+of)\s+", statement, maxsplit=1), "", "")[:3]
            client = re.sub(r"^the\s+", "", client)
            named_client = _body_prefix(client) if client else None
            if named_client and _for != "for" and len(named_client.split()) < 2:
                named_client = None  # "… on behalf of JAPC": a committee the team serves, not the publisher
            own = re.match(r"(?:the\s+)?(.+?\b(?:Council|Trust|ICB|CCG|Integrated\s+Care\s+Board))\s+(?:[A-Z][\w&'’-]*\s+){1,3}"
                           r"(?:Team|Directorate|Unit)\b", by)
            if named_client and _for != "for" and own and re.search(r"\bHealth\s+and\s+Wellbeing\s+Board$",
                                                                   normalise_publisher(named_client) or ""):
                named_client, client = None, ""  # "… Council Public Health Intelligence Team on behalf of the Westmere
                statement = by  # Health and Wellbeing Board": a board of the council, whose team wrote it
            # (not for two: "for the Auditor General for Scotland and the Accounts Commission"; one body's name
            # may hold an "and": "the Department of Health and Social Care")
            if named_client and len([part for part in re.split(r"\s+and\s+the\s+", named_client)
                                     if len(part.split()) >= 2 and all(
                                         w[:1].isupper() or w in CONNECTORS for w in part.split())]) < 2:
                statement = client
            elif _FIRM.match(by) and not by.startswith("NHS "):
                continue
            else:
                statement = by
        # (up to whoever else worked on it: "…, City of Asheville Reported by Dana R. Hill")
        statement = re.split(r"\s+(?:[Rr]eported|[Tt]ranscribed|[Rr]ecorded|[Ee]dited|[Ww]ritten|[Cc]ompiled)\s+by\b", statement)[0]
        named = [body for part in statement.split(",")  # "Rhod Joyce, Head of Partnerships, NHSX"
                 if (body := _body_prefix(part.strip()))]
        office = re.match(r"(.{2,60}?\s" + PRESS_OFFICE + r")\s+(\S.*)", statement)
        if office and (whole := _body_prefix(office.group(2).strip())):
            named = [whole]  # "HSE Press Office" / "Health Service Executive": the office's body
        company = _PUBLISHING_HOUSE.match(statement)
        if not named and company and "roduced" not in m.re.pattern:
            named = [company.group(1)]  # "Published by Wiley Periodicals LLC": a publishing house, said to publish it
        words = statement.split()[:4]
        if not named and "roduced" not in m.re.pattern:  # "Published by Elsevier B.V.": a name the table lists
            named = [listed for k in range(len(words), 0, -1) if is_listed(listed := " ".join(words[:k]))][:1]
        named = [body for body in named if not generic_unit(body, text)]  # a team gives way to its body:
        team = bool(named) and bool(UNIT.search(normalise_publisher(named[0]) or "Team")
                                    or re.match(r"(?:the\s+)?office\s+of\s+the\s+(?:(?:city|town|county|borough|village)\s+)?(?:clerk|secretary|"
                                             r"recorder)\b", named[0], re.I))
        # (an office within the body named after it: "the Office of the City Clerk, City of Asheville")
        if team and ("roduced" in m.re.pattern or len(named) > 1):
            named = named[1:]  # "Media Office, City of Cape Town"; "Produced by the Research Support Team": none
        if named:
            imprints.append(Stated(named[0], m.group(0)))
    if imprints:
        agreed = _agreed(imprints, "published by")
        return agreed._replace(body=as_printed(agreed.body, text)) if agreed else agreed
    for m in re.finditer(r"(?:^|\n)[ \t]*From:[ \t]*\n?[ \t]*(?::[ \t]*)?\[?([A-Z][^\n\]]{2,80})", head):
        given = m.group(1).strip()  # GOV.UK pages: "From: Department of Health and Social Care", "From: Ofsted"
        if re.search(r"<[^>\s]+@|@[\w-]+\.", given) or re.search(r"(?im)^[ \t]*(?:sent|to|subject):", head[m.end():m.end() + 400]):
            break  # an e-mail's sender ("From: Public Health Commissioning <…@harbourside.gov.uk>"), not a page's body
        body = organisation_name(given) or (given if is_listed(given) else None)
        if body and _two_bodies(body):
            return None  # "From: UK Health Security Agency and Department of Health and Social Care": two bodies
        if body:
            return Stated(body, m.group(0))
    # a US rule's or notice's field: "AGENCY: Centers for Medicare & Medicaid Services (CMS), HHS."
    agency = re.search(r"\bAGENCY:\s+(?:the\s+)?([A-Z][^(,;:]{2,100}?)\s*[(,;.]", " ".join(head.split()))
    if agency and (body := organisation_name(agency.group(1))):
        return Stated(body, agency.group(0).rstrip(" (,;."))
    signed = _signed_for(text)
    if signed:
        return signed
    holders = [Stated(body, line) for body, line in copyright_holders(text)]
    if holders:  # "© X" twice over, or "© X" with a picture's "© Y": which is the document's is not said
        return _agreed(holders, "a copyright line")
    logo = cover_logo(pages[0][:1500])
    if logo:
        return Stated(*logo)
    site = site_owner(pages[0])  # a web page saved as text: its site's masthead
    if site:
        return Stated(*site)
    spoken = _spoken(head)
    # A paper's "our Trust" is where its authors work; a witness's "our Trust" in a transcript is the witness's.
    if not _scholarly(head) and not spoken:
        body = _speaking_as(flat) or _our_body(text)
        if body:
            return Stated(body, None)
    abouts: list[Stated] = []
    for m in re.finditer(r"(?:^|\n)[ \t]*(?:About|ABOUT)[ \t]+(?:the[ \t]+|THE[ \t]+)?([A-Z][\w'’&\- ]{1,60}?)[ \t]*(?:\n|$)", text):
        body = organisation_name(m.group(1)) or organisation_name(m.group(1).replace(" ", ""))
        if body and not _is_funder(body, text):
            abouts.append(Stated(body, m.group(0)))
    if abouts:
        return _agreed(abouts, "an \"About\" heading")
    described: list[Stated] = []
    for m in () if spoken else re.finditer(r"(?:^|\n|[.:]\s)(?:The\s+)?([A-Z][\w'’&\-]*(?:[ \t]+(?:of|for|and|the|&|[A-Z0-9][\w'’&\-]*)){0,8})"
                         r"(?:\s+\([^()\n]{1,30}\))?\s+is\s+(?:an?|the)\s+(?:independent|non-departmental|public|research|statutory|"
                         r"executive|national|charity|charitable|membership|think|government|health|"
                         r"[a-z]+\s+(?:body|organisation|service|agency|inquiry))", text):
        name = m.group(1)
        body = organisation_name(name) or organisation_name("The " + name)
        if body and body.lower() not in ("this", "it") and not _is_funder(body, text):
            described.append(Stated(body, m.group(0)))
    if described:
        return _agreed(described, "\"X is an independent ...\"")
    presented = _presented_by(text)
    if presented:
        return Stated(*presented)
    contact = _CONTACT_BLOCK.search(text)
    body = organisation_name(contact.group(1).strip()) if contact else None
    if body and contact and body == contact.group(1).strip():
        # "please contact:" / "Public Health Agency of Canada" / "Address Locator 0900C2": the body's own address
        # block (its mailbox's domain may be its department's: "…@hc-sc.gc.ca")
        return Stated(body, " ".join(contact.group(0).split()))
    owned = own_domain(pages)
    if owned:
        return Stated(as_printed(owned[0], text), owned[1])
    journal = journal_of(pages[0][:1500])
    if journal:
        return Stated(*journal)
    citation = re.search(r"\((?:19|20)\d\d[a-z]?\)\.?\s[^()]{5,300}?\.\s+[A-Z][a-z]+(?:,\s*[A-Z][\w ]+)?:\s*([A-Z][\w&'’ -]{1,60}?)\.",
                         flat)
    cited = organisation_name(citation.group(1)) if citation else None
    if citation and cited:  # a suggested citation: "(2019). Title. London: NHSX."
        return Stated(cited, citation.group(0))
    first, last = pages[0], pages[-1] if len(pages) > 1 else ""
    if len(pages) == 1:  # a text export: its start is its cover, its end its back cover
        first, last = first[:1500], first[-1500:]
    if len(last.split()) > 150:  # a full last page: its web addresses are references, its mailboxes contacts
        last = "\n".join(line for line in last.splitlines() if "@" in line or CONTACT.search(line))
    body = own_address(first + "\n" + last)
    if body:
        return Stated(body, None)
    # The cover's blocks: of a text export (one page), its start only, not the headings of its sections.
    cover = pages[0] if len(pages) > 1 or len(pages[0]) <= 1500 else pages[0][:1500].rpartition("\n")[0]
    blocks = identity_joined(re.split(r"\n\s*\n", cover)[:12])  # (whole lines: "District of Col…" is no body)
    rows = blocks[0].strip().split("\n", 1) if blocks else []
    heads = rows + blocks[1:] if len(rows) == 2 and len(rows[0].split()) <= 10 else blocks  # (its name over "Minutes …")
    for i, block in enumerate(heads[:-1]):
        line = " ".join(block.split())
        body = organisation_name(line) if 2 <= len(line.split()) <= 10 else None
        under = heads[i + 1].strip()
        if body and (BODY_WORD.fullmatch(line.split()[-1]) or BOROUGH_OF.match(line)) and (
                KIND_OF_DOCUMENT.match(under) or ACT_NAME.match(under)):
            # "Welsh Technical Standards Board" above "Minutes of the meeting" (or a notice's act): whose they are; a
            # committee's under the name of the body it is a committee of ("KELBROOK METROPOLITAN BOROUGH
            # COUNCIL" / "HEALTH AND ADULT SOCIAL CARE SCRUTINY COMMITTEE" / "MINUTES of …"), that body's
            above = " ".join(heads[i - 1].split()) if i else ""
            parent = organisation_name(above) if 2 <= len(above.split()) <= 10 else None
            if parent == above and re.search(r"(?:committee|panel|board|group|forum)$", line, re.I) \
                    and (BODY_END.fullmatch(above.split()[-1]) or above.startswith("NHS ")) \
                    and not re.search(r"(?:committee|panel)$", above, re.I):  # ("NHS" / "Tayside": a board's logo)
                return Stated(parent, above, _client_of(parent, pages[0]))
            return Stated(body, line, _client_of(body, pages[0]))
    borough: Stated | None = None
    for n, block in enumerate(blocks):
        rows = block.strip().splitlines()
        # A block's rows are a cover's lines when it has few; so are the first rows of the first blocks of a text
        # export that sets its cover without blank lines (pdftotext: title, subtitle, body, contents).
        # So are the rows of a first block of short lines ("EUROPEAN" / "COMMISSION" / "Brussels, 12.3.2025" / …).
        addressed = any(re.match(r"\s*(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Chief\s+Executive|Director)\b", row)
                        for row in rows[:6])  # (a letter's recipient, never its publisher)
        if n and any(re.match(r"\s*Dear\s", later) for later in blocks[n + 1:n + 3]):
            continue  # the recipient's address over "Dear …" (or over "By email: …" and it): never the publisher
        some = rows if len(rows) <= 3 else rows[:6] if n == 0 and not addressed and all(
            len(row.split()) <= 8 for row in rows[:6]) \
            else rows[:8] if n <= 1 and len(pages) == 1 else []
        lines = [" ".join(block.split())] + [" ".join(row.split()) for row in some]
        chair = re.compile(r"\s*(?:Chair|Chaired\s+by|Chairman|Chairwoman)\b")
        named_rows = rows[:-1] if len(rows) >= 2 and chair.match(rows[-1]) else rows if (
            n + 1 < len(blocks) and chair.match(blocks[n + 1])) else []
        chaired = " ".join(" ".join(named_rows).split())  # an inquiry's name over its "Chair: …"
        if chaired and (body := organisation_name(chaired)) and re.search(r"\b(?:inquiry|review|commission)\b", chaired,
                                                                          re.I):
            return Stated(body, chaired)
        # a row's cells, set apart by a wide gap in a page laid out as printed: "Congressional Research Service
        #      IN FOCUS"
        cells = [re.split(r"\s{4,}", row.strip()) for row in some]
        lines += [cell for row in cells if len(row) > 1 for cell in row]
        if len(cells) >= 2 and len(cells[0]) == len(cells[1]) == 2:  # two columns of two lines each
            lines[:0] = [f"{a} {b}" for a, b in zip(cells[0], cells[1], strict=True)]
        # a name the table lists, set on two rows: "EUROPEAN" / "COMMISSION"
        lines += [joined for a, b in itertools.pairwise(some) if is_listed(joined := " ".join(f"{a} {b}".split()))]
        # a masthead's parts: "NHS North Harrowden Integrated Care Board • Medicines Optimisation Team • for GP …"
        lines += [part.strip() for line in lines[:1] + [" ".join(row.split()) for row in some]
                  if " • " in line for part in line.split(" • ")[:1]]
        # a name printed in two languages: "Llywodraeth Cymru / Welsh Government" (not two partners' names)
        lines += [part for line in lines if line.count(" / ") == 1
                  and sum(bool(organisation_name(side)) for side in line.split(" / ")) == 1 for part in line.split(" / ")]
        for line in dict.fromkeys(lines):  # the block, else one of its first lines ("COUNCIL OF X" above a date)
            line = _without_trailing_date(line)  # "NDL Leeds, NHS West Yorkshire ICB 2023-01-24"
            if not 2 <= len(line.split()) <= 10:
                continue
            kind = body_before_kind(line)  # "U.S. Copyright Office Summary": the body naming its own document
            if kind:
                return Stated(kind, line, _client_of(kind, pages[0]))
            body = organisation_name(line)
            if body and generic_unit(body, text):
                continue  # "Medicines Optimisation Team": a team of whichever body it works for
            if body and (BODY_END.fullmatch(line.split()[-1]) or re.match(r"(?:Department|Office|Ministry)\b", line)
                         or is_listed(line)
                         or re.search(r"\b(?:Integrated Care|Health|Wellbeing) Board$", line)
                         or (len(line.split()) >= 3 and line.endswith(" Committee") and not _ADDRESSED.search(cover))
                         or FOREIGN_START.match(line)
                         or re.match(r"(?:" + "|".join(BODY_WORDS) + r")\s+(?:of|for)\s", line, re.I)
                         # a place's government named for it: "Region of Peel", "Regional Municipality of York"
                         or re.match(r"(?:regional\s+)?(?:region|province|municipality|shire)\s+of\s+[A-Z]", line, re.I)):
                return Stated(body, line, _client_of(body, pages[0]))
            if body and BOROUGH_OF.match(line) and not borough:
                borough = Stated(body, line, _client_of(body, pages[0]))
    # "London Borough of Ellingham": a borough, when no other body is named ("London Borough of Culture" over the
    # Greater London Authority is a programme's name)
    return borough


#: A body named where the document says whom to contact, over its postal address: "To obtain additional
#: information, please contact:" / "Public Health Agency of Canada" / "Address Locator 0900C2".
_CONTACT_BLOCK = re.compile(r"(?i:please\s+contact|contact\s+us\s+at|write\s+to)\s*:?[ \t]*\n\s*(?:the\s+)?"
                            r"([A-Z][^\n]{2,80})\n[ \t]*[^\n]*?(?:" + ADDRESS.pattern + ")")
#: A publishing house's name, which names no kind of body: "Emerald Publishing Limited", "Wiley Periodicals LLC",
#: "BioMed Central Ltd" (taken only where the text says it publishes the document).
_PUBLISHING_HOUSE = re.compile(r"((?:[A-Z][\w&'’-]*\s+){1,4}(?:Publishing|Publishers|Press|Periodicals|Central)"
                               r"(?:\s+(?:Limited|Ltd|LLC|Inc)\.?)?|(?:[A-Z][\w&'’-]*\s+){1,3}(?:Limited|Ltd|LLC))\b")
#: A firm's name: a contractor (a printer, a court reporter, a consultancy), not a document's publisher.
_FIRM = re.compile(r"^[^,;:]{2,60}?,?\s+(?:Inc|Ltd|LLC|LLP|Limited|plc|Corp|Corporation)\b")


def _two_bodies(name: str) -> bool:
    """ "the Auditor General for Scotland and the Accounts Commission": two bodies, neither the one publisher."""
    parts = name.split(" and ")
    return any(_names_a_body(" and ".join(parts[:n])) and _names_a_body(" and ".join(parts[n:]))
               for n in range(1, len(parts)))


def _names_a_body(line: str) -> bool:
    """Whether a line is a body's whole name: "UK Health Security Agency", "Department of Health and Social Care"."""
    name = organisation_name(line)
    if not name:
        return False
    return bool(BODY_END.fullmatch(name.split()[-1]) or re.match(r"(?:The\s+)?(?:Department|Office|Ministry)\b", name))


#: A cover that says the document is sent to the body it names: a submission or evidence to a committee.
_ADDRESSED = re.compile(r"(?im)^[ \t]*(?:submission|written evidence|evidence|response|a response|consultation "
                        r"response|comments)\s+(?:from|by|to|submitted)\b(?!\s+witnesses\b)")
def _signed_for(text: str) -> Stated | None:
    """The body a letter's signatories sign for: the lines under "Yours sincerely" that name a body ("Helen
    Aldridge" / "National Director of …" / "NHS England"), when every signatory who names one names the same."""
    closes = list(re.finditer(r"(?im)^[ \t*_]*(?:yours\s+(?:sincerely|faithfully)|kind\s+regards|best\s+wishes)\b.*$",
                              text))
    close = closes[-1] if closes else None
    dear = re.search(r"(?m)^[ \t*_]*Dear\s", text[:3000])
    if (close is None or close.start() < len(text) - 3000 or dear is None
            or re.search(r"(?im)^[ \t*_]*(?:appendix|annex|annexe|enclosure|attachment)\b", text[:dear.start()])):
        return None  # a letter signs off at its end (one quoted in an annex, a guest item's, is another's)
    bodies: list[Stated] = []
    for line in text[close.end():close.end() + 800].splitlines()[:16]:
        line = " ".join(line.strip(" *_").split())
        body = organisation_name(line) if 1 <= len(line.split()) <= 10 else None
        if body and (BODY_END.fullmatch(line.split()[-1]) or re.search(r"\b(?:Integrated Care|Health) Board$", line)
                     or re.match(r"Healthwatch\s", line)):
            bodies.append(Stated(body, line))
    names = {" ".join(found.body.casefold().split()) for found in bodies}
    return bodies[0] if len(names) == 1 else None


def _without_trailing_date(line: str) -> str:
    """A cover line without the date printed after the body's name on it."""
    from kb.ingest.extract.dates import trailing_date

    ends = trailing_date(line)
    return line[:ends[0]].rstrip(" ,|–—-") if ends else line


def _agreed(found: list[Stated], how: str) -> Stated:
    """The body every statement of one kind names; when they name different bodies ("About the Nuffield
    Trust" and "About the Health Foundation" in a joint report; a reference's "Published by" in the back
    matter), the first is held back with the others named, since which one published this document is not
    said."""
    def key(name: str) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", name.casefold().replace("&", "and")).split()).removeprefix("the ")

    def same(a: str, b: str) -> bool:  # "WHO" and "World Health Organization" are one body
        return key(a) in key(b) or key(b) in key(a) or abbreviates(a, b) or abbreviates(b, a)

    names: list[str] = []
    for stated in found:
        if not any(same(stated.body, other) for other in names):
            names.append(stated.body)
    if len(names) == 1:
        return found[0]
    return found[0]._replace(doubt=f"{how} names {len(names)} bodies: " + "; ".join(names[:4]))


def _client_of(body: str, cover: str) -> str | None:
    """Why a body printed on a cover may not be its publisher: the cover says another did the work on its
    behalf ("Conducted by YouGov on behalf of Teesside University"), that it paid for the work ("Commissioned
    by", "Funded by") or that it is a partner ("In partnership with"). None when the cover says none of these.
    ("Produced by a printer for X" is an imprint, read before: X published it.)"""
    flat = " ".join(cover[:3000].split())
    name = r"\s+".join(re.escape(w) for w in body.removeprefix("The ").split())
    if re.search(r"(?:\bby\s+(?:the\s+)?[A-Z][\w&'’ -]{1,60}?\s+on\s+behalf\s+of|\b(?:commissioned|funded|sponsored|"
                 r"supported)\s+by|\bin\s+(?:partnership|association|collaboration)\s+with)\s+(?:the\s+)?" + name + r"\b",
                 flat, re.I):
        return "the cover names it as the body the work was done for or with, not as who published it"
    return None


def _presented_by(text: str) -> tuple[str, str] | None:
    """The department of the minister who presents or signs the document ("Presented to Parliament by the
    Secretary of State for Health and Social Care", a letter signed "on behalf of the Secretary of State for
    ..."), as the document itself names that department; never a minister who only confirmed or approved it."""
    for m in re.finditer(r"(?<!confirmed )(?<!approved )(?:Presented\s+to\s+Parliament\s+by|[Oo]n\s+behalf\s+of)\s+(?:the\s+)?"
                         r"Secretary of State for\s+((?:[A-Z][\w'’-]*|and|&)(?:[ \t,]+(?:[A-Z][\w'’-]*|and|&))*)", text):
        topic = " ".join(m.group(1).split()).rstrip(",")
        while topic.split() and topic.split()[-1] in ("and", "&"):
            topic = topic.rsplit(" ", 1)[0]
        words = r"\s+".join(re.escape(w) for w in topic.split())
        named = re.search(r"\b(Department\s+(?:of|for)\s+(?:the\s+)?" + words + r")\b", text)
        if named:
            return " ".join(named.group(1).split()), m.group(0)
        known = {v.lower(): v for v in KNOWN_BODIES.values()}
        for prefix in ("Department of ", "Department for "):
            if (prefix + topic).lower() in known:
                return known[(prefix + topic).lower()], m.group(0)
    return None


def _speaking_as(flat: str) -> str | None:
    """The body a document speaks as: "all our work at NHSX", "At the King's Fund, we ...", "visit our NHS
    England data science website" (never "our colleagues at X" or "our partners at X": others)."""
    patterns = (
        r"\b[Oo]ur\s+(?:work|team|teams|mission|staff)\s+at\s+(?:the\s+)?([A-Z][\w'’&\- ]{1,80})",
        r"\b(?:[Hh]ere\s+at|At)\s+(?:the\s+)?([A-Z][\w'’&\- ]{1,60}?),?\s+we\s+(?:are|have|believe|want|work|aim)\b",
        r"\b[Oo]ur\s+((?:[A-Z][\w'’&-]*\s+){1,6})(?:[a-z]+\s+){0,3}(?:website|web site|blog|newsletter)\b",
    )
    for i, pattern in enumerate(patterns):
        for m in re.finditer(pattern, flat):
            if _quoted(flat, m.start()):
                continue
            words = m.group(1).split()
            shortest = len(words) if i == 1 else 1  # "At X, we": X whole, never "At the X Expo, we"
            for n in range(min(len(words), 10), shortest - 1, -1):  # the longest start that names a whole body
                body = _body_prefix(" ".join(words[:n]))
                if body and " ".join(words[:n]).endswith(body.split()[-1]) and (
                        body.lower() in KNOWN_BODIES or len(body.split()) > 1 and BODY_END.fullmatch(body.split()[-1])):
                    return body
    return None


#: Words that end the name of a body a document calls "our Trust", "our Council", "our lab".
#: Not "network", "partnership", "fund", "unit" or "centre": "across our network", "our partnership with X",
#: "our fund", "our unit" (a ward) are said of other things than the author.
#: Capitalised as names are: "our trust in data", "our society", "our foundation" are not bodies.
_OWN_NOUNS = ("Trust Council Board [Ll]ab [Ll]aboratory Institute Foundation Commission Authority Agency Inquiry "
              "College University Society Alliance Association Federation Confederation ICB").split()
#: Words that make a name generic ("an NHS Foundation Trust", "Integrated Care Board"), not one body's.
_GENERIC = frozenset(BODY_WORDS) | frozenset(
    "nhs hospital hospitals care integrated health social national local clinical commissioning mental acute "
    "community primary ambulance specialist teaching our this each every an a the of for and &".split())


def _our_body(text: str) -> str | None:
    """"Our Trust", "our lab": the one body of that kind the document names in full is its author
    ("Yeovil District Hospital NHS Foundation Trust"); none when it names several or only a generic one."""
    flat = " ".join(text.split())
    for m in re.finditer(r"\b[Oo]ur\s+(" + "|".join(_OWN_NOUNS) + r")\b", flat):
        if _quoted(flat, m.start()):
            continue
        names = set()
        # Names as printed on one line, so that a heading above ("1. RATIONALE") is not read into them.
        for named in re.finditer(r"\b((?:[A-Z][\w'’&-]*[ \t]+(?:(?:of|for|and|&)[ \t]+)?){1,8})(?i:" + m.group(1)
                                 + r")\b", text):
            words = named.group(0).split()
            while words and words[0].lower() in _LEADING:
                words = words[1:]
            if (len(words) < 2 or not words[-1][:1].isupper() or all(w.lower() in _GENERIC for w in words)
                    or re.fullmatch(r"[A-Z]{5,}", words[0])):
                continue
            body = organisation_name(" ".join(words))
            if body:
                names.add(body)
        whole = {n for n in names if not any(o != n and o.endswith(" " + n) for o in names)}
        return whole.pop() if len(whole) == 1 else None
    return None


_LEADING = frozenset("the a an our this that these each every all in at by for from since with within across when "
                     "while whilst where if as to of on under and or but both however although because after before "
                     "during following through between including".split())


def _spoken(head: str) -> bool:
    """Whether the first pages read as a transcript: it says so at its top ("Transcript of ...", "Edited
    Hansard", "Verbatim report"), or holds five turns of speakers, two of them speaking more than once ("Lady
    Hallett: Good morning", "Mr. Tony Valeri (Parliamentary Secretary ...):"; a cover's fields, "Date:",
    "Version:", each come once; a heading repeated with its colon, "Infected Blood Inquiry:", is one voice), or
    five time stamps ("(10.00 am)", "01:00:15.359"). What its speakers say of
    their own bodies ("our Trust", "X is an independent regulator") is theirs, not the publisher's."""
    if re.search(r"\b(?:transcripts?|verbatim|hansard|official report of (?:the )?debates?|oral (?:argument|evidence))\b",
                 head[:400], re.I):
        return True
    speakers = re.findall(r"(?m)^[ \t]*((?:[A-Z][\w.'’-]*[ \t]+){0,4}[A-Z][\w.'’-]*(?:[ \t]*\([^()\n]{1,80}\))?:|[QA]\.)"
                          r"(?:[ \t]|$)", head)
    stamps = re.findall(r"(?m)^[ \t]*\(?\d{1,2}[.:]\d\d(?:[.:]\d\d(?:[.,]\d+)?)?(?:[ \t]*[ap]\.?m\.?)?\)?(?:[ \t]|$)",
                        head)
    again = {speaker for speaker in speakers if speakers.count(speaker) >= 2}
    return (len(speakers) >= 5 and len(again) >= 2) or len(stamps) >= 5  # two voices taking turns


def _scholarly(head: str) -> bool:
    """Whether the first pages read as a paper or abstract (an Abstract or Keywords heading, a DOI, a
    corresponding author), whose affiliations and "our hospital" name where its authors work."""
    return bool(re.search(r"(?im)^[ \t]*(?:abstract|keywords?|key words)\b|\bdoi(?:\.org/|:\s*)10\.|"
                          r"\bcorrespond(?:ing author|ence to)\b", head))


def _quoted(flat: str, at: int) -> bool:
    """Whether position ``at`` lies inside a quotation opened earlier in its paragraph (a quoted interviewee's
    "our trust" is not the author's)."""
    before = flat[max(0, at - 400):at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _is_funder(body: str, text: str) -> bool:
    """Whether the text says ``body`` funded or supported the work (a report describes its funder too)."""
    name = re.escape(body.removeprefix("The ").removeprefix("the "))
    return bool(re.search(r"\b(?:funded|supported|sponsored|grant(?:ed)?|funding)\s+(?:by|from)\s+(?:the\s+)?" + name,
                          " ".join(text.split()), re.I))


def _body_prefix(text: str) -> str | None:
    """The organisation name at the start of ``text`` ("NHS England in 2023, ..." -> "NHS England")."""
    words = text.replace("’", "'").split()
    words = words[:next((i for i, word in enumerate(words) if i and word == "The"), len(words))]  # a new name
    # (its address after it: "Her Majesty's Inspectorate of Prisons 3rd floor 10 South Colonnade", "… Clive House")
    words = words[:next((i for i, word in enumerate(words) if i and (re.match(r"\d", word) or (
        i >= 2 and i + 1 < len(words) and words[i + 1].strip(",") in ("House", "Building", "Tower", "Buildings")))),
        len(words))]
    for n in range(min(len(words), 10), 0, -1):
        if n < len(words) and words[n] in ("Paper", "Papers", "No.", "Number") and re.fullmatch(r"[A-Z]{2,4}",
                                                                                                   words[n - 1]):
            continue  # "House of Lords HL Paper 64": the series' letters, not the body's
        candidate = " ".join(words[:n]).strip(" ,;-")
        body = organisation_name(candidate)
        if body:
            return KNOWN_BODIES.get(body.lower(), body) if n == 1 else body
    return None
