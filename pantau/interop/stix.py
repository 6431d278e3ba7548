"""STIX 2.1 bundles of fused events and incidents, with TLP 2.0 markings and confidence, built with the
`stix2` library on the same mapper as TAXII (`stix_share.Mapper`).

Mapping (ids are deterministic in the node's namespace; `created`/`modified` come from the fused
event's own timestamps, so exporting twice gives the same objects until the event changes):
- the node's organisation → an `identity`, the `created_by_ref` of every object;
- country and place → `location` (ISO 3166-1 alpha-2, coordinates where known); body, person →
  `identity` (organization / individual);
- fused event → `report` (threat-report) whose `object_refs` are its actors, place and
  relationships; `confidence` from the Admiralty credibility; pantau's fields (PLOVER type, mode,
  contexts, grade, quantities, dates) in the registered pantau extension; grade and PLOVER type
  also as labels; each source article once as an external reference (SHA-256 of the text held);
- who acted on whom → `relationship` of type `related-to` (a PLOVER verb is not a STIX relationship
  type, and strict validation flags custom types), the PLOVER type in the description and in the
  pantau extension;
- incident ("possible violation of UNSCR 1874 para 9") → `note` on the report, its review notes
  in the content;
- markings → the TLP 2.0 `marking-definition` objects (extension
  `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`), one per object version.
A bundle always carries the node identity, so even an empty export parses (`stix2.parse`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import stix2

from pantau.interop.stix_share import IDENTITY_EPOCH, PANTAU_EXTENSION, Mapper, stix_id, stix_timestamp
from pantau.model import TLP_IDS, Entity
from pantau.model.kb import FusedEvent, Incident
from pantau.model.markings import TLP

__all__ = ["bundle", "marking_definition", "TLP2_EXTENSION", "Mapper"]

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_AUTHOR = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"  # the FIRST/OASIS TLP 2.0 author


def marking_definition(tlp: TLP) -> dict[str, Any]:
    """The TLP 2.0 marking-definition object for `tlp`, as published with the extension."""
    return {
        "type": "marking-definition", "spec_version": "2.1", "id": TLP_IDS[tlp], "created": TLP2_CREATED,
        "created_by_ref": TLP2_AUTHOR, "name": f"TLP:{tlp.value}",
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.value.lower()}},
    }


def _sdo(cls: type, **props: Any) -> dict[str, Any]:
    """Build through the `stix2` class (which checks required and typed properties), as plain JSON."""
    obj = cls(**{k: v for k, v in props.items() if k not in ("type", "spec_version")})
    return json.loads(obj.serialize())


_CLASSES = {"identity": stix2.v21.Identity, "location": stix2.v21.Location}


def _tlp(v: TLP | str) -> TLP:
    return v if isinstance(v, TLP) else TLP.parse(str(v))


def bundle(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = (), *,
           entities: Mapping[str, Entity] | None = None, created: datetime | None = None,
           mapper: Mapper | None = None, stamps: Mapping[str, tuple[datetime, datetime]] | None = None,
           hashes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A STIX 2.1 bundle (as a dict, ready for json.dumps) of the fused events and their incidents.
    `stamps` maps a fused event id to its (created, updated) times; `hashes` a document id to the
    SHA-256 of its text; `created` is the fallback timestamp (default: a fixed epoch, never "now")."""
    m = mapper or Mapper()
    ents = entities or {}
    fallback = stix_timestamp(created) if created else IDENTITY_EPOCH
    objects: dict[str, dict[str, Any]] = {o["id"]: o for o in m.preamble()}
    used: set[TLP] = {TLP.CLEAR}
    by_event: dict[str, list[Incident]] = {}
    for inc in incidents:
        by_event.setdefault(inc.fused_event_id, []).append(inc)

    def actor(eid: str, tlp: TLP) -> str:
        e = ents.get(eid)
        d = m.actor(eid, e.name if e else None, e.type if e else None, tlp.value,
                    country=e.country if e else None, role=e.role if e else None,
                    affiliation=e.affiliation if e else None)
        if d["id"] not in objects:
            objects[d["id"]] = _sdo(_CLASSES[d["type"]], **d)
        return d["id"]

    for f in fused:
        tlp = _tlp(f.tlp)
        used.add(tlp)
        mref = [TLP_IDS[tlp]]
        c, u = stamps.get(f.id, (None, None)) if stamps else (None, None)
        ts_c = stix_timestamp(c) if c else fallback
        ts_m = max(stix_timestamp(u), ts_c) if u else ts_c
        common = {"created": ts_c, "modified": ts_m, "created_by_ref": m.creator, "object_marking_refs": mref}
        refs = list(dict.fromkeys(actor(a, tlp) for a in [*f.source, *f.target, *f.source_roots, *f.target_roots]))
        if f.location:
            refs.append(actor(f.location, tlp))
        for s in f.source_roots or f.source:
            for t in f.target_roots or f.target:
                if s == t:
                    continue
                rel: dict[str, Any] = {"id": stix_id("relationship", m.ns, f"fused/{f.id}/{s}/{t}"), **common,
                                       "relationship_type": "related-to",
                                       "source_ref": actor(s, tlp), "target_ref": actor(t, tlp),
                                       "description": f"{f.type}: {f.summary or f.type}",
                                       "extensions": {PANTAU_EXTENSION: {"extension_type": "property-extension",
                                                                         "type": f.type, "mode": f.mode}
                                                      if f.mode else {"extension_type": "property-extension",
                                                                      "type": f.type}}}
                if f.date:
                    rel["start_time"] = f"{f.date.start}T00:00:00.000Z"
                    rel["stop_time"] = f"{f.date.end}T23:59:59.000Z"
                if f.confidence is not None:
                    rel["confidence"] = f.confidence
                objects[rel["id"]] = _sdo(stix2.v21.Relationship, **rel)
                refs.append(rel["id"])
        report_id = stix_id("report", m.ns, f"fused/{f.id}")
        labels = [f"plover:{f.type.lower()}", f"admiralty:{f.grade}"]
        labels += [f"plover-mode:{f.mode}"] if f.mode else []
        labels += [f"context:{x}" for x in f.contexts]
        desc = [f.summary or f.type]
        if f.quantities:
            desc.append("Reported figures: " + "; ".join(
                f"{q.value:,} {q.unit} ({q.publisher or 'document ' + q.doc_id})" for q in f.quantities))
        desc += [f"- {e.publisher or 'document ' + e.doc_id}: {e.text}" for e in f.evidence]
        ext = {"extension_type": "property-extension", "type": f.type, "mode": f.mode,
               "contexts": list(f.contexts), "source": list(f.source), "target": list(f.target),
               "location": f.location, "grade": f.grade, "reports": len(f.evidence),
               "date_start": f.date.start if f.date else None, "date_end": f.date.end if f.date else None,
               "quantities": [q.to_dict() for q in f.quantities]}
        report: dict[str, Any] = {
            "id": report_id, **common, "name": f.summary or f"{f.type} event {f.id}",
            "report_types": ["threat-report"],
            "published": f"{f.date.end}T00:00:00.000Z" if f.date else ts_c,
            "object_refs": refs or [m.creator], "description": "\n".join(desc), "labels": labels,
            "extensions": {PANTAU_EXTENSION: {k: v for k, v in ext.items() if v not in (None, [])}},
        }
        if f.confidence is not None:
            report["confidence"] = f.confidence
        ext_refs, seen = [], set()
        for e in f.evidence:
            key = (e.publisher or "unknown publisher", e.url)
            if key in seen:
                continue
            seen.add(key)
            r: dict[str, Any] = {"source_name": key[0], "description": (e.title or f"document {e.doc_id}") + (
                f" (near-duplicate of document {e.near_duplicate_of})" if e.near_duplicate_of else "")}
            if e.url:
                r["url"] = e.url
            if hashes and hashes.get(e.doc_id):
                r["hashes"] = {"SHA-256": hashes[e.doc_id]}
            ext_refs.append(r)
        if ext_refs:
            report["external_references"] = ext_refs
        objects[report_id] = _sdo(stix2.v21.Report, **report)
        for inc in by_event.get(f.id, []):
            itlp = _tlp(inc.tlp)
            used.add(itlp)
            note = {"id": stix_id("note", m.ns, f"incident/{inc.id}"), **common,
                    "object_marking_refs": [TLP_IDS[itlp]], "abstract": inc.title,
                    "content": f"{inc.prohibits}\nStatus: {inc.status}.\nWhy: {'; '.join(inc.reasons)}"
                               + "".join(f"\nNote: {n}" for n in inc.notes),
                    "object_refs": [report_id], "labels": [f"incident-status:{inc.status}", inc.provision_id]}
            if f.confidence is not None:
                note["confidence"] = f.confidence
            objects[note["id"]] = _sdo(stix2.v21.Note, **note)
    for tlp in sorted(used, key=list(TLP).index):
        objects[TLP_IDS[tlp]] = marking_definition(tlp)
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects.values())}
