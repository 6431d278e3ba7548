"""PLOVER events from segmented sentences, entity hits, dates and quantities.

Per sentence: tokens → actors (entity hits, modifiers folded into the person they qualify,
coordinated actors grouped, pronouns and "kedua belah pihak" resolved from the discourse) →
triggers (lexicon stems, phrases) → arguments (source: the possessor of a nominal trigger,
the agent after "oleh/by" of a passive, else the nearest free actor to the left, with
object control — "menuduh X memasok" makes X the supplier; target: the actor after one of
the trigger's prepositions, "antara X dan Y", or the direct object) → factuality (cue words
before the trigger, the governing trigger, reporting verbs) → date, location, quantities.
Repeats of the same happening in a document are then merged, keeping all evidence.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pantau.model import DateValue, Event, Evidence, Quantity
from pantau.nlp.events_lexicon import TOKEN_RE, Lexicon, TriggerSpec, load_lexicon, stems_of
from pantau.nlp.events_merge import merge_events
from pantau.nlp.segment import Sentence

__all__ = ["extract_events", "SYMMETRIC"]

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
_VOTE_UNITS = frozenset({"votes_for", "votes_against", "abstentions"})
_FACT_ORDER = ("negated", "hypothetical", "planned", "alleged", "reported", "asserted")
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


# ------------------------------------------------------------------- triggers

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


def _find_triggers(s: _Sent) -> list[Trig]:
    lex = s.lex
    toks = s.toks
    stems = [stems_of(t.low, lex.language) for t in toks]
    found: list[Trig] = []
    k = 0
    while k < len(toks):
        if k in s.name_toks:  # "Pakta Pertahanan Atlantik Utara", "Tim Pemantau Sanksi …" are names
            k += 1
            continue
        best: tuple[TriggerSpec, int] | None = None
        for spec in _specs_for(lex.language, toks[k].low):
            end = _match_rest(spec, toks, stems, k)
            if end is None:
                continue
            if spec.needs_object and not _has_object(spec, toks, stems, end):
                continue
            if best is None or (end - k, len(spec.keys)) > (best[1] - k, len(best[0].keys)):
                best = (spec, end)
        if best:
            spec, end = best
            found.append(Trig(spec, k, end))
            k = end + 1
        else:
            k += 1
    return found


def _match_rest(spec: TriggerSpec, toks: list[Tok], stems: list[frozenset[str]], k: int) -> int | None:
    pos = k
    for key in spec.keys[1:]:
        for step in (1, 2, 3):
            q = pos + step
            if q < len(toks) and (toks[q].low == key or (not spec.exact and key in stems[q])):
                pos = q
                break
        else:
            return None
    return pos


def _has_object(spec: TriggerSpec, toks: list[Tok], stems: list[frozenset[str]], end: int) -> bool:
    if end + 1 < len(toks) and toks[end + 1].low in ("tersebut", "itu", "ini"):
        return True  # "peluncuran tersebut": a known happening referred back to
    lo, hi = max(0, end - 3), min(len(toks), end + 9)
    return any(toks[q].low in spec.needs_object or stems[q] & spec.needs_object for q in range(lo, hi) if q != end)


def _is_nominal(s: _Sent, tr: Trig) -> bool:
    w = s.toks[tr.i].low
    prev = s.toks[tr.i - 1].low if tr.i > 0 else ""
    if s.lex.language == "id":
        if w.startswith(("me", "ber", "bek", "bel", "di", "ter")) and not w.startswith(("media", "meja")) \
                and w not in _DI_WORDS:
            return False
        if w.endswith("kan") and not w.startswith(("pe", "ke")):
            return False
        if prev in ("hak", "sebuah", "suatu", "para"):
            return True
        return w.endswith(("an", "si")) or w in ("kerja", "kerjasama", "sanksi", "embargo") \
            or len(tr.spec.keys) > 1 and not w.startswith(("me", "ber", "bek"))
    if prev in ("the", "a", "an", "its", "their", "his", "her", "this", "that", "'s", "’s", "new", "joint"):
        return True
    if tr.spec.light_only:  # "UN sanctions against X" is a noun; "US sanctions Russian firms" a verb
        return not (w.endswith("s") and any(a.j == tr.i - 1 and a.ids[0] != "UN" for a in s.actors)
                    and s.sent.kind == "title")
    return w.endswith(("tion", "sion", "ment", "ance", "ence", "ship", "als", "ks", "ings"))


def _is_passive(s: _Sent, tr: Trig) -> bool:
    w = s.toks[tr.i].low
    if s.lex.language == "id":
        return w.startswith("di") and len(w) > 5 and w not in _DI_WORDS
    prev = s.toks[tr.i - 1].low if tr.i > 0 else ""
    if not w.endswith(("ed", "en", "wn", "nt")):
        return False
    # "was condemned", or a reduced relative "the team, formed last year by …"
    return prev in ("was", "were", "is", "are", "been", "be", "being", "got") or \
        (prev == "," and any(t.low == "by" for t in s.toks[tr.j + 1:tr.j + 5]))


# ------------------------------------------------------------------- arguments

def _clause_end(s: _Sent, k: int, triggers: list[Trig]) -> int:
    """Index of the first token after trigger position k that ends its clause."""
    breaks = s.lex.cue("clause_breaks")
    for q in range(k + 1, len(s.toks)):
        t = s.toks[q].low
        if t in (";", ":") or t in breaks:
            return q
        if t == "," and q + 1 < len(s.toks) and (s.toks[q + 1].low in breaks or _is_reporting(s.lex, s.toks[q + 1].low)):
            return q
        if any(o.i == q and not o.suppressed for o in triggers):
            return q
    return len(s.toks)


def _actor_at(s: _Sent, i: int, j: int) -> list[Actor]:
    return [a for a in s.actors if i <= a.i < j]


def _after_prep(s: _Sent, tr: Trig, preps: set[str], limit: int, stop: int) -> list[Actor]:
    block = s.lex.cue("prep.blocking") | s.lex.cue("prep.target") | s.lex.cue("prep.between")
    topic = s.lex.cue("prep.topic")
    for q in range(tr.j + 1, stop):
        if s.toks[q].low in topic and s.toks[q].low not in preps:
            break  # "diskusi mengenai … dengan Rusia": what is discussed, not with whom
        if s.toks[q].low in preps:
            for a in s.actors:
                if a.i <= q:
                    continue
                between = s.gap(q + 1, a.i)
                if len(between) > 6 or any(t.low in block or t.low in (",", ";") for t in between):
                    break
                return s.group_of(a)
            continue
        if q - tr.j > limit:
            break
    return []


def _direct_object(s: _Sent, tr: Trig, stop: int, allow: int = 4) -> list[Actor]:
    block = s.lex.cue("prep.blocking") | s.lex.cue("prep.target") | s.lex.cue("clause_breaks") | {",", ";", "("}
    for a in s.actors:
        if a.i <= tr.j:
            continue
        between = s.gap(tr.j + 1, a.i)
        if a.i > stop or len(between) > allow or any(t.low in block for t in between):
            return []
        return s.group_of(a)
    return []


def _between(s: _Sent, tr: Trig, stop: int) -> list[Actor]:
    bw = s.lex.cue("prep.between")
    for q in range(tr.j + 1, min(stop, tr.j + 8)):
        if s.toks[q].low in bw:
            nxt = [a for a in s.actors if q < a.i <= q + 5]
            if nxt:
                return s.group_of(nxt[0])
    return []


def _event_types(lex: Lexicon, low: str) -> list[str]:
    """PLOVER types a single word can trigger, ignoring object constraints ("launch", "peluncuran")."""
    out = []
    for key in sorted({low} | set(stems_of(low, lex.language))):
        for spec in lex.by_key.get(key, ()):
            if not spec.exact or key == low:
                out += [spec.type] + ([spec.abroad] if spec.abroad else [])
    return out


def _anaphoric_event(s: _Sent, tr: Trig, trigs: list[Trig], disc: Discourse) -> list[Actor]:
    """"mengecam peluncuran tersebut" / "condemned the deployment" / "the launch was condemned":
    the target of a condemnation is the actor of the event referred back to."""
    if tr.spec.type not in ("ACCUSE", "THREATEN"):
        return []
    lex = s.lex
    if tr.passive:
        window = range(max(0, tr.i - 3), tr.i)
    else:
        window = range(tr.j + 1, min(len(s.toks), tr.j + 4))
    for k in window:
        if _actor_at(s, k, k + 1):
            return []
        types = _event_types(lex, s.toks[k].low)
        if not types:
            continue
        after = {t.low for t in s.toks[k + 1:k + 3]}
        before = s.toks[k - 1].low if k > 0 else ""
        if after & {"tersebut", "itu", "ini"} or before in ("the", "this", "that", "such", "its"):
            known = [disc.last_by_type[t] for t in types if t in disc.last_by_type]
            if known:
                return list(max(known, key=lambda x: x[0])[1])
    return []


def _assign(s: _Sent, trigs: list[Trig], consumed: dict[int, Trig], disc: Discourse) -> None:
    lex = s.lex
    agent = lex.cue("prep.agent")
    light = lex.cue("light_verbs")
    coord = lex.cue("coordinators")
    last_verbal: Trig | None = None
    last_any: Trig | None = None
    for tr in trigs:
        if tr.suppressed:
            continue
        tr.nominal = _is_nominal(s, tr)
        tr.passive = not tr.nominal and _is_passive(s, tr)
        stop = _clause_end(s, tr.j, trigs)
        spec = tr.spec
        preps = set(spec.targets) or set(lex.cue("prep.target"))
        pair = _between(s, tr, stop)
        light_subject = False
        if tr.nominal:
            poss = _direct_object(s, tr, stop, allow=4)
            if not poss and lex.language == "en" and tr.i > 0:
                poss = [a for a in s.actors if a.j in (tr.i - 1, tr.i - 2) and a.j < tr.i]
            prev_stems = set().union(*(stems_of(t.low, lex.language) for t in s.toks[max(0, tr.i - 2):tr.i])) \
                if tr.i else set()
            if spec.light_only and not prev_stems & light:
                continue  # "UN sanctions against X": the sanctions regime, not an act (no source, no event)
            if poss and not (pair and poss[0] in pair):
                tr.source = poss
                if prev_stems & s.lex.cue("hosting_verbs"):  # "Kim menerima kunjungan Belousov": Kim hosts
                    tr.target = [a for a in _left_source(s, tr, consumed, trigs) if a not in poss]
            elif pair:
                tr.source, tr.target = pair[:1], pair[1:]
            elif prev_stems & light:  # "melakukan kunjungan": the subject of the light verb
                tr.source = _left_source(s, tr, consumed, trigs)
                light_subject = True
            tgt = _after_prep(s, tr, preps - {"antara", "between"}, 10, stop)
            if tgt and not tr.target:
                tr.target = [a for a in tgt if a not in tr.source]
            if tgt and not tr.source and _after_prep(s, tr, preps - {"antara", "between"}, 3, stop):
                # "Putin tiba … untuk kunjungan pertamanya ke Korea Utara": the subject travels
                tr.source = [a for a in _left_source(s, tr, consumed, trigs) if a not in tgt]
        elif tr.passive:
            tr.source = _after_prep(s, tr, agent, 8, len(s.toks))
            if not tr.source:  # "didukung Uni Eropa": the agent may follow the verb directly
                tr.source = [a for a in s.actors if a.i == tr.j + 1]
            left = _left_source(s, tr, consumed, trigs)
            tr.target = left or _anaphoric_event(s, tr, trigs, disc)
            if not tr.source and pair:
                tr.source = pair
        else:
            prev = [t.low for t in s.toks[max(0, tr.i - 3):tr.i]
                    if t.low not in _SKIP and t.low not in lex.cue("factuality.alleged")]
            purpose = lex.cue("factuality.purpose")
            if last_verbal is not None and prev and (prev[-1] in coord or prev[-1] in purpose) \
                    and last_verbal.source:
                tr.source = last_verbal.source  # "X mengecam … dan meminta …", "X memanggil … untuk memprotes"
            elif prev and prev[-1] in lex.cue("prep.cause") and last_any is not None and last_any.target:
                tr.source = last_any.target  # "menjatuhkan sanksi terhadap X karena mengirim …": X sends
            elif prev and prev[-1] in ("yang", "who", "which", "that"):
                left = [a for a in s.actors if a.j < tr.i]
                tr.source = s.group_of(left[-1]) if left else []
            else:
                tr.source = _left_source(s, tr, consumed, trigs)
            if pair and not tr.source:
                tr.source, tr.target = pair[:1], pair[1:]
            else:
                tr.target = _direct_object(s, tr, stop, allow=1) or _after_prep(s, tr, preps, 10, stop) \
                    or _direct_object(s, tr, stop) \
                    or [a for a in pair if a.roots != tr.source[0].roots] \
                    or _anaphoric_event(s, tr, trigs, disc)
            last_verbal = tr
        for a in (tr.target + (tr.source if (tr.nominal and not light_subject) or tr.passive else [])
                  if tr.source else []):  # a trigger without a source makes no event and holds no actor
            consumed.setdefault(id(a), tr)
        last_any = tr
        if light_subject:
            last_verbal = tr
    # "mengecam pengiriman senjata Korea Utara ke Rusia": the accused is the actor of the act condemned
    for tr in trigs:
        if tr.suppressed or tr.target or tr.spec.type not in ("ACCUSE", "THREATEN"):
            continue
        nxt = [b for b in trigs if not b.suppressed and 0 <= b.i - tr.j - 1 <= 3 and b.source]
        if nxt and not _actor_at(s, tr.j + 1, nxt[0].i):
            tr.target = [a for a in nxt[0].source if a not in tr.source]


def _left_source(s: _Sent, tr: Trig, consumed: dict[int, Trig], trigs: list[Trig]) -> list[Actor]:
    block = s.lex.cue("prep.target") | s.lex.cue("prep.location") | s.lex.cue("prep.agent")
    for a in sorted((a for a in s.actors if a.j < tr.i), key=lambda a: -a.j):
        owner = consumed.get(id(a))
        if owner is not None and owner is not tr and owner.spec.control != "object":
            continue
        prev = s.toks[a.i - 1].low if a.i > 0 else ""
        if prev in block and owner is None:
            continue
        return s.group_of(a)
    # a post-posed speaker: "…, kata Kementerian X" / "…, said the ministry"
    for k in range(tr.j + 1, len(s.toks)):
        if _is_reporting(s.lex, s.toks[k].low):
            after = [a for a in s.actors if k < a.i <= k + 6]
            if after and tr.i > 0 and any(t.low in (",", "”", '"') for t in s.toks[tr.j:k]):
                return s.group_of(after[0])
            break
    return []


# ------------------------------------------------------------------- factuality

def _factuality(s: _Sent, tr: Trig, governor: Trig | None) -> str:
    lex = s.lex
    lo = max(0, tr.i - 4)
    window = [t.low for t in s.toks[lo:tr.i]]
    # stop the window at a clause break
    for q in range(len(window) - 1, -1, -1):
        if window[q] in (",", ";") or window[q] in lex.cue("clause_breaks"):
            window = window[q + 1:]
            break
    before_all = [t.low for t in s.toks[:tr.i]]
    if any(w in lex.cue("factuality.conditional") for w in before_all):
        return "hypothetical"
    for w in reversed(window):  # the cue nearest the trigger wins: "tidak menutup kemungkinan memasok"
        for fact in ("negated", "hypothetical", "planned"):
            if w in lex.cue(f"factuality.{fact}"):
                return fact
        if w in lex.cue("factuality.purpose") and lex.language == "id":
            return "planned"  # "untuk mengadakan pertemuan": what someone sets out to do
    if governor is not None and governor.spec.mode == "allege":
        return "alleged"
    if any(w in lex.cue("factuality.alleged") for w in window):
        return "alleged"
    if tr.spec.mode == "allege":
        return "asserted"
    inside = {k for a in s.actors for k in range(a.i, a.j + 1)}
    if any(_is_reporting(lex, t.low) for k, t in enumerate(s.toks) if k not in inside and k not in s.place_toks):
        return "reported"
    if s.sent.text[:1] in "“\"" or s.sent.text.rstrip(".")[-1:] in "”\"":
        return "reported"
    return "asserted"


# ------------------------------------------------------------------- dates, places, quantities

def _clause_bounds(s: _Sent, pos: int) -> tuple[int, int]:
    """Character bounds of the comma/semicolon clause around document offset pos."""
    txt, base = s.sent.text, s.sent.start
    rel = pos - base
    lo = max(txt.rfind(",", 0, rel), txt.rfind(";", 0, rel))
    hi_c = [x for x in (txt.find(",", rel), txt.find(";", rel)) if x >= 0]
    hi = min(hi_c) if hi_c else len(txt)
    return base + lo + 1, base + hi


_DIRECTIONAL = frozenset({"ke", "kepada", "to", "into"})
_ACCORDING = frozenset({"menurut", "according", "berdasarkan"})


def _speech_date(s: _Sent, d: Any) -> bool:
    """A date that belongs to the act of saying ("X pada Sabtu (6/4) mengatakan", "…, kata X, Kamis")."""
    span = _tok_index(s.toks, d.start, d.end)
    if span is None:
        return False
    i, j = span
    near = list(range(max(0, i - 7), i)) + list(range(j + 1, min(len(s.toks), j + 3)))
    return any(_is_reporting(s.lex, s.toks[q].low) and s.toks[q].low not in _ACCORDING
               and q not in s.name_toks for q in near)


def _pick_date(s: _Sent, tr: Trig, fact: str, dates: Sequence[Any], nearby: Sequence[Any],
               published: DateValue | None) -> tuple[DateValue | None, float]:
    pos = s.toks[tr.i].start
    c_lo, c_hi = _clause_bounds(s, pos)
    best: tuple[float, DateValue] | None = None
    planned_cues = s.lex.cue("factuality.planned")
    for d in dates:
        if not (s.sent.start <= d.start < s.sent.end) or _speech_date(s, d):
            continue
        dv: DateValue = d.value
        if fact != "planned" and published is not None and dv.start > published.start[:10]:
            continue  # a past happening cannot start after the article appeared
        same = c_lo <= d.start <= c_hi
        d_lo, d_hi = _clause_bounds(s, d.start)
        clause_words = {w.lower() for w in s.text[d_lo:d_hi].split()}
        if fact != "planned" and not same and clause_words & planned_cues:
            continue
        score = (0.0 if same else 2.0) + (0.5 if dv.basis == "relative" else 0.0) + abs(d.start - pos) / 1000
        if best is None or score < best[0]:
            best = (score, dv)
    if best:
        return best[1], best[0]
    for d in nearby:
        if d.value.basis == "relative" and not _speech_date(s, d):
            return d.value, 3.0
    if published is not None and fact in ("asserted", "reported", "alleged"):
        try:  # the week up to the publication day (or the whole period a coarse publication date spans)
            first, end = date.fromisoformat(published.start[:10]), date.fromisoformat(published.end[:10])
        except ValueError:
            return None, 9.0
        start = first - timedelta(days=6)
        return DateValue(start.isoformat(), end.isoformat(), "week", "publication", None), 5.0
    return None, 9.0


def _location(s: _Sent, tr: Trig, after_only: bool = False) -> str | None:
    """A place introduced by di/ke/in/at in the trigger's clause (for a visit: the place visited)."""
    if not s.places:
        return None
    loc = s.lex.cue("prep.location") | {"ke", "to", "into"}
    c_lo, c_hi = _clause_bounds(s, s.toks[tr.i].start)
    cands = [(abs(i - tr.i), pid) for i, pid in s.places
             if c_lo <= s.toks[i].start <= c_hi and (i > tr.j or not after_only)
             and (after_only and i == tr.j + 1 or any(t.low in loc for t in s.toks[max(0, i - 2):i]))]
    return min(cands)[1] if cands else None


