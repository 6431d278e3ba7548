"""Cited news outlets: "dilansir ANTARA dari Yonhap", "menurut kantor berita KCNA", "told Reuters",
"(AP)". An outlet named as the source of a report is where the text comes from, not an actor in it,
so its mention yields no entity. Outlets are the names in `ontology/publishers.yaml`; a name only the
statistical NER proposed counts as an outlet when it stands right after a citation cue. A pair of
outlets joined by a hyphen or slash ("Yonhap-OANA") is two outlets, never one organisation."""

from __future__ import annotations

import re
from functools import cache

from pantau.ontology.kb_data import publishers

__all__ = ["is_outlet_name", "cited", "cited_outlet"]

# cues right before a cited outlet (lowercase, text up to the name)
_CUE = re.compile(
    r"(?:\b(?:dilansir|dilansir\s+dari|melansir|dikutip\s+dari|dikutip|mengutip|seperti\s+dilaporkan|"
    r"dilaporkan|kantor\s+berita|laporan|menurut|menurut\s+kantor\s+berita|kepada|"
    r"told|according\s+to|reported\s+by|quoted\s+by|cited\s+by|news\s+agency|agency|wire\s+service|"
    r"(?:state|official)\s+(?:media|news\s+agency))"
    r"(?:\s+[\w.&-]+){0,3}?\s+(?:dari\s+|and\s+|dan\s+)?|\(\s*)$",
    re.IGNORECASE,
)
# strong cues: a name the NER alone proposed is an outlet only after these
_STRONG = re.compile(
    r"\b(?:dilansir|melansir|dikutip|mengutip|seperti\s+dilaporkan|kantor\s+berita|told|reported\s+by|"
    r"quoted\s+by|cited\s+by|news\s+agency|wire\s+service)\b(?:\s+\S+){0,3}?\s+(?:dari\s+)?$",
    re.IGNORECASE,
)


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.casefold())


@cache
def _names() -> frozenset[str]:
    out: set[str] = set()
    for p in publishers():
        for n in [p.get("name", ""), p.get("id", ""), *(p.get("aliases") or [])]:
            n = str(n)
            if "." in n and " " not in n:  # a domain, not a name written in text
                continue
            if _norm(n):
                out.add(_norm(n))
    return frozenset(out)


def is_outlet_name(surface: str) -> bool:
    """A known outlet, or a hyphen/slash pair of known outlets ("Yonhap-OANA", "AFP/Reuters")."""
    if _norm(surface) in _names():
        return True
    parts = [p for p in re.split(r"\s*[-/–]\s*", surface) if p]
    return len(parts) > 1 and sum(_norm(p) in _names() for p in parts) >= 1 and \
        all(_norm(p) in _names() or p.isupper() for p in parts)


def cited(text: str, start: int, end: int, *, strong: bool = False) -> bool:
    """The name at [start, end) stands where a cited source stands (after a citation cue, or in
    brackets)."""
    before = text[max(0, start - 60):start]
    if strong:
        return bool(_STRONG.search(before))
    if before.rstrip().endswith("(") and text[end:end + 2].lstrip().startswith(")"):
        return True
    return bool(_CUE.search(before))


def cited_outlet(text: str, start: int, end: int, *, registry_name: bool) -> bool:
    """Whether the mention at [start, end) is a cited outlet, not an actor. `registry_name`: the name
    was found in the actor registry (then it must also be a known outlet)."""
    surface = text[start:end]
    if is_outlet_name(surface):
        return cited(text, start, end)
    if registry_name:
        return False
    return cited(text, start, end, strong=True)
