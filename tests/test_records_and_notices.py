"""Minutes and statutory notices: the record is titled and dated by its own meeting (never by the stamp that
approved it later), published by the council over it, and a notice by the order it gives notice of."""

from __future__ import annotations

import pytest

from tests.test_metadata import detect_text

PARA = ("The committee received the report and noted the position on the budget for the year, the risks to its "
        "delivery and the actions that officers proposed to bring spending back in line with the plan. ")
BODY = PARA * 6


def _values(meta: dict) -> tuple:
    return meta["title"], str(meta["published"]) if meta["published"] else None, meta["publisher"]


@pytest.mark.parametrize("stamp", [
    "**CONFIRMED MINUTES Approved at the meeting held on 22 December 2016**",
    "Signed as a correct record at the meeting of the Committee on 22 December 2016",
    "Approved by the Committee at its meeting on 22 December 2016",
])
def test_minutes_approved_at_a_later_meeting_keep_their_own_title_and_day(tmp_path, stamp):
    text = (f"{stamp}\n\n**_<mark>GIG NHS</mark>_**\n\nBwrdd Iechyd Prifysgol Aber Dyfi University Health Board\n\n"
            "# **Minutes of the Finance and Performance Committee held on Thursday 24 November 2016 at 9.30am in "
            "the Boardroom, Ysbyty Glan Dyfi, Aberdyfi**\n\n" + BODY)
    assert _values(detect_text(tmp_path, text, "item-03-FPC-minutes.md")) == (
        "Minutes of the Finance and Performance Committee held on Thursday 24 November 2016", "2016-11-24",
        "Aber Dyfi University Health Board")


def test_a_councils_name_over_minutes_that_name_their_committee_publishes_them(tmp_path):
    """pdftotext's export, cut into pages: the council's name is the first line of the first paragraph; the
    record names what met (the Cabinet), so the council's name is not put before it."""
    pages = ["ASHWORTH BOROUGH COUNCIL\nMinutes of the meeting of the Cabinet held on Wednesday 12\nSeptember 2018 at "
             "6.00 pm in the Council Chamber, Town Hall,\nAshworth\nPresent: Councillor D. Whitelaw (Leader of the "
             "Council) (in the Chair); Councillors J. Amin, P.\nCorrigan and S. Feld\n\n" + BODY,
             BODY + "\n\n2\n"]
    assert _values(detect_text(tmp_path, "\f".join(pages), "20180912-cabinet-minutes.txt")) == (
        "Minutes of the meeting of the Cabinet held on Wednesday 12 September 2018", "2018-09-12",
        "Ashworth Borough Council")


@pytest.mark.parametrize("act, order", [
    ("ROAD TRAFFIC REGULATION ACT 1984",
     "THE KESTREL COUNTY COUNCIL (VARIOUS ROADS, FERNLEY) (PROHIBITION AND RESTRICTION OF WAITING AND LOADING) "
     "ORDER 2014"),
    ("Town and Country Planning Act 1990",
     "The Kestrel County Council (Fernley Conservation Area) (Article 4) Direction 2014"),
])
def test_a_notice_is_titled_by_its_order_not_the_act_and_dated_where_it_is_signed(tmp_path, act, order):
    text = (f"KESTREL COUNTY COUNCIL\n\n{act}\n\n{order}\n\nNOTICE IS HEREBY GIVEN that on 14 October 2014 Kestrel "
            f"County Council made the above Order under the {act.title()}.\n\n" + BODY
            + "\n\nDated: 17 October 2014\n\nRichard Ansell\nHead of Highways and Transport\nKestrel County Council\n")
    title, published, publisher = _values(detect_text(tmp_path, text, "TRO_2014_087_Notice_of_Making.txt"))
    assert (title.lower(), published, publisher) == (order.lower(), "2014-10-17", "Kestrel County Council")
    assert "VARIOUS" not in title and "FERNLEY" not in title  # a title in capitals is cased as the text writes it


def test_a_notice_set_without_blank_lines_is_read_from_its_lines_and_its_london_borough_publishes_it(tmp_path):
    """pdftotext runs a notice's headings into one paragraph; its "Dated:" is on the first of two pages."""
    first = ("LONDON BOROUGH OF ELLINGHAM\nROAD TRAFFIC REGULATION ACT 1984\nTHE ELLINGHAM (SCHOOL STREETS) "
             "(EXPERIMENTAL) (NO. 1) TRAFFIC\nORDER 2026\nNOTICE OF MAKING\n1. NOTICE IS HEREBY GIVEN that the Council "
             "made the above Order on 12 January 2026.\n" + BODY + "\nDated: 14 January 2026\nDirector of Highways\n")
    text = first + "\f" + "SCHEDULE\nStation Road 10 metres in all directions\n" * 12
    title, published, publisher = _values(detect_text(tmp_path, text, "Public-Notice-TMO-2026-03.txt"))
    assert (title.lower(), published, publisher) == (
        "the ellingham (school streets) (experimental) (no. 1) traffic order 2026", "2026-01-14",
        "London Borough of Ellingham")


