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
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from pantau.model import DateValue, Event, Evidence, Quantity
from pantau.nlp.events_args import _assign, _governor, _suppress_complements
from pantau.nlp.events_attrs import _factuality, _location, _pick_date, _quantities, _votes
from pantau.nlp.events_lexicon import load_lexicon, stems_of
from pantau.nlp.events_merge import merge_events
from pantau.nlp.events_sentence import Actor, Discourse, Trig, _is_reporting, _Sent
from pantau.nlp.events_syntax import Pending, syntax_events
from pantau.nlp.events_triggers import _find_triggers
from pantau.nlp.segment import Sentence

__all__ = ["extract_events", "SYMMETRIC"]

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
_VOTE_UNITS = frozenset({"votes_for", "votes_against", "abstentions"})
# words between an author and its act noun: "the panel's report", "MSMT dalam laporannya"
_POSSESSIVE_GLUE = frozenset({")", "'", "'s", "’s", "’", "s", "dalam", "its", "their", "latest", "new", "terbaru"})


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
    pending: list[Pending] = []  # sentences for the parse (read together after the word rules)
    for idx, sent in enumerate(sentences):
        s = _Sent(text, sent, lex, hits_at.get(idx, []), root_of, type_of, names_at.get(idx, []))
        s.country_of = country_of
        trigs = _find_triggers(s)
        nearby = [d for k in (idx - 1, idx + 1) if 0 <= k < len(sentences) and sentences[k].para == sent.para
                  for d in dates_at.get(k, [])]
        if not trigs:  # no word-rule trigger: the parse may still read one; keep the discourse up to date
            if s._hits:
                s.prepare()
                s.add_anaphors(disc)
                pending.append(Pending(sent, s, dates_at.get(idx, []), nearby))
                if len(s._hits) > 1 or any(getattr(h, "type", None) == "person" for h in s._hits):
                    _update_discourse(s, trigs, disc)
            continue
        s.prepare()
        s.add_anaphors(disc)
        _suppress_complements(s, trigs)
        consumed: dict[int, Trig] = {}
        _assign(s, trigs, consumed, disc)
        _fold_complements(s, trigs)
        before = len(raw)
        def served(k: int = idx + 1) -> list[str]:
            return _served_state(text, sentences[k], hits_at.get(k, []), lex, root_of) if k < len(sentences) else []

        for tr in trigs:
            ev = _build(s, tr, trigs, dates_at.get(idx, []), nearby, qty_at.get(idx, []), published, sent, served)
            if ev is None:
                continue
            if ev[0].mode == "veto" and idx + 1 < len(sentences):
                have = {q.unit for q in ev[0].quantities}
                ev[0].quantities += [q for q in qty_at.get(idx + 1, []) if q.unit in _VOTE_UNITS and q.unit not in have]
            raw.append(ev)
        if len(raw) == before:  # the word rules found triggers but no event: read the parse
            pending.append(Pending(sent, s, dates_at.get(idx, []), nearby, frozenset(e.type for e, _ in raw[before:])))
        _update_discourse(s, trigs, disc)
    raw += syntax_events(pending, published)
    events = merge_events(raw, root_of, SYMMETRIC)
    for n, ev in enumerate(events):
        h = hashlib.sha1(f"{ev.type}|{ev.source}|{ev.target}|{ev.evidence[0].start}|{n}".encode()).hexdigest()
        ev.id = f"ev-{h[:12]}"
    return events


_COMMISSIVE = frozenset({"AGREE", "THREATEN", "REJECT"})


def _fold_complements(s: _Sent, trigs: list[Trig]) -> None:
    """"agreed to withdraw", "threatened to cut ties", "refused to supply", "mengancam akan menyerang",
    "menolak memasok": the act under a promise, threat or refusal has not happened; the statement is
    the event, and it is aimed at whoever the act would be aimed at."""
    join = s.lex.cue("factuality.purpose") | s.lex.cue("factuality.planned")
    live = [t for t in trigs if not t.suppressed]
    for a, b in zip(live, live[1:], strict=False):
        if a.spec.type not in _COMMISSIVE or a.nominal or b.nominal or not a.source:
            continue
        gap = [t.low for t in s.toks[a.j + 1:b.i]]
        if len(gap) > 2 or any(w not in join for w in gap):
            continue
        if not a.target:
            a.target = [x for x in b.target if x not in a.source]
        b.suppressed = True


def _ids(actors: list[Actor]) -> list[str]:
    out: list[str] = []
    for a in actors:
        for i in a.ids:
            if i not in out:
                out.append(i)
    return out


