"""Labelled news-style sentences generated from templates written for the project
(`pantau/lang/id/ner_augment.yaml`), added to the training data by `pantau train ner`."""

from __future__ import annotations

import random
import re
from importlib import resources

import yaml

from pantau.nlp.ner.data import Sentence

_SLOT = re.compile(r"\{([A-Z])\}")
_KINDS = {"T": ("titles", None), "C": ("countries", "PLACE"), "L": ("cities", "PLACE"),
          "O": ("organisations", "ORGANISATION"), "X": ("clauses", None), "D": ("days", None)}


def _load() -> dict:
    text = resources.files("pantau.lang.id").joinpath("ner_augment.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def generate(n: int, seed: int = 13) -> list[Sentence]:
    """`n` sentences, the same ones for the same seed."""
    data = _load()
    rng = random.Random(seed)
    out: list[Sentence] = []
    for _ in range(n):
        toks: list[str] = []
        labs: list[str] = []
        for piece in rng.choice(data["templates"]).split():
            m = _SLOT.fullmatch(piece)
            if not m:
                toks.append(piece)
                labs.append("O")
                continue
            slot = m.group(1)
            if slot == "P":
                words = rng.choice(data["given_names"]).split()
                if rng.random() < 0.85:
                    words += rng.choice(data["surnames"]).replace("-", " - ").split()
                typ: str | None = "PERSON"
            else:
                key, typ = _KINDS[slot]
                words = rng.choice(data[key]).split()
            toks.extend(words)
            labs.extend(["O"] * len(words) if typ is None else
                        [f"B-{typ}"] + [f"I-{typ}"] * (len(words) - 1))
        out.append((toks, labs))
    return out
