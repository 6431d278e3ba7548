"""The second model family measured for docs/ner.md: an averaged structured perceptron (Collins 2002)
with first-order Viterbi in numpy, over the same features as the CRF. Not shipped (the CRF won);
kept so that the comparison can be rerun: `pantau train ner --family perceptron`."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from pantau.nlp.ner.data import Sentence, repair_bio
from pantau.nlp.ner.features import Featurizer

LABELS = ("O", "B-PERSON", "I-PERSON", "B-PLACE", "I-PLACE", "B-ORGANISATION", "I-ORGANISATION")


def _viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray) -> list[int]:
    n = len(em)
    back = np.zeros((n, em.shape[1]), dtype=np.int64)
    score = start + em[0]
    for i in range(1, n):
        cand = score[:, None] + trans
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + em[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


class Perceptron:
    def __init__(self, featurizer: Featurizer) -> None:
        self.fz = featurizer
        self.index: dict[str, int] = {}
        self.w = np.zeros((0, len(LABELS)), dtype=np.float32)
        self.trans = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
        self.start = np.zeros(len(LABELS), dtype=np.float32)

    def _ids(self, toks: list[str], grow: bool) -> list[np.ndarray]:
        out = []
        for feats in self.fz.sentence(toks):
            if grow:
                ids = [self.index.setdefault(f, len(self.index)) for f in feats]
            else:
                ids = [i for i in map(self.index.get, feats) if i is not None]
            out.append(np.asarray(ids, dtype=np.int64))
        return out

    def _emissions(self, w: np.ndarray, ids: list[np.ndarray]) -> np.ndarray:
        flat = np.concatenate(ids)
        starts = np.cumsum([0] + [len(x) for x in ids[:-1]])
        return np.add.reduceat(w[flat], starts, axis=0)

    def train(self, corpora: list[tuple[list[Sentence], str | None]], epochs: int = 8, seed: int = 13,
              test_domain: str | None = None, log=print) -> None:
        """Train on `(sentences, domain)` pairs; the domain prefixes feature copies as in the CRF."""
        lab = {x: i for i, x in enumerate(LABELS)}
        data = []
        for sents, domain in corpora:
            self.fz.domain = domain
            data += [(self._ids(t, True), np.array([lab[x] for x in y])) for t, y in sents if t]
        self.fz.domain = test_domain
        k = len(LABELS)
        w = np.zeros((len(self.index), k), dtype=np.float32)
        wu = np.zeros_like(w)          # sums of c·update, for averaging
        tr, tru = np.zeros((k, k), np.float32), np.zeros((k, k), np.float32)
        st, stu = np.zeros(k, np.float32), np.zeros(k, np.float32)
        rng = np.random.default_rng(seed)
        c = 1.0
        for ep in range(epochs):
            t0, errs = time.perf_counter(), 0
            for j in rng.permutation(len(data)):
                ids, gold = data[j]
                pred = np.array(_viterbi(self._emissions(w, ids), tr, st))
                if (pred != gold).any():
                    errs += 1
                    for i in np.nonzero(pred != gold)[0]:
                        np.add.at(w, (ids[i], gold[i]), 1.0)
                        np.add.at(w, (ids[i], pred[i]), -1.0)
                        np.add.at(wu, (ids[i], gold[i]), c)
                        np.add.at(wu, (ids[i], pred[i]), -c)
                    for seq, sign in ((gold, 1.0), (pred, -1.0)):
                        st[seq[0]] += sign
                        stu[seq[0]] += sign * c
                        np.add.at(tr, (seq[:-1], seq[1:]), sign)
                        np.add.at(tru, (seq[:-1], seq[1:]), sign * c)
                c += 1
            log(f"epoch {ep + 1}: {errs} sentences wrong, {time.perf_counter() - t0:.1f}s")
        self.w, self.trans, self.start = w - wu / c, tr - tru / c, st - stu / c

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        out = []
        for toks in sentences:
            if not toks:
                out.append([])
                continue
            path = _viterbi(self._emissions(self.w, self._ids(toks, False)), self.trans, self.start)
            out.append(repair_bio([LABELS[i] for i in path]))
        return out

    def save(self, path: Path) -> None:
        feats = np.array(sorted(self.index, key=self.index.__getitem__), dtype=str)
        np.savez_compressed(path, w=self.w.astype(np.float16), trans=self.trans, start=self.start,
                            feats=feats)
