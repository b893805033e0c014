"""The built site in a real browser (headless Chromium via Playwright), served over http on 127.0.0.1.

The site is the bundled corpus plus one hostile document, ingested and built with the real CLI.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import copy_bundled_project, run_kb

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
COMMONS = "NHS reform: integrated care systems"
BRIEFING = "Integrating care: next steps to building strong and effective integrated care systems across England"
HOSTILE_ID = "hostile-test-document"
HOSTILE_TEXT = """A hostile test document

<script>alert("script ran")</script> This paragraph about an integrated care system must show as text.

An image <img src=x onerror="alert('onerror ran')"> and a <a href="javascript:alert('link ran')">javascript link</a>.

Template syntax {{ 7*7 }} and {% for x in y %} must stay literal in the site.
"""

# A later document quoting a paragraph of the Commons Library paper, lightly edited: the site's reuse blocks.
QUOTING_ID = "trust-strategy-2023"
QUOTING_TEXT = """Our strategy for the next five years

As the Commons Library put it: coinciding with the 70th anniversary of the creation of the NHS in 2018, Theresa May
asked the NHS in England to produce a ten-year plan to improve access, care and outcomes for patients. The
resulting NHS Long Term Plan, published in January 2019, included actions on workforce, technology, innovation
and efficiency.
"""

pytestmark = pytest.mark.browser


def _require_browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing but CI is set: install Debian's chromium for the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need a real browser")
    return pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A copy of the bundled corpus plus a hostile document, ingested and built with the real CLI."""
    _require_browser()
    home = copy_bundled_project(tmp_path_factory.mktemp("browser") / "project")
    (home / "corpus" / "hostile-test-document.txt").write_text(HOSTILE_TEXT, "utf-8")
    with (home / "corpus" / "catalog.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[[document]]\nfile = "hostile-test-document.txt"\nid = "{HOSTILE_ID}"\n'
                'title = "A hostile test document"\npublisher = "Test Publisher"\npublished = "2021-06"\n'
                'type = "test"\n')
        f.write(f'\n[[document]]\nfile = "trust-strategy.txt"\nid = "{QUOTING_ID}"\n'
                'title = "Our strategy for the next five years"\npublisher = "A Test Trust"\npublished = "2023-04"\n')
    (home / "corpus" / "trust-strategy.txt").write_text(QUOTING_TEXT, "utf-8")
    for args in (("ingest",), ("site", "build")):
        done = run_kb(*args, home=home)
        assert done.returncode == 0, done.stdout + done.stderr
    return home


