"""The matcher on a test set written for the project: Korean romanisation variants, Indonesian and
English spellings of vessels and companies, IMO numbers, and near-misses that must not match."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.services import sanctions_lists as sl
from pantau.services.matching import Matcher, listed_from_ftm, plain_tokens, split_syllables

DATA = Path(__file__).parent / "data"
FIXTURES = [("un_consolidated.xml", "un"), ("ofac_sdn.xml", "ofac"), ("eu_consolidated.xml", "eu"),
            ("uk_conlist.csv", "uk")]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    ents = []
    for name, fmt in FIXTURES:
        for e in sl.read(name, (DATA / "lists" / name).read_bytes(), fmt):
            ents.append({**e.to_dict(), "datasets": [fmt]})
    sanctions = {eid: d for d in ents if d["schema"] == "Sanction" for eid in d["properties"]["entity"]}
    return Matcher(listed_from_ftm(d, d["datasets"][0], sanctions) for d in ents if d["schema"] != "Sanction")


def _cases() -> list[tuple[str, str | None, str | None, str]]:
    out = []
    for line in (DATA / "matching" / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        mention, kind, imo, expected = line.split("\t")
        out.append((mention, kind or None, imo or None, expected))
    return out


def test_precision_and_recall(matcher: Matcher) -> None:
    cases = _cases()
    positives = sum(1 for c in cases if c[3] != "-")
    assert positives >= 60 and len(cases) - positives >= 25
    tp = fp = 0
    wrong = []
    for mention, kind, imo, expected in cases:
        got = matcher.match(mention, kind, imo)
        top = got[0].listed.caption if got else "-"
        if top != "-" and top == expected:
            tp += 1
        elif top != "-":
            fp += 1
        if top != expected:
            wrong.append((mention, kind, imo, expected, top))
    precision = tp / (tp + fp)
    recall = tp / positives
    print(f"matcher: {len(cases)} cases, precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.98, wrong
    assert recall >= 0.95, wrong


def test_scores_and_reasons(matcher: Matcher) -> None:
    m = matcher.match("Yu Jong 2", "vessel", "8604917")[0]
    assert m.score == 1.0 and m.reasons == ["IMO 8604917 identical"] and m.listed.list == "un"
    assert m.listed.programs == ("DPRK",) and m.listed.listing_date == "2018-03-30"
    v = matcher.match("Kim Jeong-eun", "person")[0]
    assert 0.9 <= v.score < 0.97 and "romanisation variant" in v.reasons[0]
    f = matcher.match("Korea Ryongbong General Corp", "organization")[0]
    assert f.score < v.score and "rapidfuzz" in f.reasons[0]
    # a listed vessel name with another (valid) IMO number is another vessel
    assert matcher.match("Yu Jong 2", "vessel", "9100372") == []


def test_normalisation() -> None:
    assert plain_tokens("kapal tanker Yu Jong No. 2", True) == ("yu", "jong", "2")
    assert plain_tokens("M/V WISE HONEST", True) == ("wise", "honest")
    assert plain_tokens("PT. Samudera Laut Biru Tbk", False) == ("samudera", "laut", "biru")
    assert split_syllables("jongun") == ["jong", "un"]
    assert split_syllables("honest") == ["honest"]
