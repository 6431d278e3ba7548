"""Designated parties in stored documents: find the people, organisations and vessels a document names
(the extraction's entities, capitalised name runs, vessel phrases such as "kapal tanker X" or "the
vessel X (IMO 1234567)"), match them to the sanctions lists, and raise or strengthen incidents for the
fused events whose evidence names a listed party (rules in ontology/designations.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pantau.services.matching import Match, Matcher
from pantau.services.sanctions_lists import imo_valid

if TYPE_CHECKING:
    from pantau.services.store import Store

VESSEL_RE = re.compile(
    r"\b(?:[Kk]apal(?:\s+(?:tanker|kargo|minyak|barang|curah|motor))?|[Tt]anker|[Tt]he\s+vessel|[Vv]essel|"
    r"[Tt]he\s+ship|M/V|MV|MT|KM)\s+"
    r"((?:[A-Z0-9][\w'-]*)(?:\s+(?:No\.\s*)?[A-Z0-9][\w'-]*){0,3})")
IMO_TEXT_RE = re.compile(r"\bIMO(?:\s*(?:number|no\.?|nomor|#))?[\s:.]*(\d{7})\b", re.I)
CAP_RUN_RE = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|\d+))*")
EXACT = 0.93  # name runs found by scanning the text match only exactly or as romanisation variants


@dataclass(slots=True)
class Mention:
    text: str
    kind: str | None
    start: int
    end: int
    imo: str | None = None


def find_mentions(text: str, entities: Iterable[tuple[str, str, int, int]] = ()) -> list[Mention]:
    """Candidate mentions: (name, type, start, end) from the extraction, vessel phrases, IMO numbers and
    capitalised runs of two to six words."""
    out: list[Mention] = []
    for name, typ, start, end in entities:
        if typ in ("person", "organization"):
            out.append(Mention(name, typ, start, end))
    taken: list[tuple[int, int]] = []
    for m in VESSEL_RE.finditer(text):
        name = re.sub(r"\s+(?:dan|and|yang|which|di|in|dari|from)$", "", m.group(1))
        imo = None
        tail = text[m.end(1): m.end(1) + 30]
        im = IMO_TEXT_RE.search(tail)
        if im and imo_valid(im.group(1)):
            imo = im.group(1)
        out.append(Mention(name, "vessel", m.start(1), m.start(1) + len(name), imo))
        taken.append((m.start(), m.end() + (im.end() if im else 0)))
    for im in IMO_TEXT_RE.finditer(text):
        if imo_valid(im.group(1)) and not any(a <= im.start() < b for a, b in taken):
            out.append(Mention(im.group(0), "vessel", im.start(), im.end(), im.group(1)))
    for run in CAP_RUN_RE.finditer(text):
        words = [(w.start() + run.start(), w.end() + run.start()) for w in re.finditer(r"\S+", run.group(0))]
        if len(words) < 2:
            continue
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 6) + 1):
                s, e = words[i][0], words[j - 1][1]
                out.append(Mention(text[s:e], None, s, e))
    return out


def match_text(matcher: Matcher, text: str, entities: Iterable[tuple[str, str, int, int]] = ()) -> list[Match]:
    """Listed parties named in `text`: the best match per (listed party, place), longest mention first."""
    found: dict[tuple[str, int], Match] = {}
    for m in find_mentions(text, entities):
        if m.kind is None:
            got = [x for k in ("person", "organization") for x in matcher.match(m.text, k, threshold=EXACT)]
        else:
            got = matcher.match(m.text, m.kind, m.imo)
        for g in got[:1]:
            g.start, g.end = m.start, m.end
            key = (g.listed.entity_id, m.start)
            old = found.get(key)
            if old is None or (g.score, (g.end or 0) - m.start) > (old.score, (old.end or 0) - (old.start or 0)):
                found[key] = g
    # one match per listed party and overlapping stretch of text
    out: list[Match] = []
    for g in sorted(found.values(), key=lambda x: (-x.score, -((x.end or 0) - (x.start or 0)))):
        if any(o.listed.entity_id == g.listed.entity_id and _overlap(o, g) for o in out):
            continue
        if any(_overlap(o, g) and o.score > g.score for o in out):
            continue
        out.append(g)
    return sorted(out, key=lambda x: (x.start or 0))


def _overlap(a: Match, b: Match) -> bool:
    return (a.start or 0) < (b.end or 0) and (b.start or 0) < (a.end or 0)


@cache
def rules() -> tuple[dict[str, Any], ...]:
    from pantau.ontology.kb_data import _load

    return tuple(_load("designations.yaml")["rules"])


def _kw_hit(keywords: Sequence[str], texts: Iterable[str]) -> str | None:
    blob = " ".join(texts).lower()
    for k in keywords:
        if re.search(r"(?<!\w)" + re.escape(k.lower()) + r"(?!\w)", blob):
            return k
    return None


def link_documents(store: Store, document_ids: Sequence[int] | None = None,
                   matcher: Matcher | None = None) -> dict[str, int]:
    """Match the documents (default: all) against the loaded lists, store the matches, and raise or
    strengthen incidents. Idempotent. Returns counts."""
    from pantau.storage import designation_io as dio

    matcher = matcher or Matcher.from_store(store)
    out = {"documents": 0, "matches": 0, "incidents_raised": 0, "incidents_strengthened": 0}
    if not len(matcher):
        return out
    with store.engine.begin() as conn:
        ids = list(document_ids) if document_ids is not None else dio.all_document_ids(conn)
        for doc_id, text, ents in dio.documents_with_entities(conn, ids):
            out["documents"] += 1
            rows = [{"document_id": doc_id, **m.to_dict(), "found_at": dio.now()} for m in match_text(matcher, text, ents)]
            dio.save_matches(conn, rows)
            out["matches"] += len(rows)
        raised, strengthened = _incidents(conn, ids, matcher)
        out["incidents_raised"] += raised
        out["incidents_strengthened"] += strengthened
    return out


def _incidents(conn: sa.Connection, doc_ids: Sequence[int], matcher: Matcher) -> tuple[int, int]:
    from pantau.services.assess import provisions
    from pantau.storage import designation_io as dio

    known = {p.id: p for p in provisions()}
    by_entity = {x.entity_id: x for x in matcher.listed}
    raised = strengthened = 0
    for ev in dio.evidence_with_matches(conn, doc_ids):
        listed = by_entity.get(ev["entity_id"])
        for rule in rules():
            if ev["schema"] not in rule["schemata"]:
                continue
            if rule.get("lists") and ev["list"] not in rule["lists"]:
                continue
            if rule.get("types") and not set(ev["types"]) & set(rule["types"]):
                continue
            kw = _kw_hit(rule.get("keywords") or [], [ev["evidence"], ev["doc_text"]]) if rule.get("keywords") else ""
            if kw is None:
                continue
            listing = (f"designated party: {ev['caption']} ({ev['list'].upper()}"
                       + (f", {', '.join(listed.programs)}" if listed and listed.programs else "")
                       + (f", listed {listed.listing_date}" if listed and listed.listing_date else "")
                       + f") named as {ev['mention']!r}, match {ev['score']:.2f}: {'; '.join(ev['reasons'])}")
            reasons = [listing] + ([f"evidence mentions {kw!r}"] if kw else [])
            targets = [(rule["id"], rule["resolution"], str(rule["paragraph"]), rule["prohibits"])]
            for b in rule.get("builds_on") or []:
                if b in known:
                    p = known[b]
                    targets.append((p.id, p.resolution, p.paragraph, p.prohibits))
            for pid, res, para, prohibits in targets:
                new = dio.raise_or_strengthen(conn, ev["fused_event_id"], pid, res, para, prohibits, reasons, {
                    "list": ev["list"], "entity_id": ev["entity_id"], "caption": ev["caption"], "schema": ev["schema"],
                    "programs": list(listed.programs) if listed else [],
                    "listing_date": listed.listing_date if listed else None, "mention": ev["mention"],
                    "score": ev["score"], "reasons": ev["reasons"]})
                if new == "raised":
                    raised += 1
                elif new == "strengthened":
                    strengthened += 1
    return raised, strengthened


def listings_for(store: Store, incident_id: int) -> list[dict[str, Any]]:
    from pantau.storage import lists_io

    with store.engine.connect() as conn:
        return lists_io.incident_listings(conn, [incident_id]).get(incident_id, [])
