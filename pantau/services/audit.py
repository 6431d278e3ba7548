"""Tamper-evident audit log: every write and every export, hash-chained, with signed Merkle checkpoints.

- Each row's `hash` = SHA-256(prev_hash || canonical JSON of the row), canonical JSON being
  RFC 8785-style (sorted keys, no whitespace, UTF-8; pantau writes no floats into audit records).
- Every `checkpoint_every` rows (and on demand) a checkpoint records the RFC 6962 Merkle tree hash
  over the row hashes (leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right)) and the
  log size, signed with the node's Ed25519 key (created on first use, file mode 0600).
- Each checkpoint, once committed, is also anchored outside the database: a small JSON file (size,
  root, last hash, signature) in the node's data directory, and optionally a witness file elsewhere
  (PANTAU_AUDIT_WITNESS). The anchor only moves forward. `verify` refuses a log shorter than the
  anchor, or one whose first rows no longer hash to the anchored root, so deleting the last
  checkpoints together with their rows (or the whole log) is found.
- `verify` finds altered, deleted, inserted and reordered rows, a tail cut off below the last
  checkpoint or anchor, and (`audit_state`) documents and events whose text, marking or release list
  differ from what the log recorded. (Rows appended after the last anchor and then removed cannot be
  told from rows never written; checkpoint often where that matters.)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pantau.storage.share_tables import audit_checkpoints, audit_log

GENESIS = "0" * 64
KEY_FILE = "node_ed25519.pem"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8 (RFC 8785 for the values pantau logs)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


# ---------------------------------------------------------------- RFC 6962 Merkle tree hash

def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 6962 section 2.1 over the leaf data `leaves`."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


def frontier_extend(frontier: list[bytes], size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The roots of the perfect subtrees of an RFC 6962 tree of `size` leaves (largest first: one per
    set bit of `size`), extended by `leaves`. Lets a checkpoint hash only what came since the last one."""
    sizes = [1 << b for b in range(size.bit_length() - 1, -1, -1) if size >> b & 1]
    stack = list(zip(sizes, frontier, strict=True))
    for leaf in leaves:
        stack.append((1, leaf_hash(leaf)))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            (n, right), (_, left) = stack.pop(), stack.pop()
            stack.append((2 * n, node_hash(left, right)))
    return [h for _, h in stack]


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """MTH of the whole tree from its frontier: the same value as `merkle_root` over all leaves."""
    if not frontier:
        return hashlib.sha256(b"").digest()
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


# ---------------------------------------------------------------- the node key

def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The node's Ed25519 signing key; created with mode 0600 on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def node_key_path(db_url: str, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the node key lives: `data_dir`, else next to a SQLite file, else the user data dir."""
    if data_dir:
        return Path(data_dir) / KEY_FILE
    url = sa.engine.make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / KEY_FILE
    from platformdirs import user_data_dir

    return Path(user_data_dir("pantau", appauthor=False)) / KEY_FILE


# ---------------------------------------------------------------- anchors outside the database

def anchor_path_for(key_path: Path, db_url: str) -> Path:
    """The anchor file of the store at `db_url`: next to the node key, named after the store (so that
    several stores sharing a data directory keep separate anchors)."""
    u = sa.engine.make_url(db_url).render_as_string(hide_password=True)
    return key_path.parent / f"audit_anchor_{hashlib.sha256(u.encode()).hexdigest()[:16]}.json"


def witness_path_from_env() -> Path | None:
    p = os.environ.get("PANTAU_AUDIT_WITNESS")
    return Path(p) if p else None


def read_anchor(path: Path) -> dict[str, Any] | None:
    try:
        got = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"size": 0, "root": "", "unreadable": True}
    return got if isinstance(got, dict) else None


def write_anchor(path: Path, body: dict[str, Any]) -> None:
    """Replace the anchor atomically, never with a smaller one."""
    old = read_anchor(path)
    if old is not None and int(old.get("size", 0)) >= int(body["size"]):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(body, sort_keys=True), "utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- records

HASHED = ("seq", "at", "org_id", "user_id", "action", "object_type", "object_id", "detail")


