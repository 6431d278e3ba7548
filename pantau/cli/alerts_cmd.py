"""`pantau alerts add/list/remove/log/run`: saved alert rules and their deliveries."""

from __future__ import annotations

import typer

from pantau.cli.common import check_format, open_store


def register(app: typer.Typer) -> None:
    a = typer.Typer(help="Alert rules: notify a user (webhook, e-mail, live stream) when a matching event arrives.",
                    no_args_is_help=True)

    @a.command("add")
    def add(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="a name for the rule"),
        user: str = typer.Option(..., "--user", help="the recipient (username or id): it is sent only what they may see"),
        actor: str = typer.Option(None, "--actor", help="an actor root or entity id: PRK, RUS, person:kim-jong-un"),
        event_type: str = typer.Option(None, "--type", help="PLOVER event type: AID, MOBILIZE, ..."),
        provision: str = typer.Option(None, "--provision", help="an incident provision: unscr-2397-9, or unscr-2397"),
        designated: str = typer.Option(None, "--designated", help="a listed party (FtM id or part of its name), or any"),
        min_grade: str = typer.Option(None, "--min-grade", help="at least this grade, e.g. B2"),
        text: str = typer.Option(None, "--text", help="words the evidence must contain"),
        webhook: str = typer.Option(None, "--webhook", help="POST the alert here (signed with HMAC-SHA256)"),
        secret: str = typer.Option(None, "--secret", help="the webhook's HMAC key (generated if omitted)"),
        email: str = typer.Option(None, "--email", help="send the alert to this address (PANTAU_SMTP_HOST/PORT/FROM)"),
        stream: bool = typer.Option(True, "--stream/--no-stream", help="also on the owner's live stream"),
    ) -> None:
        """Save an alert rule. Every condition given must hold."""
        from pantau.exc import InputError, NotFound
        from pantau.services import alerts

        with open_store(ctx) as store:
            try:
                r = alerts.add_rule(store, user=user, name=name, actor=actor, event_type=event_type,
                                    provision=provision, designated=designated, min_grade=min_grade, text=text,
                                    webhook=webhook, secret=secret, email=email, stream=stream)
            except (InputError, NotFound) as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
        typer.echo(f"alert rule {r['id']} for {r['username']}" +
                   (f"; webhook secret: {r['webhook_secret']}" if r["webhook_secret"] and not secret else ""))

    @a.command("list")
    def list_(ctx: typer.Context, fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """The saved rules."""
        from pantau.cli.render import emit
        from pantau.services import alerts

        check_format(fmt)
        with open_store(ctx) as store:
            rows = [{k: v for k, v in r.items() if k != "webhook_secret"} for r in alerts.list_rules(store)]
        cols = ["id", "name", "username", "actor", "event_type", "provision", "designated", "min_grade", "text",
                "webhook_url", "email", "stream"]
        emit(rows, [(c, c) for c in cols], fmt, empty="no alert rules")

    @a.command("remove")
    def remove(ctx: typer.Context, rule: int = typer.Argument(...)) -> None:
        """Delete a rule (and its delivery log)."""
        from pantau.exc import NotFound
        from pantau.services import alerts

        with open_store(ctx) as store:
            try:
                alerts.remove_rule(store, rule)
            except NotFound as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from exc
        typer.echo(f"removed alert rule {rule}")

    @a.command("log")
    def log(ctx: typer.Context, rule: int = typer.Option(None, "--rule"), limit: int = typer.Option(50, "--limit"),
            fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """The delivery log, newest first."""
        from pantau.cli.render import emit
        from pantau.services import alerts

        check_format(fmt)
        with open_store(ctx) as store:
            rows = alerts.deliveries(store, rule, limit)
        cols = ["id", "rule_id", "fused_event_id", "channel", "target", "status", "attempts", "last_error",
                "created_at", "sent_at"]
        emit(rows, [(c, c) for c in cols], fmt, empty="nothing delivered yet")

    @a.command("run")
    def run(ctx: typer.Context, once: bool = typer.Option(False, "--once"),
            every: float = typer.Option(1.0, "--every", help="seconds between rounds")) -> None:
        """Evaluate new events against the rules and deliver, until interrupted."""
        import threading

        from pantau.services.alerts import Dispatcher

        with open_store(ctx) as store:
            d = Dispatcher(store)
            if once:
                typer.echo(f"{d.run_once()} alert(s) delivered")
                return
            try:
                d.run(threading.Event(), every)
            except KeyboardInterrupt:
                pass

    app.add_typer(a, name="alerts")
