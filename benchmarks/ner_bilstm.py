"""Issue 4 experiment: a BiLSTM tagger with a character CNN, compared with the shipped CRF.

Not part of the package (PyTorch is not a pantau dependency). Run from the repository root:

    .venv/bin/pip install torch==2.13.0
    .venv/bin/python benchmarks/ner_bilstm.py [--epochs 8] [--out /tmp/ner_bilstm]

Inputs per token: a word embedding learned from the training data (lower-cased, word dropout),
a character CNN over the cased word, a capitalisation class, the CRF's word-list and gazetteer
marks (title / place head / org head / name part, gazetteer place B/I) and a corpus flag (NERGrit or
NERP, the same domain-adaptation idea as the CRF; NERGrit at test time). A BiLSTM reads them and a
softmax gives label scores, decoded with a BIO-constrained Viterbi (no `O → I-X`). Training data:
NERGrit train + NERP train (labels mapped as in `pantau.nlp.ner.data`) + the CRF's 600 template
sentences; the epoch with the best NERGrit valid macro F1 is kept (valid is the tuning set, so that
figure is slightly optimistic). Writes `pred_bilstm.txt` and `pred_ensemble.txt` (CoNLL) for
`score_ner.py --pred`; the ensemble adds the shipped CRF's one-hot labels to the BiLSTM's
probabilities with weight `--crf-weight` before decoding.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from pantau.nlp.ner.augment import generate
from pantau.nlp.ner.data import LABELS, Sentence, default_data_dir, read_conll
from pantau.nlp.ner.gazetteer import KINDS, Gazetteer
from pantau.nlp.ner.train import entity_f1

TAGS = ["O"] + [f"{p}-{t}" for t in LABELS for p in ("B", "I")]
TAG_ID = {t: i for i, t in enumerate(TAGS)}
PAD, UNK = 0, 1
MAX_CHARS = 20


def case_class(w: str) -> int:
    if w.isupper() and len(w) > 1:
        return 1
    if w[:1].isupper():
        return 2
    if w.islower():
        return 3
    if any(c.isdigit() for c in w):
        return 4
    return 5


class Encoder:
    """Maps token lists to index arrays (words, chars, case, list features)."""

    def __init__(self, sents: list[Sentence], gz: Gazetteer) -> None:
        counts = Counter(w.lower() for toks, _ in sents for w in toks)
        self.words = {w: i + 2 for i, (w, _) in enumerate(counts.most_common())}
        self.counts = counts
        chars = Counter(c for toks, _ in sents for w in toks for c in w)
        self.chars = {c: i + 2 for i, (c, n) in enumerate(chars.most_common()) if n >= 2}
        self.gz = gz
        self.n_feats = len(KINDS) + 2

    def encode(self, toks: list[str]) -> tuple[np.ndarray, ...]:
        lowers = [w.lower() for w in toks]
        w = np.array([self.words.get(x, UNK) for x in lowers], dtype=np.int64)
        c = np.zeros((len(toks), MAX_CHARS), dtype=np.int64)
        for i, tok in enumerate(toks):
            ids = [self.chars.get(ch, UNK) for ch in tok[:MAX_CHARS]]
            c[i, : len(ids)] = ids
        k = np.array([case_class(x) for x in toks], dtype=np.int64)
        f = np.zeros((len(toks), self.n_feats), dtype=np.float32)
        marks = self.gz.place_marks(lowers)
        for i, low in enumerate(lowers):
            for kind in self.gz.word_kinds(low):
                f[i, KINDS.index(kind)] = 1.0
            if marks[i]:
                f[i, len(KINDS) + (marks[i] == "I")] = 1.0
        return w, c, k, f


class Tagger(nn.Module):
    def __init__(self, n_words: int, n_chars: int, n_feats: int, wdim: int = 100, cdim: int = 30,
                 cfilters: int = 50, hidden: int = 128, dropout: float = 0.5) -> None:
        super().__init__()
        self.wemb = nn.Embedding(n_words, wdim, padding_idx=PAD)
        self.cemb = nn.Embedding(n_chars, cdim, padding_idx=PAD)
        self.conv = nn.Conv1d(cdim, cfilters, kernel_size=3, padding=1)
        self.kemb = nn.Embedding(6, 8)
        self.demb = nn.Embedding(2, 8)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(wdim + cfilters + 8 + 8 + n_feats, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, len(TAGS))

    def forward(self, w, c, k, f, d):
        b, n = w.shape
        ce = self.cemb(c.view(b * n, -1)).transpose(1, 2)          # (b*n, cdim, chars)
        cv = torch.relu(self.conv(ce)).max(dim=2).values.view(b, n, -1)
        de = self.demb(d).unsqueeze(1).expand(b, n, -1)
        x = torch.cat([self.wemb(w), cv, self.kemb(k), de, f], dim=2)
        h, _ = self.lstm(self.drop(x))
        return self.out(self.drop(h))


def batchify(items: list[tuple], domains: list[int], labels: list[list[int]] | None = None):
    n = max(len(it[0]) for it in items)
    b = len(items)
    w = np.zeros((b, n), dtype=np.int64)
    c = np.zeros((b, n, MAX_CHARS), dtype=np.int64)
    k = np.zeros((b, n), dtype=np.int64)
    f = np.zeros((b, n, items[0][3].shape[1]), dtype=np.float32)
    y = np.full((b, n), -100, dtype=np.int64)
    for i, (wi, ci, ki, fi) in enumerate(items):
        m = len(wi)
        w[i, :m], c[i, :m], k[i, :m], f[i, :m] = wi, ci, ki, fi
        if labels is not None:
            y[i, :m] = labels[i]
    t = torch.from_numpy
    return t(w), t(c), t(k), t(f), torch.tensor(domains), t(y)


def allowed_transitions() -> np.ndarray:
    """log-space mask: 0 where `prev → cur` is valid BIO, −inf where not (`O → I-X`, `B-X → I-Y`)."""
    m = np.zeros((len(TAGS), len(TAGS)))
    for j, cur in enumerate(TAGS):
        if cur.startswith("I-"):
            for i, prev in enumerate(TAGS):
                if prev[2:] != cur[2:]:
                    m[i, j] = -np.inf
    return m


TRANS = allowed_transitions()
START = np.array([-np.inf if t.startswith("I-") else 0.0 for t in TAGS])


def viterbi(scores: np.ndarray) -> list[str]:
    """Best BIO-valid path through per-token log scores (n, tags)."""
    n = len(scores)
    delta = START + scores[0]
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        cand = delta[:, None] + TRANS
        back[i] = cand.argmax(0)
        delta = cand.max(0) + scores[i]
    path = [int(delta.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return [TAGS[j] for j in reversed(path)]


def predict_probs(model: Tagger, enc: list[tuple], batch: int = 256) -> list[np.ndarray]:
    model.eval()
    out: list[np.ndarray] = []
    order = sorted(range(len(enc)), key=lambda i: len(enc[i][0]))
    res: dict[int, np.ndarray] = {}
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s: s + batch]
            w, c, k, f, d, _ = batchify([enc[i] for i in idx], [0] * len(idx))
            p = torch.softmax(model(w, c, k, f, d), dim=2).numpy()
            for j, i in enumerate(idx):
                res[i] = p[j, : len(enc[i][0])]
    out = [res[i] for i in range(len(enc))]
    return out


def decode(probs: list[np.ndarray], crf: list[list[str]] | None = None, weight: float = 0.0) -> list[list[str]]:
    out = []
    for i, p in enumerate(probs):
        q = p.copy()
        if crf is not None and weight:
            q[np.arange(len(q)), [TAG_ID[t] for t in crf[i]]] += weight
        out.append(viterbi(np.log(q + 1e-9)))
    return out


def write_conll(path: Path, sents: list[list[str]], tags: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for toks, labs in zip(sents, tags, strict=True):
            for t, lab in zip(toks, labs, strict=True):
                fh.write(f"{t}\t{lab}\n")
            fh.write("\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-nerp", action="store_true")
    ap.add_argument("--no-feats", action="store_true", help="zero the gazetteer/word-list inputs")
    ap.add_argument("--crf-weight", type=float, default=0.5)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ner_bilstm"))
    ap.add_argument("--time-budget", type=float, default=840.0, help="stop training after this many seconds")
    args = ap.parse_args()

    torch.set_num_threads(1)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)

    data = default_data_dir()
    grit = read_conll(data / "nergrit" / "train.txt") + generate(600, seed=13)
    nerp = [] if args.no_nerp else read_conll(data / "nerp" / "train.txt")
    valid = read_conll(data / "nergrit" / "valid.txt")
    gz = Gazetteer.build()
    enc = Encoder(grit + nerp, gz)
    train_items = [(enc.encode(t), [TAG_ID[x] for x in labs], 0) for t, labs in grit]
    train_items += [(enc.encode(t), [TAG_ID[x] for x in labs], 1) for t, labs in nerp]
    if args.no_feats:
        for it in train_items:
            it[0][3][:] = 0.0
    valid_enc = [enc.encode(t) for t, _ in valid]
    if args.no_feats:
        for it in valid_enc:
            it[3][:] = 0.0
    gold = [labs for _, labs in valid]

    model = Tagger(len(enc.words) + 2, len(enc.chars) + 2, enc.n_feats, hidden=args.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    single_mask = torch.zeros(len(enc.words) + 2, dtype=torch.bool)
    for word, i in enc.words.items():
        single_mask[i] = enc.counts[word] == 1
    t0 = time.perf_counter()
    best, best_state, best_epoch = -1.0, None, 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        random.shuffle(train_items)
        # bucket by length for speed, shuffle the buckets
        chunks = [train_items[i: i + args.batch] for i in range(0, len(train_items), args.batch)]
        total = 0.0
        for ch in chunks:
            w, c, k, f, d, y = batchify([it[0] for it in ch], [it[2] for it in ch], [it[1] for it in ch])
            # word dropout: singletons → UNK with p 0.5, so the model learns to use chars for unseen words
            drop = torch.rand(w.shape) < 0.5
            w = torch.where(drop & single_mask[w], torch.full_like(w, UNK), w)
            logits = model(w, c, k, f, d)
            loss = loss_fn(logits.reshape(-1, len(TAGS)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(ch)
        f1 = entity_f1(gold, decode(predict_probs(model, valid_enc)))
        elapsed = time.perf_counter() - t0
        print(f"epoch {epoch}: loss {total / len(train_items):.4f} valid {f1} ({elapsed:.0f}s)", flush=True)
        if f1["macro"] > best:
            best, best_epoch = f1["macro"], epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        if elapsed > args.time_budget:
            break
    train_s = time.perf_counter() - t0
    assert best_state is not None
    model.load_state_dict(best_state)
    path = args.out / "bilstm.pt"
    torch.save(best_state, path)
    print(f"best epoch {best_epoch}, train {train_s:.0f}s, model {path.stat().st_size / 1e6:.1f} MB "
          f"(float32 state dict; vocabulary {len(enc.words)} words)")

    # speed: batched tagging of NERGrit valid on one thread (encoding + network + Viterbi)
    toks = [t for t, _ in valid]
    n_tok = sum(len(t) for t in toks)
    rates, net_rates = [], []
    for _ in range(3):
        c0 = time.process_time()
        probs = predict_probs(model, [enc.encode(t) for t in toks] if not args.no_feats else valid_enc)
        c1 = time.process_time()
        pred = decode(probs)
        rates.append(n_tok / (time.process_time() - c0))
        net_rates.append(n_tok / (c1 - c0))
    print(f"tagging: {max(rates):,.0f} tokens/s CPU, one thread (best of 3 on {n_tok} tokens); "
          f"encoding + network alone {max(net_rates):,.0f} tokens/s")
    write_conll(args.out / "pred_bilstm.txt", toks, pred)
    print("bilstm valid:", entity_f1(gold, pred))

    from pantau.nlp.ner import tag_tokens

    crf = tag_tokens(toks)
    print("crf valid:", entity_f1(gold, crf))
    for wgt in (0.25, 0.5, 1.0):
        print(f"ensemble w={wgt}:", entity_f1(gold, decode(probs, crf, wgt)))
    write_conll(args.out / "pred_ensemble.txt", toks, decode(probs, crf, args.crf_weight))


if __name__ == "__main__":
    main()
