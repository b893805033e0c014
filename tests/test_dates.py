"""Publication dates written in a document's text, in meta tags and in PDF info dictionaries."""

from __future__ import annotations

import pytest

from kb.ingest.extract.dates import find_date_in_text
from kb.ingest.extract.stated_dates import copyright_year, parse_meta_date, parse_pdf_date
from kb.models import PartialDate


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Integrated care: our position\n\nLast updated: 17 May 2022\n\nHealth and care...", ("2022-05-17", "day")),
        ("Report title\nPublished 20 November 2020\nBody text.", ("2020-11-20", "day")),
        ("The future of integrated care\n\nFindings from engagement.\n\n20 November 2020\n\nRead more", ("2020-11-20", "day")),
        ("Briefing\nNovember 2020\n\nText of the briefing.", ("2020-11", "month")),
        ("Title\nFirst published: 3rd March 2021\n", ("2021-03-03", "day")),
        ("Title\nDate: 2021-07-01\n", ("2021-07-01", "day")),
        ("Title\nUpdated on May 5, 2021\n", ("2021-05-05", "day")),
        ("NHS Confederation | November 2020\nText follows here.", ("2020-11", "month")),
        ("Title\nPublished: 31/01/2020\n", ("2020-01-31", "day")),
        # a converter that dropped the spaces of a cover's large type
        ("Artificial Intelligence Risk Management Framework\n\nJanuary2023\n\nText.", ("2023-01", "month")),
        ("Board papers\n\n12March2024\n\nText.", ("2024-03-12", "day")),
        # a field's name over its value, as pdftotext writes a table or a cover's columns
        ("Title\n\nReview date\n\nOctober 2026\n\nPublished\n\n3 May 2023\n", ("2023-05-03", "day")),
        ("Elm Lodge Care Home\nInspection report\n\n14 Station Road                     Date of inspection visit:\n"
         "Kirkfield                           14 August 2024\n\nTel: 01632 960123                   Date of "
         "publication:\nWebsite: www.example.co.uk           3 October 2024\n", ("2024-10-03", "day")),
        # a version table's column "Date" over its rows is no label: the edition's month under the title is
        ("Data Model\n\nEdition 1.0\n\n2004-08\n\nDate              Version   Description\n\n"
         "September 2002     Draft 01    First draft for discussion\n", ("2004-08", "month")),
        # a date in brackets begun on the line above is a source's
        ("Guidance\n\nFull review in line with NICE CKS (revised\nMay 2024); loading regimen simplified\n\n"
         "15 October 2024\n", ("2024-10-15", "day")),
        ("Report\n\nOrdered by the House of Commons to be printed 18 June 2025\n\nHC 912\n", ("2025-06-18", "day")),
        # a web page's change is not its document's edition
        ("T\n\nDocument first published: 6 February 2025\n\nPage updated: 11 February 2025\n", ("2025-02-06", "day")),
        ("T\n\nPage updated: 11 February 2025\n\nDocument first published: 6 February 2025\n", ("2025-02-06", "day")),
        # a document's update is its latest edition, beside or under its label, above or below the first
        ("T\n\nFirst published: 12 November 2024\nLast updated: 3 February 2025\n", ("2025-02-03", "day")),
        ("T\n\nLast updated\n17 March 2025\n\nPublished\n3 March 2025\n", ("2025-03-17", "day")),
        ("T\n\nFirst published May 2006\n\nThis edition July 2016\n", ("2016-07", "month")),
        ("T\n\nPage updated\n11 February 2025\n\nDocument first published\n6 February 2025\n", ("2025-02-06", "day")),
        # an NAO report's cover line, not the day its author signed it; a meeting held somewhere "on" a day
        ("Progress with community diagnostic centres\n\nHC 745 SESSION 2024–25 28 MAY 2025\n\nComptroller and "
         "Auditor General\n21 May 2025\n", ("2025-05-28", "day")),
        ("MINUTES OF THE SCRUTINY COMMITTEE\nHeld in the Council Chamber, Civic Centre, Pontygarreg, and remotely, on\n"
         "Tuesday, 11 March 2025 at 10.00 am\nPRESENT:\n", ("2025-03-11", "day")),
        # two dates joined by "and" are a period ("between" / "October 2019 and April 2022.")
        ("Received 3 June 2024\nAccepted 28 January 2025\n\nOutcomes were compared between\nOctober 2019 and April "
         "2022.\n\nMarch 2025\n", ("2025-03", "month")),
        # a periodical's masthead: its abbreviations end no sentence
        ("Morbidity and Mortality Weekly Report\n\nWeekly / Vol. 74 / No. 10 March 20, 2025\n", ("2025-03-20", "day")),
        # a masthead's parts set apart; an item of a contents list is dated as the item is
        ("Medicines Matters\n\nPrescribing bulletin for primary care clinicians | Issue 42 | February 2025\n\n"
         "In this issue\n• MHRA Drug Safety Update – January 2025\n", ("2025-02", "month")),
        # a page's kind, date and reading time in one line
        ("Unpaid carers and the cost of living\n\nPolicy briefing · 28 November 2024 · 6 minute read\n",
         ("2024-11-28", "day")),
        ("NHS Mid Pennine ICB Annual General Meeting 2024\n412 views  Streamed live on 19 Sept 2024\n\n0:00\n"
         "good afternoon and welcome, our year ran from 1st of July 2022\n", ("2024-09-19", "day")),
        # a table's row: its field's name beside its value (pandoc's simple tables)
        ("Guidance\n\n  Date approved      20 November 2024\n\n  Publication date   2 December 2024\n\n"
         "  Review date        November 2026\n", ("2024-12-02", "day")),
        # a version's line, a meeting's day with its hours; never a sentence's date wrapped on to its own line
        ("Guidance\nVersion 2.0, 14 March 2025\n\nVersion history\n1.0\n9 October 2024\n", ("2025-03-14", "day")),
        ("Board\n\nAgenda and papers\nThursday 5 June 2025, 10:00 – 13:00\n\nApril 2025\n", ("2025-06-05", "day")),
        ("Waiting lists rose from 41,000 in\nMarch 2020 to almost 61,000 in Sep\n\nNovember 2024\n",
         ("2024-11", "month")),
        # a table's column "Last updated" heads its rows' dates, not the document's
        ("Guidance\n\nMarch 2025\n\nDocument                                     Last updated\nUKHSA common "
         "infections       12 January 2024\n", ("2025-03", "month")),
        # a meeting's record: when the meeting sat, at the start of its line
        ("Minutes\n\nHeld on Thursday 5 September 2024 at 9:30am, in the Conference Room, 360 Bristol\n",
         ("2024-09-05", "day")),
        # a House's paper: the day it was published, not the day it was ordered to be printed
        ("Making rehabilitation work\n\nOrdered to be printed 12 March 2024 and published 26 March 2024\n",
         ("2024-03-26", "day")),
    ],
)
def test_finds_the_date_a_document_presents_as_its_own(text, expected):
    assert find_date_in_text(text) == PartialDate(*expected)


