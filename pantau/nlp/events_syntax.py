"""Events from the dependency parse, for the sentences the word rules leave without an event.

The sentence is parsed by the trained pipeline of its language (`pantau.nlp.syntax`); triggers
are verbs and nouns whose lemma or stem is a key of the language's event lexicon
(`lang/<code>/events.yaml`), and their arguments come from dependency relations (UD labels, the
same in every language):

- subject: `nsubj` of the trigger; a passive's agent (`obl:agent`, or an `obl` whose case word is
  a `prep.agent` cue: "by", "oleh") and its `nsubj:pass` the target;
- control and coordination: a trigger without a subject of its own that is an `xcomp`
  ("agreed to provide"), a `conj` ("condemned … and demanded"), an adverbial participle
  ("…, killing 50") takes the subject of the verb it hangs on; a relative clause (`acl:relcl`,
  `acl`) takes the noun it qualifies;
- target: `obj`/`iobj`, else an `obl`/`nmod` whose case word is one of the trigger's target
  prepositions (or the language's `prep.target` cues), else the object of its complement
  ("threatened to cut off electricity to X");
- a nominal trigger ("an attack on X", "X's withdrawal", "Israeli raids") takes its possessor,
  its nationality adjective or compound, or the subject of the verb it is the object of
  ("signed a treaty", "launched a mediation effort");
- an actor is the entity mention nearest to the argument's head in its subtree (a coordination of
  actors is kept whole: "Bosnia and Slovenia agreed …").

Factuality comes from the trigger's own clause: a negation child, a conditional marker or a
modal auxiliary (the cue lists of the lexicon); negated, hypothetical and governed (what is
asked for or threatened) acts make no event here. Language logic is data: nothing below tests
a language code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pantau.model import DateValue, Event, Evidence
from pantau.nlp.events_attrs import _pick_date
from pantau.nlp.events_lexicon import Lexicon, TriggerSpec, stems_of
from pantau.nlp.events_sentence import Actor, Trig, _Sent, _specs_for, _tok_index
from pantau.nlp.segment import Sentence

__all__ = ["Pending", "syntax_events", "available"]

log = logging.getLogger(__name__)

_MISSING: set[str] = set()
STATS = {"parsed": 0}  # sentences parsed in this process (read by `pantau bench extract`)
_TRIGGER_POS = frozenset({"VERB", "NOUN", "PROPN", "ADJ"})
_SUBJ = frozenset({"nsubj", "csubj"})
_PASS_SUBJ = frozenset({"nsubj:pass", "csubj:pass"})
_OBJ = frozenset({"obj", "iobj", "dobj"})
_OBLIQUE = frozenset({"obl", "nmod", "obl:arg", "obl:tmod", "obl:agent", "prep", "pobj", "advcl"})
# relations that open a new clause: an actor inside one is not an argument of the trigger
_CLAUSAL = frozenset({"acl", "acl:relcl", "ccomp", "advcl", "parataxis", "csubj", "xcomp", "appos",
                      "list", "dislocated", "mark"})
_HEAD_INHERIT = frozenset({"xcomp", "conj", "advcl"})


def available(language: str) -> bool:
    """True when a syntax model of the language can be loaded (tried once per process)."""
    if language in _MISSING:
        return False
    try:
        from pantau.nlp import syntax

        syntax.load(language)
        return True
    except Exception:  # no model shipped, spaCy missing or the model unreadable: rules only
        log.info("no syntax model for %s; events from the word rules only", language)
        _MISSING.add(language)
        return False


def _candidates(lex: Lexicon, low: str, lemma: str) -> list[TriggerSpec]:
    out: list[TriggerSpec] = []
    for w in dict.fromkeys((low, lemma)):
        for sp in _specs_for(lex.language, w):
            if len(sp.keys) == 1 and sp not in out and (not sp.exact or sp.keys[0] == low):
                out.append(sp)
    return out


def _maybe_triggers(lex: Lexicon, s: _Sent) -> bool:
    """A cheap test before parsing: does any word of the sentence hit a one-word trigger?"""
    return any(sp for t in s.toks if t.low.isalpha() for sp in _specs_for(lex.language, t.low)
               if len(sp.keys) == 1)


class _Reader:
    """One parsed sentence: maps tokens to the actors of the word-level sentence `s`."""

    def __init__(self, s: _Sent, doc: Any, base: int) -> None:
        self.s, self.doc, self.base = s, doc, base
        self.actor_of: dict[int, Actor] = {}
        for a in s.actors:
            lo, hi = s.toks[a.i].start - base, s.toks[a.j].end - base
            span = doc.char_span(lo, hi, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.actor_of.setdefault(t.i, a)

    def actors_under(self, tok: Any, depth: int = 3, own: bool = False) -> list[Actor]:
        """The actor nearest `tok` in its subtree (breadth first, not entering new clauses), with
        the actors coordinated with it. `own`: not through a prepositional modifier ("weapons to X"
        is no actor of "weapons")."""
        frontier = [tok]
        for _ in range(depth + 1):
            nxt = []
            for t in frontier:
                a = self.actor_of.get(t.i)
                if a is not None:
                    return self._with_conjuncts(t, a)
                nxt += [c for c in t.children if c.dep_ not in _CLAUSAL and c.dep_ != "conj"
                        and not (own and any(d.dep_ == "case" for d in c.children) and c.dep_ not in ("nmod:poss", "poss"))]
            for t in frontier:  # a coordination of nouns: "Bosnia and Slovenia", "helicopters and tanks"
                nxt += [c for c in t.children if c.dep_ == "conj"]
            frontier = nxt
            if not frontier:
                break
        return []

    def _with_conjuncts(self, t: Any, a: Actor) -> list[Actor]:
        out = [a]
        head = t
        while head.dep_ in ("flat", "flat:name", "compound", "amod", "nmod:poss", "det") and head.head is not head \
                and self.actor_of.get(head.head.i) is a:
            head = head.head
        for c in list(head.conjuncts):
            b = self.actor_of.get(c.i)
            if b is None:
                got = [x for x in c.subtree if x.i in self.actor_of and x.dep_ not in _CLAUSAL]
                b = self.actor_of[got[0].i] if got and got[0].head.i == c.i else None
            if b is not None and b not in out:
                out.append(b)
        return sorted(out, key=lambda x: x.i)


def _case_of(tok: Any) -> str:
    return " ".join(c.lower_ for c in tok.children if c.dep_ in ("case", "mark"))


def _subject(r: _Reader, tok: Any, lex: Lexicon, seen: int = 0) -> tuple[list[Actor], bool]:
    """(actors, passive) — who does the act of `tok`."""
    agent = lex.cue("prep.agent")
    passive = any(c.dep_ in _PASS_SUBJ for c in tok.children) or "Voice=Pass" in str(tok.morph)
    for c in tok.children:
        if passive and (c.dep_ == "obl:agent" or (c.dep_ in _OBLIQUE and set(_case_of(c).split()) & agent)):
            got = r.actors_under(c)
            if got:
                return got, True
    if not passive:
        for c in tok.children:
            if c.dep_ in _SUBJ:
                got = r.actors_under(c)
                if got:
                    return got, False
                return [], False  # a subject that names no actor ("rebels", "protesters")
    if seen > 3 or tok.head is tok:
        return [], passive
    head = tok.head
    if tok.dep_ in ("acl", "acl:relcl"):  # "forces that attacked …", "a draft condemning …"
        return r.actors_under(head, depth=2), passive
    if tok.dep_ == "xcomp":  # "asked Y to …" (object control) / "agreed to …" (subject control)
        obj = [c for c in head.children if c.dep_ in _OBJ]
        if obj:
            got = r.actors_under(obj[0], depth=1)
            if got:
                return got, passive
        return _subject(r, head, lex, seen + 1)[0], passive
    if tok.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return _subject(r, head, lex, seen + 1)[0], passive
    return [], passive


def _targets(r: _Reader, tok: Any, spec: TriggerSpec, lex: Lexicon, passive: bool, source: list[Actor]) -> list[Actor]:
    preps = set(spec.targets) or set(lex.cue("prep.target"))
    agent = lex.cue("prep.agent")
    if passive:
        for c in tok.children:
            if c.dep_ in _PASS_SUBJ:
                got = r.actors_under(c)
                if got:
                    return got
    order = sorted(tok.children, key=lambda c: (c.dep_ not in _OBJ, abs(c.i - tok.i)))
    for c in order:
        if c.dep_ in _OBJ:  # the object itself or its possessor ("condemned X", "condemned X's launch")
            got = [a for a in r.actors_under(c, depth=1, own=True) if a not in source]
            if got:
                return got
        elif c.dep_ in _OBLIQUE:
            case = set(_case_of(c).split())
            if case & preps and not case & agent:
                got = [a for a in r.actors_under(c, depth=1) if a not in source]
                if got:
                    return got
    for c in tok.children:  # "threatened to cut off electricity to X", "demanded that China drop …"
        if c.dep_ in ("xcomp", "ccomp") and "VerbForm=Ger" not in str(c.morph):  # not "denied supplying … to X"
            for d in sorted(c.children, key=lambda d: d.dep_ not in _SUBJ | _OBJ):
                if d.dep_ in _SUBJ | _OBJ or (d.dep_ in _OBLIQUE and set(_case_of(d).split()) & preps):
                    got = [a for a in r.actors_under(d, depth=1) if a not in source]
                    if got:
                        return got
    return []


def _nominal_source(r: _Reader, tok: Any, lex: Lexicon) -> list[Actor]:
    agent = lex.cue("prep.agent") | lex.cue("prep.source")  # "an appeal by X", "protests from X"
    for c in tok.children:  # "X's withdrawal", "Israeli raids", "US sanctions", "serangan Rusia"
        if c.dep_ in ("nmod:poss", "poss", "amod", "compound") or \
                (c.dep_ in _OBLIQUE and set(_case_of(c).split()) & agent):
            got = r.actors_under(c, depth=1)
            if got:
                return got
    head = tok.head
    if tok.dep_ in _OBJ and head.pos_ == "VERB":  # "signed a treaty", "launched an attack"
        return _subject(r, head, lex)[0]
    return []


def _factuality(tok: Any, lex: Lexicon) -> str:
    cues = {name: lex.cue(f"factuality.{name}") for name in ("negated", "hypothetical", "planned", "conditional")}
    for c in tok.children:
        low = c.lower_
        if c.dep_ in ("neg", "advmod") and low in cues["negated"] or c.dep_ == "neg":
            return "negated"
        if c.dep_ == "mark" and low in cues["conditional"]:
            return "hypothetical"
        if c.dep_ in ("aux", "advmod") and low in cues["hypothetical"]:
            return "hypothetical"
        if c.dep_ in ("aux", "advmod") and low in cues["planned"]:
            return "planned"
    return "asserted"


def _governed(tok: Any, trig_toks: set[int]) -> bool:
    """A trigger under another trigger's complement ("agreed to withdraw", "threatened to cut ties",
    "accused X of supplying"): the governing act is the event."""
    t = tok
    for _ in range(3):
        if t.head is t or t.dep_ not in ("xcomp", "ccomp", "acl", "advcl", "obl", "nmod", "obj", "pcomp"):
            return False
        t = t.head
        if t.i in trig_toks:
            return True
    return False


def _needs_object_ok(spec: TriggerSpec, tok: Any, lang: str) -> bool:
    if not spec.needs_object:
        return True
    near = list(tok.subtree) + list(tok.head.subtree if tok.dep_ in _OBJ else [])
    return any(t.lower_ in spec.needs_object or stems_of(t.lower_, lang) & spec.needs_object for t in near)


@dataclass(slots=True)
class Pending:
    """A sentence the word rules read no event in, kept (with its actors, anaphors resolved at that
    point of the discourse) until the document's sentences are parsed together."""

    sent: Sentence
    s: _Sent
    dates: Sequence[Any]
    nearby: Sequence[Any]
    skip_types: frozenset[str] = frozenset()


