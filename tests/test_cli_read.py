"""The read commands (`documents`, `entities`, `events`, `show`) in table, JSON and CSV, on both
backends, over a store filled with hand-made extractions (independent of the extractor)."""

from __future__ import annotations

import csv
import io
import json
import shlex

import pytest
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction, Mention, Quantity
from pantau.services.ingest import content_hash
from pantau.services.store import Store
from pantau.storage.writer import DocumentRecord, save_document

LAUNCH = ("North Korea Fires Ballistic Missile Into the Sea\n"
          "North Korea fired a short-range ballistic missile off its east coast on Monday, "
          "the Japanese defence ministry said.")
VOTE = ("Rusia Memveto Perpanjangan Panel Ahli\n"
        "Rusia memveto rancangan resolusi Dewan Keamanan PBB pada 28 Maret 2024; tiga belas negara "
        "mendukung rancangan tersebut.")


def m(text: str, s: str) -> Mention:
    i = text.index(s)
    return Mention(i, i + len(s), s)


def ev(text: str, sent: str) -> Evidence:
    i = text.index(sent)
    return Evidence(i, i + len(sent), sent)


def extractions() -> list[tuple[str, Extraction, str]]:
    launch = Extraction(
        DocumentMeta("North Korea Fires Ballistic Missile Into the Sea", "en",
                     DateValue("2024-05-27", "2024-05-27", "day", "metadata"), "x"),
        [Entity("PRK", "country", "North Korea", [m(LAUNCH, "North Korea")]),
         Entity("org:japan-mod", "organization", "Ministry of Defense of Japan",
                [m(LAUNCH, "Japanese defence ministry")], affiliation="JPN")],
        [Event("e1", "COERCE", ["PRK"], [], [ev(LAUNCH, LAUNCH.split("\n")[1])], mode="missile-test",
               contexts=["military"], date=DateValue("2024-05-27", "2024-05-27", "day", "relative", "Monday"),
               factuality="reported", confidence=0.7)])
    vote = Extraction(
        DocumentMeta("Rusia Memveto Perpanjangan Panel Ahli", "id",
                     DateValue("2024-03-28", "2024-03-28", "day", "text"), "x"),
        [Entity("RUS", "country", "Russia", [m(VOTE, "Rusia")]),
         Entity("UNSC", "organization", "UN Security Council", [m(VOTE, "Dewan Keamanan PBB")])],
        [Event("e1", "REJECT", ["RUS"], ["UNSC"], [ev(VOTE, VOTE.split("\n")[1])], mode="veto",
               contexts=["diplomatic"], date=DateValue("2024-03-28", "2024-03-28", "day", "explicit",
                                                       "28 Maret 2024"),
               quantities=[Quantity(13, "votes_for", False, "tiga belas negara")], confidence=0.9)])
    return [(LAUNCH, launch, "Wire Uji"), (VOTE, vote, "Warta Uji")]


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as s:
        for text, ex, publisher in extractions():
            with s.engine.begin() as conn:
                save_document(conn, DocumentRecord(text, content_hash(text), publisher=publisher), ex)
    return store_url


def run(db: str, *args: str):
    r = CliRunner(env={"COLUMNS": "200"}).invoke(build_app(), ["--db", db, *args])
    return r


def test_documents_in_three_formats(db: str) -> None:
    r = run(db, "documents")
    assert r.exit_code == 0, r.output
    assert "North Korea Fires Ballistic Missile" in r.stdout and "Rusia Memveto" in r.stdout
    rows = json.loads(run(db, "documents", "--format", "json").stdout)
    assert [(d["id"], d["published_date"], d["language"], d["events"]) for d in rows] == [
        (1, "2024-05-27", "en", 1), (2, "2024-03-28", "id", 1)]
    table = list(csv.DictReader(io.StringIO(run(db, "documents", "--format", "csv").stdout)))
    assert [t["publisher"] for t in table] == ["Wire Uji", "Warta Uji"]
    assert list(table[0]) == ["id", "published_date", "language", "publisher", "title", "events"]
    only = json.loads(run(db, "documents", "--since", "2024-04", "-f", "json").stdout)
    assert [d["id"] for d in only] == [1]
    assert json.loads(run(db, "documents", "--text", "memveto", "-f", "json").stdout)[0]["id"] == 2


