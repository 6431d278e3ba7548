"""`pantau audit verify|checkpoint`: check the tamper-evident audit log."""

from __future__ import annotations

import typer

from pantau.cli._node import open_node


def register(app: typer.Typer) -> None:
    audit = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(audit, name="audit")

    @audit.command("verify")
    def verify(ctx: typer.Context) -> None:
        """Check the hash chain and every signed checkpoint; exit 1 on any sign of tampering."""
        node = open_node(ctx)
        with node.engine.connect() as conn:
            report = node.audit.verify(conn)
        for p in report.problems:
            typer.echo(f"TAMPERED: {p}")
        typer.echo(f"{report.rows} rows, {report.checkpoints} checkpoints: {'ok' if report.ok else 'FAILED'}")
        if not report.ok:
            raise typer.Exit(1)

    @audit.command("checkpoint")
    def checkpoint(ctx: typer.Context) -> None:
        """Sign a Merkle checkpoint of the log as it stands now."""
        node = open_node(ctx)
        with node.engine.begin() as conn:
            cp = node.audit.checkpoint(conn)
        typer.echo(f"checkpoint at {cp['size']} rows, root {cp['root']}" if cp else "nothing new to checkpoint")
