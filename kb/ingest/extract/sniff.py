"""Which extractor a file needs, decided from its content first and its name second.

A PDF renamed ``.txt`` is still a PDF and an HTML page saved as ``.txt`` is still HTML. Files that are
neither text, HTML nor PDF are named by their magic bytes so the user knows what they actually added.
"""

from __future__ import annotations

import re

from kb.errors import ExtractionError

#: Bytes looked at when sniffing; enough for a doctype, a BOM and a few hundred characters of text.
SNIFF_BYTES = 4096

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".xhtml", ""})

# (magic prefix, human name). Checked in order; offsets other than 0 are handled separately below.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PK\x03\x04", "ZIP archive (e.g. .docx, .xlsx, .epub)"),
    (b"PK\x05\x06", "ZIP archive (empty)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls/.ppt)"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"%!PS", "PostScript document"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"RIFF", "RIFF media (e.g. .wav, .avi, .webp)"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 image"),
]

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<(?:html|head|body)\b[^>]*>", re.I)

_XML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+(\w+)[^>]*>\s*)?<([A-Za-z][\w:.-]*)", re.S)

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes, suffix: str) -> str:
    """Return "pdf", "html", "markdown", "captions" or "text" for a file starting with ``head`` named ``*suffix``.

    Raises ExtractionError for formats kb cannot read (images, archives, binary junk), naming what was found.
    """
    suffix = suffix.lower()
    # PDF readers accept the header anywhere in the first kilobyte; so do we.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise ExtractionError(f"unknown format ({name})", "convert it to PDF, HTML or plain text, or remove it")
    if head[4:8] == b"ftyp":
        raise ExtractionError("unknown format (MP4/QuickTime media)", "remove it from the corpus")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text_head = head.decode("utf-16", errors="ignore").encode("utf-8")
    else:
        text_head = head.removeprefix(b"\xef\xbb\xbf")
        if looks_binary(text_head):
            if suffix in TEXT_SUFFIXES:
                raise ExtractionError(
                    "binary data with a text extension",
                    "check what this file really is; replace it with the real document or remove it",
                )
            raise ExtractionError("unknown format (binary data)", "convert it to PDF, HTML or plain text, or remove it")
    if _HTML_START.match(text_head) or (suffix in HTML_SUFFIXES and _HTML_ANYWHERE.search(text_head)):
        return "html"
    if suffix in HTML_SUFFIXES and b"<" in text_head:
        return "html"
    xml = _XML_START.match(text_head)
    if xml and (text_head.lstrip().startswith(b"<?xml") or suffix in (".xml", ".svg") or xml.group(2) == b"svg"):
        kind = "SVG image" if xml.group(2).lower() == b"svg" else "XML document"
        raise ExtractionError(f"unknown format ({kind})", "convert it to PDF, HTML or plain text, or remove it")
    from kb.ingest.extract.captions import is_captions

    if is_captions(text_head[:200].decode("utf-8", errors="ignore")):
        return "captions"  # WebVTT or SubRip, whatever its name says ("….vtt.txt")
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def looks_binary(head: bytes) -> bool:
    """True when bytes cannot be text in any 8-bit or UTF-8 encoding: many NULs or control characters.

    A few NULs are text: PDF-to-text converters write one for each glyph they cannot map (the "fi" ligature),
    and the normaliser drops them. Binary formats and BOM-less UTF-16 hold NULs by the hundred.
    """
    if not head:
        return False
    if head.count(0) / len(head) > 0.05:
        return True
    controls = sum(1 for b in head if 0 < b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.02
