"""Sentence segmentation: offsets into the original text, abbreviations, numbers, both languages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.nlp.segment import segment


def texts(t: str) -> list[str]:
    return [s.text for s in segment(t)]


def test_indonesian_sentences_and_offsets() -> None:
    t = ("Menlu RI bertemu mitranya di Tokyo. Keduanya membahas kerja sama maritim!\n"
         "Apakah pertemuan berikutnya digelar di Jakarta? Belum ada kepastian.")
    out = segment(t)
    assert [s.text for s in out] == [
        "Menlu RI bertemu mitranya di Tokyo.", "Keduanya membahas kerja sama maritim!",
        "Apakah pertemuan berikutnya digelar di Jakarta?", "Belum ada kepastian."]
    for s in out:
        assert t[s.start:s.end] == s.text
    assert out[0].para == out[1].para != out[2].para


def test_abbreviations_titles_and_initials_do_not_split() -> None:
    assert texts("Jend. Andika Perkasa hadir bersama Dr. Retno. Acara selesai.") == [
        "Jend. Andika Perkasa hadir bersama Dr. Retno.", "Acara selesai."]
    assert texts("Officials in the U.S. State Department met Gen. Smith and J. R. Allen on Monday. Talks ended.") == [
        "Officials in the U.S. State Department met Gen. Smith and J. R. Allen on Monday.", "Talks ended."]
    assert texts("Resolusi No. 2397 membatasi impor minyak.") == ["Resolusi No. 2397 membatasi impor minyak."]


def test_numbers_ellipses_and_quotes() -> None:
    assert texts("Nilainya Rp3,9 miliar atau 10.000 dolar. Angka itu naik 1.5 persen.") == [
        "Nilainya Rp3,9 miliar atau 10.000 dolar.", "Angka itu naik 1.5 persen."]
    assert texts("Ia berkata... lalu diam. Semua menunggu.") == ["Ia berkata... lalu diam.", "Semua menunggu."]
    assert texts("“Kami siap berunding.” Pernyataan itu dirilis Senin.") == [
        "“Kami siap berunding.”", "Pernyataan itu dirilis Senin."]


def test_regions_limit_segmentation_and_keep_kind() -> None:
    t = "Judul Berita\nFoto: dokumentasi\nIsi pertama. Isi kedua."
    title = (0, 12, "title")
    body = (t.index("Isi"), len(t), "body")
    out = segment(t, [title, body])
    assert [(s.text, s.kind) for s in out] == [("Judul Berita", "title"), ("Isi pertama.", "body"),
                                                ("Isi kedua.", "body")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Korut", "meluncurkan", "rudal.", "Dr.", "3,9", "10.000", "...", "?", "!", "\n",
                                 "“Ya.”", "U.S.", "Seoul", "  ", "J.", "(ANTARA)", "-", "a"]), max_size=40))
def test_offsets_always_hold_and_sentences_do_not_overlap(parts: list[str]) -> None:
    t = " ".join(parts)
    out = segment(t)
    last = -1
    for s in out:
        assert t[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= last
        last = s.end
