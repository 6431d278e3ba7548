"""Word lists the NER features consult: titles, place/organisation head words, name parts, place names.

The lists live in `pantau/lang/id/ner_*.txt`; country names come from babel (Indonesian) and pycountry
(English). Training freezes the merged lists into the model directory (`gazetteer.json`) so that the
features at run time are exactly those the model was trained with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

KINDS = ("title", "placeword", "orgword", "pname")


def _read_list(name: str) -> list[str]:
    text = resources.files("pantau.lang.id").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _country_names() -> set[str]:
    names: set[str] = set()
    try:
        from babel import Locale

        names.update(v for k, v in Locale("id").territories.items() if not k.isdigit())
    except Exception:  # pragma: no cover - babel is a dependency, but the lists still work without it
        pass
    try:
        import pycountry

        for c in pycountry.countries:
            names.add(c.name)
            if getattr(c, "common_name", None):
                names.add(c.common_name)
    except Exception:  # pragma: no cover
        pass
    return {n for n in names if "," not in n and "(" not in n}


@dataclass(slots=True)
class Gazetteer:
    words: dict[str, set[str]] = field(default_factory=dict)   # kind → lower-case words
    places: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # first token → names (lower)
    # names seen as entities in another corpus: first token → [(name tokens, type)], longest first
    lexicon: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    @classmethod
    def build(cls) -> Gazetteer:
        files = {"title": "ner_titles.txt", "placeword": "ner_place_words.txt",
                 "orgword": "ner_org_words.txt", "pname": "ner_person_parts.txt"}
        words = {k: {w.lower() for w in _read_list(f)} for k, f in files.items()}
        gz = cls(words=words)
        for name in set(_read_list("ner_places.txt")) | _country_names():
            gz.add_place(name)
        return gz

    def add_place(self, name: str) -> None:
        toks = tuple(name.lower().replace("-", " - ").split())
        if toks:
            bucket = self.places.setdefault(toks[0], [])
            if toks not in bucket:
                bucket.append(toks)
                bucket.sort(key=len, reverse=True)

    def word_kinds(self, lower: str) -> list[str]:
        return [k for k in KINDS if lower in self.words.get(k, ())]

    def place_marks(self, lowers: list[str]) -> list[str | None]:
        """`B`/`I` for tokens inside the longest gazetteer place name starting at each position."""
        marks: list[str | None] = [None] * len(lowers)
        i, n = 0, len(lowers)
        while i < n:
            cands = self.places.get(lowers[i])
            if cands:
                for cand in cands:
                    k = len(cand)
                    if tuple(lowers[i:i + k]) == cand:
                        marks[i] = "B"
                        for j in range(i + 1, i + k):
                            marks[j] = "I"
                        i += k
                        break
                else:
                    i += 1
                continue
            i += 1
        return marks

    def add_lexicon(self, names: dict[tuple[str, ...], str]) -> None:
        for toks, typ in names.items():
            self.lexicon.setdefault(toks[0], []).append((toks, typ))
        for bucket in self.lexicon.values():
            bucket.sort(key=lambda e: (-len(e[0]), e[0]))

    def lexicon_marks(self, lowers: list[str]) -> list[str | None]:
        """`B-TYPE`/`I-TYPE` for tokens inside the longest lexicon name starting at each position."""
        marks: list[str | None] = [None] * len(lowers)
        i, n, lex = 0, len(lowers), self.lexicon
        while i < n:
            step = 1
            for cand, typ in lex.get(lowers[i], ()):
                k = len(cand)
                if tuple(lowers[i:i + k]) == cand:
                    marks[i] = "B-" + typ
                    for j in range(i + 1, i + k):
                        marks[j] = "I-" + typ
                    step = k
                    break
            i += step
        return marks

    def to_json(self) -> dict:
        return {"words": {k: sorted(v) for k, v in self.words.items()},
                "places": sorted(" ".join(t) for b in self.places.values() for t in b),
                "lexicon": sorted(f"{typ}\t{' '.join(t)}" for b in self.lexicon.values() for t, typ in b)}

    @classmethod
    def from_json(cls, data: dict) -> Gazetteer:
        gz = cls(words={k: set(v) for k, v in data.get("words", {}).items()})
        for name in data.get("places", []):
            gz.add_place(name)
        lex = {}
        for line in data.get("lexicon", []):
            typ, _, name = line.partition("\t")
            lex[tuple(name.split(" "))] = typ
        gz.add_lexicon(lex)
        return gz

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
