"""Make corpus/nhsconfed-integrating-care-next-steps-briefing.pdf: a PDF edition of the bundled briefing.

Run once (the output is committed): ``python scripts/make_briefing_pdf.py``. Needs reportlab (the ``bench``
or ``test`` extra). The PDF carries the same words as the .txt edition after normalisation, laid out like
the original: A4, a running header and footer page numbers on every page, two-column pages alternating
with one-column pages, some words hyphenated at line ends, Title/Author/CreationDate in the info dict.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "nhsconfed-2020-11-integrating-care-next-steps-briefing.txt"
TARGET = ROOT / "corpus" / "nhsconfed-integrating-care-next-steps-briefing.pdf"
TITLE = (
    "Integrating care: next steps to building strong and effective integrated care systems across England"
)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_fixtures import blocks_from_paragraphs, write_report_pdf

    from kb.ingest.extract import extract_file
    from kb.ingest.normalise import normalise_pages

    pages, _ = normalise_pages(extract_file(SOURCE).pages)
    paragraphs = [p for page in pages for p in page.split("\n\n")]
    _, layout = write_report_pdf(
        TARGET,
        blocks_from_paragraphs(paragraphs),
        title=TITLE,
        author="NHS Confederation",
        header="NHS Confederation briefing  |  Integrating care: next steps",
        footer="NHS Confederation  |  November 2020",
        creation_date="D:20201127093000+00'00'",
        columns=lambda page: 2 if page in (2, 3, 5) else 1,
        max_hyphenations=10,
    )
    print(
        f"wrote {TARGET.relative_to(ROOT)}: {layout.pages} pages, {TARGET.stat().st_size // 1024} KB, "
        f"two-column pages {layout.two_column_pages}, hyphenated {layout.hyphenated}, "
        f"compounds broken at their hyphen {layout.compound_breaks}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
