"""Numbers and quantities in Indonesian and English sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.model import Quantity
from pantau.nlp.numbers import parse_number, parse_numeral
from pantau.nlp.quantities import find_quantities


def q(text: str, language: str = "id") -> list[tuple[int | float, str, bool, str]]:
    found = find_quantities(text, language=language)
    for x in found:
        assert x.start is not None and x.end is not None and text[x.start:x.end] == x.text
    return [(x.value, x.unit, x.approx, x.text) for x in found]


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("10.000", "id", (10000, False)),
    ("3,9", "id", (3.9, False)),
    ("1,5 juta", "id", (1500000, False)),
    ("3,9 Miliar", "id", (3900000000, False)),
    ("sepuluh ribu", "id", (10000, False)),
    ("tiga puluh", "id", (30, False)),
    ("dua ratus tiga puluh lima", "id", (235, False)),
    ("seribu", "id", (1000, False)),
    ("dua belas", "id", (12, False)),
    ("satu setengah juta", "id", (1500000, False)),
    ("belasan", "id", (11, True)),
    ("puluhan ribu", "id", (10000, True)),
    ("ribuan", "id", (1000, True)),
    ("10,000", "en", (10000, False)),
    ("3.9", "en", (3.9, False)),
    ("20 million", "en", (20000000, False)),
    ("1.5bn", "en", (1500000000, False)),
    ("ten thousand", "en", (10000, False)),
    ("one hundred and twenty-five", "en", (125, False)),
    ("a dozen", "en", (12, False)),
    ("dozens of", "en", (12, True)),
    ("tens of thousands of", "en", (10000, True)),
])
def test_parse_number(text: str, language: str, expected: tuple[int | float, bool]) -> None:
    assert parse_number(text, language) == expected


def test_numeral_conventions_follow_the_language() -> None:
    assert parse_numeral("1.500", "id") == 1500
    assert parse_numeral("1.500", "en") == 1.5
    assert parse_numeral("1,500", "en") == 1500
    assert parse_numeral("1,5", "id") == 1.5
    assert parse_numeral("10,000", "id") == 10000  # English grouping inside Indonesian text
    assert parse_numeral("abc", "id") is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_numerals_round_trip(n: int) -> None:
    en = f"{n:,}"
    assert parse_numeral(en, "en") == n
    assert parse_numeral(en.replace(",", "."), "id") == n


_ID_ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def _id_words(n: int) -> str:
    """Indonesian number words, written the way newspapers spell them."""
    if n < 10:
        return _ID_ONES[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_ID_ONES[n - 10]} belas"
    if n < 100:
        return f"{_ID_ONES[n // 10]} puluh {_id_words(n % 10)}".strip()
    if n < 1000:
        head = "seratus" if n // 100 == 1 else f"{_ID_ONES[n // 100]} ratus"
        return f"{head} {_id_words(n % 100)}".strip()
    if n < 1_000_000:
        head = "seribu" if n // 1000 == 1 else f"{_id_words(n // 1000)} ribu"
        return f"{head} {_id_words(n % 1000)}".strip()
    return f"{_id_words(n // 1_000_000)} juta {_id_words(n % 1_000_000)}".strip()


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999_999_999))
def test_indonesian_number_words_round_trip(n: int) -> None:
    assert parse_number(_id_words(n), "id") == (n, False)


# --- quantities ---------------------------------------------------------------------------------

def test_troops_and_approximation() -> None:
    assert q("Pyongyang disebut mengirim sekitar 10.000 tentara ke garis depan.") == [
        (10000, "troops", True, "sekitar 10.000 tentara")]
    assert q("Ribuan tentara dan puluhan ribu peluru dikirim lewat kereta.") == [
        (1000, "troops", True, "Ribuan tentara"), (10000, "shells", True, "puluhan ribu peluru")]
    assert q("Sebanyak 10.000 orang tentara diberangkatkan.") == [
        (10000, "troops", False, "10.000 orang tentara")]


def test_votes_versus_countries() -> None:
    assert q("Dalam pemungutan itu 13 negara memberikan suara mendukung resolusi, dua negara abstain.") == [
        (13, "votes_for", False, "13 negara memberikan suara mendukung"),
        (2, "abstentions", False, "dua negara abstain")]
    assert q("Delegasi dari 13 negara menghadiri forum itu.") == [(13, "countries", False, "13 negara")]
    assert q("Sebanyak 12 anggota dewan mendukung rancangan itu, sedangkan satu negara memveto.") == [
        (12, "votes_for", False, "12 anggota dewan mendukung"), (1, "votes_against", False, "satu negara memveto")]
    assert q("Ada 12 anggota dewan mendukung program sekolah itu.") == [(12, "members", False, "12 anggota dewan")]
    assert q("Resolution passed with 12 votes in favour, one against and two abstentions.", "en") == [
        (12, "votes_for", False, "12 votes in favour"), (1, "votes_against", False, "one against"),
        (2, "abstentions", False, "two abstentions")]


def test_other_units() -> None:
    assert q("Kerja sama mencakup 11 bidang, termasuk siber.") == [(11, "fields", False, "11 bidang")]
    assert q("Kapal itu membawa 500.000 barel minyak dan lebih dari 3.000 kontainer.") == [
        (500000, "barrels", False, "500.000 barel"), (3000, "containers", True, "lebih dari 3.000 kontainer")]
    assert q("Sepuluh ribu pasukan dan tiga kapal perang ikut latihan.") == [
        (10000, "troops", False, "Sepuluh ribu pasukan"), (3, "ships", False, "tiga kapal perang")]


def test_currencies() -> None:
    assert q("Kerugian ditaksir Rp3,9 Miliar, sementara bantuan mencapai US$ 1,5 juta.") == [
        (3900000000, "IDR", False, "Rp3,9 Miliar"), (1500000, "USD", False, "US$ 1,5 juta")]
    assert q("Transaksi senilai 5 juta dolar AS dan 20 miliar won dibekukan.") == [
        (5000000, "USD", False, "5 juta dolar AS"), (20000000000, "KRW", False, "20 miliar won")]
    assert q("Aset senilai 5 juta USD dibekukan, 30 orang tewas.") == [
        (5000000, "USD", False, "5 juta USD"), (30, "deaths", False, "30 orang tewas")]
    assert q("The deal was worth $20 million and about 1.5bn won.", "en") == [
        (20000000, "USD", False, "$20 million"), (1500000000, "KRW", True, "about 1.5bn won")]


def test_english_units_with_modifiers() -> None:
    assert q("About 10,000 North Korean troops arrived, and dozens of soldiers were hurt.", "en") == [
        (10000, "troops", True, "About 10,000 North Korean troops"), (12, "troops", True, "dozens of soldiers")]
    assert q("More than 3,000 containers and a million artillery shells were shipped.", "en") == [
        (3000, "containers", True, "More than 3,000 containers"),
        (1000000, "shells", False, "a million artillery shells")]


@pytest.mark.parametrize("text, language", [
    ("Pertemuan 2+2 digelar di Washington.", "id"),
    ("Rapat pada 28/3/2024 membahas sanksi.", "id"),
    ("Rudal KN-23 diluncurkan pada tahun 2024 untuk ke-2 kalinya.", "id"),
    ("Dewan itu mengadopsi resolusi 2397.", "id"),
    ("The 2nd round of talks used Su-27 jets as a backdrop.", "en"),
    ("The vote took place in 2024.", "en"),
    ("In 2023 North Korean troops crossed the border.", "en"),
    ("Sejak 2022 kapal tanker itu berlayar tanpa transponder.", "id"),
])
def test_not_quantities(text: str, language: str) -> None:
    assert find_quantities(text, language=language) == []


def test_regions_limit_the_search() -> None:
    text = "Ada 5 kapal di pelabuhan. Lalu 7 kapal lain tiba."
    cut = text.index("Lalu")
    found = find_quantities(text, language="id", regions=[(cut, len(text))])
    assert found == [Quantity(value=7, unit="ships", approx=False, text="7 kapal", start=cut + 5, end=cut + 12)]


NEWSY = st.lists(st.sampled_from(list("0123456789.,-+/% \n$") + ["Rp", "US$", "juta", "ribu", "tentara",
                "negara", "suara", "mendukung", "sekitar", "million", "troops", "dua", "ten", "of", "dozens"]),
                max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), NEWSY), st.sampled_from(["id", "en"]))
def test_any_text_gives_consistent_spans(text: str, language: str) -> None:
    for x in find_quantities(text, language=language):
        assert x.start is not None and x.end is not None and text[x.start:x.end] == x.text
        assert x.value >= 0 and x.unit


def test_more_and_additional_between_number_and_unit() -> None:
    qs = find_quantities("Pyongyang has shipped roughly 4,500 more soldiers to the front.", language="en")
    assert [(q.value, q.unit, q.approx) for q in qs] == [(4500, "troops", True)]
    qs = find_quantities("Moscow received 200 additional missiles.", language="en")
    assert [(q.value, q.unit) for q in qs] == [(200, "missiles")]
    # "more than" still reads as approximation before a number, not as a unit filler
    assert find_quantities("They sent 2 more than planned.", language="en") == []
