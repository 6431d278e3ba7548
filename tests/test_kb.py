"""Knowledge base on the store (SQLite and PostgreSQL): fusion, non-fusion, near-duplicates,
grading, incidents, analyst decisions, incremental runs."""

from __future__ import annotations

import pytest
from kb_corpus import ALL, MEETING_APRIL, MEETING_JULY, TROOPS_EN, TROOPS_ID, save

from pantau.services import kb, kbquery
from pantau.services.access import Viewer


def _by_type(store, typ: str):  # type: ignore[no-untyped-def]
    return [f for f in kbquery.list_fused(store, viewer=Viewer.system()) if f.type == typ]


def test_one_fused_event_per_happening(store) -> None:  # type: ignore[no-untyped-def]
    ids = {r.name: save(store, r) for r in ALL}
    rep = kb.fuse(store)
    assert rep.documents == 5 and rep.events == 5
    assert rep.near_duplicates == 1
    aid = _by_type(store, "AID")
    assert len(aid) == 1
    f = aid[0]
    assert sorted(int(e.doc_id) for e in f.evidence) == sorted([ids["yonhap"], ids["kompas"], ids["detik"]])
    assert (f.date.start, f.date.end) == ("2024-10-09", "2024-10-18")  # tightest interval
    assert sorted(q.value for q in f.quantities) == [1500, 3000, 3000]  # kept side by side
    joined = [e for e in f.evidence if e.reasons[0] != "first report of this event"]
    assert any("numbers differ, kept side by side: 3,000 vs 1,500 troops" in r for e in joined for r in e.reasons)
    copy = next(e for e in f.evidence if e.doc_id == str(ids["detik"]))
    assert copy.near_duplicate_of == str(ids["kompas"])
    # Yonhap + Kompas are independent; the detik copy is not: credibility 2, reliability B (best source)
    assert f.grade == "B2" and f.confidence == 70
    # two meetings of the same pair months apart stay apart
    assert len(_by_type(store, "CONSULT")) == 2


def test_incidents_raised_and_reviewed(store) -> None:  # type: ignore[no-untyped-def]
    for r in ALL:
        save(store, r)
    kb.fuse(store)
    incs = kbquery.list_incidents(store, viewer=Viewer.system())
    provs = {i.provision_id for i in incs}
    assert "unscr-1874-9" in provs
    assert all(i.status == "new" for i in incs)
    consult_ids = {f.id for f in _by_type(store, "CONSULT")}
    assert not any(i.fused_event_id in consult_ids for i in incs)
    inc = next(i for i in incs if i.provision_id == "unscr-1874-9")
    assert inc.title == "possible violation of UNSCR 1874 para 9"
    got = kbquery.review(store, inc.id, status="under_review", note="cek sumber kedua", user="analis", viewer=Viewer.system())
    assert got.status == "under_review"
    assert [h.status for h in got.history] == ["new", "under_review"]
    assert got.notes[-1] == "cek sumber kedua"
    assert [i.id for i in kbquery.list_incidents(store, status="under_review", viewer=Viewer.system())] == [inc.id]
    with pytest.raises(ValueError):
        kbquery.review(store, inc.id, status="solved", viewer=Viewer.system())


def test_fusion_is_incremental_and_idempotent(store) -> None:  # type: ignore[no-untyped-def]
    save(store, TROOPS_EN)
    assert kb.fuse(store).new_fused == 1
    save(store, TROOPS_ID)
    rep = kb.fuse(store)
    assert (rep.documents, rep.joined, rep.new_fused) == (1, 1, 0)
    assert kb.fuse(store).documents == 0
    assert len(kbquery.list_fused(store, viewer=Viewer.system())) == 1


def test_split_and_merge_survive_refusion(store) -> None:  # type: ignore[no-untyped-def]
    for r in (TROOPS_EN, TROOPS_ID, MEETING_APRIL, MEETING_JULY):
        save(store, r)
    kb.fuse(store)
    (aid,) = _by_type(store, "AID")
    inc = next(i for i in kbquery.list_incidents(store, viewer=Viewer.system()) if i.fused_event_id == aid.id)
    kbquery.review(store, inc.id, status="confirmed", note="dua sumber independen", viewer=Viewer.system())
    kompas_event = next(int(e.event_id) for e in aid.evidence if e.publisher == "Kompas")
    new_id = kb.split(store, kompas_event, note="angka berbeda, mungkin gelombang kedua")
    assert len(_by_type(store, "AID")) == 2
    moved = kbquery.get_fused(store, new_id, viewer=Viewer.system())
    assert moved.evidence[0].manual and "split out by an analyst" in moved.evidence[0].reasons[0]

    april, july = sorted(_by_type(store, "CONSULT"), key=lambda f: f.date.start)
    kb.merge(store, int(april.id), int(july.id), note="satu rangkaian pertemuan")
    assert len(_by_type(store, "CONSULT")) == 1

    kb.refuse(store)  # forget everything fused and fuse again: the decisions hold
    assert len(_by_type(store, "AID")) == 2
    (consult,) = _by_type(store, "CONSULT")
    assert len(consult.evidence) == 2
    confirmed = kbquery.list_incidents(store, status="confirmed", viewer=Viewer.system())
    assert [i.provision_id for i in confirmed] == ["unscr-1874-9"]
    assert confirmed[0].notes[-1] == "dua sumber independen"


