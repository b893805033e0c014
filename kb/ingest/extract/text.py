"""Plain text and Markdown: decode strictly, split pages at form feeds, strip Markdown markup lightly.

Decoding policy: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark. Anything else
is refused with the position of the first bad byte rather than guessed: a wrong guess (cp1252 vs latin-1 vs
mac-roman) silently corrupts quotes, dashes and "£" in the knowledge base, and the fix (re-save as UTF-8,
or ``iconv``) takes the user one command.
"""

from __future__ import annotations

import re

from kb.errors import ExtractionError
from kb.models import Extraction


def decode_text(data: bytes) -> str:
    """Bytes -> str under the policy above; raises ExtractionError("not valid UTF-8 text", ...)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractionError(
                f"not valid UTF-16 text (bad bytes at offset {exc.start})",
                "re-save it as UTF-8",
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExtractionError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})",
            "re-save it as UTF-8 (e.g. iconv -f cp1252 -t utf-8 FILE > FILE.utf8) and replace it",
        ) from None


def split_form_feeds(text: str) -> tuple[str, ...]:
    """Pages of a text file: form feeds (\\f) separate pages, as pdftotext writes them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends every page, including the last, with \f
    return tuple(pages)


def extract_text(data: bytes) -> Extraction:
    """Plain text: one page, or one per form feed."""
    return Extraction(format="text", pages=split_form_feeds(decode_text(data)), metadata={"sources": {}})


_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")
_CODE = re.compile(r"`([^`]+)`")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LIST = re.compile(r"^(\s*)[*+-]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_markdown(text: str) -> tuple[str, str | None]:
    """Markdown -> plain text with the same words; returns (text, first level-one heading or None).

    Light on purpose: headings, emphasis, links, images, code spans, quotes, rules and list markers;
    fenced code is kept as text. Not a full CommonMark renderer.
    """
    out: list[str] = []
    title: str | None = None
    in_fence = False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        heading = _ATX.match(line)
        if heading:
            if title is None and line.lstrip().startswith("# "):
                title = heading.group(1)
            out.extend(["", _inline(heading.group(1)), ""])
            continue
        if _SETEXT.match(line) and out and out[-1].strip() and i > 0 and not _LIST.match(line):
            if title is None and line.strip().startswith("="):
                title = _inline(out[-1].strip())
            out.append("")
            continue
        if _RULE.match(line) or _TABLE_RULE.match(line) or _REF_DEF.match(line):
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        line = _LIST.sub(r"\1• ", line)
        if line.strip().startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        out.append(_inline(line))
    return "\n".join(out), title


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        line = _EMPHASIS.sub(lambda m: m.group(2) if m.group(1) else m.group(4), line)
    return line.replace("\\", "") if "\\" in line else line


def extract_markdown(data: bytes) -> Extraction:
    """Markdown: markup stripped, title from the first level-one heading."""
    text, title = strip_markdown(decode_text(data).replace("\r\n", "\n"))
    metadata: dict = {"sources": {}}
    if title:
        metadata["title"] = title
        metadata["sources"]["title"] = "text"
    return Extraction(format="markdown", pages=split_form_feeds(text), metadata=metadata)
