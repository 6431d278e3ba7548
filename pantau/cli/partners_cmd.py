"""`pantau partners add|list|remove|check|pull`: partner nodes and pulling what they released to us over TAXII 2.1."""

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

    @partners.command("remove")
    def remove(ctx: typer.Context, name: str) -> None:
        """Remove a partner with everything pulled from it (and the documents made from it)."""
        from pantau.services.federation import remove_partner

        try:
            n = remove_partner(open_node(ctx), name)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"partner {name} removed ({n} document(s) made from its reports deleted)")

    @partners.command("check")
    def check_cmd(ctx: typer.Context, name: str) -> None:
        """Reach a partner (discovery, API root, collections) without pulling anything."""
        from pantau.services.federation import check_partner

        try:
            r = check_partner(open_node(ctx), name)
        except PantauError as exc:
            raise fail(f"{name}: {exc}") from exc
        typer.echo(f"{name}: ok, API root {r.api_root}, {r.readable} readable collection(s) of "
                   f"{len(r.collections)}")

    @partners.command("pull")
    def pull_cmd(ctx: typer.Context, names: list[str] = typer.Argument(None, help="partners (default: all)"),
                 verbose: bool = typer.Option(False, "--verbose", "-v", help="list every skipped object")) -> None:
        """Pull what partners released to us since the last pull (one failing partner stops no other)."""
        from pantau.services.federation import pull_all

        failed = False
        for name, r, err in pull_all(open_node(ctx), names or None):
            if r is None:
                typer.echo(f"{name}: failed: {err}", err=True)
                failed = True
                continue
            marks = ", ".join(f"{k} {v}" for k, v in sorted(r.by_marking.items())) or "nothing new"
            line = f"{name}: {r.received} received from {r.collections} collections, {r.stored} new ({marks})"
            if r.replaced or r.withdrawn:
                line += f"; {r.replaced} changed, {r.withdrawn} withdrawn"
            if r.skipped:
                line += f"; {len(r.skipped)} skipped"
            typer.echo(line)
            for msg in r.skipped if verbose else r.skipped[:5]:
                typer.echo(f"{name}: skipped {msg}", err=True)
            if not verbose and len(r.skipped) > 5:
                typer.echo(f"{name}: … {len(r.skipped) - 5} more skipped (--verbose lists them)", err=True)
            for msg in r.warnings:
                typer.echo(f"{name}: warning: {msg}", err=True)
        if failed:
            raise typer.Exit(1)
