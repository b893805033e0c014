"""The cover of a PDF: its title (the largest title-like text of the first page, with the lines that continue
it) and its date (a date printed larger than the body text). ``heads`` holds each of the first pages' lines as
(x0, y0, x1, y1, font size, text), as kb.ingest.extract.pdf collects them."""

from __future__ import annotations

import re


def cover_title(heads: list[list]) -> str | None:
    """The title printed on the cover: the largest title-like text on the first page (or the second, when the
    first is only furniture), with the lines next to it that continue it (same block, at least two thirds
    of its size, or a lower-case continuation). None when no text stands out from the body text."""
    from collections import Counter

    from kb.ingest.kinds import ADDRESSED_REPORT
    from kb.ingest.titles import clean_title, fold, is_title_like, title_line_ok

    # A size the glyphs do not have (text drawn through a scaling matrix, rotated watermarks) is not trusted.
    heads = [[line for line in lines if (line[2] - line[0]) >= 0.2 * line[4] * len(line[5].strip())]
             for lines in heads]
    weights: Counter = Counter()
    for lines in heads:
        for line in lines:
            weights[round(line[4])] += len(line[5])
    if not weights:
        return None
    body = weights.most_common(1)[0][0]
    # a journal's name, which its issue line gives ("Social Science & Medicine 362 (2024) 117412") and its masthead
    # prints largest, names the journal, not the article
    journals = {fold(m.group(1)) for lines in heads[:1] for line in lines if (m := _ISSUE_LINE.match(line[5].strip()))}
    for number, lines in enumerate(heads):
        usable = [line for line in lines if title_line_ok(line[5]) or _PERIOD.fullmatch(line[5].strip())]
        ordered = sorted(usable, key=lambda line: (-line[3], line[0]))
        anchors = sorted((line for line in usable if title_line_ok(line[5])),
                         key=lambda line: (-round(line[4], 1), -line[3]))
        floors = [1.15 * body]
        if number == 0:
            # A cover whose title is not larger than the body text of the next pages (slides, a plain title
            # page): the first page's largest text, when it stands out from every other line of that page.
            top = max((line[4] for line in anchors), default=0.0)
            rest = [line[4] for line in lines if abs(line[4] - top) > 0.5]
            sized = sum(len(line[5]) for line in lines if abs(line[4] - top) <= 0.5)
            sparse = sum(len(line[5].split()) for line in lines) <= 60
            # Not the size most of a page of text is set in (a letter's address block above its body).
            if rest and top >= 1.05 * max(rest) and (sparse or sized <= 0.4 * sum(len(line[5]) for line in lines)):
                floors.append(top)
        for floor in floors:
            for anchor in anchors:
                if anchor[4] < floor:
                    break
                block = _grow_title(anchor, ordered, min(body, floor / 1.15))
                title = clean_title(_join_title_lines(block))
                if is_title_like(title, kinds=True) and not _letterhead(title, block, lines) and not _identity(block) \
                        and len(_AFFILIATION.findall(title)) < 2 \
                        and not any(
                        set(fold(title).split()) <= set(journal.split()) for journal in journals):
                    generic = _GENERIC.fullmatch(title) or ADDRESSED_REPORT.fullmatch(title)
                    if len(title.split()) == 1 and not generic:
                        if topic := _topic_over(block, anchors, ordered, body):
                            return topic
                        continue  # one word printed largest is a logo ("NHS" in its box), not a title: the next
                    if generic:
                        title = _with_subject(title, block, anchors, ordered, body)
                    if _GENERIC.fullmatch(block[0][5].strip()) and (inquiry := _inquiry_over(block, anchors)):
                        title = f"{inquiry}: {title}"
                    if not generic:
                        title = _with_subtitle(title, block, ordered, body)
                    return _with_period(title, block, ordered, lines)
    return None


def _topic_over(block: list, anchors: list, ordered: list, body: float) -> str | None:
    """A topic's one word printed largest right above the title, flush with it ("Allotments" over
    "Consultation on draft statutory guidance for local authorities"): the title is "Topic: title". Not a logo
    (a word in capitals, "NHS", "GAO"), nor a body's name ("Shelter" over its report stands apart from it)."""
    from kb.ingest.orgnames import organisation_name
    from kb.ingest.titles import bare_body, clean_title, is_title_like

    word = block[0]
    text = word[5].strip()
    if not re.fullmatch(r"[A-Z][a-z][a-z'’-]{2,}", text) or bare_body(text) or organisation_name(text) == text:
        return None
    below = [line for line in ordered if line[3] <= word[1] + 1 and line not in block]
    if not below:
        return None
    nearest = below[0]
    if nearest not in anchors or nearest[4] < 1.15 * body or abs(nearest[0] - word[0]) > 2 \
            or word[1] - nearest[3] > 0.6 * word[4]:
        return None
    subtitle = clean_title(_join_title_lines(_grow_title(nearest, ordered, body)))
    return f"{text}: {subtitle}" if is_title_like(subtitle, kinds=True) else None


