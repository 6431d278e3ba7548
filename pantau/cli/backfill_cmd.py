"""`pantau backfill [--dask ADDRESS] PATH...`: a large ingest whose extraction runs on a Dask cluster."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("backfill")
    def backfill_cmd(
        ctx: typer.Context,
        paths: list[str] = typer.Argument(..., help="files, folders, http(s) URLs, feeds, .jsonl (as `pantau ingest`)"),
        dask: str = typer.Option(None, "--dask", metavar="ADDRESS",
                                 help="Dask scheduler, e.g. tcp://scheduler:8786 (default: a LocalCluster here)"),
        workers: int = typer.Option(2, "--workers", "-w", min=1, help="LocalCluster worker processes (no --dask)"),
        glob: str = typer.Option(None, "--glob", "-g", help="file-name pattern for folders"),
        publisher: str = typer.Option(None, "--publisher", help="publisher for inputs that do not name one"),
        language: str = typer.Option(None, "--language", "-l", help="id or en (detected if omitted)"),
    ) -> None:
        """Ingest a backlog with extraction on a Dask distributed cluster (its workers need pantau
        installed); this process writes to the store, one transaction per document, in input order.
        Exit status 1 when any input failed, 2 when the cluster cannot be reached."""
        from rich.console import Console

        from pantau.cli.common import open_store
        from pantau.services.ingest import IngestResult
        from pantau.services.parallel import DocRate, dask_executor

        if language and language not in ("id", "en"):
            typer.echo("error: --language must be id or en", err=True)
            raise typer.Exit(2)
        err = Console(stderr=True, highlight=False)
        rate = DocRate()

        def on_result(res: IngestResult) -> None:
            line = rate.tick()
            if res.status == "failed":
                err.print(f"error: {res.source}: {res.reason}", markup=False, soft_wrap=True)
            elif err.is_terminal and rate.done % 100 == 0:
                err.print(line, markup=False)

        with open_store(ctx) as store:
            try:
                cluster = dask_executor(dask, workers=workers)
                executor = cluster.__enter__()
            except (OSError, TimeoutError, RuntimeError) as exc:
                typer.echo(f"error: cannot reach the Dask scheduler {dask!r}: {exc}".splitlines()[0], err=True)
                raise typer.Exit(2) from exc
            rate.__init__()  # documents/s from when the cluster is up
            try:
                report = store.ingest(paths, glob=glob, publisher=publisher, language=language,
                                      on_result=on_result, executor=executor)
            finally:
                cluster.__exit__(None, None, None)
        typer.echo(f"backfilled {report.summary()} ({rate.rate():.1f} documents/s)")
        for res in report.failed:
            typer.echo(f"  failed: {res.source}: {res.reason}")
        if not report.ok:
            raise typer.Exit(1)
