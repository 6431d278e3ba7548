"""`pantau bench extract`: extraction speed on a generated corpus, beside the regex-tokenisation floor."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    bench = typer.Typer(help="Benchmarks.", no_args_is_help=True)

    @bench.command("extract")
    def bench_extract(
        docs: int = typer.Option(2000, "--docs", "-n", help="number of generated ~3 KB documents"),
        language: str = typer.Option("id", "--language", "-l", help="id or en"),
        seed: int = typer.Option(7, "--seed", help="corpus generator seed"),
    ) -> None:
        """Time end-to-end extraction on one core; print documents/s and tokens/s next to the floor."""
        from pantau.services.bench import run_extract_bench

        r = run_extract_bench(docs, language=language, seed=seed)
        typer.echo(f"corpus     {r.documents} documents, {r.characters / r.documents / 1000:.1f} KB average, "
                   f"{r.tokens} tokens, language {language}")
        typer.echo(f"extract    {r.docs_per_s:10.1f} documents/s  {r.tokens_per_s:12.0f} tokens/s  "
                   f"({r.seconds:.2f} s CPU on one core, {r.wall_seconds:.2f} s wall, {r.events} events)")
        typer.echo(f"floor      {r.documents / r.floor_seconds:10.1f} documents/s  {r.floor_tokens_per_s:12.0f} tokens/s  "
                   f"(regex tokenisation, {r.floor_seconds:.3f} s)")
        typer.echo(f"ratio      extraction is {r.ratio:.0f}x the floor; target >= 100 documents/s: "
                   f"{'met' if r.docs_per_s >= 100 else 'NOT met'}")
        if r.tokenise_seconds:
            typer.echo(f"parser     {r.parsed_sentences} sentences parsed in the loop; the syntax model's tokeniser alone: "
                       f"{r.documents / r.tokenise_seconds:.1f} documents/s; extraction is "
                       f"{r.seconds / r.tokenise_seconds:.1f}x that tokenise-only pass; target >= 15 documents/s: "
                       f"{'met' if r.docs_per_s >= 15 else 'NOT met'}")
        else:
            typer.echo("parser     no syntax model shipped for this language: the word rules alone ran")

    app.add_typer(bench, name="bench")
