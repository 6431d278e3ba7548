"""`pantau lists`: sanctions lists as reference data (counts; load, sync, export, match);
`pantau bench match`: the matcher's speed."""

from __future__ import annotations

import sys

import typer

from pantau.cli.common import check_format, open_store


def register(app: typer.Typer) -> None:
    lists = typer.Typer(help="Sanctions lists (UN, OFAC, EU, UK) as FollowTheMoney entities.")

    @lists.callback(invoke_without_command=True)
    def counts(ctx: typer.Context, fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """Without a subcommand: how many parties each loaded list holds."""
        if ctx.invoked_subcommand is not None:
            return
        from pantau.cli.render import emit
        from pantau.services import sanctions_lists as sl

        check_format(fmt)
        with open_store(ctx) as store:
            rows = sl.counts(store)
        cols = ["list", "parties", "Person", "Organization", "Vessel", "Sanction", "loaded_at"]
        emit(rows, [(c, c) for c in cols], fmt, empty="no lists loaded (pantau lists load FILE --format un|ofac|eu|uk)")

    @lists.command("load")
    def load(
        ctx: typer.Context,
        path: str = typer.Argument(..., help="a list file as published"),
        fmt: str = typer.Option(..., "--format", help="un (XML) | ofac (SDN XML or CSV) | eu (XML) | uk (CSV)"),
    ) -> None:
        """Load (replace) one list from a file in its published format."""
        from pantau.exc import InputError
        from pantau.services import sanctions_lists as sl

        with open_store(ctx) as store:
            try:
                got = sl.load(store, path, fmt)
            except InputError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from exc
        parts = ", ".join(f"{n} {k}" for k, n in sorted(got.items()))
        typer.echo(f"loaded the {fmt} list from {path}: {parts}")

    @lists.command("sync")
    def sync(
        ctx: typer.Context,
        only: list[str] = typer.Option(None, "--list", help="un, ofac, eu, uk (default: all)"),
    ) -> None:
        """Download the lists from their official addresses and load them (needs internet)."""
        from pantau.exc import InputError
        from pantau.services import sanctions_lists as sl

        wanted = only or list(sl.FORMATS)
        bad = [x for x in wanted if x not in sl.FORMATS]
        if bad:
            typer.echo(f"error: --list {bad[0]!r}: expected one of {', '.join(sl.FORMATS)}", err=True)
            raise typer.Exit(2)
        with open_store(ctx) as store:
            try:
                got = sl.sync(store, wanted)
            except InputError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from exc
        for fmt, c in got.items():
            typer.echo(f"{fmt}: " + ", ".join(f"{n} {k}" for k, n in sorted(c.items())))

    @lists.command("export")
    def export(ctx: typer.Context, only: str = typer.Option(None, "--list", help="one list (default: all)")) -> None:
        """The lists as FollowTheMoney JSON lines on stdout."""
        from pantau.services import sanctions_lists as sl

        with open_store(ctx) as store:
            for line in sl.export_jsonl(store, only):
                sys.stdout.write(line + "\n")

    @lists.command("match")
    def match(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="a name as written in a report"),
        kind: str = typer.Option(None, "--kind", help="person | organization | vessel"),
        imo: str = typer.Option(None, "--imo", help="the vessel's IMO number"),
        fmt: str = typer.Option("table", "--format", "-f"),
    ) -> None:
        """Which listed parties a name may be, with score and reasons."""
        from pantau.cli.render import emit
        from pantau.services.matching import Matcher

        check_format(fmt)
        if kind and kind not in ("person", "organization", "vessel"):
            typer.echo("error: --kind must be person, organization or vessel", err=True)
            raise typer.Exit(2)
        with open_store(ctx) as store:
            rows = [m.to_dict() for m in Matcher.from_store(store).match(name, kind, imo)]
        emit(rows, [(c, c) for c in ("list", "schema", "caption", "score", "reasons", "entity_id")], fmt,
             widths={"reasons": 50}, empty="no listed party matches")

    @lists.command("link")
    def link(ctx: typer.Context, document: list[int] = typer.Option(None, "--document", "-d",
                                                                  help="document id(s); default: all")) -> None:
        """Match stored documents against the lists; raise or strengthen incidents (after a list
        update or `pantau refuse`). Idempotent."""
        from pantau.services.designations import link_documents

        with open_store(ctx) as store:
            got = link_documents(store, document or None)
        typer.echo(f"{got['documents']} document(s): {got['matches']} match(es) of listed parties, "
                   f"{got['incidents_raised']} incident(s) raised, {got['incidents_strengthened']} strengthened")

    app.add_typer(lists, name="lists")

    from pantau.cli.bench_kb_cmd import _bench_group

    bench = _bench_group(app)

    @bench.command("match")
    def bench_match(
        entries: int = typer.Option(20_000, "--entries", help="generated list entries"),
        names: int = typer.Option(10_000, "--names", "-n", help="generated names to match"),
        seed: int = typer.Option(7, "--seed"),
    ) -> None:
        """Match N generated names against a generated list on one core; print the time beside an exact
        dictionary lookup (the floor) measured in the same run. Target: < 2 s for 10,000 × 20,000."""
        from pantau.services.bench_match import run_match_bench

        r = run_match_bench(entries, names, seed)
        total = r.build_s + r.match_s
        typer.echo(f"list       {r.entries} generated entries (persons, organisations, vessels with IMO numbers)")
        typer.echo(f"index      {r.build_s:8.3f} s CPU")
        typer.echo(f"match      {r.match_s:8.3f} s CPU for {r.queries} names ({r.per_s:,.0f} names/s), "
                   f"{r.matched} matched")
        typer.echo(f"floor      {r.floor_s:8.3f} s CPU exact dict lookup, {r.floor_matched} matched")
        typer.echo(f"total      {total:8.3f} s (index + match); target < 2 s: {'met' if total < 2 else 'NOT met'}")
