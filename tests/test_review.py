"""Reviewing kb's metadata (`kb docs --check`, `kb show`) and correcting it in the catalog (`--set`,
`--export-catalog`, `--import-catalog`): corrections win on every later ingest, --force included."""

from __future__ import annotations

import json

from conftest import run_kb
from test_ingest import make_project
from test_metadata import PARA


def _docs(home) -> dict[str, dict]:
    return {d["id"]: d for d in json.loads(run_kb("docs", "--json", home=home).stdout)}


def test_check_lists_missing_and_weak_values_and_a_correction_wins_on_every_ingest(tmp_path):
    home = make_project(tmp_path, {
        "hearing.txt": "Transcript of Module 1 Preliminary Hearing on 4 October 2022\n\n" + PARA * 3,
        "board-papers-january-2025.txt": "Board papers\n\n" + PARA * 3,
        "plan.txt": "Joint forward plan\n\nPublished: 30 June 2023\n\n© NHS Kent and Medway 2023\n\n" + PARA * 3,
    })
    assert run_kb("ingest", home=home).returncode == 0
    check = run_kb("docs", "--check", home=home)
    assert check.returncode == 0, check.stderr
    out = check.stdout
    assert "corpus/hearing.txt" in out and "corpus/board-papers-january-2025.txt" in out and "corpus/plan.txt" not in out
    assert 'from title: "Transcript of Module 1 Preliminary Hearing on 4 October 2022"' in out
    assert "from the file name 'board-papers-january-2025.txt'" in out and "weak: from file-name" in out
    assert "2 of 3 documents to review (0 undated)" in out

    changed = run_kb("docs", "--set", "hearing", "publisher=UK Covid-19 Public Inquiry", home=home)
    assert changed.returncode == 0, changed.stderr
    bad = run_kb("docs", "--set", "hearing", "published=2022-13", home=home)
    assert bad.returncode != 0 and "catalog.toml, line" in bad.stderr and "2022-13" in bad.stderr
    assert "2022-13" not in (home / "corpus" / "catalog.toml").read_text("utf-8")
    for args in (("ingest",), ("ingest", "--force")):
        assert run_kb(*args, home=home).returncode == 0
        doc = _docs(home)["hearing"]
        assert (doc["publisher"], doc["provenance"]["publisher"]) == ("UK Covid-19 Public Inquiry", "catalog")
        assert (doc["published"], doc["provenance"]["published"]) == ("2022-10-04", "title")
    shown = run_kb("show", "hearing", "--no-passages", home=home).stdout
    assert "UK Covid-19 Public Inquiry  [from catalog]" in shown
    assert "from title: \"Transcript of Module 1" in shown
    assert "hearing" not in run_kb("docs", "--check", home=home).stdout


def test_the_catalog_export_round_trip_writes_only_edited_values(tmp_path):
    home = make_project(tmp_path, {
        "a.txt": "Alpha paper on integrated care\n\nPublished: 3 March 2021\n\n" + PARA * 3,
        "b.txt": "Beta paper on primary care\n\n" + PARA * 3,
    }, catalog='[[document]]\nfile = "a.txt"\nurl = "https://example.org/a"\n')
    assert run_kb("ingest", home=home).returncode == 0
    export = tmp_path / "review.toml"
    assert run_kb("docs", "--export-catalog", str(export), home=home).returncode == 0
    text = export.read_text("utf-8")
    assert 'title = "Alpha paper on integrated care"  # from text' in text
    assert 'url = "https://example.org/a"' in text and '# publisher = ""  # missing' in text
    catalog = home / "corpus" / "catalog.toml"
    before = catalog.read_text("utf-8")
    unedited = run_kb("docs", "--import-catalog", str(export), home=home)
    assert unedited.returncode == 0 and "0 document(s) corrected" in unedited.stdout
    assert catalog.read_text("utf-8") == before

    edited = text.replace('title = "Beta paper on primary care"', 'title = "Beta: primary care at scale"')
    edited = edited.replace('# publisher = ""  # missing', 'publisher = "NHS England"', 1)
    export.write_text(edited, "utf-8")
    assert "2 document(s) corrected" in run_kb("docs", "--import-catalog", str(export), home=home).stdout
    assert run_kb("ingest", home=home).returncode == 0
    docs = _docs(home)
    assert (docs["b"]["title"], docs["b"]["provenance"]["title"]) == ("Beta: primary care at scale", "catalog")
    assert (docs["a"]["publisher"], docs["a"]["provenance"]["publisher"]) == ("NHS England", "catalog")
    assert docs["a"]["provenance"]["title"] == "text" and docs["a"]["url"] == "https://example.org/a"


