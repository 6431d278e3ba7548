"""A partner's reports join the knowledge base: each pulled STIX `report` becomes a local document with
its events, owned by the partner's organisation here, under the partner's marking, released to the
local organisation we pulled for, its source `partner:<name>/<collection>`. Fusion, grading (a
partner's publisher is an independent voice when it differs), assessment and every read path then
take it in like any other document, and show it only to the viewers that marking allows.

A report written by pantau carries its event in pantau's STIX extension (or, from older nodes, in
`x_pantau_event`); any other report is read by the extraction pipeline from its name and
description. A new version replaces the document; a revoked or withdrawn one deletes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction
from pantau.model.markings import TLP
from pantau.storage.share_tables import partner_documents, releases
from pantau.storage.tables import documents, events
from pantau.storage.writer import DocumentRecord, save_document

MAX_TEXT = 200_000
_TYPE = re.compile(r"^[A-Z_]{2,32}$")


@dataclass(frozen=True, slots=True)
class PartnerRef:
    id: int
    name: str
    org_id: int
    for_org_id: int


def _str(v: Any, limit: int = 2000) -> str | None:
    return v[:limit] if isinstance(v, str) and v.strip() else None


def _day(v: Any) -> str | None:
    if not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v[:10]).isoformat()
    except ValueError:
        return None


def pantau_event(obj: dict[str, Any]) -> dict[str, Any] | None:
    """The event data pantau put in a report (its extension, or the older `x_pantau_event`)."""
    from pantau.interop.stix_share import PANTAU_EXTENSION

    ext = obj.get("extensions")
    data = ext.get(PANTAU_EXTENSION) if isinstance(ext, dict) else None
    if not isinstance(data, dict):
        data = obj.get("x_pantau_event")
    return data if isinstance(data, dict) else None


def _ids(v: Any) -> list[str]:
    return [x[:200] for x in v if isinstance(x, str) and x.strip()][:50] if isinstance(v, list) else []


def report_extraction(obj: dict[str, Any]) -> tuple[str, Extraction] | None:
    """The document text and extraction of a partner report (None: nothing usable in it)."""
    data = pantau_event(obj)
    name = _str(obj.get("name"), 500) or ""
    published = _day(obj.get("published"))
    if data is None:
        text = "\n\n".join(t for t in (name, _str(obj.get("description"), MAX_TEXT)) if t)
        if not text.strip():
            return None
        from pantau.nlp.pipeline import extract

        return text, extract(text, published=published, title=name or None)
    ev_type = data.get("type")
    if not isinstance(ev_type, str) or not _TYPE.match(ev_type):
        return None
    quotes = [q[:5000] for q in data.get("evidence") or [] if isinstance(q, str) and q.strip()][:20]
    text = "\n\n".join(quotes) if quotes else (name or ev_type)
    evid, pos = [], 0
    for q in quotes:
        evid.append(Evidence(pos, pos + len(q), q))
        pos += len(q) + 2
    start, end = _day(data.get("date_start")), _day(data.get("date_end"))
    dv = DateValue(start, end or start, "day", "explicit") if start else None
    names = {a["id"]: a for a in data.get("actors") or [] if isinstance(a, dict) and isinstance(a.get("id"), str)}
    source, target = _ids(data.get("source")), _ids(data.get("target"))
    ents = [Entity(id=i, type=_str(names.get(i, {}).get("type"), 20) or _guess_type(i),
                   name=_str(names.get(i, {}).get("name"), 200) or i) for i in dict.fromkeys(source + target)]
    conf = obj.get("confidence")
    fact = data.get("factuality")
    ev = Event(id="e1", type=ev_type, source=source, target=target, evidence=evid,
               mode=_str(data.get("mode"), 32), contexts=_ids(data.get("contexts")),
               location=_str(data.get("location"), 200), date=dv,
               factuality=fact if fact in ("asserted", "reported", "alleged", "planned", "hypothetical",
                                           "negated") else "reported",
               confidence=max(0.0, min(1.0, conf / 100)) if isinstance(conf, int | float) else 0.5,
               trigger=_str(data.get("trigger"), 200))
    meta = DocumentMeta(title=name or None, language=_str(data.get("language"), 8) or "und",
                        published=DateValue(published, published, "day", "metadata") if published else dv,
                        text_sha256=hashlib.sha256(text.encode()).hexdigest())
    return text, Extraction(document=meta, entities=ents, events=[ev])


def _guess_type(entity_id: str) -> str:
    from pantau.storage.writer import stub_entity_type

    return stub_entity_type(entity_id)


def _source(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    """Publisher and URL of the report's first source article (its external references)."""
    for r in obj.get("external_references") or []:
        if isinstance(r, dict) and r.get("source_name") not in (None, "pantau"):
            return _str(r.get("source_name"), 200), _str(r.get("url"), 2000)
    return None, None


def materialise(conn: sa.Connection, p: PartnerRef, collection: str, obj: dict[str, Any], mark: TLP) -> int | None:
    """Store a partner report as a document with its events (replacing an earlier version); returns
    the document id, or None when the report carries nothing to store."""
    forget(conn, p.id, obj["id"])
    got = report_extraction(obj)
    if got is None:
        return None
    text, ex = got
    publisher, url = _source(obj)
    digest = hashlib.sha256(f"partner:{p.id}:{obj['id']}\n{text}".encode()).hexdigest()
    doc = save_document(conn, DocumentRecord(
        text=text, content_hash=digest, title=ex.document.title, url=url,
        publisher=publisher or f"{p.name} (partner node)", source=f"partner:{p.name}/{collection}"[:200],
        org_id=p.org_id, marking=mark.value), ex)
    conn.execute(partner_documents.insert().values(document_id=doc, partner_id=p.id, stix_id=obj["id"],
                                                   collection=collection[:100]))
    ev_ids = list(conn.execute(sa.select(events.c.id).where(events.c.document_id == doc)).scalars())
    for kind, oid in [("documents", doc), *[("events", e) for e in ev_ids]]:
        conn.execute(releases.insert().values(object_kind=kind, object_id=str(oid), org_id=str(p.for_org_id)))
    return doc


def forget(conn: sa.Connection, partner_id: int, stix_id: str | None = None) -> list[int]:
    """Delete the documents (and, by cascade, events and fusion links) made from a partner's report
    (`stix_id`) or from all of its reports; returns the deleted document ids."""
    q = sa.select(partner_documents.c.document_id).where(partner_documents.c.partner_id == partner_id)
    if stix_id is not None:
        q = q.where(partner_documents.c.stix_id == stix_id)
    docs = list(conn.execute(q).scalars())
    if not docs:
        return []
    ev_ids = [str(e) for e in conn.execute(sa.select(events.c.id).where(events.c.document_id.in_(docs))).scalars()]
    conn.execute(releases.delete().where(sa.or_(
        sa.and_(releases.c.object_kind == "documents", releases.c.object_id.in_([str(d) for d in docs])),
        sa.and_(releases.c.object_kind == "events", releases.c.object_id.in_(ev_ids)))))
    conn.execute(documents.delete().where(documents.c.id.in_(docs)))
    return docs
