"""The stream load test, small: many subscribers of different organisations, mixed markings;
nothing lost, nothing leaked, nothing duplicated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "stream_load.py"


def test_small_stream_load_loses_and_leaks_nothing(capsys) -> None:
    spec = importlib.util.spec_from_file_location("stream_load", BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--subscribers", "16", "--events", "60", "--rate", "300", "--timeout", "30"]) == 0
    out = capsys.readouterr().out
    assert "lost 0  leaked 0  duplicated 0" in out and "(16 connected)" in out