def row_hash(prev_hash: str, record: dict[str, Any]) -> str:
    body = {k: record[k] for k in HASHED}
    body["detail"] = json.loads(body["detail"]) if isinstance(body["detail"], str) else body["detail"]
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_json(body)).hexdigest()


def _checkpoint_payload(size: int, root: str, last_hash: str, at: str, public_key: str) -> bytes:
    return canonical_json({"size": size, "root": root, "last_hash": last_hash, "at": at,
                           "public_key": public_key})


@dataclass(slots=True)
class VerifyReport:
    rows: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditLog:
    """The audit log of one store. `append` runs inside the caller's transaction."""

    def __init__(self, key_path: Path, *, checkpoint_every: int = 100, anchor_path: Path | None = None,
                 witness_path: Path | None = None) -> None:
        self.key_path = key_path
        self.checkpoint_every = checkpoint_every
        self.anchor_path = anchor_path
        self.witness_path = witness_path
        self._key: Ed25519PrivateKey | None = None

    @classmethod
    def for_store(cls, db_url: str, data_dir: str | os.PathLike[str] | None = None, **kw: Any) -> AuditLog:
        """The audit log of the store at `db_url`, for code that writes or exports without a `Node`:
        `AuditLog.for_store(url).append(conn, "export.stix", detail={...})` inside the write's transaction."""
        key = node_key_path(db_url, data_dir)
        kw.setdefault("anchor_path", anchor_path_for(key, db_url))
        kw.setdefault("witness_path", witness_path_from_env())
        return cls(key, **kw)

    # -- the anchor outside the database -------------------------------------------------------
    def _anchor_on_commit(self, conn: sa.Connection, row: dict[str, Any]) -> None:
        """Write the checkpoint to the anchor file(s) once the transaction that made it commits."""
        paths = [p for p in (self.anchor_path, self.witness_path) if p is not None]
        if not paths:
            return
        body = {k: row[k] for k in ("size", "root", "last_hash", "at", "public_key", "signature")}

        def write(_conn: Any) -> None:
            for p in paths:
                write_anchor(p, body)

        sa.event.listen(conn, "commit", write, once=True)

    def anchors(self) -> list[tuple[Path, dict[str, Any]]]:
        return [(p, a) for p in (self.anchor_path, self.witness_path) if p is not None
                and (a := read_anchor(p)) is not None]

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = load_or_create_key(self.key_path)
        return self._key

    def append(
        self,
        conn: sa.Connection,
        action: str,
        *,
        org_id: int | None = None,
        user_id: int | None = None,
        object_type: str | None = None,
        object_id: str | int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Append one record; returns its sequence number. Checkpoints every `checkpoint_every` rows."""
        if conn.dialect.name == "postgresql":  # one writer at a time extends the chain
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(6170601)"))
        elif conn.dialect.name == "sqlite":
            # take the write lock before reading the tail: a write statement begins the transaction
            # and holds SQLite's one write lock, so no other writer can append between the read of
            # the last row and this insert (concurrent readers that audit their exports raced here)
            conn.execute(audit_log.update().where(sa.false()).values(seq=audit_log.c.seq))
        last = conn.execute(
            sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        record = {
            "seq": seq,
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "org_id": org_id,
            "user_id": user_id,
            "action": action,
            "object_type": object_type,
            "object_id": None if object_id is None else str(object_id),
            "detail": canonical_json(detail or {}).decode("utf-8"),
        }
        record["prev_hash"] = prev
        record["hash"] = row_hash(prev, record)
        conn.execute(audit_log.insert().values(**record))
        if self.checkpoint_every and seq % self.checkpoint_every == 0:
            self.checkpoint(conn)
        return seq

    def checkpoint(self, conn: sa.Connection) -> dict[str, Any] | None:
        """Sign the Merkle root of the whole log as it stands; None when the log is empty. Only the rows
        since the last checkpoint are read: the tree's frontier is kept with each checkpoint."""
        last = conn.execute(sa.select(audit_checkpoints.c.size, audit_checkpoints.c.frontier)
                            .order_by(audit_checkpoints.c.size.desc()).limit(1)).first()
        base, frontier = 0, []
        if last is not None and last.frontier:
            base, frontier = last.size, [bytes.fromhex(h) for h in json.loads(last.frontier)]
        new = [r.hash for r in conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.seq).offset(base))]
        if not new:
            return None
        size = base + len(new)
        if conn.execute(sa.select(audit_checkpoints.c.id).where(audit_checkpoints.c.size == size)).first():
            return None
        frontier = frontier_extend(frontier, base, [bytes.fromhex(h) for h in new])
        root = frontier_root(frontier).hex()
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        pub = public_hex(self.key)
        sig = self.key.sign(_checkpoint_payload(size, root, new[-1], at, pub)).hex()
        row = {"size": size, "root": root, "last_hash": new[-1], "at": at, "public_key": pub,
               "signature": sig, "frontier": json.dumps([h.hex() for h in frontier])}
        conn.execute(audit_checkpoints.insert().values(**row))
        self._anchor_on_commit(conn, row)
        return row

    def verify(self, conn: sa.Connection) -> VerifyReport:
        report = VerifyReport()
        rows = [r._asdict() for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id))]
        report.rows = len(rows)
        prev = GENESIS
        hashes: list[str] = []
        for pos, r in enumerate(rows, 1):
            if r["seq"] != pos:
                report.problems.append(
                    f"row id {r['id']}: sequence {r['seq']} where {pos} was expected (row deleted, inserted or reordered)")
            if r["prev_hash"] != prev:
                report.problems.append(f"row seq {r['seq']}: does not link to the row before it")
            if row_hash(r["prev_hash"], r) != r["hash"]:
                report.problems.append(f"row seq {r['seq']}: content does not match its hash (row altered)")
            prev = r["hash"]
            hashes.append(r["hash"])
        node_pub = public_hex(self.key) if self.key_path.exists() else None
        cps = [c._asdict() for c in conn.execute(sa.select(audit_checkpoints).order_by(audit_checkpoints.c.size))]
        report.checkpoints = len(cps)
        for c in cps:
            try:
                Ed25519PublicKey.from_public_bytes(bytes.fromhex(c["public_key"])).verify(
                    bytes.fromhex(c["signature"]),
                    _checkpoint_payload(c["size"], c["root"], c["last_hash"], c["at"], c["public_key"]))
            except (InvalidSignature, ValueError):
                report.problems.append(f"checkpoint at size {c['size']}: bad signature")
            if node_pub is not None and c["public_key"] != node_pub:
                report.problems.append(f"checkpoint at size {c['size']}: signed by another key than this node's")
            if c["size"] > len(hashes):
                report.problems.append(
                    f"log truncated: checkpoint covers {c['size']} rows, only {len(hashes)} present")
                continue
            root = merkle_root([bytes.fromhex(h) for h in hashes[: c["size"]]]).hex()
            if root != c["root"] or hashes[c["size"] - 1] != c["last_hash"]:
                report.problems.append(
                    f"checkpoint at size {c['size']}: Merkle root does not match the first {c['size']} rows")
        sizes = {c["size"]: c for c in cps}
        for path, a in self.anchors():
            n = int(a.get("size", 0))
            if n > len(hashes):
                report.problems.append(f"log cut: the anchor {path} covers {n} rows, only {len(hashes)} present")
                continue
            if n and merkle_root([bytes.fromhex(h) for h in hashes[:n]]).hex() != a.get("root"):
                report.problems.append(f"the first {n} rows do not hash to the root anchored in {path}")
            if n and n not in sizes:
                report.problems.append(f"checkpoint at size {n} (anchored in {path}) is missing from the database")
        from pantau.services.audit_state import check_rows

        report.problems.extend(check_rows(conn))
        return report


def record(store: Any, conn: sa.Connection, action: str, *, object_type: str | None = None,
           object_id: str | int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Append one record to the audit log of `store` (anything with a `.url`) inside the caller's
    transaction: the write and its audit record commit or roll back together. Floats and empty
    values are left out of `detail` so that the canonical JSON hashed is stable."""
    clean = {k: v for k, v in (detail or {}).items() if v is not None and not isinstance(v, float)}
    AuditLog.for_store(store.url).append(conn, action, object_type=object_type, object_id=object_id, detail=clean)
