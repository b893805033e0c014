"""Who published a document: the organisation its own text, properties or page head names as publisher.

A publisher is only given where a reader would agree with it: a name kb finds must read as an organisation
(``organisation_name``: not a person, a software default or a sentence), and it must be stated as the
publisher (a copyright or imprint line, "Published by", GOV.UK's "From:", an "About us" heading, the document
speaking of itself as "our Trust"), never merely mentioned. A wrong publisher is worse than none.
"""

from __future__ import annotations

import re

CONNECTORS = frozenset("by of for and to the with from in on at a an or &".split())
_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())

#: Words that end (or make) the name of an organisation.
_BODY_WORDS = (
    "agency authority board bureau cabinet centre center college commission committee confederation council "
    "court department directorate england executive foundation fund government group improvement inquiry "
    "institute institution library ministry network office ombudsman organisation organization parliament "
    "partnership regulator service services society trust unit university alliance association federation "
    "icb ics ccg csu collaborative lab laboratory team observatory forum panel"
).split()
_BODY_WORD = re.compile(r"\b(?:" + "|".join(_BODY_WORDS) + r")\b", re.I)
#: Last words that make a short line the name of a body on its own ("Community Services" may be a topic).
BODY_END = re.compile(
    r"(?:agency|authority|commission|council|department|directorate|england|executive|foundation|government|"
    r"icb|ccg|csu|ics|inquiry|institute|institution|library|ministry|office|ombudsman|parliament|partnership|"
    r"regulator|trust|unit|university|alliance|association|confederation|federation|lab|laboratory|"
    r"observatory|team|society|college|centre|center|fund)",
    re.I,
)
_BODY_START = re.compile(
    r"^(?:the\s+)?(?:department|office|ministry|house|national|nhs|hm|his majesty's|her majesty's|uk|royal|"
    r"public health|health|care|local|general|united kingdom|scottish|welsh|northern ireland)\b",
    re.I,
)
#: People's names and software defaults found in Author fields.
_NOT_A_BODY = re.compile(
    r"^(?:microsoft office user|microsoft|administrator|admin|user|owner|author|unknown|windows user|"
    r"office user|staff|default|anonymous|company secretary)$",
    re.I,
)
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


def organisation_name(value: str) -> str | None:
    """``value`` tidied if it names an organisation (not a person, a software default or a sentence), else None.

    "National Institute for Health and Care Excellence (NICE)" -> itself; "NICE" -> itself; "Smith, Helen",
    "richard.wood", "Microsoft Office User", "Cook Josh (MLCSU)" -> None.
    """
    value = " ".join(str(value or "").split()).strip(" .,;:-–—©")
    words = value.split()
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    value = " ".join(words).strip(" .,;:-–—")
    if not value or len(value) > 120 or _NOT_A_BODY.match(value):
        return None
    words = value.split()
    if len(words) > 12 or re.search(r"[.!?]\s|@|https?:|\b(?:is|are|was|were|will|we|our|you)\b", value, re.I):
        return None
    if len(words) == 1:
        token = words[0]
        if re.fullmatch(r"[A-Z][A-Z&]{1,7}", token) or token.lower() in KNOWN_BODIES:
            return token
        return None
    if not _BODY_WORD.search(value) and not _BODY_START.match(value):
        return None
    if any(w.isdigit() or w.lower().strip(",.") in _MONTH_NAMES for w in words):
        return None  # "Department of Health in March 2023": a name with a date after it
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "for", "and", "the", "&", "in", "on", "to")
               or w[:1] in "([" for w in words):
        return None
    return value


def normalise_publisher(value: str) -> str | None:
    """One spelling per body: "© NHS England 2023" -> "NHS England", "NICE" -> its full name."""
    value = " ".join(value.split()).replace(" & ", " and ")
    value = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", value, flags=re.I)
    value = re.sub(r"\s*(?:©|\(c\)|copyright)?\s*(?:19|20)\d\d\b\.?(?:\s*all rights reserved\.?)?$", "", value, flags=re.I)
    value = re.sub(r"^(?:19|20)\d\d\s+", "", value).strip(" .,;:")
    value = re.sub(r"^The\s+(?=(?:Department|Office|Ministry|House)\b)", "", value)
    acronym = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)$", value)
    if acronym and _abbreviates(acronym.group(1), value[: acronym.start()]):
        value = value[: acronym.start()]  # "National Institute for Health and Care Excellence (NICE)"
    return KNOWN_BODIES.get(value.lower(), value) if value and " " not in value else (value or None)


def _abbreviates(short: str, name: str) -> bool:
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


