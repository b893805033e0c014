"""Whose web address or mailbox a document gives as its own: the body its own site's name spells, or the body the
shipped table of public bodies (kb.ingest.bodies) lists for a domain on its cover or back cover."""

from __future__ import annotations

import re

from kb.ingest.orgnames import BODY_END, KNOWN_BODIES, abbreviates, organisation_name

#: Parts of a host name that say what kind of site it is, not whose.
_HOST_WORDS = frozenset("www www2 web mail email en fr de es gov go gob gouv gv govt org co com net int edu ac nhs uk "
                        "eu us ca au nz ie de fr nl be dk se no fi at ch es it pt pl info biz io news media "
                        "icb ics ccg nsw qld vic tas".split())
# ("westyorkshire.icb.nhs.uk": the kind of body, not its name; "health.qld.gov.au": a state's government, not a body)
#: Sites that carry everyone's documents, whose name is never a document's publisher.
_SHARED_HOSTS = frozenset("doi orcid facebook twitter linkedin youtube instagram google bit tinyurl github "
                          "wikipedia ncbi pubmed archive regulations".split())


def own_domain(pages: tuple[str, ...] | list[str]) -> tuple[str, str] | None:
    """The body whose web address or mailbox the document gives as its own: an address on its first or last
    page or an e-mail address near its start or end, or the site most of its links go to. The address names a
    body the document prints whose initials ("irs.gov": Internal Revenue Service, "who.int": World Health
    Organization) or letters ("igmetall.de": IG Metall) spell the site's own part; else, for a mailbox or an
    address on a short cover or back cover (a contact block, not a reference list), the body the shipped
    table of public bodies lists for it (kb.ingest.bodies). None when addresses name different bodies (then
    the document cites others). Returns the body and the line of the address it was read from."""
    from kb.ingest.bodies import body_of_host

    first, last = pages[0], pages[-1] if len(pages) > 1 else ""
    head_tail = "\n".join(list(pages[:2]) + list(pages[-2:]))
    url = r"(?:https?://|\bwww\.)([\w.-]+\.[a-z]{2,})(?![\w.-]*/\S*licen[cs]e)"  # not a licence's page (CC, OGL)
    if len(pages) == 1:  # a text export: its start is its cover; of its end, the contact lines ("visit ...")
        first, last = first[:1500], "\n".join(line for line in first[-1500:].splitlines() if CONTACT.search(line))
        head_tail = first + "\n" + pages[0][-1500:]
    mails = [m.group(1) for m in re.finditer(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", head_tail)]
    # a cover's or back cover's address with no "www", alone on its line or after the body's name and a bullet:
    # "commonslibrary.parliament.uk", "RCEM • rcem.ac.uk"
    bare = re.findall(r"(?m)^[ \t]*(?:[^\n•|·]{1,40}?[ \t]*[•|·][ \t]*)?([a-z][\w-]*(?:\.[\w-]+)*\.(?:uk|org|com|gov|int|"
                      r"net|eu|edu|ca|au|nz|ie))[ \t]*$", first + "\n" + last)
    hosts = [m.group(1) for m in re.finditer(url, first + "\n" + last)] + mails + [
        host for host in bare if not body_of_host(host)]  # (one the table lists names its body as the table does)
    # (a short page's address that stands alone or says it is the document's own, not a footnote's source:
    # "24 General Medical Council Guidance on Confidentiality: http://www.gmc-uk.org/…")
    listed = list(mails) + [m.group(1) for page in {first, last} if len(page.split()) <= 150
                            for line in page.splitlines() for m in re.finditer(url, line)
                            if CONTACT.search(line) or len(line[:m.start()].split()) <= 2]
    listed += bare
    dominant = ""
    everywhere = [label for m in re.finditer(url, "\n".join(pages)) for label in _own_labels(m.group(1))[:1]]
    if len(everywhere) >= 5:
        top = max(set(everywhere), key=everywhere.count)
        if everywhere.count(top) >= 0.6 * len(everywhere):
            dominant = top  # the site most of its links go to: its own, when it names a body
    labels: list[str] = []
    tabled: dict[str, str] = {}  # a host the shipped table lists: its body, when no printed name spells it
    nhs_labels: set[str] = set()  # labels of NHS hosts, the only ones an NHS body's area spells
    for host in hosts:
        body = body_of_host(host)
        if body:
            tabled.setdefault(body, host)
        labels += [label for label in _own_labels(host) if label not in labels]
        if re.search(r"\.nhs\.(?:uk|net)$|\.nhs\.wales$", host.lower()):
            nhs_labels.update(_own_labels(host))
    if not labels and not listed and not dominant and not tabled:
        return None
    found: dict[str, str] = {}  # body -> the host it was read from
    names = _printed_names("\n".join(pages[:3])[:12000] + "\n" + last[-6000:])
    for label in labels:
        named = next((name for name in names if spells(label, name, nhs=label in nhs_labels)
                      and len(re.findall(r"(?:^|\s)\w(?=\s|$)", name)) < 3), None)  # (never "M A R L O W E", a logo)
        if named and not organisation_name(named) and any(label in host for host in tabled.values()):
            continue  # "CRS Reports, as a work of …" spells "crsreports", but the table names its body
        if named:
            found.setdefault(_whole_name(named, "\n".join(pages[:2])), label)
    if not found and dominant:
        found = {name: dominant for name in names if spells(dominant, name) and organisation_name(name) == name}
    if not found and len(tabled) == 1:
        # a part of a body the table lists, by its own mailbox or page on its parent's site: "post@parliament.uk",
        # "parliament.uk/post" for the Parliamentary Office of Science and Technology the document prints
        parents = "|".join(re.escape(host) for host in tabled.values())
        parts = {m.group(1).lower() for m in re.finditer(r"\b([a-z][a-z-]{2,20})@(?:" + parents + r")\b", head_tail)}
        parts |= {m.group(1).lower() for m in re.finditer(r"(?:" + parents + r")/([a-z][a-z-]{2,20})\b", head_tail)}
        def flat(text: str) -> str:
            return " ".join(text.replace("&", "and").split()).lower()

        cover = flat(" ".join([line for line in first.splitlines() if line.strip()][:6]))
        for part in sorted(parts):  # (a name the masthead prints: never a part whose paper the document cites)
            # (or the last words of its name, set apart: "parliament.uk/commons-library", "House of Commons Library")
            words = part.split("-")
            named = next((name for name in names if len(name.split()) >= 3 and flat(name) in cover and (
                spells(part, name) or (len(words) >= 2 and flat(name).split()[-len(words):] == words))), None)
            if not named and len(words) >= 2:  # the name set on two lines of the masthead: "House of Commons" / "Library"
                lines = " ".join(" ".join(line.split()) for line in first.splitlines() if line.strip())
                whole = re.search(r"\b((?:[A-Z][\w'’&-]*\s+(?:(?:of|for|and|the)\s+)?){1,4}" + r"\s+".join(
                    f"(?i:{re.escape(word)})" for word in words) + r")\b", lines)
                # (the shortest such name: "House of Commons Library", not "Briefing Paper House of Commons Library")
                run = whole.group(1) if whole else ""
                starts = [m.start() for m in re.finditer(r"\b[A-Z]", run)]
                named = next((run[at:] for at in reversed(starts)
                              if len(run[at:].split()) >= 3 and organisation_name(run[at:]) == run[at:]), None)
            if named:
                found.setdefault(named, part)
    if not found:
        for host in listed:
            body = body_of_host(host)
            if body:
                found.setdefault(body, host)
        # a part's own site over its parent's: "commonslibrary.parliament.uk" beside "papers@parliament.uk"
        found = {body: host for body, host in found.items()
                 if not any(other != host and other.endswith("." + host) for other in found.values())}
    # (a name inside another, or its initials: "IRS" beside "Internal Revenue Service")
    bodies = {f for f in found if not any(o != f and (f in o or (f.isupper() and abbreviates(f, o))) for o in found)}
    if len(bodies) != 1:
        return None
    body = bodies.pop()
    where = found[body].lower()  # a host's own part ("faa"), or a whole host ("rncan.gc.ca")
    address = re.compile(r"(?:[@./]|\b)" + re.escape(where) + (r"\b" if "." in where else r"\.[a-z]{2,}"))
    line = next((" ".join(line.split()) for line in "\n".join(pages).splitlines() if address.search(line.lower())),
                found[body])
    return body, line


#: Words of a line that gives the reader the document's own address rather than citing a source.
CONTACT = re.compile(r"\b(?:visit|contact|website|web site|web\s*:|find out more|more information|follow us|e-?mail|"
                      r"call us|write to|enquir)", re.I)


def _whole_name(name: str, text: str) -> str:
    """A name with the words that finish it on the lines printed under it: "Riverside Community Healthcare" /
    "NHS Foundation Trust" (an NHS identity's lines): the kind of body it is, when the part names none."""
    if organisation_name(name) == name and BODY_END.fullmatch(name.split()[-1]):
        return name
    for m in re.finditer(re.escape(name) + r"((?:[ \t]*\n?[ \t]*(?:[A-Z][\w&'’-]*|and|of|for)){1,6})", text):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            whole = " ".join([name, *words[:n]])
            if (re.fullmatch(r"(?:[A-Z][\w&'’-]*\s+){0,2}(?:NHS\s+)?(?:Foundation\s+Trust|Trust|Integrated\s+Care\s+Board|ICB|Health\s+Board|"
                             r"(?:City\s+|County\s+|Borough\s+|District\s+)?Council|Partnership)", " ".join(words[:n]))
                    and organisation_name(whole) == whole):
                return whole  # the kind of body it is, not a second name ("Suffolk Libraries" / "Ipswich County …")
    return name


def _own_labels(host: str) -> list[str]:
    """The parts of a host name that can name whose site it is ("www.irs.gov": irs)."""
    return [label for label in host.lower().split(".")[:-1]
            if label not in _HOST_WORDS and label not in _SHARED_HOSTS and len(label) >= 2]


def _printed_names(text: str) -> list[str]:
    """Runs of capitalised words (with "of", "for", "and", "the", "&" inside) as printed on one line, longest
    first: the names a document prints."""
    names: list[str] = []
    for line in text.splitlines():
        words = re.findall(r"[\w'’./&-]+", line)
        for i, word in enumerate(words):
            if not word[:1].isupper() or word.lower() in ("of", "for", "and", "the", "de"):
                continue  # (never "OF HEALTH & HUMAN SERVICES", the rest of a name)
            for j in range(min(len(words), i + 8), i, -1):
                run = words[i:j]
                if run[-1][:1].isupper() and all(w[:1].isupper() or w.lower() in ("of", "for", "and", "the", "&", "de")
                                                 for w in run) and not any(  # (not across a sentence's end: "Bank. The")
                        w.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]?\.", w) for w in run[:-1]):
                    name = " ".join(run).strip(".,")
                    if name not in names:
                        names.append(name)
    return sorted(names, key=lambda n: -len(n.split()))


#: A body named by the area it serves, as NHS domains name it by the area alone: "NHS West Yorkshire Integrated
#: Care Board" (westyorkshire.icb.nhs.uk), "Leeds ICB".
_NHS_AREA_BODY = re.compile(r"(?:NHS\s+)?(.+?)\s+(?:ICB|ICS|CCG|Integrated\s+Care\s+(?:Board|System|Partnership)|"
                            r"Clinical\s+Commissioning\s+Group)")


def spells(label: str, name: str, nhs: bool = True) -> bool:
    """Whether a host's own part spells ``name``: its letters ("igmetall": IG Metall, at least two words) or its
    initials ("irs": Internal Revenue Service, at least three words; "usda": U.S. Department of Agriculture),
    or the name is that acronym itself (of six letters at most), printed in capitals."""
    words = [w for w in name.split() if w.lower() not in ("of", "for", "and", "the", "&", "de")]
    letters = re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))
    if len(words) >= 2 and (letters == label or (not name.startswith("The ") and "".join(
            re.sub(r"[^a-z0-9]", "", w.lower()) for w in words) == label)):
        return True  # "harrowvaleestuary": "Harrowvale and Estuary" without its connector
    place = _NHS_AREA_BODY.fullmatch(name) if nhs else None  # (never a council's "@wealdshire.gov.uk")
    if place and re.sub(r"[^a-z0-9]", "", place.group(1).lower().replace("&", "and")) == label:
        return True  # "NHS West Yorkshire ICB" at westyorkshire.icb.nhs.uk: an area's body, named by its area
    initials = "".join(re.sub(r"[^a-z]", "", w.lower())[:1] if not re.fullmatch(r"(?:[A-Z]\.){2,}", w)
                       else re.sub(r"[^a-z]", "", w.lower()) for w in words)
    if len(words) >= 3 and initials == label:
        return organisation_name(name) is not None
    # (an acronym, not a word in capitals: "MEDICAID" is what medicaid.gov is about, not who runs it)
    if len(words) == 1 and name == label.upper() and name.isalpha():
        from kb.ingest.bodies import is_listed

        return 3 <= len(label) <= 6 or is_listed(name)  # ("ELSEVIER" at elsevier.com: a publisher the table lists)
    return False


