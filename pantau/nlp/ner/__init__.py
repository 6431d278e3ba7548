"""Indonesian named-entity recognition trained in this repository (issue 4).

    recognise(text)          raw text → [NerSpan(start, end, label, text)], labels PERSON | PLACE | ORGANISATION
    tag_tokens(sentences)    pre-tokenised sentences → BIO labels per token
    load_model(path=None)    the tagger (cached; loads offline from the package; ModelError if missing)

The model is a linear-chain CRF over cached word-type features; see docs/ner.md for how it was
chosen and `pantau/nlp/ner/train.py` for how it is rebuilt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pantau.nlp.ner.tagger import Tagger

__all__ = ["NerSpan", "DEFAULT_MODEL_DIR", "load_model", "clear_model_cache", "tag_tokens", "recognise", "spans_from_bio"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "id"


@dataclass(slots=True)
class NerSpan:
    start: int
    end: int
    label: str
    text: str


def _resolve(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get("PANTAU_NER_MODEL")
    return Path(env) if env else DEFAULT_MODEL_DIR


@lru_cache(maxsize=4)
def _load(path: Path) -> Tagger:
    from pantau.nlp.ner.tagger import Tagger

    return Tagger(path)


def load_model(path: str | os.PathLike[str] | None = None) -> Tagger:
    """The tagger in `path` (a model directory), else `$PANTAU_NER_MODEL`, else the shipped model.
    Loaded once per path. Raises `pantau.exc.ModelError` when the model is missing or unreadable."""
    return _load(_resolve(path).resolve())


def clear_model_cache() -> None:
    """Forget loaded taggers (after retraining a model in place)."""
    _load.cache_clear()


def tag_tokens(sentences: list[list[str]], *, model: str | os.PathLike[str] | None = None) -> list[list[str]]:
    """BIO labels (`B-PERSON`, `I-PLACE`, `O`, …) for each token of each sentence."""
    return load_model(model).tag(sentences)


def spans_from_bio(labels: list[str]) -> list[tuple[int, int, str]]:
    """Token spans `(first, last + 1, type)` from BIO labels; a stray `I-X` starts a span."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        pre, _, t = lab.partition("-")
        if start >= 0 and (pre != "I" or t != typ):
            out.append((start, i, typ))
            start = -1
        if pre == "B" or (pre == "I" and start < 0 and t):
            start, typ = i, t
    return out


def _merge(regions: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Regions clipped to the text, sorted, overlapping ones merged (so no span is found twice)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted((max(0, a), min(size, b)) for a, b in regions):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def recognise(text: str, regions: list[tuple[int, int]] | None = None, *,
              model: str | os.PathLike[str] | None = None) -> list[NerSpan]:
    """Entities in raw text, with character offsets into `text` (`text[s.start:s.end] == s.text`).
    `regions` limits the search to those `(start, end)` character ranges (e.g. the body's sentences)."""
    from pantau.nlp.ner.tokenize import sentences

    sents = []
    for start, end in _merge(regions if regions is not None else [(0, len(text))], len(text)):
        sents.extend(sentences(text[start:end], start))
    labels = load_model(model).tag([[t for t, _, _ in s] for s in sents])
    out: list[NerSpan] = []
    for sent, labs in zip(sents, labels, strict=True):
        for a, b, typ in spans_from_bio(labs):
            s, e = sent[a][1], sent[b - 1][2]
            out.append(NerSpan(s, e, typ, text[s:e]))
    out.sort(key=lambda sp: (sp.start, sp.end))
    return out
