"""The cover of a PDF: its title (the largest title-like text of the first page, with the lines that continue
it) and its date (a date printed larger than the body text). ``heads`` holds each of the first pages' lines as
(x0, y0, x1, y1, font size, text), as kb.ingest.extract.pdf collects them."""

from __future__ import annotations


def cover_title(heads: list[list]) -> str | None:
    """The title printed on the cover: the largest title-like text on the first page (or the second, when the
    first is only furniture), with the lines next to it that continue it (same block, at least two thirds
    of its size, or a lower-case continuation). None when no text stands out from the body text."""
    from collections import Counter

    from kb.ingest.metadata import clean_title, is_title_like, title_line_ok

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
    for lines in heads:
        usable = [line for line in lines if title_line_ok(line[5])]
        ordered = sorted(usable, key=lambda line: (-line[3], line[0]))
        anchors = sorted(usable, key=lambda line: (-round(line[4], 1), -line[3]))
        for anchor in anchors:
            if anchor[4] < 1.15 * body:
                break
            block = _grow_title(anchor, ordered, body)
            title = clean_title(_join_title_lines(block))
            if is_title_like(title):
                return title
    return None


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
        gap = (near[1] - line[3]) if line[3] <= near[1] + 1 else (line[1] - near[3])
        continues = line[5][:1].islower() and line[3] < near[1]  # "for England" under "The NHS Constitution"
        if gap > (2.0 if continues else 0.8) * max(line[4], near[4]) or gap < -0.5 * min(line[4], near[4]):
            return False
        if line[4] > 1.15 * size or (line[4] < 1.1 * body and not continues):
            return False
        return line[4] >= 0.65 * size or (line[4] >= 0.5 * size and line[5][:1].islower())

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