def publisher_from_text(pages: tuple[str, ...] | list[str]) -> str | None:
    """Who published a document, as its own text states it (first and last pages), or None.

    Looked for in this order: "Published by X" / "Produced by [printer for] X"; a copyright line
    ("© NHS England 2023"; for "© Crown copyright" the department named near it or in a gov.uk address);
    an "About X" heading or "X is an independent ..." sentence; a short cover line naming a body.
    """
    if not pages:
        return None
    head = "\n\n".join(pages[:3])[:6000]
    tail = "\n\n".join(pages[-2:])[-6000:] if len(pages) > 3 else ""
    text = head + "\n\n" + tail
    flat = " ".join(text.split())
    for m in re.finditer(r"\b(?:Published|Produced|Prepared|Issued)\s+by:?\s+(?:[^.\n]{0,60}?\bfor\s+)?(?:the\s+)?"
                         r"([A-Z][\w'’&,\- ]{2,90})", flat):
        for part in m.group(1).split(","):  # "Rhod Joyce, Head of Partnerships, NHSX"
            body = _body_prefix(part.strip())
            if body:
                return body
    for m in re.finditer(r"(?:^|\n)[ \t]*From:[ \t]*\n?[ \t]*([A-Z][^\n]{2,80})", head):
        body = organisation_name(m.group(1))  # GOV.UK pages: "From: Department of Health and Social Care"
        if body:
            return body
    for m in re.finditer(r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s+)?([A-Z][\w'’&\- ]{1,80}?)"
                         r"(?:\s+(?:19|20)\d\d)?(?=[.,;\n]|\s+(?:All|Some|This|Published|\d)|$)", text):
        name = " ".join(m.group(1).split())
        if name.lower().startswith("crown"):
            body = _crown_department(text)
            if body:
                return body
            continue
        body = organisation_name(name)
        if body:
            return KNOWN_BODIES.get(body.lower(), body) if len(body.split()) == 1 else body
    for m in re.finditer(r"(?:^|\n)[ \t]*(?:About|ABOUT)[ \t]+(?:the[ \t]+|THE[ \t]+)?([A-Z][\w'’&\- ]{1,60}?)[ \t]*(?:\n|$)", text):
        body = organisation_name(m.group(1)) or organisation_name(m.group(1).replace(" ", ""))
        if body and not _is_funder(body, text):
            return body
    for m in re.finditer(r"(?:^|\n|[.:]\s)(?:The\s+)?([A-Z][\w'’&\-]*(?:[ \t]+(?:of|for|and|the|&|[A-Z0-9][\w'’&\-]*)){0,8})"
                         r"\s+is\s+(?:an?|the)\s+(?:independent|non-departmental|public|research|statutory|"
                         r"executive|national|charity|charitable|membership|think|government|health|"
                         r"[a-z]+\s+(?:body|organisation|service|agency|inquiry))", text):
        name = m.group(1)
        body = organisation_name(name) or organisation_name("The " + name)
        if body and body.lower() not in ("this", "it") and not _is_funder(body, text):
            return body
    signed = re.search(r"[Oo]n behalf of\s+(?:the\s+)?Secretary of State for\s+([A-Z][\w ,&]{3,60}?)\s*(?:\n|$|\.)", text)
    if signed:  # a letter signed for a Secretary of State comes from that department
        return "Department of " + " ".join(signed.group(1).split())
    citation = re.search(r"\((?:19|20)\d\d[a-z]?\)\.?\s[^()]{5,300}?\.\s+[A-Z][a-z]+(?:,\s*[A-Z][\w ]+)?:\s*([A-Z][\w&'’ -]{1,60}?)\.",
                         flat)
    if citation and organisation_name(citation.group(1)):  # a suggested citation: "(2019). Title. London: NHSX."
        return organisation_name(citation.group(1))
    ends = pages[0] + "\n" + (pages[-1] if len(pages) > 1 else "")
    for m in re.finditer(r"\b(?:www\.)?([a-z]{2,12})\.(?:nhs|gov|org)\.uk\b", ends):
        if m.group(1) in KNOWN_BODIES:  # "www.nhsbsa.nhs.uk": a body's own web address
            return KNOWN_BODIES[m.group(1)]
    for block in re.split(r"\n\s*\n", pages[0])[:12]:
        line = " ".join(block.split())
        if 2 <= len(line.split()) <= 10:
            body = organisation_name(line)
            if body and (BODY_END.fullmatch(line.split()[-1]) or re.match(r"(?:Department|Office|Ministry)\b", line)):
                return body
    return None


def _is_funder(body: str, text: str) -> bool:
    """Whether the text says ``body`` funded or supported the work (a report describes its funder too)."""
    name = re.escape(body.removeprefix("The ").removeprefix("the "))
    return bool(re.search(r"\b(?:funded|supported|sponsored|grant(?:ed)?|funding)\s+(?:by|from)\s+(?:the\s+)?" + name,
                          " ".join(text.split()), re.I))


def _body_prefix(text: str) -> str | None:
    """The organisation name at the start of ``text`` ("NHS England in 2023, ..." -> "NHS England")."""
    words = text.replace("’", "'").split()
    for n in range(min(len(words), 10), 0, -1):
        candidate = " ".join(words[:n]).strip(" ,;-")
        body = organisation_name(candidate)
        if body:
            return KNOWN_BODIES.get(body.lower(), body) if n == 1 else body
    return None


def _crown_department(text: str) -> str | None:
    """The department behind a Crown copyright document: a gov.uk address or a department named on it."""
    for m in re.finditer(r"gov\.uk/(?:government/organisations/)?([a-z][a-z-]{1,40})\b|@([a-z]{2,12})\.gov\.uk\b", text):
        slug = m.group(1) or m.group(2)
        if slug in KNOWN_BODIES:
            return KNOWN_BODIES[slug]
    named = re.search(r"\b((?:Department|Ministry)\s+(?:of|for)\s+[A-Z][\w,]*(?:\s+(?:and|&|[A-Z][\w,]*)){0,6})", " ".join(text.split()))
    if named:
        return named.group(1).rstrip(",")
    return None
