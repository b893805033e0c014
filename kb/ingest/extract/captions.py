"""Captions of a recorded meeting (WebVTT or SubRip, whatever the file is called: "….vtt.txt"): the words said
and who said them, as paragraphs, never cue numbers, time stamps or markup.

Parsing is webvtt-py's (it reads both formats). A board meeting's recording is a transcript without a cover:
its first words are speech, and the dates and bodies its speakers name are the ones they talk about, so nothing
said is read as its title, date or publisher; the file name stands in for the first two, labelled so.
"""

from __future__ import annotations

import html
import io
import re

from kb.models import Extraction

VTT_START = re.compile(r"\A\s*WEBVTT(?:[ \t]|\r?\n|\Z)")
SRT_START = re.compile(r"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d\d:\d\d[,.]\d{1,3}[ \t]*-->")
#: Words of one speaker's run after which a paragraph ends at the next sentence's end: a voiceless caption
#: file is otherwise one paragraph as long as the meeting.
PARAGRAPH_WORDS = 120


def is_captions(text_head: str) -> bool:
    """Whether text starts as a WebVTT or SubRip file does."""
    return bool(VTT_START.match(text_head) or SRT_START.match(text_head))


def extract_captions(data: bytes) -> Extraction:
    """Captions -> one page of paragraphs, one per speaker's turn ("Amanda Pritchard: Thank you, chair.").

    A file webvtt-py cannot parse is read as plain text with a warning, never lost."""
    import webvtt
    from webvtt.errors import MalformedFileError

    from kb.ingest.extract.text import decode_text, extract_text

    text = decode_text(data)
    try:
        if VTT_START.match(text):
            captions = webvtt.from_string(text).captions
        else:
            captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt").captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        captions, reason = [], " ".join(str(exc).split())[:120] or type(exc).__name__
    else:
        reason = "no cue has a valid time stamp"
    if not captions:
        plain = extract_text(data)
        return Extraction(format="text", pages=plain.pages, metadata=plain.metadata,
                          warnings=(f"captions could not be parsed ({reason}); read as plain text",))
    paragraphs: list[str] = []
    voice: str | None = None
    words: list[str] = []
    last_line = ""

    def close() -> None:
        if words:
            said = " ".join(words)
            paragraphs.append(f"{voice}: {said}" if voice else said)
            words.clear()

    for caption in captions:
        lines = [" ".join(html.unescape(line).split()) for line in caption.text.splitlines()]
        lines = [line for line in lines if line]
        if lines and lines[0] == last_line:
            lines = lines[1:]  # a rolling caption repeats the line it showed last
        if not lines:
            continue
        last_line = lines[-1]
        speaker = " ".join((caption.voice or "").split()) or None
        if speaker != voice or (len(words) >= PARAGRAPH_WORDS and re.search(r"[.!?]['\")]*$", words[-1])):
            close()
            voice = speaker
        words.extend(" ".join(lines).split())
    close()
    # No title page: nothing said is the transcript's title (see the module's docstring).
    metadata: dict = {"sources": {}, "title_page": "", "spoken": True}
    return Extraction(format="captions", pages=("\n\n".join(paragraphs),), metadata=metadata)
