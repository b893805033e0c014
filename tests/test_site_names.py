"""The site's names.js against the Python resolver it ports, run in Node (quick), else in headless Chromium.

tests/test_site_browser.py runs the same golden cases in Chromium on a built site.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import unicodedata

from conftest import REPO
from test_concept_resolver import GOLDEN, _bundled_names, _generated, typed_forms

from kb.nlp.vocabulary import ConceptNames, _surface_key

NAMES_JS = REPO / "site_templates" / "names.js"

RUN = """
const kbNames = require(process.argv[1]);
let input = "";
process.stdin.on("data", d => { input += d; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const out = {};
  if (job.fold) {
    const folded = [];
    for (const c of job.fold) folded.push(kbNames.casefold(String.fromCodePoint(c)));
    out.fold = folded;
  }
  out.keys = job.keys.map(kbNames.surfaceKey);
  out.found = job.typed.map(t => kbNames.find(job.table, t));
  process.stdout.write(JSON.stringify(out));
});
"""


def _node(job: dict) -> dict:
    """``RUN`` on ``job`` in Node; without Node, the same in headless Chromium (what the site runs in)."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is not None:
        done = subprocess.run([node, "-e", RUN, str(NAMES_JS)], input=json.dumps(job), capture_output=True,
                              text=True, timeout=120, check=True)
        return json.loads(done.stdout)
    return _chromium(job)


def _chromium(job: dict) -> dict:
    from test_site_browser import ARGS, CHROMIUM, _require_browser

    sync_api = _require_browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.add_script_tag(content=NAMES_JS.read_text("utf-8"))
            return page.evaluate("""job => ({
                fold: job.fold ? job.fold.map(c => kbNames.casefold(String.fromCodePoint(c))) : undefined,
                keys: job.keys.map(kbNames.surfaceKey),
                found: job.typed.map(t => kbNames.find(job.table, t)),
            })""", job)
        finally:
            browser.close()


def _texts(rng: random.Random, n: int) -> list[str]:
    """Strings of what names are made of, and the characters where JavaScript and Python differ most: curly
    quotes, dashes, Unicode spaces, ligatures, Greek final sigma, the Turkish dotted I, sharp s, full-width."""
    alphabet = ("abcdeisyzABCISZ -'/.,;:\"\t\n\u2019\u2018\u201c\u2013\u00e9\u00a0\u0085\u001c\u3000\ufeff"
                "\u00df\u1e9e\ufb01\u03a3\u03c3\u03c2\u0130\u0131\uff21\u2160\u00b2_1")
    words = ["well being", "co ordination", "co-operative", "Programs", "organizations", "King\u2019s", "ies",
             "sses", "ICSs", "\u00e9s", "program", "izing", "the"]
    out = []
    for _ in range(n):
        parts = [rng.choice(words) if rng.random() < 0.3 else
                 "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 4))]
        out.append(rng.choice((" ", "-", "", "'s ")).join(parts))
    return out


def test_names_js_resolves_the_golden_cases_and_every_typed_name_as_python_does():
    rng = random.Random(20)
    checks = []
    for names in (_bundled_names(), ConceptNames(_generated(), redirects=lambda: {"old-id": ("c1", "merged")})):
        typed = [c["input"] for c in GOLDEN] + typed_forms(names.concepts, rng, 500) + ["old-id", "OLD-ID"]
        found = _node({"table": names.table(), "typed": typed, "keys": []})["found"]
        checks.append([(t, f, (m.concept.id if (m := names.match(t)) else None)) for t, f in zip(typed, found, strict=True)])
    assert [c for c in checks[0] + checks[1] if c[1] != c[2]] == []
    assert [f for _t, f, _ in checks[0][:len(GOLDEN)]] == [c["concept"] for c in GOLDEN]
    assert checks[1][-2:] == [("old-id", "c1", "c1"), ("OLD-ID", "c1", "c1")]


def test_names_js_normalises_as_python_does():
    """surface_key on strings built to find differences, and casefold on every character Python's Unicode
    database assigns (the characters a browser may know beyond it are left out)."""
    texts = _texts(random.Random(21), 6000)
    assigned = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"]
    got = _node({"table": {}, "typed": [], "keys": texts, "fold": assigned})
    assert [(t, k) for t, k in zip(texts, got["keys"], strict=True) if k != _surface_key(t)] == []
    assert [hex(c) for c, f in zip(assigned, got["fold"], strict=True) if f != chr(c).casefold()] == []
