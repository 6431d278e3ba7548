"""The one STIX 2.1 mapper of a node, shared by the TAXII server and the exports (`interop/stix.py`).

`Mapper` writes as the node: its organisation is an `identity` and the `created_by_ref` of every
object; ids are deterministic (UUIDv5 in the node's namespace, in UUIDv4 form), so a partner
pulling twice gets the same ids, and `modified` moves only when the object or its marking changes.
Actors and places become `location` (countries, places) or `identity` (bodies, people) objects.
pantau's own fields travel in a registered property extension (`extension_definition`).
TAXII serves one `report` per event (`event_report`), and a `revoked_report` for one withdrawn.
Input is the plain event dict of the read services (already filtered for the viewer); output is
plain JSON-ready dicts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pantau.model.markings import TLP, TLP_IDS
from pantau.ontology import kb_data

PANTAU_NS = uuid.UUID("5b1f8f53-3c4e-4a63-9a55-2f1c0f7d2e11")
IDENTITY_EPOCH = "2024-01-01T00:00:00.000Z"


def stix_timestamp(value: datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def node_namespace(node_key: str) -> uuid.UUID:
    return uuid.uuid5(PANTAU_NS, node_key)


def stable_uuid(ns: uuid.UUID, local: str) -> uuid.UUID:
    """A deterministic id in UUIDv4 form: the UUIDv5 hash with the version bits set to 4 (STIX 2.1
    asks for UUIDv4 on SDOs, and strict validation enforces it; determinism keeps ids stable)."""
    return uuid.UUID(bytes=uuid.uuid5(ns, local).bytes, version=4)


def stix_id(kind: str, ns: uuid.UUID, local: str) -> str:
    return f"{kind}--{stable_uuid(ns, local)}"


def marking_refs(tlp: str) -> list[str]:
    return [TLP_IDS[TLP.parse(tlp)]]


# pantau's own fields travel in a registered STIX 2.1 extension (a property extension), not x_ props
PANTAU_EXTENSION = stix_id("extension-definition", PANTAU_NS, "extension/pantau-event/1")
PANTAU_IDENTITY = stix_id("identity", PANTAU_NS, "identity/pantau-project")
EXTENSION_SCHEMA = "https://github.com/pantau-osint/pantau/blob/main/docs/sharing.md#stix-extension"


def project_identity() -> dict[str, Any]:
    """The pantau project, author of the extension definition."""
    return {"type": "identity", "spec_version": "2.1", "id": PANTAU_IDENTITY, "created": IDENTITY_EPOCH,
            "modified": IDENTITY_EPOCH, "name": "pantau project", "identity_class": "organization",
            "object_marking_refs": marking_refs("CLEAR")}


def extension_definition() -> dict[str, Any]:
    """The extension-definition object of pantau's event properties (served with every collection)."""
    return {"type": "extension-definition", "spec_version": "2.1", "id": PANTAU_EXTENSION,
            "created_by_ref": PANTAU_IDENTITY, "created": IDENTITY_EPOCH, "modified": IDENTITY_EPOCH,
            "name": "pantau event", "description": "PLOVER event fields of a pantau report: type, mode, "
            "contexts, actors, place, date interval, factuality, trigger and evidence sentences.",
            "schema": EXTENSION_SCHEMA, "version": "1.0.0", "extension_types": ["property-extension"],
            "object_marking_refs": marking_refs("CLEAR")}


@dataclass(frozen=True, slots=True)
class Mapper:
    """Who writes the STIX: the node's organisation (an `identity`, the `created_by_ref` of every object
    it writes) and the namespace of its deterministic ids."""

    ns: uuid.UUID = PANTAU_NS
    org_name: str = "pantau node"

    @property
    def creator(self) -> str:
        return stix_id("identity", self.ns, "node/organisation")

    def node_identity(self) -> dict[str, Any]:
        return {"type": "identity", "spec_version": "2.1", "id": self.creator, "created": IDENTITY_EPOCH,
                "modified": IDENTITY_EPOCH, "name": self.org_name, "identity_class": "organization",
                "object_marking_refs": marking_refs("CLEAR")}

    def preamble(self) -> list[dict[str, Any]]:
        """Objects every export and collection carries: the node, the project and the extension."""
        return [self.node_identity(), project_identity(), extension_definition()]

    def actor(self, eid: str, name: str | None, etype: str | None, tlp: str, *, country: str | None = None,
              role: str | None = None, affiliation: str | None = None) -> dict[str, Any]:
        """An actor or place: countries and places as `location` (ISO alpha-2, coordinates where known),
        organisations and people as `identity`. The same marking gives the same version everywhere:
        `modified` is the epoch plus the marking's rank in milliseconds, so one object version never
        carries two markings."""
        rank = list(TLP).index(TLP.parse(tlp))
        base: dict[str, Any] = {"spec_version": "2.1", "created": IDENTITY_EPOCH,
                                "modified": IDENTITY_EPOCH.replace(".000Z", f".00{rank}Z"),
                                "created_by_ref": self.creator, "name": name or eid,
                                "object_marking_refs": marking_refs(tlp)}
        kind = etype or _guess(eid)
        if kind in ("country", "place"):
            code = alpha2(eid if kind == "country" else country)
            obj = {"type": "location", "id": stix_id("location", self.ns, f"entity/{eid}"), **base}
            if code:
                obj["country"] = code
            else:
                obj["region"] = "world"
            coords = kb_data.coordinates().get(eid)
            if coords:
                obj["latitude"], obj["longitude"] = coords
            return obj
        obj = {"type": "identity", "id": stix_id("identity", self.ns, f"entity/{eid}"), **base,
               "identity_class": "individual" if kind == "person" else "organization"}
        if role:
            obj["roles"] = [role]
        if affiliation:
            obj["description"] = f"acts for {affiliation}"
        return obj