def test_a_date_under_a_fieldwork_line_is_the_documents():
    text = "Teesside University\nConducted by YouGov\nFieldwork Dates: 22nd -29th May 2018\nAugust 29, 2018\n"
    assert find_date_in_text(text) == PartialDate("2018-08-29", "day")


@pytest.mark.parametrize("text", [
    "Enter and View report\n\nService provider\n\n23 October 2024, 10.00 am – 1.00 pm\n\nDate and time of visit\n",
    "Enter and View report\n\nDate of visit\n\n23 October 2024\n\nVisit team\n",
])
def test_a_visits_date_is_not_its_reports(text):
    """Whichever side of its value a converter puts the field's name."""
    assert find_date_in_text(text) is None


def test_a_registrys_stamp_is_the_day_it_was_received_not_published():
    assert find_date_in_text("Ref. Ares(2025)10452387 - 28/11/2025\n\nSecuring Chip Access\n\nSubmission\n") is None


def test_an_item_of_a_list_is_dated_as_the_item_is_not_as_the_document():
    assert find_date_in_text("Medicines Matters\n\nIn this issue\n• MHRA Drug Safety Update – January 2025\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "NHSEI is inviting views on its proposed legislative options by Friday 8 January 2021. At the end...",
        "Two proposals for how ICSs could be embedded in legislation by April 2022, subject to decision.",
        "The resulting NHS Long Term Plan, published in January 2019, included actions on workforce.",
        "by April 2022",
        "Reference mar2023\n\nText.",
        # counter-examples: an agenda's item, an earlier version, a table's column, a link's or a reference's date
        "Agenda\n\n3.  Minutes of the previous meeting                        Chair\n    held on 12 March 2025\n",
        "Infection Prevention and Control Policy\n\nThis policy replaces Version 2.0, 12 January 2022 in full.\n",
        "This document updates https://www.x.nhs.uk/docs/QualityAccount-June2023.pdf and Ref: ICB/FIN/12March2024/07\n",
        "Minutes\n\nDate of next meeting\nThursday 4 September 2025, 10:00 – 13:00\n",
        "Agenda\n\n3. Minutes of the previous meeting [Minutes, 15/01/2025 PDF 214 KB](#)\n",
        "Minutes\n\nThe minutes of the meeting held on 4 July 2024 were approved as a true record.",
        "Minutes\n\nMinutes of the meeting held on 4 July 2024 were approved as a true record.",
        "Agenda\n\n4      10:25    Minutes of the meeting held on 28 November 2024    Chair       Approve",
        "Since April 2021 all of England has been covered by ICSs.",
        "Disclaimer: The views expressed are the authors'. Comments may be sent to water@gov.in by 31\n\n"
        "August 2018.\n",
        # a transcript's sentence about a witness statement, wrapped onto the next numbered line
        "14      MS ELLWOOD: Mr Lowther, you have provided a witness statement to the\n\n15      Inquiry dated 4 "
        "December 2023. Could we have that on\n",
        "No dates at all in this text.",
        "",
    ],
)
def test_ignores_dates_inside_sentences_about_something_else(text):
    assert find_date_in_text(text) is None


