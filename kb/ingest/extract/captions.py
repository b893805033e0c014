"""Captions of a recorded meeting (WebVTT or SubRip, whatever the file is called: "….vtt.txt"): the words said
and who said them, as paragraphs, never cue numbers, time stamps or markup.

Parsing is webvtt-py's (it reads both formats). A board meeting's recording is a transcript without a cover:
its first words are speech, and the dates and bodies its speakers name are the ones they talk about, so nothing
said is read as its title, date or publisher but two things: a NOTE the webcasting service wrote before the
first cue (the body that met, the meeting, its day), else the chair's opening words, which name the body meeting
and the day ("welcome to this meeting in public of the NHS Mid Wessex Integrated Care Board; it's Thursday the 6th
of March 2025"): the record is titled as the chair names it ("NHS Mid Wessex Integrated Care Board meeting in
public, 6 March 2025"), with those words as its evidence. Else the file name stands in for the title and the date,
labelled so.
"""

from __future__ import annotations

import html
import io
import itertools
import re

from kb.models import Extraction

VTT_START = re.compile(r"\A\s*WEBVTT(?:[ \t]|\r?\n|\Z)")
SRT_START = re.compile(r"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d\d:\d\d[,.]\d{1,3}[ \t]*-->")
#: A time stamp's fraction written with more than three digits ("00:02:36.1000", a rounding slip of the tool that
#: wrote it): its first three, so the cue is read, not the whole file as plain text.
_LONG_FRACTION = re.compile(r"(?m)(?<=\d:\d\d)([.,]\d{3})\d+(?=[ \t]*-->|[ \t]*$|[ \t]+\w+:)")
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

    text = _LONG_FRACTION.sub(r"\1", decode_text(data))
    try:
        if VTT_START.match(text):
            captions = webvtt.from_string(text).captions
        else:
            captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt").captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        captions, reason = [], " ".join(str(exc).split())[:120] or type(exc).__name__
    else:
        reason = "no cue has a valid time stamp"
    unread = _unread_blocks(text, len(captions), bool(VTT_START.match(text))) if captions else 0
    if not captions or unread:
        if unread:
            reason = f"{unread} block{'s' if unread != 1 else ''} without a valid cue"
        plain = extract_text(data)
        return Extraction(format="text", pages=plain.pages, metadata=plain.metadata,
                          warnings=(f"captions could not be parsed ({reason}); read as plain text",))
    paragraphs: list[str] = []
    voice: str | None = None
    words: list[str] = []
    last: tuple[str | None, str] = (None, "")

    def close() -> None:
        if words:
            said = " ".join(words)
            paragraphs.append(f"{voice}: {said}" if voice else said)
            words.clear()

    for caption in captions:
        for speaker, said in _turns(caption.raw_text, caption.voice):
            lines = [line for line in (" ".join(html.unescape(line).split()) for line in said.splitlines()) if line]
            if lines and (speaker, lines[0]) == last:
                lines = lines[1:]  # a rolling caption repeats the line its speaker was shown saying last
            if not lines:
                continue
            last = (speaker, lines[-1])
            if speaker != voice or (len(words) >= PARAGRAPH_WORDS and re.search(r"[.!?]['\")]*$", words[-1])):
                close()
                voice = speaker
            words.extend(" ".join(lines).split())
    close()
    # No title page: nothing said is the transcript's title (see the module's docstring).
    metadata: dict = {"sources": {}, "title_page": "", "spoken": True}
    metadata.update(_header_note(text) or _chair_opening(" ".join(paragraphs)))
    return Extraction(format="captions", pages=("\n\n".join(paragraphs),), metadata=metadata)


