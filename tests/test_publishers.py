"""Publishers stated by the documents themselves: each rule on a small generated document, and where it must
not fire (a wrong publisher is worse than none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_fixtures import html_page
from test_metadata import PARA, cover_pdf, detect, detect_text, prose_lines


def text_doc(tmp_path: Path, body: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(body, "utf-8")
    return path


def lines_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one 11 pt line per entry; an empty entry leaves a paragraph gap."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    for lines in pages:
        canvas.setFont("Helvetica", 11)
        y = 780.0
        for line in lines:
            if line:
                canvas.drawString(60, y, line)
            y -= 14 if line else 20
        canvas.showPage()
    canvas.save()
    return path


# -- written evidence to a parliamentary committee ------------------------------------------------------------


def test_written_evidence_with_its_committee_reference_is_the_uk_parliaments(tmp_path):
    path = lines_pdf(tmp_path / "evidence.pdf", [[
        "Written evidence from Ann Example and Ben Sample, Centre for Health Data Research,",
        "Example University (RTP0022)", "",
        "We submit this response in a personal capacity. We hope the Committee will consider it.", "",
        PARA[:90], "", "28 February 2018"]])
    meta = detect(path)
    assert (meta["publisher"], meta["provenance"]["publisher"]) == ("UK Parliament", "text")


def test_evidence_without_a_committee_reference_names_no_publisher(tmp_path):
    path = lines_pdf(tmp_path / "evidence.pdf", [[
        "Written evidence from the Example Research Centre", "", PARA[:90], "", "28 February 2018"]])
    assert detect(path)["publisher"] is None


# -- a name stops at the end of its line -----------------------------------------------------------------


def test_a_gov_uk_cover_names_the_department_without_the_document_type_below_it(tmp_path):
    path = lines_pdf(tmp_path / "page.pdf", [
        ["Government response to the rapid review - GOV.UK", "", "Department", "of Health &", "Social Care", "",
         "Policy paper", "", "Government response to the rapid review", "", "Published 21 March 2024"],
        ["© Crown copyright 2024", "", "This publication is licensed under the terms of the Open Government Licence."],
    ])
    meta = detect(path)
    assert (meta["publisher"], meta["provenance"]["publisher"]) == ("Department of Health and Social Care", "text")


@pytest.mark.parametrize("imprint, publisher", [
    ("Published by the Department of Health and\nSocial Care", "Department of Health and Social Care"),
    ("Published by NHS England\nand NHS Improvement", "NHS England and NHS Improvement"),
    ("Published by Yeovil District Hospital NHS Foundation\nTrust", "Yeovil District Hospital NHS Foundation Trust"),
    ("Published by NHS England\nPolicy Team", "NHS England"),
])
def test_a_name_runs_over_a_line_break_only_inside_itself(tmp_path, imprint, publisher):
    path = text_doc(tmp_path, "A review of community services\n\n" + PARA + "\n\n" + imprint + "\n")
    assert detect(path)["publisher"] == publisher


# -- a contact mailbox ------------------------------------------------------------------------------------


@pytest.mark.parametrize("contact, publisher", [
    ("Enquiries can be e-mailed to PHA-OHID@dhsc.gov.uk", "Office for Health Improvement and Disparities"),
    ("Enquiries can be e-mailed to enquiries@dhsc.gov.uk", "Department of Health and Social Care"),
    ("Enquiries can be e-mailed to research.team@example.ac.uk", None),
])
def test_a_mailbox_names_the_body_within_its_department(tmp_path, contact, publisher):
    path = text_doc(tmp_path, "Method for the slope index of inequality\n\nJanuary 2024\n\n" + PARA + "\n\n5. Contact\n\n"
                    + contact + "\n")
    assert detect(path)["publisher"] == publisher


# -- a document that speaks as the body -----------------------------------------------------------------------


@pytest.mark.parametrize("sentence, publisher", [
    ("We are clear that all our work at NHSX should be founded on user need.", "NHSX"),
    ("At the King's Fund, we believe that care should be joined up.", "King's Fund"),
    ("We thank our colleagues at NHS Digital for the data.", None),
    ("We thank our partners at the Health Foundation for their support.", None),
    ("“All our work at NHS England has changed,” one manager told us.", None),
    ("At the NHS Confederation Expo, we have seen how systems work.", None),
])
def test_a_document_speaking_as_a_body_names_it_and_thanks_to_others_do_not(tmp_path, sentence, publisher):
    path = text_doc(tmp_path, "Listening to digital health innovators\n\n" + PARA + "\n\n" + sentence + "\n\n" + PARA)
    assert detect(path)["publisher"] == publisher


def test_a_web_page_pointing_to_our_own_website_names_its_body(tmp_path):
    body = ("<h1>Introduction to the quality framework for data linkage</h1><p>" + PARA + "</p>"
            '<p>To find out more about what the team is up to, visit <a href="https://example.github.io/ds/">our '
            "NHS England data science website</a>.</p>")
    path = text_doc(tmp_path, html_page("Framework intro", body), "page.html")
    meta = detect(path)
    assert (meta["publisher"], meta["provenance"]["publisher"]) == ("NHS England", "text")


POLICY = ("Freedom of information policy\n\nVersion 2.3, January 2017\n\n1. RATIONALE\n{named} regards the Freedom "
          "of Information Act 2000 as an important mechanism.\n\n" + PARA + "\n\nThe Trust Publication Scheme is a "
          "guide to the information routinely published by the Trust. It describes the information about {our}, "
          "which we make publicly available.\n")


@pytest.mark.parametrize("named, our, publisher", [
    ("Yeovil District Hospital NHS Foundation Trust", "our Trust", "Yeovil District Hospital NHS Foundation Trust"),
    ("Leeds City Council", "our Council", "Leeds City Council"),
    # two trusts named: which is "our Trust" is not said
    ("Yeovil District Hospital NHS Foundation Trust, like Somerset NHS Foundation Trust,", "our Trust", None),
    # only a generic name: no body to give
    ("As an NHS Foundation Trust, the Trust", "our Trust", None),
    # the document never speaks as the body
    ("Yeovil District Hospital NHS Foundation Trust", "the Trust", None),
    # "our trust" as confidence, not a body
    ("Yeovil District Hospital NHS Foundation Trust", "the public's and our trust in data", None),
    # "our network" is said of many things: not read as the author
    ("West Yorkshire Academic Health Science Network", "our network", None),
])
def test_our_trust_names_the_one_trust_the_document_names(tmp_path, named, our, publisher):
    path = text_doc(tmp_path, POLICY.format(named=named, our=our))
    assert detect(path)["publisher"] == publisher


def test_a_papers_our_trust_is_where_its_authors_work_not_its_publisher(tmp_path):
    path = text_doc(tmp_path, "Discharge summaries: a clinical audit\n\nAbstract\n\nWe audited discharge summaries at "
                    "our Trust, Leeds Teaching Hospitals NHS Trust. " + PARA + "\n\nKeywords: audit, discharge\n")
    assert detect(path)["publisher"] is None


def test_a_markdown_export_of_a_lab_report_names_its_network(tmp_path):
    path = text_doc(tmp_path, "# Impact of the pandemic on young people's mental health\n\n## Introduction\n\n"
                    "The Networked Data Lab (NDL) is a collaborative network of analysts who use linked data.\n\n"
                    "Our lab, North West London (NWL), is a partnership between local NHS bodies.\n\n" + PARA,
                    "report.md")
    meta = detect(path)
    assert (meta["publisher"], meta["provenance"]["publisher"]) == ("Networked Data Lab", "text")


# -- general evidence: imprints, copyright lines, the document's own addresses ----------------------------


def _text_doc(tmp_path: Path, text: str, name: str = "doc.txt") -> dict:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return detect(path)


def test_an_imprint_presented_to_parliament_names_the_ministers_department(tmp_path):
    text = ("Government response to the rapid review\n\nPresented to Parliament by the Secretary of State for Health "
            "and Social Care by Command of His Majesty\n\nJune 2024\n\nCP 1111\n\n" + PARA * 3)
    meta = _text_doc(tmp_path, text)
    assert meta["publisher"] == "Department of Health and Social Care"
    assert meta["provenance"]["evidence"]["publisher"]["text"].startswith("Presented to Parliament by")


def test_an_imprint_a_converter_set_on_three_lines_names_the_ministers_department(tmp_path):
    text = ("# **Government response to the Committee report on community diagnostic centres**\n\n"
            "Presented to Parliament\nby the Secretary of State for Health and Social Care\nby Command of His Majesty"
            "\n\nOctober 2024\n\nCP 1187\n\n" + PARA * 3)
    assert _text_doc(tmp_path, text, "response.md")["publisher"] == "Department of Health and Social Care"


@pytest.mark.parametrize("imprint, publisher", [
    ("Ordered to be printed 12 March 2024 and published 26 March 2024\n\nPublished by the Authority of the House of "
     "Lords\n\nHL Paper 64\nPublic Services Committee", "House of Lords"),
    ("Published on 23 April 2024\nby authority of the House of Commons\nThe Health and Social Care Committee",
     "House of Commons"),
])
def test_a_house_that_authorises_a_paper_publishes_it(tmp_path, imprint, publisher):
    assert _text_doc(tmp_path, "Making rehabilitation work\n\n" + imprint + "\n\n" + PARA * 3)["publisher"] == publisher


def test_a_licences_address_names_no_publisher(tmp_path):
    text = ("Implementation of virtual wards in England: a qualitative study\n\n" + PARA * 3 + "\n\n© The Author(s) "
            "2024. Open Access This article is licensed under a Creative Commons Attribution 4.0 International License."
            " To view a copy of this licence, visit http://creativecommons.org/licenses/by/4.0/.\n")
    assert _text_doc(tmp_path, text)["publisher"] is None


def test_a_parts_own_address_on_the_cover_names_it_over_its_parents_mailboxes(tmp_path):
    pages = ["Research Briefing\nBy Rebecca Linford,\nTom Ashby-Clarke\n3 February 2025\n\nAccess to GP services in"
             "\nEngland\n\ncommonslibrary.parliament.uk\n",
             "Disclaimer\n\nIf you have any comments please email papers@parliament.uk.\n\n" + PARA,
             "Access to GP services in England\n\n" + PARA * 2, "Access to GP services in England\n\n" + PARA * 2]
    meta = _text_doc(tmp_path, "\f".join(pages))
    assert (meta["title"], meta["publisher"]) == ("Access to GP services in England", "House of Commons Library")


def test_a_minister_who_only_confirmed_a_document_is_not_its_publisher(tmp_path):
    text = ("Byelaws for regulating the use of libraries\n\n" + PARA * 3 + "\n\nThe foregoing byelaws are confirmed "
            "on behalf of the Secretary of State for National Heritage by the Head of Libraries\n")
    assert _text_doc(tmp_path, text)["publisher"] is None


@pytest.mark.parametrize("line, publisher", [
    ("© Cancer Council Australia 2016. ISBN 978 1 925136 98 2", "Cancer Council Australia"),
    ("Copyright © 2024 Centre for Future Generations. All rights reserved.", "Centre for Future Generations"),
    ("The Digital Millennium Copyright Act of 1998: U.S. Copyright Office Summary", None),
])
def test_a_copyright_line_names_the_publisher_and_a_name_with_copyright_in_it_does_not(tmp_path, line, publisher):
    assert _text_doc(tmp_path, "Understanding the guidance\n\n" + PARA * 2 + "\n\n" + line + "\n")["publisher"] == publisher


@pytest.mark.parametrize("contact, publisher", [
    ("These free publications are available from the Internal Revenue Service at www.irs.gov.",
     "Internal Revenue Service"),
    ("IG Metall Vorstand, Wilhelm-Leuschner-Straße 79. Contact: vorstand@igmetall.de", "IG Metall"),
    ("World Health Organization, Regional Office for Africa. https://www.who.int/", "World Health Organization"),
])
def test_the_documents_own_address_names_the_body_whose_name_it_spells(tmp_path, contact, publisher):
    text = "Feedback on the consultation\n\n" + PARA * 3 + "\n\n" + contact + "\n"
    assert _text_doc(tmp_path, text)["publisher"] == publisher


def test_addresses_that_spell_different_bodies_name_none(tmp_path):
    text = ("Feedback on the consultation\n\n" + PARA * 3 + "\n\nSee the Internal Revenue Service (www.irs.gov) and "
            "the Federal Aviation Administration (www.faa.gov).\n")
    assert _text_doc(tmp_path, text)["publisher"] is None


def test_a_cited_bodys_address_in_the_middle_of_a_long_document_is_not_its_publisher(tmp_path):
    pages = ["Feedback on the consultation\n\n" + PARA] + [PARA * 2] * 3
    pages[2] += "\nThe Internal Revenue Service publishes its rules at www.irs.gov.\n"
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] is None


def test_a_mailbox_on_the_cover_names_the_body_the_shipped_table_lists_for_its_domain(tmp_path):
    # The document never prints "Natural Resources Canada": the table of public bodies says whose domain it is.
    pages = ["Level 1 data model\n\nContact: info@RNCan.gc.ca\n\n" + PARA, PARA * 3, PARA * 3]
    meta = _text_doc(tmp_path, "\f".join(pages))
    assert meta["publisher"] == "Natural Resources Canada"
    assert meta["provenance"]["evidence"]["publisher"] == {"text": "Contact: info@RNCan.gc.ca", "page": 1}
    unknown = ["Level 1 data model\n\nContact: info@example-mapping.ca\n\n" + PARA, PARA * 3, PARA * 3]
    assert _text_doc(tmp_path, "\f".join(unknown), "b.txt")["publisher"] is None


def test_a_listed_domain_in_a_long_pages_references_is_not_the_publisher(tmp_path):
    # A reference list on the last page cites a listed body's site: a citation, not a contact block.
    pages = ["Feedback on the consultation\n\n" + PARA * 2, PARA * 3,
             PARA * 8 + "\nReferences: guidance at https://www.nice.org.uk/guidance/ng28\n"]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] is None


def test_the_site_most_links_go_to_names_the_body_whose_name_it_spells(tmp_path):
    pages = ["Instructions for the return\n\nInternal Revenue Service\n\n" + PARA]
    pages += [PARA + f"\nSee www.irs.gov/form{n} for the form.\n" + PARA for n in range(6)]
    pages += [PARA * 2 + "\nSee also www.ssa.gov.\n"]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] == "Internal Revenue Service"


def test_the_site_most_links_go_to_is_not_a_publisher_when_it_names_a_programme(tmp_path):
    pages = ["Opinion poll findings\n\nGreat North Care Record\n\n" + PARA]
    pages += [PARA + "\nwww.greatnorthcarerecord.org.uk\n" for _ in range(6)] + ["Thank you\n\n" + PARA]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] is None


@pytest.mark.parametrize("cover, publisher", [
    ("COUNCIL OF THE CITY OF WINNIPEG\nWednesday, November 6, 2013", "Council of the City of Winnipeg"),
    ("Submission to the Chips Act Public Consultation\nCentre for Future Generations", "Centre for Future Generations"),
])
def test_a_cover_line_naming_a_body_is_its_publisher(tmp_path, cover, publisher):
    meta = _text_doc(tmp_path, cover + "\n\n" + PARA * 3)
    assert meta["publisher"] == publisher


def test_an_acronym_publisher_is_given_as_the_name_the_document_spells_out(tmp_path):
    text = ("Cybersecurity snapshot\n\n© 2023 GAO\n\n" + PARA + "\n\nThe U.S. Government Accountability Office (GAO) "
            "reviewed the strategy.\n")
    assert _text_doc(tmp_path, text)["publisher"] == "U.S. Government Accountability Office"


def test_a_ministrys_acronym_spelled_out_in_the_text_beats_a_listed_body_with_the_same_initials(tmp_path):
    # HUD is also the U.S. Department of Housing and Urban Development, which the table lists
    text = ("Media release\n\n17 March 2025\n\nEmergency housing motel use falls\n\n" + PARA + "\n\nFigures released "
            "today by the Ministry of Housing and Urban Development (HUD) show a fall.\n\nMedia contact: HUD Media Team, "
            "media@hud.govt.nz\n")
    assert _text_doc(tmp_path, text)["publisher"] == "Ministry of Housing and Urban Development"


@pytest.mark.parametrize("title, publisher", [
    ("The National Health Action Party Election Manifesto 2017", "The National Health Action Party"),
    ("Austrian Federal Economic Chamber (WKÖ) Position Paper", "Austrian Federal Economic Chamber"),
    ("Review of the Care Quality Commission", None),
    ("Government Response to the Infected Blood Inquiry", None),
])
def test_a_title_that_starts_with_a_body_before_a_kind_of_document_names_it(tmp_path, title, publisher):
    assert detect_text(tmp_path, f"# {title}\n\n" + PARA * 3, "doc.md")["publisher"] == publisher


def test_a_body_named_above_minutes_is_whose_minutes_they_are(tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("Welsh Technical Standards Board\n\nMinutes of the meeting\nThursday 28 March 2019\n\n" + PARA * 2,
                    "utf-8")
    meta = detect(path)
    assert (meta["publisher"], meta["published"]) == ("Welsh Technical Standards Board", "2019-03-28")
    other = tmp_path / "notes.md"
    other.write_text("Welsh Technical Standards Board\n\nThe board met on Thursday.\n\n" + PARA * 2, "utf-8")
    assert detect(other)["publisher"] is None


def test_a_text_exports_closing_contact_line_names_the_listed_body_but_a_closing_reference_does_not(tmp_path):
    body = "# Time for action\n\n" + PARA * 30 + "\n\n"
    meta = _text_doc(tmp_path, body + "For detailed information visit www.conservatives.com\n", "manifesto.md")
    assert meta["publisher"] == "Conservative Party"
    cited = _text_doc(tmp_path, body + "NICE (2019). Hypertension in adults. www.nice.org.uk/guidance/ng136\n",
                      "plan.md")
    assert cited["publisher"] is None


def test_an_acronym_publisher_is_named_as_the_table_lists_the_domain_the_document_gives(tmp_path):
    text = ("Cybersecurity snapshot\n\n" + PARA * 3 + "\n\nAbout GAO\n\nThe agency examines the use of public funds."
            "\n\nConnect with GAO: https://www.gao.gov/about/contact-us\n")
    assert _text_doc(tmp_path, text)["publisher"] == "U.S. Government Accountability Office"


def _table() -> dict[str, str]:
    import tomllib
    from importlib import resources

    raw = (resources.files("kb") / "data" / "public_bodies.toml").read_text("utf-8")
    return {domain: body["name"] for body in tomllib.loads(raw)["body"] for domain in body["domains"]}


def test_the_table_of_public_bodies_names_one_body_per_domain_and_only_under_that_domain():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kb.ingest.bodies import body_of_host

    table = _table()
    label = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from(sorted(table)), st.lists(label, max_size=3), label, st.booleans())
    def check(domain, prefix, other, upper):
        host = ".".join([*prefix, domain])
        # any subdomain, any case; a part listed under its own subdomain ("commonslibrary.parliament.uk") is named
        listed = [d for d in table if host == d or host.endswith("." + d)]
        assert body_of_host(host.upper() if upper else host) == table[max(listed, key=len)]
        # A host that only ends with the domain's letters ("xirs.gov") or puts it first ("irs.gov.example") is
        # someone else's, unless it is itself a listed domain.
        for lookalike in (other + domain, domain + "." + other + ".zz"):
            listed = [d for d in table if lookalike == d or lookalike.endswith("." + d)]
            assert body_of_host(lookalike) == (table[max(listed, key=len)] if listed else None)

    check()


# -- cited bodies, conflicting statements, and values held back ----------------------------------------------

_CITED = ["According to the {b}, waiting times rose in every region.",
          "The {b} (2019) reported that staffing gaps were widening.",
          "This work was funded by the {b}.",
          "We thank colleagues at the {b} for their comments on a draft.",
          "In 2019 the {b} set out new rules for providers.",
          "Guidance from the {b} asks commissioners to publish their plans."]
_BODIES = ["Care Quality Commission", "Department for Education", "National Audit Office", "Health Foundation",
           "Local Government Association", "Office for National Statistics"]


def test_a_body_the_text_only_cites_is_never_the_publisher(tmp_path):
    """Any mix of bodies mentioned in citing sentences (reported, funded, thanked, set rules) with or without
    the document's own imprint: the publisher is the imprint's body or none, never a cited one."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    sentence = st.tuples(st.sampled_from(_CITED), st.sampled_from(_BODIES)).map(lambda t: t[0].format(b=t[1]))
    imprint = st.sampled_from([None, "© Yorkshire Health Partnership 2023", "Published by Yorkshire Health Partnership"])

    @settings(max_examples=60, deadline=None)
    @given(st.lists(sentence, min_size=1, max_size=6), imprint, st.integers(0, 2))
    def check(cited, own, where):
        paragraphs = [PARA + " ".join(cited[i::3]) for i in range(3)]
        text = "Review of community services in the north\n\n" + "\n\n".join(paragraphs)
        if own:
            text = text + "\n\n" + own + "\n" if where else text.replace("\n\n", "\n\n" + own + "\n\n", 1)
        found = _text_doc(tmp_path, text)["publisher"]
        assert found in (None, "Yorkshire Health Partnership"), (found, text)
        if own:
            assert found == "Yorkshire Health Partnership"

    check()


