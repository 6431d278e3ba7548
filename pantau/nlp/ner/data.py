"""Reading BIO-labelled CoNLL files (IndoNLU NERGrit / NERP) and mapping their labels to pantau's."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

LABELS = ("PERSON", "PLACE", "ORGANISATION")

# NERP (Prosa) and common aliases → pantau types; anything else (EVT, FNB, MISC) becomes O.
LABEL_MAP = {
    "PERSON": "PERSON", "PER": "PERSON", "PPL": "PERSON",
    "PLACE": "PLACE", "LOC": "PLACE", "GPE": "PLACE", "PLC": "PLACE",
    "ORGANISATION": "ORGANISATION", "ORGANIZATION": "ORGANISATION", "ORG": "ORGANISATION",
    "IND": "ORGANISATION",
}

Sentence = tuple[list[str], list[str]]


def map_label(label: str) -> str:
    """`B-PPL` → `B-PERSON`; labels of types pantau does not keep → `O`."""
    prefix, _, typ = label.partition("-")
    if not typ or prefix not in ("B", "I"):
        return "O"
    mapped = LABEL_MAP.get(typ)
    return f"{prefix}-{mapped}" if mapped else "O"


def repair_bio(labels: list[str]) -> list[str]:
    """An `I-X` that does not continue an `X` span starts one (`B-X`)."""
    out: list[str] = []
    prev = "O"
    for lab in labels:
        if lab.startswith("I-") and prev[2:] != lab[2:]:
            lab = "B-" + lab[2:]
        out.append(lab)
        prev = lab
    return out


def parse_conll(lines: Iterable[str]) -> list[Sentence]:
    """Sentences of (tokens, labels) from `token[<TAB>label]` lines, blank line between sentences.
    A missing label reads as `O`."""
    sents: list[Sentence] = []
    toks: list[str] = []
    labs: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        if not line.strip():
            if toks:
                sents.append((toks, labs))
                toks, labs = [], []
            continue
        tok, _, lab = line.partition("\t")
        toks.append(tok)
        labs.append(lab.strip() or "O")
    if toks:
        sents.append((toks, labs))
    return sents


def read_conll(path: str | Path, *, mapped: bool = True) -> list[Sentence]:
    with open(path, encoding="utf-8") as fh:
        sents = parse_conll(fh)
    if mapped:
        sents = [(t, repair_bio([map_label(x) for x in labs])) for t, labs in sents]
    return sents


def default_data_dir() -> Path:
    """`$PANTAU_INDONLU_DIR`, else `../shared/data/indonlu` beside the repository."""
    env = os.environ.get("PANTAU_INDONLU_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "data" / "indonlu"