def _with_subtitle(title: str, block: list, ordered: list, body: float) -> str:
    """A title with the subtitle printed right under it in smaller type than the title but larger than the
    text ("No Place to Settle" / "Families living in temporary accommodation in England's coastal towns"),
    aligned with it: "Title: subtitle", as a cataloguer records it. Not a date, a byline, a label or a body's
    name under the title."""
    from kb.ingest.titles import bare_body, clean_title, is_title_like, names_only_a_kind

    if ":" in title or len(title.split()) > 12:
        return title
    last = block[-1]
    below = [line for line in ordered if line[3] <= last[1] + 1 and line not in block]
    if not below:
        return title
    line = below[0]
    aligned = abs(line[0] - last[0]) <= 2 or abs((line[0] + line[2]) - (last[0] + last[2])) <= 6
    if not (aligned and 1.2 * body <= line[4] < 0.85 * last[4] and last[1] - line[3] <= 1.0 * last[4]):
        return title
    # (its own lines, set in its size: not a column of text beside it)
    lines = [part for part in _grow_title(line, ordered, body) if abs(part[4] - line[4]) <= 0.5]
    subtitle = clean_title(_join_title_lines(lines))
    if not subtitle or not is_title_like(subtitle) or bare_body(subtitle) or names_only_a_kind(subtitle) \
            or not 3 <= len(subtitle.split()) <= 25 or _STATEMENT.search(subtitle):
        return title
    return f"{title}{'' if title[-1:] in '.:?!' else ':'} {subtitle}"


#: A statement, not a subtitle: "The Core20PLUS5 approach is designed to support …".
_STATEMENT = re.compile(r"\b(?:is|are|was|were|has|have|had)\s+(?:been|being|not|\w+ed|\w+ing)\b")


def _inquiry_over(block: list, anchors: list) -> str | None:
    """An inquiry's name printed larger above a kind of document ("The Harbourside Hospital Inquiry" / "Report"):
    the inquiry's report is titled by its name."""
    from kb.ingest.titles import bare_body

    above = [line for line in anchors if line[4] > block[0][4] and line[1] > block[0][3]]
    # (its lines of that size, top to bottom: "Harrowgate Estate" / "Fire Inquiry")
    lines = sorted((line for line in above if above and abs(line[4] - above[0][4]) < 0.5), key=lambda line: -line[3])
    name = " ".join(" ".join(line[5] for line in lines).split())
    return name if re.search(r"\b(?:Inquiry|INQUIRY)$", name) and bare_body(name) else None


def _letterhead(title: str, block: list, lines: list) -> bool:
    """Whether the largest text is a letterhead: only a body's name ("Royal College of" / "General
    Practitioners" / "Scotland") over its address ("25 Queen Street", "Tel: …", a mailbox): whose document it is,
    not what it is called (a council's name over the record of its meeting is that record's title)."""
    from kb.ingest.orgnames import BODY_WORD, organisation_name
    from kb.ingest.titles import DOCUMENT_WORD, bare_body

    flat = " ".join(title.replace(":", " ").split())
    if not (bare_body(title) or (organisation_name(flat) == flat and len(flat.split()) <= 8
                                 and bool(BODY_WORD.search(flat)) and not DOCUMENT_WORD.search(flat))):
        return False
    bottom, top = min(line[1] for line in block), max(line[3] for line in block)

    def distance(line) -> float:  # beside the name (an address block on the right), or under it
        return 0.0 if line[3] >= bottom and line[1] <= top else bottom - line[3] if line[3] < bottom else line[1] - top

    near = sorted((line for line in lines if line not in block), key=distance)
    return any(_ADDRESS_LINE.search(line[5]) for line in near[:4])


#: An author's affiliation: "Danish Centre for Health Economics (DaCHE), University of Southern Jutland, Odense".
_AFFILIATION = re.compile(r"\b(?:University|Department|Institute|School|Faculty|Centre|Center|Hospital)\b[^,]{0,60},\s*"
                          r"[A-Z][\w ]{1,30},\s*[A-Z]")


