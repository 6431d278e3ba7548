"""Knowledge-base benchmark: N generated events in a fresh SQLite store; fusion throughput and
query latency (timeline, graph, search) beside a plain indexed SELECT in the same run.

The generated world: a few dozen actors, the 16 PLOVER types, happenings spread over five
years, each reported by 1–4 documents of 4 events each (so fusion has real joins to make),
with a share of re-published copies (near-duplicates). Texts are built from templates here.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pantau.services.access import Viewer

__all__ = ["KbBenchResult", "run_kb_bench"]

ACTORS = ["PRK", "KOR", "RUS", "USA", "CHN", "JPN", "UKR", "NATO", "UNSC", "EU", "IDN", "IRN", "SYR", "GBR", "FRA",
          "DEU", "IND", "PAK", "ISR", "TUR", "VNM", "PHL", "AUS", "CAN", "MNG", "IAEA", "UN", "ASEAN", "MSMT", "UNPOE"]
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
CONTEXTS = ["military", "diplomatic", "economic", "cbrn", "cyber", "legal"]
PUBLISHERS = ["Yonhap", "Reuters", "AP", "AFP", "ANTARA", "Kompas", "Detik", "Tempo", "Republika", "KCNA",
              "Sindonews", "Okezone", "CNN Indonesia", "NK News", "38 North", "VOA", "Harian Contoh"]
WORDS = ("pasukan rudal kapal minyak pertemuan sanksi perbatasan latihan tentara amunisi pelabuhan satelit "
         "diplomat kementerian perjanjian pernyataan laporan intelijen pesawat tanker batubara pekerja "
         "troops missile vessel oil talks sanctions border drill soldiers shells port satellite envoy ministry "
         "treaty statement report intelligence aircraft tanker coal workers").split()
UNITS = ["troops", "shells", "missiles", "barrels", "tonnes", "workers"]


@dataclass(slots=True)
class KbBenchResult:
    events: int
    documents: int
    generate_s: float
    fuse_s: float
    fused: int
    incidents: int
    near_duplicates: int
    latency_ms: dict[str, float] = field(default_factory=dict)

    @property
    def events_per_s(self) -> float:
        return self.events / self.fuse_s if self.fuse_s else 0.0

    def ratio(self, name: str) -> float:
        base = self.latency_ms.get("indexed select", 0.0)
        return self.latency_ms[name] / base if base else float("inf")


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(engine: sa.Engine, n_events: int, *, seed: int = 7, per_doc: int = 4) -> int:
    """Write `n_events` events (in documents of `per_doc`) straight into the store's tables. Returns documents."""
    from pantau.storage.tables import (
        documents,
        entities,
        event_actors,
        event_evidence,
        event_quantities,
        events,
    )

    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = date(2020, 1, 1)
    n_docs = max(1, n_events // per_doc)
    # happenings: each reported by 1-4 documents
    happenings = []
    for _ in range(max(1, n_events // 2)):
        s, t = rng.sample(ACTORS, 2)
        d0 = start + timedelta(days=rng.randrange(5 * 365))
        span = rng.choice([0, 0, 0, 6, 6, 30])
        q = [(rng.choice([1000, 1500, 3000, 10000, 500000]), rng.choice(UNITS))] if rng.random() < 0.3 else []
        happenings.append((rng.choice(TYPES), s, t, d0, span, rng.choice(CONTEXTS), q))
    docs, evs, actors, evid, qty = [], [], [], [], []
    eid = 0
    for d in range(1, n_docs + 1):
        copy_of = d - 1 if d > 1 and rng.random() < 0.05 else None
        body = docs[copy_of - 1]["text"] + " (salinan)" if copy_of else _text(rng, 80)
        pub = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365 + 30))
        docs.append({"id": d, "content_hash": f"{d:064x}", "text": body, "title": _text(rng, 6),
                     "publisher": rng.choice(PUBLISHERS), "language": "id", "published_date": pub,
                     "authors": [], "editors": [], "ingested_at": now, "org_id": 1, "marking": "AMBER"})
        for pos in range(per_doc):
            eid += 1
            typ, s, t, d0, span, ctx, q = rng.choice(happenings)
            jitter = rng.choice([0, 0, 1, 3])
            evs.append({"id": eid, "document_id": d, "local_id": f"e{pos + 1}", "position": pos, "type": typ,
                        "mode": None, "contexts": [ctx], "location": None,
                        "date_start": d0 - timedelta(days=jitter), "date_end": d0 + timedelta(days=span + jitter),
                        "date_precision": "day" if span == 0 else "week", "date_basis": "explicit",
                        "factuality": rng.choice(["asserted", "asserted", "reported", "alleged"]),
                        "confidence": 0.7, "created_at": now, "org_id": 1, "marking": "AMBER"})
            actors += [{"event_id": eid, "role": "source", "entity_id": s, "position": 0},
                       {"event_id": eid, "role": "target", "entity_id": t, "position": 0}]
            evid.append({"event_id": eid, "document_id": d, "position": 0, "start": 0, "end": 40,
                         "text": f"{s} {typ.lower()} {t}: " + _text(rng, 10)})
            for i, (v, u) in enumerate(q):
                qty.append({"event_id": eid, "position": i, "value": float(v), "unit": u, "approx": True,
                            "text": f"{v} {u}"})
    with engine.begin() as conn:
        conn.execute(sa.insert(entities), [{"id": a, "type": "country" if len(a) == 3 else "organization",
                                            "name": a, "created_at": now, "org_id": 1, "marking": "CLEAR"}
                                           for a in ACTORS])
        for table, rows in ((documents, docs), (events, evs), (event_actors, actors), (event_evidence, evid),
                            (event_quantities, qty)):
            for i in range(0, len(rows), 20000):
                conn.execute(sa.insert(table), rows[i:i + 20000])
    return n_docs


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run_kb_bench(n_events: int = 100_000, *, seed: int = 7, repeat: int = 5, db_path: str | None = None,
                 progress: Callable[[str], None] | None = None) -> KbBenchResult:
    from pantau.services import kb
    from pantau.services.graph import actor_graph
    from pantau.services.search import search
    from pantau.services.store import Store
    from pantau.services.timeline import timeline
    from pantau.storage.tables import events

    say = progress or (lambda _m: None)
    tmp = None
    if db_path is None:
        tmp = tempfile.TemporaryDirectory(prefix="pantau-bench-")
        db_path = str(Path(tmp.name) / "bench.db")
    store = Store(f"sqlite:///{db_path}")
    try:
        say(f"generating {n_events} events")
        t0 = time.perf_counter()
        n_docs = generate(store.engine, n_events, seed=seed)
        gen_s = time.perf_counter() - t0
        say("fusing")
        t0 = time.perf_counter()
        rep = kb.fuse(store)
        fuse_s = time.perf_counter() - t0
        say("querying")
        with store.engine.connect() as conn:
            n_fused = conn.execute(sa.text("SELECT count(*) FROM fused_events")).scalar_one()
        lo, hi = date(2022, 3, 1), date(2022, 3, 31)

        def plain() -> list[Any]:
            with store.engine.connect() as conn:
                return conn.execute(sa.select(events.c.id, events.c.type, events.c.date_start)
                                    .where(events.c.date_start.between(lo, hi)).order_by(events.c.date_start)
                                    .limit(100)).all()

        lat = {
            "indexed select": _median_ms(plain, repeat),
            "timeline pair": _median_ms(lambda: timeline(store, "PRK", "RUS", viewer=Viewer.system()), repeat),
            "timeline actor, 1 month": _median_ms(lambda: timeline(store, "PRK", viewer=Viewer.system(), since="2022-03", until="2022-03"),
                                                  repeat),
            "graph": _median_ms(lambda: actor_graph(store, viewer=Viewer.system()), repeat),
            "search": _median_ms(lambda: search(store, "tanker batubara", viewer=Viewer.system(), limit=50), repeat),
        }
        return KbBenchResult(events=rep.events, documents=n_docs, generate_s=gen_s, fuse_s=fuse_s, fused=n_fused,
                             incidents=rep.incidents, near_duplicates=rep.near_duplicates, latency_ms=lat)
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
