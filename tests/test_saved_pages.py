"""Web pages saved as text: the title after the site's menus, cookie banner and trail of links, and the title a
saved file's name repeats."""

from __future__ import annotations

import pytest
from test_metadata import PARA, detect_text

from kb.ingest.saved_pages import line_named_by_file, saved_page_title

COOKIES = ("Skip to main content\n\nCookies on GOV.WALES\nWe use some essential cookies to make this website work. "
           "We'd like to set additional cookies to understand how you use GOV.WALES.\n"
           "Accept additional cookies   Reject additional cookies   View cookies\n\n")
MENU = "Home\nAbout us\nYour health\nGet involved\nPublications\nContact us\n\n"


@pytest.mark.parametrize("furniture, title", [
    # a trail of links, one per line, under the menu; a label of the page's kind over its title
    (COOKIES + "GOV.WALES\n\nSearch\nMenu\n\nHome\nHealth and social care\nNHS performance and targets\n\n"
     "Policy and strategy\n\nWaiting times reduction plan for Wales\n\nHow we will reduce the longest waits.\n\n"
     "First published: 12 November 2024\n", "Waiting times reduction plan for Wales"),
    # a trail on one line; a menu that starts with "Home" is no trail
    (COOKIES + MENU + "Home > About us > Our plans > Joint forward plan\n\nOur Joint Forward Plan 2025/26 to 2029/30\n\n"
     "Published: 28 March 2025\n", "Our Joint Forward Plan 2025/26 to 2029/30"),
    # the kind of page over a title that repeats it
    (COOKIES + "Home\nHealth and social care\n\nWritten Statement\n\nWritten Statement: Update on access to NHS "
     "dental services\n\nFirst published: 12 March 2025\n", "Written Statement: Update on access to NHS dental services"),
    # lynx: link numbers, a trail as a list under the site's name, no "Home"
    ("   #[1]Skip to main content\n\n   Cookies on GOV.UK\n\n   We use some essential cookies to make this website "
     "work.\n\n   Accept additional cookies   Reject additional cookies   [2]View cookies\n\n   [3]GOV.UK\n"
     "     * [4]Health and social care\n     * [5]Medicines, medical devices\n\n   Open consultation\n\n"
     "Proposal to make naloxone nasal spray available from pharmacies without a prescription\n\n   From:\n"
     "          [6]Medicines and Healthcare products Regulatory Agency\n",
     "Proposal to make naloxone nasal spray available from pharmacies without a prescription"),
    # Markdown a converter flattened: the trail as a numbered list, the title over its date
    ("Skip to main content\nGOV.UK\nMenu Search GOV.UK\n1. Home\n2. Health and social care\n3. National Health "
     "Service\nDepartment of Health and Social Care\nGuidance\nNHS continuing healthcare: practice guidance on reviews\n"
     "Published 14 February 2025\nApplies to England\nContents\n", "NHS continuing healthcare: practice guidance on reviews"),
])
def test_a_saved_pages_title_comes_after_its_sites_furniture(furniture, title):
    assert saved_page_title(furniture + "\n" + PARA * 4) == title


def test_the_line_under_a_trail_of_links_is_the_pages_title_and_a_webcast_field_is_not():
    page = ("Skip to content\n\nBrackenfield Borough Council\n\nBins and recycling\nCouncil tax\nHousing\n"
            "You are here: Home > Council and democracy > Committee details > Meeting\nAgenda for Health and Wellbeing "
            "Board on Thursday, 21st September, 2023, 2.00 pm\nCalendar\nCommittee details\nAttendance\n\nVenue: "
            "Committee Room 1, Brackenfield Town Hall\n\nMedia: Webcast for Health and Wellbeing Board, Thursday 21 "
            "September 2023\n\nItems\n")
    assert saved_page_title(page + PARA * 4) == "Agenda for Health and Wellbeing Board on Thursday, 21st September, 2023"


def test_text_that_does_not_start_as_a_saved_page_has_no_page_title():
    assert saved_page_title("Annual report 2024\n\nHome\nAbout us\n\n" + PARA * 4) is None


def test_a_saved_pages_title_is_the_documents_title(tmp_path):
    text = (COOKIES + "Nuffield Trust\nSearch\nMenu\n\n" + "    Our work\n    Research\n    Charts and data\n\n"
            "Home\nResearch\nWhere next for general practice funding?\n\nBriefing\n\nWhere next for general practice "
            "funding?\n\nElif Harding, Rohan Mehta\n\nPublished: 12 February 2025\n\n" + PARA * 6)
    assert detect_text(tmp_path, text, "briefing.txt")["title"] == "Where next for general practice funding?"


