"""A report exported to text keeps its cover's lines without their sizes: the body's name (a logo, an office, a
research body's name with a document's word in it, a name in three languages), a series label, a running header
that puts the body before the title. The title is the cover's own line among them."""

from __future__ import annotations

import pytest

from tests.test_metadata import detect_text

PARA = ("This plan sets out what we will do over the next four years, how we will measure it and how residents can "
        "hold us to account for the progress we make against each of the priorities it describes. ")
BODY = PARA * 6


@pytest.mark.parametrize("identity, title", [
    # an office held by one person publishes as a body: "Police & Crime Commissioner" / "for Mercia Vale"
    ("OFFICIAL\nPolice & Crime Commissioner\nfor Mercia Vale", "Police and Crime Plan 2021–2025"),
    ("Children's Commissioner for Wales", "Police and Crime Plan 2021–2025"),
    # a research body's name holds a document's word ("Policy"), and a series label is no title
    ("NORTHERN\nPOLICY FORUM\nTRANSPORT SERIES | PAPER 6", "Police and Crime Plan 2021–2025"),
    # a Northern Ireland department's names in English, Irish and Ulster-Scots
    ("Department of Health\nAn Roinn Sláinte\nMännystrie O Poustie\nwww.health-ni.gov.uk",
     "Police and Crime Plan 2021–2025"),
])
def test_the_bodys_names_and_labels_over_a_cover_title_are_not_the_title(tmp_path, identity, title):
    text = f"{identity}\n\n{title}\n\nPublished November 2021\n\nForeword\n\n" + BODY
    assert detect_text(tmp_path, text, "plan-FINAL.txt")["title"] == title


def test_a_running_header_that_puts_the_body_before_the_title_gives_way_to_the_cover(tmp_path):
    header = "London Borough of Southwick – Homelessness and Rough Sleeping Strategy 2019–2024"
    text = ("London Borough of\nSOUTHWICK\nWorking for a fairer Southwick\n\nHomelessness and Rough Sleeping\n"
            "Strategy 2019–2024\n\nPublished October 2019\n\n" + header + "\n1\n\f" + header + "\n2\nForeword\n" + BODY
            + "\n\f" + header + "\n3\n" + BODY)
    assert detect_text(tmp_path, text, "strategy.txt")["title"] == "Homelessness and Rough Sleeping Strategy 2019–2024"


def test_a_part_of_a_parent_body_named_on_its_sites_masthead_published_the_page(tmp_path):
    text = ("Skip to main content\n\nUK Parliament\n\nHouse of Lords Library Menu Search\n\nHome > In Focus > Prisons "
            "capacity: the early release scheme\n\nPrisons capacity: the early release scheme\n\nPublished Thursday, "
            "10 October, 2024\n\n" + BODY + "\n\n© UK Parliament 2024\n")
    assert detect_text(tmp_path, text, "Prisons capacity - House of Lords Library.txt")["publisher"] == \
        "House of Lords Library"


@pytest.mark.parametrize("head, title", [
    # a memo's fields in capitals: its SUBJECT is its title, not the kind of report over it
    ("County of Tamarack\nOffice of Supportive Housing\n\nOFF-AGENDA REPORT\n\nDATE:        10/18/2019\n"
     "TO:          Board of Supervisors\nFROM:        Director, Office of Supportive Housing\n"
     "SUBJECT:     Update on the Permanent Supportive Housing Pipeline\n",
     "Update on the Permanent Supportive Housing Pipeline"),
    # an office letter's subject over "Sir / Madam,", less the "– regarding." it ends with
    ("F. No. K-14011/3/2024-UD-II\nGovernment of India\nMinistry of Housing and Urban Affairs\nDated: 15th April, "
     "2024\nTo,\n1. The Municipal Commissioners of all Million-Plus Cities\nSubject: Advisory on preparation and "
     "implementation of Heat Action Plans in cities –\nregarding.\nSir / Madam,\n",
     "Advisory on preparation and implementation of Heat Action Plans in cities"),
    # a record that names what met is not put under the council's name
    ("**EASTMOOR DISTRICT COUNCIL**\n# Cabinet Agenda – Wednesday 10 September 2014\n**Time:** 6.00 pm\n\n",
     "Cabinet Agenda – Wednesday 10 September 2014"),
    # a committee and its house over the cover title; the officers printed under it
    ("HOUSE COMMITTEE ON\nPUBLIC HEALTH\nTEXAS HOUSE OF REPRESENTATIVES\n\nINTERIM REPORT 2018\n\n"
     "DANIEL OCHOA\nCHAIRMAN\n\nCOMMITTEE CLERK\nRACHEL WHITFIELD\n\n", "Interim Report 2018"),
    # a body's name run on into its series' label, and a body's name with its initials after it
    ("THE LARCHFIELD INSTITUTE\nBriefing Note BN157\n\n\n\nWho pays for adult social care?\nOptions for implementing "
     "a cap on lifetime care costs\n\nRowena Halliday\nMarcus Feld\n\n",
     "Who pays for adult social care? Options for implementing a cap on lifetime care costs"),
    ("ofwat\n\n\n\nWater Services Regulation Authority (Ofwat)\n\nAnnual report and accounts 2019-20\n\n",
     "Annual report and accounts 2019-20"),
    # a research network's name, in bold, over the heading that is the title
    ("**Carers Policy Network**\n\n# **Breaking point**\n\nUnpaid carers and the cost of living crisis\n\n",
     "Breaking point"),
])
def test_a_memo_a_letter_an_agenda_and_a_report_take_their_own_title(tmp_path, head, title):
    assert detect_text(tmp_path, head + "\n" + BODY, "paper.md")["title"] == title


@pytest.mark.parametrize("stated, publisher", [
    ("Medicines Optimisation Team (NHS Oakhurst CCG)", "NHS Oakhurst CCG"),  # the body its team is of
    ("Westmere Health and Wellbeing Board Contact", "Westmere Health and Wellbeing Board"),  # a label run on
])
def test_a_publishers_name_is_cut_to_the_body(stated, publisher):
    from kb.ingest.orgnames import normalise_publisher

    assert normalise_publisher(stated) == publisher
