"""Syntax services used by `pantau parse` and `pantau train parser`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pantau.exc import InputError
from pantau.nlp import conllu
from pantau.nlp.syntax import clear_cache, parse_words


def _read_lines(path: str) -> list[str]:
    if path == "-":
        return sys.stdin.read().splitlines()
    p = Path(path)
    if not p.is_file():
        raise InputError(path, "no such file")
    try:
        return p.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def annotate(sents: list[conllu.Sentence], language: str) -> None:
    """Replace LEMMA, UPOS, FEATS, HEAD and DEPREL of each word with the model's prediction
    (tokens and sentence boundaries are the given ones)."""
    docs = parse_words([[w.form for w in s.words] for s in sents], language,
                       spaces=[s.spaces() for s in sents])
    for sent, doc in zip(sents, docs, strict=True):
        for w, tok in zip(sent.words, doc, strict=True):
            w.upos = tok.pos_ or "X"
            w.lemma = tok.lemma_ or w.form
            w.feats = str(tok.morph) or "_"
            if tok.head.i == tok.i:
                w.head, w.deprel = 0, "root"
            else:
                w.head, w.deprel = tok.head.i + 1, tok.dep_
            w.deps = "_"


def parse_conllu(path: str, language: str) -> str:
    """Gold-tokenised CoNLL-U in, the same sentences and words out with predicted annotation."""
    return parse_conllu_timed(path, language)[0]


def parse_conllu_timed(path: str, language: str) -> tuple[str, str]:
    """`parse_conllu` and a line saying how long loading and parsing took."""
    from pantau.nlp.syntax import load

    sents = list(conllu.read(_read_lines(path), path))
    t0 = time.perf_counter()
    load(language)
    t1 = time.perf_counter()
    annotate(sents, language)
    t2 = time.perf_counter()
    n = sum(len(s.words) for s in sents)
    stats = (f"model load {t1 - t0:.2f}s; parsed {len(sents)} sentences, {n} words in {t2 - t1:.2f}s "
             f"({n / max(t2 - t1, 1e-9):.0f} words/s)")
    return "".join(conllu.write(s) for s in sents), stats


def train_parser(language: str, *, out: str | None = None, ud_dir: str | None = None,
                 max_steps: int | None = None, log=print) -> Path:
    """Retrain the syntax pipeline of `language` from the UD treebanks (committed config, fixed seed)."""
    from pantau.nlp.train_parser import train

    path = train(language, out=Path(out) if out else None, ud_dir=Path(ud_dir) if ud_dir else None,
                 max_steps=max_steps, log=log)
    clear_cache()
    return path


def parse_text_conllu(text: str, language: str) -> str:
    """Raw text parsed by the model's own tokeniser and sentence splitter, as CoNLL-U."""
    from pantau.nlp.syntax import parse

    if not text.strip():
        raise InputError("text", "empty")
    doc = parse(text, language)
    out: list[str] = []
    for k, sent in enumerate(doc.sents, 1):
        toks = [t for t in sent if not t.is_space]
        ids = {t.i: n for n, t in enumerate(toks, 1)}
        if not toks:
            continue
        out.append(f"# sent_id = {k}\n# text = {sent.text.strip()}")
        for tok in toks:
            head = ids.get(tok.head.i, 0) if tok.head.i != tok.i else 0
            dep = "root" if head == 0 else tok.dep_
            misc = "_" if tok.whitespace_ else "SpaceAfter=No"
            out.append("\t".join([str(ids[tok.i]), tok.text, tok.lemma_ or tok.text, tok.pos_ or "X",
                                  "_", str(tok.morph) or "_", str(head), dep, "_", misc]))
        out.append("")
    return "\n".join(out) + "\n"
