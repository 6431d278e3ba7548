"""Small hand-written reports (our own words) and their extractions, for the knowledge-base tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction, Quantity


@dataclass
class Report:
    name: str
    text: str
    publisher: str
    published: str
    events: list[dict] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def extraction(r: Report) -> Extraction:
    evs = []
    for i, e in enumerate(r.events):
        sent = e["evidence"]
        start = r.text.index(sent)
        dv = DateValue(e["date"][0], e["date"][1], "day", "explicit") if e.get("date") else None
        evs.append(Event(id=f"e{i + 1}", type=e["type"], source=e["source"], target=e["target"],
                         evidence=[Evidence(start, start + len(sent), sent)], mode=e.get("mode"),
                         contexts=e.get("contexts", []), location=e.get("location"), date=dv,
                         quantities=[Quantity(v, u, True, t) for v, u, t in e.get("quantities", [])],
                         factuality=e.get("factuality", "asserted")))
    pub = DateValue(r.published, r.published, "day", "metadata")
    meta = DocumentMeta(title=r.text.splitlines()[0], language="id", published=pub, text_sha256="",
                        publisher=r.publisher)
    return Extraction(document=meta, entities=r.entities, events=evs)


def save(store, r: Report) -> int:  # type: ignore[no-untyped-def]
    from pantau.services.ingest import content_hash
    from pantau.storage.writer import DocumentRecord, save_document

    with store.engine.begin() as conn:
        return save_document(conn, DocumentRecord(text=r.text, content_hash=content_hash(r.text),
                                                  publisher=r.publisher, title=r.text.splitlines()[0]),
                             extraction(r))


TROOPS_EN = Report(
    "yonhap", publisher="Yonhap", published="2024-10-18",
    text=("Seoul says Pyongyang has shipped soldiers to Russia\n"
          "South Korea's intelligence service said on Friday that North Korea had moved about 1,500 special "
          "forces soldiers to Russia by navy transport this month, the first step of a larger deployment "
          "that could help Moscow's war effort. Officials in Seoul called it a grave threat."),
    events=[{"type": "AID", "source": ["PRK"], "target": ["RUS"], "contexts": ["military"],
             "date": ("2024-10-08", "2024-10-18"), "quantities": [(1500, "troops", "about 1,500 special forces soldiers")],
             "evidence": "North Korea had moved about 1,500 special forces soldiers to Russia by navy transport this month"}],
)
TROOPS_ID = Report(
    "kompas", publisher="Kompas", published="2024-10-23",
    text=("Ribuan Tentara Korut Dikabarkan Sudah Berada di Rusia\n"
          "Pemerintah Korea Selatan menyebut Korea Utara telah memberangkatkan sekitar 3.000 tentara ke Rusia "
          "dalam dua pekan terakhir. Pasukan itu disebut menjalani latihan di wilayah timur Rusia sebelum "
          "dikirim ke garis depan. Moskow belum memberikan tanggapan atas laporan tersebut, sementara "
          "sejumlah negara Barat menyatakan keprihatinan mendalam atas perkembangan ini."),
    events=[{"type": "AID", "source": ["PRK"], "target": ["RUS"], "contexts": ["military"],
             "date": ("2024-10-09", "2024-10-23"), "quantities": [(3000, "troops", "sekitar 3.000 tentara")],
             "evidence": "Korea Utara telah memberangkatkan sekitar 3.000 tentara ke Rusia dalam dua pekan terakhir"}],
)
# The same story re-published by another outlet with its own header and a footer.
TROOPS_ID_COPY = Report(
    "detik", publisher="detik.com", published="2024-10-23",
    text=("Korut Kirim Ribuan Tentara ke Rusia\nJakarta - " + TROOPS_ID.text.split("\n", 1)[1]
          + "\n\nBaca juga: berita internasional lainnya"),
    events=[dict(TROOPS_ID.events[0])],
)
MEETING_APRIL = Report(
    "tempo-april", publisher="Tempo", published="2024-04-06",
    text=("Menlu Korsel dan Sekjen NATO Bahas Ancaman Korut\n"
          "Menteri Luar Negeri Korea Selatan Cho Tae-yul bertemu Sekretaris Jenderal NATO Jens Stoltenberg "
          "di Brussels pekan ini untuk membahas cara baru memantau sanksi terhadap Korea Utara."),
    entities=[Entity("person:cho-tae-yul", "person", "Cho Tae-yul", affiliation="KOR"),
              Entity("person:jens-stoltenberg", "person", "Jens Stoltenberg", affiliation="NATO"),
              Entity("place:brussels", "place", "Brussels", country="BEL")],
    events=[{"type": "CONSULT", "mode": "visit", "source": ["person:cho-tae-yul"],
             "target": ["person:jens-stoltenberg"], "location": "place:brussels", "contexts": ["diplomatic"],
             "date": ("2024-04-01", "2024-04-06"),
             "evidence": "Cho Tae-yul bertemu Sekretaris Jenderal NATO Jens Stoltenberg di Brussels pekan ini"}],
)
MEETING_JULY = Report(
    "kompas-july", publisher="Kompas", published="2024-07-11",
    text=("Korea Selatan dan NATO Kembali Bertemu di Washington\n"
          "Delegasi Korea Selatan kembali berunding dengan pimpinan NATO di sela pertemuan puncak aliansi "
          "di Washington pada Rabu, membahas kerja sama militer Rusia dan Korea Utara."),
    events=[{"type": "CONSULT", "source": ["KOR"], "target": ["NATO"], "contexts": ["diplomatic"],
             "date": ("2024-07-10", "2024-07-10"),
             "evidence": "Delegasi Korea Selatan kembali berunding dengan pimpinan NATO"}],
)
ALL = [TROOPS_EN, TROOPS_ID, TROOPS_ID_COPY, MEETING_APRIL, MEETING_JULY]
