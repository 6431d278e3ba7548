"""The shipped tagger: a linear-chain CRF trained with crfsuite, decoded here in numpy.

Training writes `model.crfsuite`; `export_weights` folds it into `weights.npz` (one row of label
weights per attribute, with the domain-adaptation copies merged into the shared ones) and
`attributes.txt.gz` (the attribute names). At run time each word type's five positional
attribute lists are summed once into five weight vectors and cached, so tagging a token costs a few
vector additions and dictionary look-ups, and Viterbi runs over a batch of sentences at once.

A model directory also holds `features.json.gz` (gazetteer, word clusters, common-word list frozen at
training time) and `meta.json` (how it was trained and how it scored)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from pantau.exc import ModelError
from pantau.nlp.ner.data import repair_bio
from pantau.nlp.ner.features import CACHE_SIZE, Featurizer
from pantau.nlp.ner.gazetteer import Gazetteer

MODEL_FILE = "model.crfsuite"
WEIGHTS_FILE = "weights.npz"
ATTRS_FILE = "attributes.txt.gz"
FEATURES_FILE = "features.json.gz"
META_FILE = "meta.json"
BATCH = 256


def _write_gz(path: Path, text: str) -> None:
    """gzip with a zero timestamp, so that retraining on the same data gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(text.encode("utf-8"))


def _write_npz(path: Path, **arrays: np.ndarray) -> None:
    """Like `np.savez_compressed`, with fixed member timestamps (reproducible bytes)."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def save_features(directory: Path, fz: Featurizer) -> None:
    data = {"gazetteer": fz.gz.to_json(), "clusters": fz.clusters, "common": sorted(fz.common),
            "domain": fz.domain}
    _write_gz(directory / FEATURES_FILE, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def load_featurizer(directory: Path) -> Featurizer:
    with gzip.open(directory / FEATURES_FILE, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return Featurizer(Gazetteer.from_json(data["gazetteer"]), data.get("clusters") or {},
                      set(data.get("common") or ()), data.get("domain"))


def export_weights(directory: Path, domain: str | None) -> None:
    """Fold `model.crfsuite` into `weights.npz` + `attributes.txt.gz`. With feature augmentation, the
    weight of attribute `a` is w(a) + w(domain + a); other domains' copies are dropped."""
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open(str(directory / MODEL_FILE))
    info = crf.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    li = {lab: i for i, lab in enumerate(labels)}
    rows: dict[str, np.ndarray] = {}
    for (attr, lab), w in info.state_features.items():
        if domain and attr.startswith(domain):
            attr = attr[len(domain):]
        elif ":" in attr[:3] and attr[:2].isalpha():  # another domain's copy, e.g. "n:"
            continue
        row = rows.get(attr)
        if row is None:
            row = rows[attr] = np.zeros(len(labels), dtype=np.float32)
        row[li[lab]] += w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[li[a], li[b]] = w
    attrs = sorted(rows)
    emit = np.stack([rows[a] for a in attrs]) if attrs else np.zeros((0, len(labels)), np.float32)
    _write_npz(directory / WEIGHTS_FILE, emit=emit, trans=trans, labels=np.array(labels))
    _write_gz(directory / ATTRS_FILE, "\n".join(attrs))


