"""Counter-examples a review found for the rules that read saved web pages, cover sheets, identities, imprints and
mastheads: each rule must leave alone the documents it was not written for (a wrong value is worse than none)."""

from __future__ import annotations

import pytest
from test_metadata import PARA, _cover_pdf, cover_pdf, detect, detect_text, prose_lines

BODY = PARA * 6


def field_of(tmp_path, text: str, name: str, field: str) -> str | None:
    """A detected value as text (a date as its ISO form), or None when none was assigned."""
    value = detect_text(tmp_path, text, name)[field]
    return str(value) if value is not None else None


@pytest.mark.parametrize("head, name, wanted", [
    # a table's row names another event: its date is never the document's
    ("Safeguarding Adults Policy\n\nDocument owner | Head of Safeguarding\nVersion | 3.0\nReview date | March 2026\n",
     "policy.txt", None),
    ("Consultation on the Draft Local Plan\n\nConsultation opens | 3 February 2025 | Consultation closes | 31 March "
     "2025\n", "consultation.txt", None),
    ("Quality Committee Terms of Reference\n\nApproved by: Board | Next review due | April 2026\n", "tor.txt", None),
    ("Minutes of the Quality Committee\n\nDate of next meeting | 14 May 2025\n", "minutes.txt", None),
    # a date printed as an item of a list is the page's when labelled
    ("Why we need a new deal for unpaid carers\n\n     * Policy briefing\n     * Published 12 March 2025\n"
     "     * 6 minute read\n", "blog.txt", "2025-03-12"),
    # a saved page's date over its title is the page's, not a related story's under it
    ("Skip to main content\n\nWe use cookies on our website. Accept all cookies\n\nNews\n\n12 March 2025\n\n"
     "Government announces new funding for hospices\n\nThe funding will support 170 hospices.\n\nRelated story\n\n"
     "Hospice sector warns of closures\n\n5 January 2025\n", "news.txt", "2025-03-12"),
])
def test_dates_of_other_events_are_never_the_documents(tmp_path, head, name, wanted):
    assert detect_text(tmp_path, head + "\n" + BODY, name)["published"] == wanted


def test_a_last_page_that_is_an_appendix_or_a_response_does_not_date_the_report(tmp_path):
    cover = ("Kingsmere Health and Wellbeing Board\n\nRefresh of the Joint Health and Wellbeing Strategy\n\nReport of "
             "the Director of Public Health\n\n")
    for last in ("Appendix 2\n\nExtract from the Joint Health and Wellbeing Strategy 2019-2024\n\nPublished 3 June 2019",
                 "Provider's response\n\nUpdated action plan\n\nPublished 3 June 2026"):
        text = "\f".join([cover + BODY, BODY, BODY, last])
        assert detect_text(tmp_path, text, "report.txt")["published"] is None


@pytest.mark.parametrize("head, publisher", [
    # a funder's or an award's logo under the cover's title, or over the body's own name
    ("# Kingsmere Borough Council\n\n## Pay Policy Statement 2024/25\n\n![Living Wage Foundation logo](media/i3.png)\n",
     "Kingsmere Borough Council"),
    ("![The National Lottery Community Fund logo](media/i2.png)\n\n# Kingsmere Carers Centre\n\n## Annual Impact "
     "Report 2023-24\n", "Kingsmere Carers Centre"),
    # a title or a committee set on lines apart is no identity
    ("Towards Open\n\nGovernment\n\nA manifesto for transparency\n\nKingsmere Policy Institute\n",
     "Kingsmere Policy Institute"),
    ("Kingsmere Hospitals NHS Foundation Trust\n\nAudit\n\nCommittee\n\n12 March 2024\n\nInternal Audit Progress Report\n",
     "Kingsmere Hospitals NHS Foundation Trust"),
    # one body's name holds an "and"
    ("Evaluation of the Community Diagnostic Centres Programme\n\nMarch 2024\n\nProduced by Williams Lea for the "
     "Department of Health and Social Care\n", "Department of Health and Social Care"),
    ("Virtual wards: an evaluation\n\nMarch 2022\n\nPrepared by the Strategy Unit for NHS England and NHS "
     "Improvement\n", "NHS England and NHS Improvement"),
    # a company that is a public body's own
    ("Estates Strategy 2024-2029\n\nMarch 2024\n\nProduced by NHS Property Services Limited\n",
     "NHS Property Services Limited"),
])
def test_publishers_from_logos_identities_and_imprints_are_this_documents(tmp_path, head, publisher):
    assert detect_text(tmp_path, head + "\n" + BODY, "doc.md" if "#" in head else "doc.txt")["publisher"] == publisher


@pytest.mark.parametrize("head, name, title", [
    # a time of day in a title is no meeting's hour
    ("Pharmacy opening hours after 6pm in rural areas\n\nJune 2024\n", "pharmacy.txt",
     "Pharmacy opening hours after 6pm in rural areas"),
    # a contents list's first entry is no committee report's subject
    ("House of Commons\nHealth and Social Care Committee\n\nWorkforce: recruitment, training and retention in health "
     "and social care\n\nThird Report of Session 2022–23\n\nOrdered by the House of Commons to be printed 12 July 2022"
     "\n\nContents\n\nSummary 3\n1 Introduction 7\n", "select.txt",
     "Workforce: recruitment, training and retention in health and social care"),
    # a forward plan lists many reports' titles
    ("Kingsmere Borough Council\n\nForward Plan of Key Decisions\n\n1 April 2024 to 31 July 2024\n\nReport title\n\n"
     "Adoption of the Healthy Weight Strategy 2025–2030\n\nDecision maker\n\nCabinet\n\nReport title\n\nHousing "
     "Allocations Policy Review\n", "forward-plan.txt", "Forward Plan of Key Decisions"),
    # a body's name and a topic are a title; a guide about cookies is no saved page
    ("Care Quality Commission - Dementia care\n\nA thematic review\n\nMarch 2024\n", "cqc.txt",
     "Care Quality Commission - Dementia care"),
    ("Cookies and similar technologies\n\nA guide for small businesses\n\nMarch 2024\n\nInformation Commissioner's "
     "Office\n", "cookies-guide.txt", "Cookies and similar technologies"),
    # a short part of a file's name may be a section's heading
    ("Kingsmere Borough Council\n\nKingsmere Carers Strategy 2024-2029\n\nMarch 2024\n\n" + PARA + "\n\nEquality "
     "impact assessment\n\n", "Equality impact assessment - Carers Strategy - Kingsmere.txt",
     "Kingsmere Carers Strategy 2024-2029"),
    # a saved page: its title without the date under it, the site's strapline or the kicker over it
    ("Skip to main content\n\nWe use cookies to make our website work. Accept all cookies\n\nHealthwatch Kingsmere\n"
     "Your voice on health and care\n\nNews\n\nWhat you told us about GP access\n\n12 March 2024\n", "page.txt",
     "What you told us about GP access"),
    ("Skip to main content\n\nWe use cookies to improve your experience. Accept all cookies\n\nHome\nNews\nGovernment "
     "announces new funding for hospices\nPublished 12 March 2025\n", "news.txt",
     "Government announces new funding for hospices"),
])
def test_titles_from_new_rules_leave_other_documents_alone(tmp_path, head, name, title):
    assert detect_text(tmp_path, head + "\n" + BODY, name)["title"] == title


