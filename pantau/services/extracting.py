"""Extract one document from a path, URL or stdin without touching the store (`pantau extract`).

The input is read exactly as `pantau ingest` reads it (plain text, HTML main text, a JSON record
or a one-record JSONL file), so the offsets printed are offsets into the text that ingest stores.
"""

from __future__ import annotations

from pantau.exc import InputError
from pantau.model import Extraction
from pantau.nlp.pipeline import extract
from pantau.services.sources import read_input
from pantau.settings import Settings


def extract_path(path: str, *, published: str | None = None, language: str | None = None,
                 settings: Settings | None = None) -> Extraction:
    items = []
    for item in read_input(path, settings or Settings.from_env()):
        if isinstance(item, InputError):
            raise item
        items.append(item)
        if len(items) > 1:
            raise InputError(path, "holds more than one record; `pantau extract` reads one document "
                                   "(use `pantau ingest` for collections)")
    if not items:
        raise InputError(path, "holds no document")
    item = items[0]
    return extract(item.text, published=published or item.published, language=language or item.language,
                   title=item.title, url=item.url)