def test_about_headings_that_name_two_bodies_hold_the_publisher_back(tmp_path):
    text = ("Joint report on hospital discharge\n\n" + PARA * 3 + "\n\nAbout the Nuffield Trust\n\n" + PARA
            + "\n\nAbout the Strategy Unit\n\n" + PARA)
    meta = _text_doc(tmp_path, text)
    assert meta["publisher"] is None
    held = meta["provenance"]["held_back"]["publisher"]
    assert held["value"] == "Nuffield Trust" and "2 bodies" in held["why"] and "Strategy Unit" in held["why"]
    one = text.replace("About the Strategy Unit", "About this report")
    assert _text_doc(tmp_path, one, "one.txt")["publisher"] == "Nuffield Trust"


def test_the_evidence_of_a_publisher_is_the_statement_it_was_read_from(tmp_path):
    """Not the first line that happens to name the body: the imprint the rule read."""
    text = ("Community services review\n\nThe Leeds Health Partnership asked providers for views.\n\n" + PARA * 3
            + "\n\nPublished by the Leeds Health Partnership, March 2023\n")
    meta = _text_doc(tmp_path, text)
    assert meta["publisher"] == "Leeds Health Partnership"
    assert meta["provenance"]["evidence"]["publisher"]["text"].startswith("Published by the Leeds Health Partnership")


