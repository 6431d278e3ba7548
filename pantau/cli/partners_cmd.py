"""`pantau partners add|list|pull`: partner nodes and pulling what they released to us over TAXII 2.1."""

from __future__ import annotations

import typer

from pantau.cli._node import fail, open_node


def register(app: typer.Typer) -> None:
    partners = typer.Typer(help="Partner nodes (TAXII 2.1) and pulling from them.", no_args_is_help=True)
    app.add_typer(partners, name="partners")

    from pantau.exc import PantauError

    @partners.command("add")
    def add(ctx: typer.Context, name: str, url: str = typer.Argument(..., help="the partner's TAXII URL"),
            token: str = typer.Option(..., "--token", help="the token the partner issued to us"),
            for_org: str = typer.Option(None, "--for", help="local organisation that receives it (default: this node's)"),
            ) -> None:
        """Register a partner node."""
        from pantau.services.federation import add_partner

        try:
            pid = add_partner(open_node(ctx), name, url, token, for_org=for_org)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"partner {name} added (id {pid})")

    @partners.command("list")
    def list_(ctx: typer.Context) -> None:
        """List partners."""
        from pantau.services.federation import list_partners

        for p in list_partners(open_node(ctx)):
            typer.echo(f"{p['id']}\t{p['name']}\t{p['url']}\t{p['objects']} objects\tlast {p['last_pulled'] or '-'}")

    @partners.command("pull")
    def pull_cmd(ctx: typer.Context, names: list[str] = typer.Argument(None, help="partners (default: all)")) -> None:
        """Pull what partners released to us since the last pull."""
        import httpx

        from pantau.services.federation import list_partners, pull

        node = open_node(ctx)
        failed = False
        for name in names or [p["name"] for p in list_partners(node)]:
            try:
                r = pull(node, name)
            except (PantauError, httpx.HTTPError) as exc:
                typer.echo(f"{name}: failed ({exc})", err=True)
                failed = True
                continue
            marks = ", ".join(f"{k} {v}" for k, v in sorted(r.by_marking.items())) or "nothing new"
            typer.echo(f"{name}: {r.received} received from {r.collections} collections, {r.stored} new ({marks})")
        if failed:
            raise typer.Exit(1)
