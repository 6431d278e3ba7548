"""Shared fixtures. `store_url` / `store` are parametrised over SQLite and PostgreSQL: the
PostgreSQL params run when PANTAU_TEST_POSTGRES_URL is set (CI sets it), each test in a fresh
schema (selected through the connection's search_path) that is dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ENV = "PANTAU_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty store, on SQLite (a file in tmp_path) or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL store tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    """An open, migrated `pantau.Store` on each backend."""
    from pantau.services.store import Store

    s = Store(store_url)
    try:
        yield s
    finally:
        s.close()


# ---------------------------------------------------------------- two federated nodes (test_federation*)

@pytest.fixture
def node_a(store_url, tmp_path):
    """Node A: the sharing world, with node B as a guest organisation and B's sync account."""
    from sharing_world import build_world

    from pantau.services import identity

    (tmp_path / "a").mkdir()
    w = build_world(store_url, tmp_path / "a")
    # node B is an organisation on A, a guest (not a member: GREEN does not reach it), with a sync account
    identity.add_org(w.node, "node-b", "Partner node B", member=False)
    identity.add_user(w.node, "b-sync", "node-b", role="viewer")
    w.tokens["b-sync"] = identity.create_token(w.node, "b-sync")[1]
    yield w
    w.node.close()


@pytest.fixture
def node_b(tmp_path):
    """Node B: a SQLite node with two member organisations and an analyst in each."""
    from pantau.services import identity
    from pantau.services.node import Node

    (tmp_path / "b").mkdir()
    node = Node.open(f"sqlite:///{tmp_path / 'b' / 'store.db'}", data_dir=tmp_path / "b")
    identity.add_org(node, "tim", "The team that pulls")
    identity.add_org(node, "lain", "Another member on node B")
    identity.add_user(node, "tia", "tim", role="analyst")
    identity.add_user(node, "lia", "lain", role="analyst")
    yield node
    node.close()
