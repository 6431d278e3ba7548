"""One sentence as the event rules see it: tokens, actors (entity hits folded and grouped,
pronouns and "kedua belah pihak" resolved from the discourse), places and name spans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pantau.nlp.events_lexicon import TOKEN_RE, Lexicon, TriggerSpec, load_lexicon, stems_of
from pantau.nlp.segment import Sentence

_ACTOR_TYPES = frozenset({"country", "organization", "person"})


_SKIP = frozenset({"was", "were", "is", "are", "been", "being", "juga", "telah", "sudah", "akan", "turut", "pun", "lalu", "kemudian", "also", "has", "have",
                   "had", "then", "will", "to", "untuk", "guna", "tidak", "not", "belum", "segera", "pernah",
                   "sedang", "masih", "baru", "kembali", "ikut", "again", "later", "jointly", "bersama-sama"})


_FILLERS = frozenset({"the", "para", "pemerintah", "pihak", "negara", "its", "their", "pejabat", "officials",
                      "pemimpin", "presiden", "menteri", "perdana", "kanselir", "ketua", "wakil", "leader",
                      "president", "minister", "prime", "chancellor", "juru", "bicara", "spokesperson"})


_DI_WORDS = frozenset({"diskusi", "dialog", "diplomasi", "diplomatik", "direktur", "dinas", "digital", "diktator",
                       "dirinya", "disiplin", "distribusi", "divisi"})


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    low: str


@dataclass(slots=True)
class Actor:
    ids: list[str]
    roots: list[str]
    i: int  # first token
    j: int  # last token (inclusive)
    person: bool = False
    anaphor: bool = False
    weak: bool = False  # "mereka" / "they": a group too vague to split into source and target


@dataclass(slots=True)
class Trig:
    spec: TriggerSpec
    i: int
    j: int
    nominal: bool = False
    passive: bool = False
    suppressed: bool = False
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)


@dataclass(slots=True)
class Discourse:
    last_person: Actor | None = None
    last_group: list[Actor] = field(default_factory=list)
    last_by_type: dict[str, tuple[int, list[Actor]]] = field(default_factory=dict)
    seq: int = 0
    # every event so far: (type, source, target, source is an international body, sentence number)
    history: list[tuple[str, list[Actor], list[Actor], bool, int]] = field(default_factory=list)
    sentences: int = 0  # sentences read so far (numbers the history)
    # general act nouns ("resolution", "laporan") -> the source of the event told where they were last named
    named_acts: dict[str, list[Actor]] = field(default_factory=dict)


def _is_reporting(lex: Lexicon, low: str) -> bool:
    """A reporting verb ("mengatakan", "kata", "said"), not a word that merely shares its stem
    ("tersebut", "pernyataan")."""
    return _reporting(lex.language, low)


@lru_cache(maxsize=100_000)
def _reporting(language: str, low: str) -> bool:
    lex = load_lexicon(language)
    rep = lex.cue("reporting")
    if low in lex.cue("reporting_words"):
        return True
    if lex.language == "id":
        return low.startswith(("me", "di", "ber")) and bool(stems_of(low, "id") & rep)
    return bool(stems_of(low, "en") & rep) and not low.endswith(("ment", "tion", "ing"))


def _tokens(text: str, base: int) -> list[Tok]:
    return [Tok(base + m.start(), base + m.end(), m.group(0).lower()) for m in TOKEN_RE.finditer(text)]


def _tok_index(toks: list[Tok], start: int, end: int) -> tuple[int, int] | None:
    lo, hi = 0, len(toks)
    while lo < hi:  # first token ending after `start`
        mid = (lo + hi) // 2
        if toks[mid].end > start:
            hi = mid
        else:
            lo = mid + 1
    if lo >= len(toks):
        return None
    i = lo
    j = i
    while j + 1 < len(toks) and toks[j + 1].start < end:
        j += 1
    return i, j


class _Sent:
    """Everything the argument rules need about one sentence."""

    def __init__(self, text: str, sent: Sentence, lex: Lexicon, hits: Sequence[Any],
                 root_of: Callable[[str], str], type_of: Callable[[str], str | None],
                 names: Sequence[Any] = ()) -> None:
        self.text, self.sent, self.lex = text, sent, lex
        self.toks = _tokens(sent.text, sent.start)
        self.name_toks: set[int] = set()
        for nm in names:
            span = _tok_index(self.toks, nm.start, nm.end)
            if span:
                self.name_toks.update(range(span[0], span[1] + 1))
        self.root_of, self.type_of = root_of, type_of
        self.country_of: Callable[[str], str | None] | None = None
        self.actors: list[Actor] = []
        self.places: list[tuple[int, str]] = []  # token index, place id
        self.place_toks: set[int] = set()
        self._groups: list[list[Actor]] | None = None
        self._hits = hits

    def prepare(self) -> None:
        self._build_actors(self._hits)

    # ----------------------------------------------------------------- actors
    def _build_actors(self, hits: Sequence[Any]) -> None:
        inside = [h for h in hits if h.start >= self.sent.start and h.end <= self.sent.end]  # pre-bucketed
        inside.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Any] = []
        for h in inside:  # drop nested hits, keep the longest
            if kept and h.start < kept[-1].end:
                continue
            kept.append(h)
        loc = self.lex.cue("prep.location")
        raw: list[Actor] = []
        for h in kept:
            span = _tok_index(self.toks, h.start, h.end)
            if span is None:
                continue
            i, j = span
            etype = getattr(h, "type", None) or self.type_of(h.entity_id)
            prev = self.toks[i - 1].low if i > 0 else ""
            if etype == "place" or (getattr(h, "metonym", False) and prev in loc):
                self.place_toks.update(range(i, j + 1))
                if etype == "place":
                    self.places.append((i, h.entity_id))
                continue
            if etype not in _ACTOR_TYPES:
                continue
            raw.append(Actor([h.entity_id], [self.root_of(h.entity_id)], i, j, person=etype == "person"))
        # fold a country/body that only qualifies the next actor ("Menlu Korea Selatan Cho Tae-yul",
        # "Korea Utara (Korut)", "Komandan NATO Jenderal Cavoli")
        out: list[Actor] = []
        for a in raw:
            if out:
                p = out[-1]
                gap = self.toks[p.j + 1:a.i]
                title_gap = len(gap) <= 3 and all(t.low in "()" or self._is_cap(t) for t in gap)
                if p.ids == a.ids and len(gap) <= 2 and all(t.low in "()," for t in gap):
                    p.j = a.j
                    continue
                if title_gap and p.roots == a.roots and p.ids != p.roots and a.ids == a.roots:
                    p.j = a.j  # "Departemen Keuangan Amerika Serikat (AS)": the country qualifies the body
                    continue
                if title_gap and (a.person or p.roots == a.roots) and not p.person:
                    out[-1] = Actor(a.ids, a.roots, p.i, a.j, person=a.person)
                    continue
            out.append(a)
        self.actors = out

    def gap(self, lo: int, hi: int) -> list[Tok]:
        """The tokens in [lo, hi) that count as distance: not inside a name, not a title word."""
        return [self.toks[k] for k in range(lo, hi) if k not in self.name_toks and not self._title_word(self.toks[k])]

    def _title_word(self, t: Tok) -> bool:
        """A capitalised word that can be part of an actor's title ("dan Menteri Pertahanan …"), not a
        headline verb ("Korut Luncurkan Rudal, …")."""
        return self.sent.kind != "title" and self._is_cap(t) and not _specs_for(self.lex.language, t.low)

    def _is_cap(self, t: Tok) -> bool:
        s = self.text[t.start:t.end]
        return s[:1].isupper() and t.low not in self.lex.cue("coordinators")

    def add_anaphors(self, disc: Discourse) -> None:
        person_words = self.lex.cue("anaphora.person")
        group_phr = self.lex.phrases.get("anaphora.group", ())
        group_words = self.lex.cue("anaphora.group")
        firsts = person_words | group_words | {p[0] for p in group_phr}
        taken = {k for a in self.actors for k in range(a.i, a.j + 1)}
        extra: list[Actor] = []
        for k, t in enumerate(self.toks):
            if t.low not in firsts or k in taken:
                continue
            if t.low in person_words and disc.last_person is not None and self.text[t.start:t.end] != "Nya":
                lp = disc.last_person
                extra.append(Actor(lp.ids, lp.roots, k, k, person=True, anaphor=True))
            elif disc.last_group:
                n = 0
                if t.low in group_words:
                    n = 1
                for ph in group_phr:
                    if tuple(x.low for x in self.toks[k:k + len(ph)]) == ph:
                        n = max(n, len(ph))
                if n:  # "kedua menteri": every member of the last group, at this position
                    weak = n == 1 and t.low in self.lex.cue("anaphora.weak")
                    extra += [Actor(a.ids, a.roots, k, k + n - 1, person=a.person, anaphor=True, weak=weak)
                              for a in disc.last_group]
        if extra:
            self.actors = sorted(self.actors + extra, key=lambda a: a.i)
            self._groups = None

    def groups(self) -> list[list[Actor]]:
        """Coordinated actors: "AS dan Korea Selatan", "A, B, C dan sekutu lainnya"."""
        if self._groups is None:
            self._groups = self._make_groups()
        return self._groups

    def _make_groups(self) -> list[list[Actor]]:
        words = self.lex.cue("coordinators") | {"and", "dan", "serta", "maupun", "&", "atau", "or", "-", "–"}
        conj = words | {","}
        chains: list[list[tuple[Actor, bool]]] = []
        for a in self.actors:
            if chains:
                p = chains[-1][-1][0]
                if p.anaphor and a.anaphor and (p.i, p.j) == (a.i, a.j):
                    chains[-1].append((a, True))
                    continue
                gap = self.toks[p.j + 1:a.i]
                if gap and len(gap) <= 5 and any(t.low in conj for t in gap) and \
                        all(t.low in conj or t.low in "()" or t.low in _FILLERS or self._title_word(t) for t in gap):
                    chains[-1].append((a, any(t.low in words for t in gap)))
                    continue
            chains.append([(a, False)])
        out: list[list[Actor]] = []
        for ch in chains:
            last = ch[-1][0]
            tail = self.toks[last.j + 1].low if last.j + 1 < len(self.toks) else ""
            if any(w for _, w in ch) or (len(ch) > 1 and tail in words):  # "A, B, C dan D": a list
                out.append([a for a, _ in ch])
            else:  # commas alone do not coordinate ("ke Rusia, Seoul mengatakan")
                out.extend([a] for a, _ in ch)
        return out

    def group_of(self, a: Actor) -> list[Actor]:
        for g in self.groups():
            if a in g:
                return g
        return [a]


@lru_cache(maxsize=100_000)
def _specs_for(language: str, low: str) -> tuple[TriggerSpec, ...]:
    """Trigger specs whose first key matches the word (as itself or through a stem)."""
    lex = load_lexicon(language)
    out: list[TriggerSpec] = []
    for key in sorted({low} | set(stems_of(low, language))):
        for spec in lex.by_key.get(key, ()):
            if (not spec.exact or key == low) and spec not in out:
                out.append(spec)
    # deterministic preference on ties: longer phrases, then specs that say more (mode), then lexicon order
    order = {id(sp): n for n, sp in enumerate(sp for lst in lex.by_key.values() for sp in lst)}
    out.sort(key=lambda sp: (-len(sp.keys), sp.mode is None, order.get(id(sp), 0)))
    return tuple(out)