class Tagger:
    """BIO tagger over pre-tokenised sentences."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        needed = [self.directory / f for f in (WEIGHTS_FILE, ATTRS_FILE, FEATURES_FILE)]
        if not all(p.is_file() for p in needed):
            raise ModelError(f"NER model not found in {self.directory} (build it with `make model` "
                             "or `pantau train ner`)")
        try:
            self.featurizer = load_featurizer(self.directory)
            self.featurizer.domain = None  # the domain copies are merged into the weights
            with np.load(self.directory / WEIGHTS_FILE, allow_pickle=False) as data:
                emit, self.trans = data["emit"], data["trans"]
                self.labels = [str(x) for x in data["labels"]]
            with gzip.open(self.directory / ATTRS_FILE, "rt", encoding="utf-8") as fh:
                attrs = fh.read().split("\n")
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"NER model in {self.directory} cannot be loaded: {exc}") from exc
        if len(attrs) != len(emit):
            raise ModelError(f"NER model in {self.directory} is inconsistent (attributes vs weights)")
        nlab = len(self.labels)
        self._emit = np.vstack([emit, np.zeros((1, nlab), np.float32)])  # last row: unknown attribute
        self._index = {a: i for i, a in enumerate(attrs)}
        self._unknown = len(attrs)
        self._types: dict[str, tuple] = {}
        meta = self.directory / META_FILE
        self.meta: dict = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}

    # -- emissions -------------------------------------------------------------------------------
    def _type(self, word: str) -> tuple:
        t = self._types.get(word)
        if t is None:
            if len(self._types) >= CACHE_SIZE:
                self._types.clear()
            f = self.featurizer.build(word)  # the vectors are cached here, the strings need not be
            get = self._index.get
            seg: list[int] = []
            idx: list[int] = []
            for k in range(5):
                for a in f[k]:
                    j = get(a)
                    if j is not None:
                        seg.append(k)
                        idx.append(j)
            vecs = np.zeros((5, len(self.labels)), np.float32)
            np.add.at(vecs, seg, self._emit[idx])
            t = self._types[word] = (*vecs, f[5], f[6])
        return t

    def _emissions(self, tokens: list[str]) -> np.ndarray:
        n = len(tokens)
        tv = [self._type(w) for w in tokens]
        e = np.array([t[2] for t in tv])
        if n > 1:
            e[1:] += np.array([t[1] for t in tv[:-1]])
            e[:-1] += np.array([t[3] for t in tv[1:]])
        if n > 2:
            e[2:] += np.array([t[0] for t in tv[:-2]])
            e[:-2] += np.array([t[4] for t in tv[2:]])
        lows = [t[5] for t in tv]
        shapes = [t[6] for t in tv]
        fz = self.featurizer
        marks = fz.gz.place_marks(lows)
        lex = fz.gz.lexicon_marks(lows) if fz.use_lexicon and fz.gz.lexicon else None
        rows: list[int] = []
        cols: list[int] = []
        get, unknown = self._index.get, self._unknown
        for i in range(n):
            extra = []
            if i == 0:
                extra.append("BOS")
            else:
                extra.append(f"b-={lows[i - 1]}|{lows[i]}")
                extra.append(f"s-={shapes[i - 1]}|{shapes[i]}")
            if i == n - 1:
                extra.append("EOS")
            else:
                extra.append(f"b+={lows[i]}|{lows[i + 1]}")
                extra.append(f"s+={shapes[i]}|{shapes[i + 1]}")
            if marks[i]:
                extra.append(f"gzp={marks[i]}")
            if lex is not None and lex[i]:
                extra.append(f"lex={lex[i]}")
            for a in extra:
                j = get(a, unknown)
                if j != unknown:
                    rows.append(i)
                    cols.append(j)
        if rows:
            np.add.at(e, rows, self._emit[cols])
        return e

    # -- decoding --------------------------------------------------------------------------------
    def _viterbi(self, ems: list[np.ndarray]) -> list[list[int]]:
        """Best label paths for a batch of sentences (emission matrices), decoded together."""
        b, nlab = len(ems), len(self.labels)
        lengths = np.array([len(x) for x in ems])
        tmax = int(lengths.max())
        e = np.zeros((b, tmax, nlab), np.float32)
        for k, x in enumerate(ems):
            e[k, : len(x)] = x
        score = e[:, 0]
        back = np.empty((tmax, b, nlab), np.int8)
        ident = np.broadcast_to(np.arange(nlab, dtype=np.int8), (b, nlab))
        trans = self.trans[None]
        for t in range(1, tmax):
            cand = score[:, :, None] + trans
            bp = cand.argmax(axis=1)
            new = np.take_along_axis(cand, bp[:, None, :], axis=1)[:, 0] + e[:, t]
            active = (lengths > t)[:, None]
            score = np.where(active, new, score)
            back[t] = np.where(active, bp, ident)
        path = np.empty((b, tmax), np.int64)
        path[:, -1] = score.argmax(axis=1)
        rows = np.arange(b)
        for t in range(tmax - 1, 0, -1):
            path[:, t - 1] = back[t, rows, path[:, t]]
        return [path[k, : lengths[k]].tolist() for k in range(b)]

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        labels = self.labels
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            paths = self._viterbi([self._emissions(sentences[i]) for i in chunk])
            for i, p in zip(chunk, paths, strict=True):
                out[i] = repair_bio([labels[k] for k in p])
        return out