def test_labelled_date_beats_an_earlier_bare_month_line():
    text = "November 2020\nSome heading\nLast updated: 17 May 2022\n"
    assert find_date_in_text(text) == PartialDate("2022-05-17", "day")


def test_looks_only_near_the_top():
    text = "word " * 400 + "\nPublished 20 November 2020\n"
    assert find_date_in_text(text) is None


def test_impossible_dates_are_not_dates():
    assert find_date_in_text("Title\n31 February 2021\n") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-11-20T09:30:00+00:00", ("2020-11-20", "day")),
        ("2020-11-20", ("2020-11-20", "day")),
        ("2020-11", ("2020-11", "month")),
        ("2020", ("2020", "year")),
        ("20 November 2020", ("2020-11-20", "day")),
        ("2020/11/20", None),
        ("soon", None),
        ("", None),
    ],
)
def test_meta_dates(value, expected):
    assert parse_meta_date(value) == (PartialDate(*expected) if expected else None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("D:20201127093000+00'00'", ("2020-11-27", "day")),
        ("D:20201127", ("2020-11-27", "day")),
        ("D:202011", ("2020-11", "month")),
        ("D:20201345", None),
        ("garbage", None),
    ],
)
def test_pdf_dates(value, expected):
    assert parse_pdf_date(value) == (PartialDate(*expected) if expected else None)


