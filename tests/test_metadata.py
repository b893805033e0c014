"""Titles, publishers and dates detected from the documents themselves, and copies recorded as copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_kb
from pdf_fixtures import html_page

from kb.ingest.extract import extract_file
from kb.ingest.metadata import organisation_name, resolve_metadata
from kb.ingest.titles import clean_title, is_title_like
from kb.models import PartialDate

PARA = ("Integrated care systems bring together NHS organisations and local authorities to plan services for "
        "their population, and primary care networks work within each place. ")


def cover_pdf(path: Path, cover: list[tuple[str, float, float]], *, title: str | None = None,
              author: str | None = None, body_pages: int = 1, bookmark: str | None = None) -> Path:
    """A PDF whose first page shows ``cover`` lines (text, font size, y from the top) and whose next pages
    are body text at 10 pt; info Title/Author as given (None leaves them out)."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    if title is not None:
        canvas.setTitle(title)
    if author is not None:
        canvas.setAuthor(author)
    for text, size, top in cover:
        canvas.setFont("Helvetica", size)
        canvas.drawString(60, 842 - top, text)
    if bookmark:
        canvas.bookmarkPage("cover")
        canvas.addOutlineEntry(bookmark, "cover", level=0)
    canvas.showPage()
    words = (PARA * 12).split()
    for _ in range(body_pages):
        canvas.setFont("Helvetica", 10)
        y = 780
        for start in range(0, len(words), 14):
            canvas.drawString(60, y, " ".join(words[start:start + 14]))
            y -= 13
        canvas.showPage()
    canvas.save()
    return path


def prose_lines(text: str, top: float, size: float = 10, per_line: int = 14, leading: float = 13) -> list[tuple[str, float, float]]:
    """``text`` as ``cover_pdf`` lines of ``per_line`` words from ``top`` down: a page's prose under its cover lines."""
    words = text.split()
    return [(" ".join(words[start:start + per_line]), size, top + leading * n)
            for n, start in enumerate(range(0, len(words), per_line))]


def detect(path: Path) -> dict:
    """The metadata an ingest without a catalog would store for one file."""
    from kb.ingest.normalise import normalise_pages

    extraction = extract_file(path)
    text = "\n\n".join(p for p in normalise_pages(extraction.pages)[0])
    return resolve_metadata(path.name, None, extraction, text)


def detect_text(tmp_path: Path, text: str, name: str = "doc.txt") -> dict:
    """``detect`` for a file called ``name`` that holds ``text``."""
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return detect(path)


# -- titles -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Unlocking the power of place", "The Power of Place", "A house divided"])
def test_a_title_ending_in_a_word_for_a_street_is_no_address(title):
    assert is_title_like(title)


@pytest.mark.parametrize("address", ["Wellington House, 133-155 Waterloo Road", "39 Victoria Street London",
                                     "Quarry House Leeds"])
def test_an_address_is_no_title(address):
    assert not is_title_like(address)


@pytest.mark.parametrize("label", [
    "Report template", "Classification: Official", "OFFICIAL", "Document Outline", "Contents",
    "Microsoft Word - RiskTriggersReport361", "Microsoft Word - Residual Growth 02Dec2024 JC",
    "Committee Report 4.3", "Version 2.3", "Page 4 of 12", "JUNE 2025", "Date published: 3 December, 2024",
    "27 July 2015", "[Insert title of report]", "comparison-of-popn-seg.pdf", "CORE20PLUS5_Powerpoint.v3",
    "UK Government", "NHS England", "Prepared by", "20% of people", "www.england.nhs.uk",
    "Publication reference: PRN00817", "Version 1, 22 December 2023", "PowerPoint Presentation", "Untitled-1",
    "TRANSPORT SERIES | PAPER 6", "Policy series, no. 12", "43rd PARLIAMENT, 2nd SESSION", "DANIEL OCHOA CHAIRMAN",
    "Committee Clerk Rachel Whitfield", "Research / Health Care / Policy Brief",
    "Parliamentary Business • Members • Committees • Participate",
])
def test_labels_dates_templates_and_file_names_are_not_titles(label):
    assert not is_title_like(clean_title(label))


@pytest.mark.parametrize("raw, title", [
    ("Integrated care: our position", "Integrated care: our position"),
    ("Rapid review into data on mental health inpatient settings - GOV.UK",
     "Rapid review into data on mental health inpatient settings"),
    ("20241216- Government Response to the Committee's report", "Government Response to the Committee's report"),
    ("*FIT FOR *", "FIT FOR"),
    ("1. Introduction to the framework", "Introduction to the framework"),
    ("Technical appendix", "Technical appendix"),
    # a series' number printed before the title it numbers; never a name ("Number 10") or a number alone
    ("Number CBP 10081 Infected Blood Inquiry: recommendations", "Infected Blood Inquiry: recommendations"),
    ("CP 1478 Government response to the Infected Blood Inquiry", "Government response to the Infected Blood Inquiry"),
    ("Number 10 Policy Unit report on care", "Number 10 Policy Unit report on care"),
    ("HC 123 Health Committee", "HC 123 Health Committee"),
    ("GAO-25-107318, Medicaid Home- and Community-Based Services: CMS Should Strengthen Oversight",
     "Medicaid Home- and Community-Based Services: CMS Should Strengthen Oversight"),
    ("COVID-19 response: lessons for the next pandemic", "COVID-19 response: lessons for the next pandemic"),
    # a template's field filled in after the title; not a bill's House or a one-word note
    ("Topic 4: Intermediate Care Final Report NDL [ Leeds Network Data Lab ]", "Topic 4: Intermediate Care Final Report"),
    ("Assisted Dying Bill [HL]", "Assisted Dying Bill [HL]"),
    ("Westmoor Health and Wellbeing Board - 16 January 2025-20250116_140212-Meeting Recording",
     "Westmoor Health and Wellbeing Board - 16 January 2025"),
])
def test_titles_are_cleaned_of_markup_dates_and_site_names(raw, title):
    assert clean_title(raw) == title


@pytest.mark.parametrize("info_title", ["Report template", "Microsoft Word - RiskTriggersReport361",
                                        "Classification: Official", "JUNE 2025"])
def test_the_largest_text_on_the_cover_beats_a_useless_info_title(tmp_path, info_title):
    path = cover_pdf(tmp_path / "r.pdf", [
        ("Classification: Official", 9, 40),
        ("Measurement guide for the national", 28, 200),
        ("neighbourhood health programme", 28, 234),
        ("December 2025", 18, 300),
        ("NHS England", 12, 760),
    ], title=info_title)
    meta = detect(path)
    assert meta["title"] == "Measurement guide for the national neighbourhood health programme"
    assert meta["provenance"]["title"] == "text"
    assert (meta["published"], meta["date_precision"], meta["provenance"]["published"]) == ("2025-12", "month", "text")


def test_a_subtitle_in_a_smaller_font_is_not_swallowed_but_a_continuation_is(tmp_path):
    path = cover_pdf(tmp_path / "r.pdf", [
        ("THE HANDBOOK TO", 20, 150),
        ("The NHS Constitution", 26, 178),
        ("for England", 16, 206),
        ("A guide for patients and staff, published with the constitution", 12, 280),
    ], title="")
    assert detect(path)["title"] == "The Handbook to The NHS Constitution for England"  # recased as written


