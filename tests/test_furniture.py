"""Page furniture: captions, teasers, bylines, datelines, tags — in Indonesian and English."""

from __future__ import annotations

from pantau.nlp.furniture import find_furniture

ID_PAGE = """Jepang dan Filipina Sepakati Latihan Bersama di Laut China Selatan

Penulis: Sari Wulandari | Editor: Agus Salim
Selasa, 12 Maret 2024 | 14:20 WIB
Kapal perang Jepang bersandar di Manila (Foto/Dok. Kemhan)
Kapal perang Jepang bersandar di Manila (Foto/Dok. Kemhan)

TOKYO, KOMPAS.com - Menteri Pertahanan Jepang menyatakan kedua negara akan menggelar latihan gabungan.
Baca Juga: Harga Beras di Pasar Induk Kembali Naik
Latihan itu direncanakan berlangsung bulan depan. (ant/rdn)
0 Komentar
Tags: jepang
"""

EN_PAGE = """Australia and Japan sign defence pact
By Tom Baker and Ann Lee
Photo: Troops march in Darwin (Reuters)
CANBERRA (Reuters) - Australia and Japan signed a defence pact on Friday.
Read more: Markets rally after rate decision
Related: Five things to know about the region
The deal allows joint exercises.
Share
"""


def _content(text: str, lay) -> list[str]:
    return [text[s:e] for s, e, _ in lay.regions]


def test_indonesian_page() -> None:
    lay = find_furniture(ID_PAGE)
    content = _content(ID_PAGE, lay)
    assert content[0] == "Jepang dan Filipina Sepakati Latihan Bersama di Laut China Selatan"
    assert lay.regions[0][2] == "title"
    assert content[1].startswith("Menteri Pertahanan Jepang menyatakan")
    assert content[2] == "Latihan itu direncanakan berlangsung bulan depan."
    assert len(content) == 3
    assert lay.authors == ["Sari Wulandari"] and lay.editors == ["Agus Salim"]
    assert lay.publisher == "KOMPAS.com" and lay.dateline_place == "Tokyo"
    labels = [f.label for f in lay.furniture]
    assert labels.count("caption") == 2
    assert {"byline", "date", "dateline", "teaser", "comments", "tags", "credit"} <= set(labels)
    assert [ID_PAGE[s:e] for s, e in lay.date_lines] == ["Selasa, 12 Maret 2024 | 14:20 WIB"]
    for f in lay.furniture:
        assert ID_PAGE[f.start:f.end] == f.text


def test_english_page() -> None:
    lay = find_furniture(EN_PAGE, language="en")
    content = _content(EN_PAGE, lay)
    assert content == ["Australia and Japan sign defence pact",
                       "Australia and Japan signed a defence pact on Friday.", "The deal allows joint exercises."]
    assert lay.authors == ["Tom Baker", "Ann Lee"]
    assert lay.publisher == "Reuters" and lay.dateline_place == "Canberra"


def test_datelines_of_several_outlets() -> None:
    for line, pub, place in [
        ("REPUBLIKA.CO.ID, SEOUL -- Pemerintah menyatakan sikapnya.", "REPUBLIKA.CO.ID", "Seoul"),
        ("Liputan6.com, Jakarta - Pemerintah menyatakan sikapnya.", "Liputan6.com", "Jakarta"),
        ("Jakarta (ANTARA) - Pemerintah menyatakan sikapnya.", "ANTARA", "Jakarta"),
        ("JAKARTA - Pemerintah menyatakan sikapnya.", None, "Jakarta"),
    ]:
        text = "Judul Singkat\n" + line
        lay = find_furniture(text)
        assert _content(text, lay)[1] == "Pemerintah menyatakan sikapnya.", line
        assert lay.publisher == pub and lay.dateline_place == place


def test_a_body_sentence_with_a_dash_is_not_a_dateline_later_in_the_text() -> None:
    text = "Judul\n" + "\n".join(f"Paragraf {i} berisi kalimat biasa." for i in range(7)) + \
        "\nMenurut pejabat - yang enggan disebut namanya - rencana itu batal."
    lay = find_furniture(text)
    assert _content(text, lay)[-1].startswith("Menurut pejabat")


def test_title_given_as_metadata_marks_the_matching_first_line() -> None:
    text = "Korut Uji Rudal Baru\nKorea Utara menguji rudal baru pada Senin."
    lay = find_furniture(text, title="Korut Uji Rudal Baru")
    assert lay.regions[0] == (0, 20, "title") and lay.regions[1][2] == "body"
    other = find_furniture(text, title="Judul Lain dari Metadata")
    assert all(kind == "body" for _, _, kind in other.regions[1:])