def _build(s: _Sent, tr: Trig, trigs: list[Trig], dates: Sequence[Any], nearby: Sequence[Any],
           quantities: Sequence[Quantity], published: DateValue | None,
           sent: Sentence, served: Callable[[], list[str]] | None = None) -> tuple[Event, float] | None:
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
    if not tgt_ids and typ == "SANCTION":  # "sanctions on two shipping firms … delivering oil to North Korea"
        said = next((k for k in range(tr.j + 1, len(s.toks)) if s.toks[k].low == ";" or
                     (_is_reporting(s.lex, s.toks[k].low) and k not in s.name_toks)), len(s.toks))
        tgt_ids = _ids([a for a in s.actors if tr.j < a.i < said and not set(a.roots) & src_roots
                        and not a.anaphor and not a.person][:1])
        if not tgt_ids and served is not None:  # "… ke daftar sanksi. Kapal-kapal itu memasok minyak ke Korea Utara."
            tgt_ids = [r for r in served() if r not in src_roots][:1]
    if spec.default_target and spec.default_target not in tgt_ids:
        tgt_ids.append(spec.default_target)
    if not tgt_ids and typ == "CONSULT" and len(source) == 1 and s.type_of(source[0].ids[0]) == "organization" \
            and source[0].ids == source[0].roots:
        mode = "multilateral"  # a meeting of an international body ("Dewan Keamanan PBB membahas …")
    elif not tgt_ids and spec.needs_target and not (typ == "REQUEST" and _vague_addressee(s, tr)):
        return None  # a call on "all parties" is a request whose addressee is no actor
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


_REFERRING = re.compile(r"\b(?:itu|tersebut|ini)\b|\b(?:the|these|those)\s+(?:\w+\s+)?"
                        r"(?:vessels?|ships?|tankers?|firms?|companies|company|entities|entity|individuals?|banks?|"
                        r"people|officials|traders?|networks?)\b", re.IGNORECASE)
_TOWARD = re.compile(r"\b(?:ke|kepada|bagi|untuk|dengan|to|for|with)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def _served_state(text: str, sent: Sentence, hits: Sequence[Any], lex: Any,
                  root_of: Callable[[str], str]) -> list[str]:
    """The state the sanctioned firms or ships serve, told in the next sentence when it refers back to
    them ("Kapal-kapal itu memindahkan minyak ke Korea Utara", "The vessels delivered oil to North
    Korea"): a country after a directional preposition."""
    if not _REFERRING.search(sent.text):
        return []
    out = []
    for h in hits:
        if getattr(h, "type", None) != "country":
            continue
        if _TOWARD.search(text[max(sent.start, h.start - 40):h.start]):
            out.append(root_of(h.entity_id))
    return out


def _vague_addressee(s: _Sent, tr: Trig) -> bool:
    """"called on all parties to …", "meminta semua pihak …": an addressee that names no actor."""
    seq = tuple(t.low for t in s.toks[tr.j + 1:tr.j + 7])
    for ph in s.lex.phrases.get("anaphora.vague", ()):
        if any(seq[k:k + len(ph)] == ph for k in range(3)):
            return True
    return False


def _update_discourse(s: _Sent, trigs: list[Trig], disc: Discourse) -> None:
    disc.sentences += 1
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
        body = any(s.type_of(i) == "organization" and s.root_of(i) == i for a in t.source for i in a.ids)
        disc.history.append((t.spec.type, list(t.source), list(t.target), body, disc.sentences))
        if t.spec.abroad:
            disc.last_by_type[t.spec.abroad] = (disc.seq, actors)
        parts = t.source + t.target
        if len({r for a in parts for r in a.roots}) >= 2 and (t.spec.type in SYMMETRIC or len(t.source) >= 2):
            disc.last_group = parts if t.spec.type in SYMMETRIC else t.source
    for g in s.groups():
        if len({r for a in g for r in a.roots}) >= 2 and not any(a.anaphor for a in g):
            disc.last_group = g
    _name_acts(s, trigs, disc)


def _name_acts(s: _Sent, trigs: list[Trig], disc: Discourse) -> None:
    """Remember who is behind each general act noun of the sentence ("laporan MSMT", "MSMT dalam
    laporannya", "the panel's report", "adopted a resolution"): its possessor, else the actor just
    before it, else the source of the nearest event. A later bare mention ("laporan tersebut") keeps
    the author found first."""
    body = s.lex.cue("anaphora.body_act")
    acts = s.lex.cue("anaphora.act") | body
    told = [t for t in trigs if not t.suppressed and t.source]
    heads = {a[:4] for a in acts}
    for k, tok in enumerate(s.toks):
        if tok.low[:4] not in heads:
            continue
        hit = stems_of(tok.low, s.lex.language) & acts
        if not hit or any(t.i <= k <= t.j for t in trigs):
            continue
        after = [a for a in s.actors if a.i == k + 1 and not a.anaphor]
        before = [a for a in s.actors if k - 3 <= a.j < k and not a.anaphor
                  and all(t.low in _POSSESSIVE_GLUE for t in s.toks[a.j + 1:k])]
        author = s.group_of(after[0]) if after and s.lex.language == "id" else \
            s.group_of(before[-1]) if before else None
        for stem in hit:
            known = disc.named_acts.get(stem)
            if stem in body and known and all(s.type_of(a.ids[0]) == "organization" for a in known):
                continue  # "the vote" stays the body's vote when members are later said to vote against
            if author:
                disc.named_acts[stem] = list(author)
            elif told and stem not in disc.named_acts:
                disc.named_acts[stem] = list(min(told, key=lambda t: abs(t.i - k)).source)
