"""Word clusters induced from unlabelled text: distributional context vectors → SVD → k-means at a few
granularities. A word's cluster string is `"50:12|200:87|600:311"`; the features use each part."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 20) -> np.ndarray:
    k = min(k, len(x))
    centers = x[rng.choice(len(x), size=k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        # cosine k-means: rows of x are unit length
        sims = x @ centers.T
        assign = sims.argmax(axis=1)
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.sum(axis=0)
                centers[j] = c / (np.linalg.norm(c) + 1e-9)
    return assign


def induce(sentences: Iterable[list[str]], *, min_count: int = 2, contexts: int = 1000, dims: int = 64,
           sizes: tuple[int, ...] = (50, 200, 800), seed: int = 13) -> dict[str, str]:
    """Lower-case word → cluster string, for every word seen at least `min_count` times."""
    sents = [[t.lower() for t in s] for s in sentences]
    freq = Counter(t for s in sents for t in s)
    vocab = [w for w, c in freq.most_common() if c >= min_count]
    if len(vocab) < 2:
        return {}
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:contexts])}
    nctx = len(ctx)
    m = np.zeros((len(vocab), 2 * nctx + 2), dtype=np.float32)
    for s in sents:
        padded = ["<s>", *s, "</s>"]
        for i in range(1, len(padded) - 1):
            row = index.get(padded[i])
            if row is None:
                continue
            left, right = padded[i - 1], padded[i + 1]
            m[row, ctx.get(left, nctx)] += 1
            m[row, nctx + 1 + ctx.get(right, nctx)] += 1
    # positive PMI, then a truncated SVD
    total = m.sum()
    pw = m.sum(axis=1, keepdims=True) / total
    pc = m.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((m / total) / (pw * pc))
    pmi = np.nan_to_num(np.maximum(pmi, 0.0), nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)
    u, s, _ = np.linalg.svd(pmi, full_matrices=False)
    emb = u[:, :dims] * np.sqrt(s[:dims])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(seed)
    parts = [_kmeans(emb, k, rng) for k in sizes]
    return {w: "|".join(f"{k}:{p[i]}" for k, p in zip(sizes, parts, strict=True)) for i, w in enumerate(vocab)}