@pytest.mark.parametrize("cover, publisher", [
    (["Teesside University", "", "Conducted by YouGov on behalf of Teesside University", "", "August 29, 2018"], None),
    (["Sheffield City Council", "", "Commissioned by Sheffield City Council", "", "August 2018"], None),
    (["Sheffield City Council", "", "Prepared by Arup for Sheffield City Council", "", "August 2018"],
     "Sheffield City Council"),  # an imprint: the work done for the council, and published by it
    (["Sheffield City Council", "", "Housing strategy 2018 to 2023", "", "August 2018"], "Sheffield City Council"),
])
def test_a_body_a_cover_names_as_the_client_of_another_is_held_back(tmp_path, cover, publisher):
    path = lines_pdf(tmp_path / "cover.pdf", [cover, [PARA[:90]] * 30])
    meta = detect(path)
    assert meta["publisher"] == publisher
    if publisher is None:
        assert "work was done for" in meta["provenance"]["held_back"]["publisher"]["why"]


def test_what_a_transcripts_speakers_say_of_their_own_bodies_is_not_its_publisher(tmp_path):
    speech = ("Transcript of the evidence session on hospital discharge\n\n(10.00 am)\n\n"
              "Chair: Good morning. We begin with the first witness.\n\n"
              "Ms Patel: Thank you. Our Trust, Leeds Teaching Hospitals NHS Trust, discharged more patients.\n\n"
              "Chair: And the regulator?\n\n"
              "Ms Patel: The Care Quality Commission is an independent regulator and it inspected our wards.\n\n"
              + PARA * 3)
    assert _text_doc(tmp_path, speech)["publisher"] is None
    turns = speech.replace("Transcript of the evidence session", "Evidence session")  # no word "transcript"
    turns += "\n\nChair: Thank you.\n\nMs Patel: Thank you, Chair.\n"
    assert _text_doc(tmp_path, turns, "turns.txt")["publisher"] is None
    # Without the turns, a document that speaks of "our Trust" and names one is that Trust's.
    own = "Discharge policy\n\nOur Trust, Leeds Teaching Hospitals NHS Trust, discharges patients safely.\n\n" + PARA * 3
    assert _text_doc(tmp_path, own, "own.txt")["publisher"] == "Leeds Teaching Hospitals NHS Trust"


