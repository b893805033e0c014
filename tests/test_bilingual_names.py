"""A body's name printed in Welsh, Irish or Scottish Gaelic beside its English name is its identity, never the
document's title; and no English title is ever read as such a name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.ingest.bilingual import (
    _GLUE,
    _NAME_WORDS,
    is_other_language_name,
    without_other_language_names,
    without_translated_title,
)
from tests.test_metadata import detect_text

_BODY = "The committee heard evidence from patients, clinicians and commissioners across the region. " * 6

COVERS = [
    pytest.param(  # pymupdf4llm's Markdown of a committee report: both names set as headings
        "## **Cynulliad Cenedlaethol Cymru** \n\n## **National Assembly for Wales** \n\n"
        "**Health, Social Care and Sport Committee** \n\n**Inquiry into GP out-of-hours services in Wales** \n\n"
        f"**May 2017** \n\n\n\n{_BODY}\n",
        "report.md", "Inquiry into GP out-of-hours services in Wales", id="welsh-markdown"),
    pytest.param(  # a charity's cover in plain text: its names, a logo's words, then the title
        "Carers Together Wales\nGofalwyr Gyda’n Gilydd Cymru\n" + " " * 90 + "Carers\n" + " " * 90 + "Together\n\n\n"
        "Annual Report and Financial Statements\n2022–23\n\n\n" + _BODY + "\n",
        "annual-report.txt", "Annual Report and Financial Statements 2022–23", id="welsh-text"),
    pytest.param(  # pdftotext -layout of a briefing's masthead: English and Gaelic side by side
        "The Scottish Parliament" + " " * 40 + "SPICe\nPàrlamaid na h-Alba" + " " * 30 + "The Information Centre\n"
        + " " * 60 + "An t-Ionad Fiosrachaidh\n\n\n\n  SPICe Briefing\n\n  Social Care (Self-directed Support) "
        "(Scotland) Bill\n\n  12 November 2015\n\n" + _BODY + "\n",
        "SB_15-61.txt", "Social Care (Self-directed Support) (Scotland) Bill", id="gaelic-layout"),
    pytest.param(  # an Irish department's cover: the state's name in Irish over its English one
        "Rialtas na hÉireann\nGovernment of Ireland\n\n\nSláintecare Implementation Strategy\n\nAugust 2018\n\n"
        + _BODY + "\n",
        "strategy.txt", "Sláintecare Implementation Strategy", id="irish-text"),
    pytest.param(  # pdftotext -layout: the body's names in two columns, the title then its Welsh translation
        "   Iechyd Cyhoeddus" + " " * 47 + "Public Health\n   Cymru" + " " * 65 + "Wales\n\n\n\n Loneliness and social "
        "isolation in later life in\n Wales: a rapid evidence review\n Unigrwydd ac ynysu cymdeithasol yn ddiweddarach "
        "mewn bywyd yng\n Nghymru: adolygiad cyflym o dystiolaeth\n\n December 2019 / Rhagfyr 2019\n\n" + _BODY + "\n",
        "PHW_Loneliness_Rapid_Review_Dec2019_ENG.txt",
        "Loneliness and social isolation in later life in Wales: a rapid evidence review", id="welsh-columns"),
]


@pytest.mark.parametrize("text, name, title", COVERS)
def test_a_bodys_name_in_welsh_irish_or_gaelic_is_its_identity_never_its_title(tmp_path, text, name, title):
    assert detect_text(tmp_path, text, name)["title"] == title


_ENGLISH = ["Health", "and", "Care", "Wales", "Strategy", "for", "the", "Future", "of", "Primary", "A", "Plan",
            "Annual", "Report", "Ireland", "Scotland", "Council", "Board", "2050:", "million", "speakers", "in",
            "an", "Inquiry", "Review", "Bill", "na", "do", "a", "I"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ENGLISH), min_size=1, max_size=12), st.sampled_from(sorted(_NAME_WORDS)),
       st.integers(min_value=0, max_value=12))
def test_an_english_title_with_one_welsh_irish_or_gaelic_word_is_read_whole(words, name_word, at):
    """One word of a name in an English title ("Cymraeg 2050: A million Welsh speakers", "Sláintecare …") is
    part of the title: a name is two of its words or more, side by side or joined by its glue."""
    line = " ".join([*words[:at], name_word.capitalize(), *words[at:]])
    assert not is_other_language_name(line)
    assert without_other_language_names(line) == line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(_NAME_WORDS)), min_size=2, max_size=5),
       st.lists(st.sampled_from(sorted(_GLUE)), max_size=2))
def test_a_name_of_two_such_words_or_more_is_never_read_as_english(names, glue):
    line = " ".join(word.capitalize() for word in [names[0], *glue, *names[1:]])
    assert is_other_language_name(line)
    assert without_other_language_names(f"National Assembly for Wales {line} Annual Report") == (
        "National Assembly for Wales Annual Report")


def test_a_new_zealand_agencys_maori_name_over_a_proactive_release_is_not_its_title(tmp_path):
    """The Māori name and the English name over a proactive release's cover sheet, its sentence, then the title of
    the Cabinet paper it releases, with a sentence under it."""
    text = ("TE TUAPAPA KURA KAINGA\nMINISTRY OF HOUSING AND URBAN DEVELOPMENT\n\n\n\n\nProactive Release\nThe "
            "following Cabinet paper and related Cabinet minute have been proactively released by Te Tuapapa\nKura "
            "Kainga - Ministry of Housing and Urban Development:\n\nHomelessness over winter: initial actions and "
            "funding\nCabinet Social Wellbeing Committee paper SWC-18-SUB-0142, considered on 31 October 2018.\n\n"
            "Date of release: 14 December 2018\n\n" + _BODY)
    meta = detect_text(tmp_path, text, "Proactive-Release-Homelessness.txt")
    assert (meta["title"], meta["publisher"]) == (
        "Homelessness over winter: initial actions and funding", "Ministry of Housing and Urban Development")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([w for w in _ENGLISH if w not in ("na", "do")]), min_size=1, max_size=14),
       st.sampled_from(sorted(_NAME_WORDS)), st.integers(min_value=0, max_value=14))
def test_an_english_title_is_never_cut_as_if_a_translation_followed_it(words, name_word, at):
    """Counter-examples hunted for the cut of a bilingual cover's translation: an English title, one word of a
    Welsh or Irish name in it or not, is kept whole."""
    line = " ".join([*words[:at], name_word.capitalize(), *words[at:]])
    assert without_translated_title(line) == line
    assert without_translated_title(" ".join(words)) == " ".join(words)


@pytest.mark.parametrize("title, english", [
    ("Strategy for older people in Wales 2013-2023 Strategaeth ar gyfer pobl hŷn yng Nghymru",
     "Strategy for older people in Wales 2013-2023"),
    ("Homes for Ireland Tithíocht do Chách agus an Rialtas", "Homes for Ireland"),
    ("Annual Report 2023 Adroddiad Blynyddol 2023", "Annual Report 2023 Adroddiad Blynyddol 2023"),
])
def test_a_titles_translation_run_on_after_it_is_cut_off(title, english):
    assert without_translated_title(title) == english