def _identity(block: list) -> bool:
    """Whether the largest text is a body's identity: its name over the same name in another language ("Health
    Information" / "and Quality Authority" / "An tÚdarás Um Fhaisnéis" / "agus Cáilíocht Sláinte")."""
    from kb.ingest.titles import bare_body, only_names

    texts = [" ".join(line[5].split()) for line in block]
    for n in range(1, len(texts)):
        rest = " ".join(texts[n:])
        # (a name is set in one size: "NURSING HOMES" over "CMS Should Improve … Agency" / "Staffing" is a
        # topic over a title, though its first lines end on a body's word)
        if max(line[4] for line in block[:n]) - min(line[4] for line in block[:n]) > 0.5:
            continue
        if bare_body(" ".join(texts[:n])) and only_names(rest) and not bare_body(rest):
            return True
    return False


#: A line of a letterhead's address: a postcode, a telephone number, a mailbox, a web address.
_ADDRESS_LINE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b(?:tel|telephone|phone|t)\s*[:.]|\S+@\S+\.\w|"
                           r"\bwww\.|\b\d{3,5}\s\d{3}\s?\d{3,4}\b", re.I)


#: A journal's issue line: "Social Science & Medicine 362 (2024) 117412", "BMJ Open 2024;14:e089123".
_ISSUE_LINE = re.compile(r"([A-Z][\w&,.' -]{1,80}?)\s+(?:\d{1,4}\s*\((?:19|20)\d\d\)|(?:19|20)\d\d\s*[;:]\s*\d)")


#: A title made only of words that name a kind of document ("Report and Recommendations In Brief", "Final
#: report", "Annual Review"): what the document is, printed largest, with what it is about in smaller type.
_GENERIC = re.compile(
    r"(?:(?:the|a|an|and|&|of|in|brief|full|final|interim|annual|summary|executive|report|reports|"
    r"recommendations|findings|review|response|consultation|update|progress|technical|evaluation|"
    r"briefing|paper|statement|overview|inspection|audit|assessment)\s*)+", re.I)


def _with_subject(kind: str, block: list, anchors: list, ordered: list, body: float) -> str:
    """A kind of document printed largest joined with the next largest title on the cover, in the order the
    cover prints them ("Module 2: Core decision-making and political governance" above "Report and
    Recommendations In Brief"); the kind alone when no other text stands out."""
    from kb.ingest.titles import bare_body, clean_title, fold, is_title_like

    for other in anchors:
        if other in block or other[4] < 1.05 * body:
            continue
        subject_block = _grow_title(other, ordered, min(body, other[4] / 1.15))
        if any(line in block for line in subject_block):
            continue
        subject = clean_title(_join_title_lines(subject_block))
        # (or a place's name, which reads as an address alone: "Hollybank House" over "Inspection report")
        named = bool(_PLACE.fullmatch(subject)) and not bare_body(subject)
        if not (is_title_like(subject) or named) or _GENERIC.fullmatch(subject):
            continue
        kind_words = set(fold(kind).split()) - {"the", "a", "an", "and", "of", "in"}
        if kind_words <= set(fold(subject).split()):
            return subject  # "EVALUATION" over "Interim evaluation of …": the subject says its kind already
        if subject_block[0][3] > block[0][3]:
            return f"{subject}{'' if subject[-1:] in '.:?!' else ':'} {kind}"
        return f"{kind}: {subject}"
    return kind


#: A place's name: "Hollybank House", "Riverside Medical Centre" (capitalised words, no figures).
_PLACE = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|on|upon|the)){1,4}")


