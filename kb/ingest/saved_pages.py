"""Titles of web pages saved as text, and of files whose names repeat their title.

A page a browser saves or copies as text starts with its site's furniture: a skip link, a cookie banner, the
site's menu and search, the trail of links that leads to the page ("Home > News"), and a label saying what kind of
page it is ("Press release"). The page's own title comes after all of that, on a line of its own. A browser also
names the file it saves after the page's title and its site ("Where next for general practice funding_ _ The
Nuffield Trust.txt"); a line of the text that the file's name repeats is the title twice over. A page printed
to PDF carries its title in the header the browser prints over it.
"""

from __future__ import annotations

import re

from kb.ingest.bodies import body_of_host, is_listed
from kb.ingest.kinds import is_kind_only
from kb.ingest.orgnames import BODY_WORD, organisation_name
from kb.ingest.titles import (
    FINITE,
    LABELS,
    URL,
    bare_body,
    clean_title,
    file_stem,
    fold,
    is_title_like,
    text_lines,
)

#: "Skip to main content", "#[1]Skip to main content", "Skip to Navigation".
_SKIP = re.compile(r"^\W*(?:\[\d+\])?\s*(?:skip|jump)\s+to\b", re.I)
#: A line of the site's furniture: its cookie banner, menu, search, sign-in and sharing links, language switch,
#: and the banner of an official site ("An official website of the United States government").
_CHROME = re.compile(
    r"cookie|here's how you know|^an official website\b|^official websites use\b|^secure \.gov\b|"
    r"^an?\s+(?:\w+\s+){1,3}government\s+(?:agency\s+)?website\b|"  # "A Singapore Government Agency Website"
    r"^(?:accept|reject|manage|change|view)\b.{0,40}\b(?:cookies?|settings|all|optional)\b.{0,30}$|"
    r"^(?:search|menu|main menu|sign in|log in|login|donate|share|print|email|subscribe|contact us)\b.{0,30}$|"
    r"^(?:language selection|cymraeg|english|français|gaeilge|fr|en|cy)$|"
    # a footer's links run together: "Copyright Privacy Accessibility Disclaimer Site map"
    r"^(?=(?:.*\b(?:copyright|privacy|accessibility|disclaimer|site\s?map|terms|cookies|contact)\b){3})", re.I)
#: A cookie banner's words: "We use cookies", "Cookies on GOV.UK", "Accept all cookies", "This site uses cookies".
_COOKIE_BANNER = re.compile(r"\b(?:we\s+use\s+(?:some\s+)?(?:essential\s+|necessary\s+)?cookies|cookies\s+on\s+\S|"
                            r"(?:accept|reject)\s+(?:all\s+|additional\s+|optional\s+|non-essential\s+)?cookies|"
                            r"(?:site|website)\s+uses\s+cookies|cookie\s+(?:settings|preferences|consent))\b", re.I)
