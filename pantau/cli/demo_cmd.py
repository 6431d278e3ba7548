"""`pantau demo-summary`: what is in the store, as rich tables, and what to run next."""

from __future__ import annotations

import os
import shlex
import shutil
import sys

import typer


def _program() -> str:
    """How the user can call pantau again: `pantau` if it is on PATH, else the path used now
    (`.venv/bin/pantau` right after `make demo`)."""
    argv0 = sys.argv[0]
    if os.path.basename(argv0) != "pantau":
        return "pantau"
    on_path = shutil.which("pantau")
    if on_path and os.path.realpath(on_path) == os.path.realpath(argv0):
        return "pantau"
    rel = os.path.relpath(argv0)
    return rel if not rel.startswith("..") else argv0


def register(app: typer.Typer) -> None:
    @app.command("demo-summary")
    def demo_summary_cmd(ctx: typer.Context) -> None:
        """Print the documents, actors and events in the store and suggest next commands."""
        from rich.console import Console
        from rich.panel import Panel

        from pantau.cli.common import open_store, settings_from
        from pantau.cli.read_cmd import DOC_COLUMNS, ENTITY_COLUMNS
        from pantau.cli.render import table
        from pantau.services.demo import summarise
        from pantau.services.query import actors_line, event_date

        console = Console()
        with open_store(ctx) as store:
            s = summarise(store)
        c = s.counts
        console.print(f"[bold]pantau store[/bold]: {c['documents']} documents, {c['entities']} entities, "
                      f"{c['mentions']} mentions, {c['events']} events")
        console.print(table(s.documents, DOC_COLUMNS, "Documents", widths={"title": 60, "publisher": 24}))
        if s.actors:
            console.print(table(s.actors, ENTITY_COLUMNS, "Actors (most mentioned)", widths={"name": 40}))
        else:
            console.print("[dim]no actors found yet[/dim]")
        for e in s.events:
            e["date"], e["actors"] = event_date(e), actors_line(e)
        if s.events:
            console.print(table(s.events, [("document_id", "doc"), ("date", "date"), ("type", "type"),
                                           ("actors", "source → target"), ("evidence", "evidence")], "Events",
                                widths={"actors": 50, "evidence": 90}))
        else:
            console.print("[dim]no events found yet[/dim]")
        db = settings_from(ctx).db_url
        pre = f"{_program()} --db {shlex.quote(db)}"
        actor = s.example_actor or "PRK"
        lines = [f"{pre} events --actor {actor}"]
        if s.example_type:
            lines.append(f"{pre} events --type {s.example_type} --format csv")
        lines += [f"{pre} show 1", f"{pre} entities --type person -f json",
                  f"{_program()} extract FILE --format json   # one document, without the store",
                  "make test                           # the whole test suite"]
        body = "\n".join(lines)
        console.print(Panel(body, title="next: try", title_align="left", expand=False))
