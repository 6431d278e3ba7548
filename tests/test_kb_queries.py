"""Queries over the knowledge base on SQLite and PostgreSQL: timeline, actor graph, search, viewer filter."""

from __future__ import annotations

import io
import json

import networkx as nx
from kb_corpus import ALL, save

from pantau.services import kb
from pantau.services.access import Viewer
from pantau.services.graph import actor_graph, to_graphml, to_json
from pantau.services.kbquery import list_fused, list_incidents
from pantau.services.search import search
from pantau.services.timeline import timeline


def _load(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids = {r.name: save(store, r) for r in ALL}
    kb.fuse(store)
    return ids


def test_timeline_of_an_actor_and_a_pair(store) -> None:  # type: ignore[no-untyped-def]
    _load(store)
    kor = timeline(store, "KOR", viewer=Viewer.system())
    assert [f.date.start for f in kor] == ["2024-04-01", "2024-07-10"]
    assert all(f.type == "CONSULT" for f in kor)
    pair = timeline(store, "PRK", "RUS", viewer=Viewer.system())
    assert [f.type for f in pair] == ["AID"]
    assert timeline(store, "PRK", "NATO", viewer=Viewer.system()) == []
    # a person's name finds the events of the country they act for only through stored entities
    assert [f.type for f in timeline(store, "person:cho-tae-yul", viewer=Viewer.system())] == []
    assert [f.date.start for f in timeline(store, "KOR", since="2024-06", viewer=Viewer.system())] == ["2024-07-10"]


def test_actor_graph_and_exports(store) -> None:  # type: ignore[no-untyped-def]
    _load(store)
    g = actor_graph(store, viewer=Viewer.system())
    assert g["PRK"]["RUS"]["weight"] == 1 and g["PRK"]["RUS"]["types"] == {"AID": 1}
    assert g["KOR"]["NATO"]["weight"] == 2
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
    assert back.has_edge("KOR", "NATO") and json.loads(back["KOR"]["NATO"]["types"]) == {"CONSULT": 2}
    data = json.loads(json.dumps(to_json(g)))
    assert {(e["source"], e["target"]) for e in data["links"]} == {("PRK", "RUS"), ("KOR", "NATO")}
    only_aid = actor_graph(store, type="AID", viewer=Viewer.system())
    assert list(only_aid.edges) == [("PRK", "RUS")]


def test_full_text_search_joins_events(store) -> None:  # type: ignore[no-untyped-def]
    ids = _load(store)
    hits = search(store, "tentara Rusia", viewer=Viewer.system())
    assert {h["id"] for h in hits} == {ids["kompas"], ids["detik"]}
    assert all(h["events"][0]["type"] == "AID" and h["events"][0]["fused_event_id"] for h in hits)
    assert [h["id"] for h in search(store, "Stoltenberg", viewer=Viewer.system())] == [ids["tempo-april"]]
    assert search(store, "soldiers", type="CONSULT", viewer=Viewer.system()) == []
    assert search(store, "zzzqqq", viewer=Viewer.system()) == []
    assert {h["id"] for h in search(store, "Korea", grade="2", viewer=Viewer.system())} == {ids["yonhap"], ids["kompas"], ids["detik"]}
    assert [h["id"] for h in search(store, "Korea", since="2024-07", until="2024-07", viewer=Viewer.system())] == [ids["kompas-july"]]
    assert search(store, "Korea", status="confirmed", viewer=Viewer.system()) == []
    # documents stored after the index exists are found too
    from kb_corpus import Report

    new = save(store, Report("x", "Judul uji\nKapal tanker berlabuh di pelabuhan Nampo pekan lalu.", "Tempo",
                             "2024-11-01"))
    assert [h["id"] for h in search(store, "Nampo", viewer=Viewer.system())] == [new]


def test_viewer_filter_hides_what_the_viewer_may_not_see(store) -> None:  # type: ignore[no-untyped-def]
    _load(store)  # everything stored is AMBER, owned by the node's own organisation (id 1)
    own = Viewer(user_id=1, org_id=1, role="analyst")
    guest = Viewer(user_id=9, org_id=2, role="viewer")
    assert len(list_fused(store, viewer=own)) == 3
    assert list_fused(store, viewer=guest) == []
    assert list_incidents(store, viewer=guest) == []
    assert timeline(store, "PRK", viewer=guest) == []
    assert actor_graph(store, viewer=guest).number_of_edges() == 0
    assert search(store, "Rusia", viewer=guest) == []
    assert len(search(store, "Rusia", viewer=own)) >= 2


def test_derived_event_shows_only_the_evidence_a_viewer_may_see(store) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from pantau.storage.tables import events, organisations

    ids = _load(store)
    with store.engine.begin() as conn:  # the Yonhap report belongs to a partner, for its eyes only
        conn.execute(sa.insert(organisations).values(id=2, slug="partner", name="Partner"))
        conn.execute(sa.update(events).where(events.c.document_id == ids["yonhap"])
                     .values(org_id=2, marking="AMBER+STRICT"))
    own = Viewer(user_id=1, org_id=1, role="analyst")
    (aid,) = [f for f in list_fused(store, viewer=own) if f.type == "AID"]
    assert str(ids["yonhap"]) not in {e.doc_id for e in aid.evidence}
    assert sorted(q.value for q in aid.quantities) == [3000, 3000]  # the partner's 1,500 stays hidden
    partner = Viewer(user_id=2, org_id=2, role="analyst", is_member=False)
    (seen,) = list_fused(store, viewer=partner)
    assert [e.doc_id for e in seen.evidence] == [str(ids["yonhap"])]
