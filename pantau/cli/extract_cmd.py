"""`pantau extract PATH`: print the pantau.extract/1 JSON for one document, without touching the store."""

from __future__ import annotations

import json
import sys

import typer


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        path: str = typer.Argument(..., help="file to read, or - for stdin"),
        fmt: str = typer.Option("json", "--format", "-f", help="json"),
        published: str = typer.Option(None, "--published", help="publication date (ISO) if known"),
        language: str = typer.Option(None, "--language", "-l", help="id or en (detected if omitted)"),
    ) -> None:
        """Extract actors, dates and events from one document and print them as JSON."""
        from pantau.exc import InputError
        from pantau.services.extracting import extract_path

        try:
            result = extract_path(path, published=published, language=language)
        except InputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        if fmt != "json":
            typer.echo(f"error: --format {fmt!r} not supported by extract (json only)", err=True)
            raise typer.Exit(2)
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")

