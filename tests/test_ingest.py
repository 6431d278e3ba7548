"""`pantau ingest` and the ingest service: every kind of input, bad input, idempotence, atomicity.
URLs and feeds are served by a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.exc import InputError
from pantau.services.decoding import decode
from pantau.services.records import parse_jsonl, parse_jsonl_line, parse_record
from pantau.services.store import Store

ID_TEXT = ("Rusia dan Korea Utara Gelar Latihan Bersama\n"
           "Angkatan laut kedua negara berlatih di lepas pantai Vladivostok pada Selasa, menurut kantor berita "
           "setempat. Latihan itu melibatkan enam kapal perang.\n")
EN_TEXT = ("Ministers Meet in Jakarta on Sanctions Monitoring\n"
           "Foreign ministers from five countries met in Jakarta on Thursday to discuss how to monitor "
           "sanctions after the expert panel was disbanded.\n")
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Warta Uji</title><link>http://example.invalid/</link>
<description>feed for tests</description>
<item><title>Kapal tanker berpindah muatan di Laut Kuning</title><link>http://example.invalid/a</link>
<pubDate>Tue, 14 May 2024 08:00:00 +0700</pubDate>
<description>&lt;p&gt;Citra satelit menunjukkan dua kapal tanker saling merapat dan memindahkan muatan
minyak di Laut Kuning pada awal Mei.&lt;/p&gt;</description></item>
<item><title>Sanksi baru untuk perusahaan pelayaran</title><link>http://example.invalid/b</link>
<pubDate>Wed, 15 May 2024 09:00:00 +0700</pubDate>
<description>Pemerintah mengumumkan sanksi terhadap tiga perusahaan pelayaran yang diduga membantu
pengiriman minyak secara ilegal.</description></item>
</channel></rss>"""
HTML = """<!DOCTYPE html><html><head><title>Portal Uji | Berita</title>
<meta property="og:title" content="Dewan Keamanan Gagal Memperpanjang Mandat Panel Ahli">
<meta name="author" content="Redaksi Uji"><meta property="article:published_time" content="2024-03-28">
</head><body>
<nav><a href="/">Beranda</a> <a href="/dunia">Dunia</a> <a href="/login">Masuk</a></nav>
<div class="ads">Iklan: promo ponsel murah hari ini saja!</div>
<article><h1>Dewan Keamanan Gagal Memperpanjang Mandat Panel Ahli</h1>
<p>Rancangan resolusi untuk memperpanjang mandat panel ahli yang memantau sanksi terhadap Korea Utara
gagal disahkan pada Kamis setelah Rusia menggunakan hak veto.</p>
<p>Tiga belas anggota dewan mendukung rancangan itu, sementara Tiongkok memilih abstain. Para diplomat
Barat menyebut langkah itu melemahkan pengawasan sanksi internasional.</p>
<p>Panel tersebut telah bekerja selama lima belas tahun dan menerbitkan laporan dua kali setahun.</p>
</article>
<footer>Hak cipta 2024 Portal Uji. Kebijakan privasi. Hubungi kami.</footer>
</body></html>"""


