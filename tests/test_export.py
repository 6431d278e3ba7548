"""JSON and CSV exports of the knowledge base."""

from __future__ import annotations

import csv
import io
import json

import pytest
from kb_corpus import ALL, save

from pantau.services import kb
from pantau.services.access import Viewer
from pantau.services.export import export


def test_json_and_csv_exports(store) -> None:  # type: ignore[no-untyped-def]
    for r in ALL:
        save(store, r)
    kb.fuse(store)
    doc = json.loads(export(store, "json", viewer=Viewer.system()))
    assert doc["schema"] == "pantau.kb/1"
    aid = next(f for f in doc["fused_events"] if f["type"] == "AID")
    assert aid["grade"] == "B2" and aid["confidence"] == 70 and len(aid["evidence"]) == 3
    assert {i["provision_id"] for i in doc["incidents"]} >= {"unscr-1874-9"}
    rows = list(csv.DictReader(io.StringIO(export(store, "csv", viewer=Viewer.system()))))
    assert len(rows) == 3
    row = next(r for r in rows if r["type"] == "AID")
    assert row["reports"] == "3" and row["independent_reports"] == "2"
    assert "1500 troops (Yonhap)" in row["quantities"] and "3000 troops (Kompas)" in row["quantities"]
    assert "possible violation of UNSCR 1874 para 9 [new]" in row["incidents"]
    only = json.loads(export(store, "json", type="CONSULT", viewer=Viewer.system()))
    assert {f["type"] for f in only["fused_events"]} == {"CONSULT"} and only["incidents"] == []
    with pytest.raises(ValueError):
        export(store, "xml", viewer=Viewer.system())