@pytest.mark.parametrize("head, name, field, wanted", [
    # a headline that mentions an inspection is no field: the page's date under it stands
    ("News\n\n12 March 2025\n\nCQC inspection finds improvement at Oakfield care home\n\n", "news.txt", "published",
     "2025-03-12"),
    # a saved page's related link, dated later, is another page
    ("Skip to main content\n\nThis site uses cookies. Accept all cookies\n\nHome\n\nNHS England\nDelivery plan for "
     "recovering access to primary care\n\nPublished 9 May 2023\n\nThis plan sets out how we will support general "
     "practice.\n\nRelated content\n\nPrimary care recovery: one year on\n\nPublished 14 May 2024\n", "page.txt",
     "published", "2023-05-09"),
    ("Skip to main content\n\nThis site uses cookies. Accept all cookies\n\nHome\n\nNHS England\nDelivery plan for "
     "recovering access to primary care\n\nPublished 9 May 2023\n\nThis plan sets out how we will support general "
     "practice.\n", "page.txt", "title", "Delivery plan for recovering access to primary care"),
    # "Analysis produced by X shows …" cites X
    ("Waiting times for elective care: an explainer\n\nNuffield Trust\n\n12 February 2025\n\nAnalysis produced by NHS "
     "England shows that the waiting list fell.\n", "explainer.txt", "publisher", "Nuffield Trust"),
    # a department of a hospital, a title whose first word names a meeting's field, a short title the file repeats
    ("Special Care Baby Unit – Parent Handbook\n\nInformation for parents and carers\n\nJanuary 2024\n", "scbu.txt",
     "title", "Special Care Baby Unit – Parent Handbook"),
    ("Held back: how poverty shapes children's chances at school\n\nMarch 2025\n", "held.txt", "title",
     "Held back: how poverty shapes children's chances at school"),
    ("Safeguarding Adults Policy\n\nVersion 3.0\n", "Safeguarding adults policy.txt", "title",
     "Safeguarding Adults Policy"),
])
def test_the_second_reviews_counter_examples(tmp_path, head, name, field, wanted):
    assert detect_text(tmp_path, head + "\n" + BODY, name)[field] == wanted


@pytest.mark.parametrize("note", [
    "NOTE\nTranscript exported from Microsoft Teams\nRecorded by Jane Smith\nExported 14 March 2025\n",
    "NOTE\nThis file is licensed under the Open Government Licence v3.0\nCrown copyright 2023\n",
])
def test_a_captions_note_without_a_body_that_met_names_nothing(note):
    from kb.ingest.extract import extract_bytes

    vtt = "WEBVTT\n\n" + note + "\n1\n00:00:01.000 --> 00:00:05.000\n<v Chair>Good morning and welcome.\n"
    meta = extract_bytes(vtt.encode(), ".vtt").metadata
    assert "published" not in meta and "title_candidates" not in meta and "publisher" not in meta


# -- kinds of text export a held-out set brought -------------------------------------------------------------


@pytest.mark.parametrize("head, name, title", [
    # pdftotext -layout: a row's cells set apart by a wide gap are lines of their own
    ("Congressional Research Service                                                  IN FOCUS\n"
     "                                                                       Updated March 4, 2025\n\n"
     "Medicare Advantage: Prior Authorization Reforms\n"
     " Prior authorization (PA) is a utilization management tool       encounter-level PA data to support.\n"
     " that requires providers to obtain approval from a health plan   Congressional Activity\n"
     " before a service is furnished. Nearly all Medicare              In the 118th Congress, the Improving\n"
     " Advantage (MA) enrollees are in plans that require PA for       Access to Care Act would have\n",
     "IF12873.txt", "Medicare Advantage: Prior Authorization Reforms"),
    ("ASPE ISSUE BRIEF                                      Health Insurance Coverage Among Rural Adults, 2019–2023\n\n"
     "Office of the Assistant Secretary for Planning and Evaluation                          ISSUE BRIEF\n"
     "U.S. Department of Health and Human Services                                          HP-2025-07\n\n"
     "Health Insurance Coverage Among Rural Adults,\n2019–2023\n",
     "issue-brief.txt", "Health Insurance Coverage Among Rural Adults, 2019–2023"),
    # a letter's subject set over its first paragraph with no blank line between
    ("To:                                                       NHS England\n"
     "• ICB chief executives                                    Wellington House\n"
     "• NHS trust and foundation trust chief executives         133-155 Waterloo Road\n"
     "• Regional directors                                      London\n\n"
     " Dear colleagues,\n\n Reducing corridor care: operational expectations for winter 2025/26\n"
     " Last winter too many patients received care in corridors and other temporary escalation spaces\n"
     " (TES). This is unacceptable. The plan, published on 6 June 2025, committed every trust to act.\n"
     " This letter sets out the operational expectations that apply from 1 September 2025.\n",
     "letter.txt", "Reducing corridor care: operational expectations for winter 2025/26"),
    # a press release's labels and its identity in two languages are no titles; its headline may start with a sum
    ("LLYWODRAETH CYMRU / WELSH GOVERNMENT\n\nNEWS RELEASE\n\nIssued: 13 May 2025\n\n"
     "£12m to cut the longest waits for planned care in Wales\n\n",
     "press-release.txt", "£12m to cut the longest waits for planned care in Wales"),
    ("OREGON HEALTH AUTHORITY\nNEWS RELEASE\n\nFOR IMMEDIATE RELEASE\nFebruary 4, 2025\n\n"
     "Oregon Health Authority releases first statewide report on hospital staffing\n\n",
     "news.txt", "Oregon Health Authority releases first statewide report on hospital staffing"),
    # a saved page's title ends in "on" ("one year on") and its fields' names ("Document first published:") are none
    ("Skip to main content\nWe use cookies on our website. Accept all cookies\n\nNHS England\nSearch\n\n    Home\n"
     "    Publications\n    Primary care access recovery: one year on\n\nPrimary care access recovery: one year on\n\n"
     "Document first published:\n    3 March 2025\nPage updated:\n    9 April 2025\n\n", "page.txt",
     "Primary care access recovery: one year on"),
])
def test_titles_of_text_exports_a_held_out_set_brought(tmp_path, head, name, title):
    assert detect_text(tmp_path, head + "\n" + BODY, name)["title"] == title


def test_a_transcripts_cover_whose_blank_lines_are_numbered(tmp_path):
    """The normaliser runs a numbered cover's lines together (its blank lines hold numbers); the cover's blocks
    stay apart for the title."""
    cover = {1: "THE NORTHGATE MATERNITY SERVICES INQUIRY", 4: "MODULE 2 HEARING TRANSCRIPT",
             6: "(Clinical governance and the Trust board)", 9: "DAY 14", 11: "Tuesday, 10 June 2025", 14: "Before",
             16: "DR HELEN MARCHBANK FRCOG", 17: "(Chair)", 20: "Held at:", 21: "Northgate Civic Centre,"}
    first = "\n".join(f"{n:2d}  {cover.get(n, '')}".rstrip() for n in range(1, 26)) + "\n" + " " * 40 + "1\n"
    said = ["(10.00 am)", "THE CHAIR: Good morning, everyone. Mr Adeyemi, I", "think we are starting with Mrs Calloway.",
            "MR ADEYEMI: We are, Chair. Mrs Calloway, could you", "give the inquiry your full name, please?"] * 5
    second = "\n".join(f"{n:2d}   {line}" for n, line in enumerate(said, 1)) + "\n" + " " * 40 + "2\n"
    meta = detect_text(tmp_path, first + "\f" + second, "Northgate-Inquiry-M2-Day-14.txt")
    assert meta["title"] == "Module 2 Hearing Transcript"
    assert meta["publisher"] == "The Northgate Maternity Services Inquiry"  # its cover, less the margin's numbers
    assert str(meta["published"]) == "2025-06-10"


