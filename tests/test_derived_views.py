"""Issue 6 for derived objects: a fused event (and its incidents) shows each viewer exactly what
fusing only the reports that viewer may see would give — grade, dates, numbers, actors, join
reasons, incidents — on every read path (services, REST, exports, graph, search, the stream),
with filters, order and pagination applied to that view.

The oracle is independent of the code under test: for each set of visible reports, the same
reports are published into a fresh store and fused there, and its one fused event is the answer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.exc import NotFound
from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction, Quantity
from pantau.model.markings import TLP
from pantau.services import identity, kb
from pantau.services.access import RESTRICTIVENESS, Viewer
from pantau.services.export import export
from pantau.services.graph import actor_graph
from pantau.services.kbquery import fusion_of_document, get_fused, get_incident, list_fused, list_incidents
from pantau.services.node import Node
from pantau.services.publish import publish_extraction
from pantau.services.search import search
from pantau.services.sharing import share, text_viewer
from pantau.services.stream import derived_view, may_see_change, read_changes, sees_part
from pantau.services.timeline import timeline
from pantau.web.app import create_app

COUNTRIES = {"PRK": "North Korea", "RUS": "Russia", "IDN": "Indonesia", "KOR": "South Korea"}


@dataclass(frozen=True)
class Report:
    title: str
    publisher: str
    owner: str  # the analyst publishing it (their organisation owns it)
    text: str
    start: str
    end: str
    troops: int | None
    factuality: str = "asserted"
    type: str = "AID"
    source: str = "PRK"
    target: str = "RUS"


# Four reports of one happening (North Korean troops sent to Russia in October 2024), each with
# something the others lack, and a fifth report of another happening that is always CLEAR.
BASE = ("Pemerintah Korea Utara mengirim sekitar sepuluh ribu tentara ke wilayah Rusia pada awal Oktober "
        "2024 menurut sumber pemerintah di Seoul yang dikutip kantor berita setempat.")
REPORTS = [
    Report("Ribuan tentara Korea Utara di Rusia", "Kompas", "ana", BASE, "2024-10-01", "2024-10-31", 10_000),
    Report("Pyongyang said to train troops in Russia", "Detik", "budi",
           "Officials alleged that North Korea sent 12,000 troops to Russia on 8 October 2024 and that military "
           "training of the units began at once.", "2024-10-08", "2024-10-08", 12_000, factuality="alleged"),
    Report("Artileri dan pasukan", "Yonhap", "budi",
           "Satuan artileri dan pasukan Korea Utara tiba di Rusia dalam pekan pertama Oktober 2024, kata "
           "seorang pejabat.", "2024-10-06", "2024-10-12", 3_000),
    Report("Salinan berita Kompas", "ANTARA", "ana", BASE + " Berita ini dimuat ulang.", "2024-10-01",
           "2024-10-31", 10_000),
    Report("Menteri bertemu mitra Korea", "Tempo", "ana",
           "Menteri Luar Negeri Indonesia bertemu mitranya dari Korea Selatan di Jakarta pada 7 Oktober 2024.",
           "2024-10-07", "2024-10-07", None, type="CONSULT", source="IDN", target="KOR"),
]
HAPPENING = range(4)  # the reports of the AID happening; report 4 stays CLEAR
ANALYSTS = {"ana": "kemlu", "budi": "bais"}
USERS = {"ana": ("kemlu", "analyst"), "dewi": ("kemlu", "viewer"), "budi": ("bais", "analyst"),
         "citra": ("mitra", "viewer")}
MEMBERS = {"kemlu", "bais"}
GROUP = {"desk-korea": {"bais"}}


def extraction(r: Report) -> Extraction:
    ents = [Entity(id=c, type="country", name=COUNTRIES[c]) for c in dict.fromkeys([r.source, r.target])]
    dv = DateValue(start=r.start, end=r.end, precision="day" if r.start == r.end else "month", basis="explicit")
    qty = [Quantity(r.troops, "troops", False, f"{r.troops} troops")] if r.troops else []
    ev = Event(id="e1", type=r.type, source=[r.source], target=[r.target], evidence=[Evidence(0, len(r.text), r.text)],
               date=dv, quantities=qty, contexts=["military"] if r.type == "AID" else ["diplomacy"],
               factuality=r.factuality, confidence=0.8, trigger=r.text.split()[2])
    meta = DocumentMeta(title=r.title, language="id", published=DateValue(r.end, r.end, "day", "explicit"),
                        text_sha256=hashlib.sha256(r.text.encode()).hexdigest())
    return Extraction(document=meta, entities=ents, events=[ev])


def open_node(url: str, data_dir: Path) -> Node:
    node = Node.open(url, data_dir=data_dir, checkpoint_every=1000)
    identity.add_org(node, "kemlu", "Kementerian Luar Negeri")
    identity.add_org(node, "bais", "Badan Intelijen Strategis")
    identity.add_org(node, "mitra", "A guest organisation", member=False)
    identity.add_group(node, "desk-korea", ["bais"])
    return node


def publish(node: Node, indexes: list[int]) -> tuple[list[int], list[int]]:
    docs, evs = [], []
    for i in indexes:
        r = REPORTS[i]
        who = identity.viewer_for_username(node, r.owner)
        res = publish_extraction(node, who, r.text, extraction(r), tlp="CLEAR", title=r.title, publisher=r.publisher)
        assert res.document_id is not None
        docs.append(res.document_id)
        evs.extend(res.events)
    kb.fuse(node)  # type: ignore[arg-type]
    return docs, evs


def summary(f: Any) -> dict[str, Any]:
    """What a viewer learns from a fused event, with ids that differ between stores taken out."""
    return {"type": f.type, "mode": f.mode, "contexts": sorted(f.contexts), "date": f.date.to_dict() if f.date else None,
            "source": f.source, "target": f.target, "roots": (f.source_roots, f.target_roots),
            "grade": f.grade, "confidence": f.confidence, "owner": f.owner,
            "quantities": sorted((q.value, q.unit, q.publisher) for q in f.quantities),
            "evidence": [(e.title, round(e.score, 3), e.reasons, e.near_duplicate_of is not None) for e in f.evidence]}


@dataclass
class Oracle:
    """Fuse a set of reports alone, in a fresh store, once per set."""

    tmp: Path
    cache: dict[frozenset[int], tuple[dict[str, Any], dict[str, list[str]]]] = field(default_factory=dict)

    def __call__(self, seen: frozenset[int]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        if seen not in self.cache:
            d = self.tmp / f"oracle-{'-'.join(map(str, sorted(seen)))}"
            d.mkdir()
            node = open_node(f"sqlite:///{d / 'store.db'}", d)
            for user, (org, role) in USERS.items():
                identity.add_user(node, user, org, role=role)
            publish(node, sorted(seen))
            (f,) = list_fused(node, viewer=Viewer.system())  # type: ignore[arg-type]
            incs = {i.provision_id: i.reasons for i in list_incidents(node, viewer=Viewer.system())}  # type: ignore[arg-type]
            node.close()
            self.cache[seen] = (summary(f), incs)
        return self.cache[seen]


@dataclass
class World:
    node: Node
    docs: list[int]
    events: list[int]
    tokens: dict[str, str]
    client: TestClient
    oracle: Oracle


WORLDS: dict[str, World] = {}
ORACLES: list[Oracle] = []  # one for every backend: the oracle's stores are SQLite files


@pytest.fixture
def world(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> World:
    """One store per backend for all examples (re-marked by each), with the reports fused."""
    key = store_url.split(":")[0]
    if key not in WORLDS or WORLDS[key].node.url != store_url:
        tmp = tmp_path_factory.mktemp("derived")
        node = open_node(store_url, tmp)
        tokens = {}
        for user, (org, role) in USERS.items():
            identity.add_user(node, user, org, role=role)
            tokens[user] = identity.create_token(node, user, name="test")[1]
        docs, evs = publish(node, list(range(len(REPORTS))))
        if not ORACLES:
            ORACLES.append(Oracle(tmp_path_factory.mktemp("oracle")))
        WORLDS[key] = World(node, docs, evs, tokens, TestClient(create_app(node)), ORACLES[0])
    return WORLDS[key]


def allowed(user: str, owner_org: str, m: dict[str, Any]) -> bool:
    """TLP 2.0, stated again independently of `access.py`."""
    org = USERS[user][0]
    t = m["tlp"]
    if t == "CLEAR":
        return True
    if t == "GREEN":
        return org in MEMBERS or org == owner_org
    if t == "AMBER":
        return org == owner_org or org in m["orgs"] or any(org in GROUP[g] for g in m["groups"])
    if t == "AMBER+STRICT":
        return org == owner_org
    return user in m["users"]


markings = st.fixed_dictionaries({
    "tlp": st.sampled_from([t.value for t in TLP]),
    "orgs": st.lists(st.sampled_from(["bais", "mitra"]), unique=True),
    "groups": st.lists(st.just("desk-korea"), unique=True),
    "users": st.lists(st.sampled_from(sorted(USERS)), unique=True),
})


def remark(w: World, ms: list[dict[str, Any]]) -> None:
    for i, m in enumerate(ms):
        for kind, oid in (("events", w.events[i]), ("documents", w.docs[i])):
            share(w.node, kind, oid, m["tlp"], orgs=m["orgs"], groups_=m["groups"],
                  users_=m["users"] if m["tlp"] == "RED" else [], actor=Viewer.system())


def expected(w: World, seen: frozenset[int], ms: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    want, incs = w.oracle(seen)
    marks = [ms[i]["tlp"] for i in seen]
    return want, incs | {"_tlp": [max(marks, key=lambda t: RESTRICTIVENESS[TLP.parse(t)])]}  # type: ignore[dict-item]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ms=st.lists(markings, min_size=4, max_size=4))
def test_each_viewer_sees_the_fusion_of_what_it_may_see(world: World, ms: list[dict[str, Any]]) -> None:
    w = world
    remark(w, [*ms, {"tlp": "CLEAR", "orgs": [], "groups": [], "users": []}])
    (aid_id,) = {f.id for f in list_fused(w.node, viewer=Viewer.system()) if f.type == "AID"}  # type: ignore[arg-type]
    (consult,) = [f for f in list_fused(w.node, viewer=Viewer.system()) if f.type == "CONSULT"]  # type: ignore[arg-type]
    for user in USERS:
        v = identity.viewer_for_username(w.node, user)
        seen = frozenset(i for i in HAPPENING if allowed(user, ANALYSTS[REPORTS[i].owner], ms[i]))
        got = list_fused(w.node, viewer=v)  # type: ignore[arg-type]
        aid = [f for f in got if f.id == aid_id]
        if not seen:  # the fused event and its incidents do not exist for this viewer
            assert aid == [] and [f.id for f in got] == [consult.id]
            with pytest.raises(NotFound):
                get_fused(w.node, aid_id, viewer=v)  # type: ignore[arg-type]
            assert list_incidents(w.node, viewer=v) == []  # type: ignore[arg-type]
            assert w.client.get(f"/api/fused/{aid_id}", headers=_auth(w, user)).status_code == 404
            continue
        want, want_incs = expected(w, seen, ms)
        want_tlp = want_incs.pop("_tlp")[0]
        (f,) = aid
        assert summary(f) == want, (user, sorted(seen))
        assert str(f.tlp) == want_tlp
        assert summary(get_fused(w.node, aid_id, viewer=v)) == want  # type: ignore[arg-type]
        # order is by the date the viewer sees: the CONSULT (7 Oct) comes first unless the view starts earlier
        order = sorted(got, key=lambda x: (x.date.start, int(x.id)))  # type: ignore[union-attr]
        assert [x.id for x in got] == [x.id for x in order]
        # pagination: pages of one are the list, no short or extra pages
        pages = [list_fused(w.node, viewer=v, limit=1, offset=k) for k in range(3)]  # type: ignore[arg-type]
        assert [p[0].id for p in pages if p] == [x.id for x in got] and pages[2] == []
        # incidents: exactly the provisions the visible reports match, with their reasons
        incs = {i.provision_id: i for i in list_incidents(w.node, viewer=v)}  # type: ignore[arg-type]
        assert {p: i.reasons for p, i in incs.items()} == want_incs, (user, sorted(seen))
        assert all(str(i.tlp) == want_tlp for i in incs.values())
        all_incs = list_incidents(w.node, viewer=Viewer.system())  # type: ignore[arg-type]
        for inc in all_incs:
            if inc.provision_id in want_incs:
                assert get_incident(w.node, inc.id, viewer=v).reasons == want_incs[inc.provision_id]  # type: ignore[arg-type]
            else:
                with pytest.raises(NotFound):
                    get_incident(w.node, inc.id, viewer=v)  # type: ignore[arg-type]
        paged = [list_incidents(w.node, viewer=v, limit=1, offset=k) for k in range(len(all_incs))]  # type: ignore[arg-type]
        assert sorted(p[0].provision_id for p in paged if p) == sorted(want_incs)
        _filters(w, v, aid_id, want)
        _other_paths(w, user, v, aid_id, seen, want, want_incs)


def _auth(w: World, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {w.tokens[user]}"}


def _filters(w: World, v: Viewer, aid_id: str, want: dict[str, Any]) -> None:
    """Filters judge the view: grade, dates, status."""
    def ids(**kw: Any) -> set[str]:
        return {f.id for f in list_fused(w.node, viewer=v, **kw)}  # type: ignore[arg-type]

    cred = int(want["grade"][1])
    assert aid_id in ids(grade=str(cred)) and aid_id in ids(grade=want["grade"])
    if cred > 1:
        assert aid_id not in ids(grade=str(cred - 1))
    start, end = want["date"]["start"], want["date"]["end"]
    assert aid_id in ids(since=start, until=start) and aid_id in ids(since=end, until=end)
    assert aid_id not in ids(until=_day_before(start))
    assert aid_id in ids(status="new") or list_incidents(w.node, viewer=v) == []  # type: ignore[arg-type]


def _day_before(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _other_paths(w: World, user: str, v: Viewer, aid_id: str, seen: frozenset[int], want: dict[str, Any],
                 want_incs: dict[str, list[str]]) -> None:
    # REST
    h = _auth(w, user)
    one = w.client.get(f"/api/fused/{aid_id}", headers=h).json()
    assert (one["grade"], one["date"], one["confidence"]) == (want["grade"], want["date"], want["confidence"])
    assert sorted((q["value"], q["unit"], q["publisher"]) for q in one["quantities"]) == want["quantities"]
    listed = w.client.get("/api/fused", headers=h, params={"limit": 1}).json()
    second = w.client.get("/api/fused", headers=h, params={"limit": 1, "cursor": listed["next"]}).json()
    assert len(listed["items"]) == 1 and len(second["items"]) == 1 and second["next"] is None
    rest_incs = w.client.get("/api/incidents", headers=h, params={"limit": 100}).json()["items"]
    assert {i["provision_id"] for i in rest_incs} == set(want_incs)
    # timeline, graph, the per-document view
    (t,) = timeline(w.node, "PRK", viewer=v)  # type: ignore[arg-type]
    assert summary(t) == want
    g = actor_graph(w.node, viewer=v)  # type: ignore[arg-type]
    src, tgt = want["roots"]
    assert {(a, b) for a, b in g.edges if "AID" in g.edges[a, b]["types"]} == {(a, b) for a in src for b in tgt}
    for i in seen:
        (row,) = fusion_of_document(w.node, w.docs[i], viewer=v)  # type: ignore[arg-type]
        assert row["grade"] == want["grade"] and row["other_reports"] == len(seen) - 1
    # search with a fused-event filter judged on the view
    hits = {d["id"] for d in search(w.node, "Korea", viewer=v, grade=want["grade"], type="AID")}  # type: ignore[arg-type]
    assert hits == {w.docs[i] for i in seen}
    # exports
    data = json.loads(export(w.node, "json", viewer=v))  # type: ignore[arg-type]
    (fj,) = [f for f in data["fused_events"] if f["id"] == aid_id]
    assert (fj["grade"], fj["date"], fj["source_roots"]) == (want["grade"], want["date"], src)
    assert {i["provision_id"] for i in data["incidents"]} == set(want_incs)
    rows = list(csv.DictReader(io.StringIO(export(w.node, "csv", viewer=v))))  # type: ignore[arg-type]
    assert [r["grade"] for r in rows if r["id"] == aid_id] == [want["grade"]]
    objs = json.loads(export(w.node, "stix", viewer=v))["objects"]  # type: ignore[arg-type]
    (rep,) = [o for o in objs if o["type"] == "report" and "plover:aid" in o.get("labels", [])]
    assert rep.get("confidence") == want["confidence"]
    assert len([o for o in objs if o["type"] == "note"]) == len(want_incs)
    # the stream: a fused event's change carries the viewer's grade and date
    tv = text_viewer(v)
    with w.node.engine.connect() as conn:
        for c in read_changes(conn, 0, limit=100_000):
            if c.kind != "fused_events" or c.object_id != aid_id or not may_see_change(tv, c):
                continue
            shown = derived_view(conn, v, c) if sees_part(tv, c) else c
            assert shown is not None
            assert (shown.payload["grade"], shown.payload["date_start"], shown.payload["reports"]) == \
                (want["grade"], want["date"]["start"], len(seen))


def test_taxii_serves_no_derived_object(world: World) -> None:
    """TAXII serves events and pulled objects only: nothing graded or fused reaches a partner."""
    from pantau.services import taxii

    w = world
    remark(w, [{"tlp": "GREEN", "orgs": [], "groups": [], "users": []}] * 5)
    with w.node.engine.connect() as conn:
        for user in USERS:
            v = identity.viewer_for_username(w.node, user)
            objs = [e.obj for e in taxii.entries(w.node, conn, v, taxii.get_collection(conn, v, "all"))]
            assert objs or USERS[user][0] not in MEMBERS
            assert not any(label.startswith("admiralty:") for o in objs for label in o.get("labels", []))
            assert not any(o["type"] == "note" for o in objs)


def test_the_live_stream_sends_each_subscriber_its_view(world: World) -> None:
    """Subscribers of the SSE stream get a fused event's changes with the grade, date and report count
    of the evidence they may see, and only the incidents that evidence raises."""
    import asyncio

    from pantau.services.stream import Broker

    w = world
    ms = [{"tlp": "AMBER+STRICT", "orgs": [], "groups": [], "users": []},  # kemlu's own Kompas report
          {"tlp": "GREEN", "orgs": [], "groups": [], "users": []},
          {"tlp": "CLEAR", "orgs": [], "groups": [], "users": []},
          {"tlp": "GREEN", "orgs": [], "groups": [], "users": []},  # the copy: independent without Kompas
          {"tlp": "CLEAR", "orgs": [], "groups": [], "users": []}]
    remark(w, ms)
    (aid_id,) = {f.id for f in list_fused(w.node, viewer=Viewer.system()) if f.type == "AID"}  # type: ignore[arg-type]

    async def received(v: Viewer) -> list[Any]:
        broker = Broker(w.node)
        await broker.start()
        got = []
        stream = broker.subscribe(v, 0).__aiter__()
        # the backlog is complete after 2 s of silence once the fused event has arrived; before it, wait
        # up to 30 s (the first poll and the per-message viewer re-checks are slow on a loaded 2-core box)
        try:
            while True:
                waiting = not any(c.kind == "fused_events" and c.object_id == aid_id for c in got)
                got.append(await asyncio.wait_for(stream.__anext__(), 30.0 if waiting else 2.0))
        except TimeoutError:
            pass
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
            await broker.stop()
        return got

    for user, seen in (("budi", frozenset({1, 2, 3})), ("citra", frozenset({2})), ("ana", frozenset({0, 1, 2, 3}))):
        v = identity.viewer_for_username(w.node, user)
        want, want_incs = w.oracle(seen)
        got = asyncio.run(received(v))
        fused = [c for c in got if c.kind == "fused_events" and c.object_id == aid_id]
        assert fused and all(c.payload["grade"] == want["grade"] for c in fused), user
        assert all((c.payload["date_start"], c.payload["reports"]) == (want["date"]["start"], len(seen)) for c in fused)
        if seen != frozenset(HAPPENING):  # a change that leaves the view as it was is not sent again
            assert len({json.dumps(c.payload, sort_keys=True) for c in fused}) == len(fused)
        incs = {c.payload["provision_id"] for c in got if c.kind == "incidents"}
        assert incs == set(want_incs), user
        assert all(json.loads(c.data)["marking"] == max((ms[i]["tlp"] for i in seen),
                                                        key=lambda t: RESTRICTIVENESS[TLP.parse(t)])
                   for c in fused)
