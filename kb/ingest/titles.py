"""What reads as a document's title: the checks every candidate passes (not a label, a date, a placeholder, a
file name, a byline, a body's bare name or a sentence), the cleaning it gets (markup, a site's name, a file's
date prefix) and the cover's limits (a line after the body's first words names a section). Shared by the PDF
cover reader, the Markdown and text extractors and ``kb.ingest.metadata``, which chooses among candidates.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import PurePosixPath

from kb.ingest.bilingual import is_other_language_name
from kb.ingest.extract.stated_dates import with_wrapped_days
from kb.ingest.kinds import APPROVAL_STAMP, MOTTO, names_only_a_kind
from kb.ingest.mastheads import IN_THIS_ISSUE, ISSUE, JOURNAL, PERIODICAL_ISSUE
from kb.ingest.orgnames import BODY_END, CONNECTORS, KIND_OF_DOCUMENT, organisation_name

#: Words of a sentence (a verb, a person speaking), which a title set as a phrase rarely has.
FINITE = re.compile(r"\b(?:is|are|was|were|will|would|has|have|had|be|been|we|our|you|your|this|these|it|its|"
                    r"can|could|should|must|may|might|do|does|did|not)\b", re.I)


def text_lines(text: str, limit: int = 6) -> list[str]:
    """The first ``limit`` lines of a text that hold anything, stripped (a day wrapped from its month joined)."""
    lines = itertools.islice(filter(None, map(str.strip, text.splitlines())), 2 * limit)
    return with_wrapped_days(list(lines))[:limit]


#: Last words of a title that lead into the date after them ("Changes since March 2020", "Accounts for the
#: year ending March 2024"): that date is part of the title.
_LEADS_TO_DATE = CONNECTORS | frozenset(
    "since until till through during after before ending ended held published updated issued dated effective as "
    "into within across between towards".split())


def before_date(line: str) -> str:
    """A line less the date it ends with: "By Daniel Okafor, Susan Whitfield 7 May 2025" -> its byline."""
    from kb.ingest.extract.dates import trailing_date

    ends = trailing_date(line)
    return line[:ends[0]].rstrip(" ,|–—-") if ends else line


def without_trailing_date(title: str) -> str:
    """A title without the month it ends with ("… for England January 2019"): the date the cover prints for the
    edition, not part of its name. A day stays ("Board Meeting 23 September 2025" names the meeting), and so
    does a date the title leads into ("… Hearing on 4 October 2022")."""
    from kb.ingest.extract.dates import trailing_date
    from kb.models import PartialDate

    iso = re.search(r"\s((?:19|20)\d\d)-(0[1-9]|1[0-2])$", title)  # "… Edition 1.0 2004-08"
    ends = (iso.start(1), PartialDate(f"{iso.group(1)}-{iso.group(2)}", "month")) if iso else trailing_date(title)
    if ends and ends[1].precision == "month":
        lead = title[:ends[0]].rstrip()
        rest = lead.rstrip(" ,–—-|")
        if len(rest.split()) >= 3 and rest.split()[-1].lower() not in _LEADS_TO_DATE \
                and not lead.endswith((":", "-", "–", "—")):
            return rest  # (not "Background checks by state: November 2015", a monthly table's edition)
    return title


def up_to_date(line: str) -> str:
    """A title's last line up to the date printed after it ("for England January 2019 Contents" -> "for
    England"): the normaliser joins a cover's short lines, and what follows the edition's date is no part of
    the title. A date the line leads into stays ("for the year ending March 2024")."""
    from kb.ingest.extract.dates import dates_in_line

    found = dates_in_line(line)
    if not found:
        return line
    lead = line[:found[0][0]].rstrip(" ,–—-|")
    if (not lead.split() or lead.split()[-1].lower() in _LEADS_TO_DATE | _PERIOD_WORDS
            or lead.count("(") > lead.count(")")):
        return line  # "for the period April 2019 to March 2020", "for Covid-19 (March 2020 edition)"
    return lead


_PERIOD_WORDS = frozenset({"period", "year", "years", "quarter", "month", "months", "edition", "week", "season"})


#: A cover's field name alone on its line, its value on the next ("Authors" / "Frank Wood, …", "Date" / …).
FIELD_NAME = re.compile(r"(?i:authors?|date|dates|version(?: number| no\.?)?|status|owner|document owner|"
                         r"prepared by|produced by|written by|published|publication date|reference|ref|contact|"
                         r"e-?mail|telephone|tel|review date|approved by|audience|classification|purpose|"
                         r"document (?:number|no\.?|type|reference|status)|issue date|effective date|"
                         r"jel classification|jel codes?|keywords)\s*:?")


ACRONYM_LABEL = re.compile(r"[A-Z]{2,6}\s.{0,30}\b(?:briefing|brief|report|paper|note|bulletin|submission|response)")
#: Words that make a line name a document, not the body whose name it ends with ("… Round-Up", "… for England").
DOCUMENT_WORD = re.compile(r"\b(?:constitution|handbook|standards?|framework|report|review|plan|strategy|"
                            r"guidance|summary|analysis|agenda|minutes|papers?|meeting|round-up|act|bill|code|"
                            r"charter|policy|programme|profile|update|newsletter|bulletin|for|in)\b", re.I)


def bare_body(value: str, pair: bool = True) -> bool:
    """Whether a title candidate is only a body's name: "NHS Leeds Integrated Care Board", "Leeds City Council",
    or one the bodies table lists ("Congressional Research Service"); or, with ``pair``, two such names run
    together ("House Committee on Public Health Texas House of Representatives": a committee and its house)."""
    from kb.ingest.bodies import is_listed

    value = re.sub(r"\s+\((?-i:[A-Z][A-Za-z]{1,9})\)$", "", value.strip())  # "… Regulation Authority (Ofwat)"
    words = value.split()
    if pair and 4 <= len(words) <= 14 and any(
            bare_body(" ".join(words[:n]), False) and bare_body(" ".join(words[n:]), False)
            for n in range(2, len(words) - 1) if words[n][:1].isupper()):
        return True

    named = re.match(
        r"(?:the\s+)?(?:royal\s+|london\s+|metropolitan\s+|(?-i:[A-Z][a-z]+\s+){1,2}(?=(?i:office|ministry|college|"
        r"society|institute|association|academy)))?(?:department|ministry|office|college|society|institute|association|"
        r"academy|faculty|federation|confederation|university|city|county|town|borough|parliament|government|"
        r"directorate|region|province|state|commonwealth|municipality|district|shire|union|league)\s+(?:of|for)\s", value, re.I)
    place = re.fullmatch(r"(?:the\s+)?(?:region|province|state|commonwealth|municipality|shire)\s+of\s+"
                         r"(?:[A-Z][\w'’-]*\s*){1,3}", value, re.I)  # "Region of Peel", "COMMONWEALTH OF AUSTRALIA"
    if is_listed(value) or place or (len(value.split()) <= 8 and named and organisation_name(value) == value
                                     and not DOCUMENT_WORD.search(value[named.end():])):
        return True  # ("MINISTRY OF HEALTH", "ROYAL COLLEGE OF EMERGENCY MEDICINE", "Directorate for Employment, …")
    if len(words) <= 10 and re.fullmatch(r"(?:(?:[A-Z][\w'’&-]*|the)\s+){0,3}(?i:committee|subcommittee|sub-committee)\s+"
                                         r"(?i:on|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+(?i:and|&|of))?\s*){1,5}", value) \
            and not DOCUMENT_WORD.search(value):
        return True  # "House Committee on Public Health", "Select Committee on Adult Social Care"
    if re.fullmatch(r"(?:[A-Z][\w'’&]*\s+(?:(?:and|&)\s+)?){0,4}Commissioner(?:['’]s\s+Office)?(?:\s+(?:for|of)\s+"
                    r"(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,3})?", value.strip()):
        return True  # "Police & Crime Commissioner for Mercia Vale", "Children's Commissioner for Wales": an office
    # (a document's word inside a research body's name is the name's: "Northern Policy Forum", "Centre for Policy …")
    research = re.search(r"\b(?:forum|institute|centre|center|foundation|network)$", value.strip(), re.I)
    return (organisation_name(value) == value and (not DOCUMENT_WORD.search(value) or bool(research))
            and bool(re.search(r"\b(?:board|committee|forum|network|representatives|senate|legislature|lords|commons|providers|ips|cic|ltd|limited|plc|inc|county|"
                               + BODY_END.pattern  # (a whole word: "Statistics" is no "ICS")
                               + r")\.?$", value, re.I)))


#: Words of text after which a line is the body's (a section's heading), not the cover's.
COVER_WORDS = 60


def body_start(lines: list[str], skip: set[int] | None = None) -> int:
    """The index of the first line after the first ``COVER_WORDS`` words of a text's body: a heading or line
    after it names a section ("1 Introduction", "Access to health services" after the preamble), never the
    document, when the title itself was lost (a cover that is a picture). Counted in lines of prose (five words
    or more): not the lines ``skip`` names (headings), a list's items or a table's rows (a web page's menus),
    nor a contents line."""
    words = 0
    for n, line in enumerate(lines):
        if (skip and n in skip) or line.lstrip().startswith(("•", "|")) or _CONTENTS_LINE.search(line):
            continue
        if len(line.split()) >= 5:
            words += len(line.split())
            if words > COVER_WORDS:
                return n + 1
    return len(lines)


#: Lines that label a page rather than name the document.
LABELS = re.compile(
    r"^(?:(?:security\s+)?classification\s*:.*|"
    # a protective marking with its qualifier: "OFFICIAL - SENSITIVE", "Official - Subject to Final Review"
    r"(?:official|restricted|confidential|unclassified|not protectively marked|protect)\s+[-–—]\s+.*|(?:official|official[- ]sensitive|not protectively marked|"
    r"protect|restricted|confidential|unclassified|sensitive|draft|final|final draft|for publication|"
    # a record's or a paper's status, its words alone: "DRAFT – UNCONFIRMED", "Unconfirmed", "For approval"
    r"(?:(?:draft|unconfirmed|unapproved|not\s+yet\s+approved|subject\s+to\s+approval|for\s+(?:approval|information|"
    r"decision|discussion|noting|assurance)|not\s+for\s+publication|in\s+confidence)(?:\s*[-–—/|,:]\s*|\s+|(?=[.:]?$)))+|"
    # a statistics series' mark: "An Official statistics release for Scotland", "Accredited official statistics"
    r"(?:an?\s+)?(?:accredited\s+)?(?:official|national|experimental)\s+statistics(?:\s+(?:release|publication))?"
    r"(?:\s+for\s+\w+(?:\s+\w+)?)?|"
    r"document outline|outline|contents|table of contents|index|glossary|foreword|preface|summary|"
    r"executive summary|abstract|introduction|background|acknowledge?ments|appendix|annex|title|title page|"
    r"untitled(?:[- ]?\d+| document)?|document\d*|cover|front cover|back cover|about this (?:report|document)|"
    r"powerpoint presentation|presentation|presentation title|click to add title|subtitle|heading|"
    r"title of (?:the )?(?:report|document|presentation)|report title|document title|"
    r"key (?:points|messages|findings)|overview|references|bibliography|notes|contact us|"
    r"notes (?:to|for) (?:the )?(?:readers?|editors|users)|about (?:the|these) (?:data|statistics)|"
    r"(?:image|photo|picture) credits|credits|"
    # a web page's furniture, first in its Markdown export
    r"(?:skip|jump) to (?:the )?(?:main )?content|cookies?|cookie (?:settings|policy|preferences)|(?:accept|reject) (?:all )?cookies|"
    r"menu|"
    r"main menu|navigation|search|breadcrumb|accessibility|"
    # a parliament's record's furniture: "Session 6", "The Record of Proceedings", "Proof Committee Hansard"
    r"session \d+|(?:the )?record of proceedings|official report|(?:proof )?(?:committee )?hansard|"
    r"accompanying the document|topics?:.*|"
    r"media contacts?|press (?:office|contacts?)|"
    r""
    r"(?:report|document|word|presentation|powerpoint|briefing|paper)\s+template|template)[.:]?)$",
    re.I,
)
# "Publication reference: PRN00817", "Version: 1.2", "Document owner: Finance": fields, not titles.
FIELD = re.compile(
    r"^(?:publication|publishing|document|reference|ref|gateway|version|status|owner|author|authors|approved|approval|"
    r"classification|date|review|issue|issued|audience|prepared|produced|published|updated|last|next|"
    r"contact|email|telephone|tel|web|website|copyright|licence|license|isbn|issn|doi|project|programme code|"
    r"job|print|ccs|crown|chair|chaired|chairs|chairman|chairwoman|chairperson|presenter)\b[\w ]{0,25}:\s*\S"
    # a meeting's fields, their names whole: "Held at:", "Venue:", "Present:", "Before:" (never "Held back: …")
    r"|^(?:held\s+(?:at|in|on)|venue|location|address|media|webcast|present|before|apologies(?:\s+for\s+absence)?|attendees|"
    r"in\s+attendance|counsel(?:\s+to\s+the\s+inquiry)?|witness(?:es)?|members(?:\s+present)?)\s*:\s*\S",
    re.I,
)
_PLACEHOLDER = re.compile(r"\[\s*(?:insert|enter|add|type)\b|\btemplate\b|^\s*\[.*\]\s*$|lorem ipsum|click here to",
                          re.I)
APP_PREFIX = re.compile(r"^\s*Microsoft\s+(?:Word|PowerPoint|Excel|Office)\b.*?-\s*", re.I)
FILE_NAME = re.compile(r"\.(?:pdf|docx?|dotx?|pptx?|xlsx?|indd|odt|rtf|txt|html?|md|tex)\s*$", re.I)
# "Version 2.3", "Page 4", "Committee Report 4.3", "Agenda item 7", "Paper 12b"
_NUMBERED_LABEL = re.compile(
    r"^(?:[A-Za-z]+\s+){0,3}(?:version|v|issue|rev(?:ision)?|page|p|slide|report|paper|item|agenda item|submission|"
    r"appendix|annex|enclosure|section|chapter|part|table|figure|note|bulletin|brief)\.?\s*(?-i:[A-Z]{0,4})\s?"
    r"(?!(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?$)[0-9][0-9.]*[a-z]?"
    r"(?:\s+of\s+\d+)?$"
    r"|^(?-i:[A-Z]{4,})\s+(?:number|no\.?)\s*\d+$"  # a series' name in capitals and its number: "POSTNOTE Number 479"
    # a series and the number of the paper in it: "TRANSPORT SERIES | PAPER 6", "Policy series, no. 12"
    r"|^(?:[\w&'’-]+\s+){0,4}series\s*[|:,·–—-]?\s*(?:(?:paper|report|brief(?:ing)?|note|number|no\.?|issue)\s*)?\d+$",
    re.I,
)
# "CP 1478", "Cm 9999", "HC 123", "SG/2024/56": the numbers Parliament gives its papers, printed on covers.
_PAPER_NUMBER = re.compile(r"^(?:CP|Cm|Cmd|Cmnd|HC|HL|SG|SE|NIA|Cd)\b[\s/.]*\d[\d/ -]*$", re.I)
# A contents line: "Proposals for a framework Page 5", "Introduction ........ 3".
_CONTENTS_LINE = re.compile(r"\bPage\s+\d+\b|\.{4,}\s*\d+\s*$|…\s*p?\d+\s*$", re.I)
NAMED_RECORD = re.compile(r"(MINUTES|Minutes|AGENDA|Agenda)\s+(?i:of\s+(?:the|a)\s+(?:meeting\s+of\s+(?:the\s+)?)?)"
                          r"(?:[A-Z][^:]*?\b)?(?i:board|committee|panel|council|governors|group|forum|cabinet|assembly)"
                          r"(?i:\s+meeting)?(?i:\s+(?:in\s+public|\([^()]*\)))?(?=\s+(?i:held)\s+(?i:at|on|in|via|remotely)\b)")
#: A label in capitals run into a record's first words: "OPEN MINUTES Minutes of a meeting of …".
RECORD_LABEL = re.compile(r"(?:[A-Z]{2,}\s+){1,3}(?=(?:MINUTES|Minutes|AGENDA|Agenda)\s)")
#: A web page's own furniture saved with it: "Cookies on the NHS England website", "Skip to main content".
_SITE_CHROME = re.compile(r"(?:cookies?\s+(?:on|settings|preferences|policy|notice)\b|we\s+use\s+cookies|"
                          r"an\s+official\s+website\s+of\b|here['’]s\s+how\s+you\s+know|"  # a US government site's banner
                          r"an?\s+(?:[A-Z]\w+\s+){1,3}government\s+(?:agency\s+)?website\b|how\s+to\s+identify$|"  # Singapore's
                          r"skip\s+to\b|accept\s+(?:all\s+|additional\s+)?cookies|home\s*[>/»›]|you\s+are\s+here\b|"
                          r"(?:[^>»›]{1,40}\s[>»›]\s){2}|"  # a trail of links: "Eurostat > Web > Products …"
                          r"(?:[^/]{1,30}\s/\s){2,}[^/]{1,30}$|"  # or "Research / Health Care / Policy Brief"
                          r"(?:[^•·]{1,30}\s[•·]\s){2,}[^•·]{1,30}$|"  # a menu: "Parliamentary Business • Members • Committees • …"
                          r"(?-i:(?=(?:.*?\b[A-Z][a-z]+ing\b){3})(?!.*\b[a-z]+\b)(?!.*[:\d])))", re.I)  # a menu: "Living Working …"
#: A person's name and the office held, either way round, as a committee report's cover prints its officers.
_ROLE = r"(?i:(?:committee\s+|vice[- ])?(?:chair(?:man|woman|person)?|clerk|secretary|president|director|convener))"
_ROLE_LINE = re.compile(r"(?:[A-Z][\w.'’-]+\s+){1,3}" + _ROLE + r"|" + _ROLE + r"(?:\s+[A-Z][\w.'’-]+){2,3}")
#: A committee report's place in its series: "2nd Report of Session 2023–24", "Fourth Special Report of Session …".
SESSION_REPORT = re.compile(r"(?:\w+\s+)?(?:special\s+)?report\s+of\s+session\b"
                            # a parliament's number and its session: "43rd PARLIAMENT, 2nd SESSION"
                            r"|\d+(?:st|nd|rd|th)\s+parliament,?\s+\d+(?:st|nd|rd|th)\s+session$", re.I)
#: A part of a document named by a letter: "Enclosure B", "Part A", "Appendix C".
_LETTER_LABEL = re.compile(r"^(?:appendix|annex|annexe|enclosure|part|section|schedule|item|paper|attachment|"
                           r"exhibit|tab)\s+[A-Z]\d*$", re.I)
#: A byline ("By Claire Duddy", "Authors: ..."), a report's number ("NIST AI 100-1", "CP 1478", "WHO/EURO/2024-1"), a
#: print header ("11/24/25, 5:39 PM") or a system field ("Userid: DTD INSTR04"): on a text export's first lines.
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
BYLINE = re.compile(r"^(?i:by|authors?|written by|compiled by|edited by):?\s+" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME
                     + r")*(?:\s*(?:,|and|&))?$")  # "By Rebecca Linford," its names going on on the next line
#: Who made it or for whom: "Conducted by YouGov on behalf of …", "Prepared for …", "Funded by …".
#: An imprint's line: "Presented to Parliament pursuant to section 26 of the Inquiries Act 2005", "Laid before the
#: Scottish Parliament …": how the document was published, not what it is called.
_LAID = re.compile(r"(?:presented|laid)\s+(?:to|before)\s+(?:the\s+)?(?:parliament|houses?\b|senedd|scottish\s+parliament|"
                   r"northern\s+ireland\s+assembly|oireachtas|congress)", re.I)
_CREDIT = re.compile(r"^(?:conducted|prepared|produced|published|commissioned|presented|funded|supported|sponsored|"
                     r"written|compiled|edited|designed|printed)\s+(?:(?:on|in)\s+[^,;]{3,30}?\s+)?by\b", re.I)
# ("Published on 12 July 2019 by authority of the House of Commons": an imprint, not a title)
#: Words a line of a title set on several lines ends with when the next line goes on ("THE HANDBOOK TO" / "The
#: NHS Constitution"), and those a line starts with, in lower case, when it goes on from the line above ("for
#: England"; never "by" or "from", which start a byline or a credit).
ENDS_ON = CONNECTORS | {"without", "into", "between", "across", "through", "towards", "under", "within", "beyond",
                        "after", "before", "since", "until"}
STARTS_ON = ENDS_ON - {"by", "from", "a", "an", "after", "before", "since", "until"}


def is_credit(line: str) -> bool:
    """Whether a line says who made a document rather than what it is: "By Claire Duddy", "Conducted by …"."""
    line = " ".join(line.split())
    return bool(BYLINE.match(line) or _CREDIT.match(line))
_CODE = r"(?:[A-Z]{1,5}\d*|\d+)(?:[/.-](?:[A-Z]{1,5}\d*|\d+))*"
_IDENTIFIER = re.compile(r"^(?=.*\d)" + _CODE + r"(?:\s+" + _CODE + r"){0,3}$")
_PRINT_STAMP = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?[Mm]\.?)?\b")
_CODE_FIELD = re.compile(r"^[A-Za-z][\w ]{1,15}:\s*(?:\S+\s*){1,3}$")
_DATE_PREFIX = re.compile(r"^\s*(?:19|20)\d\d[01]\d(?:[0-3]\d)?\s*[-_–—:.]*\s*")
_REPEAT = re.compile(r"(\S.{6,}?)\s*\1")
URL = re.compile(r"(?:https?://|www\.|\S+@\S+\.\w|\.(?:com|org|uk|net|gov)\b/?)", re.I)
#: A line of a postal address: a postcode ("LS1 4HR", "NSW 2065", "1216 Copenhagen K"), a mailbox ("PO Box 2199",
#: "Locked Mail Bag 2030"), a street and its number ("1 Reserve Road", "Slotsholmsgade 10-12").
ADDRESS = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b(?:PO|P\.O\.)\s*Box\s+\d|\bLocked\s+(?:Mail\s+)?Bag\s+\d|"
                     r"\b\d{1,5}(?:[-–]\d{1,5})?\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Street|St|Road|Rd|Lane|Avenue|Ave|Drive|"
                     r"Place|Square|Way|Boulevard|Blvd|Terrace|Crescent)\b|\b[A-Z][a-zæøåäöüß]+(?:gade|straße|strasse|"
                     r"weg|laan|vej|gatan|gasse)\s+\d|\b(?:NSW|VIC|QLD|ACT|TAS|NT)\s+\d{4}\b|\b\d{4}\s+[A-Z][a-z]+\s+[A-Z]\b|"
                     r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b(?-i:[A-Z]{2})\s+\d{5}(?:-\d{4})?\b|\bAddress\s+Locator\b")
CONTACT = re.compile(r"\b(?:voice|tel|telephone|phone|fax|helpline|hotline)\s*[:.]?\s*[+(]?\d[\d() -]{5,}|,\s*[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.I)
_SITE_SUFFIX = re.compile(r"\s+[-|–—·•]\s+([^-|–—·•]{2,60})$")
_LEFTOVER_MARKUP = re.compile(r"(?:^[#>\s]+|[*_`~]+|\\)")


_TIME = r"(?:\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?|\d{1,2}(?:\.\d\d)?\s*[ap]\.?m\.?)"  # 14:00, 10.30am, 2pm
#: When a meeting sat, at the end of its record's title: "… 28 March 2019 – 14:00-17:00", "… at 10.30am", with
#: where it sat ("… AT 9.00 AM IN THE BOARDROOM, ST MARGARET'S HOSPITAL AND VIA MICROSOFT TEAMS").
MEETING_TIME = re.compile(r"(?:\s*[,–—-]\s*|\s+)(?:at\s+)?" + _TIME + r"(?:\s*(?:[-–—]|to)\s*" + _TIME + r")?"
                           r"(?:,?\s+(?:in|at|via|on)\s[^:;]*)?$", re.I)


#: A series' number before a title: "Number CBP 10081", "CP 1478", "HC 1234" (not "Number 10").
_SERIES_NUMBER = re.compile(r"(?:(?:Number|No\.?)\s+[A-Z]{2,5}[\s-]?\d[\d/-]*|(?:CP|Cm|Cmd|Cmnd|HC|HL|SG|SE)"
                            r"\s+\d[\d/-]*)\s+(?=[A-Z])")


#: A report's number before its title in a file's properties: "GAO-25-107318, Medicaid home- and …".
_REPORT_NUMBER = re.compile(r"[A-Z]{2,6}-\d{2,4}-\d{2,7}\s*[,:–—]\s+(?=[A-Z])|PRN\d{4,6}\s+(?=\S)")  # "PRN01711 …"


def clean_title(value: str, site: str | list | None = None) -> str:
    """A candidate title without markup, a file's date prefix or a site's name ("… - GOV.UK")."""
    from kb.ingest.extract.dates import dates_in_line
    from kb.ingest.extract.stated_dates import printed_day

    value = " ".join(str(value or "").split())
    if APP_PREFIX.match(value):
        return ""  # "Microsoft Word - report_v3": the name of the file it was printed from
    value = _LEFTOVER_MARKUP.sub(lambda m: "" if m.group(0).strip(" ") else m.group(0), value)
    value = re.sub(r"\b((?:19|20)\d\d[–-])\s+(?=(?:19|20)?\d\d\b)", r"\1", " ".join(value.split()))  # "2022– 2027"
    value = _DATE_PREFIX.sub("", value)
    value = re.sub(r"^(?:subject|title|topic)\s*:\s+(?=\S+\s+\S)", "", value, flags=re.I)  # a field's label before it
    # a file's version after its name, typed into its properties: "Discussion Paper - Urban Mobility Tier 2 - final"
    value = re.sub(r"(?:\s+[-–_]\s*|_)(?:final|draft|v\d+(?:\.\d+)*)(?:[\s_-]+(?:final|draft|v\d+(?:\.\d+)*))*\s*$", "",
                   value, flags=re.I)
    sat = MEETING_TIME.search(value)
    if sat and _dated(value[:sat.start()]):
        value = value[:sat.start()]  # "… Thursday 28 March 2019 – 14:00-17:00": when it met, not its name
    value = re.sub(r"^(?:\d+\.(?:\d+\.?)*|\d+(?:\.\d+)+)\s+(?=[A-Z])", "", value)  # "1. Introduction to ..."
    # a meeting's record that names what met and the day it sat, less where and when in the day: "MINUTES of the
    # meeting of the … Committee held at the Council Chamber, …, on Monday, 13 October 2025 at 2.00 pm"
    # (the body's name before a record that names what met: "DAREBIN CITY COUNCIL: MINUTES OF THE COUNCIL MEETING …")
    body = re.match(r"([^:]{3,80}):\s+(?=(?:MINUTES|Minutes|AGENDA|Agenda)\s)", value)
    if body and bare_body(body.group(1)) and NAMED_RECORD.match(value, body.end()):
        value = value[body.end():]
    label = RECORD_LABEL.match(value)
    record = NAMED_RECORD.match(value, label.end() if label else 0)  # ("OPEN MINUTES Minutes of a meeting …")
    if record and label:
        value = value[label.end():]
        record = NAMED_RECORD.match(value)
    if record:
        rest = value[record.end():record.end() + 200]
        day = next(iter(dates_in_line(rest)), None)
        sitting = re.match(r"\s+held\s+(in\s+(?:public|private)\s+)?", rest, re.I)  # ("held in public on …")
        said = printed_day(rest, day[0], day[1]) if day else ""
        named = value[len(record.group(1)):record.end()]
        if named.isupper():  # a record in capitals: its day as a sentence writes it (the rest recased from the text)
            said = said.title()
        value = record.group(1).capitalize() + named + (
            f" held {((sitting.group(1) if sitting else None) or '').lower()}on {said}" if day else "")
    # "Number CBP 10081 Infected Blood Inquiry: …", "CP 1478 Government response to …": a series' number set
    # before the title it numbers (left alone when nothing that reads as a title follows it)
    # "Prescribing Bulletin Volume 6, Issue 3": a periodical's title without the issue it is
    value = re.sub(r"(?i)\b(newsletter|bulletin|update|digest|magazine|briefing|gazette)\s*[,|:–—-]?\s*"
                   r"(?:vol(?:ume)?\.?\s*\d+\s*[,|]?\s*)?(?:(?:issue|no\.?|number)\s*\d+)?$", r"\1", value)
    # "… Final Report NDL [ Leeds Network Data Lab ]": a template's field filled in after the title
    value = re.sub(r"\s+(?:[A-Z]{2,6}\s*)?\[\s*[^\[\]]*?\S+\s+\S+\s+\S+[^\[\]]*\]$", "", value)
    value = re.sub(r",?\s+(?:HC|HL)(?:\s+(?:Paper\s+)?\d+)?$", "", value)  # "…, HC" / "789": the paper's number
    # "{SWD(2025) 61 final}": the EU documents this one goes with, printed under its title
    value = re.sub(r"(?:\s*[{\[]\s*(?:COM|SWD|SEC|JOIN|C)\s*\(\d{4}\)\s*\d+[^{}\[\]]*[}\]](?:\s*-)?)+$", "", value)
    # a recording's file name: "… - 16 January 2025-20250116_140212-Meeting Recording"
    value = re.sub(r"[-_ ]+\d{8}[_ ]?\d{4,6}(?:[-_ ][\w ]*?recording)?$", "", value, flags=re.I)
    numbered = _SERIES_NUMBER.match(value) or _REPORT_NUMBER.match(value)
    if numbered and len(re.findall(r"[^\W\d_]{2,}", value[numbered.end():])) >= 3:
        value = value[numbered.end():]
    if value.endswith(".") and not value.endswith("..") and ". " not in value and len(value.split()[-1]) > 3:
        value = value[:-1]
    head = re.match(r"([^|]{2,60}?)\s+\|\s+(?=\S)", value)
    if head and organisation_name(head.group(1)) == head.group(1).strip():
        value = value[head.end():]  # "NHS England | National engagement on data": a page header's body name
    for _ in range(2):
        m = _SITE_SUFFIX.search(value)
        if not m:
            break
        tail = fold(m.group(1)).removeprefix("the ")
        names = {fold(name).removeprefix("the ") for name in ([site] if isinstance(site, str) else site or []) if name}
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
    if (URL.search(line) or LABELS.match(line) or _NUMBERED_LABEL.match(line) or FIELD.match(line)
            or _REPEAT.search(line[:300]) or _LETTER_SPACED.search(line)):
        return False
    return not dates_in_line(line)


#: A label set in spaced capitals: "R E S E A R C H A N D T H E O RY" (a journal's article type).
_LETTER_SPACED = re.compile(r"(?:\b[A-Z] ){5,}")


#: A memo's addressees, "To: Organisations providing health services" (never "To Err is Human: …").
_ADDRESSEES = re.compile(r"(?:to|cc|attn|attention|from)\s*:", re.I)  # (and GOV.UK's, canada.ca's "From: Ofsted")
#: An EU document's form, printed over its title: "COMMUNICATION FROM THE COMMISSION TO THE EUROPEAN PARLIAMENT,
#: THE COUNCIL, … AND THE COMMITTEE OF THE REGIONS", "COMMISSION STAFF WORKING DOCUMENT EVALUATION". It names
#: what the document is and to whom it goes; with its subject run on ("… AND THE COUNCIL on the operation of
#: Directive …") it is the title.
_INSTITUTION = (r"(?:the\s+)?(?:european\s+(?:parliament|council|central\s+bank|economic\s+and\s+social\s+committee|"
                r"investment\s+bank|court\s+of\s+auditors)|council|committee\s+of\s+the\s+regions|court\s+of\s+auditors)")
EU_FORM = re.compile(
    r"(?:(?:joint\s+)?(?:communication|report)\s+from\s+the\s+(?:european\s+)?commission(?:\s+and\s+the\s+high\s+"
    r"representative\b[^,]*?)?\s+to\s+" + _INSTITUTION + r"(?:\s*(?:,|and)\s*" + _INSTITUTION + r")*"
    r"|(?:commission\s+)?staff\s+working\s+(?:document|paper)(?:\s+(?:evaluation|executive\s+summary(?:\s+of\s+the\s+"
    r"(?:evaluation|impact\s+assessment))?|impact\s+assessment(?:\s+report)?|fitness\s+check))?)[\s.,]*", re.I)
#: Words that make "Label: <date>" a field of the cover ("Fieldwork dates: 22nd - 29th May 2018"), never a title
#: with its edition ("Background checks by state: November 2015").
_DATE_LABEL = re.compile(r"^(?:dates?\b.*|(?:\w+\s+)?(?:dates?|dated|published|issued|updated|revised|deadline|"
                         r"period|effective|received|accepted|closing|closes|expires))$", re.I)


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
    if (LABELS.match(value) or _PLACEHOLDER.search(value) or FILE_NAME.search(value) or _ADDRESSEES.match(value)
            or (_NUMBERED_LABEL.match(value) and not PERIODICAL_ISSUE.search(value)) or FIELD.match(value) or _PAPER_NUMBER.match(value) or EU_FORM.fullmatch(value)
            or _CONTENTS_LINE.search(value) or JOURNAL.match(value) or ISSUE.match(value)
            or _LETTER_LABEL.match(value) or IN_THIS_ISSUE.match(value) or _SITE_CHROME.match(value) or SESSION_REPORT.match(value) or (not kinds and names_only_a_kind(value))
            or BYLINE.match(value) or BYLINE.match(before_date(value)) or _CREDIT.match(value) or _LAID.match(value)
            or _IDENTIFIER.match(value) or _LETTER_SPACED.search(value) or MOTTO.fullmatch(value) or APPROVAL_STAMP.match(value)
            or (_CODE_FIELD.match(value) and re.search(r"[A-Za-z]\d|\d[A-Za-z]", value.split(":", 1)[1]))):
        return False
    if re.match(r"(?:1\.?\s+[A-Z][^\d]{2,80}?\s+2\.?\s+[A-Z][^\d]{2,80}?\s+3\.?\s+[A-Z])", value):
        return False  # "1 Community pharmacy services 2 The … 3 …": a contents list run together
    if _PRINT_STAMP.search(value) and len(re.findall(r"[^\W\d_]{3,}", value)) < 2:
        return False  # "11/24/25, 5:39 PM": when a browser printed the page
    if unicodedata.category(value[0]) in ("So", "Sm", "Sk", "Co"):
        return False  # "❏ Ok to Print": a form's check box, a printer's mark
    if re.match(r"This\s+(?:section|page|part|issue|edition)\s+(?:of|contains|is|sets|lists)\b", value):
        return False  # "This section of the Federal Register": a periodical's note on itself, cut from its sentence
    if _ROLE_LINE.fullmatch(value):
        return False  # "DANIEL OCHOA CHAIRMAN", "Committee Clerk Rachel Whitfield": a person and the office held
    if re.match(r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Miss|Cllr|Councillor)\.?\s+[A-Z][\w'’-]+\s+[A-Z]", value):
        return False  # "Dr Gareth Collier and Cheryl Way": who wrote or presents it
    if re.fullmatch(r"(?i)(?:the\s+)?(?:commonwealth|republic|kingdom|state|province|government|federal\s+republic)\s+of"
                    r"\s+(?:the\s+)?[A-Z][\w' -]{2,30}", value):
        return False  # "COMMONWEALTH OF AUSTRALIA": the state whose parliament it is, not what the document is
    if re.fullmatch(r"(?i)(?:the\s+)?(?:[A-Z][\w'’]*\s+){0,3}gazette(?:\s*[:|/–—-]\s*[^\W\d_]+)?", value):
        return False  # "Government Gazette: Staatskoerant", "The London Gazette": the periodical, not its notice
    if re.fullmatch(r"(?i:unclassified|official|restricted|confidential|for\s+official\s+use)\s+[A-Z0-9/().-]{6,}"
                    r"(?:\s+\d{1,2}-\w{3}-\d{4})?", value):
        return False  # "Unclassified DELSA/ELSA/WD/SEM(2014)12": a marking and the document's code
    if re.fullmatch(r"(?i)(?:the\s+)?(?:(?:assistant|deputy|under|permanent|principal|acting|chief|executive)\s+)*"
                    r"(?:secretary|director|commissioner|minister|administrator|comptroller|mayor|registrar)"
                    r"(?:[\s-]+general)?", value):
        return False  # "THE ASSISTANT SECRETARY": the office a letter is sent from, under its department's name
    if re.search(r"\b(?:was|were)\s+(?:\w+ly\s+)?\w+(?:ed|en|ne|wn|ld|ght|ead)\b", value) and not value.endswith("?"):
        return False  # "The opening prayer was read by …": a sentence of the text, not a title
    if (len(words) <= 8 and re.match(r"(?i)(?:The\s+)?(?:Department|Ministry|Office)\s+(?:of|for)\b", value)
            and organisation_name(value) == value):
        return False  # "Department of Health & Social Care": who published it, not what it is called
    if re.fullmatch(r"(?:The|THE|An?|AN?)\s+\S+", value):
        return False  # "The Leeds": the first line of a title set on several lines, not a title
    leading = dates_in_line(value[:24])
    beside = value[leading[0][1]:].strip(" ,|–—-") if leading and leading[0][0] == 0 else ""
    if (len(beside.split()) >= 5 and ("," in beside or FINITE.search(beside))) or (beside and is_credit(beside)):
        return False  # "June 2023 In March 2023, the White House issued …", "5 June 2025 By Claire Duddy"
    label, colon, rest = value.partition(":")
    if colon and len(label.split()) <= 4 and _DATE_LABEL.match(label.strip()) and is_date_only(rest):
        return False  # "Fieldwork Dates: 22nd - 29th May 2018", "Date of meeting: 12 May 2023": a field
    sides = value.split(" / ")
    if is_other_language_name(value) or (len(sides) == 2 and any(map(bare_body, sides)) and not DOCUMENT_WORD.search(value)):
        return False  # "Cynulliad Cenedlaethol Cymru", "LLYWODRAETH CYMRU / WELSH GOVERNMENT": a body's names
    if " | " in value and any(is_date_only(part) for part in value.split(" | ")):
        return False  # "Board meeting | 12 May 2023": a running header
    if re.match(r"[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+)?,\s+\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d\b", value):
        return False  # "Brussels, 14.6.2024 COM(2024) 312 final": where and when it was adopted, and its number
    unit = re.match(r"(?:[A-Z][\w&'’]*\s+){1,5}(?:Division|Directorate|Branch|Bureau)\s*(?:[—–|-]|$)", value)
    if unit and not DOCUMENT_WORD.search(value[unit.end():]):
        return False  # "Health Systems Division — Medicaid Programs": a part of the body under its name
    site = re.fullmatch(r"(.{3,80}?)\s+[-|–—]\s+([^\W\d_]+)", value)  # (one word: "… - Dementia care" is a topic)
    if site and bare_body(site.group(1)) and not DOCUMENT_WORD.search(site.group(2)):
        return False  # "Kingsmere Borough Council - Webcasting": a web site's section, saved with the page
    if re.match(r"[£$€]?\d[\d.,]*\s*(?:%|per ?cent\b|million\b|billion\b|bn\b|m\b)|[£$€¥]\s", value, re.I) and (
            len(words) <= 6 or re.match(r"[£$€¥]\s", value)):
        return False  # a statistic on an infographic's cover (its figure may be drawn apart: "£ m extra per week"),
        # not a headline that starts with one ("£12m to cut the longest waits for planned care in Wales")
    if value[:1].islower() or value.endswith((",", ";", "(")) or value.startswith(("•", "(", "-", "–")):
        return False
    if re.search(r"\s[.,;:!?]$", value):
        return False  # "Over one year, that's .": a sentence whose figure was drawn apart
    if re.fullmatch(r"[A-Za-z]\w{1,15}:\s*[\d.]+\s*%", value):
        return False  # "Leadpct: 0%": a system's field
    if re.match(r"\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d+)?\b", value):
        return False  # "01:00:15.359 Morning": a transcript's time stamp and its first words
    if words[-1].lower() in CONNECTORS and not re.search(
            r"\b(?:years?|months?|decades?|weeks?|days?|moving|carrying|going|later)\s+on$", value, re.I):
        return False  # "Prepared by", "Report of the" (not "… one year on")
    if re.search(r"[.!?]\s+[A-Z][a-z]+\s+\w+\s+\w+.*[.!?]$", value) or (value.endswith(".") and len(words) > 6):
        return False  # sentences
    if (ADDRESS.search(value) and len(words) <= 15 and not DOCUMENT_WORD.search(value)) or (
            URL.search(value) or _REPEAT.search(value[:300]) or CONTACT.search(value)):
        return False  # (nor "Voice: 503-947-2340 Fax: …", "Town Hall, High Street, Pembury Vale, PV1 3HL": a contact)
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
    if re.fullmatch(r"(?:\d+\s+)?[\w' ]*[A-Z][\w']*\s+(?:Street|Road|Lane|Avenue|Square|Place|House|STREET|ROAD|LANE|"
                    r"AVENUE|SQUARE|PLACE|HOUSE)\b(?!\s*:)(?!\s+(?i:of)\b)(?=\s*(?:$|,|\d|[A-Z]{1,2}\d|[A-Z]+\b(?!\s+[a-z])|-|[A-Z][\w'’-]+\s*$)).*",
                    value):
        # "Wellington House …" (not "… House: Inspection report", nor "No Place to Settle")
        return False
    if len(words) <= 5 and organisation_name(value) == value and BODY_END.fullmatch(words[-1]):
        return False  # "UK Government", "NHS England": who published it, not what it is called
    return True


def _dated(text: str) -> bool:
    from kb.ingest.extract.dates import dates_in_line

    return bool(dates_in_line(text))


def is_date_only(text: str) -> bool:
    from kb.ingest.extract.dates import dates_in_line

    text = text.strip()
    found = dates_in_line(text)
    rest = re.sub(r"\b\d{1,2}(?:st|nd|rd|th)\b", "", text[:found[0][0]] + text[found[-1][1]:]) if found else ""
    rest = re.sub(r"^(?:(?:last\s+)?updated|published|issued|revised|first\s+published)\b", "", rest.strip(), flags=re.I)
    return bool(found) and not re.sub(r"[\W\d_]+", "", rest)  # "22nd - 29th May 2018": a range is a date too


def only_names(rest: str, kinds: bool = False) -> bool:
    """Whether the words beside a body's name on its line are only another name (its name in another language,
    its acronym): no word of a document, no connector of an English phrase, no kind of document after it."""
    words = rest.split()
    return not DOCUMENT_WORD.search(rest) and not any(word in CONNECTORS for word in words) and not (
        kinds and KIND_OF_DOCUMENT.match(" ".join(words)))


def file_stem(source: str) -> str:
    """A file's name without its extensions, also a second one a converter left ("….vtt.txt", "….pdf.txt") and
    a caption file's language ("….en.vtt")."""
    stem = PurePosixPath(source).name
    while True:
        trimmed = re.sub(r"(?:\.[a-z]{2}(?:[-_][a-z]{2})?)?\.(?:vtt|srt)$|\.(?:txt|md|markdown|html?|pdf|docx?|rtf)$", "",
                         stem, flags=re.I)
        if trimmed == stem or not trimmed:
            return stem
        stem = trimmed


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())