@pytest.mark.parametrize("head, name, publisher", [
    # a saved page's site: its masthead above the title (a domain the table lists, a body's name)
    ("Skip to main content\nCookies on gov.scot\nAccept all cookies\ngov.scot\nSearch\n    About\n    Topics\n"
     "    Home\n    Publications\n    Primary care improvement plans: tracker\nPublication - Progress report\n"
     "Primary care improvement plans: tracker\nPublished: 27 May 2025\n", "tracker - gov.scot.txt",
     "Scottish Government"),
    ("Skip to main content\nHealth New Zealand | Te Whatu Ora\nWe use cookies to improve your experience. OK\n"
     "    About us\n    Careers\n    Search\nHome / About us / Our plans / Winter readiness 2025\n"
     "Winter readiness 2025: what we're doing\n", "winter.txt", "Health New Zealand | Te Whatu Ora"),
    # … or a news release's dateline under it
    ("Skip to main content\nOntario.ca needs JavaScript to function properly.\nFrançais\nOntario Newsroom\nMenu\n"
     "    Home\n    News releases\n    Search\nNews Release\nOntario Connecting More People to Primary Care Teams\n"
     "Province investing $213 million in primary care\nMarch 12, 2025 9:30 A.M. | Ministry of Health\n",
     "release.txt", "Ministry of Health"),
    # a committee's minutes under the name of the body it is a committee of
    ("Public Document Pack\n\nKELBROOK METROPOLITAN BOROUGH COUNCIL\n\nHEALTH AND ADULT SOCIAL CARE SCRUTINY "
     "COMMITTEE\n\nMINUTES of the meeting held on Wednesday, 15 January 2025 at 6.30 pm in the Council Chamber\n",
     "minutes.txt", "Kelbrook Metropolitan Borough Council"),
    # a cover's address after the body's initials and a bullet
    ("THE ROYAL COLLEGE OF\nEMERGENCY MEDICINE\n\nCROWDED OUT: EMERGENCY\nDEPARTMENT CROWDING IN THE UK\n\n"
     "Published: April 2025\n\nRCEM • rcem.ac.uk\n\nDr Jonathan Reid, President, Royal College of Emergency "
     "Medicine\n", "report.txt", "Royal College of Emergency Medicine"),
    # a page laid out in columns: the body's name in a cell of its own
    ("Congressional Research Service                                                  IN FOCUS\n"
     "                                                                       Updated March 4, 2025\n\n"
     "Medicare Advantage: Prior Authorization Reforms\n", "IF12873.txt", "Congressional Research Service"),
])
def test_publishers_a_held_out_set_brought(tmp_path, head, name, publisher):
    assert detect_text(tmp_path, head + "\n" + BODY, name)["publisher"] == publisher


def test_a_release_dated_by_its_dateline(tmp_path):
    head = ("Skip to main content\nOntario Newsroom\nMenu\n    Home\n    Search\nNews Release\n"
            "Ontario Connecting More People to Primary Care Teams\nProvince investing $213 million in primary care\n"
            "March 12, 2025 9:30 A.M. | Ministry of Health\n\nThe teams were chosen after a call that closed on "
            "November 29, 2024.\n")
    assert str(detect_text(tmp_path, head + BODY, "release.txt")["published"]) == "2025-03-12"


def test_a_saved_markdown_page_its_logo_wrapped_and_its_date_in_the_footer(tmp_path):
    """pandoc wraps a logo's attributes over two lines; a list item's wrapped date is the item's, and the
    footer's "Updated …" is the page's."""
    text = ('[Skip to main content](#main-content)\n\n[![Minnesota Department of Health](/images/mdh_logo.png){width="291"\n'
            'height="49"}](/index.html)\n\n-   [Home](/index.html)\n-   [About Us](/about/index.html)\n\n'
            "# Hospital Capacity Reporting Requirements\n\n" + PARA + "\n\n## Guidance and resources\n\n"
            "-   Webinar recording: Capacity reporting for critical access hospitals,\n    February 19, 2025\n\n"
            + PARA * 3 + "\n\n::: {#footer}\nUpdated Tuesday, 02-Apr-2025 10:15:33 CDT\n:::\n")
    meta = detect_text(tmp_path, text, "hospital-capacity-reporting.md")
    assert meta["publisher"] == "Minnesota Department of Health"
    assert str(meta["published"]) == "2025-04-02"


@pytest.mark.parametrize("line", ["Proposed Rules", "Leadpct: 0%"])
def test_a_sections_name_and_a_systems_field_are_no_titles(line):
    from kb.ingest.titles import is_title_like

    assert not is_title_like(line)


@pytest.mark.parametrize("head, name, title", [
    # a one-word title the trail of links names too
    ("Skip to main content\n\nWorld Health Organization\n\n• Health Topics\n• Countries\n\n1. Home\n2. Newsroom\n"
     "3. Fact sheets\n4. Detail\n5. Falls\n\nFalls\n\n26 April 2025\n\nKey facts\n\n", "falls-fact-sheet.txt", "Falls"),
    # a page saved without blank lines: its furniture's lines, then the title over a field or a standfirst
    ("Skip to main content\nSkip to \"About government\"\nLanguage selection\nFrançais\nGovernment of Canada / "
     "Gouvernement du Canada\nSearch\nMenu\nCanada.ca\nHealth\nDrugs and health products\nGuidance on nicotine "
     "replacement therapy pouches: labelling and sale\nFrom: Health Canada\nGuidance document\n",
     "Canada.ca - Guidance.txt", "Guidance on nicotine replacement therapy pouches: labelling and sale"),
    ("Skip to main content\nWe use cookies to improve your experience of our website.\nAccept all cookies\n"
     "The King's Fund\nSearch\nMenu\nAbout us\nHome\nInsight and analysis\nLong reads\nLong read\n"
     "Waiting well? What happens to people while they wait for planned hospital care\nWe spoke to patients and "
     "clinicians about the experience of waiting for elective treatment. What happens during the wait matters.\n"
     "Authors\nDr Anna Kowalczyk\nShare this page\nTopics\nWaiting times\n", "waiting-well.txt",
     "Waiting well? What happens to people while they wait for planned hospital care"),
    # a report named by whom it is made to is no title on its own
    ("Washington State\nHealth Care Authority\n\nReport to the Legislature\n\nMobile Crisis Response Capacity in "
     "Washington State\n\nDecember 1, 2025\n\n", "report.txt", "Mobile Crisis Response Capacity in Washington State"),
])
def test_saved_pages_and_labels_a_second_held_out_set_brought(tmp_path, head, name, title):
    assert detect_text(tmp_path, head + "\n" + BODY, name)["title"] == title


