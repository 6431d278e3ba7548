"""Trained syntax per language: one spaCy pipeline (tokeniser, tagger/morphology, lemmatiser,
dependency parser) for each language code, loaded offline from the package.

Interface (the events code builds on it; keep it stable):

- `load(language) -> spacy.Language`: the pipeline of `language` ("id", "en", ...), loaded once
  and cached, from `pantau/lang/<code>/model/` (a spaCy `nlp.to_disk` folder shipped in the
  wheel). Nothing is downloaded. A missing or unreadable model raises `pantau.exc.ModelError`
  naming the folder; an unknown language code raises it too.
- `parse(text, language) -> spacy.tokens.Doc`: tokenise, split sentences, and annotate every token
  with `pos_` (UPOS), `morph` (UD features), `lemma_` (a stem for Indonesian: "mendesain" ->
  "desain"; a dictionary form for English), `head` and `dep_` (UD relation, subtypes kept, e.g.
  `nsubj:pass`, `obl:agent`, `acl:relcl`, `compound:plur`; the root is `ROOT` with head = itself,
  as spaCy does). `doc.sents` gives the sentences.
- `parse_words(sentences, language) -> list[Doc]`: the same for text that is already tokenised
  (one Doc per sentence, tokens and sentence boundaries kept exactly), used by `pantau parse
  --conllu` and the scorer.

Adding a language = training `pantau/lang/<code>/parser.cfg` into `pantau/lang/<code>/model/`
(`pantau train parser --language <code>`); nothing here changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pantau.exc import InputError, ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"


def model_path(language: str) -> Path:
    """The shipped model folder of `language` (it may not exist)."""
    if not language or not language.isalpha() or not language.islower():
        raise ModelError(f"language {language!r}: not a language code (e.g. 'id', 'en')")
    return LANG_DIR / language / "model"


def available() -> list[str]:
    """Language codes that have a shipped syntax model."""
    return sorted(p.parent.parent.name for p in LANG_DIR.glob("*/model/config.cfg"))


@lru_cache(maxsize=8)
def load(language: str) -> Language:
    """The cached pipeline of `language`; ModelError if it is not shipped or cannot be read."""
    path = model_path(language)
    if not (path / "config.cfg").is_file():
        have = ", ".join(available()) or "none"
        raise ModelError(f"no syntax model for language {language!r} at {path} (shipped: {have}); "
                         f"build it with `pantau train parser --language {language}`")
    try:
        import spacy

        return spacy.load(path)
    except Exception as exc:  # a damaged folder or a spaCy version mismatch
        raise ModelError(f"syntax model {path} cannot be loaded: {exc}") from exc


def parse(text: str, language: str) -> Doc:
    """Tokenise, split sentences, tag (UPOS + morphology), lemmatise and parse `text`."""
    return load(language)(text)


def parse_words(sentences: list[list[str]], language: str, *,
                spaces: list[list[bool]] | None = None, batch_size: int = 256) -> list[Doc]:
    """Annotate pre-tokenised sentences: one Doc per sentence with exactly the given tokens, each
    Doc one sentence (the parser is told the boundaries)."""
    from spacy.tokens import Doc

    nlp = load(language)
    docs = []
    for k, words in enumerate(sentences):
        if not words:
            raise InputError(f"sentence {k + 1}", "no tokens")
        sp = spaces[k] if spaces is not None else [True] * len(words)
        starts = [True] + [False] * (len(words) - 1)
        docs.append(Doc(nlp.vocab, words=words, spaces=sp, sent_starts=starts))
    return list(nlp.pipe(docs, batch_size=batch_size))


def clear_cache() -> None:
    """Forget loaded pipelines (after retraining in the same process)."""
    load.cache_clear()
