"""Tokenizer and alias matcher over the actor registry.

The matcher is a table from a normalised first token to the aliases starting with
it (longest first), built once per language and cached, so that matching is one
dict lookup per token: linear in the length of the text. Tokens are normalised
by case-folding and stripping accents; hyphens count as spaces ("Cho Tae-yul" =
"Cho Tae Yul"). Case matters where it must: an all-caps acronym alias (AS, PBB,
UN) matches only the same capitals, and a one-word alias (Rusia, Putin) only a
capitalised word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pantau.nlp.registry import Registry, load_registry

TOKEN_RE = re.compile(r"[^\W_]+|(?<!\w)-|-(?!\w)|[^\w\s-]")  # a hyphen inside a word is a gap
JOIN_GAP_RE = re.compile(r"[ \t\u00a0]*|-")
ABBREVIATIONS = {"gen", "dr", "mr", "mrs", "ms", "st", "lt", "col", "jl", "no", "adm", "sen", "rep", "prof", "u", "s"}

# Kinds of alias entries, strongest first (used when one alias has several meanings).
PRIORITY = {"blocker": 0, "person": 1, "org": 2, "body": 3, "country": 4, "capital": 5, "place": 6,
            "demonym": 7, "kind": 8, "surname": 9, "title": 10}
FREE, CAPITALISED, EXACT = 0, 1, 2


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    norm: str
    joined: bool  # only spaces or one hyphen (same line) since the previous token
    sent: int  # sentence number
    hyphen: bool = False  # the gap before is exactly one hyphen


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # see PRIORITY
    target: str  # entity id, ISO3 code, role or body kind
    extra: str | None = None  # place id of a capital; default body of a ministry kind


@dataclass(slots=True)
class Alias:
    norms: tuple[str, ...]
    mask: tuple[int, ...]
    entries: list[Entry]


@dataclass(slots=True)
class Match:
    i: int  # first token
    j: int  # one past the last token
    entries: list[Entry]

    @property
    def best(self) -> Entry:
        return self.entries[0]


@lru_cache(maxsize=200_000)
def norm_token(text: str) -> str:
    if text.isascii():
        return text.casefold()
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def tokenize(text: str, regions: list[tuple[int, int]] | None = None) -> list[Tok]:
    """Word and punctuation tokens of `text` inside `regions`, with sentence numbers."""
    spans = _merge(regions) if regions is not None else [(0, len(text))]
    toks: list[Tok] = []
    sent = 0
    for rs, re_ in spans:
        sent += 1
        prev_end = None
        for m in TOKEN_RE.finditer(text, rs, re_):
            s, e = m.span()
            word = m.group()
            if prev_end is None:
                gap, joined = "\n", False
            else:
                gap = text[prev_end:s]
                if toks and (gap != " " or toks[-1].text in ".!?") and _sentence_break(toks, gap, word):
                    sent += 1
                joined = gap in _JOINED or JOIN_GAP_RE.fullmatch(gap) is not None
            toks.append(Tok(s, e, word, norm_token(word), joined, sent, gap == "-"))
            prev_end = e
    return toks


_JOINED = frozenset({"", " ", "-"})  # the commonest gaps JOIN_GAP_RE accepts


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def _sentence_break(toks: list[Tok], gap: str, nxt: str) -> bool:
    if "\n" in gap:
        return True
    last = toks[-1]
    if last.text not in ".!?":
        return False
    if not (nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"“"):
        return False
    before = toks[-2] if len(toks) > 1 else None
    return not (before and (before.norm in ABBREVIATIONS or len(before.text) == 1) and last.text == ".")


def _mask(tokens: list[str], kind: str) -> tuple[int, ...]:
    out = []
    for t in tokens:
        letters = [c for c in t if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters) or (letters and any(c.isdigit() for c in t)):
            out.append(EXACT)
        elif len(tokens) == 1 and kind != "title" and t[:1].isupper():
            out.append(CAPITALISED)
        else:
            out.append(FREE)
    return tuple(out)


class Gazetteer:
    def __init__(self, reg: Registry, lang: str) -> None:
        self.reg = reg
        self.lang = lang
        self._table: dict[str, list[Alias]] = {}
        self._index: dict[tuple[str, ...], Alias] = {}
        self._build()
        self._fuzzy = self._typo_index()
        for aliases in self._table.values():
            aliases.sort(key=lambda a: -len(a.norms))
            for a in aliases:
                a.entries.sort(key=lambda e: PRIORITY[e.kind])

    def add(self, text: str, entry: Entry) -> None:
        raw = [m.group() for m in TOKEN_RE.finditer(text)]
        if not raw:
            return
        norms = tuple(norm_token(t) for t in raw)
        mask = _mask(raw, entry.kind)
        alias = self._index.get(norms)
        if alias is None:
            alias = Alias(norms, mask, [])
            self._index[norms] = alias
            self._table.setdefault(norms[0], []).append(alias)
        else:
            alias.mask = tuple(max(a, b) for a, b in zip(alias.mask, mask, strict=True))
        if entry not in alias.entries:
            alias.entries.append(entry)

    def _build(self) -> None:
        reg, lang = self.reg, self.reg.lang(self.lang)
        foreign = _other_lang_short_forms(reg, self.lang)
        for iso, names in reg.country_aliases.items():
            for n in names:
                if n in lang.countries or n in foreign:
                    continue
                self.add(n, Entry("country", iso))
        for n, iso in lang.countries.items():
            self.add(n, Entry("country", iso))
        for n, iso in lang.demonyms.items():
            self.add(n, Entry("demonym", iso))
        for code in reg.langs:
            other = reg.lang(code)
            for n, iso in other.capitals.items():
                place = reg.capital_places[n]
                self.add(n, Entry("capital", iso, place))
            for n, pid in other.places.items():
                self.add(n, Entry("place", pid))
        for a in reg.actors.values():
            if a.type == "organization":
                kind = "org" if a.affiliation is None and not a.id.startswith("org:") else "body"
                for n in a.aliases:
                    self.add(n, Entry(kind, a.id))
        for n, bid in reg.unqualified.items():
            # an unqualified alias names the body unless a country follows (see entities)
            for key, k in reg.kinds.items():
                if n in k.id_words or n in k.en_pre:
                    self.add(n, Entry("kind", key, bid))
                    break
            else:
                self.add(n, Entry("body", bid))
        for key, k in reg.kinds.items():
            for n in (*k.id_words, *k.en_pre, *k.en_post):
                self.add(n, Entry("kind", key))
        for p in reg.people.values():
            for n in (p.name, *p.aliases, *p.standalone):
                self.add(n, Entry("person", p.id))
            for sn in p.surnames:
                if sn not in (p.name, *p.aliases):
                    self.add(sn, Entry("surname", p.id))
        for n, role in lang.roles.items():
            self.add(n, Entry("title", role))
            for pre, prole in lang.role_prefixes.items():
                composed = f"{pre} {n}"
                if composed not in lang.roles:
                    self.add(composed, Entry("title", f"{prole} {role}"))
        for n in reg.blockers:
            self.add(n, Entry("blocker", ""))

    def _typo_index(self) -> dict[str, str]:
        """One-deletion variants of the long first words of multi-word names ("semenanjung" of
        "Semenanjung Korea"), so a misspelt first word (edit distance 1) still finds its name."""
        out: dict[str, str] = {}
        ambiguous: set[str] = set()
        for key, aliases in self._table.items():
            if len(key) < _TYPO_MIN or not key.isalpha() or not any(len(a.norms) > 1 for a in aliases):
                continue
            for v in {key[:k] + key[k + 1:] for k in range(len(key))} | {key}:
                if out.get(v, key) != key:
                    ambiguous.add(v)
                out[v] = key
        for v in ambiguous:
            del out[v]
        return out

    def _typo_key(self, t: Tok) -> str | None:
        w = t.norm
        if len(w) < _TYPO_MIN or not w.isalpha() or not t.text[:1].isupper():
            return None
        for v in (w, *(w[:k] + w[k + 1:] for k in range(len(w)))):
            key = self._fuzzy.get(v)
            if key is not None and key != w:
                return key
        return None

    def match(self, toks: list[Tok]) -> list[Match]:
        """Longest-leftmost, non-overlapping alias matches over the tokens. A long capitalised word
        that names nothing may be a one-letter typo of the first word of a multi-word name
        ("Semananjung Korea"); the rest of the name must then follow exactly."""
        out: list[Match] = []
        i, n = 0, len(toks)
        table = self._table
        while i < n:
            cands = table.get(toks[i].norm)
            if cands is None and i + 1 < n and len(toks[i].norm) >= _TYPO_MIN:
                key = self._typo_key(toks[i])
                cands = [a for a in table.get(key, ()) if len(a.norms) > 1] if key else None
            hit = None
            if cands:
                for a in cands:
                    if self._fits(a, toks, i):
                        hit = a
                        break
            if hit is None:
                i += 1
                continue
            out.append(Match(i, i + len(hit.norms), hit.entries))
            i += len(hit.norms)
        return out

    @staticmethod
    def _fits(a: Alias, toks: list[Tok], i: int) -> bool:
        k = len(a.norms)
        if i + k > len(toks):
            return False
        for off in range(k):
            t = toks[i + off]
            if off and (t.norm != a.norms[off] or not _adjacent(toks, i + off)):
                return False
            m = a.mask[off]
            if m == EXACT and not _exact(t.text):
                return False
            if m == CAPITALISED and not t.text[:1].isupper():
                return False
        return True


_TYPO_MIN = 8  # shortest word a typo is corrected in


def _exact(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return all(c.isupper() for c in letters)


def _adjacent(toks: list[Tok], i: int) -> bool:
    t = toks[i]
    if t.joined:
        return True
    prev = toks[i - 1]
    # "U.S." and "Jum'at": punctuation inside an alias is glued to its neighbours
    return prev.end == t.start and (not prev.text.isalnum() or not t.text.isalnum())


def _other_lang_short_forms(reg: Registry, lang: str) -> frozenset[str]:
    """Short forms of another language ("Korut") that are not names of a country in this one: a name
    the language itself uses ("Pakistan", "Nigeria" in English and Indonesian) stays."""
    own = set(reg.lang(lang).countries) | _locale_country_names(lang)
    return frozenset(n for code, ld in reg.langs.items() if code != lang for n in ld.countries if n not in own)


def _locale_country_names(lang: str) -> set[str]:
    try:
        from babel import Locale

        names = set(Locale(lang).territories.values())
    except Exception:  # an unknown locale: no names of its own
        return set()
    return names | {re.sub(r"\s*\(.*?\)\s*", " ", n).strip() for n in names}


@cache
def gazetteer(lang: str) -> Gazetteer:
    return Gazetteer(load_registry(), lang)
