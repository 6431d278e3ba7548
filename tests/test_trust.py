"""Issue 9 (trust), each numbered problem reproduced: fused events quoting hidden documents (1),
a revoked token keeping its stream (2), existence and substring oracles (3), a cuttable audit log (4)
and derived objects drifting from their sources (8). On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sharing_world import REPORTS, build_world, extraction, live_server
from test_share_stream import Listener

from pantau.services import identity
from pantau.services.kb import fuse
from pantau.services.publish import publish_extraction
from pantau.services.sharing import share
from pantau.storage.share_tables import audit_checkpoints, audit_log, releases
from pantau.storage.tables import documents, events
from pantau.web.app import create_app

SECRET = "Sumber rahasia: kapal Ji Song 6 membongkar 40 kontainer amunisi di Rajin pada 3 Maret 2024."


@pytest.fixture
def world(store_url, tmp_path):
    w = build_world(store_url, tmp_path)
    yield w
    w.node.close()


@pytest.fixture
def client(world):
    with TestClient(create_app(world.node)) as c:
        yield c


def _h(world, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def _post_secret(world) -> tuple[int, int]:
    ana = identity.viewer_for_username(world.node, "ana")
    res = publish_extraction(world.node, ana, SECRET, extraction(SECRET, "AID", "PRK", "RUS", "2024-03-03",
                                                                 title="Laporan Rajin"), tlp="AMBER")
    return res.document_id, res.events[0]


# ---------------------------------------------------------------- 1: fused events quote hidden documents

def test_a_shared_event_does_not_carry_its_hidden_document_into_fused_views(world, client) -> None:
    doc, ev = _post_secret(world)
    ana = identity.viewer_for_username(world.node, "ana")
    share(world.node, "events", ev, "CLEAR", actor=ana)  # the README's "share an event"
    fuse(world.node)  # type: ignore[arg-type]
    assert client.get(f"/api/documents/{doc}", headers=_h(world, "citra")).status_code == 404
    assert client.get(f"/api/events/{ev}", headers=_h(world, "citra")).json()["evidence"] == []
    listed = client.get("/api/fused", params={"limit": 500}, headers=_h(world, "citra")).json()["items"]
    mine = [f for f in listed if any(str(e.get("event_id")) == str(ev) for e in f.get("evidence", []))]
    assert mine, "the shared event still counts in a fused event"
    for f in mine:
        one = client.get(f"/api/fused/{f['id']}", headers=_h(world, "citra")).json()
        body = json.dumps([f, one])
        assert "Ji Song" not in body and "Laporan Rajin" not in body and "40 kontainer" not in body
    # the owner still sees the quote
    body = json.dumps(client.get("/api/fused", params={"limit": 500}, headers=_h(world, "ana")).json())
    assert "Ji Song" in body


# ---------------------------------------------------------------- 8: derived objects follow their sources

def test_re_marking_or_withdrawing_a_document_hides_its_events(world, client) -> None:
    ana = identity.viewer_for_username(world.node, "ana")
    green_doc, green_ev = world.documents[1], world.events[1]
    amber_doc, amber_ev = world.documents[2], world.events[2]  # AMBER, released to desk-korea (bais)
    assert client.get(f"/api/events/{green_ev}", headers=_h(world, "budi")).status_code == 200
    share(world.node, "documents", green_doc, "AMBER+STRICT", actor=ana)
    assert client.get(f"/api/events/{green_ev}", headers=_h(world, "budi")).status_code == 404
    assert client.get(f"/api/events/{amber_ev}", headers=_h(world, "budi")).status_code == 200
    share(world.node, "documents", amber_doc, "AMBER", actor=ana)  # the release withdrawn
    assert client.get(f"/api/events/{amber_ev}", headers=_h(world, "budi")).status_code == 404
    ids = {e["id"] for e in client.get("/api/events", headers=_h(world, "budi")).json()["items"]}
    assert green_ev not in ids and amber_ev not in ids
    # an event re-marked on its own is not pulled back by its document's later re-marking
    share(world.node, "events", green_ev, "CLEAR", actor=ana)
    share(world.node, "documents", green_doc, "RED", actor=ana)
    assert client.get(f"/api/events/{green_ev}", headers=_h(world, "citra")).status_code == 200
    assert client.get(f"/api/events/{green_ev}", headers=_h(world, "citra")).json()["evidence"] == []
    assert client.get(f"/api/documents/{green_doc}", headers=_h(world, "citra")).status_code == 404


def test_entities_are_seen_through_the_documents_that_mention_them(world, client) -> None:
    # the RED report (index 4) is the first to mention nothing new; give dewi a RED report with a new entity
    ana = identity.viewer_for_username(world.node, "ana")
    text = "Sumber tertutup: Korea Utara dan Tiongkok menandatangani perjanjian rahasia pada 1 Februari 2025."
    publish_extraction(world.node, ana, text, extraction(text, "COOPERATE", "PRK", "CHN", "2025-02-01"),
                       tlp="RED", users_=["dewi"])
    assert client.get("/api/entities/CHN", headers=_h(world, "dewi")).status_code == 200  # a RED recipient
    assert client.get("/api/entities/CHN", headers=_h(world, "budi")).status_code == 404
    assert "CHN" not in {e["id"] for e in client.get("/api/entities", headers=_h(world, "budi")).json()["items"]}
    later = "Tiongkok menyatakan dukungan bagi dialog di Semenanjung Korea pada 5 Februari 2025."
    publish_extraction(world.node, ana, later, extraction(later, "CONSULT", "CHN", "KOR", "2025-02-05"), tlp="CLEAR")
    assert client.get("/api/entities/CHN", headers=_h(world, "citra")).status_code == 200


@pytest.mark.parametrize("kind", ["change_log", "entities", "incidents", "audit_log", "pulled_objects"])
def test_only_documents_and_events_can_be_re_marked(world, client, kind) -> None:
    r = client.put(f"/api/{kind}/1/marking", json={"tlp": "CLEAR"}, headers=_h(world, "ana"))
    assert r.status_code in (400, 403) and r.status_code != 200, r.text


# ---------------------------------------------------------------- 3: existence and substring oracles

def test_a_text_held_by_another_organisation_is_not_a_duplicate(world, client) -> None:
    red_text = REPORTS[4][6]  # ana's RED report
    r = client.post("/api/documents", json={"text": red_text, "tlp": "AMBER+STRICT"}, headers=_h(world, "budi"))
    assert r.status_code == 201 and r.json()["status"] == "added", r.text
    budi_doc = r.json()["document_id"]
    assert client.get(f"/api/documents/{budi_doc}", headers=_h(world, "budi")).status_code == 200
    assert client.get(f"/api/documents/{budi_doc}", headers=_h(world, "ana")).status_code == 404
    # the same organisation posting it again is a duplicate
    again = client.post("/api/documents", json={"text": red_text}, headers=_h(world, "budi")).json()
    assert again["status"] == "duplicate"
    with world.node.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(documents)
                            .where(documents.c.text == red_text)).scalar() == 2


def test_text_filters_match_only_what_the_viewer_is_shown(world, client) -> None:
    _, ev = _post_secret(world)
    ana = identity.viewer_for_username(world.node, "ana")
    share(world.node, "events", ev, "CLEAR", actor=ana)  # the event is shared, its sentence is not
    for probe in ("Ji Song", "kontainer amunisi", "Rajin"):
        got = client.get("/api/events", params={"text": probe}, headers=_h(world, "citra")).json()["items"]
        assert got == [], probe
        hits = client.get("/api/search", params={"q": probe}, headers=_h(world, "citra")).json()
        assert hits["events"] == [] and hits["documents"] == [], probe
    assert client.get("/api/events", params={"text": "Ji Song"}, headers=_h(world, "ana")).json()["items"]


# ---------------------------------------------------------------- 2: revoked tokens and open streams

def test_revoking_a_token_closes_its_open_stream(world) -> None:
    tid, secret = identity.create_token(world.node, "budi", name="stream")
    app = create_app(world.node, stream_recheck=0.3)
    with live_server(app) as base:
        listener = Listener(base, secret)
        identity.revoke_token(world.node, tid)
        listener.thread.join(5)
        assert not listener.thread.is_alive(), "the stream stayed open after revocation"
        ana = identity.viewer_for_username(world.node, "ana")
        text = "Korea Utara mengirim tambahan pasukan ke Kursk pada Desember 2024 menurut laporan baru."
        publish_extraction(world.node, ana, text, extraction(text, "AID", "PRK", "RUS", "2024-12-02"),
                           tlp="AMBER", groups_=["desk-korea"])
        assert listener.messages == []


def test_a_release_change_refilters_an_open_stream(world) -> None:
    ana = identity.viewer_for_username(world.node, "ana")
    app = create_app(world.node, stream_recheck=0.3)
    with live_server(app) as base:
        listener = Listener(base, world.tokens["budi"])
        with world.node.engine.begin() as conn:  # bais leaves the group desk-korea
            from pantau.storage.share_tables import group_members
            conn.execute(group_members.delete())
        import time
        time.sleep(0.8)
        text = "Korea Utara mengirim tambahan pasukan ke Kursk pada Desember 2024 menurut laporan baru."
        publish_extraction(world.node, ana, text, extraction(text, "AID", "PRK", "RUS", "2024-12-02"),
                           tlp="AMBER", groups_=["desk-korea"])
        clear = "Menteri luar negeri Indonesia berkunjung ke Seoul pada 9 Desember 2024."
        publish_extraction(world.node, ana, clear, extraction(clear, "CONSULT", "IDN", "KOR", "2024-12-09"),
                           tlp="CLEAR")
        got = listener.wait(1)
        assert [m["marking"] for _, m in got] == ["CLEAR"]


# ---------------------------------------------------------------- 4: the audit log cannot be cut

def _verify(world) -> list[str]:
    with world.node.engine.connect() as conn:
        return world.node.audit.verify(conn).problems


def _grow(world, n: int = 12) -> None:
    for i in range(n):
        identity.add_org(world.node, f"org-{i}", f"Organisation {i}")


def test_verify_is_clean_on_an_untouched_log(world) -> None:
    _grow(world)
    assert _verify(world) == []


def test_deleting_the_last_checkpoint_and_its_rows_is_found(world) -> None:
    _grow(world)
    with world.node.engine.begin() as conn:
        cps = sorted(conn.execute(sa.select(audit_checkpoints.c.size)).scalars())
        assert len(cps) >= 2
        conn.execute(audit_checkpoints.delete().where(audit_checkpoints.c.size == cps[-1]))
        conn.execute(audit_log.delete().where(audit_log.c.seq > cps[-2]))
    assert any("log cut" in p for p in _verify(world))


def test_deleting_every_checkpoint_and_row_is_found(world) -> None:
    _grow(world)
    with world.node.engine.begin() as conn:
        conn.execute(audit_checkpoints.delete())
        conn.execute(audit_log.delete())
    assert any("log cut" in p for p in _verify(world))


def test_editing_a_document_text_is_found(world) -> None:
    with world.node.engine.begin() as conn:
        conn.execute(documents.update().where(documents.c.id == world.documents[0]).values(text="diubah"))
    assert any("text differs" in p for p in _verify(world))


def test_editing_a_document_marking_is_found(world) -> None:
    with world.node.engine.begin() as conn:
        conn.execute(documents.update().where(documents.c.id == world.documents[4]).values(marking="CLEAR"))
    assert any(f"document {world.documents[4]}: marking CLEAR" in p for p in _verify(world))


def test_editing_an_event_marking_is_found(world) -> None:
    with world.node.engine.begin() as conn:
        conn.execute(events.update().where(events.c.id == world.events[3]).values(marking="CLEAR"))
    assert any(f"event {world.events[3]}: marking CLEAR" in p for p in _verify(world))


def test_deleting_release_rows_is_found(world) -> None:
    with world.node.engine.begin() as conn:
        n = conn.execute(releases.delete().where(releases.c.object_kind == "documents",
                                                 releases.c.object_id == str(world.documents[2]))).rowcount
        assert n == 1
    assert any("release list differs" in p for p in _verify(world))


def test_audited_re_markings_verify_clean(world) -> None:
    ana = identity.viewer_for_username(world.node, "ana")
    share(world.node, "documents", world.documents[2], "AMBER", orgs=["bais", "bais"], actor=ana)
    share(world.node, "events", world.events[0], "GREEN", actor=ana)
    assert _verify(world) == []


# ---------------------------------------------------------------- 6: concurrency

def test_concurrent_audited_reads_never_race_for_a_sequence_number(world) -> None:
    import threading

    errors: list[str] = []

    def reader(i: int) -> None:
        for j in range(15):
            try:
                with world.node.engine.begin() as conn:
                    conn.execute(sa.select(sa.func.count()).select_from(events))
                    world.node.audit.append(conn, "export.test", detail={"reader": i, "n": j})
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(repr(exc)[:200])

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _verify(world) == []


def test_parallel_posts_of_one_text_are_one_document_and_duplicates(world) -> None:
    import threading

    budi = identity.viewer_for_username(world.node, "budi")
    text = "Delapan penulis mengirim teks yang sama tentang kapal Ji Song 8 di Nampo pada 4 April 2024."
    ex = extraction(text, "AID", "PRK", "RUS", "2024-04-04")
    got: list[str] = []
    barrier = threading.Barrier(8)

    def post() -> None:
        barrier.wait()
        try:
            got.append(publish_extraction(world.node, budi, text, ex, tlp="GREEN").status)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            got.append(repr(exc)[:200])

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == ["added"] + ["duplicate"] * 7
