"""`kb site build`: a golden small site, every link resolving, hostile text staying text, paths staying inside.

Regenerate the golden files after an intended change with:  KB_UPDATE_GOLDEN=1 python -m pytest tests/test_site_build.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_sample import DOCS, build_sample_store

from kb.errors import UsageError
from kb.site.build import MARKER, build_site

GOLDEN = Path(__file__).parent / "golden" / "site"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_sample_store(tmp_path_factory.mktemp("store") / "kb.sqlite")
    yield s
    s.close()


@pytest.fixture(scope="module")
def site(store, tmp_path_factory) -> Path:
    """The sample site with its search index, traced and glossed by kb.trace and kb.nlp.glossary as a real build is."""
    out = tmp_path_factory.mktemp("built") / "site"
    summary = build_site(store, out)
    assert summary.pages == 21 and summary.search_pages == 3  # documents only: not the PDF edition, not concept pages
    return out


class _Page(HTMLParser):
    """Collects what the checks need: ids, links, scripts, event handlers and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action") and value is not None:
                self.links.append((name, value))
        if tag == "script":
            self.scripts.append(a)

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def _our_files(root: Path) -> list[Path]:
    """Files kb renders itself (Pagefind's bundle is the pagefind binary's business and version-specific; the
    feed and its ledger carry the build's time and a random feed id: tests/test_site_feed.py checks them)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(root).parts
                  and p.name not in ("feed.xml", ".kb-feed.json"))


def check_links(root: Path) -> list[str]:
    """Every internal href/src resolves to a file, and every #anchor to an id in it. Returns the problems."""
    pages = {p: _parse(p) for p in root.rglob("*.html") if "pagefind" not in p.relative_to(root).parts}
    problems = []
    for path, page in sorted(pages.items()):
        for attr, value in page.links:
            url = urlsplit(value)
            if url.scheme in ("http", "https"):
                if attr != "href":
                    problems.append(f"{path.name}: external {attr} {value}")  # no external requests at all
                continue
            if value == "data:,":  # the empty favicon that stops browsers asking for /favicon.ico
                continue
            if url.scheme or value.startswith("/"):
                problems.append(f"{path.name}: not a relative link: {value}")
                continue
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            if not target.is_relative_to(root.resolve()) or not target.is_file():
                problems.append(f"{path.relative_to(root)}: broken {attr} {value}")
                continue
            if url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{path.relative_to(root)}: missing anchor {value}")
    return problems


# -- golden ------------------------------------------------------------------------------------------------------
def test_golden_site(site):
    built = {p.relative_to(site).as_posix(): p.read_bytes() for p in _our_files(site)}
    if os.environ.get("KB_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, content in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(content)
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in _our_files(GOLDEN)}
    assert sorted(built) == sorted(golden), "files differ; KB_UPDATE_GOLDEN=1 regenerates tests/golden/site"
    for rel in sorted(built):
        assert built[rel].decode() == golden[rel].decode(), f"{rel} differs from tests/golden/site/{rel}"


def test_every_internal_link_and_anchor_resolves(site):
    assert check_links(site) == []


def test_search_bundle_is_built_and_pages_are_indexed_per_passage(site):
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    page = (site / "documents" / "commons-2020.html").read_text()
    assert 'data-pagefind-body' in page
    assert '<h3 class="passage-head" id="commons-2020-p001">' in page  # a heading with an id = a search sub-result
    assert 'data-pagefind-filter="publisher">House of Commons Library<' in page


