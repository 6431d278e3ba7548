"""Argument rules: who is the source and who the target of each trigger in a sentence."""

from __future__ import annotations

from pantau.nlp.events_lexicon import stems_of
from pantau.nlp.events_sentence import _SKIP, Actor, Discourse, Tok, Trig, _is_reporting, _Sent
from pantau.nlp.events_triggers import _event_types, _is_nominal, _is_passive, _objects

_DIRECTIONAL = frozenset({"ke", "kepada", "to", "into"})
_AGAINST = frozenset({"menentang", "melawan", "memprotes", "against", "protesting", "opposing"})
_SPEECH_ACTS = frozenset({"ACCUSE", "REQUEST", "SUPPORT", "REJECT", "THREATEN"})


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


_QUANT_OF = frozenset({"dozens", "hundreds", "thousands", "millions", "scores", "tens", "some", "many", "several",
                       "most", "all", "both", "each", "one", "two", "three", "four", "five", "group", "number"})


def _direct_object(s: _Sent, tr: Trig, stop: int, allow: int = 4) -> list[Actor]:
    block = s.lex.cue("prep.blocking") | s.lex.cue("prep.target") | s.lex.cue("clause_breaks") | {",", ";", "("}
    for a in s.actors:
        if a.i <= tr.j:
            continue
        between = s.gap(tr.j + 1, a.i)
        if a.i > stop or len(between) > allow or \
                any(t.low in block and not _quantity_of(between, k) for k, t in enumerate(between)):
            return []
        return s.group_of(a)
    return []


def _quantity_of(between: list[Tok], k: int) -> bool:
    """"dozens of North Korean soldiers", "two of its ships": "of" after a quantity word is no preposition."""
    return between[k].low == "of" and k > 0 and (between[k - 1].low in _QUANT_OF or between[k - 1].low[:1].isdigit())


def _between(s: _Sent, tr: Trig, stop: int) -> list[Actor]:
    bw = s.lex.cue("prep.between")
    for q in range(tr.j + 1, min(stop, tr.j + 8)):
        if s.toks[q].low in bw:
            nxt = [a for a in s.actors if q < a.i <= q + 5]
            if nxt:
                return s.group_of(nxt[0])
    return []


_DEMONSTRATIVES = frozenset({"tersebut", "itu", "ini"})
_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such", "its", "their"})


def _anaphoric_event(s: _Sent, tr: Trig, trigs: list[Trig], disc: Discourse) -> list[Actor]:
    """"mengecam peluncuran tersebut" / "condemned the deployment" / "the launch was condemned":
    the target of a condemnation is the actor of the event referred back to. Reactions to an act
    named by a general noun ("welcomed the move", "rejected the measures", "menyambut baik langkah
    tersebut", "menolak laporan itu") target whoever did the latest thing the reactor did not do;
    a resolution or a vote is the act of the body that adopted it."""
    if tr.spec.type not in ("ACCUSE", "THREATEN", "SUPPORT", "REJECT"):
        return []
    lex = s.lex
    if tr.passive:
        window = range(max(0, tr.i - 3), tr.i)
    else:
        window = range(tr.j + 1, min(len(s.toks), tr.j + 4))
    acts, body_acts = lex.cue("anaphora.act"), lex.cue("anaphora.body_act")
    for k in window:
        if _actor_at(s, k, k + 1):
            return []
        low = s.toks[k].low
        types = _event_types(lex, low)
        general = low in acts or low in body_acts
        if not types and not general:
            continue
        after = {t.low for t in s.toks[k + 1:k + 3]}
        before = s.toks[k - 1].low if k > 0 else ""
        if not (after & _DEMONSTRATIVES or before in _DETERMINERS):
            continue
        if not general:
            known = [disc.last_by_type[t] for t in types if t in disc.last_by_type]
            return list(max(known, key=lambda x: x[0])[1]) if known else []
        own = {r for a in tr.source for r in a.roots}
        for stem in sorted(stems_of(low, lex.language)):  # the act was named before: whoever did it then
            src = disc.named_acts.get(stem)
            if src and not own & {r for a in src for r in a.roots}:
                return list(src)
        return _last_act(tr, disc, body=low in body_acts)
    return []


