"""A document posted through `POST /api/documents` is fused like an ingested one (off the request):
it shows in `/api/fused` and the change log (what the live stream sends) announces the fused event."""

from __future__ import annotations

import httpx
import sqlalchemy as sa
from sharing_world import build_world, live_server

from pantau.services import fusion_queue
from pantau.storage.share_tables import change_log
from pantau.web.app import create_app

TEXT = ("PYONGYANG (Reuters) - North Korea shipped thousands of artillery shells to Russia by rail "
        "in March 2024, according to officials in Seoul.")


def test_posted_document_is_fused_and_announced(tmp_path) -> None:
    w = build_world(f"sqlite:///{tmp_path / 'store.db'}", tmp_path)
    try:
        with live_server(create_app(w.node)) as base:
            api = httpx.Client(base_url=base + "/api", headers={"Authorization": f"Bearer {w.tokens['budi']}"},
                               timeout=30)
            r = api.post("/documents", json={"text": TEXT, "tlp": "AMBER", "publisher": "Reuters"})
            assert r.status_code == 201, r.text
            doc, events = r.json()["document_id"], r.json()["events"]
            assert events, "the pipeline read no event from the test text"
            assert fusion_queue.wait(w.node, 300)  # fusion runs off the request
            fused = api.get("/fused", params={"limit": 100}).json()
            items = fused["items"] if isinstance(fused, dict) else fused
            assert any(str(doc) in {str(e.get("doc_id")) for e in f.get("evidence", [])} for f in items), items
            with w.node.engine.connect() as conn:
                kinds = {k for (k,) in conn.execute(sa.select(change_log.c.object_kind))}
            assert "fused_events" in kinds
            api.close()
    finally:
        w.node.close()
