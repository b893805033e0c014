"""Extraction: format sniffing, text and Markdown, HTML main text and meta, PDF pages, info and reading order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_fixtures import Block, html_page, simple_pdf, write_report_pdf

from kb.ingest.extract import extract_file
from kb.ingest.normalise import normalise_pages
from kb.models import PartialDate

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BRIEFING_TXT = CORPUS / "nhsconfed-2020-11-integrating-care-next-steps-briefing.txt"
BRIEFING_PDF = CORPUS / "nhsconfed-integrating-care-next-steps-briefing.pdf"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", text.lower())


# -- text and Markdown --------------------------------------------------------------------------------------


def test_utf8_text_with_bom_and_form_feeds(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("\ufeffPage one \u00a3.\fPage two.\f".encode("utf-8"))
    extraction = extract_file(path)
    assert extraction.format == "text"
    assert extraction.pages == ("Page one \u00a3.", "Page two.")


def test_text_date_goes_into_metadata_with_its_source(tmp_path):
    path = tmp_path / "position.txt"
    path.write_text("Integrated care: our position\n\nLast updated: 17 May 2022\n\nBody text.", encoding="utf-8")
    metadata = extract_file(path).metadata
    assert metadata["published"] == PartialDate("2022-05-17", "day")
    assert metadata["sources"]["published"] == "text"


def test_markdown_markup_is_stripped_lightly(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Integrated care systems\n\nThe **ICS** board and *place-based* [partnerships](https://x.org/a_(b)).\n\n"
        "## Key points\n\n- first item with `code`\n* second item\n\n> quoted text\n\nsnake_case_name stays\n",
        encoding="utf-8",
    )
    extraction = extract_file(path)
    assert extraction.format == "markdown"
    assert extraction.metadata["title"] == "Integrated care systems"
    text = normalise_pages(extraction.pages)[0][0]
    assert text.split("\n\n") == [
        "Integrated care systems",
        "The ICS board and place-based partnerships.",
        "Key points",
        "\u2022 first item with code",
        "\u2022 second item",
        "quoted text",
        "snake_case_name stays",
    ]


def test_markdown_is_decided_by_suffix_only_for_text(tmp_path):
    path = tmp_path / "looks.md"
    path.write_bytes(simple_pdf(tmp_path / "x.pdf", ["Text in a PDF named .md"]).read_bytes())
    assert extract_file(path).format == "pdf"


# -- HTML ------------------------------------------------------------------------------------------------------

ARTICLE = """
<article><header><h1>Health leaders back statutory footing</h1><p class="date">20 November 2020</p></header>
<p>The NHS Confederation&rsquo;s engagement
   found broad support.</p>
