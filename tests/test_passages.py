"""Passages: offsets into the document text, page numbers, sizes, headings, stable ids, reading order."""

from __future__ import annotations

import re

import pytest
from pdf_fixtures import Block, write_report_pdf

from kb.ingest.extract import extract_file
from kb.ingest.normalise import normalise_pages
from kb.ingest.passages import sentence_spans, split_passages

WORDS = (
    "integrated care systems bring together providers and commissioners of NHS services with local "
    "authorities and other partners to plan services improve population health and reduce inequalities"
).split()


def prose(n_words: int, seed: int = 0) -> str:
    """Sentences of 12 words from a fixed vocabulary, deterministic."""
    out = []
    for i in range(n_words):
        word = WORDS[(i * 7 + seed) % len(WORDS)]
        out.append(word.capitalize() if i % 12 == 0 else word)
        if i % 12 == 11:
            out[-1] += "."
    return " ".join(out).rstrip(".") + "."


def check_invariants(text, spans, passages, doc_id="doc"):
    for _number, start, end in spans:
        assert 0 <= start <= end <= len(text)
    for ordinal, passage in enumerate(passages, start=1):
        assert text[passage.start : passage.end] == passage.text
        assert passage.ordinal == ordinal
        assert passage.page == passage.page_end
        _, page_start, page_end = spans[passage.page - 1]
        assert page_start <= passage.start < passage.end <= page_end, "a passage never crosses a page"
        assert re.fullmatch(rf"{doc_id}-p{ordinal:04d}-[0-9a-f]{{6}}", passage.id)
        assert passage.text == passage.text.strip()


def test_document_text_and_page_spans():
    text, spans, passages = split_passages("doc", ["Page one.", "", "Page three."])
    assert text == "Page one.\n\n\n\nPage three."
    assert spans == [(1, 0, 9), (2, 11, 11), (3, 13, 24)]
    assert [(p.page, p.text) for p in passages] == [(1, "Page one."), (3, "Page three.")]
    check_invariants(text, spans, passages)


def test_short_paragraphs_merge_with_the_following_text_and_headings_open_passages():
    page = "\n\n".join(
        [
            "Key points",
            "\u2022 " + prose(15, 1),
            "\u2022 " + prose(20, 2),
            "\u2022 " + prose(30, 3),
            "Summary of the proposals",
            prose(120, 4),
            prose(100, 5),
        ]
    )
    text, spans, passages = split_passages("doc", [page])
    check_invariants(text, spans, passages)
    assert [p.heading for p in passages] == ["Key points", "Summary of the proposals", "Summary of the proposals"]
    assert passages[0].text.startswith("Key points\n\n\u2022") and passages[0].text.count("\u2022") == 3
    assert passages[1].text.startswith("Summary of the proposals\n\n")
    assert all(40 <= p.words <= 250 for p in passages)


def test_long_paragraphs_split_at_sentence_ends():
    text, spans, passages = split_passages("doc", [prose(700, 9)])
    check_invariants(text, spans, passages)
    assert len(passages) >= 3
    assert all(p.words <= 250 for p in passages)
    assert all(p.text.endswith(".") and p.text[0].isupper() for p in passages)
    assert " ".join(p.text for p in passages) == text


def test_sentence_splitter_keeps_abbreviations_together():
    text = "See e.g. NHS England guidance (pp. 14-17). Dr. Smith agreed! Is it 2022? Yes. J. Bloggs said so."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "See e.g. NHS England guidance (pp. 14-17).",
        "Dr. Smith agreed!",
        "Is it 2022?",
        "Yes.",
        "J. Bloggs said so.",
    ]


def test_ids_are_stable_and_change_only_with_the_text():
    pages = [prose(80, 1) + "\n\n" + prose(80, 2), prose(90, 3)]
    first = split_passages("nhs-doc", pages)[2]
    again = split_passages("nhs-doc", pages)[2]
    assert [p.id for p in first] == [p.id for p in again]
    edited = split_passages("nhs-doc", [pages[0], pages[1].replace("health", "wealth", 1)])[2]
    assert [p.id for p in edited][:-1] == [p.id for p in first][:-1]
    assert edited[-1].id != first[-1].id and edited[-1].id.startswith("nhs-doc-p0003-")


