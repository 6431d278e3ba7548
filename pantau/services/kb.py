"""Incremental fusion: every unprocessed document's events attach to an existing fused event
or start a new one; near-duplicates are linked to their original; fused events are graded and
assessed against the sanctions provisions (incidents). Analyst splits and merges are recorded
by stable keys (document hash, event local id) and honoured by every later run.

    >>> from pantau.services.kb import fuse
    >>> report = fuse(store)          # after `pantau ingest …`; idempotent
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.model import Entity, Quantity
from pantau.model.kb import EvidenceLink, QuantityClaim
from pantau.nlp import dedupe
from pantau.nlp.fusion import EventView, compare, fused_date, merge_views, view_of
from pantau.nlp.fusion_keys import FAMILY, index_keys, lookup, view_from_json, view_to_json
from pantau.services.assess import Subject, assess
from pantau.services.grading import PublisherRegistry, grade
from pantau.storage import kb_io
from pantau.storage.kb_search import ensure_fts
from pantau.storage.kb_tables import (
    fused_event_evidence,
    fused_event_roots,
    fused_event_views,
    fused_events,
    fusion_keys,
    incident_history,
    incidents,
    kb_bands,
    kb_documents,
    near_duplicates,
)
from pantau.storage.writer import insert_ignore, now

if TYPE_CHECKING:
    from pantau.services.store import Store

__all__ = ["FuseReport", "fuse", "registry_for", "FAMILY"]

RANK = {"CLEAR": 0, "GREEN": 1, "AMBER": 2, "AMBER+STRICT": 3, "RED": 4}
BATCH_DOCS = 500


@dataclass(slots=True)
class FuseReport:
    documents: int = 0
    events: int = 0
    joined: int = 0
    new_fused: int = 0
    near_duplicates: int = 0
    incidents: int = 0

    def summary(self) -> str:
        return (f"{self.documents} document(s), {self.events} event(s): {self.new_fused} new fused event(s), "
                f"{self.joined} joined existing ones; {self.near_duplicates} near-duplicate(s); "
                f"{self.incidents} new incident(s)")


@dataclass(slots=True)
class Member:
    event_id: int
    key: tuple[str, str]
    row: dict[str, Any]
    view: EventView
    score: float = 1.0
    reasons: list[str] = field(default_factory=list)
    manual: bool = False
    new: bool = True

    @property
    def link(self) -> EvidenceLink:
        r = self.row
        return EvidenceLink(doc_id=str(r["document_id"]), event_id=str(r["id"]), text=" ".join(r["texts"]),
                            title=r["title"], publisher=r["publisher"], url=r["url"],
                            published=r["published_date"].isoformat() if r["published_date"] else None,
                            factuality=r["factuality"], score=self.score, reasons=self.reasons,
                            near_duplicate_of=str(r["near_duplicate_of"]) if r["near_duplicate_of"] else None,
                            manual=self.manual)


@dataclass(slots=True)
class Cluster:
    id: int
    view: EventView
    members: list[Member] | None = None  # None: not loaded (an untouched fused event from an earlier run)
    inserted: bool = False
    dirty: bool = False
    # `view` is the fold of its members' views (made here, or stored): a new member then folds
    # into it without reading the others, which are read in bulk when the cluster is written
    exact: bool = True
    pending: list[Member] = field(default_factory=list)  # joined while `members` was not loaded


def registry_for(conn: Connection) -> PublisherRegistry:
    """The publisher registry with this node's edits (`publishers` table) over the shipped defaults."""
    reg = PublisherRegistry()
    for r in kb_io.publisher_overrides(conn):
        from pantau.services.grading import Publisher

        reg.add(Publisher(id=r["id"], name=r["name"], reliability=r["reliability"], country=r["country"],
                          kind=r["kind"], wire=bool(r["wire"]), aliases=tuple(r["aliases"] or ())))
    return reg