def _quantities(s: _Sent, tr: Trig, quantities: Sequence[Quantity]) -> list[Quantity]:
    pos = s.toks[tr.i].start
    c_lo, c_hi = _clause_bounds(s, pos)
    out = []
    for q in quantities:
        if q.start is None or not (s.sent.start <= q.start < s.sent.end):
            continue
        if c_lo <= q.start <= c_hi or abs(q.start - pos) <= 60:
            out.append(q)
    return out


def _votes(s: _Sent, tr: Trig, quantities: Sequence[Quantity]) -> list[Quantity]:
    """Vote counts in a sentence about a veto / vote: 13 for, 1 against, abstentions."""
    lex = s.lex
    out: list[Quantity] = []
    low = s.sent.text.lower()
    for q in quantities:
        if q.start is None or not (s.sent.start <= q.start < s.sent.end):
            continue
        if q.unit in ("votes_for", "votes_against", "abstentions"):
            out.append(q)
            continue
        tail = low[q.end - s.sent.start if q.end else q.start - s.sent.start:][:60].split(",")[0]
        for unit, cue in (("votes_for", "votes.for"), ("votes_against", "votes.against"),
                          ("abstentions", "votes.abstain")):
            words = lex.cue(cue) | {" ".join(p) for p in lex.phrases.get(cue, ())}
            if any(f" {w}" in f" {tail}" for w in words if len(w) > 3):
                out.append(Quantity(int(q.value), unit, q.approx, q.text, q.start, q.end))
                break
    units = {q.unit for q in out}
    if "abstentions" not in units:
        n = sum(len(s.group_of(a)) for k, t in enumerate(s.toks) if t.low in lex.cue("votes.abstain")
                for a in s.actors if a.j == k - 1)
        if n:
            out.append(Quantity(n, "abstentions", False, ""))
    if "votes_against" not in units and tr.spec.mode == "veto":
        out.append(Quantity(max(1, len(tr.source)), "votes_against", False, ""))
    return out


