"""Extraction quality on the round-2 articles (tests/data/round2): nine short Indonesian and English
articles written for the project (sanctions designations, ship-to-ship transfers, a UN vote with counts,
a summit with a treaty, condemnations by several states, a spokesperson's denial, a missile launch, troops
sent to Russia, a planned visit, a hypothetical), gold annotated before the system output was read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
ROUND2 = ROOT / "tests" / "data" / "round2"


@pytest.fixture(scope="module")
def summary() -> dict:
    if not SCORER.is_file():
        pytest.skip(f"scorer not found at {SCORER} (../shared is not beside the checkout)")
    cmd = f"{sys.executable} -m pantau.cli.main extract --format json {{path}}"
    res = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(ROUND2 / "gold"), "--corpus", str(ROUND2 / "corpus"),
         "--cmd", cmd, "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("{"))
    return json.loads(line)


def test_round2_actors(summary: dict) -> None:
    assert summary["actors"]["f"] >= 0.93, summary


def test_round2_events(summary: dict) -> None:
    assert summary["events"]["f"] >= 0.90, summary
    assert summary["events"]["p"] >= 0.88, summary
    assert summary["events"]["r"] >= 0.88, summary


def test_round2_places_and_dates(summary: dict) -> None:
    assert summary["places"]["f"] >= 0.90, summary
    assert summary["dates"][0] >= summary["dates"][1] - 1, summary


def test_round2_publication_dates_and_furniture(summary: dict) -> None:
    assert summary["published"][0] == summary["published"][1], summary
    assert summary["must_not"] == 0, summary


def test_every_round2_doc_has_gold() -> None:
    docs = {p.name for p in (ROUND2 / "corpus").iterdir()}
    golds = {json.loads(p.read_text())["doc"] for p in (ROUND2 / "gold").glob("*.json")}
    assert docs == golds