def test_passages_on_the_bundled_briefing_text(tmp_path):
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "corpus" / "nhsconfed-2020-11-integrating-care-next-steps-briefing.txt"
    pages, _ = normalise_pages(extract_file(source).pages)
    text, spans, passages = split_passages("briefing", pages)
    check_invariants(text, spans, passages, "briefing")
    assert sum(p.words for p in passages) == len(text.split())
    assert all(p.words <= 250 for p in passages)
    assert sum(p.words < 40 for p in passages) <= 3
    assert {"Summary of the proposals", "1. Purpose", "Next steps"} <= {p.heading for p in passages}


# -- a multi-page, two-column report PDF ---------------------------------------------------------------------

HYPHENATION_WORDS = "organisational accountability commissioning transformation collaboratively".split()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """Six-ish pages: alternate one- and two-column pages, header, footer, page numbers, hyphenation."""
    blocks = []
    for section in range(1, 9):
        blocks.append(Block("heading", f"Section {section} heading"))
        for para in range(1, 4):
            marker = f"marker{section}x{para}"
            body = prose(70 + 10 * para, section * 3 + para)
            extra = " ".join(HYPHENATION_WORDS)
            blocks.append(Block("para", f"{marker} {body} {extra} {marker}end."))
        blocks.append(Block("bullet", f"bullet{section} point about place-based partnerships and neighbourhoods."))
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    _, layout = write_report_pdf(
        path, blocks, header="Example Trust annual report 2021", footer="Example Trust | www.example.org",
        max_hyphenations=40,
    )
    extraction = extract_file(path)
    pages, warnings = normalise_pages(extraction.pages)
    text, spans, passages = split_passages("report", pages)
    return layout, extraction, text, spans, passages


def test_report_pdf_layout_is_as_intended(report):
    layout, extraction, *_ = report
    assert layout.pages >= 4 and len(layout.two_column_pages) >= 2
    assert len(layout.hyphenated) >= 10
    assert len(extraction.pages) == layout.pages


def test_report_passages_are_clean_and_in_reading_order(report):
    layout, _, text, spans, passages = report
    check_invariants(text, spans, passages, "report")
    for furniture in ("Example Trust", "annual report 2021", "www.example.org"):
        assert furniture not in text
    assert not re.search(r"(^|\n)\d{1,2}(\n|$)", text), "page numbers are gone"
    markers = re.findall(r"marker(\d)x(\d)(end)?", text)
    expected = [(str(s), str(p), end) for s in range(1, 9) for p in range(1, 4) for end in ("", "end")]
    assert markers == expected, "every paragraph's start and end markers appear once, in order"
    for word in set(layout.hyphenated):
        assert re.search(rf"\b{word}\b", text, re.I), f"{word} was re-joined"
    assert not re.search(r"\b[a-z]+- [a-z]+", text), "no dangling line-end hyphens"
    assert text.count("place-based") == 8


def test_report_passages_follow_paragraphs_and_pages(report):
    _, _, text, spans, passages = report
    assert all(p.words <= 250 for p in passages)
    headings = [p.heading for p in passages]
    assert headings[0] == "Section 1 heading" and headings[-1] == "Section 8 heading"
    assert headings == sorted(headings, key=lambda h: int(h.split()[1]))
    assert {p.page for p in passages} == set(range(1, len(spans) + 1))


def test_two_columns_between_full_width_text_on_one_page(tmp_path):
    """Title, two columns, a full-width paragraph, two more columns: read band by band, left then right."""
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "bands.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(56, 780, "A full-width title across the page")
    canvas.setFont("Helvetica", 9.5)

    def column(x, y, label):
        for i in range(6):
            canvas.drawString(x, y - 12.5 * i, f"{label} line {i} of this column text")
        return y - 12.5 * 6

    column(56, 750, "alpha")
    column(310, 750, "bravo")
    canvas.drawString(56, 650, "charlie is a full-width paragraph line that crosses the gutter of the page here")
    canvas.drawString(56, 637.5, "and charlie continues on a second full-width line to the right margin of the page")
    column(56, 610, "delta")
    column(310, 610, "echo")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(56, 34, "Footer text")
    canvas.drawRightString(539, 34, "7")
    canvas.showPage()
    canvas.save()
    text = extract_file(path).pages[0]
    labels = re.findall(r"\b(title|alpha|bravo|charlie|delta|echo|Footer)\b", text)
    deduped = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    assert deduped == ["title", "alpha", "bravo", "charlie", "delta", "echo", "Footer"]