# ------------------------------------------------------------------- driver

def _suppress_complements(s: _Sent, trigs: list[Trig]) -> None:
    """"menyerukan kerja sama", "mengecam transfer senjata": the object of a verbal trigger is not a
    happening of its own — unless it names its own actors ("mengecam pengiriman senjata Korea Utara
    ke Rusia": the shipment is reported too)."""
    for a, b in zip(trigs, trigs[1:], strict=False):
        if b.spec.complement and not _is_nominal(s, a) and 0 <= b.i - a.j - 1 <= 3 \
                and not _actor_at(s, a.j + 1, b.i):
            stop = _clause_end(s, b.j, trigs)
            preps = (set(b.spec.targets) or set(s.lex.cue("prep.target"))) & _DIRECTIONAL
            if preps and _direct_object(s, b, stop, allow=4) and _after_prep(s, b, preps, 6, stop):
                continue
            b.suppressed = True


def _governor(s: _Sent, trigs: list[Trig], tr: Trig) -> Trig | None:
    """The object-control trigger whose complement clause holds `tr` ("menuduh X memasok")."""
    prev = [t for t in trigs if t.j < tr.i and not t.suppressed and t.spec.control == "object"]
    if not prev or tr.i - prev[-1].j > 8:
        return None
    g = prev[-1]
    breaks = s.lex.cue("clause_breaks") | {";", ":"}
    if any(t.low in breaks for t in s.toks[g.j + 1:tr.i]):
        return None
    return g