def test_a_section_heading_deep_in_a_text_export_is_not_its_cover(tmp_path):
    """A text export is one page: its first blocks are its cover only up to its first screen or so; a heading
    naming a body further on ("Care Quality Commission", a section about it) names what the text is about."""
    text = ("Review of regulation in adult social care\n\n" + "\n\n".join([PARA] * 9)
            + "\n\nCare Quality Commission\n\n" + PARA * 2)
    assert _text_doc(tmp_path, text)["publisher"] is None
    cover = "Review of regulation in adult social care\n\nSuffolk County Council\n\n" + "\n\n".join([PARA] * 8)
    assert _text_doc(tmp_path, cover, "cover.txt")["publisher"] == "Suffolk County Council"


@pytest.mark.parametrize("cover, publisher", [
    (["BOLETIM INFORMATIVO DA CÓLERA", "", "MINISTÉRIO DA SAÚDE", "", "BOLETIM No 266/2025"], "Ministério da Saúde"),
    (["Rapport annuel 2023", "", "Ministère de la Santé et de la Prévention", "", "Juin 2024"],
     "Ministère de la Santé et de la Prévention"),
    (["The Digital Copyright Act of 1998", "", "U.S. Copyright Office Summary", "", "December 1998"],
     "U.S. Copyright Office"),
    (["C", "U.S. Copyright Office Summary", "", "December 1998"], "U.S. Copyright Office"),  # a drop capital's "C"
    (["Informe de la situación", "", "de la Cruz y Martínez", "", "Junio 2024"], None),  # a person's name
])
def test_a_cover_line_naming_a_body_in_any_language_or_before_its_kind_of_document(tmp_path, cover, publisher):
    path = lines_pdf(tmp_path / "cover.pdf", [cover, [PARA[:90]] * 30])
    assert detect(path)["publisher"] == publisher


def test_a_maps_crown_copyright_credit_and_a_department_cited_far_away_do_not_name_the_publisher(tmp_path):
    """A council's report prints an Ordnance Survey map credit ("© Crown copyright and database rights"), and
    cites a department pages away: neither is who published it. A department named with the Crown copyright
    line is."""
    pages = ["Local plan review for the district\n\n" + PARA,
             PARA * 10 + "\n\nThe Department for Levelling Up, Housing and Communities set the housing targets.\n",
             PARA * 10, PARA * 10,
             "Map 1\n\n© Crown copyright and database rights 2021 Ordnance Survey 100019252\n\n" + PARA]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] is None
    imprint = pages[:-1] + ["© Crown copyright 2023\n\nThis publication is available from the Department for "
                            "Education\n\n" + PARA]
    assert _text_doc(tmp_path, "\f".join(imprint), "imprint.txt")["publisher"] == "Department for Education"


def test_copyright_lines_that_name_different_holders_hold_the_publisher_back(tmp_path):
    one = ("Cholera situation report\n\n© World Health Organization 2024\n\n" + PARA * 3
           + "\n\n© WHO 2024. Some rights reserved.\n")
    assert _text_doc(tmp_path, one)["publisher"] == "World Health Organization"  # one body, two spellings
    two = ("Living with dementia\n\n" + PARA * 3 + "\n\nCover photograph © Alzheimer's Society 2019\n\n"
           + PARA + "\n\n© Dementia Research Institute 2020\n")
    meta = _text_doc(tmp_path, two, "two.txt")
    assert meta["publisher"] is None
    assert "a copyright line names 2 bodies" in meta["provenance"]["held_back"]["publisher"]["why"]


def test_a_heading_repeated_with_its_colon_is_not_a_transcripts_turns(tmp_path):
    """"Infected Blood Inquiry:" heading five sections is one voice, not speakers taking turns: the briefing's
    own "The House of Commons Library is a research and information service" still names its publisher."""
    sections = "".join(f"Infected Blood Inquiry: part {n}\n\n{PARA}\n\n" for n in range(1, 4))
    text = ("Infected Blood Inquiry: recommendations\n\n" + sections.replace(": part", ":\npart")
            + "Infected Blood Inquiry:\n\n" + PARA + "\n\nThe House of Commons Library is a research and information "
            "service based in the House of Commons.\n")
    assert _text_doc(tmp_path, text)["publisher"] == "House of Commons Library"


def test_an_nhs_area_bodys_site_names_the_body_the_document_prints_for_that_area(tmp_path):
    """NHS domains name an integrated care board by its area alone (westyorkshire.icb.nhs.uk): the body is the
    one the document prints for that area, never "ICB" on its own or another area's board it mentions."""
    from kb.ingest.publishers import publisher_from_text

    text = ("Medicines Optimisation Prescribing Update\n\nIssue 12, March 2025\n\nThis update from the medicines "
            "team of NHS West Yorkshire Integrated Care Board covers changes to the formulary agreed with NHS "
            "Humber and North Yorkshire ICB, which NICE and NHS England recommend.\n\nFor more information "
            "visit www.westyorkshire.icb.nhs.uk/medicines\n")
    assert publisher_from_text([text]) == "NHS West Yorkshire Integrated Care Board"
    assert publisher_from_text([text.replace("westyorkshire.icb", "icb")]) is None


def test_a_cover_line_naming_a_body_keeps_it_with_the_date_printed_after_it():
    from kb.ingest.publishers import publisher_from_text

    cover = "Unpaid Carers in Leeds\n\nNDL Leeds, NHS West Yorkshire ICB 2023-01-24\n\n"
    body = "This analysis looks at unpaid carers registered with practices across the city and their health. " * 5
    assert publisher_from_text([cover + body]) == "NDL Leeds, NHS West Yorkshire ICB"


@pytest.mark.parametrize("at", range(1480, 1500, 3))
def test_a_text_exports_cover_is_read_in_whole_lines_never_a_name_cut_short(tmp_path, at):
    """The start of a one-page text export stands for its cover; wherever that start ends, a name running over
    its end is never read cut short ("District of Col")."""
    lead = ("Instructions for the form\n\n" + "Filler words for the table of figures. " * 60)[:at - 2] + "\n\n"
    meta = detect_text(tmp_path, lead + "District of Columbia first-time\n\n" + PARA * 3, "instructions.txt")
    assert meta["publisher"] in (None, "District of Columbia")