def member_of(row: dict[str, Any]) -> Member:
    ents = {eid: Entity(eid, "other", eid, affiliation=a, country=c) for eid, (a, c) in row["affiliations"].items()}
    from pantau.model import DateValue, Event

    dv = None
    if row["date_start"]:
        end = row["date_end"] or row["date_start"]
        dv = DateValue(row["date_start"].isoformat(), end.isoformat(), "day", "explicit")
    ev = Event(id=str(row["id"]), type=row["type"], source=row["source"], target=row["target"], evidence=[],
               mode=row["mode"], contexts=list(row["contexts"] or []), location=row["location"], date=dv,
               quantities=[Quantity(q["value"], q["unit"], q["approx"], q["text"]) for q in row["quantities"]],
               factuality=row["factuality"])
    return Member(event_id=row["id"], key=(row["content_hash"], row["local_id"]), row=row,
                  view=view_of(f"event:{row['id']}", ev, ents, published=row["published_date"]))


def row_view(r: dict[str, Any], roots: dict[str, set[str]]) -> EventView:
    """The view of a fused event read from its row (fused events stored before their view was)."""
    return EventView(
        key=f"fused:{r['id']}", type=r["type"], types=frozenset(r["types"] or [r["type"]]),
        source_roots=frozenset(roots["source"]), target_roots=frozenset(roots["target"]),
        start=r["date_start"], end=r["date_end"], mode=r["mode"], contexts=frozenset(r["contexts"] or ()),
        location=r["location"], location_country=r["location_country"],
        quantities=tuple(Quantity(q["value"], q["unit"], q.get("approx", False), q.get("text", ""))
                         for q in r["quantities"] or ()))


