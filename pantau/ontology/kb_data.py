"""Tiny loaders for the knowledge-base data files in this folder (sanctions provisions, publishers)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


def _load(name: str) -> dict[str, Any]:
    text = resources.files("pantau.ontology").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at top level")
    return data


@cache
def provisions() -> tuple[dict[str, Any], ...]:
    """The UN sanctions provisions on the DPRK (`sanctions.yaml`), as plain dicts."""
    return tuple(_load("sanctions.yaml")["provisions"])


@cache
def publishers() -> tuple[dict[str, Any], ...]:
    """The publisher registry (`publishers.yaml`), as plain dicts."""
    return tuple(_load("publishers.yaml")["publishers"])


@cache
def coordinates() -> dict[str, tuple[float, float]]:
    """Latitude and longitude of countries (ISO alpha-3: the capital) and places (`coordinates.yaml`)."""
    return {str(k): (float(v[0]), float(v[1])) for k, v in _load("coordinates.yaml")["coordinates"].items()}
