"""Lineage (kb reuse): words that survive typesetting, the alignment of edited copies, incremental updates that
equal a full recomputation, boilerplate, undated documents, and the command's output."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.lineage import update_lineage
from kb.lineage.align import align
from kb.lineage.report import find_reuse
from kb.lineage.text import fingerprints, words
from kb.models import PartialDate, Passage
from kb.store import Store
from kb.store import lineage as db

VOCAB = [a + b + c for a in "bcdfglmnprst" for b in "aeiou" for c in ("n", "r", "st", "ll", "mp", "ck")]


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def edit(rng: random.Random, text: str) -> str:
    """A light edit: a changed word, a dropped clause of a few words, a hyphenated line break."""
    ws = text.split()
    ws[rng.randrange(len(ws))] = rng.choice(VOCAB)
    cut = rng.randrange(3, max(4, len(ws) - 6))
    del ws[cut:cut + 3]
    k = rng.randrange(len(ws))
    if len(ws[k]) > 4:
        ws[k] = ws[k][:2] + "-\n" + ws[k][2:]
    return " ".join(ws)


def doc_row(doc_id: str, paragraphs: list[str], published: str | None = "2020", publisher: str | None = "Pub A",
            version: str = "1") -> tuple[dict, list[Passage]]:
    text, passages, pos = "", [], 0
    for i, p in enumerate(paragraphs, 1):
        passages.append(Passage(f"{doc_id}-p{i:04d}-{version}", doc_id, i, 1, 1, pos, pos + len(p), p))
        text += p + "\n\n"
        pos = len(text)
    date = PartialDate.parse(published) if published else None
    row = {"id": doc_id, "source": f"{doc_id}.txt", "sha256": (version * 64)[:64], "format": "text", "title": doc_id.upper(),
           "publisher": publisher, "published": published, "date_precision": date.precision if date else None,
           "date_earliest": date.earliest if date else None, "date_latest": date.latest if date else None,
           "pages": 1, "passages": len(passages), "words": len(text.split()), "text": text,
           "ingested_at": "2026-01-01T00:00:00Z"}
    return row, passages


def put(store: Store, doc_id: str, paragraphs: list[str], **kw) -> None:
    row, passages = doc_row(doc_id, paragraphs, **kw)
    with store.transaction():
        store.replace_document(row, [(1, 0, len(row["text"]))], passages)


def remove(store: Store, doc_id: str) -> None:
    with store.transaction():
        store.delete_document(doc_id)


def refresh(store: Store) -> None:
    with store.transaction():
        update_lineage(store)


# -- words, fingerprints, alignment ---------------------------------------------------------------------------

def test_hyphenation_line_breaks_and_case_do_not_change_the_words():
    a = words("The co-ordinated Care\nBoard's plan")
    b = words("the coordinated care board\u2019s   plan")
    c = words("The co-\nordinated CARE board's plan")
    assert a.norm == b.norm == c.norm == ("the", "coordinated", "care", "boards", "plan")
    assert [("The co-ordinated Care\nBoard's plan")[s:e] for s, e in a.spans][1] == "co-ordinated"


def test_fingerprints_find_any_shared_run_of_13_words():
    rng = random.Random(1)
    for _ in range(50):
        shared = [rng.choice(VOCAB) for _ in range(13)]
        left = [rng.choice(VOCAB) for _ in range(rng.randrange(0, 40))] + shared
        right = shared + [rng.choice(VOCAB) for _ in range(rng.randrange(0, 40))]
        assert set(fingerprints(left)) & set(fingerprints(right))


def test_unrelated_text_shares_no_fingerprint():
    rng = random.Random(2)
    a, b = words(paragraph(rng, 20)), words(paragraph(rng, 20))
    assert not set(fingerprints(a.norm)) & set(fingerprints(b.norm))


def test_a_lightly_edited_copy_aligns_as_one_stretch():
    rng = random.Random(3)
    original = paragraph(rng, 6)
    copy = sentence(rng) + " " + edit(rng, original) + " " + sentence(rng)
    a, b = words(original), words(copy)
    found = align(a.norm, b.norm)
    assert found is not None
    assert found.words >= len(a.norm) - 6
    assert 0.9 < found.similarity < 1.0
    assert found.a_start <= 1 and found.a_end >= len(a.norm) - 1
    assert align(a.norm, words(paragraph(rng, 6)).norm) is None


# -- incremental equals full -----------------------------------------------------------------------------------

def corpus(seed: int, docs: int = 6) -> dict[str, list[str]]:
    """Documents of random paragraphs, some copied (lightly edited) from earlier documents."""
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for i in range(docs):
        paras = [paragraph(rng, rng.randrange(2, 6)) for _ in range(rng.randrange(1, 5))]
        for _ in range(rng.randrange(0, 3)):
            if out:
                source = out[rng.choice(sorted(out))]
                paras.insert(rng.randrange(len(paras) + 1), edit(rng, rng.choice(source)))
        out[f"doc{i}"] = paras
    return out


def full(tmp: Path, docs: dict[str, tuple[list[str], str]]) -> list[tuple]:
    store = Store.open(tmp / "full.sqlite", create=True)
    for doc_id in sorted(docs, reverse=True):  # another order than the incremental run's
        paras, version = docs[doc_id]
        put(store, doc_id, paras, version=version)
    refresh(store)
    rows = db.all_pairs_rows(store)
    store.close()
    return rows


OPS = st.lists(st.tuples(st.sampled_from(["add", "change", "remove"]), st.integers(0, 7), st.integers(0, 10**6)),
               min_size=1, max_size=8)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), ops=OPS)
def test_incremental_updates_equal_a_full_recomputation(tmp_path_factory, seed, ops):
    tmp = tmp_path_factory.mktemp("inc")
    pool = corpus(seed, 8)
    store = Store.open(tmp / "inc.sqlite", create=True)
    live: dict[str, tuple[list[str], str]] = {}
    for step, (op, n, salt) in enumerate(ops):
        doc_id = f"doc{n}"
        if op == "remove":
            if doc_id in live:
                remove(store, doc_id)
                del live[doc_id]
        else:
            paras = list(pool[doc_id])
            if op == "change" and live:  # take a paragraph of another live document, edited
                rng = random.Random(salt)
                paras.append(edit(rng, rng.choice(live[rng.choice(sorted(live))][0])))
            version = f"{step}"  # a changed file has another hash
            put(store, doc_id, paras, version=version)
            live[doc_id] = (paras, version)
        refresh(store)
    incremental = db.all_pairs_rows(store)
    store.close()
    assert incremental == full(tmp, live)


def test_planted_copies_are_found_and_nothing_else(tmp_path):
    """Every two passages descending from one paragraph (a copy, a copy of a copy, two copies of it) are a
    pair, edited at each step; no other two passages are."""
    rng = random.Random(5)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    docs: dict[str, list[str]] = {}
    origin: dict[str, str] = {}
    for i in range(30):
        doc_id = f"d{i:02d}"
        paras = [paragraph(rng, 5) for _ in range(4)]
        ids = [f"{doc_id}-p{k + 1:04d}-1" for k in range(5)]
        source = None
        if i >= 5 and rng.random() < 0.7:
            src, k = f"d{rng.randrange(i):02d}", rng.randrange(4)
            paras.insert(1, edit(rng, docs[src][k]))
            source = f"{src}-p{k + 1:04d}-1"
        for k, pid in enumerate(ids[:len(paras)]):
            origin[pid] = origin.get(source, source) if (k == 1 and source) else pid
        docs[doc_id] = paras
        put(store, doc_id, paras, published=f"{2000 + i}")
    refresh(store)
    found = {(r.earlier.passage, r.later.passage) for r in find_reuse(store)}
    store.close()
    planted = {(a, b) for a in origin for b in origin if a < b and origin[a] == origin[b]}
    assert len(planted) > 15 and found == planted


# -- reading: direction, boilerplate, filters -------------------------------------------------------------------

LICENCE = ("This publication is licensed under the terms of the Open Government Licence except where otherwise "
           "stated. To view this licence visit the national archives website or write to the Information Policy "
           "Team at the National Archives.")


@pytest.fixture
def reuse_store(tmp_path):
    rng = random.Random(7)
    store = Store.open(tmp_path / "indexes" / "kb.sqlite", create=True)
    recommendation = paragraph(rng, 4)
    put(store, "report", [paragraph(rng), recommendation, LICENCE], published="2021-03", publisher="Committee")
    put(store, "response", [paragraph(rng), "We accept the recommendation: " + edit(rng, recommendation), LICENCE],
        published="2021-06", publisher="Government")
    put(store, "undated", [paragraph(rng), recommendation], published=None, publisher=None)
    for i, pub in enumerate(["Trust", "Council", "Charity", "Institute"]):
        put(store, f"other{i}", [paragraph(rng), LICENCE], published=f"201{i}", publisher=pub)
    refresh(store)
    yield store
    store.close()


def test_the_earlier_document_comes_first_and_boilerplate_is_kept_apart(reuse_store):
    found = find_reuse(reuse_store)
    pairs = {(r.earlier.doc, r.later.doc): r for r in found}
    assert set(pairs) == {("report", "response"), ("report", "undated"), ("response", "undated")}
    r = pairs[("report", "response")]
    assert r.order == "dated" and not r.boilerplate and r.similarity < 1
    assert "[-" in r.excerpt() or "{+" in r.excerpt()
    assert pairs[("report", "undated")].order == "undated"
    licence = find_reuse(reuse_store, boilerplate=True)
    assert licence and all(r.boilerplate and r.holders == 6 for r in licence)
    assert len(licence) == 6 * 5 // 2
    assert {r.earlier.doc for r in licence if r.later.doc == "response"} == {"report", "other0", "other1", "other2",
                                                                            "other3"}


def test_filters_and_one_document(reuse_store):
    assert {r.later.doc for r in find_reuse(reuse_store, "response")} == {"response", "undated"}
    assert {r.later.doc for r in find_reuse(reuse_store, publisher="the government")} == {"response", "undated"}
    assert not find_reuse(reuse_store, since="2022")
    assert not find_reuse(reuse_store, min_words=500)


def test_removing_a_document_removes_its_pairs(reuse_store):
    remove(reuse_store, "response")
    refresh(reuse_store)
    assert all("response" not in (r.earlier.doc, r.later.doc) for r in find_reuse(reuse_store, boilerplate=None))
    assert "response" not in db.fingerprinted(reuse_store)


def test_the_command_prints_text_json_and_csv(reuse_store, tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    (tmp_path / "corpus").mkdir()
    runner = CliRunner()
    out = runner.invoke(cli, ["--home", str(tmp_path), "reuse", "--json"], env={"NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {(d["earlier"]["doc"], d["later"]["doc"]) for d in data} >= {("report", "response")}
    assert set(data[0]) >= {"earlier", "later", "order", "words", "similarity", "boilerplate", "excerpt", "diff"}
    text = runner.invoke(cli, ["--home", str(tmp_path), "reuse", "response"], env={"NO_COLOR": "1"})
    assert text.exit_code == 0 and "Took text from" in text.output and "Text taken up by" in text.output
    csv = runner.invoke(cli, ["--home", str(tmp_path), "reuse", "--boilerplate", "--csv"], env={"NO_COLOR": "1"})
    assert csv.output.splitlines()[0].startswith("earlier_doc,") and len(csv.output.splitlines()) == 16
    bad = runner.invoke(cli, ["--home", str(tmp_path), "reuse", "respons"], env={"NO_COLOR": "1"})
    assert bad.exit_code != 0


def test_an_older_store_gains_the_lineage_tables(tmp_path):
    path = tmp_path / "kb.sqlite"
    Store.open(path, create=True).close()
    import sqlite3

    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE lineage_pairs; DROP TABLE lineage_marks; DROP TABLE lineage_docs;"
                       "UPDATE meta SET value='3' WHERE key='schema_version';")
    conn.close()
    with Store.open(path) as store:
        assert db.fingerprinted(store) == {}
        refresh(store)


def test_of_two_documents_of_one_year_the_one_naming_the_other_is_later(tmp_path):
    rng = random.Random(11)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    quoted = paragraph(rng, 4)
    # "zresponse" sorts after "report": the order cannot come from the ids alone; swap the titles to check both
    for first, second in (("report", "zresponse"), ("zresponse", "report")):
        put(store, first, [paragraph(rng), quoted], published="2021")
        put(store, second, ["In answer to the Review Of Care Board Plans we say: " + quoted], published="2021")
        with store.transaction():
            store.conn.execute("UPDATE documents SET title = 'Review of care board plans: final report' WHERE id=?",
                               (first,))
            store.conn.execute("UPDATE documents SET title = 'Our answer' WHERE id=?", (second,))
        refresh(store)
        (r,) = find_reuse(store)
        assert (r.earlier.doc, r.later.doc, r.order) == (first, second, "cited")
        remove(store, first)
        remove(store, second)
        refresh(store)
    store.close()


def test_a_short_licence_notice_is_boilerplate_even_in_two_documents(tmp_path):
    rng = random.Random(12)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    put(store, "a", [paragraph(rng), LICENCE], published="2020")
    put(store, "b", [paragraph(rng), LICENCE], published="2021")
    refresh(store)
    assert not find_reuse(store)
    (r,) = find_reuse(store, boilerplate=True)
    assert r.boilerplate and r.holders == 2 and r.similarity == 1.0
    store.close()


@given(st.text(alphabet=st.sampled_from(list("ab-'\u2019\u00ad \n.,C_")), max_size=60))
def test_the_fast_word_form_is_the_word_form(text):
    from kb.lineage.text import norm_words

    assert norm_words(text) == list(words(text).norm)


def test_a_quoted_sentence_says_whether_it_sits_in_reused_text(reuse_store):
    from kb.lineage.report import reuse_note

    report = reuse_store.passage("report-p0002-1")
    first = report.text.split(". ")[1] + "."
    response = reuse_store.passage("response-p0002-1")
    taken = reuse_note(reuse_store, response.id, response.text.split(". ")[2] + ".")
    assert taken is not None and taken.startswith("in text taken from REPORT (2021-03), p. 1 [report-p0002-1]")
    note = reuse_note(reuse_store, report.id, first)
    assert note is not None and note.startswith("in text taken up by 2 later passages: ") and "RESPONSE (2021-06)" in note
    assert "UNDATED (undated), p. 1 [undated-p0002-1], undated" in note
    assert reuse_note(reuse_store, "response-p0001-1", "x") is None


def test_a_document_that_fails_is_left_whole_for_the_next_ingest(tmp_path, monkeypatch):
    import kb.lineage.update as upd

    rng = random.Random(9)
    store = Store.open(tmp_path / "kb.sqlite", create=True)
    quoted = paragraph(rng, 4)
    put(store, "a", [quoted])
    put(store, "b", [paragraph(rng), edit(rng, quoted)])
    real = upd.pair_row

    def broken(*args, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(upd, "pair_row", broken)
    with store.transaction():
        change = update_lineage(store)
    assert change.failed == ["b"] and set(db.fingerprinted(store)) == {"a"} and not db.all_pairs_rows(store)
    monkeypatch.setattr(upd, "pair_row", real)
    refresh(store)
    assert set(db.fingerprinted(store)) == {"a", "b"} and len(db.all_pairs_rows(store)) == 1
    store.close()


def test_show_json_has_the_lineage_of_each_passage(reuse_store, tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    (tmp_path / "corpus").mkdir()
    out = CliRunner().invoke(cli, ["--home", str(tmp_path), "show", "response", "--json"], env={"NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    lineage = json.loads(out.output)["lineage"]
    assert [s["doc"] for s in lineage["sources"]] == ["report"]
    assert [f["doc"] for f in lineage["followers"]] == ["undated"]
    assert {x["passage"] for x in lineage["passages"]["response-p0002-1"]} == {"report-p0002-1", "undated-p0002-1"}
    text = CliRunner().invoke(cli, ["--home", str(tmp_path), "show", "response"], env={"NO_COLOR": "1"})
    assert "took from  report (2021-03)" in text.output and "taken from report p. 1 [report-p0002-1]" in text.output


def test_a_knowledge_base_never_compared_says_to_ingest(tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    store = Store.open(tmp_path / "indexes" / "kb.sqlite", create=True)
    put(store, "a", [paragraph(random.Random(1))])
    store.close()
    (tmp_path / "corpus").mkdir()
    out = CliRunner().invoke(cli, ["--home", str(tmp_path), "reuse"], env={"NO_COLOR": "1"})
    assert out.exit_code == 0 and "run `kb ingest`" in out.stderr and "run `kb ingest`" not in out.stdout
    store = Store.open(tmp_path / "indexes" / "kb.sqlite")
    refresh(store)
    store.close()
    again = CliRunner().invoke(cli, ["--home", str(tmp_path), "reuse"], env={"NO_COLOR": "1"})
    assert "kb ingest" not in again.stderr
