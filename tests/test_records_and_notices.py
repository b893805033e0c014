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