def extract_events(text: str, sentences: Sequence[Sentence], hits: Sequence[Any], *,
                   language: str = "id", dates: Sequence[Any] = (), quantities: Sequence[Quantity] = (),
                   published: DateValue | None = None,
                   entity: Callable[[str], Any] | None = None, names: Sequence[Any] = ()) -> list[Event]:
    """Events of one document. `hits` are entity mentions (start, end, entity_id, type, metonym);
    `entity(id)` returns the entity (with `.type`, `.affiliation`, `.country`) or None; `names` are
    further (start, end) spans of names (all entity mentions) that can hold no trigger."""
    lex = load_lexicon(language)

    roots: dict[str, str] = {}
    types: dict[str, str | None] = {}

    def root_of(eid: str) -> str:
        if eid not in roots:
            e = entity(eid) if entity else None
            roots[eid] = (getattr(e, "affiliation", None) if e is not None else None) or eid
        return roots[eid]

    def country_of(eid: str) -> str | None:
        e = entity(eid) if entity else None
        return getattr(e, "country", None) if e is not None else None

    def type_of(eid: str) -> str | None:
        if eid not in types:
            e = entity(eid) if entity else None
            types[eid] = getattr(e, "type", None) if e is not None else None
        return types[eid]

    disc = Discourse()
    raw: list[tuple[Event, float]] = []
    starts = [x.start for x in sentences]

    def bucket(items: Sequence[Any]) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for it in items:
            if it.start is None:
                continue
            k = bisect_right(starts, it.start) - 1
            if k >= 0 and it.start < sentences[k].end:
                out.setdefault(k, []).append(it)
        return out

    hits_at, dates_at, qty_at, names_at = bucket(hits), bucket(dates), bucket(quantities), bucket(names)
    for idx, sent in enumerate(sentences):
        s = _Sent(text, sent, lex, hits_at.get(idx, []), root_of, type_of, names_at.get(idx, []))
        s.country_of = country_of
        trigs = _find_triggers(s)
        if not trigs:  # nothing to read here; keep the discourse (who was last named) up to date
            if len(s._hits) > 1 or any(getattr(h, "type", None) == "person" for h in s._hits):
                s.prepare()
                _update_discourse(s, trigs, disc)
            continue
        s.prepare()
        s.add_anaphors(disc)
        _suppress_complements(s, trigs)
        consumed: dict[int, Trig] = {}
        _assign(s, trigs, consumed, disc)
        nearby = [d for k in (idx - 1, idx + 1) if 0 <= k < len(sentences) and sentences[k].para == sent.para
                  for d in dates_at.get(k, [])]
        for tr in trigs:
            ev = _build(s, tr, trigs, dates_at.get(idx, []), nearby, qty_at.get(idx, []), published, sent)
            if ev is None:
                continue
            if ev[0].mode == "veto" and idx + 1 < len(sentences):
                have = {q.unit for q in ev[0].quantities}
                ev[0].quantities += [q for q in qty_at.get(idx + 1, []) if q.unit in _VOTE_UNITS and q.unit not in have]
            raw.append(ev)
        _update_discourse(s, trigs, disc)
    events = merge_events(raw, root_of, SYMMETRIC)
    for n, ev in enumerate(events):
        h = hashlib.sha1(f"{ev.type}|{ev.source}|{ev.target}|{ev.evidence[0].start}|{n}".encode()).hexdigest()
        ev.id = f"ev-{h[:12]}"
    return events