def _last_act(tr: Trig, disc: Discourse, body: bool) -> list[Actor]:
    """The source of the latest event that the reacting actor took no part in (for a rejection,
    preferably one aimed at it; for a resolution or vote, one of an international body)."""
    own = {r for a in tr.source for r in a.roots}
    cands = [c for c in disc.history if c[1] and not own & {r for a in c[1] for r in a.roots}]
    if body:
        cands = [c for c in cands if c[3]] or cands
    elif tr.spec.type == "REJECT":  # what is rejected is mostly an accusation against the speaker
        aimed = [c for c in cands if own & {r for a in c[2] for r in a.roots}]
        cands = [c for c in aimed if c[0] == "ACCUSE"] or aimed or cands
    if not cands:
        return []
    last = cands[-1][4]  # the main (first) event of the latest sentence that tells one
    return list(next(c for c in cands if c[4] == last)[1])


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
        if spec.type == "REJECT":  # "denied supplying weapons to Russia": Russia is no target of the denial
            stop = min([stop] + [b.i for b in trigs if b.suppressed and 0 <= b.i - tr.j - 1 <= 2])
        preps = set(spec.targets) or set(lex.cue("prep.target"))
        pair = _between(s, tr, stop)
        light_subject = False
        if tr.nominal:
            poss = _direct_object(s, tr, stop, allow=4)
            if not poss and lex.language == "en" and tr.i > 0:
                poss = [a for a in s.actors if a.j in (tr.i - 1, tr.i - 2) and a.j < tr.i
                        and not any(stems_of(t.low, "en") & light or _is_reporting(lex, t.low)
                                    for t in s.toks[a.j + 1:tr.i])]  # "South Korea held talks": a subject
            prev_stems = set().union(*(stems_of(t.low, lex.language) for t in s.toks[_np_start(s, tr.i):tr.i])) \
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
            arrived = any(t.low in lex.cue("factuality.arrival") for t in s.toks[max(0, tr.i - 10):tr.i])
            if tgt and not tr.source and (spec.mode == "visit" or arrived) and \
                    _after_prep(s, tr, preps - {"antara", "between"}, 3, stop):
                # "Putin tiba … untuk kunjungan pertamanya ke Korea Utara", "arrived … for talks with X"
                tr.source = [a for a in _left_source(s, tr, consumed, trigs) if a not in tgt]
            if light_subject and tr.source and not tr.target:  # "menyatakan keprihatinan atas pakta tersebut"
                tr.target = _anaphoric_event(s, tr, trigs, disc)
            if spec.type == "AID" and not spec.receive and not poss:
                # "pengiriman amunisi dari Korea Utara ke Rusia", "shipments of shells from X to Y": a
                # nominal transfer names its giver after the source preposition, whoever the clause's subject is
                giver = _after_prep(s, tr, set(lex.cue("prep.source")), 8, stop)
                if giver:
                    tr.source = giver
                    tr.target = [a for a in (tr.target or tgt) if a not in giver]
        elif tr.passive:
            tr.source = _after_prep(s, tr, agent, 8, len(s.toks))
            if not tr.source:  # "didukung Uni Eropa": the agent may follow the verb directly
                tr.source = [a for a in s.actors if a.i == tr.j + 1]
            left = _left_source(s, tr, consumed, trigs)
            tr.target = left or _anaphoric_event(s, tr, trigs, disc)
            if not tr.source and left and spec.type in ("AID", "MOBILIZE") and _owns_materiel(s, left[-1], tr):
                # "10,000 North Korean soldiers had been sent to Russia": the soldiers' state sends them
                tr.source, tr.target = left, _after_prep(s, tr, preps, 10, stop)
            if not tr.source and pair:
                tr.source = pair
        else:
            shared: list[Actor] = []  # the object of a coordinated statement before ("mengecam X dan mengancam …")
            prev = [t.low for t in s.toks[max(0, tr.i - 3):tr.i]
                    if t.low not in _SKIP and t.low not in lex.cue("factuality.alleged")]
            purpose = lex.cue("factuality.purpose")
            if last_verbal is not None and prev and (prev[-1] in coord or prev[-1] in purpose) \
                    and last_verbal.source:
                tr.source = last_verbal.source  # "X mengecam … dan meminta …", "X memanggil … untuk memprotes"
                gov = _governor(s, trigs, last_verbal)
                if gov is not None and gov.source and spec.type in _SPEECH_ACTS and prev[-1] in coord:
                    tr.source = gov.source  # "X menuduh Y memasok … dan mengecam …": X condemns
                shared = last_verbal.target if spec.type in _SPEECH_ACTS and prev[-1] in coord and \
                    last_verbal.spec.type in _SPEECH_ACTS else []
            elif prev and prev[-1] == "by" and _means_subject(s, trigs, tr):
                tr.source = _means_subject(s, trigs, tr)  # "accused Russia of violating sanctions by buying …"
            elif prev and prev[-1] in lex.cue("prep.cause") and last_any is not None and last_any.target:
                tr.source = last_any.target  # "menjatuhkan sanksi terhadap X karena mengirim …": X sends
            elif prev and (prev[-1] in ("yang", "who", "which", "that") or _participle_of_noun(s, tr)):
                # "… yang mengirim", "a draft statement condemning …": the head noun's actor
                left = [a for a in s.actors if a.j < tr.i]
                head = _relative_head(s, tr)
                if head is not None and s.toks[head].low in lex.cue("unnamed_agents") and \
                        not _actor_at(s, head, head + 1):
                    left = []  # "tiga perusahaan yang diduga membantu …": unnamed firms, not the last actor named
                tr.source = s.group_of(left[-1]) if left else []
            else:
                tr.source = _act_subject(s, tr, disc) or _left_source(s, tr, consumed, trigs)
            if pair and not tr.source:
                tr.source, tr.target = pair[:1], pair[1:]
            else:
                tr.target = _direct_object(s, tr, stop, allow=1) or _after_prep(s, tr, preps, 10, stop) \
                    or _direct_object(s, tr, stop) \
                    or [a for a in pair if a.roots != tr.source[0].roots] \
                    or _anaphoric_event(s, tr, trigs, disc)
            if not tr.target and tr.j > tr.i:  # "summoned the Russian ambassador", "memanggil duta besar X"
                tr.target = [a for a in s.actors if tr.i < a.i <= tr.j and a not in tr.source]
            if not tr.target and shared and spec.type in ("THREATEN", "ACCUSE", "REJECT"):
                tr.target = [a for a in shared if a not in tr.source]  # "mengecam latihan itu dan mengancam membalas"
            last_verbal = tr
        if spec.receive and tr.source:  # "X menerima minyak dari Y": Y gives, X receives
            giver = _after_prep(s, tr, set(lex.cue("prep.source")), 8, stop) or \
                [a for a in _direct_object(s, tr, stop, allow=3) if _owns_materiel(s, a, tr)]  # "buying North Korean shells"
            if giver:
                tr.source, tr.target = giver, [a for a in tr.source if a not in giver]
        for a in (tr.target + (tr.source if (tr.nominal and not light_subject) or tr.passive else [])
                  if tr.source else []):  # a trigger without a source makes no event and holds no actor
            consumed.setdefault(id(a), tr)
        last_any = tr
        if light_subject:
            last_verbal = tr
    for tr in trigs:
        if tr.suppressed:
            continue
        if tr.source and tr.spec.type == "REJECT":
            # "memveto rancangan resolusi yang diajukan AS", "blocked a draft proposed by Japan": the proposers too
            stop = _clause_end(s, tr.j, [])
            for q in range(tr.j + 1, min(stop, tr.j + 10)):
                if s.toks[q].low in lex.cue("proposing"):
                    by = [a for a in s.actors if q < a.i <= q + 3 and not _actor_at(s, q + 1, a.i)]
                    if by:
                        tr.target = tr.target + [a for a in s.group_of(by[0]) if a not in tr.target + tr.source]
                        break
    # "mengecam pengiriman senjata Korea Utara ke Rusia": the accused is the actor of the act condemned;
    # "menolak tuduhan Amerika Serikat", "welcomed Japan's decision": the author of what is rejected/welcomed
    for tr in trigs:
        if tr.suppressed or tr.target or tr.spec.type not in ("ACCUSE", "THREATEN", "REJECT", "SUPPORT", "PROTEST"):
            continue
        nxt = [b for b in trigs if not b.suppressed and 0 <= b.i - tr.j - 1 <= 3 and b.source]
        if nxt and not _actor_at(s, tr.j + 1, nxt[0].i):
            tr.target = [a for a in nxt[0].source if a not in tr.source]
        if not tr.target and tr.source and tr.spec.type in ("REJECT", "SUPPORT"):
            # "menolak tawaran dialog dari Presiden X", "rejected an offer of talks from X": X offered
            offer = [q for q in range(tr.j + 1, min(len(s.toks), tr.j + 4)) if s.toks[q].low in lex.cue("offers")]
            if offer:
                src = lex.cue("prep.source")
                for q in range(offer[0] + 1, min(len(s.toks), offer[0] + 6)):
                    if s.toks[q].low in src:
                        by = [a for a in s.actors if q < a.i <= q + 4 and not _actor_at(s, q + 1, a.i)]
                        tr.target = [a for a in s.group_of(by[0]) if a not in tr.source] if by else []
                        break
        if not tr.target and tr.source and tr.spec.type == "ACCUSE":
            # "condemning human rights abuses in North Korea", "mengecam pelanggaran … di Korea Utara":
            # the state where the condemned acts take place (a country, not a city or a sea)
            stop = _clause_end(s, tr.j, [])
            loc = lex.cue("prep.location")
            q = next((q for q in range(tr.j + 1, min(stop, tr.j + 9)) if s.toks[q].low in loc), None)
            if q is not None:
                tr.target = [a for a in s.actors if a.i == q + 1 and a not in tr.source and not a.person
                             and all(s.type_of(x) == "country" for x in a.ids)]
        if not tr.target and tr.source and tr.spec.type == "PROTEST":
            # "berunjuk rasa … menentang kerja sama Moskow dan Pyongyang": against the actors of that act
            stop = _clause_end(s, tr.j, [])
            against = [q for q in range(tr.j + 1, stop) if s.toks[q].low in _AGAINST]
            opposed = [b for b in trigs if against and b is not tr and b.source and 0 < b.i - against[0] <= 3]
            if opposed:
                tr.target = [a for a in opposed[0].source + opposed[0].target if a not in tr.source]
        if not tr.target and tr.source and tr.spec.type == "REJECT" and tr.spec.mode is None:
            # "Korea Utara membantah …": a denial answers the latest accusation against the speaker
            own = {r for a in tr.source for r in a.roots}
            accusers = [src for typ, src, tgt, *_ in disc.history
                        if typ == "ACCUSE" and own & {r for a in tgt for r in a.roots}
                        and not own & {r for a in src for r in a.roots}]
            if accusers:
                tr.target = list(accusers[-1])