def test_a_body_named_among_a_text_exports_first_lines_publishes_it(tmp_path):
    """A converter that sets a cover without blank lines (pdftotext, markitdown) leaves its body's name one row of
    the first block; it is the cover's, as it would be on a line of its own."""
    path = tmp_path / "jury.txt"
    path.write_text("Reasonable Expectations Report\nA report on a citizens' jury about health data\n"
                    "Office for the National Data Guardian\nContents\n1 Introduction\n2 Findings\n\n" + PARA * 3, "utf-8")
    assert detect(path)["publisher"] == "Office for the National Data Guardian"
    later = tmp_path / "later.txt"  # a body named in the text's third block is not its cover's
    later.write_text("Reasonable Expectations Report\n\n" + PARA + "\n\n" + PARA + "\n\nSee also\nOffice for the "
                     "National Data Guardian\nNHS England\nThe King's Fund\nNuffield Trust\n\n" + PARA * 3, "utf-8")
    assert detect(later)["publisher"] is None


@pytest.mark.parametrize("cover, publisher", [
    # the NHS identity's lines, and a team named only by what it does: the team's body publishes
    ("NHS\nBirmingham and Solihull\nIntegrated Care Board\n\nPRESCRIBING BULLETIN\nMay 2024\n\nMedicines Optimisation "
     "Team\n\n", "NHS Birmingham and Solihull Integrated Care Board"),
    ("Formulary and Guideline Update\n\nOctober 2024\n\nProduced by the Medicines Management Team, NHS Derby and "
     "Derbyshire Integrated Care Board, on behalf of JAPC.\n\n", "NHS Derby and Derbyshire Integrated Care Board"),
    ("Prescribing Update\n\nMay 2024\n\nMedicines Optimisation Team\n\n", None),
    # a team with a name of its own is one
    ("Annual report\n\nMay 2024\n\nLeeds Public Health Team\n\n", "Leeds Public Health Team"),
])
def test_a_team_named_only_by_what_it_does_is_not_the_publisher_but_its_body_is(tmp_path, cover, publisher):
    body = ("The medicines optimisation and medicines management of public health services reviewed the team's "
            "prescribing update this month. ") * 3
    assert _text_doc(tmp_path, cover + body + "\n\n" + PARA * 3)["publisher"] == publisher


@pytest.mark.parametrize("signatures, publisher", [
    ("Yours sincerely,\n\n**Helen Aldridge**\nNational Director of Urgent and Emergency Care\nNHS England\n\n"
     "**Dr Martin Keane**\nNational Clinical Director\nNHS England\n", "NHS England"),
    ("Yours faithfully,\n\nJane Example\nChief Executive\nHealthwatch Leeds\n", "Healthwatch Leeds"),
    # signatories of different bodies: a joint letter, whose publisher the letter does not say
    ("Yours sincerely,\n\nJane Example\nChief Executive\nNHS England\n\nTom Sample\nDirector\nLocal Government "
     "Association\n", None),
])
def test_a_letters_signatories_name_the_body_they_sign_for(tmp_path, signatures, publisher):
    text = ("Preparing for winter 2024/25\n\n27 June 2024\n\nDear colleagues,\n\n" + PARA * 12 + "\n\n" + signatures)
    assert _text_doc(tmp_path, text)["publisher"] == publisher


def test_a_gov_uk_page_saved_as_markdown_names_the_department_it_is_from(tmp_path):
    text = ("Policy paper\n\n# Adult social care workforce pathway: next steps\n\nFrom:\n: [Department of Health and "
            "Social Care](https://www.gov.uk/government/organisations/department-of-health-and-social-care)\n\n"
            "Published\n: 3 May 2023\n\n" + PARA * 3)
    assert _text_doc(tmp_path, text, "page.md")["publisher"] == "Department of Health and Social Care"


def test_an_nhs_identitys_lines_give_the_whole_name_its_address_spells(tmp_path):
    """The address spells "Riverside Community"; the identity prints the rest of the name under it."""
    pages = ["NHS\nRiverside Community Healthcare\nNHS Foundation Trust\nBetter care, closer to home\n",
             PARA * 3, PARA * 3, "Contact us\nVisit www.riversidecommunity.nhs.uk\n"]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] == "Riverside Community Healthcare NHS Foundation Trust"


def test_an_nhs_identity_set_in_paragraphs_is_one_name_not_its_last_line(tmp_path):
    """A PDF converter sets the identity's lines apart; "Integrated Care Board" alone names no board."""
    text = ("NHS\n\nMid Pennine\n\nIntegrated Care Board\n\nAgenda item 9\n\nIntegrated Quality and Performance "
            "Report\n\nMeeting:\n\nIntegrated Care Board – meeting held in public\n\n" + PARA * 3)
    assert _text_doc(tmp_path, text)["publisher"] == "NHS Mid Pennine Integrated Care Board"


@pytest.mark.parametrize("logos, publisher", [
    ("![Kirklees Council logo](media/image1.png)\n\n", "Kirklees Council"),
    ("![Logo of the Care Quality Commission](logo.png)\n\n", "Care Quality Commission"),
    # two bodies' logos: a partnership's cover, whose publisher it does not say
    ("![Kirklees Council logo](media/image1.png)\n\n![Healthwatch Kirklees logo](media/image2.png)\n\n", None),
])
def test_a_logos_description_on_a_markdown_cover_names_its_body(tmp_path, logos, publisher):
    text = (logos + "Director of Public Health Annual Report 2024\n\n# Growing up well in Kirklees\n\n"
            "Published December 2024\n\n" + PARA * 6)
    assert _text_doc(tmp_path, text, "report.md")["publisher"] == publisher


def test_a_committee_named_on_a_cover_publishes_its_evidence(tmp_path):
    text = ("Health and Social Care Committee\nOral evidence: Adult social care workforce, HC 789\nWednesday 22 January "
            "2025\n" + PARA * 12)
    assert _text_doc(tmp_path, text)["publisher"] == "Health and Social Care Committee"
    # its list of the witnesses' written evidence is no submission sent to it
    text = ("House of Commons\n\nHealth and Social Care Committee\nOral evidence: Delayed discharges from hospital, HC "
            "622\nTuesday 4 February 2025\n\nWitnesses\n\nI: Professor Mark Denholm\n\nWritten evidence from "
            "witnesses:\n\n" + PARA * 12)
    assert _text_doc(tmp_path, text)["publisher"] == "Health and Social Care Committee"


def test_an_address_that_drops_a_names_connector_still_spells_it(tmp_path):
    pages = ["NHS\nHarrowvale and Estuary\nIntegrated Care Board\n\nJoint Forward Plan\n2025/26 to 2029/30\n\n"
             "www.harrowvaleestuary.icb.nhs.uk\n", PARA * 3, PARA * 3]
    assert _text_doc(tmp_path, "\f".join(pages))["publisher"] == "Harrowvale and Estuary Integrated Care Board"


@pytest.mark.parametrize("imprint, publisher", [
    ("Produced by the NHS Harrowvale and Estuary ICB Medicines Optimisation Team", "NHS Harrowvale and Estuary ICB"),
    ("Produced by the NHS Harrowvale and Estuary ICB Medicines Optimisation Team for NHS Harrowvale and Estuary "
     "Integrated Care Board", "NHS Harrowvale and Estuary Integrated Care Board"),
])
def test_a_bodys_team_publishes_as_its_body_spelled_out_where_the_document_does(tmp_path, imprint, publisher):
    text = "Medicines Matters\n\nApril 2025\n\n" + PARA * 12 + "\n\n" + imprint + ".\n"
    assert _text_doc(tmp_path, text)["publisher"] == publisher


