"""A title printed over several lines is read whole: an EU staff working document's subject wrapped onto a line in
capitals ("… establishing a European" / "Child Guarantee"), and a committee report's title whose second line
starts in lower case, which every page repeats as its header."""

from __future__ import annotations

import pytest

from tests.test_metadata import detect_text

PARA = ("This evaluation assesses how far the measures have been put in place across the Member States, what they "
        "have achieved for children and families, and what lessons can be drawn for the years ahead. ")


@pytest.mark.parametrize("subject, wrapped, after", [
    ("of the Council Recommendation (EU) 2021/1004 of 14 June 2021 establishing a European", "Child Guarantee",
     "Accompanying the document"),
    ("of the Council Recommendation of 22 May 2019 on High-Quality", "Early Childhood Education and Care Systems",
     "{SEC(2025) 190 final} - {SWD(2025) 113 final}"),
    ("of the Commission Recommendation 2013/112/EU of 20 February 2013", "‘Investing in children: breaking the cycle "
     "of disadvantage’", "EN"),
])
def test_an_eu_evaluations_subject_runs_on_to_the_lines_it_wraps_onto(tmp_path, subject, wrapped, after):
    text = ("EUROPEAN\nCOMMISSION\nBrussels, 22.1.2025\nSWD(2025) 12 final\n\nCOMMISSION STAFF WORKING DOCUMENT\n"
            f"EVALUATION\n{subject}\n{wrapped}\n{after}\n\nREPORT FROM THE COMMISSION TO THE COUNCIL\n\n" + PARA * 6)
    assert detect_text(tmp_path, text, "SWD_2025_12_F1.txt")["title"] == f"Evaluation {subject} {wrapped}"


def test_a_committee_reports_title_the_pages_repeat_is_read_once(tmp_path):
    cover = ("House of Commons\nTransport Committee\n\nTransport in rural areas: the future of\ndemand-responsive "
             "services\nTenth Report of Session 2017–19\nReport, together with formal minutes relating to the report\n"
             "Ordered by the House of Commons to be printed 2 July 2019\n\nHC 2318\nPublished on 12 July 2019\nby "
             "authority of the House of Commons\n")
    pages = [cover] + [f"Transport in rural areas: the future of demand-responsive services\n\n{PARA * 4}\n\n{n}\n"
                       for n in range(2, 7)]
    assert detect_text(tmp_path, "\f".join(pages), "HC-2318.txt")["title"] == (
        "Transport in rural areas: the future of demand-responsive services")


@pytest.mark.parametrize("text, title", [
    # a charity's name in bold, its Welsh under it, over the heading that is the title
    ("**Carers Link Cymru**  \n*Cysylltu Gofalwyr Cymru*\n\nRegistered charity no. 1154321\n\n# Hospital discharge and "
     "its impact on patient flow\n\n**Response to the Senedd Health and Social Care Committee consultation**\n\n",
     "Hospital discharge and its impact on patient flow"),
    # the report's kind over its title
    ("CITY OF TORONTO\n\nREPORT FOR ACTION\n\nCOVID-19 Eviction Prevention: Expanding the Toronto\nRent Bank and "
     "Tenant Support Services\nDate: May 19, 2020\nTo: Planning and Housing Committee\n\n",
     "COVID-19 Eviction Prevention: Expanding the Toronto Rent Bank and Tenant Support Services"),
])
def test_a_bodys_name_or_a_kind_over_the_title_is_not_the_title(tmp_path, text, title):
    name = "response.md" if text.startswith("**") else "report.txt"
    assert detect_text(tmp_path, text + PARA * 6, name)["title"] == title


def test_a_masthead_set_in_two_columns_is_read_cell_by_cell(tmp_path):
    """pdftotext -layout of a CRS In Focus: the service's name and motto beside the series and the date."""
    text = ("     Congressional Research Service" + " " * 50 + "IN FOCUS\n     Informing the legislative debate since "
            "1914" + " " * 40 + "Updated May 3, 2022\n\n\n\n Rural Hospital Closures: Federal Policy Options\n "
            + PARA * 6)
    meta = detect_text(tmp_path, text, "IF11542.txt")
    assert (meta["title"], meta["published"], meta["publisher"]) == (
        "Rural Hospital Closures: Federal Policy Options", "2022-05-03", "Congressional Research Service")


def test_an_inquirys_name_on_two_lines_over_its_interim_report_titles_it_never_its_imprint(tmp_path):
    from tests.test_metadata import _cover_pdf, detect

    def cover(canvas) -> float:
        canvas.setFont("Helvetica-Bold", 30)
        canvas.drawString(71, 625, "Harrowgate Estate")
        canvas.drawString(71, 588, "Fire Inquiry")
        canvas.setFont("Helvetica-Bold", 22)
        canvas.drawString(71, 525, "Interim Report")
        canvas.setFont("Helvetica", 12)
        canvas.drawString(71, 455, "Chair: His Honour Robert Thwaite")
        canvas.setFont("Helvetica", 9)
        canvas.drawString(71, 183, "Presented to Parliament pursuant to section 26 of the Inquiries Act 2005")
        canvas.drawString(71, 169, "HC 903")
        canvas.showPage()
        return 780.0

    path = _cover_pdf(tmp_path / "Harrowgate-Interim-Report.pdf", cover)
    assert detect(path)["title"] == "Harrowgate Estate Fire Inquiry: Interim Report"


@pytest.mark.parametrize("title, body", [
    ("Northern Ireland Outpatient Waiting Time Statistics", False), ("Health Economics", False),
    ("Public Service Ethics", False), ("West Yorkshire ICS", True), ("Harrowgate Estate Fire Inquiry", True),
])
def test_a_title_ending_in_a_word_that_ends_like_a_kind_of_body_is_no_body(title, body):
    from kb.ingest.titles import bare_body

    assert bare_body(title) is body
