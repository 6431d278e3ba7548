"""What one viewer sees of a derived object (issue 6).

A fused event (and every incident raised on it) is never more visible than the most restrictive
evidence it exposes. `fused_views` gives, for each fused event row, the viewer's view:

- when the viewer may see every piece of evidence (and the original of every near-duplicate among
  them), the stored fused event, unchanged but for its marking, which always follows the current
  markings of its evidence (the most restrictive of them);
- otherwise the fused attributes recomputed from the visible evidence only, with the functions
  fusion itself uses (`kb.member_of`, `nlp.fusion.merge_views`/`fused_date`/`compare`,
  `kb.cluster_values`, `grading.grade`, `assess.assess`): type, mode, contexts, actors and their
  roots, tightest date, quantities, grade, marking, the join reasons of each report, and which
  sanctions provisions the view still matches (an incident on a provision the view does not match
  does not exist for that viewer);
- None when the viewer may see none of the evidence: the fused event does not exist for it.

A near-duplicate whose original the viewer may not see is treated as fusion would treat it had
the original never been stored: the earliest such copy counts as an independent report and the
others as its near-duplicates.

A report (an event) counts when the viewer may see the event (`access.visible_event`); what it
quotes of its document (sentence, title, url, publisher, date) is shown, and used to grade, only when
the viewer may also see that document; otherwise the fused event is recomputed without it. The viewer is required: `Viewer.system()` (the
local CLI) sees every stored fused event as it is; there is no default that means "everything".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.model.kb import EvidenceLink
from pantau.nlp.fusion import compare, merge_views
from pantau.services.access import most_restrictive
from pantau.storage import kb_io
from pantau.storage.kb_tables import fused_event_evidence, fused_event_roots, fused_events, near_duplicates
from pantau.storage.tables import documents, events

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.grading import PublisherRegistry

__all__ = ["FusedView", "fused_views", "is_system", "fully_visible", "FIRST_REPORT"]

FIRST_REPORT = "first report of this event"

# what a report shows of a document the viewer may not see: nothing
HIDDEN_SOURCE: dict[str, Any] = {"texts": [], "title": None, "publisher": None, "url": None, "published_date": None}


@dataclass(slots=True)
class FusedView:
    """A fused event as one viewer sees it."""

    row: dict[str, Any]  # the fused_events row (stored, or recomputed from the visible evidence)
    source_roots: list[str]
    target_roots: list[str]
    evidence: list[EvidenceLink]  # the visible evidence, in join order
    provisions: dict[str, list[str]] | None  # provision id → match reasons; None: the stored incidents stand
    full: bool  # the viewer sees all of it: the stored fused event

    @property
    def id(self) -> int:
        return int(self.row["id"])

    def shows_incident(self, provision_id: str) -> bool:
        return self.provisions is None or provision_id in self.provisions

    def sort_key(self) -> tuple[bool, date, int]:
        d = self.row["date_start"]
        return (d is None, d or date.min, self.id)


def is_system(viewer: Viewer) -> bool:
    from pantau.services.access import require_viewer

    return require_viewer(viewer).is_system


def fully_visible(viewer: Viewer) -> sa.ColumnElement[bool]:
    """WHERE clause on fused_events.id: the viewer may see every piece of evidence and the original of
    every near-duplicate among it, so the stored fused event is its view (true for the system viewer)."""
    if is_system(viewer):
        return sa.true()
    from pantau.services.access import visible, visible_event

    fee = fused_event_evidence
    hidden_ev = (sa.select(fee.c.fused_event_id).join(events, events.c.id == fee.c.event_id)
                 .where(sa.not_(visible_event(viewer))))
    hidden_doc = (sa.select(fee.c.fused_event_id).join(events, events.c.id == fee.c.event_id)
                  .join(documents, documents.c.id == events.c.document_id)
                  .where(sa.not_(visible(documents, viewer))))
    orig = documents.alias("orig")
    hidden_orig = (sa.select(fee.c.fused_event_id).join(events, events.c.id == fee.c.event_id)
                   .join(near_duplicates, near_duplicates.c.document_id == events.c.document_id)
                   .join(orig, orig.c.id == near_duplicates.c.original_id)
                   .where(sa.not_(visible(orig, viewer, kind="documents", id_col=orig.c.id,  # type: ignore[arg-type]
                                          owner_col=orig.c.org_id, tlp_col=orig.c.marking))))
    return sa.and_(fused_events.c.id.not_in(hidden_ev), fused_events.c.id.not_in(hidden_doc),
                   fused_events.c.id.not_in(hidden_orig))


def _link(row: dict[str, Any], member: dict[str, Any], near_dup: Any, score: float | None = None,
          reasons: list[str] | None = None) -> EvidenceLink:
    return EvidenceLink(
        doc_id=str(row["document_id"]), event_id=str(row["id"]), text=" ".join(row["texts"]), title=row["title"],
        publisher=row["publisher"], url=row["url"],
        published=row["published_date"].isoformat() if row["published_date"] else None,
        factuality=row["factuality"], score=member["score"] if score is None else score,
        reasons=list(member["reasons"]) if reasons is None else reasons,
        near_duplicate_of=str(near_dup) if near_dup else None, manual=bool(member["manual"]))


def fused_views(conn: Connection, rows: Sequence[dict[str, Any]], viewer: Viewer, *,
                registry: PublisherRegistry | None = None) -> dict[int, FusedView]:
    """The view of each fused_events row for `viewer`, by id; fused events the viewer may see no
    evidence of are absent."""
    if not rows:
        return {}
    fids = [int(r["id"]) for r in rows]
    mem = kb_io.members(conn, fids)
    eids = [m["event_id"] for ms in mem.values() for m in ms]
    info = {r["id"]: r for r in kb_io.event_rows(conn, event_ids=eids)}
    allowed: set[int] | None = None
    seen_docs: set[int] | None = None
    if not is_system(viewer):
        from pantau.services.access import visible, visible_event

        allowed = set()
        for chunk in _chunks(eids):
            allowed |= set(conn.execute(sa.select(events.c.id).where(events.c.id.in_(chunk),
                                                                     visible_event(viewer))).scalars())
        originals = sorted({int(r["near_duplicate_of"]) for r in info.values() if r["near_duplicate_of"]}
                           | {int(r["document_id"]) for r in info.values()})
        seen_docs = set()
        for chunk in _chunks(originals):
            seen_docs |= set(conn.execute(sa.select(documents.c.id).where(documents.c.id.in_(chunk),
                                                                          visible(documents, viewer))).scalars())
    roots: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
    for fid, role, root in conn.execute(sa.select(fused_event_roots.c.fused_event_id, fused_event_roots.c.role,
                                                  fused_event_roots.c.root)
                                        .where(fused_event_roots.c.fused_event_id.in_(fids))
                                        .order_by(fused_event_roots.c.root)):
        roots[fid][role].append(root)
    out: dict[int, FusedView] = {}
    for r in rows:
        fid = int(r["id"])
        ms = [m for m in mem.get(fid, []) if m["event_id"] in info]
        seen = [m for m in ms if allowed is None or m["event_id"] in allowed]
        if not seen:
            continue
        hidden_orig = seen_docs is not None and any(
            info[m["event_id"]]["near_duplicate_of"] and int(info[m["event_id"]]["near_duplicate_of"]) not in seen_docs
            for m in seen)
        hidden_src = seen_docs is not None and any(int(info[m["event_id"]]["document_id"]) not in seen_docs
                                                   for m in seen)
        if len(seen) == len(ms) and not hidden_orig and not hidden_src:
            links = [_link(info[m["event_id"]], m, info[m["event_id"]]["near_duplicate_of"]) for m in ms]
            row = dict(r)
            if ms:  # the marking follows the evidence as it is marked now (it may have been re-marked)
                row["marking"] = most_restrictive(info[m["event_id"]]["marking"] for m in ms).value
            out[fid] = FusedView(row, roots[fid]["source"], roots[fid]["target"], links, None, True)
            continue
        if registry is None:
            from pantau.services.kb import registry_for

            registry = registry_for(conn)
        out[fid] = _recompute(r, seen, info, seen_docs or set(), registry)
    return out


def _recompute(stored: dict[str, Any], seen: list[dict[str, Any]], info: dict[int, dict[str, Any]],
               seen_docs: set[int], registry: PublisherRegistry) -> FusedView:
    """Fuse the visible reports again, in their join order, as fusion would have fused them alone."""
    from pantau.services.assess import assess
    from pantau.services.kb import Cluster, cluster_values, member_of, subject_of

    stand_in: dict[int, int] = {}  # hidden original → the earliest visible copy of it
    for m in sorted(seen, key=lambda m: info[m["event_id"]]["document_id"]):
        row = info[m["event_id"]]
        orig = row["near_duplicate_of"]
        if orig and int(orig) not in seen_docs:
            stand_in.setdefault(int(orig), row["document_id"])
    members, links = [], []
    view = None
    for m in seen:
        row = dict(info[m["event_id"]])
        if int(row["document_id"]) not in seen_docs:  # the event is shared, its document is not
            row = {**row, **HIDDEN_SOURCE}
        orig = row["near_duplicate_of"]
        if orig and int(orig) not in seen_docs:
            copy_of = stand_in[int(orig)]
            row["near_duplicate_of"] = None if copy_of == row["document_id"] else copy_of
        mem = member_of(row)
        if m["manual"]:
            mem.score, mem.reasons = m["score"], list(m["reasons"])
        elif view is None:
            mem.score, mem.reasons = 1.0, [FIRST_REPORT]
        else:
            d = compare(mem.view, view)
            mem.score, mem.reasons = d.score, list(d.reasons)
        mem.manual, mem.new = bool(m["manual"]), False
        view = mem.view if view is None else merge_views(view, mem.view)
        members.append(mem)
        links.append(_link(row, m, row["near_duplicate_of"], mem.score, mem.reasons))
    assert view is not None
    c = Cluster(int(stored["id"]), view, members=members, inserted=True)
    vals = cluster_values(c, registry)
    joined = [m["joined_at"] for m in seen if m.get("joined_at") is not None]
    vals["created_at"] = min(joined) if joined else stored.get("created_at")
    vals["updated_at"] = max(joined) if joined else stored.get("updated_at")
    provisions = {match.provision.id: list(match.reasons) for match in assess(subject_of(c))}
    return FusedView(vals, sorted(view.source_roots), sorted(view.target_roots), links, provisions, False)


def _chunks(ids: Iterable[int], n: int = 500) -> Iterable[list[int]]:
    xs = list(ids)
    for i in range(0, len(xs), n):
        yield xs[i:i + n]