@pytest.mark.parametrize("text, publisher", [
    # a letter quoted in an annex, a guest item signed for another body
    ("Harrowvale Community Healthcare NHS Trust\n\nBoard of Directors\n\nPaper title: CQC inspection of community "
     "services\n\n" + PARA * 2 + "\n\nAppendix 1: Letter from the Care Quality Commission\n\nDear Ms Patel,\n\n"
     + PARA + "\n\nYours sincerely,\n\nMark Dawson\nHead of Hospital Inspection\nCare Quality Commission\n",
     "Harrowvale Community Healthcare NHS Trust"),
    # whoever published it, not the audience it was produced for, nor a body it was produced with
    ("Evaluation of the Harrowvale Frailty Virtual Ward\n\nFinal report\n\nProduced by NHS England in partnership with "
     "the Local Government Association for Primary Care Networks.\n\n" + PARA * 3, "NHS England"),
    ("Guidance on virtual wards\n\nPublished by NHS England with contributions from clinicians across the country for "
     "Health Education England.\n\n" + PARA * 3, "NHS England"),
    # a submission to a committee is not the committee's
    ("Public Accounts Committee\nInquiry into NHS dental services\nSubmission from the British Dental Association\n\n"
     + PARA * 12, None),
    # a unit with a name of its own
    ("Annual report\n\nPublished by the Medical Research Council Biostatistics Unit.\n\n" + PARA * 3,
     "Medical Research Council Biostatistics Unit"),
])
def test_review_counter_examples_keep_their_publishers(tmp_path, text, publisher):
    assert _text_doc(tmp_path, text)["publisher"] == publisher


@pytest.mark.parametrize("source, publisher", [
    ("UK Health Security Agency and Department of Health and Social Care", None),  # two bodies: not one's
    ("Department of Health and Social Care", "Department of Health and Social Care"),
    ("Department for Environment, Food and Rural Affairs", "Department for Environment, Food and Rural Affairs"),
])
def test_a_gov_uk_page_from_two_bodies_names_neither_alone(tmp_path, source, publisher):
    text = f"Policy paper\n\n# Winter vaccination programme: letter\n\nFrom:\n{source}\n\nPublished 3 April 2025\n\n"
    assert _text_doc(tmp_path, text + PARA * 3, "page.md")["publisher"] == publisher


@pytest.mark.parametrize("head, publisher", [
    ("Ahmed et al. BMC Public Health (2023) 23:2145\nhttps://doi.org/10.1186/s12889-023-17012-5\n\nRESEARCH Open Access\n",
     "BMC"),
    ("BMJ Open 2024;14:e089123. doi:10.1136/bmjopen-2024-089123\n\nOriginal research\n", "BMJ"),
    ("The Lancet Healthy Longevity 2025; 6: 100672\n\nArticles\n", "Elsevier"),
    # a reference to an article, inside the text, is not this document's journal
    ("Integrated care briefing\n\nAs Ahmed and colleagues showed (BMC Public Health 2023; 23: 2145), referral works.\n",
     None),
])
def test_a_journal_articles_own_header_names_its_journals_publisher(tmp_path, head, publisher):
    assert _text_doc(tmp_path, head + "\n" + PARA * 3)["publisher"] == publisher


# -- a body's identity, the shipped table, and who only prepared a document ----------------------------------


@pytest.mark.parametrize("cover, publisher", [
    ("Ashcombe\n\nBorough Council\n\nPublic Health\n\nAgeing Well in Ashcombe\n\n", "Ashcombe Borough Council"),
    ("NHS\n\nMedicines Matters\n\nKelverton and Fenmoor\n\nIntegrated Care Board\n\n",
     "Kelverton and Fenmoor Integrated Care Board"),
    ("Integrated Care Board\n\nMedicines Matters\n\n", None),  # a kind of body alone names none
])
def test_an_identity_set_apart_is_one_name_and_a_kind_of_body_alone_is_none(tmp_path, cover, publisher):
    assert _text_doc(tmp_path, cover + PARA * 4)["publisher"] == publisher


def test_a_body_the_shipped_table_lists_is_a_name_though_no_word_says_so(tmp_path):
    """"Audit Scotland" has no word for a kind of body; the table of public bodies lists it. A court reporter
    that prepared a transcript did not publish it; "for" two bodies names neither."""
    text = ("Community mental health services\n\nPrepared by Audit Scotland for the Auditor General for Scotland and "
            "the Accounts Commission\n\nFebruary 2025\n\n" + PARA * 4)
    assert _text_doc(tmp_path, text)["publisher"] == "Audit Scotland"
    text = ("MEDICAID AND CHIP PAYMENT AND ACCESS COMMISSION\n\nPUBLIC MEETING\n\nThursday, March 6, 2025\n\n"
            "Prepared by Capitol Court Reporting, Inc\n\nCHAIR: Welcome. Medicaid and CHIP cover millions of "
            "children.\n\n" + PARA * 4)
    assert _text_doc(tmp_path, text)["publisher"] == "Medicaid and CHIP Payment and Access Commission"


def test_a_site_the_table_lists_beats_a_phrase_that_spells_it_and_a_word_in_capitals_is_no_acronym(tmp_path):
    text = ("Congressional Research Service\nInforming the legislative debate since 1914\n\nMedicare Telehealth "
            "Flexibilities\n\nhttps://crsreports.congress.gov\n\n" + PARA * 4
            + "\n\nCRS Reports, as a work of the United States Government, are not subject to copyright.\n")
    assert _text_doc(tmp_path, text)["publisher"] == "Congressional Research Service"
    from kb.ingest.addresses import spells

    assert spells("who", "WHO") and not spells("medicaid", "MEDICAID") and spells("elsevier", "ELSEVIER")


def test_a_copyright_held_for_another_body_names_that_body(tmp_path):
    text = ("How can countries make home care sustainable?\n\nEuropean Observatory on Health Systems and Policies\n"
            "a partnership hosted by WHO\n\n© World Health Organization 2025 (acting as the host organization for, and "
            "secretariat of, the European Observatory on Health Systems and Policies)\n\n" + PARA * 4)
    assert _text_doc(tmp_path, text)["publisher"] == "European Observatory on Health Systems and Policies"


@pytest.mark.parametrize("text, publisher", [
    ("GOV.WALES\nLlywodraeth Cymru / Welsh Government\n\nWritten Statement: Update on access to NHS dental services\n\n",
     "Welsh Government"),  # a name printed in two languages
    ("State of Caring in Wales 2025\n\nWe, the Welsh Government, are determined that carers are supported.\n\n",
     None),  # a strategy quoted, not the body speaking
])
def test_a_body_named_in_two_languages_publishes(tmp_path, text, publisher):
    assert _text_doc(tmp_path, text + PARA * 4)["publisher"] == publisher


def test_two_partners_names_on_one_line_name_neither_as_the_publisher(tmp_path):
    text = "Better Care Fund plan 2025-26\n\nKent County Council / NHS Kent and Medway Integrated Care Board\n\n"
    assert _text_doc(tmp_path, text + PARA * 4)["publisher"] not in (
        "Kent County Council", "NHS Kent and Medway Integrated Care Board")


def test_a_journals_own_statement_names_its_publisher(tmp_path):
    text = ("Integrated Neighbourhood Teams and the Everyday Work of Care Coordination\n\n" + PARA * 4 + "\n\nPublished: "
            "06 March 2025\nInternational Journal of Integrated Care is a peer-reviewed open\naccess journal published by "
            "Ubiquity Press.\n")
    assert _text_doc(tmp_path, text)["publisher"] == "Ubiquity Press"


