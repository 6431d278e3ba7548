"""Training the shipped NER model from the IndoNLU data (`pantau train ner`, `make model`).

Deterministic: crfsuite's L-BFGS has no randomness, the data order is fixed, and the word-cluster
induction uses a fixed seed, so the same data and settings give the same model file.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from pantau.nlp.ner.data import LABELS, Sentence, read_conll
from pantau.nlp.ner.features import Featurizer
from pantau.nlp.ner.gazetteer import Gazetteer
from pantau.nlp.ner.tagger import META_FILE, MODEL_FILE, Tagger, export_weights, save_features

SEED = 13


@dataclass(slots=True)
class TrainConfig:
    nerp: bool = True              # add NERP train (PPL/PLC/IND mapped) as a second domain
    domain_adapt: bool = True      # feature augmentation: shared + per-corpus copies of every feature
    clusters: bool = False         # word clusters induced from the training text
    lexicon: bool = False          # names NERP labels as entities, as features on NERGrit text
    augment: int = 600             # news-style template sentences (lang/id/ner_augment.yaml), cased side
    c1: float = 0.05
    c2: float = 0.1
    max_iterations: int = 300
    limit: int | None = None       # first N sentences of each training file (for quick runs)
    keep_crfsuite: bool = False    # keep crfsuite's own model file beside the exported weights
    seed: int = SEED


def common_words(sents: list[Sentence], min_count: int = 3) -> set[str]:
    """Lower-case words written in lower case more often than capitalised (outside sentence starts):
    a capitalised one of these is likely capitalised only by position or style."""
    low, cap = Counter(), Counter()
    for toks, _ in sents:
        for t in toks[1:]:
            if t.islower():
                low[t] += 1
            elif t[:1].isupper():
                cap[t.lower()] += 1
    return {w for w, n in low.items() if n >= min_count and n > 2 * cap[w]}


def entity_f1(gold: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Exact-match entity F1 per type and their mean (`macro`), as in IndoNLU and score_ner.py."""
    from pantau.nlp.ner import spans_from_bio

    counts = {t: [0, 0, 0] for t in LABELS}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(spans_from_bio(g)), set(spans_from_bio(p))
        for t, c in counts.items():
            gt = {s for s in gs if s[2] == t}
            pt = {s for s in ps if s[2] == t}
            c[0] += len(gt & pt)
            c[1] += len(pt - gt)
            c[2] += len(gt - pt)
    f1 = {t: (200 * c[0] / (2 * c[0] + c[1] + c[2]) if c[0] else 0.0) for t, c in counts.items()}
    f1["macro"] = sum(f1[t] for t in LABELS) / len(LABELS)
    return {k: round(v, 2) for k, v in f1.items()}


def train(data_dir: str | Path, out_dir: str | Path, config: TrainConfig | None = None,
          *, log=print) -> dict:
    """Train on NERGrit train (+ NERP train), score on NERGrit valid, write the model directory."""
    import pycrfsuite

    cfg = config or TrainConfig()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    t0 = time.perf_counter()
    grit = read_conll(data_dir / "nergrit" / "train.txt")
    nerp = read_conll(data_dir / "nerp" / "train.txt") if cfg.nerp else []
    if cfg.limit:
        grit, nerp = grit[: cfg.limit], nerp[: cfg.limit]
    extra: list[Sentence] = []
    if cfg.augment:
        from pantau.nlp.ner.augment import generate

        extra = generate(cfg.augment if not cfg.limit else min(cfg.augment, cfg.limit), seed=cfg.seed)
    clusters: dict[str, str] = {}
    if cfg.clusters:
        from pantau.nlp.ner.clusters import induce

        clusters = induce([t for t, _ in grit + nerp], seed=cfg.seed)
    gz = Gazetteer.build()
    if cfg.lexicon and nerp:
        gz.add_lexicon(entity_lexicon(nerp))
    fz = Featurizer(gz, clusters, common_words(grit), domain="g:" if cfg.nerp and cfg.domain_adapt else None)
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, labs in grit + extra:
        trainer.append(fz.sentence(toks), labs)
    if nerp:
        fz.domain = "n:" if cfg.domain_adapt else None
        fz.use_lexicon = False  # the lexicon was read from these very sentences
        for toks, labs in nerp:
            trainer.append(fz.sentence(toks), labs)
        fz.domain = "g:" if cfg.domain_adapt else None
        fz.use_lexicon = True
    trainer.set_params({"c1": cfg.c1, "c2": cfg.c2, "max_iterations": cfg.max_iterations,
                        "feature.possible_transitions": True})
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"training CRF on {len(grit)} NERGrit + {len(nerp)} NERP + {len(extra)} template sentences")
    trainer.train(str(out_dir / MODEL_FILE))
    save_features(out_dir, fz)
    export_weights(out_dir, fz.domain)
    if not cfg.keep_crfsuite:
        (out_dir / MODEL_FILE).unlink()  # 10+ MB; the tagger needs only the exported weights
    seconds = time.perf_counter() - t0
    meta = {"family": "crf (python-crfsuite, L-BFGS)", "config": asdict(cfg),
            "train_sentences": {"nergrit": len(grit), "nerp": len(nerp), "augment": len(extra)}}
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    valid_path = data_dir / "nergrit" / "valid.txt"
    if valid_path.is_file():
        valid = read_conll(valid_path)
        tagger = Tagger(out_dir)
        pred = tagger.tag([t for t, _ in valid])
        meta["nergrit_valid_f1"] = entity_f1([labs for _, labs in valid], pred)
        (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        log(f"NERGrit valid: {meta['nergrit_valid_f1']}")
    log(f"wrote {out_dir} in {seconds:.0f}s")
    return meta


def entity_lexicon(sents: list[Sentence], min_ratio: float = 0.5) -> dict[tuple[str, ...], str]:
    """Lower-cased names labelled as entities in `sents`, with their most frequent type, kept when the
    same token sequence is an entity at least `min_ratio` of the times it occurs."""
    from pantau.nlp.ner import spans_from_bio

    as_entity: dict[tuple[str, ...], Counter] = {}
    for toks, labs in sents:
        low = [t.lower() for t in toks]
        for a, b, typ in spans_from_bio(labs):
            as_entity.setdefault(tuple(low[a:b]), Counter())[typ] += 1
    lengths = {len(k) for k in as_entity}
    seen: Counter = Counter()
    for toks, _ in sents:
        low = [t.lower() for t in toks]
        for k in lengths:
            for i in range(len(low) - k + 1):
                gram = tuple(low[i:i + k])
                if gram in as_entity:
                    seen[gram] += 1
    out = {}
    for name, types in as_entity.items():
        typ, n = types.most_common(1)[0]
        if sum(types.values()) >= min_ratio * seen[name] and any(c.isalpha() for c in name[0]):
            out[name] = typ
    return out
