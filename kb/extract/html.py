"""HTML: the main text of a page as paragraphs, plus title, dates and publisher from its head.

Parsed with selectolax (the Lexbor HTML5 parser: spec-compliant tree building, fast, no dependencies).
Navigation, headers, footers, asides, scripts, styles and forms are dropped; ``<main>`` or a single
``<article>`` is preferred over ``<body>``. Block elements become paragraphs separated by blank lines.
"""

from __future__ import annotations

import json
import logging
import re

from kb.errors import ExtractionError
from kb.extract.dates import parse_meta_date
from kb.models import Extraction

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
_PUBLISHER_META = ("citation_publisher", "dc.publisher", "dcterms.publisher", "og:site_name")
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


def _blocks(root) -> list[str]:
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
    stack: list[tuple[object, bool]] = [(root, False)]
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

    for key in _TITLE_META:
        if meta.get(key):
            found["title"], sources["title"] = meta[key], "html-meta"
            break
    else:
        title_node = tree.css_first("title")
        title = " ".join(title_node.text().split()) if title_node is not None else ""
        if title:
            found["title"], sources["title"] = title, "html-title"

    for key in _DATE_META + ("datepublished",):
        date = parse_meta_date(meta.get(key, ""))
        if date is not None:
            found["published"], sources["published"] = date, "html-meta"
            break
    else:
        date = _structured_date(tree)
        if date is not None:
            found["published"], sources["published"] = date, "html-meta"

    for field, keys in (("publisher", _PUBLISHER_META), ("author", _AUTHOR_META)):
        for key in keys:
            if meta.get(key):
                found[field], sources[field] = meta[key], "html-meta"
                break
    if "publisher" not in found:
        # GOV.UK names the publishing organisations in its own meta tag ("<D123>" codes, or names).
        from kb.metadata import organisation_name

        govuk = meta.get("govuk:primary-publishing-organisation") or ""
        author = organisation_name(found.get("author", ""))
        if govuk and not govuk.startswith("<"):
            found["publisher"], sources["publisher"] = govuk, "html-meta"
        elif author:
            found["publisher"], sources["publisher"] = author, "html-meta"

    canonical = tree.css_first("link[rel=canonical]")
    url = (canonical.attributes.get("href") if canonical is not None else None) or meta.get("og:url")
    if url and url.startswith(("http://", "https://")):
        found["url"], sources["url"] = url, "html-meta"
    found["sources"] = sources
    return found


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
