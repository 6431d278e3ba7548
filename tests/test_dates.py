"""Dates in Indonesian and English: explicit, partial, relative, and the publication date.

Sentences are written for these tests. Hypothesis renders generated dates with babel in
Indonesian and English formats and checks they read back to the same day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date, get_day_names, get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.nlp.dates import DateMention, find_dates, find_publication_date
from pantau.nlp.dates_lexicon import date_lexicon

SAT_6_APR_2024 = date(2024, 4, 6)
WED_30_OCT_2024 = date(2024, 10, 30)


def one(text: str, anchor: date | None = SAT_6_APR_2024, language: str = "id") -> DateMention:
    found = find_dates(text, anchor=anchor, language=language)
    assert len(found) == 1, [(d.text, d.value) for d in found]
    d = found[0]
    assert text[d.start:d.end] == d.text
    return d


def interval(d: DateMention) -> tuple[str, str, str]:
    return d.value.start, d.value.end, d.value.precision


# --- explicit dates -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected, span", [
    ("Menteri itu tiba di Seoul pada Kamis (28/3/2024) malam.", "2024-03-28", "Kamis (28/3/2024)"),
    ("Rudal ditembakkan Senin pagi (27/5/2024) ke laut.", "2024-05-27", "Senin pagi (27/5/2024)"),
    ("Perjanjian diteken 28/3/2024 di Jakarta.", "2024-03-28", "28/3/2024"),
    ("Rabu, 30 Oktober 2024 | 01:00 WIB", "2024-10-30", "Rabu, 30 Oktober 2024 | 01:00 WIB"),
    ("Latihan gabungan digelar pada 5 Januari 2023 di Laut Kuning.", "2023-01-05", "5 Januari 2023"),
    ("Kapal itu berlabuh tanggal 12 Agu 2022 di Nampo.", "2022-08-12", "tanggal 12 Agu 2022"),
    ("Data tercatat per 2024-03-28 oleh panel.", "2024-03-28", "2024-03-28"),
    ("Surat dikirim 07-11-2023 ke Dewan Keamanan.", "2023-11-07", "07-11-2023"),
])
def test_explicit_indonesian_days(text: str, expected: str, span: str) -> None:
    d = one(text)
    assert (d.value.start, d.value.end, d.value.precision, d.value.basis) == (expected, expected, "day", "explicit")
    assert d.text == span


@pytest.mark.parametrize("text, expected", [
    ("The ministers met on Thursday, March 28, 2024 in Brussels.", "2024-03-28"),
    ("The council voted on 28 March 2024 after a long debate.", "2024-03-28"),
    ("Pyongyang test-fired a missile on the 4th of July 2017.", "2017-07-04"),
    ("Posted 3/28/2024 by the embassy.", "2024-03-28"),
    ("Shipments resumed on Sept. 9, 2023, officials said.", "2023-09-09"),
])
def test_explicit_english_days(text: str, expected: str) -> None:
    d = one(text, language="en")
    assert interval(d) == (expected, expected, "day")


def test_month_and_year_precision() -> None:
    assert interval(one("Kemitraan itu ditandatangani sejak Juli 2023 oleh kedua pihak.")) == (
        "2023-07-01", "2023-07-31", "month")
    assert interval(one("Program itu dimulai pada tahun 2017 dan terus berjalan.")) == (
        "2017-01-01", "2017-12-31", "year")
    assert interval(one("The partnership was signed in July 2023.", language="en")) == (
        "2023-07-01", "2023-07-31", "month")
    assert interval(one("Sanctions have tightened since 2017.", language="en")) == (
        "2017-01-01", "2017-12-31", "year")
    assert interval(one("Ekspor naik pada kuartal pertama 2024.")) == ("2024-01-01", "2024-03-31", "quarter")


def test_decades() -> None:
    assert interval(one("Reaktor itu dibangun pada era 1980-an.", anchor=None)) == (
        "1980-01-01", "1989-12-31", "year")
    assert find_dates("Pada tahun 1985-an tidak ada.", anchor=None, language="id") == []


def test_since_until_and_range_kinds() -> None:
    found = find_dates("Larangan berlaku sejak tanggal 1 Oktober 2024 hingga 5 Januari 2025.",
                       anchor=None, language="id")
    assert [(d.value.start, d.kind) for d in found] == [("2024-10-01", "since"), ("2025-01-05", "until")]
    d = one("Latihan berlangsung 1-3 Maret 2024 di perairan timur.")
    assert (d.value.start, d.value.end, d.kind) == ("2024-03-01", "2024-03-03", "range")


# --- partial dates ----------------------------------------------------------------------------

def test_weekday_picks_the_year_without_anchor() -> None:
    # 29 February fell on a Thursday in 2024 (and not in 2020 or 2028)
    d = one("kata juru bicara kementerian di Seoul, Kamis, 29 Februari.", anchor=None)
    assert d.value.start == "2024-02-29"
    assert d.text == "Kamis, 29 Februari"


def test_weekday_partial_numeric_near_anchor() -> None:
    # 21 December 2025 is a Sunday; the anchor is in January 2026
    d = one("Pernyataan itu dirilis Minggu (21/12) lalu.", anchor=date(2026, 1, 8))
    assert d.value.start == "2025-12-21"
    assert d.text == "Minggu (21/12)"


def test_numeric_day_month_without_weekday_is_not_a_date() -> None:
    assert find_dates("Separuh, atau 1/2 dari total, hilang.", anchor=SAT_6_APR_2024, language="id") == []


def test_day_month_without_year_nearest_to_anchor() -> None:
    assert one("Mandat panel itu berakhir pada 30 April.").value.start == "2024-04-30"
    assert one("Ia menyebut insiden 20 Desember.", anchor=date(2025, 1, 10)).value.start == "2024-12-20"
    assert find_dates("Mandat berakhir pada 30 April.", anchor=None, language="id") == []


# --- relative dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Ia mengunjungi Brussels awal pekan ini.", ("2024-04-01", "2024-04-06", "week")),
    ("Rapat digelar pekan lalu.", ("2024-03-25", "2024-03-31", "week")),
    ("Rapat digelar minggu lalu.", ("2024-03-25", "2024-03-31", "week")),
    ("Kunjungan dijadwalkan pekan depan.", ("2024-04-08", "2024-04-14", "week")),
    ("Rudal diluncurkan kemarin.", ("2024-04-05", "2024-04-05", "day")),
    ("Ia berbicara hari ini di parlemen.", ("2024-04-06", "2024-04-06", "day")),
    ("Senin lalu kapal itu terlihat.", ("2024-04-01", "2024-04-01", "day")),
    ("Delegasi tiba pada Rabu (waktu setempat).", ("2024-04-03", "2024-04-03", "day")),
    ("Tim dibentuk pada pertengahan Oktober.", ("2023-10-11", "2023-10-20", "month")),
    ("Sanksi diperluas awal Maret.", ("2024-03-01", "2024-03-10", "month")),
    ("Uji coba dilakukan akhir Februari.", ("2024-02-21", "2024-02-29", "month")),
    ("Kapal itu ditahan September lalu.", ("2023-09-01", "2023-09-30", "month")),
    ("Ekspor turun bulan lalu.", ("2024-03-01", "2024-03-31", "month")),
    ("Pemilu berlangsung April mendatang.", ("2025-04-01", "2025-04-30", "month")),
    ("Anggaran naik tahun lalu.", ("2023-01-01", "2023-12-31", "year")),
    ("Latihan akan digelar tahun depan.", ("2025-01-01", "2025-12-31", "year")),
    ("Kapal itu terlihat dua pekan lalu.", ("2024-03-20", "2024-03-26", "week")),
    ("Pabrik itu dibangun lima tahun lalu.", ("2019-01-01", "2019-12-31", "year")),
    ("Kapal itu berangkat Jumat pekan lalu.", ("2024-03-29", "2024-03-29", "day")),
    ("Harga naik dalam dua pekan terakhir.", ("2024-03-23", "2024-04-06", "week")),
])
def test_relative_indonesian(text: str, expected: tuple[str, str, str]) -> None:
    d = one(text)
    assert interval(d) == expected
    assert d.value.basis == "relative"


def test_minggu_is_a_week_or_a_sunday() -> None:
    assert interval(one("Minggu lalu, rapat kabinet membahas sanksi.")) == ("2024-03-25", "2024-03-31", "week")
    assert interval(one("Rapat kabinet digelar Minggu lalu.")) == ("2024-03-31", "2024-03-31", "day")
    assert interval(one("Rapat kabinet digelar minggu lalu.")) == ("2024-03-25", "2024-03-31", "week")


def test_mid_month_in_the_anchor_month() -> None:
    d = one("Kelompok itu dibentuk pada pertengahan Oktober.", anchor=WED_30_OCT_2024)
    assert interval(d) == ("2024-10-11", "2024-10-20", "month")


def test_recent_periods_end_at_the_anchor() -> None:
    d = one("Provokasi meningkat dalam beberapa bulan terakhir.", anchor=WED_30_OCT_2024)
    assert d.value.end == "2024-10-30" and d.value.start < "2024-07-01" and d.kind == "range"
    d = one("Ketegangan meningkat baru-baru ini.")
    assert (d.value.start, d.value.end) == ("2024-03-07", "2024-04-06")


@pytest.mark.parametrize("text, expected", [
    ("The talks took place earlier this week.", ("2024-04-01", "2024-04-06", "week")),
    ("The ship docked last week.", ("2024-03-25", "2024-03-31", "week")),
    ("Exports fell last month.", ("2024-03-01", "2024-03-31", "month")),
    ("The group was formed in mid-October.", ("2023-10-11", "2023-10-20", "month")),
    ("Drills are planned for next year.", ("2025-01-01", "2025-12-31", "year")),
    ("Elections are due this April.", ("2024-04-01", "2024-04-30", "month")),
    ("He spoke to reporters on Monday.", ("2024-04-01", "2024-04-01", "day")),
    ("The missile was launched yesterday.", ("2024-04-05", "2024-04-05", "day")),
    ("The envoy arrived two weeks ago.", ("2024-03-20", "2024-03-26", "week")),
    ("Trade grew over the past three months.", ("2024-01-07", "2024-04-06", "month")),
    ("The programme began in the 1990s.", ("1990-01-01", "1999-12-31", "year")),
])
def test_relative_english(text: str, expected: tuple[str, str, str]) -> None:
    assert interval(one(text, language="en")) == expected


def test_relative_dates_need_an_anchor() -> None:
    assert find_dates("Ia mengunjungi Brussels awal pekan ini dan kemarin.", anchor=None, language="id") == []


# --- what is not a date -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Mandat itu gagal diperpanjang satu tahun lagi.",
    "Ia menjabat selama 15 tahun.",
    "Pertemuan 2+2 akan digelar di Washington.",
    "Resolusi 2087 melarang uji coba rudal.",
    "Rapat minggu itu tidak membahas sanksi.",
    "Dua hari sebelumnya kapal itu sudah berangkat.",
])
def test_not_dates_indonesian(text: str) -> None:
    assert find_dates(text, anchor=SAT_6_APR_2024, language="id") == []


@pytest.mark.parametrize("text", [
    "The council may act soon.",
    "Protesters march on the embassy.",
    "Some 2024 delegates attended.",
    "Resolution 2087 bans launches.",
    "Two days earlier the ship had left port.",
])
def test_not_dates_english(text: str) -> None:
    assert find_dates(text, anchor=SAT_6_APR_2024, language="en") == []


def test_regions_limit_the_search() -> None:
    text = "Kamis (28/3/2024) ada rapat. Lalu pada 5 Januari 2023 ada rapat lain."
    cut = text.index("Lalu")
    found = find_dates(text, anchor=None, language="id", regions=[(cut, len(text))])
    assert [d.value.start for d in found] == ["2023-01-05"]


# --- publication date -------------------------------------------------------------------------

def test_publication_date_line_under_title() -> None:
    text = ("Seoul dan Tokyo Bahas Pengawasan Kapal\n\nOleh: Penulis Berita\nSenin, 4 Maret 2024 | 14:20 WIB\n"
            "Ilustrasi kapal (Foto/Arsip)\n\n"
            "JAKARTA - Pejabat kedua negara pada Kamis (29/2/2024) menyepakati pertukaran data kapal yang "
            "dicurigai melanggar sanksi, kata kementerian.\n")
    p = find_publication_date(text, language="id")
    assert p is not None and p.value.start == "2024-03-04" and p.value.basis == "text"
    assert text[p.start:p.end] == p.text


def test_publication_date_from_lead_statement_day() -> None:
    text = ("Korsel Bahas Ancaman Rudal dengan Sekutu\n"
            "KANTOR BERITA, SEOUL -- Kementerian Pertahanan pada Selasa (12/3/2024) mengatakan, latihan "
            "gabungan akan diperluas. Latihan sebelumnya digelar pada 5 Januari 2023 di perairan barat.\n")
    p = find_publication_date(text, language="id")
    assert p is not None and p.value.start == "2024-03-12"


def test_publication_date_without_year_uses_the_weekday() -> None:
    text = ("Menteri Bertemu Komandan Aliansi\n"
            "JAKARTA - Menteri pertahanan bertemu komandan aliansi untuk membahas latihan bersama di kawasan.\n"
            "\"Kami sepakat memperluas kerja sama,\" kata pernyataan resmi kementerian, Kamis, 29 Februari.\n"
            "Kemitraan itu berlaku sejak Juli 2023.\n")
    p = find_publication_date(text, language="id")
    assert p is not None and p.value.start == "2024-02-29"


def test_publication_date_english_byline() -> None:
    text = ("Allies weigh new sanctions monitor\nBy A Reporter\nPublished: March 28, 2024 10:30 a.m.\n"
            "Updated: April 2, 2024\n\nSEOUL - Officials met on 20 March 2024 to discuss a new panel.\n")
    p = find_publication_date(text, language="en")
    assert p is not None and p.value.start == "2024-03-28"


def test_publication_dateline_without_year_takes_the_stated_year() -> None:
    text = ("Missile launch condemned\nSEOUL, March 28 (Agency) -- The North fired a missile on Thursday, "
            "weeks after drills that began on March 4, 2024 ended, officials said.\n")
    p = find_publication_date(text, language="en")
    assert p is not None and (p.text, p.value.start) == ("March 28", "2024-03-28")


@pytest.mark.parametrize("header, expected", [
    ("Portal.com - 04/03/2024, 10:20 WIB", "2024-03-04"),
    ("Senin 04 Mar 2024 10:20 WIB", "2024-03-04"),
    ("2024.03.28 10:30", "2024-03-28"),
    ("Thursday, 28 March 2024 10:20", "2024-03-28"),
    ("Diperbarui: 9 Maret 2024\nDiterbitkan: 7 Maret 2024", "2024-03-07"),
])
def test_publication_header_forms(header: str, expected: str) -> None:
    text = f"Judul berita tentang sanksi\n{header}\nIsi berita singkat tanpa tanggal lain.\n"
    p = find_publication_date(text, language="id")
    assert p is not None and p.value.start == expected


def test_publication_header_in_an_odd_form_falls_back_to_dateparser() -> None:
    p = find_publication_date("Judul berita\nKamis, 28-Maret-2024\nIsi berita singkat.\n", language="id")
    assert p is not None and (p.value.start, p.text) == ("2024-03-28", "Kamis, 28-Maret-2024")
    assert find_publication_date("Judul\nFoto: Arsip 2024 Kementerian\nIsi berita.\n", language="id") is None


def test_publication_date_from_given_header_lines() -> None:
    text = ("Judul tentang kapal\nBaca juga: kapal ditahan Senin, 1 Januari 2024\nSelasa, 2 April 2024\n"
            "Isi berita pendek.\n")
    start = text.index("Selasa")
    p = find_publication_date(text, language="id", lines=[(start, text.index("\n", start))])
    assert p is not None and p.value.start == "2024-04-02"


def test_no_publication_date() -> None:
    text = "Judul Berita\nPejabat bertemu untuk membahas sanksi awal pekan ini di Brussels.\n"
    assert find_publication_date(text, language="id") is None
    future = "Judul\nSelasa, 3 Maret 2099 | 10:00 WIB\nIsi berita.\n"
    assert find_publication_date(future, language="id", today=date(2026, 1, 1)) is None


# --- vocabulary and hypothesis round trips --------------------------------------------------------

def test_yaml_months_and_weekdays_cover_babel() -> None:
    for lang in ("id", "en"):
        lex = date_lexicon(lang)
        for n, name in get_month_names("wide", locale=lang).items():
            assert lex.month(name) == n
        for n, name in get_month_names("abbreviated", locale=lang).items():
            assert lex.month(name) == n
        for n, name in get_day_names("wide", locale=lang).items():
            assert lex.weekday(name) == n


DATES = st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31))
ID_FORMATS = ["EEEE, d MMMM y", "EEEE (d/M/y)", "d MMMM y", "d MMM y", "EEEE, d MMMM y"]
EN_FORMATS = ["EEEE, MMMM d, y", "d MMMM y", "MMM d, y", "MMMM d, y", "EEEE, d MMMM y"]


@settings(max_examples=150, deadline=None)
@given(DATES, st.sampled_from(ID_FORMATS))
def test_roundtrip_indonesian(d: date, fmt: str) -> None:
    rendered = format_date(d, fmt, locale="id")
    text = f"Kementerian itu menyatakan pada {rendered} bahwa kapal tersebut ditahan."
    m = one(text, anchor=None)
    assert m.value.start == m.value.end == d.isoformat()
    assert m.text.startswith(rendered.split(",")[0].split(" (")[0])


@settings(max_examples=150, deadline=None)
@given(DATES, st.sampled_from(EN_FORMATS))
def test_roundtrip_english(d: date, fmt: str) -> None:
    rendered = format_date(d, fmt, locale="en")
    m = one(f"The ministry said on {rendered} that the vessel was seized.", anchor=None, language="en")
    assert m.value.start == m.value.end == d.isoformat()
    assert m.text == rendered


@settings(max_examples=150, deadline=None)
@given(DATES, st.integers(min_value=-150, max_value=150))
def test_roundtrip_weekday_without_year(d: date, offset: int) -> None:
    anchor = d + timedelta(days=offset)
    rendered = format_date(d, "EEEE, d MMMM", locale="id")
    m = one(f"Pernyataan itu disampaikan {rendered} di Seoul.", anchor=anchor)
    assert m.value.start == d.isoformat()


@settings(max_examples=100, deadline=None)
@given(DATES, st.integers(min_value=0, max_value=6))
def test_last_weekday_is_within_the_week_before(anchor: date, wd: int) -> None:
    name = get_day_names("wide", locale="id")[wd]
    if name == "Minggu":
        name = "hari Minggu"
    m = one(f"Kapal itu berlayar {name} lalu.", anchor=anchor)
    got = date.fromisoformat(m.value.start)
    assert got.weekday() == wd and 1 <= (anchor - got).days <= 7


# --- seeds (read at run time, never copied) --------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def test_publication_dates_of_the_seed_articles() -> None:
    assert SEEDS.is_dir(), f"{SEEDS} not present (../shared must be beside the checkout)"
    import json

    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        gold_path = SEEDS.parents[1] / "eval" / "gold" / (path.stem + ".json")
        if not gold_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        lang = gold.get("language", "id")
        p = find_publication_date(path.read_text(encoding="utf-8"), language=lang)
        if gold.get("published") is None:
            assert p is None
        else:
            lo, hi = gold["published"]
            assert p is not None and lo <= p.value.start <= hi, path.name
        checked += 1
    assert checked


NEWSY = st.lists(st.sampled_from(list("0123456789/.,-()|: \n") + ["Kamis", "Maret", "2024", "pekan",
                "lalu", "awal", "tahun", "Minggu", "March", "on", "Monday", "since", "ini", "WIB", "pukul"]),
                max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), NEWSY), st.sampled_from(["id", "en"]))
def test_any_text_gives_consistent_spans(text: str, language: str) -> None:
    for anchor in (None, SAT_6_APR_2024):
        for d in find_dates(text, anchor=anchor, language=language):
            assert text[d.start:d.end] == d.text and d.value.start <= d.value.end
    p = find_publication_date(text, language=language, today=date(2026, 1, 1))
    assert p is None or (text[p.start:p.end] == p.text and p.value.start <= "2026-01-01")