def test_events_filters_and_formats(db: str) -> None:
    got = json.loads(run(db, "events", "--format", "json").stdout)
    assert [e["type"] for e in got] == ["REJECT", "COERCE"]  # by date
    veto = got[0]
    assert veto["source"] == ["RUS"] and veto["target"] == ["UNSC"] and veto["mode"] == "veto"
    assert veto["quantities"][0]["value"] == 13 and veto["date_start"] == "2024-03-28"
    assert veto["evidence"][0]["text"].startswith("Rusia memveto")
    assert [e["type"] for e in json.loads(run(db, "events", "--actor", "Dewan Keamanan", "-f", "json").stdout)] \
        == ["REJECT"]
    assert [e["type"] for e in json.loads(run(db, "events", "--actor", "JPN", "-f", "json").stdout)] == []
    assert [e["type"] for e in json.loads(run(db, "events", "--type", "coerce", "-f", "json").stdout)] \
        == ["COERCE"]
    assert [e["type"] for e in json.loads(run(db, "events", "--until", "2024-04-30", "-f", "json").stdout)] \
        == ["REJECT"]
    assert [e["type"] for e in json.loads(run(db, "events", "--text", "east coast", "-f", "json").stdout)] \
        == ["COERCE"]
    rows = list(csv.DictReader(io.StringIO(run(db, "events", "--format", "csv").stdout)))
    assert rows[0]["type"] == "REJECT" and rows[0]["source_names"] == "Russia"
    assert rows[0]["date"] == "2024-03-28" and rows[0]["target_names"] == "UN Security Council"
    table = run(db, "events", "--actor", "PRK")
    assert "COERCE" in table.stdout and "REJECT" not in table.stdout
    assert "no events" in run(db, "events", "--actor", "nobody-at-all").stdout


def test_entities(db: str) -> None:
    rows = json.loads(run(db, "entities", "--format", "json").stdout)
    assert {e["id"] for e in rows} == {"PRK", "RUS", "UNSC", "org:japan-mod"}
    assert [e["id"] for e in json.loads(run(db, "entities", "--type", "country", "-f", "json").stdout)] \
        == ["PRK", "RUS"]
    assert "UN Security Council" in run(db, "entities").stdout


def test_show(db: str) -> None:
    doc = json.loads(run(db, "show", "2", "--format", "json").stdout)
    assert doc["text"] == VOTE
    ex = doc["extraction"]
    assert ex["schema"] == "pantau.extract/1" and ex["events"][0]["type"] == "REJECT"
    table = run(db, "show", "1").stdout
    assert "North Korea Fires Ballistic Missile" in table and "COERCE" in table and "JPN" in table
    fields = {r["field"]: r["value"] for r in csv.DictReader(io.StringIO(run(db, "show", "1", "-f", "csv").stdout))}
    assert fields["publisher"] == "Wire Uji" and fields["published_date"] == "2024-05-27"
    missing = run(db, "show", "99")
    assert missing.exit_code == 1 and "no document" in missing.stderr


def test_bad_options_exit_2(db: str) -> None:
    r = run(db, "events", "--since", "last week")
    assert r.exit_code == 2 and "not a date" in r.stderr
    r = run(db, "documents", "--format", "xml")
    assert r.exit_code == 2 and "--format" in r.stderr


def test_db_from_environment_and_bad_url(db: str, tmp_path) -> None:
    r = CliRunner(env={"PANTAU_DB_URL": db}).invoke(build_app(), ["documents", "-f", "json"])
    assert len(json.loads(r.stdout)) == 2
    r = CliRunner().invoke(build_app(), ["--db", "mysql://nowhere/x", "documents"])
    assert r.exit_code == 2 and "cannot open the store" in r.stderr


def test_tables_print_text_literally(tmp_path) -> None:
    """Titles are data, not rich markup: brackets in them are printed as they are."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    with Store(url) as s:
        s.add_text("[FOTO] Kapal [/b] tiba\nKapal itu tiba di pelabuhan pada Minggu.", title="[FOTO] Kapal [/b] tiba")
    for args in (["documents"], ["show", "1"]):
        r = run(url, *args)
        assert r.exit_code == 0, r.output
        assert "[FOTO] Kapal [/b] tiba" in r.stdout


def test_demo_summary(db: str) -> None:
    r = run(db, "demo-summary")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "2 documents" in out and "2 events" in out
    for part in ("Documents", "Actors (most mentioned)", "Events", "Rusia Memveto", "Russia → UN Security Council",
                 "next: try", f"--db {shlex.quote(db)} events --actor ", "events --type COERCE --format csv"):
        assert part in out, part
