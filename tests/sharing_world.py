"""A small multi-organisation sharing node for the server tests, and a live uvicorn server on loopback.

Organisations: kemlu and bais (members), mitra (a guest, not a member). Group `desk-korea` = {bais}.
Users: ana (kemlu analyst), dewi (kemlu viewer), budi (bais analyst), citra (mitra viewer).
ana publishes five reports, one per TLP marking:
  CLEAR, GREEN, AMBER released to the group desk-korea, AMBER+STRICT, RED to dewi (and ana, who marked it).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction
from pantau.services import identity
from pantau.services.node import Node
from pantau.services.publish import publish_extraction

COUNTRIES = {"PRK": "North Korea", "RUS": "Russia", "KOR": "South Korea", "CHN": "China", "IDN": "Indonesia"}

REPORTS = [
    # (marking, release kwargs, event type, source, target, date, text)
    ("CLEAR", {}, "CONSULT", "IDN", "KOR", "2024-05-02",
     "Menteri Luar Negeri Indonesia bertemu mitranya dari Korea Selatan di Jakarta pada 2 Mei 2024."),
    ("GREEN", {}, "COOPERATE", "RUS", "PRK", "2024-06-19",
     "Russia and North Korea signed a pact on 19 June 2024 that binds them to mutual military help."),
    ("AMBER", {"groups_": ["desk-korea"]}, "AID", "PRK", "RUS", "2024-10-08",
     "Laporan intelijen menyebut Korea Utara mengirim ribuan tentara ke Rusia pada Oktober 2024."),
    ("AMBER+STRICT", {}, "AID", "PRK", "RUS", "2024-11-20",
     "An internal assessment says artillery shells from North Korea reached Russian units in November 2024."),
    ("RED", {"users_": ["dewi"]}, "MOBILIZE", "PRK", "PRK", "2025-01-14",
     "Sumber tertutup melaporkan peluncuran rudal balistik Korea Utara pada 14 Januari 2025."),
]

# which report indexes each user may see
EXPECTED = {"ana": {0, 1, 2, 3, 4}, "dewi": {0, 1, 2, 3, 4}, "budi": {0, 1, 2}, "citra": {0}}


def extraction(text: str, ev_type: str, source: str, target: str, day: str, *, title: str | None = None) -> Extraction:
    ents = [Entity(id=c, type="country", name=COUNTRIES[c]) for c in dict.fromkeys([source, target])]
    dv = DateValue(start=day, end=day, precision="day", basis="explicit")
    ev = Event(id="e1", type=ev_type, source=[source], target=[target] if target != source else [],
               evidence=[Evidence(0, len(text), text)], date=dv, confidence=0.8, trigger=text.split()[2])
    meta = DocumentMeta(title=title or text[:40], language="id", published=dv,
                        text_sha256=hashlib.sha256(text.encode()).hexdigest())
    return Extraction(document=meta, entities=ents, events=[ev])


@dataclass
class World:
    node: Node
    tokens: dict[str, str]
    events: list[int] = field(default_factory=list)  # event id per report index
    documents: list[int] = field(default_factory=list)

    def visible_events(self, user: str) -> set[int]:
        return {self.events[i] for i in EXPECTED[user]}


def build_world(url: str, data_dir: Path) -> World:
    node = Node.open(url, data_dir=data_dir, checkpoint_every=10)
    identity.add_org(node, "kemlu", "Kementerian Luar Negeri")
    identity.add_org(node, "bais", "Badan Intelijen Strategis")
    identity.add_org(node, "mitra", "A guest organisation", member=False)
    identity.add_group(node, "desk-korea", ["bais"])
    roles = {"ana": ("kemlu", "analyst"), "dewi": ("kemlu", "viewer"), "budi": ("bais", "analyst"),
             "citra": ("mitra", "viewer")}
    tokens = {}
    for user, (org, role) in roles.items():
        identity.add_user(node, user, org, role=role)
        tokens[user] = identity.create_token(node, user, name="test")[1]
    world = World(node, tokens)
    ana = identity.viewer_for_username(node, "ana")
    for tlp, rel, ev_type, src, tgt, day, text in REPORTS:
        res = publish_extraction(node, ana, text, extraction(text, ev_type, src, tgt, day), tlp=tlp, **rel)
        world.documents.append(res.document_id)
        world.events.extend(res.events)
    return world


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 on a free port in a thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = True  # do not wait for open streams
        thread.join(10)