def _header_note(text: str) -> dict:
    """What a webcasting service writes about the meeting in a NOTE before the first cue ("NOTE" / "Ashby Vale
    Borough Council" / "Health and Wellbeing Board" / "Tuesday 14 January 2025, 2.00pm - Council Chamber"): the
    body that met (the publisher), the meeting (the title) and its day (the date), with the lines they came from."""
    from kb.ingest.extract.dates import dates_in_line
    from kb.ingest.extract.stated_dates import printed_day
    from kb.ingest.orgnames import BODY_END, organisation_name

    head = text[:text.find("-->")] if "-->" in text else ""
    lines = [part for block in re.split(r"\n[ \t]*\n", head) if block.strip().startswith("NOTE")
             for line in block.strip().removeprefix("NOTE").splitlines() if line.strip()
             for part in _note_parts(" ".join(line.split()))][:8]
    if not lines:
        return {}
    before = list(itertools.takewhile(lambda line: not dates_in_line(line), lines))
    body = next((line for line in before if organisation_name(line) == line and BODY_END.fullmatch(line.split()[-1])),
                None)
    if not body:
        return {}  # a note of who exported or transcribed the file, or its licence: no meeting's description
    found: dict = {"sources": {}, "evidence": {}}
    dated = next(((dates_in_line(line)[0][2], line) for line in lines if dates_in_line(line)), None)
    if dated and not re.search(r"https?://|www\.", dated[1]):  # the meeting's day, where it sat
        found["published"], found["sources"]["published"] = dated[0], "text"
        found["evidence"]["published"] = {"text": dated[1], "page": None}
    found["publisher"], found["sources"]["publisher"] = body, "text"
    found["evidence"]["publisher"] = {"text": body, "page": None}
    named = [line for line in before if line != body and not re.search(r"https?://|www\.|generated|captions", line, re.I)]
    if named:
        title = " ".join(named[:2])
        if dated and before[-1] in named and lines.index(before[-1]) + 1 == lines.index(dated[1]):
            # the part that names the meeting and the day after it, as the note prints them (not the hour)
            day = dates_in_line(dated[1])[0]
            title = f"{title} - {printed_day(dated[1], day[0], day[1])}"
        found["title_candidates"] = [(title, "text")]
    return found


def _note_parts(line: str) -> list[str]:
    """A note's line, or its parts when it sets a body, a meeting and its day apart on one line ("Tarnside District
    Council - Planning Committee - Tuesday 15 November 2022, 2:00pm"); never a licence's or an export's note
    ("Westshire County Council - Open Government Licence v3.0 - Captions reviewed 12 March 2023")."""
    from kb.ingest.extract.dates import dates_in_line
    from kb.ingest.orgnames import organisation_name

    parts = re.split(r"\s+[-–—|]\s+", line)
    if len(parts) >= 3 and organisation_name(parts[0]) == parts[0] and _MEETING.search(parts[1]) \
            and (day := dates_in_line(parts[2])) and day[0][0] <= 12:
        return parts
    return [line]


#: Words naming a meeting of a body: "Planning Committee", "Full Council (Budget)", "Cabinet".
_MEETING = re.compile(r"(?i)\b(?:committee|council|board|cabinet|panel|meeting|hearing|assembly|forum|"
                      r"commission|authority|session|sub-committee)\b")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]*)>")
_TAG = re.compile(r"</?[a-z][^>]*>|<\d\d:[\d:.]+>", re.I)
#: A speaker's name written at the start of a cue ("Jane Example: Good morning"), as Zoom writes them.
_NAMED = re.compile(r"^([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")


def _turns(raw: str, voice: str | None) -> list[tuple[str | None, str]]:
    """A cue's text as (speaker, words) turns: each ``<v Name>`` starts one ("<v Alice>Hello.</v> <v Bob>Hi.");
    without voices, a name and colon opening the cue names its speaker."""
    parts = _VOICE.split(raw)
    turns: list[tuple[str | None, str]] = []
    if parts[0].strip() or len(parts) == 1:
        text = _TAG.sub("", parts[0])
        named = _NAMED.match(text.strip())
        speaker = " ".join(voice.split()) if voice and len(parts) == 1 else None
        if named and speaker is None:
            speaker, text = named.group(1), text.strip()[named.end():]
        turns.append((speaker, text))
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        turns.append((" ".join(name.split()) or None, _TAG.sub("", text)))
    return turns


