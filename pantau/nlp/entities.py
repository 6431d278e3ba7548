"""Find the actors and places a news text mentions: gazetteer + titles + dated offices (+ NER spans).

`find_entities(text)` returns an `EntityIndex`: one `pantau.model.Entity` per id with
all its mentions, and the `Hit`s (mentions) sorted and non-overlapping.

How mentions are read:
- registry aliases (pantau.nlp.gazetteer), longest match first;
- a ministry word joined to a country ("Kementerian Luar Negeri Korea Selatan",
  "Russia's Foreign Ministry") is that country's body (`org:<kind>-<iso3>`);
- a capital or seat is its government (a `country` hit, `metonym=True`) unless a
  locative preposition comes before it ("di Seoul", "in Moscow": a place);
- a title chain ("Menteri Pertahanan Korea Selatan Shin Won-sik", "Komandan
  Tertinggi NATO Jenderal Christopher Cavoli", "South Korean Foreign Minister
  Cho Tae-yul") gives the person its role and affiliation; a title with a country
  or body and no name is resolved through dated offices ("Sekjen NATO" in
  April 2024 is Jens Stoltenberg). The country or body inside such a chain stays a
  mention of its entity but is not a separate hit, so that hits read as actors;
- a surname alone is the person once the full name has appeared, or after a
  title that fits one of the person's offices ("Menteri Shin");
- NER spans not covered by the above become `person:`/`org:`/`place:` entities.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from pantau.model import Entity, Mention
from pantau.nlp.gazetteer import Entry, Match, Tok, gazetteer, norm_token, tokenize
from pantau.nlp.outlets import cited_outlet
from pantau.nlp.persons import is_common, lowercase_words, scan_name
from pantau.nlp.registry import Registry, body_id, kind_of_role, load_registry, slugify

QUALIFIERS = {"country", "demonym", "capital", "org", "body"}
RANKS = {"General", "Lieutenant General", "Major General", "Marshal", "Admiral", "Colonel", "Captain"}
NOT_HOLDABLE = RANKS | {"Official", "Head", "Chair", "Director", "Commander", "Minister", "Envoy"}
ARTICLES = {"the", "sang", "para"}
AFFILIATION_BRIDGES = {"of"}


@dataclass(slots=True)
class Hit:
    """One mention of an entity in the text."""

    start: int
    end: int
    text: str
    entity_id: str  # 'PRK', 'NATO', 'person:cho-tae-yul', 'org:...', 'place:brussels'
    type: str  # country | organization | person | place | other
    metonym: bool = False  # a capital/seat standing for its government
    role_hint: str | None = None


@dataclass(slots=True)
class NerSpan:
    """A span from the trained NER (may be empty)."""

    start: int
    end: int
    label: str  # PERSON | PLACE | ORGANISATION


@dataclass
class EntityIndex:
    entities: list[Entity]
    hits: list[Hit]
    _by_id: dict[str, Entity] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entities}

    def in_span(self, start: int, end: int) -> list[Hit]:
        return [h for h in self.hits if h.start >= start and h.end <= end]

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)


@dataclass(slots=True)
class Unit:
    """A resolved stretch of tokens [i, j)."""

    i: int
    j: int
    kind: str  # country | demonym | capital | org | body | place | person | surname | title | kind | blocker
    target: str
    entry: Entry
    candidates: list[str] = field(default_factory=list)  # surname: person ids
    used: bool = False


@dataclass(slots=True)
class _Item:
    start: int
    end: int
    entity_id: str
    type: str
    metonym: bool = False
    role_hint: str | None = None
    emit: bool = True  # False: a mention inside a title chain, kept on the entity only


@dataclass(slots=True)
class _PersonInfo:
    name: str
    affiliation: str | None
    role: str | None
    source: str


@cache
def _country_names() -> dict[str, str]:
    reg = load_registry()
    return {norm_token(n): iso for iso, names in reg.country_aliases.items() for n in names}


def find_entities(text: str, *, regions: list[tuple[int, int]] | None = None, on: date | None = None,
                  language: str = "id", ner_spans: Sequence[NerSpan] = (),
                  ner: Callable[[list[tuple[int, int]]], Sequence[NerSpan]] | None = None,
                  ner_regions: list[tuple[int, int]] | None = None) -> EntityIndex:
    """Entities of `text` inside `regions`. `ner_spans` are spans of a statistical NER; or give `ner`,
    a function from regions to spans, and it is called once, only on those of `ner_regions` (default:
    `regions`) where a capitalised word is left that the gazetteer did not read — the NER can add
    nothing elsewhere, since its spans over gazetteer names are ignored."""
    return _Finder(text, regions, on or date.today(), language, ner_spans, ner, ner_regions).run()


@cache
def _date_words(lang: str) -> frozenset[str]:
    """Weekday and month names: capitalised in running text, never names of actors."""
    from pantau.nlp.dates_lexicon import date_lexicon

    lex = date_lexicon(lang)
    return frozenset(norm_token(w) for w in (*lex.months, *lex.weekdays))


# frequent sentence openers of English news that are no names (English has no common-word list here)
_EN_OPENERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
                         "in", "on", "at", "for", "with", "by", "after", "before", "during", "while", "when", "but",
                         "and", "as", "if", "since", "earlier", "later", "meanwhile", "however", "also", "some",
                         "many", "analysts", "officials", "experts", "according", "both", "there", "its", "his",
                         "her", "their", "our", "last", "next", "under", "over", "from", "about", "more"})


_ARTICLES = frozenset({"the", "a", "an", "sang", "si", "para"})


class _Finder:
    def __init__(self, text: str, regions: list[tuple[int, int]] | None, on: date, language: str,
                 ner_spans: Sequence[NerSpan],
                 ner: Callable[[list[tuple[int, int]]], Sequence[NerSpan]] | None = None,
                 ner_regions: list[tuple[int, int]] | None = None) -> None:
        self.text, self.on = text, on
        self.lang_code = language if language in ("id", "en") else "en"
        self.reg: Registry = load_registry()
        self.lang = self.reg.lang(self.lang_code)
        self.toks: list[Tok] = tokenize(text, regions)
        self.starts = [t.start for t in self.toks]
        self.ner = self._in_text(ner_spans)
        self._ner_fn = ner
        self._ner_regions = ner_regions if ner_regions is not None else regions
        self.items: list[_Item] = []
        self.people: dict[str, _PersonInfo] = {}
        self._ner_names: dict[str, str] = {}
        self._lower_words: frozenset[str] | None = None

    # -- driver ---------------------------------------------------------------
    def run(self) -> EntityIndex:
        matches = gazetteer(self.lang_code).match(self.toks)
        units = self._units(matches)
        units = self._compose_bodies(units)
        self.units = units
        self.unit_at = {u.i: u for u in units}
        self.unit_end = {u.j: u for u in units}
        self.covered = {k for m in matches for k in range(m.i, m.j)}
        if self._ner_fn is not None:
            todo = self._unread_regions()
            spans = self._ner_fn(todo) if todo else ()
            self.ner = self._in_text(spans)
        self.blocking = {u.i for u in units if u.kind != "surname"}
        self.doc_people = {u.target for u in units if u.kind == "person"}
        self._titles(units)
        self._capitals(units)
        for u in units:
            if not u.used:
                self._plain(u)
        self._ner_spans()
        self._drop_cited_outlets()
        return self._index()

    def _in_text(self, spans: Sequence[NerSpan]) -> list[NerSpan]:
        return sorted((s for s in spans if 0 <= s.start < s.end <= len(self.text)), key=lambda s: s.start)

    def _drop_cited_outlets(self) -> None:
        """"dilansir ANTARA dari Yonhap", "menurut kantor berita KCNA": a cited outlet is no actor."""
        kept = []
        for it in self.items:
            if it.type != "country":
                info = self.people.get(it.entity_id)
                known = it.entity_id in self.reg.actors or (info is not None and info.source != "ner")
                if cited_outlet(self.text, it.start, it.end, registry_name=known):
                    continue
            kept.append(it)
        self.items = kept

    def _unread_regions(self) -> list[tuple[int, int]]:
        """NER regions holding a capitalised word outside every gazetteer match (a word opening the
        region counts unless it is a common word of the language)."""
        out = []
        dates = _date_words(self.lang_code)
        for rs, re_ in self._ner_regions or [(0, len(self.text))]:
            k = bisect_left(self.starts, rs)
            first = True
            while k < len(self.toks) and self.toks[k].start < re_:
                t = self.toks[k]
                if t.text[:1].isupper() and k not in self.covered and t.text.isalpha() \
                        and t.norm not in dates and not (first and self._plain_opener(t.norm)):
                    out.append((rs, re_))
                    break
                first = first and not t.text[:1].isalnum()
                k += 1
        return out

    def _plain_opener(self, word: str) -> bool:
        """A capitalised word opening a sentence that is an ordinary word ("Analysts", "Earlier",
        "Sementara"): a common word, one the text also writes in lower case, or an English adverb or
        participle."""
        if is_common(word, self.lang_code) or word in self._lower():
            return True
        return self.lang_code == "en" and (word.endswith(("ly", "ing", "ed")) or word in _EN_OPENERS)

    def _units(self, matches: list[Match]) -> list[Unit]:
        out = []
        for m in matches:
            e = m.best
            if e.kind == "blocker":
                continue
            u = Unit(m.i, m.j, e.kind, e.target, e)
            if e.kind == "surname":
                u.candidates = [x.target for x in m.entries if x.kind == "surname"]
            out.append(u)
        return out

    # -- ministries joined to a country ------------------------------------------
    def _compose_bodies(self, units: list[Unit]) -> list[Unit]:
        out: list[Unit] = []
        k = 0
        while k < len(units):
            u = units[k]
            if u.kind != "kind":
                out.append(u)
                k += 1
                continue
            nxt = units[k + 1] if k + 1 < len(units) else None
            prev = out[-1] if out else None
            iso = None
            if nxt and nxt.kind in ("country", "demonym") and self._gap_ok(u.j, nxt.i, {"of", "the"}):
                iso, j, i, inner = nxt.target, nxt.j, u.i, nxt
                k += 1
            elif (prev and prev.kind in ("country", "demonym", "capital") and not prev.used
                  and self._gap_ok(prev.j, u.i, {"'", "s", "the"})):
                iso, j, i, inner = prev.target, u.j, prev.i, prev
                out.pop()
            if iso:
                bid = body_id(self.reg, u.target, iso)
                self._inner(inner, iso)
                out.append(Unit(i, j, "body", bid, u.entry))
            elif u.entry.extra:
                out.append(Unit(u.i, u.j, "body", u.entry.extra, u.entry))
            k += 1
        return out

    def _gap_ok(self, a: int, b: int, fillers: set[str]) -> bool:
        """Tokens a..b-1 are only fillers, all on one line with the neighbours."""
        if b - a > 3 or b < a:
            return False
        if b < len(self.toks) and not self.toks[b].joined and not self._glued(b):
            return False
        return all(self.toks[t].norm in fillers for t in range(a, b))

    def _glued(self, k: int) -> bool:
        return k > 0 and self.toks[k - 1].end == self.toks[k].start

    # -- titles ---------------------------------------------------------------
    def _titles(self, units: list[Unit]) -> None:
        last: tuple[int, str | None, int] | None = None  # (end token, affiliation, sentence) of the last chain
        for u in units:
            is_office_org = u.kind == "org" and self.reg.actors[u.target].office_of is not None
            if u.used or not (u.kind == "title" or is_office_org):
                continue
            res = self._chain(u, is_office_org, last)
            if res:
                last = res

    def _chain(self, t: Unit, office_org: bool,
               last: tuple[int, str | None, int] | None) -> tuple[int, str | None, int] | None:
        """Read a title chain starting at `t`; on success record the person and return
        (end token, affiliation, sentence) for the next coordinated title."""
        toks = self.toks
        sent = toks[t.i].sent
        if office_org:
            office = self.reg.actors[t.target].office_of
            role, aff, body, qual = office[0], t.target, None, t
        else:
            role, aff, body, qual = t.target, None, None, None
        former = t.i > 0 and toks[t.i - 1].norm in self.lang.former
        chain = [t]
        pos = t.j
        for _ in range(4):
            u = self.unit_at.get(pos)
            if u is None:
                # "Duta Besar Rusia untuk PBB" (the body served), "Secretary General of NATO" (the affiliation)
                b = self.unit_at.get(self._skip(pos + 1, ARTICLES)) if pos < len(toks) else None
                if (b is None or b.kind not in QUALIFIERS or b.used
                        or toks[pos].norm not in self.lang.bridges | AFFILIATION_BRIDGES):
                    break
                if toks[pos].norm in AFFILIATION_BRIDGES and qual is None:
                    qual = b
                    aff, body = self._affiliation(b)
                chain.append(b)
                pos = b.j
                continue
            if u.used or not toks[u.i].joined and not self._glued(u.i):
                break
            if u.kind == "title" and u.target in RANKS | {"Official"}:
                chain.append(u)
                pos = u.j
            elif u.kind in QUALIFIERS and qual is None:
                qual = u
                aff, body = self._affiliation(u)
                chain.append(u)
                pos = self._skip_acronym(u.j, u)
            else:
                break
        if qual is None and (self.lang_code == "en" or role in RANKS):
            qual = self._look_back(t.i)
            if qual is not None:
                aff, body = self._affiliation(qual)
                chain.insert(0, qual)
        if (pos + 1 < len(toks) and toks[pos].text == "," and qual is not None
                and self._apposed_name(pos + 1)):
            pos += 1  # "Menteri Luar Negeri Rusia, Sergei Lavrov, ..."
        name_unit = self.unit_at.get(pos)
        person_id: str | None = None
        span: tuple[int, int] | None = None
        if name_unit is not None and not name_unit.used and (toks[pos].joined or self._glued(pos)):
            if name_unit.kind == "person":
                person_id, span = name_unit.target, (name_unit.i, name_unit.j)
            elif name_unit.kind == "surname" and not self._longer_name(pos):
                person_id = self._by_surname(name_unit.candidates, role, aff, titled=True)
                span = (name_unit.i, name_unit.j) if person_id else None
            if span:
                name_unit.used = True
        if person_id is None and (name_unit is None or name_unit.kind == "surname"):
            person_id, span = self._new_person(pos, role, aff, last, sent, t.i)
        if person_id is None and span is None and qual is not None and not former and role not in NOT_HOLDABLE:
            p = self.reg.holder(role, aff, self.on, body) if aff else None
            if p is not None:
                person_id, span = p.id, (min(c.i for c in chain), max(c.j for c in chain))
        if person_id is None or span is None:
            return None
        for c in chain:
            if c.kind in QUALIFIERS or c.kind == "org":
                self._inner(c, c.target)
            c.used = True
        self._person(person_id, span, role, aff)
        return span[1], self.people[person_id].affiliation, sent

    def _apposed_name(self, pos: int) -> bool:
        """A registry person or a name of two words or more, followed by a comma, starts at pos."""
        u = self.unit_at.get(pos)
        if u is not None:
            return u.kind == "person"
        rng = scan_name(self.toks, pos, stops=self.lang.name_stop, blocked=self.blocking, covered=self.covered,
                        lang=self.lang_code, lower=self._lower())
        return (rng is not None and sum(not t.hyphen for t in self.toks[rng[0]:rng[1]]) > 1
                and rng[1] < len(self.toks) and self.toks[rng[1]].text == ",")

    def _longer_name(self, pos: int) -> bool:
        """A family name that starts a longer, unknown name ("Kim Hong-kyun")."""
        rng = scan_name(self.toks, pos, stops=self.lang.name_stop, blocked=self.blocking, covered=self.covered,
                        lang=self.lang_code, lower=self._lower())
        return rng is not None and sum(not t.hyphen for t in self.toks[rng[0]:rng[1]]) > 1

    def _skip(self, pos: int, words: set[str]) -> int:
        while pos < len(self.toks) and self.toks[pos].norm in words:
            pos += 1
        return pos

    def _skip_acronym(self, pos: int, u: Unit) -> int:
        """Skip "(NATO)" after "Pakta Pertahanan Atlantik Utara"."""
        toks = self.toks
        if pos + 2 < len(toks) and toks[pos].text == "(" and toks[pos + 2].text == ")":
            inner = self.unit_at.get(pos + 1)
            if inner is not None and inner.target == u.target:
                self._inner(inner, inner.target)
                inner.used = True
                return pos + 3
            if toks[pos + 1].text.isupper():
                return pos + 3
        return pos

    def _look_back(self, i: int) -> Unit | None:
        """English order: "South Korean Foreign Minister", "Russia's defence minister", "NATO Secretary General"."""
        k = i
        while k > 0 and self.toks[k - 1].norm in {"'", "s"} and i - k < 2:
            k -= 1
        u = self.unit_end.get(k)
        if u is not None and u.kind in QUALIFIERS and not u.used and self.toks[u.j - 1].sent == self.toks[i].sent:
            return u
        return None

    def _affiliation(self, u: Unit) -> tuple[str | None, str | None]:
        if u.kind == "body":
            return self.reg.actors[u.target].affiliation, u.target
        return u.target, None

    def _by_surname(self, candidates: list[str], role: str | None, aff: str | None,
                    titled: bool = False) -> str | None:
        """The one person a surname can mean: named in full in this text, else holding the title's office
        (after a rank alone, "Jenderal Cavoli", the only person of that surname)."""
        if role in RANKS or role == "Official":
            role = None

        def fits(pid: str) -> bool:
            return any((role is None or o.role == role or role in o.role) and (aff is None or o.affiliation == aff)
                       for o in self.reg.offices_of(pid, self.on))

        in_doc = [c for c in candidates if c in self.doc_people]
        if role or aff:
            in_doc = [c for c in in_doc if fits(c)]
        if len(in_doc) == 1:
            return in_doc[0]
        if in_doc:
            return None
        if not (role or aff):
            return candidates[0] if titled and len(candidates) == 1 else None
        fitting = [c for c in candidates if fits(c)]
        return fitting[0] if len(fitting) == 1 else None

    def _new_person(self, pos: int, role: str, aff: str | None, last, sent: int, start: int):
        """A name after a title that the registry does not know."""
        toks = self.toks
        ner = next((s for s in self.ner if s.label == "PERSON" and pos < len(toks) and s.start == toks[pos].start),
                   None)
        if ner is not None:
            end = pos
            while end < len(toks) and toks[end].end <= ner.end:
                end += 1
            rng = (pos, end) if end > pos else None
        else:
            rng = scan_name(toks, pos, stops=self.lang.name_stop, blocked=self.blocking, covered=self.covered,
                            lang=self.lang_code, lower=self._lower())
        if rng is None:
            return None, None
        words = [t for t in toks[rng[0]:rng[1]] if not t.hyphen]
        if len(words) == 1:
            pid = self._by_surname([p.id for p in self.reg.people_with_surname(words[0].text)], role, aff,
                                   titled=True)
            return (pid, rng) if pid else (None, None)
        name = self.text[toks[rng[0]].start:toks[rng[1] - 1].end]
        name = " ".join(name.split())
        pid = f"person:{slugify(name)}"
        if pid in self.reg.people:
            return pid, rng
        if aff is None and last is not None and last[2] == sent and self._joined_by_conj(last[0], start):
            aff = last[1]
        if aff is None:
            aff = self._nearest_country(rng[0], sent) or self._ministry_country(role)
        self.people.setdefault(pid, _PersonInfo(name, aff, role, "title"))
        return pid, rng

    def _joined_by_conj(self, end: int, start: int) -> bool:
        between = [t.norm for t in self.toks[end:start]]
        return 0 < len(between) <= 2 and all(w in self.lang.conjunctions for w in between)

    def _nearest_country(self, i: int, sent: int) -> str | None:
        best = None
        for u in self.units:
            if u.kind in ("country", "demonym", "capital", "body") and self.toks[u.i].sent == sent:
                d = abs(u.i - i)
                target = self.reg.actors[u.target].affiliation if u.kind == "body" else u.target
                if target and (best is None or d < best[0]):
                    best = (d, target)
        return best[1] if best else None

    def _ministry_country(self, role: str) -> str | None:
        """A minister with no country: the country of the one ministry of that kind the text names."""
        kind = kind_of_role(role)
        if kind is None:
            return None
        found = {self.reg.actors[u.target].affiliation for u in self.units
                 if u.kind == "body" and self.reg.actors[u.target].kind == kind}
        return found.pop() if len(found) == 1 else None

    def _lower(self) -> frozenset[str]:
        if self._lower_words is None:
            self._lower_words = lowercase_words(self.toks)
        return self._lower_words

    # -- capitals -------------------------------------------------------------
    def _capitals(self, units: list[Unit]) -> None:
        prev_decision: tuple[int, bool] | None = None  # (end token, is_place)
        for u in units:
            if u.kind != "capital" or u.used:
                continue
            is_place = self._locative(u, prev_decision)
            u.used = True
            if is_place:
                place = u.entry.extra or f"place:{slugify(self._text(u))}"
                self._add(u, place, "place")
            else:
                self._add(u, u.target, "country", metonym=True)
            prev_decision = (u.j, is_place)

    def _locative(self, u: Unit, prev: tuple[int, bool] | None) -> bool:
        toks = self.toks
        t = toks[u.i]
        if t.text.isupper() and len(t.text) > 3:
            return True  # a dateline: "SEOUL --"
        if u.i > 0 and toks[u.i - 1].sent == t.sent:
            p1 = toks[u.i - 1].norm
            p2 = f"{toks[u.i - 2].norm} {p1}" if u.i > 1 else p1
            if p1 in self.lang.prepositions or p2 in self.lang.prepositions:
                return True
            if prev is not None and self._joined_by_conj(prev[0], u.i):
                return prev[1]
        return False

    # -- everything else ------------------------------------------------------
    def _plain(self, u: Unit) -> None:
        if u.kind in ("country", "demonym"):
            self._add(u, u.target, "country")
        elif u.kind in ("org", "body"):
            self._add(u, u.target, "organization")
        elif u.kind == "place":
            self._add(u, u.target, "place")
        elif u.kind == "person":
            self._person(u.target, (u.i, u.j), None, None)
        elif u.kind == "surname":
            if self._longer_name(u.i):  # "Kim Yong-bok", "Park Kwang-ho": the family name of someone else
                self._family_name_person(u.i)
                return
            pid = self._by_surname(u.candidates, None, None)
            if pid is not None and not self._other_named(self._text(u), pid):
                self._person(pid, (u.i, u.j), None, None)

    def _family_name_person(self, pos: int) -> None:
        """A name the registry does not know that starts with a known family name: the whole name is the
        person (otherwise the statistical NER, reading only the given name, drops the family name)."""
        rng = scan_name(self.toks, pos, stops=self.lang.name_stop, blocked=self.blocking, covered=self.covered,
                        lang=self.lang_code, lower=self._lower())
        if rng is None:
            return
        name = " ".join(self.text[self.toks[rng[0]].start:self.toks[rng[1] - 1].end].split())
        pid = f"person:{slugify(name)}"
        if pid in self.reg.people:
            self._person(pid, rng, None, None)
            return
        self.people.setdefault(pid, _PersonInfo(name, None, None, "name"))
        self.items.append(_Item(self.toks[rng[0]].start, self.toks[rng[1] - 1].end, pid, "person"))

    def _other_named(self, surname: str, pid: str) -> bool:
        """Another person of this text (not in the registry) shares the surname."""
        return any(other != pid and info.source != "registry" and surname in info.name.replace("-", " ").split()
                   for other, info in self.people.items())

    def _ner_spans(self) -> None:
        if not self.ner:
            return
        taken = sorted((it.start, it.end) for it in self.items)
        for s in self.ner:
            if any(a < s.end and s.start < b for a, b in taken):
                continue
            k = bisect_left(self.starts, s.start + 1) - 1  # the token holding s.start, if any
            if k < 0 or not self.toks[k].start <= s.start < self.toks[k].end:
                continue  # outside the regions
            surface = " ".join(self.text[s.start:s.end].split())
            if not surface or not surface[:1].isalnum():
                continue
            own = self._tokens_in(s.start, s.end)
            while own and self.toks[own[0]].norm in _ARTICLES:
                own = own[1:]  # "The Foreign Office": the article is not part of the name
            if own and all(k in self.covered for k in own):
                continue  # the gazetteer has read these words (a title, an unresolved ministry word)
            span = self._trim_front(s, person=s.label == "PERSON")
            if span is None:
                continue  # a name is written with a capital: "as" tagged as a place is a slip
            surface = " ".join(self.text[span[0]:span[1]].split())
            if s.label == "PERSON":
                pid = self._surname_in_doc(surface)
                if pid is None and " " not in surface and (surface in self.lang.name_stop
                                                           or is_common(surface.casefold(), self.lang_code)):
                    continue
                pid = pid or f"person:{slugify(surface)}"
                self.people.setdefault(pid, _PersonInfo(surface, None, None, "ner"))
                self.items.append(_Item(span[0], span[1], pid, "person"))
            elif s.label in ("ORGANISATION", "ORGANIZATION", "ORG"):
                oid = f"org:{slugify(surface)}"
                self.items.append(_Item(span[0], span[1], oid, "organization"))
                self._ner_names[oid] = surface
            elif s.label in ("PLACE", "LOCATION", "LOC", "GPE"):
                iso = self._country_named(surface)
                if iso:
                    self.items.append(_Item(span[0], span[1], iso, "country"))
                else:
                    pid = f"place:{slugify(surface)}"
                    self.items.append(_Item(span[0], span[1], pid, "place"))
                    self._ner_names[pid] = surface
            taken.append((s.start, s.end))

    def _country_named(self, surface: str) -> str | None:
        return _country_names().get(norm_token(surface))

    def _trim_front(self, s: NerSpan, *, person: bool) -> tuple[int, int] | None:
        """Drop lower-case words from the front of an NER span ("pelabuhan Yeosu" is the port of
        Yeosu; a span with no capitalised word is no name), and for a person also title words and
        words the gazetteer has read."""
        toks = self._tokens_in(s.start, s.end)
        while toks:
            k = toks[0]
            t = self.toks[k]
            if not t.text[:1].isupper() or (person and (k in self.covered or t.text in self.lang.name_stop)):
                toks.pop(0)
            else:
                break
        if not toks:
            return None
        return self.toks[toks[0]].start, self.toks[toks[-1]].end

    def _tokens_in(self, start: int, end: int) -> list[int]:
        k = bisect_left(self.starts, start)
        out = []
        while k < len(self.toks) and self.toks[k].end <= end:
            out.append(k)
            k += 1
        return out

    def _surname_in_doc(self, surface: str) -> str | None:
        if " " in surface:
            return None
        found = [pid for pid in self.doc_people if surface in self.reg.people[pid].surnames]
        return found[0] if len(found) == 1 else None

    # -- bookkeeping ----------------------------------------------------------
    def _text(self, u: Unit) -> str:
        return self.text[self.toks[u.i].start:self.toks[u.j - 1].end]

    def _add(self, u: Unit, eid: str, etype: str, *, metonym: bool = False, emit: bool = True) -> None:
        self.items.append(_Item(self.toks[u.i].start, self.toks[u.j - 1].end, eid, etype, metonym, None, emit))

    def _inner(self, u: Unit, eid: str) -> None:
        """A country/body inside a title or ministry name: a mention of its entity, not a hit."""
        etype = "place" if eid.startswith("place:") else (
            "country" if u.kind in ("country", "demonym", "capital") else "organization")
        self._add(u, eid, etype, emit=False)
        u.used = True

    def _person(self, pid: str, span: tuple[int, int], role: str | None, aff: str | None) -> None:
        if pid in self.reg.people and pid not in self.people:
            office = None
            if role:
                office = next((o for o in self.reg.offices_of(pid, self.on) if o.role == role), None)
            office = office or self.reg.affiliation_of(pid, self.on)
            p = self.reg.people[pid]
            self.people[pid] = _PersonInfo(p.name, office.affiliation if office else aff,
                                           (office.title or office.role) if office else role, "registry")
        self.items.append(_Item(self.toks[span[0]].start, self.toks[span[1] - 1].end, pid, "person",
                                role_hint=role))

    def _index(self) -> EntityIndex:
        items = sorted(self.items, key=lambda it: (it.start, -(it.end - it.start)))
        entities: dict[str, Entity] = {}
        hits: list[Hit] = []
        last_end = -1
        for it in items:
            ent = entities.get(it.entity_id)
            if ent is None:
                ent = entities[it.entity_id] = self._entity(it)
            ent.mentions.append(Mention(it.start, it.end, self.text[it.start:it.end]))
            if it.emit and it.start >= last_end:
                hits.append(Hit(it.start, it.end, self.text[it.start:it.end], it.entity_id, it.type,
                                it.metonym, it.role_hint))
                last_end = it.end
        for ent in entities.values():  # the surface forms used in this text
            seen = {ent.name}
            for m in ent.mentions:
                form = " ".join(m.text.split())
                if form not in seen:
                    seen.add(form)
                    ent.aliases.append(form)
        return EntityIndex(list(entities.values()), hits)

    def _entity(self, it: _Item) -> Entity:
        if it.type == "person":
            info = self.people.get(it.entity_id) or _PersonInfo(it.entity_id.split(":", 1)[1], None, None, "ner")
            return Entity(it.entity_id, "person", info.name, affiliation=info.affiliation, role=info.role,
                          source=info.source)
        actor = self.reg.actors.get(it.entity_id)
        if actor is None:
            name = self._ner_names.get(it.entity_id) or it.entity_id.split(":", 1)[-1]
            return Entity(it.entity_id, it.type, name, source="ner")
        return Entity(actor.id, actor.type, actor.name, affiliation=actor.affiliation,
                      country=actor.country if actor.type == "place" else None)
