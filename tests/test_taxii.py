"""TAXII 2.1, driven by the official `taxii2-client` (SQLite and PostgreSQL stores); every served object
passes `stix2-validator`."""

from __future__ import annotations

import httpx
import pytest
import requests
from sharing_world import EXPECTED, REPORTS, build_world, live_server
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import Server, as_pages

from pantau.model.markings import TLP, TLP_IDS
from pantau.services.federation_kb import pantau_event
from pantau.web.app import create_app

TAXII = "application/taxii+json;version=2.1"


@pytest.fixture
def node_url(store_url, tmp_path):
    world = build_world(store_url, tmp_path)
    with live_server(create_app(world.node)) as base:
        yield world, base
    world.node.close()


def server(base: str, token: str) -> Server:
    return Server(base + "/taxii2/", user="x", password=token)


def reports_of(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o["type"] == "report"]


def test_discovery_roots_and_collections(node_url) -> None:
    world, base = node_url
    srv = server(base, world.tokens["budi"])
    assert srv.title == "pantau sharing node"
    root = srv.default
    assert root.versions == [TAXII]
    titles = {c.title for c in root.collections}
    assert {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED", "Shared with bais"} <= titles
    assert "Shared with kemlu" not in titles  # another organisation's partner collection is not listed
    assert all(c.can_read for c in root.collections)
    assert {c.title for c in root.collections if c.can_write} == {"Everything you may see"}  # budi is an analyst


def test_every_user_gets_only_visible_objects_and_they_validate(node_url) -> None:
    world, base = node_url
    opts = ValidationOptions(version="2.1", strict=True)
    for user, token in world.tokens.items():
        root = server(base, token).default
        everything = next(c for c in root.collections if c.title == "Everything you may see")
        objects = [o for env in as_pages(everything.get_objects, per_request=3) for o in env.get("objects", [])]
        reports = reports_of(objects)
        assert len(reports) == len(EXPECTED[user]), user
        assert {pantau_event(r)["date_start"] for r in reports} == {REPORTS[i][5] for i in EXPECTED[user]}
        for o in objects:
            result = validate_instance(o, opts)
            assert result.is_valid, (o["id"], [str(e) for e in result.errors])
        # per-marking collections hold only objects of that marking
        for tlp in TLP:
            coll = next(c for c in root.collections if c.title == f"TLP:{tlp.value}")
            got = reports_of(coll.get_objects().get("objects", []))
            assert all(r["object_marking_refs"] == [TLP_IDS[tlp]] for r in got)
            assert len(got) == len([i for i in EXPECTED[user] if REPORTS[i][0] == tlp.value]), (user, tlp)


def test_filters_manifest_versions_and_headers(node_url) -> None:
    world, base = node_url
    root = server(base, world.tokens["dewi"]).default
    coll = next(c for c in root.collections if c.title == "Everything you may see")
    manifest = coll.get_manifest()
    assert {m["media_type"] for m in manifest["objects"]} == {"application/stix+json;version=2.1"}
    reports = reports_of(coll.get_objects(type="report")["objects"])
    assert len(reports) == 5
    assert {o["type"] for o in coll.get_objects(type="identity")["objects"]} == {"identity"}
    one = reports[2]
    got = coll.get_object(one["id"])["objects"]
    assert [o["id"] for o in got] == [one["id"]]
    assert coll.get_object(one["id"], version=one["modified"])["objects"][0]["id"] == one["id"]
    assert coll.object_versions(one["id"])["versions"] == [one["modified"]]
    dates = sorted(m["date_added"] for m in manifest["objects"])
    later = coll.get_objects(added_after=dates[0])
    assert len(later.get("objects", [])) < len(manifest["objects"])
    # raw HTTP: media type and the X-TAXII-Date-Added headers
    auth = ("x", world.tokens["dewi"])
    r = httpx.get(f"{base}/taxii2/api/collections/{coll.id}/objects/", auth=auth, headers={"Accept": TAXII})
    assert r.headers["content-type"] == TAXII
    assert r.headers["X-TAXII-Date-Added-First"] == dates[0]
    assert r.headers["X-TAXII-Date-Added-Last"] == dates[-1]
    r = httpx.get(f"{base}/taxii2/api/collections/{coll.id}/objects/", auth=auth, headers={"Accept": "text/html"})
    assert r.status_code == 406
    assert httpx.get(f"{base}/taxii2/", headers={"Accept": TAXII}).status_code == 401


def test_hidden_objects_do_not_exist(node_url) -> None:
    world, base = node_url
    dewi = server(base, world.tokens["dewi"]).default
    red = reports_of(next(c for c in dewi.collections if c.title == "TLP:RED").get_objects()["objects"])[0]
    citra = server(base, world.tokens["citra"]).default
    coll = next(c for c in citra.collections if c.title == "Everything you may see")
    with pytest.raises(requests.HTTPError) as hidden:
        coll.get_object(red["id"])
    with pytest.raises(requests.HTTPError) as missing:
        coll.get_object("report--00000000-0000-4000-8000-000000000000")
    # 404 for citra, exactly as for an id that never existed
    assert hidden.value.response.status_code == missing.value.response.status_code == 404
    assert coll.get_manifest(id=red["id"]).get("objects") is None


@pytest.mark.parametrize("query", ["added_after=yesterday", "match[version]=zzz", "next=abc",
                                   "added_after=2024-13-45T00:00:00Z", "limit=-1"])
def test_bad_filters_are_400s_naming_the_parameter(node_url, query: str) -> None:
    world, base = node_url
    coll = next(c for c in server(base, world.tokens["dewi"]).default.collections)
    res = requests.get(f"{coll.url}objects/?{query}", headers={"Accept": TAXII},
                       auth=("x", world.tokens["dewi"]), timeout=30)
    assert res.status_code in (400, 422), (query, res.status_code, res.text)
    assert query.split("=")[0] in res.text
