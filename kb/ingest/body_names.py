"""A body's name as the document spells it: an acronym spelled out where the document prints its name ("GAO" as
"U.S. Government Accountability Office", "NHS Leeds ICB" as "NHS Leeds Integrated Care Board"), and a listed body's
name in the form the document prints it ("UNITED STATES DEPARTMENT OF EDUCATION", "HM Inspectorate of Prisons")."""

from __future__ import annotations

import re

from kb.ingest.orgnames import organisation_name


def expanded_name(name: str, text: str) -> str:
    """An acronym publisher ("GAO") as the name the document spells out for it, when it prints one whose
    initials it is ("U.S. Government Accountability Office"); "NHS Leeds ICB" as "NHS Leeds Integrated Care
    Board" when the document prints that."""
    short = re.fullmatch(r"(.+)\s+(ICB|CCG)", name)
    if short:  # "NHS Harrowvale and Estuary ICB" as the document spells it out
        kind = {"ICB": "Integrated Care Board", "CCG": "Clinical Commissioning Group"}[short.group(2)]
        spelled = re.search(re.escape(short.group(1)) + r"\s+" + kind.replace(" ", r"\s+"), text[:20000], re.I)
        if spelled:
            return " ".join(spelled.group(0).split())
        # (its logo's lines set apart: "NHS" / "Eastfield" / … / "Clinical Commissioning Group")
        place = short.group(1).removeprefix("NHS ")
        logo = re.search(kind.replace(" ", r"\s+") + r"\b", text[:3000]) and re.search(
            r"\b" + re.escape(place) + r"\b", text[:3000])
        return f"{short.group(1)} {kind}" if logo and short.group(1).startswith("NHS ") else name
    if not re.fullmatch(r"[A-Z]{2,8}", name):
        return name
    from kb.ingest.addresses import spelled_out

    for m in re.finditer(r"((?:[A-Z][\w.'’-]*[ \t]+(?:(?:of|for|and|the|&)[ \t]+)*){1,8})\(?" + name + r"\b", text[:20000]):
        long = spelled_out(name.lower(), m.group(1))
        if long and organisation_name(re.sub(r"^(?:[A-Z]\.){2,}\s+", "", long)):  # "U.S. Government ..."
            return long
    # a ministry the document names whose initials, less its "Ministry of", are the acronym ("the Ministry of Housing
    # and Urban Development (HUD)", or an Author field's "HUD" and "Published … by the Ministry of …"), before a
    # listed body's
    for m in re.finditer(r"\b(?:Ministry|Department|Office)\s+(?:of|for)\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|&)"
                         r"\s+)?){2,6})", text[:20000] + " "):
        words = [word for word in m.group(1).split() if word not in ("of", "for", "and", "&")]
        if len(words) >= 3 and name.lower() == "".join(word[0].lower() for word in words):
            return re.sub(r"\s+(?:of|for|and|&)$", "", " ".join(m.group(0).split()))
    from kb.ingest.bodies import body_for_acronym

    return body_for_acronym(name, text) or name  # "About GAO" and "www.gao.gov": the table's name for it


def as_printed(name: str, text: str) -> str:
    """A listed body's name as the document prints it, when it prints it in full another way ("UNITED STATES
    DEPARTMENT OF EDUCATION" for the table's "U.S. Department of Education")."""
    from kb.ingest.casing import name_case

    majesty = re.match(r"(?:Her|His)\s+Majesty['’]s\s+(.+)", name)
    if majesty:  # "HM INSPECTORATE OF PRISONS" on the cover, "Her Majesty's Inspectorate of Prisons" in the imprint
        cover = re.search(r"\bHM\s+" + r"\s+".join(map(re.escape, majesty.group(1).split())) + r"\b", text[:1500], re.I)
        return name_case("HM " + " ".join(cover.group(0).split()[1:])) if cover else name
    short = re.match(r"(?:U\.S\.|US)\s+(.+)", name)
    if not short:
        return name
    printed = re.search(r"\bUnited\s+States\s+" + r"\s+".join(map(re.escape, short.group(1).split())) + r"\b",
                        text[:20000], re.I)
    return name_case(" ".join(printed.group(0).split())) if printed else name
