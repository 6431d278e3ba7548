"""The web workspace without a browser: sign-in rules, sessions, CSRF, per-viewer pages and fragments
(a guest sees only what it may see), clear errors on bad input, document marks, the catalogs."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sharing_world import build_world

from pantau.exc import AccessDenied, InputError
from pantau.services import webauth
from pantau.services.access import Viewer
from pantau.services.kb import fuse
from pantau.services.node import Node
from pantau.web.app import create_app

PASSWORD = "correct horse battery"
WORKSPACE = Path(__file__).resolve().parents[1] / "pantau" / "web" / "workspace"


@pytest.fixture
def world(store_url: str, tmp_path: Path) -> Iterator[object]:
    w = build_world(store_url, tmp_path)
    for user in ("ana", "budi", "citra", "dewi"):
        webauth.set_password(w.node, user, PASSWORD)
    fuse(w.node)  # type: ignore[arg-type]
    yield w
    w.node.close()


def client_for(node: Node, user: str | None, base: str = "http://testserver") -> TestClient:
    c = TestClient(create_app(node), base_url=base)
    if user is not None:
        page = c.get("/signin")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        r = c.post("/signin", data={"username": user, "password": PASSWORD, "csrf": token, "next": "/"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_passwords_sessions_and_lock_out(world) -> None:  # noqa: ANN001
    node = world.node
    with pytest.raises(InputError, match="too short"):
        webauth.set_password(node, "ana", "short")
    with pytest.raises(AccessDenied, match="wrong username or password"):
        webauth.sign_in(node, "ana", "not it")
    with pytest.raises(AccessDenied, match="wrong username or password"):
        webauth.sign_in(node, "nobody", PASSWORD)  # same answer for an unknown user
    secret = webauth.sign_in(node, "ana", PASSWORD)
    sess = webauth.session(node, secret)
    assert sess is not None and sess.username == "ana" and sess.org == "kemlu" and sess.viewer.role == "analyst"
    assert webauth.session(node, secret + "x") is None
    webauth.sign_out(node, secret)
    assert webauth.session(node, secret) is None
    for _ in range(webauth.MAX_FAILURES - 1):
        with pytest.raises(AccessDenied, match="wrong"):
            webauth.sign_in(node, "budi", "guess")
    with pytest.raises(AccessDenied, match="locked"):
        webauth.sign_in(node, "budi", "guess")
    with pytest.raises(AccessDenied, match="locked"):
        webauth.sign_in(node, "budi", PASSWORD)
    webauth.set_password(node, "budi", PASSWORD)  # an admin's reset lifts the lock
    assert webauth.session(node, webauth.sign_in(node, "budi", PASSWORD)) is not None
    with node.engine.connect() as conn:
        stored = conn.execute(webauth.sa.select(webauth.user_credentials.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") for h in stored)


def test_cookie_flags_and_secure_under_tls(world) -> None:  # noqa: ANN001
    c = TestClient(create_app(world.node), base_url="https://testserver")
    token = csrf_of(c.get("/signin").text)
    r = c.post("/signin", data={"username": "ana", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("pantau_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    plain = TestClient(create_app(world.node))
    token = csrf_of(plain.get("/signin").text)
    r = plain.post("/signin", data={"username": "ana", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("pantau_session="))
    assert "Secure" not in cookie


def test_every_form_post_needs_the_csrf_token(world) -> None:  # noqa: ANN001
    c = client_for(world.node, "ana")
    # the sign-in form itself: its token is bound to a cookie set with the form
    fresh = TestClient(create_app(world.node))
    r = fresh.post("/signin", data={"username": "ana", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 401 and "expired" in r.text
    from pantau.web.workspace import admin, analysis, auth, pages

    posts = sorted({(r.path, tuple(r.methods)) for m in (admin, analysis, auth, pages)  # type: ignore[attr-defined]
                    for r in m.router.routes if "POST" in r.methods and r.path != "/signin"})
    assert len(posts) >= 9
    for path, _ in posts:
        url = path.replace("{fused_id}", "2").replace("{incident_id}", "1").replace("{token_id}", "1")
        r = c.post(url, data={"tlp": "RED", "decision": "accept", "slug": "x", "username": "x", "org": "kemlu",
                              "password": "x" * 10, "event_id": "2", "other": "1", "lang": "id"})
        assert r.status_code == 403 and "CSRF" in r.text, (url, r.status_code)


def test_a_guest_sees_only_what_it_may_in_every_view(world) -> None:  # noqa: ANN001
    citra = client_for(world.node, "citra")
    ana = client_for(world.node, "ana")
    ev = citra.get("/events").text
    assert re.findall(r'class="open-event">(\d+)<', ev) == ["1"]
    assert re.findall(r'class="open-event">(\d+)<', ana.get("/events").text) == ["1", "2", "3", "4", "5"]
    assert re.search(r'id="count-fused">(\d+)<', citra.get("/").text).group(1) == "1"  # type: ignore[union-attr]
    assert re.search(r'id="count-fused">(\d+)<', ana.get("/").text).group(1) == "5"  # type: ignore[union-attr]
    assert [p["name"] for p in citra.get("/map/points.json").json()] == ["South Korea"]
    assert "No incident here." in citra.get("/incidents?status=").text
    assert citra.get("/reports?incident=1").status_code == 404
    assert ana.get("/reports?incident=1").status_code == 200
    for url in ("/events/2", "/documents/2", "/incidents/1", "/actors/RUS"):
        r = citra.get(url)
        assert r.status_code == 404 and "Not found" in r.text, url
    csv = citra.get("/events/export.csv").text
    assert "CONSULT" in csv and "COOPERATE" not in csv and "AID" not in csv
    assert "Korea" in citra.get("/fragments/actors?actor=Korea").text  # South Korea (CLEAR)
    assert "North Korea" not in citra.get("/fragments/actors?actor=Korea").text
    assert "North Korea" in ana.get("/fragments/actors?actor=Korea").text
    assert citra.get("/admin").status_code == 403


def test_bad_input_is_a_clear_page_not_a_traceback(world) -> None:  # noqa: ANN001
    c = client_for(world.node, "ana")
    for url, words in [("/events?tlp=PURPLE", "unknown marking"), ("/events?page=x", "not a number"),
                       ("/events?sort=colour", "unknown order"), ("/events?grade=Q9", "not a grade"),
                       ("/events/export.xml", "unknown export format"), ("/incidents?status=done", "unknown status"),
                       ("/reports?incident=abc", "not an incident number"), ("/events/9999", "no fused event")]:
        r = c.get(url)
        assert r.status_code in (400, 404) and words in r.text and "Traceback" not in r.text, url
    r = c.post("/events/2/marking", data={"csrf": csrf_of(c.get("/events/2").text), "tlp": "PURPLE"})
    assert r.status_code == 400 and "PURPLE" in r.text
    r = c.post("/incidents/1/review", data={"csrf": csrf_of(c.get("/incidents/1").text), "decision": "approve"})
    assert r.status_code == 400 and "unknown decision" in r.text


def test_only_the_owner_organisation_changes_a_marking(world) -> None:  # noqa: ANN001
    budi = client_for(world.node, "budi")
    page = budi.get("/events/2").text
    assert 'id="marking-form"' not in page  # budi's organisation owns no report of it
    r = budi.post("/events/2/marking", data={"csrf": csrf_of(page), "tlp": "CLEAR"})
    assert r.status_code == 403 and "owns no report" in r.text
    dewi = client_for(world.node, "dewi")  # kemlu, but a viewer
    r = dewi.post("/events/2/marking", data={"csrf": csrf_of(dewi.get("/events/2").text), "tlp": "CLEAR"})
    assert r.status_code == 403 and "analyst" in r.text


def test_language_is_a_stored_preference(world) -> None:  # noqa: ANN001
    c = client_for(world.node, "ana")
    assert ">Events<" in c.get("/events").text
    r = c.post("/language", data={"csrf": csrf_of(c.get("/").text), "lang": "id", "back": "/events"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/events"
    assert ">Peristiwa<" in c.get("/events").text and 'lang="id"' in c.get("/events").text
    again = client_for(world.node, "ana")  # a new session, the same preference
    assert ">Peristiwa<" in again.get("/").text


def test_document_marks_entities_dates_and_quantities_on_a_real_sample(tmp_path: Path) -> None:
    from pantau.services.store import Store
    from pantau.services.workspace import document_marks

    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    store.ingest(str(Path(__file__).resolve().parents[1] / "pantau" / "samples" / "02_troops_to_russia.txt"))
    store.close()
    node = Node.open(url, data_dir=tmp_path)
    got = document_marks(node, Viewer.system(), 1)
    text = got["document"]["text"]
    assert "".join(s["text"] for s in got["segments"]) == text  # nothing lost or repeated
    kinds = {m["kind"] for s in got["segments"] for m in s["marks"]}
    assert {"ent", "evidence", "trigger"} <= kinds
    ents = {s["text"] for s in got["segments"] if any(m["kind"] == "ent" for m in s["marks"])}
    assert any("Korea" in e or "Rusia" in e or "Russia" in e for e in ents), ents
    node.close()


def test_the_indonesian_catalog_translates_every_interface_string(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(WORKSPACE / "babel.cfg"),
                    "-k", "_", "-o", str(pot), str(WORKSPACE)], check=True, capture_output=True)
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    with (WORKSPACE / "locale" / "id" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        have = {m.id: m.string for m in read_po(f) if m.id}
    assert len(wanted) > 150
    assert sorted(w for w in wanted if not have.get(w)) == []
    mo = WORKSPACE / "locale" / "id" / "LC_MESSAGES" / "messages.mo"
    assert mo.stat().st_mtime >= (mo.parent / "messages.po").stat().st_mtime - 1  # compiled after the last edit


def test_users_passwd_command(world, store_url: str) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from pantau.cli.main import build_app

    r = CliRunner().invoke(build_app(), ["--db", store_url, "users", "passwd", "dewi", "--password-stdin"],
                           input="a new long password\n", env={"PANTAU_DATA_DIR": str(world.node.audit.key_path.parent)})
    assert r.exit_code == 0, r.output
    assert webauth.session(world.node, webauth.sign_in(world.node, "dewi", "a new long password")) is not None
    r = CliRunner().invoke(build_app(), ["--db", store_url, "users", "passwd", "dewi", "--password-stdin"], input="x\n")
    assert r.exit_code == 1 and "too short" in r.output


def test_text_from_documents_is_escaped_in_marks_and_page_json() -> None:
    from pantau.services.workspace import segments
    from pantau.web.workspace.render import marked_text, script_json

    text = 'He said "<script>alert(1)</script>" & left.'
    segs = segments(text, [(9, 17, "ent", "ORG", '/actors/x"><b>'), (0, len(text), "evidence", "AID", "")])
    html = str(marked_text(segs))
    assert "<script>" not in html and "&lt;script&gt;" in html and '"><b>' not in html
    assert html.count('class="m-ent"') == 1 and html.count('class="m-evidence"') == 3
    assert "</script>" not in str(script_json({"name": "</script><img src=x>"}))


def test_overview_counts_what_is_new_since_the_previous_visit(world) -> None:  # noqa: ANN001
    from sharing_world import extraction

    from pantau.services import identity
    from pantau.services.publish import publish_extraction

    first = client_for(world.node, "budi").get("/").text
    assert 'id="count-new"' not in first  # a first visit has nothing to compare with
    second = client_for(world.node, "budi")
    assert re.search(r'id="count-new">(\d+)<', second.get("/").text).group(1) == "0"  # type: ignore[union-attr]
    ana = identity.viewer_for_username(world.node, "ana")
    for tlp, day in (("GREEN", "2025-03-03"), ("AMBER+STRICT", "2025-03-04")):
        text = f"Indonesia and China held maritime consultations in Beijing on {day} ({tlp})."
        publish_extraction(world.node, ana, text, extraction(text, "CONSULT", "IDN", "CHN", day), tlp=tlp)
    fuse(world.node)  # type: ignore[arg-type]
    got = second.get("/").text  # budi sees the GREEN one only
    assert re.search(r'id="count-new">(\d+)<', got).group(1) == "1"  # type: ignore[union-attr]
