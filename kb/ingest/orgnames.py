"""What reads as the name of an organisation: the words that make a body's name (in English and the other
languages kb reads), the bodies documents name by acronym, and one spelling per body.

Shared by the publisher finder (kb.ingest.publishers), the title rules (kb.ingest.metadata) and the
extractors that read an Author field; a person's name, a software default or a sentence is never a body.
"""

from __future__ import annotations

import re

from kb.ingest.bilingual import without_other_language_names

CONNECTORS = frozenset("by of for and to the with from in on at a an or &".split())
_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())

#: The same kinds of body in the languages of the European, Latin American and African documents kb reads,
#: which put them first ("Ministério da Saúde", "Direction générale de la santé", "Bundesministerium für
#: Gesundheit" is one word and starts with one).
_FOREIGNBODY_WORDS = (
    "ministère ministere ministerio ministério ministero ministerie ministerium bundesministerium departamento "
    "département direcção direção dirección direction direzione direktion instituto institut istituto agência "
    "agencia agence agenzia agentur conseil consejo conselho consiglio comisión comissão commissione kommission "
    "gouvernement gobierno governo regierung bundesamt secretaría secretaria universidad universidade université "
    "universität università"
).split()
#: Lower-case words inside such names ("da", "de la", "für").
FOREIGN_CONNECTORS = frozenset("da de do dos das des du la le les del della delle di der die den für und et y e".split())
#: Words that end (or make) the name of an organisation.
BODY_WORDS = (
    "agency authority board bureau cabinet centre center college commission committee confederation council "
    "court department directorate england executive foundation fund government group improvement inquiry "
    "institute institution library ministry network office ombudsman organisation organization parliament "
    "partnership regulator service services society trust unit university alliance association federation "
    "icb ics ccg csu collaborative lab laboratory team observatory forum panel administration district chamber party "
    "healthwatch county"
).split() + _FOREIGNBODY_WORDS
BODY_WORD = re.compile(r"\b(?:" + "|".join(BODY_WORDS) + r")\b", re.I)
#: Last words that make a short line the name of a body on its own ("Community Services" may be a topic).
BODY_END = re.compile(
    r"(?:agency|authority|commission|council|department|directorate|england|executive|foundation|government|"
    r"icb|ccg|csu|ics|inquiry|institute|institution|library|ministry|office|ombudsman|parliament|partnership|"
    r"regulator|trust|unit|university|alliance|association|confederation|federation|lab|laboratory|"
    r"observatory|team|society|college|centre|center|fund|administration|district|chamber|party|county)",
    re.I,
)
#: A name that starts with a foreign word for a kind of body names that body ("Ministério da Saúde").
FOREIGN_START = re.compile(r"(?:" + "|".join(_FOREIGNBODY_WORDS) + r")\b", re.I)
#: A borough named after what it is: "London Borough of Ellingham", "Royal Borough of Kensington and Chelsea".
BOROUGH_OF = re.compile(r"(?:the\s+)?(?:london|royal|metropolitan)\s+borough\s+of\s+(?=[A-Z])", re.I)
_BODY_START = re.compile(
    r"^(?:the\s+)?(?:department|office|ministry|house|national|nhs|hm|his majesty's|her majesty's|uk|royal|"
    r"public health|health|care|local|general|united kingdom|scottish|welsh|northern ireland|"
    r"(?:(?:london|royal|metropolitan|regional)\s+)?(?:city|county|town|borough|shire|municipality|district|region|"
    r"province)\s+of\s+(?=[A-Z]))\b",
    re.I,
)
#: People's names and software defaults found in Author fields.
#: A body's office that speaks for it, named by what it does: "Media Office", "Press Office", "Communications Team".
PRESS_OFFICE = r"(?:Media|Press|Communications|News)\s+(?:Office|Team|Unit|Desk|Centre|Relations)"
_NOT_A_BODY = re.compile(
    r"^(?:microsoft office user|microsoft|administrator|admin|user|owner|author|unknown|windows user|"
    r"office user|staff|default|anonymous|company secretary|"
    # a book's, a serial's or a paper's identifier, a file format or a licence: "©2016 ISBN 978-…"
    r"isbn|issn|doi|url|pdf|html|orcid|ogl|cc by(?:-\w+)*|"
    # a site's menu ("Your Council", "Our Trust") or a kind of government named alone ("City Government")
    r"(?:your|our|my)\s+(?:\w+\s+)?(?:council|trust|board|authority|government|services?|area|community)|"
    r"(?:the\s+)?(?:mayor|chair|chairman|chairperson|members)\s+and\s+.*|"  # an addressee: "Mayor and Members of Council"
    r"(?:the\s+)?(?:city|county|state|local|central|federal|national|regional)\s+government)$",
    re.I,
)
#: A line that says what was done with a document: "Presented to Parliament", "Published by the Authority of …".
_DONE_TO = re.compile(r"(?:presented|published|laid|ordered|printed|produced|prepared|issued|submitted|"
                      r"commissioned|funded|supported|written|delivered|sent)\s+(?:to|before|by|for|on|in)\b", re.I)
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