def wanted(p: Pending) -> bool:
    """Worth parsing: a body sentence with an actor and a word of the trigger lexicon."""
    return p.sent.kind == "body" and bool(p.s.actors) and _maybe_triggers(p.s.lex, p.s)


def syntax_events(pending: Sequence[Pending], published: DateValue | None) -> list[tuple[Event, float]]:
    """Events of the pending sentences of one document, read from their parses (one batch)."""
    todo = [p for p in pending if wanted(p)]
    if not todo or not available(todo[0].s.lex.language):
        return []
    from pantau.nlp import syntax

    nlp = syntax.load(todo[0].s.lex.language)
    skip = [name for name in nlp.pipe_names if "lemmatizer" in name]  # stems come from the lexicon's stemmer
    out: list[tuple[Event, float]] = []
    for p, doc in zip(todo, nlp.pipe((p.sent.text for p in todo), disable=skip), strict=True):
        STATS["parsed"] += 1
        out += [x for x in _read(p, doc, published) if x[0].type not in p.skip_types]
    return out


def _read(p: Pending, doc: Any, published: DateValue | None) -> list[tuple[Event, float]]:
    sent, s = p.sent, p.s
    lex = s.lex
    r = _Reader(s, doc, sent.start)
    found: list[tuple[Any, TriggerSpec]] = []
    for tok in doc:
        if tok.pos_ not in _TRIGGER_POS or tok.i in r.actor_of:
            continue
        lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
        specs = [sp for sp in _candidates(lex, tok.lower_, lemma) if _needs_object_ok(sp, tok, lex.language)]
        if specs:
            found.append((tok, specs[0]))
    trig_toks = {t.i for t, _ in found}
    out: list[tuple[Event, float]] = []
    for tok, spec in found:
        if _governed(tok, trig_toks):
            continue
        fact = _factuality(tok, lex)
        if fact in ("negated", "hypothetical"):
            continue
        nominal = tok.pos_ != "VERB"
        if nominal:
            source, passive = _nominal_source(r, tok, lex), False
        else:
            source, passive = _subject(r, tok, lex)
        if not source:
            continue
        target = _targets(r, tok, spec, lex, passive, source)
        src_roots = {x for a in source for x in a.roots}
        target = [a for a in target if set(a.roots) - src_roots]
        if not target and len({tuple(a.roots) for a in source}) >= 2 and spec.type in ("CONSULT", "AGREE", "COOPERATE"):
            source, target = source[:1], source[1:]
        tgt_ids = [i for a in target for i in a.ids]
        if spec.default_target and spec.default_target not in tgt_ids:
            tgt_ids.append(spec.default_target)
        if not tgt_ids and spec.needs_target:
            continue
        typ, mode = spec.type, spec.mode
        if spec.abroad and target:
            typ, mode = spec.abroad, None
        k = _tok_index(s.toks, sent.start + tok.idx, sent.start + tok.idx + len(tok.text))
        dv, dscore = (None, 9.0)
        if k is not None:
            dv, dscore = _pick_date(s, Trig(spec, k[0], k[1]), fact, p.dates, p.nearby, published)
        src_ids = list(dict.fromkeys(i for a in source for i in a.ids))
        ev = Event(id="", type=typ, source=src_ids, target=list(dict.fromkeys(tgt_ids)),
                   evidence=[Evidence(sent.start, sent.end, sent.text)], mode=mode, contexts=list(spec.contexts),
                   date=dv, factuality=fact, confidence=0.5 if nominal else 0.6, trigger=tok.text)
        out.append((ev, dscore))
    return out
