"""The entity finder on Indonesian and English sentences written for these tests."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.nlp.entities import EntityIndex, NerSpan, find_entities

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def hits(idx: EntityIndex) -> list[tuple[str, str]]:
    return [(h.text, h.entity_id) for h in idx.hits]


def ids(idx: EntityIndex) -> set[str]:
    return {e.id for e in idx.entities}


# --- countries, organisations, places -------------------------------------------------------

def test_indonesian_short_forms_and_organisations() -> None:
    text = ("Korut kembali menguji rudal, dan Korsel bersama AS meminta Dewan Keamanan PBB (DK PBB) "
            "bersidang. Tiongkok dan Rusia menolak, sementara Uni Eropa mendukung.")
    idx = find_entities(text, on=date(2024, 5, 1))
    assert hits(idx) == [("Korut", "PRK"), ("Korsel", "KOR"), ("AS", "USA"), ("Dewan Keamanan PBB", "UNSC"),
                         ("DK PBB", "UNSC"), ("Tiongkok", "CHN"), ("Rusia", "RUS"), ("Uni Eropa", "EU")]
    assert idx.get("UNSC").name == "United Nations Security Council"


def test_lowercase_multiword_names_and_panel() -> None:
    text = "Pemerintah akan meminta majelis umum PBB membahas nasib panel ahli yang dibubarkan."
    assert hits(find_entities(text)) == [("majelis umum PBB", "UNGA"), ("panel ahli", "UNPOE")]


def test_acronyms_are_case_sensitive() -> None:
    # Indonesian "AS" is the United States, but not a lower-case "as" or "As"
    assert hits(find_entities("Poros as roda itu patah.", language="id")) == []
    # English text has no "AS" alias at all; "US" only in capitals
    text = "As officials said, the US and Japan will talk. Let us hope; AS WELL AS that."
    assert hits(find_entities(text, language="en")) == [("US", "USA"), ("Japan", "JPN")]


def test_single_word_names_need_a_capital() -> None:
    assert hits(find_entities("Kami memakai piring china dari pasar.")) == []
    assert hits(find_entities("China menolak usulan itu.")) == [("China", "CHN")]


def test_places_with_their_country() -> None:
    text = "Pasukan itu dikirim ke Kursk, lalu latihan digelar di Semenanjung Korea dan Laut Jepang."
    idx = find_entities(text)
    assert [h.entity_id for h in idx.hits] == ["place:kursk", "place:korean-peninsula", "place:sea-of-japan"]
    assert idx.get("place:kursk").country == "RUS"
    assert idx.get("place:kursk").type == "place"


def test_blockers_stop_capitals_inside_names() -> None:
    text = "Menurut laporan The Washington Post, Moskow membantah."
    assert hits(find_entities(text)) == [("Moskow", "RUS")]


# --- capitals: government or place ------------------------------------------------------------

def test_capital_as_government_and_as_place() -> None:
    text = ("Seoul dan Washington menuduh Pyongyang melanggar sanksi. "
            "Para menteri kemudian bertemu di Tokyo dan Beijing, lalu terbang ke Moskow.")
    idx = find_entities(text)
    got = [(h.text, h.entity_id, h.type, h.metonym) for h in idx.hits]
    assert got == [
        ("Seoul", "KOR", "country", True),
        ("Washington", "USA", "country", True),
        ("Pyongyang", "PRK", "country", True),
        ("Tokyo", "place:tokyo", "place", False),
        ("Beijing", "place:beijing", "place", False),
        ("Moskow", "place:moscow", "place", False),
    ]
    assert idx.get("place:moscow").country == "RUS"


def test_capital_in_english() -> None:
    text = "Moscow and Pyongyang signed a pact, officials in Seoul said. The Kremlin denied it."
    got = [(h.text, h.entity_id, h.metonym) for h in find_entities(text, language="en").hits]
    assert got == [("Moscow", "RUS", True), ("Pyongyang", "PRK", True), ("Seoul", "place:seoul", False),
                   ("Kremlin", "RUS", True)]


# --- national bodies -----------------------------------------------------------------------------

def test_ministries_are_built_from_kind_and_country() -> None:
    text = ("Kementerian Pertahanan Rusia dan Kementerian Luar Negeri Jepang mengeluarkan pernyataan, "
            "sedangkan Departemen Luar Negeri mengaku belum menerima laporan.")
    idx = find_entities(text)
    assert [h.entity_id for h in idx.hits] == ["org:ministry-of-defence-rus", "org:ministry-of-foreign-affairs-jpn",
                                               "org:us-department-of-state"]
    mofa = idx.get("org:ministry-of-foreign-affairs-jpn")
    assert (mofa.name, mofa.affiliation, mofa.type) == ("Ministry of Foreign Affairs of Japan", "JPN", "organization")
    # the country inside the ministry's name is still a mention of the country
    assert [m.text for m in idx.get("RUS").mentions] == ["Rusia"]


def test_english_ministries() -> None:
    text = "Russia's Foreign Ministry and the South Korean Defense Ministry traded statements."
    idx = find_entities(text, language="en")
    assert [h.entity_id for h in idx.hits] == ["org:ministry-of-foreign-affairs-rus",
                                               "org:ministry-of-national-defense-kor"]


# --- people ----------------------------------------------------------------------------------------

def test_title_country_and_registry_name() -> None:
    text = ("Menteri Pertahanan Korea Selatan Shin Won-sik menerima Komandan Tertinggi NATO "
            "Jenderal Christopher Cavoli. Menteri Shin lalu memuji Cavoli.")
    idx = find_entities(text, on=date(2024, 2, 29))
    assert hits(idx) == [("Shin Won-sik", "person:shin-won-sik"), ("Christopher Cavoli", "person:christopher-cavoli"),
                         ("Shin", "person:shin-won-sik"), ("Cavoli", "person:christopher-cavoli")]
    shin, cavoli = idx.get("person:shin-won-sik"), idx.get("person:christopher-cavoli")
    assert (shin.affiliation, cavoli.affiliation) == ("KOR", "NATO")
    assert idx.hits[0].role_hint == "Minister of Defence"
    # the qualifiers inside the titles are mentions of their entities, not separate hits
    assert {"KOR", "NATO"} <= ids(idx)


def test_title_and_unknown_name() -> None:
    text = ("Duta Besar Rusia untuk PBB Oleg Tarasenko membantah laporan itu, "
            "sementara Wakil Menteri Luar Negeri Korea Selatan Park Min-jae menyambutnya.")
    idx = find_entities(text, on=date(2024, 6, 1))
    people = {e.id: (e.name, e.affiliation, e.role) for e in idx.entities if e.type == "person"}
    assert people == {
        "person:oleg-tarasenko": ("Oleg Tarasenko", "RUS", "Ambassador"),
        "person:park-min-jae": ("Park Min-jae", "KOR", "Deputy Minister of Foreign Affairs"),
    }


def test_coordinated_titles_share_the_country() -> None:
    text = "Menteri Luar Negeri Prancis Claire Dubois dan Menteri Pertahanan Marc Lefevre tiba bersama."
    idx = find_entities(text, on=date(2024, 6, 1))
    assert idx.get("person:claire-dubois").affiliation == "FRA"
    assert idx.get("person:marc-lefevre").affiliation == "FRA"
    assert idx.get("person:marc-lefevre").role == "Minister of Defence"


def test_bare_title_resolved_through_dated_offices() -> None:
    text = "Sekjen NATO memuji langkah itu."
    assert hits(find_entities(text, on=date(2024, 4, 10))) == [("Sekjen NATO", "person:jens-stoltenberg")]
    assert hits(find_entities(text, on=date(2024, 11, 10))) == [("Sekjen NATO", "person:mark-rutte")]
    idx = find_entities("Presiden Korea Selatan menolak usulan itu.", on=date(2023, 8, 1))
    assert hits(idx) == [("Presiden Korea Selatan", "person:yoon-suk-yeol")]
    assert idx.get("person:yoon-suk-yeol").affiliation == "KOR"
    assert "KOR" in ids(idx)
    # a former office holder is not resolved to today's holder
    assert [h.entity_id for h in find_entities("Mantan Presiden Korea Selatan itu diadili.",
                                               on=date(2023, 8, 1)).hits] == ["KOR"]


def test_surname_needs_the_full_name_or_a_title() -> None:
    assert hits(find_entities("Cho mengatakan hal itu.", on=date(2024, 4, 6))) == []
    text = "Menteri Luar Negeri Cho Tae-yul tiba. Cho mengatakan kerja sama penting."
    idx = find_entities(text, on=date(2024, 4, 6))
    assert [h.entity_id for h in idx.hits] == ["person:cho-tae-yul", "person:cho-tae-yul"]
    assert idx.get("person:cho-tae-yul").affiliation == "KOR"  # from the registry: the title names no country


def test_role_words_and_headlines_are_not_names() -> None:
    idx = find_entities("Menlu Korsel Bahas Ancaman Korut dengan Mitra Eropa", on=date(2024, 6, 1))
    assert not any(e.id.startswith("person:") and e.id != "person:cho-tae-yul" for e in idx.entities)
    idx = find_entities("Menteri Luar Negeri Korea Selatan pada Sabtu (6/4) berbicara.", on=date(2024, 4, 6))
    assert hits(idx) == [("Menteri Luar Negeri Korea Selatan", "person:cho-tae-yul")]
    assert hits(find_entities("Juru bicara itu menolak berkomentar pada Januari.")) == []


def test_english_titles() -> None:
    text = ("South Korean Foreign Minister Cho Tae-yul met NATO Secretary General Mark Rutte. "
            "Japan's defence minister, Gen Nakatani, joined them; Ambassador Linda Carver of Canada did not.")
    idx = find_entities(text, language="en", on=date(2024, 11, 1))
    people = {e.id: e.affiliation for e in idx.entities if e.type == "person"}
    assert people == {"person:cho-tae-yul": "KOR", "person:mark-rutte": "NATO", "person:gen-nakatani": "JPN",
                      "person:linda-carver": "CAN"}


def test_ner_spans_fill_gaps() -> None:
    text = "Analis Rina Kartika dari lembaga Pusat Kajian Maritim menilai Korut tertekan di Laut Kuning."
    spans = [NerSpan(7, 19, "PERSON"), NerSpan(33, 53, "ORGANISATION"), NerSpan(80, 91, "PLACE"),
             NerSpan(62, 67, "PLACE")]
    idx = find_entities(text, ner_spans=spans)
    assert hits(idx) == [("Rina Kartika", "person:rina-kartika"), ("Pusat Kajian Maritim", "org:pusat-kajian-maritim"),
                         ("Korut", "PRK"), ("Laut Kuning", "place:yellow-sea")]
    assert idx.get("org:pusat-kajian-maritim").name == "Pusat Kajian Maritim"


def test_regions_limit_the_search() -> None:
    text = "REPUBLIKA.CO.ID, SEOUL -- Rusia memveto resolusi.\nBaca Juga: Jepang protes"
    idx = find_entities(text, regions=[(26, 50)])
    assert hits(idx) == [("Rusia", "RUS")]


# --- properties ----------------------------------------------------------------------------------

WORDS = st.sampled_from(["Korut", "AS", "as", "di", "Seoul", "Menteri", "Luar", "Negeri", "Pertahanan", "Cho",
                         "Tae-yul", "NATO", "Sekjen", "PBB", "dan", "Kim", "Jong-un", "(", ")", ",", ".", "\n",
                         "Presiden", "Rusia", "Moskow", "ke", "Jenderal", "Budi", "Santoso", "of", "the", "'s"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40), st.sampled_from(["id", "en"]))
def test_hits_are_sorted_disjoint_and_exact(words: list[str], lang: str) -> None:
    text = " ".join(words)
    idx = find_entities(text, language=lang, on=date(2024, 4, 6))
    last = -1
    for h in idx.hits:
        assert text[h.start:h.end] == h.text
        assert h.start >= last
        last = h.end
        assert idx.get(h.entity_id) is not None
    for e in idx.entities:
        assert e.mentions and all(text[m.start:m.end] == m.text for m in e.mentions)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_safe(text: str) -> None:
    idx = find_entities(text)
    assert all(text[h.start:h.end] == h.text for h in idx.hits)


# --- the dev set (read from ../shared at run time) -----------------------------------------------

def test_dev_set_actor_and_place_f1() -> None:
    assert (SHARED / "eval" / "score.py").exists(), f"{SHARED} not present (../shared must be beside the checkout)"
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    totals = {"actors": [0, 0, 0], "places": [0, 0, 0]}
    for gpath in sorted((SHARED / "eval" / "gold").glob("*.json")):
        gold = json.loads(gpath.read_text())
        text = (SHARED / "corpus" / "seeds" / gold["doc"]).read_text()
        on = date.fromisoformat(gold["published"][0]) if gold.get("published") else None
        ents = [e.to_dict() for e in find_entities(text, on=on, language=gold.get("language", "id")).entities]
        for key in totals:
            chosen = [e for e in ents if (e["type"] == "place") == (key == "places")]
            r = score.score_entities(gold[key], chosen)
            totals[key] = [a + b for a, b in zip(totals[key], r, strict=True)]
    assert score.prf(*totals["actors"])[2] >= 0.9
    assert score.prf(*totals["places"])[2] >= 0.9


def test_family_name_starting_an_unknown_name() -> None:
    text = ("Pemimpin Korut Kim Jong Un meninjau pabrik. Di Seoul, Kementerian Luar Negeri Korea Selatan "
            "memanggil diplomat Rusia.\nWakil Menteri Luar Negeri Kim Seung-ho menyebut langkah itu provokatif. "
            "Kim menambahkan bahwa sanksi akan diperketat.")
    idx = find_entities(text, on=date(2024, 6, 20))
    people = [(h.text, h.entity_id) for h in idx.hits if h.type == "person"]
    # the bare "Kim" is ambiguous once a second Kim is named
    assert people == [("Kim Jong Un", "person:kim-jong-un"), ("Kim Seung-ho", "person:kim-seung-ho")]
    # no country in the title: the one foreign ministry the text names gives it
    assert idx.get("person:kim-seung-ho").affiliation == "KOR"
    assert idx.get("person:kim-seung-ho").role == "Deputy Minister of Foreign Affairs"


def test_rank_title_after_a_body() -> None:
    text = "Kepala Staf Gabungan Korea Selatan Jenderal Lim Tae-soo memeriksa kesiapan pasukan."
    idx = find_entities(text, on=date(2024, 6, 20))
    assert [(h.text, h.entity_id) for h in idx.hits] == [("Lim Tae-soo", "person:lim-tae-soo")]
    assert idx.get("person:lim-tae-soo").affiliation == "KOR"
    assert "org:joint-chiefs-of-staff-kor" in ids(idx)


def test_ner_spans_already_read_or_common_are_ignored() -> None:
    text = "Kementerian Luar Negeri menyebut Sementara itu Rudi Hartono hadir."
    spans = [NerSpan(0, 23, "ORGANISATION"), NerSpan(33, 42, "PERSON"), NerSpan(47, 59, "PERSON")]
    idx = find_entities(text, ner_spans=spans)
    assert hits(idx) == [("Rudi Hartono", "person:rudi-hartono")]


def test_apposed_name_and_language_names() -> None:
    text = ("Menteri Luar Negeri Mongolia, Battsetseg Batmunkh, berbicara dalam bahasa Inggris. "
            "Menurut Menteri Luar Negeri Rusia, Korea Utara adalah mitra penting.")
    idx = find_entities(text, on=date(2024, 7, 30))
    assert [(h.text, h.entity_id) for h in idx.hits] == [
        ("Battsetseg Batmunkh", "person:battsetseg-batmunkh"),
        ("Menteri Luar Negeri Rusia", "person:sergey-lavrov"),
        ("Korea Utara", "PRK"),
    ]
    assert idx.get("person:battsetseg-batmunkh").affiliation == "MNG"
    assert "GBR" not in ids(idx)  # "bahasa Inggris" is the English language


def test_overlapping_regions_give_each_mention_once() -> None:
    text = "Rusia dan Korut menandatangani pakta."
    idx = find_entities(text, regions=[(0, 20), (5, 37), (0, 5)])
    assert hits(idx) == [("Rusia", "RUS"), ("Korut", "PRK")]
    assert len(idx.get("RUS").mentions) == 1


def test_currencies_are_not_countries() -> None:
    text = "Korut memperoleh US$ 1,2 miliar atau setara dolar AS dari pencurian kripto, kata AS."
    assert hits(find_entities(text)) == [("Korut", "PRK"), ("AS", "USA")]


def _span(text: str, word: str, label: str = "ORGANISATION") -> NerSpan:
    i = text.index(word)
    return NerSpan(i, i + len(word), label)


def test_cited_outlets_are_no_actors() -> None:
    text = "Korea Selatan mengecam peluncuran itu, dilansir Antara dari Yonhap-AFP, Jumat."
    idx = find_entities(text, ner_spans=[_span(text, "Yonhap-AFP")], on=date(2024, 5, 1))
    assert "KOR" in ids(idx) and not any("yonhap" in i for i in ids(idx))
    text = "Menurut kantor berita KCNA, Korea Utara menguji rudal baru."
    assert "org:kcna" not in ids(find_entities(text, on=date(2024, 5, 1)))
    # an outlet that is itself the subject stays an actor; so does a ministry after "menurut"
    text = "KCNA said North Korea tested a new missile."
    assert "org:kcna" in ids(find_entities(text, language="en", on=date(2024, 5, 1)))
    text = "Menurut Kementerian Luar Negeri Jepang, Korea Utara menguji rudal baru."
    assert any(i.startswith("org:ministry") for i in ids(find_entities(text, on=date(2024, 5, 1))))


def test_an_unknown_name_after_a_strong_citation_cue_is_an_outlet() -> None:
    text = "Jepang memprotes uji coba itu, seperti dikutip dari Harian Selatan Raya."
    idx = find_entities(text, ner_spans=[_span(text, "Harian Selatan Raya")], on=date(2024, 5, 1))
    assert not any("harian" in i for i in ids(idx))
    text = "Jepang bertemu Dewan Pesisir Raya di Tokyo."
    idx = find_entities(text, ner_spans=[_span(text, "Dewan Pesisir Raya")], on=date(2024, 5, 1))
    assert any("dewan-pesisir" in i for i in ids(idx))


@pytest.mark.parametrize("typo", ["Semananjung", "Semenanjng", "Semenanjungg"])
def test_a_one_letter_typo_in_a_long_first_word_still_names_the_place(typo: str) -> None:
    idx = find_entities(f"Ketegangan di {typo} Korea terus meningkat.", on=date(2024, 5, 1))
    assert [h.entity_id for h in idx.hits] == ["place:korean-peninsula"]


def test_typos_in_short_words_are_not_corrected() -> None:
    # "Korut" is a real short form; a short unknown word is left alone rather than guessed
    idx = find_entities("Ketegangan di Semenanjung Korut terus meningkat.", on=date(2024, 5, 1))
    assert "place:korean-peninsula" not in {h.entity_id for h in idx.hits}
    assert "place:korean-peninsula" not in ids(find_entities("Pasukan Semeru Korea tiba.", on=date(2024, 5, 1)))


def test_the_ner_reads_only_regions_where_the_gazetteer_left_a_name_unread() -> None:
    text = "Korea Utara menembakkan rudal. Pemerintah Jepang mengecam. Menteri Budiarto Wicaksono tiba di Tokyo."
    regions = [(0, 30), (31, 58), (59, len(text))]
    asked: list[list[tuple[int, int]]] = []

    def ner(todo: list[tuple[int, int]]) -> list[NerSpan]:
        asked.append(todo)
        return [_span(text, "Budiarto Wicaksono", "PERSON")]

    idx = find_entities(text, regions=regions, on=date(2024, 5, 1), ner=ner)
    assert asked == [[(59, len(text))]]  # one call, on the one sentence with an unknown name
    assert any("budiarto" in i for i in ids(idx)) and "PRK" in ids(idx)
    asked.clear()
    find_entities("Korea Utara menembakkan rudal.", regions=[(0, 30)], on=date(2024, 5, 1), ner=ner)
    assert asked == []  # nothing left for the NER: it is not called at all


def test_an_ner_span_over_an_article_and_a_known_ministry_word_is_no_new_organisation() -> None:
    text = "Britain froze the assets. The Foreign Office said the measures take effect today."
    idx = find_entities(text, language="en", ner_spans=[_span(text, "The Foreign Office")], on=date(2025, 1, 1))
    assert not any("foreign-office" in i for i in ids(idx)), ids(idx)


def test_weekdays_months_and_plain_openers_do_not_wake_the_ner() -> None:
    asked: list[list[tuple[int, int]]] = []

    def ner(todo: list[tuple[int, int]]) -> list[NerSpan]:
        asked.append(todo)
        return []

    text = "Analysts said Japan met China on Wednesday. Earlier, South Korea protested in March."
    find_entities(text, regions=[(0, 43), (44, len(text))], language="en", on=date(2024, 5, 1), ner=ner)
    assert asked == []
    text = "Sementara itu, Jepang bertemu China pada Senin, 3 Juni."
    find_entities(text, regions=[(0, len(text))], on=date(2024, 5, 1), ner=ner)
    assert asked == []
    text = "Analysts said Japan met Hendrawan Kusumo on Wednesday."
    find_entities(text, regions=[(0, len(text))], language="en", on=date(2024, 5, 1), ner=ner)
    assert asked == [[(0, len(text))]]


def test_tagger_spans_lose_leading_lowercase_words_and_lowercase_spans_are_dropped() -> None:
    from pantau.nlp.entities import NerSpan, find_entities

    text = "Kapal itu berlabuh di pelabuhan Rajinpo sebelum berlayar, seperti biasa."
    port = text.index("pelabuhan Rajinpo")
    word = text.index("seperti")
    ix = find_entities(text, language="id", ner_spans=[NerSpan(port, port + len("pelabuhan Rajinpo"), "PLACE"),
                                                        NerSpan(word, word + len("seperti"), "PLACE")])
    places = {e.id: [m.text for m in e.mentions] for e in ix.entities if e.type == "place"}
    assert places == {"place:rajinpo": ["Rajinpo"]}
