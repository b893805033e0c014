"""`kb show DOC` and `kb show PASSAGE`: the ids that search, trace and kwic print lead here."""

from __future__ import annotations

import textwrap

import click

from kb.commands.common import open_kb
from kb.console import echo_json, style


@click.command("show")
@click.argument("doc_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print metadata, full text, pages and passages as JSON.")
@click.option("--passages/--no-passages", default=True, help="Print the passages (default) or only the metadata.")
@click.pass_context
def show_command(ctx: click.Context, doc_id: str, as_json: bool, passages: bool) -> None:
    """Show one document: metadata (where each value came from, the evidence it was read from and how strong that
    source is), extraction report and passages.

    With --json the output has the full normalised `text`; passage and mention offsets index into it.
    Given a passage id (as kb search, kb trace and kb kwic print them), show that passage and its document.

    \b
    Examples:
      kb show kingsfund-integrated-care-our-position-2022
      kb show kingsfund-integrated-care-our-position-2022 --json | jq '.passages[0]'
      kb show kingsfund-integrated-care-our-position-2022-p0003-5c1d2e
    """
    from kb.commands.docs import public_doc
    from kb.errors import UnknownDocument, unknown_document_message

    base = open_kb(ctx)
    store = base.store
    doc = store.document(doc_id)
    if doc is None:
        passage = store.passage(doc_id)
        if passage is not None:
            _show_passage(store, passage, as_json)
            return
        raise UnknownDocument(unknown_document_message(doc_id, store.document_ids()))
    pages = store.pages(doc_id)
    items = store.passages(doc_id)
    lineage = base.document_lineage(doc_id)
    if as_json:
        out = public_doc(doc)
        out["text"] = doc["text"]
        ocr_pages = {p["page"]: p["confidence"] for p in (doc.get("ocr") or {}).get("pages", [])}
        out["pages"] = [{**page, "ocr": page["page"] in ocr_pages} for page in pages]
        out["passages"] = [_passage_json(p) for p in items]
        out["lineage"] = lineage.as_json()
        echo_json(out)
        return
    from kb.ingest.review import evidence_of, held_back, strength

    prov = doc["provenance"]
    click.echo(style(doc["title"], bold=True))
    for label, key in (("id", "id"), ("title", "title"), ("publisher", "publisher"), ("published", "published"), ("url", "url"),
                       ("type", "doc_type")):
        value = doc.get(key)
        source = prov.get({"doc_type": "type"}.get(key, key))
        if key == "published" and value:
            value = f"{value} ({doc['date_precision']} precision)"
        click.echo(f"  {label:<10} {value or '—'}" + (f"  [from {source}]" if value and source else ""))
        if key in ("title", "publisher", "published") and (value or key == "published"):
            why, sure = evidence_of(doc, key), strength(source if value else None)
            if why and why != f"from {source}" or sure in ("weak", "missing"):
                click.echo(f"  {'':<10} {why + ' · ' if why and why != f'from {source}' else ''}{sure}")
        held = held_back(doc, key) if key in ("title", "publisher", "published") and not value else ""
        if held:  # found on weak or conflicting evidence: named for review, never used
            click.echo(f"  {'':<10} {held}")
    if doc.get("date_note"):
        click.echo(f"  {'date note':<10} {doc['date_note']}")
    click.echo(f"  {'source':<10} corpus/{doc['source']} ({doc['format']}, sha256 {doc['sha256'][:12]}…)")
    if doc.get("duplicate_of"):
        how = prov.get("duplicate_of")
        label, why = {"same-file": ("copy of", "the same file byte for byte"),
                      "same-text": ("copy of", "the same text")}.get(how, ("edition of", "from catalog"))
        click.echo(f"  {label:<10} {doc['duplicate_of']} ({why}; not indexed or counted separately)")
    click.echo(f"  {'extracted':<10} {len(pages)} pages, {len(items)} passages, {doc['words']:,} words")
    ocr_pages = _echo_ocr(doc.get("ocr"), len(pages))
    for w in doc["warnings"]:
        click.echo("  " + style("warning: ", fg="yellow") + w)
    for line in lineage.summary_lines():  # text reused from earlier documents and by later ones (kb reuse)
        click.echo(line)
    if not passages:
        return
    for p in items:
        where = f"p. {p.page}" if p.page == p.page_end else f"pp. {p.page}-{p.page_end}"
        click.echo()
        read = [ocr_pages[n] for n in range(p.page, p.page_end + 1) if n in ocr_pages]
        mark = f" · OCR {min(read):.0f}%" if read else ""
        click.echo(style(f"[{p.id}] {where}{mark}", fg="cyan") + (f"  {p.heading}" if p.heading else ""))
        click.echo(_wrap(p.text))
        for note in lineage.notes(p.id):
            click.echo("  " + style(note, fg="magenta"))


def _wrap(text: str) -> str:
    """Passage text indented and wrapped at 100 columns, never at a hyphen, so a copied quote keeps "co-ordinated"."""
    return textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)


def _passage_json(p) -> dict:
    return {"id": p.id, "ordinal": p.ordinal, "page": p.page, "page_end": p.page_end, "heading": p.heading,
            "start": p.start, "end": p.end, "words": p.words, "text": p.text}


def _show_passage(store, passage, as_json: bool) -> None:
    """One passage with the document it belongs to (title, publisher, date, page, whether OCR read it)."""
    doc = store.document(passage.doc_id, with_text=False) or {}
    ocr = {pg["page"]: pg["confidence"] for pg in (doc.get("ocr") or {}).get("pages", [])}
    read = [ocr[n] for n in range(passage.page, passage.page_end + 1) if n in ocr]
    if as_json:
        from kb.commands.docs import public_doc
        echo_json({**_passage_json(passage), "ocr": bool(read), "document": public_doc(doc)})
        return
    where = f"p. {passage.page}" if passage.page == passage.page_end else f"pp. {passage.page}-{passage.page_end}"
    click.echo(style(doc.get("title") or passage.doc_id, bold=True))
    click.echo(f"  {'document':<10} {passage.doc_id}")
    click.echo(f"  {'publisher':<10} {doc.get('publisher') or '—'}")
    click.echo(f"  {'published':<10} {doc.get('published') or '—'}")
    click.echo(f"  {'source':<10} corpus/{doc.get('source')}, {where}" + (f" (OCR {min(read):.0f}%)" if read else ""))
    click.echo()
    click.echo(style(f"[{passage.id}] {where}", fg="cyan") + (f"  {passage.heading}" if passage.heading else ""))
    click.echo(_wrap(passage.text))


def _echo_ocr(ocr: dict | None, page_count: int) -> dict[int, float]:
    """The OCR line of the extraction report, so text read from images is never mistaken for a text layer.

    Returns page -> confidence for marking the passages that come from OCR'd pages.
    """
    if not ocr:
        return {}
    read = {p["page"]: p["confidence"] for p in ocr.get("pages", [])}
    drawn = {p["page"] for p in ocr.get("pages", []) if p.get("source") == "vector outlines"}
    which = "all pages" if len(read) == page_count else (
        f"{len(read)} of {page_count} pages: " + ", ".join(
            f"p. {n} ({c:.0f}%{', drawn as outlines' if n in drawn else ''})" for n, c in sorted(read.items())))
    if drawn and len(read) == page_count:
        which += f" ({len(drawn)} of them text drawn as outlines)"
    click.echo(f"  {'text':<10} OCR (tesseract {ocr.get('version', '?')}, {ocr.get('languages', '?')}) on {which};"
               f" mean confidence {ocr.get('mean_confidence', 0):.0f}%")
    return read
