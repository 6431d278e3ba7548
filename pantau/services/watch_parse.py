"""What a watched source lists: the entries of an RSS/Atom feed (feedparser) or of an XML sitemap
(urlset, with Google News extensions; a sitemap index lists further sitemaps)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pantau.services.records import iso_date


class NotASource(ValueError):
    """The body is neither a feed nor a sitemap (the reason is the message)."""


@dataclass(slots=True)
class Listing:
    kind: str  # feed | sitemap | sitemapindex
    entries: list[dict[str, Any]] = field(default_factory=list)  # key, url, title, published, html
    sitemaps: list[str] = field(default_factory=list)  # for a sitemap index
    title: str | None = None


def parse_listing(body: bytes) -> Listing:
    head = body[:4096].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return parse_sitemap(body)
    return parse_feed_entries(body)


def parse_feed_entries(body: bytes) -> Listing:
    import feedparser

    feed = feedparser.parse(body)
    if not feed.entries:
        if feed.bozo and not feed.version:
            raise NotASource(f"not an RSS/Atom feed or sitemap ({feed.get('bozo_exception')})")
        if not feed.version:
            raise NotASource("not an RSS/Atom feed or sitemap")
    out = Listing("feed", title=feed.feed.get("title") or None)
    for e in feed.entries:
        url = e.get("link")
        html = ""
        if e.get("content"):
            html = e.content[0].get("value", "")
        html = html or e.get("summary", "") or ""
        key = e.get("id") or url or hashlib.sha256((e.get("title", "") + html).encode()).hexdigest()
        published = None
        parsed = e.get("published_parsed") or e.get("updated_parsed")
        if parsed:
            published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        out.entries.append({"key": str(key), "url": url, "title": (e.get("title") or "").strip() or None,
                            "published": published, "html": html})
    return out


def parse_sitemap(body: bytes) -> Listing:
    from lxml import etree

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise NotASource(f"malformed sitemap ({exc})") from exc
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        locs = [(_text(sm, "loc"), _text(sm, "lastmod")) for sm in root if etree.QName(sm).localname == "sitemap"]
        locs.sort(key=lambda x: x[1] or "", reverse=True)
        return Listing("sitemapindex", sitemaps=[loc for loc, _ in locs if loc])
    if tag != "urlset":
        raise NotASource(f"not a sitemap (root element {tag})")
    out = Listing("sitemap")
    for u in root:
        if etree.QName(u).localname != "url":
            continue
        loc = _text(u, "loc")
        if not loc:
            continue
        title = _text(u, "title")  # news:title
        published = iso_date(_text(u, "publication_date") or _text(u, "lastmod"))
        out.entries.append({"key": loc, "url": loc, "title": title, "published": published, "html": ""})
    return out


def _text(el: Any, local: str) -> str | None:
    for child in el.iter():
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == local and child.text:
            return child.text.strip()
    return None