def test_common_words_get_their_own_index_chunk_and_every_word_stays_findable(site, tmp_path, monkeypatch):
    """A search downloads the chunk holding each query word: common words must not drag their neighbours along,
    and every word must be in the one chunk Pagefind's lookup (lower <= word <= upper, first match) picks."""
    from kb.site import search_index as si

    bundle = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind", bundle)
    lang, info = sorted(json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"].items())[0]
    table = si._load(bundle / f"pagefind.{info['hash']}.pf_meta")[2]
    before = sorted(w for _, _, name in table for w in si._raw_words(bundle / "index" / f"{name}.pf_index"))
    monkeypatch.setattr(si, "HEAVY_LOCATIONS", 40)  # the sample corpus is small: "common" means 40 locations here
    monkeypatch.setattr(si, "CHUNK_LOCATIONS", 200)
    chunks = si.rechunk(bundle / "index", lang, table)
    assert len(chunks) > len(table)
    after = []
    for _low, _high, name in chunks:  # chunks are written sorted
        words = si._raw_words(bundle / "index" / f"{name}.pf_index")
        after += words
        for word, locations, _ in words:
            text = word.decode("utf-8")
            assert next(c[2] for c in chunks if c[0] <= text <= c[1]) == name, text
            if locations >= 40:
                assert len(words) == 1, f"{text} shares its chunk"
        if name != chunks[-1][2]:  # a word typed in full past a stem ("workforce") still lands in a chunk
            typed = words[-1][0].decode("utf-8") + "zz"
            assert any(c[0] <= typed <= c[1] for c in chunks), typed
    assert sorted(after) == before
    assert [c[0] for c in chunks] == sorted(c[0] for c in chunks)


def test_an_index_in_an_unknown_format_is_left_as_pagefind_wrote_it(site, tmp_path):
    import gzip

    from kb.site import search_index as si

    bundle = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind", bundle)
    lang, info = sorted(json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"].items())[0]
    table = si._load(bundle / f"pagefind.{info['hash']}.pf_meta")[2]
    (bundle / "index" / f"{table[0][2]}.pf_index").write_bytes(gzip.compress(si.SIGNATURE + b"\xa1\x00\x00"))
    assert si.canonicalise(bundle) is False
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    meta = si._load(bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta")
    assert all((bundle / "index" / f"{name}.pf_index").is_file() for _, _, name in meta[2])


def test_building_twice_gives_identical_files(store, site, tmp_path):
    """Two builds of one store agree byte for byte, but for the feed's time of the first build; a rebuild of the
    same folder (whose feed has seen everything already) changes nothing at all, the feed included."""
    again = tmp_path / "again"
    build_site(store, again)
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert sorted(k for k in first if first[k] != second[k]) in ([], [".kb-feed.json", "feed.xml"])
    build_site(store, again)
    third = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert third == second


def test_one_small_stylesheet_and_no_external_requests(site):
    css = [p for p in _our_files(site) if p.suffix == ".css"]
    assert [p.name for p in css] == ["site.css"] and css[0].stat().st_size < 12_000
    for p in _our_files(site):
        if p.suffix in (".html", ".css", ".js"):
            text = p.read_text("utf-8")
            assert "@import" not in text and "url(http" not in text and "fonts.googleapis" not in text


# -- safety ------------------------------------------------------------------------------------------------------
def test_hostile_document_text_is_shown_as_text_and_never_runs(site):
    path = site / "documents" / "hostile-2021.html"
    page = _parse(path)
    html = path.read_text("utf-8")
    text = "".join(page.text)
    assert page.scripts == []  # no <script> element at all on a document page
    assert page.handlers == []  # no onerror= or any other event handler attribute
    assert not any(v.strip().lower().startswith("javascript:") for _, v in page.links)
    assert '<script>alert("xss")</script>' in text  # shown, as text
    assert 'onerror="alert(1)"' in text and 'href="javascript:alert(2)"' in text
    assert "{{ 7*7 }}" in text and "{% for x in y %}" in text and "49" not in text  # template syntax stays literal
    assert "<script>" not in html.replace("&lt;script&gt;", "")


def test_hostile_text_is_escaped_on_every_page_that_quotes_it(site):
    for path in _our_files(site):
        if path.suffix != ".html":
            continue
        page = _parse(path)
        assert page.handlers == [], path
        assert [s.get("src") for s in page.scripts] in ([], ["names.js", "search.js"], ["../parts.js"]), path


def test_frequent_concepts_list_every_mention_over_numbered_pages(store, tmp_path, monkeypatch):
    from kb.site import context as ctx

    monkeypatch.setattr(ctx, "MENTIONS_PER_PAGE", 3)  # the sample's concepts are small: ICS has 8 mentions
    monkeypatch.setattr(ctx, "PREVIEW_MENTIONS", 1)
    out = tmp_path / "site"
    build_site(store, out, search=False)
    assert check_links(out) == []
    pages = sorted((out / "concepts" / "ics").glob("mentions-*.html"))
    assert [p.name for p in pages] == ["mentions-1.html", "mentions-2.html", "mentions-3.html", "mentions-4.html"]
    concept = (out / "concepts" / "ics.html").read_text("utf-8")
    assert all(f'href="../concepts/ics/{p.name}"' in concept for p in pages)
    assert 'href="../concepts/ics/mentions-2.html#doc-confed-2020">All 4 mentions in this document' in concept
    listed = "".join(p.read_text("utf-8") for p in pages)
    # every document that mentions it, once, but confed-2020 (4 mentions) split over two pages of 3
    assert listed.count('class="mention-group"') == 5
    assert "mentions 1–3 of 4" in listed and "mentions 4–4 of 4" in listed
    assert listed.count("<li><a href=\"../../documents/") == 8  # every mention of it, in context
    for path in pages:
        page = _parse(path)
        assert page.scripts == [] and page.handlers == [], path
        assert '<script>alert("title")</script>' not in path.read_text("utf-8")
    assert not (out / "concepts" / "icb").exists()  # a concept that fits keeps every mention on its page


def test_ids_can_never_write_outside_the_output_folder(tmp_path):
    hostile_ids = ["../../escape", "/abs/olute", "a/b", "..", "CON", "x\\..\\y"]
    docs = []
    for i, doc_id in enumerate(hostile_ids):
        fields, pages = DOCS[1]
        docs.append((dict(fields, id=doc_id, source=f"s{i}.txt", title=f"Doc {i}"), pages))
    store = build_sample_store(tmp_path / "kb.sqlite", docs=docs)
    before = set(tmp_path.parent.iterdir())
    out = tmp_path / "out" / "site"
    build_site(store, out, search=False)
    store.close()
    assert set(tmp_path.parent.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.sqlite", "kb.sqlite-shm", "kb.sqlite-wal", "out"] or \
        sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("kb.sqlite")) == ["out"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["site"]
    docs_written = sorted(p.name for p in (out / "documents").iterdir())
    assert len(docs_written) == len(hostile_ids)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    assert check_links(out) == []


def test_refuses_to_replace_a_folder_it_did_not_make(store, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(UsageError, match="not empty"):
        build_site(store, precious, search=False)
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_rebuild_replaces_the_previous_site_and_drops_stale_pages(store, tmp_path):
    out = tmp_path / "site"
    build_site(store, out, search=False)
    stale = out / "documents" / "gone.html"
    stale.write_text("old")
    build_site(store, out, search=False)
    assert not stale.exists() and (out / MARKER).exists() and (out / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folders left behind


# -- command line ------------------------------------------------------------------------------------------------
def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, NO_COLOR="1"))


def test_cli_build_prints_a_summary_and_serve_needs_a_built_site(tmp_path):
    (tmp_path / "corpus").mkdir()
    build_sample_store(tmp_path / "indexes" / "kb.sqlite").close()
    done = _kb("--home", str(tmp_path), "site", "build", "--no-search", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Wrote 21 pages, no search index" in done.stdout and str(tmp_path / "site") in done.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    missing = _kb("--home", str(tmp_path), "site", "serve", "--out", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and "Run `kb site build` first" in missing.stderr


def test_preview_server_is_local_gzips_text_and_never_serves_outside_the_site(site):
    import gzip
    import urllib.error
    import urllib.request

    from kb.site.serve import serve_in_thread

    server, base = serve_in_thread(site)
    try:
        assert server.server_address[0] == "127.0.0.1"
        req = urllib.request.Request(base + "search.js", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(r.read()) == (site / "search.js").read_bytes()
        with urllib.request.urlopen(base) as r:
            assert r.status == 200 and b"<h1>" in r.read()
        for sneaky in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "documents/..%2f..%2f..%2fetc%2fpasswd"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(base + sneaky)
            assert err.value.code == 404
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
def test_bundled_corpus_site_has_a_page_per_document_and_concept_and_no_broken_links(bundled_home, tmp_path):
    from kb.store import Store

    with Store.open(bundled_home / "indexes" / "kb.sqlite") as store:
        docs, concepts = store.documents(), store.concepts()
        summary = build_site(store, tmp_path / "site")
    # + home, 3 document lists, concepts, discovered, glossary, search, new terms and its one year (2022)
    assert summary.pages == len(docs) + len(concepts) + 10
    assert summary.search_pages == len([d for d in docs if not d["duplicate_of"]])  # concept pages are not indexed
    assert check_links(tmp_path / "site") == []
    ics = (tmp_path / "site" / "concepts" / "ics.html").read_text("utf-8")
    assert "First use" in ics and "<svg" in ics


def test_a_long_document_is_split_into_parts_and_every_link_lands(tmp_path):
    """A document of several megabytes becomes parts of at most about PART_BYTES; links and anchors all resolve."""
    from kb.site.gather import PART_BYTES

    paragraph = "The ICS plans services. " + ("Local services are planned for the whole population; " * 30).strip()
    pages = [[f"Page {n} paragraph {i}. {paragraph}" for i in range(8)] for n in range(1, 161)]  # ~2 MB of text
    fields, _ = DOCS[1]
    store = build_sample_store(tmp_path / "kb.sqlite", docs=[(dict(fields, id="huge", title="A huge report"), pages)])
    out = tmp_path / "site"
    build_site(store, out, search=False)
    store.close()
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    parts = sorted(p for p in sizes if p.startswith("documents/huge/part-"))
    assert len(parts) > 10 and max(sizes.values()) < 2 * PART_BYTES
    assert check_links(out) == []
    first = (out / "documents" / "huge.html").read_text("utf-8")
    assert 'href="../documents/huge/part-2.html"' in first and "data-parts=" in first and "parts.js" in first
    assert first.count('class="page-nav"') == 1 and 'href="../documents/huge/part-2.html#page-' in first
    # One document mentions ICS 1,280 times: more than a page holds, so its mentions go over numbered pages
    # (no page grows with the document), and their links go straight to the part holding the passage.
    mention_pages = sorted((out / "concepts" / "ics").glob("mentions-*.html"))
    assert len(mention_pages) > 1
    assert any("documents/huge/part-" in p.read_text("utf-8") for p in mention_pages)


def test_a_site_knows_which_state_of_the_knowledge_base_it_shows(tmp_path):
    """`kb site serve` warns when an ingest has committed since the site was built: the marker names the state."""
    from kb.index.generations import META_KEY
    from kb.site.build import site_is_stale

    store = build_sample_store(tmp_path / "kb.sqlite")
    with store.transaction():
        store.set_meta(META_KEY, "whoosh.g7")
    out = tmp_path / "site"
    build_site(store, out, search=False)
    assert site_is_stale(store, out) is False
    with store.transaction():
        store.set_meta(META_KEY, "whoosh.g8")  # what an ingest's commit does
    assert site_is_stale(store, out) is True
    (out / ".kb-site").write_text("Built by `kb site build`.\n", "utf-8")  # a site of an earlier kb: cannot tell
    assert site_is_stale(store, out) is None
    assert site_is_stale(store, tmp_path / "nowhere") is None
    store.close()


def test_serve_says_when_the_site_is_older_than_the_knowledge_base(tmp_path, monkeypatch):
    """`kb site serve` on a site built before the last ingest says so in one line, and nothing on a current one."""
    from click.testing import CliRunner

    from kb.cli import cli
    from kb.index.generations import META_KEY
    from kb.knowledge_base import KnowledgeBase
    from kb.store import Store

    class Server:
        server_port = 8123

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    monkeypatch.setattr(KnowledgeBase, "site_server", lambda self, out_dir=None, port=8000: Server())
    (tmp_path / "corpus").mkdir()
    build_sample_store(tmp_path / "indexes" / "kb.sqlite").close()

    def ingest_committed(generation: str) -> None:
        (tmp_path / "indexes" / generation).mkdir()
        with Store.open(tmp_path / "indexes" / "kb.sqlite") as s, s.transaction():
            s.set_meta(META_KEY, generation)

    ingest_committed("whoosh.g1")
    runner = CliRunner()
    built = runner.invoke(cli, ["--home", str(tmp_path), "site", "build", "--no-search"])
    assert built.exit_code == 0, built.output
    current = runner.invoke(cli, ["--home", str(tmp_path), "site", "serve"])
    assert current.exit_code == 0 and "changed since this site was built" not in current.stderr
    ingest_committed("whoosh.g2")
    stale = runner.invoke(cli, ["--home", str(tmp_path), "site", "serve"])
    assert stale.exit_code == 0
    assert stale.stderr == ("note: the knowledge base has changed since this site was built (kb ingest ran since); "
                            "run `kb site build` to update it.\n")
    assert "Serving " in stale.stdout and "Stopped." in stale.stdout


def test_a_held_back_publisher_shows_on_the_document_page_as_not_assigned(tmp_path):
    """A body found on conflicting evidence (two "About" headings) is named on the document page as `kb show`
    names it, with why and the line it was read from, and never as the publisher; evidence is escaped."""
    from test_metadata import PARA, detect

    text = ("Joint report on hospital discharge\n\n" + PARA * 3 + "\n\nAbout the Nuffield Trust\n\n" + PARA
            + "\n\nAbout the Strategy Unit\n\n" + PARA)
    (tmp_path / "joint.txt").write_text(text, "utf-8")
    meta = detect(tmp_path / "joint.txt")
    assert meta["publisher"] is None and meta["provenance"]["held_back"]["publisher"]["value"] == "Nuffield Trust"
    fields = {k: meta[k] for k in ("title", "publisher", "published", "provenance")}
    hostile = dict(fields, provenance={**meta["provenance"], "held_back": {"publisher": {
        "value": "Evil <b>Trust</b>", "text": '<script>alert("held")</script>', "page": 2, "why": "a <i>test</i>"}}})
    docs = [(dict(fields, id="joint", source="joint.txt", ingested_at="2026-01-05T00:00:00Z"), [[p] for p in text.split("\n\n")[:2]]),
            (dict(hostile, id="evil", source="evil.txt", ingested_at="2026-01-06T00:00:00Z"), [["Some text."]])]
    store = build_sample_store(tmp_path / "kb.sqlite", docs=docs)
    out = tmp_path / "site"
    try:
        build_site(store, out, search=False)
    finally:
        store.close()
    page = " ".join(" ".join(_parse(out / "documents" / "joint.html").text).split())
    assert ("Publisher not assigned held back 'Nuffield Trust' (an \"About\" heading names 2 bodies: Nuffield Trust; "
            "Strategy Unit), read from \"About the Nuffield Trust\" (p. 1)") in page
    assert "Unknown publisher" in page and "· Nuffield Trust ·" not in page
    assert 'data-pagefind-filter="publisher"' not in (out / "documents" / "joint.html").read_text("utf-8")
    evil = (out / "documents" / "evil.html").read_text("utf-8")
    assert "<script>alert" not in evil and "<b>Trust" not in evil and "<i>test" not in evil
    assert "held back &#39;Evil &lt;b&gt;Trust&lt;/b&gt;&#39; (a &lt;i&gt;test&lt;/i&gt;)" in evil
