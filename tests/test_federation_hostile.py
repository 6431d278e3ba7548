"""A hostile partner (issue 9 item 5): bad objects are skipped one by one with a one-line reason,
answers are size-limited, paging loops stop, discovery and redirects cannot send our credentials
elsewhere, granular markings are honoured, and one bad partner never stops another."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sharing_world import live_server
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.model.markings import TLP, TLP_IDS
from pantau.services import identity
from pantau.services.federation import add_partner, pull, pull_all, pulled, remove_partner
from pantau.services.federation_client import PartnerError
from pantau.services.node import Node

TAXII = "application/taxii+json;version=2.1"
COLL = "c0ffee00-0000-4000-8000-000000000001"


def _id(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def note(text: str, tlp: TLP = TLP.CLEAR, **extra: Any) -> dict[str, Any]:
    return {"type": "note", "spec_version": "2.1", "id": _id("note"), "created": "2024-05-01T00:00:00.000Z",
            "modified": "2024-05-01T00:00:00.000Z", "content": text, "object_refs": [_id("report")],
            "object_marking_refs": [TLP_IDS[tlp]], **extra}


def partner_app(pages: list[dict[str, Any]] | None = None, *, discovery: dict[str, Any] | None = None,
                raw: bytes | None = None, redirect: str | None = None) -> FastAPI:
    """A TAXII server answering the given envelopes in turn (`next` = page index)."""
    app = FastAPI()
    seen: dict[str, Any] = {"auth": []}
    app.state.seen = seen

    def taxii(body: Any) -> JSONResponse:
        return JSONResponse(body, media_type=TAXII)

    @app.get("/taxii2/")
    def disc(request: Request) -> Response:
        seen["auth"].append(request.headers.get("authorization"))
        if redirect:
            return Response(status_code=302, headers={"Location": redirect})
        base = str(request.base_url).rstrip("/")
        return taxii(discovery or {"title": "p", "default": f"{base}/taxii2/api/", "api_roots": [f"{base}/taxii2/api/"]})

    @app.get("/taxii2/api/collections/")
    def cols() -> JSONResponse:
        return taxii({"collections": [{"id": COLL, "title": "feed", "can_read": True, "can_write": False}]})

    @app.get(f"/taxii2/api/collections/{COLL}/objects/")
    def objs(request: Request) -> Response:
        if raw is not None:
            return Response(raw, media_type=TAXII)
        i = int(request.query_params.get("next") or 0)
        return taxii((pages or [{"more": False}])[min(i, len(pages or [1]) - 1)])

    return app


@pytest.fixture
def node(tmp_path):
    n = Node.open(f"sqlite:///{tmp_path / 'store.db'}", data_dir=tmp_path)
    identity.add_org(n, "tim", "The team that pulls")
    identity.add_user(n, "tia", "tim", role="analyst")
    yield n
    n.close()


def test_bad_objects_are_skipped_one_by_one(node) -> None:
    good = note("a good note")
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    bad = [
        note("bad marking refs", object_marking_refs=[{"a": 1}]),
        {**note("long id"), "id": "note--" + "a" * 250},
        note("too deep", x_deep=deep),
        note("a field marked RED in a CLEAR note",
             granular_markings=[{"marking_ref": TLP_IDS[TLP.RED], "selectors": ["content"]}]),
        {**note("bad time"), "modified": "yesterday"},
        "not an object",
        {"type": "note"},
    ]
    granular_ok = note("granular GREEN in an AMBER note", TLP.AMBER,
                       granular_markings=[{"marking_ref": TLP_IDS[TLP.GREEN], "selectors": ["content"]}])
    app = partner_app([{"more": False, "objects": [*bad, good, granular_ok]}])
    with live_server(app) as base:
        add_partner(node, "p", f"{base}/taxii2/", "tok", for_org="tim")
        r = pull(node, "p")
    assert r.stored == 2 and len(r.skipped) == len(bad)
    assert all("\n" not in s and len(s) < 400 for s in r.skipped)
    reasons = " | ".join(r.skipped)
    for word in ("object_marking_refs", "longer than 200", "nested deeper", "stricter than the object",
                 "not a timestamp", "not a JSON object"):
        assert word in reasons, (word, reasons)
    tia = identity.viewer_for_username(node, "tia")
    got = {o["stix_id"]: o for o in pulled(node, tia)}
    assert set(got) == {good["id"], granular_ok["id"]}
    assert got[granular_ok["id"]]["marking"] == "AMBER"


def test_paging_loop_stops(node) -> None:
    loop = {"more": True, "next": "1", "objects": [note("again")]}
    app = partner_app([{"more": True, "next": "1", "objects": [note("first")]}, loop])
    with live_server(app) as base:
        add_partner(node, "p", f"{base}/taxii2/", "tok", for_org="tim")
        r = pull(node, "p")
    assert r.received == 2  # the first page and the page at `next=1`, which names `next=1` again
    assert any("repeated `next`" in w for w in r.warnings)


def test_oversized_answer_is_refused_without_reading_it_whole(node) -> None:
    body = json.dumps({"more": False, "objects": [note("x" * 1000) for _ in range(300)]}).encode()
    with live_server(partner_app(raw=body)) as base:
        add_partner(node, "p", f"{base}/taxii2/", "tok", for_org="tim")
        with pytest.raises(PartnerError, match="over the limit"):
            pull(node, "p", max_bytes=100_000)
        assert pull(node, "p").received == 300  # under the default limit


def test_deep_page_fails_cleanly(node) -> None:
    raw = b'{"more": false, "objects": [' + b"[" * 200_000 + b"]" * 200_000 + b"]}"
    with live_server(partner_app(raw=raw)) as base:
        add_partner(node, "p", f"{base}/taxii2/", "tok", for_org="tim")
        with pytest.raises(PartnerError):
            pull(node, "p")


def test_discovery_to_another_host_and_redirects_are_refused(node) -> None:
    other = {"title": "evil", "default": "http://203.0.113.9/taxii2/api/", "api_roots": ["http://203.0.113.9/taxii2/api/"]}
    with live_server(partner_app(discovery=other)) as base:
        add_partner(node, "p", f"{base}/taxii2/", "tok", for_org="tim")
        with pytest.raises(PartnerError, match="another host"):
            pull(node, "p")
    app = partner_app(redirect="http://203.0.113.9/steal")
    with live_server(app) as base:
        add_partner(node, "q", f"{base}/taxii2/", "tok", for_org="tim")
        with pytest.raises(PartnerError, match="redirect"):
            pull(node, "q")


def test_one_bad_partner_never_stops_another_and_cli_says_one_line(node, tmp_path, monkeypatch) -> None:
    good = note("from the good partner")
    with live_server(partner_app(raw=b"{not json")) as bad_base, \
            live_server(partner_app([{"more": False, "objects": [good]}])) as good_base:
        add_partner(node, "bad", f"{bad_base}/taxii2/", "tok", for_org="tim")
        add_partner(node, "good", f"{good_base}/taxii2/", "tok", for_org="tim")
        add_partner(node, "gone", "http://127.0.0.1:9/taxii2/", "tok", for_org="tim")
        out = {name: (r, err) for name, r, err in pull_all(node)}
        assert out["bad"][0] is None and out["gone"][0] is None
        assert out["good"][0] is not None and out["good"][0].stored == 1
        monkeypatch.setenv("PANTAU_DB_URL", node.url)
        monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
        res = CliRunner().invoke(build_app(), ["partners", "pull"])
        assert res.exit_code == 1
        assert "Traceback" not in res.output and "sqlalchemy" not in res.output.lower()
        lines = [ln for ln in res.output.splitlines() if ln.startswith(("bad:", "gone:"))]
        assert len(lines) == 2 and all("failed" in ln for ln in lines), res.output
        res = CliRunner().invoke(build_app(), ["partners", "check", "good"])
        assert res.exit_code == 0 and "1 readable collection" in res.output, res.output
        res = CliRunner().invoke(build_app(), ["partners", "add", "good", "http://x/", "--token", "t"])
        assert res.exit_code == 1 and "exists" in res.output
    assert remove_partner(node, "good") == 0
    assert [p for p, _, _ in pull_all(node, ["good"])] == ["good"]  # now an unknown partner: an error line
    res = CliRunner().invoke(build_app(), ["partners", "remove", "good"])
    assert res.exit_code == 1 and "no partner" in res.output


def test_db_in_a_missing_folder_is_an_error(tmp_path) -> None:
    res = CliRunner().invoke(build_app(), ["--db", f"sqlite:///{tmp_path / 'typo' / 'store.db'}", "partners", "list"])
    assert res.exit_code == 2 and "does not exist" in res.output
    assert not (tmp_path / "typo").exists()
