"""Designated parties named in stored reports raise or strengthen incidents, and the incident shows
the listing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from pantau.services import sanctions_lists as sl
from pantau.services.designations import link_documents, listings_for, match_text
from pantau.services.matching import Matcher
from pantau.services.store import Store
from pantau.storage.kb_tables import incident_history, incidents

LISTS = Path(__file__).parent / "data" / "lists"
STS_ID = ("Kapal tanker Yu Jong 2 (IMO 8604917) milik Korea Utara menerima minyak dari kapal tanker berbendera "
          "Sierra Leone dalam alih muat antarkapal di Laut Cina Timur pada 3 Maret 2024, kata Kementerian "
          "Pertahanan Jepang.")
NEAR_MISS_EN = ("Japan's defence ministry said the North Korean tanker Chon Ma received refined petroleum from a "
                "Sierra Leone-flagged vessel in a ship-to-ship transfer in the East China Sea on March 3, 2024.")


def _load(store: Store) -> None:
    sl.load(store, LISTS / "un_consolidated.xml", "un")
    sl.load(store, LISTS / "ofac_sdn.xml", "ofac")


def test_match_text_finds_vessels_people_and_imo(store: Store) -> None:
    _load(store)
    m = Matcher.from_store(store)
    text = ("Pemimpin Korea Utara Kim Jong-un meninjau pelabuhan Nampo, tempat kapal kargo Wise Honest pernah "
            "berlabuh. Sebuah kapal lain, IMO 8660313, terlihat di dekatnya. Kim Jong Nam tidak disebut.")
    got = {(g.listed.caption, text[g.start:g.end]) for g in match_text(m, text)}
    assert got == {("Jong Un KIM", "Kim Jong-un"), ("WISE HONEST", "Wise Honest"), ("CHON MA SAN", "IMO 8660313")}


def test_designated_vessel_in_sts_raises_and_strengthens(store: Store) -> None:
    _load(store)
    doc = store.add_text(STS_ID, published="2024-03-05", language="id").document_id
    miss = store.add_text(NEAR_MISS_EN, published="2024-03-05", language="en").document_id
    from pantau.services.kb import fuse

    fuse(store)
    with store.engine.connect() as conn:
        before = {r.provision_id: r.id for r in conn.execute(sa.select(incidents))}
    assert "unscr-2375-11" in before  # assessment raised the STS provision already
    got = link_documents(store, [doc, miss])
    assert got["matches"] == 1 and got["incidents_raised"] >= 1 and got["incidents_strengthened"] >= 1
    with store.engine.connect() as conn:
        rows = {r.provision_id: r for r in conn.execute(sa.select(incidents))}
        hist = {h.incident_id: h.note for h in conn.execute(sa.select(incident_history))}
    new = rows["unscr-2397-9"]
    assert new.resolution == 2397 and new.paragraph == "9"
    assert any("YU JONG 2" in r and "UN" in r and "2018-03-30" in r for r in new.reasons)
    assert any("IMO 8604917 identical" in r for r in new.reasons)
    # the STS incident assessment raised is strengthened, not duplicated
    sts = rows["unscr-2375-11"]
    assert sts.id == before["unscr-2375-11"] and any("YU JONG 2" in r for r in sts.reasons)
    assert "strengthened" in (hist[sts.id] or "") or any(
        "strengthened" in (h or "") for h in hist.values())
    shown = listings_for(store, new.id)
    assert [(x["caption"], x["list"], x["listing_date"]) for x in shown] == [("YU JONG 2", "un", "2018-03-30")]
    # the near-miss (Chon Ma, no IMO number) names no listed vessel: nothing on its fused event
    assert all(r.fused_event_id == new.fused_event_id for r in rows.values() if r.provision_id == "unscr-2397-9")
    # idempotent
    again = link_documents(store, [doc, miss])
    assert again["incidents_raised"] == 0 and again["incidents_strengthened"] == 0


def test_no_lists_no_work(store: Store) -> None:
    doc = store.add_text(STS_ID, published="2024-03-05", language="id").document_id
    assert link_documents(store, [doc])["matches"] == 0