class FusionState:
    """The fused events one fusion transaction touches. Candidates are looked up by key
    (actor root, type family, month: `nlp.fusion_keys`) in the stored index and in an in-memory
    index of the fused events made or changed in this transaction (written at its end); fused
    events are read on demand, so memory and time grow with the documents fused, not the store."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.registry = registry_for(conn)
        self.clusters: dict[int, Cluster] = {}
        self.by_month: dict[tuple[str, str, str], set[int]] = defaultdict(set)  # this transaction's
        self.by_root: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._stored: dict[tuple[str, str, str], set[int]] = {}  # stored keys read so far
        self._stored_all: dict[tuple[str, str], set[int]] = {}
        self.next_id = (conn.execute(sa.select(sa.func.max(fused_events.c.id))).scalar() or 0) + 1
        self.must: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self.cannot: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self.key_cluster: dict[tuple[str, str], int] = {}
        self._key_looked: set[tuple[str, str]] = set()
        for d in kb_io.decisions(self.conn):
            a, b = (d["a_doc"], d["a_event"]), (d["b_doc"], d["b_event"])
            table = self.must if d["kind"] == "merge" else self.cannot
            table[a].add(b)
            table[b].add(a)

    # -- reading fused events on demand -------------------------------------------------------
    def load(self, ids: Iterable[int]) -> None:
        """Read the fused events of `ids` that are not in memory yet."""
        todo = sorted({i for i in ids if i not in self.clusters})
        if not todo:
            return
        views = kb_io.fused_views(self.conn, todo)
        rows = kb_io.fused_rows(self.conn, [i for i in todo if i not in views])
        roots = kb_io.fused_roots(self.conn, [r["id"] for r in rows])
        for i, v in views.items():
            self.clusters[i] = Cluster(i, view_from_json(f"fused:{i}", v), inserted=True)
        for r in rows:
            self.clusters[r["id"]] = Cluster(r["id"], row_view(r, roots[r["id"]]), inserted=True, exact=False)

    def prefetch(self, views: Iterable[EventView]) -> None:
        """Read the stored candidate keys all these views look up, and their fused events, at once."""
        dated: set[tuple[str, str, str]] = set()
        wide: set[tuple[str, str]] = set()
        for v in views:
            fam, roots, buckets = lookup(v)
            for root in roots:
                if buckets is None:
                    wide.add((root, fam))
                else:
                    dated.update((root, fam, b) for b in buckets)
        wide -= set(self._stored_all)
        dated -= set(self._stored)
        for k in dated:
            self._stored[k] = set()
        for k in wide:
            self._stored_all[k] = set()
        found: set[int] = set()
        query = sorted(k for k in dated if (k[0], k[1]) not in wide)
        for root, fam, bucket, fid in kb_io.fusion_candidates_bulk(self.conn, query, sorted(wide)):
            found.add(fid)
            if (root, fam) in wide:
                self._stored_all[(root, fam)].add(fid)
            if (root, fam, bucket) in dated:
                self._stored[(root, fam, bucket)].add(fid)
        self.load(found)

    def cluster(self, cid: int) -> Cluster | None:
        self.load([cid])
        return self.clusters.get(cid)

    def cluster_of(self, key: tuple[str, str]) -> int | None:
        """The fused event holding the event with this (document hash, local id), if any."""
        if key not in self.key_cluster and key not in self._key_looked:
            self._key_looked.add(key)
            self.key_cluster.update(kb_io.cluster_of_keys(self.conn, [key]))
        return self.key_cluster.get(key)

    def _index(self, c: Cluster) -> None:
        self.clusters[c.id] = c
        for root, fam, bucket in index_keys(c.view):
            self.by_root[(root, fam)].add(c.id)
            self.by_month[(root, fam, bucket)].add(c.id)

    def _stored_candidates(self, fam: str, root: str, buckets: list[str] | None) -> set[int]:
        if buckets is None:
            if (root, fam) not in self._stored_all:
                self._stored_all[(root, fam)] = {i for _, i in kb_io.fusion_candidates(self.conn, root, fam, None)}
            return self._stored_all[(root, fam)]
        need = [b for b in buckets if (root, fam, b) not in self._stored]
        if need:
            for b in need:
                self._stored[(root, fam, b)] = set()
            for b, i in kb_io.fusion_candidates(self.conn, root, fam, need):
                self._stored[(root, fam, b)].add(i)
        return set().union(*(self._stored[(root, fam, b)] for b in buckets))

    def candidates(self, v: EventView) -> set[int]:
        fam, roots, buckets = lookup(v)
        found: set[int] = set()
        for root in roots:
            found |= self._stored_candidates(fam, root, buckets)
            if buckets is None:
                found |= self.by_root.get((root, fam), set())
            else:
                for b in buckets:
                    found |= self.by_month.get((root, fam, b), set())
        self.load(found)
        return {c for c in found if c in self.clusters}

    def place(self, m: Member) -> tuple[Cluster, bool]:
        """Put one event into its fused event (existing or new). Returns (cluster, joined_existing)."""
        target: Cluster | None = None
        for k in self.must.get(m.key, ()):
            cid = self.cluster_of(k)
            if cid is not None and self.cluster(cid) is not None:
                target = self.clusters[cid]
                m.score, m.reasons, m.manual = 1.0, ["an analyst merged it with this event"], True
                break
        if target is None:
            banned = {c for c in (self.cluster_of(k) for k in self.cannot.get(m.key, ())) if c is not None}
            best: tuple[float, int, list[str]] | None = None
            for cid in self.candidates(m.view):
                if cid in banned:
                    continue
                d = compare(m.view, self.clusters[cid].view)
                if d.same and (best is None or d.score > best[0] or (d.score == best[0] and cid < best[1])):
                    best = (d.score, cid, d.reasons)
            if best is not None:
                target = self.clusters[best[1]]
                m.score, m.reasons = best[0], best[2]
        if target is None:
            c = Cluster(self.next_id, m.view, members=[], dirty=True)
            self.next_id += 1
            m.score, m.reasons = 1.0, ["first report of this event"]
            c.members.append(m)  # type: ignore[union-attr]
            c.view = _fold([m])
            self._index(c)
            self.key_cluster[m.key] = c.id
            return c, False
        if target.members is None and target.exact:
            target.pending.append(m)
            target.view = merge_views(target.view, m.view)
        else:
            self._load_members([target])
            assert target.members is not None
            target.members.append(m)
            target.view = _fold(target.members)
            target.exact = True
        target.dirty = True
        self._index(target)
        self.key_cluster[m.key] = target.id
        return target, True

    def _load_members(self, cs: Iterable[Cluster]) -> None:
        todo = [c for c in cs if c.members is None]
        if not todo:
            return
        links: dict[int, list[dict[str, Any]]] = {}
        for i in range(0, len(todo), 500):
            links.update(kb_io.members(self.conn, [c.id for c in todo[i:i + 500]]))
        ids = [link["event_id"] for c in todo for link in links.get(c.id, [])]
        rows = {r["id"]: r for r in kb_io.event_rows(self.conn, event_ids=ids)}
        for c in todo:
            c.members = []
            for link in links.get(c.id, []):
                row = rows.get(link["event_id"])
                if row is None:
                    continue
                mem = member_of(row)
                mem.score, mem.reasons, mem.manual, mem.new = link["score"], list(link["reasons"]), link["manual"], False
                c.members.append(mem)
            c.members.extend(c.pending)
            c.pending = []


def _fold(members: list[Member]) -> EventView:
    view = members[0].view
    for m in members[1:]:
        view = merge_views(view, m.view)
    return view


def _ordered_union(lists: Iterable[Iterable[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for xs in lists:
        for x in xs:
            seen.setdefault(x, None)
    return list(seen)


def cluster_values(c: Cluster, registry: PublisherRegistry) -> dict[str, Any]:
    """The fused_events row of a cluster, recomputed from its members."""
    ms = c.members or []
    types = Counter(m.row["type"] for m in ms)
    modes = Counter(m.row["mode"] for m in ms if m.row["mode"])
    dv = fused_date([m.view for m in ms])
    g = grade([m.link for m in ms], registry)
    claims = [QuantityClaim(q["value"], q["unit"], str(m.row["document_id"]), q["approx"], q["text"],
                            m.row["publisher"]).to_dict() for m in ms for q in m.row["quantities"]]
    marking = max((m.row["marking"] for m in ms), key=lambda t: RANK.get(t, 2), default="AMBER")
    ts = now()
    return {
        "id": c.id, "type": types.most_common(1)[0][0] if types else c.view.type,
        "types": sorted(c.view.all_types), "mode": modes.most_common(1)[0][0] if modes else None,
        "contexts": sorted(c.view.contexts),
        "source": _ordered_union(m.row["source"] for m in ms), "target": _ordered_union(m.row["target"] for m in ms),
        "location": c.view.location, "location_country": c.view.location_country,
        "date_start": date.fromisoformat(dv.start) if dv else None,
        "date_end": date.fromisoformat(dv.end) if dv else None, "date_precision": dv.precision if dv else None,
        "quantities": claims, "reliability": g.reliability, "credibility": g.credibility, "grade": str(g),
        "reports": len(ms), "independent": g.independent_sources, "created_at": ts, "updated_at": ts,
        "org_id": ms[0].row["org_id"] if ms else 1, "marking": marking,
    }


def subject_of(c: Cluster) -> Subject:
    ms = c.members or []
    return Subject(types=c.view.all_types, source_roots=c.view.source_roots, target_roots=c.view.target_roots,
                   mode=c.view.mode, contexts=c.view.contexts,
                   units=frozenset(q["unit"] for m in ms for q in m.row["quantities"]),
                   texts=[t for m in ms for t in m.row["texts"]],
                   factualities=frozenset(m.row["factuality"] for m in ms))


def write_clusters(conn: Connection, state: FusionState, clusters: Iterable[Cluster]) -> int:
    """Insert or update dirty clusters, their roots, new evidence links and incidents. Returns new incidents."""
    dirty = [c for c in clusters if c.dirty]
    if not dirty:
        return 0
    state._load_members(dirty)
    vals = {c.id: cluster_values(c, state.registry) for c in dirty}
    new = [vals[c.id] for c in dirty if not c.inserted]
    old = [c for c in dirty if c.inserted]
    if new:
        conn.execute(sa.insert(fused_events), new)
    if old:
        upd = [{**{k: v for k, v in vals[c.id].items() if k not in ("id", "created_at")}, "_id": c.id} for c in old]
        conn.execute(sa.update(fused_events).where(fused_events.c.id == sa.bindparam("_id")), upd)
        conn.execute(sa.delete(fused_event_roots).where(fused_event_roots.c.fused_event_id.in_([c.id for c in old])))
    roots = [{"fused_event_id": c.id, "role": role, "root": r}
             for c in dirty for role, rs in (("source", c.view.source_roots), ("target", c.view.target_roots))
             for r in sorted(rs)]
    if roots:
        conn.execute(sa.insert(fused_event_roots), roots)
    kb_io.replace_fusion_keys(conn, {c.id: index_keys(c.view) for c in dirty},
                              {c.id: view_to_json(c.view) for c in dirty if c.exact}, existing=[c.id for c in old])
    ts = now()
    links = [{"event_id": m.event_id, "fused_event_id": c.id, "score": m.score, "reasons": m.reasons,
              "manual": m.manual, "joined_at": ts} for c in dirty for m in c.members or [] if m.new]
    if links:
        conn.execute(sa.insert(fused_event_evidence), links)
    for c in dirty:
        c.inserted, c.dirty = True, False
        for m in c.members or []:
            m.new = False
    return assess_clusters(conn, dirty, vals)


def assess_clusters(conn: Connection, clusters: list[Cluster], vals: dict[int, dict[str, Any]]) -> int:
    existing = {(f, p) for f, p in conn.execute(
        sa.select(incidents.c.fused_event_id, incidents.c.provision_id)
        .where(incidents.c.fused_event_id.in_([c.id for c in clusters])))}
    ts = now()
    rows = []
    for c in clusters:
        for match in assess(subject_of(c)):
            p = match.provision
            if (c.id, p.id) in existing:
                continue
            rows.append({"fused_event_id": c.id, "provision_id": p.id, "resolution": p.resolution,
                         "paragraph": p.paragraph, "prohibits": p.prohibits, "status": "new",
                         "reasons": list(match.reasons), "created_at": ts, "updated_at": ts,
                         "org_id": vals[c.id]["org_id"], "marking": vals[c.id]["marking"]})
    if not rows:
        return 0
    insert_ignore(conn, incidents, rows, ["fused_event_id", "provision_id"])
    created = conn.execute(sa.select(incidents.c.id).where(
        incidents.c.fused_event_id.in_([c.id for c in clusters]), incidents.c.created_at == ts)).scalars().all()
    if created:
        conn.execute(sa.insert(incident_history), [
            {"incident_id": i, "at": ts, "status": "new", "note": "raised by assessment", "user": None}
            for i in created])
    return len(created)


def _batches(ids: list[int], n: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def fuse(store: Store, *, batch: int = BATCH_DOCS, threshold: float = dedupe.THRESHOLD,
         documents: Iterable[int] | None = None) -> FuseReport:
    """Process every document fusion has not seen yet, or those of `documents` (idempotent,
    incremental). Each batch is one transaction that reads only the fused events, near-duplicate
    candidates and decisions its documents need (by key), so the cost follows the documents fused."""
    report = FuseReport()
    with store.engine.begin() as conn:
        ensure_fts(conn)
        pending = kb_io.pending_documents(conn, None if documents is None else list(documents))
    for ids in _batches(pending, batch):
        with store.engine.begin() as conn:
            _lock(conn)
            # another fusion run may have committed meanwhile: skip what it did (its fused events
            # and band keys are read from the store like any others)
            done = set(conn.execute(sa.select(kb_documents.c.document_id)
                                    .where(kb_documents.c.document_id.in_(ids))).scalars())
            ids = [i for i in ids if i not in done]
            if ids:
                _fuse_batch(conn, FusionState(conn), StoredNearDuplicates(conn, threshold), ids, report)
    return report


class StoredNearDuplicates:
    """Near-duplicate lookup against the stored band keys (`kb_bands`) and signatures of fused
    documents, plus the documents of the current transaction held in memory."""

    def __init__(self, conn: Connection, threshold: float = dedupe.THRESHOLD) -> None:
        self.conn = conn
        self.threshold = threshold
        self.memory = dedupe.NearDuplicateIndex(threshold=threshold)

        self._bands: dict[int, set[int]] = {}
        self._sigs: dict[int, Any] = {}

    def prefetch(self, sigs: Iterable[Any]) -> None:
        """Read the stored documents sharing a band with any of `sigs`, and their signatures, at once."""
        keys = {k for sig in sigs for k in dedupe.band_keys(sig, self.threshold)} - set(self._bands)
        for k in keys:
            self._bands[k] = set()
        for band, doc_id in kb_io.band_rows(self.conn, sorted(keys)):
            self._bands[band].add(doc_id)
        ids = {i for k in keys for i in self._bands[k]} - set(self._sigs)
        for doc_id, blob in kb_io.minhashes(self.conn, ids):
            self._sigs[doc_id] = dedupe.signature_from_bytes(blob)

    def query(self, sig: Any) -> list[dedupe.Match]:
        found = {m.key: m for m in self.memory.query(sig)}
        keys = dedupe.band_keys(sig, self.threshold)
        self.prefetch([sig])
        for doc_id in sorted({i for k in keys for i in self._bands[k]}):
            sim = float(sig.jaccard(self._sigs[doc_id]))
            if sim >= self.threshold and str(doc_id) not in found:
                found[str(doc_id)] = dedupe.Match(str(doc_id), sim)
        return sorted(found.values(), key=lambda m: (-m.similarity, m.key))

    def insert(self, key: str, sig: Any) -> None:
        self.memory.insert(key, sig)


def _lock(conn: Connection) -> None:
    """Serialise fusion runs: a transaction-scoped advisory lock on PostgreSQL; on SQLite an early
    write takes the database write lock (other writers wait on busy_timeout)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7305706175)"))  # 'pantau' fusion lock
    elif conn.dialect.name == "sqlite":
        conn.execute(sa.text("UPDATE kb_documents SET document_id = document_id WHERE 0"))