#: Words that name a kind of document, after the body that wrote it ("… Party Election Manifesto 2017").
KIND_OF_DOCUMENT = re.compile(
    r"(?:\([^()]{1,12}\)\s+)?(?:(?:annual|election|general|position|policy|consultation|strategic|board|analysis|"
    r"quarterly|interim|final)\s+)?(?:manifesto|report|review|paper|strategy|response|submission|statement|plan|"
    r"minutes|agenda|briefing|bulletin|guidance|accounts|summary|memorandum|circular|newsletter|factsheet|"
    r"meeting|papers)\b", re.I)
#: A kind of document followed by what it is about: a title, never a body's name.
_DOCUMENT_NAME = re.compile(r"^(?:the\s+)?(?:\w+\s+)?(?:review|response|report|reply|guidance|strategy|plan|"
                            r"consultation|evaluation|summary|analysis|evidence|submission|minutes|manifesto|"
                            r"framework|update)\s+(?:of|to|on|for|into|from|by)\b", re.I)


def organisation_name(value: str) -> str | None:
    """``value`` tidied if it names an organisation (not a person, a software default or a sentence), else None.

    "National Institute for Health and Care Excellence (NICE)" -> itself; "NICE" -> itself; "Smith, Helen",
    "richard.wood", "Microsoft Office User", "Cook Josh (MLCSU)" -> None.
    """
    value = " ".join(str(value or "").split()).strip(" .,;:-–—©")
    words = value.split()
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    while words and words[0] in CONNECTORS and words[0] != "the":
        words = words[1:]  # "for England": the end of a title's line, not a name
    value = " ".join(words).strip(" .,;:-–—")
    if not value or len(value) > 120 or _NOT_A_BODY.match(value) or re.search(r"['’]s$", value):
        return None  # ("the Strategy Unit's elicitation team": whose team, not a name)
    words = value.split()
    if len(words) > 12 or re.search(r"[.!?]\s|@|https?:|\b(?:is|are|was|were|will|we|our|you)\b",
                                    re.sub(r"\b(?:[A-Z]\.){2,}", "US", value), re.I):  # "U.S. Copyright Office"
        return None
    if len(words) > 1 and len(words[0]) == 1 and words[0].isalpha():
        return None  # "C U.S. Copyright Office": a drop capital's letter run into the next line
    if len(words) == 1:
        token = words[0]
        if re.fullmatch(r"[A-Z][A-Z&]{1,7}", token) or token.lower() in KNOWN_BODIES:
            return token
        return None
    if not BODY_WORD.search(value) and not _BODY_START.match(value):
        from kb.ingest.bodies import is_listed

        return value if is_listed(value) else None  # "Audit Scotland": a body the shipped table names
    if words[-1].lower() in ("paper", "papers", "report", "reports", "briefing", "minutes", "agenda"):
        return None  # "House of Lords HL Paper": a body's name run on into its paper's number
    if re.search(r"\b(?:chief|deputy|interim|acting)\s+(?:executive|officer)\b", value, re.I) or re.match(
            r"(?:(?:executive|managing|general|deputy|assistant|acting|interim|chief|senior)\s+)*(?:director|manager|"
            r"officer|head|clerk|chair(?:man|woman|person)?)\b(?:\s+(?:of|for)\b|\s*,)", value, re.I):
        return None  # "Chief Executive", "Executive Director, Housing Secretariat": who signs for a body, not the body
    if _DONE_TO.match(value):
        return None  # "Presented to Parliament", "Laid before the Scottish Parliament": what was done, not by whom
    if _DOCUMENT_NAME.search(value):
        return None  # "Government Response to the Infected Blood Inquiry": a title that names a body
    if re.search(r"\w: \w", value):
        return None  # "Crisis Services: Mobile Crisis": a title's line, its colon inside
    if len(re.findall(r"\b[A-Z][a-z]+ing\b", value)) >= 3 and not re.search(r"\b[a-z]+\b", value):
        return None  # "Living Working Learning Visiting & Exploring Your Government": a site's menu
    if re.search(r"\b(?:meeting|hearing|webinar|conference)\s+(?:in\s+public|held|of|on)\b|\bmeeting$", value, re.I):
        return None  # "Board of Directors Meeting in Public": a meeting, not who met
    if any(w.isdigit() or w.lower().strip(",.") in _MONTH_NAMES for w in words):
        return None  # "Department of Health in March 2023": a name with a date after it
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "for", "and", "the", "&", "in", "on", "to")
               or (w.lower() == "into" and re.search(r"\b(?:inquiry|review|commission|investigation)\s+into\b", value, re.I))
               or (w in FOREIGN_CONNECTORS and FOREIGN_START.match(value))
               or w[:1] in "([" for w in words):
        return None
    return value


