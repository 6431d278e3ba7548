"""Two nodes on loopback: node B pulls from node A's TAXII server what A released to B, keeps its
provenance and marking, and never shows it beyond that marking."""

from __future__ import annotations

import httpx
import pytest
from sharing_world import extraction, live_server
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.exc import AccessDenied
from pantau.services import identity
from pantau.services.federation import pull, pulled
from pantau.services.federation_kb import pantau_event
from pantau.services.publish import publish_extraction
from pantau.services.sharing import share
from pantau.web.app import create_app


def _report(world, tlp: str, text: str, **rel) -> int:
    ana = identity.viewer_for_username(world.node, "ana")
    return publish_extraction(world.node, ana, text, extraction(text, "AID", "PRK", "RUS", "2024-12-01"),
                              tlp=tlp, **rel).events[0]


def test_two_nodes_exchange_events_within_their_markings(node_a, node_b, tmp_path, monkeypatch) -> None:
    released = _report(node_a, "AMBER", "Korea Utara memasok peluru artileri ke Rusia lewat jalur kereta.",
                       orgs=["node-b"])
    held = _report(node_a, "AMBER", "North Korean engineers were seen at a Russian drone plant in December.")
    with live_server(create_app(node_a.node)) as base_a:
        # the CLI path: add the partner and pull
        monkeypatch.setenv("PANTAU_DB_URL", node_b.url)
        monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path / "b"))
        runner = CliRunner()
        r = runner.invoke(build_app(), ["partners", "add", "alpha", f"{base_a}/taxii2/",
                                        "--token", node_a.tokens["b-sync"], "--for", "tim"])
        assert r.exit_code == 0, r.output
        r = runner.invoke(build_app(), ["partners", "pull", "alpha"])
        assert r.exit_code == 0, r.output
        assert "new (AMBER" in r.output and "CLEAR" in r.output

        tia = identity.viewer_for_username(node_b, "tia")
        lia = identity.viewer_for_username(node_b, "lia")
        got = pulled(node_b, tia)
        reports = {pantau_event(o["object"])["evidence"][0]: o for o in got if o["stix_type"] == "report"}
        # what A released to B (the CLEAR report of the world and the AMBER one released to node-b) arrived
        assert any("peluru artileri" in k for k in reports)
        assert any("Menteri Luar Negeri Indonesia" in k for k in reports)
        assert not any("drone plant" in k for k in reports)  # AMBER, not released to B
        assert not any("pact" in k for k in reports)  # GREEN: B is not a member on A
        assert {o["partner"] for o in got} == {"alpha"}
        amber = next(o for k, o in reports.items() if "peluru" in k)
        assert amber["marking"] == "AMBER"
        # on B, the AMBER object reaches only the organisation we pulled for; CLEAR reaches everyone
        seen_by_lia = {o["stix_id"] for o in pulled(node_b, lia)}
        assert amber["stix_id"] not in seen_by_lia and len(seen_by_lia) > 0
        with pytest.raises(AccessDenied):
            share(node_b, "pulled_objects", amber["id"], "CLEAR", actor=tia)

        # a second pull brings nothing new; a later release does arrive
        assert pull(node_b, "alpha").stored == 0
        ana = identity.viewer_for_username(node_a.node, "ana")
        share(node_a.node, "events", held, "AMBER", orgs=["node-b"], actor=ana)
        again = pull(node_b, "alpha")
        assert again.by_marking.get("AMBER", 0) >= 1
        events_b = [pantau_event(o["object"]) for o in pulled(node_b, tia) if o["stix_type"] == "report"]
        late = [e for e in events_b if e["trigger"] == "engineers"]
        # the event was released, its source document was not: it arrives without the quote
        assert len(late) == 1 and not late[0].get("evidence")

        # node B re-serves over its own TAXII only within the marking: lia's token does not get it
        _, tok_tia = identity.create_token(node_b, "tia")
        _, tok_lia = identity.create_token(node_b, "lia")
        with live_server(create_app(node_b)) as base_b:
            def ids(token: str) -> set[str]:
                h = {"Accept": "application/taxii+json;version=2.1"}
                cols = httpx.get(f"{base_b}/taxii2/api/collections/", auth=("x", token), headers=h).json()
                everything = next(c for c in cols["collections"] if c["title"] == "Everything you may see")
                env = httpx.get(f"{base_b}/taxii2/api/collections/{everything['id']}/objects/",
                                auth=("x", token), headers=h).json()
                return {o["id"] for o in env.get("objects", [])}

            assert amber["stix_id"] in ids(tok_tia)
            assert amber["stix_id"] not in ids(tok_lia)
    assert released
