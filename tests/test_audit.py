"""The audit log: RFC 6962 hashing, the hash chain, signed checkpoints, and each kind of tampering."""

from __future__ import annotations

import hashlib
import stat

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.services.audit import (
    GENESIS,
    AuditLog,
    canonical_json,
    merkle_root,
    node_key_path,
    row_hash,
)
from pantau.storage.share_tables import audit_checkpoints, audit_log


def test_rfc6962_vectors() -> None:
    # the empty tree and the one-leaf tree of the empty string (RFC 6962 / certificate-transparency vectors)
    assert merkle_root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle_root([b""]).hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    leaves = [bytes([i]) for i in range(5)]
    # MTH of 5 leaves splits 4 | 1
    h = lambda b: hashlib.sha256(b).digest()  # noqa: E731
    lf = [h(b"\x00" + x) for x in leaves]
    n01, n23 = h(b"\x01" + lf[0] + lf[1]), h(b"\x01" + lf[2] + lf[3])
    assert merkle_root(leaves) == h(b"\x01" + h(b"\x01" + n01 + n23) + lf[4])


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'.encode()


@pytest.fixture()
def log_db(tmp_path):
    engine = sa.create_engine("sqlite://")
    audit_log.metadata.create_all(engine, tables=[audit_log, audit_checkpoints])
    log = AuditLog(tmp_path / "key" / "node_ed25519.pem", checkpoint_every=5)
    with engine.begin() as conn:
        for i in range(12):
            log.append(conn, "event.create", org_id=1, user_id=2, object_type="events", object_id=i,
                       detail={"tlp": "AMBER", "judul": f"pertemuan menteri ke-{i}"})
    return engine, log


def _problems(engine, log) -> list[str]:
    with engine.begin() as conn:
        return log.verify(conn).problems


def test_clean_log_verifies_and_key_is_private(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        report = log.verify(conn)
        assert report.ok, report.problems
        assert report.rows == 12 and report.checkpoints == 2  # at 5 and 10 rows
    assert stat.S_IMODE(log.key_path.stat().st_mode) == 0o600
    assert node_key_path("sqlite:////tmp/x/pantau.db").as_posix() == "/tmp/x/node_ed25519.pem"


def test_altered_row_is_caught(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        conn.execute(audit_log.update().where(audit_log.c.seq == 7).values(action="event.delete"))
    assert any("seq 7" in p and "altered" in p for p in _problems(engine, log))


def test_altered_row_with_recomputed_chain_is_caught_by_checkpoint(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        rows = [r._asdict() for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq))]
        rows[2]["object_id"] = "999"
        prev = GENESIS
        for r in rows:  # the forger rewrites every hash after the change
            r["prev_hash"] = prev
            r["hash"] = prev = row_hash(prev, r)
            conn.execute(audit_log.update().where(audit_log.c.id == r["id"]).values(
                object_id=r["object_id"], prev_hash=r["prev_hash"], hash=r["hash"]))
    problems = _problems(engine, log)
    assert problems and all("checkpoint" in p for p in problems)


def test_deleted_row_is_caught(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.seq == 4))
    problems = _problems(engine, log)
    assert any("deleted" in p for p in problems)
    assert any("does not link" in p for p in problems)


def test_reordered_rows_are_caught(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        a = conn.execute(sa.select(audit_log.c.id).where(audit_log.c.seq == 3)).scalar()
        b = conn.execute(sa.select(audit_log.c.id).where(audit_log.c.seq == 8)).scalar()
        conn.execute(audit_log.update().where(audit_log.c.id == a).values(id=10_000))
        conn.execute(audit_log.update().where(audit_log.c.id == b).values(id=a))
        conn.execute(audit_log.update().where(audit_log.c.id == 10_000).values(id=b))
    problems = _problems(engine, log)
    assert any("reordered" in p for p in problems)


def test_truncated_tail_is_caught_against_last_checkpoint(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.seq > 8))  # checkpoint at 10 covered these
    problems = _problems(engine, log)
    assert any("truncated" in p and "10 rows, only 8" in p for p in problems)


def test_forged_checkpoint_signature_is_caught(log_db) -> None:
    engine, log = log_db
    with engine.begin() as conn:
        conn.execute(audit_checkpoints.update().where(audit_checkpoints.c.size == 5).values(size=4))
    assert any("bad signature" in p for p in _problems(engine, log))


@given(st.lists(st.binary(max_size=8), max_size=70), st.data())
@settings(max_examples=60, deadline=None)
def test_the_frontier_extended_in_steps_gives_the_rfc6962_root(leaves: list[bytes], data: st.DataObject) -> None:
    from pantau.services.audit import frontier_extend, frontier_root, merkle_root

    cuts = sorted(data.draw(st.lists(st.integers(0, len(leaves)), max_size=4)))
    frontier: list[bytes] = []
    done = 0
    for cut in [*cuts, len(leaves)]:
        frontier = frontier_extend(frontier, done, leaves[done:cut])
        done = cut
        assert frontier_root(frontier) == merkle_root(leaves[:done])