def _unread_blocks(text: str, parsed: int, vtt: bool = False) -> int:
    """How many blocks of a caption file the parser passed over: text outside any cue, or a cue whose timing
    it could not read ("00:00:02.000 -> 00:00:03.000"). Such a file is read as plain text, so no word is lost.
    In WebVTT only an empty line ends a block: a line of one space inside a cue is the cue's (as YouTube writes
    its automatic captions)."""
    cues = stray = 0
    for block in re.split(r"\n\n" if vtt else r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines or lines[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        if any("-->" in line for line in lines[:3]):
            cues += 1
        else:
            stray += 1
    return stray + max(0, cues - parsed)


#: A chair's welcome that names the body meeting: "welcome to this meeting in public of the NHS mid Wessex
#: integrated care board", "Welcome to this meeting of the Board of Bro Taf Uchaf University Health Board".
_WELCOME = re.compile(r"\b(?:welcome\b.{0,40}?|call\s+(?:this|the)\s+(?:[a-z]+\s+){0,2})meeting\s+(?:(?:held\s+)?in\s+"
                      r"public\s+)?of\s+(?:the\s+)?"
                      r"(?:(?:board(?:\s+of\s+directors)?|governing\s+body|council\s+of\s+governors)\s+of\s+(?:the\s+)?)?"
                      r"((?:[\w'’&-]+\s+){0,9}?(?:board(?:\s+of\s+health)?|council|committee|trust|authority|"
                      r"commission|inquiry|assembly|cabinet|executive))\b", re.I)
#: Words of a kind of body, which name none alone: "the full council", "the combined authority".
_GENERIC_WORDS = frozenset("the of and full combined county city borough district council authority board trust "
                           "committee commission inquiry assembly cabinet executive directors governors health care "
                           "integrated nhs university public foundation".split())
#: The day a chair says it is: "it's Thursday the 6th of March 2025", "Today is Thursday, the 27th of March 2025".
_TODAY = re.compile(r"\b(?:today\s+is|it'?s|it\s+is)\s+(?:\d{1,2}[:.]\d\d\s*[ap]\.?\s?m\.?,?\s+)?((?:[a-z]+day,?\s+)?"
                    r"(?:the\s+\d{1,2}|\d{1,2}|[a-z]{3,9}\s+\d{1,2})(?!\d).{0,20}?(?:19|20)\d\d)", re.I)


def _chair_opening(said: str) -> dict:
    """The body and the day a chair names in opening the meeting, in its first words: what a webcast's note would
    say of the meeting, said aloud (auto captions in lower case are cased as a name is)."""
    from kb.ingest.extract.dates import dates_in_line
    from kb.ingest.orgnames import BODY_END, organisation_name

    opening = " ".join(said.split()[:150])
    found: dict = {"sources": {}, "evidence": {}}
    welcome = _WELCOME.search(opening)
    if welcome:
        words = welcome.group(1).split()
        name = _as_name(welcome.group(1))
        # (a body, never a committee of one: "the Health and Wellbeing Board" is the council's)
        proper = [word for word in words if word.lower() not in _GENERIC_WORDS]  # a name, not "the full council"
        if len(words) >= 2 and proper and organisation_name(name) == name and (
                BODY_END.fullmatch(words[-1])
                or re.search(r"\b(?:(?:Integrated Care|University Health|Health) Board|Board of Health)$", name)):
            found["publisher"], found["sources"]["publisher"] = name, "text"
            found["evidence"]["publisher"] = {"text": welcome.group(0), "page": 1}
    dated_meeting = _DATED_MEETING.search(opening)
    if dated_meeting and _OTHER_MEETING.search(opening[max(0, dated_meeting.start() - 60):dated_meeting.start()]):
        dated_meeting = None  # "approval of the minutes of the February 18, 2025 regular meeting"
    today = _TODAY.search(opening) or dated_meeting
    dated = dates_in_line(today.group(1)) if today else []
    if today and dated and dated[0][2].precision == "day":
        found["published"], found["sources"]["published"] = dated[0][2], "text"
        found["evidence"]["published"] = {"text": today.group(0), "page": 1}
    met = _spoken_meeting(opening)
    event = _EVENT.search(opening)
    if event and not met:  # "welcome to today's Hartwell Trust webinar, Fixing the front door: …"
        from kb.ingest.titles import is_title_like

        host, named = event.group(1).removeprefix("the ").removeprefix("The "), event.group(3)
        if organisation_name(host) == host and "publisher" not in found:
            found["publisher"], found["sources"]["publisher"] = host, "text"
            found["evidence"]["publisher"] = {"text": event.group(0), "page": 1}
        # (never its day, "on Thursday 6 March", nor a sentence, "…, our director of policy, will chair today")
        if is_title_like(named) and not re.match(r"(?:\w+day|\d{1,2}(?:st|nd|rd|th)?)\b", named, re.I) \
                and not re.search(r"\b(?:will|our|we|I|you|is|are)\b", named):
            found["title_candidates"] = [(named, "text")]
            found["evidence"]["title"] = {"text": event.group(0), "page": 1}
    if met:
        title, parent, name, words = met
        after = opening[opening.find(words) + len(words):][:60]
        dated = dates_in_line(after) if re.match(r"\s*(?:for|on|held\s+on)\s", after, re.I) else []
        if "published" not in found and dated and dated[0][2].precision == "day":  # "… COUNCIL FOR TUESDAY, APRIL 11TH"
            found["published"], found["sources"]["published"] = dated[0][2], "text"
            found["evidence"]["published"] = {"text": words + after[:dated[0][1]], "page": 1}
        # the body above the one meeting ("the Transportation Committee of the Metropolitan Council"), or the
        # body meeting when it is one of its own ("the regular meeting of the Eastport City Council")
        own = [word for word in name.split() if word.lower() not in _GENERIC_WORDS] and organisation_name(name) == name \
            and BODY_END.fullmatch(name.split()[-1]) and not re.search(r"\b(?:Committee|Panel|Forum)\b", name, re.I)
        body = parent or (name if own else None)
        if body and "publisher" not in found:
            found["publisher"], found["sources"]["publisher"] = body, "text"
            found["evidence"]["publisher"] = {"text": words, "page": 1}
        day = found.get("published")
        # The record's title, as the chair names it (labelled as said, in the evidence): no caption file has one.
        said = (found["evidence"].get("published") or {}).get("text", "")
        title = f"{title}, {_spoken_day(day.value, said)}" if day else title
        found["title_candidates"] = [(title, "text")]
        found["evidence"]["title"] = {"text": words, "page": 1}
    return found if len(found) > 2 else {}


#: An event the host opens by its title: "welcome to today's Hartwell Trust webinar, Fixing the front door: the future
#: of general practice after COVID-19."
_EVENT = re.compile(r"\bwelcome\s+(?:you\s+)?(?:all\s+)?to\s+(?:today's|tonight's|this|our|the)\s+([A-Z][\w'’&-]*(?:\s+"
                    r"(?:of|and|for|the|&|[A-Z][\w'’&-]*)){0,7})\s+(webinar|event|conference|seminar|briefing|roundtable|"
                    r"lecture|summit|symposium)[,:]?\s+(?:on\s+|called\s+|entitled\s+)?['\"“]?([A-Z][^.?!\"”]{8,150}?)"
                    r"['\"”]?[.?!](?=\s|$)")
#: "the January 13th, 2020 meeting of …": the day said before the meeting it names.
_DATED_MEETING = re.compile(r"\bthe\s+((?:[a-z]+day,?\s+)?[a-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)\s+"
                            r"(?:[a-z]+\s+)?(?:meeting|session|sitting)\b", re.I)
#: Where the chair names what meets: "this meeting of the …", "this Ordinary Meeting of Council of the City of …".
_MEETING_OF = re.compile(r"\b((?:(?:regular|ordinary|special|extraordinary|annual|general|formal|monthly|quarterly)"
                         r"\s+){0,3})(?:meeting|session|sitting)\s+((?:held\s+)?in\s+public\s+)?of\s+(?:the\s+)?", re.I)
_JOINS = frozenset({"of", "and", "on", "for", "the", "&", "in"})
#: Words before "meeting of" that make it the one being held ("welcome to this meeting of", "the regular meeting of",
#: "the January 13th, 2020 meeting of"), and words that make it another ("minutes of the meeting of", "apologies").
_THIS_MEETING = re.compile(r"\b(?:this|the|today's|tonight's|our)\s+(?:[\w,]+\s+){0,4}$", re.I)
_OTHER_MEETING = re.compile(r"\b(?:minutes|approval|approve|apologies|attending|attend|previous|last|next|future)\b",
                            re.I)
_NOT_A_NAME = frozenset("it it's its today good my i i'm we we're this monday tuesday wednesday thursday friday "
                        "saturday sunday january february march april may june july august september october november "
                        "december".split())
_MEETS = re.compile(r"\b(?:Committee|Board|Council|Trust|Authority|Commission|Inquiry|Assembly|Cabinet|Executive|"
                    r"Parliament|Senedd|Panel|Forum|Body)\b", re.I)
_MEMBERS = re.compile(r"(?:Directors|Governors|Trustees|Management|Members)\b")


def _spoken_meeting(opening: str) -> tuple[str, str | None, str, str] | None:
    """What the chair says is meeting ("Welcome to this meeting of the Westbridge City Council Planning
    Committee."): as a title (the body above first, the meeting's kind after), the body above it when said with
    it ("… of the Metropolitan Council", "the Welsh Parliament's …"), the name as said, and the words they were
    read from. Automatic captions in lower case give the words up to the body's word that ends the name ("… of
    lowbridge city council's planning committee it's tuesday")."""

    for found in _MEETING_OF.finditer(opening):
        before = opening[max(0, found.start() - 60):found.start()]
        if not _THIS_MEETING.search(before) or _OTHER_MEETING.search(before):
            continue  # "is attending a meeting of …", "approval of the minutes of the meeting of …": another meeting
        tokens = re.findall(r"[\w'’&-]+|[^\w\s]", opening[found.end():found.end() + 200])
        # automatic captions, or captions in capitals: no capitals to end a name
        spoken = bool(tokens) and (tokens[0].islower() or opening[found.end():found.end() + 200].isupper())
        taken: list[str] = []
        for token in tokens[:14]:
            folded = token.casefold()
            if folded in _NOT_A_NAME or not re.match(r"\w", token):
                break
            if not (spoken or folded in _JOINS and taken or token[:1].isupper()):
                break
            if spoken and taken and _MEETS.fullmatch(taken[-1]) and not _MEETS.fullmatch(token) \
                    and folded not in _JOINS:
                break  # "… planning committee first on the agenda": the name ends at its body's word
            taken.append(token)
        if not spoken and taken and re.search(r"['’]s$", taken[-1]):
            # a body's name said with its committee's in lower case: "… of Cardale District Council's" / "planning
            # committee. it's Tuesday …"
            rest = tokens[len(taken):len(taken) + 5]
            end = next((n for n, token in enumerate(rest) if _MEETS.fullmatch(token)), None)
            if end is not None and all(re.fullmatch(r"[a-z][\w-]*", token) for token in rest[:end + 1]):
                taken += [token if token in _JOINS else token.capitalize() for token in rest[:end + 1]]
        if spoken:
            taken = taken[:max((n + 1 for n, token in enumerate(taken) if _MEETS.search(token)), default=0)]
        while taken and taken[-1].casefold() in _JOINS:
            taken.pop()
        name = " ".join(taken)
        if not (2 <= len(taken) <= 14 and _MEETS.search(name)):
            continue
        name = _as_name(name) if name.isupper() or spoken else name
        display, parent = name, None
        for m in re.finditer(r" of (?:the )?", name):  # "Board of Directors of Southmere … NHS Trust"
            head, tail = name[:m.start()], name[m.end():]
            if _MEETS.search(head) and not _MEMBERS.match(tail) and _names_a_body(tail):
                parent = tail
                same = head.split()[-1].casefold() == tail.split()[-1].casefold() and len(head.split()) == 1
                # "Metropolitan Council Transportation Committee"; the whole council met is its "Full Council"
                display = tail if same else head if head.casefold() == "full council" else f"{tail} {head}"
                break
        owner = re.match(r"(.+?)['’]s (.+)", name)  # "the Welsh Parliament's Health and Social Care Committee"
        if parent is None and owner and _MEETS.search(owner.group(2)) and _names_a_body(owner.group(1)):
            parent, display = owner.group(1), f"{owner.group(1)} {owner.group(2)}"
        kind = " ".join([*found.group(1).lower().split(), "meeting", *(["in public"] if found.group(2) else [])])
        if kind != "meeting":  # "the regular meeting of …", "this meeting in public of …": the meeting's kind
            display = f"{display} {kind}"
        return display, parent, name, opening[max(0, found.start() - 40):found.end() + len(" ".join(taken)) + 1].strip()
    return None


def _names_a_body(words: str) -> bool:
    """Whether words said after "of the" name a body of their own ("Metropolitan Council", "City of Fremantle")."""
    from kb.ingest.orgnames import BODY_END

    last = words.split()[-1] if words.split() else ""
    return words[:1].isupper() and len(words.split()) <= 8 and not _MEETS.fullmatch(words) and bool(
        BODY_END.fullmatch(last) or _MEETS.fullmatch(last) or " of " in words)


def _as_name(said: str) -> str:
    """Words said, cased as a name: "NHS mid Wessex integrated care board" -> "NHS Mid Wessex Integrated Care
    Board" (a name in capitals as a name is written)."""
    from kb.ingest.casing import name_case
    from kb.ingest.orgnames import CONNECTORS

    if said.isupper():
        return name_case(said)
    return " ".join(word if word.isupper() or (n and word.lower() in CONNECTORS)
                    else word.upper() if word.lower() in _SPOKEN_ACRONYMS else word[:1].upper() + word[1:]
                    for n, word in enumerate(said.split()))


#: Acronyms automatic captions write in lower case: "nhs" in "royal westshire hospitals nhs foundation trust".
_SPOKEN_ACRONYMS = frozenset({"nhs", "icb", "ccg", "gp", "uk", "us", "hse", "cqc"})


def _spoken_day(day: str, said: str = "") -> str:
    """2025-07-02 as "2 July 2025", or as "July 2, 2025" when it was said month first ("the June 4th, 2021 …")."""
    import datetime

    date = datetime.date.fromisoformat(day)
    if re.search(rf"\b{date:%B}\s+(?:the\s+)?{date.day}(?:st|nd|rd|th)?\b", said, re.I):
        return f"{date:%B} {date.day}, {date.year}"
    return f"{date.day} {date:%B %Y}"
