"""Near-duplicate detection over character shingles (MinHash LSH)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.nlp.dedupe import (
    NearDuplicateIndex,
    normalise,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)

WIRE = (
    "Badan intelijen Korea Selatan menyatakan Korea Utara telah mengirim sekitar 10.000 tentara ke Rusia. "
    "Para prajurit itu disebut menjalani pelatihan di kawasan Timur Jauh Rusia sebelum dikerahkan ke "
    "garis depan di wilayah Kursk, menurut keterangan yang disampaikan kepada anggota parlemen pada Rabu."
)
REPUBLISHED = (
    "JAKARTA, KOMPAS.com - " + WIRE.replace("pada Rabu", "pada hari Rabu") + "\n\nBaca juga: Berita lainnya\n(ant)"
)
OTHER = (
    "Menteri Luar Negeri Korea Selatan bertemu Sekretaris Jenderal NATO di Brussels untuk membahas "
    "mekanisme pemantauan sanksi setelah mandat panel ahli PBB berakhir, kata kementerian di Seoul."
)
SAME_TOPIC_NEW_WRITING = (
    "South Korea's spy agency told lawmakers that roughly ten thousand North Korean soldiers had gone "
    "to Russia and were being trained in the Far East before moving towards the front near Kursk."
)


def test_republished_wire_story_is_found() -> None:
    ix = NearDuplicateIndex()
    assert ix.add("orig", WIRE) == []
    matches = ix.add("copy", REPUBLISHED)
    assert [m.key for m in matches] == ["orig"]
    assert matches[0].similarity > 0.7


def test_independent_reports_of_the_same_happening_are_not_duplicates() -> None:
    ix = NearDuplicateIndex()
    ix.add("orig", WIRE)
    assert ix.add("other", OTHER) == []
    assert ix.add("english", SAME_TOPIC_NEW_WRITING) == []


def test_signature_roundtrips_through_bytes() -> None:
    sig = signature(WIRE)
    back = signature_from_bytes(signature_to_bytes(sig))
    assert back.jaccard(sig) == 1.0
    ix = NearDuplicateIndex()
    ix.add("orig", back)
    assert [m.key for m in ix.add("copy", REPUBLISHED)] == ["orig"]


def test_same_key_is_not_its_own_duplicate() -> None:
    ix = NearDuplicateIndex()
    ix.add("a", WIRE)
    assert ix.add("a", WIRE) == []
    assert len(ix) == 1


def test_normalise_ignores_case_accents_and_punctuation() -> None:
    assert normalise("Kim Jong-un, di PYONGYANG!") == normalise("kim jong un di pyongyang")
    assert normalise("Café") == "cafe"


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=0, max_size=200))
def test_shingles_are_substrings_of_normalised_text(text: str) -> None:
    norm = normalise(text)
    for s in shingles(text):
        assert s in norm
        assert len(s) == 5 or s == norm
