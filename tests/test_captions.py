"""Captions of recorded meetings (WebVTT, SubRip): the words said and who said them, never cue numbers, time
stamps or markup; nothing said is taken for the recording's title, date or publisher (only a NOTE the webcasting
service wrote before the first cue, or the chair's opening words naming the body meeting and the day)."""

from __future__ import annotations

import json

import pytest
from conftest import run_kb
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ingest import make_project

from kb.errors import ExtractionError
from kb.ingest.extract import extract_bytes

BOARD_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:05.000
<v Richard Meddings>Good morning everyone and welcome to the board meeting of NHS England.

2
00:00:05.000 --> 00:00:09.500 align:start
<v Richard Meddings>We will start with the integrated care
boards item, which we last discussed on 12 March 2024.

NOTE the chair hands over

3
00:00:09.500 --> 00:00:12.000
<v.loud Amanda Pritchard>Thank you, <c.yellow>chair</c>. Our Trust &amp; our partners agree.
"""

ROLLING_SRT = """1
00:00:01,000 --> 00:00:03,000
<i>Welcome</i> to the primary care

2
00:00:03,000 --> 00:00:05,000
Welcome to the primary care
networks meeting.
"""


def test_a_board_meetings_captions_are_who_said_what():
    extraction = extract_bytes(BOARD_VTT.encode(), ".vtt")
    assert extraction.format == "captions"
    assert extraction.pages == (
        "Richard Meddings: Good morning everyone and welcome to the board meeting of NHS England. We will start "
        "with the integrated care boards item, which we last discussed on 12 March 2024.\n\n"
        "Amanda Pritchard: Thank you, chair. Our Trust & our partners agree.",)


def test_subrip_captions_lose_their_markup_and_the_line_a_rolling_caption_repeats():
    extraction = extract_bytes(ROLLING_SRT.encode(), ".txt")  # whatever the file is called
    assert extraction.pages == ("Welcome to the primary care networks meeting.",)


@pytest.mark.parametrize("text", ["WEBVTT\n\n00:00:01.000 --> garbage\nHello there\n", "WEBVTT\n\nNo cues at all\n"])
def test_captions_without_a_valid_cue_are_read_as_text_and_say_so(text):
    extraction = extract_bytes(text.encode(), ".vtt")
    assert extraction.format == "text" and text.split("\n")[-2] in extraction.pages[0]
    assert extraction.warnings == ("captions could not be parsed (no cue has a valid time stamp); read as plain text",)


@pytest.mark.parametrize("text", [
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst line.\n\n00:00:02.000 -> 00:00:03.000\nSecond line.\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nLine one\n\nSecond line, after a blank line.\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst line.\n\n00:00:02.000 --> 00:00:60.000\nSecond line.\n",
    "1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n\n2\n00:00:02,000 -> 00:00:03,000\nSecond line.\n",
])
def test_a_caption_block_the_parser_passes_over_is_never_lost(text):
    """A cue with a broken timing line, or words outside any cue, would be skipped by the parser: the file is
    read as plain text instead, with a warning, so every word is kept."""
    extraction = extract_bytes(text.encode(), ".vtt")
    assert extraction.format == "text" and "Second line" in extraction.pages[0]
    assert extraction.warnings == ("captions could not be parsed (1 block without a valid cue); read as plain text",)


def test_each_speaker_has_a_turn_of_their_own():
    cues = ["<v Chair>All in favour?", "<v Smith>Aye.", "<v Jones>Aye.", "<v Brown>Aye.",
            "<v Alice>Hello there.</v>\n<v Bob>Hi Alice.</v>", "Jane Example: Good morning all.", "Tom Sample: Morning."]
    text = "WEBVTT\n\n" + "".join(f"00:00:{n:02d}.000 --> 00:00:{n + 1:02d}.000\n{cue}\n\n" for n, cue in enumerate(cues))
    assert extract_bytes(text.encode(), ".vtt").pages[0].split("\n\n") == [
        "Chair: All in favour?", "Smith: Aye.", "Jones: Aye.", "Brown: Aye.", "Alice: Hello there.", "Bob: Hi Alice.",
        "Jane Example: Good morning all.", "Tom Sample: Morning."]


def test_a_recordings_title_and_date_come_from_its_file_name_never_from_what_is_said(tmp_path):
    home = make_project(tmp_path, {"nhs-england-board-meeting-23-september-2025.vtt.txt": BOARD_VTT,
                                   "pcn-meeting.srt": ROLLING_SRT})
    assert run_kb("ingest", home=home).returncode == 0
    docs = {d["id"]: d for d in json.loads(run_kb("docs", "--json", home=home).stdout)}
    board = docs["nhs-england-board-meeting-23-september-2025-vtt"]
    assert (board["title"], board["published"], board["publisher"], board["format"]) == (
        "Nhs england board meeting 23 September 2025", "2025-09-23", None, "captions")
    assert (board["provenance"]["title"], board["provenance"]["published"]) == ("file-name", "file-name")
    assert docs["pcn-meeting"]["published"] is None  # "12 March 2024" was said, about an earlier meeting
    found = run_kb("search", '"integrated care boards"', "--json", home=home)
    hits = json.loads(found.stdout)["hits"]
    assert [hit["doc_id"] for hit in hits] == ["nhs-england-board-meeting-23-september-2025-vtt"]
    assert "-->" not in hits[0]["text"] and "<v" not in hits[0]["text"]


def test_a_note_the_webcasting_service_wrote_before_the_first_cue_names_the_meeting():
    """Not what is said: the NOTE over the cues, where a webcasting service names the body, the meeting and its day."""
    vtt = ("WEBVTT\nKind: captions\n\nNOTE\nAshby Vale Borough Council\nHealth and Wellbeing Board\nTuesday 14 January "
           "2025, 2.00pm - Council Chamber, Ashby Vale Civic Offices\nCaptions generated automatically.\nWebcast: "
           "https://ashbyvale.public-i.tv/core/portal/webcast_interactive/912345\n\n" + BOARD_VTT.split("\n", 2)[2])
    meta = extract_bytes(vtt.encode(), ".vtt").metadata
    assert (meta["title_candidates"], meta["publisher"], meta["published"].value) == (
        [("Health and Wellbeing Board - Tuesday 14 January 2025", "text")], "Ashby Vale Borough Council", "2025-01-14")
    assert "published" not in extract_bytes(BOARD_VTT.encode(), ".vtt").metadata  # a NOTE between cues is no header
    # the note on one line, its parts set apart by dashes, with the hour and the captions' provenance after the day
    one_line = vtt.replace("NOTE\nAshby Vale Borough Council\nHealth and Wellbeing Board\nTuesday 14 January 2025, "
                           "2.00pm - Council Chamber, Ashby Vale Civic Offices\nCaptions generated automatically.",
                           "NOTE Ashby Vale Borough Council - Health and Wellbeing Board - Tuesday 14 January 2025 "
                           "2:00pm - automatically generated captions")
    meta = extract_bytes(one_line.encode(), ".vtt").metadata
    assert (meta["title_candidates"], meta["publisher"], meta["published"].value) == (
        [("Health and Wellbeing Board - Tuesday 14 January 2025", "text")], "Ashby Vale Borough Council", "2025-01-14")


_CUE_TEXT = st.text(alphabet=st.sampled_from("abcdef <>&;.:-"), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "Jane Example", "Tom Sample"]), _CUE_TEXT), min_size=1, max_size=12))
def test_no_time_stamp_or_cue_number_survives_whatever_the_cues_say(cues):
    body = "".join(
        f"{n}\n00:00:{n:02d}.000 --> 00:00:{n + 1:02d}.000\n" + (f"<v {voice}>" if voice else "") + said + "\n\n"
        for n, (voice, said) in enumerate(cues, start=1))
    try:
        extraction = extract_bytes(("WEBVTT\n\n" + body).encode(), ".vtt")
    except ExtractionError as error:  # cues that say nothing: a file without text, said so
        assert str(error).startswith("no text found (captions)")
        return
    text = "\n".join(extraction.pages)
    assert extraction.format == "captions" and "-->" not in text and "00:00:" not in text


@pytest.mark.parametrize("opening, publisher, day", [
    # auto captions in lower case, the chair's welcome and the day in the first words
    ("okay I think we're live good morning\neveryone and welcome\nto this meeting in public of the NHS mid\n"
     "Wessex integrated care board\nit's Thursday the 6th of March 2025 my\nname is Robert Aldous I'm the chair",
     "NHS Mid Wessex Integrated Care Board", "2025-03-06"),
    ("Bore da, pawb. Good morning, everyone.\nWelcome to this meeting of the Board of\nBro Taf Uchaf University "
     "Health Board.\nToday is Thursday, the 27th of March 2025.", "Bro Taf Uchaf University Health Board", "2025-03-27"),
    # a committee of a council names no publisher; a month is no day; later words are the meeting's business
    ("Good evening and welcome to this meeting of the Health and Wellbeing Board.\nIt's been 12 months since March "
     "2024.", None, None),
])
def test_the_chairs_opening_words_name_the_body_meeting_and_its_day(opening, publisher, day):
    cues = "".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000\n{line}\n\n"
                   for n, line in enumerate(opening.split("\n"), 1))
    meta = extract_bytes(cues.encode(), ".srt").metadata
    assert (meta.get("publisher"), meta["published"].value if meta.get("published") else None) == (publisher, day)


def test_a_day_said_after_the_opening_is_the_business_s_not_the_recordings():
    later = "".join(f"{n}\n00:{n:02d}:00,000 --> 00:{n:02d}:05,000\nWe discussed item {n} of the waiting list "
                    "figures in some detail and agreed its actions.\n\n" for n in range(1, 30))
    said = later + "30\n00:31:00,000 --> 00:31:05,000\nToday is Thursday, the 27th of March 2025.\n\n"
    assert "published" not in extract_bytes(said.encode(), ".srt").metadata


def test_a_chair_calling_the_meeting_to_order_in_capitals():
    said = ["OKAY, IT'S 6:02 PM, TUESDAY, MARCH 11TH, 2025,",
            "AND I'LL CALL THIS REGULAR MEETING OF THE MARLOW COUNTY BOARD OF HEALTH TO ORDER.",
            "CAN WE HAVE A ROLL CALL, PLEASE?"]
    cues = "".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000\n{line}\n\n" for n, line in enumerate(said, 1))
    meta = extract_bytes(cues.encode(), ".srt").metadata
    assert (meta["publisher"], meta["published"].value) == ("Marlow County Board of Health", "2025-03-11")


def _srt(lines: list[str]) -> bytes:
    return "".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000\n{line}\n\n"
                   for n, line in enumerate(lines, 1)).encode()


@pytest.mark.parametrize("said, title, publisher, day", [
    # the body above the one meeting, said after it, comes first; the day said before the meeting, as said
    (["GOOD AFTERNOON, EVERYONE.", "I'LL CALL TO ORDER THE JANUARY 13TH, 2020",
      "MEETING OF THE TRANSPORTATION COMMITTEE", "OF THE METROPOLITAN COUNCIL.", "IT'S MONDAY, AND IT'S 4:00 P.M."],
     "Metropolitan Council Transportation Committee, January 13, 2020", "Metropolitan Council", "2020-01-13"),
    # the meeting's kind, and its day said after the body
    (["GOOD EVENING, EVERYONE. I'LL", "CALL TO ORDER THE REGULAR", "MEETING OF THE EASTPORT CITY",
      "COUNCIL FOR TUESDAY, APRIL 11TH,", "2023."],
     "Eastport City Council regular meeting, April 11, 2023", "Eastport City Council", "2023-04-11"),
    # its members' board is the trust's; a possessive names the body above the committee
    (["Good morning. Welcome to this meeting in public of the Board of Directors of Southmere Community Health NHS "
      "Trust.", "Today is Thursday, the 30th of September 2021."],
     "Southmere Community Health NHS Trust Board of Directors meeting in public, 30 September 2021",
     "Southmere Community Health NHS Trust", "2021-09-30"),
    (["Bore da. Good morning and welcome to this meeting of the Welsh", "Parliament's Health and Social Care",
      "Committee. It's Thursday the 10th of November, and we continue our inquiry."],
     "Welsh Parliament Health and Social Care Committee", "Welsh Parliament", None),
    # the body's name said with a capital, its committee's in lower case after the possessive
    (["good evening everybody and welcome to this meeting of Cardale District Council's",
      "planning committee. it's Tuesday the 8th of November 2022 and the time"],
     "Cardale District Council Planning Committee, 8 November 2022", "Cardale District Council", "2022-11-08"),
    # the whole council meeting is its Full Council, not "Kingsmere City Council Full Council"
    (["good evening and welcome to this meeting of full council of Kingsmere City Council it's Thursday the 23rd",
      "of January 2020 and the time is just after 6:30"],
     "Full Council, 23 January 2020", "Kingsmere City Council", "2020-01-23"),
    # captions in capitals: the name ends at the body's word, not at "will come to order"
    ([">> GOOD MORNING, EVERYONE. THE JUNE 4TH, 2021 MEETING OF THE TRANSPORTATION AND SEATTLE PUBLIC",
      "UTILITIES COMMITTEE WILL COME TO ORDER. IT'S 9:32 A.M."],
     "Transportation and Seattle Public Utilities Committee, June 4, 2021", None, "2021-06-04"),
    # a committee named alone publishes nothing of its own: its name is the record's title
    (["Chairman: Good morning.", "This is a meeting of the Joint Committee on Health and Children.",
      "Today is Wednesday, the 15th of October 2014."],
     "Joint Committee on Health and Children, 15 October 2014", None, "2014-10-15"),
])
def test_the_meeting_the_chair_opens_titles_the_captions(said, title, publisher, day):
    meta = extract_bytes(_srt(said), ".srt").metadata
    assert meta["title_candidates"] == [(title, "text")]
    assert (meta.get("publisher"), meta["published"].value if meta.get("published") else None) == (publisher, day)
    assert "meeting" in meta["evidence"]["title"]["text"].lower()  # the words it was read from, shown as evidence


def test_youtube_automatic_captions_are_read_as_captions():
    # YouTube writes a line of one space at the head of each cue and times each word: one cue, not two blocks
    vtt = ("WEBVTT\nKind: captions\nLanguage: en\n\n"
           "00:00:00.000 --> 00:00:03.218 align:start position:0%\n \n"
           "good<00:00:00.804><c> evening</c><00:00:01.207><c> everyone</c>\n\n"
           "00:00:03.218 --> 00:00:06.170 align:start position:0%\ngood evening everyone\n"
           "and welcome to this meeting of lowbridge city council's planning committee\n\n"
           "00:00:06.170 --> 00:00:09.1000 align:start position:0%\nit's tuesday the 20th of june 2023\n")
    extraction = extract_bytes(vtt.encode(), ".vtt")
    assert extraction.format == "captions" and not extraction.warnings
    assert "Kind: captions" not in extraction.pages[0] and "<c>" not in extraction.pages[0]
    meta = extraction.metadata
    assert meta["title_candidates"] == [("Lowbridge City Council Planning Committee, 20 June 2023", "text")]
    assert (meta["publisher"], meta["published"].value) == ("Lowbridge City Council", "2023-06-20")


def test_a_webinar_the_host_opens_by_its_title_is_titled_so():
    said = ["Ellen Booth: Hi everyone, we'll give it another minute or so while people join.",
            "Ellen Booth: Okay, good morning, and welcome to today's Hartwell Trust webinar, Fixing the front door:",
            "Ellen Booth: the future of general practice after COVID-19. It's Wednesday the 10th of March, and"]
    meta = extract_bytes(_srt(said), ".srt").metadata
    assert meta["title_candidates"] == [("Fixing the front door: the future of general practice after COVID-19", "text")]
    assert meta["publisher"] == "Hartwell Trust" and "published" not in meta  # (a day said without its year)


@pytest.mark.parametrize("said", [
    # another meeting named in the business, not the one being held
    ["Good evening and welcome everyone.", "The first item is approval of the minutes of the meeting of the "
     "Planning Committee held on 4 February 2025.", "Are they agreed?"],
    ["Good evening.", "Apologies from Councillor Reid, who is attending a meeting of the Local Government "
     "Association Board in London.", "Item two."],
    ["Hello and welcome to our NHS Confederation webinar on", "Thursday 6 March. Thanks for joining us."],
])
def test_a_meeting_or_event_said_in_passing_titles_nothing(said):
    meta = extract_bytes(_srt(said), ".srt").metadata
    assert "title_candidates" not in meta and "published" not in meta


def test_automatic_captions_end_the_name_at_its_body_and_keep_its_acronyms():
    said = ["good morning and welcome to this meeting", "of the board of directors of the",
            "royal westshire hospitals nhs foundation trust held", "in public it's thursday the 6th of", "march 2025"]
    meta = extract_bytes(_srt(said), ".srt").metadata
    assert meta["publisher"] == "Royal Westshire Hospitals NHS Foundation Trust"
    said = ["good evening and welcome to this meeting of the", "planning committee first on the agenda is the",
            "application for the council offices"]
    assert extract_bytes(_srt(said), ".srt").metadata["title_candidates"] == [("Planning Committee", "text")]