@pytest.mark.parametrize("name, title", [
    ("Where next for general practice funding_ _ The Nuffield Trust.txt", "Where next for general practice funding?"),
    ("Delayed discharges in NHSScotland monthly - Figures for January 2025 - Publications - Public Health Scotland.txt",
     "Delayed discharges in NHSScotland monthly"),
    ("where-next-for-general-practice-funding.txt", None),  # a slug names the link, not the page
    ("Briefing - Nuffield Trust.txt", None),  # too short to say which line is meant
])
def test_a_line_the_files_name_repeats_is_its_title(name, title):
    page = ("Public Health Scotland\n\nDelayed discharges in NHSScotland monthly\n\nFigures for January 2025\n\n"
            "Briefing\n\nWhere next for general practice funding?\n\n" + PARA)
    assert line_named_by_file(name, page) == title


def test_the_line_a_file_is_named_after_beats_a_cover_line_above_it(tmp_path):
    text = ("International Journal of Integrated Care\n\nRESEARCH AND THEORY\n\nIntegrated Neighbourhood Teams and "
            "the Everyday Work of Care\n\n" + PARA * 6)
    meta = detect_text(tmp_path, text, "Integrated Neighbourhood Teams and the Everyday Work of Care _ IJIC.txt")
    assert meta["title"] == "Integrated Neighbourhood Teams and the Everyday Work of Care"


def test_a_saved_pages_date_is_read_under_its_title_past_the_menus_and_pandoc_markup_never_shows(tmp_path):
    """pandoc's divs and attributes are no text; the date under the page's title is the page's, not a related
    link's date at its foot."""
    menu = "".join(f"-   [Item {n}](/item-{n})\n" for n in range(40))  # a long menu fills the top of the file
    text = ("Skip to main content\n\n::: {#cookie-banner .cookie-banner}\nWe use cookies to make our website work.\n\n"
            "Accept all cookies Essential cookies only\n:::\n\n::: site-header\n" + menu + ":::\n\n"
            "# Unpaid carers and the cost of living {#unpaid-carers .page-title}\n\n::: meta\nPolicy briefing · "
            "28 November 2024 · 6 minute read\n:::\n\n" + PARA * 8 + "\n\n## Related\n\n-   [Carers Week 2024](/cw)"
            " ---\n    10 June 2024\n")
    meta = detect_text(tmp_path, text, "policy-briefing.md")
    assert (meta["title"], meta["published"]) == ("Unpaid carers and the cost of living", "2024-11-28")
    from kb.ingest.extract.text import strip_markdown

    stripped = strip_markdown(text)[0]
    assert ":::" not in stripped and "{#" not in stripped and ".page-title" not in stripped


def test_a_trail_of_links_ending_with_the_pages_title_picks_it_over_the_sites_name():
    page = ("Skip to content\n\nThis website uses cookies to improve your experience. Find out more Close\n\n"
            "Police & Crime Commissioner for Westshire\n\nCall 101 for non-emergencies or 999 in an emergency\n\n"
            "HomeAbout the CommissionerNewsContact\nGo\n\nYou are here: Home > News > Commissioner launches £450,000 "
            "rural crime fund\n\nCommissioner launches £450,000 rural crime fund\n\nPosted on 16 September 2014 by PCC "
            "Communications\n\n" + PARA * 3)
    assert saved_page_title(page) == "Commissioner launches £450,000 rural crime fund"


def test_a_trail_set_one_link_a_line_ends_with_the_title_the_page_prints_again():
    page = ("Skip to main content\n\nCookies on the CQC website\n\nCQC Care Quality Commission\nFind and compare "
            "services | Give feedback on care | Publications | About us\nHome\nGuidance and regulation\nProviders\n"
            "Adult social care\nSupporting people to manage their medicines at home\nSupporting people to manage "
            "their medicines at home\n\nInformation for providers of home care (domiciliary care) services\n\n"
            "First published: 7 March 2023\n\n" + PARA * 3 + "\n\nRelated guidance\nMedicines in care homes\nReport a "
            "problem or mistake on this page\nReport a problem or mistake on this page\n")
    assert saved_page_title(page) == "Supporting people to manage their medicines at home"


def test_a_us_government_pages_banner_masthead_and_section_are_not_its_title():
    page = ("An official website of the United States government Here's how you know\n\nJump to main content\n\n"
            "US EPA United States Environmental Protection Agency\n\nEnvironmental Topics\nLaws & Regulations\nAbout "
            "EPA\n\nNews Releases from Region 01\n\nEPA Awards $2.3 Million in Brownfields Grants to New England "
            "Communities\n\n05/24/2016\n\n" + PARA * 3)
    assert saved_page_title(page) == "EPA Awards $2.3 Million in Brownfields Grants to New England Communities"
