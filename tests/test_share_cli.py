"""The sharing node's commands: orgs, groups, users, tokens, share, audit verify (on SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from sharing_world import extraction
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.services import identity
from pantau.services.node import Node
from pantau.services.publish import publish_extraction
from pantau.storage.share_tables import audit_log


def test_identity_share_and_audit_commands(store_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PANTAU_DB_URL", store_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    run = CliRunner()
    app = build_app()

    def ok(*args: str) -> str:
        r = run.invoke(app, list(args))
        assert r.exit_code == 0, (args, r.output)
        return r.output

    ok("orgs", "add", "kemlu", "--name", "Kementerian Luar Negeri")
    ok("orgs", "add", "mitra", "--guest")
    assert "mitra\tguest" in ok("orgs", "list")
    ok("groups", "add", "desk-korea", "kemlu", "mitra")
    ok("users", "add", "ana", "--org", "kemlu", "--role", "analyst")
    ok("users", "add", "citra", "--org", "mitra", "--role", "viewer")
    assert run.invoke(app, ["users", "add", "x", "--org", "kemlu", "--role", "boss"]).exit_code == 1
    secret = ok("tokens", "create", "ana", "--days", "7").strip().splitlines()[-1]
    assert secret.startswith("pnt_")
    listed = ok("tokens", "list")
    assert secret not in listed and secret[:10] in listed
    ok("tokens", "revoke", "1")
    assert "revoked" in ok("tokens", "list")

    node = Node.open(store_url, data_dir=tmp_path)
    ana = identity.viewer_for_username(node, "ana")
    text = "Menteri Pertahanan Korea Selatan mengecam uji coba rudal Korea Utara pada 3 April 2024."
    ev = publish_extraction(node, ana, text, extraction(text, "ACCUSE", "KOR", "PRK", "2024-04-03")).events[0]
    assert "released to" in ok("share", "events", str(ev), "--tlp", "AMBER", "--group", "desk-korea", "--as", "ana")
    assert run.invoke(app, ["share", "events", str(ev), "--tlp", "CLEAR", "--as", "citra"]).exit_code == 1
    citra = identity.viewer_for_username(node, "citra")
    from pantau.services.reads import get_event

    with node.engine.connect() as conn:
        assert get_event(conn, citra, ev)["marking"] == "AMBER"  # through the group

    assert "checkpoint at" in ok("audit", "checkpoint")
    assert ok("audit", "verify").strip().endswith("ok")
    with node.engine.begin() as conn:
        conn.execute(audit_log.update().where(audit_log.c.seq == 2).values(detail='{"slug":"someone-else"}'))
    r = run.invoke(app, ["audit", "verify"])
    assert r.exit_code == 1 and "TAMPERED: row seq 2" in r.output
    with node.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar() >= 9
    node.close()
