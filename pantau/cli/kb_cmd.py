"""`pantau fuse` (run fusion; `split`, `merge`) and `pantau fused` (list; `show ID` with why each report joined)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from pantau.cli.common import check_format, open_store
from pantau.cli.render import emit
from pantau.services.access import Viewer

FMT = typer.Option("table", "--format", "-f", help="table, json or csv")
LIMIT = typer.Option(100, "--limit", "-n", help="at most this many rows (0: all)")
FUSED_COLUMNS = [("id", "id"), ("date", "date"), ("type", "type"), ("actors", "source → target"),
                 ("grade", "grade"), ("reports", "rep."), ("independent", "ind."), ("incidents", "incidents")]


def fused_row(f: Any, incidents: dict[str, list[str]] | None = None) -> dict[str, Any]:
    date = ""
    if f.date:
        date = f.date.start if f.date.start == f.date.end else f"{f.date.start}..{f.date.end}"
    return {"id": f.id, "date": date, "type": f.type + (f"/{f.mode}" if f.mode else ""),
            "actors": f"{'+'.join(f.source_roots) or '?'} → {'+'.join(f.target_roots) or '?'}",
            "grade": f.grade, "reports": len(f.evidence), "independent": sum(e.independent for e in f.evidence),
            "incidents": ", ".join((incidents or {}).get(f.id, []))}


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    fuse_app = typer.Typer(help="Fuse reports of the same happening into one event (incremental).",
                           invoke_without_command=True, no_args_is_help=False)
    app.add_typer(fuse_app, name="fuse")

    @fuse_app.callback()
    def fuse_cmd(ctx: typer.Context,
                 rebuild: bool = typer.Option(False, "--rebuild", help="forget fused events and fuse everything "
                                              "again (analyst splits/merges and incident reviews are kept)")) -> None:
        """Fuse every document not fused yet; grade the fused events and raise incidents."""
        if ctx.invoked_subcommand:
            return
        from pantau.services import kb

        with open_store(ctx) as store:
            report = kb.refuse(store) if rebuild else kb.fuse(store)
        typer.echo(report.summary())

    @fuse_app.command("split")
    def split_cmd(ctx: typer.Context, event: int = typer.Argument(..., help="id of a per-document event"),
                  note: str = typer.Option(None, "--note"), user: str = typer.Option(None, "--user")) -> None:
        """Take one report's event out of its fused event (kept apart on every later run)."""
        from pantau.exc import NotFound, StoreError
        from pantau.services import kb

        with open_store(ctx) as store:
            try:
                new = kb.split(store, event, note=note, user=user)
            except (NotFound, StoreError) as exc:
                raise _fail(exc) from exc
        typer.echo(f"event {event} is now fused event {new}")

    @fuse_app.command("merge")
    def merge_cmd(ctx: typer.Context, into: int = typer.Argument(..., help="fused event to keep"),
                  other: int = typer.Argument(..., help="fused event merged into it"),
                  note: str = typer.Option(None, "--note"), user: str = typer.Option(None, "--user")) -> None:
        """Merge two fused events (kept together on every later run)."""
        from pantau.exc import NotFound
        from pantau.services import kb

        with open_store(ctx) as store:
            try:
                kb.merge(store, into, other, note=note, user=user)
            except NotFound as exc:
                raise _fail(exc) from exc
        typer.echo(f"fused event {other} merged into {into}")

    fused_app = typer.Typer(help="Fused events: one per real happening, with its evidence and grade.",
                            invoke_without_command=True)
    app.add_typer(fused_app, name="fused")

    @fused_app.callback()
    def fused_list(
        ctx: typer.Context,
        actor: str = typer.Option(None, "--actor", help="actor code (PRK, NATO) or name"),
        type: str = typer.Option(None, "--type", help="PLOVER type(s), comma-separated"),
        context: str = typer.Option(None, "--context", help="e.g. military, cbrn, economic"),
        since: str = typer.Option(None, "--since", help="YYYY[-MM[-DD]]"),
        until: str = typer.Option(None, "--until", help="YYYY[-MM[-DD]]"),
        grade: str = typer.Option(None, "--grade", help="B2 exactly, B (or better), 2 (or better)"),
        status: str = typer.Option(None, "--status", help="with an incident in this review status"),
        limit: int = LIMIT,
        fmt: str = FMT,
    ) -> None:
        """List fused events."""
        if ctx.invoked_subcommand:
            return
        from pantau.services.kbquery import list_fused, list_incidents

        check_format(fmt)
        filters = {"actor": actor, "type": type, "context": context, "since": since, "until": until,
                   "grade": grade, "status": status}
        with open_store(ctx) as store:
            try:
                fused = list_fused(store, viewer=Viewer.system(), limit=limit or None, **filters)
                incs: dict[str, list[str]] = {}
                for i in list_incidents(store, viewer=Viewer.system(), limit=None, **filters):
                    incs.setdefault(i.fused_event_id, []).append(f"{i.resolution}/{i.paragraph}")
            except ValueError as exc:
                raise _fail(exc, 2) from exc
        if fmt == "json":
            from pantau.services.query import to_json

            sys.stdout.write(to_json([f.to_dict() for f in fused]) + "\n")
            return
        emit([fused_row(f, incs) for f in fused], FUSED_COLUMNS, fmt, title="Fused events",
             widths={"actors": 24}, empty="no fused events (run `pantau fuse` after ingesting)")

    @fused_app.command("show")
    def fused_show(ctx: typer.Context, fused_id: int = typer.Argument(..., help="fused event id"),
                   fmt: str = typer.Option("table", "--format", "-f", help="table or json")) -> None:
        """One fused event: its reports and why each was joined, numbers side by side, grade, incidents."""
        from pantau.exc import NotFound
        from pantau.services.kbquery import get_fused, list_incidents

        with open_store(ctx) as store:
            try:
                f = get_fused(store, fused_id, viewer=Viewer.system())
            except NotFound as exc:
                raise _fail(exc) from exc
            incs = [i for i in list_incidents(store, viewer=Viewer.system(), limit=None, ids=[fused_id])]
        if fmt == "json":
            from pantau.services.query import to_json

            sys.stdout.write(to_json({**f.to_dict(), "incidents": [i.to_dict() for i in incs]}) + "\n")
            return
        show_fused(f, incs)


