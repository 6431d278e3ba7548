"""Extraction pipeline: one document's text in, one `Extraction` out. Pure function of its inputs.

Minimal placeholder until the extraction work lands: it fills the document block only.
"""

from __future__ import annotations

import hashlib
from datetime import date

from pantau.model import DateValue, DocumentMeta, Extraction


def extract(text: str, *, published: date | str | None = None, language: str | None = None,
            title: str | None = None, url: str | None = None) -> Extraction:
    pub = None
    if published:
        iso = published.isoformat() if isinstance(published, date) else str(published)[:10]
        pub = DateValue(iso, iso, "day", "metadata", None)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    meta = DocumentMeta(
        title=title or first,
        language=language or "id",
        published=pub,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        url=url,
    )
    return Extraction(document=meta)
