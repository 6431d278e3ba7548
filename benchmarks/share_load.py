"""Concurrency benchmark of the sharing node (issue 9 item 6): 8 writers posting reports and 32
readers listing events, fused events and TAXII objects at the same time, against one server on
loopback, on SQLite and on PostgreSQL. Prints p50/p99 latency per kind of request and the error
count (any answer other than the expected status, or a failed connection).

    .venv/bin/python benchmarks/share_load.py                          # SQLite only
    .venv/bin/python benchmarks/share_load.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/share_load.py --writers 8 --readers 32 --posts 10

The goal (issue 9): no errors, p99 of a post under 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

ORGS = ["kemlu", "bais", "bakamla", "mitra"]
PLACES = ["Nampo", "Rajin", "Vostochny", "Chongjin", "Wonsan", "Haeju"]
SHIPS = ["Ji Song", "Kum Un San", "Chon Ma San", "Hwang Gum San", "Yu Jong", "Sam Jong"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, data_dir: str, port: int) -> None:
    import uvicorn

    from pantau.services.node import Node
    from pantau.web.app import create_app

    node = Node.open(url, data_dir=data_dir)
    uvicorn.run(create_app(node), host="127.0.0.1", port=port, log_level="error")


def setup(url: str, data_dir: str, writers: int, readers: int) -> tuple[list[str], list[str]]:
    from pantau.services import identity
    from pantau.services.node import Node

    node = Node.open(url, data_dir=data_dir)
    for i, org in enumerate(ORGS):
        identity.add_org(node, org, org, member=i < len(ORGS) - 1)
    w_tokens, r_tokens = [], []
    for i in range(writers):
        identity.add_user(node, f"writer{i}", ORGS[i % 3], role="analyst")
        w_tokens.append(identity.create_token(node, f"writer{i}")[1])
    for i in range(readers):
        identity.add_user(node, f"reader{i}", ORGS[i % len(ORGS)], role="viewer")
        r_tokens.append(identity.create_token(node, f"reader{i}")[1])
    node.close()
    return w_tokens, r_tokens


def report_text(rng: random.Random, n: int) -> str:
    ship, place = rng.choice(SHIPS), rng.choice(PLACES)
    return (f"Laporan {n}: kapal {ship} {rng.randint(1, 99)} milik Korea Utara membongkar "
            f"{rng.randint(2, 90)} kontainer di pelabuhan {place} pada {rng.randint(1, 28)} Maret 2024, "
            "menurut sumber yang memantau pelabuhan itu.")


async def run_load(base: str, w_tokens: list[str], r_tokens: list[str], posts: int,
                   seed: int) -> dict[str, tuple[list[float], int]]:
    rng = random.Random(seed)
    stats: dict[str, tuple[list[float], list[int]]] = {}

    def rec(kind: str, dt: float, ok: bool) -> None:
        lat, err = stats.setdefault(kind, ([], [0]))
        lat.append(dt)
        if not ok:
            err[0] += 1

    done = asyncio.Event()
    limits = httpx.Limits(max_connections=len(w_tokens) + len(r_tokens) + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def writer(i: int, token: str) -> None:
            for n in range(posts):
                body = {"text": report_text(rng, i * 1000 + n), "tlp": rng.choice(["CLEAR", "GREEN", "AMBER"]),
                        "release_orgs": ["bais"] if n % 2 else []}
                t = time.perf_counter()
                try:
                    r = await client.post("/api/documents", json=body, headers={"Authorization": f"Bearer {token}"})
                    ok = r.status_code == 201
                except httpx.HTTPError:
                    ok = False
                rec("post /api/documents", time.perf_counter() - t, ok)

        async def reader(i: int, token: str) -> None:
            paths = ["/api/events?limit=50", "/api/fused?limit=20", "/taxii2/api/collections/all/objects/"]
            k = i
            while not done.is_set():
                path = paths[k % len(paths)]
                k += 1
                t = time.perf_counter()
                try:
                    r = await client.get(path, headers={"Authorization": f"Bearer {token}",
                                                        "Accept": "application/taxii+json;version=2.1"})
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                rec("get " + path.split("?")[0], time.perf_counter() - t, ok)

        readers = [asyncio.create_task(reader(i, t)) for i, t in enumerate(r_tokens)]
        await asyncio.gather(*(writer(i, t) for i, t in enumerate(w_tokens)))
        done.set()
        await asyncio.gather(*readers)
    return {k: (lat, err[0]) for k, (lat, err) in stats.items()}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench(label: str, url: str, args: argparse.Namespace) -> bool:
    data_dir = tempfile.mkdtemp(prefix="pantau-share-load-")
    w_tokens, r_tokens = setup(url, data_dir, args.writers, args.readers)
    port = _free_port()
    proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(url, data_dir, port), daemon=True)
    proc.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/me", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        asyncio.run(run_load(base, w_tokens[:1], [], 1, args.seed + 2))  # warm-up: models load on first use
        # baseline in the same run: one writer alone, no readers
        alone = asyncio.run(run_load(base, w_tokens[:1], [], max(3, args.posts // 2), args.seed + 1))
        t0 = time.perf_counter()
        got = asyncio.run(run_load(base, w_tokens, r_tokens, args.posts, args.seed))
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.join(10)
    print(f"{label}: {args.writers} writers x {args.posts} posts, {args.readers} readers, {wall:.1f} s")
    base_lat, _ = alone["post /api/documents"]
    print(f"  {'baseline: post alone':28s} n={len(base_lat):5d}  p50 {pct(base_lat, 50) * 1000:7.0f} ms  "
          f"p99 {pct(base_lat, 99) * 1000:7.0f} ms")
    ok = True
    for kind, (lat, errors) in sorted(got.items()):
        print(f"  {kind:28s} n={len(lat):5d}  p50 {pct(lat, 50) * 1000:7.0f} ms  p99 {pct(lat, 99) * 1000:7.0f} ms"
              f"  errors {errors}")
        ok = ok and errors == 0
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--readers", type=int, default=32)
    ap.add_argument("--posts", type=int, default=10, help="posts per writer")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--postgres", help="also run on this PostgreSQL server (a fresh schema, dropped after)")
    args = ap.parse_args(argv)
    ok = bench("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'share.db'}", args)
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = sa.engine.make_url(args.postgres).update_query_dict({"options": f"-csearch_path={schema}"})
            ok = bench("PostgreSQL", url.render_as_string(hide_password=False), args) and ok
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