@pytest.mark.parametrize("label", [
    "Statistical bulletin", "Report to Congressional Requesters", "Report to the Chairman, Committee on Finance, "
    "U.S. Senate", "Published on 12 July 2019 by authority of the House of Commons", "From: Health Canada",
    "Notes to readers",
])
def test_a_cover_label_an_imprint_or_an_issuer_line_is_no_title(label):
    from kb.ingest.titles import clean_title, is_title_like

    assert not is_title_like(clean_title(label))


@pytest.mark.parametrize("title", [
    "Statistical bulletin on homelessness in Wales", "Report to Congress on the Medicare Program Integrity",
    "Published works of the Commission", "From crisis to care: a plan for mental health",
])
def test_titles_that_start_like_a_label_stay_titles(title):
    from kb.ingest.titles import clean_title, is_title_like

    assert is_title_like(clean_title(title))


def test_a_canada_ca_page_saved_as_text_is_titled_over_its_issuer_and_dated_by_its_footer(tmp_path):
    text = ("Skip to main content\nSkip to \u201cAbout government\u201d\nLanguage selection\n\nFran\u00e7ais\n\n"
            "Government of Canada\n\nSearch Canada.caSearch\n\nMenu\n\nYou are here:\nCanada.ca\nHealth\n"
            "Extreme heat\nExtreme heat events: guidance for long-term care homes\n\nFrom: Health Canada\n\n"
            + BODY + "\n\nRelated links\nHeat alerts\nClimate change and health\n\nDate modified: 2021-07-15\n")
    assert _values(detect_text(tmp_path, text, "extreme-heat.txt")) == (
        "Extreme heat events: guidance for long-term care homes", "2021-07-15", "Health Canada")


def test_minutes_set_in_capitals_name_the_cabinet_and_its_day_not_the_hall_or_the_hour(tmp_path):
    text = ("KESTREL HILL BOROUGH COUNCIL\nMINUTES OF THE MEETING OF THE CABINET\nHELD ON MONDAY, 9 MARCH 2015\n"
            "at the Town Hall, Kestrel Hill, commencing at 7.00 pm\nPRESENT: Councillor P. Aldridge (Leader of the "
            "Council) in the Chair\n\nThe minutes of the previous meeting of the Cabinet were agreed. " + BODY)
    assert _values(detect_text(tmp_path, text, "20150309-cabinet-minutes.txt")) == (
        "Minutes of the meeting of the Cabinet held on Monday, 9 March 2015", "2015-03-09",
        "Kestrel Hill Borough Council")


def test_a_letters_subject_ends_where_its_date_is_printed(tmp_path):
    text = ("DEPARTMENT OF HEALTH & HUMAN SERVICES\nCenters for Medicare & Medicaid Services\n7500 Security Boulevard\n"
            "Baltimore, Maryland 21244-1850\n\nSMD# 16-006\nRE: Medicaid Coverage of Non-Emergency Medical "
            "Transportation in Rural Areas\nMay 9, 2016\nDear State Medicaid Director:\n" + BODY)
    title, published, _publisher = _values(detect_text(tmp_path, text, "smd16006.txt"))
    assert (title, published) == (
        "Medicaid Coverage of Non-Emergency Medical Transportation in Rural Areas", "2016-05-09")


def test_a_notice_signed_in_the_legal_form_is_dated_by_it(tmp_path):
    text = ("KIRKWOOD BOROUGH COUNCIL\nROAD TRAFFIC REGULATION ACT 1984\nTHE KIRKWOOD BOROUGH COUNCIL (MARKET STREET, "
            "KIRKWOOD) (PROHIBITION OF WAITING AND LOADING) ORDER 2014\nNOTICE IS HEREBY GIVEN that Kirkwood Borough "
            "Council on 1st April 2014 made the above Order.\n" + BODY + "\nDated this 3rd day of April 2014\nMartin "
            "Hale\nHead of Legal and Democratic Services\nKirkwood Borough Council\n")
    assert _values(detect_text(tmp_path, text, "TRO_2014_006.txt"))[1] == "2014-04-03"


