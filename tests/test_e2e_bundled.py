"""The main job on the bundled corpus, through the real CLI."""

import json

from conftest import run_kb


def docs_json(home):
    result = run_kb("docs", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return {d["id"]: d for d in json.loads(result.stdout)}


def test_every_bundled_document_is_ingested_with_catalog_metadata(bundled_home):
    docs = docs_json(bundled_home)
    assert len(docs) == 6
    kf = docs["kingsfund-integrated-care-our-position-2022"]
    assert kf["publisher"] == "The King's Fund"
    assert (kf["published"], kf["date_precision"], kf["date_source"]) == ("2022-05-17", "day", "catalog")
    commons = docs["commons-library-nhs-reform-icss-2020"]
    assert (commons["published"], commons["date_precision"]) == ("2020", "year")
    required = {"id", "title", "publisher", "published", "date_precision", "date_source", "source", "sha256",
                "format", "pages", "passages", "words", "warnings"}
    for doc in docs.values():
        assert required <= set(doc)
        assert doc["passages"] > 0 and doc["words"] > 100
        assert len(doc["sha256"]) == 64


def test_the_pdf_edition_goes_through_the_pdf_path_with_real_pages(bundled_home):
    pdf = docs_json(bundled_home)["nhsconfed-integrating-care-next-steps-briefing-2020-pdf"]
    assert pdf["format"] == "pdf" and pdf["pages"] > 1
    assert pdf["duplicate_of"] == "nhsconfed-integrating-care-next-steps-briefing-2020"
    shown = json.loads(run_kb("show", pdf["id"], "--json", home=bundled_home).stdout)
    assert {p["page"] for p in shown["passages"]} == set(range(1, pdf["pages"] + 1))
    text = shown["text"]
    for p in shown["passages"]:
        assert text[p["start"]:p["end"]] == p["text"]
    assert "NHS Confederation briefing" not in text  # the running header is gone


def test_show_prints_metadata_sources_and_passages_with_pages(bundled_home):
    result = run_kb("show", "kingsfund-integrated-care-our-position-2022", home=bundled_home)
    assert result.returncode == 0
    assert "[from catalog]" in result.stdout and "p. 1" in result.stdout
    missing = run_kb("show", "kingsfund-integrated-care", home=bundled_home)
    assert missing.returncode == 2 and "Did you mean kingsfund-integrated-care-our-position-2022" in missing.stderr


def test_show_takes_a_passage_id_as_search_and_trace_print_them(bundled_home):
    doc = json.loads(run_kb("show", "kingsfund-integrated-care-our-position-2022", "--json", home=bundled_home).stdout)
    passage = doc["passages"][2]
    result = run_kb("show", passage["id"], home=bundled_home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        doc["title"],
        "  document   kingsfund-integrated-care-our-position-2022",
        f"  publisher  {doc['publisher']}",
        f"  published  {doc['published']}",
        f"  source     corpus/{doc['source']}, p. {passage['page']}",
    ]
    assert lines[6].startswith(f"[{passage['id']}] p. {passage['page']}")
    assert " ".join(" ".join(lines[7:]).split()) == " ".join(passage["text"].split())
    shown = json.loads(run_kb("show", passage["id"], "--json", home=bundled_home).stdout)
    assert {k: shown[k] for k in passage} == passage and shown["ocr"] is False
    assert shown["document"]["id"] == doc["id"] and "text" not in shown["document"]


def test_a_rerun_skips_everything_quickly(bundled_home):
    result = run_kb("ingest", "--json", home=bundled_home)
    summary = json.loads(result.stdout)
    assert summary["unchanged"] == 6 and summary["new"] == [] and summary["retagged"] == 0