<p>Second <b>paragraph</b> with <a href="/x">a link</a>.<br>After a break.</p>
<ul><li>First point</li><li>Second point</li></ul>
<table><tr><td>Cell A</td><td>Cell B</td></tr></table>
<form><input value="FormValue"><button>Submit-button-text</button></form>
<div hidden>HiddenDivText</div>
</article>"""


def test_html_main_text_without_scripts_navigation_or_furniture(tmp_path):
    path = tmp_path / "news.html"
    head = '<meta property="article:published_time" content="2020-11-20T09:00:00Z">'
    path.write_text(html_page("News | NHS Confederation", ARTICLE, head), encoding="utf-8")
    extraction = extract_file(path)
    assert extraction.format == "html"
    text = extraction.pages[0]
    for absent in ("SCRIPT-TEXT", "ALSO-NOT-TEXT", "NavItem", "SiteHeaderLink", "Aside", "FooterText",
                   "font-family", "Submit-button", "HiddenDivText"):
        assert absent not in text
    clean = normalise_pages(extraction.pages)[0][0].split("\n\n")
    assert clean == [
        "Health leaders back statutory footing",
        "20 November 2020",
        "The NHS Confederation's engagement found broad support.",
        "Second paragraph with a link. After a break.",
        "\u2022 First point",
        "\u2022 Second point",
        "Cell A Cell B",
    ]
    assert extraction.metadata["published"] == PartialDate("2020-11-20", "day")
    assert extraction.metadata["sources"]["published"] == "html-meta"
    assert extraction.metadata["title"] == "News | NHS Confederation"
    assert extraction.metadata["sources"]["title"] == "html-title"


@pytest.mark.parametrize(
    "meta, expected",
    [
        ('<meta name="citation_publication_date" content="2021/03/04">', None),
        ('<meta name="dcterms.date" content="2021-03-04">', ("2021-03-04", "day")),
        ('<meta name="DC.date.issued" content="2021-03">', ("2021-03", "month")),
        ('<meta name="date" content="4 March 2021">', ("2021-03-04", "day")),
        ('<script type="application/ld+json">{"datePublished": "2021-03-04T10:00"}</script>', ("2021-03-04", "day")),
        ('<meta property="article:modified_time" content="2022-01-01">', None),
    ],
)
def test_html_meta_dates(tmp_path, meta, expected):
    path = tmp_path / "page.html"
    path.write_text(html_page("T", "<p>No date in this text at all, only words.</p>", meta), encoding="utf-8")
    metadata = extract_file(path).metadata
    assert metadata.get("published") == (PartialDate(*expected) if expected else None)


def test_html_og_title_publisher_and_canonical_url(tmp_path):
    path = tmp_path / "page.htm"
    head = (
        '<meta property="og:title" content="Integrated care: our position">'
        '<meta property="og:site_name" content="The King\'s Fund">'
        '<link rel="canonical" href="https://www.kingsfund.org.uk/position">'
    )
    path.write_text(html_page("Integrated care: our position | The King's Fund", "<p>Text.</p>", head))
    metadata = extract_file(path).metadata
    assert metadata["title"] == "Integrated care: our position"
    assert metadata["publisher"] == "The King's Fund"
    assert metadata["url"] == "https://www.kingsfund.org.uk/position"
    assert metadata["sources"] == {"title": "html-meta", "publisher": "html-meta", "url": "html-meta"}


def test_html_named_txt_is_html_and_date_falls_back_to_text(tmp_path):
    path = tmp_path / "saved-page.txt"
    path.write_text(html_page("T", "<h1>Title</h1><p>Published 3 March 2021</p><p>Body.</p>"), encoding="utf-8")
    extraction = extract_file(path)
    assert extraction.format == "html"
    assert extraction.metadata["published"] == PartialDate("2021-03-03", "day")
    assert extraction.metadata["sources"]["published"] == "text"


def test_html_double_line_breaks_separate_paragraphs(tmp_path):
    path = tmp_path / "old.html"
    path.write_text("<html><body><div>First para<br>line two<br><br>Second para</div></body></html>")
    assert normalise_pages(extract_file(path).pages)[0] == ["First para line two\n\nSecond para"]


def test_html_without_charset_in_windows_1252_is_read_with_a_warning(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes("<html><body><p>Costs \u00a35m \u2013 \u201cfair\u201d</p></body></html>".encode("cp1252"))
    extraction = extract_file(path)
    assert "\u00a35m \u2013 \u201cfair\u201d" in extraction.pages[0]
    assert any("windows-1252" in w for w in extraction.warnings)


# -- PDF -------------------------------------------------------------------------------------------------------


def test_pdf_named_txt_is_a_pdf(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(simple_pdf(tmp_path / "r.pdf", ["Primary care networks page one", "Page two"]).read_bytes())
    extraction = extract_file(path)
    assert extraction.format == "pdf"
    assert len(extraction.pages) == 2
    assert "Primary care networks" in extraction.pages[0]


def test_pdf_info_gives_title_author_and_a_weak_date(tmp_path):
    blocks = [Block("para", "Integrated care systems are partnerships. " * 5)]
    path = tmp_path / "r.pdf"
    write_report_pdf(path, blocks, title="A report title", author="The Author", creation_date="D:20210304120000Z")
    metadata = extract_file(path).metadata
    assert metadata["title"] == "A report title"
    assert metadata["author"] == "The Author"
    assert metadata["published"] == PartialDate("2021-03-04", "day")
    assert metadata["sources"] == {"title": "pdf-info", "author": "pdf-info", "published": "pdf-info"}


def test_date_written_in_a_pdf_beats_its_creation_date(tmp_path):
    blocks = [Block("heading", "Briefing"), Block("para", "Published 20 November 2020"), Block("para", "Text.")]
    path = tmp_path / "r.pdf"
    write_report_pdf(path, blocks, creation_date="D:20230101000000Z")
    metadata = extract_file(path).metadata
    assert metadata["published"] == PartialDate("2020-11-20", "day")
    assert metadata["sources"]["published"] == "text"


def test_bundled_pdf_edition_has_the_words_of_the_text_edition():
    extraction = extract_file(BRIEFING_PDF)
    assert extraction.format == "pdf" and len(extraction.pages) >= 3 and extraction.warnings == ()
    assert BRIEFING_PDF.stat().st_size < 60_000
    pdf_pages, _ = normalise_pages(extraction.pages)
    txt_pages, _ = normalise_pages(extract_file(BRIEFING_TXT).pages)
    pdf_words, txt_words = words("\n".join(pdf_pages)), words("\n".join(txt_pages))
    # Same words in the same order: the longest common subsequence covers >= 98% of both editions.
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, pdf_words, txt_words, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    assert common / len(txt_words) >= 0.98
    assert common / len(pdf_words) >= 0.98
    text = "\n\n".join(pdf_pages)
    for furniture in ("NHS Confederation briefing", "November 2020\n", "| Integrating care"):
        assert furniture not in text
    assert not re.search(r"(^|\n)\d+(\n|$)", text), "no bare page numbers"
    assert not re.search(r"[a-z]- [a-z]", text), "no word split by a line-end hyphen"
    assert "Place-based partnerships" in text and "at-risk communities" in text


def test_pdf_words_spaced_by_tj_offsets_as_latex_writes_them(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "tj.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=1)
    for y, operators in (
        (700, "[(Integrated) -300 (care) -280 (sys) 15 (tems) -4 (,) -2500 (Far) -300 (right)] TJ"),
        (680, "[-400 (Leading) -300 (offset)] TJ"),
    ):
        text = canvas.beginText(72, y)
        text.setFont("Helvetica", 10)
        text._code.append(operators)  # raw TJ: positioning numbers instead of space characters
        canvas.drawText(text)
    canvas.drawString(72, 660, "Previous")
    canvas.drawString(72 + 41.5, 660, "Next")  # a separate string starting ~3pt after "Previous"
    canvas.showPage()
    canvas.save()
    page = extract_file(path).pages[0]
    assert page.split("\n\n") == ["Integrated care systems,", "Far right", "Leading offset", "Previous Next"]


def test_bundled_pdf_edition_passages_are_clean():
    from kb.ingest.passages import split_passages

    pages, _ = normalise_pages(extract_file(BRIEFING_PDF).pages)
    text, spans, passages = split_passages("briefing-pdf", pages)
    assert len(spans) == len(pages) >= 3
    assert all(text[p.start : p.end] == p.text and p.page == p.page_end for p in passages)
    assert all(not re.search(r"NHS Confederation briefing|\|", p.text) for p in passages)
    assert passages[0].text.startswith("Key points") and passages[-1].text.endswith("@nhsconfed")
    assert {"1. Purpose", "Transition", "Next steps"} <= {p.heading for p in passages}


def test_pdf_footnote_markers_are_dropped(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "notes.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=1)
    canvas.setFont("Helvetica", 10)
    first = "Integrated care systems"
    canvas.drawString(72, 700, first)
    x = 72 + stringWidth(first, "Helvetica", 10)
    canvas.setFont("Helvetica", 6)
    canvas.drawString(x + 0.5, 704, "12")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(x + 0.5 + stringWidth("12", "Helvetica", 6) + 0.5, 700, "were set up in 2022 with 42 boards.")
    canvas.showPage()
    canvas.save()
    assert extract_file(path).pages[0] == "Integrated care systems were set up in 2022 with 42 boards."


def test_pdf_page_with_rotate_reads_in_order(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "landscape.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=1)
    canvas.setPageRotation(90)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "Rotated page first line of text")
    canvas.drawString(72, 686, "and the second line follows here")
    canvas.showPage()
    canvas.save()
    assert extract_file(path).pages == ("Rotated page first line of text\nand the second line follows here",)


def test_markdown_emphasis_never_reaches_the_text_or_the_title():
    """Any mix of emphasis runs (*, **, ***, _, __, ~~) around words, also over line breaks, in a .txt export or
    a .md file: no mark survives into the text that passages, quotes and KWIC lines are cut from, or into the
    title. (A run pairs with a run of its own length: "***care***: **care**" once left "*care".)"""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kb.ingest.extract import extract_bytes
    from kb.ingest.metadata import resolve_metadata

    word = st.sampled_from("care board trust Lady Hallett integrated NHS services morning the plan".split())

    @st.composite
    def paragraph(draw):
        words = draw(st.lists(word, min_size=2, max_size=10))
        out, i = [], 0
        while i < len(words):
            n = draw(st.integers(1, 3))
            chunk = " ".join(words[i:i + n])
            if draw(st.booleans()):
                mark = draw(st.sampled_from(["**", "*", "__", "_", "~~", "***"]))
                chunk = f"{mark}{chunk}{mark}"
            out.append(chunk + draw(st.sampled_from([":", ",", ".", ""])))
            i += n
        return draw(st.sampled_from([" ", "\n"])).join(out)

    left = re.compile(r"\*\*|~~|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])|(?<!\w)__|__(?!\w)")

    @settings(max_examples=200, deadline=None)
    @given(st.lists(paragraph(), min_size=1, max_size=5), st.sampled_from([".txt", ".md"]))
    def check(paragraphs, suffix):
        source = "\n\n".join(paragraphs)
        extraction = extract_bytes(source.encode(), suffix)
        text = "\n".join(extraction.pages)
        title = resolve_metadata("a" + suffix, None, extraction, text)["title"]
        assert not left.search(text) and not left.search(title), (source, text, title)

    check()


def test_a_converters_markdown_markup_never_reaches_the_text_and_no_word_is_lost():
    """Markdown written by PDF and web converters: headings of any level made of emphasised spans, lines of
    spans, "<br>" in table cells, empty column names ("Col2"), HTML comments around picture text and links
    wrapped over two lines. No markup and no link address reaches the text or the title, and every word of
    the source's text is kept, in order."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kb.ingest.extract import extract_bytes
    from kb.ingest.metadata import resolve_metadata

    word = st.sampled_from("care board trust Leeds integrated NHS services plan 2024 report".split())
    words = st.lists(word, min_size=1, max_size=5).map(" ".join)
    span = st.tuples(st.sampled_from(["**", "_", "*"]), words).map(lambda t: f"{t[0]}{t[1]}{t[0]}")
    line = st.one_of(
        st.lists(span, min_size=1, max_size=4).map(" ".join),
        st.tuples(st.integers(1, 6), st.lists(span, min_size=1, max_size=3)).map(
            lambda t: "#" * t[0] + " " + " ".join(t[1])),
        st.tuples(words, words).map(lambda t: f"|{t[0]}<br>{t[1]}|Col2|\n|---|---|"),
        words.map(lambda w: f"<!-- Start of picture text -->\n{w}<br><!-- End of picture text -->"),
        st.tuples(words, words).map(lambda t: f"[{t[0]}](https://www.example.org/a-\nb) {t[1]}"),
        st.sampled_from(["# ![](logo.png)", "# **", "## ___", "<br>"]),  # headings and lines without words
        words,
    )
    marks = re.compile(r"<br|<!--|-->|\]\(|example\.org|\bCol2\b|\*\*|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)")

    @settings(max_examples=150, deadline=None)
    @given(st.lists(line, min_size=1, max_size=8), words)
    def check(lines, last):
        source = "\n\n".join(lines + [last])
        extraction = extract_bytes(source.encode(), ".md")
        text = "\n".join(extraction.pages)
        title = resolve_metadata("a.md", None, extraction, text)["title"]
        assert not marks.search(text) and not marks.search(title), (source, text, title)
        kept = re.sub(r"\(https://[^)]*\)|\(logo\.png\)|<!--.*?-->|<br>|\bCol2\b|[#*_|\-\[\]!]", " ", source,
                      flags=re.S).split()
        assert text.split() == kept, (source, text)

    check()