def _footed_pdf(path, footer: str, pages: int = 3):
    """A PDF of ``pages`` pages of body text, each with ``footer`` at its foot and a page number."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(60, 780, f"Section {number}: who can apply for a certificate")
        canvas.drawString(60, 760, "Patients are eligible if they are pregnant or have given birth in the last year.")
        canvas.setFont("Helvetica", 8)
        canvas.drawString(60, 40, footer)
        canvas.drawString(520, 40, str(number))
        canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("footer, expected", [
    ("Maternity exemption certificate guidance (V4) 02.2024", ("2024-02", "month", "text")),
    ("Maternity exemption certificate guidance, March 2023", ("2023-03", "month", "text")),
    ("Maternity exemption certificate guidance. Next review 02.2026", None),
    ("Printed copies are uncontrolled 02.2024", None),
])
def test_a_running_footer_dates_the_edition_but_not_a_review_or_print_date(tmp_path, footer, expected):
    from kb.ingest.extract import extract_file

    extraction = extract_file(_footed_pdf(tmp_path / "guidance.pdf", footer))
    found = extraction.metadata.get("published")
    source = extraction.metadata["sources"].get("published")
    if expected is None:
        assert source != "text"
    else:
        assert (found.value, found.precision, source) == expected


# -- dates of this document, in other languages and forms ---------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Comité de démolition\nSéance publique du 20 juin 2023\n", ("2023-06-20", "day")),
        ("Ref. Ares(2025)10390297\n\n27.11.2025\n\nDear Commissioner,", ("2025-11-27", "day")),
        ("Informe anual\n4 de octubre de 2022\n", ("2022-10-04", "day")),
        ("Stellungnahme\n27. November 2025\n", ("2025-11-27", "day")),
        ("National Hydro Network\nEdition 1.0\n\n2004-08\n\nGouvernement du Canada", ("2004-08", "month")),
        ("NICS Firearm Background Checks November - 2015\n", ("2015-11", "month")),
    ],
)
def test_dates_in_other_languages_and_numeric_forms(text, expected):
    assert find_date_in_text(text) == PartialDate(*expected)


def test_a_financial_year_inside_a_line_is_not_a_month():
    assert find_date_in_text("Annual report and accounts 2011-12 for the Trust board\n") is None


def test_the_latest_labelled_edition_is_this_documents_date():
    text = "Understanding Breast Cancer\n\nFirst published May 2006. This edition July 2016.\n"
    assert find_date_in_text(text) == PartialDate("2016-07", "month")


@pytest.mark.parametrize("line", [
    "This guidance follows NICE guideline NG133 (published 25 June 2019).",
    "It builds on the NHS Long Term Plan, which was published on 7 January 2019 by NHS England.",
])
def test_a_cited_documents_publication_date_is_not_this_documents(line):
    text = f"Prescribing guidance: hypertension in pregnancy\n{line}\nMarch 2024\n"
    assert find_date_in_text(text) == PartialDate("2024-03", "month")
    assert find_date_in_text(f"Prescribing guidance: hypertension in pregnancy\n{line}\n") is None


@pytest.mark.parametrize("name, expected", [
    ("board-papers-january-2025.md", ("2025-01", "month")),
    ("2025-09-23-board-minutes.txt", ("2025-09-23", "day")),
    ("minutes_20250923.txt", ("2025-09-23", "day")),
    ("notes-23-09-2025.txt", ("2025-09-23", "day")),
    ("annual-report-2011-12.pdf", None),
    ("report-v2.pdf", None),
    ("nhs-england-board-meeting-23-september-2025.txt", ("2025-09-23", "day")),
    ("minutes_23rd_Sept_2025.md", ("2025-09-23", "day")),
    ("draft-v2-march-2025.md", ("2025-03", "month")),
    ("issue-2-march-2025.pdf", ("2025-03", "month")),
    ("top-10-june-2024.pdf", ("2024-06", "month")),
    ("meeting-3rd-may-2024.md", ("2024-05-03", "day")),
    ("HW-Calderbridge-Waiting-Well-Feb2025.pdf", ("2025-02", "month")),
    ("decision2024.md", None),
    ("summary2019.pdf", None),
])
def test_the_date_a_file_name_carries(name, expected):
    from kb.ingest.extract.stated_dates import date_in_file_name

    assert date_in_file_name(name) == (PartialDate(*expected) if expected else None)


@pytest.mark.parametrize("line", ["Annual report 1 April 2022 to 31 March 2023",
                                  "Annual report and accounts for the year ended 31 March 2023"])
def test_a_reporting_period_does_not_date_the_report(line):
    assert find_date_in_text(f"{line}\n\n" + "The trust met its targets this year. " * 3) is None
    assert find_date_in_text(f"{line}\n\nPublished: 14 July 2023\n") == PartialDate("2023-07-14", "day")


@pytest.mark.parametrize("line", ["Review date: March 2026", "Date of next review: March 2026",
                                  "Next meeting: 12 May 2023", "Consultation closes 12 May 2023",
                                  "Expiry date: 1 April 2027", "Effective from 1 April 2024"])
def test_a_date_labelled_as_another_events_does_not_date_the_document(line):
    assert find_date_in_text(f"Freedom of information policy\n\n{line}\n\nThe trust publishes ...") is None
    # ... and does not hide the document's own date beside it.
    found = find_date_in_text(f"Freedom of information policy\n\n{line}\n\nPublished: 3 May 2021\n")
    assert found == PartialDate("2021-05-03", "day")


def test_the_date_of_a_word_file_a_pdf_was_printed_from_is_labelled_as_the_pdfs_properties(tmp_path):
    """"Microsoft Word - Award of bids - August 2016.docx" in the info Title names a file, not the document:
    its date is used only when nothing else dates it, and then as a weak value from the PDF's properties."""
    from test_metadata import cover_pdf, detect

    path = cover_pdf(tmp_path / "award.pdf", [("Contracts awarded under the transport project", 11, 100)],
                     title="Microsoft Word - Award of bids - August 2016.docx")
    meta = detect(path)
    assert (meta["published"], meta["provenance"]["published"]) == ("2016-08", "pdf-info")
    assert "printed from" in meta["provenance"]["evidence"]["published"]["text"]
    from kb.ingest.review import problems

    doc = dict(meta, source="award.pdf")
    assert ("date", "weak: from pdf-info") in problems(doc)