@pytest.fixture(scope="module")
def server(home):
    """Serve the project folder, so the site lives under the sub-path /site/ (relative links must cope)."""
    from kb.site.serve import serve_in_thread

    httpd, base = serve_in_thread(home, port=0, require_site=False)
    yield base + "site/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(home):
    sync_api = _require_browser()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors, uncaught exceptions, dialogs and off-site requests."""
    context = browser.new_context()
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"uncaught: {e}"))

    def on_dialog(d):
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    host = urlsplit(server).netloc
    pg.on("request", lambda r: pg.problems.append(f"external request {r.url}")
          if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host else None)
    yield pg
    context.close()


def _search(page, server, query: str):
    page.goto(server + "index.html")
    page.fill("#home-q", query)
    page.press("#home-q", "Enter")
    page.wait_for_selector("#results .result", timeout=15000)


def _result_titles(page) -> list[str]:
    return page.locator("#results .result h2").all_inner_texts()


def test_search_from_home_finds_both_documents_that_use_the_phrase(page, server):
    _search(page, server, "triple aim")
    assert "search.html?q=triple+aim" in page.url
    titles = _result_titles(page)
    assert COMMONS in titles
    assert any(t.startswith(BRIEFING) for t in titles)
    assert page.locator("#results mark").count() > 0  # highlighted fragments
    assert page.problems == []


def test_publisher_filter_narrows_the_results(page, server):
    _search(page, server, "triple aim")
    page.click("#filter-box summary")
    page.wait_for_selector("#f-publisher")
    page.select_option("#f-publisher", "House of Commons Library")
    page.wait_for_function("document.querySelectorAll('#results .result').length === 1")
    assert _result_titles(page) == [COMMONS]
    assert "publisher=House+of+Commons+Library" in page.url
    page.goto(page.url)  # a filtered search can be bookmarked and shared
    page.wait_for_function("document.querySelectorAll('#results .result').length === 1")
    assert _result_titles(page) == [COMMONS] and page.input_value("#f-publisher") == "House of Commons Library"
    assert page.problems == []


def test_a_result_opens_at_its_passage(page, server):
    _search(page, server, "triple aim")
    result = page.locator("#results .result", has_text=COMMONS)
    link = result.locator("a.passage-link").first
    href = link.get_attribute("href")
    assert re.match(r"^documents/commons-library-nhs-reform-icss-2020\.html#.+", href)
    link.click()
    page.wait_for_url(re.compile(r"#"))
    anchor = urlsplit(page.url).fragment
    heading = page.locator(f"[id='{anchor}']")
    assert heading.is_visible() and heading.evaluate("e => e.tagName") in ("H3", "H4")
    passage = heading.locator("xpath=..")
    assert "triple" in passage.inner_text().lower()
    assert heading.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    assert page.problems == []


def test_a_concept_link_leads_to_the_concept_and_its_first_appearance(page, server):
    page.goto(server + "documents/commons-library-nhs-reform-icss-2020.html")
    mention = page.locator("a.mention[href$='concepts/triple-aim.html']").first
    assert mention.is_visible()
    mention.click()
    page.wait_for_url(re.compile(r"concepts/triple-aim\.html$"))
    assert page.locator("h1").inner_text().startswith("triple aim")
    first = page.locator("#first_use")
    assert first.is_visible()
    assert "First use" in first.inner_text() and first.locator("blockquote mark").count() == 1
    first.locator("a", has_text="Read the passage").click()
    page.wait_for_url(re.compile(r"documents/.+\.html#.+"))
    assert page.locator(f"[id='{urlsplit(page.url).fragment}']").is_visible()
    assert page.problems == []


def test_acronym_search_finds_the_long_form(page, server):
    _search(page, server, "PCN")
    texts = " ".join(page.locator("#results").all_inner_texts()).lower()
    assert "primary care network" in texts
    assert page.problems == []


def test_hostile_document_shows_its_text_and_nothing_runs(page, server):
    page.goto(server + f"documents/{HOSTILE_ID}.html")
    body = page.locator("main").inner_text()
    assert '<script>alert("script ran")</script>' in body
    assert "onerror=\"alert('onerror ran')\"" in body and "javascript:alert('link ran')" in body
    assert "{{ 7*7 }}" in body and "{% for x in y %}" in body
    assert page.locator("main script, main img, main a[href^='javascript']").count() == 0
    _search(page, server, "hostile script")
    assert page.locator("#results script, #results img").count() == 0
    assert page.problems == []  # no dialog, no console error, no request off the site


def test_keyboard_users_can_skip_to_the_content(page, server):
    page.goto(server + "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'", timeout=5000)  # (the jump lands after the key press returns)
    assert page.url.endswith("#main")


def test_readable_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    pg = context.new_page()
    for path in ("index.html", "documents/commons-library-nhs-reform-icss-2020.html", "concepts/ics.html"):
        pg.goto(server + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()


@pytest.fixture(scope="module", autouse=True)
def _cleanup(home):
    yield
    shutil.rmtree(home / "site", ignore_errors=True)


# -- ranking, matches and filters ------------------------------------------------------------------------------
def _run_search(page, server, query: str) -> str:
    page.goto(server + "search.html?q=" + query.replace(" ", "+").replace('"', "%22").replace(":", "%3A"))
    page.wait_for_function("!/Loading|Searching/.test(document.getElementById('search-status').textContent)",
                           timeout=15000)
    page.wait_for_load_state("networkidle")
    return page.inner_text("#search-status")


def test_a_search_naming_a_concept_shows_that_concept_first_then_passages(page, server):
    _run_search(page, server, "ICS")
    card = page.locator("#concept-hit")
    assert card.is_visible() and "integrated care system (ICS)" in card.inner_text()
    assert card.locator("a").get_attribute("href") == "concepts/ics.html"
    links = page.locator("#results .result h2 a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert links and all(h.startswith("documents/") for h in links)  # passages, never other concept pages
    marks = page.locator("#results mark").all_inner_texts()
    assert marks and all(re.match(r"^\W*ICSs?\W*$", m) for m in marks), marks  # never "(ICB)." for ICS
    assert page.problems == []


def test_only_real_matches_are_highlighted(page, server):
    status = _run_search(page, server, "statutory footing")
    assert "pages" in status and "part of a long one" in status  # the count says what it counts
    marks = [m.lower() for m in page.locator("#results mark").all_inner_texts()]
    assert marks and not any("footprint" in m for m in marks)
    assert {re.sub(r"\W", "", m) for m in marks} <= {"statutory", "footing"}


def test_field_filters_work_and_an_unknown_concept_is_explained(page, server):
    status = _run_search(page, server, "concept:nosuch")
    assert "No concept named “nosuch”" in status and page.locator("#results .result").count() == 0
    _run_search(page, server, "concept:PCN")
    titles = _result_titles(page)
    assert titles and page.locator("#concept-hit").is_visible()
    assert all("primary care network" in page.locator("#results").inner_text().lower() or t for t in titles)
    _run_search(page, server, 'publisher:"kings fund" integrated')
    assert _result_titles(page) == ["Integrated care: our position"]
    _run_search(page, server, "year:2022 integration")
    assert _result_titles(page) == ["Integrated care: our position"]
    assert page.problems == []


def test_the_site_resolves_every_golden_name_as_the_commands_do(page, server, home):
    """tests/data/resolver_cases.json in Chromium, through the site's own names.js and concept-names.json, against
    the commands' resolver on the same knowledge base; then one name typed into the page shows its concept."""
    import json

    from kb.knowledge_base import KnowledgeBase

    cases = json.loads((Path(__file__).parent / "data" / "resolver_cases.json").read_text("utf-8"))["cases"]
    typed = [c["input"] for c in cases]
    page.goto(server + "search.html")
    page.wait_for_function("typeof kbNames === 'object'")
    found = page.evaluate("""async typed => {
        const data = await (await fetch("concept-names.json")).json();
        return typed.map(t => kbNames.find(data.names, t));
    }""", typed)
    with KnowledgeBase.open(home) as base:
        names = base.concept_names()
        want = [(m.concept.id if (m := names.match(t)) else None) for t in typed]
    assert found == want == [c["concept"] for c in cases]
    _run_search(page, server, "place based partnerships")
    assert "place-based partnership" in page.inner_text("#concept-hit")
    assert page.problems == []


