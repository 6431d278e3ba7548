"""Person names that follow a title: where a name starts and ends, and whether it is one.

A name is a run of capitalised words on one line ("Christopher Cavoli", "Kim
Myung-soo", "Ursula von der Leyen"), never a month, day, title word or a word the
language uses in lower case: a capitalised headline ("Menlu Bahas Ancaman") is not a
name because "bahas" and "ancaman" are Indonesian words (the Sastrawi root list)
or appear in lower case elsewhere in the same text.
"""

from __future__ import annotations

from collections.abc import Collection, Container
from functools import cache
from importlib import resources

from pantau.nlp.gazetteer import Tok

PARTICLES = {"bin", "binti", "van", "von", "der", "den", "de", "da", "dos", "del", "al", "el", "la", "le", "ibn"}
MAX_NAME_WORDS = 5


@cache
def common_words(lang: str) -> frozenset[str]:
    """Lower-case words of the language that are not names on their own."""
    if lang != "id":
        return frozenset()
    try:
        path = resources.files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt")
        return frozenset(w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip())
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()


@cache
def _stemmer():  # Sastrawi has no type hints
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@cache
def is_common(word: str, lang: str) -> bool:
    """A lower-case word of the language (or an affixed form of one: "ancaman" from "ancam")."""
    words = common_words(lang)
    if not words:
        return False
    return word in words or (lang == "id" and len(word) > 4 and _stemmer().stem(word) in words)


def headline_like(toks: list[Tok], i: int, covered: Container[int], skip: range = range(0)) -> bool:
    """Token i's sentence is title-cased: few lower-case words outside the `covered` (gazetteer)
    tokens and the `skip` range (the candidate name itself)."""
    sent = toks[i].sent
    lo, hi = i, i
    while lo > 0 and toks[lo - 1].sent == sent:
        lo -= 1
    while hi + 1 < len(toks) and toks[hi + 1].sent == sent:
        hi += 1
    words = [t.text for k, t in enumerate(toks[lo:hi + 1], lo)
             if t.text.isalpha() and not t.hyphen and k not in covered and k not in skip]
    return len(words) >= 3 and sum(w.islower() for w in words) < 0.3 * len(words)


def lowercase_words(toks: list[Tok]) -> frozenset[str]:
    """Words that occur in lower case in this text (common words, not names)."""
    return frozenset(t.norm for t in toks if t.text.islower() and len(t.text) > 2)


def scan_name(toks: list[Tok], pos: int, *, stops: Container[str], blocked: Container[int],
              covered: Container[int], lang: str, lower: Collection[str]) -> tuple[int, int] | None:
    """The token range [pos, end) of a person name starting at `pos`, or None.

    `blocked`: tokens where a gazetteer match starts; `covered`: all tokens inside one.
    """
    n = len(toks)
    if pos >= n or not toks[pos].joined:
        return None
    parts: list[int] = []
    k = pos
    while k < n and len(parts) < MAX_NAME_WORDS * 2:
        t = toks[k]
        if k in blocked or (parts and not t.joined) or not t.text.isalpha():
            break
        if t.text[:1].isupper() and not (t.text.isupper() and len(t.text) > 3):
            if t.text in stops:
                break
            parts.append(k)
        elif parts and t.hyphen:
            parts.append(k)  # the second half of "Won-sik"
        elif parts and t.norm in PARTICLES and k + 1 < n and toks[k + 1].text[:1].isupper():
            parts.append(k)
        else:
            break
        k += 1
    while parts and toks[parts[-1]].norm in PARTICLES:
        parts.pop()
    if not parts:
        return None
    words = [toks[k] for k in parts if not toks[k].hyphen]
    if len(words) > MAX_NAME_WORDS:
        return None
    if all(w.norm in lower or is_common(w.norm, lang) for w in words):
        return None
    if len(words) > 1 and headline_like(toks, pos, covered, range(parts[0], parts[-1] + 1)):
        return None
    return parts[0], parts[-1] + 1
