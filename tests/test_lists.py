"""Sanctions-list loaders on fixtures in each list's published format; FtM entities in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.exc import InputError
from pantau.services import sanctions_lists as sl
from pantau.services.store import Store

LISTS = Path(__file__).parent / "data" / "lists"


@pytest.mark.parametrize(("name", "fmt", "expect"), [
    ("un_consolidated.xml", "un", {"Person": 2, "Organization": 2, "Vessel": 3, "Sanction": 7}),
    ("ofac_sdn.xml", "ofac", {"Person": 2, "Organization": 1, "Vessel": 1, "Sanction": 4}),
    ("ofac_sdn.csv", "ofac", {"Person": 1, "Organization": 1, "Vessel": 1, "Sanction": 3}),
    ("eu_consolidated.xml", "eu", {"Person": 1, "Organization": 1, "Vessel": 1, "Sanction": 3}),
    ("uk_conlist.csv", "uk", {"Person": 1, "Organization": 1, "Vessel": 2, "Sanction": 4}),
])
def test_each_loader_reads_its_format(name: str, fmt: str, expect: dict[str, int]) -> None:
    ents = sl.read(name, (LISTS / name).read_bytes(), fmt)
    got: dict[str, int] = {}
    for e in ents:
        got[e.schema.name] = got.get(e.schema.name, 0) + 1
    assert got == expect
    vessels = [e for e in ents if e.schema.name == "Vessel"]
    assert all(e.get("imoNumber") for e in vessels)  # every vessel keeps its IMO number
    sanctions = [e for e in ents if e.schema.name == "Sanction"]
    ids = {e.id for e in ents}
    assert all(s.get("entity")[0] in ids and s.get("program") for s in sanctions)


def test_details_survive() -> None:
    ents = sl.read("un", (LISTS / "un_consolidated.xml").read_bytes(), "un")
    un = {e.caption: e for e in ents if e.schema.name != "Sanction"}
    assert un["YU JONG 2"].get("imoNumber") == ["IMO8604917"]
    assert "Jang Pom Su" in un["JANG BOM SU"].get("alias")
    san = next(e for e in ents if e.schema.name == "Sanction" and e.get("entity") == [un["YU JONG 2"].id])
    assert san.get("listingDate") == ["2018-03-30"] and san.get("authority") == ["United Nations Security Council"]
    uk = {e.caption: e for e in sl.read("uk", (LISTS / "uk_conlist.csv").read_bytes(), "uk") if e.schema.name != "Sanction"}
    assert uk["CHOL NAM PAK"].get("alias") == ["CHUL NAM PARK"]  # the AKA row of the same group
    assert uk["SAMUDERA JAYA"].get("imoNumber") == ["IMO9123453"]


def test_wrong_format_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not well-formed XML"):
        sl.read("uk_conlist.csv", (LISTS / "uk_conlist.csv").read_bytes(), "un")
    with pytest.raises(InputError, match="not a UN consolidated list"):
        sl.read("eu.xml", (LISTS / "eu_consolidated.xml").read_bytes(), "un")
    with pytest.raises(InputError, match="not a UK OFSI"):
        sl.read("x.csv", b"a,b\n1,2\n", "uk")
    with pytest.raises(InputError, match="unknown list format"):
        sl.read("x", b"", "jp")


def test_store_counts_replace_and_export(store: Store) -> None:
    sl.load(store, LISTS / "un_consolidated.xml", "un")
    sl.load(store, LISTS / "uk_conlist.csv", "uk")
    sl.load(store, LISTS / "un_consolidated.xml", "un")  # a reload replaces, never doubles
    counts = {c["list"]: c for c in sl.counts(store)}
    assert counts["un"]["parties"] == 7 and counts["un"]["Vessel"] == 3 and counts["uk"]["parties"] == 4
    lines = list(sl.export_jsonl(store, "un"))
    assert len(lines) == 14
    from followthemoney import model

    for line in lines:
        e = model.get_proxy(json.loads(line))  # valid FtM entities
        assert e.schema.name in ("Person", "Organization", "Vessel", "Sanction")


def test_sync_offline_is_a_clear_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sl.OFFICIAL, "un", "http://127.0.0.1:9/consolidated.xml")
    with pytest.raises(InputError, match="cannot download the un list"):
        sl.sync(store, ["un"], timeout=2)
    assert sl.counts(store) == []


def test_cli(tmp_path: Path) -> None:
    from pantau.cli.main import build_app

    db = f"sqlite:///{tmp_path / 'l.db'}"
    app, run = build_app(), CliRunner()
    r = run.invoke(app, ["--db", db, "lists", "load", str(LISTS / "eu_consolidated.xml"), "--format", "eu"])
    assert r.exit_code == 0, r.output
    r = run.invoke(app, ["--db", db, "lists", "--format", "json"])
    assert json.loads(r.stdout)[0]["parties"] == 3
    r = run.invoke(app, ["--db", db, "lists", "load", str(LISTS / "eu_consolidated.xml"), "--format", "uk"])
    assert r.exit_code == 1 and "not a UK OFSI" in r.output
    r = run.invoke(app, ["--db", db, "lists", "match", "Rhee Su-yong", "--kind", "person", "--format", "json"])
    assert json.loads(r.stdout)[0]["caption"] == "Ri Su Yong"
