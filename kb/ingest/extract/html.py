"""HTML: the main text of a page as paragraphs, plus title, dates and publisher from its head.

Parsed with selectolax (the Lexbor HTML5 parser: spec-compliant tree building, fast, no dependencies).
Navigation, headers, footers, asides, scripts, styles and forms are dropped; ``<main>`` or a single
``<article>`` is preferred over ``<body>``. Block elements become paragraphs separated by blank lines.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING

from kb.errors import ExtractionError
from kb.ingest.extract.stated_dates import parse_meta_date
from kb.models import Extraction

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

log = logging.getLogger(__name__)

# Never part of the text, wherever they are.
_ALWAYS_DROP = (
    "script, style, noscript, template, svg, canvas, iframe, object, embed, form, button, select, nav, aside, "
    "dialog, [hidden], [aria-hidden=true], [role=navigation], [role=complementary], [role=search]"
)
# Page furniture: dropped when the text comes from the whole <body>, kept inside <main>/<article>
# (where a <header> usually holds the document's own title and date).
_PAGE_FURNITURE = "header, footer, [role=banner], [role=contentinfo]"

_BLOCK_TAGS = frozenset(
    "address article blockquote body caption dd details div dl dt fieldset figcaption figure h1 h2 h3 h4 h5 h6 "
    "hr li main ol p pre section summary table tbody thead tfoot tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})

# Meta tags that state a publication date, best first. (Modification dates are not publication dates.)
_DATE_META = (
    "citation_publication_date",
    "citation_date",
    "article:published_time",
    "govuk:first-published-at",
    "og:published_time",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
)
_TITLE_META = ("og:title", "citation_title", "dc.title", "dcterms.title", "twitter:title")
_PUBLISHER_META = ("citation_publisher", "dc.publisher", "dcterms.publisher")
#: Sites that host other people's documents: their name is not the publisher.
_PLATFORMS = frozenset({"gov.uk", "github", "medium", "wordpress", "blogger", "substack", "linkedin", "issuu",
                        "scribd", "google docs", "sharepoint"})
_AUTHOR_META = ("author", "citation_author", "dc.creator", "dcterms.creator")

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> str: BOM, then the declared charset, then UTF-8, then the HTML standard's windows-1252 fallback."""
    warnings: list[str] = []
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), warnings
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(name), warnings
        except LookupError:
            warnings.append(f"unknown charset {name!r} declared; read as UTF-8")
        except UnicodeDecodeError:
            warnings.append(f"text is not valid {name}; read as UTF-8 where possible")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        warnings.append("no charset declared and not UTF-8: read as windows-1252 (the HTML standard's default)")
        return data.decode("cp1252", errors="replace"), warnings


def extract_html(data: bytes) -> Extraction:
    """HTML page -> one page of main text with paragraph breaks, and metadata from the head."""
    from selectolax.lexbor import LexborHTMLParser

    text, warnings = decode_html(data)
    tree = LexborHTMLParser(text)
    if tree.root is None:
        raise ExtractionError("HTML could not be parsed", "check that the file is a web page")
    metadata = _metadata(tree)

    root = _main_node(tree)
    if root is None:
        raise ExtractionError("HTML page has no body text", "save the page's full HTML, not a fragment of its head")
    for node in root.css(_ALWAYS_DROP):
        node.decompose()
    if root.tag == "body" or root.tag == "html":
        for node in root.css(_PAGE_FURNITURE):
            node.decompose()
    body = "\n\n".join(_blocks(root))
    if not body.strip():
        warnings.append("the page has no visible text outside navigation, headers and scripts")
    return Extraction(format="html", pages=(body,), metadata=metadata, warnings=tuple(warnings))


def _main_node(tree):
    main = tree.css("main, [role=main]")
    if len(main) == 1:
        return main[0]
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return tree.body or tree.root


