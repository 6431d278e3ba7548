"""The web workspace in a real browser: Debian's Chromium driven by Playwright (never `playwright
install`), against one live server per module on the multi-organisation world of `sharing_world`
(fused, with incidents). Every page visited is checked with axe-core (no serious or critical
violation) and screenshotted at 1366x768 into var/screenshots/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sharing_world import build_world, extraction, live_server

from pantau.services import identity
from pantau.services.kb import fuse
from pantau.services.publish import publish_extraction
from pantau.services.webauth import set_password
from pantau.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "pantau" / "web" / "workspace" / "static" / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    d = tmp_path_factory.mktemp("web")
    w = build_world(f"sqlite:///{d / 'store.db'}", d)
    identity.add_user(w.node, "root", "kemlu", role="admin")
    identity.add_user(w.node, "eko", "kemlu", role="viewer")
    for user in ("ana", "budi", "citra", "dewi", "root", "eko"):
        set_password(w.node, user, PASSWORD)
    fuse(w.node)  # type: ignore[arg-type]
    with live_server(create_app(w.node, stream_interval=0.05)) as base:
        yield w, base
    w.node.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browsers` (apt-get install chromium) installs it")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser, base: str):  # noqa: ANN001, ANN201
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=base, accept_downloads=True)
    return ctx.new_page()


def sign_in(page, user: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto("/signin")
    page.fill("#username", user)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def check(page, name: str, *, skip_rules: tuple[str, ...] = ()) -> None:  # noqa: ANN001
    """axe-core on the current page (no serious/critical violation) and a 1366x768 screenshot."""
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    rules = json.dumps({r: {"enabled": False} for r in skip_rules})
    got = page.evaluate("""async (rules) => {
        const r = await axe.run(document, {resultTypes: ['violations'], rules: JSON.parse(rules)});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", rules)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    assert got == [], f"{name}: {json.dumps(got, indent=1)}"


def rows(page, table: str) -> list[str]:  # noqa: ANN001
    return [t.strip() for t in page.locator(f"{table} tbody tr").all_inner_texts()]


def test_sign_in_out_and_lock_out(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    page.goto("/events")
    assert "/signin" in page.url  # every page needs a session
    check(page, "signin")
    sign_in(page, "ana", "wrong password")
    assert "wrong username or password" in page.inner_text("#signin-error")
    sign_in(page, "ana")
    assert page.url == base + "/"
    assert "ana (kemlu, analyst)" in page.inner_text("header")
    cookie = next(c for c in page.context.cookies() if c["name"] == "pantau_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.click("#signout")
    assert "/signin" in page.url
    page.goto("/")
    assert "/signin" in page.url  # the session is gone on the server too
    for _ in range(5):
        sign_in(page, "eko", "not the password")
    sign_in(page, "eko")  # the right password no longer helps
    assert "locked" in page.inner_text("#signin-error")
    page.context.close()


def test_forms_need_the_csrf_token(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    sign_in(page, "ana")
    got = page.evaluate("""async () => {
        const r = await fetch('/incidents/1/review', {method: 'POST',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'decision=accept'});
        return [r.status, await r.text()];
    }""")
    assert got[0] == 403 and "CSRF" in got[1]
    page.context.close()


def test_api_tokens_still_work(world) -> None:  # noqa: ANN001
    import httpx

    w, base = world
    r = httpx.get(base + "/api/me", headers={"Authorization": f"Bearer {w.tokens['budi']}"})
    assert r.status_code == 200 and r.json()["role"] == "analyst"
    assert httpx.get(base + "/api/me").status_code == 401


def test_filter_events_open_one_and_read_the_evidence(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    sign_in(page, "ana")
    check(page, "overview")
    page.goto("/events")
    assert len(rows(page, "#events-table")) == 5
    check(page, "events")
    page.select_option("#f-type", "AID")
    page.click("#apply")
    page.wait_for_function("document.querySelectorAll('#events-table tbody tr').length == 2")
    assert "type=AID" in page.url  # the filter is in the address (htmx push)
    assert all("AID" in r for r in rows(page, "#events-table"))
    page.fill("#f-text", "ribuan tentara")
    page.click("#apply")
    page.wait_for_function("document.querySelectorAll('#events-table tbody tr').length == 1")
    href = page.get_attribute("#events-table a.open-event", "href")
    csv = page.request.get(page.get_attribute("a[href^='/events/export.csv']", "href")).text()
    assert csv.count("\n") >= 2 and "AID" in csv and "COOPERATE" not in csv
    page.click("#events-table a.open-event")
    page.wait_for_url(f"**{href}")
    assert "ribuan tentara" in page.inner_text("mark.evidence")
    assert "AMBER" in page.inner_text(".banner")
    check(page, "fused-event")
    page.click("article.report h3 a")
    page.wait_for_url("**/documents/*")
    text = page.inner_text("#doctext")
    assert "Korea Utara mengirim ribuan tentara ke Rusia" in text
    assert page.locator("#doctext .m-evidence").count() >= 1
    assert page.locator("#doctext .m-trigger").inner_text() == "menyebut"
    # each mark links to its page: the evidence back to the fused event
    assert page.locator(f"#doctext a.m-evidence[href='{href}']").count() >= 1
    check(page, "document")
    page.goto("/events?sort=-date")
    dates = [re.search(r"\d{4}-\d\d-\d\d", r).group(0) for r in rows(page, "#events-table")]
    assert dates == sorted(dates, reverse=True)
    page.goto("/events?grade=nonsense")
    assert "not a grade" in page.inner_text("[role=alert]")
    page.context.close()


def test_review_an_incident(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    sign_in(page, "budi")
    page.goto("/incidents")
    check(page, "incidents")
    titles = rows(page, "#incidents-table")
    assert len(titles) == 1 and "UNSCR 1874 para 9" in titles[0]  # budi sees the AMBER one released to his group
    page.click("#incidents-table tbody tr a >> nth=1")
    page.wait_for_url("**/incidents/*")
    assert "UNSCR 1874" in page.inner_text("h1")
    assert "ribuan tentara" in page.inner_text("mark.evidence")
    check(page, "incident")
    page.fill("#r-note", "two sources needed before we confirm")
    page.click("#review-form button[value=escalate]")
    page.wait_for_url("**msg=escalated")
    assert page.inner_text("#inc-status") == "under_review"
    hist = rows(page, "#history")
    assert "under_review\tbudi\ttwo sources needed" in hist[-1]
    page.click("#review-form button[value=accept]")
    page.wait_for_url("**msg=accepted")
    assert page.inner_text("#inc-status") == "confirmed"
    assert len(rows(page, "#history")) == len(hist) + 1 and "confirmed\tbudi" in rows(page, "#history")[-1]
    page.context.close()


def test_pages_of_actor_map_admin_docs_and_language(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    sign_in(page, "root")
    page.goto("/actors/PRK")
    page.wait_for_function("document.querySelector('#graph canvas') !== null")
    assert "North Korea" in page.inner_text("h1")
    check(page, "actor")
    page.goto("/map")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.event-point").count() >= 1
    check(page, "map")
    page.goto("/admin")
    assert "Verified:" in page.inner_text("#audit-verify")
    assert "kemlu" in page.inner_text("main") and "desk-korea" in page.inner_text("main")
    check(page, "admin")
    page.goto("/reports")
    check(page, "reports")
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .authorize")
    # Swagger UI (vendored, not ours) nests its copy buttons inside the operation toggles; that one
    # rule is skipped on this page only (docs/web.md); its contrast problems are fixed in docs.css
    check(page, "docs", skip_rules=("nested-interactive",))
    page.goto("/events")
    page.select_option("#lang-select", "id")
    page.click("header button:has-text('Switch')")
    page.wait_for_load_state()
    assert "Peristiwa" in page.inner_text("nav")
    page.select_option("#lang-select", "en")
    page.click("header button:has-text('Ganti')")
    page.wait_for_load_state()
    assert "Events" in page.inner_text("nav")
    dewi = new_page(browser, base)
    sign_in(dewi, "dewi")
    dewi.goto("/admin")
    assert "for admins" in dewi.inner_text("[role=alert]")  # a viewer is refused, with a reason
    page.context.close()
    dewi.context.close()


def test_pdf_report_names_incidents_and_tlp(world, browser) -> None:  # noqa: ANN001
    w, base = world
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make browsers` (apt-get install poppler-utils) installs it")
    page = new_page(browser, base)
    sign_in(page, "ana")
    page.goto("/reports")
    page.check("#inc-1")
    page.check("#inc-4")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/reports?*")
    assert page.inner_text("#report-tlp") == "TLP:RED"
    check(page, "report")
    with page.expect_download() as dl:
        page.click("#pdf-link")
    pdf = Path(dl.value.path())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Incident 1" in text and "Incident 4" in text
    assert "UNSCR 1874" in text and "UNSCR 1718" in text
    pages = text.split("\f")
    assert all("TLP:RED" in p for p in pages if p.strip())  # in the header of every page
    page.context.close()


def test_new_event_arrives_live_on_the_overview(world, browser) -> None:  # noqa: ANN001
    w, base = world
    page = new_page(browser, base)
    sign_in(page, "budi")
    page.wait_for_selector("#live-status:not(:empty)")
    before = int(page.inner_text("#count-fused"))
    page.evaluate("window.__no_reload = 'still here'")
    ana = identity.viewer_for_username(w.node, "ana")
    text = "Indonesia and China held maritime consultations in Beijing on 3 March 2025."
    publish_extraction(w.node, ana, text, extraction(text, "CONSULT", "IDN", "CHN", "2025-03-03"), tlp="GREEN")
    fuse(w.node)  # type: ignore[arg-type]
    page.wait_for_function(f"parseInt(document.querySelector('#count-fused').textContent) == {before + 1}",
                           timeout=15000)
    assert "CONSULT IDN → CHN" in page.inner_text("#latest")
    assert page.evaluate("window.__no_reload") == "still here"
    page.context.close()


def test_remark_green_to_amber_strict_vanishes_for_another_org(world, browser) -> None:  # noqa: ANN001
    w, base = world
    budi = new_page(browser, base)
    sign_in(budi, "budi")
    budi.goto("/events?type=COOPERATE")
    assert len([r for r in rows(budi, "#events-table") if "COOPERATE" in r]) == 1
    budi.goto("/")
    count = int(budi.inner_text("#count-fused"))
    budi.goto("/map")
    budi.wait_for_selector("#map[data-ready='1']")
    assert "North Korea" in budi.inner_text("#places")  # the GREEN pact, placed at its target's capital
    ana = new_page(browser, base)
    sign_in(ana, "ana")
    ana.goto("/events?type=COOPERATE")
    ana.click("#events-table a.open-event")
    assert "GREEN" in ana.inner_text(".banner")
    ana.select_option("#m-tlp", "AMBER+STRICT")
    ana.click("#apply-marking")
    ana.wait_for_url("**msg=*")
    assert "AMBER+STRICT" in ana.inner_text(".banner")
    check(ana, "fused-event-remarked")
    budi.goto("/events?type=COOPERATE")
    assert budi.inner_text("#no-events")
    budi.goto("/")
    assert int(budi.inner_text("#count-fused")) == count - 1
    budi.goto("/map")
    budi.wait_for_selector("#map[data-ready='1']")
    assert "North Korea" not in budi.inner_text("#places")
    budi.goto("/actors/RUS")
    assert "COOPERATE" not in budi.inner_text("main")
    ana.context.close()
    budi.context.close()