def test_a_title_in_capitals_takes_the_case_its_words_have_in_the_text(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text("FREEDOM OF INFORMATION POLICY\n\nThe Freedom of Information Act gives a right of access. "
                    "This policy sets out how the Trust answers FOI requests. Each FOI request is logged.\n", "utf-8")
    assert detect(path)["title"] == "Freedom of Information policy"
    unknown = tmp_path / "plan.txt"
    unknown.write_text("FIT FOR THE FUTURE\n\n" + PARA, "utf-8")
    assert detect(unknown)["title"] == "FIT FOR THE FUTURE"  # FIT might be an acronym: left as printed


def test_a_good_info_title_is_used_when_the_cover_has_no_larger_text(tmp_path):
    path = cover_pdf(tmp_path / "r.pdf", [("39 Victoria Street", 10, 60), ("London SW1H 0EU", 10, 74)],
                     title="Covid-19 notice under regulation 3(4)")
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == ("Covid-19 notice under regulation 3(4)", "pdf-info")


def test_the_info_title_says_where_a_cover_title_ends(tmp_path):
    path = cover_pdf(tmp_path / "r.pdf", [
        ("Maternity exemption certificate guidance", 20, 100),
        ("Digital exemption service", 14, 124),
    ], title="Maternity exemption certificate guidance")
    assert detect(path)["title"] == "Maternity exemption certificate guidance"


def test_a_bookmark_is_the_title_only_when_the_cover_shows_it(tmp_path):
    shown = cover_pdf(tmp_path / "a.pdf", [("Hypertension in pregnancy", 10, 100)], title="", bookmark="Hypertension in pregnancy")
    meta = detect(shown)
    assert (meta["title"], meta["provenance"]["title"]) == ("Hypertension in pregnancy", "pdf-outline")
    heading = cover_pdf(tmp_path / "b.pdf", [("for England", 10, 100)], title="", bookmark="Summary of findings")
    assert detect(heading)["title"] != "Summary of findings"


def test_a_letters_subject_is_its_title(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("39 Victoria Street\nLondon\n\n20 March 2020\n\nDear All,\n\n"
                    "Notice under Regulation 3(4) of the Health Service Regulations 2002\n\n" + PARA, "utf-8")
    meta = detect(path)
    assert meta["title"] == "Notice under Regulation 3(4) of the Health Service Regulations 2002"
    assert meta["published"] == "2020-03-20"


def test_markdown_title_skips_outline_labels_markup_and_date_headings(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# Document Outline\n\n# *FIT FOR *\n# *THE FUTURE*\n\n## Date published: 3 December, 2024\n\n"
                    + PARA + "\n\n© NHS England 2024\n", "utf-8")
    meta = detect(path)
    assert meta["title"] == "FIT FOR THE FUTURE"
    assert (meta["published"], meta["provenance"]["published"]) == ("2024-12-03", "text")
    assert (meta["publisher"], meta["provenance"]["publisher"]) == ("NHS England", "text")


def test_markdown_heading_markup_is_removed_and_front_matter_wins(tmp_path):
    plain = tmp_path / "a.md"
    plain.write_text("# **Integrated care:** *our position*\n\n" + PARA, "utf-8")
    assert detect(plain)["title"] == "Integrated care: our position"
    front = tmp_path / "b.md"
    front.write_text("---\ntitle: Joint forward plan\ndate: 2023-06-30\npublisher: NHS Kent and Medway\n---\n"
                     "# Contents\n\n" + PARA, "utf-8")
    meta = detect(front)
    assert (meta["title"], meta["published"], meta["publisher"]) == ("Joint forward plan", "2023-06-30",
                                                                     "NHS Kent and Medway")
    assert _sources(meta) == {"title": "front-matter", "published": "front-matter", "publisher": "front-matter"}


def test_html_title_drops_the_site_name_and_gov_uk_names_the_department(tmp_path):
    path = tmp_path / "page.html"
    head = ('<meta property="og:site_name" content="GOV.UK">'
            '<meta name="govuk:primary-publishing-organisation" content="Department of Health and Social Care">'
            '<meta name="govuk:first-published-at" content="2024-03-21T09:30:00+00:00">')
    path.write_text(html_page("Mental health inpatient data review - GOV.UK",
                              "<h1>Mental health inpatient data review</h1><p>Text of the review.</p>", head), "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Mental health inpatient data review", "Department of Health and Social Care", "2024-03-21")
    assert _sources(meta) == {"title": "text", "publisher": "html-meta", "published": "html-meta"}  # the <h1>


def test_markdown_exported_from_a_report_skips_banner_and_reference_fields(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("Classification: Official\n\nPublication reference: PRN00817\n\n"
                    "**Joint forward planning guidance 2024/25**\n\nVersion 1, 22 December 2023\n\n## Contents\n\n"
                    + PARA + "\n\n© NHS England 2023\n", "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Joint forward planning guidance 2024/25", "NHS England", "2023-12-22")


GOV_UK_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Health and care integration: making it happen - GOV.UK</title>{head}</head>
<body><div id="global-cookie-message">We use some essential cookies to make this website work.</div>
<header><a href="/">GOV.UK</a></header>
<main id="content"><span>Policy paper</span><h1>Health and care integration: making it happen</h1>
<dl><dt>From:</dt><dd><a href="/government/organisations/dhsc">Department of Health and Social Care</a></dd>
<dt>Published</dt><dd>9 February 2022</dd></dl>
<p>This white paper sets out plans to join up health and social care.</p></main>
<footer>Crown copyright</footer></body></html>"""


@pytest.mark.parametrize("head, source", [
    ('<meta property="og:site_name" content="GOV.UK"><meta property="og:title" content="Health and care '
     'integration: making it happen"><script type="application/ld+json">{"@type": "Article", "datePublished": '
     '"2022-02-09T10:00:00+00:00", "publisher": {"@type": "Organization", "name": "GOV.UK"}, "author": '
     '{"@type": "Organization", "name": "Department of Health and Social Care"}}</script>', "html-meta"),
    ("", "text"),
])
def test_a_gov_uk_page_with_or_without_its_head(tmp_path, head, source):
    meta = detect_text(tmp_path, GOV_UK_PAGE.format(head=head), "page.html")
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Health and care integration: making it happen", "Department of Health and Social Care", "2022-02-09")
    assert (meta["provenance"]["publisher"], meta["provenance"]["published"]) == (source, source)


@pytest.mark.parametrize("author, publisher", [("Nuffield Trust", "Nuffield Trust"), ("Sally Gainsbury", None),
                                               ("Frank Wood, Alex Brownrigg", None)])
def test_html_author_meta_is_the_publisher_only_when_it_names_an_organisation(tmp_path, author, publisher):
    path = tmp_path / "page.html"
    path.write_text(html_page("Feeling the crunch", "<p>Text.</p>", f'<meta name="author" content="{author}">'))
    assert detect(path)["publisher"] == publisher


# -- publishers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, body", [
    ("National Institute for Health and Care Excellence (NICE)", "National Institute for Health and Care Excellence (NICE)"),
    ("NHS England", "NHS England"), ("NICE", "NICE"), ("The King's Fund", "The King's Fund"),
    ("Smith, Helen", None), ("Richard Hale", None), ("Microsoft Office User", None), ("richard.wood", None),
    ("Cook Josh (MLCSU)", None), ("Administrator", None),
])
def test_organisation_names_are_told_from_people_and_software_defaults(value, body):
    assert organisation_name(value) == body


@pytest.mark.parametrize("author, publisher", [("NHS England", "NHS England"), ("Smith, Helen", None),
                                               ("Microsoft Office User", None), ("DUDDY, Claire", None),
                                               ("Exploring crisis care in Wales, NDL Wales Team", "NDL Wales Team")])
def test_pdf_author_is_the_publisher_only_when_it_is_an_organisation_the_text_prints(tmp_path, author, publisher):
    footer = [(f"Contact the {publisher} analytics team for the data", 8, 800)] if publisher else []
    path = cover_pdf(tmp_path / "r.pdf", [("Annual review of community services", 24, 100)] + footer, title="",
                     author=author)
    meta = detect(path)
    assert meta["publisher"] == publisher
    assert meta["provenance"].get("publisher") == ("pdf-info" if publisher else None)
    if publisher:
        assert meta["provenance"]["evidence"]["publisher"] == {"text": f"Author: {author}", "page": None}


@pytest.mark.parametrize("author", ["Publications Office", "ACT Department of Treasury", "NHS England"])
def test_a_body_only_the_author_field_names_is_held_back_not_given(tmp_path, author):
    """A body in the PDF's Author field that the document never prints is a template's or a printer's as often
    as the publisher's: it is held back, with why, for review, and never stored as the publisher."""
    path = cover_pdf(tmp_path / "r.pdf", [("Annual review of community services", 24, 100)], title="", author=author)
    meta = detect(path)
    assert meta["publisher"] is None and "publisher" not in meta["provenance"]
    held = meta["provenance"]["held_back"]["publisher"]
    assert held["value"] == author and "Author" in held["why"]
    from kb.ingest.review import problems

    doc = {"title": meta["title"], "publisher": None, "published": None, "provenance": meta["provenance"],
           "source": "r.pdf"}
    assert any(field == "publisher" and f"held back {author!r}" in why for field, why in problems(doc))


@pytest.mark.parametrize("lines, publisher", [
    (["© NHS England 2023"], "NHS England"),
    (["Published by the Nuffield Trust, 59 New Cavendish Street, London"], "Nuffield Trust"),
    (["Published by the Department of Health and Social Care in March 2023"], "Department of Health and Social Care"),
    (["© Crown copyright 2019", "Produced by the Department of Health and Social Care"],
     "Department of Health and Social Care"),
    (["© Crown copyright 2023", "www.gov.uk/dhsc"], "Department of Health and Social Care"),
    (["Prepared by: Rhod Joyce, Head of Partnerships, NHSX"], "NHSX"),
    (["The House of Commons Library is a research and information service based in the UK Parliament."],
     "House of Commons Library"),
    (["Yours sincerely", "On behalf of", "Secretary of State for Health and Social Care"],
     "Department of Health and Social Care"),
])
def test_publisher_from_the_text(tmp_path, lines, publisher):
    meta = detect_text(tmp_path, "A review of community services\n\n" + PARA + "\n\n" + "\n".join(lines) + "\n")
    assert (meta["publisher"], meta["provenance"]["publisher"]) == (publisher, "text")


def test_no_publisher_is_made_up(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("A review of community services\n\n" + PARA + "\n\nData published by NHS Digital was used.\n")
    assert detect(path)["publisher"] is None


def test_a_signature_date_beats_the_files_creation_date(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "evidence.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=0)
    canvas.setCreator("test")
    canvas.drawString(60, 780, "Written evidence from the Example Research Centre")
    canvas.drawString(60, 760, PARA[:90])
    canvas.drawString(60, 720, "28 February 2018")
    canvas.drawString(60, 700, "References")
    canvas.showPage()
    canvas.save()
    meta = detect(path)
    assert (meta["published"], meta["provenance"]["published"]) == ("2018-02-28", "text")


# -- the catalog still wins ---------------------------------------------------------------------------------


def test_the_catalog_wins_over_everything_detected(tmp_path):
    from kb.ingest.catalog import load_catalog

    path = cover_pdf(tmp_path / "r.pdf", [("Measurement guide", 28, 200), ("December 2025", 18, 300)],
                     title="Report template", author="NHS England")
    (tmp_path / "catalog.toml").write_text('[[document]]\nfile = "r.pdf"\ntitle = "Guide"\npublisher = "NHSE"\n'
                                           'published = "2026-01"\n', "utf-8")
    entry = load_catalog(tmp_path / "catalog.toml")["r.pdf"]
    extraction = extract_file(path)
    meta = resolve_metadata("r.pdf", entry, extraction, "Measurement guide")
    assert (meta["title"], meta["publisher"], meta["published"]) == ("Guide", "NHSE", "2026-01")
    assert _sources(meta) == {"title": "catalog", "publisher": "catalog", "published": "catalog"}
    assert PartialDate("2026-01", "month").earliest == meta["date_earliest"]


# -- copies -------------------------------------------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    home = tmp_path / "proj"
    (home / "corpus").mkdir(parents=True)
    for name, content in files.items():
        (home / "corpus" / name).write_text(content, "utf-8")
    return home


def _docs(home: Path) -> dict[str, dict]:
    result = run_kb("docs", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return {d["source"]: d for d in json.loads(result.stdout)}


def test_byte_identical_and_same_text_files_are_one_document_and_a_copy_is_promoted(tmp_path):
    text = "Community services review\n\n" + PARA * 4
    same_text = text.replace("Community services review", "**Community services review**")
    home = _project(tmp_path, {"b-original.txt": text, "c-copy.txt": text, "d-same-text.md": same_text,
                               "other.txt": "Another paper\n\n" + PARA.replace("local", "county")})
    first = run_kb("ingest", "--json", home=home)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["documents"], summary["editions"]) == (2, 2)
    docs = _docs(home)
    assert docs["b-original.txt"]["duplicate_of"] is None
    assert (docs["c-copy.txt"]["duplicate_of"], docs["c-copy.txt"]["provenance"]["duplicate_of"]) == (
        "b-original", "same-file")
    assert (docs["d-same-text.md"]["duplicate_of"], docs["d-same-text.md"]["provenance"]["duplicate_of"]) == (
        "b-original", "same-text")
    listing = run_kb("docs", home=home).stdout
    assert "[copy] Community services review" in listing
    assert "4 documents (2 of them copies of a listed one, not counted twice)" in listing
    shown = run_kb("show", "c-copy", "--no-passages", home=home).stdout
    assert "copy of    b-original (the same file byte for byte; not indexed or counted separately)" in shown
    search = json.loads(run_kb("search", "county", "--json", home=home).stdout)
    assert {hit["doc_id"] for hit in search["hits"]} == {"other"}
    community = json.loads(run_kb("search", '"community services review"', "--json", home=home).stdout)
    assert {hit["doc_id"] for hit in community["hits"]} == {"b-original"}

    # A file that sorts first, added later, becomes the original whatever the order of ingests.
    (home / "corpus" / "a-earlier.txt").write_text(text, "utf-8")
    assert run_kb("ingest", home=home).returncode == 0
    docs = _docs(home)
    assert docs["a-earlier.txt"]["duplicate_of"] is None
    assert {docs[s]["duplicate_of"] for s in ("b-original.txt", "c-copy.txt", "d-same-text.md")} == {"a-earlier"}

    # Removing the original promotes the next copy, which is searchable again.
    (home / "corpus" / "a-earlier.txt").unlink()
    (home / "corpus" / "b-original.txt").unlink()
    again = json.loads(run_kb("ingest", "--json", home=home).stdout)
    assert (again["documents"], again["editions"]) == (2, 1)
    docs = _docs(home)
    assert docs["c-copy.txt"]["duplicate_of"] is None and "duplicate_of" not in docs["c-copy.txt"]["provenance"]
    assert docs["d-same-text.md"]["duplicate_of"] == "c-copy"
    community = json.loads(run_kb("search", '"community services review"', "--json", home=home).stdout)
    assert {hit["doc_id"] for hit in community["hits"]} == {"c-copy"}
    import sqlite3

    with sqlite3.connect(home / "indexes" / "kb.sqlite") as conn:
        tagged, indexed = conn.execute("SELECT tagged_with, indexed FROM documents WHERE id='c-copy'").fetchone()
    assert tagged is not None and indexed == 1  # tagged again and back in the search index


def test_a_copy_of_a_copy_points_at_the_original(tmp_path):
    from kb.ingest.pipeline import settle_copies
    from kb.store import Store

    text = "Community services review\n\n" + PARA * 3
    home = _project(tmp_path, {"a.md": text.replace("Community services review", "**Community services review**"),
                               "b.txt": text, "c.txt": text})
    assert run_kb("ingest", home=home).returncode == 0
    docs = _docs(home)
    assert [docs[s]["duplicate_of"] for s in ("a.md", "b.txt", "c.txt")] == [None, "a", "a"]
    assert [docs[s]["provenance"].get("duplicate_of") for s in ("b.txt", "c.txt")] == ["same-text", "same-file"]
    with Store.open(home / "indexes" / "kb.sqlite") as store:
        query = "SELECT id, duplicate_of, indexed, tagged_with FROM documents ORDER BY id"
        before = [tuple(r) for r in store.conn.execute(query)]
        with store.transaction():
            settle_copies(store)  # already settled: nothing is written again
        assert [tuple(r) for r in store.conn.execute(query)] == before


def test_a_catalog_edition_is_left_as_the_catalog_says(tmp_path):
    text = "Community services review\n\n" + PARA * 3
    home = _project(tmp_path, {"a.txt": text, "b.txt": text})
    (home / "corpus" / "catalog.toml").write_text('[[document]]\nfile = "b.txt"\nid = "main"\n\n'
                                                  '[[document]]\nfile = "a.txt"\nduplicate_of = "main"\n', "utf-8")
    assert run_kb("ingest", home=home).returncode == 0
    docs = _docs(home)
    assert docs["b.txt"]["duplicate_of"] is None
    assert (docs["a.txt"]["duplicate_of"], docs["a.txt"]["provenance"]["duplicate_of"]) == ("main", "catalog")
    assert "[edition]" in run_kb("docs", home=home).stdout


def _sources(meta: dict) -> dict:
    """Where each value came from, without the evidence itself."""
    return {k: v for k, v in meta["provenance"].items() if k != "evidence"}


# -- general evidence: running labels, paper numbers, headers, dates of this document ---------------------


def running_label_pdf(path: Path, label: str, title: str, pages: int = 4) -> Path:
    """A PDF whose every page starts with the running ``label``; the cover's title is in the body size (so the
    cover layout does not single it out) on the line under the label."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    words = (PARA * 6).split()
    for page in range(pages):
        canvas.setFont("Helvetica", 10)
        canvas.drawString(60, 800, label)
        y = 770
        if page == 0:
            canvas.drawString(60, y, title)
            y -= 30
        for start in range(0, len(words), 14):
            canvas.drawString(60, y, " ".join(words[start:start + 14]))
            y -= 13
        canvas.showPage()
    canvas.save()
    return path


def test_a_running_label_above_the_title_is_not_the_title(tmp_path):
    meta = detect(running_label_pdf(tmp_path / "r.pdf", "Interim report", "Rapid review of inpatient data"))
    assert meta["title"] == "Rapid review of inpatient data"
    assert meta["provenance"]["evidence"]["title"] == {"text": "Rapid review of inpatient data", "page": 1}


@pytest.mark.parametrize("label", ["CP 1478", "Cm 9999", "HC 123", "Proposals for a strategic framework Page 5",
                                   "Introduction ........ 3"])
def test_command_paper_numbers_and_contents_lines_are_not_titles(label):
    assert not is_title_like(label)


def test_a_page_headers_body_name_is_not_part_of_the_title():
    assert clean_title("NHS England | National engagement on data") == "National engagement on data"
    assert clean_title("Data | Analysis | Plans") == "Data | Analysis | Plans"


def test_a_word_the_cover_hyphenated_is_joined_when_the_text_writes_it_whole():
    from kb.ingest.casing import rejoined

    text = PARA + " Our response follows. The decision-making is shared."
    assert rejoined("The Danish Government's re- sponse to the call", text) == \
        "The Danish Government's response to the call"
    assert rejoined("Core decision- making", text) == "Core decision-making"


def test_a_transcripts_date_is_the_one_in_its_title(tmp_path):
    meta = detect_text(tmp_path, "Transcript of Module 1 Preliminary Hearing on 4 October 2022\n\n" + PARA * 3,
                       "hearing.txt")
    assert (meta["published"], meta["provenance"]["published"]) == ("2022-10-04", "title")
    assert meta["provenance"]["evidence"]["published"]["text"].startswith("Transcript of Module 1")


def test_a_file_names_date_is_the_last_labelled_source(tmp_path):
    meta = detect_text(tmp_path, "Board papers\n\n" + PARA * 3, "board-papers-january-2025.txt")
    assert (meta["published"], meta["date_precision"], meta["provenance"]["published"]) == \
        ("2025-01", "month", "file-name")
    dated = tmp_path / "papers-january-2025.txt"
    dated.write_text("Board papers\n\nPublished: 3 February 2025\n\n" + PARA, "utf-8")
    assert (detect(dated)["published"], detect(dated)["provenance"]["published"]) == ("2025-02-03", "text")


@pytest.mark.parametrize("cover_year, printed, expected", [
    ("2017", "", ("2017", "year", "pdf-info")),  # the year the cover prints; the month the file was made is no proof
    ("2017", "We ask for your vote in the election of May 2017 and beyond.", ("2017-05", "month", "pdf-info")),  # … unless printed
    ("2017", "We set out our plans for the election in March 2017 and beyond.", ("2017", "year", "pdf-info")),
    ("1997", "", ("1997", "year", "title"))])
def test_a_pdfs_creation_date_is_kept_only_when_the_cover_prints_its_year(tmp_path, cover_year, printed, expected):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "m.pdf"
    canvas = rl_canvas.Canvas(str(path), invariant=0)
    canvas.setDateFormatter(lambda *_: "D:20170528093000+00'00'")
    canvas.setFont("Helvetica", 24)
    canvas.drawString(60, 700, f"Election Manifesto {cover_year}")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 600, PARA[:90])
    canvas.drawString(60, 580, printed)
    canvas.showPage()
    canvas.save()
    meta = detect(path)
    assert (meta["published"], meta["date_precision"], meta["provenance"].get("published")) == expected


def test_a_date_printed_large_on_the_cover_is_the_documents_date_when_the_text_starts_elsewhere(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "table.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(842, 595), invariant=1)
    canvas.setFont("Helvetica", 9)
    for row in range(60):  # a table whose cells fill the start of the text
        canvas.drawString(40, 560 - row * 8, f"Region number {row} of the national table   {row * 13:,}   {row * 7:,}")
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(420, 40, "Background Checks November - 2015")
    canvas.showPage()
    canvas.save()
    meta = detect(path)
    assert (meta["published"], meta["provenance"]["published"]) == ("2015-11", "text")


def test_a_time_stamp_line_is_not_a_title_and_the_meetings_title_dates_it(tmp_path):
    meta = detect_text(tmp_path, "01:00:15.359 Morning\n\nNHS England Board Meeting 23 September 2025\n\n" + PARA * 3,
                       "board.txt")
    assert meta["title"] == "NHS England Board Meeting 23 September 2025"
    assert meta["published"] == "2025-09-23"
    assert meta["provenance"]["evidence"]["published"]["text"] == "NHS England Board Meeting 23 September 2025"


def test_one_word_read_from_the_text_is_not_a_title(tmp_path):
    assert detect_text(tmp_path, "# Framework\n\n## Quality assurance framework for data linkage\n\n" + PARA * 3,
                       "qa.md")["title"] == "Quality assurance framework for data linkage"


def layout_pdf(path: Path, cover: list[tuple[str, float, float]], body_size: float = 10, pages: int = 2,
               heading: str = "") -> Path:
    """A PDF whose first page shows ``cover`` lines (text, size, baseline y from the top) and whose next pages
    are body text in ``body_size`` (slides set their body as large as a report's cover), the second page
    under ``heading`` in a larger size."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(842, 595) if body_size > 14 else (595, 842), invariant=1)
    for text, size, top in cover:
        canvas.setFont("Helvetica", size)
        canvas.drawString(60, canvas._pagesize[1] - top, text)
    canvas.showPage()
    words = (PARA * 12).split()
    per_line = max(4, int(1000 / (body_size * 7)))
    for _ in range(pages - 1):
        canvas.setFont("Helvetica", body_size)
        y = canvas._pagesize[1] - 60
        if heading and _ == 0:
            canvas.setFont("Helvetica-Bold", body_size * 1.4)
            canvas.drawString(60, y, heading)
            canvas.setFont("Helvetica", body_size)
            y -= body_size * 3
        for start in range(0, len(words), per_line):
            if y < 40:
                break
            canvas.drawString(60, y, " ".join(words[start:start + per_line]))
            y -= body_size * 1.3
        canvas.showPage()
    canvas.save()
    return path


def test_a_slide_decks_cover_title_is_its_largest_text_though_the_slides_are_as_large(tmp_path):
    path = layout_pdf(tmp_path / "s.pdf", [("Prescribing and", 32, 160), ("medicines reconciliation -", 32, 198),
                                          ("how standards can help.", 32, 236),
                                          ("Dr Ann Example and Bob Sample", 24, 300)], body_size=32, pages=3)
    assert detect(path)["title"] == "Prescribing and medicines reconciliation - how standards can help"


def test_a_plain_title_page_in_the_body_size_gives_its_title_not_the_next_pages_heading(tmp_path):
    path = layout_pdf(tmp_path / "r.pdf", [("Review of Library Services", 10, 60), ("Page 1 of 3", 8, 800)],
                      pages=3, heading="2 What our residents have said")
    assert detect(path)["title"] == "Review of Library Services"


def test_title_lines_set_close_together_form_one_title_with_the_period_under_them(tmp_path):
    # 49 pt lines 47 pt apart: their boxes overlap; the period is larger still and belongs to the title.
    path = layout_pdf(tmp_path / "a.pdf", [("Suffolk Libraries", 49, 120), ("Annual Review", 49, 167),
                                          ("2012/13", 90, 260)])
    assert detect(path)["title"] == "Suffolk Libraries Annual Review 2012/13"
    above = layout_pdf(tmp_path / "b.pdf", [("2007", 39, 100), ("Instructions for Form 1040NR", 24, 160)])
    assert detect(above)["title"] == "Instructions for Form 1040NR"  # a year above is not part of it


def test_a_header_printed_smaller_than_the_text_is_not_the_title(tmp_path):
    body = [(f"{n} " + PARA[n * 5:n * 5 + 60], 12, 120 + 26 * n) for n in range(1, 25)]
    path = layout_pdf(tmp_path / "t.pdf", [("Official - Subject to Final Review", 10, 40),
                                          ("IN THE SUPREME COURT OF THE UNITED STATES", 12, 80)] + body,
                      body_size=12, pages=1)
    assert detect(path)["title"] == "In the Supreme Court of the United States"  # (its words: "of", "the")


def test_a_letters_address_block_in_its_body_size_is_not_a_title_but_a_larger_subject_is(tmp_path):
    letter = [("IG Example Vorstand", 8, 60), ("Executive Vice-President Jane Example", 10, 100),
              ("Rue de la Loi 200", 10, 113), ("Feedback on the consultation on the Chips Act", 11, 180),
              ("Dear Commissioner,", 10, 220)] + [(PARA[:80], 10, 240 + 13 * n) for n in range(30)]
    assert detect(layout_pdf(tmp_path / "l.pdf", letter, pages=1))["title"] == \
        "Feedback on the consultation on the Chips Act"


def test_headings_on_consecutive_lines_at_the_top_of_markdown_are_one_title_and_an_election_year_dates_it(tmp_path):
    path = tmp_path / "manifesto.md"
    path.write_text("# Are you thinking what we're thinking?\n# It's time for action\n# Conservative Election "
                    "Manifesto 2005\n\n## I believe that Britain could do better\n\n" + PARA * 3, "utf-8")
    meta = detect(path)
    assert meta["title"] == ("Are you thinking what we're thinking? It's time for action: Conservative Election "
                             "Manifesto 2005")
    assert (meta["published"], meta["date_precision"], meta["provenance"]["published"]) == ("2005", "year", "title")
    apart = tmp_path / "apart.md"
    apart.write_text("# Contents\n\n# Our strategy to 2030\n\n" + PARA * 3, "utf-8")
    meta = detect(apart)
    assert (meta["title"], meta["published"]) == ("Our strategy to 2030", None)  # a target year, not a date


def test_a_section_of_a_periodicals_dated_running_header_is_not_the_title(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "notice.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    words = (PARA * 6).split()
    for page in range(4):
        canvas.setFont("Helvetica", 9)
        if page == 0:
            canvas.setFont("Helvetica-Bold", 18)
            canvas.drawString(60, 790, "Proposed Rules")
            canvas.setFont("Helvetica", 9)
        else:
            canvas.drawString(60, 800, "Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules")
        y = 760
        for start in range(0, len(words), 14):
            canvas.drawString(60, y, " ".join(words[start:start + 14]))
            y -= 11
        canvas.showPage()
    canvas.save()
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == ("Notice", "file-name")


@pytest.mark.parametrize("journal", ["BMC Public Health", "The Lancet Public Health", "Journal of Public Health",
                                     "BMC Public Health (2023) 23:1102", "International Journal of Integrated Care"])
def test_a_journals_name_above_a_papers_title_is_not_the_title(tmp_path, journal):
    assert detect_text(tmp_path, f"{journal}\n\nPrimary care networks and the health of their populations\n\n" +
                       PARA * 3, "paper.txt")["title"] == "Primary care networks and the health of their populations"


def test_a_kind_of_document_printed_largest_is_joined_with_the_subject_the_cover_prints_with_it(tmp_path):
    above = layout_pdf(tmp_path / "a.pdf", [("Module 2: Core decision-making and political", 15, 60),
                                           ("governance", 15, 78), ("Report and Recommendations In Brief", 20, 170)])
    assert detect(above)["title"] == ("Module 2: Core decision-making and political governance: Report and "
                                      "Recommendations In Brief")
    below = layout_pdf(tmp_path / "b.pdf", [("Final report", 28, 100), ("Rapid review of inpatient data", 16, 160)])
    assert detect(below)["title"] == "Final report: Rapid review of inpatient data"


@pytest.mark.parametrize("cover, title", [
    # one word printed largest is a logo in its box, not the title: the next largest is
    ([("NHS", 24, 60), ("Board Meeting in Public", 10, 70), ("Agenda item: 9", 10, 84),
      ("Winter Resilience and Urgent and Emergency Care Update", 17, 130)],
     "Winter Resilience and Urgent and Emergency Care Update"),
    # a place's name over its inspection report, though the address under it reads like a letterhead
    ([("Hollybank House", 28, 100), ("Inspection report", 16, 130), ("27 Station Road", 10, 160),
      ("Tel: 01632 960722", 10, 175)], "Hollybank House: Inspection report"),
    # an inquiry's report is titled by the inquiry's name printed over it
    ([("The Harbourside Hospital Inquiry", 30, 150), ("Report", 20, 210), ("Volume 1: Findings and Recommendations",
                                                                          16, 245)],
     "The Harbourside Hospital Inquiry: Report: Volume 1: Findings and Recommendations"),
    # a line that ends on "and" goes on after a wide gap
    ([("Inspection of services for children in need of help", 14, 150), ("and", 13, 180),
      ("Review of the Local Safeguarding Children Board", 14, 215)],
     "Inspection of services for children in need of help and Review of the Local Safeguarding Children Board"),
    # a subtitle printed right under the title, smaller but larger than the text, joins it
    ([("No Place to Settle", 28, 150), ("Families living in temporary accommodation in coastal towns", 15, 180),
      ("Published: 11 November 2015", 9.5, 210)],
     "No Place to Settle: Families living in temporary accommodation in coastal towns"),
    # ... but a date, a body's name or a byline under the title is none
    ([("No Place to Settle", 28, 150), ("November 2015", 15, 180)], "No Place to Settle"),
    ([("No Place to Settle", 28, 150), ("Fairhaven Housing Trust", 15, 180)], "No Place to Settle"),
    ([("No Place to Settle", 28, 150), ("By Helen Marsh and Tom Ekwueme", 15, 180)], "No Place to Settle"),
    # a topic's one word printed largest right over the title; a series line ending in a colon over it
    ([("Community Empowerment (Scotland) Act 2015", 11, 190), ("Allotments", 30, 240),
      ("Consultation on draft statutory guidance for local authorities", 16, 270)],
     "Allotments: Consultation on draft statutory guidance for local authorities"),
    ([("The 2017-18 Budget:", 16, 270), ("Improving Placement Stability for Youth", 26, 295),
      ("in Foster Care", 26, 324)], "The 2017-18 Budget: Improving Placement Stability for Youth in Foster Care"),
    # a title with a word for a street in it is no address; a report's period and a record's day under the title
    ([("No Place", 48, 250), ("Like It", 48, 298), ("Families in temporary accommodation in England", 17, 360)],
     "No Place Like It: Families in temporary accommodation in England"),
    ([("Annual Report and Financial", 28, 290), ("Statements", 28, 324), ("for the year ended 31 March 2015", 16, 362),
      ("October 2015", 12, 415)], "Annual Report and Financial Statements for the year ended 31 March 2015"),
    ([("Minutes of the meeting of the Finance and Performance Committee held on", 13, 130),
      ("Tuesday 12 September 2023", 13, 146), ("10:00 – 12:30, Boardroom, Wessex House, Andover", 11, 162)],
     "Minutes of the meeting of the Finance and Performance Committee held on Tuesday 12 September 2023"),
    ([("BARNFIELD BOROUGH COUNCIL", 14, 66), ("Minutes of the meeting of the Cabinet held on Wednesday 12", 13, 113),
      ("March 2014 at 6.30 pm in the Council Chamber, Civic Centre,", 13, 130), ("Barnfield", 13, 146)],
     "Minutes of the meeting of the Cabinet held on Wednesday 12 March 2014"),
    # a line ending in "of" over the inspected place's name printed largest, and the office whose report it is
    ([("Report on an unannounced inspection of", 15, 220), ("HMP Fenwick", 34, 260),
      ("by HM Chief Inspector of Prisons", 15, 305), ("9–20 January 2017", 15, 360)],
     "Report on an unannounced inspection of HMP Fenwick by HM Chief Inspector of Prisons"),
    # a topic in capitals over a title, though the title's first line ends on a body's word
    ([("GAO", 26, 120), ("United States Government Accountability Office", 11, 160), ("NURSING HOMES", 22, 315),
      ("CMS Should Improve Oversight of State Survey Agency", 18, 345), ("Staffing", 18, 367)],
     "Nursing Homes: CMS Should Improve Oversight of State Survey Agency Staffing"),
])
def test_the_cover_title_past_its_logo_labels_and_gaps(tmp_path, cover, title):
    assert detect(layout_pdf(tmp_path / "cover.pdf", cover))["title"] == title


def test_a_note_mark_raised_beside_a_cover_title_is_not_part_of_it(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "noted.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    canvas.setFont("Helvetica", 18)
    canvas.drawString(60, 700, "Review of the effectiveness of the Local Safeguarding Children Boa")
    width = canvas.stringWidth("Review of the effectiveness of the Local Safeguarding Children Boa", "Helvetica", 18)
    canvas.drawString(60 + width, 700, "rd")  # the word drawn in two runs, as a browser may print it
    canvas.setFont("Helvetica", 11)
    canvas.drawString(60 + width + canvas.stringWidth("rd", "Helvetica", 18), 707, "1")
    canvas.setFont("Helvetica", 10)
    for n in range(30):
        canvas.drawString(60, 640 - 14 * n, PARA[:90])
    canvas.save()
    assert detect(path)["title"] == "Review of the effectiveness of the Local Safeguarding Children Board"


def test_an_article_and_one_word_heading_is_the_start_of_the_title_under_it(tmp_path):
    assert detect_text(tmp_path, "# The Leeds\n\n# Health and Wellbeing Strategy 2023 to 2030\n\n" + PARA * 3,
                       "strategy.md")["title"] == "The Leeds Health and Wellbeing Strategy 2023 to 2030"
    alone = tmp_path / "plan.md"
    alone.write_text("# Our plan for Leeds\n\n# Why we need to change\n\n" + PARA * 3, "utf-8")
    assert detect(alone)["title"] == "Our plan for Leeds"


def test_a_cover_set_with_drop_capitals_is_not_read_as_the_title(tmp_path):
    """The large initial of a drop capital is its own text run: the cover reads "TREATY MPLEMENTATION" with an
    "I" apart. A title with a word that is a word of the text less its first letter is the cover's pieces."""
    note = ("The summary covers the implementation of the treaty and its implementation dates.", 10, 300)
    path = cover_pdf(tmp_path / "dmca.pdf", [("I", 48, 60), ("TREATY MPLEMENTATION REPORT", 26, 110), note],
                     title="The Treaty Implementation Act of 1998")
    meta = detect(path)
    assert meta["title"] == "The Treaty Implementation Act of 1998"
    assert meta["provenance"]["title"] == "pdf-info"
    whole = cover_pdf(tmp_path / "ok.pdf", [("TREATY IMPLEMENTATION REPORT", 26, 110), note], title="")
    assert detect(whole)["title"].casefold() == "treaty implementation report"


@pytest.mark.parametrize("label", [
    "Health Policy 125 (2021) 1–10", "BMJ Open 2021;11:e045543", "Volume 39, Issue 4", "Vol. 12, No. 3, March 2020",
    "RESEARCH ARTICLE", "Open Access", "Policy paper", "Independent report", "Interim report", "Press release",
    "Enclosure B", "Board meeting | 12 May 2023", "The Leeds", "11/24/25, 5:39 PM", "By Claire Duddy",
    "Userid: DTD INSTR04", "NIST AI 100-1", "Official Journal of the European Union", "❏ Ok to Print",
    "Dr Gareth Collier and Cheryl Way", "The opening prayer was read by Councillor Gerbasi",
    "Department of Health & Social Care", "Official - Subject to Final Review", "OFFICIAL – SENSITIVE", "£ m extra per week",
    "Over one year, that’s .", "5 June 2025 By Claire Duddy", "EN Official Journal of the European Union L 119/1",
])
def test_a_text_exports_running_label_journal_line_or_kind_of_document_is_not_its_title(tmp_path, label):
    """The first line of a text export is often a journal's issue line, an article type, a GOV.UK page's type
    or a header: the title is the next line that reads as one."""
    meta = detect_text(tmp_path, f"{label}\n\nDelayed discharge from community hospitals in England\n\n" + PARA * 3,
                       "paper.txt")
    assert meta["title"] == "Delayed discharge from community hospitals in England"
    assert is_title_like("Annual report and accounts 2022/23") and is_title_like("Guidance for commissioners")


def test_a_text_exports_title_line_that_ends_on_a_connecting_word_runs_on(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("No Chips Without\nWater Financial\n\nIntegrating water management into the chips act\n\n"
                    + PARA * 3, "utf-8")
    assert detect(path)["title"] == "No Chips Without Water Financial"


SENTENCES = PARA.replace(". ", ".\n")  # lines of running text, none of which reads as a title


def test_a_text_exports_later_page_heading_is_not_its_title_and_the_file_name_stands_in(tmp_path):
    """Pages of a PDF's text export are cut at form feeds; once short pages are joined, a later page's first
    line can come within the first lines of the text. A title is printed on the first page (with words)."""
    path = tmp_path / "long-term-plan.txt"
    path.write_text("for England\n27 July 2019\n\n" + SENTENCES * 2 + "\f2\n\fThe NHS Long Term Plan\n\n"
                    + SENTENCES * 3 + "\f", "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == ("Long term plan", "file-name")
    one_page = tmp_path / "one.txt"  # on one page, the heading comes after the body's first words: a section's
    one_page.write_text(path.read_text("utf-8").replace("\f2\n\f", SENTENCES + "\n"), "utf-8")
    assert (detect(one_page)["title"], detect(one_page)["provenance"]["title"]) == ("One", "file-name")
    short = tmp_path / "short.txt"  # after a line or two, it is still the cover's
    short.write_text("for England\n27 July 2019\n\nThe NHS Long Term Plan\n\n" + SENTENCES * 3, "utf-8")
    assert detect(short)["title"] == "The NHS Long Term Plan"


@pytest.mark.parametrize("cover", ["3\n", "www.example.nhs.uk\n\n I \n\n@ExampleNHS\n", " \n\u200b\n"])
def test_a_text_exports_cover_with_no_line_of_words_passes_the_title_to_the_next_page(tmp_path, cover):
    path = tmp_path / "standard.txt"
    path.write_text(cover + "\fDigital Health Technology Standard\n\nDraft\n\n" + SENTENCES + "\f"
                    + "Principles of the standard\n\n" + SENTENCES, "utf-8")
    assert detect(path)["title"] == "Digital Health Technology Standard"


def test_a_line_ending_in_a_comma_and_the_line_after_it_are_not_a_title(tmp_path):
    """A letterhead set on narrow lines ("MINISTER FOR INDUSTRY," / "BUSINESS AND FINANCIAL" / "AFFAIRS") is cut
    mid-name: no line of it is a title; a title under it still is, and a comma inside a line is no cut."""
    head = "MINISTER FOR INDUSTRY, \n\nBUSINESS AND FINANCIAL \n\nAFFAIRS \n\n"  # as pdfminer lays out its boxes
    path = tmp_path / "response.txt"
    path.write_text(head + SENTENCES, "utf-8")
    assert detect(path)["provenance"]["title"] == "file-name"
    path.write_text(head + "Response to the call for evidence on chips\n\n" + SENTENCES, "utf-8")
    assert detect(path)["title"] == "Response to the call for evidence on chips"
    path.write_text("Health, care and housing: a plan for Leeds\n\n" + SENTENCES, "utf-8")
    assert detect(path)["title"] == "Health, care and housing: a plan for Leeds"


STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
          "District of Columbia", "Florida", "Georgia"]


@pytest.mark.parametrize("pages", [1, 2])
def test_a_tables_header_laid_out_first_is_not_the_title(tmp_path, pages):
    """In layout order a table's header often comes first: a short line over a column of short lines heads the
    column, and is no title; a title printed above the table still is."""
    table = "State / Territory\n\nPermit\n\n" + "\n".join(STATES) + "\n\nTotals\n\n" + "\n".join(
        f"{n * 1709:,}" for n in range(len(STATES))) + "\n"
    rest = ("\f" if pages == 2 else "\n\n") + SENTENCES
    path = tmp_path / "checks-by-state.txt"
    path.write_text(table + rest, "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == ("Checks by state", "file-name")
    path.write_text("Background checks by state: November 2015\n\n" + table + rest, "utf-8")
    assert detect(path)["title"] == "Background checks by state: November 2015"
    listed = tmp_path / "list.txt"  # short lines, but not a column of a table: fewer than eight in a row
    listed.write_text("Background checks by state\n\n" + "\n".join(STATES[:5]) + "\n\n" + SENTENCES, "utf-8")
    assert detect(listed)["title"] == "Background checks by state"


@pytest.mark.parametrize("title, publisher", [
    ("Infected Blood Inquiry: recommendations for recognition and compensation", None),  # about the inquiry
    ("The Leeds Networked Data Lab: analysis plan for intermediate care", "The Leeds Networked Data Lab"),
    ("Suffolk County Council: annual report 2023", "Suffolk County Council"),
])
def test_a_body_before_a_titles_colon_publishes_it_only_when_a_kind_of_document_follows(tmp_path, title, publisher):
    assert detect_text(tmp_path, f"{title}\n\n" + PARA * 3, "t.txt")["publisher"] == publisher


# -- Markdown and text converted from PDFs ------------------------------------------------------------------

def test_a_converted_covers_run_of_headings_is_one_title_whatever_the_levels(tmp_path):
    """A PDF converted to Markdown writes each line of its cover as a heading sized by its font: the largest
    title-like line, the lines its words run on into, and a short line of its level make the title; the date
    on its last line dates the document, and a later section's heading is never part of it."""
    cases = {
        "## **THE HANDBOOK TO**\n\n# **The NHS Constitution**\n\n### for England January 2019\n\n# Contents\n\n":
            ("The Handbook to The NHS Constitution for England", "2019-01"),
        "##### **Country** **Cooperation**\n\n##### **Strategy** **2024–2028**\n\n###### Cabo Verde\n\n":
            ("Country Cooperation Strategy 2024–2028", None),
        "# Feeling the crunch:\n\n# NHS finances to 2020\n\n### Sally Gainsbury\n\n### August 2016\n\n":
            ("Feeling the crunch: NHS finances to 2020", "2016-08"),
        "# Our plan for Leeds\n\n# Why we need to change\n\n": ("Our plan for Leeds", None),
    }
    for n, (head, (title, date)) in enumerate(cases.items()):
        path = tmp_path / f"cover{n}.md"
        path.write_text(head + PARA * 4, "utf-8")
        meta = detect(path)
        # (a line set in capitals is recased from the text: "THE HANDBOOK TO" reads "The Handbook to")
        assert (meta["title"].casefold(), meta["provenance"]["title"]) == (title.casefold(), "text"), head
        assert meta["published"] == date, head


def test_a_plain_text_covers_edition_date_ends_its_title_and_a_fields_date_is_no_title(tmp_path):
    """A PDF read out as plain text sets its cover's short lines together ("for England January 2019
    Contents"): the title stops at the edition's date. A cover's field ("Fieldwork dates: …") is no title."""
    cover = tmp_path / "handbook.txt"
    cover.write_text("THE HANDBOOK TO\nThe NHS Constitution\n\nfor England\nJanuary 2019\nContents\n\n"
                     "Part I: NHS Values 12\n\n" + SENTENCES * 3, "utf-8")
    meta = detect(cover)
    assert (meta["title"].casefold(), meta["published"]) == ("the handbook to the nhs constitution for england",
                                                              "2019-01")
    poll = tmp_path / "poll-findings.txt"
    poll.write_text("Teesside University\n\nConducted by YouGov on behalf of Teesside University\n\n"
                    "Fieldwork Dates: 22nd - 29th May 2018\n\nAugust 29, 2018\n\n" + SENTENCES * 3, "utf-8")
    meta = detect(poll)
    assert (meta["title"], meta["provenance"]["title"]) == ("Poll findings", "file-name")
    assert meta["published"] == "2018-08-29"
    assert is_title_like("Background checks by state: November 2015")  # a title with its edition, not a field
    assert not is_title_like("Date of meeting: 12 May 2023")
    assert not is_title_like("To: Organisations providing health services")  # a memo's addressees


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_cover_set_without_blank_lines_ends_its_title_where_its_fields_start(tmp_path, suffix):
    """A converter that writes a cover's lines one under the other (markitdown, pdftotext) leaves the title, its
    date and its fields in one paragraph: the title is its printed lines up to the first field, date or byline,
    never a line of prose cut where it mentions a date."""
    cases = {
        "Listening to digital\nhealth innovators\nPublication date: 15 October 2019\n\nForeword\n":
            ("Listening to digital health innovators", "2019-10-15"),
        "Version 2.1\nThe Leeds Networked Data Lab:\nAnalysis plan for Topic 4: Intermediate\nCare\nAuthors\n"
        "Frank Wood, Alex Brownrigg, Matt Simpson\nDate\n05/09/2023\nVersion number\n2.1\n\n":
            ("The Leeds Networked Data Lab: Analysis plan for Topic 4: Intermediate Care", "2023-09-05"),
        "Suffolk Libraries Annual Review\n2012/13\nBy Jane Example\n\n": ("Suffolk Libraries Annual Review 2012/13",
                                                                           None),
        # the title's lines in title case, its subtitle in sentence case
        "Children and Young\nPeople's Mental Health\nExploring presentation in mental health crisis through\n"
        "linked routine health care data in Wales\nJuly 2022\n\n": ("Children and Young People's Mental Health",
                                                                     "2022-07"),
        "Artificial Intelligence:\nHow to get it right\nPutting policy into practice for safe\ndata-driven innovation"
        "\nOctober 2019\n\n": ("Artificial Intelligence: How to get it right", "2019-10"),
        "Hypertension in\npregnancy: diagnosis and\nmanagement\nNICE guideline\nPublished: 25 June 2019\n\n":
            ("Hypertension in pregnancy: diagnosis and management", "2019-06-25"),  # a body's kind of document
        "Great North Care Record\nTechnical Vision\nVersion Number 2.3 Version Date July 2017\nPolicy Owner Jane "
        "Example\n\n": ("Great North Care Record Technical Vision", "2017-07"),  # a field without its colon
        "Intermediate Care\nFinal Report\nDr Jane Example, Tom Sample, Dr Ann Other\n01 July 2024\n\n":
            ("Intermediate Care Final Report", "2024-07-01"),  # its authors are no part of it
        "Rethinking general\npractice\nLessons from the frontline\n\nMay 2024\n\n": ("Rethinking general practice",
                                                                              "2024-05"),  # its subtitle
        "Community pharmacy in\nEngland: a system\nunder strain\nWhat has happened to pharmacy services\n\n":
            ("Community pharmacy in England: a system under strain", None),
        "Topic 4: Intermediate Care Final Report\nNDL [Leeds Network Data Lab]\n[Frank Wood, Anna Palczewska]\n"
        "[31.10.2024]\n\n": ("Topic 4: Intermediate Care Final Report", "2024-10-31"),  # a template's fields filled in
        "The National Health Action Party\nElection Manifesto 2017\nA new politics.\nA healthy NHS.\n\n":
            ("The National Health Action Party Election Manifesto 2017", "2017"),  # nor its slogans
        "Long term prediction intervals for\nresidual growth in English hospitals: a\nnational elicitation for the "
        "New Hospital\nProgramme.\n02 December 2024\n\n": ("Long term prediction intervals for residual growth in "
                                                          "English hospitals: a national elicitation for the New "
                                                          "Hospital Programme", "2024-12-02"),
    }
    for n, (head, (title, date)) in enumerate(cases.items()):
        path = tmp_path / f"cover{n}{suffix}"
        path.write_text(head + SENTENCES * 3, "utf-8")
        meta = detect(path)
        assert (meta["title"], meta["published"]) == (title, date), head
    prose = tmp_path / f"prose{suffix}"
    prose.write_text("Coordinating the federal government's efforts to address\nthe nation's cybersecurity was the aim "
                     "set\nin March 2023, when the strategy was published.\n\n" + SENTENCES * 3, "utf-8")
    assert detect(prose)["provenance"]["title"] == "file-name"


@pytest.mark.parametrize("cover, title", [
    ("To Err is Human: Building a Safer Health System\n\nMarch 2000", "To Err is Human: Building a Safer Health System"),
    ("West Yorkshire\nICB Strategy\n2023 to 2028", "West Yorkshire ICB Strategy 2023 to 2028"),
    ("The Health and Social Care Committee\nReport on Workforce\nNovember 2021",
     "The Health and Social Care Committee Report on Workforce"),
    ("Joint Strategic Needs Assessment\nMental Health, Learning Disabilities and Autism",
     "Joint Strategic Needs Assessment Mental Health, Learning Disabilities and Autism"),
    ("Medicines Optimisation Policy\nPharmacy Department\nReview Date: May 2025", "Medicines Optimisation Policy"),
    ("Board Terms of\nReference\nMay 2021", "Board Terms of Reference"),
    ("Guidance\n\nfor Covid-19 (March 2020 edition)", "Guidance for Covid-19 (March 2020 edition)"),
    ("Meeting the Challenge: March 2020", "Meeting the Challenge: March 2020"),
])
def test_a_covers_printed_lines_keep_a_title_that_only_looks_like_a_field_a_list_or_a_body(tmp_path, cover, title):
    """Counter-examples to the rules that end a title at a cover's field, names, subtitle or edition date: a
    title starting "To", an acronym's strategy, a committee's report, a list of topics, a field's word after a
    connector, a date in brackets, a title ending in its month."""
    assert detect_text(tmp_path, cover + "\n\n" + SENTENCES * 3)["title"] == title


def test_a_line_of_emphasised_spans_is_the_covers_lines_so_a_date_under_a_byline_dates_it(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("Version 3.0\n\n# The Networked Data Lab\n\n## Topic 4: Intermediate Care Final Report\n\n"
                    "#### _Dr Jane Example, Tom Sample, Prof Ann Other_ _01 July 2024_ _Version 3.0_\n\n"
                    + PARA * 4, "utf-8")
    meta = detect(path)
    assert (meta["published"], meta["date_precision"]) == ("2024-07-01", "day")
    assert meta["provenance"]["evidence"]["published"]["text"] == "01 July 2024"
    words = tmp_path / "words.md"  # a span per word is one line's words: the date is whole
    words.write_text("# **MANUAL** **TRANSMITTAL**\n\n**PURPOSE**\n\n**DECEMBER** **12,** **2022**\n\n" + PARA * 4,
                     "utf-8")
    assert detect(words)["published"] == "2022-12-12"


def test_html_line_breaks_and_converters_empty_column_names_never_join_a_name(tmp_path):
    path = tmp_path / "submission.md"
    path.write_text("# **Securing Chip Access Through Strategic Indispensability**\n\n"
                    "|Submission to the Chips Act Public Consultation<br>Centre for Future Generations\u200b|Col2|\n"
                    "|---|---|\n|Executive Summary|2|\n\n" + PARA * 4, "utf-8")
    meta = detect(path)
    assert meta["title"] == "Securing Chip Access Through Strategic Indispensability"
    assert meta["publisher"] == "Centre for Future Generations"
    text = extract_file(path).pages[0]
    assert "Col2" not in text and "\u200b" not in text and "Consultation\nCentre" in text


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_web_page_printed_to_pdf_is_titled_by_the_browsers_header_not_dated_by_it(tmp_path, suffix):
    header = ("11/24/25, 8:19 PM Government response to the rapid review into data on mental health inpatient "
              "settings - GOV.UK\n\n")
    path = tmp_path / f"printed{suffix}"
    path.write_text(header + "https://www.gov.uk/government/publications/response 1/20\n\f" + header + PARA * 4,
                    "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == (
        "Government response to the rapid review into data on mental health inpatient settings", "text")
    assert meta["published"] is None


def test_a_heading_after_the_start_of_the_body_names_a_section_not_the_document(tmp_path):
    """A converter that lost the cover (a picture) leaves the first section's heading first: after the body's
    first words it is a section's, and the file name stands in, labelled so."""
    meta = detect_text(tmp_path, "Draft\n\n" + PARA * 3 + "\n\n# 1 Introduction\n\n## Our staff\n\n" + PARA * 3,
                       "covid-impact.md")
    assert (meta["title"], meta["provenance"]["title"]) == ("Covid impact", "file-name")


def test_a_references_access_date_on_a_line_of_its_own_does_not_date_the_document(tmp_path):
    path = tmp_path / "strategy.txt"
    path.write_text("Country Cooperation Strategy\n\n" + SENTENCES * 40 + "\nReferences\n1. Atlas of health "
                    "statistics (https://www.example.org/atlas). Accessed\n19 September 2023.\n", "utf-8")
    assert detect(path)["published"] is None
    cited = tmp_path / "cited.txt"  # after a reference's address, and with the reference cut off by the end's edge
    cited.write_text("Country Cooperation Strategy\n\n" + SENTENCES * 60 + "\n25 Example, MC. Report.\n" + "x" * 3980
                     + "\n(https://example.org/report-2022.pdf)\n19 September 2023.\n", "utf-8")
    assert detect(cited)["published"] is None
    letter = tmp_path / "letter.txt"  # a date alone at the end is still the one a letter is signed with
    letter.write_text("Response to the consultation\n\n" + SENTENCES * 40 + "\nYours sincerely\n\n28 February 2018\n",
                      "utf-8")
    assert detect(letter)["published"] == "2018-02-28"


def test_a_title_set_as_a_phrase_ending_in_a_full_stop_comes_before_its_authors_name(tmp_path):
    path = tmp_path / "elicitation.txt"
    path.write_text("Long term prediction intervals for \nresidual growth in English hospitals: a \nnational "
                    "elicitation exercise. \n\n02 December 2024 \n\nPrepared by: \nMohammed A Mohammed \n\n"
                    + SENTENCES * 3, "utf-8")
    meta = detect(path)
    assert meta["title"] == ("Long term prediction intervals for residual growth in English hospitals: a national "
                             "elicitation exercise")
    assert is_title_like("Vitamin D Supplementation") and is_title_like("Unpaid Carers in Leeds")
    sentence = tmp_path / "sentence.txt"
    sentence.write_text("This report sets out what we found in the review.\n\n" + SENTENCES * 3, "utf-8")
    assert detect(sentence)["provenance"]["title"] == "file-name"


def test_a_period_under_a_title_is_the_titles_and_a_back_covers_web_line_names_the_publisher(tmp_path):
    path = tmp_path / "review.md"
    path.write_text("**Suffolk Libraries**\n**Annual Review**\n\n#### 2012/13\n\n" + PARA * 8
                    + "\n\nSuffolk Libraries\n\nIpswich County Library\n\nTel: 01473 263811\n\n"
                    "Web: www.suffolklibraries.co.uk\n\nPrinted by Example Print, Suffolk.\n", "utf-8")
    meta = detect(path)
    assert meta["title"] == "Suffolk Libraries Annual Review 2012/13"
    assert meta["publisher"] == "Suffolk Libraries"
    assert meta["provenance"]["evidence"]["publisher"]["text"] == "Web: www.suffolklibraries.co.uk"


def test_a_link_wrapped_over_two_lines_leaves_no_address_in_the_text(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("# What would you give health and social care?\n\n" + PARA * 3 + "\n\n[RCGP estimate]"
                    "(http://www.rcgp.org.uk/news/2015/february/new-league-table-\nreveals-gp-shortages.aspx) that "
                    "England will need\n[more GPs in\nthe north](http://www.rcgp.org.uk/a) by 2020.\n", "utf-8")
    text = extract_file(path).pages[0]
    assert "rcgp.org.uk" not in text and "RCGP estimate that England" in text and "more GPs in the north" in text
    assert detect(path)["publisher"] is None  # a source it cites, not its own site


def test_a_journal_articles_received_and_accepted_dates_do_not_date_it_its_published_online_date_does(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Jones et al. BMC Public Health (2024) 24:1234\nhttps://doi.org/10.1186/s12889-024-1234-5\n\n"
                    "RESEARCH Open Access\n\nPrimary care networks and the health of older people: a mixed methods "
                    "study\n\nAnna Jones1*, Ben Smith2 and Cara Brown1\n\nReceived: 12 March 2024 Accepted: 3 June "
                    "2024\nPublished online: 20 June 2024\n\n" + SENTENCES * 3, "utf-8")
    meta = detect(path)
    assert meta["title"] == "Primary care networks and the health of older people: a mixed methods study"
    assert (meta["published"], meta["provenance"]["evidence"]["published"]["text"]) == (
        "2024-06-20", "Published online: 20 June 2024")


def test_an_article_and_one_word_line_of_a_text_export_starts_the_title_under_it(tmp_path):
    meta = detect_text(tmp_path, "The Leeds\nHealth and Wellbeing Strategy 2023 to 2030\n\n" + SENTENCES * 3,
                       "strategy.txt")
    assert (meta["title"], meta["published"]) == ("The Leeds Health and Wellbeing Strategy 2023 to 2030", None)


def test_a_text_export_without_page_breaks_is_dated_by_its_running_footer(tmp_path):
    footer = "NHS maternity exemption certificate guidance (V4) 02.2024\n"
    path = tmp_path / "guidance.md"
    path.write_text("# NHS maternity exemption certificate guidance\n\n" + (PARA * 3 + "\n\n" + footer + "\n") * 3,
                    "utf-8")
    assert (detect(path)["published"], detect(path)["date_precision"]) == ("2024-02", "month")
    twice = tmp_path / "twice.md"  # twice is a coincidence, not a running footer
    twice.write_text("# NHS maternity exemption certificate guidance\n\n" + (PARA * 3 + "\n\n" + footer + "\n") * 2,
                     "utf-8")
    assert detect(twice)["published"] is None


def test_a_date_field_on_a_covers_line_of_fields_dates_it_a_cited_documents_date_does_not(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# The Leeds Networked Data Lab: Analysis plan\n\n### Authors Frank Example, Alex Sample Date "
                    "05/09/2023 Version number 2.1\n\n" + PARA * 3, "utf-8")
    assert detect(path)["published"] == "2023-09-05"
    cited = tmp_path / "cited.md"
    cited.write_text("# Prescribing guidance\n\nThis guidance follows NICE guideline NG133 (Published 25 June 2019) "
                     "and the plan which was Published 7 January 2019.\n\n" + PARA * 3, "utf-8")
    assert detect(cited)["published"] is None


@pytest.mark.parametrize("line", ["Publishing approval number: 001524",
                                  "Conducted by YouGov on behalf of Example University",
                                  "June 2023 In March 2023, the White House issued the national strategy"])
def test_a_field_a_credit_or_a_date_with_the_text_beside_it_is_not_a_title(tmp_path, line):
    assert detect_text(tmp_path, f"{line}\n\nDelayed discharge from community hospitals in England\n\n" + PARA * 3,
                       "report.txt")["title"] == "Delayed discharge from community hospitals in England"


@pytest.mark.parametrize("line, title", [
    ("The Handbook to the NHS Constitution for England January 2019", "The Handbook to the NHS Constitution for England"),
    ("NHS England Board Meeting 23 September 2025", "NHS England Board Meeting 23 September 2025"),
    ("Background checks by state: November 2015", "Background checks by state: November 2015"),
    ("Transcript of the preliminary hearing on 4 October 2022", "Transcript of the preliminary hearing on 4 October 2022"),
    ("National Hydro Network, Canada, Level 1 Data Model Edition 1.0 2004-08",
     "National Hydro Network, Canada, Level 1 Data Model Edition 1.0"),
])
def test_a_title_line_gives_up_the_month_of_its_edition_but_not_a_meetings_day(tmp_path, line, title):
    assert detect_text(tmp_path, f"{line}\n\n" + PARA * 3)["title"] == title


def test_a_web_pages_menus_before_its_heading_are_not_its_body(tmp_path):
    """A web page exported to Markdown opens with its site's menus (lists of links, short lines): its heading
    after them is its title, however many words the menus hold."""
    menu = "".join(f"* [{name} and related guidance for systems]({n})\n" for n, name in enumerate(
        "Home About Publications News Events Contact Careers Statistics Consultations Data".split()))
    path = tmp_path / "page.md"
    path.write_text("Skip to main content\n\n" + menu + "\nHome > Publications > Board papers\n\n"
                    "# Integrated care board annual assessment guidance\n\n" + PARA * 3, "utf-8")
    assert len(menu.split()) > 60
    assert detect(path)["title"] == "Integrated care board annual assessment guidance"


def test_a_covers_large_words_set_one_per_line_are_one_title(tmp_path):
    path = tmp_path / "transmittal.txt"
    path.write_text("MANUAL\nTRANSMITTAL\n\nDepartment of the Treasury\n\nInternal Revenue Service\n\nPURPOSE\n\n"
                    + SENTENCES * 3, "utf-8")
    assert detect(path)["title"].casefold() == "manual transmittal"


@pytest.mark.parametrize("head, title", [
    ("# Annual Review of Services\n\n### by Jane Smith and Tom Jones", "Annual Review of Services"),
    ("# The Future of Primary Care\n\n## from the Royal College of General Practitioners", "The Future of Primary Care"),
    ("# NHS England\n\n# Health Inequalities Strategy", "Health Inequalities Strategy"),
    ("# Health Inequalities Strategy\n\n# Our Ambition", "Health Inequalities Strategy"),
    ("# Cookie settings\n\n# Annual Review of Services", "Annual Review of Services"),
    ("# ![](logo.png)\n# Annual Review of Services", "Annual Review of Services"),
    ("# Annual Review of Services\n# **", "Annual Review of Services"),
    ("| a<br>b<br>c<br>d |\n|---|\n\n# Annual Review of Services\n\nBody text here.\n\n## Section", "Annual Review of Services"),
])
def test_a_covers_run_of_headings_never_takes_a_byline_a_body_a_section_or_a_picture(tmp_path, head, title):
    assert detect_text(tmp_path, head + "\n\n" + PARA * 4, "cover.md")["title"] == title


@pytest.mark.parametrize("title", ["Changes since March 2020", "Accounts for the year ending March 2024",
                                   "Minutes of meeting held March 2024"])
def test_a_month_the_title_leads_into_stays_in_it(tmp_path, title):
    assert detect_text(tmp_path, f"{title}\n\n" + PARA * 3)["title"] == title


@pytest.mark.parametrize("title", ["Designed for Life: Creating World Class Health and Social Care for Wales",
                                   "March 2020 Budget: policy costings and decisions", "Vitamin D Supplementation"])
def test_titles_that_look_like_a_credit_a_date_or_a_name_are_titles(tmp_path, title):
    assert detect_text(tmp_path, f"{title}\n\n" + PARA * 3)["title"] == title


def test_a_chat_exports_first_message_is_not_a_printed_pages_title(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("12/05/2023, 10:30 - John: Welcome to the group chat\n12/05/2023, 10:31 - Ann: Thanks\n\n"
                    + PARA * 3, "utf-8")
    assert detect(path)["provenance"]["title"] == "file-name"


@pytest.mark.parametrize("footer", ["Applications close 1 May 2024 at noon for this round",
                                    "Our response to the consultation of 12 March 2020 on planning"])
def test_a_repeated_deadline_or_cited_date_is_no_running_footer(tmp_path, footer):
    assert detect_text(tmp_path, "# Community grants programme\n\n" + (PARA * 3 + "\n\n" + footer + "\n\n") * 4,
                       "call.md")["published"] is None


def test_a_running_footer_must_run_through_the_text(tmp_path):
    footer = "NHS maternity exemption certificate guidance (V4) 02.2024\n"
    path = tmp_path / "bunched.md"  # three times, all at the start: a table's rows, not a footer
    path.write_text("# NHS maternity exemption certificate guidance\n\n" + footer * 3 + "\n" + PARA * 40, "utf-8")
    assert detect(path)["published"] is None


def test_a_running_header_dated_on_every_page_with_its_page_number_dates_the_act(tmp_path):
    """An act published in an official journal: its title names the day it was adopted, the journal's running
    header (with each page's number) the day it was published, which dates the document."""
    pages = "".join(f"4.5.2016 EN Official Journal of the European Union L 119/{n}\n\n" + PARA * 6 + "\n\n"
                    for n in range(1, 9))
    path = tmp_path / "regulation.md"
    path.write_text("# REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 27 April 2016\n\n"
                    + pages, "utf-8")
    meta = detect(path)
    assert meta["published"] == "2016-05-04"
    assert meta["title"].casefold().startswith("regulation (eu) 2016/679")


def test_a_web_pages_level_one_heading_after_its_cookie_notice_is_its_title(tmp_path):
    notice = ("Cookies on GOV.UK\n\nWe use some essential cookies to make this website work.\n\nWe'd like to set "
              "additional cookies to understand how you use GOV.UK, remember your settings and improve government "
              "services.\n\nWe also use cookies set by other sites to help us deliver content from their services."
              "\n\nYou have accepted additional cookies. You can change your cookie settings at any time.\n\nYou "
              "have rejected additional cookies. You can change your cookie settings at any time.\n\n")
    path = tmp_path / "page.md"
    path.write_text(notice + "[Skip to main content](#main-content)\n\n  * [Home](https://www.gov.uk/)\n\nPolicy "
                    "paper\n\n# Government response to the rapid review\n\nPublished 21 March 2024\n\n" + PARA * 3,
                    "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["published"]) == ("Government response to the rapid review", "2024-03-21")


def test_a_file_name_standing_in_is_written_as_the_text_writes_its_words(tmp_path):
    path = tmp_path / "nhs-england-board-meeting-23-september-2025.vtt.txt"
    path.write_text("01:00:15.359 Morning everyone and welcome to the NHS England board.\n01:00:20.100 Thank you "
                    "chair, NHS England has published the minutes and NHS England will report on them.\n", "utf-8")
    meta = detect(path)
    assert (meta["title"], meta["provenance"]["title"]) == ("NHS England board meeting 23 September 2025", "file-name")
    assert (meta["published"], meta["provenance"]["published"]) == ("2025-09-23", "file-name")


@pytest.mark.parametrize("lines, title", [
    ("Annual Review of Services\nby Jane Smith", "Annual Review of Services"),
    ("Care commissioned by\nLocal Authorities in England", "Care commissioned by Local Authorities in England"),
    ("Services run by NHS England", "Services run by NHS England"),
])
def test_a_byline_a_text_export_runs_on_to_its_title_is_not_part_of_it(tmp_path, lines, title):
    assert detect_text(tmp_path, f"{lines}\n\n" + PARA * 3)["title"] == title


def test_a_meetings_record_under_the_body_that_met_is_titled_and_dated_by_both(tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Leeds Health and Wellbeing Board\n\nMinutes of the meeting held on 12 March 2024\n\n"
                       + SENTENCES * 3, "utf-8")
    meta = detect(minutes)
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Leeds Health and Wellbeing Board: Minutes of the meeting held on 12 March 2024",
        "Leeds Health and Wellbeing Board", "2024-03-12")
    paper = tmp_path / "paper.txt"  # a board paper titled by its meeting: published by the body whose board met
    paper.write_text("NHS England Board Meeting 23 September 2025\n\n" + SENTENCES * 3, "utf-8")
    meta = detect(paper)
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "NHS England Board Meeting 23 September 2025", "NHS England", "2025-09-23")
    sat = tmp_path / "sat.txt"  # when it sat is no part of its title; its day dates it
    sat.write_text("Welsh Technical Standards Board\n\nMinutes of the meeting\nThursday 28 March 2019 – 14:00-17:00\n\n"
                   + SENTENCES * 3, "utf-8")
    meta = detect(sat)
    assert (meta["title"], meta["published"]) == (
        "Welsh Technical Standards Board: Minutes of the meeting Thursday 28 March 2019", "2019-03-28")
    assert clean_title("Version 2.30") == "Version 2.30"
    guidance = tmp_path / "guidance.txt"  # a title under a body is not a meeting's record: it stays alone
    guidance.write_text("Department of Health and Social Care\n\nGuidance on prescription prepayment certificates\n\n"
                        + SENTENCES * 3, "utf-8")
    assert detect(guidance)["title"] == "Guidance on prescription prepayment certificates"


@pytest.mark.parametrize("cover, title", [
    ("Leeds Teaching Hospitals NHS Trust\n\nAnnual Report and Accounts\n\nfor the year ended 31 March 2024",
     "Annual Report and Accounts for the year ended 31 March 2024"),
    ("Annual Report and Accounts\nfor the year ended 31 March 2024",
     "Annual Report and Accounts for the year ended 31 March 2024"),
    ("Annual Report\n\nfor the period April 2019 to March 2020", "Annual Report for the period April 2019 to March 2020"),
])
def test_a_reports_period_is_its_title_never_its_date(tmp_path, cover, title):
    """An annual report names the period it covers under its title; the period's start or end is not when it
    was published, so the report stays undated rather than dated wrong."""
    meta = detect_text(tmp_path, cover + "\n\n" + SENTENCES * 3, "annual-report.txt")
    assert (meta["title"], meta["published"]) == (title, None)
    meeting = tmp_path / "minutes.txt"  # a meeting's day is its date
    meeting.write_text("Minutes of the meeting held on 12 March 2024\n\n" + SENTENCES * 3, "utf-8")
    assert detect(meeting)["published"] == "2024-03-12"


@pytest.mark.parametrize("cover, name, title", [
    # a board paper's title field names it, not the meeting's name printed above it
    ("**NHS England Board meeting**\n\n| | |\n| --- | --- |\n| **Paper Title:** | Chief Executive's Report |\n"
     "| **Agenda item:** | 4 (Public session) |\n| **Report by:** | Amanda Pritchard, Chief Executive |",
     "paper.md", "Chief Executive's Report"),
    ("NHS England Board meeting\n\nTitle of paper: Winter resilience update Agenda item: 6\n\nReport by: A Smith",
     "paper.txt", "Winter resilience update"),
    # a person's job title names no document
    ("Annual Review of Services\n\nJob title: Chief Executive Officer", "review.txt", "Annual Review of Services"),
    # the body's name alone says who, not what: a meeting's record under it is the body's
    ("# NHS Leeds Integrated Care Board\n\n## Board Meeting Held in Public\n\n**Date:** Thursday 30 January 2025",
     "board.md", "NHS Leeds Integrated Care Board: Board Meeting Held in Public"),
    ("# Holloway Vale Independent Inquiry\n\n## Preliminary Hearing\n\n**Tuesday 14 January 2025**",
     "hearing.md", "Holloway Vale Independent Inquiry: Preliminary Hearing"),
    ("The Eastbrook Hospital Inquiry\n\nDay 23\n\nThursday 7 November 2024", "day-23.txt",
     "The Eastbrook Hospital Inquiry: Day 23"),
    ("Leeds City Council\n\nBoard Meeting Held in Public\n\nDate: Thursday 30 January 2025",
     "board.txt", "Leeds City Council: Board Meeting Held in Public"),
    # a journal article's authors, marked with their affiliations, are no part of its title
    ("Smith et al. BMC Public Health (2024) 24:1234\n\nRESEARCH Open Access\n\nPrimary care networks and the health\n"
     "of older people: a mixed methods study\nJohn Smith1*, Jane Doe2 and Ali Khan3\n\nAbstract",
     "article.txt", "Primary care networks and the health of older people: a mixed methods study"),
    # a periodical's name is its title (without the issue's number); what the issue holds is not
    ("Medicines Optimisation Team\n\nPrescribing Newsletter\nIssue 12 | March 2025\n\nIn this issue\n"
     "- Apixaban dosing in renal impairment\n- Valproate safety update", "news.txt", "Prescribing Newsletter"),
    ("NHS\nBirmingham and Solihull\nIntegrated Care Board\n\nPRESCRIBING BULLETIN\nVolume 6, Issue 3 | May 2024\n\n"
     "In this issue:\n•  Opioids in chronic non-cancer pain: new guidance", "bulletin.txt", "Prescribing Bulletin"),
    ("Draft version 2\n\nIn this issue: apixaban dosing\n\nCommunity services review", "draft.txt",
     "Community services review"),
    ("# DEBATE PACK\n\n**Number CDP 2024/0045**\n\n**6 March 2024**\n\n## Provision of NHS dental services in rural "
     "areas\n\n**Westminster Hall debate**", "pack.md", "Provision of NHS dental services in rural areas"),
    # a document control table's title row, on the page after the cover
    ("NHS\nRiverside Community Healthcare\nNHS Foundation Trust\nBetter care, closer to home\nOur clinical strategy "
     "2024–2029\n\fDocument control\nTitle Better care, closer to home: our clinical strategy 2024–2029\nVersion 1.0\n"
     "Status Final\nAuthor Dr Hugh Lennox, Medical Director", "strategy.txt",
     "Better care, closer to home: our clinical strategy 2024–2029"),
    ("Health and Social Care Committee\nOral evidence: Adult social care workforce, HC\n789\nWednesday 22 January 2025",
     "oral-evidence.txt", "Oral evidence: Adult social care workforce"),
    # a title in capitals that goes on with "AND" on the next line
    ("EUROPEAN COMMISSION\n\nBrussels, 14.6.2024\nCOM(2024) 312 final\n\nREPORT FROM THE COMMISSION TO THE EUROPEAN "
     "PARLIAMENT\nAND THE COUNCIL\non the operation of Directive 2011/24/EU on patients' rights in cross-border "
     "healthcare\n\n{SWD(2024) 150 final}\n\n1. INTRODUCTION\nThis report from the Commission to the European "
     "Parliament and to the Council covers the operation of the Directive.", "com.txt",
     "Report from the Commission to the European Parliament and the Council on the operation of Directive 2011/24/EU "
     "on patients' rights in cross-border healthcare"),
    # a byline under the title, its last name after "and"
    ("Briefing | February 2025\n\n\n\nElective waiting times and\ndeprivation in England\nRohan Sethi, Eleanor Pryce and "
     "Matthew Dunstan\n\n\n\nData analysis: April 2019 to September 2024", "file (1).txt",
     "Elective waiting times and deprivation in England"),
    # a body's name in two languages over the title
    ("Health Information and Quality Authority\nAn tÚdarás Um Fhaisnéis agus Cáilíocht Sláinte\n\n\n\nEvidence review "
     "to inform the\nregulation of home support services\n\n19 February 2025", "evidence.txt",
     "Evidence review to inform the regulation of home support services"),
    # a cover sheet's bare "Title" field among its other fields
    ("Norbridge City Council\nReport to\n\nHealth Scrutiny Committee\n\nDate\n\n4 December 2024\n\nReport of\n\n"
     "Director of Public Health\n\nTitle\n\nHyper-acute stroke services reconfiguration: progress update\n\nWards "
     "affected\n\nAll", "Hyper-acute stroke services update.txt",
     "Hyper-acute stroke services reconfiguration: progress update"),
    # a committee report's cover: the House, the committee and the report's place in its series name no document
    ("HOUSE OF LORDS\n\nPublic Services Committee\n\n2nd Report of Session 2023–24\n\nMaking rehabilitation\n"
     "work: services after\nhospital\n\nOrdered to be printed 12 March 2024 and published 26 March 2024",
     "hl-paper.txt", "Making rehabilitation work: services after hospital"),
])
def test_a_covers_fields_and_names_say_which_line_is_the_title(tmp_path, cover, name, title):
    """General evidence on a cover: a title field, a body's name over what the document is, authors marked with
    their affiliations, a periodical's issue; never a job title, a draft's version or a list of contents."""
    assert detect_text(tmp_path, cover + "\n\n" + SENTENCES * 3, name)["title"] == title


@pytest.mark.parametrize("history, date", [
    ("Received: 14 March 2024 Accepted: 20 September 2024\nPublished online: 04 October 2024", "2024-10-04"),
    ("Received: 19 May 2023 Accepted: 24 October 2023 Published: 01 November 2023", "2023-11-01"),
    ("Received 12 April 2024\nAccepted 28 November 2024", None),  # neither is when it was published
    ("Received 12 July 2024; Received in revised form 3 December 2024; Accepted 9 January 2025\nAvailable online "
     "18 January 2025", "2025-01-18"),  # Elsevier's
    ("BMJ Open: first published as 10.1136/bmjopen-2024-089123 on 2 October 2024. Downloaded from "
     "https://bmjopen.bmj.com on 18 February 2025 by guest.", "2024-10-02"),  # BMJ's footer, not the download
])
def test_a_journal_articles_history_at_the_foot_of_its_first_page_dates_it(tmp_path, history, date):
    text = ("Smith et al. BMC Health Services Research (2024) 24:1234\n\nRESEARCH Open Access\n\n"
            "Implementation of virtual wards in England: a qualitative study\n\n" + SENTENCES * 12 + "\n\n" + history
            + "\n\n" + SENTENCES * 3)
    assert detect_text(tmp_path, text, "article.txt")["published"] == date


def test_a_web_page_saved_as_markdown_is_dated_by_the_fields_under_its_content(tmp_path):
    """NHS England's pages print their document's dates at the foot of the page, under the content and the
    site's menus; pandoc's image attributes and a cookie banner's heading are no title."""
    text = ("[Skip to main content](#maincontent)\n\n## Cookies on the NHS England website\n\nWe've put some small files "
            "called cookies on your device.\n\n![](media/image1.png){width=\"1.6in\" height=\"0.68in\"}\n\n"
            "# Commissioning framework for neighbourhood multidisciplinary teams\n\n" + SENTENCES * 12
            + "\n\nDocument first published: 6 February 2025\n\nPage updated: 11 February 2025\n")
    meta = detect_text(tmp_path, text, "framework.md")
    assert (meta["title"], meta["published"]) == (
        "Commissioning framework for neighbourhood multidisciplinary teams", "2025-02-06")
    from kb.ingest.extract.text import strip_markdown

    assert strip_markdown('![](media/image1.png){width="1.6in" height="0.68in"} [Board]{.underline}\n')[0].strip() \
        == "Board"


@pytest.mark.parametrize("letter, title", [
    # the subject under the salutation, as pdftotext sets a letter (every line apart, no blank lines)
    ("Classification: Official\nTo:\n• ICB chief executives\n• GP practices\ncc:\n• NHS England regional directors\n"
     "NHS England\nWellington House\nLondon\nSE1 8UG\n12 December 2024\nDear colleagues,\nWinter 2024/25: maximising "
     "flu and COVID-19 vaccination uptake\nThank you for everything you and your teams are doing this winter.\n",
     "Winter 2024/25: maximising flu and COVID-19 vaccination uptake"),
    # a subject set apart on two lines
    ("To:\nOrganisations providing health services\n\n20 March 2020\n\nDear All,\n\nCovid-19 – Notice under Regulation"
     " 3(4) of the Health Service Control of\nPatient Information Regulations 2002\n\nThe health and social care "
     "system is taking action.\n",
     "Covid-19 – Notice under Regulation 3(4) of the Health Service Control of Patient Information Regulations 2002"),
    ("Humber Wolds ICB\n\nDear colleagues,\n\nRe: Changes to shared care arrangements for ADHD medicines\n\nWe write "
     "to tell you about changes.\n", "Changes to shared care arrangements for ADHD medicines"),
])
def test_a_letter_is_titled_by_its_subject(tmp_path, letter, title):
    assert detect_text(tmp_path, letter + SENTENCES * 3, "letter.txt")["title"] == title


def test_a_cover_sheets_title_field_over_its_value_titles_the_paper(tmp_path):
    """A board paper's cover sheet as a converter sets its table: each field's name over its value."""
    text = ("Public Board – 6 March 2025 – Item 7 Enc C\n\nNHS\nAshby Vale Hospitals\nNHS Foundation Trust\n\n"
            "Report to the Board of Directors – cover sheet\nMeeting\n\nBoard of Directors (held in public)\n\n"
            "Date of meeting\n\n6 March 2025\n\nReport title\n\nMaternity and neonatal safety report – Quarter 3 "
            "2024/25\n\nExecutive lead\n\nJoanne Pearce, Chief Nurse\n\n" + SENTENCES * 4)
    meta = detect_text(tmp_path, text, "Item-7-Enc-C.txt")
    assert (meta["title"], meta["publisher"]) == ("Maternity and neonatal safety report – Quarter 3 2024/25",
                                                  "Ashby Vale Hospitals NHS Foundation Trust")


@pytest.mark.parametrize("fields", [
    "Cabinet\n\nDate\n\n11 March 2025\n\nAgenda item\n\n9\n\nReport of\n\nDirector of Communities\n\nWards "
    "affected\n\nAll\n\n",
    "Meeting: Cabinet | Date: 11 March 2025\nWards affected: All\n",  # the fields one under the other
])
def test_a_committee_reports_subject_is_the_line_over_its_first_section(tmp_path, fields):
    """A council's report to a meeting names the body and the meeting over a table of fields; its subject is the
    line over "1. Purpose of report"."""
    report = ("Brackley Vale\nDistrict Council\n\nBrackley Vale District Council\nReport to Cabinet\nMeeting\n\n"
              + fields + "Adoption of the Healthy Weight Strategy 2025–2030\n1. Purpose of report\n1.1 To seek "
              "approval for the strategy.\n\n" + SENTENCES * 3)
    assert detect_text(tmp_path, report, "Cabinet-110325-Item-9.md")["title"] == \
        "Adoption of the Healthy Weight Strategy 2025–2030"
    # without a cover saying it is a report to a meeting, the line over "1. Introduction" is any heading
    essay = "Thinking about care\n\n" + SENTENCES + "\n\nWhat we heard\n1. Introduction\n" + SENTENCES * 3
    assert detect_text(tmp_path, essay, "essay.txt")["title"] == "Thinking about care"


@pytest.mark.parametrize("back, date", [
    ("Healthwatch Kirkfield\nUnit 4, The Sidings\nwww.healthwatchkirkfield.co.uk\n\nPublished 27 June 2024\n\n"
     "© Copyright Healthwatch Kirkfield 2024", "2024-06-27"),
    ("Published May 2025 by Westmoor Health and Wellbeing Board\nc/o Westmoor County Council, County Hall", "2025-05"),
    # a list of sources on the back page: each line's date is its source's
    ("References\nSmith J. Carers in Kirkfield. Published 3 March 2019 by Carers UK.\nPublished 4 May 2020", None),
])
def test_a_reports_imprint_on_its_back_page_dates_it(tmp_path, back, date):
    """A report with no date on its cover prints it in the imprint on its back page; not the reporting period
    ("1 April 2023 to 31 March 2024") its pages talk about."""
    pages = ["Annual Report 2023–2024\n\nHealthwatch Kirkfield\n\nCovering 1 April 2023 to 31 March 2024\n",
             SENTENCES * 8, SENTENCES * 8, back]
    assert detect_text(tmp_path, "\f".join(pages), "annual-report.txt")["published"] == date


def test_a_meeting_records_title_in_capitals_is_recased_without_its_hour_and_room(tmp_path):
    """pdftotext -layout of a Trust's minutes: the NHS identity over a record set in capitals, which says when and
    where the board sat. The title is the body's record in the case the minutes write its words, naming what met
    (so not after the Trust's name) and its day; the hour and the room are no part of it; the identity's "NHS"
    logo is no part of the Trust's name, which publishes the minutes."""
    text = ("                                    NHS\n                        Humber Coast Hospitals\n"
            "                         NHS Foundation Trust\n\n\n        MINUTES OF THE MEETING OF THE TRUST BOARD HELD "
            "IN PUBLIC\n     ON TUESDAY 12 MARCH 2024 AT 9.00 AM IN THE BOARDROOM, ST MARGARET'S\n           HOSPITAL, "
            "CLEETHORPES AND VIA MICROSOFT TEAMS\n\n\nPresent:\nMargaret Ellis      Chair\n\n"
            "The minutes of the meeting held on 13 February 2024 were agreed as a true record of the "
            "meeting. The Trust Board met in public on Tuesday. " + SENTENCES * 4 + "\n\nMINUTES OF THE MEETING OF THE TRUST BOARD HELD IN PUBLIC\n")
    meta = detect_text(tmp_path, text, "2024-03-12-board-minutes.txt")
    assert meta["title"] == "Minutes of the meeting of the Trust Board held in public on Tuesday 12 March 2024"
    assert (meta["publisher"], meta["published"]) == ("Humber Coast Hospitals NHS Foundation Trust", "2024-03-12")


def test_a_letter_without_a_subject_is_not_titled_by_its_first_sentence(tmp_path):
    letter = ("IG Metall Vorstand\nWilhelm-Leuschner-Straße 79\n\nDear Commissioner Virkkunen,\nIG Metall welcomes the "
              "European Commission's initiative to review the European\nChips Act. As Europe's largest union we "
              "stress that the revision\nmust go further.\n")
    assert not detect_text(tmp_path, letter + SENTENCES * 3, "letter.txt")["title"].startswith("IG Metall welcomes")


def test_a_title_every_page_repeats_as_its_header_is_still_the_covers_title(tmp_path):
    """The normaliser takes a line every page repeats out of the text (a running header); when the cover prints it
    among its first lines it is the title, with the line it goes on to in lower case."""
    body = SENTENCES * 2
    pages = ["Research Briefing\nNumber 10231\n\nBy Daniel Okafor,\nSusan Whitfield 7 May 2025\n\nCommunity pharmacy in"
             " England\n\nSummary\n1 Community pharmacy services and funding\n2 The Community Pharmacy Contractual "
             "Framework\n3 Pharmacy First and clinical services\n"]
    pages += [f"Community pharmacy in England\n\n{body}\n\n{n}\n" for n in range(2, 6)]
    meta = detect_text(tmp_path, "\f".join(pages), "briefing.txt")
    assert meta["title"] == "Community pharmacy in England"
    pages = ["UK Covid-19 Inquiry\n\nModule 2: Core decision-making and political\ngovernance\n\nReport in Brief\n"]
    pages += [f"Module 2: Core decision-making and political\n\n{body}\n\n{n}\n" for n in range(2, 6)]
    meta = detect_text(tmp_path, "\f".join(pages), "module.txt")
    assert meta["title"] == "Module 2: Core decision-making and political governance"


@pytest.mark.parametrize("value", [
    "1 Community pharmacy services and funding 2 The Community Pharmacy Contractual Framework 3 Pharmacy First",
    "By Daniel Okafor, Susan Whitfield 7 May 2025", "Chair: Dr Frances Adeyemi-Holt CBE",
    "Kingsmere Borough Council - Webcasting", "Leeds City Council | Democracy",  # a web site's section
    "R E S E A R C H A N D T H E O RY",  # a journal's article type in spaced capitals
    "Health Systems Division — Medicaid Programs",  # a part of the body under its name
    "Brussels, 14.6.2024 COM(2024) 312 final"])  # where and when the Commission adopted it, and its number
def test_a_contents_list_a_dated_byline_a_chair_or_a_sites_section_is_no_title(value):
    assert not is_title_like(value)


@pytest.mark.parametrize("value", ["NHS England - Annual Report", "Leeds City Council - Cabinet Agenda"])
def test_a_bodys_document_after_a_dash_is_a_title(value):
    assert is_title_like(value)


@pytest.mark.parametrize("text, title", [
    # a letter's first paragraph is no subject
    ("Dear colleague,\n\nThank you for attending the regional primary care workshop\non Tuesday to discuss the new "
     "pathway for urgent dental referrals. I was pleased\nto see so many of you there, and we will write again\nwith "
     "the next steps.\n\n", None),
    # a form's title options, a later paper's title field and an assessment of a policy are not its title
    ("Consultation response form\n\nProposed changes to stroke services in Harrowvale\n\nTitle: Mr / Mrs / Ms / Dr / "
     "Other\n\n", "Proposed changes to stroke services in Harrowvale"),
    ("Harrowvale NHS Trust\n\nBoard of Directors Meeting in Public\n\nAgenda\n\f" + "Report title: Minutes of the "
     "previous meeting\n\n", "Harrowvale NHS Trust: Board of Directors Meeting in Public"),
    ("# Equality Impact Assessment\n\n| Title of policy: | Patient Visiting Policy |\n\n", "Equality Impact Assessment"),
    # "Lead" starts titles as often as it names a field
    ("# Lead exposure in children: surveillance report 2024\n\n", "Lead exposure in children: surveillance report 2024"),
])
def test_review_counter_examples_keep_their_titles(tmp_path, text, title):
    meta = detect_text(tmp_path, text + SENTENCES * 3, "doc.md" if text.startswith("#") else "doc.txt")
    assert meta["title"] == title if title else meta["provenance"]["title"] == "file-name"


def test_a_committees_minutes_are_dated_by_the_heading_line_that_says_when_it_sat(tmp_path):
    """The heading's last line "held on Tuesday, 8 October 2024 at 6.00 pm" dates the minutes (a sentence's
    "the minutes of the meeting held on 10 September 2024 be agreed" does not); a name the text writes with
    capitals keeps them in the recased title, though the text also writes "social care"."""
    text = ("Kelverton City Council\nMINUTES OF THE HEALTH AND ADULT SOCIAL CARE SCRUTINY\nCOMMITTEE\n"
            "held on Tuesday, 8 October 2024 at 6.00 pm\nin Committee Room 2, Kelverton Town Hall\n\nPresent: Councillor "
            "Dr Ann Marsh (Chair)\n\nRESOLVED – That the minutes of the meeting\nheld on 10 September 2024 be agreed.\n\n"
            "The Health and Adult Social Care Scrutiny Committee noted that adult social care and social care "
            "budgets are under pressure. " + SENTENCES * 3)
    meta = detect_text(tmp_path, text, "minutes.txt")
    assert meta["published"] == "2024-10-08"
    assert "Health and Adult Social Care Scrutiny Committee" in meta["title"]
    sentence = "Agenda\n\nRESOLVED – That the minutes of the meeting\nheld on 10 September 2024 be agreed.\n\n"
    assert detect_text(tmp_path, sentence + SENTENCES * 3, "agenda.txt")["published"] is None


def _cover_pdf(path, draw_cover, x: float = 60, title: str | None = None):
    """A one-page PDF: the cover ``draw_cover(canvas)`` draws (returning the height where the body starts), over
    10 pt body text."""
    from reportlab.pdfgen import canvas as rl_canvas

    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    if title:
        canvas.setTitle(title)
    y = draw_cover(canvas)
    canvas.setFont("Helvetica", 10)
    for start in range(0, 400, 14):
        canvas.drawString(x, y, " ".join((SENTENCES.split() * 3)[start:start + 14]))
        y -= 13
    canvas.showPage()
    canvas.save()
    return path


def _letterhead_pdf(path, name_lines, address):
    return _cover_pdf(path, lambda canvas: _draw_letterhead(canvas, name_lines, address))


def _draw_letterhead(canvas, name_lines, address) -> float:
    y = 790.0
    canvas.setFont("Helvetica-Bold", 20)
    for line in name_lines:
        canvas.drawString(60, y, line)
        y -= 24
    canvas.setFont("Helvetica", 8)
    for n, line in enumerate(address):
        canvas.drawString(400, 790 - 11 * n, line)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(60, y - 30, "Response to the Scottish Government consultation on the Remote")
    canvas.drawString(60, y - 48, "and Rural General Practice Workforce Framework")
    return y - 90


@pytest.mark.parametrize("address, title", [
    (["25 Queen Street", "Edinburgh EH2 1JX", "Tel: 0131 260 6800", "scotpolicy@rcgp.org.uk"],
     "Response to the Scottish Government consultation on the Remote and Rural General Practice Workforce Framework"),
    # without an address beside it, the college's name alone is still a body's name, not what the paper is called
    ([], "Response to the Scottish Government consultation on the Remote and Rural General Practice Workforce Framework"),
])
def test_a_letterhead_printed_largest_is_not_the_title(tmp_path, address, title):
    path = _letterhead_pdf(tmp_path / "response.pdf", ["Royal College of", "General Practitioners", "Scotland"],
                           address)
    assert detect(path)["title"].replace(":", "") == title


def test_an_inquiry_hearings_transcript_cover(tmp_path):
    """A running header with the day beside the inquiry's name, the cover's fields ("Held at:", "Before:") and a
    court reporter that produced the transcript on behalf of the inquiry."""
    text = ("Thornmere Hospital Inquiry                                        9 October 2024\n\n\n"
            "                    THORNMERE HOSPITAL INQUIRY\n                  Transcript of public hearing\n"
            "                              Day 23\n\n                  Wednesday, 9 October 2024\n\n"
            "        Held at: Thornmere Civic Centre, Market Square, Thornmere TM1 2AA\n\n                Before:\n"
            "             SIR GEOFFREY LANYON\n\n    Transcript produced by Opus 2 Official Court Reporters on behalf of "
            "the Thornmere Hospital Inquiry.\n\n" + SENTENCES * 6)
    meta = detect_text(tmp_path, text, "Thornmere-Inquiry-Transcript-Day-23.txt")
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Thornmere Hospital Inquiry: Transcript of public hearing Day 23", "Thornmere Hospital Inquiry", "2024-10-09")


def test_a_journals_masthead_printed_largest_is_not_the_articles_title(tmp_path):
    def masthead(canvas) -> float:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(60, 800, "Social Science & Medicine 362 (2024) 117412")
        canvas.setFont("Helvetica-Bold", 22)
        for n, word in enumerate(["SOCIAL", "SCIENCE", "&", "MEDICINE"]):
            canvas.drawString(420, 770 - 24 * n, word)
        canvas.setFont("Helvetica-Bold", 15)
        canvas.drawString(60, 660, "Prescribing the social? Link workers and social prescribing")
        return 620.0

    path = _cover_pdf(tmp_path / "article.pdf", masthead)
    assert detect(path)["title"] == "Prescribing the social? Link workers and social prescribing"


def test_an_identity_in_two_languages_and_a_title_every_page_repeats(tmp_path):
    """The HSE's identity ("HSE" / its Irish name / "Health Service Executive") is whose the plan is; the title the
    cover sets on two lines and every page repeats as its header comes before the strapline under it."""
    pages = ["HSE\nFeidhmeannacht na Seirbhíse Sláinte\nHealth Service Executive\n\nNational Service Plan\n2025\n\n"
             "Building a better health service\n"]
    pages += [f"National Service Plan 2025\n\n{SENTENCES * 3}\n\n{n}\n" for n in range(2, 6)]
    meta = detect_text(tmp_path, "\f".join(pages), "national-service-plan-2025.txt")
    assert meta["title"] == "National Service Plan 2025"


def test_a_logo_run_into_the_cover_title_gives_way_to_the_files_own_title(tmp_path):
    """pdfminer reads a logo set on the title's line as part of it ("… operationalNHS"); the file's properties
    give the title less its reference ("PRN01711 …")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def cover(canvas) -> float:
        canvas.setFont("Helvetica-Bold", 24)
        first = "2025/26 priorities and operational"
        canvas.drawString(40, 700, first)
        canvas.drawString(40 + stringWidth(first, "Helvetica-Bold", 24) + 0.5, 700, "NHS")
        canvas.drawString(40, 670, "planning guidance")
        return 620.0

    path = _cover_pdf(tmp_path / "PRN01711-guidance.pdf", cover, x=40,
                      title="PRN01711 2025/26 priorities and operational planning guidance")
    assert detect(path)["title"] == "2025/26 priorities and operational planning guidance"


_COM = ("EUROPEAN\nCOMMISSION\nBrussels, 12.3.2025\nCOM(2025) 123 final\n\n"
        "COMMUNICATION FROM THE COMMISSION TO THE EUROPEAN\nPARLIAMENT, THE COUNCIL, THE EUROPEAN ECONOMIC AND SOCIAL\n"
        "COMMITTEE AND THE COMMITTEE OF THE REGIONS\n\n{title}\n{{SWD(2025) 61 final}}\n\nEN\n\nEN\n\n1. INTRODUCTION\n"
        "This Communication from the Commission responds to the call of the European Parliament, the Council, the "
        "European Economic and Social Committee and the Committee of the Regions.\n")


@pytest.mark.parametrize("title, wanted", [
    # the form names what the document is and to whom it goes; the line under it is the title
    ("A European Action Plan for the Health and Care Workforce",
     "A European Action Plan for the Health and Care Workforce"),
    # with its subject run on, the form is the title
    ("on the operation of Directive 2011/24/EU on patients' rights in cross-border healthcare",
     "Communication from the Commission to the European Parliament, the Council, the European Economic and Social "
     "Committee and the Committee of the Regions on the operation of Directive 2011/24/EU on patients' rights in "
     "cross-border healthcare"),
])
def test_an_eu_documents_form_and_its_title(tmp_path, title, wanted):
    meta = detect_text(tmp_path, _COM.format(title=title) + SENTENCES * 6 + "\f" + SENTENCES * 6, "com_2025_123.txt")
    assert meta["title"] == wanted
    assert meta["publisher"] == "European Commission"  # its identity, set on two lines


def test_a_staff_working_documents_kind_over_a_title_that_says_it(tmp_path):
    def cover(canvas) -> float:
        canvas.setFont("Helvetica-Bold", 12)
        for n, line in enumerate(["EUROPEAN", "COMMISSION"]):
            canvas.drawString(60, 790 - 14 * n, line)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(400, 790, "Brussels, 3.4.2025")
        canvas.drawString(400, 776, "SWD(2025) 88 final")
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(150, 680, "COMMISSION STAFF WORKING DOCUMENT")
        canvas.drawString(250, 650, "EVALUATION")
        canvas.drawString(80, 620, "Interim evaluation of the Cross-Border Telehealth Pilot Initiative")
        canvas.setFont("Helvetica", 11)
        canvas.drawString(230, 590, "Accompanying the document")
        return 540

    meta = detect(_cover_pdf(tmp_path / "SWD_2025_88.pdf", cover))
    assert meta["title"] == "Interim evaluation of the Cross-Border Telehealth Pilot Initiative"


#: Two Federal Register pages: a notice after the end of the notice before it (the masthead's date, the department,
#: the agency, the docket number, the title and the "AGENCY:" field), and a proposed rule whose title sits under its
#: wrapped docket number and RIN.
_FEDERAL_REGISTER = [
    ("12104\n\nFederal Register / Vol. 90, No. 48 / Thursday, March 13, 2025 / Notices\n\n"
     "approved by the Secretary, HHS, for a period of\nthree years. Meeting summaries will be available.\n"
     "The Director, Office of Strategic Business\nInitiatives, Centers for Disease Control and Prevention, has\n"
     "been delegated the authority to sign notices.\nTamara R. Jennings,\nActing Director.\n"
     "[FR Doc. 2025–04498 Filed 3–12–25; 8:45 am]\nBILLING CODE 4163–18–P\n\n"
     "DEPARTMENT OF HEALTH AND\nHUMAN SERVICES\nCenters for Medicare & Medicaid Services\n[CMS–5601–N]\n\n"
     "Medicare Program; Rural Care\nCoordination Demonstration:\nSolicitation of Applications\n"
     "AGENCY: Centers for Medicare & Medicaid\nServices (CMS), Department of Health and Human\nServices (HHS).\n"
     "ACTION: Notice.\nSUMMARY: This notice announces the\nsolicitation of applications.\n\n" + SENTENCES * 6),
    ("Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules\n\n"
     "DEPARTMENT OF TRANSPORTATION\nFederal Aviation Administration\n14 CFR Part 39\n"
     "[Docket No. FAA–2020–0686; Product\nIdentifier 2019–NM–035–AD]\nRIN 2120–AA64\n\n"
     "Airworthiness Directives; The Boeing\nCompany Airplanes\nAGENCY: Federal Aviation\n"
     "Administration (FAA), DOT.\nACTION: Notice of proposed rulemaking (NPRM).\n\n" + SENTENCES * 6),
]


@pytest.mark.parametrize("text, name, title, publisher, published", [
    (_FEDERAL_REGISTER[0], "2025-04512.txt",
     "Medicare Program; Rural Care Coordination Demonstration: Solicitation of Applications",
     "Centers for Medicare and Medicaid Services", "2025-03-13"),
    (_FEDERAL_REGISTER[1], "proposed-rule-notice.txt", "Airworthiness Directives; The Boeing Company Airplanes",
     "Federal Aviation Administration", "2020-08-06"),
])
def test_a_federal_register_document(tmp_path, text, name, title, publisher, published):
    meta = detect_text(tmp_path, text, name)
    assert meta["title"] == title
    assert meta["publisher"] == publisher
    assert str(meta["published"]) == published


@pytest.mark.parametrize("motto", ["Informing the legislative debate since 1914", "Established 1948"])
def test_a_bodys_motto_is_no_title_and_a_title_goes_on_into_a_date(tmp_path, motto):
    text = (f"Congressional Research Service\n{motto}\n\nMedicare Telehealth Flexibilities After\nMarch 31, 2025\n"
            "Updated March 4, 2025\n\nCongressional Research Service\nhttps://crsreports.congress.gov\n\nR48312\n\n"
            + SENTENCES * 6)
    assert detect_text(tmp_path, text, "R48312.txt")["title"] == "Medicare Telehealth Flexibilities After March 31, 2025"


def test_a_cover_label_of_the_auditor_general_is_no_title(tmp_path):
    text = ("Report\nby the Comptroller\nand Auditor General\n\n\nMinistry of Justice, HM Prison & Probation Service\n\n\n"
            "Prison maintenance: keeping the\nestate safe and decent\n\n\nHC 781 SESSION 2019–2021 15 OCTOBER 2020\n\n"
            + PARA * 3)
    assert detect_text(tmp_path, text, "report.txt")["title"] == "Prison maintenance: keeping the estate safe and decent"


def test_a_title_the_back_cover_repeats_is_not_a_running_header(tmp_path):
    pages = ["Prepared by Audit Scotland\nJune 2014\n\n\nScotland's school estate\nProgress and challenges\n\n" + PARA,
             "Summary\n\n" + PARA * 2 + "\nScotland's school estate: progress and challenges | 2",
             "Background\n\n" + PARA * 2 + "\nScotland's school estate: progress and challenges | 3",
             "Scotland's school estate\n\nThis report is available in PDF and RTF formats.\n\nISBN 978 1 909705 37 6"]
    meta = detect_text(tmp_path, "\f".join(pages), "nr_140612.txt")
    assert meta["title"] == "Scotland's school estate Progress and challenges"


def test_a_day_wrapped_from_its_month_is_read_whole(tmp_path):
    text = ("NHS\nFairmoor\nIntegrated Care Board\n\nPublic Board Meeting – Tuesday 4\nMarch 2025\n10:00 – 13:00\n"
            "Council Chamber, Fairmoor Civic Centre\n\n" + PARA * 3)
    meta = detect_text(tmp_path, text, "papers.txt")
    assert meta["title"].endswith("Public Board Meeting – Tuesday 4 March 2025") and meta["published"] == "2025-03-04"


@pytest.mark.parametrize("text, title", [
    # a trail of links run into the page's title, then a blank line and the standfirst
    ("Cookies on GOV.UK\nWe use some essential cookies to make this website work.\nSkip to main content\nHome\n"
     "Health and social care\nSocial care\nGuidance\nCharging for care and support: financial assessment guidance\n\n"
     "Guidance for local authorities in England on carrying out financial assessments and charging for care.\n\n"
     "From: Department of Health and Social Care\n\nContents\nIntroduction\nCapital limits and tariff income\n\n" + PARA,
     "Charging for care and support: financial assessment guidance"),
    # a range of years wrapped after its dash
    ("NHS\nPennine Moorland Partnership\nNHS Foundation Trust\n\nOur Strategy 2022–\n2027\n\nApril 2022\n\n" + PARA * 3,
     "Our Strategy 2022–2027"),
    # a journal's name of several words over its issue line, and an article type, are no title
    ("Kestrel Open Science Journal of Integrated Care Policy\n\nVol. 4, No. 2, pp. 63–78 | DOI: 10.55031/jicp.87\n\n"
     "RESEARCH AND THEORY\n\nPooling budgets, sharing risk: early lessons from the Better\nCare Fund in three "
     "English localities\nDaniel Ferreira-Hughes and Martin Pell\n\n" + PARA * 3,
     "Pooling budgets, sharing risk: early lessons from the Better Care Fund in three English localities"),
])
def test_a_text_exports_title_past_its_trail_journal_and_wrapped_years(tmp_path, text, title):
    assert detect_text(tmp_path, text, "export.txt")["title"] == title


def test_an_articles_history_of_submitted_accepted_and_published_dates_it(tmp_path):
    text = ("Pooling budgets, sharing risk\n\n" + PARA + "\nKeywords: integrated care; pooled budgets\n"
            "Submitted on 2 February 2015; Accepted on 14 May 2015; Published on 5 June 2015\n\n" + PARA * 2)
    assert detect_text(tmp_path, text, "article.txt")["published"] == "2015-06-05"


@pytest.mark.parametrize("markdown, title", [
    # a larger heading under a short name set as a smaller one: the name is a logo, the larger heading the title
    ("### **WAKA KOTAHI**\n\nNZ TRANSPORT AGENCY\n\n# **Evaluating the safety outcomes of lowered speed limits around "
     "schools**\n\nSeptember 2023\n\n#### **Waka Kotahi NZ Transport Agency research report 712**\n\n" + PARA * 3,
     "Evaluating the safety outcomes of lowered speed limits around schools"),
    ("## Kestrel Libraries IPS\n\n# Open Board Meeting Minutes\n\n" + PARA * 3, "Open Board Meeting Minutes"),
    # a title a converter set in bold, above the first heading that reads as a title
    ("# **EN**\n\n2017 nr 11\n\nSpecial report\n\n**Rail accessibility for persons with reduced mobility: progress "
     "remains uneven**\n\n**EUROPEAN COURT OF AUDITORS**\n\n### **Audit team**\n\n" + PARA * 3,
     "Rail accessibility for persons with reduced mobility: progress remains uneven"),
    # never a body's name in bold, nor a sentence in bold
    ("**UNIVERSITY OF NORTHFIELD**\n\n**If either of the following applies, please read this first.**\n\n"
     "# **Evaluation of the Ridgeway Housing First Pilot**\n\nFinal report\n\n" + PARA * 3,
     "Evaluation of the Ridgeway Housing First Pilot"),
])
def test_a_markdown_covers_title_by_size_and_bold_type(tmp_path, markdown, title):
    assert detect_text(tmp_path, markdown, "converted.md")["title"] == title


def test_an_email_is_titled_dated_and_published_by_the_message_it_carries(tmp_path):
    forwarded = ("From: Jenny Albright <j.albright@westsydneyparents.org.au>\nSent: Wednesday, 28 October 2015 8:02 AM\n"
                 "To: P&C Committee <committee@westsydneyparents.org.au>\nSubject: FW: MEDIA RELEASE: New wellbeing "
                 "framework to support every NSW student\n\nHi all,\n\nFYI - see below from the Department.\n\n"
                 "-----Original Message-----\nFrom: NSW Department of Education Media Unit <media@det.nsw.edu.au>\n"
                 "Sent: Tuesday, 27 October 2015 9:14 AM\nTo: media@det.nsw.edu.au\nSubject: MEDIA RELEASE: New "
                 "wellbeing framework to support every NSW student\n\nMEDIA RELEASE\n\n27 October 2015\n\n" + PARA * 2)
    meta = detect_text(tmp_path, forwarded, "media-release-email.txt")
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "New wellbeing framework to support every NSW student", "NSW Department of Education", "2015-10-27")
    assert meta["provenance"]["evidence"]["published"]["text"] == "Sent: Tuesday, 27 October 2015 9:14 AM"
    # a sender who is a person names no publisher; the subject still titles it
    personal = ("From:\tJames Morrison <james.morrison@example.co.nz>\nSent:\tWednesday, 28 February 2024 4:02 pm\n"
                "To:\tclerk@example.org\nSubject:\tRE: Have your say: proposed changes to food scraps collection\n\n"
                + PARA * 2)
    meta = detect_text(tmp_path, personal, "reply.txt")
    assert (meta["title"], meta["publisher"], meta["published"]) == (
        "Have your say: proposed changes to food scraps collection", None, "2024-02-28")


def test_a_letters_re_line_over_its_salutation_is_its_subject(tmp_path):
    text = ("Oregon\nHealth Authority\nOffice of the Director\n500 Summer St. NE, E20\nSalem, OR 97301\n"
            "Voice: 503-947-2340 Fax: 503-947-2341\n\nMarch 3, 2022\n\nAdministrator\nCenters for Medicare & Medicaid "
            "Services\n7500 Security Boulevard\n\nRE: Request for Temporary Extension of the Oregon Health Plan Section "
            "1115\nDemonstration (Project Number 21-W-00013/10)\n\nDear Administrator:\n\n" + PARA * 3)
    assert detect_text(tmp_path, text, "letter.txt")["title"] == (
        "Request for Temporary Extension of the Oregon Health Plan Section 1115 Demonstration (Project Number "
        "21-W-00013/10)")


@pytest.mark.parametrize("line", ["Voice: 503-947-2340 Fax: 503-947-2341", "Tel: 01632 960 231",
                                  "Town Hall, High Street, Pembury Vale, PV1 3HL"])
def test_a_contact_line_is_no_title(line):
    from kb.ingest.titles import is_title_like

    assert not is_title_like(line)


def test_a_weekly_reports_masthead_is_no_title(tmp_path):
    cover = [("Morbidity and Mortality Weekly", 28, 90), ("Report", 28, 122),
             ("Emergency Department Visits for Falls Involving Prescription Opioids", 15, 180)]
    assert detect(layout_pdf(tmp_path / "mmwr.pdf", cover))["title"] == (
        "Emergency Department Visits for Falls Involving Prescription Opioids")


def test_a_cited_reports_date_in_a_wrapped_sentence_does_not_beat_the_covers():
    from kb.ingest.extract.dates import find_dated_line

    head = ("Government Response to the Health and\nSocial Care Committee's Fourth Report\n\nPresented to Parliament\n"
            "by Command of His Majesty\n\nOctober 2024\n\nCP 1187\n\nIntroduction\n\nThe government welcomes the "
            "Health and Social Care Committee's report on community\npharmacy, published on 9 May 2024 (HC 362), and is "
            "grateful to the Committee and\neveryone who gave evidence.\n")
    assert find_dated_line(head)[0].value == "2024-10"


def test_a_copyright_line_names_its_body_without_the_word_copyright():
    from kb.ingest.orgnames import normalise_publisher

    assert normalise_publisher("© National Assembly for Wales Commission Copyright 2017") == \
        "National Assembly for Wales Commission"


def test_minutes_are_dated_by_the_meeting_their_first_line_names_not_an_agendas_item():
    from kb.ingest.extract.dates import find_dated_line

    own = ("PEMBURY VALE TOWN COUNCIL\nTown Hall, High Street, Pembury Vale, PV1 3HL\n\nMinutes of the meeting of the "
           "Finance and General Purposes Committee held on Monday 9 March 2015 at 7.00pm in the Council Chamber\n\n"
           "Present: Cllr R. Hensley (Chairman)\n")
    assert find_dated_line(own)[0].value == "2015-03-09"
    agenda = ("Public Board Meeting\n\n" + "Item 1 Welcome and apologies for absence from members of the Board\n" * 12
              + "Minutes of the meeting held on 7 January 2025\n")
    found = find_dated_line(agenda)
    assert found is None or found[0].value != "2025-01-07"


def test_a_publications_imprint_gives_its_year_when_it_prints_no_date(tmp_path):
    text = ("Rail accessibility for persons with reduced mobility\n\n" + PARA * 2 + "\n\nLuxembourg: Publications Office "
            "of the European Union, 2017\n\n" + PARA * 2)
    meta = detect_text(tmp_path, text, "SR17_11_EN.txt")
    assert (meta["published"], meta["provenance"]["evidence"]["published"]["text"]) == (
        "2017", "Luxembourg: Publications Office of the European Union, 2017")


def test_a_short_covers_title_is_kept_though_the_pages_after_it_run_it_as_their_header(tmp_path):
    cover = ("Australian Government\nProductivity Commission\n\nInquiry Report\n\nSocial Housing Pathways\n\n"
             "No. 86, 28 September 2017")
    pages = [cover] + [f"SOCIAL HOUSING PATHWAYS {n}\n\n" + PARA * 3 for n in range(2, 6)]
    assert detect_text(tmp_path, "\f".join(pages), "report.txt")["title"] == "Social Housing Pathways"


def test_a_bodys_acronym_and_kind_under_a_title_is_its_label_not_its_words(tmp_path):
    text = ("Local                                                      Briefing\nGovernment\nAssociation\nlocal.gov.uk\n\n\n"
            "Final Local Government Finance Settlement\n2026/27\nLGA on-the-day briefing\n4 February 2026\n\n"
            "Key messages\n\n" + PARA * 3)
    assert detect_text(tmp_path, text, "briefing.txt")["title"] == "Final Local Government Finance Settlement 2026/27"


@pytest.mark.parametrize("mail, title, publisher, day", [
    # a reply is its own message, whatever it quotes; a team's or a person's address names no publisher by its domain
    ("From: Freedom of Information Team <foi@westshire.gov.uk>\nSent: 14 March 2025 11:02\nTo: John Carter "
     "<j.carter@example.com>\nSubject: RE: Freedom of Information request - temporary accommodation costs\n\n"
     "Dear Mr Carter,\n\nThank you for your request.\n\nFrom: John Carter <j.carter@example.com>\nSent: 10 February "
     "2025 19:44\nTo: FOI <foi@westshire.gov.uk>\nSubject: Freedom of Information request - temporary accommodation "
     "costs\n\nPlease tell me.\n", "Freedom of Information request - temporary accommodation costs", None, "2025-03-14"),
    ("From: Jane Holloway MP <jane.holloway.mp@parliament.uk>\nSent: 21 February 2025 09:12\nTo: consultation@"
     "example.org\nSubject: My response to the Westshire hospital services consultation\n\n" + PARA,
     "My response to the Westshire hospital services consultation", None, "2025-02-21"),
    # a record's kind stays in its subject; a US client's numeric day is month first
    ("From: Schools Forum Clerk <forum@westshire.gov.uk>\nSent: 20 February 2025 10:00\nTo: members@example.org\n"
     "Subject: Minutes: Schools Forum 12 February 2025\n\n" + PARA, "Minutes: Schools Forum 12 February 2025", None,
     "2025-02-20"),
    ("From: CDC Media Relations <media@cdc.gov>\nSent: 3/5/2025 9:14:22 AM\nTo: list@example.org\nSubject: CDC "
     "updates measles guidance for travelers\n\n" + PARA, "CDC updates measles guidance for travelers",
     "Centers for Disease Control and Prevention", "2025-03-05"),
])
def test_an_emails_message_is_its_own_unless_forwarded(tmp_path, mail, title, publisher, day):
    meta = detect_text(tmp_path, mail, "mail.txt")
    assert (meta["title"], meta["published"], meta["publisher"]) == (title, day, publisher)


def test_a_letters_re_line_ends_at_a_field_and_is_never_the_letter_it_answers():
    from kb.ingest.fields import letter_subject

    assert letter_subject("Westshire County Council\n\nRe: Local Plan Review - Regulation 18 consultation\nDate: 4 "
                          "March 2025\nOur ref: LPR/18/2025\n\nDear Sir or Madam,\n\n" + PARA) == (
        "Local Plan Review - Regulation 18 consultation")
    assert letter_subject("Office of the Chief Executive\n\nRe: your letter of 12 February 2025\n\nDear Ms Khan,\n\n"
                          + PARA) is None


@pytest.mark.parametrize("markdown, title", [
    ("**Figure 1: Households in temporary accommodation in Westshire**\n\n# Homelessness and rough sleeping "
     "strategy 2025–2030\n\n" + PARA * 3, "Homelessness and rough sleeping strategy 2025–2030"),
    ("**Content warning: suicide and self-harm**\n\n# Learning from suicide prevention audits in Westshire\n\n"
     + PARA * 3, "Learning from suicide prevention audits in Westshire"),
    ("## Local Transport Plan\n\nWestshire County Council\n\n2025 to 2040\n\n# A message from the Leader\n\n" + PARA * 3
     + "\n\n# 1. Why we need a plan\n\n" + PARA, "Local Transport Plan"),
])
def test_a_bold_label_or_a_larger_heading_after_a_title_does_not_displace_it(tmp_path, markdown, title):
    assert detect_text(tmp_path, markdown, "page.md")["title"] == title


def test_what_the_review_found_of_dates_minutes_imprints_and_versions():
    from kb.ingest.extract.dates import find_dated_line
    from kb.ingest.extract.stated_dates import imprint_year

    pack = ("Westshire County Council\n\nSupplementary papers\n\nCouncil, Thursday 13 March 2025\n\nMinutes of the "
            "meeting of the Audit Committee held on 3 March 2025\n(to be noted)\n")
    assert find_dated_line(pack)[0].value == "2025-03-13"
    assert imprint_year("Loneliness\n\n" + PARA + "\n\nReferences\n\n1. Acheson D. Independent inquiry into "
                        "inequalities in health: report.\n\nLondon: The Stationery Office, 1998.\n") is None
    assert find_dated_line("Self-neglect practice guidance\n\nv1.2, published 12 February 2025\n")[0].value == \
        "2025-02-12"


def test_a_header_on_the_first_and_last_of_three_pages_is_still_a_header(tmp_path):
    pages = ["Member Briefing Note\n\nPothole repairs: progress update\n\n10 March 2025\n\n" + PARA,
             "Ward | Repairs | Outstanding\nNorth | 120 | 14\nSouth | 98 | 22",
             "Member Briefing Note\n\n" + PARA * 2]
    assert detect_text(tmp_path, "\f".join(pages), "briefing.txt")["title"] == "Pothole repairs: progress update"


def test_a_staff_reports_cover_sheet_gives_its_subject_and_its_own_date_never_its_addressee(tmp_path):
    page = ("Staff Report PW-14-032 - eSCRIBE Published Meetings\n\nCity of Port Aldous\n\nS T A F F R E P O R T\n\n"
            "Report To:\n\nMayor and Members of Council\n\nMeeting Date:\n\nMay 5, 2014\n\nReport From:\n\nPeter "
            "Drummond, General Manager, Public Works\n\nDate:\n\nApril 22, 2014\n\nReport No:\n\nPW-14-032\n\nSubject:\n\n"
            "Lead Service Line Replacement Program – Cost-Sharing Options\n\nRecommendation\n\n" + PARA * 3)
    meta = detect_text(tmp_path, page, "filestream.txt")
    assert (meta["title"], meta["published"]) == ("Lead Service Line Replacement Program – Cost-Sharing Options",
                                                  "2014-04-22")
    assert meta["publisher"] != "Mayor and Members of Council"


@pytest.mark.parametrize("line", ["City of Port Aldous", "Parliament of Victoria", "ADB Briefs", "SPICe Briefing",
                                  "Pàipear-ullachaidh SPICe"])
def test_a_bodys_name_or_a_series_label_alone_is_no_title(line):
    from kb.ingest.kinds import names_only_a_kind
    from kb.ingest.titles import bare_body

    assert bare_body(line) or names_only_a_kind(line)


# -- the first lines of text exports: what stands over a title is no title ------------------------------------

@pytest.mark.parametrize("text, name, title", [
    # a kind of page over a saved page's heading
    ("[Skip to main content](#content)\n\n1.  [Home](/)\n2.  [Reports & data](/reports-data)\n\nWeb report\n\n"
     "# Emergency department care for mental health conditions 2023–24\n\nRelease Date: 12 Mar 2025\n\n" + PARA * 3,
     "summary.md", "Emergency department care for mental health conditions 2023–24"),
    # a kind of document, the ministry's address and telephone over the title and its fields
    ("Health\n\nPolicy Directive\n\nNSW GOVERNMENT\n\nMinistry of Health, NSW\n1 Reserve Road St Leonards NSW 2065\n\n"
     "Telephone (02) 9391 9000\nFax (02) 9391 9101\n\nHeatwave Preparedness and Response in NSW Health Facilities\n"
     "Document Number\n\nPD2022_028\n\nPublication date\n\n14-Jun-2022\n\nSummary\n\n" + PARA * 3,
     "PD2022_028.txt", "Heatwave Preparedness and Response in NSW Health Facilities"),
    # an inquiry's stamp on a submission, and the body's name
    ("Submission 23\n\nThe Royal Australasian College of Physicians\n\nRACP submission to the Senate inquiry into the "
     "health impacts of extreme heat\n\nAugust 2018\n\n" + PARA * 3, "Sub 23.txt",
     "RACP submission to the Senate inquiry into the health impacts of extreme heat"),
    # a masthead's slogan in bold over its initials and the title, set as level-one headings
    ("**Policy Brief** November 2016\n\n**BETTER POLICIES FOR BETTER LIVES**\n\n# **OECD**\n\n"
     "# **Affordable housing in OECD cities**\n\nPolicy options for inclusive growth\n\n" + PARA * 3, "brief.md",
     "Affordable housing in OECD cities"),
    # the office a letter is sent from, under its department's name
    ("UNITED STATES DEPARTMENT OF EDUCATION\nOFFICE OF ELEMENTARY AND SECONDARY EDUCATION\n\nTHE ASSISTANT SECRETARY\n\n"
     "June 17, 2014\n\nDear Colleague Letter: Using Title I Funds to Address Chronic Absenteeism\n\n" + PARA * 3,
     "dcl.txt", "Dear Colleague Letter: Using Title I Funds to Address Chronic Absenteeism"),
    # a meeting's name set a few words a line, up to its fields
    ("Absolutely Positively\nWellington City Council\nMe Heke Ki Pōneke\n\n ORDINARY MEETING\n OF\n CITY STRATEGY "
     "COMMITTEE\n AGENDA\n  Time:       9:30am\n  Date:       Thursday, 7 September 2017\n\nMEMBERSHIP\n\n" + PARA * 3,
     "agenda.txt", "Ordinary Meeting of City Strategy Committee Agenda"),
    # the meeting a paper goes to, over the paper's title and its cover sheet, under the NHS logo
    ("NHS\nCheshire and Merseyside\n\n\nMeeting of the Board of NHS Cheshire and Merseyside\n25 January 2024\n\n\n"
     "Urgent and Emergency Care: Winter Plan 2023/24 Mid-Season Review\n\nAgenda Item No:       ICB/01/24/09\n"
     "Report author:        Associate Director of Urgent Care\n\n" + PARA * 3, "item-09.txt",
     "Urgent and Emergency Care: Winter Plan 2023/24 Mid-Season Review"),
    # prose run on under a title in title case; a name wrapped at a line's end
    ("Congressional Research Service\n\nIN FOCUS\n\nUpdated March 8, 2016\n\nThe Highway Trust Fund After the FAST Act\n"
     "The Highway Trust Fund (HTF) is the source of most\nfederal funding for highways and mass transit.\n\n" + PARA * 3,
     "IF10287.txt", "The Highway Trust Fund After the FAST Act"),
    ("Guidance on the Hormone \nReplacement Therapy prescription \nprepayment certificate  \nHandling NHS HRT "
     "prescriptions \nUpdated February 2024 \n2 \nContents \n" + PARA * 3, "hrt.txt",
     "Guidance on the Hormone Replacement Therapy prescription prepayment certificate"),
    # a record's day, up to the fields under it
    ("LEEDS CITY COUNCIL\n\nEXECUTIVE BOARD\nMINUTES\nWEDNESDAY, 12TH FEBRUARY, 2020\nPRESENT: Councillor A Hartley in "
     "the Chair\nCouncillors R Ahmed, S Brennan and D Coupland\n131\n\n" + PARA * 3, "minutes.txt",
     "Executive Board: Minutes Wednesday, 12TH FEBRUARY, 2020"),
    # a government site's banner, its menu, a trail of links whose marks were lost, the sharing links under the date
    ("A Singapore Government Agency Website How to identify\n\nMinistry of Education\nSINGAPORE\n\nEducation in SG\n"
     "Preschool\nPrimary\nSecondary\n\nSearch\n\nHome News Press Releases\nGreater Support for Students from "
     "Lower-Income Families\n\nPublished Date: 08 Mar 2022\n\nShare\n\n" + PARA * 3, "20220308-support.txt",
     "Greater Support for Students from Lower-Income Families"),
    # a protective marking and the document's code; a series' masthead over a paper's title in capitals
    ("Unclassified                                  DELSA/ELSA/WD/SEM(2014)12\n\nOrganisation for Economic "
     "Co-operation and Development\n\nDIRECTORATE FOR EMPLOYMENT, LABOUR AND SOCIAL AFFAIRS\n\n\nWorking Conditions "
     "and Turnover in the Long-Term Care Workforce\n\nMarta Lindqvist and Hugo Ferrand\n\n" + PARA * 3, "wp.txt",
     "Working Conditions and Turnover in the Long-Term Care Workforce"),
    # a cover sheet's "Title" row in a layout export, among the paper's fields, under the NHS logo
    ("                                                  NHS\n                                          Wessex Coast\n"
     "                                   Integrated Care Board\n\n Meeting                       ICB Board meeting in "
     "public\n Date                          4 March 2025\n Agenda item                   11\n Title                    "
     "     Primary Care Access Recovery: Year 2 progress\n Author                        James Okafor\n Action required  "
     "             For assurance\n\n" + PARA * 3, "board-papers.txt", "Primary Care Access Recovery: Year 2 progress"),
    # a Canadian body's name in bold over its name in French, over the title
    ("**Employment and Social Development Canada** \n\nEmploi et Développement social Canada \n\n# **Evaluation of "
     "Reaching Home: Canada’s Homelessness Strategy** \n\nFinal Report \n\n" + PARA * 3, "document(3).md",
     "Evaluation of Reaching Home: Canada’s Homelessness Strategy"),
    # a series' label ending in a colon over a Markdown title
    ("B.29[17c] \n\n### **Controller and Auditor-General** \n\nLocal government: \n\n# **Managing stormwater systems** "
     "\n\nPresented to the House of Representatives under section 20 of the Public Audit Act 2001. \n\n" + PARA * 3,
     "stormwater.md", "Local government: Managing stormwater systems"),
    # a saved page's trail of links wrapped onto a second line
    ("Skip to Main Content\n\nMass.Gov\n\nDepartment of Environmental Protection\n\nHome > Public Participation > Public"
     "\nHearings > Proposed Amendments to 310 CMR 7.11\n\nNOTICE OF PUBLIC HEARINGS AND COMMENT PERIOD\n\nOctober 3, "
     "2014\n\n" + PARA * 3, "notice.txt", "Notice of Public Hearings and Comment Period"),
    # a paper's "Item:" field beside its meeting's date, under the panel it goes to
    ("**TRANSPORT FOR LONDON** EVERY JOURNEY MATTERS\n\n### **Safety, Sustainability and Human Resources Panel**\n\n"
     "**Date:** 6 December 2017\n\n**Item:** Vision Zero Action Plan: Progress Update\n\n# **1 Summary**\n\n" + PARA * 3,
     "item-07.md", "Vision Zero Action Plan: Progress Update"),
    # a title's line ending in a colon set on two lines, and the line it goes on to
    ("Connected Health\nCities Programme:\nEvaluation\nFinal research report\nDecember 2018\n\nDr Stephanie Steels. "
     "PhD\nProgramme evaluation expert\n\nExecutive summary\n" + PARA * 3, "chc.txt",
     "Connected Health Cities Programme: Evaluation"),
    # a title on a line of its own over its first paragraph, set without a blank line
    ("Methodology for estimating the numbers of patients discharged from hospitals into care homes\nWhere a patient is "
     "resident in a care home prior to admission to hospital, hospital records are\ncommonly assigned the source of "
     "admission.\n\n" + PARA * 3, "discharges.txt",
     "Methodology for estimating the numbers of patients discharged from hospitals into care homes"),
    # a body's name and its motto over the title
    ("Region of Peel\nWorking with you\n\n\n Peel Housing and Homelessness\n Plan 2018–2028\n\n\nFebruary 2018\n\n"
     + PARA * 3, "peel.txt", "Peel Housing and Homelessness Plan 2018–2028"),
    # an official report's cover: its committee over the day it met, past its session's label
    ("The Scottish Parliament\nPàrlamaid na h-Alba\n\nOFFICIAL REPORT\nAITHISG OIFIGEIL\n\nHealth, Social Care and Sport "
     "Committee\nTuesday 14 May 2024\nSession 6\n\n© Parliamentary copyright. Scottish Parliamentary Corporate Body\n\n"
     + PARA * 3, "OR-HS.txt", "Health, Social Care and Sport Committee - Tuesday 14 May 2024"),
    # a Hansard's cover: the state and the record's kind over the inquiry's name
    ("               COMMONWEALTH OF AUSTRALIA\n\n\n   Proof Committee Hansard\n\n\n        SENATE\n\nCOMMUNITY AFFAIRS "
     "REFERENCES COMMITTEE\n\n\nAvailability of dental services in rural and remote Australia\n\n(Public)\n\nTHURSDAY, 8 "
     "AUGUST 2019\n\n" + PARA * 3, "hansard.txt", "Availability of dental services in rural and remote Australia"),
    # authors whose names have accents, and a field, under a title in capitals
    ("OECD Health Working Paper No. 147\n\nPrimary Care Workforce Shortages in\nRural and Remote Areas\nLucía Ferrer, "
     "Thomas Ahlberg and Gaëlle Marchetti\nJEL Classification: I11, I14\n\n" + PARA * 3, "hwp.txt",
     "Primary Care Workforce Shortages in Rural and Remote Areas"),
])
def test_the_title_of_a_text_export_past_what_its_cover_prints_over_it(tmp_path, text, name, title):
    assert detect_text(tmp_path, text, name)["title"] == title


def test_a_transcripts_body_the_pages_repeat_as_their_header_opens_its_hearings_title(tmp_path):
    pages = ["NORTHBRIDGE MATERNITY SERVICES INQUIRY\n\n\n   PUBLIC HEARING\n\n   Day 14\n   Thursday, 9 May 2019\n\n"
             "   Held at:\n   The Assembly Rooms, Northbridge\n\n"] + [
        f"NORTHBRIDGE MATERNITY SERVICES INQUIRY\n\n{n}   THE CHAIR: Good morning. " + PARA * 2 for n in range(2, 6)]
    assert detect_text(tmp_path, "\f".join(pages), "Day-14.txt")["title"] == (
        "Northbridge Maternity Services Inquiry: Public Hearing")


def test_a_cover_sheets_title_field_is_read_across_its_row(tmp_path):
    from reportlab.pdfgen import canvas as rl_canvas

    path = tmp_path / "Paper_F.pdf"
    canvas = rl_canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(48, 770, "Board of Directors – Meeting in Public")
    canvas.drawString(48, 755, "Thursday 3 July 2025")
    canvas.setFont("Helvetica", 10.5)
    for y, name, value in [(700, "Agenda item", "9"), (680, "Paper", "F"),
                           (660, "Report title", "Integrated Quality and Safety Report – May 2025"),
                           (640, "Executive lead", "Dr Alison Kerr, Chief Nurse")]:
        canvas.drawString(52, y, name)
        canvas.drawString(202, y, value)
    words = (PARA * 8).split()
    for start, y in zip(range(0, len(words), 14), range(600, 100, -12), strict=False):
        canvas.drawString(52, y, " ".join(words[start:start + 14]))
    canvas.showPage()
    canvas.save()
    assert detect(path)["title"] == "Integrated Quality and Safety Report – May 2025"


def test_a_gazettes_issue_is_titled_by_the_notice_it_carries_under_its_act(tmp_path):
    text = ("Government Gazette\n\nStaatskoerant\n\nREPUBLIC OF SOUTH AFRICA\n\nVol. 668    12 February 2021    No. 44165"
            "\n\nAIDS HELPLINE: 0800-0123-22 Prevention is the cure\n\f"
            "GOVERNMENT NOTICES\nDEPARTMENT OF WATER AND SANITATION\nNO. 98\n\n12 FEBRUARY 2021\n\n"
            "WATER SERVICES ACT, 1997 (ACT NO. 108 OF 1997)\nINVITATION FOR PUBLIC COMMENT ON THE DRAFT NATIONAL FAECAL "
            "SLUDGE\nMANAGEMENT REGULATIONS\nI, the Minister of Water and Sanitation, hereby publish the draft "
            "Regulations.\n\n" + PARA * 3)
    assert detect_text(tmp_path, text, "44165gon98.txt")["title"] == (
        "Invitation for Public Comment on the Draft National Faecal Sludge Management Regulations")


def test_a_copyright_line_names_its_holder_before_the_acronym_in_brackets(tmp_path):
    text = ("Annual report 2015\n\n" + PARA * 3 + "\n\nCopyright © United Nations Human Settlements Programme "
            "(UN-Habitat), 2016\n\nAll rights reserved.\n")
    assert detect_text(tmp_path, text, "ar.txt")["publisher"] == "United Nations Human Settlements Programme"
