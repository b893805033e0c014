"""`kb ingest [PATH ...]`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from kb.commands.common import open_kb
from kb.console import echo_json, progress, style

if TYPE_CHECKING:  # pragma: no cover
    from kb.ingest.report import FileProgress, IngestEvent


class _ProgressView:
    """Turns ingest events into a progress bar on a terminal and plain lines otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        self.tty = sys.stderr.isatty()
        self.noted: dict[str, float] = {}  # source -> seconds of OCR when it was last reported (no terminal)

    def __call__(self, event: IngestEvent) -> None:
        from kb.ingest.report import (
            DocumentRemoved,
            ExtractStarted,
            FileDone,
            FileFailed,
            FileProgress,
            StageStarted,
            Tagged,
            TagStarted,
        )

        if isinstance(event, ExtractStarted) and event.total:
            self.bar = progress(total=event.total, desc="extracting", unit="file")
        elif isinstance(event, FileDone) and self.bar is not None:
            self.bar.set_postfix_str(event.source[-40:], refresh=False)
            self.bar.update(1)
        elif isinstance(event, FileProgress) and event.stage == "ocr":
            self._ocr_progress(event)
        elif isinstance(event, TagStarted) and event.total:
            self._close()
            self.bar = progress(total=event.total, desc="tagging", unit="doc")
        elif isinstance(event, Tagged) and self.bar is not None:
            self.bar.update(1)
        elif isinstance(event, StageStarted):
            self._close()
            if self.tty and not self.quiet:
                click.echo(f"{event.name}…", err=True)
        elif isinstance(event, FileFailed):
            line = event.failure.line()
            if self.bar is not None:
                self.bar.write(style("failed: ", fg="red") + line, file=sys.stderr)
            else:
                click.echo(style("failed: ", fg="red") + line, err=True)
        elif isinstance(event, DocumentRemoved) and not self.quiet:
            click.echo(f"removed: {event.doc_id} ({event.source} is no longer in the corpus)", err=True)

    def _ocr_progress(self, event: FileProgress) -> None:
        """A file being OCR'd: pages done in the bar's postfix; without a terminal a line every 15 s."""
        note = f"{event.source[-30:]}: OCR page {event.done}/{event.total}"
        if self.bar is not None and self.tty:
            self.bar.set_postfix_str(note, refresh=True)
        elif not self.quiet and event.seconds - self.noted.get(event.source, 0.0) >= 15:
            self.noted[event.source] = event.seconds
            click.echo(f"OCR: {event.source}: {event.done} of {event.total} pages read ({event.seconds:.0f} s)",
                       err=True)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--force", is_flag=True, help="Re-extract, re-tag and re-index everything.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Local worker processes (default: all cores).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="DASK_SCHEDULER_ADDRESS", default=None,
              help="Send the per-file work to the Dask cluster with this scheduler (env DASK_SCHEDULER_ADDRESS;"
                   " 'local' for this machine). Storing and indexing stay here.")
@click.option("--timeout", type=click.FloatRange(1), default=180.0, show_default=True,
              help="Seconds allowed to extract one file before it is stopped and reported.")
@click.option("--wait", is_flag=True, help="If another ingest is running, wait for it instead of stopping.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Only print failures and the summary.")
@click.pass_context
def ingest_command(ctx: click.Context, paths: tuple[str, ...], force: bool, jobs: int | None,
                   scheduler: str | None, timeout: float, wait: bool, as_json: bool, quiet: bool) -> None:
    """Extract, split, tag, store and index the documents in corpus/ (or only PATHS inside it).

    Incremental: unchanged files are skipped, changed ones re-ingested, removed ones dropped. Each
    file that cannot be read is reported on one line (file, reason, what to do) and the rest carries on;
    the exit status is 1 if any file failed. All or nothing: until the ingest commits at its end, every
    command sees the knowledge base as before it; an interrupted ingest keeps nothing and the next run does
    the work.

    \b
    Examples:
      kb ingest                     # the whole corpus
      kb ingest corpus/reports/     # one folder
      kb ingest --force --jobs 2    # rebuild everything on two cores
      kb ingest --scheduler tcp://scheduler:8786  # extract and tag on a Dask cluster
    """
    from kb.errors import UsageError
    from kb.ingest import ingest

    scheduler = (scheduler or "").strip() or None
    if scheduler and scheduler.lower() != "local" and jobs is not None:
        raise UsageError("--jobs sets local worker processes; with a Dask scheduler (--scheduler or "
                         "DASK_SCHEDULER_ADDRESS) the cluster's workers do the work. Drop --jobs, or use "
                         "--scheduler local.")

    project = open_kb(ctx).project
    view = _ProgressView(quiet or as_json)
    try:
        report = ingest(project, paths or None, force=force, jobs=jobs, timeout=timeout, wait=wait, progress=view,
                        scheduler=scheduler)
    finally:
        view._close()
    if as_json:
        echo_json(report.as_dict())
    else:
        if not quiet:
            for w in report.warnings:
                click.echo(style("warning: ", fg="yellow") + w, err=True)
        click.echo(
            f"{report.documents} documents"
            + (f" (+{report.editions} other edition{'s' if report.editions > 1 else ''})" if report.editions else "")
            + f", {report.pages} pages, {report.passages} passages, {report.words:,} words"
            f" | new {len(report.new)}, changed {len(report.changed)}, unchanged {report.unchanged},"
            f" removed {len(report.removed)}, failed {len(report.failed)} | {report.seconds:.1f} s"
        )
        workers = report.executor.get("workers")
        if workers and not quiet:
            click.echo(f"Dask cluster {report.executor['scheduler']}: "
                       + ", ".join(f"{n} file{'s' if n != 1 else ''} on {addr}" for addr, n in workers.items()))
        if report.failed:
            click.echo(f"{len(report.failed)} file(s) could not be ingested (see the lines above).", err=True)
        elif not quiet:
            click.echo(f"Knowledge base: {project.store_path}")
            if report.documents == 0 and not report.editions:
                click.echo(f"The corpus is empty: put PDF, HTML, text or Markdown files in {project.corpus_dir}/"
                           " and run `kb ingest` again.", err=True)
    ctx.exit(0 if report.ok else 1)
