"""Matching names read from text to listed parties (sanctions lists as FtM entities).

Each match has a score in [0, 1] and its reasons. The steps, cheapest first:
1. IMO number: a vessel's IMO number (check digit verified) equal to a listed vessel's → 1.0. A vessel
   named like a listed one but given a *different* IMO number is not that vessel (no match).
2. The name as written, transliterated to ASCII (`normality`), casefolded, punctuation and legal
   forms (PT, Co., Ltd, Corporation ...) and vessel prefixes (kapal tanker, MV, the vessel ...)
   removed → identical: 0.97.
3. Korean romanisation folded: syllables of one hangul syllable spelt several ways map to one key
   (Ri/Rhee/Lee/Yi, Pak/Park/Bak, Choe/Choi, Jong/Jeong/Chong, Un/Eun ...), run-together given names
   split (Jongun → jong un), word order ignored (Kim Jong Un / Jong Un KIM): identical → 0.93.
4. Fuzzy (`rapidfuzz`): candidates with as many words, all but one of them equal, token-sorted ratio ≥ 88 and every word
   paired with a word of the listed name that is equal or (for words of 5+ letters) one edit away;
   numbers must be equal (Yu Jong 2 is not Yu Jong 3) → ratio × 0.9.
Person names need two words; the kind of the mention (person, organisation, vessel) must fit the
listed schema. Hand-written rules over `rigour`/`nomenklatura`: see docs/monitoring.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

THRESHOLD = 0.8
FUZZY_CUTOFF = 88.0

# one key per hangul syllable spelt several ways (McCune-Reischauer, Revised Romanisation, usage)
FOLD = {
    "rhee": "ri", "lee": "ri", "yi": "ri", "rhie": "ri", "li": "ri", "rie": "ri",
    "park": "pak", "bak": "pak", "pack": "pak",
    "choi": "choe", "chwe": "choe", "choy": "choe",
    "gim": "kim",
    "jeong": "jong", "chong": "jong", "cheong": "jong", "joung": "jong",
    "eun": "un", "oon": "un",
    "soo": "su", "sou": "su",
    "young": "yong", "yeong": "yong",
    "chul": "chol", "cheol": "chol", "choel": "chol",
    "ryeong": "ryong", "ryung": "ryong",
    "shik": "sik", "seek": "sik",
    "beom": "bom", "pom": "bom", "bum": "bom",
    "hyun": "hyon", "hyeon": "hyon",
    "sung": "song", "seong": "song",
    "hye": "hye", "hey": "hye",
    "gwang": "kwang", "kwan": "kwang",
    "taek": "thaek", "tek": "thaek",
    "ho": "ho", "hoh": "ho",
    "myung": "myong", "myeong": "myong",
    "yoon": "yun", "youn": "yun",
    "han": "han", "hahn": "han",
    "kang": "kang", "gang": "kang",
    "jang": "jang", "chang": "jang",
    "jo": "jo", "cho": "jo",
    "gil": "kil",
    "dong": "dong", "tong": "dong",
    "baek": "paek", "paik": "paek", "baik": "paek",
}
SYLLABLES = frozenset(set(FOLD) | set(FOLD.values()) | {
    "kim", "ri", "pak", "choe", "jong", "un", "il", "nam", "sik", "su", "yong", "chol", "hae", "ryong", "bom",
    "song", "ho", "han", "kang", "jang", "jo", "kil", "dong", "hyon", "myong", "yun", "kwang", "thaek", "hui",
    "yo", "jung", "sam", "ma", "san", "yu", "paek", "an", "chon", "sun", "ok", "gyong", "kyong", "mun", "hak",
    "chun", "min", "jin", "won", "sok", "hwa", "ung", "gun", "hyok", "chang", "tae", "ryol", "mu", "sin"})
ORG_NOISE = frozenset({
    "pt", "cv", "tbk", "persero", "perusahaan", "co", "company", "companies", "ltd", "limited", "corp", "corporation",
    "inc", "incorporated", "llc", "plc", "sdn", "bhd", "gmbh", "sa", "jsc", "the", "pelayaran", "shipping"})
VESSEL_PREFIX = re.compile(r"^(?:the\s+)?(?:kapal\s+(?:tanker\s+|kargo\s+|minyak\s+|barang\s+|curah\s+)?|"
                           r"tanker\s+|vessel\s+|ship\s+|m[/.\s]*v\.?\s+|m[/.\s]*t\.?\s+|k[/.\s]*m\.?\s+|kapal\s+motor\s+)+", re.I)
VESSEL_NOISE = frozenset({"no", "nomor", "number"})
PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
KINDS: dict[str, frozenset[str]] = {"person": PERSON_SCHEMATA, "organization": ORG_SCHEMATA,
                                    "vessel": frozenset({"Vessel"})}


@dataclass(frozen=True, slots=True)
class Listed:
    """A listed party, as the matcher needs it."""

    entity_id: str
    list: str
    schema: str
    caption: str
    names: tuple[str, ...]
    imos: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    listing_date: str | None = None


@dataclass(slots=True)
class Match:
    listed: Listed
    score: float
    reasons: list[str]
    mention: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.listed.entity_id, "list": self.listed.list, "schema": self.listed.schema,
                "caption": self.listed.caption, "score": round(self.score, 3), "reasons": self.reasons,
                "mention": self.mention, "start": self.start, "end": self.end}


# -- normalisation ----------------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def plain_tokens(name: str, vessel: bool = False) -> tuple[str, ...]:
    """ASCII, casefolded words without punctuation, legal forms or vessel prefixes."""
    if vessel:
        name = VESSEL_PREFIX.sub("", name.strip())
    name = _PARENS.sub(" ", name)  # parenthesised abbreviations are aliases of their own
    if name.isascii():  # the common case, without the transliteration machinery
        text = _NON_WORD.sub(" ", name.casefold())
    else:
        from normality import normalize

        text = normalize(name, ascii=True) or ""
    toks = [t for t in text.split() if t not in ORG_NOISE and not (vessel and t in VESSEL_NOISE)]
    if vessel:
        toks = _split_digits(toks)
    return tuple(toks)


_PARENS = re.compile(r"\(([^)]*)\)")
_NON_WORD = re.compile(r"[\W_]+")


def _split_digits(toks: list[str]) -> list[str]:
    out = []
    for t in toks:
        m = re.fullmatch(r"([a-z]+)(\d+)", t)
        out += [m.group(1), m.group(2)] if m else [t]
    return out


@lru_cache(maxsize=200_000)
def canon_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for t in tokens:
        for s in split_syllables(t):
            out.append(FOLD.get(s, s))
    return tuple(out)


def split_syllables(token: str) -> list[str]:
    """'jongun' → ['jong', 'un'] when the whole token splits into known romanised syllables."""
    if token in SYLLABLES or len(token) < 4 or not token.isalpha():
        return [token]
    got = _split(token)
    return got or [token]


@lru_cache(maxsize=100_000)
def _split(token: str) -> list[str] | None:
    if not token:
        return []
    for i in range(min(len(token), 6), 1, -1):
        head = token[:i]
        if head in SYLLABLES:
            rest = _split(token[i:])
            if rest is not None:
                return [head, *rest]
    return None


def aliases_of(name: str) -> list[str]:
    """A listed name and the abbreviations it gives in parentheses: 'X COMPANY (OMM)' → X COMPANY, OMM."""
    out = [name]
    for inner in re.findall(r"\(([^)]{2,40})\)", name):
        if re.fullmatch(r"[A-Z0-9&.\- ]{2,}", inner.strip()):
            out.append(inner.strip())
    return out


def listed_from_ftm(data: dict[str, Any], list_name: str, sanctions: dict[str, dict[str, Any]] | None = None) -> Listed:
    props = data.get("properties", {})
    names = [*props.get("name", []), *props.get("alias", []), *props.get("weakAlias", []),
             *props.get("previousName", [])]
    imos = tuple(re.sub(r"\D", "", i) for i in props.get("imoNumber", []))
    s = (sanctions or {}).get(data["id"], {}).get("properties", {})
    return Listed(entity_id=data["id"], list=list_name, schema=data["schema"], caption=names[0] if names else data["id"],
                  names=tuple(dict.fromkeys(names)), imos=imos,
                  programs=tuple(s.get("program", []) or props.get("program", [])),
                  listing_date=(s.get("listingDate") or [None])[0])


# -- the matcher ------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Name:
    listed: int
    plain: tuple[str, ...]
    canon: tuple[str, ...]
    canon_text: str


class Matcher:
    def __init__(self, listed: Iterable[Listed]) -> None:
        self.listed: list[Listed] = list(listed)
        self.names: list[_Name] = []
        self.by_plain: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.by_canon: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.by_drop: dict[tuple[str, ...], list[int]] = defaultdict(list)  # all words but one → names
        self.by_imo: dict[str, list[int]] = defaultdict(list)
        for li, entry in enumerate(self.listed):
            vessel = entry.schema == "Vessel"
            for imo in entry.imos:
                self.by_imo[imo].append(li)
            for raw in entry.names:
                for name in aliases_of(raw):
                    plain = plain_tokens(name, vessel)
                    if not plain:
                        continue
                    canon = canon_tokens(plain)
                    ni = len(self.names)
                    self.names.append(_Name(li, plain, canon, " ".join(sorted(canon))))
                    self.by_plain[tuple(sorted(plain))].append(ni)
                    self.by_canon[tuple(sorted(canon))].append(ni)
                    for key in _drop_one(canon):
                        self.by_drop[key].append(ni)

    @classmethod
    def from_store(cls, store: Any) -> Matcher:
        from pantau.services.sanctions_lists import entities

        rows = entities(store)
        sanctions = {}
        for d in rows:
            if d["schema"] == "Sanction":
                for eid in d.get("properties", {}).get("entity", []):
                    sanctions[eid] = d
        return cls(listed_from_ftm(d, d["datasets"][0], sanctions) for d in rows
                   if d["schema"] in {"Person", "Vessel"} | ORG_SCHEMATA)

    def __len__(self) -> int:
        return len(self.listed)

    def match(self, mention: str, kind: str | None = None, imo: str | None = None,
              threshold: float = THRESHOLD) -> list[Match]:
        """Listed parties `mention` may name, best first. `kind`: person | organization | vessel | None."""
        schemata = KINDS.get(kind or "")
        found: dict[int, Match] = {}

        def offer(li: int, score: float, reasons: list[str]) -> None:
            entry = self.listed[li]
            if schemata is not None and entry.schema not in schemata:
                return
            old = found.get(li)
            if old is None or score > old.score:
                found[li] = Match(entry, score, reasons, mention)

        if imo:
            for li in self.by_imo.get(imo, ()):
                offer(li, 1.0, [f"IMO {imo} identical"])
        vessel = kind == "vessel" or (kind is None and bool(VESSEL_PREFIX.match(mention)))
        plain = plain_tokens(mention, vessel)
        if plain and (kind != "person" or len(plain) >= 2):
            canon = canon_tokens(plain)
            for ni in self.by_plain.get(tuple(sorted(plain)), ()):
                offer(self.names[ni].listed, 0.97, ["name identical after normalisation"])
            for ni in self.by_canon.get(tuple(sorted(canon)), ()):
                n = self.names[ni]
                if n.listed not in found:
                    offer(n.listed, 0.93, [f"romanisation variant ({' '.join(plain)} ~ {' '.join(n.plain)})"])
            if not found:
                self._fuzzy(canon, offer)
        out = []
        for li, m in found.items():
            entry = self.listed[li]
            if imo and entry.imos and imo not in entry.imos:
                continue  # a vessel of the same name with another IMO number is another vessel
            if m.score >= threshold:
                out.append(m)
        out.sort(key=lambda m: (-m.score, m.listed.entity_id))
        return out

    def _fuzzy(self, canon: tuple[str, ...], offer: Any) -> None:
        from rapidfuzz import fuzz, process

        cands: set[int] = set()
        for key in _drop_one(canon):
            cands.update(self.by_drop.get(key, ()))
        if not cands:
            return
        ids = list(cands)
        query = " ".join(sorted(canon))
        for _, ratio, k in process.extract(query, [self.names[i].canon_text for i in ids], scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_CUTOFF, limit=None):
            n = self.names[ids[k]]
            if _paired(canon, n.canon):
                offer(n.listed, ratio / 100 * 0.9, [f"similar name (rapidfuzz ratio {ratio:.0f}: {' '.join(n.canon)})"])


def _drop_one(canon: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Blocking keys for the fuzzy step: the sorted words with one left out (a name of one word has none),
    so a candidate shares every word but one and has as many words."""
    if len(canon) < 2:
        return set()
    words = sorted(canon)
    return {tuple(words[:i] + words[i + 1:]) for i in range(len(words))}


def _paired(a: Sequence[str], b: Sequence[str]) -> bool:
    """Every word of `a` pairs with a distinct word of `b`: equal, or one edit apart if 5+ letters."""
    from rapidfuzz.distance import Levenshtein

    rest = list(b)
    for t in sorted(a, key=len, reverse=True):
        hit = next((u for u in rest if u == t), None)
        if hit is None and len(t) >= 5 and not t.isdigit():
            hit = next((u for u in rest if len(u) >= 5 and Levenshtein.distance(t, u) <= 1), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True
