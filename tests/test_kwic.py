"""kb.trace: sentences quoted around a term, and keyword-in-context lines sorted the way concordancers sort them."""

from __future__ import annotations

import pytest
from test_trace import FILLER, build_store

from kb.errors import UnknownConcept, UsageError
from kb.trace import kwic, mark_html, quote, sentence_bounds


def _quote(text: str, term: str) -> str:
    i = text.index(term)
    sentence, s, e = quote(text, i, i + len(term))
    return sentence[:s] + "[" + sentence[s:e] + "]" + sentence[e:]


@pytest.mark.parametrize("text, term, expected", [
    ("First one. Primary Care Networks (PCNs) are groups. Last.", "Primary", "[Primary] Care Networks (PCNs) are groups."),
    ("Plans (e.g. the NHS Long Term Plan) set aims. Next.", "NHS", "Plans (e.g. the [NHS] Long Term Plan) set aims."),
    ("A heading\n\nThe ICS met\nin May. Then more.", "ICS", "The [ICS] met in May."),
    ("Notably:\n•\nProvider collaboratives. Providers lead.", "Provider", "[Provider] collaboratives."),
    ("He said “the triple aim matters.” Then left.", "triple aim", "He said “the [triple aim] matters.”"),
    ("See pp.14-17 and the ICS chapter. Next.", "ICS", "See pp.14-17 and the [ICS] chapter."),
    # a short list item that is no sentence of its own is quoted after what introduces its list
    ("It changed in areas such as: • feedback; • duty of candour; • integrated care; • complaints.", "integrated",
     "It changed in areas such as: … [integrated] care;"),
    ("Areas such as:\n\n• feedback;\n\n• integrated care;\n\n• complaints;", "integrated",
     "Areas such as: … [integrated] care;"),
    ("The aims:\n• better care,\n• lower cost. Other text.", "better", "The aims: [better] care,"),
    ("Done. • integrated care; • x", "integrated", "[integrated] care;"),
])
def test_quote_is_the_sentence_around_the_term(text, term, expected):
    assert _quote(text, term) == expected


def test_long_sentences_are_cut_around_the_term():
    text = "word " * 200 + "the ICS itself " + "word " * 200 + "."
    i = text.index("ICS")
    sentence, s, e = quote(text, i, i + 3, max_chars=100)
    assert sentence[s:e] == "ICS" and len(sentence) <= 104
    assert sentence.startswith("…") and sentence.endswith("…")


def test_a_long_lead_in_is_cut_and_the_term_kept():
    text = "The aims of " + "many words " * 60 + "are:\n• better care;\n• lower cost;"
    i = text.index("lower")
    sentence, s, e = quote(text, i, i + 5, max_chars=100)
    assert sentence[s:e] == "lower" and sentence.startswith("…") and sentence.endswith("are: … lower cost;")
    assert len(sentence) <= 110


def test_sentence_bounds_never_cut_the_span():
    text = "The Dr. Who plan. Next."
    assert sentence_bounds(text, 4, 11) == (0, 17)


def test_mark_html_escapes_the_text():
    assert mark_html("L&OD <b> ICS", 9, 12) == "L&amp;OD &lt;b&gt; <mark>ICS</mark>"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    docs = [
        {"id": "late", "published": "2022", "paragraphs": ["Every ICS plans care. Zebra ICS oversight grows."]},
        {"id": "early", "published": "2020-05", "paragraphs": ["Alpha ICS footing came first."]},
        {"id": "undated", "published": None, "paragraphs": ["An ICS note without a date."]},
        {"id": "mid", "published": "2021-01-01", "paragraphs": ["The ICS budget was set."]},
    ]
    s = build_store(tmp_path_factory.mktemp("kwic") / "kb.sqlite", docs)
    yield s
    s.close()


def test_kwic_rows_carry_context_document_and_offsets(store):
    rows = kwic(store, "ICS", width=10)
    first = rows[0]
    assert (first.left, first.match, first.right) == ("Alpha ", "ICS", " footing c")
    assert first.doc_id == "early" and first.published == "2020-05" and first.page == 1
    text = store.document("early")["text"]
    assert text[first.start:first.end] == "ICS"
    assert set(first.to_json()) >= {"left", "match", "right", "doc_id", "title", "published", "page", "passage_id", "start", "end"}


def test_kwic_sorts(store):
    assert [r.doc_id for r in kwic(store, "ICS")] == ["early", "mid", "late", "late", "undated"]
    assert [r.doc_id for r in kwic(store, "ICS", sort="doc")] == ["early", "late", "late", "mid", "undated"]
    assert [r.left.split()[-1] for r in kwic(store, "ics", sort="left")] == ["Alpha", "An", "Every", "The", "Zebra"]
    assert [r.right.split()[0] for r in kwic(store, "ICS", sort="right")] == [
        "budget", "footing", "note", "oversight", "plans"]


def test_kwic_limit_width_and_errors(store):
    assert len(kwic(store, "ICS", limit=2)) == 2
    assert all(len(r.left) <= 3 and len(r.right) <= 3 for r in kwic(store, "ICS", width=3))
    assert kwic(store, "budget was", width=0)[0].left == ""
    with pytest.raises(UsageError):
        kwic(store, "ICS", sort="random")
    with pytest.raises(UnknownConcept):
        kwic(store, "no such words here")


def test_a_limit_gives_the_first_lines_of_the_full_concordance(tmp_path):
    docs = [{"id": f"d{n:02d}", "published": f"{2000 + (n * 7) % 23}-{1 + n % 12:02d}" if n % 5 else None,
             "paragraphs": [f"Item {n}: the ICS and another ICS.", FILLER]} for n in range(30)]
    with build_store(tmp_path / "kb.sqlite", docs) as s:
        for sort in ("date", "doc"):
            full = kwic(s, "ICS", sort=sort)
            assert len(full) == 60
            for limit in (1, 7, 25):
                assert kwic(s, "ICS", sort=sort, limit=limit) == full[:limit]