#: Authors' names a converter ran on to the title: "… a retrospective cohort study er, Oluwaseun Abara, David
#: Hughes, Martina Vella, Peter Stanbridge" (the first name's start lost).
_AUTHORS_RUN_ON = re.compile(r"\s+(?:[a-z]{1,4},\s+)?(?:[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+,\s+){2,}"
                             r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+\s*$")


def without_authors(title: str) -> str:
    """A title less the authors' names a converter ran on to it."""
    cut = _AUTHORS_RUN_ON.search(title)
    return title[:cut.start()] if cut and len(title[:cut.start()].split()) >= 4 else title


def body_and_label(value: str) -> bool:
    """A body's name run on into a label: "THE LARCHFIELD INSTITUTE Briefing Note BN157", or into its series'
    name ("Area Drug and Therapeutics Committee Medicines Update")."""
    words = value.split()
    return any(bare_body(" ".join(words[:n])) and (
        (re.search(r"[A-Za-z]\d|\d[A-Za-z]|\bno\.?\s*\d", " ".join(words[n:]), re.I)
         and not is_title_like(" ".join(words[n:])))
        or (re.search(r"(?:Committee|Team|Group|Network|Service|Board)$", " ".join(words[:n]))
            and re.fullmatch(r"(?:[A-Z][\w&'’-]*\s+){0,2}(?:Update|Bulletin|Newsletter|Matters|News|Digest)",
                             " ".join(words[n:]))))
        for n in range(max(2, len(words) - 4), len(words)))
