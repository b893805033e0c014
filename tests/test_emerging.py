"""`kb emerging`: a planted rising term is found and ranked first with its first appearance; a fading one with
--fading; running headers, page numbers, licences and fragments never listed; plurals folded; the counts kept at
ingest equal a fresh count after any sequence of edits; the CLI's text, JSON and CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.cli import cli, run
from kb.commands.emerging import EMERGING_CSV_COLUMNS
from kb.models import PartialDate, Passage
from kb.nlp.phrases import MAX_PER_DOCUMENT, candidates, document_counts, term_key, update_term_counts
from kb.store import Store
from kb.store import terms as db
from kb.trace import trace
from kb.trace.emerging import emerging, emerging_terms, g2, log_ratio, parse_period

SYLLABLES = "ba be bo ku ki la lo mi mu na no pe po ra ri sa so ta te tu va vi zo".split()
PUBLISHERS = ["Alpha Trust", "Beta Institute", "Gamma Council", "Delta Fund", "Epsilon Office"]


def _filler(rng: random.Random, words: int) -> str:
    """Prose of made-up words: no phrase of it repeats often enough to be key."""
    out = []
    for _ in range(words):
        out.append("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return " ".join(out) + "."


def put(store: Store, doc_id: str, published: str | None, publisher: str, paragraphs: list[str]) -> None:
    """Store one document (one passage per paragraph, three per page), as an ingest would, and count it."""
    text = "\n\n".join(paragraphs)
    passages, offset = [], 0
    for n, para in enumerate(paragraphs):
        passages.append(Passage(f"{doc_id}-{n}", doc_id, n, 1 + n // 3, 1 + n // 3, offset, offset + len(para), para))
        offset += len(para) + 2
    date = PartialDate.parse(published) if published else None
    doc = {"id": doc_id, "source": doc_id + ".txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
           "format": "text", "title": doc_id.replace("-", " ").title(), "publisher": publisher,
           "published": date.value if date else None, "date_precision": date.precision if date else None,
           "date_earliest": date.earliest if date else None, "date_latest": date.latest if date else None,
           "date_source": "catalog" if date else None, "pages": passages[-1].page, "passages": len(passages),
           "words": sum(p.words for p in passages), "text": text, "ingested_at": "2026-01-01T00:00:00"}
    with store.transaction():
        store.replace_document(doc, [(1, 0, len(text))], passages)


def corpus(rng: random.Random) -> list[tuple[str, str | None, str, list[str]]]:
    """Two documents a year 2018-2023 from rotating publishers, and one undated. Planted:
    - "virtual ward(s)" rises from 2022 in every document of three publishers (none before);
    - "sustainability and transformation partnership(s)" in every document to 2021, never after;
    - in 2022-2023 only: a running header on every page, "Page N of M" footers, a licence line, and
      "neighbourhood health centre(s)" whose parts ("neighbourhood health", "health centre") are fragments."""
    docs = []
    for year in range(2018, 2024):
        for k in range(2):
            pub = PUBLISHERS[(year + k) % len(PUBLISHERS)]
            paras = [_filler(rng, 40) for _ in range(6)]
            if year <= 2021:
                paras[1] += " Each sustainability and transformation partnership met; the STP plans and " \
                            "sustainability and transformation partnerships' boards agreed."
                paras[4] += " Sustainability and transformation partnerships published plans."
            else:
                paras[2] += (" The virtual wards opened and virtual-ward beds grew. A virtual ward's patients "
                             "went home. Virtual wards work.")
                paras[3] += (" New Neighbourhood Health Centres. The neighbourhood health centre opened. Each "
                             "neighbourhood health centre's staff.")
                for i in range(len(paras)):
                    paras[i] = f"Quarterly Widget Review {year}\n" + paras[i] + f"\nPage {i + 1} of 6"
                paras[5] += "\n© Crown copyright. Published under the Open Government Licence v3.0."
            docs.append((f"doc-{year}-{k}", str(year) if k == 0 else f"{year}-0{k + 5}", pub, paras))
    docs.append(("undated-note", None, "Zeta", [_filler(rng, 30) + " virtual wards are new."]))
    return docs


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("emerging") / "indexes" / "kb.sqlite"
    path.parent.parent.joinpath("corpus").mkdir(parents=True)
    s = Store.open(path, create=True)
    for doc in corpus(random.Random(5)):
        put(s, *doc)
    with s.transaction():
        update_term_counts(s)
    yield s
    s.close()


def test_the_planted_rising_term_is_first_with_its_first_appearance(store):
    report = emerging(store, "2022", "2023")
    assert (report.target, report.reference) == (("2022-01-01", "2023-12-31"), ("2020-01-01", "2021-12-31"))
    assert report.undated_documents == 1
    top = report.terms[0]
    assert top.term == "virtual wards" and top.kind == "phrase"
    assert top.target == 16 and top.reference == 0 and top.target_docs == 4 and top.target_publishers == 3
    assert {"virtual ward's", "virtual-ward"} <= set(top.variants)
    assert top.first is not None and (top.first.doc_id, top.first.passage_id) == ("doc-2022-0", "doc-2022-0-2")
    assert top.first.quote[top.first.mark_start:top.first.mark_end] == "virtual wards"
    assert top.by_year == {"2018": 0, "2019": 0, "2020": 0, "2021": 0, "2022": 8, "2023": 8}
    # kb trace names the same first appearance
    assert trace(store, top.term).first_use.passage_id == top.first.passage_id
    assert emerging_terms(store, "2022", "2023", limit=1) == [top]


def test_a_phrase_is_shown_without_a_possessive_when_it_is_written_without_one(store):
    """"neighbourhood health centre" and "neighbourhood health centre's" are each written once in lower case:
    the term is shown as the plain phrase, the possessive among its other forms."""
    term = next(t for t in emerging(store, "2022", "2023", limit=None).terms if t.key == "neighbourhood health centre")
    assert term.term == "neighbourhood health centre"
    assert "neighbourhood health centre's" in term.variants


def test_furniture_licences_and_fragments_are_never_listed(store):
    listed = {t.key for t in emerging(store, "2022", "2023", limit=None).terms}
    assert "neighbourhood health centre" in listed
    for bad in ("quarterly widget review", "widget review", "quarterly widget", "crown copyright",
                "open government licence", "government licence", "neighbourhood health", "health centre",
                "ward bed", "page"):
        assert bad not in listed
    assert all(2 <= len(k.split()) <= 5 or t_kind != "phrase" for k, t_kind in
               ((t.key, t.kind) for t in emerging(store, "2022", "2023", limit=None).terms))


def test_spread_thresholds_count_documents_and_publishers(store):
    assert "virtual ward" in {t.key for t in emerging(store, "2022", "2023", min_docs=4, min_publishers=3).terms}
    assert "virtual ward" not in {t.key for t in emerging(store, "2022", "2023", min_docs=5).terms}
    assert "virtual ward" not in {t.key for t in emerging(store, "2022", "2023", min_publishers=4).terms}


def test_the_fading_term_is_found_with_fading(store):
    fading = emerging(store, "2022", "2023", fading=True).terms
    assert fading[0].key == "sustainability and transformation partnership"
    assert fading[0].target == 0 and fading[0].reference == 12 and fading[0].reference_docs == 4
    assert "virtual ward" not in {t.key for t in fading}


def test_plural_possessive_and_hyphen_variants_are_one_key():
    assert term_key("integrated care systems") == term_key("Integrated-Care System's") == "integrated care system"
    keys = [k for k, *_ in candidates("Integrated care systems work. The integrated care system's plan.")]
    assert keys.count("integrated care system") == 2
    # a candidate never starts or ends with a function word, never holds a number, never crosses punctuation
    for key, *_ in candidates("The plan of the board, in 2022 for the people of Leeds and the ICS."):
        words = key.split()
        assert words[0] not in ("the", "of", "in", "for", "and") and words[-1] not in ("the", "of", "and")
        assert not any(w.isdigit() for w in words)
    assert ("board in", "board, in") not in [(k, s) for k, s, *_ in candidates("the board, in time")]


def test_a_document_keeps_a_bounded_number_of_candidates():
    rng = random.Random(1)
    rows = document_counts(lambda: [_filler(rng, 4000)])
    assert len(rows) == MAX_PER_DOCUMENT


def test_g2_and_log_ratio_match_the_textbook_values():
    # Rayson's calculator: 100 in 1,000,000 against 50 in 1,000,000 gives G2 = 16.99
    assert round(g2(100, 50, 1_000_000, 1_000_000), 2) == 16.99
    assert log_ratio(100, 50, 1_000_000, 1_000_000) == 1.0
    assert log_ratio(8, 0, 100, 100) == 4.0  # zero taken as 0.5


def test_periods_parse_and_errors_name_the_problem(store):
    assert parse_period("2020-2022") == ("2020-01-01", "2022-12-31")
    assert parse_period("2022-03") == ("2022-03-01", "2022-03-31")
    from kb.errors import InvalidArgument

    with pytest.raises(InvalidArgument):
        parse_period("last year")
    with pytest.raises(InvalidArgument):
        emerging(store, "2020", "2022", against=("2021", "2021"))


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.integers(1, 3000)), st.one_of(st.none(), st.integers(1, 3000)), st.booleans())
def test_any_period_gives_well_formed_periods_or_a_clear_error(store, tmp_path_factory, since, until, empty):
    """Whatever years a user types, with or without dated documents: both periods are real dates, the reference
    ends before the target starts, or kb says what is wrong (never a year 0, a negative year or a traceback)."""
    import re

    from kb.errors import InvalidArgument

    where = Store.open(tmp_path_factory.mktemp("empty") / "kb.sqlite", create=True) if empty else store
    try:
        report = emerging(where, None if since is None else f"{since:04d}", None if until is None else f"{until:04d}")
    except InvalidArgument as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    finally:
        if empty:
            where.close()
    spans = [report.target, report.reference]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) and d >= "0001-01-01" for span in spans for d in span)
    assert report.reference[1] < report.target[0] and all(lo <= hi for lo, hi in spans)


DOC_IDS = [f"d{i}" for i in range(6)]
PHRASES = ["virtual wards", "virtual ward", "integrated care systems", "care systems", "anchor institutions",
           "the anchor institution's plan"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DOC_IDS), st.booleans(),
                          st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4)), min_size=1, max_size=10))
def test_incremental_counts_equal_a_fresh_count(tmp_path_factory, edits):
    """Any sequence of adds, changes and removals, counted after each, equals counting the final state once."""
    base = tmp_path_factory.mktemp("inc")
    live = Store.open(base / "live.sqlite", create=True)
    final: dict[str, list[str]] = {}
    for doc_id, remove, phrases in edits:
        if remove and doc_id in final:
            with live.transaction():
                live.delete_document(doc_id)
            del final[doc_id]
        else:
            final[doc_id] = [". ".join(phrases) + "."]
            put(live, doc_id, "2021", "P", final[doc_id])
        with live.transaction():
            update_term_counts(live)
    fresh = Store.open(base / "fresh.sqlite", create=True)
    for doc_id, paras in sorted(final.items()):
        put(fresh, doc_id, "2021", "P", paras)
    with fresh.transaction():
        update_term_counts(fresh)
    assert db.stored_counts(live) == db.stored_counts(fresh)
    assert set(db.counted_versions(live)) == set(final)
    live.close()
    fresh.close()


def _invoke(store, *args):
    home = store.path.parent.parent
    return CliRunner().invoke(cli, ["--home", str(home), "emerging", *args], env={"NO_COLOR": "1"})


def test_cli_prints_the_list_with_the_note_and_first_appearances(store):
    result = _invoke(store, "--period", "2022-2023", "--limit", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Emerging terms: 2022–2023 against 2020–2021",
        "4 documents (1,316 words) in 2022–2023, 4 (1,048 words) in 2020–2021; 1 undated document left out "
        "(no period holds them)",
        "log-likelihood G² ≥ 10.83 (p < 0.001), log ratio as effect size; used in 2+ documents from 2+ publishers of "
        f"the period; {emerging(store, '2022', '2023').considered:,} candidate terms",
        "note: Keyness compares what this corpus holds in each period: if the documents of one period come from "
        "other publishers or kinds than the other's, terms rise and fall with the corpus's composition, not only "
        "with their use.",
    ]
    assert lines[5].split() == ["#", "term", "kind", "G²", "log", "ratio", "2022–2023", "2020–2021", "docs",
                                "publishers", "first"]
    assert lines[6].split()[:3] == ["1", "virtual", "wards"]
    assert ("  1. virtual wards: 2022 · Doc 2022 0 (Gamma Council) · p.1 · passage doc-2022-0-2 (tied with 1 of "
            "overlapping date)") in result.output
    assert "“The «virtual wards» opened and virtual-ward beds grew.”" in result.output


def test_cli_json_and_csv_follow_the_documented_schema(store):
    data = json.loads(_invoke(store, "--period", "2022-2023", "--json").output)
    assert set(data) == {"direction", "target", "reference", "undated_documents", "statistic", "min_docs",
                         "min_publishers", "considered", "note", "terms"}
    term = data["terms"][0]
    assert set(term) == {"rank", "term", "key", "kind", "concept_id", "variants", "g2", "log_ratio", "target",
                         "reference", "target_docs", "target_publishers", "reference_docs", "reference_publishers",
                         "total", "cvalue", "by_year", "first_appearance", "replaced_by"}
    assert set(term["first_appearance"]) == {"doc_id", "title", "publisher", "published", "date_precision", "page",
                                             "passage_id", "quote", "mark_start", "mark_end", "tied_with"}
    rows = list(csv.DictReader(io.StringIO(_invoke(store, "--period", "2022-2023", "--csv").output)))
    assert tuple(rows[0]) == EMERGING_CSV_COLUMNS and rows[0]["term"] == "virtual wards"
    years = list(csv.DictReader(io.StringIO(_invoke(store, "--period", "2022-2023", "--csv", "--by", "year").output)))
    assert [(r["year"], r["occurrences"]) for r in years if r["rank"] == "1"][-2:] == [("2022", "8"), ("2023", "8")]


def test_cli_usage_errors_are_one_line(store, capsys):
    home = str(store.path.parent.parent)
    for args, message in (
            (["--period", "someday"], "kb: error: Unknown date 'someday': use YYYY, YYYY-MM or YYYY-MM-DD, or a "
                                      "range such as 2020-2022 (--period, --since, --until)"),
            (["--period", "2022", "--since", "2021"], "kb: error: Give either --period or --since/--until, not both."),
            (["--json", "--csv"], "kb: error: Choose one of --json and --csv."),
            (["--period", "2022", "--against", "2022"], "kb: error: The reference period overlaps the target period: "
                                                        "compare two periods that do not share a day (--against)")):
        assert run(["--home", home, "emerging", *args]) == 2
        assert capsys.readouterr().err.strip() == message


def test_a_promoted_term_joins_the_vocabulary_once(tmp_path):
    from kb.errors import InvalidArgument
    from kb.nlp.promote import promote
    from kb.nlp.vocabulary import load_vocabulary

    path = tmp_path / "concepts.toml"
    path.write_text('[[concept]]\nid = "ics"\nlabel = "integrated care system"\nkind = "body"\n', encoding="utf-8")
    added = promote(path, "virtual wards", "programme", ["virtual-ward", "Virtual Wards", "hospital at home"])
    assert (added.id, added.label, added.kind, added.aliases) == ("virtual-wards", "virtual wards", "programme",
                                                                  ("hospital at home",))
    assert [c.id for c in load_vocabulary(path)] == ["ics", "virtual-wards"]
    for phrase in ("virtual ward", "Integrated-care systems"):
        with pytest.raises(InvalidArgument):
            promote(path, phrase, "policy")
    assert [c.id for c in load_vocabulary(path)] == ["ics", "virtual-wards"]


def test_a_store_of_the_previous_schema_gains_the_tables_and_the_next_ingest_counts_it(tmp_path):
    from kb.store import SCHEMA_VERSION

    path = tmp_path / "kb.sqlite"
    store = Store.open(path, create=True)
    put(store, "old", "2020", "P", ["Virtual wards opened. More virtual wards."])
    store.conn.executescript("DROP TABLE term_counts; DROP TABLE term_docs; DROP TABLE term_totals; "
                             "DROP TABLE term_sums; DROP TABLE term_buckets; "
                             "UPDATE meta SET value='4' WHERE key='schema_version';")
    store.close()
    store = Store.open(path)
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    with store.transaction():
        assert update_term_counts(store) == (1, 0)
    assert db.stored_counts(store) == [("virtual ward", "old", 2, 0, 1, "Virtual wards\nvirtual wards")]
    store.close()


def test_cli_promotes_a_term_with_the_forms_the_corpus_writes(tmp_path):
    from kb.nlp.vocabulary import load_vocabulary

    (tmp_path / "corpus").mkdir()
    store = Store.open(tmp_path / "indexes" / "kb.sqlite", create=True)
    put(store, "a", "2022", "P", ["Hospital-at-home schemes grew. The hospital at home scheme."])
    with store.transaction():
        update_term_counts(store)
    store.close()
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "concepts", "--add", "hospital at home scheme",
                                      "--kind", "programme"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    path = tmp_path / "corpus" / "concepts.toml"
    assert result.output == (f"Added concept hospital-at-home-scheme ('hospital at home scheme', programme) to "
                             f"{path}; run `kb ingest` to tag it.\n")
    [concept] = load_vocabulary(path)
    assert (concept.id, concept.kind, concept.aliases) == ("hospital-at-home-scheme", "programme", ())


TOKENS = ["the", "of", "and", "care", "systems", "integrated", "board's", "2022", "page", "will", "need", "based",
          "wards", "virtual", "NHS", "co-ordinated", ",", ".", "(", ")", "\n", "March", "children's", "&", "12"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_every_candidate_reads_like_a_term(tokens):
    """Whatever the text: 2-5 words, content words at both ends, no number, no punctuation or line break inside,
    the surface spells the key, and a possessive only ever ends a candidate or is a plural owner's."""
    from kb.nlp.phrases import EDGE_WORDS, fold

    text = " ".join(tokens)
    for key, surface, _, _ in candidates(text):
        words = key.split()
        assert 2 <= len(words) <= 5
        assert words[0] not in EDGE_WORDS and words[-1] not in EDGE_WORDS
        assert not any(w[0].isdigit() for w in words)
        assert not set(",.()\n") & set(surface)
        assert term_key(surface) == key == " ".join(fold(w) for w in surface.replace("-", " ").split())
        assert all(not w.endswith("'s") or w in ("children's",) for w in surface.split()[:-1])