def body_before_kind(title: str) -> str | None:
    """The body a title or cover line starts with when a kind of document follows it: "The National Health
    Action Party Election Manifesto 2017", "Austrian Federal Economic Chamber (WKÖ) Position Paper", "U.S.
    Copyright Office Summary" (never a body the title is about: "Review of the Care Quality Commission" does
    not start with it)."""
    words = title.split()
    for n in range(min(len(words) - 1, 10), 1, -1):
        head, rest = " ".join(words[:n]), " ".join(words[n:])
        if KIND_OF_DOCUMENT.match(rest):
            body = organisation_name(head)
            if body == head.strip(" .,;:-–—") and BODY_END.fullmatch(words[n - 1]):
                return body
    return None


#: A kind of body named alone, which names none ("Integrated Care Board", "NHS Foundation Trust", "Council").
_KIND_OF_BODY = re.compile(r"(?:the\s+)?(?:NHS\s+)?(?:integrated\s+care\s+(?:board|system|partnership)|clinical\s+"
                           r"commissioning\s+group|(?:foundation\s+)?trust|health\s+board|local\s+authority|"
                           r"(?:city\s+|county\s+|borough\s+|district\s+|parish\s+)?council|committee|board|"
                           r"government|department|ministry|agency|commission|inquiry)", re.I)


def normalise_publisher(value: str) -> str | None:
    """One spelling per body: "© NHS England 2023" -> "NHS England", "NICE" -> its full name."""
    value = " ".join(value.split()).replace(" & ", " and ")
    value = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", value, flags=re.I)
    value = re.sub(r"\s*(?:©|\(c\)|copyright)?\s*(?:19|20)\d\d\b\.?(?:\s*all rights reserved\.?)?$", "", value, flags=re.I)
    value = re.sub(r"^(?:19|20)\d\d\s+", "", value).strip(" .,;:")
    value = re.sub(r"\s+(?:copyright|©)$", "", value, flags=re.I)  # "… Commission Copyright" (its year gone)
    value = re.sub(r"^The\s+(?=(?:Department|Office|Ministry|House)\b)", "", value)
    # a name in Welsh, Irish, Gaelic or Māori run into the English name after it: "Bwrdd Iechyd Prifysgol Aber Dyfi
    # University Health Board" (not a dual name set apart: "Health New Zealand | Te Whatu Ora")
    english = without_other_language_names(value)
    value = english if len(english.split()) >= 2 and value.endswith(english) else value
    # the NHS identity's logo over a name that holds the word already: "NHS" / "X Hospitals NHS Foundation Trust"
    value = re.sub(r"^NHS\s+(?=\S.*\sNHS\s+(?:Foundation\s+)?Trust$)", "", value)
    # "NHS Harrowvale and Estuary ICB Medicines Optimisation Team": the body, not its team
    value = re.sub(r"^(.+?\b(?:ICB|CCG|Integrated\s+Care\s+Board|Trust|Council))\s+(?:[A-Z][\w&'’-]*\s+){1,3}"
                   r"(?:Team|Directorate)$", r"\1", value)
    # "Medicines Optimisation Team (NHS Oakhurst CCG)": the body its team is of
    value = re.sub(r"^(?:[A-Z][\w&'’-]*\s+){1,4}(?:Team|Directorate|Unit)\s*\((.{4,80})\)$", r"\1", value)
    # a field's label the name ran on into: "… Health and Wellbeing Board Contact" (over "Contact: …")
    value = re.sub(r"\s+(?:Contact|Email|E-mail|Tel|Telephone|Website|Web|Enquiries)$", "", value)
    if _KIND_OF_BODY.fullmatch(value):
        return None  # "Integrated Care Board": what kind of body, not which
    acronym = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)$", value)
    if acronym and abbreviates(acronym.group(1), value[: acronym.start()]):
        value = value[: acronym.start()]  # "National Institute for Health and Care Excellence (NICE)"
    return KNOWN_BODIES.get(value.lower(), value) if value and " " not in value else (value or None)


def abbreviates(short: str, name: str) -> bool:
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


#: A team within a body, named by its last word: "Medicines Management Team", "Corporate Affairs Directorate".
UNIT = re.compile(r"\b(?:Team|Directorate|" + PRESS_OFFICE + r")$")


def generic_unit(body: str, text: str) -> bool:
    """Whether a body is a team named only by what it does ("Medicines Optimisation Team"): two words or more
    before "Team", each written in lower case in the document too, so none is a place's or a proper name
    ("Leeds", "NHSX"). A unit with a name of its own ("The Strategy Unit") is a publisher."""
    words = body.removeprefix("The ").split()
    if not UNIT.search(body) or len(words) < (3 if body.startswith("The ") else 2):
        return False  # ("Policy Team" too; "The Strategy Unit" names itself)
    lower = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    lower |= _WHAT_TEAMS_DO if len(words) >= 3 else set()  # (two such words: "Strategy Unit" may name itself)
    return all(word.lower() in lower or word.lower() in CONNECTORS for word in words[:-1])


#: Words a team or a directorate is named by for what it does, whether or not the document writes them in lower case.
_WHAT_TEAMS_DO = frozenset(
    "medicines management optimisation optimization prescribing pharmacy public health commissioning policy planning "
    "research analysis information intelligence data communications engagement strategy finance governance quality "
    "performance corporate services support digital transformation partnerships clinical nursing safeguarding "
    "democratic legal housing statistics statistical evidence insight".split())
