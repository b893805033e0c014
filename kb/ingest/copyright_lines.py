"""Who holds a document's copyright, as its copyright lines say: "© NHS England 2023", "© Crown copyright 2025"
with the department the imprint names, "© World Health Organization 2025 (acting as the host organization for …)"
for the body it holds it for; and a name cut where it ran on across a line break."""

from __future__ import annotations

import re

from kb.ingest.addresses import own_address
from kb.ingest.orgnames import BODY_END, BODY_WORDS, CONNECTORS, KNOWN_BODIES, organisation_name

#: A copyright holder's note that it holds it for another body: "(acting as the host organization for, and
#: secretariat of, the European Observatory …)", "(on behalf of the …)".
_HOSTED = re.compile(r"\s*(?:(?:19|20)\d\d\s*)?\((?:acting\s+as\s+[^()]{0,80}?\b(?:for|of),?\s+|on\s+behalf\s+of\s+)"
                     r"(?:the\s+)?([A-Z][^()]{3,100}?)\s*\)")
#: A publishing house's name: "© 2025 BioMed Central Ltd" holds its journal's copyright.
_PRESS = re.compile(r"(?:[A-Z][\w&'’-]*\s+){1,4}(?:Publishing|Publishers|Press|Periodicals|Central)"
                    r"(?:\s+(?:Limited|Ltd|LLC|Inc)\.?)?")


def copyright_holders(text: str) -> list[tuple[str, str]]:
    """Each body a copyright line of ``text`` names, with the line: the department behind a Crown copyright (never
    a map's "© Crown copyright and database rights"), the body a host holds it for, a publishing house."""
    holders: list[tuple[str, str]] = []
    for m in re.finditer(r"(?:©|\(c\)|Copyright\s*(?:©|\(c\)|:|(?=(?:19|20)\d\d)|(?=Crown\b)))\s*(?:©\s*)?"
                         r"(?:(?:19|20)\d\d\s+)?([A-Z][\w'’&\- ]{1,80}?)(?:\s*\([A-Z][\w-]{1,15}\))?"  # (its acronym)
                         r"(?:\s+(?:19|20)\d\d)?(?=[.,;\n]|\s+(?:All|Some|This|Published|\d)|$)", text):
        name = " ".join(m.group(1).split())
        if name.lower().startswith("crown"):
            near = text[max(0, m.start() - 1500):m.end() + 1500]
            if re.search(r"database right|Ordnance Survey|\bOS\s+\d{6,}", text[m.start():m.end() + 200], re.I):
                continue  # "© Crown copyright and database rights 2021 Ordnance Survey": a map's credit
            body = crown_department(near)  # the department the imprint names, not one the report cites
            if body:
                holders.append((body, m.group(0)))
            continue
        hosted = _HOSTED.match(" ".join(text[m.end():m.end() + 300].split()))
        host_for = organisation_name(hosted.group(1)) if hosted else None
        if hosted and host_for:
            # "© World Health Organization 2025 (acting as the host organization for, and secretariat of, the
            # European Observatory on Health Systems and Policies)": the body it holds the copyright for
            holders.append((host_for, m.group(0) + " " + hosted.group(0)))
            continue
        body = organisation_name(name)
        if body is None and re.fullmatch(r"[A-Z][a-z]{3,20}", name) and re.search(
                r"(?:\bwww\.|@|//|(?<![\w.-]))" + name.lower() + r"\.(?:org|com|net|co|gov|ac)\b", text, re.I):
            body = name  # "© 2018 Shelter" and "shelter.org.uk": a body of one word, named by its own domain
        if body is None and re.fullmatch(r"[A-Z][a-z]{3,20}", name) and re.match(
                r",\s+(?:the\s+)?[A-Z][\w'’&\- ]{3,80}?\b(?:Limited|Ltd|Trust|Foundation|Association|Society)\b",
                text[m.end():m.end() + 120]):
            body = name  # "© 2018 Shelter, the National Campaign for Homeless People Limited": its legal name beside it
        press = _PRESS.match(name)  # ("BioMed Central Ltd unless otherwise stated")
        if body:
            holders.append((KNOWN_BODIES.get(body.lower(), body) if len(body.split()) == 1 else body, m.group(0)))
        elif press:  # "© 2025 BioMed Central Ltd": a publishing house holds its journal's copyright
            holders.append((press.group(0), m.group(0)))
    return holders


def within_lines(name: str, text: str) -> str:
    """``name`` cut where it ran on across a line break into the next line: "Department of Health and Social
    Care" + "Policy paper" -> the department. A break inside a name ("Department of Health and" / "Social
    Care", "NHS England" / "and NHS Improvement") is kept."""
    words = name.split()
    if len(words) < 2:
        return name
    found = re.search(r"\s+".join("(?:and|&)" if w in ("and", "&") else re.escape(w) for w in words), text)
    if not found:
        return name
    gaps = re.findall(r"\s+", found.group(0))
    known = {v.lower() for v in KNOWN_BODIES.values()}
    for k, gap in enumerate(gaps, start=1):
        if ("\n" not in gap or words[k - 1].lower() in CONNECTORS or words[k].lower() in CONNECTORS
                or words[k].lower() in BODY_WORDS):  # "… NHS Foundation" / "Trust": one name on two lines
            continue
        before = " ".join(words[:k])
        if k >= 2 and organisation_name(before) and (before.lower().replace(" & ", " and ") in known or BODY_END.fullmatch(words[k - 1])):
            return before
    return name


def crown_department(text: str) -> str | None:
    """The department behind a Crown copyright document: a gov.uk address or a department named on it."""
    for m in re.finditer(r"gov\.uk/(?:government/organisations/)?([a-z][a-z-]{1,40})\b|[\w.+-]*@[a-z]{2,12}\.gov\.uk\b", text):
        body = KNOWN_BODIES.get(m.group(1)) if m.group(1) else own_address(m.group(0))
        if body:
            return body
    named = re.search(r"\b((?:Department|Ministry)\s+(?:of|for)\s+[A-Z][\w,]*(?:\s+(?:and|&|[A-Z][\w,]*)){0,6})", text)
    if named:  # the name as printed, line breaks kept, so that it stops where its own lines end
        return within_lines(" ".join(named.group(1).split()).rstrip(","), text)
    return None
