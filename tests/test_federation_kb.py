"""Two nodes, node A on each backend (SQLite, and PostgreSQL when configured) and node B on SQLite:
A shares, B pulls and fuses A's report with its own, B's grade rises from A's independent source,
each viewer on B sees only what A's markings allow, A withdraws, B forgets at its next pull."""

from __future__ import annotations

import sqlalchemy as sa
from sharing_world import extraction, live_server

from pantau.services import identity
from pantau.services.federation import add_partner, pull
from pantau.services.kb import fuse
from pantau.services.kbquery import list_fused
from pantau.services.node import Node
from pantau.services.publish import publish_extraction
from pantau.services.reads import list_documents, list_events
from pantau.services.sharing import share
from pantau.storage.share_tables import taxii_served
from pantau.web.app import create_app

SHARED = "Korea Utara memasok peluru artileri ke Rusia lewat jalur kereta pada 1 Desember 2024."
LOCAL = "Reuters: North Korea supplied artillery shells to Russia by rail on 1 December 2024."


def _events(node: Node, user: str) -> list[dict]:
    v = identity.viewer_for_username(node, user)
    with node.engine.connect() as conn:
        return list_events(conn, v, limit=500)["items"]


def _docs(node: Node, user: str) -> list[dict]:
    v = identity.viewer_for_username(node, user)
    with node.engine.connect() as conn:
        return list_documents(conn, v, limit=500)["items"]


def _aid(node: Node, user: str):
    v = identity.viewer_for_username(node, user)
    got = [f for f in list_fused(node, viewer=v, limit=None) if f.type == "AID" and "PRK" in f.source
           and f.date and f.date.start == "2024-12-01"]
    return got[0] if got else None


def test_share_pull_fuse_grade_withdraw(node_a, node_b) -> None:
    ana = identity.viewer_for_username(node_a.node, "ana")
    amber = publish_extraction(node_a.node, ana, SHARED, extraction(SHARED, "AID", "PRK", "RUS", "2024-12-01"),
                               tlp="AMBER", orgs=["node-b"], publisher="Kompas").events[0]
    clear_event = node_a.events[0]  # the world's CLEAR report (CONSULT IDN -> KOR)
    # B's own report of the same happening, from another publisher
    tia = identity.viewer_for_username(node_b, "tia")
    publish_extraction(node_b, tia, LOCAL, extraction(LOCAL, "AID", "PRK", "RUS", "2024-12-01"), tlp="AMBER",
                       publisher="Reuters")
    fuse(node_b)
    before = _aid(node_b, "tia")
    assert before is not None and len(before.evidence) == 1
    with live_server(create_app(node_a.node)) as base:
        add_partner(node_b, "alpha", f"{base}/taxii2/", node_a.tokens["b-sync"], for_org="tim")
        r = pull(node_b, "alpha")
        assert r.documents >= 2 and not r.skipped, r
        # B fused A's report with its own: two independent publishers, the credibility rises
        after = _aid(node_b, "tia")
        assert after is not None and len(after.evidence) == 2
        assert {e.publisher for e in after.evidence} == {"Reuters", "Kompas"}
        assert after.credibility < before.credibility
        # provenance: the partner's documents say where they came from and keep A's marking
        docs = {d["source"]: d for d in _docs(node_b, "tia") if (d["source"] or "").startswith("partner:alpha")}
        assert docs and all(d["org_id"] != 0 for d in docs.values())
        shared_doc = next(d for d in _docs(node_b, "tia") if d["publisher"] == "Kompas")
        assert shared_doc["marking"] == "AMBER"
        # each viewer on B sees only what A's markings allow: AMBER reached tim only, CLEAR everyone
        lia_texts = {e["evidence"][0]["text"] for e in _events(node_b, "lia") if e["evidence"]}
        tia_texts = {e["evidence"][0]["text"] for e in _events(node_b, "tia") if e["evidence"]}
        assert SHARED in tia_texts and SHARED not in lia_texts
        consult = "Menteri Luar Negeri Indonesia bertemu mitranya dari Korea Selatan di Jakarta pada 2 Mei 2024."
        assert consult in lia_texts and consult in tia_texts
        lia_aid = _aid(node_b, "lia")
        assert lia_aid is None or all(e.publisher != "Kompas" for e in lia_aid.evidence)
        # a second pull brings nothing new
        assert pull(node_b, "alpha").stored == 0

        # A re-marks the CLEAR report stricter (AMBER, released to node-b): B re-marks its copy at once
        share(node_a.node, "events", clear_event, "AMBER", orgs=["node-b"], actor=ana)
        remarked = pull(node_b, "alpha")
        assert remarked.replaced >= 1 and remarked.withdrawn == 0 and remarked.documents == 1, remarked
        assert consult not in {e["evidence"][0]["text"] for e in _events(node_b, "lia") if e["evidence"]}
        mine = [e for e in _events(node_b, "tia") if e["type"] == "CONSULT"]
        assert len(mine) == 1 and mine[0]["marking"] == "AMBER"

        # A withdraws: the AMBER release to node-b is taken back, the other report becomes GREEN
        share(node_a.node, "events", amber, "AMBER", actor=ana)
        share(node_a.node, "events", clear_event, "GREEN", actor=ana)
        again = pull(node_b, "alpha")
        assert again.withdrawn == 2, again
        # B forgot both: events, documents, fused evidence
        assert all(not (d["source"] or "").startswith("partner:alpha") for d in _docs(node_b, "tia"))
        assert SHARED not in {e["evidence"][0]["text"] for e in _events(node_b, "tia") if e["evidence"]}
        back = _aid(node_b, "tia")
        assert back is not None and [e.publisher for e in back.evidence] == ["Reuters"]
        assert back.credibility == before.credibility
        # A keeps its events under the new markings and knows what B was served and what was withdrawn
        with node_a.node.engine.connect() as conn:
            served = conn.execute(sa.select(taxii_served.c.object_id, taxii_served.c.withdrawn_at)).all()
        withdrawn = {int(o) for o, w in served if w is not None}
        assert {amber, clear_event} <= withdrawn
        assert amber in {e["id"] for e in _events(node_a.node, "ana")}
        # re-released: it travels again
        share(node_a.node, "events", amber, "AMBER", orgs=["node-b"], actor=ana)
        third = pull(node_b, "alpha")
        assert third.documents == 1
        assert SHARED in {e["evidence"][0]["text"] for e in _events(node_b, "tia") if e["evidence"]}
