"""Extraction pipeline: one document's text in, one `Extraction` out. Pure function of its inputs.

language → page furniture (content regions + byline/dateline metadata) → sentences →
publication date (metadata wins, else the text) → entities (registry + title rules + the
trained NER when it is available) → dates and quantities → events → document block.
Nothing reads the clock: relative dates resolve against the publication date only.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

from pantau.exc import PantauError
from pantau.model import DateValue, DocumentMeta, Entity, Extraction
from pantau.nlp.events import extract_events
from pantau.nlp.furniture import Layout, find_furniture
from pantau.nlp.language import detect_language
from pantau.nlp.segment import Sentence, segment

__all__ = ["extract", "analyse"]

log = logging.getLogger(__name__)


def _published(text: str, published: date | str | None, lang: str, layout: Layout) -> DateValue | None:
    if published:
        iso = published.isoformat() if isinstance(published, date) else str(published)[:10]
        try:
            date.fromisoformat(iso)
        except ValueError:
            iso = ""
        if iso:
            return DateValue(iso, iso, "day", "metadata", None)
    try:
        from pantau.nlp.dates import find_publication_date
    except ImportError:  # pragma: no cover - dates module missing
        return None
    try:
        dm = find_publication_date(text, language=lang)
    except Exception:  # a bug in one component must not lose the whole document
        log.exception("publication date failed; continuing without it")
        return None
    return dm.value if dm is not None else None


_NER_MISSING: set[str] = set()


def _ner_spans(text: str, regions: list[tuple[int, int]], lang: str) -> list[Any]:
    """Spans of the trained NER when its model is there; the gazetteer works without it."""
    if lang in _NER_MISSING:
        return []
    try:
        from pantau.nlp.ner import recognise
    except ImportError:
        _NER_MISSING.add(lang)
        return []
    try:
        return list(recognise(text, regions))
    except (PantauError, OSError, ValueError):  # no trained model built: do not try again per document
        _NER_MISSING.add(lang)
        return []


def _entities(text: str, regions: list[tuple[int, int]], lang: str, on: date | None,
              ner_regions: list[tuple[int, int]]) -> Any:
    try:
        from pantau.nlp.entities import find_entities
    except ImportError:
        return None
    # the NER runs only on the sentences where the gazetteer left a capitalised word unread
    return find_entities(text, regions=regions, on=on, language=lang,
                         ner=lambda todo: _ner_spans(text, todo, lang), ner_regions=ner_regions)


def analyse(text: str, *, published: date | str | None = None, language: str | None = None,
            title: str | None = None) -> tuple[Layout, list[Sentence], Any, DateValue | None, str]:
    """The intermediate results (layout, sentences, entity index, publication date, language)."""
    lang = language if language in ("id", "en") else detect_language(text)
    layout = find_furniture(text, language=lang, title=title)
    sentences = segment(text, layout.regions)
    pub = _published(text, published, lang, layout)
    on = date.fromisoformat(pub.start[:10]) if pub else None
    regions = [(s.start, s.end) for s in sentences]
    # the statistical NER reads body sentences only: headline Title Case looks like names to it
    body = [(s.start, s.end) for s in sentences if s.kind != "title"]
    index = _entities(text, regions, lang, on, body)
    return layout, sentences, index, pub, lang


def extract(text: str, *, published: date | str | None = None, language: str | None = None,
            title: str | None = None, url: str | None = None) -> Extraction:
    layout, sentences, index, pub, lang = analyse(text, published=published, language=language, title=title)
    on = date.fromisoformat(pub.start[:10]) if pub else None
    regions = [(s.start, s.end) for s in sentences]
    entities: list[Entity] = list(getattr(index, "entities", []) or []) if index is not None else []
    hits = list(getattr(index, "hits", []) or []) if index is not None else []
    # furniture never yields entities, whatever the finder did with the regions
    hits = [h for h in hits if not layout.is_furniture(h.start, h.end)]
    for ent in entities:
        if ent.mentions:
            kept = [m for m in ent.mentions if not layout.is_furniture(m.start, m.end)]
            ent.mentions = kept or [None]  # type: ignore[list-item]
    entities = [e for e in entities if e.mentions != [None]]
    by_id = {e.id: e for e in entities}
    dates: list[Any] = []
    quantities: list[Any] = []
    try:
        from pantau.nlp.dates import find_dates

        dates = find_dates(text, anchor=on, language=lang, regions=regions)
    except ImportError:  # pragma: no cover
        pass
    except Exception:
        log.exception("date finding failed; continuing without dates")
    try:
        from pantau.nlp.quantities import find_quantities

        quantities = find_quantities(text, language=lang, regions=regions)
    except ImportError:  # pragma: no cover
        pass
    except Exception:
        log.exception("quantity finding failed; continuing without quantities")

    def entity(eid: str) -> Any:
        if index is not None and hasattr(index, "get"):
            return index.get(eid)
        return by_id.get(eid)

    # names hold no triggers; names only the statistical NER proposed are not trusted for that
    names = [m for ent in entities if getattr(ent, "source", "registry") != "ner" for m in ent.mentions]
    events = extract_events(text, sentences, hits, language=lang, dates=dates, quantities=quantities,
                            published=pub, entity=entity, names=names)
    title_text = title
    if title_text is None and layout.title:
        title_text = text[layout.title[0]:layout.title[1]]
    meta = DocumentMeta(
        title=title_text,
        language=lang,
        published=pub,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        authors=list(layout.authors),
        editors=list(layout.editors),
        publisher=layout.publisher,
        url=url,
        dateline=layout.dateline_place,
    )
    return Extraction(document=meta, entities=entities, events=events)