def test_a_date_alone_on_a_line_dates_a_letter_only_at_its_start_or_end(tmp_path):
    """A submission is signed at its end; a date alone on a line in the middle of a long report is a table's or
    a timeline's, not the day the report was published."""
    from test_metadata import PARA, detect

    pages = ["Review of library services\n\n" + PARA] + [PARA * 2] * 8
    middle = list(pages)
    middle[4] += "\n\n30th April 2011\n\n"
    (tmp_path / "middle.txt").write_text("\f".join(middle), "utf-8")
    assert detect(tmp_path / "middle.txt")["published"] is None
    end = list(pages)
    end[-1] += "\n\n30th April 2011\n\n"
    (tmp_path / "end.txt").write_text("\f".join(end), "utf-8")
    assert detect(tmp_path / "end.txt")["published"] == "2011-04-30"


@pytest.mark.parametrize("line", ["This report builds on Our Plan for Patients Published 12 May 2015",
                                  "Replaces the NHS Constitution Handbook Updated 3 March 2015"])
def test_a_capitalised_label_closing_a_cited_title_is_the_cited_documents_date(line):
    assert find_date_in_text(f"Prescribing guidance\n{line}\n") is None
    assert find_date_in_text("Prescribing guidance\nAuthors Jane Example, Ann Sample Date 05/09/2023 Version 2.1\n") \
        == PartialDate("2023-09-05", "day")


@pytest.mark.parametrize("text, year", [
    ("Title\n\n© Crown copyright 2019\n\nPublished to GOV.UK in pdf format only.", "2019"),
    ("© WHO African Region, 2024\nSome rights reserved.", "2024"),
    ("Copyright © 2016 Cancer Council Australia", "2016"),
    ("(c) 2021 The King's Fund", "2021"),
    ("© NHS England 2012–2024", None),  # a range: which edition is this?
    ("© NHS England 2023\n\n© NHS England 2022", None),  # two years
    ("Copyright, Designs and Patents Act 1988", None),  # a cited act
    ("This report is subject to copyright and was first issued in 2020 by the board of the trust.", None),
    ("Published 2020. All rights reserved.", None),  # no copyright line
    ("© 2012 - 2024 NHS England", None),
    ("Copyright Act, 1957 applies", None),
    ("© World Health Organization 2020. Some rights reserved.", "2020"),
    ("© Queen's Printer for Ontario, 2012. Revised 2019", "2012"),  # the copyright's year, not a revision's
])
def test_a_copyright_line_gives_one_year_or_none(text, year):
    found = copyright_year(text)
    assert (found[0].value if found else None) == year


def test_a_day_month_year_with_dashes_is_a_date_but_a_reference_number_is_not():
    from kb.ingest.extract.dates import dates_in_line, find_dated_line

    assert find_dated_line("BOLETIM Nº 266/2025\n\nACTUALIZADO: 30-09-2025, às 18h\n\nText.")[0].value == "2025-09-30"
    assert dates_in_line("Résolution DM-2023-001, demande 2023-0379") == []
    assert dates_in_line("09-30-2025") == []  # no thirtieth month: never read as another date


def test_a_date_with_its_month_abbreviated_between_hyphens():
    from kb.ingest.extract.dates import dates_in_line

    assert [d.value for _s, _e, d in dates_in_line("Updated Tuesday, 02-Apr-2025 10:15:33 CDT")] == ["2025-04-02"]


