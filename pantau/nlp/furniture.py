"""Page furniture: the parts of a scraped news page that are not the story.

Photo captions, "Baca Juga" / "Read more" teasers, comment counters, bylines, datelines,
date lines, share widgets and trailing tags. `find_furniture` returns the regions worth
analysing (title and body, with the furniture cut out) plus what the furniture tells about
the document (authors, editors, publisher and place of the dateline, the lines that carry
the publication date). Rules are written for the genre (Indonesian and English news sites),
line by line; nothing here may ever produce an entity or an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Furniture", "Layout", "find_furniture"]


@dataclass(slots=True)
class Furniture:
    start: int
    end: int
    label: str  # caption | teaser | comments | byline | dateline | date | share | tags | credit
    text: str


@dataclass(slots=True)
class Layout:
    regions: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "title"|"body")
    furniture: list[Furniture] = field(default_factory=list)
    title: tuple[int, int] | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    publisher: str | None = None
    dateline_place: str | None = None
    date_lines: list[tuple[int, int]] = field(default_factory=list)

    def is_furniture(self, start: int, end: int) -> bool:
        return any(f.start <= start and end <= f.end for f in self.furniture)


_CAPTION = re.compile(
    r"\((?:foto|photo|ilustrasi|dok|doc|file|sumber foto|image)\b[^)]*\)\s*$"
    r"|^(?:foto|photo|ilustrasi|caption|gambar)\s*[:/]"
    r"|\b(?:ANTARA FOTO|REUTERS/|AFP PHOTO|AP Photo|Getty Images|via Reuters|EPA[-/]|Yonhap/)",
    re.I,
)
_TEASER = re.compile(
    r"^\W*(?:baca(?:\s+juga)?|simak(?:\s+juga)?|lihat(?:\s+juga)?|berita\s+terkait|artikel\s+terkait|"
    r"read\s+(?:more|also)|related(?:\s+(?:articles?|stories|coverage))?|see\s+also|also\s+read|"
    r"recommended|rekomendasi|populer|terpopuler|trending|video\s+pilihan)\b\s*[:\-–|]?",
    re.I,
)
_TEASER_LABEL_ONLY = re.compile(r"^\W*(?:baca\s+juga|simak\s+juga|berita\s+terkait|read\s+more|related)\W*$", re.I)
_COMMENTS = re.compile(r"^\W*(?:\d+\s+)?(?:komentar|comments?|tanggapan)\b\s*:?\s*\d*\s*$", re.I)
_SHARE = re.compile(
    r"^\W*(?:share|bagikan|bagikan artikel|salin tautan|copy link|tweet|facebook|twitter|x|whatsapp|telegram|"
    r"line|linkedin|email|print|cetak|advertisement|iklan|scroll to continue(?: with content)?|"
    r"lanjutkan membaca|halaman\s+[\d\s]+|page\s+[\d\s]+|copyright.*|©.*|follow us.*|ikuti kami.*)\W*$",
    re.I,
)
_TAGS = re.compile(r"^\W*(?:tags?|topik|topics?|kata kunci|keywords?)\s*:", re.I)
_BYLINE = re.compile(
    r"^\W*(?P<label>oleh|penulis|reporter|pewarta|kontributor|editor|redaktur|penyunting|"
    r"written by|reporting by|editing by|edited by|author|by)\s*:?\s+(?P<names>[^\n]{2,120})$",
    re.I,
)
_EDITOR_LABELS = {"editor", "redaktur", "penyunting", "editing by", "edited by"}
_SOURCE_LINE = re.compile(r"^\W*(?:sumber|source)\s*:\s*\S.{0,80}$", re.I)

_WEEKDAYS = ("senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|"
             "friday|saturday|sunday")
_MONTHS = ("januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
           "january|february|march|may|june|july|august|october|december|jan|feb|mar|apr|jun|jul|agu|"
           "aug|sep|sept|okt|oct|nov|des|dec")
_DATE_LINE = re.compile(
    rf"^[\s,|•·:-]*(?:(?:diperbarui|dipublikasikan|published|updated|posted)\s*:?\s*)?"
    rf"(?:(?:{_WEEKDAYS})\s*,?\s*)?"
    rf"(?:\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:[\s,|•·-]*(?:pukul\s*)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:wib|wita|wit|gmt|utc|am|pm)?(?:\s*[+-]\d{{2}}:?\d{{2}})?)?"
    rf"[\s|•·]*$",
    re.I,
)

# "REPUBLIKA.CO.ID, SEOUL -- ", "Liputan6.com, Jakarta - ", "BeritaNasional.com - ", "JAKARTA - ",
# "SEOUL, KOMPAS.com - ", "Jakarta (ANTARA) - ", "(ANTARA) - ", "SEOUL (Reuters) - ", "Jakarta, CNN Indonesia --"
_DOMAIN = r"[A-Za-z0-9][\w-]*(?:\.[A-Za-z]{2,6}){1,3}"
_AGENCY = r"\((?:ANTARA|Antara|Reuters|AFP|AP|Yonhap|Xinhua|Bernama|dpa|Kyodo|KCNA|TASS|Sputnik)(?:/[^)]{1,30})?\)"
_PLACE = r"[A-Z][A-Za-z'.]+(?:\s+[A-Z][A-Za-z'.]+){0,2}"
_DATELINE = re.compile(
    rf"^\s*(?:"
    rf"(?P<dom1>{_DOMAIN})\s*(?:,\s*(?P<pl1>{_PLACE}))?"
    rf"|(?P<pl2>{_PLACE})\s*,\s*(?P<dom2>{_DOMAIN}|[A-Z][A-Za-z]+(?:\s+Indonesia|\s+News|\s+TV)?)"
    rf"|(?:(?P<pl3>{_PLACE})\s*)?(?P<ag>{_AGENCY})"
    rf"|(?P<pl5>{_PLACE})\s*,\s*(?:\d{{1,2}}\s+[A-Za-z]{{3,10}}\.?(?:\s+\d{{4}})?|[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}"
    rf"(?:,?\s+\d{{4}})?)\s*(?P<ag2>{_AGENCY})?"
    rf"|(?P<pl4>[A-Z][A-Z'.]{{2,}}(?:\s+[A-Z][A-Z'.]{{2,}}){{0,2}})"
    rf")\s*(?:,\s*\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\s*)?(?:[-–—]{{1,3}}|:)\s+(?=\S)"
)
_TRAILING_CREDIT = re.compile(r"\s*\((?:[a-z]{2,6}|[A-Z]{2,6})(?:/[a-zA-Z]{2,6})*\)\s*$")
_GLUED_TAG = re.compile(r"(?<=[a-z0-9)][.!?])[a-z]{2,15}\s*$")


def _clean_names(s: str) -> list[str]:
    s = re.sub(r"\s*\((?:[^)]*)\)\s*", " ", s)
    parts = re.split(r"\s*(?:,|;|\||&|\bdan\b|\band\b)\s*", s)
    return [p.strip(" .-") for p in parts if p.strip(" .-") and len(p.strip()) <= 60]


def _is_date_line(line: str) -> bool:
    return len(line) <= 80 and bool(_DATE_LINE.match(line))


def _title_case(s: str) -> str:
    return " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in s.split())


def find_furniture(text: str, *, language: str = "id", title: str | None = None) -> Layout:
    """Find the furniture of `text` and return the content regions and document metadata."""
    lay = Layout()
    lines = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]
    lines = [(s, e, ln) for s, e, ln in lines if ln.strip()]
    counts: dict[str, int] = {}
    for _, _, ln in lines:
        counts[ln.strip()] = counts.get(ln.strip(), 0) + 1

    def mark(s: int, e: int, label: str) -> None:
        lay.furniture.append(Furniture(s, e, label, text[s:e]))

    skip_next = False
    body_seen = False
    # a title given as metadata is usually also the first line of the text: that line is the title
    given = title.strip() if title else None
    title_done = given is not None and given not in text
    n = len(lines)
    for i, (s, e, raw) in enumerate(lines):
        ln = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        s, e = s + lead, s + lead + len(ln)
        if skip_next:
            skip_next = False
            mark(s, e, "teaser")
            continue
        if _TEASER_LABEL_ONLY.match(ln):
            mark(s, e, "teaser")
            skip_next = True
            continue
        if _TEASER.match(ln) and (":" in ln[:30] or len(ln) < 160):
            mark(s, e, "teaser")
            continue
        if _COMMENTS.match(ln):
            mark(s, e, "comments")
            continue
        if _SHARE.match(ln):
            mark(s, e, "share")
            continue
        if _TAGS.match(ln):
            mark(s, e, "tags")
            continue
        if _SOURCE_LINE.match(ln) and len(ln) < 80:
            mark(s, e, "credit")
            continue
        bm = _BYLINE.match(ln)
        if bm and len(ln) <= 140 and not re.search(r"[.!?]\s+[A-Z]", ln):
            label = bm.group("label").lower()
            names = bm.group("names")
            if label != "by" or re.match(r"[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,4}(?:\s*(?:,|and|dan)\s*[A-Z].*)?$",
                                         names):
                # "Penulis: A | Editor: B" on one line
                for part in re.split(r"\s*[|;]\s*", ln):
                    pm = _BYLINE.match(part)
                    if not pm:
                        continue
                    target = lay.editors if pm.group("label").lower() in _EDITOR_LABELS else lay.authors
                    target.extend(x for x in _clean_names(pm.group("names")) if x not in target)
                mark(s, e, "byline")
                continue
        if _is_date_line(ln):
            mark(s, e, "date")
            lay.date_lines.append((s, e))
            continue
        if _CAPTION.search(ln) or (counts[ln] > 1 and len(ln) < 250 and not ln.endswith((".", "!", "?", "”", '"'))):
            mark(s, e, "caption")
            continue
        if counts[ln] > 1 and body_seen:
            mark(s, e, "caption")
            continue
        if not title_done:
            title_done = True
            if ln == given or given is None and (len(ln) <= 250 and not re.search(r"[.!?][\"”']?$", ln)
                                                 or len(ln) <= 160):
                lay.title = (s, e)
                lay.regions.append((s, e, "title"))
                continue
        # body line: cut a leading dateline and a trailing credit / glued tag
        bs, be = s, e
        dm = _DATELINE.match(ln) if not body_seen or i < 6 else None
        if dm and dm.end() < len(ln):
            pub = dm.group("dom1") or dm.group("dom2") or (dm.group("ag") or dm.group("ag2") or "").strip("()") or None
            place = dm.group("pl1") or dm.group("pl2") or dm.group("pl3") or dm.group("pl4") or dm.group("pl5")
            if pub and not lay.publisher:
                lay.publisher = pub.split("/")[0]
            if place and not lay.dateline_place:
                lay.dateline_place = _title_case(place.strip())
            mark(s, s + dm.end(), "dateline")
            bs = s + dm.end()
        tail = text[bs:be]
        cm = _TRAILING_CREDIT.search(tail)
        if cm and cm.start() > 0:
            mark(bs + cm.start(), be, "credit")
            be = bs + cm.start()
        elif i >= n - 3:
            gm = _GLUED_TAG.search(text[bs:be])
            if gm:
                mark(bs + gm.start(), be, "tags")
                be = bs + gm.start()
        # a lone short line without sentence punctuation after the body: tags or widget
        if body_seen and i >= n - 3 and len(ln.split()) <= 3 and not re.search(r"[.!?\"”]$", ln):
            mark(s, e, "tags")
            continue
        if be > bs:
            lay.regions.append((bs, be, "body"))
            body_seen = True
    lay.furniture.sort(key=lambda f: f.start)
    return lay
