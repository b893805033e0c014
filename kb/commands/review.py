"""`kb docs --check`, `--set`, `--export-catalog` and `--import-catalog`: review kb's metadata and correct it
in the catalog, where a correction wins over extraction on every later ingest."""

from __future__ import annotations

from pathlib import Path

import click

from kb.console import echo_json, style


def check_documents(docs: list[dict], as_json: bool) -> None:
    """The documents whose title, date or publisher is missing or weak, each with its evidence."""
    from kb.ingest.review import FIELDS, evidence_of, problems

    listed = [(d, problems(d)) for d in docs if not d["duplicate_of"]]
    listed = [(d, found) for d, found in listed if found]
    if as_json:
        echo_json([{"id": d["id"], "source": d["source"], "problems": [{"field": f, "problem": p} for f, p in found],
                    "title": d["title"], "publisher": d["publisher"], "published": d["published"],
                    "provenance": d["provenance"]} for d, found in listed])
        return
    for doc, found in listed:
        click.echo(style(doc["id"], bold=True) + f"  corpus/{doc['source']}")
        bad = dict(found)
        for label, key in FIELDS:
            value = doc.get(key)
            mark = style(f"  {bad[label]}", fg="yellow") if label in bad else ""
            why = evidence_of(doc, key)
            click.echo(f"  {label:<10} {value or '—'}" + (f"  [{why}]" if value and why else "") + mark)
        click.echo()
    total = sum(1 for d in docs if not d["duplicate_of"])
    undated = sum(1 for d in docs if not d["published"] and not d["duplicate_of"])
    click.echo(f"{len(listed)} of {total} documents to review ({undated} undated). Correct one with "
               "`kb docs --set ID FIELD=VALUE`, or many with --export-catalog and --import-catalog.")


def set_values(base, doc_id: str, assignments: tuple[str, ...]) -> None:
    """Write FIELD=VALUE corrections for one document into the catalog."""
    from kb.errors import UnknownDocument, unknown_document_message
    from kb.ingest.catalog import set_catalog_values

    doc = base.store.document(doc_id, with_text=False)
    if doc is None:
        raise UnknownDocument(unknown_document_message(doc_id, base.store.document_ids()))
    if not assignments:
        raise click.UsageError("give at least one FIELD=VALUE after --set ID, e.g. publisher=\"NHS England\".")
    values = {}
    for item in assignments:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise click.UsageError(f"{item!r} is not FIELD=VALUE (e.g. published=2019-01).")
        values[field.strip()] = value.strip()
    path = base.project.catalog_path
    set_catalog_values(path, doc["source"], values)
    done = ", ".join(f"{k}={v!r}" if v else f"{k} removed" for k, v in values.items())
    click.echo(f"{path}: {doc['source']}: {done}. Run `kb ingest` to apply it; it wins on every later ingest.")


def export_catalog(base, target: str) -> None:
    """Every document's current metadata as a catalog file to edit in bulk."""
    from kb.ingest.catalog import catalog_export, load_catalog

    docs = base.store.documents()
    text = catalog_export(docs, load_catalog(base.project.catalog_path))
    if target == "-":
        click.echo(text, nl=False)
        return
    Path(target).write_text(text, "utf-8")
    click.echo(f"{target}: {len(docs)} documents. Edit it, then `kb docs --import-catalog {target}`.")


def import_catalog(base, source: str) -> None:
    """Read an edited export back: each value that differs from what kb holds (or that the catalog already
    gives) is written to the project's catalog; an unedited export changes nothing."""
    from kb.ingest.catalog import SETTABLE, load_catalog, set_catalog_values

    if not Path(source).is_file():
        raise click.UsageError(f"no file {source!r}: write one with `kb docs --export-catalog {source}` first.")
    edited = load_catalog(Path(source))
    path = base.project.catalog_path
    current = load_catalog(path)
    docs = {d["source"]: d for d in base.store.documents()}
    changed = 0
    for file, entry in edited.items():
        doc = docs.get(file)
        values = {}
        for key in SETTABLE:
            value = getattr(entry, key)
            if key == "published" and value is not None:
                value = value.value
            held = (doc or {}).get({"id": "id", "type": "doc_type"}.get(key, key)) if doc else None
            catalogued = getattr(current[file], key) if file in current else None
            if key == "published" and catalogued is not None:
                catalogued = catalogued.value
            if value and value != (catalogued if catalogued is not None else held):
                values[key] = str(value)
        if values:
            set_catalog_values(path, file, values)
            changed += 1
    click.echo(f"{path}: {changed} document(s) corrected from {source}." + (" Run `kb ingest` to apply them."
                                                                            if changed else ""))