#: The trail of links to the page: "Home", "Home > News", "Home // Medicaid // Issue Brief", "You are here:".
_TRAIL = re.compile(r"^(?:you are here:?|(?:home|homepage)(?:\s*(?:[>›»/|]+)\s*.*)?)$", re.I)
#: What a converter leaves on a line: lynx's link numbers, Markdown's heading marks, emphasis and bullets.
_MARKUP = re.compile(r"\[\d+\]|^[#>*\-•\s]+|[*_`]{1,3}|\{[^}]*\}|^:::.*|[\[\]]")
#: A Markdown link, of which only the words show: "[Accept all](/cookies)".
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
#: A Markdown image (a logo, a banner): "![The Health Foundation](/static/img/thf-logo.svg)".
#: A logo linked to the site's home page, its alternative text the site's name.
_HOME_LOGO = re.compile(r"\[!\[([^\]]{3,80})\]\([^)]*\)\]\(https?://[^/)\s]+/?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
#: The separators a browser puts between a page's title and its site in a saved file's name.
_NAME_PARTS = re.compile(r"\s+[-_|–—]\s+|\s+_\s*$")


def _lines(page: str, limit: int = 200) -> list[str]:
    # (a line is cut at 400 characters: a title is shorter, and a long line of brackets would slow the patterns)
    return [" ".join(_MARKUP.sub(" ", _LINK.sub(r"\1", _IMAGE.sub(" ", line[:400]))).split())
            for line in page.splitlines()[:limit]]


_ISSUED_BY = re.compile(r"From:\s+[A-Z][\w&'’.,() -]{2,120}$")


def saved_page_title(page: str) -> str | None:
    """The title of a web page saved as text: the first line of its own after the site's furniture and the
    trail of links to the page, that reads as a title and is not only a label of the page's kind; None when the
    text does not start as a saved page does."""
    lines = _lines(page)
    shown = [n for n, line in enumerate(lines) if line][:30]
    if not any(_SKIP.match(lines[n]) or _COOKIE_BANNER.search(lines[n]) for n in shown) and not (
            shown and _CHROME.search(lines[shown[0]]) and re.search(r"(?i)\bwebsite\b", lines[shown[0]])) and not any(
            re.fullmatch(r"(?i)home\s*[>›»/|]\s*\S.*", lines[n]) and lines[n].count("/") + lines[n].count(">") >= 2
            for n in shown[:15]):
        return None  # (nor a government site's banner first, "A Singapore Government Agency Website", nor a trail of
        # links among its first lines: "Home / Policy & consultations / Our responses")
    start = _after_furniture(lines)
    # a trail of links that ends with the page's own title, printed again as its heading: "You are here: Home >
    # News > Commissioner launches …" / "Commissioner launches …" (under the site's name, which is no title)
    for n, line in enumerate(lines[:start + 60]):
        crumbs_here = re.split(r"\s[>»›]\s", line)
        if len(crumbs_here) >= 3 and (last := crumbs_here[-1].strip()) and len(last.split()) >= 3:
            again = next((later for later in lines[n + 1:n + 12] if later.strip() == last), None)
            if again and _reads_as_title(clean_title(again)):
                return clean_title(again)
    # a trail set one link a line, its last the page's title, printed again under it as its heading
    for n, line in enumerate(lines[:min(start + 20, 60)]):
        if len(line.split()) >= 3 and n + 1 < len(lines) and lines[n + 1] == line and n >= 2 \
                and all(lines[k] and len(lines[k].split()) <= 6 for k in (n - 2, n - 1)) \
                and not FINITE.search(line) and _reads_as_title(clean_title(line)) \
                and any(_FIELD_AFTER.match(later) for later in [later for later in lines[n + 2:n + 12] if later][:3]):
            # (the page's header under it, "First published: …"; not a menu's section printed twice)
            return clean_title(line)  # (never "Report a problem or mistake on this page", a button under a list)
    blocks: list[list[str]] = [[]]
    for line in lines[start:start + 60]:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [block for block in blocks if block]
    crumbs: list[str] = []
    for n, block in enumerate(blocks[:10]):
        if _CHROME.search(block[0]) or (len(block) <= 2 and any(_CHROME.search(line) for line in block)):
            continue
        # (a page saved without blank lines is one block: its sharing links are no title's neighbours)
        block = [line for line in block if not _CHROME.search(line)]
        trail = " ".join(block) if re.match(r"(?i)home\s[>»›]\s", block[0]) else block[0] if len(block) == 1 else ""
        if len(re.findall(r"\s[>»›]\s", trail)) >= 2:
            # a trail of links on one line, or wrapped onto the next ("Home > … > Public" / "Hearings > Proposed …")
            crumbs = [item.strip() for item in re.split(r"\s[>»›]\s", trail)]
            continue
        if len(block) <= 2 and block[-1].rstrip().endswith(":"):
            continue  # "Document first published:" / "3 March 2025": a field's name over its value
        if len(block) <= 2:  # a title of its own, perhaps wrapped
            following = " ".join(blocks[n + 1]) if n + 1 < len(blocks) else ""
            raw = _title_of_block(block, following)
            if raw.rstrip().endswith(".") and len(raw.split()) >= 8:
                continue  # "Ontario Public Service job cuts — Find out about changes …": a banner's sentence
            candidate = clean_title(raw)
            trail_end = next((re.sub(r"^\d{1,2}\.\s+", "", line) for line in reversed(lines[:start]) if line), "")
            if candidate in crumbs[:-1]:
                continue  # "Eurostat > Web > Products Eurostat News > …" / "Products Eurostat News": a section's name
            if n == 0 and len(candidate.split()) == 1 and candidate == trail_end and is_title_like(candidate):
                return candidate  # "1. Home" / … / "5. Falls" / "Falls": a title of one word the trail names too
            if _reads_as_title(candidate) and not (len(candidate.split()) <= 3 and following.startswith(candidate)):
                return candidate  # (not "Written Statement" over "Written Statement: Update on …", the page's kind)
            continue
        # lines with no blank lines between them (Markdown a converter flattened): the line a field or a date
        # follows ("Published 14 February 2025", "From:", "By …"), or a kind of page heads
        for i, line in enumerate(block):
            candidate = clean_title(line)
            after = block[i + 1] if i + 1 < len(block) else ""
            before = block[i - 1] if i else ""
            if before.endswith(":"):
                continue  # "Part of:" / "Health and social care": a field's value
            if len(candidate.split()) >= 3 and _reads_as_title(candidate) and (
                    _FIELD_AFTER.match(after) or _date_only(after)
                    or (before and is_kind_only(before) and len(candidate.split()) >= 4)
                    # the line under a trail of links to the page: "You are here: Home > … > Meeting" / "Agenda for …"
                    or len(re.findall(r"\s[>»›]\s", before)) >= 2
                    # the first line after the trail of links, over a standfirst of a sentence or two
                    or (n == 0 and i == 0 and start > 0 and after.endswith(".") and len(after.split()) >= 8)
                    # a block's first line over a strapline, a label and the date: "Ontario Expanding …" / … / "June
                    # 20, 2019"
                    or (i == 0 and any(_date_only(later) for later in block[2:4]))):
                return candidate
    # Canada.ca's title ends its trail of links, over the body that issued it: "Extreme heat events: …" / "" /
    # "From: Health Canada"
    issued = next((n for n in range(min(len(lines), start + 60)) if _ISSUED_BY.match(lines[n])), None)
    above = next((lines[n] for n in range(issued - 1, max(0, issued - 4) - 1, -1) if lines[n]), "") if issued else ""
    return clean_title(above) if above and _reads_as_title(clean_title(above)) else None


def _listed_name(name: str) -> str:
    """A name as the bodies table writes it ("eurostat" -> "Eurostat")."""
    return name if name[:1].isupper() else name[:1].upper() + name[1:]


def site_owner(page: str) -> tuple[str, str] | None:
    """The body whose site a page saved as text comes from, with the line that names it: the site's masthead in
    the furniture above the page's title ("gov.scot", a domain the bodies table lists; "Health New Zealand | Te
    Whatu Ora"; "NHS England"), else a news release's dateline under it ("March 12, 2025 9:30 A.M. | Ministry
    of Health"). None when the text does not start as a saved page does."""
    from kb.ingest.extract.dates import dates_in_line

    lines = _lines(page)
    if not any(_SKIP.match(line) or _COOKIE_BANNER.search(line) for line in [line for line in lines if line][:30]):
        return None
    start = _after_furniture(lines)
    networks = {fold(m.group(1)) for line in lines[:start]
                if (m := re.search(r"part\s+of\s+the\s+(.+?)\s+network", line, re.I))}
    raw = page.splitlines()[:start]
    for line in raw:  # the site's logo, linked to its home page: "[![City of Toronto](/logo.svg)](https://…/)"
        logo = _HOME_LOGO.search(line)
        if logo and organisation_name(logo.group(1)) == logo.group(1):
            return logo.group(1), logo.group(1)
    for n, line in enumerate(lines[:start]):
        if not line or len(line.split()) > 8 or _CHROME.search(line) or _SKIP.match(line) or fold(line) in networks:
            continue  # ("Part of the Healthwatch England network" / "Healthwatch England": the network's, not the site's)
        if re.match(r"\s*(?:[-*+•]|\d{1,2}\.)\s+\S", raw[n]):
            continue  # an item of the site's menu or of the trail of links ("- [Services & Payments](…)")
        host = re.fullmatch(r"(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)", line.lower())
        if host and (body := body_of_host(host.group(1))):
            return body, line
        if is_listed(line):
            below = next((later for later in lines[n + 1:start] if later), "")
            if is_listed(below) and not _CHROME.search(below):
                return _listed_name(below), below  # "European Commission" / "eurostat": the site under its parent
            return line, line
        for part in line.split(" | "):
            if bare_body(part) or is_listed(part) or (organisation_name(part) == part and BODY_WORD.search(part)):
                return part, line
    for line in [line for line in lines[:start + 12] if line][-40:]:  # (the menus may have taken it in)
        found = dates_in_line(line)
        dateline = re.fullmatch(r"\s*(?:\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?)?\s*\|\s*(.{4,80})",
                                line[found[0][1]:]) if found and found[0][0] == 0 else None
        if dateline and organisation_name(dateline.group(1)) == dateline.group(1):
            return dateline.group(1), line
    shown = [line for line in lines[start:start + 20] if line]
    for line, after in zip(shown, shown[1:], strict=False):
        found = dates_in_line(line)
        if found and found[0][0] == 0 and found[0][1] == len(line) and organisation_name(after) == after \
                and BODY_WORD.search(after) and len(after.split()) <= 10:
            return after, after  # "FOR IMMEDIATE RELEASE:" / "2/20/2025" / "Executive Office of Health and Human Services"
    return None


#: The furniture's lines set one under the other: a menu ("Home" / "About us" / "Your health" / …) is longer
#: than a trail ("Home" / "Research" / "Where next for general practice funding?").
_TRAIL_ITEMS = 5
#: What a page prints under its title: when, by whom, from which body.
_FIELD_AFTER = re.compile(r"(?:first\s+)?published\b|from:?$|from:\s|by\s+[A-Z]|authors?:|updated\b|last updated\b|"
                          r"date\b", re.I)


def _after_furniture(lines: list[str]) -> int:
    """The line the page's own content starts at: after the skip link, the cookie banner, the menus and the
    trail of links to the page, when it prints one."""
    start = 0
    n = 0
    wrapped = 0
    while n < min(len(lines), 150):
        numbered = re.match(r"\d{1,2}\.\s+", lines[n])  # GOV.UK's trail as a numbered list: "1. Home"
        line = lines[n][numbered.end():] if numbered else lines[n]
        if _CHROME.search(line) or _SKIP.match(line) or line.count(" | ") >= 2:
            if any(_FIELD_AFTER.match(above) or _date_only(above) for above in lines[max(0, n - 5):n] if above):
                break  # "Published Date: 08 Mar 2022" / "Share", "12 September 2017" / "Available in: English | …":
                # the page's own tools, under its title and date
            start = n = n + 1
            continue
        if _TRAIL.fullmatch(line):
            end = n + 1
            while end < len(lines) and re.search(r"\s[>»›]\s", lines[end]) and len(lines[end].split()) <= 15:
                end += 1  # the trail wrapped onto the next line: "Home > … > Public" / "Hearings > Proposed …"
            if line.lower() in ("home", "homepage", "you are here", "you are here:"):
                while end < len(lines) and lines[end] and len(lines[end].split()) <= 12 and (
                        not numbered or re.match(r"\d{1,2}\.\s", lines[end])):
                    if _FIELD_AFTER.match(lines[end]) or _date_only(lines[end]):
                        end -= 1  # "Home" / "News" / the page's title / "Published 12 March 2025": the trail ends
                        break     # over the title its date is printed under
                    end += 1
                later = next((line for line in lines[end:end + 3] if line), "")
                if end < len(lines) and end - n >= 3 and (
                        (len(lines[end].split()) > 12 and lines[end].endswith("."))
                        or (not lines[end] and len(later.split()) >= 8 and later.endswith("."))):
                    end -= 1  # "Home" / "Guidance" / the page's title / a standfirst of a sentence (after a blank
                    # line or not): the title's own
                if line.lower().startswith("home") and end - n > _TRAIL_ITEMS:
                    start = n = end  # a menu, not a trail
                    continue
            return end
        if len(lines[n].split()) > 25:
            break  # a paragraph of the page's own text: the furniture is above it (a footer's links are not)
        wrapped = wrapped + 1 if len(lines[n].split()) >= 8 else 0
        if wrapped >= 3:
            break  # a paragraph wrapped onto lines of its own (lynx)
        n += 1
    return start


def _title_of_block(block: list[str], following: str = "") -> str:
    """A block of one or two lines as a title: a title wrapped onto its second line, else the title without the
    date or byline under it ("… hospices" / "12 March 2025") or the kicker over it ("Hospice funding" / …)."""
    if len(block) == 1:
        return block[0]
    first, second = block
    if re.fullmatch(r"Home(?:\s+[A-Z][\w&'’-]*){1,5}", first):
        return second  # "Home News Press Releases": a trail of links whose marks were lost, over the page's title
    if organisation_name(first) == first:
        # "NHS England" / "Delivery plan for …" over "Published 9 May 2023": the body's page and its title; else the
        # site's name and its strapline, "Healthwatch Kingsmere" / "Your voice on health and care"
        return second if _date_only(following) or _FIELD_AFTER.match(following) else ""
    if _date_only(second) or _FIELD_AFTER.match(second):
        return first
    if second[:1].islower() or first.endswith((",", ":", "–", "-")) or first.split()[-1].lower() in (
            "and", "of", "for", "the", "to", "in", "on", "a", "an", "with"):
        return f"{first} {second}"
    return second if len(first.split()) <= 3 else first


def _reads_as_title(candidate: str) -> bool:
    """A title of its own: never a kind of page alone, nor the site's masthead, its name after its initials ("US EPA
    United States Environmental Protection Agency")."""
    named = re.sub(r"^(?:[A-Z]{2,}\s+)+", "", candidate)  # (its initials before its name)
    return (len(candidate.split()) >= 2 and is_title_like(candidate) and not is_kind_only(candidate)
            and not (named != candidate and bare_body(named))
            and not re.match(r"(?i)(?:news|press|media)\s+releases\b", candidate))  # (a section: "News Releases from …")


def _date_only(line: str) -> bool:
    from kb.ingest.extract.dates import dates_in_line

    found = dates_in_line(line)
    return bool(found) and not re.sub(r"[\W\d_]+", "", line[:found[0][0]] + line[found[-1][1]:])


def line_named_by_file(source: str, page: str) -> str | None:
    """A line among the first of ``page`` that the file's name repeats, less the site's name a browser adds
    ("Proposal to make naloxone nasal spray available … - GOV.UK.txt"): the document's title, on the evidence
    of its page and of its name. Only names with spaces count (a slug names the link, not the page), and only a
    title of four words or more, or of three among the first lines (further on they may name a section:
    "Equality impact assessment")."""
    stem = file_stem(source)
    if " " not in stem.strip():
        return None
    parts = [part for part in _NAME_PARTS.split(stem) if part.strip()]
    wanted = [fold(" ".join(parts[:n]).replace("_", " ")) for n in range(len(parts), 0, -1)]
    wanted = [name for name in wanted if len(name.split()) >= 3]
    if not wanted:
        return None
    lines = [line for line in _lines(page, 150) if line]
    for name in wanted:
        # (three words only among the cover's first lines: "Equality impact assessment" further on is a section)
        for line in lines if len(name.split()) >= 4 else lines[:3]:
            if fold(line) == name:
                title = clean_title(line)
                if is_title_like(title):
                    return title
    return None


def text_under_title(page: str, title: str) -> str | None:
    """The text of a saved page around its title, where the page prints its own dates ("Published: 12 February
    2025" under it, "News" / "12 March 2025" over it), past the site's furniture that fills the top of the
    file; None when no line holds the title."""
    wanted = fold(title)
    raw = page.splitlines()
    lines = _lines(page, 200)
    for n, line in enumerate(lines):
        if line and fold(line) == wanted:
            above = [i for i in range(max(0, n - 8), n) if lines[i]][-_LINES_ABOVE:]
            text = "\n".join(raw[above[0] if above else n:])
            return _RELATED.split(text, maxsplit=1)[0]  # (not the dates of the pages it links to)
    return None


#: A heading over the links to other pages, each with its own date.
_RELATED = re.compile(r"(?im)^[ \t#*]*(?:related(?:\s+\w+)?|more\s+(?:news|from\s+\S+)|see\s+also|further\s+reading|"
                      r"latest\s+news|you\s+may\s+also\s+like|read\s+more)[ \t*]*$")
#: The lines over a page's title that may print its date: a kicker and a date ("News" / "12 March 2025").
_LINES_ABOVE = 2


#: The header a browser prints on every page of a web page saved as PDF: when, then the page's own title
#: ("11/24/25, 8:19 PM Government response to the rapid review … - GOV.UK"), on one line or on the next.
_BROWSER_HEADER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?[Mm]\.?)?"
                             r"(?:\s+(.*))?$")


def printed_page_title(text: str) -> str | None:
    """The title of a web page printed to PDF, from the header the browser printed above it (the page's HTML
    title, its site's name after a dash, which ``clean_title`` removes); the header's date is when it was
    printed, never the document's date. None when the text does not start with such a header."""
    lines = text_lines(text, 3)
    for i, line in enumerate(lines[:2]):
        m = _BROWSER_HEADER.match(line)
        if m:
            title = m.group(1) or (lines[i + 1] if i + 1 < len(lines) else "")
            if not title or URL.match(title) or title.startswith(("-", ":", "[")) or LABELS.match(title):
                return None  # "12/05/2023, 10:30 - John: Welcome": a chat's message, not a printed page
            return title
    return None