def _with_period(title: str, block: list, ordered: list, lines: list | None = None) -> str:
    """A title with the period printed right under it, when the title only says what kind of document it is:
    "Annual Report" / "and Accounts" / "2023/24", "Annual Report and Financial Statements" / "for the year ended
    31 March 2015"; a meeting's record with the day it was held ("… Committee held on" / "Tuesday 12 September
    2023")."""
    from kb.ingest.kinds import is_kind_only
    from kb.ingest.titles import is_date_only

    bottom = min(line[1] for line in block)
    under = sorted((line for line in lines or [] if line not in block and line[3] <= bottom + 1
                    and bottom - line[3] <= 1.5 * line[4]), key=lambda line: -line[3])
    nearest = " ".join(under[0][5].split()) if under else ""
    held = next((line for line in block if re.search(r"\bheld\s+on$", line[5].strip())), None)
    day = next((" ".join(line[5].split()) for line in sorted(lines or [], key=lambda line: -line[3])
                if held and line not in block and line[3] <= held[1] + 1 and held[1] - line[3] <= 1.5 * line[4]), "")
    if held and is_date_only(day) and title.startswith(" ".join(held[5].split()).removesuffix(" held on")):
        return f"{title.removesuffix(' held on')} held on {day}"
    # the day wrapped onto the next line with the hour and the room: "… held on Wednesday 12" / "March 2014 at 6.30 pm
    # in the Council Chamber, …" (the record keeps its day)
    cut = re.search(r"\bheld\s+on(?:\s+\S+){0,3}$", block[-1][5].strip())
    if cut and under and re.match(r"(?:\d{1,2}\s+)?[A-Z][a-z]+\s+(?:\d{1,2},?\s+)?(?:19|20)\d\d\b", nearest):
        from kb.ingest.titles import clean_title

        whole = clean_title(" ".join([*(" ".join(line[5].split()) for line in block), nearest]))
        if whole.startswith(title) and len(whole) > len(title):
            return whole
    reported = is_kind_only(title) or re.fullmatch(r"(?i)(?:annual\s+)?(?:report|review)(?:\s+and\s+(?:financial\s+)?"
                                                   r"(?:statements|accounts))?", title)
    if under and reported and re.match(r"for\s+the\s+(?:financial\s+)?(?:year|period)\s+(?:ended|ending|"
                                                    r"to|from)\b", nearest) and len(nearest.split()) <= 12:
        return f"{title} {nearest}"
    if not (is_kind_only(title) or len(title.split()) <= 3) or _PERIOD.search(title):
        return title  # (a title of its own, or one that says its period already)
    period = next((line for line in ordered if line not in block and _PERIOD.fullmatch(line[5].strip())
                   and 0 <= bottom - line[3] <= 1.5 * line[4]), None)
    return f"{title} {period[5].strip()}" if period else title


