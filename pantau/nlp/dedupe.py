"""Near-duplicate reports: MinHash LSH (datasketch) over character shingles. Pure, no I/O.

A wire story re-published by several outlets differs in its header, dateline, byline and
page furniture, but shares most of its body. Character shingles of the normalised text catch
that; MinHash estimates their Jaccard similarity and LSH finds candidates without comparing
every pair.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NUM_PERM", "THRESHOLD", "NearDuplicateIndex", "Match", "normalise", "shingles", "signature",
           "signature_from_bytes", "signature_to_bytes", "band_keys"]

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 5
SCHEME = "affine32"  # datasketch hashing scheme; stored signatures must be read back with it
# CRC-32 of each shingle as the base hash: C-speed, and good enough to spread short shingles.
HASHFUNC = zlib.crc32

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse whitespace."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Character k-grams of the normalised text (the whole text if shorter than k)."""
    norm = normalise(text)
    if len(norm) <= k:
        return {norm} if norm else set()
    return {norm[i:i + k] for i in range(len(norm) - k + 1)}


@cache
def _permutations(num_perm: int) -> object:
    """The permutations are a function of (num_perm, seed) only; computing them is most of a small MinHash."""
    return MinHash(num_perm=num_perm, scheme=SCHEME, hashfunc=HASHFUNC).permutations


def signature(text: str, num_perm: int = NUM_PERM) -> MinHash:
    m = MinHash(num_perm=num_perm, scheme=SCHEME, hashfunc=HASHFUNC, permutations=_permutations(num_perm))
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


def signature_to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint64)
    return MinHash(num_perm=len(values), hashvalues=values.copy(), scheme=SCHEME, hashfunc=HASHFUNC)


@cache
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) slices of the LSH bands datasketch chooses for this threshold (same b and r)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return tuple((int(a), int(b)) for a, b in lsh.hashranges)


def band_keys(sig: MinHash, threshold: float = THRESHOLD) -> list[int]:
    """One signed 64-bit key per LSH band: documents sharing a key are near-duplicate candidates.

    The bands are datasketch's own (same number of bands and rows for `threshold`), so a lookup
    by key in a stored table finds the candidates `MinHashLSH` would; a hash collision only adds a
    candidate, which the Jaccard check then drops."""
    values = np.asarray(sig.hashvalues, dtype=np.uint64)
    out = []
    for i, (a, b) in enumerate(_bands(threshold, len(values))):
        h = hashlib.blake2b(values[a:b].tobytes(), digest_size=8, person=i.to_bytes(2, "big")).digest()
        out.append(int.from_bytes(h, "big", signed=True))
    return out


@dataclass(slots=True, frozen=True)
class Match:
    key: str
    similarity: float


class NearDuplicateIndex:
    """Incremental index: `add` a document and get back the earlier ones it nearly duplicates."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, key: object) -> bool:
        return key in self._sigs

    def query(self, sig: MinHash) -> list[Match]:
        """Indexed documents whose estimated Jaccard similarity to `sig` reaches the threshold, best first."""
        found = []
        for key in self._lsh.query(sig):
            sim = float(sig.jaccard(self._sigs[key]))
            if sim >= self.threshold:
                found.append(Match(key, sim))
        return sorted(found, key=lambda m: (-m.similarity, m.key))

    def insert(self, key: str, sig: MinHash) -> None:
        if key in self._sigs:
            return
        self._lsh.insert(key, sig)
        self._sigs[key] = sig

    def add(self, key: str, text_or_sig: str | MinHash) -> list[Match]:
        """Index one document; return the already indexed documents it nearly duplicates."""
        sig = text_or_sig if isinstance(text_or_sig, MinHash) else signature(text_or_sig, self.num_perm)
        matches = [m for m in self.query(sig) if m.key != key]
        self.insert(key, sig)
        return matches

    def extend(self, items: Iterable[tuple[str, str | MinHash]]) -> dict[str, list[Match]]:
        return {key: self.add(key, item) for key, item in items}