def run(url: str, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner(env=env).invoke(build_app(), ["--db", url, *args], input=input)


# -- a local HTTP server -----------------------------------------------------------------------
class Routes(dict):
    pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Routes]]:
    routes = Routes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if self.path not in routes:
                self.send_error(404, "Not Found")
                return
            status, ctype, body, delay = routes[self.path]
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- files, folders, stdin, idempotence --------------------------------------------------------
def test_folder_with_glob_and_duplicates(store_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ID_TEXT, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(EN_TEXT, encoding="utf-8")
    (d / "sub" / "copy.txt").write_text(ID_TEXT, encoding="utf-8")  # same content
    (d / "notes.md").write_text("Catatan\nbukan untuk diingest karena glob.\n", encoding="utf-8")
    (d / ".hidden.txt").write_text("Rahasia\ntidak ikut.\n", encoding="utf-8")
    r = run(store_url, "ingest", str(d), "--glob", "*.txt", "--publisher", "Warta Uji")
    assert r.exit_code == 0, r.output
    assert "3 input(s): 2 added, 1 duplicate(s), 0 failed" in r.stdout
    again = run(store_url, "ingest", str(d), "--glob", "*.txt")
    assert "0 added, 3 duplicate(s)" in again.stdout and again.exit_code == 0
    with Store(store_url) as s:
        docs = s.documents()
    assert sorted(d["title"] for d in docs) == ["Ministers Meet in Jakarta on Sanctions Monitoring",
                                                 "Rusia dan Korea Utara Gelar Latihan Bersama"]
    assert {d["publisher"] for d in docs} == {"Warta Uji"}


def test_stdin_and_language_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = run(url, "ingest", "-", "--language", "en", input=EN_TEXT.encode())
    assert r.exit_code == 0, r.output
    with Store(url) as s:
        doc = s.show(1)
    assert doc["text"] == EN_TEXT and doc["source"] == "-" and doc["language"] == "en"
    assert run(url, "ingest", "-", "--language", "fr", input=EN_TEXT).exit_code == 2


def test_bad_inputs_fail_one_line_each_and_the_rest_is_ingested(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    good = tmp_path / "good.txt"
    good.write_text(ID_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    (tmp_path / "nul.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00zip")
    (tmp_path / "ctrl.txt").write_bytes(bytes(range(1, 9)) * 40)
    (tmp_path / "undecodable.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFE, 0xFF]) * 60)
    (tmp_path / "big.txt").write_text("Judul\n" + "kata " * 400, encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("empty.txt", "blank.txt", "nul.txt", "ctrl.txt", "undecodable.txt",
                                         "big.txt", "missing.txt")]
    r = run(url, "ingest", *paths, str(good), env={"PANTAU_MAX_BYTES": "1000"})
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 7, r.stderr
    reasons = {Path(ln.split(": ", 2)[1]).name: ln.split(": ", 2)[2] for ln in lines}
    assert reasons["empty.txt"] == "empty input" and reasons["blank.txt"] == "empty input"
    assert reasons["nul.txt"].startswith("binary content")
    assert reasons["ctrl.txt"].startswith("binary content")
    assert reasons["undecodable.txt"].startswith("undecodable")
    assert reasons["big.txt"].startswith("too large")
    assert reasons["missing.txt"] == "no such file or folder"
    assert "1 added, 0 duplicate(s), 7 failed" in r.stdout
    with Store(url) as s:
        assert [d["title"] for d in s.documents()] == ["Rusia dan Korea Utara Gelar Latihan Bersama"]


def test_legacy_encodings_are_decoded(tmp_path: Path) -> None:
    text = "Pernyataan Menteri\nMenteri menegaskan bahwa kerja sama itu « sah » dan tidak melanggar sanksi.\n"
    assert decode("x", text.encode("cp1252")) == text
    assert decode("x", text.encode("utf-16")) == text
    assert decode("x", b"\xef\xbb\xbf" + text.encode()) == text


def test_jsonl_records_and_malformed_lines(store_url: str, tmp_path: Path) -> None:
    f = tmp_path / "records.jsonl"
    f.write_text("\n".join([
        json.dumps({"text": ID_TEXT, "title": "Latihan Bersama", "url": "http://example.invalid/x",
                    "published": "2024-09-03T10:00:00+07:00", "publisher": "Warta Uji"}),
        "{not json",
        json.dumps({"title": "tanpa teks"}),
        "",
        json.dumps({"text": EN_TEXT, "published": "Thu, 05 Sep 2024 12:00:00 GMT", "language": "en"}),
    ]) + "\n", encoding="utf-8")
    r = run(store_url, "ingest", str(f))
    assert r.exit_code == 1
    assert f"{f}:2: malformed JSON" in r.stderr
    assert f"{f}:3: record has no 'text' string" in r.stderr
    assert "2 added" in r.stdout
    with Store(store_url) as s:
        docs = {d["title"]: d for d in s.documents()}
    first = docs["Latihan Bersama"]
    assert first["published_date"].isoformat() == "2024-09-03" and first["publisher"] == "Warta Uji"
    assert first["url"] == "http://example.invalid/x" and first["source"] == f"{f}:1"
    second = docs["Ministers Meet in Jakarta on Sanctions Monitoring"]
    assert second["published_date"].isoformat() == "2024-09-05" and second["language"] == "en"


def test_html_page_keeps_main_text_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    r = run(url, "ingest", str(page))
    assert r.exit_code == 0, r.output
    with Store(url) as s:
        doc = s.show(1)
    assert doc["title"] == "Dewan Keamanan Gagal Memperpanjang Mandat Panel Ahli"
    assert "hak veto" in doc["text"] and "lima belas tahun" in doc["text"]
    for furniture in ("Beranda", "promo ponsel", "Kebijakan privasi"):
        assert furniture not in doc["text"]
    assert doc["published_date"].isoformat() == "2024-03-28"
    assert doc["authors"] == ["Redaksi Uji"]


# -- URLs and feeds over a local server --------------------------------------------------------
def test_urls_and_feeds(server: tuple[str, Routes], store_url: str) -> None:
    base, routes = server
    routes["/feed.xml"] = (200, "application/rss+xml", RSS.encode(), 0)
    routes["/page"] = (200, "text/html; charset=utf-8", HTML.encode(), 0)
    routes["/plain"] = (200, "text/plain; charset=iso-8859-1", EN_TEXT.replace("five", "fünf").encode("latin-1"), 0)
    routes["/broken.xml"] = (200, "application/rss+xml", b"<rss><channel><item><title>x</ti", 0)
    dead = f"http://127.0.0.1:{closed_port()}/x"
    r = run(store_url, "ingest", f"{base}/feed.xml", f"{base}/page", f"{base}/plain", f"{base}/missing",
            f"{base}/broken.xml", dead)
    assert r.exit_code == 1
    err = r.stderr
    assert f"{base}/missing: HTTP 404" in err
    assert f"{base}/broken.xml: broken feed" in err
    assert f"{dead}: unreachable" in err
    assert f"{base}/broken.xml#1: feed entry has no text" in err  # what could be recovered is tried
    assert "4 added, 0 duplicate(s), 4 failed" in r.stdout
    with Store(store_url) as s:
        docs = {d["title"]: d for d in s.documents()}
        assert s.show(docs["Ministers Meet in Jakarta on Sanctions Monitoring"]["id"])["text"].count("fünf") == 1
    tanker = docs["Kapal tanker berpindah muatan di Laut Kuning"]
    assert tanker["publisher"] == "Warta Uji" and tanker["published_date"].isoformat() == "2024-05-14"
    assert tanker["url"] == "http://example.invalid/a" and tanker["source"] == f"{base}/feed.xml#1"
    assert docs["Dewan Keamanan Gagal Memperpanjang Mandat Panel Ahli"]["url"] == f"{base}/page"


def test_url_timeout_and_size_limit(server: tuple[str, Routes], tmp_path: Path) -> None:
    base, routes = server
    routes["/slow"] = (200, "text/plain", EN_TEXT.encode(), 2.0)
    routes["/big"] = (200, "text/plain", ("Judul\n" + "kata " * 2000).encode(), 0)
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = run(url, "ingest", f"{base}/slow", f"{base}/big",
            env={"PANTAU_HTTP_TIMEOUT": "0.5", "PANTAU_MAX_BYTES": "5000"})
    assert r.exit_code == 1
    assert f"{base}/slow: timed out after 0.5s" in r.stderr
    assert f"{base}/big: too large" in r.stderr


# -- atomicity ---------------------------------------------------------------------------------
def test_extraction_error_fails_that_document_only(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import pantau.nlp.pipeline as pipeline

    real = pipeline.extract

    def flaky(text: str, **kw: object):
        if "Vladivostok" in text:
            raise RuntimeError("model exploded")
        return real(text, **kw)

    monkeypatch.setattr(pipeline, "extract", flaky)
    a = store.add_text(ID_TEXT, source="a")
    b = store.add_text(EN_TEXT, source="b")
    assert a.status == "failed" and a.reason == "extraction failed (RuntimeError: model exploded)"
    assert b.status == "added"
    assert store.counts()["documents"] == 1


KILL_SCRIPT = """
import os, signal, sys
import pantau.storage.writer as w
real = w._save_event
def dying(conn, *a, **k):
    real(conn, *a, **k)
    if conn.execute(w.sa.text("SELECT count(*) FROM documents")).scalar() == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction of the second document
w._save_event = dying
import pantau.nlp.pipeline as p
from pantau.model import Event, Evidence
real_extract = p.extract
def extract(text, **kw):
    ex = real_extract(text, **kw)
    ex.events.append(Event("e1", "CONSULT", [], [], [Evidence(0, 5, text[:5])]))
    return ex
p.extract = extract
from pantau.services.store import Store
Store(sys.argv[1]).ingest(sys.argv[2:])
"""


def test_kill_mid_document_leaves_no_half_written_document(store_url: str, tmp_path: Path) -> None:
    files = []
    for i, text in enumerate([ID_TEXT, EN_TEXT, ID_TEXT + "Tambahan.\n"]):
        f = tmp_path / f"{i}.txt"
        f.write_text(text, encoding="utf-8")
        files.append(str(f))
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, store_url, *files], capture_output=True,
                          env={**os.environ}, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    with Store(store_url) as s:
        from pantau.nlp.pipeline import extract

        expected_events = len(extract(ID_TEXT, title=ID_TEXT.split("\n")[0]).events) + 1  # + the injected one
        assert s.counts()["documents"] == 1 and s.counts()["events"] == expected_events
        assert [d["source"] for d in s.documents()] == [files[0]]
        # the run can simply be repeated: what was stored is a duplicate, the rest is added
        rep = s.ingest(files)
    assert [r.status for r in rep.results] == ["duplicate", "added", "added"]


# -- the record parser, property-based ---------------------------------------------------------
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(str.strip)
OPT = st.one_of(st.none(), st.text(max_size=40))


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, title=OPT, url=OPT, publisher=OPT,
       published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_valid_records_round_trip(text: str, title: str | None, url: str | None, publisher: str | None,
                                  published: str | None) -> None:
    rec = {"text": text, "title": title, "url": url, "publisher": publisher, "published": published}
    item = parse_jsonl_line(json.dumps(rec), "f.jsonl:1")
    assert item.text == text and item.published == published
    assert item.title == ((title or "").strip() or None) and item.publisher == ((publisher or "").strip() or None)
    assert item.source == "f.jsonl:1"


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids,
                                                                                     max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), JSON_VALUES.map(json.dumps),
                 st.dictionaries(st.sampled_from(["text", "title", "url", "published", "publisher", "authors",
                                                  "language"]), JSON_VALUES).map(json.dumps)))
def test_any_line_parses_or_fails_with_an_input_error(line: str) -> None:
    try:
        item = parse_jsonl_line(line, "f.jsonl:7")
    except InputError as exc:
        assert exc.source == "f.jsonl:7" and exc.reason
    else:
        assert isinstance(item.text, str) and item.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(TEXTS.map(lambda t: json.dumps({"text": t}, ensure_ascii=False)), st.just("{oops"), st.just("")),
                max_size=8))