#: A year or a period printed under a title as part of it: "2012/13", "2024–2028", "2019".
_PERIOD = re.compile(r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?")


def cover_date(heads: list[list]) -> str | None:
    """The line of the first page printed larger than the body text that holds a date ("November - 2015"
    beside a table's title, "December 2025" under a report's): the cover's own date. None when the large lines
    hold no date or different ones."""
    from collections import Counter

    from kb.ingest.extract.dates import dates_in_line

    if not heads or not heads[0]:
        return None
    weights: Counter = Counter()
    for lines in heads:
        for line in lines:
            weights[round(line[4])] += len(line[5])
    body = weights.most_common(1)[0][0]
    found: dict[str, str] = {}
    for line in heads[0]:
        text = " ".join(line[5].split())
        if line[4] >= 1.15 * body and len(text) <= 120:
            for _start, _end, date in dates_in_line(text):
                found.setdefault(date.value, text)
    return next(iter(found.values())) if len(found) == 1 else None


def _grow_title(anchor, ordered: list, body: float) -> list:
    """The anchor line plus the lines directly above and below it that belong to the same title."""
    block = [anchor]
    size = anchor[4]

    def belongs(line, near) -> bool:
        # Below or above the line it continues (large type is often set with boxes that overlap a little).
        below = line[1] + line[3] < near[1] + near[3]
        gap = (near[1] - line[3]) if below else (line[1] - near[3])
        # "for England" under "The NHS Constitution"; "Review of …" under "… care leavers" / "and"
        continues = bool(((line[5][:1].islower() or _OPEN_END.search(near[5]) or _BY_OFFICE.match(line[5]))
                          and line[3] < near[1]) or (
            line[1] > near[3] and (line[5].rstrip().endswith(":") or _OPEN_END.search(line[5]))))
        # ("The 2017-18 Budget:", "Report on an unannounced inspection of" over the title; "by HM Chief Inspector
        # of Prisons" under it: the office whose report it is)
        if gap > (2.5 if continues else 0.8) * max(line[4], near[4]) or gap < -0.5 * min(line[4], near[4]):
            return False
        if _PERIOD.fullmatch(line[5].strip()):  # "2012/13" under "Annual Review", often printed larger
            return line[4] >= 0.65 * size and line[3] < near[1] + 1
        if line[4] > 1.15 * size or (line[4] < 1.1 * body and not continues):
            return False
        return line[4] >= 0.65 * size or (line[4] >= 0.5 * size and line[5][:1].islower()) or (
            line[4] >= 0.4 * size and continues)

    index = ordered.index(anchor)
    for step in (1, -1):
        near = anchor
        i = index + step
        while 0 <= i < len(ordered):
            line = ordered[i]
            i += step
            if line[3] > near[3] - 0.5 * near[4] and line[1] < near[1] + 0.5 * near[4]:
                continue  # same row (another column): not above or below
            if min(line[2], near[2]) - max(line[0], near[0]) <= 0:
                continue  # beside the title, not under it
            if not belongs(line, near):
                break
            block.append(line)
            near = line
    return sorted(block, key=lambda line: -line[3])


#: A line that cannot end a title: it ends on a word that joins it to the next ("… care leavers and").
_OPEN_END = re.compile(r"\b(?:and|or|of|for|the|to|in|on|with|&)\s*$")
#: An office holder whose report the title says it is: "by HM Chief Inspector of Prisons".
_BY_OFFICE = re.compile(r"by\s+(?:the\s+|HM\s+|Her\s+Majesty's\s+|His\s+Majesty's\s+)?(?:Chief\s+)?(?:Inspector|"
                        r"Commissioner|Auditor[\s-]General|Comptroller|Ombudsman)\b")


def _join_title_lines(block: list) -> str:
    """Lines of a title block as one string; a drop in size before a capital starts a subtitle (": ")."""
    text = ""
    previous = None
    for line in block:
        part = line[5].strip()
        if previous is None:
            text = part
        elif (line[4] < 0.85 * previous[4] and part[:1].isupper() and text[-1:] not in ":.–-—"):
            text += ": " + part
        else:
            text += " " + part
        previous = line
    return " ".join(text.split())


def small_lines(heads: list[list]) -> list[str]:
    """The first page's lines printed smaller than the body text: running headers ("Official - Subject to Final
    Review"), letterheads and footers, which are never the document's title."""
    from collections import Counter

    weights: Counter = Counter()
    for lines in heads:
        for line in lines:
            weights[round(line[4])] += len(line[5])
    if not weights or not heads:
        return []
    body = weights.most_common(1)[0][0]
    return [" ".join(line[5].split()) for line in heads[0] if line[4] < 0.9 * body and line[5].strip()][:40]


def cover_candidates(document, heads: list[list]) -> dict:
    """Possible titles, best first: the largest text on the cover, then the outline's first entry (the info
    Title stays in ``title``). Each is (text, source); kb.ingest.metadata keeps the first that reads as a title (not
    a label, a date, a template placeholder or a file name).
    """
    candidates: list[tuple[str, str]] = []
    cover = cover_title(heads)
    if cover:
        candidates.append((cover, "text"))
    dated = cover_date(heads)
    first_page = " ".join(" ".join(line[5] for line in heads[0]).split()).casefold() if heads else ""
    try:
        for _level, title, *_rest in document.get_outlines():
            title = " ".join(title.split()) if isinstance(title, str) else ""
            # The first bookmark is the title only when the cover shows it (often it is the first heading).
            if title and title.casefold() in first_page:
                candidates.append((title, "pdf-outline"))
            break
    except Exception:  # no outline (PDFNoOutlines) or a broken one
        pass
    found: dict = {"title_candidates": candidates, "small_lines": small_lines(heads)}
    field = row_title_field(heads)
    if field:
        found["title_field"] = field
    if dated:
        found["cover_date"] = dated
    return found


def row_title_field(heads: list[list]) -> str | None:
    """A cover sheet's title field as its table prints it, the field's name in one cell and the value in the
    next on the same row ("Report title" | "Integrated Quality and Safety Report – May 2025"), which a text
    layer may set far apart. Only the first page, and only when one such field names the title."""
    from kb.ingest.fields import NAMED_TITLE_FIELD
    from kb.ingest.titles import is_title_like

    if not heads or not heads[0]:
        return None
    lines = heads[0]
    names = [line for line in lines if NAMED_TITLE_FIELD.fullmatch(line[5].strip())]
    if len(names) != 1:
        return None
    name = names[0]
    beside = sorted((line for line in lines if line is not name and line[0] > name[2]
                     and abs(line[3] - name[3]) <= 0.5 * name[4]), key=lambda line: line[0])
    if not beside:
        return None
    value = " ".join(beside[0][5].split())
    return value if len(value.split()) >= 3 and is_title_like(value) else None
