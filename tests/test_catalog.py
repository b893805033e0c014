"""The catalog: hand-edited TOML whose mistakes are reported with their line."""

from pathlib import Path

import pytest
from conftest import BUNDLED_CORPUS

from kb.errors import CatalogError
from kb.ingest.catalog import load_catalog, slugify


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    return path


def test_bundled_catalog_records_dates_with_their_precision():
    entries = load_catalog(BUNDLED_CORPUS / "catalog.toml")
    by_id = {e.id: e for e in entries.values()}
    assert by_id["nhsconfed-future-of-integrated-care-2020"].published.value == "2020-11-20"
    assert by_id["nhsconfed-future-of-integrated-care-2020"].published.precision == "day"
    assert by_id["nhsconfed-statutory-footing-news-2020"].published.precision == "month"
    commons = by_id["commons-library-nhs-reform-icss-2020"]
    assert (commons.published.value, commons.published.precision) == ("2020", "year")
    assert "election" in commons.date_note
    assert by_id["kingsfund-integrated-care-our-position-2022"].published.value == "2022-05-17"
    # Every catalogued file is really in the corpus.
    for file in entries:
        assert (BUNDLED_CORPUS / file).is_file(), file


def test_missing_catalog_is_empty(tmp_path):
    assert load_catalog(tmp_path / "nope.toml") == {}


def test_bad_date_names_the_line(tmp_path):
    path = write(tmp_path, '# c\n\n[[document]]\nfile = "a.txt"\n\n[[document]]\nfile = "b.txt"\npublished = "2020-13"\n')
    with pytest.raises(CatalogError, match=r"line 8: published: '2020-13' is not a date"):
        load_catalog(path)


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, '[[document]]\nfile = "a.txt\n')
    with pytest.raises(CatalogError, match=r"line 2"):
        load_catalog(path)


def test_unknown_key_and_duplicates_are_rejected(tmp_path):
    with pytest.raises(CatalogError, match=r"unknown key\(s\) \['titel'\]"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.txt"\ntitel = "x"\n'))
    with pytest.raises(CatalogError, match="catalogued twice"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.txt"\n[[document]]\nfile = "a.txt"\n'))
    with pytest.raises(CatalogError, match="already used"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.txt"\nid = "x"\n[[document]]\nfile = "b.txt"\nid = "x"\n'))
    with pytest.raises(CatalogError, match="needs file"):
        load_catalog(write(tmp_path, '[[document]]\ntitle = "x"\n'))


def test_ids_must_be_safe_in_urls_and_file_names(tmp_path):
    with pytest.raises(CatalogError, match="must be lower-case"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.txt"\nid = "../../etc/passwd"\n'))
    assert slugify("Reports/The King's Fund 2022.PDF") == "reports-the-king-s-fund-2022-pdf"
    assert slugify("../..") == "document"


def test_tables_of_the_wrong_shape_get_a_line_not_a_traceback(tmp_path):
    with pytest.raises(CatalogError, match=r"must be written as \[\[document\]\] tables"):
        load_catalog(write(tmp_path, "document = [1]\n"))
    with pytest.raises(CatalogError, match=r"must be written as \[\[document\]\] tables"):
        load_catalog(write(tmp_path, '[document]\nfile = "a.txt"\n'))
    path = tmp_path / "catalog.toml"
    path.write_bytes('[[document]]\nfile = "caf\xe9.txt"\n'.encode("latin-1"))
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(path)


def test_duplicate_of_must_name_another_catalogued_document(tmp_path):
    with pytest.raises(CatalogError, match="is not the id of any catalogued document"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.pdf"\nduplicate_of = "nope"\n'))
    with pytest.raises(CatalogError, match="names the document itself"):
        load_catalog(write(tmp_path, '[[document]]\nfile = "a.pdf"\nid = "a"\nduplicate_of = "a"\n'))
