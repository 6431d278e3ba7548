"""STIX 2.1 bundles of fused events and incidents, with TLP 2.0 markings and confidence.

Mapping (objects get deterministic ids, so exporting twice gives the same ids):
- actor (country, body, person) → `identity` (organization / individual);
- place → `location` (country as ISO 3166-1 alpha-2 where known);
- fused event → `report` (threat-report) whose `object_refs` are its actors, place and
  relationships; `confidence` from the Admiralty credibility; grade, PLOVER type/mode/contexts
  as labels; each source article as an external reference;
- who acted on whom → `relationship` (source identity → target identity, the PLOVER type
  lower-cased as relationship type, e.g. `aid`, `consult`);
- incident ("possible violation of UNSCR 1874 para 9") → `note` on the report;
- markings → the TLP 2.0 `marking-definition` objects (extension
  `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`), referenced by every object.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pantau.model import TLP_IDS, Entity
from pantau.model.kb import FusedEvent, Incident
from pantau.model.markings import TLP

__all__ = ["bundle", "marking_definition", "TLP2_EXTENSION"]

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
NAMESPACE = uuid.UUID("6f0d3c2e-1c1b-5b8e-9a55-70616e746175")  # pantau's uuid5 namespace


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _ts(value: datetime | None = None) -> str:
    v = (value or datetime.now(UTC)).astimezone(UTC)
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"


def marking_definition(tlp: TLP) -> dict[str, Any]:
    """The TLP 2.0 marking-definition object for `tlp`, as published with the extension."""
    return {
        "type": "marking-definition", "spec_version": "2.1", "id": TLP_IDS[tlp], "created": TLP2_CREATED,
        "name": f"TLP:{tlp.value}",
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.value.lower()}},
    }


def _alpha2(code: str | None) -> str | None:
    if not code or len(code) != 3 or not code.isalpha():
        return None
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code.upper())
    except (ImportError, LookupError):
        return None
    return c.alpha_2 if c else None


def _identity(actor: str, ent: Entity | None, created: str, marking: str) -> dict[str, Any]:
    person = actor.startswith("person:") or (ent is not None and ent.type == "person")
    obj: dict[str, Any] = {
        "type": "identity", "spec_version": "2.1", "id": _id("identity", actor), "created": created,
        "modified": created, "name": ent.name if ent else actor,
        "identity_class": "individual" if person else "organization",
        "object_marking_refs": [marking],
    }
    if ent is not None and ent.role:
        obj["roles"] = [ent.role]
    if ent is not None and ent.affiliation:
        obj["description"] = f"acts for {ent.affiliation}"
    return obj


def _location(place: str, ent: Entity | None, created: str, marking: str) -> dict[str, Any]:
    country = _alpha2(ent.country if ent else None) or _alpha2(place)
    obj: dict[str, Any] = {"type": "location", "spec_version": "2.1", "id": _id("location", place),
                           "created": created, "modified": created, "name": ent.name if ent else place,
                           "object_marking_refs": [marking]}
    if country:
        obj["country"] = country
    else:
        obj["region"] = "eastern-asia" if place.upper() in ("PRK", "KOR") else "world"  # vocabulary fallback
    return obj


def bundle(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = (), *,
           entities: Mapping[str, Entity] | None = None, created: datetime | None = None) -> dict[str, Any]:
    """A STIX 2.1 bundle (as a dict, ready for json.dumps) of the fused events and their incidents."""
    ents = entities or {}
    ts = _ts(created)
    objects: dict[str, dict[str, Any]] = {}
    used: set[TLP] = set()
    by_event: dict[str, list[Incident]] = {}
    for inc in incidents:
        by_event.setdefault(inc.fused_event_id, []).append(inc)
    for f in fused:
        tlp = f.tlp if isinstance(f.tlp, TLP) else TLP.parse(str(f.tlp))
        used.add(tlp)
        mref = TLP_IDS[tlp]
        refs: list[str] = []
        actors = {a: _identity(a, ents.get(a), ts, mref) for a in [*f.source, *f.target]}
        roots = {r: _identity(r, ents.get(r), ts, mref) for r in [*f.source_roots, *f.target_roots]}
        for obj in [*actors.values(), *roots.values()]:
            objects.setdefault(obj["id"], obj)
            refs.append(obj["id"])
        if f.location:
            loc = _location(f.location, ents.get(f.location), ts, mref)
            objects.setdefault(loc["id"], loc)
            refs.append(loc["id"])
        srcs = f.source_roots or f.source
        tgts = f.target_roots or f.target
        for s in srcs:
            for t in tgts:
                if s == t:
                    continue
                rel = {"type": "relationship", "spec_version": "2.1", "id": _id("relationship", f"{f.id}:{s}:{t}"),
                       "created": ts, "modified": ts, "relationship_type": f.type.lower(),
                       "source_ref": _id("identity", s), "target_ref": _id("identity", t),
                       "description": f.summary or f.type, "object_marking_refs": [mref]}
                if f.date:
                    rel["start_time"] = f"{f.date.start}T00:00:00.000Z"
                    rel["stop_time"] = f"{f.date.end}T23:59:59.000Z"
                if f.confidence is not None:
                    rel["confidence"] = f.confidence
                objects[rel["id"]] = rel
                refs.append(rel["id"])
        report_id = _id("report", f"fused:{f.id}")
        labels = [f"plover:{f.type.lower()}", f"admiralty:{f.grade}"]
        labels += [f"plover-mode:{f.mode}"] if f.mode else []
        labels += [f"context:{c}" for c in f.contexts]
        desc = [f.summary or f.type]
        if f.quantities:
            desc.append("Reported figures: " + "; ".join(
                f"{q.value:,} {q.unit} ({q.publisher or 'document ' + q.doc_id})" for q in f.quantities))
        desc += [f"- {e.publisher or 'document ' + e.doc_id}: {e.text}" for e in f.evidence]
        report: dict[str, Any] = {
            "type": "report", "spec_version": "2.1", "id": report_id, "created": ts, "modified": ts,
            "name": f.summary or f"{f.type} event {f.id}", "report_types": ["threat-report"],
            "published": f"{f.date.end}T00:00:00.000Z" if f.date else ts,
            "object_refs": refs or [_id("identity", "unknown")], "description": "\n".join(desc),
            "labels": labels, "object_marking_refs": [mref],
        }
        if not refs:
            unknown = _identity("unknown", None, ts, mref)
            objects.setdefault(unknown["id"], unknown)
        if f.confidence is not None:
            report["confidence"] = f.confidence
        ext = [{"source_name": e.publisher or "unknown publisher", "url": e.url,
                "description": (e.title or f"document {e.doc_id}") + (
                    f" (near-duplicate of document {e.near_duplicate_of})" if e.near_duplicate_of else "")}
               for e in f.evidence]
        ext = [{k: v for k, v in r.items() if v} for r in ext]
        if ext:
            report["external_references"] = ext
        objects[report_id] = report
        for inc in by_event.get(f.id, []):
            itlp = inc.tlp if isinstance(inc.tlp, TLP) else TLP.parse(str(inc.tlp))
            used.add(itlp)
            note = {"type": "note", "spec_version": "2.1", "id": _id("note", f"incident:{inc.id}"),
                    "created": ts, "modified": ts, "abstract": inc.title,
                    "content": f"{inc.prohibits}\nStatus: {inc.status}.\nWhy: {'; '.join(inc.reasons)}"
                               + "".join(f"\nNote: {n}" for n in inc.notes),
                    "object_refs": [report_id], "labels": [f"incident-status:{inc.status}", inc.provision_id],
                    "object_marking_refs": [TLP_IDS[itlp]]}
            if f.confidence is not None:
                note["confidence"] = f.confidence
            objects[note["id"]] = note
    for tlp in sorted(used, key=lambda t: list(TLP).index(t)):
        objects[TLP_IDS[tlp]] = marking_definition(tlp)
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects.values())}