def _fuse_batch(conn: Connection, state: FusionState, index: StoredNearDuplicates | dedupe.NearDuplicateIndex,
                ids: list[int], report: FuseReport) -> None:
    ts = now()
    kb_rows, dup_rows, band_rows = [], [], []
    docs = kb_io.document_rows(conn, ids)
    sigs = [dedupe.signature(doc["text"]) for doc in docs]
    if isinstance(index, StoredNearDuplicates):
        index.prefetch(sigs)
    for doc, sig in zip(docs, sigs, strict=True):
        matches = [m for m in index.query(sig) if m.key != str(doc["id"])]
        index.insert(str(doc["id"]), sig)
        if matches:
            original = min(matches, key=lambda m: int(m.key))  # the earliest stored copy
            dup_rows.append({"document_id": doc["id"], "original_id": int(original.key),
                             "similarity": original.similarity, "found_at": ts})
        pub = state.registry.resolve(doc["publisher"]) or state.registry.resolve(doc["url"])
        kb_rows.append({"document_id": doc["id"], "minhash": dedupe.signature_to_bytes(sig),
                        "publisher_id": pub.id if pub else None, "fused_at": ts})
        band_rows += [{"band": k, "document_id": doc["id"]} for k in set(dedupe.band_keys(sig))]
    if dup_rows:
        conn.execute(sa.insert(near_duplicates), dup_rows)
    if kb_rows:
        conn.execute(sa.insert(kb_documents), kb_rows)
        kb_io.insert_bands(conn, band_rows)
    report.documents += len(kb_rows)
    report.near_duplicates += len(dup_rows)
    touched: dict[int, Cluster] = {}
    batch = [member_of(row) for row in kb_io.event_rows(conn, document_ids=ids)]
    state.prefetch(m.view for m in batch)
    for m in batch:
        c, joined = state.place(m)
        touched[c.id] = c
        report.events += 1
        report.joined += joined
        report.new_fused += not joined
    report.incidents += write_clusters(conn, state, touched.values())


