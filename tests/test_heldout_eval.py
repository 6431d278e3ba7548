"""Extraction quality on the project's own held-out articles (tests/data/heldout), written for the
project with gold annotations in the format of ../shared/eval/gold. They cover events the dev seeds do
not (summit and treaty, missile launch, sanctions-monitoring report, ship-to-ship sanctions, a blocked
UN statement) and English, so a rule fitted to the seeds shows up here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
HELDOUT = ROOT / "tests" / "data" / "heldout"


@pytest.fixture(scope="module")
def summary() -> dict:
    if not SCORER.is_file():
        pytest.skip(f"scorer not found at {SCORER} (../shared is not beside the checkout)")
    cmd = f"{sys.executable} -m pantau.cli.main extract --format json {{path}}"
    res = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(HELDOUT / "gold"), "--corpus", str(HELDOUT / "corpus"),
         "--cmd", cmd, "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("{"))
    return json.loads(line)


def test_heldout_actors(summary: dict) -> None:
    assert summary["actors"]["f"] >= 0.85, summary


def test_heldout_events(summary: dict) -> None:
    assert summary["events"]["f"] >= 0.70, summary
    assert summary["events"]["p"] >= 0.75, summary


def test_heldout_publication_dates_and_furniture(summary: dict) -> None:
    assert summary["published"][0] == summary["published"][1], summary
    assert summary["must_not"] == 0, summary


def test_every_heldout_doc_has_gold() -> None:
    docs = {p.name for p in (HELDOUT / "corpus").iterdir()}
    golds = {json.loads(p.read_text())["doc"] for p in (HELDOUT / "gold").glob("*.json")}
    assert docs == golds