def test_jsonl_reports_every_bad_line_by_number(lines: list[str]) -> None:
    got = list(parse_jsonl("f.jsonl", "\n".join(lines)))
    bad = [f"f.jsonl:{i}" for i, ln in enumerate(lines, 1) if ln == "{oops"]
    assert [g.source for g in got if isinstance(g, InputError)] == bad
    assert len([g for g in got if not isinstance(g, InputError)]) == sum(1 for ln in lines if ln.startswith('{"'))


def test_record_field_errors_are_named() -> None:
    with pytest.raises(InputError, match="'published' is not a date"):
        parse_record({"text": "x", "published": "kemarin sore"}, "r")
    with pytest.raises(InputError, match="'title' must be a string"):
        parse_record({"text": "x", "title": 3}, "r")
    with pytest.raises(InputError, match="must be a JSON object"):
        parse_record(["text"], "r")
    assert parse_record({"text": "x", "language": "fr"}, "r").language is None
    assert parse_record({"text": "x", "authors": "A. Penulis"}, "r").authors == ["A. Penulis"]


# -- the bundled sample corpus -----------------------------------------------------------------
SAMPLES = Path(__file__).resolve().parents[1] / "pantau" / "samples"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def test_samples_ingest_cleanly(tmp_path: Path) -> None:
    """What `make demo` ingests: every sample is added, none fails, both languages are there."""
    with Store(f"sqlite:///{tmp_path / 'demo.db'}") as s:
        rep = s.ingest([str(SAMPLES)])
        assert [r.reason for r in rep.failed] == [] and len(rep.added) == 8
        docs = s.documents()
    assert {d["language"] for d in docs} == {"id", "en"}
    assert all(d["published_date"] for d in docs)


