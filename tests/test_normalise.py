"""Normalisation: characters, running headers/footers, page numbers, hyphenation, bullets, paragraphs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.ingest.extract import extract_file
from kb.ingest.normalise import normalise_pages

BRIEFING_TXT = Path(__file__).resolve().parent.parent / "corpus" / "nhsconfed-2020-11-integrating-care-next-steps-briefing.txt"


def clean(*pages: str) -> list[str]:
    return normalise_pages(list(pages))[0]


def one(text: str) -> str:
    return clean(text)[0]


# -- characters ---------------------------------------------------------------------------------------------


def test_ligatures_quotes_spaces_and_soft_hyphens():
    raw = "The \ufb01nance \ufb02ow\u00a0for \u201cplace\u201d and the \u2018system\u2019 co\u00adordinates\u200b care"
    assert one(raw) == "The finance flow for \"place\" and the 'system' coordinates care"


def test_pound_and_dashes_keep_their_meaning():
    assert one("A \u00a33bn fund \u2013 for 2020\u20132021 \u2014 was agreed") == (
        "A \u00a33bn fund \u2013 for 2020\u20132021 \u2014 was agreed"
    )


def test_soft_hyphen_at_a_line_end_joins_the_word():
    assert one("the integra\u00ad\ntion of services") == "the integration of services"


def test_footnote_superscripts_after_words_are_dropped():
    assert one("Integrated care systems\u00b9 were set up in 2022\u00b2.") == "Integrated care systems were set up in 2022."


def test_unmapped_pdf_glyphs_are_dropped_with_a_warning_when_many():
    pages, warnings = normalise_pages(["Text with (cid:12)(cid:13) odd glyphs", "Bad " + "(cid:40)" * 30 + " page"])
    assert pages == ["Text with odd glyphs", "Bad page"]
    assert warnings == [
        "page 2: 30 glyphs without a Unicode mapping were dropped "
        "(the PDF's fonts lack a ToUnicode map; OCR may recover the text)"
    ]


def test_an_unmapped_separator_between_a_mastheads_parts_leaves_one_space_and_the_date_readable(tmp_path):
    from kb.ingest.extract import extract_file

    assert one("PRESCRIBING BULLETIN (cid:127) No. 47 (cid:127) July 2021") == "PRESCRIBING BULLETIN No. 47 July 2021"
    path = tmp_path / "bulletin.txt"
    path.write_text("Mid Downs CCG\n\nPRESCRIBING BULLETIN (cid:127) No. 47 (cid:127) July 2021\n\n"
                    "Lower-carbon inhalers in asthma and COPD\n\n" + "Metered-dose inhalers are prescribed. " * 40,
                    "utf-8")
    assert extract_file(path).metadata["published"].value == "2021-07"


def test_unmapped_symbol_opening_a_line_is_a_bullet():
    raw = "Purposes:\n(cid:127) improving health\n\n(cid:127)\n\ntackling inequalities"
    assert one(raw).split("\n\n") == ["Purposes:", "\u2022 improving health", "\u2022 tackling inequalities"]


# -- whitespace and paragraphs -------------------------------------------------------------------------------


def test_lines_of_a_paragraph_are_joined_and_blank_lines_kept():
    raw = "First line of a paragraph\n\t\tcontinues here   with  spaces.\n\n\n\nSecond paragraph.\n"
    assert one(raw) == "First line of a paragraph continues here with spaces.\n\nSecond paragraph."


def test_heading_line_above_a_paragraph_becomes_its_own_paragraph():
    raw = (
        "The previous section ends here with a full stop.\n"
        " Questions for consultation\n"
        "NHSEI is inviting stakeholders to share their views on four questions by Friday:\n"
        "1. Do you agree that giving ICSs a statutory footing from 2022, alongside other\n"
        "legislative proposals, provides the right foundation?\n"
        "2. Do you agree that option two offers a model?\n"
    )
    assert one(raw).split("\n\n") == [
        "The previous section ends here with a full stop.",
        "Questions for consultation",
        "NHSEI is inviting stakeholders to share their views on four questions by Friday:",
        "1. Do you agree that giving ICSs a statutory footing from 2022, alongside other legislative proposals, "
        "provides the right foundation?",
        "2. Do you agree that option two offers a model?",
    ]


def test_text_saved_one_paragraph_per_line_keeps_its_paragraphs():
    first = "The NHS Confederation's engagement revealed broad support for statutory footing. " * 3
    second = "With the Government expected to introduce new primary legislation, leaders set out factors. " * 3
    assert one(f"{first.strip()}\n{second.strip()}\n") == f"{first.strip()}\n\n{second.strip()}"


def test_blocks_split_mid_sentence_are_joined():
    raw = "joining up the provision of services within and between\n\nplaces, as agreed.\n\n\u2022 an item\n\nnot joined"
    assert one(raw) == (
        "joining up the provision of services within and between places, as agreed.\n\n\u2022 an item\n\nnot joined"
    )


# -- bullets --------------------------------------------------------------------------------------------------


def test_bullet_glyphs_are_normalised_and_each_item_is_a_paragraph():
    raw = "Purposes:\n\u25aa improving health\n\uf0b7 tackling unequal\noutcomes\n\u25cf enhancing value"
    assert one(raw).split("\n\n") == [
        "Purposes:",
        "\u2022 improving health",
        "\u2022 tackling unequal outcomes",
        "\u2022 enhancing value",
    ]


def test_a_bullet_alone_on_its_line_belongs_to_the_next_text():
    raw = "Key points\n\u2022\n\nNHSEI has set out guiding principles.\n\n\u2022\n\nThe details are set out."
    assert one(raw).split("\n\n") == [
        "Key points",
        "\u2022 NHSEI has set out guiding principles.",
        "\u2022 The details are set out.",
    ]


def test_dash_bullets_in_a_list_but_not_dashes_in_prose():
    raw = (
        "Our key recommendations included that:\n\n"
        "\u2013 ICSs should be given a statutory footing\n"
        "recognising the role of local government\n"
        "\u2013 a new statutory duty should be introduced"
    )
    assert one(raw).split("\n\n") == [
        "Our key recommendations included that:",
        "\u2022 ICSs should be given a statutory footing recognising the role of local government",
        "\u2022 a new statutory duty should be introduced",
    ]
    assert one("care is joined up \u2013 we were clear \u2013 here") == "care is joined up \u2013 we were clear \u2013 here"


# -- hyphenation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("the integra-\ntion of care", "the integration of care"),  # a typesetter's break
        ("better place-\nbased care and place-based budgets", "better place-based care and place-based budgets"),
        ("commissioning and commiss-\nioning again", "commissioning and commissioning again"),  # joined word seen
        ("services for non-\nNHS partners", "services for non-NHS partners"),  # capital after the hyphen
        ("the 2020-\n21 budget", "the 2020-21 budget"),
        ("a self-\nassessment", "a self-assessment"),  # compound head
        ("evidence is based on evidence-\nbased practice", "evidence is based on evidence-based practice"),
        ("an extra-\nordinary meeting", "an extraordinary meeting"),
    ],
)
def test_line_end_hyphens(raw, expected):
    assert one(raw) == expected


def test_hyphenation_uses_words_from_other_pages():
    pages = clean("we need more co-\nordination", "co-ordination matters")
    assert pages[0] == "we need more co-ordination"


def test_a_long_page_read_in_runs_of_lines_gives_the_same_words(monkeypatch):
    """The vocabulary reads a page a run of lines at a time (bounded memory); a hyphenated line end never falls
    between two runs, so every run length gives the words of the whole page."""
    from kb.ingest import normalise

    lines = ["we need more co-", "ordination of place-", "based and well-led care", "and integra-",
             "tion and self-", "assessment of non-", "NHS care"] * 5
    whole, text = vars(normalise.Vocabulary.from_pages([lines])), clean("\n".join(lines))
    assert "well-led" in whole["hyphenated"] and "integra" not in whole["plain"] and "tion" not in whole["plain"]
    for run in (1, 2, 3, 7):
        monkeypatch.setattr(normalise, "CHUNK_LINES", run)
        assert vars(normalise.Vocabulary.from_pages([lines])) == whole
        assert clean("\n".join(lines)) == text


# -- page furniture -------------------------------------------------------------------------------------------


def test_running_headers_footers_and_page_numbers_across_pages():
    pages = [
        f"NHS Confederation briefing\nIntegrating care\n\nBody text of page {n} about integrated care.\n\n"
        f"Page {n} of 4\n{n}"
        for n in range(1, 5)
    ]
    assert clean(*pages) == [f"Body text of page {n} about integrated care." for n in range(1, 5)]


def test_header_on_all_but_the_title_page_is_removed():
    topics = ["Finance", "Workforce", "Governance", "Digital"]
    pages = ["Title page of the report\n\nIntroduction text."] + [
        f"Annual report 2021\n\n{topic}\n\n{n}" for n, topic in enumerate(topics, start=2)
    ]
    assert clean(*pages) == ["Title page of the report\n\nIntroduction text."] + topics


def test_a_line_repeated_inside_pages_is_kept():
    body = "\n".join(f"Line {i} of the body text about integrated care systems." for i in range(8))
    pages = [f"Header\n\n{body}\n\nRecommendation\n\n{body}\n\nEnd of page {n}." for n in range(3)]
    for page in clean(*pages):
        assert "Recommendation" in page.split("\n\n")
        assert "Header" not in page


def test_repeated_sentences_at_page_edges_are_kept():
    pages = [f"Header\n\nThe board meets every month in public.\n\nText {n}." for n in range(4)]
    assert all(page.startswith("The board meets every month in public.") for page in clean(*pages))


def test_bare_page_number_between_paragraphs_in_one_page():
    raw = (
        "The first paragraph ends properly with enough words to be prose.\n\n"
        "7\n\n"
        "The second paragraph starts here."
    )
    assert one(raw) == (
        "The first paragraph ends properly with enough words to be prose.\n\nThe second paragraph starts here."
    )


def test_a_financial_year_alone_on_a_line_is_text_not_a_page_number():
    raw = "The first paragraph ends properly with enough words to be prose.\n\n{}\n\nThe second paragraph starts here."
    assert "2012/13" in one(raw.format("2012/13")) and "2012/2013" in one(raw.format("2012/2013"))
    assert "12/40" not in one(raw.format("12/40"))  # page 12 of 40


def test_pasted_page_break_with_header_and_number_inside_a_sentence():
    raw = (
        "A 'single pot' will be created, bringing together funding streams, including current\n\n"
        "NHS Confederation\n\n"
        "Integrating care: Next steps to building strong and effective integrated care systems across England  \n\n"
        "2\n\n"
        "CCG commissioning budgets and transformation funding.\n\n"
        "Next heading\n\n"
        "3 steps to take\n"
    )
    assert one(raw).split("\n\n") == [
        "A 'single pot' will be created, bringing together funding streams, including current "
        "CCG commissioning budgets and transformation funding.",
        "Next heading",
        "3 steps to take",
    ]


def test_heading_after_a_page_number_is_kept_when_no_sentence_was_cut():
    raw = (
        "\u2022 improving population health and healthcare\n\n"
        "Summary of the proposals\n\n4\n\n"
        "NHSEI's paper is structured in three sections, and here we address each in turn."
    )
    assert one(raw).split("\n\n") == [
        "\u2022 improving population health and healthcare",
        "Summary of the proposals",
        "NHSEI's paper is structured in three sections, and here we address each in turn.",
    ]


def test_numbers_in_a_table_like_list_are_kept():
    assert one("2019\n\n2020\n\n2021") == "2019\n\n2020\n\n2021"


def test_bundled_briefing_text_is_cleaned_and_the_file_untouched():
    before = hashlib.sha256(BRIEFING_TXT.read_bytes()).hexdigest()
    pages, warnings = normalise_pages(extract_file(BRIEFING_TXT).pages)
    assert hashlib.sha256(BRIEFING_TXT.read_bytes()).hexdigest() == before
    text = pages[0]
    assert warnings == []
    paragraphs = text.split("\n\n")
    assert "2" not in paragraphs and "NHS Confederation" not in paragraphs
    assert not any(p.startswith("Integrating care: Next steps") for p in paragraphs)
    assert "including current CCG commissioning budgets" in text
    assert "\u2022\n" not in text and "\t" not in text and "  " not in text
    assert "NHSEI's paper" in text and "\u2019" not in text
    assert "Summary of the proposals" in paragraphs and "1. Purpose" in paragraphs


def test_a_header_that_a_layout_puts_mid_page_on_one_page_is_still_removed():
    pages = [f"{n} | Handbook to the Constitution\n\nSection {n} opens here.\n\nMore text on page {n}."
             for n in range(1, 7)]
    pages[3] = "Section 4 opens here.\n\n4 | Handbook to the Constitution\n\nMore text on page 4."
    assert all("Handbook" not in page for page in clean(*pages))


def test_a_copyright_footer_repeated_on_most_pages_goes_wherever_it_sits():
    footer = "© NICE 2024. All rights reserved. Subject to Notice of rights (https://www.nice.org.uk/terms-and-"
    pages = [f"Recommendation {n}.1 text goes here.\n\n{footer}\n\nMore recommendation text {n}.\n\nLast line {n}"
             for n in range(1, 6)]
    assert all("NICE 2024" not in page for page in clean(*pages))


# -- a transcript's line numbers ----------------------------------------------------------------------------

TRANSCRIPT_LINES = [
    "IN THE SUPREME COURT OF THE UNITED STATES", "- - - - - - - - - - x", "MICHAEL A. KNOWLES,", "Petitioner",
    "v. No. 07-1315", "Washington, D.C.", "Tuesday, January 13, 2009", "",
    "The above-entitled matter came on for oral", "argument before the Supreme Court of the United States",
    "at 1:01 p.m.", "APPEARANCES:", "STEVEN E. MERCER, ESQ., Deputy Attorney General, Los",
    "Angeles, Cal.; on behalf of the Petitioner.", "CHARLES M. SEVILLA, ESQ., San Diego, Cal.; on behalf",
    "of the Respondent.", "", "", "", "", "", "", "", "", "",
]


@pytest.mark.parametrize("layout", ["prefixed", "apart"])
def test_a_transcripts_line_numbers_leave_its_sentences_whole(layout):
    """An inquiry or court transcript numbers each of its lines from 1 on every page; the numbers are no part of
    the text, and a phrase over two of its lines ("oral argument") is found."""
    dialogue = ["Q. Can you tell the Inquiry what the board decided about", "integrated care in 2019?",
                "A. It decided to set up a partnership with the council and", "the trusts of the area.", ""] * 5
    pages = []
    for lines in (TRANSCRIPT_LINES, dialogue):
        out = []
        for n, line in enumerate(lines, start=1):
            if layout == "prefixed":  # a text export: "12 The above-entitled matter ..."
                out.append(f"{n:2d}   {line}".rstrip())
            else:  # pdfminer: the margin's number is a line of its own
                out += [str(n), "", line] if line else [str(n)]
            out.append("")  # double spacing
        pages.append("\n".join(out))
    first, second = normalise_pages(pages)[0]
    assert first.startswith("IN THE SUPREME COURT OF THE UNITED STATES\n")
    assert "came on for oral argument before the Supreme Court" in first
    assert "of the Petitioner" in first and "Tuesday, January 13, 2009" in first
    assert second.count("what the board decided about integrated care in 2019?") == 5
    for page in (first, second):
        assert not any(para.split()[0].isdigit() for para in page.split("\n\n") if para.strip()), page


@pytest.mark.parametrize("page, item", [
    ("League table of councils\n\n" + "\n".join(f"{n} Council {n} {100 - n}%" for n in range(1, 21)),
     "{n} Council {n}"),
    ("".join(f"{n} The council should review item {n} by March.\n" for n in range(1, 17)),
     "{n} The council should review item {n}"),
    ("Contents\n" + "".join(f"{n} Section {n} {3 * n}\n" for n in range(1, 17)), "{n} Section {n}"),
    ("".join(f"{n}\nCommissioners should publish plan {n}.\n" for n in range(1, 17)),  # pdftotext: numbers apart
     "{n} Commissioners should publish plan {n}."),
])
def test_a_numbered_list_ranking_or_contents_keeps_its_numbers(page, item):
    """One run of numbers from 1 on a page is the document's own numbering, never a transcript's margin."""
    text = " ".join(normalise_pages([page])[0][0].split())
    for n in range(1, 17):
        assert item.format(n=n) in text, n


def test_numbered_paragraphs_and_sections_keep_their_numbers():
    """Numbers that go on from page to page (paragraphs) or carry lines of their own between them (a list
    of sections) are the document's, not a transcript's margin."""
    sections = []
    for n in range(1, 21):
        sections += [f"{n} Section heading number {n}", "The section says something about integrated care,",
                     "and goes on for a second line of its own.", ""]
    paragraphs = [f"{n} The government will do thing {n}." for n in range(21, 46)]
    clean, _ = normalise_pages(["\n".join(sections), "\n".join(paragraphs)])
    assert "1 Section heading number 1" in clean[0] and "20 Section heading number 20" in clean[0]
    assert "21 The government will do thing 21." in clean[1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(1, 30).map(str), st.sampled_from(["", "the board met", "1 in 5 adults",
                                                                           "Integrated care", "2 Background"])),
                max_size=80))
def test_line_numbers_go_only_in_a_transcripts_run(lines):
    """Whatever the lines, only numbers are taken away, and only from a run 1, 2, 3, … long enough to be a
    transcript's margin; every other word stays, in order."""
    from kb.ingest.normalise import LINE_NUMBER_RUN, remove_line_numbers

    out = remove_line_numbers([lines, lines[::-1]])
    words = [w for line in lines + lines[::-1] for w in line.split()]
    kept = [w for page in out for line in page for w in line.split()]
    assert [w for w in words if not w.isdigit()] == [w for w in kept if not w.isdigit()]
    if len(words) - len(kept) < 2 * LINE_NUMBER_RUN:
        assert out == [lines, lines[::-1]]
    assert remove_line_numbers([lines]) == [lines]  # one run from 1 is a list, a ranking or a contents page



def test_a_single_transcript_page_keeps_its_numbers_but_not_in_its_title(tmp_path):
    """One page numbered from 1 may be a list as well as a transcript, so its text keeps the numbers; its title
    is read without the margin's number all the same."""
    from test_metadata import detect

    path = tmp_path / "first-page.txt"
    path.write_text("Official - Subject to Final Review\n\n" + "\n\n".join(
        f"{n:2d}   {line}".rstrip() for n, line in enumerate(TRANSCRIPT_LINES, start=1)), "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["published"]) == ("In the Supreme Court of the United States", "2009-01-13")
