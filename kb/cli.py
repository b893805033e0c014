"""The `kb` command line: a thin click layer over kb's Python API.

Commands live in ``kb/commands/<name>.py`` and are imported only when run, so ``kb --help`` stays fast and
never imports spaCy, pdfminer or Whoosh.
"""

from __future__ import annotations

import importlib
import sys

import click

from kb import __version__
from kb.errors import KbError

#: command name -> (module under kb.commands, one-line help shown by `kb --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "Create a new kb project folder for your own documents."),
    "ingest": ("ingest", "Extract, split, tag, store and index the corpus (incremental)."),
    "docs": ("docs", "List the documents in the knowledge base."),
    "show": ("show", "Show one document: metadata, extraction report and passages."),
    "concepts": ("concepts", "List concepts with mention counts and first appearance."),
    "mentions": ("concepts", "List concept mentions with document, passage, page and offsets."),
    "acronyms": ("concepts", "The corpus glossary: acronyms, their long forms and where defined."),
    "search": ("search", "Search passages: phrases, AND/OR/NOT, filters, highlighted hits."),
    "trace": ("trace", "Trace a concept through time: first appearance, timeline, co-occurrence."),
    "kwic": ("trace", "Keyword-in-context concordance for a concept or phrase."),
    "emerging": ("emerging", "Terms whose use rises (or falls) in a period: keyness, spread, first appearance."),
    "reuse": ("reuse", "Text reused between documents: earlier and later, shared words, aligned excerpt."),
    "cites": ("cites", "Documents of the corpus naming other documents of it (title, URL, paper number)."),
    "site": ("site", "Build or serve the static cross-reference site."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs (or its own help is asked)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, short_help = COMMANDS[name]
        if ctx.resilient_parsing or _listing_help():
            return click.Command(name, short_help=short_help, help=short_help)
        module = importlib.import_module(f"kb.commands.{module_name}")
        return getattr(module, name.replace("-", "_") + "_command")


def _listing_help() -> bool:
    """True while `kb --help` (not `kb CMD --help`) is being rendered: no command module needs importing."""
    args = sys.argv[1:]
    return any(a in ("--help", "-h") for a in args) and not any(a in COMMANDS for a in args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="kb")
@click.option("--home", envvar="KB_HOME", type=click.Path(file_okay=False), default=None,
              help="Project folder holding corpus/ and indexes/ (default: current folder; env KB_HOME).")
@click.option("--vocabulary", envvar="KB_VOCABULARY", type=click.Path(dir_okay=False), default=None,
              help="Concept vocabulary file to use instead of corpus/concepts.toml (env KB_VOCABULARY).")
@click.pass_context
def cli(ctx: click.Context, home: str | None, vocabulary: str | None) -> None:
    """kb: a knowledge base and search engine for policy documents.

    \b
    Typical session:
      kb ingest                      # extract, tag, store and index corpus/
      kb search '"triple aim"'       # ranked passages with page numbers
      kb trace ics                   # where "integrated care system" first appears
      kb site build                  # static cross-reference site in site/
    """
    ctx.ensure_object(dict)
    ctx.obj["home"] = home
    ctx.obj["vocabulary"] = vocabulary


def run(args: list[str] | None = None) -> int:
    """Run the CLI on ``args`` (default: the command line) and return the exit status: kb's own errors become
    one-line messages, click's usage errors its usual message; never a traceback for anything a user types."""
    try:
        code = cli.main(args=args, standalone_mode=False, prog_name="kb")
        # Outside standalone mode click returns ctx.exit(N)'s code instead of exiting.
        return code if isinstance(code, int) else 0
    except KbError as exc:
        click.echo(f"kb: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("kb: interrupted; nothing half-written was kept.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("kb: interrupted; nothing half-written was kept.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()
        return 0


def main() -> None:
    """Entry point: run the CLI and exit with its status."""
    sys.exit(run())
