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