@pytest.mark.parametrize("line, wanted", [("2/20/2025", "2025-02-20"), ("12/13/2025", "2025-12-13"),
                                          ("02/03/2025", "2025-03-02"), ("13/13/2025", None)])
def test_an_american_date_only_where_no_british_one_fits(line, wanted):
    from kb.ingest.extract.dates import dates_in_line

    found = dates_in_line(line)
    assert (found[0][2].value if found else None) == wanted


def test_a_season_alone_on_a_cover_gives_its_year_never_a_period_or_a_sentence():
    from kb.ingest.extract.dates import find_dated_line

    assert find_dated_line("Connecting Wyvern\nTransport Strategy 2040\n\nSpring 2016\n")[0].value == "2016"
    assert find_dated_line("Winter plan\n\nWinter 2024/25\n") is None
    assert find_dated_line("In spring 2016 we consulted on the plan, and in Summer 2017 we adopted it.\n") is None


def test_the_days_a_visit_took_do_not_date_its_report_and_the_forewords_signature_does(tmp_path):
    from kb.ingest.extract import extract_file

    path = tmp_path / "inspection.txt"
    path.write_text("Report on an unannounced inspection of HMP Fenmoor\n\n3–14 June 2019\n\n\f"
                    "Introduction\n\n" + "The prison had improved since our last visit. " * 30 + "\n\nRichard Pennock\n"
                    "HM Chief Inspector of Prisons\nSeptember 2019\n\f" + "Section 1. Safety. " * 50, "utf-8")
    assert extract_file(path).metadata["published"].value == "2019-09"


@pytest.mark.parametrize("dateline, expected", [
    ("Abuja, Monday, 26th April, 2021 – The Nigerian Communications Commission has urged all subscribers",
     ("2021-04-26", "day")),
    ("GENEVA, 12 May 2019 - The World Health Organization today published new guidance on", ("2019-05-12", "day")),
    ("Wellington, 3 March 2022: The Minister announced that the trial will be extended", ("2022-03-03", "day")),
])
def test_a_news_releases_dateline_dates_it_not_the_dates_its_story_cites(dateline, expected):
    text = ("NIGERIAN COMMUNICATIONS COMMISSION\n\nPRESS RELEASE\n\nNCC URGES SUBSCRIBERS TO COMPLETE VERIFICATION\n\n"
            f"{dateline} to do so before the 30th June, 2021 deadline approved by the Federal Government.\n\n"
            "The Commission stated that, as of 21st April, 2021, over 54 million numbers had been submitted.\n")
    assert find_date_in_text(text) == PartialDate(*expected)


def test_a_sentence_that_starts_with_a_place_and_a_date_inside_a_report_is_no_dateline():
    text = ("Annual report\n\n" + "The board met often and reviewed its plans with care and attention. " * 60
            + "\n\nLondon, 5 March 2024 – The board approved the plan.\n")
    assert find_date_in_text(text) is None


@pytest.mark.parametrize("table", [
    "Version\n\n3.1\n\nDate approved\n\n11/09/2023\n\nDate of issue\n\n20/09/2023\n\nReview date\n\nSeptember 2026\n",
    "Approved by: Area Prescribing Committee\nDate approved: 11/09/2023\nDate of issue: 20/09/2023\nReview date: 09/2026\n",
    "Issue date: 20/09/2023\nApproval date: 11/09/2023\nNext review: September 2026\n",
])
def test_a_document_control_tables_issue_date_dates_it_not_its_approval_or_review(table):
    text = "NHS\n\nMid Mercia Area Prescribing Committee\n\nVitamin D Prescribing Guidance for Adults\n\n" + table
    assert find_date_in_text(text) == PartialDate("2023-09-20", "day")


@pytest.mark.parametrize("text, expected", [
    ("Infection Prevention Bulletin | May 2024\n\nEarlier guidance is withdrawn:\n\nDepartment of Health, 12 May 2021 – "
     "Guidance on infection control in care homes\n", ("2024-05", "month")),
    ("Policy briefing | June 2021\n\nThe programme so far\n\nCoventry, 8 December 2020 – Margaret Keenan is the first "
     "person to be vaccinated.\n", ("2021-06", "month")),
])
def test_a_timelines_or_references_place_and_date_is_no_dateline(text, expected):
    assert find_date_in_text(text) == PartialDate(*expected)
