"""`pantau timeline ACTOR [ACTOR2]`, `pantau graph`, `pantau search TEXT`, `pantau export`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from pantau.cli.common import check_format, open_store
from pantau.cli.kb_cmd import FUSED_COLUMNS, fused_row
from pantau.cli.render import emit
from pantau.services.access import Viewer


def _fail(exc: Exception, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code)


def _write(text: str, output: str | None) -> None:
    if output and output != "-":
        Path(output).write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def register(app: typer.Typer) -> None:
    @app.command("timeline")
    def timeline_cmd(
        ctx: typer.Context,
        actor: str = typer.Argument(..., help="actor code (PRK, NATO) or name"),
        actor2: str = typer.Argument(None, help="a second actor: events involving both"),
        type: str = typer.Option(None, "--type"),
        context: str = typer.Option(None, "--context"),
        since: str = typer.Option(None, "--since"),
        until: str = typer.Option(None, "--until"),
        grade: str = typer.Option(None, "--grade"),
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv"),
    ) -> None:
        """Fused events of an actor (or a pair), oldest first."""
        from pantau.services.timeline import timeline

        check_format(fmt)
        with open_store(ctx) as store:
            try:
                rows = timeline(store, actor, actor2, viewer=Viewer.system(), type=type, context=context, since=since, until=until,
                                grade=grade)
            except ValueError as exc:
                raise _fail(exc) from exc
        if fmt == "json":
            from pantau.services.query import to_json

            sys.stdout.write(to_json([f.to_dict() for f in rows]) + "\n")
            return
        emit([{**fused_row(f), "summary": f.evidence[0].text if f.evidence else ""} for f in rows],
             [*FUSED_COLUMNS[:-1], ("summary", "first report")], fmt,
             title=f"Timeline: {actor}" + (f" & {actor2}" if actor2 else ""), widths={"summary": 60},
             empty="no events")

    @app.command("graph")
    def graph_cmd(
        ctx: typer.Context,
        fmt: str = typer.Option("json", "--format", "-f", help="graphml or json"),
        output: str = typer.Option(None, "--output", "-o", help="file to write (default: stdout)"),
        type: str = typer.Option(None, "--type"),
        context: str = typer.Option(None, "--context"),
        since: str = typer.Option(None, "--since"),
        until: str = typer.Option(None, "--until"),
        grade: str = typer.Option(None, "--grade"),
    ) -> None:
        """The actor graph (who acts on whom, weighted by fused events and their types)."""
        from pantau.services.graph import actor_graph, to_graphml, to_json

        if fmt not in ("graphml", "json"):
            raise _fail(ValueError("--format must be graphml or json"))
        with open_store(ctx) as store:
            try:
                g = actor_graph(store, viewer=Viewer.system(), type=type, context=context, since=since, until=until, grade=grade)
            except ValueError as exc:
                raise _fail(exc) from exc
        _write(to_graphml(g) if fmt == "graphml" else json.dumps(to_json(g), ensure_ascii=False, indent=2), output)

    @app.command("search")
    def search_cmd(
        ctx: typer.Context,
        text: str = typer.Argument(..., help="words to find (all of them; prefixes match on SQLite)"),
        type: str = typer.Option(None, "--type", help="only documents with an event of this type"),
        actor: str = typer.Option(None, "--actor", help="… with an event of this actor"),
        context: str = typer.Option(None, "--context"),
        since: str = typer.Option(None, "--since", help="… with an event dated on or after"),
        until: str = typer.Option(None, "--until"),
        grade: str = typer.Option(None, "--grade", help="… whose fused event is graded B2, B (or better), 2 …"),
        status: str = typer.Option(None, "--status", help="… whose fused event has an incident in this status"),
        limit: int = typer.Option(50, "--limit", "-n"),
        fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv"),
    ) -> None:
        """Full-text search over the stored documents, with their events and fused events."""
        from pantau.services.search import search

        check_format(fmt)
        with open_store(ctx) as store:
            try:
                hits = search(store, text, viewer=Viewer.system(), type=type, limit=limit, actor=actor, context=context, since=since,
                              until=until, grade=grade, status=status)
            except ValueError as exc:
                raise _fail(exc) from exc
        if fmt != "json":
            for h in hits:
                h["events"] = ", ".join(f"{e['type']}→{e['fused_event_id'] or '-'}" for e in h["events"])
        emit(hits, [("id", "doc"), ("published_date", "published"), ("publisher", "publisher"), ("title", "title"),
                    ("events", "events → fused"), ("rank", "rank")], fmt, title=f"Search: {text}",
             widths={"title": 60, "events": 40}, empty="no documents match")

    @app.command("export")
    def export_cmd(
        ctx: typer.Context,
        fmt: str = typer.Option("json", "--format", "-f", help="json, csv, stix or misp"),
        output: str = typer.Option(None, "--output", "-o", help="file to write (default: stdout)"),
        actor: str = typer.Option(None, "--actor"),
        type: str = typer.Option(None, "--type"),
        context: str = typer.Option(None, "--context"),
        since: str = typer.Option(None, "--since"),
        until: str = typer.Option(None, "--until"),
        grade: str = typer.Option(None, "--grade"),
        status: str = typer.Option(None, "--status", help="fused events with an incident in this status"),
        limit: int = typer.Option(None, "--limit", "-n", min=1, help="at most this many fused events"),
    ) -> None:
        """Export fused events and incidents as JSON, CSV, a STIX 2.1 bundle or MISP events."""
        from pantau.services.export import export

        with open_store(ctx) as store:
            try:
                text = export(store, fmt, viewer=Viewer.system(), actor=actor, type=type, context=context,
                              since=since, until=until, grade=grade, status=status, limit=limit)
            except ValueError as exc:
                raise _fail(exc) from exc
        _write(text, output)
