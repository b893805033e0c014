"""What a traced term matches: a free phrase with its plurals, possessives and hyphen/space variants (as search
matches it), the words as typed with --exact, and a concept's first use per form (kb.trace.forms)."""

from __future__ import annotations

import json
import random
import re

from test_trace import build_store

from kb.trace import kwic, trace
from kb.trace.forms import phrase_pattern

#: Ways a document writes "integrated care system", and words that only look like it.
VARIANTS = ["integrated care system", "integrated care systems", "Integrated Care Systems", "integrated care "
            "system's", "integrated care systems'", "integrated-care system", "integrated care-systems",
            "integrated\ncare system", "INTEGRATED CARE SYSTEM"]
DECOYS = ["integrated careers system", "integrated care systematic", "disintegrated care system",
          "integrated care systemic", "integrated care", "care system integrated"]


def test_a_free_phrase_counts_every_variant_and_no_decoy_in_random_documents(tmp_path):
    rng = random.Random(17)
    docs, expected, literal = [], 0, 0
    for n in range(12):
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            pieces = []
            for _ in range(rng.randint(1, 5)):
                if rng.random() < 0.5:
                    form = rng.choice(VARIANTS)
                    expected += 1
                    literal += re.match(r"integrated\s+care\s+system(?!\w)", form, re.IGNORECASE) is not None
                else:
                    form = rng.choice(DECOYS)
                pieces.append(f"The {form} met")
            paragraphs.append(". ".join(pieces) + ".")
        docs.append({"id": f"d{n:02d}", "published": f"20{10 + n}", "paragraphs": paragraphs})
    with build_store(tmp_path / "kb.sqlite", docs, concepts=[]) as store:
        loose = trace(store, "integrated care system").to_json()
        exact = trace(store, "integrated care system", exact=True).to_json()
        lines = kwic(store, "integrated care system")
    assert loose["totals"]["mentions"] == expected == len(lines)
    assert exact["totals"]["mentions"] == literal
    assert loose["match"]["kind"] == "phrase" and "plurals" in loose["match"]["matches"]


def test_the_phrase_pattern_accepts_what_search_would_and_nothing_longer():
    pattern = phrase_pattern("GP practice")
    for text in ["gp practice", "gps practices", "gp's practice", "gp-practice", "gp\npractices'"]:
        assert pattern.fullmatch(text), text
    for text in ["gpx practice", "gp practiced"]:
        assert not pattern.fullmatch(text), text
    assert phrase_pattern("place-based partnership").fullmatch("place based partnerships")


def test_a_concept_reports_the_first_use_of_each_form(tmp_path):
    docs = [{"id": "old", "published": "2015", "paragraphs": ["An integrated care system is planned."]},
            {"id": "mid", "published": "2018", "paragraphs": ["Integrated care systems (ICSs) began."]},
            {"id": "new", "published": "2020", "paragraphs": ["Each ICS met; the ICSs agreed."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        result = trace(store, "ICS").to_json()
    assert result["first_use"]["doc_id"] == "old"  # any form
    forms = {f["form"]: f for f in result["first_use_by_form"]}
    assert forms["ICS"]["kind"] == "acronym" and forms["ICS"]["first_use"]["doc_id"] == "mid"
    assert forms["ICS"]["first_use"]["surface"] == "ICSs" and forms["ICS"]["mentions"] == 3
    assert forms["integrated care system"]["first_use"]["doc_id"] == "old"
    assert forms["integrated care system"]["documents"] == 2  # "Integrated care systems" is the same name
    assert [f["form"] for f in result["first_use_by_form"]][0] == "integrated care system"


def test_the_terminal_and_json_show_each_forms_first_use(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kb.commands import trace as trace_cmd
    from kb.knowledge_base import KnowledgeBase

    docs = [{"id": "old", "published": "2015", "paragraphs": ["An integrated care system is planned."]},
            {"id": "new", "published": "2020", "paragraphs": ["Each ICS met."]}]
    store = build_store(tmp_path / "kb.sqlite", docs)
    class OneStore(KnowledgeBase):
        """The handle on this store alone (the command asks it for the trace)."""

        @property
        def store(self):
            return store

    monkeypatch.setattr(trace_cmd, "open_kb", lambda ctx: OneStore(None))
    out = CliRunner().invoke(trace_cmd.trace_command, ["ICS"]).output
    assert "First use of each form" in out and "ICS (acronym): 1 mention(s) in 1 document(s)" in out
    data = json.loads(CliRunner().invoke(trace_cmd.trace_command, ["ICS", "--json"]).output)
    assert [f["form"] for f in data["first_use_by_form"]] == ["integrated care system", "ICS"]


def test_the_concept_page_shows_each_forms_first_use(tmp_path):
    from kb.site.build import build_site

    docs = [{"id": "old", "published": "2015", "paragraphs": ["An integrated care system is planned."]},
            {"id": "new", "published": "2020", "paragraphs": ["Each ICS met."]}]
    with build_store(tmp_path / "kb.sqlite", docs) as store:
        build_site(store, tmp_path / "site", search=False)
    page = (tmp_path / "site" / "concepts" / "ics.html").read_text("utf-8")
    assert "First use of ICS (acronym)" in page and "First use of integrated care system (long form)" in page


def test_an_ambiguous_acronym_shows_every_meaning_with_counts_and_first_use(tmp_path):
    from kb.models import Concept

    provider = Concept("icp-provider", "integrated care provider", "body", acronyms=("ICP",))
    partnership = Concept("icp-partnership", "integrated care partnership", "body", acronyms=("ICP",))
    docs = [{"id": "a", "published": "2016", "paragraphs": ["An integrated care provider was procured."]},
            {"id": "b", "published": "2022", "paragraphs": ["The integrated care partnership met.",
                                                             "The integrated care partnership agreed."]}]
    with build_store(tmp_path / "kb.sqlite", docs, concepts=[provider, partnership]) as store:
        result = trace(store, "ICP").to_json()
        plain = trace(store, "integrated care provider").to_json()
    assert result["concept"]["id"] == "icp-partnership"  # mentioned most
    assert [(s["concept_id"], s["mentions"], s["documents"], s["first_use"]["published"]) for s in result["senses"]] \
        == [("icp-provider", 1, 1, "2016"), ("icp-partnership", 2, 1, "2022")]
    assert plain["senses"] == []
