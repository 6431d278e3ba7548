"""`pantau bench match`: the matcher on a generated list and generated mentions, beside an exact
dictionary lookup of the casefolded names measured in the same run (the floor)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from pantau.services.matching import FOLD, Listed, Matcher

SYLL = ["kim", "ri", "pak", "choe", "jong", "un", "il", "nam", "sik", "su", "yong", "chol", "hae", "ryong", "bom",
        "song", "ho", "han", "kang", "jang", "myong", "hyok", "chun", "min", "jin", "won", "sok", "hwa", "gun", "tae"]
WORDS = ["korea", "ocean", "maritime", "trading", "general", "mining", "development", "bank", "united", "star",
         "pacific", "golden", "shipping", "energy", "petroleum", "samudera", "laut", "biru", "jaya", "indah",
         "harbour", "eastern", "northern", "union", "global", "fortune", "harmony", "bright", "silver", "lotus"]
REVERSE = {}
for k, v in FOLD.items():
    REVERSE.setdefault(v, []).append(k)


@dataclass(slots=True)
class MatchBench:
    entries: int
    queries: int
    build_s: float
    match_s: float
    floor_s: float
    matched: int
    floor_matched: int

    @property
    def per_s(self) -> float:
        return self.queries / self.match_s if self.match_s else 0.0


def _imo(rng: random.Random) -> str:
    d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(5)]
    return "".join(map(str, d)) + str(sum(x * w for x, w in zip(d, range(7, 1, -1), strict=True)) % 10)


def generate(n_entries: int, n_queries: int, seed: int = 7) -> tuple[list[Listed], list[tuple[str, str, str | None]]]:
    rng = random.Random(seed)
    listed: list[Listed] = []
    for i in range(n_entries):
        kind = rng.random()
        if kind < 0.5:
            name = " ".join(s.capitalize() for s in rng.sample(SYLL, 3))
            listed.append(Listed(f"p{i}", "gen", "Person", name, (name,)))
        elif kind < 0.8:
            name = " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(2, 4))) + " Corporation"
            listed.append(Listed(f"o{i}", "gen", "Organization", name, (name,)))
        else:
            name = " ".join(w.upper() for w in rng.sample(WORDS + SYLL, 2)) + f" {rng.randint(1, 9)}"
            listed.append(Listed(f"v{i}", "gen", "Vessel", name, (name,), imos=(_imo(rng),)))
    queries: list[tuple[str, str, str | None]] = []
    kinds = {"Person": "person", "Organization": "organization", "Vessel": "vessel"}
    for _ in range(n_queries):
        e = rng.choice(listed)
        r = rng.random()
        toks = e.caption.split()
        if r < 0.3:  # as listed
            q = e.caption
        elif r < 0.5:  # romanisation variants / run-together syllables / hyphens
            toks = [rng.choice(REVERSE.get(t.lower(), [t])) for t in toks]
            q = " ".join(toks[:1]) + " " + "-".join(toks[1:]) if e.schema == "Person" else " ".join(toks)
        elif r < 0.65:  # a typo in the longest word
            j = max(range(len(toks)), key=lambda k: len(toks[k]))
            w = toks[j]
            if len(w) >= 5:
                k = rng.randrange(1, len(w) - 1)
                toks[j] = w[:k] + w[k + 1:]
            q = " ".join(toks)
        elif r < 0.75 and e.schema == "Vessel":
            q = f"kapal tanker {e.caption.title()}"
        else:  # not listed
            q = " ".join(s.capitalize() for s in rng.sample(SYLL, 3)) if rng.random() < 0.5 else \
                " ".join(w.capitalize() for w in rng.sample(WORDS, 3)) + " Ltd"
            queries.append((q, rng.choice(list(kinds.values())), None))
            continue
        queries.append((q, kinds[e.schema], None))
    return listed, queries


def run_match_bench(entries: int = 20_000, queries: int = 10_000, seed: int = 7) -> MatchBench:
    listed, qs = generate(entries, queries, seed)
    t0 = time.process_time()
    m = Matcher(listed)
    build = time.process_time() - t0
    t0 = time.process_time()
    matched = sum(1 for q, kind, imo in qs if m.match(q, kind, imo))
    match_s = time.process_time() - t0
    t0 = time.process_time()
    exact = {n.casefold(): e.entity_id for e in listed for n in e.names}
    floor_matched = sum(1 for q, _, _ in qs if q.casefold() in exact)
    floor = time.process_time() - t0
    return MatchBench(len(listed), len(qs), build, match_s, floor, matched, floor_matched)
