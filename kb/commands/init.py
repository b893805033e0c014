"""`kb init DIR`."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
def init_command(directory: str) -> None:
    """Create a new kb project in DIRECTORY: an empty corpus/ with a starter catalog.toml and the
    default concepts.toml, and an empty indexes/.

    \b
    Example:
      kb init ~/my-papers && cp *.pdf ~/my-papers/corpus/ && kb --home ~/my-papers ingest
    """
    from kb.project import init_project

    project = init_project(directory)
    click.echo(f"Created a kb project in {project.home}")
    click.echo(f"  put documents in   {project.corpus_dir}/")
    click.echo(f"  describe them in   {project.catalog_path}")
    click.echo(f"  concepts are in    {project.vocabulary_path}")
    click.echo(f"Then run: kb --home {project.home} ingest")