def test_a_pdfs_author_field_naming_a_team_by_what_it_does_is_held_back(tmp_path):
    lines = ["Child health in temporary accommodation", "", "Our policy team wrote this statement for the Policy",
             "Team of a college whose name the cover does not print.", "", *([PARA[:90]] * 20)]
    path = cover_pdf(tmp_path / "statement.pdf", [(line, 12, 62 + 14 * n) for n, line in enumerate(lines) if line],
                     author="Policy Team", body_pages=0)
    meta = detect(path)
    assert meta["publisher"] is None
    assert meta["provenance"]["held_back"]["publisher"]["value"] == "Policy Team"


def test_an_nhs_bodys_area_spells_only_an_nhs_address(tmp_path):
    """A council's mailbox "@wealdshire.gov.uk" names the council, never the "NHS Wealdshire Integrated Care
    Board" its minutes list among those present."""
    text = ("WEALDSHIRE COUNTY COUNCIL\n\nMinutes of the meeting of the Health and Wellbeing Board held on\nWednesday, 11 "
            "September 2024 at 10.00 am\nPresent: Mark Tilbury (NHS Wealdshire Integrated Care Board)\n\n" + PARA * 6
            + "\n\nContact: democratic.services@wealdshire.gov.uk\n")
    assert _text_doc(tmp_path, text)["publisher"] == "Wealdshire County Council"


@pytest.mark.parametrize("line, publisher", [
    ("Publisher: Emerald Publishing Limited", "Emerald Publishing Limited"),
    ("© 2025 The Authors. The Milbank Quarterly published by Wiley Periodicals LLC on behalf of The Milbank Memorial "
     "Fund.", "Wiley Periodicals LLC"),
    ("© 2025 BioMed Central Ltd unless otherwise stated. Part of Springer Nature.", "BioMed Central Ltd"),
    ("© 2025 Ipsos MORI Ltd. All rights reserved.", None),  # a pollster's copyright: no publishing house said to publish
])
def test_a_publishing_house_said_to_publish_an_article_publishes_it(tmp_path, line, publisher):
    text = "State Policy Choices and Paid Family Caregiving\n\n" + PARA * 4 + "\n\n" + line + "\n"
    assert _text_doc(tmp_path, text)["publisher"] == publisher


@pytest.mark.parametrize("imprint, publisher", [
    # a team over its body: the body; a team alone names no publisher
    ("Produced by the Medicines Optimisation Team, NHS Eastvale Clinical Commissioning Group, Riverside House",
     "NHS Eastvale Clinical Commissioning Group"),
    ("Produced by the Research Support Team", None),
])
def test_a_team_that_produced_a_document_is_not_its_publisher(tmp_path, imprint, publisher):
    text = "Medicines Matters\n\nApril 2025\n\n" + PARA * 12 + "\n\n" + imprint + ".\n"
    assert _text_doc(tmp_path, text)["publisher"] == publisher


@pytest.mark.parametrize("name, body", [
    ("Your Council", None), ("City Government", None), ("City of Toronto", "City of Toronto"),
    ("County of Kent", "County of Kent"), ("Commonwealth of Australia", None), ("State of Care", None),
])
def test_a_menu_item_or_a_kind_of_government_is_no_body(name, body):
    from kb.ingest.orgnames import organisation_name

    assert organisation_name(name) == body


def test_a_sites_logo_linked_to_its_home_page_names_its_owner_and_its_menu_does_not():
    from kb.ingest.saved_pages import site_owner

    page = ('Skip to content\n\n[![City of Toronto](/logo.svg)](https://www.toronto.ca/)'
            "\n\n-   [News](https://www.toronto.ca/news/)\n-   [City Government](https://www.toronto.ca/city-government/)\n"
            "-   [Services & Payments](https://www.toronto.ca/services-payments/)\n\n1.  [Home](https://www.toronto.ca/)\n"
            "2.  [Living in Toronto](https://www.toronto.ca/community-people/)\n\n# Rental Housing Tenant Support\n\n"
            + PARA)
    assert site_owner(page)[0] == "City of Toronto"
    assert site_owner(page.replace("[![City of Toronto](/logo.svg)](https://www.toronto.ca/)", "")) is None


def test_a_gov_uk_pages_from_field_names_a_body_of_one_word_the_table_lists(tmp_path):
    text = ("Guidance\n\nSchool attendance and persistent absence: guidance for inspectors\n\nFrom: Ofsted\n\n"
            "Published 3 September 2019\n\n" + PARA * 3 + "\n\n© Crown copyright\n")
    assert _text_doc(tmp_path, text)["publisher"] == "Ofsted"


def test_the_site_most_links_go_to_names_its_body_beside_its_initials():
    from kb.ingest.addresses import own_domain

    body = ("Instructions for Form 1040NR\n\n" + PARA * 20 + "\n\nThese publications are available from the Internal "
            "Revenue Service. You can download them from the IRS website at www.irs.gov.\n\n"
            + "See www.irs.gov/forms and www.irs.gov/pub for more.\n" * 3 + PARA * 10
            + "\nTreaties are at www.irs.gov/treaties.\n")
    assert own_domain([body])[0] == "Internal Revenue Service"


def test_a_bodys_name_that_starts_with_your_or_our_is_still_its_name():
    from kb.ingest.orgnames import organisation_name

    assert organisation_name("Your Housing Group") == "Your Housing Group"


def test_a_team_signing_over_its_body_gives_way_to_the_body(tmp_path):
    mail = ("From: Planning Policy Team <planning@westshire.gov.uk>\nSent: 6 March 2025 09:00\nTo: list@example.org\n"
            "Subject: Westshire Local Plan Review: Regulation 18 consultation now open\n\n" + PARA
            + "\n\nPlanning Policy Team\nWestshire County Council\nCounty Hall, Westbridge WB1 1AA\n")
    assert _text_doc(tmp_path, mail, "mail.txt")["publisher"] == "Westshire County Council"


def test_a_media_office_issuing_a_release_gives_way_to_its_body(tmp_path):
    text = "City of Cape Town\n\nMedia release\n\n" + PARA * 3 + "\n\nIssued by: Media Office, City of Cape Town\n"
    assert _text_doc(tmp_path, text, "release.txt")["publisher"] == "City of Cape Town"


@pytest.mark.parametrize("text, publisher", [
    # the imprint's "First published … by" over the copyright line of the authors' university
    ("Poverty in the private rented sector\n\nJULY 2016\n\n" + PARA * 3 + "\n\n© Heriot-Watt University 2016\n\nFirst "
     "published July 2016 by the Joseph Rowntree Foundation\n", "Joseph Rowntree Foundation"),
    # the body over its postal address where the document says whom to contact, over its department's mailbox
    ("Extreme heat and health\n\n" + PARA * 3 + "\n\nTo obtain additional information, please contact:\n\nPublic Health "
     "Agency of Canada\nAddress Locator 0900C2\nOttawa, ON K1A 0K9\nE-mail: publications-publications@hc-sc.gc.ca\n",
     "Public Health Agency of Canada"),
    # a listed body as the document prints it in full
    ("UNITED STATES DEPARTMENT OF EDUCATION\n\nJune 17, 2014\n\nDear Colleague Letter: Chronic Absenteeism\n\n" + PARA * 3
     + "\n\nQuestions may be sent to OESE.Title1@ed.gov.\n", "United States Department of Education"),
    # the NHS logo over a board's place, over the committee that approved the guidance
    ("NHS\n\nTayside\n\nArea Drug and Therapeutics Committee\n\nGuidance on the use of SGLT2 inhibitors in adults\n\n"
     + PARA * 3, "NHS Tayside"),
])
def test_whose_document_it_is_past_a_copyright_holder_a_mailbox_and_a_committee(tmp_path, text, publisher):
    assert _text_doc(tmp_path, text)["publisher"] == publisher


