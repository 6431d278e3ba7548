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

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pantau.exc import InputError
from pantau.services import sources
from pantau.services.sources import Item
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


def ingest_sources(store: Store, paths: list[str], *, glob: str | None = None, publisher: str | None = None,
                   language: str | None = None, on_result: Callable[[IngestResult], None] | None = None,
                   on_input: Callable[[str], None] | None = None, stdin: IO[bytes] | None = None,
                   ) -> IngestReport:
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
            emit(ingest_item(store, got))
        if on_input:
            on_input(name)
    if report.added:  # fuse the new documents into the knowledge base (incremental; `pantau fuse` catches up)
        from pantau.services.kb import fuse_quietly

        fuse_quietly(store)
        from pantau.services.monitor_hooks import after_ingest

        after_ingest(store, [int(r.document_id) for r in report.added if r.document_id is not None])
    return report


def ingest_item(store: Store, item: Item, *, org_id: int | None = None, marking: str | None = None) -> IngestResult:
    """Extract and store one item in one transaction, with its audit record in the same transaction.
    `org_id`/`marking` override the defaults (the node's organisation, AMBER), e.g. for a watched source."""
    from pantau.nlp.pipeline import extract
    from pantau.services.audit import record as audit_record

    if not item.text.strip():
        return IngestResult(item.source, "failed", reason="empty input")
    digest = content_hash(item.text)
    with store.engine.connect() as conn:
        existing = find_document(conn, digest)
    if existing is not None:
        return IngestResult(item.source, "duplicate", document_id=existing, title=item.title)
    try:
        ex = extract(item.text, published=item.published, language=item.language, title=item.title, url=item.url)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        return IngestResult(item.source, "failed", reason=f"extraction failed ({type(exc).__name__}: {exc})")
    record = DocumentRecord(text=item.text, content_hash=digest, title=item.title, url=item.url,
                            publisher=item.publisher, source=item.source, authors=list(item.authors))
    if org_id is not None:
        record.org_id = org_id
    if marking is not None:
        record.marking = marking
    try:
        with store.engine.begin() as conn:
            doc_id = save_document(conn, record, ex)
            audit_record(store, conn, "document.ingest", object_type="document", object_id=doc_id,
                         detail={"source": item.source, "sha256": digest, "events": len(ex.events),
                                 "entities": len(ex.entities)})
    except IntegrityError as exc:
        with store.engine.connect() as conn:
            existing = find_document(conn, digest)
        if existing is not None:  # another writer stored the same text meanwhile
            return IngestResult(item.source, "duplicate", document_id=existing, title=item.title)
        return IngestResult(item.source, "failed", reason=f"store rejected it ({exc.orig})")
    except SQLAlchemyError as exc:
        return IngestResult(item.source, "failed", reason=f"store error ({type(exc).__name__}: {exc})")
    return IngestResult(item.source, "added", document_id=doc_id, title=item.title or ex.document.title,
                        events=len(ex.events))
