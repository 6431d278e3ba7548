"""`pantau watch add/list/remove/run`: sources polled on a schedule, their new articles ingested."""

from __future__ import annotations

import typer

from pantau.cli.common import check_format, open_store


def register(app: typer.Typer) -> None:
    w = typer.Typer(help="Watch feeds and sitemaps: poll them and ingest every new article.", no_args_is_help=True)

    @w.command("add")
    def add(
        ctx: typer.Context,
        url: str = typer.Argument(..., help="an RSS/Atom feed or an XML sitemap"),
        every: str = typer.Option("10m", "--every", help="poll interval: 30s, 10m, 1h, 1d"),
        language: str = typer.Option(None, "--language", "-l", help="id or en (detected if omitted)"),
        publisher: str = typer.Option(None, "--publisher", help="publisher name for its articles"),
        tlp: str = typer.Option("AMBER", "--tlp", help="marking of what is ingested from it"),
    ) -> None:
        """Add a source to the watch list."""
        from pantau.exc import StoreError
        from pantau.services import watch

        with open_store(ctx) as store:
            try:
                s = watch.add(store, url, every=every, language=language, publisher=publisher, tlp=tlp)
            except StoreError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
        typer.echo(f"watching {s['url']} every {s['every_s']}s as source {s['id']} (TLP:{s['marking']})")

    @w.command("list")
    def list_(ctx: typer.Context, fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """Watched sources: last poll, new items in it, ingested/pending/failed items, errors."""
        from pantau.cli.render import emit
        from pantau.services import watch

        check_format(fmt)
        with open_store(ctx) as store:
            rows = watch.listing(store)
        cols = ["id", "url", "every_s", "tlp", "last_poll", "status", "new_last_poll", "ingested", "pending",
                "failed", "skipped", "errors", "last_error"]
        emit(rows, [(c, c) for c in cols], fmt, widths={"url": 40, "last_error": 40}, empty="no watched sources")

    @w.command("remove")
    def remove(ctx: typer.Context, source: str = typer.Argument(..., help="source id or URL")) -> None:
        """Stop watching a source (what it brought in stays in the store)."""
        from pantau.exc import StoreError
        from pantau.services import watch

        with open_store(ctx) as store:
            try:
                s = watch.remove(store, source)
            except StoreError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from exc
        typer.echo(f"removed {s['url']}")

    @w.command("run")
    def run(
        ctx: typer.Context,
        once: bool = typer.Option(False, "--once", help="poll the due sources once and exit"),
        polite: float = typer.Option(1.0, "--polite", help="seconds between two requests to one host"),
        alerts: bool = typer.Option(True, "--alerts/--no-alerts", help="also deliver alerts"),
    ) -> None:
        """Poll the sources as they fall due until interrupted (Ctrl-C)."""
        from pantau.services import watch
        from pantau.services.monitor_hooks import after_ingest, dispatch_alerts

        with open_store(ctx) as store:
            w = watch.Watcher(store, min_interval=polite, after_ingest=after_ingest)

            def show(r: watch.PollResult) -> None:
                if r.error and r.report_error:
                    typer.echo(f"error: {r.url}: {r.error}", err=True)
                elif r.new or r.ingested or r.failed:
                    typer.echo(f"{r.url}: {r.new} new, {r.ingested} ingested, {r.duplicates} duplicate(s), "
                               f"{r.failed} failed")
                if alerts:
                    dispatch_alerts(store)
            try:
                w.run(once=once, on_result=show)
            except KeyboardInterrupt:
                pass
            finally:
                w.close()

    app.add_typer(w, name="watch")