def own_address(text: str) -> str | None:
    """A body named by its own web address or mailbox on the first or last page ("www.nhsbsa.nhs.uk"); a
    mailbox that names a body within the department it belongs to names that body ("PHA-OHID@dhsc.gov.uk")."""
    for m in re.finditer(r"(?:\b([A-Za-z0-9][\w.+-]*)@|\b(?:www\.)?)([a-z]{2,12})\.(?:nhs|gov|org)\.uk\b", text):
        mailbox, domain = m.group(1), m.group(2)
        if domain not in KNOWN_BODIES:
            continue
        for token in re.split(r"[._+-]", mailbox or ""):
            if len(token) >= 3 and token.lower() != domain and token.lower() in KNOWN_BODIES:
                return KNOWN_BODIES[token.lower()]
        return KNOWN_BODIES[domain]
    return None


def spelled_out(label: str, words_before: str) -> str | None:
    """The end of ``words_before`` whose initials spell ``label`` ("U.S. Government Accountability Office" for
    "gao": the shortest run that does, with a leading "U.S." style abbreviation kept), or None."""
    words = words_before.split()
    for n in range(1, min(len(words), 9) + 1):
        run = " ".join(words[-n:])
        if run.split()[0].lower() in ("of", "for", "and", "the", "&"):
            continue
        if spells(label, run) and len(run.split()) >= 2:
            if len(words) > n and re.fullmatch(r"(?:[A-Z]\.){2,}", words[-n - 1]):
                run = words[-n - 1] + " " + run
            return run
    return None