@pytest.mark.parametrize("day", ["Tuesday, 8 October 2019 at 7.00 pm", "Thursday 12 March 2020, 10:00am",
                                 "Monday 3 June 2024 at 2pm"])
def test_an_agenda_is_titled_by_the_meeting_over_its_day_and_hour_not_its_venue(tmp_path, day):
    text = (f"## **Hartwell District Council**\n\n# **Planning Committee**\n\n{day}\n\n"
            "Council Chamber, Hartwell House, Market Square, Hartwell\n\n**Members:** Councillors D. Penrose "
            "(Chair), A. Quinlan (Vice-Chair), B. Achebe\n\n#### **AGENDA**\n\n1. Apologies for absence\n\n" + BODY)
    meta = detect_text(tmp_path, text, "item-07.md")
    assert (meta["title"], meta["publisher"]) == ("Planning Committee", "Hartwell District Council")


def test_a_body_over_a_paper_and_its_date_is_not_a_meeting_title(tmp_path):
    """A date without an hour under a body's name is the paper's date: the paper's own title is the title."""
    text = ("Hartwell District Council\n\n8 October 2019\n\nFive-year housing land supply position statement\n\n"
            + BODY)
    assert detect_text(tmp_path, text, "paper.txt")["title"] == "Five-year housing land supply position statement"


def test_minutes_whose_label_ran_into_their_opening_sentence_are_titled_by_it(tmp_path):
    text = ("Te Kaunihera o Tāmaki Makaurau\n\nPlanning, Environment and Parks Committee\n\nOPEN MINUTES Minutes of "
            "a meeting of the Planning, Environment and Parks Committee held in the Reception Lounge, Level 2, "
            "Auckland Town Hall, 301-305 Queen Street, Auckland on Thursday, 6 June 2024 at 10.00am.\n\nPRESENT\n\n"
            "Chairperson: Cr Richard Hills Deputy Chairperson: Cr Angela Dalton\n\n" + BODY)
    assert _values(detect_text(tmp_path, text, "PEP_20240606_MIN_11842.txt"))[:2] == (
        "Minutes of a meeting of the Planning, Environment and Parks Committee held on Thursday, 6 June 2024",
        "2024-06-06")


def test_a_notice_heading_in_capitals_takes_its_subject_and_the_years_it_leads_into(tmp_path):
    text = ("King County\nDepartment of Natural Resources and Parks\nWater and Land Resources Division\n"
            "201 S. Jackson St., Suite 600, Seattle, WA 98104\n\nNOTICE OF PUBLIC HEARING AND COMMENT PERIOD\n"
            "Proposed Surface Water Management Fee Rate Adjustment for\n2017–2018\nNOTICE IS HEREBY GIVEN that the "
            "King County Department of Natural Resources and Parks will hold a public hearing on the fee.\n\n"
            + BODY + "\n\nDated: March 3, 2016\n")
    assert _values(detect_text(tmp_path, text, "SWM-fee-hearing-notice.txt"))[:2] == (
        "Notice of Public Hearing and Comment Period: Proposed Surface Water Management Fee Rate Adjustment for "
        "2017–2018", "2016-03-03")


@pytest.mark.parametrize("head, title", [
    # in capitals, the body's name before a record that names what met, the hour before the day
    ("DAREBIN CITY COUNCIL\n\nMINUTES OF THE COUNCIL MEETING HELD AT 6.00 PM ON MONDAY 27 JUNE 2016 IN THE COUNCIL "
     "CHAMBER, PRESTON CIVIC CENTRE, 350 HIGH STREET, PRESTON\n\nPresent: Cr. Ahmed (Mayor)\n\nThe Mayor opened the "
     "meeting and welcomed members of the public to the Council meeting.",
     "Minutes of the Council meeting held on Monday 27 June 2016"),
    # a record's line run on into the room it met in
    ("Feidhmeannacht na Seirbhíse Sláinte\nHealth Service Executive\n\nMinutes of the HSE Board Meeting held on Friday "
     "26th May 2023\nBoard Room, Dr Steevens' Hospital, Dublin 8\n\nPresent: Ciarán Devane (Chair)",
     "Minutes of the HSE Board Meeting held on Friday 26th May 2023"),
])
def test_a_record_that_names_what_met_is_cut_to_the_day_it_met(tmp_path, head, title):
    assert detect_text(tmp_path, f"{head}\n\n{BODY}", "minutes.txt")["title"] == title
