"""The site's lineage blocks: on each document page, the documents it took text from and those that took text
from it, and under each passage where its text came from or went, with links to both passages; the documents of
the corpus it cites and those citing it, with the citing passage (kb.lineage).

Read once for the whole site (``gather_lineage``), from the same pairs as `kb reuse` and `kb show`, boilerplate
left out; a document page's context adds its block (``kb.site.context.with_lineage``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.store import Store


def gather_lineage(store: Store) -> dict[str, dict]:
    """doc id -> {"cites", "cited_by", "sources", "followers": [...], "passages": {passage id: [links]}} for
    every document that shares text with another (boilerplate left out) or cites or is cited by one."""
    from kb.lineage.cites import find_citations
    from kb.lineage.report import find_reuse, relatives

    found = find_reuse(store)
    citations = find_citations(store)
    docs = sorted({r.earlier.doc for r in found} | {r.later.doc for r in found}
                  | {c.citing_doc for c in citations} | {c.cited_doc for c in citations})
    by_doc: dict[str, list] = defaultdict(list)
    for r in found:
        by_doc[r.earlier.doc].append(r)
        by_doc[r.later.doc].append(r)
    out: dict[str, dict] = {}
    for doc_id in docs:
        mine = by_doc[doc_id]
        sources, followers = relatives(mine, doc_id)
        links: dict[str, list[dict]] = defaultdict(list)
        for r in mine:
            own, other, relation = (r.later, r.earlier, "from") if r.later.doc == doc_id else (r.earlier, r.later, "by")
            links[own.passage].append({"relation": relation, "doc": other.doc, "title": other.title,
                                       "passage": other.passage, "page": other.page, "words": r.words,
                                       "similarity": r.similarity, "order": r.order})
        cites: dict[tuple[str, str], dict] = {}
        cited_by: dict[tuple[str, str], dict] = {}
        for c in citations:
            if doc_id in (c.citing_doc, c.cited_doc):
                into = cites if c.citing_doc == doc_id else cited_by
                link = into.setdefault((c.citing_passage, c.cited_doc), {
                    "citing_doc": c.citing_doc, "citing_passage": c.citing_passage, "page": c.page,
                    "cited_doc": c.cited_doc, "how": [], "context": c.context})
                link["how"].append(c.how)
        out[doc_id] = {
            "cites": [cites[k] for k in sorted(cites)], "cited_by": [cited_by[k] for k in sorted(cited_by)],
            "sources": [vars(x) for x in sources], "followers": [vars(x) for x in followers],
            "passages": {pid: sorted(items, key=lambda x: (-x["words"], x["passage"])) for pid, items in links.items()},
        }
    return out
