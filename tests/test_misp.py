"""MISP: the export is PyMISP events with `tlp` and `admiralty-scale` taxonomy tags (incidents and
their notes included); MISP files and feed folders import as marked documents that fusion takes in;
`misp-stix` converts the STIX export without dropping an object type."""

from __future__ import annotations

import json
from pathlib import Path

from kb_corpus import ALL, save
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.services import identity, kb
from pantau.services.access import Viewer
from pantau.services.export import export
from pantau.services.misp_import import import_misp
from pantau.services.node import Node
from pantau.services.reads import list_documents


def _kb(store) -> None:  # type: ignore[no-untyped-def]
    for r in ALL:
        save(store, r)
    kb.fuse(store)


def test_misp_export_tags_and_incidents(store) -> None:  # type: ignore[no-untyped-def]
    from pymisp import MISPEvent

    _kb(store)
    data = json.loads(export(store, "misp", viewer=Viewer.system()))
    events = []
    for item in data["response"]:
        e = MISPEvent()
        e.load(item)
        events.append(e)
    assert len(events) == 3
    aid = next(e for e in events if 'pantau:plover-type="AID"' in {t.name for t in e.tags})
    tags = {t.name for t in aid.tags}
    assert 'admiralty-scale:source-reliability="b"' in tags and 'admiralty-scale:information-credibility="2"' in tags
    assert any(t.startswith("tlp:") for t in tags)
    texts = [a.value for a in aid.attributes if a.type == "text"]
    assert any("UNSCR 1874 para 9" in t for t in texts)  # the incident
    assert sum(a.type == "text" and a.category == "External analysis" for a in aid.attributes) == 3
    again = json.loads(export(store, "misp", viewer=Viewer.system()))
    assert [e["Event"]["uuid"] for e in again["response"]] == [e["Event"]["uuid"] for e in data["response"]]


def _event(uuid: str, info: str, tlp: str | None, text: str) -> dict:
    tags = [{"name": f"tlp:{tlp}"}] if tlp else []
    return {"Event": {"uuid": uuid, "info": info, "date": "2024-03-05", "threat_level_id": "2", "analysis": "1",
                      "distribution": "1", "Orgc": {"name": "CIRCL"}, "Tag": tags,
                      "Attribute": [{"type": "text", "category": "External analysis", "value": text,
                                     "uuid": uuid[:-1] + "f", "to_ids": False}]}}


def test_misp_import_file_and_feed(tmp_path: Path) -> None:
    node = Node.open(f"sqlite:///{tmp_path / 'store.db'}", data_dir=tmp_path)
    try:
        identity.add_org(node, "kemlu", "Kementerian Luar Negeri")
        identity.add_org(node, "bais", "Badan Intelijen Strategis")
        identity.add_user(node, "ana", "kemlu", role="analyst")
        identity.add_user(node, "budi", "bais", role="analyst")
        one = tmp_path / "one.json"
        one.write_text(json.dumps(_event("5b1f8f53-3c4e-4a63-9a55-2f1c0f7d2e10", "Tanker transfer", "red",
                                         "North Korea received refined oil from a Russian tanker in March 2024.")))
        feed = tmp_path / "feed"
        feed.mkdir()
        ids = ["5b1f8f53-3c4e-4a63-9a55-2f1c0f7d2e20", "5b1f8f53-3c4e-4a63-9a55-2f1c0f7d2e30"]
        (feed / "manifest.json").write_text(json.dumps({u: {"info": "x"} for u in ids}))
        (feed / f"{ids[0]}.json").write_text(json.dumps(_event(ids[0], "Troops", "amber",
                                                               "North Korea sent troops to Russia in October 2024.")))
        (feed / f"{ids[1]}.json").write_text(json.dumps(_event(ids[1], "Meeting", None,
                                                               "Officials of Indonesia and South Korea met in Jakarta.")))
        ana = identity.viewer_for_username(node, "ana")
        r1 = import_misp(node, ana, one)
        r2 = import_misp(node, ana, feed)
        assert r1.by_marking == {"RED": 1} and r2.by_marking == {"AMBER": 2}  # no tag: AMBER
        assert import_misp(node, ana, feed).duplicates == 2
        with node.engine.connect() as conn:
            mine = list_documents(conn, ana, limit=50)["items"]
            theirs = list_documents(conn, identity.viewer_for_username(node, "budi"), limit=50)["items"]
        assert {d["publisher"] for d in mine} == {"CIRCL"} and len(mine) == 3
        assert {d["source"] for d in mine} == {f"misp:{u}" for u in ["5b1f8f53-3c4e-4a63-9a55-2f1c0f7d2e10", *ids]}
        assert theirs == []  # AMBER and RED stay with kemlu
        bad = tmp_path / "bad.json"
        bad.write_text('{"Event": {"no": "info"}}')
        res = CliRunner().invoke(build_app(), ["--db", node.url, "misp-import", str(bad)])
        assert res.exit_code == 1 and "not a MISP event" in res.output and "Traceback" not in res.output
    finally:
        node.close()


def test_misp_stix_converts_the_export(store) -> None:  # type: ignore[no-untyped-def]
    import misp_stix_converter
    import stix2

    _kb(store)
    bundle = json.loads(export(store, "stix", viewer=Viewer.system()))
    parser = misp_stix_converter.ExternalSTIX2toMISPParser()
    parser.load_stix_bundle(stix2.parse(bundle, allow_custom=True))
    parser.parse_stix_bundle()
    events = [json.loads(e.to_json()) for e in parser.misp_events]
    dumped = json.dumps(events)
    objs = bundle["objects"]
    reports = [o for o in objs if o["type"] == "report"]
    assert len(events) == len(reports) == 3  # one MISP event per report
    referenced = {r for o in reports for r in o["object_refs"]} | {r for o in objs for r in o.get("object_refs", [])
                                                                    if o["type"] == "note"}
    # every report, note, location and referenced identity arrives, by its id
    for o in objs:
        if o["type"] in ("report", "note", "location") or (o["type"] == "identity" and o["id"] in referenced):
            assert o["id"].split("--")[1] in dumped, (o["type"], o.get("name"))
    # relationships become object references, markings become tlp tags, the node its creator
    rels = [o for o in objs if o["type"] == "relationship"]
    assert rels and dumped.count('"relationship_type"') >= len(rels)
    used = {o["object_marking_refs"][0] for o in reports}
    names = {o["id"]: o["name"].lower() for o in objs if o["type"] == "marking-definition"}
    assert all(names[m] in dumped.lower() for m in used)
    node = next(o["name"] for o in objs if o["type"] == "identity" and o["id"] == reports[0]["created_by_ref"])
    assert node in dumped


def test_cli_export_misp_with_limit(tmp_path: Path) -> None:
    from pantau.services.store import Store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store:
        _kb(store)
    res = CliRunner().invoke(build_app(), ["--db", url, "export", "--format", "misp", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["response"]) == 1