def test_search_from_disk_says_how_to_serve_the_site(browser, home):
    context = browser.new_context()
    pg = context.new_page()
    pg.goto((home / "site" / "search.html").as_uri() + "?q=ics")
    pg.wait_for_function("/kb site serve/.test(document.getElementById('search-status').textContent)", timeout=10000)
    assert "http://127.0.0.1:8000/search.html" in pg.inner_text("#search-status")
    context.close()


# -- long documents ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def split_site(home, tmp_path_factory):
    """The same knowledge base built with tiny document parts, so a short document spans several parts."""
    from kb.site import gather
    from kb.site.build import build_site
    from kb.store import Store

    out = tmp_path_factory.mktemp("split") / "site"
    old = gather.PART_BYTES
    gather.PART_BYTES = 3_000
    try:
        with Store.open(home / "indexes" / "kb.sqlite") as store:
            build_site(store, out, search=False)
    finally:
        gather.PART_BYTES = old
    return out


def test_a_permalink_into_a_later_part_lands_on_its_passage(browser, split_site):
    from kb.site.serve import serve_in_thread

    parts = sorted((split_site / "documents" / "nhsconfed-integrating-care-next-steps-briefing-2020").glob("part-*.html"),
                   key=lambda p: int(p.stem.split("-")[1]))
    assert len(parts) >= 3
    last = parts[-1].read_text("utf-8")
    passage_id = re.findall(r'class="passage-head" id="([^"]+)"', last)[-1]
    httpd, base = serve_in_thread(split_site)
    context = browser.new_context()
    pg = context.new_page()
    try:
        # The document's own URL with the passage id (what citations and older links use) is sent on to the part.
        pg.goto(base + f"documents/nhsconfed-integrating-care-next-steps-briefing-2020.html#{passage_id}")
        pg.wait_for_url(re.compile(rf"/{parts[-1].stem}\.html#{passage_id}$"), timeout=10000)
        heading = pg.locator(f"[id='{passage_id}']")
        assert heading.is_visible()
        assert heading.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
        nav = pg.locator("nav.parts ol a").all_inner_texts()
        assert nav[:2] == ["Part 1", "Part 2"] and len(nav) == len(parts) + 1
        # Links from concept pages point straight at the right part.
        pg.goto(base + "concepts/ics.html")
        hrefs = pg.locator(".kwic a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert any("/part-" in h for h in hrefs)
        for href in [h for h in hrefs if "/part-" in h][:3]:
            pg.goto(base + "concepts/" + href)
            assert pg.locator(f"[id='{href.split('#')[1]}']").is_visible()
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()


def test_long_discovered_ids_never_push_the_evidence_out_of_view(browser, server):
    """A discovered concept's id can be long ("acr-" and a long acronym): the table stays inside a 1,280 px page,
    so its "Defined in" column is seen without scrolling sideways."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(server + "discovered.html")
    # The bundled corpus defines no acronym its vocabulary lacks: a row as the template writes it, with a long id.
    pg.evaluate("""document.querySelector('main').insertAdjacentHTML('beforeend',
      '<div class="table-wrap"><table class="discovered"><thead><tr><th>Concept</th><th>Id</th>'
      + '<th class="num">Mentions</th><th class="num">Documents</th><th>Defined in</th></tr></thead>'
      + '<tbody><tr><td><a href="#">a long name (ABC)</a></td><td><code>acr-' + 'x'.repeat(160) + '</code></td>'
      + '<td class="num">3</td><td class="num">1</td><td><ul class="evidence"><li><a href="#">A report, page 2</a>'
      + '</li></ul></td></tr></tbody></table></div>')""")
    wide = pg.evaluate("(() => { const t = document.querySelector('table.discovered');"
                       " return t.scrollWidth - t.parentElement.clientWidth; })()")
    assert wide <= 1, f"the discovered table is {wide}px wider than its page"
    context.close()


def test_a_reused_passage_links_to_its_source_and_back(page, server):
    """The later document's page says what it took and from whom; the link lands on the source passage, whose
    page links back to the passage that took it up."""
    page.goto(server + f"documents/{QUOTING_ID}.html")
    block = page.locator("section", has_text="Took text from").first
    assert block.is_visible() and COMMONS in block.inner_text()
    link = page.locator("ul.lineage-links a").first
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(r"documents/commons-library-nhs-reform-icss-2020\.html#.+"))
    target = page.locator(f"[id='{urlsplit(page.url).fragment}']")
    assert target.is_visible() and "70th anniversary" in target.locator("xpath=..").inner_text()
    back = page.locator(f"ul.lineage-links a[href*='{QUOTING_ID}']").first
    assert back.is_visible()
    back.click()
    page.wait_for_url(re.compile(QUOTING_ID + r"\.html#.+"))
    assert page.locator(f"[id='{urlsplit(page.url).fragment}']").is_visible()
    assert page.problems == []


def test_a_feed_reader_finds_the_feed_from_any_page(page, server):
    page.goto(server + "concepts.html")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    response = page.request.get(server + href)
    assert response.ok and response.body().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed ')
    assert b"<title>The knowledge base</title>" in response.body()


# -- new terms ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def terms_site(tmp_path_factory):
    """A site of documents over six years where "virtual wards" rises from 2022 (tests/test_emerging.py)."""
    _require_browser()
    import random

    from test_emerging import corpus, put

    from kb.nlp.phrases import update_term_counts
    from kb.site.build import build_site
    from kb.store import Store

    root = tmp_path_factory.mktemp("terms")
    with Store.open(root / "kb.sqlite", create=True) as store:
        for doc in corpus(random.Random(5)):
            put(store, *doc)
        with store.transaction():
            update_term_counts(store)
        build_site(store, root / "site", search=False)
    return root / "site"


def test_new_terms_lead_from_the_menu_to_a_year_and_to_a_first_use(browser, terms_site):
    from kb.site.serve import serve_in_thread

    httpd, base = serve_in_thread(terms_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(base + "index.html")
        pg.locator("header nav a", has_text="New terms").click()
        pg.wait_for_url(re.compile(r"new-terms\.html$"))
        pg.locator("main nav a", has_text="2022").click()
        pg.wait_for_url(re.compile(r"new-terms/2022\.html$"))
        row = pg.locator("table.new-terms tbody tr").first
        assert row.locator("td").first.inner_text().startswith("virtual wards")
        trend = row.locator("svg.spark")
        assert trend.is_visible() and trend.bounding_box()["width"] > 50
        assert "2022: " in trend.locator("title").first.text_content()
        wide = pg.evaluate("(() => { const t = document.querySelector('table.new-terms');"
                           " return t.scrollWidth - t.parentElement.clientWidth; })()")
        assert wide <= 1, f"the new terms table is {wide}px wider than its page"
        row.locator("td").last.locator("a").click()
        pg.wait_for_url(re.compile(r"documents/.+\.html#.+"))
        passage = pg.locator(f"[id='{urlsplit(pg.url).fragment}']")
        assert passage.is_visible() and "virtual wards" in passage.locator("xpath=..").inner_text().lower()
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
