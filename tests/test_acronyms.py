"""Acronym definitions in running text (Schwartz–Hearst), on tiny strings."""

import pytest

from kb.nlp.acronyms import best_long_form, find_definitions, is_short_form, singular_short


def defs(text, starts=()):
    return [(d.short, d.long) for d in find_definitions(text, starts)]


def test_long_form_then_short_form():
    assert defs("We back the Care Quality Commission (CQC) in this.") == [("CQC", "Care Quality Commission")]


def test_plural_short_form_is_stored_singular_with_the_written_form_kept():
    (d,) = find_definitions("replacing 28 Sustainability and Transformation Partnerships (STPs) by 2021")
    assert (d.short, d.written, d.long) == ("STP", "STPs", "Sustainability and Transformation Partnerships")


def test_letters_may_skip_small_words():
    assert defs("the Department of Health and Social Care (DHSC) said") == [("DHSC", "Department of Health and Social Care")]
    assert defs("NHS England and NHS Improvement (NHSEI) has set out") == [("NHSEI", "NHS England and NHS Improvement")]


def test_short_form_then_long_form_in_brackets():
    assert defs("The NHSEI (NHS England and NHS Improvement) paper") == [("NHSEI", "NHS England and NHS Improvement")]
    assert defs("We asked NHSEI (the national body) to act") == []


def test_nested_brackets_keep_the_long_form_inside_the_outer_pair():
    assert defs("bodies (such as integrated care systems (ICSs)) will") == [("ICS", "integrated care systems")]
    assert defs("the (Five Year Forward View (FYFV)) was") == [("FYFV", "Five Year Forward View")]


def test_text_after_a_comma_inside_the_brackets_is_ignored():
    assert defs("Sustainability and Transformation Partnerships (STPs, now ICSs) will") == [
        ("STP", "Sustainability and Transformation Partnerships")]


def test_sentence_initial_capital_is_not_pulled_into_the_long_form():
    assert defs("The Care Quality Commission (CQC) inspects.") == [("CQC", "Care Quality Commission")]
    text = "Care was discussed. Quality Commission (CQC) came later."
    assert defs(text, [0, text.index("Quality")]) == []


def test_definition_spanning_a_line_break_has_whitespace_collapsed():
    (d,) = find_definitions("support and develop primary care networks\n(PCNs); simplify")
    assert (d.short, d.long, d.written) == ("PCN", "primary care networks", "PCNs")


def test_offsets_point_at_both_parts():
    text = "and an accountable officer (AO). Then"
    (d,) = find_definitions(text)
    assert text[d.long_start:d.long_end] == "accountable officer"
    assert text[d.short_start:d.short_end] == "AO"
    assert text[d.start:d.end] == "accountable officer (AO"


@pytest.mark.parametrize("text", [
    "on groups (see map) and",
    "governance (pp.14-17) and data",
    "people (of around 1-3 million people) through",
    "networks (groups of GP practices and other community-based services) work",
    "infection (Covid) rates",
    "no brackets at all",
])
def test_ordinary_brackets_are_not_definitions(text):
    assert defs(text) == []


def test_two_definitions_in_one_sentence():
    text = "a new Integrated Care Provider (ICP) contract and Primary Care Networks (PCNs) (see box)."
    assert defs(text) == [("ICP", "Integrated Care Provider"), ("PCN", "Primary Care Networks")]


def test_short_form_shapes():
    for ok in ("ICS", "PCNs", "NHSE/I", "A&E", "AO", "5YFV"):
        assert is_short_form(ok), ok
    for bad in ("see map", "Covid", "pp.14-17", "x", "a", "2021"):
        assert not is_short_form(bad), bad
    assert singular_short("ICSs") == "ICS" and singular_short("NHS") == "NHS"


def test_best_long_form_needs_the_first_letter_at_a_word_start():
    assert best_long_form("PCN", "we support primary care networks") == len("we support ")
    assert best_long_form("XYZ", "primary care networks") is None


@pytest.mark.parametrize("text, expected", [
    # what a careful reader accepts, cleaned of what a conversion glued on
    ("the Office for Budgetary Responsibility1 (OBR) said", [("OBR", "Office for Budgetary Responsibility")]),
    ("*Leeds General Infirmary (LGI) is busy", [("LGI", "Leeds General Infirmary")]),
    ("services for children and young people's (CYP) teams", [("CYP", "children and young people")]),
    ("the internet of things' (IoT) grows", [("IoT", "internet of things")]),
    ("the National Institute for Health and Care Excellence (NICE) said", [
        ("NICE", "National Institute for Health and Care Excellence")]),
    ("NHS England and NHS Improvement (NHSEI) merged", [("NHSEI", "NHS England and NHS Improvement")]),
    ("cases of coronavirus disease 2019 (COVID-19) rose", [("COVID-19", "coronavirus disease 2019")]),
    ("screening for tuberculosis (TB) works", [("TB", "tuberculosis")]),
    ("the Chief clinical informatics officers (CCIOs) met", [("CCIO", "Chief clinical informatics officers")]),
    ("the NHS Prescription Prepayment Certificate (PPC) costs", [("PPC", "Prescription Prepayment Certificate")]),
    # what a careful reader rejects
    ("support units and clinical Our hospitals service units (CSU) merged", []),  # two columns run together
    ("it reports to the Board of Directors (BAF) monthly", []),  # runs past the term
    ("shared services (SS) cost less", []),  # one common word
    ("Research and Guidance (AG) is new", []),  # starts with a small word
    ("members of the Economic Area (EEA) trade", []),  # a letter from the middle of a word
    ("the *FIT FOR* Future (FFF) plan", []),  # markup inside
])
def test_long_forms_a_careful_reader_would_accept_or_reject(text, expected):
    assert [(d.short, d.long) for d in find_definitions(text)] == expected


def test_a_word_repeated_across_a_tables_columns_is_no_part_of_a_long_form():
    assert defs("List of health characteristics All Exposure Exposure Exposure Frailty index (eFI) Dementia") == []
    assert defs("Exposure Exposure Exposure the Care Quality Commission (CQC) met") == [("CQC", "Care Quality Commission")]
    # A cell followed by a name it begins is not a row of headers.
    assert defs("Saxmundham Saxmundham and District CIC (SADCIC)") == [("SADCIC", "Saxmundham and District CIC")]
