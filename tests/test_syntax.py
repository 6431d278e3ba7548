"""The trained syntax pipelines (pantau/lang/<code>/model): loading, `syntax.parse`, `pantau parse
--conllu`, and a LAS floor on the held-out development portion of the UD treebanks.

These tests need ../shared/data/ud; they fail (not skip) when it is missing.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.exc import ModelError
from pantau.nlp import conllu, syntax
from pantau.nlp.train_parser import default_ud_dir, dev_sentences

runner = CliRunner()

# measured on the development portion (see docs/parsing.md); floors a little under the figures
LAS_FLOOR = {"id": 0.67, "en": 0.69}  # measured: id 68.73, en 70.72


def _head_of(doc, word: str):
    return next(t for t in doc if t.text == word).head


def _children(tok, dep_prefix: str) -> list[str]:
    return [c.text for c in tok.children if c.dep_.split(":")[0] == dep_prefix]


def test_indonesian_sentence_has_subject_object_and_oblique() -> None:
    doc = syntax.parse("Pemerintah Rusia mengirim dua kapal perang ke pelabuhan Nampo pada hari Senin.", "id")
    verb = next(t for t in doc if t.text == "mengirim")
    assert verb.dep_ == "ROOT" and verb.pos_ == "VERB"
    assert _children(verb, "nsubj") == ["Pemerintah"]
    assert _children(verb, "obj") == ["kapal"]
    # "ke pelabuhan": the model may hang the prepositional phrase on the verb (obl) or on the
    # object (nmod); prepositional attachment is its weak spot (docs/parsing.md)
    assert _head_of(doc, "pelabuhan") in (verb, _head_of(doc, "dua"))
    assert next(t for t in doc if t.text == "ke").dep_ == "case"


def test_indonesian_passive_has_stem_lemma_and_agent() -> None:
    doc = syntax.parse("Kapal itu dikirim oleh Rusia.", "id")
    verb = next(t for t in doc if t.text == "dikirim")
    assert verb.dep_ == "ROOT" and verb.lemma_ == "kirim"
    assert _children(verb, "nsubj") == ["Kapal"]
    assert [c.dep_ for c in verb.children if c.text == "Kapal"] == ["nsubj:pass"]
    rusia = next(t for t in doc if t.text == "Rusia")
    assert rusia.head == verb and rusia.dep_.startswith("obl")
    assert [c.text for c in rusia.children if c.dep_ == "case"] == ["oleh"]


def test_english_sentence_has_subject_object_and_passive_agent() -> None:
    doc = syntax.parse("North Korea launched a ballistic missile on Tuesday. "
                       "The launch was condemned by Japan.", "en")
    sents = list(doc.sents)
    assert len(sents) == 2
    launched = next(t for t in doc if t.text == "launched")
    assert launched.dep_ == "ROOT" and launched.pos_ == "VERB" and launched.lemma_ == "launch"
    assert _children(launched, "nsubj") == ["Korea"]
    assert _children(launched, "obj") == ["missile"]
    condemned = next(t for t in doc if t.text == "condemned")
    assert [c.dep_ for c in condemned.children if c.text == "launch"] == ["nsubj:pass"]
    japan = next(t for t in doc if t.text == "Japan")
    assert japan.head == condemned and japan.dep_.startswith("obl")


def test_load_is_cached_and_unknown_language_fails_clearly() -> None:
    assert syntax.load("id") is syntax.load("id")
    assert set(syntax.available()) >= {"id", "en"}
    with pytest.raises(ModelError, match="no syntax model for language 'xx'"):
        syntax.load("xx")
    with pytest.raises(ModelError, match="not a language code"):
        syntax.load("../id")


def _sample(name: str, n: int) -> str:
    path = default_ud_dir() / name
    with path.open(encoding="utf-8") as fh:
        sents = list(conllu.read(fh, str(path)))[:n]
    return "".join(conllu.write(s) for s in sents)


@pytest.mark.parametrize(("language", "treebank"), [("id", "id_gsd-ud-dev.conllu"),
                                                    ("en", "en_ewt-ud-dev.conllu")])
def test_parse_conllu_round_trips_tokens_with_valid_trees(tmp_path, language, treebank) -> None:
    text = _sample(treebank, 40)
    path = tmp_path / "gold.conllu"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(build_app(), ["parse", "--language", language, "--conllu", str(path)])
    assert res.exit_code == 0, res.output
    gold = list(conllu.read(text.splitlines()))
    pred = list(conllu.read(res.stdout.splitlines()))
    assert len(pred) == len(gold) == 40
    for g, p in zip(gold, pred, strict=True):
        assert [w.form for w in p.words] == [w.form for w in g.words]
        assert g.comments == p.comments  # sent_id and text kept
        n = len(p.words)
        assert all(0 <= w.head <= n and w.head != w.id for w in p.words)
        roots = [w for w in p.words if w.head == 0]
        assert len(roots) == 1 and roots[0].deprel == "root"
        for w in p.words:  # every word reaches the root: no cycles
            seen, cur = set(), w
            while cur.head != 0:
                assert cur.id not in seen
                seen.add(cur.id)
                cur = p.words[cur.head - 1]
        assert all(w.upos not in ("", "_") and w.deprel not in ("", "_") for w in p.words)


def test_parse_cli_bad_input_is_one_clear_error(tmp_path) -> None:
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tKapal\tkapal\tNOUN\n", encoding="utf-8")
    res = runner.invoke(build_app(), ["parse", "--language", "id", "--conllu", str(bad)])
    assert res.exit_code == 1
    assert "bad.conllu: line 1: 4 tab-separated columns" in res.output
    res = runner.invoke(build_app(), ["parse", "--language", "id", "--conllu", str(tmp_path / "none")])
    assert res.exit_code == 1 and "no such file" in res.output
    res = runner.invoke(build_app(), ["parse", "--language", "ko", "Annyeong."])
    assert res.exit_code == 1 and "no syntax model for language 'ko'" in res.output


def test_parse_raw_text_prints_conllu() -> None:
    res = runner.invoke(build_app(), ["parse", "--language", "en", "Japan protested. Seoul agreed."])
    assert res.exit_code == 0, res.output
    sents = list(conllu.read(res.stdout.splitlines()))
    assert [[w.form for w in s.words] for s in sents] == [["Japan", "protested", "."], ["Seoul", "agreed", "."]]


@pytest.mark.parametrize("language", ["id", "en"])
def test_las_on_held_out_development_portion(language) -> None:
    from pantau.services.syntax import annotate

    gold = dev_sentences(language)
    pred = dev_sentences(language)
    annotate(pred, language)
    n = las = 0
    for g, p in zip(gold, pred, strict=True):
        for gw, pw in zip(g.words, p.words, strict=True):
            n += 1
            las += gw.head == pw.head and gw.deprel.split(":")[0] == pw.deprel.split(":")[0]
    assert n > 2000
    assert las / n >= LAS_FLOOR[language], f"{language} LAS {100 * las / n:.2f}"
