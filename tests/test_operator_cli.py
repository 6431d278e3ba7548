"""Issue 9 item 9: operators manage the node from the command line (users, roles, groups, members and
guests, token expiry), and every failure is one line without a traceback. Item 8 (ingest as an
organisation with a marking) too."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.exc import AccessDenied
from pantau.services import identity
from pantau.services.node import Node


@pytest.fixture
def cli(store_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_DB_URL", store_url)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    run, app = CliRunner(), build_app()

    def invoke(*args: str, code: int = 0) -> str:
        r = run.invoke(app, list(args))
        assert r.exit_code == code, (args, r.output)
        assert "Traceback" not in r.output
        return r.output

    invoke("orgs", "add", "kemlu")
    invoke("orgs", "add", "bais")
    invoke("orgs", "add", "mitra", "--guest")
    invoke("users", "add", "ana", "--org", "kemlu", "--role", "analyst")
    return invoke


def test_users_disable_enable_and_role(cli, store_url, tmp_path) -> None:
    secret = cli("tokens", "create", "ana", "--days", "7").strip().splitlines()[-1]
    node = Node.open(store_url, data_dir=tmp_path)
    assert identity.authenticate(node, secret).role == "analyst"
    cli("users", "role", "ana", "viewer")
    assert identity.authenticate(node, secret).role == "viewer"
    cli("users", "disable", "ana")
    assert "inactive" in cli("users", "list")
    with pytest.raises(AccessDenied):
        identity.authenticate(node, secret)
    cli("users", "enable", "ana")
    assert identity.authenticate(node, secret).user_id is not None
    out = cli("users", "role", "ana", "boss", code=1)
    assert out.startswith("error:") and "role" in out and len(out.strip().splitlines()) == 1
    assert cli("users", "disable", "nobody", code=1).startswith("error: no user")
    node.close()


def test_groups_list_members_and_remove(cli) -> None:
    cli("groups", "add", "desk-korea", "kemlu")
    cli("groups", "add-member", "desk-korea", "bais")
    assert "desk-korea\tbais,kemlu" in cli("groups", "list")
    cli("groups", "remove-member", "desk-korea", "kemlu")
    assert "desk-korea\tbais\t" in cli("groups", "list")
    assert cli("groups", "remove-member", "desk-korea", "kemlu", code=1).startswith("error:")
    cli("groups", "remove", "desk-korea")
    assert "desk-korea" not in cli("groups", "list")
    assert cli("groups", "remove", "desk-korea", code=1).startswith("error: no group")


def test_orgs_set_member_and_guest(cli, store_url, tmp_path) -> None:
    assert "mitra\tguest" in cli("orgs", "list")
    cli("orgs", "set-member", "mitra")
    assert "mitra\tmember" in cli("orgs", "list")
    cli("orgs", "set-guest", "kemlu")
    assert "kemlu\tguest" in cli("orgs", "list")
    node = Node.open(store_url, data_dir=tmp_path)
    assert identity.viewer_for_username(node, "ana").is_member is False
    node.close()
    assert cli("audit", "verify").strip().endswith("ok")


@pytest.mark.parametrize("days", ["-1", "0", "nan", "1e9"])
def test_token_expiry_is_validated(cli, days) -> None:
    out = cli("tokens", "create", "ana", "--days", days, code=1)
    assert out.startswith("error: days:") and len(out.strip().splitlines()) == 1
    assert "pnt_" not in cli("tokens", "list")


def test_ingest_as_an_organisation_with_a_marking(cli, store_url, tmp_path) -> None:
    path = tmp_path / "laporan.txt"
    path.write_text("Kapal tanker Korea Utara berlabuh di Nampo pada 2 Mei 2024 menurut citra satelit.\n")
    cli("ingest", str(path), "--org", "kemlu", "--tlp", "AMBER", "--release-to", "bais,bais")
    node = Node.open(store_url, data_dir=tmp_path)
    identity.add_user(node, "budi", "bais", role="viewer")
    identity.add_user(node, "citra", "mitra", role="viewer")
    from pantau.services import reads
    with node.engine.connect() as conn:
        budi = reads.list_documents(conn, identity.viewer_for_username(node, "budi"))["items"]
        citra = reads.list_documents(conn, identity.viewer_for_username(node, "citra"))["items"]
    assert len(budi) == 1 and budi[0]["marking"] == "AMBER" and len(budi[0]["release"]["orgs"]) == 1
    assert citra == []
    node.close()
    # the same text for another organisation is its own holding; for the same one a duplicate
    assert "1 added" in cli("ingest", str(path), "--org", "bais", "--tlp", "GREEN")
    assert "1 duplicate" in cli("ingest", str(path), "--org", "kemlu")
    assert cli("ingest", str(path), "--tlp", "PURPLE", code=2).startswith("error: --tlp")
    assert "no organisation" in cli("ingest", str(path), "--org", "nobody", code=2)
    assert cli("audit", "verify").strip().endswith("ok")