def test_text_after_an_unclosed_comment_and_markup_inside_fenced_code_are_kept():
    from kb.ingest.extract import extract_bytes

    guide = "# Guide\n\nWrite `<!--` to open a comment.\n\nThe rest of the guide stays searchable.\n"
    assert "The rest of the guide stays searchable." in "".join(extract_bytes(guide.encode(), ".md").pages)
    fenced = "# Page\n\n```html\n<!-- a comment -->\n<p>hi</p>\n[a\nb](c)\n```\n\nAfter <!-- gone --> the code.\n"
    text = "".join(extract_bytes(fenced.encode(), ".md").pages)
    assert "<!-- a comment -->" in text and "[a\nb](c)" in text and "After  the code." in text


def test_a_long_line_of_lone_emphasis_marks_is_read_in_linear_time():
    """Untrusted text: a 60,000-character line of unpaired marks ("_a _a _a …", a form's blanks) took time
    growing with the square of its length (25 s, minutes at twice the length); spans are bounded where marks are
    many."""
    import time

    from kb.ingest.extract import extract_bytes

    for mark in ("_", "**"):
        line = f"{mark}a " * 20_000
        started = time.process_time()
        pages = extract_bytes(line.encode(), ".md").pages
        assert time.process_time() - started < 10, mark  # quadratic: 25 s and more
        assert "".join(pages).count("a") == 20_000