_NP_FILLERS = frozenset({"a", "an", "the", "new", "fresh", "round", "of", "additional", "further", "more", "sweeping",
                         "tough", "tougher", "strong", "strongest", "formal", "its", "their", "his", "her", "second",
                         "third", "wave", "package", "set", "series", "another", "baru", "tambahan", "keras", "resmi",
                         "sejumlah", "serangkaian", "berbagai", "rangkaian", "paket", "putaran", "gelombang"})


def _np_start(s: _Sent, i: int) -> int:
    """Where the noun phrase ending at token i starts, reading back over determiners and modifiers
    ("imposed a fresh round of sanctions", "menjatuhkan paket sanksi baru"), at least two tokens back."""
    k = i
    while k > 0 and i - k < 6 and s.toks[k - 1].low in _NP_FILLERS:
        k -= 1
    return max(0, min(k - 1, i - 2))


def _means_subject(s: _Sent, trigs: list[Trig], tr: Trig) -> list[Actor]:
    """The doer of a "by …ing" means clause: the object of an accusing/urging verb before it in the
    sentence ("accused Russia of … by buying"), else the subject of the verb before."""
    prev = [t for t in trigs if t.j < tr.i and not t.suppressed and t.source]
    if not prev:
        return []
    g = prev[-1]
    return list(g.target) if g.spec.control == "object" and g.target else list(g.source)


