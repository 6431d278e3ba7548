"""Event lexicons (`lang/<code>/events.yaml`) and the stemming that matches triggers to tokens.

Indonesian tokens get a set of candidate stems: PySastrawi's stem plus a light affix stripper
(me-/ber-/di-/ter-/pe(N)-/per-/ke- with nasal recoding, -kan/-i/-an/-nya), so that one
lexicon stem covers "mengunjungi / kunjungan / berkunjung / dikunjungi". English tokens get
base forms from a suffix stripper and a table of irregular verbs. Both are cached per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Lexicon", "TriggerSpec", "TOKEN_RE", "load_lexicon", "stems_of"]

# a hyphen or dot joins lowercase continuations ("Jong-un", "negara-negara", "10.000") but not two
# names ("Rusia-Korut", "AS-Korsel"), so each side can be an actor
TOKEN_RE = re.compile(r"\w+(?:[-'’.](?=[^\W_A-Z])\w+)*|[^\w\s]")


@dataclass(slots=True, frozen=True)
class TriggerSpec:
    type: str
    keys: tuple[str, ...]  # one key (word or stem), or a phrase of keys
    exact: bool  # keys are surface words (not stems)
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    control: str | None = None
    group: bool = False
    default_target: str | None = None
    abroad: str | None = None
    needs_target: bool = True
    complement: bool = False
    needs_object: frozenset[str] = frozenset()
    light_only: bool = False  # as a noun, an event only with a light verb ("impose sanctions", not "UN sanctions")
    receive: bool = False  # the subject receives: the giver is after "dari/from" ("menerima minyak dari Rusia")


@dataclass(slots=True)
class Lexicon:
    language: str
    by_key: dict[str, list[TriggerSpec]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # cue lists, lowercased
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # multi-word cues
    irregular: dict[str, str] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        return self.words.get(name, frozenset())


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    return [str(x).lower() for x in (v if isinstance(v, list) else [v])]


@lru_cache(maxsize=4)
def load_lexicon(language: str) -> Lexicon:
    code = language if language in ("id", "en") else "en"
    raw = yaml.safe_load(resources.files(f"pantau.lang.{code}").joinpath("events.yaml").read_text("utf-8"))
    lex = Lexicon(language=code, irregular={str(k): str(v) for k, v in (raw.get("irregular") or {}).items()})
    groups: dict[str, list[str]] = {
        "reporting": _as_list(raw.get("reporting")),
        "reporting_words": _as_list(raw.get("reporting_words")),
        "light_verbs": _as_list(raw.get("light_verbs")),
        "hosting_verbs": _as_list(raw.get("hosting_verbs")),
        "clause_breaks": _as_list(raw.get("clause_breaks")),
        "coordinators": _as_list(raw.get("coordinators")),
        "fronting": _as_list(raw.get("fronting")),
        "proposing": _as_list(raw.get("proposing")),
        "offers": _as_list(raw.get("offers")),
        "unnamed_agents": _as_list(raw.get("unnamed_agents")),
    }
    for sect in ("anaphora", "factuality", "prepositions", "votes"):
        for k, v in (raw.get(sect) or {}).items():
            groups[f"{sect}.{k}" if sect != "prepositions" else f"prep.{k}"] = _as_list(v)
    for name, items in groups.items():
        lex.words[name] = frozenset(i for i in items if " " not in i)
        lex.phrases[name] = tuple(tuple(i.split()) for i in items if " " in i)
    for t in raw.get("triggers") or []:
        common = dict(
            type=t["type"], mode=t.get("mode"), contexts=tuple(t.get("contexts") or ()),
            targets=tuple(_as_list(t.get("targets"))), control=t.get("control"), group=bool(t.get("group")),
            default_target=t.get("default_target"), abroad=t.get("abroad"),
            needs_target=bool(t.get("needs_target", True)), complement=bool(t.get("complement")),
            needs_object=frozenset(_as_list(t.get("needs_object"))),
            light_only=bool(t.get("light_only")), receive=bool(t.get("receive")),
        )
        specs: list[TriggerSpec] = []
        for s in _as_list(t.get("stems")):
            specs.append(TriggerSpec(keys=(s,), exact=False, **common))
        for w in _as_list(t.get("words")):
            specs.append(TriggerSpec(keys=tuple(w.split()), exact=True, **common))
        if t.get("phrase"):
            specs.append(TriggerSpec(keys=tuple(_as_list(t["phrase"])), exact=False, **common))
        for sp in specs:
            lex.by_key.setdefault(sp.keys[0], []).append(sp)
    for lst in lex.by_key.values():
        lst.sort(key=lambda s: -len(s.keys))
    return lex


# ---------------------------------------------------------------- Indonesian stems

@lru_cache(maxsize=1)
def _sastrawi() -> Any:
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:  # pragma: no cover
        return None
    return StemmerFactory().create_stemmer()


_ID_PREFIXES = (
    ("meng", ("", "k")), ("meny", ("s",)), ("mem", ("", "p")), ("men", ("", "t")), ("me", ("",)),
    ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("", "p")), ("pen", ("", "t")), ("per", ("",)),
    ("pe", ("",)), ("ber", ("",)), ("be", ("",)), ("di", ("",)), ("ter", ("",)), ("ke", ("",)), ("se", ("",)),
)
_ID_SUFFIXES = ("kannya", "nya", "kan", "an", "i", "lah", "kah")


def _id_candidates(word: str) -> set[str]:
    out = {word}
    bases = {word}
    for suf in _ID_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            bases.add(word[: -len(suf)])
    for b in list(bases):
        for pre, recodes in _ID_PREFIXES:
            if b.startswith(pre) and len(b) - len(pre) >= 3:
                rest = b[len(pre):]
                for r in recodes:
                    out.add(r + rest)
                # "memper-", "diper-", "memper...kan"
                if rest.startswith("per") and len(rest) > 6:
                    out.add(rest[3:])
                break
        out.add(b)
    return out


@lru_cache(maxsize=200_000)
def _stems_id(word: str) -> frozenset[str]:
    out = _id_candidates(word)
    st = _sastrawi()
    if st is not None and word.isalpha() and len(word) > 3:
        out.add(st.stem(word))
    return frozenset(out)


# ---------------------------------------------------------------- English stems

def _en_candidates(word: str, irregular: dict[str, str]) -> set[str]:
    out = {word}
    if word in irregular:
        out.add(irregular[word])
    for suf, rep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                     ("s", ""), ("ment", ""), ("ments", ""), ("ation", "e"), ("ations", "e"), ("ion", ""),
                     ("ions", ""), ("al", "")):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            base = word[: -len(suf)] + rep
            out.add(base)
            if len(base) > 3 and base[-1] == base[-2] and not rep:  # "planned" -> "plan"
                out.add(base[:-1])
    return out


@lru_cache(maxsize=200_000)
def _stems_en(word: str) -> frozenset[str]:
    return frozenset(_en_candidates(word, load_lexicon("en").irregular))


def stems_of(word: str, language: str) -> frozenset[str]:
    """Candidate stems of a lowercased word (the word itself included)."""
    return _stems_id(word) if language == "id" else _stems_en(word)
