"""Extract one document from a path without the store (used by `pantau extract`)."""

from __future__ import annotations

import sys
from pathlib import Path

from pantau.exc import InputError
from pantau.model import Extraction
from pantau.nlp.pipeline import extract


def extract_path(path: str, *, published: str | None = None, language: str | None = None) -> Extraction:
    if path == "-":
        text = sys.stdin.read()
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(path, "no such file")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise InputError(path, "empty document")
    return extract(text, published=published, language=language)
