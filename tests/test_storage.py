"""The store on SQLite and PostgreSQL: migrations, round trip of an extraction, queries,
idempotence, atomic writes."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pantau.storage
from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction, Mention, Quantity
from pantau.services.store import Store
from pantau.storage import migrate
from pantau.storage.tables import metadata

TEXT_ID = (
    "Korea Utara Kirim Pasukan ke Rusia\n"
    "Pyongyang mengirim sekitar 10.000 tentara ke wilayah Kursk pada Oktober 2024, kata Kementerian "
    "Pertahanan Korea Selatan. Menteri Pertahanan Kim Yong-hyun menyebut pengiriman itu ancaman."
)


def _span(text: str, s: str) -> Mention:
    i = text.index(s)
    return Mention(i, i + len(s), s)


def sample_extraction(text: str = TEXT_ID) -> Extraction:
    sent = text.split("\n", 1)[1].split(". ")[0] + "."
    ev_start = text.index(sent)
    return Extraction(
        document=DocumentMeta(title=text.split("\n")[0], language="id",
                              published=DateValue("2024-10-20", "2024-10-20", "day", "text", "20/10/2024"),
                              text_sha256="x", authors=["Penulis Uji"]),
        entities=[
            Entity("PRK", "country", "North Korea", [_span(text, "Korea Utara"), _span(text, "Pyongyang")]),
            Entity("RUS", "country", "Russia", [_span(text, "Rusia")]),
            Entity("person:kim-yong-hyun", "person", "Kim Yong-hyun", [_span(text, "Kim Yong-hyun")],
                   affiliation="KOR", role="Minister of National Defense"),
            Entity("place:kursk", "place", "Kursk", [_span(text, "Kursk")], country="RUS"),
        ],
        events=[
            Event("e1", "MOBILIZE", ["PRK"], ["RUS"], [Evidence(ev_start, ev_start + len(sent), sent)],
                  mode="troops", contexts=["military"], location="place:kursk",
                  date=DateValue("2024-10-01", "2024-10-31", "month", "explicit", "Oktober 2024"),
                  quantities=[Quantity(10000, "troops", True, "sekitar 10.000 tentara")],
                  factuality="reported", confidence=0.8, trigger="mengirim"),
            Event("e2", "ACCUSE", ["person:kim-yong-hyun"], ["PRK", "ORG:UNKNOWN"],
                  [Evidence(0, 10, text[:10])], factuality="asserted", confidence=0.4),
        ],
    )


def test_open_migrates_to_head(store_url: str) -> None:
    s = Store(store_url)
    try:
        assert migrate.current_revision(s.engine) == migrate.head_revision()
        insp = sa.inspect(s.engine)
        for t in ("documents", "entities", "entity_aliases", "mentions", "events", "event_actors",
                  "event_quantities", "event_evidence", "organisations", "users", "markings", "audit_log"):
            assert insp.has_table(t), t
        with s.engine.connect() as c:
            marks = dict(c.execute(sa.text("SELECT tlp, rank FROM markings")).all())
            org = c.execute(sa.text("SELECT slug FROM organisations WHERE id = 1")).scalar()
        assert marks == {"CLEAR": 0, "GREEN": 1, "AMBER": 2, "AMBER+STRICT": 3, "RED": 4}
        assert org == "local"
    finally:
        s.close()
    # opening again is a no-op upgrade and keeps the data
    s2 = Store(store_url)
    assert s2.counts()["documents"] == 0
    s2.close()


def test_migrations_match_the_tables(store: Store) -> None:
    """Every table declared on the shared metadata is created by a migration, column for column."""
    for mod in pkgutil.iter_modules(pantau.storage.__path__, "pantau.storage."):
        if not mod.name.endswith(".migrations"):
            importlib.import_module(mod.name)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(ctx, metadata)
                 if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]
    assert diffs == []


def test_downgrade_to_base_and_up_again(store_url: str) -> None:
    s = Store(store_url)
    migrate.downgrade(s.engine, "base")
    assert not sa.inspect(s.engine).has_table("documents")
    migrate.upgrade(s.engine)
    assert sa.inspect(s.engine).has_table("documents")
    s.close()


def _save(store: Store, text: str = TEXT_ID, ex: Extraction | None = None, **kw: object) -> int:
    from pantau.services.ingest import content_hash
    from pantau.storage.writer import DocumentRecord, save_document

    with store.engine.begin() as conn:
        return save_document(conn, DocumentRecord(text=text, content_hash=content_hash(text), **kw),
                             ex or sample_extraction(text))


def test_extraction_round_trips(store: Store) -> None:
    doc_id = _save(store, publisher="Kantor Berita Uji", source="uji.txt")
    got = store.show(doc_id)
    assert got["text"] == TEXT_ID and got["publisher"] == "Kantor Berita Uji" and got["source"] == "uji.txt"
    assert got["marking"] == "AMBER" and got["org_id"] == 1
    ex = got["extraction"]
    assert ex["schema"] == "pantau.extract/1"
    assert ex["document"]["published"] == {"date": "2024-10-20", "precision": "day", "basis": "text",
                                           "text": "20/10/2024"}
    assert ex["document"]["authors"] == ["Penulis Uji"]
    want = sample_extraction().to_dict()
    assert ex["entities"] == want["entities"]
    # offsets still point at the stored text
    for ent in ex["entities"]:
        for m in ent["mentions"]:
            assert got["text"][m["start"]:m["end"]] == m["text"]
    mob, acc = ex["events"]
    for key in ("type", "mode", "contexts", "source", "target", "location", "date", "quantities",
                "factuality", "evidence", "confidence", "trigger"):
        assert mob[key] == want["events"][0][key], key
    assert mob["quantities"] == [{"value": 10000, "unit": "troops", "approx": True,
                                  "text": "sekitar 10.000 tentara"}]
    assert acc["target"] == ["PRK", "ORG:UNKNOWN"]  # unknown actor ids become stub entities
    stub = store.entities(text="ORG:UNKNOWN")
    assert [(e["id"], e["type"]) for e in stub] == [("ORG:UNKNOWN", "organization")]


def test_show_by_hash_prefix_and_missing(store: Store) -> None:
    from pantau.exc import NotFound
    from pantau.services.ingest import content_hash

    doc_id = _save(store)
    assert store.show(content_hash(TEXT_ID)[:10])["id"] == doc_id
    with pytest.raises(NotFound):
        store.show(doc_id + 1)
    with pytest.raises(NotFound):
        store.show("abc")


def test_event_queries_filter_by_actor_type_date_and_text(store: Store) -> None:
    _save(store)
    assert [e["type"] for e in store.events(actor="PRK")] == ["MOBILIZE", "ACCUSE"]
    assert [e["type"] for e in store.events(actor="korea utara")] == ["MOBILIZE", "ACCUSE"]  # alias
    assert [e["type"] for e in store.events(actor="rus")] == ["MOBILIZE"]
    # a person counts for the country they act for
    assert [e["type"] for e in store.events(actor="KOR")] == ["ACCUSE"]
    assert [e["type"] for e in store.events(type="mobilize")] == ["MOBILIZE"]
    assert [e["type"] for e in store.events(since="2024-10-15")] == ["MOBILIZE"]  # interval overlap
    assert [e["type"] for e in store.events(until="2024-09")] == []
    assert [e["type"] for e in store.events(since="2024", until="2024")] == ["MOBILIZE"]
    assert [e["type"] for e in store.events(text="10.000 TENTARA")] == ["MOBILIZE"]
    assert store.events(text="100%") == []  # LIKE wildcards are literal
    ev = store.events(type="MOBILIZE")[0]
    assert ev["source_names"] == ["North Korea"] and ev["target_names"] == ["Russia"]
    assert ev["date_precision"] == "month" and ev["factuality"] == "reported"


def test_document_and_entity_queries(store: Store) -> None:
    _save(store, publisher="Kantor Berita Uji")
    other = "Sanctions Announced\nThe European Union announced new sanctions on Tuesday."
    ex = Extraction(DocumentMeta("Sanctions Announced", "en", None, "x"),
                    [Entity("EU", "organization", "European Union", [_span(other, "European Union")])])
    _save(store, other, ex)
    docs = store.documents()
    assert [d["title"] for d in docs] == ["Korea Utara Kirim Pasukan ke Rusia", "Sanctions Announced"]
    assert [d["events"] for d in docs] == [2, 0]
    assert [d["title"] for d in store.documents(text="european")] == ["Sanctions Announced"]
    assert [d["title"] for d in store.documents(language="en")] == ["Sanctions Announced"]
    assert [d["title"] for d in store.documents(since="2024-10-01")] == ["Korea Utara Kirim Pasukan ke Rusia"]
    assert [d["title"] for d in store.documents(publisher="kantor")] == ["Korea Utara Kirim Pasukan ke Rusia"]
    ents = {e["id"]: e for e in store.entities()}
    assert ents["PRK"]["mentions"] == 2 and ents["PRK"]["documents"] == 1 and ents["PRK"]["events"] == 2
    assert [e["id"] for e in store.entities(type="person")] == ["person:kim-yong-hyun"]
    assert [e["id"] for e in store.entities(text="Uni Eropa")] == []
    assert [e["id"] for e in store.entities(text="union")] == ["EU"]


def test_same_text_twice_is_rejected_by_the_store(store: Store) -> None:
    _save(store)
    with pytest.raises(sa.exc.IntegrityError):
        _save(store)
    assert store.counts()["documents"] == 1


def test_failed_write_leaves_nothing(store: Store) -> None:
    """An error half-way through a document (here: an evidence row violating NOT NULL after the
    document, entities and first event were written) rolls the whole document back."""
    ex = sample_extraction()
    ex.events[1].evidence = [Evidence(0, 10, None)]  # type: ignore[arg-type]
    with pytest.raises(sa.exc.IntegrityError):
        _save(store, ex=ex)
    assert store.counts() == {"documents": 0, "entities": 0, "events": 0, "mentions": 0}


def test_migration_history_is_linear() -> None:
    """One head: every new revision builds on the previous head (a store with a branched history
    still opens, as `upgrade` applies all heads, but the history should be fixed)."""
    assert len(migrate.head_revisions()) == 1, migrate.head_revisions()


def test_repeated_entity_ids_are_merged_without_touching_the_input(store: Store) -> None:
    ex = sample_extraction()
    ex.entities.append(Entity("PRK", "country", "North Korea", [Mention(0, 11, "Korea Utara")]))
    before = [len(e.mentions) for e in ex.entities]
    doc_id = _save(store, ex=ex)
    assert [len(e.mentions) for e in ex.entities] == before
    prk = [e for e in store.show(doc_id)["extraction"]["entities"] if e["id"] == "PRK"]
    assert len(prk) == 1 and len(prk[0]["mentions"]) == 3
