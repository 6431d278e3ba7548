"""Bounded load test of the live stream on loopback.

N subscribers (spread over several organisations and users) hold SSE connections to one node while
M changes with mixed TLP markings are published. Each subscriber must receive exactly the changes
the access rules let it see: nothing lost, nothing leaked, no duplicates. Prints delivery latency
percentiles (publish commit → message parsed by the client).

    .venv/bin/python benchmarks/stream_load.py                  # 200 subscribers, 1,000 events
    .venv/bin/python benchmarks/stream_load.py --subscribers 20 --events 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from pantau.model.markings import TLP
from pantau.services import identity
from pantau.services.access import may_see
from pantau.services.node import Node
from pantau.services.sharing import record_change
from pantau.web.app import create_app

ORGS = ["kemlu", "bais", "bakamla", "lemhannas"]


def setup(node: Node, n_subscribers: int) -> list[tuple[str, object, str]]:
    """Organisations (the last one a guest) and one user with a token per subscriber."""
    for i, org in enumerate(ORGS):
        identity.add_org(node, org, org, member=i < len(ORGS) - 1)
    subs = []
    for i in range(n_subscribers):
        user = f"user{i:03d}"
        identity.add_user(node, user, ORGS[i % len(ORGS)], role="viewer")
        _, token = identity.create_token(node, user)
        subs.append((user, identity.viewer_for_username(node, user), token))
    return subs


def plan(n_events: int, subs: list, rng: random.Random) -> list[dict]:
    """Random changes: owner organisation, marking and release list."""
    with_ids = [(v.org_id, v.user_id) for _, v, _ in subs]
    org_ids = sorted({o for o, _ in with_ids})
    out = []
    for i in range(n_events):
        tlp = rng.choice(list(TLP))
        rel: dict[str, list[str]] = {"orgs": [], "groups": [], "users": []}
        if tlp is TLP.AMBER:
            rel["orgs"] = [str(o) for o in rng.sample(org_ids, rng.randint(0, 2))]
        if tlp is TLP.RED:
            rel["users"] = [str(u) for _, u in rng.sample(with_ids, 3)]
        out.append({"seq": i, "owner": rng.choice(org_ids), "tlp": tlp, "release": rel})
    return out


def expected(viewer, changes: list[dict]) -> list[int]:
    return [c["seq"] for c in changes if may_see(viewer, c["owner"], c["tlp"], {int(o) for o in c["release"]["orgs"]},
                                                 (), {int(u) for u in c["release"]["users"]})]


async def subscribe(url: str, token: str, want: int, got: list, lat: list, done: asyncio.Event,
                    connected: list) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=None)) as client, \
            client.stream("GET", url, headers=headers) as resp:
        connected.append(1)
        if want == 0:
            await done.wait()
            return
        async for line in resp.aiter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                lat.append(time.time() - msg["object"]["published_at"])
                got.append(msg["object"]["seq"])
                if len(got) >= want:
                    await done.wait()  # stay connected: anything more would be a leak or a duplicate
                    return


def publish(node: Node, changes: list[dict], rate: float) -> None:
    for c in changes:
        with node.engine.begin() as conn:
            record_change(conn, "bench", c["seq"], "create", owner=c["owner"], tlp=c["tlp"],
                          release=c["release"], payload={"seq": c["seq"], "published_at": time.time()})
        time.sleep(1 / rate)


async def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    node = Node.open(f"sqlite:///{tmp / 'store.db'}", data_dir=tmp)
    subs = setup(node, args.subscribers)
    changes = plan(args.events, subs, rng)
    server = uvicorn.Server(uvicorn.Config(create_app(node, stream_interval=0.02), host="127.0.0.1", port=args.port,
                                           log_level="warning", timeout_graceful_shutdown=1, limit_concurrency=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        await asyncio.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/stream"
    wants = [expected(v, changes) for _, v, _ in subs]
    gots: list[list[int]] = [[] for _ in subs]
    lat: list[float] = []
    done = asyncio.Event()
    connected: list[int] = []
    tasks = [asyncio.create_task(subscribe(url, tok, len(w), g, lat, done, connected))
             for (_, _, tok), w, g in zip(subs, wants, gots, strict=True)]
    t0 = time.monotonic()
    while len(connected) < len(subs) and time.monotonic() - t0 < 30:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    started = time.monotonic()
    pub = threading.Thread(target=publish, args=(node, changes, args.rate), daemon=True)
    pub.start()
    deadline = started + args.timeout
    while time.monotonic() < deadline and any(len(g) < len(w) for g, w in zip(gots, wants, strict=True)):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # late extras would show up here
    elapsed = time.monotonic() - started
    done.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    server.should_exit = True
    thread.join(5)

    lost = sum(len(set(w) - set(g)) for g, w in zip(gots, wants, strict=True))
    leaked = sum(len(set(g) - set(w)) for g, w in zip(gots, wants, strict=True))
    dups = sum(len(g) - len(set(g)) for g in gots)
    delivered = sum(len(g) for g in gots)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"subscribers {len(subs)} ({len(connected)} connected), events published {len(changes)} "
          f"at {args.rate:.0f}/s, messages delivered {delivered} (expected {sum(len(w) for w in wants)}) "
          f"in {elapsed:.1f} s")
    print(f"delivery latency ms: p50 {q[49] * 1000:.1f}  p90 {q[89] * 1000:.1f}  p99 {q[98] * 1000:.1f}  "
          f"max {max(lat, default=0) * 1000:.1f}")
    print(f"lost {lost}  leaked {leaked}  duplicated {dups}")
    node.close()
    return 0 if lost == leaked == dups == 0 and len(connected) == len(subs) else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subscribers", type=int, default=200)
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--rate", type=float, default=200.0, help="events published per second")
    p.add_argument("--timeout", type=float, default=120.0, help="give up after this many seconds")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