def _ids(actors: list[Actor]) -> list[str]:
    out: list[str] = []
    for a in actors:
        for i in a.ids:
            if i not in out:
                out.append(i)
    return out


def _build(s: _Sent, tr: Trig, trigs: list[Trig], dates: Sequence[Any], nearby: Sequence[Any],
           quantities: Sequence[Quantity], published: DateValue | None,
           sent: Sentence) -> tuple[Event, float] | None:
    spec = tr.spec
    if tr.suppressed or not tr.source:
        return None
    source, target = list(tr.source), [a for a in tr.target if a not in tr.source]
    typ, mode = spec.type, spec.mode
    src_roots = {r for a in source for r in a.roots}
    if not target and len({tuple(a.roots) for a in source}) >= 2 and (typ in SYMMETRIC or spec.group) \
            and not any(a.weak for a in source):
        source, target = source[:1], source[1:]
        src_roots = set(source[0].roots)
    if spec.group and len(src_roots | {r for a in target for r in a.roots}) < 2:
        return None
    target = [a for a in target if set(a.roots) - src_roots or typ in SYMMETRIC]
    if spec.abroad and target and {r for a in target for r in a.roots} - src_roots:
        typ, mode = spec.abroad, None
    tgt_ids = _ids(target)
    if not tgt_ids and (mode == "visit" or typ == "ASSAULT") and s.country_of is not None and \
            not any(o is not tr and o.spec.type == typ and o.target for o in trigs):
        loc_id = _location(s, tr, after_only=True)
        country = s.country_of(loc_id) if loc_id else None
        if country and country not in src_roots:
            tgt_ids = [country]
    if spec.default_target and spec.default_target not in tgt_ids:
        tgt_ids.append(spec.default_target)
    if not tgt_ids and typ == "CONSULT" and len(source) == 1 and s.type_of(source[0].ids[0]) == "organization" \
            and source[0].ids == source[0].roots:
        mode = "multilateral"  # a meeting of an international body ("Dewan Keamanan PBB membahas …")
    elif not tgt_ids and spec.needs_target:
        return None
    gov = _governor(s, trigs, tr)
    if gov is not None and gov.spec.type == "REQUEST":
        return None  # what is asked for has not happened
    fact = _factuality(s, tr, gov)
    if fact in ("hypothetical", "negated", "planned") and not tgt_ids:
        return None
    dv, dscore = _pick_date(s, tr, fact, dates, nearby, published)
    qs = _quantities(s, tr, quantities)
    if mode == "veto" or typ in ("SUPPORT", "REJECT"):
        qs = [q for q in qs if q.unit not in ("votes_for", "votes_against", "abstentions")] + _votes(s, tr, quantities)
        if typ == "SUPPORT" and not any(q.unit == "votes_for" for q in qs):
            qs = [q for q in qs if q.unit not in ("votes_against", "abstentions")]
    conf = 0.55 + (0.1 if not tr.nominal else 0.0) + (0.1 if tr.target else 0.0)
    if fact in ("hypothetical", "negated"):
        conf *= 0.5
    trig_text = s.text[s.toks[tr.i].start:s.toks[tr.j].end]
    ev = Event(id="", type=typ, source=_ids(source), target=tgt_ids,
               evidence=[Evidence(sent.start, sent.end, sent.text)], mode=mode, contexts=list(spec.contexts),
               location=_location(s, tr), date=dv, quantities=qs, factuality=fact, confidence=conf,
               trigger=trig_text)
    return ev, dscore


def _update_discourse(s: _Sent, trigs: list[Trig], disc: Discourse) -> None:
    persons = [a for a in s.actors if a.person and not a.anaphor]
    subj = [a for t in trigs if not t.suppressed for a in t.source if a.person]
    if subj:
        disc.last_person = subj[-1]
    elif persons:
        disc.last_person = persons[-1]
    for t in trigs:
        if t.suppressed or not t.source:
            continue
        actors = t.source + t.target if t.spec.type in SYMMETRIC else t.source
        disc.seq += 1
        disc.last_by_type[t.spec.type] = (disc.seq, actors)
        if t.spec.abroad:
            disc.last_by_type[t.spec.abroad] = (disc.seq, actors)
        parts = t.source + t.target
        if len({r for a in parts for r in a.roots}) >= 2 and (t.spec.type in SYMMETRIC or len(t.source) >= 2):
            disc.last_group = parts if t.spec.type in SYMMETRIC else t.source
    for g in s.groups():
        if len({r for a in g for r in a.roots}) >= 2 and not any(a.anaphor for a in g):
            disc.last_group = g