@pytest.mark.parametrize("text, wanted", [
    # an imprint that names its publisher before the date, on the back page
    (BODY + "\f" + BODY + "\f© Crown copyright 2025\nISBN: 978-1-83691-612-4 (web only)\nPublished by The Scottish "
     "Government, November 2025\nPPDAS1598214 (11/25)\n", "2025-11"),
    # an imprint past the cover's first lines
    ("Elective surgery\nwaiting times\n2024-25\n\naihw.gov.au\n\f" + PARA * 5 + "\nPublished by the Australian "
     "Institute of Health and Welfare.\nPublished: December 2025\n\f" + BODY, "2025-12"),
    # a back page's "Publication date:" beside its review date
    ("Nursing workforce standards\n\nA discussion paper\n\f" + BODY + "\f" + BODY + "\fRoyal College of Nursing\n"
     "Publication date: April 2025 Review date: April 2027\n", "2025-04"),
    # the citation a document asks to be cited by
    ("Wait Times for Priority Procedures in Canada, 2025\n\f" + BODY + "\n© 2025 Canadian Institute for Health "
     "Information\nHow to cite this document:\nCanadian Institute for Health Information. Wait Times for Priority "
     "Procedures in Canada, 2025. Ottawa, ON: CIHI; 2025.\n\f" + BODY, "2025"),
    # a journal's side strip
    ("BMJ Open: first published as 10.1136/bmjopen-2024-091234 on 21 March 2025. Downloaded from "
     "https://bmjopen.bmj.com on 3 November 2025 by guest.\n\n" + BODY, "2025-03-21"),
    # never a report's date a sentence cites, nor a signature's date past the cover
    ("Annual Report and Accounts 2023/24\n\n" + PARA + " The report, published on 9 February 2024, rated the "
     "Trust good overall.\n" + BODY * 2 + "\nSigned: Chief Executive\nDate: 26 June 2024\n", None),
])
def test_dates_a_second_held_out_set_brought(tmp_path, text, wanted):
    assert field_of(tmp_path, text, "report.txt", "published") == wanted


def test_a_committee_reports_cover_sheet_its_logo_split_by_another_column(tmp_path):
    """The paper's own date beats the meeting's, and a logo's two lines read apart are one name."""
    head = ("WREXFORD\n\nAgenda Item 7\n\nBOROUGH COUNCIL\n\nReport to:\n\nAdult Social Care and Health Scrutiny "
            "Committee\n\nDate of meeting:\n\n12 March 2026\n\nDate of report:\n\n2 March 2026\n\nReport of:\n\n"
            "Director of Public Health\n\nTitle:\n\nWinter vaccination uptake 2025/26\n\n")
    meta = detect_text(tmp_path, head + BODY, "57341.txt")
    assert (meta["publisher"], str(meta["published"])) == ("Wrexford Borough Council", "2026-03-02")


def test_a_board_packs_nhs_logo_and_meeting_name_are_not_its_body(tmp_path):
    head = ("NHS\nKestrel Vale Hospitals\nNHS Foundation Trust\n\nBoard of Directors Meeting in Public\nAGENDA\n"
            "Date: Thursday 6 November 2025 Time: 09:30 - 13:00\nVenue: Boardroom, Ashcombe General Hospital\n\n")
    meta = detect_text(tmp_path, head + BODY, "Public-Board-Papers.txt")
    assert meta["title"] != "NHS: Board of Directors Meeting in Public"
    assert meta["publisher"] != "Board of Directors Meeting in Public"


@pytest.mark.parametrize("head, name, field, wanted", [
    ("EUROPEAN\nCOMMISSION\n\nBrussels, 22.5.2025\nSWD(2025) 141 final\n\nCOMMISSION STAFF WORKING DOCUMENT\nEVALUATION\n"
     "of Directive 2011/24/EU on the application of patients' rights in\ncross-border healthcare\nAccompanying the "
     "document\nREPORT FROM THE COMMISSION TO THE EUROPEAN PARLIAMENT AND\nTHE COUNCIL\n", "SWD_2025_141.txt", "title",
     "Evaluation of Directive 2011/24/EU on the application of patients' rights in cross-border healthcare"),
    ("Faster Cancer Treatment\nQuarterly indicator report, January-March 2025\n\nNew Zealand Government\n\fCitation: "
     "Health New Zealand. 2025. Faster Cancer Treatment.\nPublished in June 2025 by Health New Zealand | Te Whatu Ora\n"
     "PO Box 793, Wellington 6140, New Zealand\n", "fct.txt", "publisher", "Health New Zealand"),
    ("Faster Cancer Treatment\nQuarterly indicator report, January-March 2025\n\nNew Zealand Government\n\fCitation: "
     "Health New Zealand. 2025. Faster Cancer Treatment.\nPublished in June 2025 by Health New Zealand | Te Whatu Ora\n",
     "fct.txt", "published", "2025-06"),
    ("HSE launches winter vaccination campaign as flu cases begin to rise\n\n14 October 2025\n\n" + PARA + "\n\nENDS\n\n"
     "Issued by:\nHSE Press Office\nHealth Service Executive\n", "hse-press-release.txt", "publisher",
     "Health Service Executive"),
    ("MANATŪ HAUORA\nMINISTRY OF HEALTH\n\nMEDIA RELEASE\n\nEmbargoed until 5am, Tuesday 9 September 2025\n\n"
     "New data shows decline in children's oral health\n\n", "media-release.txt", "title",
     "New data shows decline in children's oral health"),
    ("[Skip to main content](#main-content)\n\n::: {.ontario-alert}\n**Ontario Public Service job cuts** --- Find out "
     "about changes to\ngovernment services near you.\n:::\n\n# News Release\n\n## Ontario Expanding Primary Care Teams "
     "in Northern Ontario\n\nApril 22, 2025\n\n", "ontario-news-release.md", "title",
     "Ontario Expanding Primary Care Teams in Northern Ontario"),
])
def test_a_third_held_out_set_brought(tmp_path, head, name, field, wanted):
    assert field_of(tmp_path, head + "\n" + BODY, name, field) == wanted


