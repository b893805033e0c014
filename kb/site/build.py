"""Build the static site: gather everything, render every page into a staging folder, index it with Pagefind,
then swap it into place so a failed build never leaves half a site behind.

Python API (the CLI is a thin layer over it)::

    from kb.site.build import build_site
    summary = build_site(store, Path("site"))
"""

from __future__ import annotations

import functools
import html
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from kb.errors import UsageError
from kb.nlp.identity import store_names
from kb.site import context as ctx
from kb.site.feed import FEED, LEDGER, FeedLedger, build_feed
from kb.site.gather import SiteData, Tracer, gather
from kb.site.new_terms import new_terms_context, new_terms_href
from kb.site.paths import UnsafePath, concept_href, doc_href, doc_part_href, mentions_href, output_path
from kb.site.search_index import SiteBuildError, concept_names_json, run_pagefind

if TYPE_CHECKING:  # pragma: no cover
    from kb.project import Settings
    from kb.store import Store

log = logging.getLogger(__name__)
_esc = html.escape  # quotes too: safe inside attribute values

MARKER = ".kb-site"
STATIC_FILES = ("site.css", "names.js", "search.js", "parts.js")
CONCEPT_NAMES = "concept-names.json"  # what search.js needs to recognise a concept by any of its names


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced: shown by `kb site build` and returned to Python callers."""

    out_dir: Path
    pages: int  # HTML pages rendered by kb
    files: int  # every file in the site, Pagefind's bundle included
    bytes: int
    seconds: float
    search_pages: int | None  # pages Pagefind indexed (None when search indexing was skipped)


def render_segments(segments: list[dict], root: str = "") -> Markup:
    """Document text segments as HTML: every piece of text and every attribute escaped here.

    The hot path of a build (every passage, every quote), so it is plain Python rather than a jinja macro.
    """
    out = []
    for s in segments:
        kind = s["t"]
        if kind == "text":
            out.append(_esc(s["text"]))
        elif kind == "mark":
            out.append(f"<mark>{_esc(s['text'])}</mark>")
        elif kind == "page":
            out.append(f'<span class="page-break" id="page-{int(s["page"])}" role="note">page {int(s["page"])}</span>')
        elif kind == "mention":
            if not s.get("href"):
                out.append(f'<span class="mention">{_esc(s["text"])}</span>')
                continue
            cls = "mention definition" if s.get("definition") else "mention"
            also = f' data-also="{_esc(s["also"])}" data-pagefind-index-attrs="data-also"' if s.get("also") else ""
            out.append(f'<a class="{cls}" href="{_esc(root + s["href"])}" title="{_esc(s["title"])}"{also}>'
                       f'{_esc(s["text"])}</a>')
    return Markup("".join(out))


def templates_dir() -> Path:
    """The site templates: the source checkout's ``site_templates/`` beside this ``kb`` package when there is
    one (so templates always match the code running), else the installed ``kb.site_templates`` package."""
    checkout = Path(__file__).resolve().parents[2] / "site_templates"
    if (checkout / "_base.html").is_file():
        return checkout
    return Path(str(resources.files("kb.site_templates")))


def make_environment():
    """The one jinja2 environment: autoescaping on everywhere, strict about missing names, filters in one place."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["human_date"] = ctx.human_date
    env.filters["doc_href"] = doc_href
    env.filters["concept_href"] = concept_href
    env.filters["segments"] = render_segments
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return env


def _document_page(data: SiteData, doc_id: str, part: int) -> dict:
    """A document page (one part of it): its context with the reuse and citations block."""
    return ctx.with_lineage(ctx.document_context(data, doc_id, part), data, doc_id)


def page_plan(data: SiteData) -> Iterator[tuple[str, str, Callable[[], dict]]]:
    """(site-relative path, template, context factory) for every page, in a fixed order."""
    yield "index.html", "index.html", lambda: ctx.home_context(data)
    for sort, (path, _) in ctx.SORTS.items():
        yield path, "documents.html", functools.partial(ctx.documents_context, data, sort)
    yield "concepts.html", "concepts.html", lambda: ctx.concepts_list_context(data)
    yield "discovered.html", "discovered.html", lambda: ctx.discovered_context(data)
    yield "glossary.html", "glossary.html", lambda: ctx.glossary_context(data)
    yield "search.html", "search.html", lambda: {}
    yield new_terms_href(), "new_terms.html", lambda: new_terms_context(data)
    for year in data.new_terms:
        yield new_terms_href(year), "new_terms.html", functools.partial(new_terms_context, data, year)
    for doc in data.documents:
        for n in range(1, len(data.doc_parts(doc["id"])) + 1):
            yield doc_part_href(doc["id"], n), "document.html", functools.partial(_document_page, data, doc["id"], n)
    for old, (to, note) in sorted(data.moved.items()):  # a saved link to an id that now leads elsewhere
        yield concept_href(old), "concept_moved.html", functools.partial(
            dict, old_id=old, concept=data.concepts_by_id[to], note=note, href=concept_href(to))
    for concept in data.concepts:
        yield concept_href(concept.id), "concept.html", functools.partial(ctx.concept_context, data, concept.id)
        pages = len(ctx.mention_pages(data, concept.id))
        for n in range(1, pages + 1) if pages > 1 else ():
            yield mentions_href(concept.id, n), "concept_mentions.html", \
                functools.partial(ctx.concept_mentions_context, data, concept.id, n)


