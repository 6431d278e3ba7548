"""`pantau documents`, `pantau entities`, `pantau events`, `pantau show ID`: read the store."""

from __future__ import annotations

import sys

import typer

from pantau.cli.common import check_format, open_store
from pantau.cli.render import emit
from pantau.services.access import Viewer

DOC_COLUMNS = [("id", "id"), ("published_date", "published"), ("language", "lang"), ("publisher", "publisher"),
               ("title", "title"), ("events", "events")]
ENTITY_COLUMNS = [("id", "id"), ("type", "type"), ("name", "name"), ("documents", "docs"),
                  ("mentions", "mentions"), ("events", "events")]
EVENT_COLUMNS = [("id", "id"), ("date", "date"), ("type", "type"), ("mode", "mode"), ("source", "source"),
                 ("target", "target"), ("source_names", "source_names"), ("target_names", "target_names"),
                 ("location", "location"), ("factuality", "factuality"), ("confidence", "confidence"),
                 ("document_id", "document_id"), ("evidence", "evidence")]
EVENT_TABLE_COLUMNS = [("id", "id"), ("date", "date"), ("type", "type"), ("actors", "source → target"),
                       ("document_id", "doc"), ("evidence", "evidence")]

FMT = typer.Option("table", "--format", "-f", help="table, json or csv")
LIMIT = typer.Option(100, "--limit", "-n", help="at most this many rows (0: all)")


def _bad_date(exc: ValueError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def register(app: typer.Typer) -> None:
    @app.command("documents")
    def documents_cmd(
        ctx: typer.Context,
        text: str = typer.Option(None, "--text", help="words in the title or text"),
        since: str = typer.Option(None, "--since", help="published on or after (YYYY[-MM[-DD]])"),
        until: str = typer.Option(None, "--until", help="published on or before (YYYY[-MM[-DD]])"),
        publisher: str = typer.Option(None, "--publisher"),
        language: str = typer.Option(None, "--language", "-l", help="id or en"),
        limit: int = LIMIT,
        fmt: str = FMT,
    ) -> None:
        """List stored documents."""
        check_format(fmt)
        with open_store(ctx) as store:
            try:
                rows = store.documents(text=text, since=since, until=until, publisher=publisher,
                                       language=language, limit=limit or None)
            except ValueError as exc:
                raise _bad_date(exc) from exc
        emit(rows, DOC_COLUMNS, fmt, title="Documents", widths={"title": 80, "publisher": 30}, empty="no documents")

    @app.command("entities")
    def entities_cmd(
        ctx: typer.Context,
        type: str = typer.Option(None, "--type", help="country, organization, person, place or other"),
        text: str = typer.Option(None, "--text", help="an id, or part of a name or alias"),
        limit: int = LIMIT,
        fmt: str = FMT,
    ) -> None:
        """List actors and places found in the documents, most mentioned first."""
        check_format(fmt)
        with open_store(ctx) as store:
            rows = store.entities(type=type, text=text, limit=limit or None)
        emit(rows, ENTITY_COLUMNS, fmt, title="Entities", widths={"name": 60}, empty="no entities")

    @app.command("events")
    def events_cmd(
        ctx: typer.Context,
        actor: str = typer.Option(None, "--actor", help="entity id (PRK, person:...) or part of a name"),
        type: str = typer.Option(None, "--type", help="PLOVER event type, e.g. MOBILIZE"),
        since: str = typer.Option(None, "--since", help="events dated on or after (YYYY[-MM[-DD]])"),
        until: str = typer.Option(None, "--until", help="events dated on or before (YYYY[-MM[-DD]])"),
        text: str = typer.Option(None, "--text", help="words in the evidence"),
        limit: int = LIMIT,
        fmt: str = FMT,
    ) -> None:
        """List events read from the documents."""
        from pantau.services.query import actors_line, event_date

        check_format(fmt)
        with open_store(ctx) as store:
            try:
                rows = store.events(actor=actor, type=type, since=since, until=until, text=text,
                                    limit=limit or None)
            except ValueError as exc:
                raise _bad_date(exc) from exc
        if fmt != "json":
            for r in rows:
                r["date"], r["actors"] = event_date(r), actors_line(r)
        emit(rows, EVENT_TABLE_COLUMNS if fmt == "table" else EVENT_COLUMNS, fmt, title="Events",
             widths={"evidence": 100, "actors": 60}, empty="no events")

    @app.command("show")
    def show_cmd(
        ctx: typer.Context,
        ref: str = typer.Argument(..., help="document id, or the first 8+ characters of its content hash"),
        fmt: str = FMT,
    ) -> None:
        """Show one document: metadata, entities and events (json: with text and extraction)."""
        from pantau.exc import NotFound
        from pantau.services.query import to_csv, to_json

        check_format(fmt)
        with open_store(ctx) as store:
            try:
                doc = store.show(ref)
                from pantau.services.kbquery import fusion_of_document

                doc["fusion"] = fusion_of_document(store, doc["id"], viewer=Viewer.system())  # why each event joined its fused event
            except NotFound as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from exc
        if fmt == "json":
            sys.stdout.write(to_json(doc) + "\n")
            return
        meta = {k: v for k, v in doc.items() if k not in ("text", "extraction", "fusion")}
        if fmt == "csv":
            sys.stdout.write(to_csv([{"field": k, "value": v} for k, v in meta.items()], ["field", "value"]))
            return
        _show_table(doc)


def _show_table(doc: dict) -> None:
    from rich.console import Console
    from rich.text import Text

    from pantau.cli.render import table
    from pantau.services.query import cell

    console = Console(highlight=False)
    console.print(Text(doc["title"] or "(untitled)", style="bold"))
    for key in ("id", "published_date", "language", "publisher", "url", "source", "ingested_at", "marking",
                "content_hash"):
        if doc.get(key) is not None:
            console.print(Text.assemble(("  " + key + ": ", "dim"), cell(doc[key])))
    ex = doc["extraction"]
    ents = [{"id": e["id"], "type": e["type"], "name": e["name"], "affiliation": e.get("affiliation"),
             "mentions": ", ".join(sorted({m["text"] for m in e["mentions"]}))} for e in ex["entities"]]
    if ents:
        console.print(table(ents, [("id", "id"), ("type", "type"), ("name", "name"),
                                   ("affiliation", "for"), ("mentions", "as written")], "Entities"))
    evs = [{**e, "date": (e["date"] or {}).get("start"), "evidence": [x["text"] for x in e["evidence"]]}
           for e in ex["events"]]
    if evs:
        console.print(table(evs, [("id", "id"), ("type", "type"), ("source", "source"), ("target", "target"),
                                  ("date", "date"), ("factuality", "factuality"), ("evidence", "evidence")],
                            "Events", widths={"evidence": 70}))
    if not ents and not evs:
        console.print("[dim]no entities or events were found in this document[/dim]")
    from pantau.cli.kb_cmd import print_fusion

    print_fusion(console, doc.get("fusion") or [])
