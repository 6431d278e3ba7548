"""Raw text → sentences of tokens with character offsets, tokenised the way the IndoNLU NER data is
(punctuation and hyphens are tokens of their own)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W_]+(?:['’][^\W_]+)*|\S", re.UNICODE)
_LINE = re.compile(r"[^\n]+")
# Tokens after which a full stop does not end a sentence (titles, ranks, common abbreviations).
_ABBREV = frozenset("""
dr drs dra prof ir jl jln no st bpk ny sdr tn h hj kh m mr mrs ms jr sr vs etc dll dsb dkk tsb yth
jend letjen mayjen brigjen kol letkol kapt lettu serda pol purn inf tbk gen lt col capt adm sgt rep sen gov
""".split())
_ENDERS = frozenset(".!?")

Token = tuple[str, int, int]


def tokens(text: str, offset: int = 0) -> list[Token]:
    return [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]


def sentences(text: str, offset: int = 0) -> list[list[Token]]:
    """Lines are hard boundaries; within a line a sentence ends at `.`, `!` or `?` followed by a token
    that starts with a capital, a digit or a quote, unless the full stop closes an abbreviation or an
    initial (`Dr.`, `S.`)."""
    out: list[list[Token]] = []
    for line in _LINE.finditer(text):
        toks = tokens(line.group(), offset + line.start())
        cur: list[Token] = []
        for i, tok in enumerate(toks):
            cur.append(tok)
            if tok[0] not in _ENDERS or i + 1 >= len(toks):
                continue
            nxt = toks[i + 1][0]
            if not (nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"'“‘("):
                continue
            if tok[0] == "." and len(cur) > 1:
                prev = cur[-2][0]
                if prev.lower() in _ABBREV or (len(prev) == 1 and prev.isalpha()):
                    continue
            out.append(cur)
            cur = []
        if cur:
            out.append(cur)
    return out