def test_filters(store) -> None:  # type: ignore[no-untyped-def]
    for r in ALL:
        save(store, r)
    kb.fuse(store)
    assert {f.type for f in kbquery.list_fused(store, actor="PRK", viewer=Viewer.system())} == {"AID"}
    assert len(kbquery.list_fused(store, actor="KOR", actor2="NATO", viewer=Viewer.system())) == 2
    assert len(kbquery.list_fused(store, since="2024-07", until="2024-07", viewer=Viewer.system())) == 1
    assert [f.type for f in kbquery.list_fused(store, grade="2", viewer=Viewer.system())] == ["AID"]
    assert len(kbquery.list_fused(store, grade="B", viewer=Viewer.system())) == 3  # Yonhap, Tempo, Kompas are all graded B
    assert kbquery.list_fused(store, grade="A", viewer=Viewer.system()) == []
    assert [f.type for f in kbquery.list_fused(store, grade="B3", viewer=Viewer.system())] == ["CONSULT", "CONSULT"]
    assert [f.type for f in kbquery.list_fused(store, context="military", viewer=Viewer.system())] == ["AID"]
    assert [f.type for f in kbquery.list_fused(store, status="new", viewer=Viewer.system())] == ["AID"]
    assert kbquery.list_fused(store, type="assault", viewer=Viewer.system()) == []


def test_publisher_edit_regrades(store) -> None:  # type: ignore[no-untyped-def]
    from pantau.services.publishers import list_publishers, set_reliability

    for r in (TROOPS_EN, TROOPS_ID):
        save(store, r)
    kb.fuse(store)
    assert _by_type(store, "AID")[0].grade == "B2"
    set_reliability(store, "Yonhap", "A")
    assert _by_type(store, "AID")[0].grade == "A2"
    rows = {p["id"]: p for p in list_publishers(store)}
    assert rows["yonhap"]["reliability"] == "A" and rows["yonhap"]["edited"]
    assert rows["kompas"]["reliability"] == "B" and not rows["kompas"]["edited"]
    with pytest.raises(ValueError):
        set_reliability(store, "Yonhap", "Z")


def test_a_concurrent_fusion_run_is_picked_up(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another process fuses part of the pending documents after this run planned its work:
    this run skips them, reloads the fused events it made and joins the rest to them."""
    from pantau.nlp.dedupe import NearDuplicateIndex
    from pantau.services.store import Store

    ids = {r.name: save(store, r) for r in ALL}
    other = Store(store.engine.url.render_as_string(hide_password=False))
    orig = kb._batches

    def racing(pending, n):  # type: ignore[no-untyped-def]
        part = [ids["tempo-april"], ids["kompas-july"], ids["yonhap"]]
        with other.engine.begin() as conn:
            kb._fuse_batch(conn, kb.FusionState(conn), NearDuplicateIndex(), part, kb.FuseReport())
        yield from orig(pending, n)

    monkeypatch.setattr(kb, "_batches", racing)
    try:
        rep = kb.fuse(store)
    finally:
        other.close()
    assert (rep.documents, rep.joined, rep.new_fused) == (2, 2, 0)
    (aid,) = _by_type(store, "AID")
    assert len(aid.evidence) == 3 and len(kbquery.list_fused(store, viewer=Viewer.system())) == 3


def test_analyst_writes_and_exports_are_audited(store) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from pantau.services.export import export
    from pantau.storage.share_tables import audit_log

    for r in (TROOPS_EN, TROOPS_ID):
        save(store, r)
    kb.fuse(store)
    inc = kbquery.list_incidents(store, viewer=Viewer.system())[0]
    kbquery.review(store, inc.id, status="dismissed", note="salah baca", viewer=Viewer.system())
    export(store, "stix", viewer=Viewer.system())
    with store.engine.connect() as conn:
        actions = list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
    assert actions == ["incidents.review", "export.stix"]
