"""`kb init DIR`."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--title", default=None, help="The project's title, shown on the site and by `kb docs`.")
@click.option("--description", default="", help="One or two sentences about the corpus, shown on the site's home page.")
@click.option("--concepts", "concepts", type=click.Choice(["nhs-integration"]), default=None,
              help="Start from a bundled concept vocabulary instead of an empty one.")
def init_command(directory: str, title: str | None, description: str, concepts: str | None) -> None:
    """Create a new kb project in DIRECTORY: a project file kb.toml (title, description, rejected concepts), an
    empty corpus/ with a starter catalog.toml and a concepts.toml (empty, with a commented example, unless
    --concepts names a bundled vocabulary), and an empty indexes/.

    \b
    Examples:
      kb init ~/my-papers --title "Social prescribing: the evidence" && cp *.pdf ~/my-papers/corpus/
      kb --home ~/my-papers ingest && kb --home ~/my-papers site build
      kb init ~/nhs --concepts nhs-integration    # start from kb's NHS integration vocabulary
    """
    from kb.project import init_project

    project = init_project(directory, title=title, description=description, concepts=concepts)
    click.echo(f"Created a kb project in {project.home}")
    click.echo(f"  title and settings {project.settings_path}")
    click.echo(f"  put documents in   {project.corpus_dir}/")
    click.echo(f"  describe them in   {project.catalog_path}")
    click.echo(f"  concepts are in    {project.vocabulary_path}"
               + (f" ({concepts})" if concepts else " (empty: acronyms your documents define are still found)"))
    click.echo(f"Then run: kb --home {project.home} ingest")
