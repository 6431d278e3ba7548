"""Sentence segmentation with character offsets into the original text.

Lines are hard boundaries; inside a line a sentence ends at `.`, `!`, `?` or an ellipsis
followed by whitespace and something that can open a sentence (a capital, a digit, a quote
or bracket). Abbreviations ("Jend.", "Dr.", "U.S.", "No."), initials ("J. Smith"),
numbers ("3,9", "10.000", "1.5") and a lowercase continuation after an ellipsis do not end a
sentence. Offsets are Python indices: `text[s.start:s.end] == s.text` always holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Sentence", "segment", "ABBREVIATIONS"]


@dataclass(slots=True, frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    para: int
    kind: str = "body"  # body | title


# Lowercased, without the final dot. Indonesian and English titles and common short forms.
ABBREVIATIONS = frozenset("""
jend jen letjen mayjen brigjen laksda laksdya laksma marsda marsdya kol kolonel kapt lt mr mrs ms dr drs
prof ir hj h st sdr bpk ibu no nos tel hlm dkk dll dsb dst tsb yth an u.b a.n gen lt col maj capt sgt
sen rep gov pres amb adm rev fig vol pp jr sr inc ltd co corp dept univ est approx vs etc e.g i.e
jan feb mar apr jun jul aug agu sep sept okt oct nov des dec u.s u.k u.n s.h s.e m.si m.a ph.d
""".split())

_END = re.compile(r"(?:\.{3}|…|[.!?]+)[\"'”’)\]]*")
_OPENER = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9À-ÖØ-Þ]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_boundary(line: str, m: re.Match[str]) -> bool:
    end = m.end()
    nxt = _OPENER.match(line, end)
    if not nxt:
        return False
    punct = m.group(0)
    if punct.startswith(".") and not punct.startswith("..."):
        before = line[: m.start()]
        w = _WORD_BEFORE.search(before)
        if w:
            word = w.group(1).lower().rstrip(".")
            if word in ABBREVIATIONS:
                return False
            # a single capital letter: an initial ("J. Smith"), unless the line is all caps
            if len(w.group(1)) == 1 and w.group(1).isupper():
                return False
            # dotted acronyms "U.S." / "A.S." followed by a capitalised word are usually mid-sentence
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                return False
    return True


def _split_line(line: str) -> Iterable[tuple[int, int]]:
    pos = 0
    for m in _END.finditer(line):
        if _is_boundary(line, m):
            yield pos, m.end()
            pos = m.end()
    yield pos, len(line)


def segment(text: str, regions: Iterable[tuple[int, int, str]] | None = None) -> list[Sentence]:
    """Split `text` (or only the given `(start, end, kind)` regions of it) into sentences.

    A blank line starts a new paragraph; every non-empty line is at least its own sentence.
    """
    spans = list(regions) if regions is not None else [(0, len(text), "body")]
    out: list[Sentence] = []
    para = 0
    last_line_end = -1
    for rstart, rend, kind in sorted(spans):
        chunk = text[rstart:rend]
        offset = rstart
        for lm in re.finditer(r"[^\n]+", chunk):
            line = lm.group(0)
            lstart = offset + lm.start()
            gap = text[last_line_end:lstart] if last_line_end >= 0 else ""
            if last_line_end < 0 or gap.count("\n") >= 1:
                para += 1
            last_line_end = lstart + len(line)
            for s, e in _split_line(line):
                seg = line[s:e]
                stripped = seg.strip()
                if not stripped:
                    continue
                lead = len(seg) - len(seg.lstrip())
                a = lstart + s + lead
                b = a + len(stripped)
                out.append(Sentence(a, b, text[a:b], para, kind))
    return out
