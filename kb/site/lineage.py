"""The site's lineage blocks: on each document page, the documents it took text from and those that took text
from it, and under each passage where its text came from or went, with links to both passages; the documents of
the corpus it cites and those citing it, with the citing passage (kb.lineage).

Read once for the whole site (``gather_lineage``), from the same pairs as `kb reuse` and `kb show`, boilerplate
left out; a page adds its block with ``with_lineage`` to what ``kb.site.context.document_context`` gives.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kb.site.paths import doc_href

if TYPE_CHECKING:
    from kb.site.gather import SiteData
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


def with_lineage(page: dict, data: SiteData, doc_id: str) -> dict:
    """A document page's context (``kb.site.context.document_context``) with the document's lineage block:
    sources and followers linked to their pages, and each passage's links to the passages it shares text with."""
    found = data.lineage.get(doc_id)
    if not found:
        page["lineage"] = None
        return page
    shown = {b["id"] for b in page["blocks"] if b["t"] == "passage"}
    def cite(link: dict, other: str) -> dict:
        return dict(link, title=(data.docs_by_id.get(other) or {}).get("title") or other, href=doc_href(other),
                    passage_href=data.passage_href(link["citing_doc"], link["citing_passage"]))

    page["lineage"] = {
        "cites": [cite(x, x["cited_doc"]) for x in found["cites"]],
        "cited_by": [cite(x, x["citing_doc"]) for x in found["cited_by"]],
        "sources": [dict(x, href=doc_href(x["doc"])) for x in found["sources"]],
        "followers": [dict(x, href=doc_href(x["doc"])) for x in found["followers"]],
        "passages": {pid: [dict(link, href=data.passage_href(link["doc"], link["passage"])) for link in links]
                     for pid, links in found["passages"].items() if pid in shown},
    }
    return page
