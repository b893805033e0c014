"""A tiny knowledge base for the site tests, written with the Store API (no ingest, no spaCy).

Four documents: two that use "triple aim" (two publishers), a duplicate edition, and a hostile one whose text
and metadata try script injection and template injection.
"""

from __future__ import annotations

from pathlib import Path

from kb.models import AcronymDefinition, Concept, Mention, Passage
from kb.store import Store

HOSTILE_TEXT = (
    'Hostile <script>alert("xss")</script> text about the triple aim.',
    'An image <img src=x onerror="alert(1)"> and a <a href="javascript:alert(2)">link</a> in an ICS.',
    "Template syntax {{ 7*7 }} and {% raw %}{% for x in y %}{% endraw %} stays literal.",
)

CONCEPTS = [
    Concept("ics", "integrated care system", "body", "A partnership of NHS bodies and local government.",
            aliases=("integrated care systems",), acronyms=("ICS",)),
    Concept("stp", "sustainability and transformation partnership", "body", acronyms=("STP",), successor=("ics",)),
    Concept("triple-aim", "triple aim", "policy", "Better health, better care, sustainable use of resources."),
    Concept("ccg", "clinical commissioning group", "body", acronyms=("CCG",), successor=("icb",)),
    Concept("icb", "integrated care board", "body", acronyms=("ICB",), part_of=("ics",)),
    Concept("pcn", "primary care network", "discovered", acronyms=("PCN",), discovered=True),
    Concept("place", "place-based partnership", "body", part_of=("ics",)),  # never mentioned
]

# (doc fields, pages of paragraphs). Each paragraph becomes one passage.
DOCS = [
    (dict(id="confed-2020", source="confed.txt", title="Integrating care: next steps", publisher="NHS Confederation",
          published="2020-11", date_precision="month", date_earliest="2020-11-01", date_latest="2020-11-30",
          date_source="catalog", doc_type="briefing", url="https://www.nhsconfed.org/",
          provenance={"title": "catalog", "publisher": "catalog", "published": "catalog"},
          warnings=["page 2: text layer is thin"], ingested_at="2026-01-02T00:00:00Z"),
     [["Integrated care systems (ICSs) should meet the triple aim.",
       "Sustainability and transformation partnerships (STPs) became ICSs."],
      ["Primary care networks (PCNs) sit inside each ICS and work with CCGs."]]),
    (dict(id="commons-2020", source="commons.txt", title="NHS reform: integrated care systems",
          publisher="House of Commons Library", published="2020", date_precision="year", date_earliest="2020-01-01",
          date_latest="2020-12-31", date_source="catalog", doc_type="parliamentary briefing",
          provenance={"title": "catalog"}, ingested_at="2026-01-01T00:00:00Z"),
     [["The triple aim asks every ICS to improve health.", "CCGs will be replaced by an integrated care board."]]),
    (dict(id="confed-2020-pdf", source="confed.pdf", title="Integrating care: next steps (PDF edition)",
          publisher="NHS Confederation", published="2020-11", date_precision="month", date_earliest="2020-11-01",
          date_latest="2020-11-30", date_source="catalog", doc_type="briefing", duplicate_of="confed-2020",
          format="pdf", ingested_at="2026-01-03T00:00:00Z"),
     [["Integrated care systems (ICSs) should meet the triple aim."]]),
    (dict(id="hostile-2021", source="hostile.txt", title='Hostile <script>alert("title")</script> {{ 7*7 }}',
          publisher="Evil & <Co>", published="2021-03-04", date_precision="day", date_earliest="2021-03-04",
          date_latest="2021-03-04", date_source="text", doc_type="news <b>release</b>",
          url="javascript:alert('url')", provenance={"published": "text"},
          warnings=['<img src=x onerror="alert(3)">'], ingested_at="2026-01-04T00:00:00Z"),
     [list(HOSTILE_TEXT)]),
]

SURFACES = [  # (surface, concept id, is_definition)
    ("Integrated care systems", "ics", True), ("ICSs", "ics", False), ("ICS", "ics", False),
    ("Sustainability and transformation partnerships", "stp", True), ("STPs", "stp", False),
    ("triple aim", "triple-aim", False), ("Primary care networks", "pcn", True),
    ("CCGs", "ccg", False), ("integrated care board", "icb", False),
]


def build_sample_store(path: Path, docs=DOCS) -> Store:
    """Write the sample knowledge base to ``path`` and return the open store."""
    store = Store.open(path, create=True)
    with store.transaction():
        store.replace_concepts(CONCEPTS)
    for fields, pages in docs:
        text, page_rows, passages, ordinal = "", [], [], 0
        for page_no, paragraphs in enumerate(pages, start=1):
            page_start = len(text)
            for para in paragraphs:
                start = len(text)
                text += para
                ordinal += 1
                passages.append(Passage(f"{fields['id']}-p{ordinal:03d}", fields["id"], ordinal, page_no, page_no,
                                        start, len(text), para))
                text += "\n\n"
            page_rows.append((page_no, page_start, len(text)))
        doc = dict(format="text", sha256="0" * 64, pages=len(pages), passages=len(passages),
                   words=len(text.split()), text=text)
        doc.update(fields)
        mentions, acronyms = _mentions(fields["id"], passages)
        with store.transaction():
            store.replace_document(doc, page_rows, passages)
            store.replace_mentions(fields["id"], mentions, acronyms, tagged_with="test")
    return store


def _mentions(doc_id: str, passages: list[Passage]) -> tuple[list[Mention], list[AcronymDefinition]]:
    import re

    mentions, acronyms, taken = [], [], set()
    for p in passages:
        for surface, concept_id, is_def in SURFACES:
            for hit in re.finditer(rf"\b{re.escape(surface)}\b", p.text):
                start = p.start + hit.start()
                if any(a <= start < b for a, b in taken):
                    continue
                taken.add((start, start + len(surface)))
                mentions.append(Mention(doc_id, p.id, concept_id, surface, start, start + len(surface), p.page, is_def))
        for long_form, short in re.findall(r"([A-Z][a-z]+(?: [a-z]+)+) \(([A-Z]{2,}s?)\)", p.text):
            at = p.start + p.text.index(long_form)
            concept = {"ICSs": "ics", "STPs": "stp", "PCNs": "pcn"}.get(short)
            acronyms.append(AcronymDefinition(doc_id, p.id, short.rstrip("s"), long_form.lower(), at,
                                              at + len(long_form) + len(short) + 3, p.page, concept))
    return mentions, acronyms