def test_samples_are_written_in_our_own_words() -> None:
    """No run of 8 words from the dev articles appears in the bundled samples."""
    if not SEEDS.is_dir():
        pytest.fail(f"{SEEDS} not present (../shared must be beside the checkout)")

    def grams(text: str) -> set[tuple[str, ...]]:
        words = [w.strip(".,;:()\"'").lower() for w in text.split()]
        return {tuple(words[i:i + 8]) for i in range(len(words) - 7)}

    seeds: set[tuple[str, ...]] = set()
    for f in SEEDS.glob("*.txt"):
        seeds |= grams(f.read_text(encoding="utf-8"))
    assert seeds
    for f in SAMPLES.iterdir():
        assert not grams(f.read_text(encoding="utf-8")) & seeds, f.name


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pantauan Uji</title><id>urn:uji</id>
<updated>2024-11-02T00:00:00Z</updated>
<entry><title>Menteri Pertahanan Bertemu di Moskow</title><id>urn:uji:1</id>
<link href="http://example.invalid/moskow"/><updated>2024-11-02T06:00:00Z</updated>
<author><name>Desk Uji</name></author>
<content type="html">&lt;p&gt;Menteri pertahanan kedua negara bertemu di Moskow pada Jumat untuk membahas
kerja sama militer.&lt;/p&gt;&lt;p&gt;Pertemuan itu berlangsung tertutup.&lt;/p&gt;</content></entry>
</feed>"""


def test_atom_file_and_json_records_in_a_folder(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "feed.atom").write_text(ATOM, encoding="utf-8")
    (d / "batch.json").write_text(json.dumps([{"text": EN_TEXT}, {"title": "no text"}]), encoding="utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not a known suffix: not planned
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = run(url, "ingest", str(d))
    assert r.exit_code == 1
    assert f"{d / 'batch.json'}[1]: record has no 'text' string" in r.stderr
    assert "2 added, 0 duplicate(s), 1 failed" in r.stdout
    with Store(url) as s:
        docs = {x["title"]: x for x in s.documents()}
        atom = s.show(docs["Menteri Pertahanan Bertemu di Moskow"]["id"])
    assert atom["text"] == ("Menteri Pertahanan Bertemu di Moskow\n\nMenteri pertahanan kedua negara bertemu di "
                            "Moskow pada Jumat untuk membahas\nkerja sama militer.\n\nPertemuan itu berlangsung "
                            "tertutup.")
    assert atom["authors"] == ["Desk Uji"] and atom["publisher"] == "Pantauan Uji"
    assert atom["published_date"].isoformat() == "2024-11-02"


def test_jsonl_files_are_streamed_with_a_limit_per_record(tmp_path: Path) -> None:
    """A JSONL file larger than the size limit is fine; a single record over it fails alone.
    Records may contain U+2028 and U+0085, which are not line breaks in JSONL."""
    f = tmp_path / "bulk.jsonl"
    records = [{"text": f"Laporan {i}\nKapal ke-{i} terlihat di perairan Nampo\u2028pada pagi hari.\u0085"}
               for i in range(30)]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(5, json.dumps({"text": "Judul\n" + "panjang " * 200}))
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert f.stat().st_size > 2000
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = run(url, "ingest", str(f), env={"PANTAU_MAX_BYTES": "1000"})
    assert r.exit_code == 1
    size = len(lines[5].encode()) + 1  # with its newline
    assert r.stderr.strip() == f"error: {f}:6: record too large ({size} bytes, the limit is 1000)"
    assert "30 added" in r.stdout
    with Store(url) as s:
        assert s.show(1)["text"] == records[0]["text"]
    assert [x.text for x in parse_jsonl("m", "\n".join(lines)) if not isinstance(x, InputError)][:1] \
        == [records[0]["text"]]


def test_ingest_is_in_the_audit_log_and_the_chain_verifies(store: Store) -> None:
    import sqlalchemy as sa

    from pantau.services.audit import AuditLog
    from pantau.storage.share_tables import audit_log

    store.add_text(ID_TEXT, source="a")
    store.add_text(ID_TEXT, source="a-again")  # a duplicate writes nothing, so it is not audited
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.action, audit_log.c.object_type, audit_log.c.detail)
                            .where(audit_log.c.action == "document.ingest")).all()
        report = AuditLog.for_store(store.url).verify(conn)
    assert len(rows) == 1 and rows[0].object_type == "document"
    assert '"source":"a"' in rows[0].detail
    assert report.ok, report.problems