@pytest.mark.parametrize("head, name, field, wanted", [
    # gov.scot: a publication's kind ("Publication - Strategy/plan") over its title, a field's value under "Part of:"
    ("Skip to main content\nCookies on gov.scot\nAccept optional cookies\ngov.scot\nSearch site\nTopics\n\nHome\n"
     "Publications\nNational Rehabilitation Framework: delivery plan 2024 to 2027\n\nPublication - Strategy/plan\n"
     "National Rehabilitation Framework: delivery plan 2024 to 2027\nSets out the actions the Scottish Government "
     "will take to implement the framework.\n\nPart of:\nHealth and social care\nPublished\n12 June 2024\n",
     "plan - gov.scot.txt", "title", "National Rehabilitation Framework: delivery plan 2024 to 2027"),
    # GOV.WALES: the trail's last item is the title when a standfirst follows it
    ("Skip to main content\nCymraeg\nGOV.WALES\nMenu\nCookies\nWe use cookies to collect information.\n\nHome\n"
     "Health and social care\nNHS services\nGuidance\nSix goals for urgent and emergency care: 2024 update\nHow health "
     "boards, local authorities and the Welsh Ambulance Services NHS Trust should deliver the six goals programme.\n"
     "First published:\n5 December 2024\n", "six goals _ GOV.WALES.txt", "title",
     "Six goals for urgent and emergency care: 2024 update"),
    # a site's topic over a report's title; a subtitle in a capital after a title set in sentence case
    ("Scottish Government\nRiaghaltas na h-Alba\ngov.scot\n\nHealth and social care\n\nGetting people home:\n"
     "review of delayed discharge\nin Scotland\nFinal report of the National Delayed Discharge Review Group\n\n",
     "getting-people-home.txt", "title", "Getting people home: review of delayed discharge in Scotland"),
    # an inquiry's name over its chair, and the day its report was ordered to be printed
    ("INTERIM REPORT\n\nINDEPENDENT INQUIRY INTO\nMATERNITY AND NEONATAL\nSERVICES IN KESTERMOUTH\nChair: Professor "
     "Anne Colquhoun CBE\n\nPresented to Parliament pursuant to section 26 of the Inquiries Act 2005\nOrdered by the "
     "House of Commons to be printed on 9 October 2024\nHC 211\n\f", "interim-report.txt", "publisher",
     "Independent Inquiry into Maternity and Neonatal Services in Kestermouth"),
    ("INTERIM REPORT\n\nINDEPENDENT INQUIRY INTO\nMATERNITY AND NEONATAL\nSERVICES IN KESTERMOUTH\nChair: Professor "
     "Anne Colquhoun CBE\n\nPresented to Parliament pursuant to section 26 of the Inquiries Act 2005\nOrdered by the "
     "House of Commons to be printed on 9 October 2024\nHC 211\n\f", "interim-report.txt", "published", "2024-10-09"),
    # an article's history box wrapped over lines; a journal's name over its homepage line is no title
    ("Contents lists available at LarkspurDirect\n\nHealth Systems & Finance Open\n\nFinance Open 7 (2025) 100142\n\n"
     "journal homepage: www.larkspur.pub/journals/hsfo\n\nMedicaid continuous enrollment unwinding and coverage loss "
     "among children\n\nArticle history:\nReceived 2 September 2024\nReceived in revised form 20\nDecember 2024\n"
     "Accepted 28 January 2025\nAvailable online 12 February\n2025\n\n", "main.txt", "published", "2025-02-12"),
])
def test_a_fourth_held_out_set_brought(tmp_path, head, name, field, wanted):
    assert field_of(tmp_path, head + "\n" + BODY, name, field) == wanted


def _period_cover(path, identity: list[str], kind: list[str], period: str):
    """A cover with a body's identity over a title printed largest and, under it, the period it covers."""
    def cover(canvas) -> float:
        canvas.setFont("Helvetica-Bold", 14)
        for n, line in enumerate(identity):
            canvas.drawString(60, 790 - 18 * n, line)
        canvas.setFont("Helvetica-Bold", 34)
        for n, line in enumerate(kind):
            canvas.drawString(60, 640 - 40 * n, line)
        canvas.setFont("Helvetica-Bold", 26)
        canvas.drawString(60, 640 - 40 * (len(kind) - 1) - 38, period)
        return 500

    return _cover_pdf(path, cover)


def test_an_annual_reports_cover_kind_with_its_period_under_it(tmp_path):
    path = _period_cover(tmp_path / "annual-report.pdf", ["NHS", "Kestermouth and District Hospitals",
                                                          "NHS Foundation Trust"], ["Annual Report", "and Accounts"],
                         "2023/24")
    assert detect(path)["title"] == "Annual Report and Accounts 2023/24"


@pytest.mark.parametrize("head, name, field, wanted", [
    # a college's name in capitals heads a release; a date a sentence says another body published is not its own
    ("ROYAL COLLEGE OF EMERGENCY MEDICINE\n\nPRESS RELEASE\n\n13 January 2025\n\nFOR IMMEDIATE RELEASE\n\n"
     "'Corridor care' now routine in three in four emergency departments, RCEM survey finds\n\nNHS England data "
     "published on 9 January 2025 showed that 61,529 patients waited more than 12 hours.\n\n", "rcem.txt", "title",
     "'Corridor care' now routine in three in four emergency departments, RCEM survey finds"),
    ("ROYAL COLLEGE OF EMERGENCY MEDICINE\n\nPRESS RELEASE\n\n13 January 2025\n\nFOR IMMEDIATE RELEASE\n\n"
     "'Corridor care' now routine in three in four emergency departments, RCEM survey finds\n\nNHS England data "
     "published on 9 January 2025 showed that 61,529 patients waited more than 12 hours.\n\n", "rcem.txt", "published",
     "2025-01-13"),
    # a title over its standfirst in one block; a footer's links run together are no title
    ("Skip to main content\nHealth New Zealand | Te Whatu Ora\nSearch\nMenu\n\nHome / Publications / Quarterly "
     "performance report: Quarter 2, 2024/25\n\nQuarterly performance report: Quarter 2, 2024/25\nThis report covers "
     "Health New Zealand's performance against the Government's health targets for the period.\n\nPublished: 14 March "
     "2025\n\nCopyright  Privacy  Accessibility  Disclaimer  Site map\nNew Zealand Government\n", "report.txt", "title",
     "Quarterly performance report: Quarter 2, 2024/25"),
    # an American release: its menu, its date month first and the office under it
    ("An official website of the Commonwealth of Massachusetts  Here's how you know\nSkip to main content\nMass.gov\n"
     "Search Mass.gov\nMenu\nLiving  Working  Learning  Visiting & Exploring  Your Government\nTranslate  Log in to...\n\n"
     "Press Release\nHealey-Driscoll Administration Releases Primary Care Task Force Report\nReport calls for a new "
     "payment model\nFOR IMMEDIATE RELEASE:\n2/20/2025\nExecutive Office of Health and Human Services\nMedia Contact\n",
     "release _ Mass.gov.txt", "publisher", "Executive Office of Health and Human Services"),
    ("An official website of the Commonwealth of Massachusetts  Here's how you know\nSkip to main content\nMass.gov\n"
     "Search Mass.gov\nMenu\nLiving  Working  Learning  Visiting & Exploring  Your Government\nTranslate  Log in to...\n\n"
     "Press Release\nHealey-Driscoll Administration Releases Primary Care Task Force Report\nReport calls for a new "
     "payment model\nFOR IMMEDIATE RELEASE:\n2/20/2025\nExecutive Office of Health and Human Services\nMedia Contact\n",
     "release _ Mass.gov.txt", "published", "2025-02-20"),
])
def test_a_fifth_held_out_set_brought(tmp_path, head, name, field, wanted):
    assert field_of(tmp_path, head + "\n" + BODY, name, field) == wanted


