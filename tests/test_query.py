"""The query language: what users type and how kb understands it (parser only, no index)."""

import pytest

from kb.errors import QuerySyntaxError
from kb.search.query import And, Field, Not, Or, Phrase, Prefix, Seq, Word, parse, render


def test_plain_words_are_alternatives():
    assert parse("triple aim") == Seq(should=(Word("triple"), Word("aim")))


def test_phrase_operators_and_grouping():
    tree = parse('"triple aim" OR (nhs AND NOT england)')
    assert tree.should == (Or((Phrase("triple aim"), And((Word("nhs"), Not(Word("england")))))),)


def test_minus_plus_and_not_become_clauses():
    tree = parse("nhs -england +reform NOT wales")
    assert tree.should == (Word("nhs"),)
    assert tree.must == (Word("reform"),)
    assert tree.must_not == (Word("england"), Word("wales"))


def test_and_binds_tighter_than_juxtaposition():
    assert render(parse("a b AND c")) == "(a (b AND c))"


def test_prefix_wildcard():
    assert parse("integrat*").should == (Prefix("integrat"),)


def test_filters_are_required_and_parsed():
    tree = parse('publisher:"King\'s Fund" concept:ics year:2019..2021 date:2020-11 doc:abc type:briefing')
    assert tree.should == ()
    assert tree.must == (
        Field("publisher", "King's Fund"),
        Field("concept", "ics"),
        Field("year", "2019..2021", "2019", "2021"),
        Field("date", "2020-11", "2020-11", "2020-11"),
        Field("doc", "abc"),
        Field("type", "briefing"),
    )


def test_open_ranges():
    assert parse("year:..2020").must == (Field("year", "..2020", None, "2020"),)
    assert parse("date:2021-03..").must == (Field("date", "2021-03..", "2021-03", None),)


def test_natural_language_question_with_stray_punctuation_is_text():
    q = "what similarity laws must be obeyed when constructing aeroelastic models of heated high speed aircraft?"
    tree = parse(q)
    assert [w.text for w in tree.should][-1] == "aircraft?"
    assert len(tree.should) == 15


def test_stray_parenthesis_in_natural_language_is_text():
    assert parse("flow (laminar over plates").should == (Word("flow"), Word("laminar"), Word("over"), Word("plates"))


def test_a_signed_number_is_a_number_not_an_exclusion():
    assert parse("storage at -80 °C").should == (Word("storage"), Word("at"), Word("-80"), Word("°C"))
    assert parse("+5 volts").should == (Word("+5"), Word("volts"))
    assert parse("nhs -england").must_not == (Word("england"),)


def test_a_web_address_is_text_not_a_field():
    assert parse("see http://example.org/a pages").should == (
        Word("see"), Word("http://example.org/a"), Word("pages"))


@pytest.mark.parametrize("query", [
    "What articles exist which deal with TSS (Time Sharing System), an operating system for IBM computers?",
    "I am interested in articles written either by Prieve or Udo Pooch  Prieve, B.  Pooch, U.",
    "1/2000 in UK have abnormal PrP positivity.",
    "AMP-activated protein kinase (AMPK) activation increases inflammation-related fibrosis in the lungs.",
    "Vitamin D: the sunshine vitamin",
    "what's the 'best' way - and/or the cheapest; [so-called] {cost} <model> ...",
    "papers on shock-sound wave interaction .",
    "the p53:MDM2 interaction & apoptosis (in vivo",
])
def test_natural_language_queries_parse_as_plain_words(query):
    tree = parse(query)  # words (a parenthesised aside is a group of words); nothing required or excluded
    assert tree.should and not tree.must and not tree.must_not
    assert all(isinstance(w, (Word, Seq)) for w in tree.should)


def test_a_quote_inside_a_word_is_text():
    assert parse('a 5" disk').should == (Word("a"), Word('5"'), Word("disk"))


@pytest.mark.parametrize("query, message", [
    ("", "The query is empty"),
    ("   ", "The query is empty"),
    ('"triple aim', "Unbalanced quote"),
    ('publisher:"kings fund', "Unbalanced quote after publisher:"),
    ("(nhs OR ics", "Unbalanced parentheses"),
    ("nhs OR ics)", "Unbalanced parentheses"),
    ("foo:bar", "Unknown field foo:"),
    ("nhs AND", "AND at the end of the query"),
    ("nhs NOT", "NOT needs something after it"),
    ("year:20x", "year:20x is not a year or range"),
    ("date:2020-13", "date:2020-13 is not a date or range"),
    ("()", "Empty parentheses"),
])
def test_bad_syntax_says_what_to_do(query, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(query)


def test_unknown_field_message_suggests_quoting():
    with pytest.raises(QuerySyntaxError) as err:
        parse("foo:bar")
    assert '("foo:bar")' in str(err.value)