def _owns_materiel(s: _Sent, a: Actor, tr: Trig) -> bool:
    """Actor `a` qualifies materiel or troops: "North Korean soldiers" (an object word of transfers within
    the next three words), "tentara Korea Utara" (within the two words before)."""
    words = tr.spec.needs_object | _objects(s.lex)
    near = s.toks[a.j + 1:min(a.j + 4, len(s.toks))] if s.lex.language == "en" else s.toks[max(0, a.i - 2):a.i]
    return any(t.low in words for t in near)


def _act_subject(s: _Sent, tr: Trig, disc: Discourse) -> list[Actor]:
    """"The text, drafted by X and backed by Y, urges …", "Resolusi tersebut mendesak …": an act noun
    opening the sentence is the subject, and it speaks for whoever issued the act."""
    lex = s.lex
    acts, body = lex.cue("anaphora.act"), lex.cue("anaphora.body_act")
    k = 1 if s.toks and s.toks[0].low in _DETERMINERS else 0
    if k >= tr.i or not (s.toks[k].low in acts or s.toks[k].low in body):
        return []
    nxt = k + 1 + (k + 1 < tr.i and s.toks[k + 1].low in _DEMONSTRATIVES)
    if not (nxt == tr.i or (s.toks[nxt].low == "," and s.toks[tr.i - 1].low == ",")):
        return []
    noun = s.toks[k].low
    for stem in sorted(stems_of(noun, lex.language)):
        if disc.named_acts.get(stem):
            return list(disc.named_acts[stem])
    return _last_act(tr, disc, body=noun in body) if noun in body else []


