"""`pantau bench kb`: fusion throughput and query latency on a generated store (joins `pantau bench`)."""

from __future__ import annotations

import typer


def _bench_group(app: typer.Typer) -> typer.Typer:
    """The `bench` group if another module registered it already, else a new one."""
    for group in app.registered_groups:
        if group.name == "bench" and group.typer_instance is not None:
            return group.typer_instance
    bench = typer.Typer(help="Benchmarks.", no_args_is_help=True)
    app.add_typer(bench, name="bench")
    return bench


def register(app: typer.Typer) -> None:
    bench = _bench_group(app)

    @bench.command("kb")
    def bench_kb(
        events: int = typer.Option(100_000, "--events", "-n", help="number of generated events"),
        seed: int = typer.Option(7, "--seed"),
        repeat: int = typer.Option(5, "--repeat", help="runs per query (the median is printed)"),
        db: str = typer.Option(None, "--keep", help="write the store to this SQLite file instead of a temp one"),
    ) -> None:
        """Generate N events in a fresh SQLite store, fuse them, time timeline/graph/search queries
        beside a plain indexed SELECT."""
        from pantau.services.bench_kb import run_kb_bench

        r = run_kb_bench(events, seed=seed, repeat=repeat, db_path=db,
                         progress=lambda m: typer.echo(f"… {m}", err=True))
        typer.echo(f"store      {r.events} events in {r.documents} documents (generated in {r.generate_s:.1f} s)")
        typer.echo(f"fusion     {r.events_per_s:10.0f} events/s  ({r.fuse_s:.1f} s → {r.fused} fused events, "
                   f"{r.near_duplicates} near-duplicates, {r.incidents} incidents)")
        typer.echo(f"{'query':28s} {'median ms':>10s} {'× indexed SELECT':>18s}")
        for name, ms in r.latency_ms.items():
            typer.echo(f"{name:28s} {ms:10.2f} {r.ratio(name):18.1f}")
