"""Token features for the NER tagger, computed once per word type and cached.

A token's features are the concatenation of cached per-type lists (one list for each relative
position −2…+2, already prefixed), a handful of bigram strings, and sentence-level gazetteer marks.
That keeps per-token Python work to a few list extensions, which is what makes the tagger fast.
"""

from __future__ import annotations

import re
import unicodedata

from pantau.nlp.ner.gazetteer import Gazetteer

_PUNCT = re.compile(r"^[\W_]+$")
CACHE_SIZE = 200_000  # word types kept per cache (a few hundred bytes to a few KB each)


def shape(word: str) -> str:
    """Character classes with runs capped at 3: `Jakarta` → `Xxxx`, `G-20` → `X-dd`."""
    out: list[str] = []
    prev, run = "", 0
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch if ch in "-.,'&/" else "#"
        if c == prev:
            run += 1
            if run >= 3:
                continue
        else:
            prev, run = c, 0
        out.append(c)
    return "".join(out)


def short_shape(word: str) -> str:
    """Runs collapsed to one character: `Jakarta` → `Xx`, `PT` → `X`."""
    s = shape(word)
    return re.sub(r"(.)\1+", r"\1", s)


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class Featurizer:
    """Turns token sequences into crfsuite attribute lists. `clusters` maps lower-case words to
    bit-string paths (Brown-style) or cluster ids; `common` is the set of words seen mostly in lower case."""

    def __init__(self, gazetteer: Gazetteer, clusters: dict[str, str] | None = None,
                 common: set[str] | None = None, domain: str | None = None) -> None:
        self.gz = gazetteer
        self.clusters = clusters or {}
        self.common = common or set()
        # Feature augmentation for domain adaptation (Daumé 2007): with a domain set, every attribute
        # is emitted twice, plain (shared by all training sets) and prefixed with the domain.
        self.domain = domain
        self.use_lexicon = True  # off while featurising the corpus the lexicon was read from
        self._caches: dict[str | None, dict[str, tuple]] = {}

    # -- per word type -------------------------------------------------------------------------
    def _type_feats(self, word: str) -> tuple[list[str], ...]:
        low = word.lower()
        sh = shape(word)
        ss = short_shape(word)
        is_title = word[:1].isupper() and not word.isupper()
        is_upper = word.isupper() and len(word) > 1
        is_punct = bool(_PUNCT.match(word))
        kinds = self.gz.word_kinds(low)
        cl = self.clusters.get(low) or self.clusters.get(_strip_accents(low))
        cls: list[str] = []
        if cl:
            if cl[0] in "01":
                cls = [f"c{n}={cl[:n]}" for n in (4, 8, 12) if len(cl) >= n] + [f"c={cl}"]
            else:
                cls = [f"k{part}" for part in cl.split("|")]
        cap = "T" if is_title else "U" if is_upper else "L" if word.islower() else "N"
        core = [f"w={low}", f"sh={ss}", f"cap={cap}"]
        core += [f"g={k}" for k in kinds]
        core += cls[:2]
        f0 = [
            "bias", *core, f"S={sh}", f"p2={low[:2]}", f"p3={low[:3]}", f"x2={low[-2:]}",
            f"x3={low[-3:]}", f"x4={low[-4:]}", f"len={min(len(word), 10)}", *cls[2:],
        ]
        if is_punct:
            f0.append("punct")
        if any(c.isdigit() for c in word):
            f0.append("digit")
        if "-" in word and len(word) > 1:
            f0.append("hyph")
        if is_title and low in self.common:
            f0.append("title_common")
        near = core
        far = [f"w={low}", f"cap={cap}", *(f"g={k}" for k in kinds), *cls[:1]]
        return (
            [f"-2{f}" for f in far],
            [f"-1{f}" for f in near],
            f0,
            [f"+1{f}" for f in near],
            [f"+2{f}" for f in far],
        )

    def build(self, word: str) -> tuple:
        """`(−2, −1, 0, +1, +2 attribute lists, lower-case form, short shape)` for a word, with the
        domain copies added when a domain is set. Not cached (see `type_feats`)."""
        lists = self._type_feats(word)
        if self.domain:
            dom = self.domain
            lists = tuple(x + [dom + a for a in x] for x in lists)
        return (*lists, word.lower(), lists[2][2][3:])

    def type_feats(self, word: str) -> tuple:
        """`build(word)`, cached per domain (up to `CACHE_SIZE` word types, then started afresh)."""
        cache = self._caches.get(self.domain)
        if cache is None:
            cache = self._caches[self.domain] = {}
        f = cache.get(word)
        if f is None:
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            f = cache[word] = self.build(word)
        return f

    # -- per sentence --------------------------------------------------------------------------
    def sentence(self, tokens: list[str]) -> list[list[str]]:
        n = len(tokens)
        tf = [self.type_feats(t) for t in tokens]
        lows = [f[5] for f in tf]
        shapes = [f[6] for f in tf]
        marks = self.gz.place_marks(lows)
        lex = self.gz.lexicon_marks(lows) if self.use_lexicon and self.gz.lexicon else None
        dom = self.domain
        out: list[list[str]] = []
        for i in range(n):
            feats = list(tf[i][2])
            extra: list[str] = []
            if i == 0:
                extra.append("BOS")
            else:
                feats.extend(tf[i - 1][1])
                extra.append(f"b-={lows[i - 1]}|{lows[i]}")
                extra.append(f"s-={shapes[i - 1]}|{shapes[i]}")
                if i > 1:
                    feats.extend(tf[i - 2][0])
            if i == n - 1:
                extra.append("EOS")
            else:
                feats.extend(tf[i + 1][3])
                extra.append(f"b+={lows[i]}|{lows[i + 1]}")
                extra.append(f"s+={shapes[i]}|{shapes[i + 1]}")
                if i < n - 2:
                    feats.extend(tf[i + 2][4])
            if marks[i]:
                extra.append(f"gzp={marks[i]}")
            if lex is not None and lex[i]:
                extra.append(f"lex={lex[i]}")
            feats.extend(extra)
            if dom:
                feats.extend([dom + x for x in extra])
            out.append(feats)
        return out