def _relative_head(s: _Sent, tr: Trig) -> int | None:
    """Index of the noun a relative clause or participle hangs on: the last word before
    "yang/who/which/that" (or before the "-ing" form), past cues of allegation."""
    skip = s.lex.cue("factuality.alleged") | _SKIP
    q = tr.i - 1
    while q >= 0 and s.toks[q].low in skip:
        q -= 1
    if q >= 0 and s.toks[q].low in ("yang", "who", "which", "that"):
        q -= 1
    return q if q >= 0 and s.toks[q].low.isalpha() else None


def _participle_of_noun(s: _Sent, tr: Trig) -> bool:
    """English "-ing" form right after a common noun ("a press statement condemning …")."""
    if s.lex.language != "en" or tr.i == 0 or not s.toks[tr.i].low.endswith("ing"):
        return False
    prev = s.toks[tr.i - 1].low
    lex = s.lex
    return prev.isalpha() and prev not in _SKIP and prev not in lex.cue("clause_breaks") \
        and prev not in lex.cue("prep.blocking") and prev not in lex.cue("prep.target") \
        and not _actor_at(s, tr.i - 1, tr.i) and not _is_reporting(lex, prev) \
        and prev not in ("and", "or", "but", "while", "by", "after", "before", "without", "of")


_OWN_SUBJECT = frozenset({"the", "a", "an", "these", "those", "itu", "tersebut", "ini", "para"})