def test_a_laid_out_cover_with_two_columns_of_two_lines(tmp_path):
    head = (" Sallowfield and Marlbeck                                                 NHS Sallowfield and Marlbeck\n"
            " Area Prescribing Committee                                                     Integrated Care Board\n\n\n"
            "JOINT FORMULARY UPDATE\nDecisions from the APC meeting held on 14 November 2024\nIssued: December 2024\n\n"
            " Drug / product              Indication                      Decision       RAG\n"
            " Semaglutide (Wegovy®)       Weight management               Added          RED\n"
            " Rimegepant 75 mg            Acute migraine                  Added          GREEN\n")
    meta = detect_text(tmp_path, head + "\n" + BODY, "APC-formulary-update.txt")
    assert (meta["title"], meta["publisher"], str(meta["published"])) == (
        "Joint Formulary Update", "Sallowfield and Marlbeck Area Prescribing Committee", "2024-12")


@pytest.mark.parametrize("head, field, wanted", [
    ("Prescribing Matters\n\nIssue 52\nJune 2024\n\nNHS North Harrowden Integrated Care Board • Medicines Optimisation "
     "Team • for GP practices,\ncommunity pharmacies and PCN clinical pharmacists\n\n", "publisher",
     "NHS North Harrowden Integrated Care Board"),
    ("Government response to the\nIndependent Inquiry into\nMaternity and Neonatal Services\nin Kestermouth: Interim "
     "Report\n\nFebruary 2025\n\nCP 1247\n\n" + PARA + "\nThe interim report of the Independent Inquiry into Maternity "
     "and Neonatal Services in\nKestermouth, published on 9 October 2024, makes for harrowing reading.\n", "published",
     "2025-02"),
])
def test_a_masthead_s_parts_and_a_cited_report_s_date_in_commas(tmp_path, head, field, wanted):
    assert field_of(tmp_path, head + "\n" + BODY, "doc.txt", field) == wanted


@pytest.mark.parametrize("head, title", [
    # a record that names what met and the day it sat, less where and when in the day
    ("Public Document Pack\n\nCYNGOR SIR CAERWYDD\nCAERWYDD COUNTY COUNCIL\n\nMINUTES of the meeting of the Social Care "
     "and Health Overview and Scrutiny Committee held at the Council Chamber, County Hall, Llanfaes, and by remote "
     "attendance, on Monday, 13 October 2025 at 2.00 pm\n\nPRESENT: Councillor E. Prydderch (Chair)\n\n",
     "Minutes of the meeting of the Social Care and Health Overview and Scrutiny Committee held on Monday, 13 October "
     "2025"),
    # a body's name over a record that names it already is not said twice
    ("Health and Wellbeing Board\n\nMinutes of a meeting of the Health and Wellbeing Board held on Wednesday, 15 "
     "January 2025 at 2.00 pm\n\nPRESENT: Councillor J. Ames (Chair)\n\n",
     "Minutes of a meeting of the Health and Wellbeing Board held on Wednesday, 15 January 2025"),
    # a record that names no meeting keeps its date
    ("Welsh Technical Standards Board\n\nMinutes of the meeting held on 28 March 2019\n\nAttendees:\n\n",
     "Welsh Technical Standards Board: Minutes of the meeting held on 28 March 2019"),
])
def test_a_meeting_records_title(tmp_path, head, title):
    assert detect_text(tmp_path, head + BODY, "minutes.txt")["title"] == title


def test_a_wiki_page_saved_as_text_its_body_listed_by_name_and_its_last_edit(tmp_path):
    text = ("Eurostat logo\nAn official website of the European Union How do you know?\nThis site uses cookies. Visit our "
            "cookies policy page.\nAccept all cookies\nEurostat\nStatistics Explained\nSearch Statistics Explained\n\n"
            "Healthcare personnel statistics - nurses and midwives\n\nData extracted in November 2024.\nPlanned article "
            "update: December 2025.\n\n" + BODY + "\n\nThis page was last edited on 28 November 2024, at 14:05.\n")
    meta = detect_text(tmp_path, text, "Healthcare personnel statistics - Statistics Explained - Eurostat.txt")
    assert (meta["publisher"], str(meta["published"])) == ("Eurostat", "2024-11-28")


def test_a_title_line_with_a_colon_is_no_bodys_name(tmp_path):
    head = ("Washington State\nHealth Care Authority\n\n\n\nReport to the Legislature\n\n\nApple Health Behavioral Health\n"
            "Crisis Services: Mobile Crisis\nResponse Capacity\nEngrossed Substitute Senate Bill 5950; Section 211(44); "
            "Chapter 376; Laws of 2024\n\nDecember 1, 2025\n\n")
    assert detect_text(tmp_path, head + BODY, "HCA_report.txt")["title"] == (
        "Apple Health Behavioral Health Crisis Services: Mobile Crisis Response Capacity")


# -- a review's counter-examples to this stop's rules: each rule leaves alone what it was not written for ------

