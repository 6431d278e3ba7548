"""`pantau orgs|groups|users|tokens …`: organisations, groups, users and API tokens of a sharing node."""

from __future__ import annotations

from typing import Any

import typer

from pantau.cli._node import fail, open_node


def register(app: typer.Typer) -> None:
    orgs = typer.Typer(help="Organisations of this node.", no_args_is_help=True)
    grps = typer.Typer(help="Groups of organisations (AMBER can be released to a group).", no_args_is_help=True)
    usrs = typer.Typer(help="Users and their roles (viewer, analyst, admin).", no_args_is_help=True)
    toks = typer.Typer(help="API tokens (shown once, stored hashed).", no_args_is_help=True)
    app.add_typer(orgs, name="orgs")
    app.add_typer(grps, name="groups")
    app.add_typer(usrs, name="users")
    app.add_typer(toks, name="tokens")

    from pantau.exc import PantauError
    from pantau.services import identity

    @orgs.command("add")
    def orgs_add(ctx: typer.Context, slug: str, name: str = typer.Option(None, "--name"),
                 guest: bool = typer.Option(False, "--guest", help="not a member: sees CLEAR and what is released to it")) -> None:
        """Add an organisation."""
        try:
            oid = identity.add_org(open_node(ctx), slug, name, member=not guest)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"organisation {slug} added (id {oid})")

    @orgs.command("list")
    def orgs_list(ctx: typer.Context) -> None:
        """List organisations."""
        for o in identity.list_orgs(open_node(ctx)):
            typer.echo(f"{o['id']}\t{o['slug']}\t{'member' if o['member'] else 'guest'}\t{o['name']}")

    @grps.command("add")
    def groups_add(ctx: typer.Context, slug: str, orgs_: list[str] = typer.Argument(..., metavar="ORG...")) -> None:
        """Add a group of organisations."""
        try:
            gid = identity.add_group(open_node(ctx), slug, orgs_)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"group {slug} added (id {gid})")

    @usrs.command("add")
    def users_add(ctx: typer.Context, username: str, org: str = typer.Option(..., "--org"),
                  role: str = typer.Option("analyst", "--role", help="viewer, analyst or admin")) -> None:
        """Add a user to an organisation."""
        try:
            uid = identity.add_user(open_node(ctx), username, org, role=role)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"user {username} added (id {uid})")

    @usrs.command("list")
    def users_list(ctx: typer.Context) -> None:
        """List users."""
        for u in identity.list_users(open_node(ctx)):
            typer.echo(f"{u['id']}\t{u['username']}\t{u['org']}\t{u['role']}\t{'active' if u['active'] else 'inactive'}")

    def attempt(ctx: typer.Context, fn: Any, *args: Any, **kw: Any) -> Any:
        """Run an identity service; its errors and store errors are one line, never a traceback."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return fn(open_node(ctx), *args, **kw)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        except SQLAlchemyError as exc:
            raise fail(f"store error: {str(exc).splitlines()[0]}") from exc

    @usrs.command("disable")
    def users_disable(ctx: typer.Context, username: str) -> None:
        """Disable a user: its tokens and open streams stop working at once."""
        attempt(ctx, identity.set_user_active, username, False)
        typer.echo(f"user {username} disabled")

    @usrs.command("enable")
    def users_enable(ctx: typer.Context, username: str) -> None:
        """Enable a disabled user again."""
        attempt(ctx, identity.set_user_active, username, True)
        typer.echo(f"user {username} enabled")

    @usrs.command("role")
    def users_role(ctx: typer.Context, username: str, role: str = typer.Argument(..., help="viewer, analyst or admin")) -> None:
        """Change a user's role."""
        attempt(ctx, identity.set_user_role, username, role)
        typer.echo(f"user {username} is now {role}")

    @orgs.command("set-member")
    def orgs_set_member(ctx: typer.Context, slug: str) -> None:
        """Make an organisation a member of the sharing community (it sees GREEN)."""
        attempt(ctx, identity.set_org_member, slug, True)
        typer.echo(f"organisation {slug} is a member")

    @orgs.command("set-guest")
    def orgs_set_guest(ctx: typer.Context, slug: str) -> None:
        """Make an organisation a guest (CLEAR and what is released to it by name)."""
        attempt(ctx, identity.set_org_member, slug, False)
        typer.echo(f"organisation {slug} is a guest")

    @grps.command("list")
    def groups_list(ctx: typer.Context) -> None:
        """List groups and their member organisations."""
        for g in attempt(ctx, identity.list_groups):
            typer.echo(f"{g['id']}\t{g['slug']}\t{','.join(g['orgs'])}\t{g['name']}")

    @grps.command("add-member")
    def groups_add_member(ctx: typer.Context, slug: str, org: str) -> None:
        """Add an organisation to a group."""
        attempt(ctx, identity.group_add_member, slug, org)
        typer.echo(f"{org} added to group {slug}")

    @grps.command("remove-member")
    def groups_remove_member(ctx: typer.Context, slug: str, org: str) -> None:
        """Remove an organisation from a group."""
        attempt(ctx, identity.group_remove_member, slug, org)
        typer.echo(f"{org} removed from group {slug}")

    @grps.command("remove")
    def groups_remove(ctx: typer.Context, slug: str) -> None:
        """Remove a group (what was released to it is no longer released to its members)."""
        attempt(ctx, identity.remove_group, slug)
        typer.echo(f"group {slug} removed")

    @toks.command("create")
    def tokens_create(ctx: typer.Context, username: str, name: str = typer.Option("", "--name"),
                      days: float = typer.Option(90, "--days", help="expiry in days (more than 0)"),
                      no_expiry: bool = typer.Option(False, "--no-expiry", help="a token that never expires")) -> None:
        """Create an API token; the secret is printed once."""
        tid, secret = attempt(ctx, identity.create_token, username, name=name, days=None if no_expiry else days)
        typer.echo(f"token {tid} for {username} (keep it, it is not shown again):", err=True)
        typer.echo(secret)

    @toks.command("list")
    def tokens_list(ctx: typer.Context, username: str = typer.Option(None, "--user")) -> None:
        """List tokens (never their secrets)."""
        for t in identity.list_tokens(open_node(ctx), username):
            state = "revoked" if t["revoked_at"] else f"expires {t['expires_at'] or 'never'}"
            typer.echo(f"{t['id']}\t{t['username']}\t{t['prefix']}…\t{t['name']}\t{state}")

    @toks.command("revoke")
    def tokens_revoke(ctx: typer.Context, token_id: int) -> None:
        """Revoke a token."""
        try:
            identity.revoke_token(open_node(ctx), token_id)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"token {token_id} revoked")
