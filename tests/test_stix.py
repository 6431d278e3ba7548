"""STIX 2.1 export: the bundle passes stix2-validator, carries TLP 2.0 markings and confidence."""

from __future__ import annotations

import json

import pytest
from stix2validator import ValidationOptions, validate_instance

from pantau.interop.stix import TLP2_EXTENSION, bundle
from pantau.interop.stix_share import PANTAU_EXTENSION
from pantau.model import TLP_IDS, DateValue, Entity
from pantau.model.kb import EvidenceLink, FusedEvent, Incident, IncidentChange, QuantityClaim
from pantau.model.markings import TLP
from pantau.services.access import Viewer


def _fused() -> tuple[FusedEvent, Incident]:
    f = FusedEvent(
        id="7", type="AID", source=["PRK"], target=["RUS"], source_roots=["PRK"], target_roots=["RUS"],
        contexts=["military"], location="place:vladivostok",
        date=DateValue("2024-10-09", "2024-10-18", "week", "fused"),
        quantities=[QuantityClaim(1500, "troops", "1", True, "about 1,500 soldiers", "Yonhap"),
                    QuantityClaim(3000, "troops", "2", True, "sekitar 3.000 tentara", "Kompas")],
        evidence=[EvidenceLink("1", "11", "North Korea moved about 1,500 soldiers to Russia.", publisher="Yonhap",
                               url="https://example.org/a"),
                  EvidenceLink("2", "12", "Korea Utara mengirim sekitar 3.000 tentara ke Rusia.", publisher="Kompas")],
        reliability="B", credibility=2, tlp=TLP.AMBER, summary="AID PRK → RUS 2024-10-09..2024-10-18")
    inc = Incident(id="3", fused_event_id="7", provision_id="unscr-1874-9", resolution=1874, paragraph="9",
                   prohibits="Export by the DPRK of all arms and related materiel.", status="under_review",
                   reasons=["type AID", "source PRK"],
                   history=[IncidentChange("2024-10-20T00:00:00", "under_review", "second source pending")],
                   tlp=TLP.AMBER)
    return f, inc


ENTS = {"PRK": Entity("PRK", "country", "North Korea"), "RUS": Entity("RUS", "country", "Russia"),
        "place:vladivostok": Entity("place:vladivostok", "place", "Vladivostok", country="RUS")}


def _valid(b: dict) -> None:
    res = validate_instance(json.loads(json.dumps(b)), ValidationOptions(version="2.1", strict=True))
    errors = [e.message for e in res.errors] if hasattr(res, "errors") else []
    assert res.is_valid, errors


def test_bundle_validates_and_maps_everything() -> None:
    f, inc = _fused()
    b = bundle([f], [inc], entities=ENTS, hashes={"1": "a" * 64, "2": "b" * 64})
    _valid(b)
    by_type: dict[str, list[dict]] = {}
    for o in b["objects"]:
        by_type.setdefault(o["type"], []).append(o)
    # countries and places are locations (ISO alpha-2, coordinates where known), the node an identity
    assert {o["name"] for o in by_type["identity"]} == {"pantau node", "pantau project"}
    locs = {o["name"]: o for o in by_type["location"]}
    assert {n: o["country"] for n, o in locs.items()} == {"North Korea": "KP", "Russia": "RU", "Vladivostok": "RU"}
    assert round(locs["Vladivostok"]["latitude"]) == 43 and round(locs["Vladivostok"]["longitude"]) == 132
    (report,) = by_type["report"]
    assert report["confidence"] == 70 and "admiralty:B2" in report["labels"]
    assert "1,500 troops (Yonhap)" in report["description"] and "3,000 troops (Kompas)" in report["description"]
    assert report["object_marking_refs"] == [TLP_IDS[TLP.AMBER]]
    (rel,) = by_type["relationship"]
    assert rel["relationship_type"] == "related-to" and rel["source_ref"] == locs["North Korea"]["id"]
    assert rel["extensions"][PANTAU_EXTENSION]["type"] == "AID" and rel["description"].startswith("AID")
    (note,) = by_type["note"]
    assert note["abstract"] == "possible violation of UNSCR 1874 para 9"
    assert note["object_refs"] == [report["id"]] and "second source pending" in note["content"]
    mds = {md["id"]: md for md in by_type["marking-definition"]}
    assert mds[TLP_IDS[TLP.AMBER]]["extensions"][TLP2_EXTENSION]["tlp_2_0"] == "amber"
    # every object but the marking definitions and the extension's own author names its author
    node = next(o["id"] for o in by_type["identity"] if o["name"] == "pantau node")
    for o in b["objects"]:
        if o["type"] not in ("marking-definition", "extension-definition") and o["name" if "name" in o else "id"] != "pantau project":
            assert o.get("created_by_ref") == node or o["id"] == node, o["id"]


