"""What the audit log says the marked rows should be, checked against what they are.

`pantau audit verify` replays the records of creations, re-markings and releases in sequence order
(`documents.create`, `document.ingest`, `documents.mark`, `events.mark`) into the expected marking,
release list and text hash of every document and event they name, and reports each row that differs:
a text edited in place, a marking changed, a release row added or removed, a row deleted, all
directly in the database. Objects no record names (written by code outside the audited paths) are
not judged here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pantau.storage.share_tables import audit_log, releases
from pantau.storage.tables import documents, events


@dataclass(slots=True)
class Expected:
    tlp: str | None = None
    release: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
    sha256: str | None = None
    seq: int = 0
    sources: list[int] = field(default_factory=list)


def _release(rel: dict[str, list[Any]] | None) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    rel = rel or {}
    return (frozenset(str(v) for v in rel.get("orgs", [])), frozenset(str(v) for v in rel.get("groups", [])),
            frozenset(str(v) for v in rel.get("users", [])))


def expected_state(conn: sa.Connection) -> dict[tuple[str, str], Expected]:
    want: dict[tuple[str, str], Expected] = defaultdict(Expected)
    actions = ("documents.create", "document.ingest", "documents.mark", "events.mark", "group.remove")
    q = (sa.select(audit_log.c.seq, audit_log.c.action, audit_log.c.object_id, audit_log.c.detail)
         .where(audit_log.c.action.in_(actions)).order_by(audit_log.c.seq))
    for seq, action, oid, raw in conn.execute(q):
        try:
            d = json.loads(raw or "{}")
        except ValueError:
            continue  # the chain check reports an altered row
        if action == "group.remove":  # its release rows went with it
            gone = str(d.get("group_id"))
            for e in want.values():
                if e.release is not None and gone in e.release[1]:
                    e.release = (e.release[0], e.release[1] - {gone}, e.release[2])
            continue
        kind = "events" if action == "events.mark" else "documents"
        rel = _release(d.get("release")) if "release" in d else None
        tlp = d.get("tlp")
        targets = [(kind, str(oid))]
        followers = d.get("events") if action in ("documents.create", "documents.mark") else d.get("event_ids")
        targets += [("events", str(e)) for e in followers or []]
        for i, key in enumerate(targets):
            e = want[key]
            e.seq = seq
            if tlp is not None:
                e.tlp = tlp
            if rel is not None:
                e.release = rel
            if i == 0 and kind == "documents" and d.get("sha256"):
                e.sha256 = d["sha256"]
    return want


def check_rows(conn: sa.Connection) -> list[str]:
    """Problems: rows that differ from what the audit log recorded for them."""
    want = expected_state(conn)
    if not want:
        return []
    problems: list[str] = []
    ids = {k: sorted(int(i) for (kk, i) in want if kk == k and i.isdigit()) for k in ("documents", "events")}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(ids["documents"]):
        for r in conn.execute(sa.select(documents.c.id, documents.c.text, documents.c.content_hash,
                                        documents.c.marking).where(documents.c.id.in_(chunk))):
            rows[("documents", str(r.id))] = {"marking": r.marking, "content_hash": r.content_hash,
                                              "sha256": hashlib.sha256(r.text.encode("utf-8")).hexdigest()}
    for chunk in _chunks(ids["events"]):
        for r in conn.execute(sa.select(events.c.id, events.c.marking).where(events.c.id.in_(chunk))):
            rows[("events", str(r.id))] = {"marking": r.marking}
    rels: dict[tuple[str, str], list[set[str]]] = defaultdict(lambda: [set(), set(), set()])
    for kind in ("documents", "events"):
        keys = [str(i) for i in ids[kind]]
        for chunk in _chunks(keys):
            for r in conn.execute(sa.select(releases).where(releases.c.object_kind == kind,
                                                            releases.c.object_id.in_(chunk))):
                slot = 0 if r.org_id is not None else 1 if r.group_id is not None else 2
                rels[(kind, r.object_id)][slot].add(str(r.org_id or r.group_id or r.user_id))
    for (kind, oid), e in sorted(want.items(), key=lambda kv: (kv[0][0], _num(kv[0][1]))):
        name = f"{kind[:-1]} {oid}"
        row = rows.get((kind, oid))
        if row is None:
            problems.append(f"{name}: recorded at seq {e.seq} but missing (deleted without an audit record)")
            continue
        if kind == "documents" and e.sha256 and (row["sha256"] != e.sha256 or row["content_hash"] != e.sha256):
            problems.append(f"{name}: text differs from the one recorded (edited outside pantau)")
        if e.tlp is not None and row["marking"] != e.tlp:
            problems.append(f"{name}: marking {row['marking']} where the audit log records {e.tlp} "
                            "(re-marked outside pantau)")
        if e.release is not None:
            got = tuple(frozenset(s) for s in rels[(kind, oid)])
            if got != e.release:
                problems.append(f"{name}: release list differs from the one recorded (release rows changed "
                                "outside pantau)")
    return problems


def _num(v: str) -> int:
    return int(v) if v.isdigit() else 0


def _chunks(xs: list[Any], n: int = 500) -> list[list[Any]]:
    return [xs[i:i + n] for i in range(0, len(xs), n)]
