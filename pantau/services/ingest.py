"""Ingest: read inputs, extract each document, store it in one transaction per document.

Idempotent: a document is identified by the sha256 of its text; the same text twice is one
document (the second is reported as a duplicate). A failure or a kill during a document rolls
its transaction back, so the store never holds half a document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Literal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pantau.exc import InputError
from pantau.services import sources
from pantau.services.sharing import write_releases
from pantau.services.sources import Item
from pantau.storage.tables import DEFAULT_MARKING, NODE_ORG_ID, events
from pantau.storage.writer import DocumentRecord, find_document, save_document

if TYPE_CHECKING:
    from pantau.services.store import Store

Status = Literal["added", "duplicate", "failed"]


@dataclass(slots=True)
class IngestResult:
    source: str
    status: Status
    document_id: int | None = None
    reason: str | None = None
    title: str | None = None
    events: int = 0

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.source}: {self.reason}"
        return f"{self.source}: {self.status} as document {self.document_id}"


@dataclass(slots=True)
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)

    def _of(self, status: Status) -> list[IngestResult]:
        return [r for r in self.results if r.status == status]

    @property
    def added(self) -> list[IngestResult]:
        return self._of("added")

    @property
    def duplicates(self) -> list[IngestResult]:
        return self._of("duplicate")

    @property
    def failed(self) -> list[IngestResult]:
        return self._of("failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{len(self.results)} input(s): {len(self.added)} added, "
                f"{len(self.duplicates)} duplicate(s), {len(self.failed)} failed")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Holding:
    """Whose document an ingest stores and how it is marked: the owner organisation, the TLP marking
    and the organisations an AMBER document is released to (`pantau ingest --org --tlp --release-to`)."""

    org_id: int = NODE_ORG_ID
    marking: str = DEFAULT_MARKING
    release_orgs: tuple[str, ...] = ()


def resolve_holding(store: Store, org: str | None = None, tlp: str | None = None,
                    release_to: list[str] | None = None) -> Holding:
    """The holding for these options (slugs or ids); InputError naming the option on a bad value."""
    import sqlalchemy as sa

    from pantau.model.markings import TLP
    from pantau.storage.tables import organisations

    try:
        mark = TLP.parse(tlp).value if tlp else DEFAULT_MARKING
    except ValueError as exc:
        raise InputError("--tlp", str(exc)) from exc
    with store.engine.connect() as conn:
        def org_id(ref: str, option: str) -> int:
            ref = ref.strip()
            col = organisations.c.id if ref.isdigit() else organisations.c.slug
            got = conn.execute(sa.select(organisations.c.id).where(col == (int(ref) if ref.isdigit() else ref))).scalar()
            if got is None:
                raise InputError(option, f"no organisation {ref!r}")
            return int(got)

        owner = org_id(org, "--org") if org else NODE_ORG_ID
        rel = tuple(dict.fromkeys(str(org_id(r, "--release-to")) for r in (release_to or []) if r.strip()))
    if rel and mark != TLP.AMBER.value:
        raise InputError("--release-to", f"releases to organisations apply to AMBER documents, not {mark}")
    return Holding(owner, mark, rel)


def ingest_sources(store: Store, paths: list[str], *, glob: str | None = None, publisher: str | None = None,
                   language: str | None = None, on_result: Callable[[IngestResult], None] | None = None,
                   on_input: Callable[[str], None] | None = None, stdin: IO[bytes] | None = None,
                   holding: Holding | None = None) -> IngestReport:
    """Ingest every planned input (see `sources.plan`); `on_result` is called per document,
    `on_input` after each input is done (for progress bars)."""
    report = IngestReport()

    def emit(res: IngestResult) -> None:
        report.results.append(res)
        if on_result:
            on_result(res)

    for name in sources.plan(paths, glob):
        for got in sources.read_input(name, store.settings, stdin=stdin):
            if isinstance(got, InputError):
                emit(IngestResult(got.source, "failed", reason=got.reason))
                continue
            got.publisher = got.publisher or publisher
            got.language = got.language or language
            emit(ingest_item(store, got, holding))
        if on_input:
            on_input(name)
    if report.added:  # fuse the new documents into the knowledge base (incremental; `pantau fuse` catches up)
        from pantau.services.kb import fuse_quietly

        fuse_quietly(store)
        from pantau.services.monitor_hooks import after_ingest

        after_ingest(store, [int(r.document_id) for r in report.added if r.document_id is not None])
    return report


def ingest_item(store: Store, item: Item, holding: Holding | None = None, *, org_id: int | None = None,
                marking: str | None = None) -> IngestResult:
    """Extract and store one item in one transaction, with its audit record in the same transaction.
    `holding` names the owner organisation, marking and releases (default: the node, AMBER); the
    same text is a duplicate only within one organisation's holdings. `org_id`/`marking` override
    the holding's (e.g. for a watched source)."""
    from dataclasses import replace

    holding = holding or Holding()
    if org_id is not None:
        holding = replace(holding, org_id=int(org_id))
    if marking is not None:
        holding = replace(holding, marking=marking)
    from pantau.nlp.pipeline import extract
    from pantau.services.audit import record as audit_record

    if not item.text.strip():
        return IngestResult(item.source, "failed", reason="empty input")
    digest = content_hash(item.text)
    with store.engine.connect() as conn:
        existing = find_document(conn, digest, holding.org_id)
    if existing is not None:
        return IngestResult(item.source, "duplicate", document_id=existing, title=item.title)
    try:
        ex = extract(item.text, published=item.published, language=item.language, title=item.title, url=item.url)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        return IngestResult(item.source, "failed", reason=f"extraction failed ({type(exc).__name__}: {exc})")
    record = DocumentRecord(text=item.text, content_hash=digest, title=item.title, url=item.url,
                            publisher=item.publisher, source=item.source, authors=list(item.authors),
                            org_id=holding.org_id, marking=holding.marking)
    try:
        with store.engine.begin() as conn:
            doc_id = save_document(conn, record, ex)
            ev_ids = list(conn.execute(sa.select(events.c.id).where(events.c.document_id == doc_id)
                                       .order_by(events.c.id)).scalars())
            rel = {"orgs": list(holding.release_orgs), "groups": [], "users": []}
            write_releases(conn, [("documents", doc_id), *[("events", e) for e in ev_ids]], rel)
            audit_record(store, conn, "document.ingest", object_type="document", object_id=doc_id,
                         detail={"source": item.source, "sha256": digest, "events": len(ex.events),
                                 "entities": len(ex.entities), "org": holding.org_id, "tlp": holding.marking,
                                 "release": rel, "event_ids": ev_ids})
    except IntegrityError as exc:
        with store.engine.connect() as conn:
            existing = find_document(conn, digest, holding.org_id)
        if existing is not None:  # another writer stored the same text meanwhile
            return IngestResult(item.source, "duplicate", document_id=existing, title=item.title)
        return IngestResult(item.source, "failed", reason=f"store rejected it ({exc.orig})")
    except SQLAlchemyError as exc:
        return IngestResult(item.source, "failed", reason=f"store error ({type(exc).__name__}: {exc})")
    return IngestResult(item.source, "added", document_id=doc_id, title=item.title or ex.document.title,
                        events=len(ex.events))