def _guess(eid: str) -> str:
    from pantau.storage.writer import stub_entity_type

    return stub_entity_type(eid)


def alpha2(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 of an alpha-3 (or alpha-2) country code."""
    if not code or len(code) not in (2, 3) or not code.isalpha():
        return None
    import pycountry

    c = pycountry.countries.get(**{"alpha_3" if len(code) == 3 else "alpha_2": code.upper()})
    return c.alpha_2 if c else None


def actor_identity(entity: dict[str, Any], tlp: str, entity_type: str | None = None,
                   mapper: Mapper | None = None) -> dict[str, Any]:
    """An event's actor as STIX (see `Mapper.actor`)."""
    return (mapper or Mapper()).actor(entity["id"], entity.get("name"), entity_type or entity.get("type"), tlp)


def event_report(event: dict[str, Any], ns: uuid.UUID, modified: datetime | str,
                 created: datetime | str | None = None, mapper: Mapper | None = None) -> list[dict[str, Any]]:
    """The report for one event, followed by its actors (and place). `event["sources"]` (optional)
    lists the source documents the viewer may see: publisher, url, title, sha256."""
    tlp = event["marking"]
    m = mapper or Mapper(ns)
    idents = {a["id"]: actor_identity(a, tlp, mapper=m) for a in [*event.get("source", []), *event.get("target", [])]}
    if event.get("location"):
        idents[event["location"]] = m.actor(event["location"], None, "place", tlp)
    src = ", ".join(a.get("name") or a["id"] for a in event.get("source", [])) or "?"
    tgt = ", ".join(a.get("name") or a["id"] for a in event.get("target", []))
    mod = stix_timestamp(modified)
    refs = [i["id"] for i in idents.values()] or [marking_refs(tlp)[0]]
    data = {
        "extension_type": "property-extension",
        "type": event["type"], "mode": event.get("mode"), "contexts": event.get("contexts") or [],
        "location": event.get("location"),
        "date_start": event.get("date_start"), "date_end": event.get("date_end"),
        "factuality": event.get("factuality"), "trigger": event.get("trigger"),
        "source": [a["id"] for a in event.get("source", [])],
        "target": [a["id"] for a in event.get("target", [])],
        "actors": [{"id": a["id"], "name": a.get("name") or a["id"]}
                   for a in [*event.get("source", []), *event.get("target", [])]],
        "evidence": [e["text"] for e in event.get("evidence", [])],
    }
    report: dict[str, Any] = {
        "type": "report", "spec_version": "2.1",
        "id": stix_id("report", ns, f"events/{event['id']}"),
        "created": stix_timestamp(created) if created else mod, "modified": mod, "created_by_ref": m.creator,
        "name": f"{event['type']}: {src}" + (f" → {tgt}" if tgt else ""),
        "published": stix_timestamp(event["date_start"] + "T00:00:00+00:00") if event.get("date_start") else mod,
        "report_types": ["threat-report"],
        "labels": [event["type"].lower()],
        "object_refs": refs,
        "confidence": max(0, min(100, round(float(event.get("confidence") or 0) * 100))),
        "object_marking_refs": marking_refs(tlp),
        "extensions": {PANTAU_EXTENSION: {k: v for k, v in data.items() if v not in (None, [])}},
    }
    ext_refs, seen = [], set()
    for d in event.get("sources", []):
        key = (d.get("publisher"), d.get("url"))
        if key in seen:
            continue
        seen.add(key)
        ref: dict[str, Any] = {"source_name": d.get("publisher") or "unknown publisher"}
        if d.get("url"):
            ref["url"] = d["url"]
        if d.get("title"):
            ref["description"] = d["title"]
        if d.get("sha256"):
            ref["hashes"] = {"SHA-256": d["sha256"]}
        ext_refs.append(ref)
    if ext_refs:
        report["external_references"] = ext_refs
    if event.get("trigger"):
        report["description"] = event["trigger"]
    return [report, *idents.values()]


def revoked_report(stix_id_: str, created: str, when: datetime | str, mapper: Mapper | None = None) -> dict[str, Any]:
    """The last version of a report this node withdrew (re-marked away, release withdrawn, deleted):
    `revoked: true`, nothing of the content, so a partner removes its copy at its next pull."""
    ts = stix_timestamp(when)
    return {"type": "report", "spec_version": "2.1", "id": stix_id_, "created": created,
            "modified": max(ts, created), "revoked": True, "created_by_ref": (mapper or Mapper()).creator, "name": "withdrawn", "published": created,
            "report_types": ["threat-report"], "object_refs": [PANTAU_IDENTITY],
            "object_marking_refs": marking_refs("CLEAR")}


def tlp_of(obj: dict[str, Any]) -> TLP | None:
    """The TLP 2.0 marking of a STIX object (None when it carries none of the five)."""
    by_id = {v: k for k, v in TLP_IDS.items()}
    found = [by_id[r] for r in obj.get("object_marking_refs", []) if r in by_id]
    if not found:
        return None
    order = list(TLP)
    return max(found, key=order.index)