def test_a_fading_term_names_what_replaced_it_only_where_a_sentence_says_so(tmp_path):
    """STPs fade and ICSs rise; a 2022 document says the one replaced the other. Virtual wards rise too and share
    a sentence with STPs without a word of replacement: not a successor. A term written before the other with an
    active verb ("ICSs replaced STPs") and the replacement of one by the other are both read."""
    rng = random.Random(9)
    (tmp_path / "corpus").mkdir()
    s = Store.open(tmp_path / "indexes" / "kb.sqlite", create=True)
    for year in range(2018, 2024):
        for k in range(2):
            paras = [_filler(rng, 30) for _ in range(4)]
            if year <= 2021:
                paras[0] += " Plans came from each sustainability and transformation partnership. Boards met in " \
                            "sustainability and transformation partnerships."
                for i in (1, 2, 3):
                    paras[i] += " Money went to sustainability and transformation partnerships."
            else:
                paras[1] += (" Plans came from each integrated care system. Boards met in integrated care systems. "
                             "Patients went to virtual wards.")
            if (year, k) == (2022, 0):
                paras[2] += (" In July integrated care systems replaced sustainability and transformation "
                             "partnerships. Virtual wards were discussed by sustainability and transformation "
                             "partnerships.")
            if (year, k) == (2023, 1):
                paras[3] += (" The replacement of sustainability and transformation partnerships by integrated "
                             "care systems took a year.")
            put(s, f"d-{year}-{k}", str(year), PUBLISHERS[(year + k) % len(PUBLISHERS)], paras)
    with s.transaction():
        update_term_counts(s)
    report = emerging(s, "2022", "2023", against=("2018", "2021"), fading=True)
    stp = next(t for t in report.terms if t.key.startswith("sustainability and transformation partnership"))
    assert [r.term for r in stp.replaced_by] == ["integrated care systems"]
    said = stp.replaced_by[0]
    assert (said.doc_id, said.published, said.sentences, said.documents) == ("d-2022-0", "2022", 2, 2)
    assert said.sentence == "In July integrated care systems replaced sustainability and transformation partnerships."
    data = json.loads(CliRunner().invoke(cli, ["--home", str(tmp_path), "emerging", "--fading", "--period", "2022-2023",
                                               "--against", "2018-2021", "--json"]).stdout)
    assert any(t["replaced_by"] and t["replaced_by"][0]["passage_id"] == said.passage_id for t in data["terms"])
    s.close()
