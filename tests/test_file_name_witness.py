"""A file's name is a second witness to a text export's title: a saved page's slug, a report's short name and
initials. It wins only where the lines kb read disagree with it and one line near the top spells it; a name that
spells nothing in the text changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.ingest.name_agreement import name_words
from tests.test_metadata import detect_text

PARA = ("Councils told us that the reforms had begun to change what was built, though slowly, and that the gains "
        "depended on the staff they had to redraw their codes and to explain the changes to residents. ")
BODY = PARA * 6


@pytest.mark.parametrize("furniture", [
    "This site uses cookies. Learn more\n\nAccept all cookies\n\nReject non-essential\n\nServices Departments",
    "URBAN FUTURES INSTITUTE\nResearch Topics Events Experts About Donate\n\nHousing / Land Use\n\nCOMMENTARY",
    "UN-Habitat – for a better urban future\n\nAbout us Topics Knowledge Where we work Get involved News Donate\n\nNews",
    "Membership Training and examinations Key topics News and events About us\n\nHome › News and events › News",
    # a kicker right over the headline that names the site's section, in its menu too: not joined to it
    "Research Data Policy Centers Events Urban Wire About Donate\n\nUrban Wire",
])
def test_the_line_a_saved_pages_slug_spells_is_its_title_over_the_sites_furniture(tmp_path, furniture):
    title = "Zoning Reform in Mid-Sized Cities: What's Working"
    text = f"{furniture}\n\n{title}\n\nBy Danielle Ortiz and Kevin Tran\n\nPublished March 3, 2021\n\n{BODY}"
    assert detect_text(tmp_path, text, "zoning-reform-mid-sized-cities.txt")["title"] == title


def test_a_reports_initials_in_its_file_name_spell_its_title_under_the_bodys_names(tmp_path):
    text = ("Health Santé\nCanada Canada\n\nConsultation on Sodium Reduction Targets for Processed Foods: What We Heard "
            "Report\n\nÉgalement disponible en français\n\n" + BODY)
    assert detect_text(tmp_path, text, "wwh-sodium-eng.txt")["title"] == \
        "Consultation on Sodium Reduction Targets for Processed Foods: What We Heard Report"


def test_a_series_name_in_the_file_name_leaves_the_issues_own_title(tmp_path):
    footer = "NHS Wealdmoor ICB – Prescribing Matters – Issue 47"
    text = (f"**Prescribing Matters**\n\nIssue 47 · March 2025\n\n# Deprescribing in frailty: reducing anticholinergic "
            f"burden\n\n{BODY}\n\n{footer}\n\n{BODY}\n\n{footer}\n")
    assert detect_text(tmp_path, text, "Prescribing-Matters-Issue-47.md")["title"] == \
        "Deprescribing in frailty: reducing anticholinergic burden"


def test_the_subtitle_the_file_name_spells_under_the_title_joins_it(tmp_path):
    text = ("Policy Brief No. 31\n\nPaying for disability support\nOptions to contain NDIS cost growth without cutting "
            "support\n\nAugust 2024\n\n" + BODY)
    assert detect_text(tmp_path, text, "2024-08-30 NDIS cost growth brief FINAL.txt")["title"] == \
        "Paying for disability support: Options to contain NDIS cost growth without cutting support"


@pytest.mark.parametrize("name, words", [
    ("wwh-sodium-eng.txt", ["wwh", "sodium"]),
    ("RAAP-RASG-grant-guidelines-v1.2.txt", ["raap", "rasg", "grant", "guidelines"]),
    ("UNICEF_press_release_climate_schools_2026.txt", ["unicef", "climate", "schools"]),
    ("document(3).md", []),
    ("20250304-board-papers.txt", ["board"]),
])
def test_a_file_names_words_leave_out_numbers_versions_formats_and_kinds(name, words):
    assert name_words(name) == words


SAVED = ("Skip to main content\n\nNews\n\nGovernment announces review of rural bus services\n\n"
         "Published 12 May 2024\n\n" + BODY)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "quorum", "zephyr", "final", "web", "v2", "2024", "press", "release",
                                 "draft", "gov", "mx", "tbd"]), min_size=0, max_size=5))
def test_a_file_name_that_spells_no_line_never_changes_the_title(tmp_path_factory, words):
    """Counter-examples hunted over names made of words the page never prints (and of noise a name carries)."""
    folder = tmp_path_factory.mktemp("named")
    name = ("-".join(words) or "page") + ".txt"
    plain = detect_text(tmp_path_factory.mktemp("plain"), SAVED, "page.txt")["title"]
    assert detect_text(folder, SAVED, name)["title"] == plain == "Government announces review of rural bus services"


def test_a_footer_in_capitals_run_into_the_title_the_name_spells_is_cut_off(tmp_path):
    text = ("LAO\n\n75 YEARS OF SERVICE\n\nThe 2024-25 Budget: Zero-Emission Transit Capital Program LEGISLATIVE "
            "ANALYST'S OFFICE | FEBRUARY 2024\n\nSummary\n\n" + BODY)
    assert detect_text(tmp_path, text, "2024-25-budget-zetcp-020724.txt")["title"] == \
        "The 2024-25 Budget: Zero-Emission Transit Capital Program"
