"""REST API of the sharing node, on SQLite and PostgreSQL: every read path shows each organisation
exactly what TLP 2.0 lets it see (lists, single objects, search, timeline, graph), hidden objects
are 404, tokens expire and are revoked, writes are audited."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sharing_world import EXPECTED, build_world, live_server

from pantau.services import identity
from pantau.storage.share_tables import audit_log
from pantau.web.app import create_app


@pytest.fixture
def world(store_url, tmp_path):
    w = build_world(store_url, tmp_path)
    yield w
    w.node.close()


@pytest.fixture
def api(world):
    with live_server(create_app(world.node)) as base:
        clients = {u: httpx.Client(base_url=base + "/api", headers={"Authorization": f"Bearer {t}"}, timeout=10)
                   for u, t in world.tokens.items()}
        yield clients
        for c in clients.values():
            c.close()


def test_each_user_sees_exactly_what_the_rules_allow(world, api) -> None:
    for user, client in api.items():
        want = world.visible_events(user)
        got = {e["id"] for e in client.get("/events", params={"limit": 100}).json()["items"]}
        assert got == want, user
        for i, eid in enumerate(world.events):
            r = client.get(f"/events/{eid}")
            assert r.status_code == (200 if i in EXPECTED[user] else 404), (user, i)
            d = client.get(f"/documents/{world.documents[i]}")
            assert d.status_code == (200 if i in EXPECTED[user] else 404), (user, i)
        docs = {d["id"] for d in client.get("/documents").json()["items"]}
        assert docs == {world.documents[i] for i in EXPECTED[user]}
        # counts and existence through the aggregate paths
        n = sum(row["events"] for row in client.get("/timeline").json())
        assert n == len(want), user
        edges = client.get("/graph").json()["edges"]
        assert sum(e["events"] for e in edges) == len([i for i in EXPECTED[user] if i != 4]), user  # RED has no target
        hits = client.get("/search", params={"q": "Korea"}).json()
        assert {e["id"] for e in hits["events"]} <= want


def test_filters_and_cursor_pagination(world, api) -> None:
    dewi = api["dewi"]
    seen, cursor = [], None
    while True:
        page = dewi.get("/events", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == sorted(world.visible_events("dewi")) and len(seen) == 5
    aid = dewi.get("/events", params={"type": "aid"}).json()["items"]
    assert [e["type"] for e in aid] == ["AID", "AID"]
    assert all(e["source"][0]["id"] == "PRK" for e in aid)
    in_2024 = dewi.get("/events", params={"since": "2024-06", "until": "2024-10"}).json()["items"]
    assert {e["date_start"] for e in in_2024} == {"2024-06-19", "2024-10-08"}
    assert api["budi"].get("/events", params={"actor": "PRK", "type": "MOBILIZE"}).json()["items"] == []


def test_tokens_are_checked_and_revocable(world, api) -> None:
    base = str(api["ana"].base_url).rstrip("/")
    assert httpx.get(base + "/events").status_code == 401
    assert httpx.get(base + "/events", headers={"Authorization": "Bearer pnt_not-a-token"}).status_code == 401
    tid, secret = identity.create_token(world.node, "budi", days=None)
    assert httpx.get(base + "/me", headers={"Authorization": f"Bearer {secret}"}).json()["role"] == "analyst"
    identity.revoke_token(world.node, tid)
    assert httpx.get(base + "/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    old_id, old = identity.create_token(world.node, "budi", days=1)
    with world.node.engine.begin() as conn:  # expired yesterday (an expiry in the past cannot be asked for)
        from datetime import UTC, datetime, timedelta

        from pantau.storage.share_tables import api_tokens
        conn.execute(api_tokens.update().where(api_tokens.c.id == old_id)
                     .values(expires_at=datetime.now(UTC) - timedelta(days=1)))
    assert httpx.get(base + "/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    stored = {t["prefix"] for t in identity.list_tokens(world.node)}
    assert all(len(p) == 10 for p in stored)  # only a prefix and a hash are kept


def test_marking_changes_and_writes_are_authorised_and_audited(world, api) -> None:
    strict = world.events[3]
    # budi cannot see ana's AMBER+STRICT event: 404, not 403
    assert api["budi"].put(f"/events/{strict}/marking", json={"tlp": "CLEAR"}).status_code == 404
    # dewi sees it but is a viewer: 403
    assert api["dewi"].put(f"/events/{strict}/marking", json={"tlp": "CLEAR"}).status_code == 403
    # ana releases it to bais as AMBER: now budi sees it, citra still does not
    r = api["ana"].put(f"/events/{strict}/marking", json={"tlp": "AMBER", "release_orgs": ["bais"]})
    assert r.status_code == 200 and r.json()["tlp"] == "AMBER"
    assert api["budi"].get(f"/events/{strict}").status_code == 200
    assert api["citra"].get(f"/events/{strict}").status_code == 404
    # the event's evidence quotes a document that is still AMBER+STRICT: budi sees the event, not the quote
    assert api["budi"].get(f"/events/{strict}").json()["evidence"] == []
    assert api["ana"].get(f"/events/{strict}").json()["evidence"]
    # a viewer may not ingest
    r = api["dewi"].post("/documents", json={"text": "Kapal tanker berlabuh di Nampo."})
    assert r.status_code == 403
    r = api["budi"].post("/documents", json={"text": "Kapal tanker itu berlabuh di pelabuhan Nampo pada Maret 2024.",
                                             "tlp": "AMBER+STRICT"})
    assert r.status_code == 201, r.text
    doc = r.json()["document_id"]
    assert api["budi"].get(f"/documents/{doc}").status_code == 200
    assert api["ana"].get(f"/documents/{doc}").status_code == 404
    with world.node.engine.connect() as conn:
        report = world.node.audit.verify(conn)
        actions = [r.action for r in conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.seq))]
    # 3 orgs, 1 group, 4 users, 4 tokens, 5 reports, then the marking change and budi's report
    assert report.ok and report.rows == 19 and report.checkpoints == 1
    assert actions[-2:] == ["events.mark", "documents.create"]


def test_fused_events_show_each_viewer_only_its_evidence(world, api) -> None:
    from sharing_world import extraction

    from pantau.services.kb import fuse
    from pantau.services.publish import publish_extraction

    ana = identity.viewer_for_username(world.node, "ana")
    texts = [("GREEN", "Kapal kargo Korea Utara membawa kontainer amunisi ke pelabuhan Rusia di Vostochny."),
             ("AMBER+STRICT", "A closed source confirms the North Korean ship unloaded munitions at Vostochny.")]
    for tlp, text in texts:
        publish_extraction(world.node, ana, text, extraction(text, "AID", "PRK", "RUS", "2024-08-20"), tlp=tlp)
    fuse(world.node)  # type: ignore[arg-type]
    by_user = {}
    for user, client in api.items():
        items = client.get("/fused", params={"type": "AID", "since": "2024-08", "until": "2024-08"}).json()["items"]
        by_user[user] = items
    assert len(by_user["ana"]) == 1 and len(by_user["ana"][0]["evidence"]) == 2
    assert len(by_user["budi"]) == 1 and len(by_user["budi"][0]["evidence"]) == 1  # GREEN only
    assert by_user["citra"] == []  # a guest sees neither report, so the fused event does not exist for it
    fid = by_user["ana"][0]["id"]
    assert api["citra"].get(f"/fused/{fid}").status_code == 404
    assert api["budi"].get(f"/fused/{fid}").status_code == 200
