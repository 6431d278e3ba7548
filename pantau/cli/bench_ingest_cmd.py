"""`pantau bench ingest`: ingest throughput by workers and on Dask, and ingest cost by store size."""

from __future__ import annotations

import typer

from pantau.cli.bench_kb_cmd import _bench_group


def register(app: typer.Typer) -> None:
    bench = _bench_group(app)

    @bench.command("ingest")
    def bench_ingest(
        docs: int = typer.Option(200, "--docs", "-n", help="generated ~3 KB documents for the throughput runs"),
        workers: int = typer.Option(2, "--workers", "-w", min=2, help="pool size of the widest run"),
        dask: bool = typer.Option(True, "--dask/--no-dask", help="also run on a Dask LocalCluster of 2 workers"),
        large: int = typer.Option(100_000, "--large", help="events in the large store (0: skip that part)"),
        seed: int = typer.Option(11, "--seed"),
    ) -> None:
        """Print ingest documents/s at 1 worker (baseline), 2+ workers and on Dask, then the CPU time
        and peak memory of ingesting 10 documents into an empty store (baseline) and a large one."""
        from pantau.services.bench_ingest import run_store_size, run_throughput

        def say(msg: str) -> None:
            typer.echo(f"... {msg}", err=True)

        if docs > 0:
            r = run_throughput(docs, workers=workers, dask=dask, seed=seed, progress=say)
            typer.echo(f"corpus     {r.documents} generated documents, {r.cores} core(s) available to this process, "
                       f"load average {r.load[0]:.1f} before / {r.load[1]:.1f} after")
            for run in r.runs:
                typer.echo(f"{run.label:24s} {run.docs_per_s:8.1f} documents/s  {r.speedup(run):5.2f}x  "
                           f"({run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU here and in pool workers)")
            two = next((run for run in r.runs if run.label == "2 workers"), None)
            if two is not None:
                typer.echo(f"goal       >= 1.8x at 2 workers: {'met' if r.speedup(two) >= 1.8 else 'NOT met'} "
                           f"({r.speedup(two):.2f}x; wall clock, other load on the machine counts against it)")
        if large > 0:
            s = run_store_size(large, seed=seed, progress=say)
            for run in s.runs:
                typer.echo(f"{run.documents} docs into {run.label:5s} store ({run.events_before:>9,} events)  "
                           f"{run.cpu_s:6.2f} s CPU  {run.wall_s:6.2f} s wall  peak RSS {run.peak_rss_mb:6.0f} MB")
            peak = max(run.peak_rss_mb for run in s.runs)
            typer.echo(f"ratio      large/empty CPU {s.ratio:.2f}x (goal <= 1.5x: {'met' if s.ratio <= 1.5 else 'NOT met'}); "
                       f"peak RSS {peak:.0f} MB (goal < 500 MB: {'met' if peak < 500 else 'NOT met'}); "
                       f"setup {s.setup_s:.0f} s")
