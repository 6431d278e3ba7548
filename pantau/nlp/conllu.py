"""CoNLL-U reading and writing, standard library only (pure; no spaCy here).

A sentence is its comment lines plus its word lines (ids `1`, `2`, ...). Multi-word token ranges
(`3-4`) and empty nodes (`8.1`) are kept as raw lines so that output can reproduce the input; the
parser works on word lines only, which is what UD scoring compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pantau.exc import InputError


@dataclass
class Word:
    """One word line: the ten CoNLL-U columns."""

    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    deps: str
    misc: str

    @property
    def space_after(self) -> bool:
        return "SpaceAfter=No" not in self.misc.split("|")


@dataclass
class Sentence:
    comments: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    # raw multi-word token / empty-node lines, keyed by the word id they come before
    extra: dict[int, list[str]] = field(default_factory=dict)
    # word ids that end a multi-word token whose range line says SpaceAfter=No
    mwt_no_space: set[int] = field(default_factory=set)

    def spaces(self) -> list[bool]:
        """Whether each word is followed by a space in the original text."""
        out = [w.space_after for w in self.words]
        covered: set[int] = set()
        for lines in self.extra.values():
            for line in lines:
                rid = line.split("\t", 1)[0]
                if "-" in rid:
                    a, b = (int(x) for x in rid.split("-"))
                    covered.update(range(a, b))  # no space inside a multi-word token
        for i, w in enumerate(self.words):
            if w.id in covered:
                out[i] = False
            if w.id in self.mwt_no_space:
                out[i] = False
        return out


def _int(value: str, source: str, lineno: int, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(source, f"line {lineno}: {what} {value!r} is not a number") from None


def read(lines: Iterable[str], source: str = "<conllu>") -> Iterator[Sentence]:
    """Sentences of a CoNLL-U text. Raises InputError (naming `source` and the line) on bad input."""
    cur = Sentence()
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if cur.words:
                yield cur
            cur = Sentence()
            continue
        if line.startswith("#"):
            cur.comments.append(line)
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise InputError(source, f"line {lineno}: {len(cols)} tab-separated columns, CoNLL-U has 10")
        wid = cols[0]
        if "-" in wid or "." in wid:
            nxt = len(cur.words) + 1
            cur.extra.setdefault(nxt, []).append(line)
            if "-" in wid and "SpaceAfter=No" in cols[9].split("|"):
                end = wid.split("-")[1]
                cur.mwt_no_space.add(_int(end, source, lineno, "range end"))
            continue
        n = _int(wid, source, lineno, "word id")
        if n != len(cur.words) + 1:
            raise InputError(source, f"line {lineno}: word id {n}, expected {len(cur.words) + 1}")
        if not cols[1]:
            raise InputError(source, f"line {lineno}: empty word form")
        head = _int(cols[6], source, lineno, "head") if cols[6] not in ("_", "") else -1
        cur.words.append(Word(n, cols[1], cols[2], cols[3], cols[4], cols[5], head, cols[7], cols[8], cols[9]))
    if cur.words:
        yield cur


def write(sent: Sentence) -> str:
    """One sentence as CoNLL-U text, ending with the blank line."""
    out = list(sent.comments)
    for w in sent.words:
        out.extend(sent.extra.get(w.id, []))
        out.append("\t".join([str(w.id), w.form, w.lemma, w.upos, w.xpos, w.feats,
                              str(w.head) if w.head >= 0 else "_", w.deprel, w.deps, w.misc]))
    out.extend(sent.extra.get(len(sent.words) + 1, []))
    return "\n".join(out) + "\n\n"
