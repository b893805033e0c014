"""A publisher is named only from evidence that names a body: never a logo's spaced letters, a host name's part
that is no body's own (a state's code), a role that signs for a body, nor the rest of a name after its first word."""

from __future__ import annotations

import pytest

from kb.ingest.addresses import own_domain
from kb.ingest.orgnames import organisation_name
from tests.test_metadata import detect_text

PARA = ("The strategy sets out how the council and its partners will prevent homelessness, support people who are "
        "sleeping rough and increase the supply of settled homes over the next five years. ")


def test_a_logos_spaced_letters_never_spell_the_councils_site(tmp_path):
    text = ("M A R L O W E\n\nHomelessness and Rough Sleeping Strategy 2019-2024\n\nSeptember 2019\n\n" + PARA * 8
            + "\n\nThe strategy is on the Council's website at www.marlowe.gov.uk/homelessnessstrategy.\n")
    assert detect_text(tmp_path, text, "download.txt")["publisher"] != "M a R L O W e"
    assert own_domain([text]) is None


@pytest.mark.parametrize("host, printed, body", [
    ("health.qld.gov.au", "QLD", "Queensland Health"),  # a state's code in the host is no body: the table's body
    ("health.vic.example.au", "VIC", None),  # … and no body at all where the table lists none
    ("usda.gov", "USDA", "USDA"),  # the host's own name, printed as the body's initials
    ("cms.hhs.gov", "CMS", "CMS"),  # the centre's own part of its department's host
])
def test_a_hosts_own_part_printed_alone_names_a_body_only_when_it_is_the_sites_own(host, printed, body):
    page = (f"{printed}\n\nRural and remote health: a plan for action\n\n" + PARA * 3
            + f"\n\nContact: enquiries@{host}\n")
    found = own_domain([page])
    assert (found[0] if found else None) == body


@pytest.mark.parametrize("line", ["Executive Director, Housing Secretariat", "Director of Transport",
                                  "Head of Planning, Westshire Council", "Chief Executive Officer"])
def test_a_role_that_signs_for_a_body_is_no_body(line):
    assert organisation_name(line) is None


@pytest.mark.parametrize("line", ["Directorate of Public Health", "Health Service Executive",
                                  "Office of the Chief Medical Officer"])
def test_bodies_named_like_roles_stay_bodies(line):
    assert organisation_name(line) == line


def test_a_part_of_a_listed_body_is_named_by_its_own_mailbox_on_the_parents_site(tmp_path):
    """parliament.uk is the UK Parliament's; "post@parliament.uk" and "parliament.uk/post" are its Parliamentary
    Office of Science and Technology's, which the note prints."""
    text = (" Houses of Parliament\n Parliamentary Office of Science & Technology\n\n\n POSTNOTE" + " " * 40
            + "Number 479 October 2014\n\n\n Social Prescribing in Primary Care\n\n" + PARA * 6
            + "\n\nThe Parliamentary Office of Science and Technology, Westminster, London SW1A 0AA; Tel: 020 7219 "
              "2840; email: post@parliament.uk; www.parliament.uk/post\n")
    meta = detect_text(tmp_path, text, "POST-PN-479.txt")
    assert (meta["title"], meta["publisher"]) == (
        "Social Prescribing in Primary Care", "Parliamentary Office of Science and Technology")


@pytest.mark.parametrize("department, agency", [
    ("DEPARTMENT OF HEALTH & HUMAN SERVICES", "Centers for Medicare & Medicaid Services"),
    ("Department of Health and Social Care", "UK Health Security Agency"),
])
def test_a_departments_letterhead_over_its_agency_is_the_agencys(tmp_path, department, agency):
    text = (f"{department}\n{agency}\n7500 Security Boulevard\n\nRE: Coverage of transport in rural areas\n"
            "May 9, 2016\nDear State Director:\n" + PARA * 6)
    assert detect_text(tmp_path, text, "letter.txt")["publisher"] == agency.replace(" & ", " and ")


def test_a_templates_author_gives_way_to_the_bodys_copyright_line(tmp_path):
    """A local Healthwatch's report made from its national body's template keeps the template's properties."""
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "HWN-Annual-Report-2019-20-FINAL.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    canvas.setTitle("Healthwatch Annual Report template 2019-20")
    canvas.setAuthor("Healthwatch England")
    canvas.setFont("Helvetica-Bold", 26)
    canvas.drawString(60, 700, "Healthwatch Northfield Annual Report 2019-20")
    canvas.setFont("Helvetica", 10)
    y = 640
    for line in [PARA[:90], PARA[90:], "We share our findings with Healthwatch England and the Care Quality "
                 "Commission.", "© Copyright Healthwatch Northfield 2020"]:
        canvas.drawString(60, y, line)
        y -= 14
    canvas.showPage()
    canvas.save()
    from tests.test_metadata import detect

    assert detect(path)["publisher"] == "Healthwatch Northfield"
