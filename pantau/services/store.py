"""`pantau.Store`: the store as a Python object, with the same queries the CLI has.

    >>> store = pantau.Store("sqlite:///var/demo.db")
    >>> store.ingest(["pantau/samples"])
    >>> store.events(actor="PRK", type="MOBILIZE", since="2024")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from pantau.exc import NotFound
from pantau.services.query import parse_bound
from pantau.settings import Settings
from pantau.storage import queries
from pantau.storage.db import open_database

if TYPE_CHECKING:
    from pantau.services.ingest import IngestReport, IngestResult


class Store:
    """A pantau store (SQLite file or PostgreSQL). Opening it upgrades the schema to the latest
    revision. `url` defaults to PANTAU_DB_URL, else a file in the user's data directory."""

    def __init__(self, url: str | None = None, *, settings: Settings | None = None, migrate: bool = True) -> None:
        self.settings = settings or Settings.from_env(db_url=url)
        self.url = url or self.settings.db_url
        self.engine: Engine = open_database(self.url, migrate=migrate)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- reads -------------------------------------------------------------------------------
    def documents(self, *, text: str | None = None, since: str | date | None = None,
                  until: str | date | None = None, publisher: str | None = None,
                  language: str | None = None, limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return queries.list_documents(conn, text=text, since=parse_bound(since),
                                          until=parse_bound(until, end=True), publisher=publisher,
                                          language=language, limit=limit, offset=offset)

    def entities(self, *, type: str | None = None, text: str | None = None, limit: int | None = 100,
                 offset: int = 0) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return queries.list_entities(conn, type=type, text=text, limit=limit, offset=offset)

    def events(self, *, actor: str | None = None, type: str | None = None, since: str | date | None = None,
               until: str | date | None = None, text: str | None = None, document: int | None = None,
               limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Events read from stored documents. `actor` is an entity id (PRK, person:kim-jong-un) or
        part of a name or alias, and also matches actors affiliated with it; `since`/`until`
        select events whose date interval overlaps [since, until]."""
        with self.engine.connect() as conn:
            return queries.list_events(conn, actor=actor, type=type, since=parse_bound(since),
                                       until=parse_bound(until, end=True), text=text, document_id=document,
                                       limit=limit, offset=offset)

    def show(self, ref: int | str) -> dict[str, Any]:
        """One document (by id, or by content-hash prefix of 8+ characters) with its metadata,
        text and its `pantau.extract/1` extraction."""
        with self.engine.connect() as conn:
            row = queries.get_document_row(conn, ref)
            if row is None:
                raise NotFound(f"no document {ref!r}")
            row["extraction"] = queries.load_extraction(conn, row).to_dict()
            return row

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return queries.counts(conn)

    # -- writes ------------------------------------------------------------------------------
    def ingest(self, sources: Iterable[str] | str, *, glob: str | None = None, publisher: str | None = None,
               language: str | None = None, on_result: Callable[[IngestResult], None] | None = None,
               on_input: Callable[[str], None] | None = None, org: str | None = None, tlp: str | None = None,
               release_to: list[str] | None = None) -> IngestReport:
        """Ingest files, folders, `-` (stdin), http(s) URLs, feeds and JSONL files; see `pantau ingest`.
        `org`, `tlp` and `release_to` (organisation slugs) set the owner, the marking and the releases
        of every stored document (default: the node's own organisation, AMBER, none)."""
        from pantau.services.ingest import ingest_sources, resolve_holding

        if isinstance(sources, str):
            sources = [sources]
        holding = resolve_holding(self, org, tlp, release_to)
        return ingest_sources(self, list(sources), glob=glob, publisher=publisher, language=language,
                              on_result=on_result, on_input=on_input, holding=holding)

    def add_text(self, text: str, *, title: str | None = None, url: str | None = None,
                 published: str | None = None, publisher: str | None = None, language: str | None = None,
                 source: str = "<text>", org: str | None = None, tlp: str | None = None,
                 release_to: list[str] | None = None) -> IngestResult:
        """Extract and store one text (one transaction); a duplicate (the same organisation's holding of
        the same text) is reported, not stored twice. `org`/`tlp`/`release_to` as in `ingest`."""
        from pantau.services.ingest import ingest_item, resolve_holding
        from pantau.services.sources import Item

        holding = resolve_holding(self, org, tlp, release_to)
        return ingest_item(self, Item(source=source, text=text, title=title, url=url, published=published,
                                      publisher=publisher, language=language), holding)
