"""Trigger detection: lexicon stems and phrases on tokens, and the shape of a trigger word
(nominal or verbal, passive or active)."""

from __future__ import annotations

from pantau.nlp.events_lexicon import Lexicon, TriggerSpec, stems_of
from pantau.nlp.events_sentence import _DI_WORDS, Tok, Trig, _Sent, _specs_for


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
        agent_noun = lex.language == "id" and _agent_noun(toks[k].low)
        for spec in _specs_for(lex.language, toks[k].low):
            if agent_noun and spec.keys[0] != toks[k].low:
                continue
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


def _agent_noun(w: str) -> bool:
    """Indonesian pe(N)- nouns without -an name the doer or the tool ("peluncur", "pendukung",
    "pengirim"), not the act ("peluncuran", "dukungan")."""
    base = w[:-3] if w.endswith("nya") else w
    return base.startswith(("peng", "peny", "pem", "pen", "pel", "pe")) and not base.startswith(("per", "pert")) \
        and not base.endswith(("an", "si")) and len(base) > 5


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
    lo, hi = max(0, end - 5), min(len(toks), end + 9)
    if any(toks[q].low in spec.needs_object or stems[q] & spec.needs_object for q in range(lo, hi) if q != end):
        return True
    # multi-word objects ("sanctions list", "daftar sanksi") are matched as consecutive tokens
    words = [t.low for t in toks[end + 1:min(len(toks), end + 14)]]
    return any(" " in ph and ph.split() == words[q:q + len(ph.split())]
               for ph in spec.needs_object for q in range(len(words)))


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
        nxt = s.toks[tr.j + 1].low if tr.j + 1 < len(s.toks) else ""
        if nxt in ("tersebut", "itu", "ini"):  # "pakta tersebut": a thing referred back to
            return True
        if prev and stems_of(prev, "id") & s.lex.cue("light_verbs") and prev.startswith(("me", "di")):
            return True  # "menyampaikan protes", "melakukan uji coba"
        return w.endswith(("an", "si")) or w in ("kerja", "kerjasama", "sanksi", "embargo") \
            or len(tr.spec.keys) > 1 and not w.startswith(("me", "ber", "bek"))
    if prev in ("the", "a", "an", "its", "their", "his", "her", "this", "that", "'s", "’s", "new", "joint"):
        return True
    if tr.spec.light_only:  # "UN sanctions against X" is a noun; "US sanctions Russian firms" a verb
        return not (w.endswith("s") and any(a.j == tr.i - 1 and a.ids[0] != "UN" for a in s.actors)
                    and s.sent.kind == "title")
    if prev in tr.spec.needs_object or prev in _objects(s.lex):  # "missile test", "arms transfers"
        return True
    if prev and stems_of(prev, "en") & s.lex.cue("light_verbs") and prev.endswith(("ed", "s")):
        return True  # "conducted transfers", "held talks": the object of a light verb
    if w.endswith("s") and not w.endswith("ss") and not prev.endswith(("'s", "’s")) \
            and any(a.j == tr.i - 1 and not a.anaphor for a in s.actors):
        return False  # "Russia blocks …", "China backs …": a verb after its subject (not "China's talks")
    return w.endswith(("tion", "sion", "ment", "ance", "ence", "ship", "als", "ks", "ings"))


def _objects(lex: Lexicon) -> frozenset[str]:
    """The materiel words transfers and deployments need (weapons, oil, troops …): a trigger right after
    one is a noun ("arms transfers", "missile launches")."""
    got = _OBJECTS.get(lex.language)
    if got is None:
        got = _OBJECTS[lex.language] = frozenset(w for specs in lex.by_key.values() for sp in specs
                                                 if sp.type in ("AID", "MOBILIZE")
                                                 for w in sp.needs_object if " " not in w)
    return got


_OBJECTS: dict[str, frozenset[str]] = {}


def _is_passive(s: _Sent, tr: Trig) -> bool:
    w = s.toks[tr.i].low
    if s.lex.language == "id":
        return w.startswith("di") and len(w) > 5 and w not in _DI_WORDS
    prev = s.toks[tr.i - 1].low if tr.i > 0 else ""
    if not w.endswith(("ed", "en", "wn", "nt")):
        return False
    nxt = s.toks[tr.j + 1].low if tr.j + 1 < len(s.toks) else ""
    if w.endswith("ed") and nxt == "of" and not any(a.j == tr.i - 1 for a in s.actors) \
            and prev not in ("has", "have", "had"):
        return True  # "tankers accused of delivering …": a reduced relative, not the act of accusing
    # "was condemned", or a reduced relative "the team, formed last year by …"
    return prev in ("was", "were", "is", "are", "been", "be", "being", "got") or \
        (prev == "," and any(t.low == "by" for t in s.toks[tr.j + 1:tr.j + 5]))


def _event_types(lex: Lexicon, low: str) -> list[str]:
    """PLOVER types a single word can trigger, ignoring object constraints ("launch", "peluncuran")."""
    out = []
    for key in sorted({low} | set(stems_of(low, lex.language))):
        for spec in lex.by_key.get(key, ()):
            if not spec.exact or key == low:
                out += [spec.type] + ([spec.abroad] if spec.abroad else [])
    return out
