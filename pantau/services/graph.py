"""The actor graph: who acts on whom, weighted by fused-event counts and types (networkx),
exported as GraphML or node-link JSON."""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx
import sqlalchemy as sa

from pantau.services.kbquery import fused_filter, partial_views
from pantau.services.kbview import fully_visible
from pantau.storage.kb_tables import fused_event_roots, fused_events
from pantau.storage.tables import entities

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store

__all__ = ["actor_graph", "to_graphml", "to_json"]


def actor_graph(store: Store, *, viewer: Viewer, **filters: Any) -> nx.DiGraph:
    """Directed graph of actor roots; edge attributes: `weight` (fused events), `types` (count per type).
    Each fused event counts as the viewer sees it (`kbview`): roots and type from its visible evidence."""
    s, t = fused_event_roots.alias("s"), fused_event_roots.alias("t")
    fe = fused_events
    with store.engine.connect() as conn:
        conds = fused_filter(conn, viewer=viewer, **filters)
        q = (sa.select(s.c.root, t.c.root, fe.c.type, sa.func.count().label("n"))
             .select_from(fe)
             .join(s, sa.and_(s.c.fused_event_id == fe.c.id, s.c.role == "source"))
             .join(t, sa.and_(t.c.fused_event_id == fe.c.id, t.c.role == "target"))
             .where(s.c.root != t.c.root, *conds, fully_visible(viewer))
             .group_by(s.c.root, t.c.root, fe.c.type))
        edges: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for src, tgt, typ, n in conn.execute(q):
            edges[(src, tgt)][typ] += n
        for v in partial_views(conn, viewer, **filters):
            for src in v.source_roots:
                for tgt in v.target_roots:
                    if src != tgt:
                        edges[(src, tgt)][v.row["type"]] += 1
        nodes = {n for e in edges for n in e}
        names: dict[str, str] = {}
        if nodes:
            for eid, name in conn.execute(sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(nodes))):
                names[eid] = name
    g = nx.DiGraph()
    for n in sorted(nodes):
        g.add_node(n, name=names.get(n, n))
    for (src, tgt), types in sorted(edges.items()):
        g.add_edge(src, tgt, weight=sum(types.values()), types=dict(sorted(types.items())))
    return g


def to_graphml(g: nx.DiGraph) -> str:
    """GraphML text (the per-type counts become a JSON string attribute, as GraphML has no maps)."""
    h = g.copy()
    for _, _, d in h.edges(data=True):
        d["types"] = json.dumps(d["types"], sort_keys=True)
    buf = io.BytesIO()
    nx.write_graphml(h, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def to_json(g: nx.DiGraph) -> dict[str, Any]:
    return nx.node_link_data(g, edges="links")