def build_site(store: Store, out_dir: Path, progress: Callable | None = None, *, search: bool = True,
               tracer: Tracer | None = None, glossary: list[dict] | None = None,
               settings: Settings | None = None) -> BuildSummary:
    """Render the whole site from ``store`` into ``out_dir`` and index it with Pagefind.

    ``progress`` is an optional wrapper like ``kb.console.progress(iterable, total=, desc=, unit=)``.
    ``settings`` is the project's ``kb.project.Settings`` (title, description, rejected concepts).
    Traces and the glossary come from kb.trace and kb.nlp.glossary, as in the CLI; ``tracer`` and ``glossary``
    replace them (see ``kb.site.gather.gather``).
    ``out_dir`` must be empty, missing, or a previous kb site (it holds a ``.kb-site`` marker): kb never
    deletes a folder it did not make.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir).expanduser().resolve()
    _check_out_dir(out_dir)
    data = gather(store, tracer=tracer, glossary=glossary, progress=progress, settings=settings)
    env = make_environment()
    env.globals.update(site_title=data.title, site_description=data.description)
    staging = out_dir.parent / f".{out_dir.name}.kb-building"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        plan = list(page_plan(data))
        _check_collisions([p for p, _, _ in plan])
        items = progress(plan, total=len(plan), desc="site", unit="page") if progress else plan
        for rel, template, make in items:
            html = env.get_template(template).render(**make(), root="../" * rel.count("/"), page_path=rel)
            _write(staging, rel, html.encode("utf-8"))
        for name in STATIC_FILES:
            _write(staging, name, (templates_dir() / name).read_bytes())
        _write(staging, CONCEPT_NAMES, concept_names_json(data, store_names(store, data.concepts)).encode("utf-8"))
        previous = FeedLedger.load(out_dir) if (out_dir / MARKER).is_file() else None
        feed, ledger = build_feed(data, previous, base_url=getattr(settings, "url", "") or "")
        _write(staging, FEED, feed)
        _write(staging, LEDGER, ledger)
        _write(staging, MARKER, _marker(store))
        search_pages = run_pagefind(staging) if search else None
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files, size = 0, 0
    for path in sorted(out_dir.rglob("*")):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return BuildSummary(out_dir, len(plan), files, size, round(time.perf_counter() - started, 2), search_pages)


def _state_of(store: Store) -> str:
    """What names this state of the knowledge base: the index generation its last ingest committed."""
    from kb.index.generations import META_KEY

    return store.get_meta(META_KEY) or "-"


def _marker(store: Store) -> bytes:
    return (b"Built by `kb site build`; kb may replace this folder on the next build.\n"
            + f"state: {_state_of(store)}\n".encode())


def site_is_stale(store: Store, out_dir: Path) -> bool | None:
    """Whether the site in ``out_dir`` was built from another state of the knowledge base than ``store`` holds
    (an ingest has committed since); None when that cannot be told (a site built by an earlier kb)."""
    try:
        lines = (Path(out_dir) / MARKER).read_text("utf-8").splitlines()
    except OSError:
        return None
    built = next((line.partition(": ")[2] for line in lines if line.startswith("state: ")), None)
    return None if built is None else built != _state_of(store)


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is a file; pass --out with a folder for the site.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise UsageError(f"{out_dir} is not empty and was not made by `kb site build`; choose an empty or new folder "
                         "with --out (kb never deletes a folder it did not make).")


def _check_collisions(paths: list[str]) -> None:
    seen: dict[str, str] = {}
    for p in paths:
        key = p.lower()  # case-insensitive file systems would merge these
        if key in seen:
            raise SiteBuildError(f"Two pages would share the file {p!r} ({seen[key]!r}); give the documents or "
                                 "concepts ids that differ in more than letter case.")
        seen[key] = p


def _write(root: Path, rel: str, content: bytes) -> None:
    target = output_path(root, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        raise UnsafePath(f"Refusing to write through the symlink {target}.")
    target.write_bytes(content)


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    old = out_dir.parent / f".{out_dir.name}.kb-old"
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists():
        if any(out_dir.iterdir()):
            out_dir.rename(old)
        else:
            out_dir.rmdir()
    staging.rename(out_dir)
    if old.exists():
        shutil.rmtree(old)