# -- analyst edits ---------------------------------------------------------------------------------

def _record(conn: Connection, kind: str, a: tuple[str, str], b: tuple[str, str], note: str | None,
            user: str | None) -> None:
    from pantau.storage.kb_tables import analyst_decisions

    conn.execute(sa.insert(analyst_decisions).values(kind=kind, a_doc=a[0], a_event=a[1], b_doc=b[0], b_event=b[1],
                                                     note=note, user=user, at=now()))


def split(store: Store, event_id: int, *, note: str | None = None, user: str | None = None) -> int:
    """Take one report's event out of its fused event into a fused event of its own; the decision
    (keep it apart from every other report there) survives re-fusion. Returns the new fused event id."""
    from pantau.exc import NotFound, StoreError

    with store.engine.begin() as conn:
        fid = conn.execute(sa.select(fused_event_evidence.c.fused_event_id)
                           .where(fused_event_evidence.c.event_id == event_id)).scalar()
        if fid is None:
            raise NotFound(f"event {event_id} is not part of any fused event (run `pantau fuse` first)")
        state = FusionState(conn)
        c = state.cluster(fid)
        assert c is not None
        state._load_members([c])
        assert c.members is not None
        mine = [m for m in c.members if m.event_id == event_id]
        others = [m for m in c.members if m.event_id != event_id]
        if not mine or not others:
            raise StoreError(f"event {event_id} is already the only report of fused event {fid}")
        m = mine[0]
        for o in others:
            _record(conn, "split", m.key, o.key, note, user)
        conn.execute(sa.delete(fused_event_evidence).where(fused_event_evidence.c.event_id == event_id))
        c.members, c.view, c.dirty = others, _fold(others), True
        m.new, m.manual, m.score, m.reasons = True, True, 1.0, ["split out by an analyst" + (f": {note}" if note else "")]
        new = Cluster(state.next_id, m.view, members=[m], dirty=True)
        state.next_id += 1
        write_clusters(conn, state, [c, new])
        from pantau.services.audit import record

        record(store, conn, "fused_events.split", object_type="fused_events", object_id=fid,
               detail={"event_id": event_id, "new_fused_event_id": new.id, "note": note, "user": user})
        return new.id


