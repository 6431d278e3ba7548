"""`pantau parse` (tag and parse gold-tokenised CoNLL-U, or raw text) and `pantau train parser`."""

from __future__ import annotations

import sys

import typer

from pantau.cli.ner_cmd import _train_group


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def parse_cmd(
        text: str = typer.Argument(None, help="text to parse (prints CoNLL-U); omit with --conllu"),
        language: str = typer.Option(..., "--language", "-l", help="language code: id or en"),
        conllu: str = typer.Option(None, "--conllu", help="gold-tokenised CoNLL-U file (- for stdin): "
                                   "printed back with predicted LEMMA, UPOS, FEATS, HEAD and DEPREL"),
        timing: bool = typer.Option(False, "--timing", help="print load time and words/s to stderr"),
    ) -> None:
        """Tag and dependency-parse Indonesian or English with the shipped model."""
        from pantau.exc import InputError, ModelError
        from pantau.services import syntax as service

        if (conllu is None) == (text is None):
            typer.echo("error: give either TEXT or --conllu FILE", err=True)
            raise typer.Exit(2)
        try:
            if conllu is not None:
                out, stats = service.parse_conllu_timed(conllu, language)
            else:
                out, stats = service.parse_text_conllu(text, language), ""
        except (InputError, ModelError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        sys.stdout.write(out)
        if timing and stats:
            typer.echo(stats, err=True)

    train_app = _train_group(app)

    @train_app.command("parser")
    def train_parser_cmd(
        language: str = typer.Option(..., "--language", "-l", help="language code: id or en"),
        out: str = typer.Option(None, "--out", help="model folder to write (default: the shipped one)"),
        ud_dir: str = typer.Option(None, "--ud-dir", help="UD treebank folder (default: $PANTAU_UD_DIR "
                                   "or ../shared/data/ud)"),
        max_steps: int = typer.Option(None, "--max-steps", help="override the config's step limit"),
    ) -> None:
        """Retrain the tagger + parser of one language from the UD treebanks (committed config, seed 0)."""
        from pantau.exc import InputError
        from pantau.services.syntax import train_parser

        try:
            path = train_parser(language, out=out, ud_dir=ud_dir, max_steps=max_steps,
                                log=lambda m: typer.echo(m, err=True))
        except InputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"model written to {path}")
