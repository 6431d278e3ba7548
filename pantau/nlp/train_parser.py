"""Train the per-language spaCy pipelines (tok2vec, morphologizer, trainable lemmatizer, parser)
from the Universal Dependencies treebanks in `../shared/data/ud/`.

`make models` (or `pantau train parser --language id|en`) runs this. The recipe per language is the
committed spaCy config `pantau/lang/<code>/parser.cfg` (fixed seed); this module only builds the
training and development `DocBin` files from CoNLL-U and calls spaCy's own trainer, then copies the
best checkpoint to `pantau/lang/<code>/model/` with a NOTICE (CC BY-SA 4.0 attribution).

Split: the sentences of each treebank file are grouped in runs of `GROUP` consecutive sentences
(so the parser also learns where sentences end), and every `DEV_EVERY`-th group of every file is
held out as the development portion, used for model selection and for the LAS floor test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from pantau.exc import InputError
from pantau.nlp import conllu

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"

# Treebank files per language (see ../shared/data/ud/README.md; other treebanks are kept back for testing).
TRAIN_FILES: dict[str, list[str]] = {
    "id": ["id_gsd-ud-dev.conllu", "id_gsd-ud-test.conllu", "id_csui-ud-train.conllu", "id_csui-ud-test.conllu"],
    "en": ["en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"],
}
GROUP = 5
DEV_EVERY = 10

NOTICE = """pantau {lang} syntax model (spaCy pipeline: tok2vec, morphologizer, trainable lemmatizer, parser)

Trained by pantau (`make models`, config {cfg}) on Universal Dependencies treebanks,
licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/).
The model is a derived work distributed under the same licence.

Attribution: Universal Dependencies contributors.
{credits}
"""
CREDITS = {
    "id": ("- UD_Indonesian-GSD: McDonald et al. 2013; Alfina et al. (dev and test files)\n"
           "- UD_Indonesian-CSUI: Alfina, Budi and Suhartanto 2020, Universitas Indonesia (train and test files)"),
    "en": "- UD_English-EWT: Silveira et al. 2014, Stanford University (dev and test files)",
}


def default_ud_dir() -> Path:
    env = os.environ.get("PANTAU_UD_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ud"


def read_treebanks(language: str, ud_dir: Path | None = None) -> list[list[conllu.Sentence]]:
    """The sentences of each training file of `language`, one list per file."""
    if language not in TRAIN_FILES:
        raise InputError(language, f"no treebanks for this language (known: {', '.join(TRAIN_FILES)})")
    ud = ud_dir or default_ud_dir()
    out = []
    for name in TRAIN_FILES[language]:
        path = ud / name
        if not path.is_file():
            raise InputError(str(path), "treebank file missing (set PANTAU_UD_DIR or --ud-dir)")
        with path.open(encoding="utf-8") as fh:
            out.append(list(conllu.read(fh, str(path))))
    return out


def split(files: list[list[conllu.Sentence]]) -> tuple[list[list[conllu.Sentence]], list[list[conllu.Sentence]]]:
    """(train groups, dev groups): runs of GROUP sentences; every DEV_EVERY-th run of each file is dev."""
    train: list[list[conllu.Sentence]] = []
    dev: list[list[conllu.Sentence]] = []
    for sents in files:
        groups = [sents[i:i + GROUP] for i in range(0, len(sents), GROUP)]
        for k, g in enumerate(groups):
            (dev if k % DEV_EVERY == DEV_EVERY - 1 else train).append(g)
    return train, dev


def dev_sentences(language: str, ud_dir: Path | None = None) -> list[conllu.Sentence]:
    """The held-out development sentences (the same ones the trainer used for model selection)."""
    _, dev = split(read_treebanks(language, ud_dir))
    return [s for g in dev for s in g]


def group_to_doc(vocab, group: list[conllu.Sentence]):
    """A spaCy Doc with the gold annotation of a run of sentences."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    pos: list[str] = []
    morphs: list[str] = []
    lemmas: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    starts: list[bool] = []
    for sent in group:
        base = len(words)
        sp = sent.spaces()
        for i, w in enumerate(sent.words):
            words.append(w.form)
            spaces.append(sp[i])
            pos.append(w.upos if w.upos not in ("_", "") else "X")
            morphs.append("" if w.feats == "_" else w.feats)
            lemmas.append(w.lemma if w.lemma not in ("_", "") else w.form)
            heads.append(base + i if w.head == 0 else base + w.head - 1)
            deps.append("ROOT" if w.head == 0 else w.deprel)
            starts.append(i == 0)
        if spaces:
            spaces[-1] = True  # sentences of a run are separated by a space
    return Doc(vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, lemmas=lemmas,
               heads=heads, deps=deps, sent_starts=starts)


def build_corpus(language: str, out_dir: Path, ud_dir: Path | None = None) -> tuple[int, int]:
    """Write train.spacy and dev.spacy to `out_dir`; return the number of sentences in each."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(language)
    train, dev = split(read_treebanks(language, ud_dir))
    counts = []
    for name, groups in (("train", train), ("dev", dev)):
        db = DocBin(store_user_data=False)
        for g in groups:
            db.add(group_to_doc(nlp.vocab, g))
        db.to_disk(out_dir / f"{name}.spacy")
        counts.append(sum(len(g) for g in groups))
    return counts[0], counts[1]


def config_path(language: str) -> Path:
    return LANG_DIR / language / "parser.cfg"


def model_dir(language: str) -> Path:
    return LANG_DIR / language / "model"


def train(language: str, *, out: Path | None = None, ud_dir: Path | None = None,
          max_steps: int | None = None, log: Callable[[str], None] = print) -> Path:
    """Train the pipeline of `language` with its committed config; install the best checkpoint in
    `out` (default: the shipped model folder). Returns the model folder."""
    from spacy.cli.train import train as spacy_train

    cfg = config_path(language)
    if not cfg.is_file():
        raise InputError(str(cfg), "no parser config for this language")
    target = out or model_dir(language)
    with tempfile.TemporaryDirectory(prefix=f"pantau-parser-{language}-") as tmp:
        work = Path(tmp)
        n_train, n_dev = build_corpus(language, work, ud_dir)
        log(f"{language}: {n_train} training sentences, {n_dev} development sentences")
        overrides: dict[str, object] = {"paths.train": str(work / "train.spacy"),
                                        "paths.dev": str(work / "dev.spacy")}
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
        spacy_train(cfg, work / "out", use_gpu=-1, overrides=overrides)
        install(work / "out" / "model-best", language, target)
    return target


def install(best: Path, language: str, target: Path | None = None) -> Path:
    """Copy a trained spaCy pipeline folder to the shipped model folder and write its NOTICE."""
    target = target or model_dir(language)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
    (target / "NOTICE").write_text(NOTICE.format(lang=language, cfg=f"pantau/lang/{language}/parser.cfg",
                                                 credits=CREDITS[language]), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """`python -m pantau.nlp.train_parser dev LANG`: print the development portion as CoNLL-U
    (score it with ../shared/eval/score_ud.py)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "dev":
        print("usage: python -m pantau.nlp.train_parser dev LANG", file=sys.stderr)
        return 2
    sys.stdout.write("".join(conllu.write(s) for s in dev_sentences(args[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
