"""The actor registry: countries, international bodies, national bodies, places and people.

Loaded once (cached) from packaged data: every country from pycountry with its
English, Indonesian and Korean names from babel, plus the YAML in
`pantau/ontology/` (organizations, bodies, people) and `pantau/lang/<code>/actors.yaml`
(the short forms, capitals, places and title words news uses).

People hold dated offices: `Registry.holder(role, affiliation, on)` answers "who was
NATO's Secretary General on 2024-04-06", `Registry.offices_of(person_id, on)` the
offices a person held on a day.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml
from babel import Locale

LOCALES = ("en", "id", "ko")
EAST_ASIAN = {"KOR", "PRK", "CHN", "TWN"}
# An office query for one role may be answered by an office of a related role.
ROLE_FALLBACKS: dict[str, tuple[str, ...]] = {
    "Leader": ("Leader", "President", "Chancellor", "Prime Minister"),
    "President": ("President", "Leader"),
    "Premier": ("Premier", "Prime Minister"),
    "Prime Minister": ("Prime Minister", "Premier"),
    "Minister": (),
}


def slugify(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z]+", "-", s).strip("-")


@dataclass(frozen=True, slots=True)
class Office:
    role: str
    affiliation: str
    start: date | None = None
    end: date | None = None
    title: str | None = None
    body: str | None = None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(slots=True)
class Person:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    surname: str = ""
    standalone: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    family_name: str = ""  # the first word of a Korean/Chinese name ("Kim"), shared by many people

    @property
    def surnames(self) -> list[str]:
        return [s for s in dict.fromkeys((self.surname, self.family_name)) if s]


@dataclass(slots=True)
class Actor:
    """A country, international body, national body or place."""

    id: str
    type: str  # country | organization | place
    name: str
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None
    country: str | None = None
    office_of: tuple[str, str] | None = None  # (role, org) for codes such as UNSG
    kind: str | None = None  # body kind ("ministry-of-foreign-affairs") of a national body
    parent: str | None = None  # the body an international body belongs to (UNSC -> UN)


@dataclass(slots=True)
class LangData:
    code: str
    countries: dict[str, str]
    demonyms: dict[str, str]
    capitals: dict[str, str]
    places: dict[str, str]
    roles: dict[str, str]
    role_prefixes: dict[str, str]
    former: set[str]
    prepositions: set[str]
    conjunctions: set[str]
    bridges: set[str]
    name_stop: set[str]


@dataclass(slots=True)
class BodyKind:
    key: str
    name: str
    id_words: list[str]
    en_pre: list[str]
    en_post: list[str]


@dataclass(slots=True)
class Registry:
    actors: dict[str, Actor]
    people: dict[str, Person]
    langs: dict[str, LangData]
    kinds: dict[str, BodyKind]
    kind_overrides: dict[tuple[str, str], str]  # (kind, ISO3) -> body id
    unqualified: dict[str, str]  # alias -> body id
    blockers: list[str]
    capital_places: dict[str, str]
    country_aliases: dict[str, set[str]]  # ISO3 -> all names (all locales + lang files)

    def lang(self, code: str) -> LangData:
        return self.langs.get(code) or self.langs["en"]

    def name_of(self, entity_id: str) -> str:
        a = self.actors.get(entity_id)
        if a:
            return a.name
        p = self.people.get(entity_id)
        return p.name if p else entity_id

    def offices_of(self, person_id: str, on: date | None = None) -> list[Office]:
        p = self.people.get(person_id)
        if not p:
            return []
        on = on or date.today()
        return [o for o in p.offices if o.covers(on)]

    def affiliation_of(self, person_id: str, on: date | None = None) -> Office | None:
        """The office a person acts in on a day: a current one, else the latest past, else the first."""
        p = self.people.get(person_id)
        if not p or not p.offices:
            return None
        on = on or date.today()
        current = [o for o in p.offices if o.covers(on)]
        if current:
            return current[0]
        past = [o for o in p.offices if o.end and o.end < on]
        if past:
            return max(past, key=lambda o: o.end or date.min)
        return p.offices[0]

    def holder(self, role: str, affiliation: str, on: date | None = None,
               body: str | None = None) -> Person | None:
        """The person holding `role` for `affiliation` on a day (None when unknown or ambiguous)."""
        on = on or date.today()
        for r in ROLE_FALLBACKS.get(role, (role,)):
            found = {p.id: p for p in self.people.values()
                     for o in p.offices
                     if o.role == r and o.affiliation == affiliation and o.covers(on)
                     and (body is None or o.body in (None, body))}
            if body is not None and len(found) > 1:
                found = {pid: p for pid, p in found.items()
                         if any(o.body == body for o in p.offices if o.role == r)}
            if len(found) == 1:
                return next(iter(found.values()))
            if found:
                return None
        return None

    def people_with_surname(self, surname: str) -> list[Person]:
        key = surname.casefold()
        return [p for p in self.people.values() if any(s.casefold() == key for s in p.surnames)]


def _read_yaml(package: str, name: str) -> Any:
    try:
        text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return yaml.safe_load(text) or {}


def _strip_parens(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


def _countries() -> tuple[dict[str, Actor], dict[str, set[str]]]:
    locales = {code: Locale(code) for code in LOCALES}
    actors: dict[str, Actor] = {}
    aliases: dict[str, set[str]] = {}
    for c in pycountry.countries:
        a3 = c.alpha_3
        names: set[str] = set()
        for loc in locales.values():
            n = loc.territories.get(c.alpha_2)
            if n:
                names.add(n)
                names.add(_strip_parens(n))
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            if n and "," not in n:
                names.add(n)
        en = locales["en"].territories.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        names = {n for n in names if n}
        actors[a3] = Actor(id=a3, type="country", name=_strip_parens(en), aliases=sorted(names))
        aliases[a3] = names
    return actors, aliases


def _lang(code: str) -> LangData:
    d = _read_yaml(f"pantau.lang.{code}", "actors.yaml")

    def words(key: str) -> set[str]:
        return {str(w) for w in d.get(key) or []}

    return LangData(
        code=code,
        countries={str(k): v for k, v in (d.get("countries") or {}).items()},
        demonyms={str(k): v for k, v in (d.get("demonyms") or {}).items()},
        capitals={str(k): v for k, v in (d.get("capitals") or {}).items()},
        places={str(k): v for k, v in (d.get("places") or {}).items()},
        roles={str(k): v for k, v in (d.get("roles") or {}).items()},
        role_prefixes={str(k): v for k, v in (d.get("role_prefixes") or {}).items()},
        former=words("former"),
        prepositions=words("prepositions"),
        conjunctions=words("conjunctions"),
        bridges=words("bridges"),
        name_stop=words("name_stop"),
    )


def _as_date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


def _people(data: dict[str, Any]) -> dict[str, Person]:
    out: dict[str, Person] = {}
    for pid, d in data.items():
        name = d["name"]
        offices = [Office(role=o["role"], affiliation=o["of"], start=_as_date(o.get("from")),
                          end=_as_date(o.get("to")), title=o.get("title"), body=o.get("body"))
                   for o in d.get("offices") or []]
        words = name.split()
        east_asian = bool(offices) and offices[0].affiliation in EAST_ASIAN
        if d.get("surname"):
            surname = d["surname"]
        elif east_asian:
            surname = words[0]
        else:
            surname = words[-1]
        out[pid] = Person(id=pid, name=name, aliases=list(d.get("aliases") or []), surname=surname,
                          standalone=list(d.get("standalone") or []), offices=offices,
                          family_name=words[0] if east_asian and len(words) > 1 else "")
    return out


@cache
def load_registry() -> Registry:
    actors, country_aliases = _countries()
    langs = {code: _lang(code) for code in ("id", "en")}
    for lang in langs.values():
        for alias, iso in lang.countries.items():
            country_aliases.setdefault(iso, set()).add(alias)

    for code, d in _read_yaml("pantau.ontology", "organizations.yaml").items():
        office = d.get("office_of")
        actors[code] = Actor(id=code, type="organization", name=d["name"],
                             aliases=[str(a) for a in d.get("aliases") or []],
                             office_of=(office["role"], office["org"]) if office else None,
                             parent=d.get("parent"))

    en = _read_yaml("pantau.lang.en", "actors.yaml")
    for pid, (name, country) in (en.get("place_info") or {}).items():
        actors[pid] = Actor(id=pid, type="place", name=name, country=country)
    capital_places = {str(k): v for k, v in (en.get("capital_places") or {}).items()}
    for code in ("en", "id"):  # every capital has a place entity for "di Seoul"
        for alias, iso in langs[code].capitals.items():
            pid = capital_places.setdefault(alias, f"place:{slugify(alias)}")
            if pid not in actors:
                actors[pid] = Actor(id=pid, type="place", name=alias, country=iso)

    bodies = _read_yaml("pantau.ontology", "bodies.yaml")
    kinds = {k: BodyKind(key=k, name=v["name"], id_words=list(v.get("id") or []),
                         en_pre=list(v.get("en_pre") or []), en_post=list(v.get("en_post") or []))
             for k, v in (bodies.get("kinds") or {}).items()}
    overrides: dict[tuple[str, str], str] = {}
    unqualified: dict[str, str] = {}
    for bid, d in (bodies.get("bodies") or {}).items():
        actors[bid] = Actor(id=bid, type="organization", name=d["name"], kind=d.get("kind"),
                            aliases=[str(a) for a in d.get("aliases") or []], affiliation=d.get("affiliation"))
        if d.get("kind") and d.get("affiliation"):
            overrides[(d["kind"], d["affiliation"])] = bid
        for a in d.get("unqualified") or []:
            unqualified[str(a)] = bid

    people = _people(_read_yaml("pantau.ontology", "people.yaml"))
    return Registry(actors=actors, people=people, langs=langs, kinds=kinds, kind_overrides=overrides,
                    unqualified=unqualified, blockers=[str(b) for b in bodies.get("blockers") or []],
                    capital_places=capital_places, country_aliases=country_aliases)


MINISTER_KINDS = {
    "Minister of Foreign Affairs": "ministry-of-foreign-affairs",
    "Minister of Defence": "ministry-of-defence",
    "Minister of Unification": "ministry-of-unification",
    "Minister of Finance": "ministry-of-finance",
    "Minister of Trade": "ministry-of-trade",
    "Minister of Justice": "ministry-of-justice",
    "Minister of the Interior": "ministry-of-the-interior",
}


def kind_of_role(role: str | None) -> str | None:
    """The body kind a minister's role belongs to ("Deputy Minister of Defence" -> ministry-of-defence)."""
    if not role:
        return None
    return next((k for r, k in MINISTER_KINDS.items() if r in role), None)


def body_id(reg: Registry, kind: str, iso3: str) -> str:
    """The id of a country's body of a kind, creating the compositional actor on first use."""
    bid = reg.kind_overrides.get((kind, iso3)) or f"org:{kind}-{iso3.lower()}"
    if bid not in reg.actors:
        k = reg.kinds[kind]
        country = reg.actors.get(iso3)
        reg.actors[bid] = Actor(id=bid, type="organization", affiliation=iso3, kind=kind,
                                name=f"{k.name} of {country.name if country else iso3}")
    return bid


def holder(role: str, affiliation: str, on: date | None = None, body: str | None = None) -> Person | None:
    """Who held `role` for `affiliation` on a day (the cached registry's `Registry.holder`)."""
    return load_registry().holder(role, affiliation, on, body)


def offices_of(person_id: str, on: date | None = None) -> list[Office]:
    """The offices a person held on a day (the cached registry's `Registry.offices_of`)."""
    return load_registry().offices_of(person_id, on)
