"""`pantau incidents`: possible sanctions violations (list; `show ID`; `review ID --status … --note …`)."""

from __future__ import annotations

import sys

import typer

from pantau.cli.common import check_format, open_store
from pantau.cli.render import emit
from pantau.services.access import Viewer

COLUMNS = [("id", "id"), ("date", "date"), ("title", "incident"), ("event", "fused event"), ("grade", "grade"),
           ("status", "status")]


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    inc_app = typer.Typer(help="Possible violations of UN sanctions on the DPRK, for review.",
                          invoke_without_command=True)
    app.add_typer(inc_app, name="incidents")

    @inc_app.callback()
    def list_cmd(
        ctx: typer.Context,
        status: str = typer.Option(None, "--status", help="new, under_review, confirmed or dismissed"),
        resolution: int = typer.Option(None, "--resolution", help="UNSCR number, e.g. 1874"),
        actor: str = typer.Option(None, "--actor"),
        since: str = typer.Option(None, "--since"),
        until: str = typer.Option(None, "--until"),
        grade: str = typer.Option(None, "--grade"),
        limit: int = typer.Option(100, "--limit", "-n"),
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv"),
    ) -> None:
        """List incidents."""
        if ctx.invoked_subcommand:
            return
        from pantau.services.kbquery import get_fused, list_incidents

        check_format(fmt)
        with open_store(ctx) as store:
            try:
                incs = list_incidents(store, viewer=Viewer.system(), status=status, resolution=resolution, actor=actor, since=since,
                                      until=until, grade=grade, limit=limit or None)
            except ValueError as exc:
                raise _fail(exc, 2) from exc
            fused = {i.fused_event_id: get_fused(store, i.fused_event_id, viewer=Viewer.system()) for i in incs}
        if fmt == "json":
            from pantau.services.query import to_json

            sys.stdout.write(to_json([i.to_dict() for i in incs]) + "\n")
            return
        rows = []
        for i in incs:
            f = fused[i.fused_event_id]
            rows.append({"id": i.id, "date": f.date.start if f.date else "", "title": i.title,
                         "event": f"{f.id}: {f.summary}", "grade": f.grade, "status": i.status})
        emit(rows, COLUMNS, fmt, title="Incidents", widths={"event": 50}, empty="no incidents")

    @inc_app.command("show")
    def show_cmd(ctx: typer.Context, incident: int = typer.Argument(...)) -> None:
        """One incident with its provision, reasons, history and the fused event behind it."""
        from pantau.cli.kb_cmd import show_fused
        from pantau.exc import NotFound
        from pantau.services.kbquery import get_fused, get_incident

        with open_store(ctx) as store:
            try:
                i = get_incident(store, incident, viewer=Viewer.system())
                f = get_fused(store, i.fused_event_id, viewer=Viewer.system())
            except NotFound as exc:
                raise _fail(exc) from exc
            from pantau.services.designations import listings_for

            listed = listings_for(store, int(i.id))
        typer.echo(f"incident {i.id}: {i.title} [{i.status}]")
        typer.echo(f"  prohibits: {i.prohibits}")
        typer.echo(f"  why: {'; '.join(i.reasons)}")
        for d in listed:
            typer.echo(f"  listed: {d['caption']} ({d['schema']}) on the {d['list'].upper()} list"
                       + (f", {', '.join(d['programs'])}" if d["programs"] else "")
                       + (f", since {d['listing_date']}" if d["listing_date"] else "")
                       + f"; named as {d['mention']!r} (match {d['score']:.2f})")
        for h in i.history:
            typer.echo(f"  {h.at[:19]} {h.status}" + (f" — {h.note}" if h.note else "") + (f" ({h.user})" if h.user else ""))
        show_fused(f, [])

    @inc_app.command("review")
    def review_cmd(ctx: typer.Context, incident: int = typer.Argument(...),
                   status: str = typer.Option(..., "--status", help="under_review, confirmed, dismissed or new"),
                   note: str = typer.Option(None, "--note"), user: str = typer.Option(None, "--user")) -> None:
        """Set an incident's review status, with a note (kept in its history)."""
        from pantau.exc import NotFound
        from pantau.services.kbquery import review

        with open_store(ctx) as store:
            try:
                i = review(store, incident, status=status, note=note, user=user, viewer=Viewer.system())
            except ValueError as exc:
                raise _fail(exc, 2) from exc
            except NotFound as exc:
                raise _fail(exc) from exc
        typer.echo(f"incident {i.id}: {i.status}")
