"""The knowledge-base commands, end to end on an SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kb_corpus import ALL, save
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.services.access import Viewer
from pantau.services.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
SAMPLES = Path(__file__).resolve().parents[1] / "pantau" / "samples"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with Store(url) as store:
        for r in ALL:
            save(store, r)
    return url


def run(db: str, *args: str) -> str:
    res = CliRunner().invoke(build_app(), ["--db", db, *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_fuse_list_show_and_review(db: str) -> None:
    assert "5 document(s), 5 event(s): 3 new fused event(s), 2 joined" in run(db, "fuse")
    assert "0 document(s)" in run(db, "fuse")
    fused = json.loads(run(db, "fused", "-f", "json"))
    aid = next(f for f in fused if f["type"] == "AID")
    shown = json.loads(run(db, "fused", "show", aid["id"], "-f", "json"))
    assert any("numbers differ, kept side by side" in r for e in shown["evidence"] for r in e["reasons"])
    assert shown["incidents"][0]["title"].startswith("possible violation of UNSCR")
    incs = json.loads(run(db, "incidents", "-f", "json"))
    first = incs[0]["id"]
    assert "under_review" in run(db, "incidents", "review", first, "--status", "under_review", "--note", "cek")
    assert "under_review — cek" in run(db, "incidents", "show", first)
    bad = CliRunner().invoke(build_app(), ["--db", db, "incidents", "review", first, "--status", "bogus"])
    assert bad.exit_code == 2


def test_split_merge_timeline_graph_search_export(db: str, tmp_path: Path) -> None:
    run(db, "fuse")
    aid = next(f for f in json.loads(run(db, "fused", "-f", "json")) if f["type"] == "AID")
    ev = aid["evidence"][-1]["event_id"]
    out = run(db, "fuse", "split", ev, "--note", "beda gelombang")
    new_id = out.split()[-1]
    assert f"fused event {new_id} merged into {aid['id']}" in run(db, "fuse", "merge", aid["id"], new_id)
    tl = json.loads(run(db, "timeline", "KOR", "NATO", "-f", "json"))
    assert [f["date"]["start"] for f in tl] == ["2024-04-01", "2024-07-10"]
    g = json.loads(run(db, "graph", "-f", "json"))
    assert {(e["source"], e["target"]) for e in g["links"]} == {("PRK", "RUS"), ("KOR", "NATO")}
    gml = tmp_path / "g.graphml"
    run(db, "graph", "-f", "graphml", "-o", str(gml))
    assert gml.read_text(encoding="utf-8").startswith("<?xml")
    hits = json.loads(run(db, "search", "Stoltenberg", "-f", "json"))
    assert len(hits) == 1 and hits[0]["events"][0]["type"] == "CONSULT"
    stix = json.loads(run(db, "export", "-f", "stix"))
    assert stix["type"] == "bundle" and any(o["type"] == "note" for o in stix["objects"])
    csv_text = run(db, "export", "-f", "csv", "--type", "CONSULT")
    assert csv_text.count("\n") == 3  # header + two meetings


def test_show_document_lists_fusion(db: str) -> None:
    run(db, "fuse")
    out = run(db, "show", "2")
    assert "Fusion" in out and "same type AID" in out


def test_bench_kb_small(tmp_path: Path) -> None:
    out = CliRunner().invoke(build_app(), ["bench", "kb", "-n", "400", "--repeat", "1"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "events/s" in out.output and "indexed select" in out.output and "timeline pair" in out.output


def test_seeds_and_samples_give_one_event_per_happening(tmp_path: Path) -> None:
    """The troop deployment reported by a seed article and a sample is one fused event with an incident."""
    assert SEEDS.is_dir(), f"{SEEDS} not present (../shared must be beside the checkout)"
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        store.ingest([str(SEEDS), str(SAMPLES)])  # ingest fuses the new documents
        from pantau.services.kbquery import list_fused, list_incidents

        fused = list_fused(store, limit=None, viewer=Viewer.system())
        troops = [f for f in fused if f.type == "AID" and "PRK" in f.source_roots and "RUS" in f.target_roots
                  and any(q.unit == "troops" for q in f.quantities)]
        assert len(troops) == 1
        assert len({e.doc_id for e in troops[0].evidence}) >= 2
        incs = {i.provision_id for i in list_incidents(store, limit=None, viewer=Viewer.system()) if i.fused_event_id == troops[0].id}
        assert "unscr-1874-9" in incs
        # fused events never hold two reports from the same document for different happenings
        for f in fused:
            assert len(f.evidence) == len({(e.doc_id, e.event_id) for e in f.evidence})
