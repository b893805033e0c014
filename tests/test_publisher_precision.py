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