def _own_subject(s: _Sent, a: Actor, tr: Trig) -> bool:
    """"Treasury said the vessels transferred …": after the reporting verb the clause has a subject of
    its own (a noun phrase that is no actor), so the speaker is not the one who acts."""
    for r in range(a.j + 1, tr.i):
        if _is_reporting(s.lex, s.toks[r].low) and r not in s.name_toks:
            rest = range(r + 1, tr.i)
            return any(s.toks[q].low in _OWN_SUBJECT for q in rest) and not _actor_at(s, r + 1, tr.i)
    return False


def _left_source(s: _Sent, tr: Trig, consumed: dict[int, Trig], trigs: list[Trig]) -> list[Actor]:
    block = s.lex.cue("prep.target") | s.lex.cue("prep.location") | s.lex.cue("prep.agent")
    for a in sorted((a for a in s.actors if a.j < tr.i), key=lambda a: -a.j):
        owner = consumed.get(id(a))
        if owner is not None and owner is not tr and owner.spec.control != "object":
            continue
        prev = s.toks[a.i - 1].low if a.i > 0 else ""
        if prev in block and owner is None:
            continue
        if _own_subject(s, a, tr):
            return []
        return s.group_of(a)
    # a fronted adverbial clause: "Dengan mengirimkan pasukan ke Rusia, Korea Utara …" / "By sending …, X …"
    if s.toks and s.toks[0].low in s.lex.cue("fronting") and tr.i <= 3:
        comma = next((q for q in range(tr.j + 1, len(s.toks)) if s.toks[q].low == ","), None)
        after = [a for a in s.actors if comma is not None and comma < a.i <= comma + 4]
        if after and not _actor_at(s, 0, tr.i):
            return s.group_of(after[0])
    # a post-posed speaker: "…, kata Kementerian X" / "…, said the ministry"
    for k in range(tr.j + 1, len(s.toks)):
        if _is_reporting(s.lex, s.toks[k].low):
            after = [a for a in s.actors if k < a.i <= k + 6]
            if after and tr.i > 0 and any(t.low in (",", "”", '"') for t in s.toks[tr.j:k]):
                return s.group_of(after[0])
            break
    return []


def _suppress_complements(s: _Sent, trigs: list[Trig]) -> None:
    """"menyerukan kerja sama", "mengecam transfer senjata": the object of a verbal trigger is not a
    happening of its own — unless it names its own actors ("mengecam pengiriman senjata Korea Utara
    ke Rusia": the shipment is reported too)."""
    for a, b in zip(trigs, trigs[1:], strict=False):
        if b.spec.complement and not _is_nominal(s, a) and 0 <= b.i - a.j - 1 <= 3 \
                and not _actor_at(s, a.j + 1, b.i):
            stop = _clause_end(s, b.j, trigs)
            preps = (set(b.spec.targets) or set(s.lex.cue("prep.target"))) & _DIRECTIONAL
            named = _direct_object(s, b, stop, allow=4) or \
                _after_prep(s, b, set(s.lex.cue("prep.source")), 6, stop)  # "pengiriman amunisi dari X ke Y"
            if preps and named and _after_prep(s, b, preps, 6, stop):
                continue
            b.suppressed = True


def _governor(s: _Sent, trigs: list[Trig], tr: Trig) -> Trig | None:
    """The object-control trigger whose complement clause holds `tr` ("menuduh X memasok")."""
    prev = [t for t in trigs if t.j < tr.i and not t.suppressed and t.spec.control == "object"]
    if not prev or tr.i - prev[-1].j > 8:
        return None
    g = prev[-1]
    if tr.i > 0 and s.toks[tr.i - 1].low in s.lex.cue("coordinators") and tr.spec.type in _SPEECH_ACTS \
            and g.spec.type in _SPEECH_ACTS:
        return None  # "called for restraint and urged all sides …": two statements, not one inside the other
    breaks = s.lex.cue("clause_breaks") | {";", ":"}
    if any(t.low in breaks for t in s.toks[g.j + 1:tr.i]):
        return None
    return g