def merge(store: Store, into: int, other: int, *, note: str | None = None, user: str | None = None) -> int:
    """Merge fused event `other` into `into`; the decision survives re-fusion. Returns `into`."""
    from pantau.exc import NotFound

    if into == other:
        return into
    with store.engine.begin() as conn:
        state = FusionState(conn)
        state.load([into, other])
        if into not in state.clusters or other not in state.clusters:
            raise NotFound(f"no fused event {into if into not in state.clusters else other}")
        a, b = state.clusters[into], state.clusters[other]
        state._load_members([a, b])
        assert a.members is not None and b.members is not None
        anchor = a.members[0].key
        reason = "merged by an analyst" + (f": {note}" if note else "")
        for m in b.members:
            _record(conn, "merge", anchor, m.key, note, user)
            m.manual, m.reasons = True, [reason]
        conn.execute(sa.update(fused_event_evidence).where(fused_event_evidence.c.fused_event_id == other)
                     .values(fused_event_id=into, manual=True, reasons=[reason]))
        have = set(conn.execute(sa.select(incidents.c.provision_id).where(incidents.c.fused_event_id == into)).scalars())
        conn.execute(sa.update(incidents).where(incidents.c.fused_event_id == other,
                                                incidents.c.provision_id.not_in(have) if have else sa.true())
                     .values(fused_event_id=into))
        conn.execute(sa.delete(fused_events).where(fused_events.c.id == other))
        a.members = a.members + b.members
        a.view, a.dirty = _fold(a.members), True
        write_clusters(conn, state, [a])
        from pantau.services.audit import record

        record(store, conn, "fused_events.merge", object_type="fused_events", object_id=into,
               detail={"merged": other, "note": note, "user": user})
        return into


