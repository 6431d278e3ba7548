"""The extraction pipeline end to end: contract invariants, furniture, metadata, both languages,
and the dev-gold targets through ../shared/eval/score.py when the shared folder is there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pantau.nlp.pipeline import extract

ID_DOC = """Korut Luncurkan Rudal Balistik, Jepang dan Korsel Mengecam

Penulis: Rina Hartati
Jumat, 8 November 2024 | 09:15 WIB
Peluncuran rudal di pesisir timur (Foto/Dok. Istimewa)
Peluncuran rudal di pesisir timur (Foto/Dok. Istimewa)

SEOUL, KOMPAS.com - Korea Utara meluncurkan sebuah rudal balistik ke arah Laut Jepang pada Kamis (7/11/2024).
Pemerintah Jepang mengecam peluncuran tersebut dan meminta Pyongyang menghentikan provokasi.
Baca Juga: Festival Kuliner Nusantara Digelar di Bandung
Sementara itu, Amerika Serikat menjatuhkan sanksi baru terhadap Rusia karena mengirim minyak ke Korea Utara.
0 Komentar
Editor: Budi Santoso
"""

EN_DOC = """North Korea sends more troops to Russia
By Jane Doe
November 20, 2024

SEOUL (Reuters) - North Korea has sent about 3,000 troops to Russia, South Korea's military said on Tuesday.
South Korea and Japan condemned the deployment.
Read more: Festival season opens in Bandung
"""


def _check_contract(text: str, out: dict) -> None:
    assert out["schema"] == "pantau.extract/1"
    ids = {e["id"] for e in out["entities"]}
    for ent in out["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    for ev in out["events"]:
        assert ev["evidence"]
        for e in ev["evidence"]:
            assert text[e["start"]:e["end"]] == e["text"]
        for a in ev["source"] + ev["target"]:
            assert a in ids or ":" not in a  # bare codes may be defaults such as UNSC
        assert ev["factuality"] in ("asserted", "reported", "alleged", "planned", "hypothetical", "negated")


def test_indonesian_document() -> None:
    out = extract(ID_DOC).to_dict()
    _check_contract(ID_DOC, out)
    doc = out["document"]
    assert doc["language"] == "id"
    assert doc["published"]["date"] == "2024-11-08"
    assert doc["authors"] == ["Rina Hartati"] and doc["editors"] == ["Budi Santoso"]
    assert doc["title"].startswith("Korut Luncurkan Rudal")
    names = " ".join(m["text"] for e in out["entities"] for m in e["mentions"])
    for furniture_word in ("Bandung", "Festival", "Rina", "Budi", "Istimewa"):
        assert furniture_word not in names
    kinds = {(e["type"], tuple(e["source"]), tuple(e["target"])) for e in out["events"]}
    assert ("MOBILIZE", ("PRK",), ()) in kinds
    assert ("ACCUSE", ("JPN",), ("PRK",)) in kinds
    assert ("SANCTION", ("USA",), ("RUS",)) in kinds
    mob = next(e for e in out["events"] if e["type"] == "MOBILIZE")
    assert mob["date"]["start"] == "2024-11-07" and mob["mode"] == "weapons"


def test_english_document() -> None:
    out = extract(EN_DOC).to_dict()
    _check_contract(EN_DOC, out)
    assert out["document"]["language"] == "en"
    assert out["document"]["published"]["date"] == "2024-11-20"
    aid = next(e for e in out["events"] if e["type"] == "AID")
    assert aid["source"] == ["PRK"] and aid["target"] == ["RUS"]
    assert aid["quantities"][0]["value"] == 3000
    acc = next(e for e in out["events"] if e["type"] == "ACCUSE")
    assert set(acc["source"]) == {"KOR", "JPN"} and acc["target"] == ["PRK"]


def test_metadata_publication_date_wins_and_nothing_reads_the_clock() -> None:
    out = extract("Rusia dan Korea Utara menandatangani perjanjian.", published="2024-06-19").to_dict()
    assert out["document"]["published"]["date"] == "2024-06-19"
    assert out["document"]["published"]["basis"] == "metadata"
    ev = out["events"][0]
    assert ev["type"] == "AGREE" and ev["date"]["end"] == "2024-06-19"
    undated = extract("Rusia dan Korea Utara menandatangani perjanjian.").to_dict()
    assert undated["document"]["published"] is None and undated["events"][0]["date"] is None


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_dev_gold_targets() -> None:
    score = SHARED / "eval" / "score.py"
    if not score.is_file():
        pytest.fail(f"{score} not found: the shared evaluation folder must be checked out beside the repo")
    pantau = Path(sys.executable).with_name("pantau")
    res = subprocess.run(
        [sys.executable, str(score), "--gold", str(SHARED / "eval" / "gold"), "--corpus",
         str(SHARED / "corpus" / "seeds"), "--cmd", f"{pantau} extract --format json {{path}}", "--json"],
        capture_output=True, text=True, timeout=600, check=True)
    summary = json.loads(next(ln for ln in res.stdout.splitlines() if ln.startswith("{")))
    assert summary["actors"]["f"] >= 0.90
    assert summary["events"]["p"] >= 0.75 and summary["events"]["r"] >= 0.75 and summary["events"]["f"] >= 0.80
    assert summary["dates"][0] == summary["dates"][1]
    assert summary["published"][0] == summary["published"][1]
    assert summary["must_not"] == 0


def test_an_events_own_date_after_a_comma_beats_a_planned_meeting_later() -> None:
    text = ("Menteri Luar Negeri Rusia Sergei Lavrov bertemu dengan Menteri Luar Negeri Korea Utara "
            "Choe Son Hui di Pyongyang, Jumat (11/7/2025). Lavrov juga dijadwalkan bertemu dengan Kim Jong-un "
            "pada Minggu.")
    out = extract(text, published="2025-07-12", language="id")
    consult = [e for e in out.events if e.type == "CONSULT"]
    done = [e for e in consult if e.factuality != "planned"]
    planned = [e for e in consult if e.factuality == "planned"]
    assert done and done[0].date is not None and done[0].date.start == "2025-07-11"
    # the planned meeting is a happening of its own, on the coming Sunday
    assert planned and planned[0].date is not None and planned[0].date.start == "2025-07-13"


def test_a_topic_after_terkait_is_not_what_is_planned() -> None:
    out = extract("Pejabat Jepang dan Korea Selatan akan bertemu terkait pengiriman pasukan Korea Utara ke Rusia.",
                  published="2025-01-10", language="id")
    aid = [e for e in out.events if e.type == "AID"]
    assert aid and aid[0].factuality != "planned"


def test_the_dateline_place_is_document_metadata() -> None:
    assert extract(ID_DOC).document.to_dict()["dateline"] == "Seoul"
    out = extract("Talks resume\n\nGENEVA, March 3 (Reuters) - Japan and China met on Monday.", language="en")
    assert out.document.dateline == "Geneva"
    assert extract("Jepang dan China bertemu di Tokyo pada Senin.", language="id").document.dateline is None


def test_a_summoned_ambassador_named_by_title_is_the_target() -> None:
    out = extract("Kementerian Luar Negeri Jepang memanggil duta besar China di Tokyo.", published="2024-06-01",
                  language="id")
    roots = {e.id: (e.affiliation or e.id) for e in out.entities}
    acc = [e for e in out.events if e.type == "ACCUSE"]
    assert acc and {roots.get(t, t) for t in acc[0].target} & {"CHN"}


def _roles(text: str, language: str | None = None) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    from pantau import extract

    ex = extract(text, published="2024-05-16", language=language)
    return {(e.type, tuple(e.source), tuple(e.target)) for e in ex.events}


def test_a_nominal_transfer_names_its_giver_after_dari() -> None:
    # the clause's subject (the sanctioning ministry) is not the one shipping the munitions
    got = _roles("Kementerian Keuangan Jepang pada Jumat mengumumkan sanksi terhadap dua perusahaan yang diduga "
                 "membantu pengiriman peluru artileri dari Korea Utara ke Rusia.")
    assert ("AID", ("PRK",), ("RUS",)) in got
    assert not any(t == "AID" and s != ("PRK",) for t, s, _ in got), got


def test_unnamed_firms_in_a_relative_clause_are_not_the_last_named_actor() -> None:
    got = _roles("Pemerintah Korea Selatan menahan tiga kapal yang diduga memasok minyak kepada Korea Utara.")
    assert not any(t == "AID" and "KOR" in s for t, s, _ in got), got


def test_lowercase_words_are_never_entities_from_the_tagger() -> None:
    from pantau import extract

    ex = extract("Satellite photos show two vessels moored together near Nampo Harbour, in what experts "
                 "describe as a covert fuel transfer bound for North Korea.", published="2024-05-16", language="en")
    assert all(m.text[0].isupper() for e in ex.entities for m in e.mentions), [e.to_dict() for e in ex.entities]
    assert "USA" not in {e.id for e in ex.entities}


def test_condemned_acts_in_a_country_make_that_country_the_accused() -> None:
    assert ("ACCUSE", ("UNGA",), ("PRK",)) in _roles(
        "The UN General Assembly adopted a text condemning forced labour and torture in North Korea.", "en")
    assert ("ACCUSE", ("EU",), ("RUS",)) in _roles(
        "Uni Eropa mengecam penangkapan para wartawan di Rusia.")
    # a city or a sea is where something happened, not who is accused
    assert not any(t == "ACCUSE" for t, *_ in _roles("Jepang mengecam pertemuan itu di Seoul."))
