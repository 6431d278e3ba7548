"""RSS/Atom feeds (feedparser): one item per entry, text from the entry's content or summary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from pantau.exc import InputError
from pantau.services.records import Item


def parse_feed(name: str, data: bytes) -> Iterator[Item | InputError]:
    import feedparser

    feed = feedparser.parse(data)
    broken = feed.bozo and not isinstance(feed.get("bozo_exception"), feedparser.CharacterEncodingOverride)
    if broken:  # reported; entries feedparser could still recover are ingested
        yield InputError(name, f"broken feed ({feed.get('bozo_exception')})")
    if not feed.entries:
        if not broken:
            yield InputError(name, "feed has no entries" if feed.version else "not an RSS/Atom feed")
        return
    publisher = feed.feed.get("title") or None
    for i, entry in enumerate(feed.entries):
        source = f"{name}#{i + 1}"
        try:
            yield _entry_item(source, entry, publisher)
        except InputError as exc:
            yield exc


def _entry_item(source: str, entry: Any, publisher: str | None) -> Item:
    html = ""
    if entry.get("content"):
        html = entry.content[0].get("value", "")
    html = html or entry.get("summary", "") or entry.get("description", "")
    body = html_fragment_text(html)
    title = (entry.get("title") or "").strip() or None
    if not body:
        raise InputError(source, "feed entry has no text")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    published = None
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    authors = [a.get("name", "").strip() for a in entry.get("authors", []) if a.get("name")]
    return Item(source=source, text=text, title=title, url=entry.get("link"), published=published,
                publisher=publisher, authors=authors)


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment, paragraphs separated by blank lines."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = [el.text_content().strip() for el in root.iter("p", "li", "h1", "h2", "h3", "blockquote")]
    blocks = [b for b in blocks if b]
    text = "\n\n".join(blocks) if blocks else root.text_content()
    return "\n".join(line.strip() for line in text.splitlines()).strip()