def test_an_author_fields_acronym_is_the_ministry_the_text_names_not_a_listed_body_with_those_initials(tmp_path):
    body = prose_lines(PARA * 4, 202)
    end = body[-1][2] + 32
    path = cover_pdf(tmp_path / "boarding-house.pdf", [
        ("Improving boarding house standards", 24, 142), *body,
        ("Published in August 2019 by the Ministry of Housing and Urban Development", 10, end),
        ("Contact: boarding@hud.govt.nz", 10, end + 14)], author="HUD", body_pages=0)
    assert detect(path)["publisher"] == "Ministry of Housing and Urban Development"


def test_printed_and_published_by_names_the_body_as_its_cover_does_without_its_address(tmp_path):
    text = ("HM INSPECTORATE OF PRISONS\n\nReport on an unannounced inspection of HMP Fenmoor\n\n" + PARA * 3 + "\n\n"
            "Printed and published by: Her Majesty's Inspectorate of Prisons 3rd floor 10 South Colonnade Canary Wharf "
            "London E14 4PU England\n")
    assert _text_doc(tmp_path, text)["publisher"] == "HM Inspectorate of Prisons"


def test_a_mail_from_a_service_of_a_body_is_the_body_its_domain_names(tmp_path):
    text = ("From:\tFlood Information Service <fis.updates@environment-agency.gov.uk>\nSent:\t06 January 2020 14:14\n"
            "To:\tFlood Warden Network\nSubject:\tChanges to the Flood Warning Service in Yorkshire\n\nDear Flood Warden,\n\n"
            + PARA * 3)
    assert _text_doc(tmp_path, text, "mail.txt")["publisher"] == "Environment Agency"


def test_a_part_of_a_listed_body_by_its_page_on_the_parents_site_and_its_name_on_two_masthead_lines(tmp_path):
    text = ("BRIEFING PAPER\n\nHouse of Commons\nLibrary\n\nNumber 8234, 12 April 2018\n\nConcessionary bus travel\n\n"
            "www.parliament.uk/commons-library | papers@parliament.uk | @commonslibrary\n\f" + PARA * 3)
    assert _text_doc(tmp_path, text, "CBP-8234.txt")["publisher"] == "House of Commons Library"


@pytest.mark.parametrize("text, publisher", [
    # a bulletin's own statement, its name on the cover, of the team and the body it is produced by; the body's
    # logo set apart spells out its initials
    ("NHS\n\nPrescribing Matters\n\nEastfield\n\nMedicines Optimisation Bulletin for GP practicesClinical Commissioning "
     "Group\n\nIssue 42 | June 2019\n\n" + PARA * 3 + "\n\nPrescribing Matters is produced by the Medicines Optimisation "
     "Team, NHS Eastfield CCG, Crown House, 14 Market Street, Eastfield.\n", "NHS Eastfield Clinical Commissioning Group"),
    # a body of one word: named by its own domain, or by its legal name beside it
    ("Priced Out\n\n" + PARA * 3 + "\n\n© 2018 Shelter. All rights reserved.\n\nshelter.org.uk\n", "Shelter"),
    ("Homeless and forgotten\n\n" + PARA * 3 + "\n\n© 2018 Shelter, the National Campaign for Homeless People Limited."
     "\n", "Shelter"),
    # ... but a one-word name alone is no body ("© 2018 Acme" with no domain or legal name of its own)
    ("Priced Out\n\n" + PARA * 3 + "\n\n© 2018 Acme. All rights reserved.\n", None),
])
def test_a_series_statement_a_logos_initials_and_a_one_word_body(tmp_path, text, publisher):
    assert _text_doc(tmp_path, text)["publisher"] == publisher


def test_an_email_from_a_service_that_names_no_body_is_published_by_the_council_it_speaks_for(tmp_path):
    text = ("From: Public Health Commissioning <publichealth.commissioning@harbourside.gov.uk>\nSent: Wednesday, June "
            "11, 2014 4:37 PM\nTo: Public Health Commissioning\nSubject: Stop smoking service recommissioning - provider "
            "engagement event 8 July 2014\n\nDear colleague,\n\nHarbourside City Council is recommissioning its NHS Stop "
            "Smoking Service. The current contract ends on 31 March 2015.\n\nKind regards\n\nEfua Asante\nPublic Health "
            "Commissioning Manager\nPublic Health Directorate | People Directorate\nHarbourside City Council\nCivic "
            "Centre, Dock Road, Harbourside HB1 2CC\n")
    assert detect_text(tmp_path, text, "Stop smoking service recommissioning.txt")["publisher"] == \
        "Harbourside City Council"


def test_an_office_within_the_body_named_after_it_gives_the_body_up_to_whoever_reported_it(tmp_path):
    text = ("CITY OF ASHEVILLE\nPUBLIC HEARING ON SHORT-TERM RENTALS\nTuesday, October 20, 2015\n\nPrepared by the "
            "Office of the City Clerk, City of Asheville\nReported by Dana R. Hill, Court Reporter\n\n" + PARA * 4)
    assert detect_text(tmp_path, text, "20151020_STR_public_hearing_transcript.txt")["publisher"] == "City of Asheville"


def test_a_team_that_names_no_body_is_held_back_not_given(tmp_path):
    text = ("Prescribing Bulletin\n\nNHS\n\nMedicines Management Team\n\nSomerset\nIntegrated Care Board\nIssue 41 | "
            "August 2023\n\nReviewing long-term proton pump inhibitor\nprescribing in adults\n\n" + PARA * 4)
    meta = detect_text(tmp_path, text, "PB-Aug23-PPI.txt")
    assert meta["publisher"] is None


@pytest.mark.parametrize("salutation", ["Dear Principal Research Officer", "By email: committee@parliament.example\n\nDear Clerk"])
def test_a_letters_recipient_over_its_salutation_never_publishes_it(tmp_path, salutation):
    text = ("Commissioner for Children and Young People Western Australia\n\nLevel 1, 1 Alvan Street Subiaco WA 6008\n\n"
            "3 August 2018\n\nThe Principal Research Officer Education and Health Standing Committee\nLegislative "
            f"Assembly Parliament House\n\n{salutation}\n\nInquiry into support for young people leaving care\n\n"
            + PARA * 3 + "\n\nYours sincerely\n\nJacqueline McGowan-Jones\nCommissioner\n")
    assert detect_text(tmp_path, text, "submission.txt")["publisher"] != \
        "The Principal Research Officer Education and Health Standing Committee"


@pytest.mark.parametrize("imprint, publisher", [
    ("© Senedd Commission Copyright 2024", "Welsh Parliament"),
    ("Published in Scotland by the Scottish Parliamentary Corporate Body.", "Scottish Parliament"),
    ("© National Assembly for Wales Commission Copyright 2017", "National Assembly for Wales"),
])
def test_a_parliaments_corporate_body_holding_the_copyright_gives_the_parliament(tmp_path, imprint, publisher):
    text = ("Equality and Social Justice Committee\n\nChildcare and parental employment\n\nMarch 2024\n\n" + PARA * 3
            + f"\n\n{imprint}\n\nThe text of this document may be reproduced free of charge.\n")
    assert detect_text(tmp_path, text, "cr-ld17021-e.txt")["publisher"] == publisher


@pytest.mark.parametrize("client, publisher", [
    ("the Westmere Health and Wellbeing Board", "Westmere County Council"),  # a board of the council: its team's
])
def test_a_councils_team_writing_on_behalf_of_one_of_its_boards_is_the_councils_work(tmp_path, client, publisher):
    text = ("W E S T M E R E C O U N T Y C O U N C I L\n\nJoint Strategic Needs Assessment\n\nLoneliness and Social "
            "Isolation\n\nPublished: 09/05/2019\n\nProduced by Westmere County Council Public Health Intelligence Team "
            f"on behalf of {client}\n\n" + PARA * 3)
    assert detect_text(tmp_path, text, "JSNA_Loneliness_2019_final.txt")["publisher"] == publisher