def refuse(store: Store) -> FuseReport:
    """Forget every fused event and fuse all documents again (after re-ingestion or a rules change).
    Analyst splits and merges are kept and re-applied; incident reviews are carried over to the
    incident of the same provision on the fused event that holds the same reports."""
    from pantau.storage.tables import documents, events

    keyq = (sa.select(fused_event_evidence.c.fused_event_id, documents.c.content_hash, events.c.local_id)
            .join(events, events.c.id == fused_event_evidence.c.event_id)
            .join(documents, documents.c.id == events.c.document_id))
    with store.engine.begin() as conn:
        keys: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for fid, h, local in conn.execute(keyq):
            keys[fid].add((h, local))
        saved = []
        for inc in conn.execute(sa.select(incidents).where(incidents.c.status != "new")):
            hist = [dict(h._mapping) for h in conn.execute(
                sa.select(incident_history).where(incident_history.c.incident_id == inc.id)
                .order_by(incident_history.c.id))]
            saved.append((inc.provision_id, keys.get(inc.fused_event_id, set()), inc.status, hist))
        for t in (fusion_keys, fused_event_views, fused_events, kb_bands, kb_documents, near_duplicates):
            conn.execute(sa.delete(t))
    report = fuse(store)
    if saved:
        with store.engine.begin() as conn:
            now_keys: dict[tuple[str, str], int] = {}
            for fid, h, local in conn.execute(keyq):
                now_keys[(h, local)] = fid
            for prov, ks, status, hist in saved:
                fids = {now_keys[k] for k in ks if k in now_keys}
                inc_id = conn.execute(sa.select(incidents.c.id).where(
                    incidents.c.fused_event_id.in_(fids), incidents.c.provision_id == prov)).scalar() if fids else None
                if inc_id is None:
                    continue
                conn.execute(sa.update(incidents).where(incidents.c.id == inc_id).values(status=status))
                conn.execute(sa.delete(incident_history).where(incident_history.c.incident_id == inc_id))
                conn.execute(sa.insert(incident_history), [
                    {"incident_id": inc_id, "at": h["at"], "status": h["status"], "note": h["note"], "user": h["user"]}
                    for h in hist])
    return report


