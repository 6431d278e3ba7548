"""`pantau ner` and `pantau train ner` through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.nlp.ner.data import default_data_dir, parse_conll

runner = CliRunner()

CONLL = """Menteri\tO
Pertahanan\tO
Prabowo\tB-PERSON
Subianto\tI-PERSON
tiba\tO
di\tO
Seoul\tB-PLACE
.\tO

Kunjungan
itu
dibahas
di
DPR
.

Ia
"""


def test_conll_round_trip_keeps_every_token_in_order(tmp_path) -> None:
    path = tmp_path / "in.conll"
    path.write_text(CONLL, encoding="utf-8")
    res = runner.invoke(build_app(), ["ner", "--conll", str(path)])
    assert res.exit_code == 0, res.output
    out = parse_conll(res.stdout.splitlines())
    gold = parse_conll(CONLL.splitlines())
    assert [t for t, _ in out] == [t for t, _ in gold]
    blocks = [b for b in res.stdout.split("\n\n") if b.strip()]
    assert [len(b.splitlines()) for b in blocks] == [8, 6, 1]
    assert all(len(line.split("\t")) == 2 for line in res.stdout.splitlines() if line)
    labels = {lab for _, labs in out for lab in labs}
    assert labels <= {"O", "B-PERSON", "I-PERSON", "B-PLACE", "I-PLACE", "B-ORGANISATION", "I-ORGANISATION"}
    first = dict(zip(*out[0], strict=True))
    assert first["Prabowo"] == "B-PERSON" and first["Seoul"] == "B-PLACE"


def test_raw_text_as_json_and_table(tmp_path) -> None:
    text = "Duta besar itu bertemu Presiden Joko Widodo di Istana Bogor."
    res = runner.invoke(build_app(), ["ner", text, "--format", "json"])
    assert res.exit_code == 0, res.output
    spans = json.loads(res.stdout)
    assert {"start", "end", "label", "text"} == set(spans[0])
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert any(s["text"] == "Joko Widodo" and s["label"] == "PERSON" for s in spans)
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    res = runner.invoke(build_app(), ["ner", str(doc)])
    assert res.exit_code == 0 and "PERSON\tJoko Widodo" in res.stdout


def test_bad_arguments_fail_clearly(tmp_path) -> None:
    assert runner.invoke(build_app(), ["ner"]).exit_code == 2
    res = runner.invoke(build_app(), ["ner", "--conll", str(tmp_path / "missing.conll")])
    assert res.exit_code == 1 and "no such file" in res.output
    res = runner.invoke(build_app(), ["ner", str(tmp_path / "missing.txt")])
    assert res.exit_code == 1 and "no such file" in res.output
    assert runner.invoke(build_app(), ["ner", "Jakarta", "--format", "xml"]).exit_code == 2


def test_training_on_a_tiny_slice_runs_fast_and_the_model_tags(tmp_path) -> None:
    assert (default_data_dir() / "nergrit" / "train.txt").is_file(), f"no IndoNLU data in {default_data_dir()}"
    out = tmp_path / "model"
    res = runner.invoke(build_app(), ["train", "ner", "--limit", "50", "--out", str(out)])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["train_sentences"] == {"nergrit": 50, "nerp": 50, "augment": 50}
    assert 0 < meta["nergrit_valid_f1"]["macro"] <= 100
    conll = tmp_path / "in.conll"
    conll.write_text(CONLL, encoding="utf-8")
    res = runner.invoke(build_app(), ["ner", "--conll", str(conll), "--model", str(out)])
    assert res.exit_code == 0
    assert len([ln for ln in res.stdout.splitlines() if ln]) == 15


def test_training_is_reproducible(tmp_path) -> None:
    if not (default_data_dir() / "nergrit" / "train.txt").is_file():
        pytest.fail(f"no IndoNLU data in {default_data_dir()} (../shared must be beside the checkout)")
    for name in ("a", "b"):
        res = runner.invoke(build_app(), ["train", "ner", "--limit", "30", "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
    for name in ("weights.npz", "attributes.txt.gz", "features.json.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_training_without_data_says_where_to_point(tmp_path) -> None:
    res = runner.invoke(build_app(), ["train", "ner", "--data", str(tmp_path), "--out", str(tmp_path / "m")])
    assert res.exit_code == 1 and "PANTAU_INDONLU_DIR" in res.output


def test_numpy_decoder_matches_crfsuite(tmp_path) -> None:
    if not (default_data_dir() / "nergrit" / "train.txt").is_file():
        pytest.fail(f"no IndoNLU data in {default_data_dir()} (../shared must be beside the checkout)")
    import pycrfsuite

    from pantau.nlp.ner.data import read_conll
    from pantau.nlp.ner.tagger import MODEL_FILE, Tagger, load_featurizer
    from pantau.nlp.ner.train import TrainConfig, train

    train(default_data_dir(), tmp_path, TrainConfig(limit=80, keep_crfsuite=True), log=lambda m: None)
    sents = [t for t, _ in read_conll(default_data_dir() / "nergrit" / "valid.txt")[:60]]
    sents.append("Presiden Joko Widodo bertemu Menteri Luar Negeri Retno Marsudi di Jakarta .".split())
    crf = pycrfsuite.Tagger()
    crf.open(str(tmp_path / MODEL_FILE))
    fz = load_featurizer(tmp_path)  # with the domain copies, as crfsuite was trained
    from pantau.nlp.ner.data import repair_bio

    expected = [repair_bio(crf.tag(fz.sentence(s))) for s in sents]
    assert Tagger(tmp_path).tag(sents) == expected
    assert any(lab != "O" for labs in expected for lab in labs)
