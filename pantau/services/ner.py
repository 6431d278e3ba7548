"""Named-entity recognition services used by `pantau ner` and `pantau train ner`."""

from __future__ import annotations

import sys
from pathlib import Path

from pantau.exc import InputError
from pantau.nlp.ner import NerSpan, clear_model_cache, load_model, recognise


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.is_file():
        raise InputError(path, "no such file")
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def tag_conll(path: str, *, model: str | None = None) -> str:
    """CoNLL in (`token[<TAB>label]` per line, blank line between sentences) → `token<TAB>BIO` out,
    every token in order, a blank line after each sentence."""
    return tag_conll_timed(path, model=model)[0]


def tag_conll_timed(path: str, *, model: str | None = None) -> tuple[str, str]:
    """`tag_conll` and a line saying how long loading and tagging took."""
    import time

    from pantau.nlp.ner.data import parse_conll

    sents = [toks for toks, _ in parse_conll(_read(path).splitlines())]
    t0 = time.perf_counter()
    tagger = load_model(model)
    t1 = time.perf_counter()
    labels = tagger.tag(sents)
    t2 = time.perf_counter()
    ntok = sum(len(s) for s in sents)
    stats = (f"model load {t1 - t0:.3f}s; tagged {ntok} tokens in {t2 - t1:.3f}s "
             f"({ntok / max(t2 - t1, 1e-9):.0f} tokens/s, cold feature cache)")
    out: list[str] = []
    for toks, labs in zip(sents, labels, strict=True):
        out.extend(f"{t}\t{lab}" for t, lab in zip(toks, labs, strict=True))
        out.append("")
    return "\n".join(out) + ("\n" if out else ""), stats


def recognise_input(text_or_path: str, *, model: str | None = None) -> tuple[str, list[NerSpan]]:
    """Entities in a file (`-` for stdin) or, when no such file exists, in the argument itself."""
    looks_like_path = not any(c.isspace() for c in text_or_path) and (
        "/" in text_or_path or Path(text_or_path).suffix.lower() in {".txt", ".md", ".html", ".conll"})
    if text_or_path == "-" or Path(text_or_path).is_file() or looks_like_path:
        text = _read(text_or_path)  # a path that does not exist is an error, not text to tag
    else:
        text = text_or_path
    return text, recognise(text, model=model)


def train_ner(out: str | None = None, *, data: str | None = None, limit: int | None = None,
              family: str = "crf", log=print) -> dict:
    """Rebuild the NER model (CRF, shipped) or train the perceptron baseline for comparison."""
    from pantau.nlp.ner import DEFAULT_MODEL_DIR
    from pantau.nlp.ner.data import default_data_dir

    data_dir = Path(data) if data else default_data_dir()
    if not (data_dir / "nergrit" / "train.txt").is_file():
        raise InputError(str(data_dir), "no nergrit/train.txt here (set --data or PANTAU_INDONLU_DIR)")
    out_dir = Path(out) if out else DEFAULT_MODEL_DIR
    if family == "perceptron":
        return _train_perceptron(data_dir, out_dir, limit, log)
    from pantau.nlp.ner.train import TrainConfig, train

    meta = train(data_dir, out_dir, TrainConfig(limit=limit), log=log)
    clear_model_cache()  # a cached tagger for this directory would now be stale
    return meta


def _train_perceptron(data_dir: Path, out_dir: Path, limit: int | None, log) -> dict:
    import time

    from pantau.nlp.ner.data import read_conll
    from pantau.nlp.ner.features import Featurizer
    from pantau.nlp.ner.gazetteer import Gazetteer
    from pantau.nlp.ner.perceptron import Perceptron
    from pantau.nlp.ner.train import common_words, entity_f1

    t0 = time.perf_counter()
    grit = read_conll(data_dir / "nergrit" / "train.txt")[:limit]
    nerp = read_conll(data_dir / "nerp" / "train.txt")[:limit]
    model = Perceptron(Featurizer(Gazetteer.build(), {}, common_words(grit)))
    model.train([(grit, "g:"), (nerp, "n:")], test_domain="g:", log=log)
    seconds = time.perf_counter() - t0
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / "perceptron.npz")
    valid = read_conll(data_dir / "nergrit" / "valid.txt")
    t1 = time.perf_counter()
    pred = model.tag([t for t, _ in valid])
    tps = sum(len(t) for t, _ in valid) / (time.perf_counter() - t1)
    meta = {"family": "averaged perceptron", "train_seconds": round(seconds, 1),
            "nergrit_valid_f1": entity_f1([lab for _, lab in valid], pred), "tokens_per_s": round(tps)}
    log(str(meta))
    return meta