def test_a_held_back_publisher_is_named_for_review_and_accepted_in_one_edit(tmp_path):
    """A body found on weak evidence (here the PDF's Author field, which the text never prints) is not
    assigned, but `kb docs --check`, `kb show` and the catalog export name it, and uncommenting it accepts it."""
    from test_metadata import cover_pdf

    home = make_project(tmp_path, {"notes.txt": "Notes on integrated care\n\nPublished: 3 March 2021\n\n" + PARA * 3})
    cover_pdf(home / "corpus" / "review.pdf", [("Annual review of community services", 24, 100)], title="",
              author="Publications Office")
    assert run_kb("ingest", home=home).returncode == 0
    assert _docs(home)["review"]["publisher"] is None
    check = run_kb("docs", "--check", home=home).stdout
    assert "held back 'Publications Office' (only the PDF's Author field names it" in check
    assert "held back 'Publications Office'" in run_kb("show", "review", "--no-passages", home=home).stdout
    export = tmp_path / "review.toml"
    assert run_kb("docs", "--export-catalog", str(export), home=home).returncode == 0
    text = export.read_text("utf-8")
    assert '# publisher = "Publications Office"  # missing; held back: only the PDF' in text
    export.write_text(text.replace('# publisher = "Publications Office"', 'publisher = "Publications Office"'), "utf-8")
    assert "1 document(s) corrected" in run_kb("docs", "--import-catalog", str(export), home=home).stdout
    for args in (("ingest",), ("ingest", "--force")):
        assert run_kb(*args, home=home).returncode == 0
        doc = _docs(home)["review"]
        assert (doc["publisher"], doc["provenance"]["publisher"]) == ("Publications Office", "catalog")
        assert "held_back" not in doc["provenance"]


def test_a_copyright_lines_year_is_offered_for_an_undated_document_never_assigned(tmp_path):
    """A copyright line's year is as often an earlier edition's as this one's: an undated document stays
    undated, and the year is named for review, to be accepted in one edit."""
    home = make_project(tmp_path, {
        "strategy.txt": "Country Cooperation Strategy 2024–2028\n\n© WHO African Region, 2024\n\n" + PARA * 3,
        "byelaws.txt": "Byelaws for the use of libraries\n\nCopyright, Designs and Patents Act 1988\n\n" + PARA * 3,
    })
    assert run_kb("ingest", home=home).returncode == 0
    docs = _docs(home)
    assert docs["strategy"]["published"] is None and docs["byelaws"]["published"] is None
    assert "held_back" not in docs["byelaws"]["provenance"]  # an act's year is no copyright line's
    check = run_kb("docs", "--check", home=home).stdout
    assert ("date       —  missing; held back '2024' (only a copyright line gives a year, which may be an earlier "
            "edition's), read from \"© WHO African Region, 2024\"") in check
    assert "2 of 2 documents to review (2 undated)" in check
    export = tmp_path / "review.toml"
    assert run_kb("docs", "--export-catalog", str(export), home=home).returncode == 0
    text = export.read_text("utf-8")
    assert '# published = "2024"  # missing; held back: only a copyright line' in text
    export.write_text(text.replace('# published = "2024"', 'published = "2024"'), "utf-8")
    assert "1 document(s) corrected" in run_kb("docs", "--import-catalog", str(export), home=home).stdout
    assert run_kb("ingest", home=home).returncode == 0
    doc = _docs(home)["strategy"]
    assert (doc["published"], doc["provenance"]["published"]) == ("2024", "catalog")
