"""The Python API: `pantau.extract` and `pantau.Store` with the CLI's queries."""

from __future__ import annotations

from pathlib import Path

import pytest

import pantau
from pantau.exc import NotFound

REPORT = ("Menlu ASEAN Bahas Situasi Semenanjung Korea\n"
          "Para menteri luar negeri ASEAN bertemu di Vientiane pada Jumat (26/7/2024) dan menyerukan "
          "dialog untuk meredakan ketegangan di Semenanjung Korea.\n")


def test_extract_is_pure_and_follows_the_contract() -> None:
    ex = pantau.extract(REPORT, published="2024-07-26", language="id")
    d = ex.to_dict()
    assert d["schema"] == "pantau.extract/1"
    assert d["document"]["language"] == "id"
    assert d["document"]["title"] == "Menlu ASEAN Bahas Situasi Semenanjung Korea"
    for ent in d["entities"]:
        for m in ent["mentions"]:
            assert REPORT[m["start"]:m["end"]] == m["text"]
    assert pantau.extract(REPORT, published="2024-07-26", language="id").to_dict() == d


def test_store_api_ingests_and_queries(store_url: str, tmp_path: Path) -> None:
    f = tmp_path / "menlu.txt"
    f.write_text(REPORT, encoding="utf-8")
    with pantau.Store(store_url) as store:
        report = store.ingest([str(f)], publisher="Warta Uji")
        assert report.ok and [r.status for r in report.results] == ["added"]
        assert store.ingest(str(f)).duplicates[0].document_id == report.added[0].document_id
        docs = store.documents(text="vientiane")
        assert [d["title"] for d in docs] == ["Menlu ASEAN Bahas Situasi Semenanjung Korea"]
        assert docs[0]["publisher"] == "Warta Uji"
        shown = store.show(docs[0]["id"])
        assert shown["text"] == REPORT and shown["extraction"]["document"]["text_sha256"] == shown["content_hash"]
        assert store.events(since="2030") == []
        assert isinstance(store.entities(), list)
        with pytest.raises(NotFound):
            store.show(12345)
        added = store.add_text("Judul\nTeks kedua yang berbeda.", title="Judul", published="2024-08-01")
        assert added.status == "added"
        assert store.documents(since="2024-08-01", until="2024-08")[0]["id"] == added.document_id
        assert store.add_text("   ").status == "failed"


def test_store_defaults_to_pantau_db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("PANTAU_DB_URL", url)
    with pantau.Store() as store:
        assert store.url == url
        assert store.counts()["documents"] == 0
    assert (tmp_path / "env.db").exists()
