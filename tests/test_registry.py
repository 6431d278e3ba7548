"""The actor registry: countries from pycountry + babel, bodies, and people with dated offices."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from pantau.nlp.registry import body_id, load_registry

REG = load_registry()
# Offices that have one holder at a time for a given country or organisation.
SINGLE_HOLDER = {"President", "Prime Minister", "Premier", "Chancellor", "Minister of Foreign Affairs",
                 "Minister of Defence", "Minister of Unification", "Secretary General", "Supreme Allied Commander",
                 "High Representative", "Director General", "National Security Advisor", "Commander-in-Chief",
                 "Leader", "Chief Cabinet Secretary", "Vice President"}


@pytest.mark.parametrize(("role", "aff", "on", "expected"), [
    ("Secretary General", "NATO", date(2024, 4, 6), "person:jens-stoltenberg"),
    ("Secretary General", "NATO", date(2024, 9, 30), "person:jens-stoltenberg"),
    ("Secretary General", "NATO", date(2024, 10, 1), "person:mark-rutte"),
    ("Secretary General", "NATO", date(2024, 11, 15), "person:mark-rutte"),
    ("President", "KOR", date(2023, 3, 1), "person:yoon-suk-yeol"),
    ("President", "KOR", date(2025, 4, 4), "person:yoon-suk-yeol"),
    ("President", "KOR", date(2025, 6, 4), "person:lee-jae-myung"),
    ("President", "KOR", date(2019, 1, 1), "person:moon-jae-in"),
    ("Minister of Foreign Affairs", "USA", date(2021, 1, 26), "person:antony-blinken"),
    ("Minister of Foreign Affairs", "USA", date(2025, 1, 20), "person:antony-blinken"),
    ("Minister of Foreign Affairs", "USA", date(2025, 1, 21), "person:marco-rubio"),
    ("Minister of Defence", "KOR", date(2024, 2, 29), "person:shin-won-sik"),
    ("Minister of Defence", "KOR", date(2024, 10, 30), "person:kim-yong-hyun"),
    ("Minister of Foreign Affairs", "KOR", date(2024, 4, 6), "person:cho-tae-yul"),
    ("Supreme Allied Commander", "NATO", date(2024, 2, 29), "person:christopher-cavoli"),
    ("Minister of Defence", "RUS", date(2024, 1, 1), "person:sergei-shoigu"),
    ("Minister of Defence", "RUS", date(2024, 6, 1), "person:andrei-belousov"),
    ("Leader", "PRK", date(2024, 1, 1), "person:kim-jong-un"),
    ("Leader", "RUS", date(2024, 1, 1), "person:vladimir-putin"),  # no "Leader" office: falls back to President
    ("Leader", "JPN", date(2024, 12, 1), "person:shigeru-ishiba"),  # ... or to Prime Minister
    ("Secretary General", "UNSG", date(2024, 1, 1), "person:antonio-guterres"),
])
def test_holder_on_a_date(role: str, aff: str, on: date, expected: str) -> None:
    p = REG.holder(role, aff, on)
    assert p is not None and p.id == expected


def test_holder_unknown_or_ambiguous_is_none() -> None:
    assert REG.holder("President", "KOR", date(2025, 5, 15)) is None  # between Yoon's removal and Lee
    assert REG.holder("Minister of Foreign Affairs", "ATA", date(2024, 1, 1)) is None
    # two foreign-ministry spokespeople of China at once: no guess
    assert REG.holder("Spokesperson", "CHN", date(2024, 3, 1),
                      body=body_id(REG, "ministry-of-foreign-affairs", "CHN")) is None
    assert REG.holder("Spokesperson", "USA", date(2024, 3, 1),
                      body="org:us-department-of-state").id == "person:matthew-miller"


def test_offices_of_changes_with_the_date() -> None:
    assert [o.role for o in REG.offices_of("person:shin-won-sik", date(2024, 2, 29))] == ["Minister of Defence"]
    assert [o.role for o in REG.offices_of("person:shin-won-sik", date(2024, 10, 1))] == ["National Security Advisor"]
    assert REG.offices_of("person:jens-stoltenberg", date(2024, 12, 1)) == []
    # out of office: the latest past office still says whom he acted for
    assert REG.affiliation_of("person:jens-stoltenberg", date(2024, 12, 1)).affiliation == "NATO"


def test_countries_come_from_pycountry_and_babel() -> None:
    countries = [a for a in REG.actors.values() if a.type == "country"]
    assert len(countries) >= 193
    assert REG.actors["PRK"].name == "North Korea"
    assert {"Korea Utara", "North Korea", "북한", "Korut"} <= REG.country_aliases["PRK"]
    assert "Belgia" in REG.country_aliases["BEL"]  # babel's Indonesian name
    assert "Myanmar" in REG.country_aliases["MMR"]  # "Myanmar (Burma)" without the parenthesis


def test_people_data_is_consistent() -> None:
    codes = set(REG.actors)
    for pid, p in REG.people.items():
        assert re.fullmatch(r"person:[a-z0-9-]+", pid), pid
        assert p.surname, pid
        for o in p.offices:
            assert o.affiliation in codes, (pid, o.affiliation)
            assert o.start is not None, pid
            assert o.end is None or o.start <= o.end, pid
            assert o.body is None or o.body.startswith("org:"), pid


def test_single_holder_offices_do_not_overlap() -> None:
    offices = [(p.id, o) for p in REG.people.values() for o in p.offices if o.role in SINGLE_HOLDER]
    for pid, o in offices:
        for day in (o.start, o.start + timedelta(days=1)):
            others = [q for q, x in offices if q != pid and x.role == o.role and x.affiliation == o.affiliation
                      and x.covers(day) and x.title == o.title]
            assert not others or day == o.start, (pid, o, others)


def test_body_ids_are_compositional_with_overrides() -> None:
    assert body_id(REG, "ministry-of-foreign-affairs", "KOR") == "org:ministry-of-foreign-affairs-kor"
    assert REG.actors["org:ministry-of-foreign-affairs-kor"].name == "Ministry of Foreign Affairs of South Korea"
    assert REG.actors["org:ministry-of-foreign-affairs-kor"].affiliation == "KOR"
    assert body_id(REG, "ministry-of-foreign-affairs", "USA") == "org:us-department-of-state"
    assert body_id(REG, "ministry-of-defence", "KOR") == "org:ministry-of-national-defense-kor"


def test_organisation_codes_from_the_ontology() -> None:
    for code in ("UN", "UNSC", "UNGA", "UNSG", "UNPOE", "MSMT", "NATO", "EU", "ASEAN", "IAEA", "G7", "OSCE",
                 "ICC", "WFP", "IMO"):
        assert REG.actors[code].type == "organization"
    assert REG.actors["UNSG"].office_of == ("Secretary General", "UN")


def test_module_level_lookups() -> None:
    from pantau.nlp.registry import holder, offices_of

    assert holder("Secretary General", "NATO", date(2024, 4, 6)).name == "Jens Stoltenberg"
    assert [o.affiliation for o in offices_of("person:mark-rutte", date(2024, 3, 1))] == ["NLD"]


def test_international_bodies_know_their_parent() -> None:
    actors = load_registry().actors
    assert actors["UNSC"].parent == "UN" and actors["UNGA"].parent == "UN"
    assert actors["NATO"].parent is None
