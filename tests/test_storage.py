"""The store on SQLite and PostgreSQL: migrations, round trip of an extraction, queries,
idempotence, atomic writes."""

from __future__ import annotations

import importlib
import pkgutil

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
                  "event_quantities", "event_evidence", "organisations", "users", "markings", "audit"):
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