_REVIEWED = {
    't01_ing_title.md': ("# Improving Nursing Staffing in Community Hospitals\n\nKelbrook Health Board\n\nMarch 2025\n\n## Introduction\n\nThis paper sets out the board's approach to safe nurse staffing levels in its community hospitals.\nIt follows the Nurse Staffing Levels (Wales) Act 2016 and describes the work done since the last report.\n",
     'title', 'Improving Nursing Staffing in Community Hospitals'),
    't02_ing_title.txt': ('Planning for Housing and Wellbeing in Later Life\n\nA joint strategy for Kelbrook City Council and NHS Kelbrook Integrated Care Board\n\nMay 2025\n\nForeword\n\nOlder people in Kelbrook tell us they want to live in homes that keep them well. This strategy sets out how the council and the NHS will work together over the next five years.\n',
     'title', 'Planning for Housing and Wellbeing in Later Life'),
    't15_media_policy.txt': ('Media Policy\n\nKelbrook Teaching Hospitals NHS Foundation Trust\n\nVersion 4.0\nApproved by: Trust Management Committee\nDate approved: 14 January 2025\n\n1. Introduction\n\nThis policy sets out how staff should deal with requests from journalists and other media.\n',
     'title', 'Media Policy'),
    't43_cancer_brief.md': ('# Cancer Brief\n\nKelbrook Public Health Intelligence Team, June 2025\n\nAround 1,900 people in Kelbrook are diagnosed with cancer each year. This brief summarises incidence, survival and screening uptake.\n',
     'title', 'Cancer Brief'),
    't03_this_report.txt': ('Kelbrook Joint Strategic Needs Assessment: Children and Young People\n\nKelbrook City Council\n\nSummary\n\nThis report, published on 14 May 2025, sets out what we know about the health and wellbeing of children and young people in Kelbrook and the gaps in services that the council and its partners need to address.\n\nKey findings\n\nOne in five children in Kelbrook lives in poverty.\n',
     'published', '2025-05-14'),
    't04_strategy_published.txt': ('Our Dementia Strategy 2025 to 2030\n\nNHS Kelbrook Integrated Care Board\n\nForeword\n\nOur strategy, published 2 June 2025, describes how we will support people living with dementia and their carers across Kelbrook over the next five years.\n\nAround 6,000 people in Kelbrook are living with dementia.\n',
     'published', '2025-06-02'),
    't20_pubby_sentence.txt': ('Weight management services in Kelbrook: a review\n\nKelbrook City Council Public Health Team\n\nSummary\n\nGuidance published by NICE in January 2025 recommends that adults living with obesity are offered access to a tier 3 weight management service.\nThis review looks at how services in Kelbrook compare with that guidance and what it would cost to close the gap.\n',
     'published', None),
    't46_published_in_para.txt': ('Delivering the Long Term Plan in Kelbrook\n\nKelbrook Health and Care Partnership\n\nBackground\n\nPublished in January 2019, the NHS Long Term Plan set out the ambitions for the NHS in England over the following ten years.\nThis paper describes the progress the partnership has made against those ambitions and the work that remains.\n',
     'published', None),
    't22_published_later.txt': ('Urgent and emergency care in Kelbrook: winter review\n\nKelbrook Health and Care Partnership\n\nIntroduction\n\nLast winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites. Last winter the urgent and emergency care system in Kelbrook came under sustained pressure, with ambulance handover delays, long waits in the emergency department and high bed occupancy across both acute sites.\n\nThis review looks back at what happened, what worked and what we will do differently this year. It draws on performance data, staff surveys and the views of patients.\n\nRelated national guidance\n\nDelivery plan for recovering urgent and emergency care services\nPublished: 30 January 2023\n\nUrgent and emergency care plan 2025/26\nPublished: 6 June 2025\n\n1. What happened last winter\n\nAttendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. Attendances at the emergency department rose by 6% on the previous year. \n',
     'published', None),
    't24_cite_data.txt': ('Kelbrook Joint Strategic Needs Assessment: Population\n\nKelbrook City Council\n\nAbout the data\n\nThis chapter uses the 2021 Census. Recommended citation for the census data: Office for National Statistics (ONS), released 2 November 2022, ONS website, statistical bulletin, Population and household estimates, England and Wales: Census 2021.\n\nPopulation\n\nKelbrook has a population of 312,000, which has grown by 6% since 2011.\n',
     'published', None),
    't23_cite_accessed.txt': ('Drug-related deaths in Kelbrook\n\nKelbrook Alcohol and Drug Partnership\n\nSuggested citation: Kelbrook Alcohol and Drug Partnership. Drug-related deaths in Kelbrook. Kelbrook: KADP; 2025. Accessed from kelbrookadp.org.uk on 14 May 2025.\n\nSummary\n\nThere were 48 drug-related deaths in Kelbrook last year, the highest number since records began.\n',
     'published', '2025'),
    't25_minutes_report_date.txt': ('Kelbrook Teaching Hospitals NHS Foundation Trust\n\nAudit and Risk Committee: Minutes\n\nDate of meeting: 12 March 2025\nVenue: Board Room, Kelbrook General Hospital\n\nPresent: Mr A Patel (Chair), Mrs J Lewis, Dr K Owen\n\n1. Internal audit: data security and protection toolkit\n\nAuditor: Kelbrook Audit Services\nDate of report: 21 January 2025\nAssurance level: Reasonable\n\nThe committee received the report and noted the two medium-priority recommendations.\n',
     'published', '2025-03-12'),
    't34_enclosure.txt': ('Kelbrook Teaching Hospitals NHS Foundation Trust\nBoard of Directors\nEnclosure 9\nMarch 2025\n\nGuardian of Safe Working Hours: Quarterly Report\n\n1. Purpose\n\nThis report gives the board assurance that doctors in training are working safe hours.\n',
     'published', '2025-03'),
    't35_phase.txt': ('Kelbrook Integrated Care Board\n\nPrimary care access recovery plan: phase 2\nJune 2024\n\nIntroduction\n\nThis plan sets out how general practice in Kelbrook will make it easier for patients to get an appointment.\n',
     'published', '2024-06'),
    't05_full_council.en.vtt': ("WEBVTT\n\n00:00:01.000 --> 00:00:06.000\ngood evening everyone and welcome to this meeting of the full council\n\n00:00:06.000 --> 00:00:12.000\nI'm councillor Jane Hollis the Lord Mayor and I'll be chairing tonight\n\n00:00:12.000 --> 00:00:18.000\nit's Wednesday the 12th of March 2025 and the time is 7pm\n\n00:00:18.000 --> 00:00:24.000\nbefore we start a few housekeeping notes about the webcast\n",
     'publisher', None),
    't10_combined.en.vtt': ("WEBVTT\n\n00:00:01.000 --> 00:00:07.000\nwelcome to this meeting of the combined authority, I'm the mayor and I'll chair\n\n00:00:07.000 --> 00:00:13.000\nit's Friday the 7th of March 2025.\n",
     'publisher', None),
    't44_board_of_directors.en.vtt': ("WEBVTT\n\n00:00:01.000 --> 00:00:07.000\ngood morning and welcome to this meeting in public of the board of directors of Kelbrook Teaching Hospitals NHS Foundation Trust\n\n00:00:07.000 --> 00:00:13.000\nit's Thursday the 6th of March 2025 and we're in the education centre\n",
     'publisher', 'Kelbrook Teaching Hospitals NHS Foundation Trust'),
    't30_inquiry_cover.txt': ("Inquiry into Access to NHS Dentistry\n\nReport of the Health, Social Care and Sport Committee\n\nMarch 2025\n\nChair's foreword\n\nToo many people in Wales cannot get an NHS dental appointment when they need one.\n",
     'publisher', None),
    't32_letter_to_trust.txt': ("Ms Jane Hollis\nChief Executive\nKelbrook Teaching Hospitals NHS Foundation Trust\nKelbrook General Hospital\nInfirmary Road\nKelbrook KB1 4GH\n\n14 March 2025\n\nDear Ms Hollis\n\nMaternity services at Kelbrook General Hospital\n\nFollowing our inspection of maternity services on 4 and 5 February 2025, I am writing to set out our findings and the actions we require the trust to take.\n\nWe found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. We found that staffing levels on the labour ward were frequently below the planned level, and that escalation processes were not consistently followed. \n\x0cThe trust must send us an action plan within 28 days.\n\nYours sincerely\n\nDr Sean O'Kelly\nChief Inspector of Healthcare\n",
     'publisher', None),
    't33_healthwatch.txt': ('Skip to main content\nPart of the Healthwatch England network\nHealthwatch England\nFind your local Healthwatch\nMenu\nHome\nShare your views\nAdvice and information\nReports\nNews\n\nHome > Reports\n\nWhat people told us about GP access in Kelbrook\n\nWe heard from more than 900 people about their experiences of contacting their GP practice over the last year.\n\nPublished 3 April 2025\n\nHealthwatch Kelbrook is the independent champion for people who use health and social care services in Kelbrook.\n',
     'publisher', 'Healthwatch Kelbrook'),
    't39_wrapped_place.txt': ('An evaluation of community\ndiagnostic centres in West\nYorkshire and Harrogate\n\nFinal report\n\nKelbrook Institute for Health Research\nSeptember 2024\n\nSummary\n\nCommunity diagnostic centres were set up to move tests and scans out of hospitals.\n',
     'title', 'An evaluation of community diagnostic centres in West Yorkshire and Harrogate'),
    't28_uk_em.txt': ("EXPLANATORY MEMORANDUM ON EU DOCUMENT\n\nCOM(2023) 298 final\n\nCOMMUNICATION FROM THE COMMISSION TO THE EUROPEAN PARLIAMENT, THE COUNCIL, THE EUROPEAN ECONOMIC AND SOCIAL COMMITTEE AND THE COMMITTEE OF THE REGIONS\non a comprehensive approach to mental health\n\nSubmitted by the Department of Health and Social Care on 21 June 2023\n\nSUBJECT MATTER\n\n1. The Communication sets out the European Commission's approach to mental health across EU policies.\n",
     'title', 'Explanatory Memorandum on EU Document'),
    't47_partnership_logo.txt': ('NHS\n\nSussex Partnership\n\nNHS Foundation Trust\n\nCarers Strategy 2025 to 2028\n\nSupporting the people who support our patients\n\nIntroduction\n\nCarers play a vital role in the recovery of people who use our mental health services.\n',
     'publisher', 'Sussex Partnership'),
}


