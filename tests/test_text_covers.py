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


@pytest.mark.parametrize("mark", ["DRAFT – UNCONFIRMED", "Unconfirmed", "For approval", "Draft / not for publication"])
def test_a_records_status_over_its_first_line_is_not_its_title(tmp_path, mark):
    text = (f"NHS\nMid Wessex\nIntegrated Care Board\n\n{mark}\n\nMinutes of the meeting of the Primary Care "
            "Commissioning\nCommittee held on Thursday 10 November 2022 at 10.00am in\nthe Board Room, Kingfisher "
            "House, Andover\nPresent: Margaret Allsop (Chair)\n\n" + BODY)
    meta = detect_text(tmp_path, text, "PCCC-minutes-10.11.22-draft.txt")
    assert (meta["title"], str(meta["published"])) == (
        "Minutes of the meeting of the Primary Care Commissioning Committee held on Thursday 10 November 2022",
        "2022-11-10")


@pytest.mark.parametrize("mark", ["An Official statistics release for Scotland", "Accredited official statistics",
                                  "Official Statistics", "Experimental statistics"])
def test_a_statistics_series_mark_over_a_release_is_not_its_title(tmp_path, mark):
    text = (f"Public Health Scotland\n\nHome / Publications / Delayed discharges\n\n{mark}\n\nDelayed discharges in "
            "NHSScotland\n\nFigures for October 2022\n\nPublication date: 06 December 2022\n\n" + BODY)
    assert detect_text(tmp_path, text, "summary.txt")["title"] == "Delayed discharges in NHSScotland"


@pytest.mark.parametrize("logo, name", [
    ("EPA United States", "Environmental Protection Agency"),
    ("ONS Statistics", "Office for National Statistics"),
])
def test_a_bodys_initials_as_a_logo_over_the_name_they_stand_for_are_not_the_title(tmp_path, logo, name):
    title = "Lead Service Line Replacement: Lessons Learned from Early-Adopting Utilities"
    text = f"{logo}\n\n{name}\n\n{title}\n\nOffice of Water   September 2019\n\n" + BODY
    assert detect_text(tmp_path, text, "download.txt")["title"] == title


def test_a_subject_fields_label_before_a_title_is_left_out(tmp_path):
    text = ("Leeds City Council\nReport of: Director of Children and Families\nReport to: Executive Board\n"
            "Date: 22 June 2022\nSubject: Home to School Transport Policy Review – Outcome of Consultation\n\n" + BODY)
    assert detect_text(tmp_path, text, "Exec-Board-Report-HTST.txt")["title"] == \
        "Home to School Transport Policy Review – Outcome of Consultation"


def test_an_isbn_on_the_copyright_line_is_no_publisher(tmp_path):
    text = ("Mowat Centre\n\n# Renewing Employment Insurance\n\nMay 2016\n\n" + BODY
            + "\n\n©2016 ISBN 978-1-77259-027-3\n\nmowatcentre.ca\n")
    assert detect_text(tmp_path, text, "Mowat_EI_Renewal_May2016.md")["publisher"] == "Mowat Centre"


@pytest.mark.parametrize("typed, title", [
    ("Discussion Paper - Urban Mobility Tier 2 - final", "Discussion Paper - Urban Mobility Tier 2"),
    ("Winter plan 2024-25 - v3.1", "Winter plan 2024-25"),
    ("Local Transport Plan - FINAL DRAFT", "Local Transport Plan"),
    ("Final report of the Independent Review", "Final report of the Independent Review"),
    ("A Plan for Draft Animals", "A Plan for Draft Animals"),
])
def test_a_files_version_typed_after_its_title_is_left_out(typed, title):
    from kb.ingest.titles import clean_title

    assert clean_title(typed) == title


@pytest.mark.parametrize("info, title", [
    ("Lagos State Road Safety Strategy 2025-2029", "Lagos State Road Safety Strategy 2025–2029: Safer Roads for a Greater Lagos"),
    (None, "Safer Roads for a Greater Lagos"),  # no second witness: the line printed largest
])
def test_a_pdfs_title_property_that_repeats_a_cover_line_above_the_largest_makes_it_the_title(tmp_path, info, title):
    from tests.test_metadata import cover_pdf, detect

    path = cover_pdf(tmp_path / "strategy.pdf", [
        ("LAGOS STATE GOVERNMENT", 12, 60), ("Ministry of Transportation", 12, 80),
        ("LAGOS STATE ROAD SAFETY STRATEGY 2025–2029", 16, 200), ("Safer Roads for a Greater Lagos", 26, 240),
        ("January 2025", 12, 300), ("This road safety strategy sets out how the state will make its roads safer.", 10, 400)],
        title=info)
    assert detect(path)["title"] == title


@pytest.mark.parametrize("masthead", ["Area Drug and Therapeutics Committee\nMedicines Update",
                                      "Mid Mercia Integrated Care Board\nPrescribing Matters"])
def test_a_bodys_name_run_into_its_series_name_is_not_the_title(tmp_path, masthead):
    text = (f"NHS\nGreater Glasgow\nand Clyde\n\n{masthead}\n\nMelatonin prescribing in children and young\npeople\n"
            "Guidance for primary and secondary care prescribers\n\nDate of issue: June 2026 Review date: June 2029\n\n"
            + BODY)
    assert detect_text(tmp_path, text, "GGC-ADTC-melatonin-CYP-2026.txt")["title"].startswith(
        "Melatonin prescribing in children and young people")


@pytest.mark.parametrize("head, name, title", [
    # a section's heading the file's name spells, after the cover's own title and a paragraph of prose
    ("NHS Westmere Integrated Care Board\nBoard meeting in public\nReport title: Urgent and emergency care performance\n"
     "Meeting date: 12 November 2024\n\n" + BODY + "\n\nWinter planning and surge capacity\n\n",
     "item-9-winter-planning-update.txt", "Urgent and emergency care performance"),
    # an acronym in a title over the body's name is no logo
    ("ICB Workforce Strategy\n\nNHS Westmere Integrated Care Board\n\nMarch 2024\n\n", "strategy.txt",
     "ICB Workforce Strategy"),
    # a title that starts "Media …" is no field; a council's name before a budget update is no masthead
    ("Media literacy strategy: a plan for 2024 to 2027\n\nJuly 2024\n\n", "doc.txt",
     "Media literacy strategy: a plan for 2024 to 2027"),
])
def test_ordinary_covers_keep_their_titles_under_this_rounds_rules(tmp_path, head, name, title):
    assert detect_text(tmp_path, head + BODY, name)["title"] == title
