"""`pantau ner` (tag CoNLL tokens or find entities in text) and `pantau train ner` (rebuild the model)."""

from __future__ import annotations

import json
import sys

import typer


def _train_group(app: typer.Typer) -> typer.Typer:
    for group in app.registered_groups:
        if group.name == "train" and group.typer_instance is not None:
            return group.typer_instance
    train_app = typer.Typer(help="Train pantau's models.", no_args_is_help=True)
    app.add_typer(train_app, name="train")
    return train_app


def register(app: typer.Typer) -> None:
    @app.command("ner")
    def ner_cmd(
        source: str = typer.Argument(None, help="text, or a file to read (- for stdin)"),
        conll: str = typer.Option(None, "--conll", help="tag a CoNLL file: one token per line, blank line "
                                  "between sentences; prints token<TAB>BIO-label"),
        fmt: str = typer.Option("table", "--format", "-f", help="table or json (raw text only)"),
        model: str = typer.Option(None, "--model", help="model directory (default: the shipped model)"),
        timing: bool = typer.Option(False, "--timing", help="print load time and tokens/s to stderr"),
    ) -> None:
        """Find people, places and organisations in Indonesian text."""
        from pantau.exc import InputError, ModelError

        if (conll is None) == (source is None):
            typer.echo("error: give either TEXT|PATH or --conll FILE", err=True)
            raise typer.Exit(2)
        if fmt not in ("table", "json"):
            typer.echo(f"error: --format {fmt!r} not supported (table, json)", err=True)
            raise typer.Exit(2)
        from pantau.services import ner as service

        try:
            if conll is not None:
                out, stats = service.tag_conll_timed(conll, model=model)
                sys.stdout.write(out)
                if timing:
                    typer.echo(stats, err=True)
                return
            _, spans = service.recognise_input(source, model=model)
        except (InputError, ModelError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        if fmt == "json":
            json.dump([{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans],
                      sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        for s in spans:
            typer.echo(f"{s.start}\t{s.end}\t{s.label}\t{s.text}")

    train_app = _train_group(app)

    @train_app.command("ner")
    def train_ner_cmd(
        out: str = typer.Option(None, "--out", help="model directory to write (default: the shipped one)"),
        data: str = typer.Option(None, "--data", help="IndoNLU data directory (default: "
                                 "$PANTAU_INDONLU_DIR or ../shared/data/indonlu)"),
        limit: int = typer.Option(None, "--limit", help="use only the first N sentences of each file"),
        family: str = typer.Option("crf", "--family", help="crf (shipped) or perceptron (comparison)"),
    ) -> None:
        """Rebuild the NER model from the IndoNLU NERGrit and NERP training data (fixed seeds)."""
        from pantau.exc import InputError
        from pantau.services.ner import train_ner

        if family not in ("crf", "perceptron"):
            typer.echo(f"error: --family {family!r} (crf, perceptron)", err=True)
            raise typer.Exit(2)
        try:
            train_ner(out, data=data, limit=limit, family=family, log=lambda m: typer.echo(m, err=True))
        except InputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