@pytest.mark.parametrize("tlp", list(TLP))
def test_every_tlp_marking_validates(tlp: TLP) -> None:
    f, _ = _fused()
    f.tlp = tlp
    f.credibility = 6  # cannot be judged: no confidence
    b = bundle([f], entities=ENTS, hashes={"1": "a" * 64})
    _valid(b)
    report = next(o for o in b["objects"] if o["type"] == "report")
    assert "confidence" not in report
    assert report["object_marking_refs"] == [TLP_IDS[tlp]]


def test_ids_are_stable_across_exports() -> None:
    f, inc = _fused()
    a = {o["id"] for o in bundle([f], [inc])["objects"]}
    b = {o["id"] for o in bundle([f], [inc])["objects"]}
    assert a == b


def test_store_export_validates(store) -> None:  # type: ignore[no-untyped-def]
    from kb_corpus import ALL, save

    from pantau.services import kb
    from pantau.services.export import export

    for r in ALL:
        save(store, r)
    kb.fuse(store)
    b = json.loads(export(store, "stix", viewer=Viewer.system()))
    _valid(b)
    assert sum(o["type"] == "report" for o in b["objects"]) == 3
    assert any(o["type"] == "note" and "1874 para 9" in o["abstract"] for o in b["objects"])
    people = {o["name"] for o in b["objects"] if o["type"] == "identity" and o["identity_class"] == "individual"}
    assert {"Cho Tae-yul", "Jens Stoltenberg"} <= people


def test_store_export_is_stable_parses_and_resolves(store) -> None:  # type: ignore[no-untyped-def]
    """Same objects on a second export; `stix2.parse` and a MemoryStore take the bundle (and an empty
    one); every relationship and reference resolves; strict validation passes; no duplicate source."""
    import stix2
    from kb_corpus import ALL, save

    from pantau.services import kb
    from pantau.services.export import export

    empty = json.loads(export(store, "stix", viewer=Viewer.system()))
    stix2.parse(empty, allow_custom=False)  # the node identity is always there
    _valid(empty)
    for r in ALL:
        save(store, r)
    kb.fuse(store)
    a, b = json.loads(export(store, "stix", viewer=Viewer.system())), json.loads(export(store, "stix", viewer=Viewer.system()))
    assert a["objects"] == b["objects"]  # stable ids and timestamps
    _valid(a)
    parsed = stix2.parse(a, allow_custom=False)
    ms = stix2.MemoryStore(stix_data=parsed.objects)
    rels = [o for o in a["objects"] if o["type"] == "relationship"]
    assert rels
    for rel in rels:
        assert ms.get(rel["source_ref"]) is not None and ms.get(rel["target_ref"]) is not None
    for o in a["objects"]:
        for ref in o.get("object_refs", []) + ([o["created_by_ref"]] if "created_by_ref" in o else []):
            assert ms.get(ref) is not None or ref.startswith("identity--b3bca3c2"), (o["id"], ref)
        refs = [(r["source_name"], r.get("url")) for r in o.get("external_references", [])]
        assert len(refs) == len(set(refs)), o["id"]
        if o["type"] == "report":
            assert all("hashes" in r for r in o.get("external_references", []) if "url" in r)
    # one marking per object version
    seen: dict[tuple[str, str], list[str]] = {}
    for o in a["objects"]:
        if "modified" in o:
            key = (o["id"], o["modified"])
            assert seen.setdefault(key, o.get("object_marking_refs", [])) == o.get("object_marking_refs", [])
