"""`kb site build` and `kb site serve`: a thin layer over kb.site."""

from __future__ import annotations

import click

from kb.commands.common import open_kb


@click.group("site")
def site_command() -> None:
    """Build or serve the static cross-reference site.

    \b
    Examples:
      kb site build                 # into site/ (replaced on every build)
      kb site build --out /tmp/kb-site
      kb site serve --port 8000     # http://127.0.0.1:8000/
    """


@site_command.command("build")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder for the site (default: site/ in the project). It must be empty, new, or a previous kb site.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index (pages only).")
@click.pass_context
def build_command(ctx: click.Context, out: str | None, no_search: bool) -> None:
    """Render every document, concept and list page, then index the pages for search with Pagefind.

    \b
    Examples:
      kb site build                     # into site/ in the project
      kb site build --out /tmp/kb-site  # anywhere else (an empty or earlier-built folder)
    """
    from pathlib import Path

    from kb.console import progress

    summary = open_kb(ctx).build_site(Path(out) if out else None, progress=progress, search=not no_search)
    search = f", {summary.search_pages} indexed for search" if summary.search_pages is not None else ", no search index"
    click.echo(f"Wrote {summary.pages} pages{search} ({summary.files} files, {summary.bytes / 1e6:.1f} MB) "
               f"to {summary.out_dir} in {summary.seconds:.1f} s")
    click.echo(f"Preview it with: kb site serve{'' if not out else f' --out {out}'}")


@site_command.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="The built site folder (default: site/ in the project).")
@click.pass_context
def serve_command(ctx: click.Context, port: int, out: str | None) -> None:
    """Serve the built site on http://127.0.0.1 only (search needs http, not file://). Ctrl-C stops it.

    \b
    Examples:
      kb site serve                     # http://127.0.0.1:8000/
      kb site serve --port 9000 --out /tmp/kb-site
    """
    from pathlib import Path

    base = open_kb(ctx)
    out_dir = Path(out) if out else base.project.site_dir
    server = base.site_server(out_dir, port)
    if base.site_is_stale(out_dir):
        click.echo("note: the knowledge base has changed since this site was built (kb ingest ran since); "
                   "run `kb site build` to update it.", err=True)
    click.echo(f"Serving {out_dir} at http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
