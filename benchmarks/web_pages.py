"""Web workspace benchmark: the events page and an actor page against the REST calls for the same
data, on a generated store (default: enough events for about 100,000 fused events), p50/p95 over
repeated requests in the same run (in-process ASGI client, so both sides pay the same transport).

    python benchmarks/web_pages.py --events 250000 --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/web_pages.py --events 4000            # a quick run on a temporary SQLite store

The issue's target: with 100,000 fused events on PostgreSQL, both pages under 300 ms at p95.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from pantau.services import identity, kb, webauth
from pantau.services.bench_kb import generate
from pantau.services.node import Node
from pantau.web.app import create_app

PASSWORD = "bench-password-1"


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(client: TestClient, urls: list[str], repeat: int, headers: dict[str, str] | None = None) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for u in urls:
            r = client.get(u, headers=headers or {})
            assert r.status_code == 200, (u, r.status_code, r.text[:300])
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=250_000, help="per-document events to generate")
    ap.add_argument("--db", default=None, help="PostgreSQL URL (a fresh schema is made and dropped); default SQLite")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--actor", default="PRK")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pantau-webbench-"))
    schema = None
    if args.db:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.db)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(args.db).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    node = Node.open(url, data_dir=tmp)
    try:
        t0 = time.perf_counter()
        generate(node.engine, args.events)
        kb.fuse(node)  # type: ignore[arg-type]
        with node.engine.connect() as conn:
            n_fused = conn.execute(sa.text("SELECT count(*) FROM fused_events")).scalar_one()
        print(f"store: {url.split('?')[0]} · {args.events} events → {n_fused} fused events "
              f"(built in {time.perf_counter() - t0:.0f} s)")
        identity.add_user(node, "bench", "local", role="admin")
        webauth.set_password(node, "bench", PASSWORD)
        token = identity.create_token(node, "bench", name="bench")[1]
        client = TestClient(create_app(node))
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text).group(1)  # type: ignore[union-attr]
        client.post("/signin", data={"username": "bench", "password": PASSWORD, "csrf": csrf})
        bearer = {"Authorization": f"Bearer {token}"}
        a = args.actor
        cases = [
            ("events page", ["/events"], None),
            ("  REST baseline: GET /api/fused?limit=25", ["/api/fused?limit=25"], bearer),
            (f"actor page /actors/{a}", [f"/actors/{a}"], None),
            ("  REST baseline: fused + timeline + graph + incidents of the actor",
             [f"/api/fused?actor={a}&limit=50", f"/api/timeline?actor={a}", f"/api/graph?actor={a}",
              f"/api/incidents?actor={a}&limit=50"], bearer),
        ]
        print(f"{'':66} {'p50 ms':>8} {'p95 ms':>8}")
        for name, urls, headers in cases:
            timed(client, urls, 2, headers)  # warm up
            ms = timed(client, urls, args.repeat, headers)
            print(f"{name:66} {statistics.median(ms):8.1f} {_p(ms, 0.95):8.1f}")
    finally:
        node.close()
        if schema:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