@pytest.mark.parametrize("name", sorted(_REVIEWED))
def test_a_reviews_counter_examples_to_the_new_rules(tmp_path, name):
    text, field, wanted = _REVIEWED[name]
    assert field_of(tmp_path, text, name, field) == wanted


@pytest.mark.parametrize("head, name, field, wanted", [
    ("Skip to main content\nHealth Service Executive\nFeidhmeannacht na Seirbhíse Sláinte\n\nHSE.ie uses cookies. Read "
     "our cookie statement.  OK  Manage cookies\n\nSearch\nMenu\nNews\nContact\n\nYou are here: Home / About the HSE / "
     "News and media / News / Press releases\n\nHSE publishes National Model of Care for Older People's Integrated "
     "Services\n\n16 December 2021\n\n", "hse-press-release.txt", "title",
     "HSE publishes National Model of Care for Older People's Integrated Services"),
    ("Skip to main content\nAn official website of the European Union  How do you know?\nEuropean Commission\neurostat\n"
     "English EN\nSearch\nMenu\nHome\nData\nNews\n\nThis site uses cookies. Visit our cookies policy page.\nAccept all "
     "cookies  Accept only essential cookies\n\nEurostat > Web > Products Eurostat News > Eurostat News\n\nProducts "
     "Eurostat News\n\nHospital beds per inhabitant down 6% in a decade\n18/03/2024\n\n", "ddn-20240318-1.txt", "title",
     "Hospital beds per inhabitant down 6% in a decade"),
    ("Skip to main content\nAn official website of the European Union  How do you know?\nEuropean Commission\neurostat\n"
     "English EN\nSearch\nMenu\nHome\nData\nNews\n\nThis site uses cookies. Visit our cookies policy page.\nAccept all "
     "cookies  Accept only essential cookies\n\nEurostat > Web > Products Eurostat News > Eurostat News\n\nProducts "
     "Eurostat News\n\nHospital beds per inhabitant down 6% in a decade\n18/03/2024\n\n", "ddn-20240318-1.txt",
     "publisher", "Eurostat"),
])
def test_trails_of_links_and_a_site_under_its_parent(tmp_path, head, name, field, wanted):
    assert field_of(tmp_path, head + BODY, name, field) == wanted


def test_a_cover_identity_in_two_languages_printed_largest_is_no_title(tmp_path):
    def cover(canvas) -> float:
        canvas.setFont("Helvetica-Bold", 30)
        canvas.drawString(60, 780, "HIQA")
        canvas.setFont("Helvetica-Bold", 22)
        for n, line in enumerate(["Health Information", "and Quality Authority", "An tÚdarás Um Fhaisnéis",
                                  "agus Cáilíocht Sláinte"]):
            canvas.drawString(60, 740 - 26 * n, line)
        canvas.setFont("Helvetica-Bold", 18)
        for n, line in enumerate(["Overview report on the monitoring and", "regulation of designated centres for older",
                                  "persons – 2018"]):
            canvas.drawString(60, 600 - 22 * n, line)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(60, 520, "Published: July 2019")
        return 480

    meta = detect(_cover_pdf(tmp_path / "download.pdf", cover))
    assert meta["title"].startswith("Overview report on the monitoring and regulation of designated centres")


@pytest.mark.parametrize("names, title", [
    ("Rebecca Fairlie and Jonathan Moss-Hendry", "What is happening to the GP partnership model?"),
    # two places are no byline
    ("Greater Manchester and Cheshire East", "What is happening to the GP partnership model? Greater Manchester and "
                                             "Cheshire East"),
])
def test_a_byline_of_two_names_under_a_title(tmp_path, names, title):
    head = f"Nuffield\nTrust\n\nBriefing\nMarch 2019\n\nWhat is happening to the\nGP partnership model?\n{names}\n\nSummary\n"
    assert detect_text(tmp_path, head + BODY, "briefing.txt")["title"] == title


def test_an_articles_title_the_pdf_properties_end_and_its_publisher_a_listed_name(tmp_path):
    """The printed title run on into its authors' names gives way to the properties' title where it ends; "Published
    by Elsevier B.V." names a publisher the bodies table lists."""
    path = cover_pdf(tmp_path / "1-s2.0-S0168851023000912-main.pdf", [
        ("Health Policy 127 (2023) 104796", 8, 42),
        ("Do activity-based payments reduce waiting times? Evidence from Danish hospitals Mette Holm a, Jonas "
         "Lauridsen b", 12, 82),
        *prose_lines(" ".join((PARA.split() * 3)[:308]), 142),
        ("0168-8510/© 2023 The Author(s). Published by Elsevier B.V. This is an open access article.", 7, 782)],
        title="Do activity-based payments reduce waiting times? Evidence from Danish hospitals", body_pages=0)
    meta = detect(path)
    assert meta["title"] == "Do activity-based payments reduce waiting times? Evidence from Danish hospitals"
    assert meta["publisher"] == "Elsevier"


def test_an_archived_release_its_newsroom_and_label_are_no_titles(tmp_path):
    head = ("Skip to main content\nOntario.ca\nFrançais\nNewsroom\nSearch\n\nOntario Newsroom\n\nArchived News Release\n\n"
            "This news release has been archived. Archived content is provided for reference, research or "
            "recordkeeping purposes.\n\nOntario Expanding Access to Home and Community Care for Seniors\nProvince "
            "Investing $155 Million to Connect More Patients to Care at Home\nNEWS\nJune 20, 2019\nHealth\n\n")
    meta = detect_text(tmp_path, head + BODY, "news.ontario.ca_mohltc_en_2019_06.txt")
    assert (meta["title"], str(meta["published"])) == (
        "Ontario Expanding Access to Home and Community Care for Seniors", "2019-06-20")


def test_authors_run_on_to_a_title_are_cut_and_a_short_cover_title_takes_its_period(tmp_path):
    head = ("BMJ Open\n\nOriginal research\n\nAssociation between continuity of care in general practice and emergency "
            "hospital admissions in older adults in England: a retrospective cohort study er, Oluwaseun Abara, David "
            "Hughes, Martina Vella, Peter Stanbridge\n\n")
    assert detect_text(tmp_path, head + BODY, "e029114.txt")["title"] == (
        "Association between continuity of care in general practice and emergency hospital admissions in older "
        "adults in England: a retrospective cohort study")

    path = _period_cover(tmp_path / "QualityAccount.pdf", ["Eastmere and Dunholt Partnership", "NHS Foundation Trust"],
                         ["Quality Account"], "2023/24")
    assert detect(path)["title"] == "Quality Account 2023/24"