def fuse_quietly(store: Store, documents: Iterable[int] | None = None) -> FuseReport | None:
    """`fuse` after an ingest: a failure (e.g. a concurrent fusion run) leaves the new documents
    pending for the next run instead of failing the ingest that stored them."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    try:
        return fuse(store, documents=documents)
    except SQLAlchemyError as exc:
        logging.getLogger("pantau.kb").warning("fusion deferred (run `pantau fuse`): %s", exc)
        return None


def regrade(store: Store) -> int:
    """Recompute grade, roots and incidents of every fused event (after a publisher registry edit)."""
    n, after = 0, 0
    with store.engine.begin() as conn:
        while ids := kb_io.fused_ids(conn, after, 1000):  # in chunks: memory stays flat
            state = FusionState(conn)
            state.load(ids)
            cs = [state.clusters[i] for i in ids]
            state._load_members(cs)
            for c in cs:
                c.dirty = True
            write_clusters(conn, state, cs)
            n, after = n + len(cs), ids[-1]
    return n


def backfill_fusion_keys(conn: Connection) -> int:
    """Store the candidate keys of every fused event that has none (revision scale001), from the
    view read from its row. Reads only the columns that revision knows, in chunks."""
    meta = sa.MetaData()
    fe = sa.Table("fused_events", meta, autoload_with=conn)
    fr = sa.Table("fused_event_roots", meta, autoload_with=conn)
    fk = sa.Table("fusion_keys", meta, autoload_with=conn)
    cols = [fe.c[n] for n in ("id", "type", "types", "mode", "contexts", "location", "location_country",
                              "date_start", "date_end", "quantities")]
    n, after = 0, 0
    while rows := [dict(r._mapping) for r in conn.execute(
            sa.select(*cols).where(fe.c.id > after).order_by(fe.c.id).limit(2000))]:
        ids = [r["id"] for r in rows]
        roots: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"source": set(), "target": set()})
        for fid, role, root in conn.execute(sa.select(fr.c.fused_event_id, fr.c.role, fr.c.root)
                                            .where(fr.c.fused_event_id.in_(ids))):
            roots[fid][role].add(root)
        keys = [{"root": r, "family": f, "bucket": b, "fused_event_id": row["id"]}
                for row in rows for r, f, b in sorted(index_keys(row_view(row, roots[row["id"]])))]
        if keys:
            conn.execute(sa.insert(fk), keys)
        n, after = n + len(rows), ids[-1]
    return n
