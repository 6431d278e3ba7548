"""The shipped Indonesian NER model: loading, tagging, raw-text spans and offsets."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.exc import ModelError
from pantau.nlp.ner import (
    DEFAULT_MODEL_DIR,
    NerSpan,
    clear_model_cache,
    load_model,
    recognise,
    spans_from_bio,
    tag_tokens,
)

LABELS = {"O", "B-PERSON", "I-PERSON", "B-PLACE", "I-PLACE", "B-ORGANISATION", "I-ORGANISATION"}


def entities(tokens: list[str], labels: list[str]) -> set[tuple[str, str]]:
    return {(" ".join(tokens[a:b]), typ) for a, b, typ in spans_from_bio(labels)}


def test_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the NER model must load offline")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    clear_model_cache()
    tagger = load_model()
    assert tagger.directory == DEFAULT_MODEL_DIR
    assert tagger.meta["family"].startswith("crf")
    assert load_model() is tagger  # cached
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 50 * 1024 * 1024


def test_missing_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="make model"):
        load_model(tmp_path / "nowhere")


def test_tags_people_and_places_in_a_news_sentence() -> None:
    toks = "Presiden Joko Widodo bertemu Menteri Luar Negeri Retno Marsudi di Jakarta .".split()
    [labels] = tag_tokens([toks])
    assert len(labels) == len(toks)
    found = entities(toks, labels)
    assert ("Joko Widodo", "PERSON") in found
    assert ("Retno Marsudi", "PERSON") in found
    assert ("Jakarta", "PLACE") in found
    assert labels[toks.index("bertemu")] == "O"


@pytest.mark.parametrize(
    ("sentence", "entity"),
    [
        ("Kapal itu berlabuh di pelabuhan Surabaya setelah berlayar dari Singapura .", ("Surabaya", "PLACE")),
        ("Kapal itu berlabuh di pelabuhan Surabaya setelah berlayar dari Singapura .", ("Singapura", "PLACE")),
        ("Juru bicara PT Pindad mengatakan pabrik itu akan diperluas tahun depan .",
         ("PT Pindad", "ORGANISATION")),
        ("Kementerian Pertahanan menyatakan latihan bersama digelar di Natuna pekan lalu .",
         ("Kementerian Pertahanan", "ORGANISATION")),
        ("Partai Demokrat dan Partai Golkar menolak usulan itu .", ("Partai Golkar", "ORGANISATION")),
        ("Universitas Gadjah Mada di Yogyakarta menggelar seminar .", ("Yogyakarta", "PLACE")),
        ("Menurut Kementerian Pertahanan , latihan digelar di Natuna .", ("Kementerian Pertahanan", "ORGANISATION")),
        ("Dewan Keamanan PBB menjatuhkan sanksi kepada Korea Utara .", ("Dewan Keamanan PBB", "ORGANISATION")),
    ],
)
def test_tags_entities_in_sentences_written_for_the_tests(sentence: str, entity: tuple[str, str]) -> None:
    toks = sentence.split()
    [labels] = tag_tokens([toks])
    assert entity in entities(toks, labels)


@pytest.mark.parametrize(
    ("sentence", "entities_expected"),
    [
        ("Gubernur Jawa Tengah Ganjar Pranowo meresmikan jembatan itu .",
         {("Jawa Tengah", "PLACE"), ("Ganjar Pranowo", "PERSON")}),
        ("Direktur Utama PT Len Industri Bobby Rasyidin menandatangani kontrak itu .",
         {("PT Len Industri", "ORGANISATION"), ("Bobby Rasyidin", "PERSON")}),
        ("Perdana Menteri Malaysia Anwar Ibrahim menerima kunjungan Presiden Filipina .",
         {("Malaysia", "PLACE"), ("Anwar Ibrahim", "PERSON"), ("Filipina", "PLACE")}),
    ],
)
def test_title_body_name_is_split_into_body_and_person(sentence: str, entities_expected: set) -> None:
    toks = sentence.split()
    [labels] = tag_tokens([toks])
    assert entities_expected <= entities(toks, labels)


def test_tagging_is_batch_consistent_and_keeps_empty_sentences() -> None:
    a = "Wakil Presiden tiba di Medan .".split()
    b = "Ia bertemu Gubernur Sumatera Utara .".split()
    batch = tag_tokens([a, [], b])
    assert batch[1] == []
    assert batch[0] == tag_tokens([a])[0] and batch[2] == tag_tokens([b])[0]
    assert all(set(labs) <= LABELS for labs in batch)


def test_recognise_gives_offsets_into_the_text() -> None:
    text = ("Presiden Joko Widodo bertemu Menteri Luar Negeri Retno Marsudi di Jakarta.\n\n"
            "Keesokan harinya Retno terbang ke Tokyo.")
    spans = recognise(text)
    assert all(isinstance(s, NerSpan) and text[s.start:s.end] == s.text for s in spans)
    found = {(s.text, s.label) for s in spans}
    assert {("Joko Widodo", "PERSON"), ("Jakarta", "PLACE"), ("Tokyo", "PLACE")} <= found
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def test_recognise_only_looks_inside_regions() -> None:
    text = "Dubes Jepang tiba di Bandung. Sementara itu Gubernur Ridwan Kamil berada di Bogor."
    cut = text.index("Sementara")
    spans = recognise(text, regions=[(cut, len(text))])
    assert spans and all(s.start >= cut for s in spans)
    assert ("Bogor", "PLACE") in {(s.text, s.label) for s in spans}
    assert recognise(text, regions=[]) == []
    twice = recognise(text, regions=[(cut, len(text)), (cut + 5, len(text) + 10), (-3, 0)])
    assert twice == spans  # overlapping and out-of-range regions are merged and clipped


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*"Ab Jkt.,-\n'éZ0ı", "Jakarta ", "Presiden ", "PT ", "Budi "]),
                max_size=60).map("".join))
def test_recognise_offsets_invariant(text: str) -> None:
    for s in recognise(text):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        assert s.label in {"PERSON", "PLACE", "ORGANISATION"}
