"""Pieces of the NER package that need no model: CoNLL reading, label mapping, BIO, tokenising."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pantau.nlp.ner import spans_from_bio
from pantau.nlp.ner.data import map_label, parse_conll, repair_bio
from pantau.nlp.ner.features import shape, short_shape
from pantau.nlp.ner.gazetteer import Gazetteer
from pantau.nlp.ner.tokenize import sentences, tokens


def test_nerp_labels_map_to_pantau_types() -> None:
    assert map_label("B-PPL") == "B-PERSON"
    assert map_label("I-PLC") == "I-PLACE"
    assert map_label("B-IND") == "B-ORGANISATION"
    assert map_label("B-EVT") == "O" and map_label("I-FNB") == "O"
    assert map_label("O") == "O" and map_label("B-PERSON") == "B-PERSON"


def test_repair_bio_starts_spans_at_stray_inside_labels() -> None:
    assert repair_bio(["I-PLACE", "I-PLACE", "O", "I-PERSON", "I-PLACE"]) == [
        "B-PLACE", "I-PLACE", "O", "B-PERSON", "B-PLACE"]


def test_spans_from_bio() -> None:
    labs = ["B-PERSON", "I-PERSON", "O", "B-PLACE", "B-PLACE", "I-ORGANISATION"]
    assert spans_from_bio(labs) == [(0, 2, "PERSON"), (3, 4, "PLACE"), (4, 5, "PLACE"), (5, 6, "ORGANISATION")]
    assert spans_from_bio([]) == []


def test_parse_conll_with_and_without_labels() -> None:
    lines = ["Ibu\tO", "Sri\tB-PERSON", "", "", "pergi", "ke\t", "Ambon\tB-PLACE"]
    assert parse_conll(lines) == [(["Ibu", "Sri"], ["O", "B-PERSON"]),
                                  (["pergi", "ke", "Ambon"], ["O", "O", "B-PLACE"])]


def test_shapes() -> None:
    assert shape("Jakarta") == "Xxxx" and short_shape("Jakarta") == "Xx"
    assert shape("G-20") == "X-dd" and short_shape("TNI") == "X"


def test_gazetteer_finds_longest_place_names() -> None:
    gz = Gazetteer.build()
    assert gz.place_marks("ke jawa tengah lalu ke amerika serikat".split()) == [
        None, "B", "I", None, None, "B", "I"]
    assert "title" in gz.word_kinds("presiden")


def test_sentences_split_at_full_stops_but_not_after_titles_or_initials() -> None:
    text = "Dr. Budi pergi ke Bandung. Ia bertemu S. Wibowo di sana!\nBaris baru tanpa titik"
    sents = [[t for t, _, _ in s] for s in sentences(text)]
    assert sents == [["Dr", ".", "Budi", "pergi", "ke", "Bandung", "."],
                     ["Ia", "bertemu", "S", ".", "Wibowo", "di", "sana", "!"],
                     ["Baris", "baru", "tanpa", "titik"]]


def test_tokens_split_punctuation_and_hyphens_like_the_training_data() -> None:
    assert [t for t, _, _ in tokens("Rp 1.500, kapal-kapal (KRI) 'Nanggala'")] == [
        "Rp", "1.500", ",", "kapal", "-", "kapal", "(", "KRI", ")", "'", "Nanggala", "'"]


@given(st.text(max_size=200))
def test_tokens_cover_the_text_exactly(text: str) -> None:
    toks = tokens(text, offset=5)
    assert "".join(t for t, _, _ in toks) == "".join(text.split())
    for tok, start, end in toks:
        assert text[start - 5:end - 5] == tok
    flat = [t for s in sentences(text) for t in s]
    assert [t for t, _, _ in flat] == [t for t, _, _ in tokens(text)]


def test_template_sentences_are_labelled_and_reproducible() -> None:
    from pantau.nlp.ner.augment import generate

    sents = generate(40, seed=3)
    assert sents == generate(40, seed=3) and sents != generate(40, seed=4)
    for toks, labs in sents:
        assert len(toks) == len(labs) and repair_bio(labs) == labs
        assert all(t.strip() and "{" not in t for t in toks)
    spans = {typ for _, labs in sents for _, _, typ in spans_from_bio(labs)}
    assert spans == {"PERSON", "PLACE", "ORGANISATION"}