def show_fused(f: Any, incs: list[Any]) -> None:
    from rich.console import Console

    from pantau.cli.render import table

    console = Console()
    row = fused_row(f)
    console.print(f"[bold]fused event {f.id}[/bold]: {row['type']} {row['actors']} {row['date']}")
    console.print(f"  [dim]grade:[/dim] {f.grade} (reliability {f.reliability}, credibility {f.credibility}; "
                  f"STIX confidence {f.confidence if f.confidence is not None else '—'})")
    if f.location:
        console.print(f"  [dim]place:[/dim] {f.location}")
    if f.contexts:
        console.print(f"  [dim]contexts:[/dim] {', '.join(f.contexts)}")
    if f.quantities:
        console.print("  [dim]numbers reported:[/dim] " + "; ".join(
            f"{q.value:,} {q.unit} ({q.publisher or 'document ' + q.doc_id})" for q in f.quantities))
    rows = [{"doc": e.doc_id, "event": e.event_id, "publisher": e.publisher or "",
             "independent": "yes" if e.independent else f"copy of {e.near_duplicate_of}",
             "why": ("[analyst] " if e.manual else "") + "; ".join(e.reasons), "evidence": e.text}
            for e in f.evidence]
    console.print(table(rows, [("doc", "doc"), ("event", "event"), ("publisher", "publisher"),
                               ("independent", "independent"), ("why", "why joined"), ("evidence", "evidence")],
                        "Reports", widths={"why": 60, "evidence": 60}))
    for i in incs:
        console.print(f"  [bold red]incident {i.id}[/bold red]: {i.title} — {i.status} ({'; '.join(i.reasons)})")


def print_fusion(console: Any, rows: list[dict[str, Any]]) -> None:
    """The fused event each of a document's events joined, and why (used by `pantau show`)."""
    from pantau.cli.render import table

    if not rows:
        return
    view = [{"event": r["event_id"], "fused": r["fused_event_id"], "grade": r["grade"],
             "others": r["other_reports"], "why": ("[analyst] " if r["manual"] else "") + "; ".join(r["reasons"])}
            for r in rows]
    console.print(table(view, [("event", "event"), ("fused", "fused event"), ("grade", "grade"),
                               ("others", "other reports"), ("why", "why joined")], "Fusion",
                        widths={"why": 600}))
