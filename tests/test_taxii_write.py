"""TAXII 2.1 writes, driven by `taxii2-client`: an analyst posts an envelope, gets a status resource
(kept, and shown to its organisation only), bad objects are failures in the status, posted reports
become documents fusion takes in, a revoked version removes them; a viewer may not write."""

from __future__ import annotations

import httpx
import pytest
from sharing_world import build_world, live_server
from taxii2client.exceptions import AccessError
from taxii2client.v21 import Server

from pantau.interop.stix_share import PANTAU_EXTENSION
from pantau.model.markings import TLP, TLP_IDS
from pantau.services import identity
from pantau.services.reads import list_documents
from pantau.web.app import create_app

TAXII = "application/taxii+json;version=2.1"
REPORT_ID = "report--6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"
QUOTE = "Sebuah kapal tanker Korea Utara menerima minyak dari kapal lain di Laut Kuning pada Mei 2024."


def _report(modified: str, **extra) -> dict:
    return {"type": "report", "spec_version": "2.1", "id": REPORT_ID, "created": "2024-06-01T00:00:00.000Z",
            "modified": modified, "name": "ship-to-ship transfer", "published": "2024-06-01T00:00:00.000Z",
            "report_types": ["threat-report"], "object_refs": ["identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"],
            "object_marking_refs": [TLP_IDS[TLP.AMBER]],
            "external_references": [{"source_name": "NK Pro", "url": "https://example.org/nkpro/1"}],
            "extensions": {PANTAU_EXTENSION: {"extension_type": "property-extension", "type": "AID",
                                              "source": ["RUS"], "target": ["PRK"], "date_start": "2024-05-01",
                                              "date_end": "2024-05-31", "evidence": [QUOTE]}}, **extra}


@pytest.fixture
def served(tmp_path):
    w = build_world(f"sqlite:///{tmp_path / 'store.db'}", tmp_path)
    with live_server(create_app(w.node)) as base:
        yield w, base
    w.node.close()


def _all(base: str, token: str):
    root = Server(base + "/taxii2/", user="x", password=token).default
    return root, next(c for c in root.collections if c.title == "Everything you may see")


def _budi_docs(w) -> list[dict]:
    v = identity.viewer_for_username(w.node, "budi")
    with w.node.engine.connect() as conn:
        return [d for d in list_documents(conn, v, limit=500)["items"] if (d["source"] or "").startswith("partner:")]


def test_analyst_adds_objects_and_reads_the_status(served) -> None:
    w, base = served
    root, coll = _all(base, w.tokens["budi"])
    assert coll.can_write
    bad = {"type": "note", "id": "note--" + "x" * 300}
    status = coll.add_objects({"objects": [_report("2024-06-01T00:00:00.000Z"), bad]})
    assert status.status == "complete" and status.success_count == 1 and status.failure_count == 1
    assert status.failures[0]["id"].startswith("note--")
    again = root.get_status(status.id)
    assert again.success_count == 1
    # the status is budi's organisation's: ana (another organisation) gets 404
    r = httpx.get(f"{base}/taxii2/api/status/{status.id}/", auth=("x", w.tokens["ana"]), headers={"Accept": TAXII})
    assert r.status_code == 404
    # the report became a document owned by bais, under its AMBER marking; ana (kemlu) does not see it
    docs = _budi_docs(w)
    assert len(docs) == 1 and docs[0]["marking"] == "AMBER" and docs[0]["publisher"] == "NK Pro"
    ana = identity.viewer_for_username(w.node, "ana")
    with w.node.engine.connect() as conn:
        assert not [d for d in list_documents(conn, ana, limit=500)["items"] if d["id"] == docs[0]["id"]]
    # the posted object is served back to budi over TAXII
    assert REPORT_ID in {o["id"] for o in coll.get_objects().get("objects", [])}
    # a revoked version removes it
    status = coll.add_objects({"objects": [_report("2024-06-02T00:00:00.000Z", revoked=True)]})
    assert status.success_count == 1 and _budi_docs(w) == []


def test_viewer_may_not_write(served) -> None:
    w, base = served
    _, coll = _all(base, w.tokens["dewi"])
    assert not coll.can_write
    with pytest.raises(AccessError):
        coll.add_objects({"objects": [_report("2024-06-01T00:00:00.000Z")]})
    r = httpx.post(f"{base}/taxii2/api/collections/{coll.id}/objects/", auth=("x", w.tokens["dewi"]),
                   headers={"Accept": TAXII, "Content-Type": TAXII}, json={"objects": []})
    assert r.status_code == 403
    _, coll = _all(base, w.tokens["budi"])
    r = httpx.post(f"{base}/taxii2/api/collections/{coll.id}/objects/", auth=("x", w.tokens["budi"]),
                   headers={"Accept": TAXII, "Content-Type": TAXII}, content=b"{not json")
    assert r.status_code == 400
    r = httpx.post(f"{base}/taxii2/api/collections/{coll.id}/objects/", auth=("x", w.tokens["budi"]),
                   headers={"Accept": TAXII, "Content-Type": TAXII}, json={"no": "objects"})
    assert r.status_code == 422
