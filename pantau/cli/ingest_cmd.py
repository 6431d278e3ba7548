"""`pantau ingest PATH...`: files, folders, `-` (stdin), URLs, feeds, JSONL into the store."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        ctx: typer.Context,
        paths: list[str] = typer.Argument(..., help="files, folders, - for stdin, http(s) URLs, feeds, .jsonl"),
        glob: str = typer.Option(None, "--glob", "-g",
                                 help="file-name pattern for folders, e.g. '*.txt' (default: known suffixes)"),
        publisher: str = typer.Option(None, "--publisher", help="publisher for inputs that do not name one"),
        language: str = typer.Option(None, "--language", "-l", help="id or en (detected if omitted)"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="one line per document"),
        org: str = typer.Option(None, "--org", help="owner organisation (slug; default: this node's)"),
        tlp: str = typer.Option(None, "--tlp", help="TLP marking: CLEAR, GREEN, AMBER, AMBER+STRICT, RED "
                                                   "(default AMBER)"),
        release_to: str = typer.Option(None, "--release-to", help="AMBER: organisations to release to, "
                                                                  "comma-separated slugs"),
    ) -> None:
        """Read reports, extract actors and events, and store them (one transaction per document).
        The same text twice is stored once. Exit status 1 when any input failed."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from pantau.cli.common import open_store
        from pantau.services import sources
        from pantau.services.ingest import IngestResult

        if language and language not in ("id", "en"):
            typer.echo("error: --language must be id or en", err=True)
            raise typer.Exit(2)
        err = Console(stderr=True, highlight=False)
        out = Console(highlight=False)
        planned = sources.plan(paths, glob)
        progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.description}"), console=err, transient=True,
                            disable=not err.is_terminal or len(planned) < 3)
        task = progress.add_task("", total=len(planned))

        def on_result(res: IngestResult) -> None:
            if res.status == "failed":
                progress.console.print(f"error: {res.source}: {res.reason}", markup=False, soft_wrap=True)
            elif verbose:
                progress.console.print(res.line(), markup=False, soft_wrap=True)

        from pantau.exc import InputError

        with open_store(ctx) as store, progress:
            try:
                report = store.ingest(paths, glob=glob, publisher=publisher, language=language,
                                      on_result=on_result,
                                      on_input=lambda name: progress.update(task, advance=1, description=name),
                                      org=org, tlp=tlp, release_to=release_to.split(",") if release_to else None)
            except InputError as exc:
                err.print(f"error: {exc}", markup=False)
                raise typer.Exit(2) from exc
        if not planned:
            err.print("error: nothing to ingest (no matching files)", markup=False)
            raise typer.Exit(1)
        out.print(f"ingested {report.summary()}", markup=False)
        for res in report.failed:
            out.print(f"  failed: {res.source}: {res.reason}", markup=False, soft_wrap=True)
        if not report.ok:
            raise typer.Exit(1)