def _blocks(root: LexborNode) -> list[str]:
    """Paragraph texts in document order: a depth-first walk with explicit enter/exit (no recursion limit)."""
    blocks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        joined = re.sub(r"[ \t\r\f\v]+", " ", "".join(buffer))
        joined = "\n".join(line.strip() for line in joined.split("\n"))
        # <br><br> separates paragraphs inside one element, as many older pages write them.
        for part in re.split(r"\n{2,}", joined.strip()):
            part = part.strip()
            if part and part != "•":
                blocks.append(part)
        buffer.clear()

    preformatted = 0
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "pre":
                preformatted -= 1
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                buffer.append(" ")
            continue
        if tag == "-text":
            content = node.text_content or ""
            buffer.append(content if preformatted else content.replace("\n", " "))
            continue
        if tag in ("-comment", "!--") or not node.is_element_node:
            continue
        if tag == "br":
            buffer.append("\n")
            continue
        if tag in _BLOCK_TAGS:
            flush()
            if tag == "li":
                buffer.append("• ")
            if tag == "pre":
                preformatted += 1
        elif tag == "img" and node.attributes.get("alt"):
            buffer.append(f" {node.attributes['alt']} ")
            continue
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    flush()
    return blocks


def _metadata(tree) -> dict:
    """Title, published, publisher, author, url from meta tags, <title>, canonical link and JSON-LD."""
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        content = (attrs.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content
    found: dict = {}
    sources: dict[str, str] = {}

    # Title candidates, best first; kb.ingest.metadata drops the site's name ("… - GOV.UK") and refuses labels.
    candidates: list[tuple[str, str]] = []
    for key in _TITLE_META:
        if meta.get(key):
            candidates.append((meta[key], "html-meta"))
            break
    headings = [" ".join(node.text().split()) for node in tree.css("h1")]
    headings = [h for h in headings if h]
    if len(headings) == 1:
        candidates.append((headings[0], "text"))
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else ""
    if title:
        candidates.append((title, "html-title"))
    found["title_candidates"] = candidates
    stated = next((c for c in candidates if c[1] != "text"), None)
    if stated:  # what the page's head calls it, as written
        found["title"], sources["title"] = stated
    if meta.get("og:site_name"):
        found["site_name"] = meta["og:site_name"]

    for key in _DATE_META + ("datepublished",):
        date = parse_meta_date(meta.get(key, ""))
        if date is not None:
            found["published"], sources["published"] = date, "html-meta"
            break
    else:
        date = _structured_date(tree)
        if date is not None:
            found["published"], sources["published"] = date, "html-meta"

    from kb.ingest.orgnames import organisation_name

    for key in _AUTHOR_META:
        if meta.get(key):
            found["author"], sources["author"] = meta[key], "html-meta"
            break
    # The publisher: a publisher tag, GOV.UK's publishing organisation, an author tag that names an
    # organisation, a JSON-LD publisher or author organisation, then the site's name unless it is a platform.
    site = meta.get("og:site_name", "")
    publisher: str | None = next((meta[key] for key in _PUBLISHER_META if meta.get(key)), "")
    publisher = publisher or meta.get("govuk:primary-publishing-organisation", "")
    publisher = publisher or organisation_name(found.get("author", "")) or _structured_organisation(tree)
    if not publisher and site and site.strip().lower() not in _PLATFORMS:
        publisher = site
    if publisher and not publisher.startswith("<"):
        found["publisher"], sources["publisher"] = publisher, "html-meta"

    canonical = tree.css_first("link[rel=canonical]")
    url = (canonical.attributes.get("href") if canonical is not None else None) or meta.get("og:url")
    if url and url.startswith(("http://", "https://")):
        found["url"], sources["url"] = url, "html-meta"
    found["sources"] = sources
    return found


def _structured_organisation(tree) -> str | None:
    """The publisher (else the author) organisation named in JSON-LD, when it is not a hosting platform."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for role in ("publisher", "author"):
            for item in items:
                if not isinstance(item, dict):
                    continue
                value = item.get(role)
                for entity in value if isinstance(value, list) else [value]:
                    if isinstance(entity, dict) and entity.get("@type") in ("Organization", "GovernmentOrganization",
                                                                            "NGO", "Corporation"):
                        name = " ".join(str(entity.get("name") or "").split())
                        if name and name.lower() not in _PLATFORMS:
                            return name
    return None


def _structured_date(tree):
    """datePublished from <time itemprop=datePublished> or JSON-LD, when no meta tag gives a date."""
    node = tree.css_first("[itemprop=datePublished]")
    if node is not None:
        date = parse_meta_date(node.attributes.get("datetime") or node.attributes.get("content") or node.text())
        if date is not None:
            return date
    for script in tree.css('script[type="application/ld+json"]'):
        match = re.search(r'"datePublished"\s*:\s*("[^"]*")', script.text() or "")
        if match:
            try:
                date = parse_meta_date(json.loads(match.group(1)))
            except ValueError:
                continue
            if date is not None:
                return date
    return None
