"""Property test over the real read paths: random markings and release lists on a real store, and
every path (event list, single event, documents, search, timeline and graph counts, TAXII, the
stream's change log) returns exactly what the TLP 2.0 rules allow each user — no more, no less."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sharing_world import build_world

from pantau.exc import NotFound
from pantau.model.markings import TLP
from pantau.services import identity, reads, taxii
from pantau.services.access import Viewer
from pantau.services.sharing import share
from pantau.services.stream import may_see_change, read_changes

USERS = ["ana", "dewi", "budi", "citra"]
ORG_OF = {"ana": "kemlu", "dewi": "kemlu", "budi": "bais", "citra": "mitra"}
MEMBERS = {"kemlu", "bais"}
GROUP = {"desk-korea": {"bais"}}


def allowed(user: str, m: dict) -> bool:
    org = ORG_OF[user]
    t = m["tlp"]
    if t == "CLEAR":
        return True
    if t == "GREEN":
        return org in MEMBERS or org == "kemlu"
    if t == "AMBER":
        return org == "kemlu" or org in m["orgs"] or any(org in GROUP[g] for g in m["groups"])
    if t == "AMBER+STRICT":
        return org == "kemlu"
    return user in m["users"] or user == "ana"  # RED: the named users and the analyst who marked it


markings = st.fixed_dictionaries({
    "tlp": st.sampled_from([t.value for t in TLP]),
    "orgs": st.lists(st.sampled_from(["bais", "mitra"]), unique=True),
    "groups": st.lists(st.just("desk-korea"), unique=True),
    "users": st.lists(st.sampled_from(USERS), unique=True),
})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("paths")
    w = build_world(f"sqlite:///{tmp / 'store.db'}", tmp)
    yield w
    w.node.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ms=st.lists(markings, min_size=5, max_size=5))
def test_every_read_path_agrees_with_the_rules(world, ms) -> None:
    node = world.node
    ana = identity.viewer_for_username(node, "ana")
    for eid, did, m in zip(world.events, world.documents, ms, strict=True):
        for kind, oid in (("events", eid), ("documents", did)):
            share(node, kind, oid, m["tlp"], orgs=m["orgs"], groups_=m["groups"],
                  users_=m["users"] if m["tlp"] == "RED" else [], actor=ana)
    viewers: dict[str, Viewer] = {u: identity.viewer_for_username(node, u) for u in USERS}
    with node.engine.connect() as conn:
        changes = read_changes(conn, 0, limit=100_000)
        latest = {c.object_id: c for c in changes if c.kind == "events"}
        for user, v in viewers.items():
            want = {eid for eid, m in zip(world.events, ms, strict=True) if allowed(user, m)}
            got = {e["id"] for e in reads.list_events(conn, v, limit=100)["items"]}
            assert got == want, (user, ms)
            for eid in world.events:
                try:
                    reads.get_event(conn, v, eid)
                    assert eid in want
                except NotFound:
                    assert eid not in want
            docs = {d["id"] for d in reads.list_documents(conn, v, limit=100)["items"]}
            assert docs == {did for did, m in zip(world.documents, ms, strict=True) if allowed(user, m)}
            assert sum(r["events"] for r in reads.timeline(conn, v)) == len(want)
            assert sum(e["events"] for e in reads.graph(conn, v)["edges"]) <= len(want)
            assert {e["id"] for e in reads.search(conn, v, "Korea")["events"]} <= want
            coll = taxii.get_collection(conn, v, "all")
            n_reports = sum(1 for e in taxii.entries(node, conn, v, coll) if e.obj["type"] == "report")
            assert n_reports == len(want)
            # the stream shows the latest state of each event to exactly the same viewers
            seen = {int(k) for k, c in latest.items() if may_see_change(_text(v), c)}
            assert seen == want


def _text(v: Viewer) -> Viewer:
    from pantau.services.sharing import text_viewer

    return text_viewer(v)
