"""MISP, both ways, with PyMISP's own objects.

Export: one `MISPEvent` per fused event: `info` its summary, `date` its start; tags from MISP's
`tlp` taxonomy (`tlp:clear` … `tlp:red`, `tlp:amber+strict`) and `admiralty-scale` taxonomy
(`source-reliability="b"`, `information-credibility="2"`); each source report as a `text`
attribute (the quoted sentence, the publisher in the comment) and its URL as a `link`; quantities
as `text` attributes; each incident as a `text` attribute in category "Other" tagged
`pantau:incident-status="…"`, with the provision and the review notes. Ids are stable UUIDv5s.

Import: a MISP event JSON file (`{"Event": …}`, a list of them, or `{"response": [...]}`) or a MISP
feed folder (`manifest.json` plus one `<uuid>.json` per event) becomes documents: the text is the
event's `info` plus its text-like attribute values, the marking its `tlp:` tag (AMBER when none),
the publisher its creator organisation (`Orgc`), the date its `date`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pantau.model.kb import FusedEvent, Incident
from pantau.model.markings import TLP

NAMESPACE = uuid.UUID("0b7b0c64-3c57-4c1c-9d39-6d6973700001")  # pantau's MISP uuid5 namespace
TEXT_TYPES = {"text", "comment", "other"}
MAX_TEXT = 200_000


def tlp_tag(tlp: TLP) -> str:
    return "tlp:" + tlp.value.lower()


def admiralty_tags(reliability: str, credibility: int) -> list[str]:
    return [f'admiralty-scale:source-reliability="{reliability.lower()}"',
            f'admiralty-scale:information-credibility="{credibility}"']


def to_misp_events(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = (), *,
                   org_name: str = "pantau node") -> list[Any]:
    """PyMISP `MISPEvent` objects of the fused events (with their incidents)."""
    from pymisp import MISPEvent, MISPOrganisation

    by_event: dict[str, list[Incident]] = {}
    for inc in incidents:
        by_event.setdefault(inc.fused_event_id, []).append(inc)
    out = []
    for f in fused:
        ev = MISPEvent()
        ev.uuid = str(uuid.uuid5(NAMESPACE, f"fused/{f.id}"))
        ev.info = f.summary or f"{f.type} event {f.id}"
        if f.date:
            ev.set_date(f.date.start)
        ev.analysis = 2 if len(f.evidence) > 1 else 1
        ev.threat_level_id = 2
        ev.distribution = 0 if f.tlp in (TLP.AMBER_STRICT, TLP.RED) else 1
        orgc = MISPOrganisation()
        orgc.name = org_name
        ev.Orgc = orgc
        tlp = f.tlp if isinstance(f.tlp, TLP) else TLP.parse(str(f.tlp))
        for tag in [tlp_tag(tlp), *admiralty_tags(f.reliability, f.credibility), f"pantau:plover-type=\"{f.type}\""]:
            ev.add_tag(tag)
        for i, e in enumerate(f.evidence):
            a = ev.add_attribute("text", e.text, category="External analysis",
                                 comment=f"{e.publisher or 'unknown publisher'}: {e.title or 'document ' + e.doc_id}")
            a.uuid = str(uuid.uuid5(NAMESPACE, f"fused/{f.id}/evidence/{i}"))
            if e.url:
                link = ev.add_attribute("link", e.url, category="External analysis", comment=e.publisher or "")
                link.uuid = str(uuid.uuid5(NAMESPACE, f"fused/{f.id}/link/{i}"))
        for i, q in enumerate(f.quantities):
            a = ev.add_attribute("text", f"{q.value:,} {q.unit}", category="Other",
                                 comment=f"reported figure ({q.publisher or 'document ' + q.doc_id}): {q.text}")
            a.uuid = str(uuid.uuid5(NAMESPACE, f"fused/{f.id}/quantity/{i}"))
        for inc in by_event.get(f.id, []):
            body = f"{inc.title}: {inc.prohibits}\nWhy: {'; '.join(inc.reasons)}" + "".join(
                f"\nNote: {n}" for n in inc.notes)
            a = ev.add_attribute("text", body, category="Other", comment=f"incident {inc.id} ({inc.status})")
            a.uuid = str(uuid.uuid5(NAMESPACE, f"incident/{inc.id}"))
            a.add_tag(f'pantau:incident-status="{inc.status}"')
            itlp = inc.tlp if isinstance(inc.tlp, TLP) else TLP.parse(str(inc.tlp))
            a.add_tag(tlp_tag(itlp))
        out.append(ev)
    return out


def to_json(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = (), *, org_name: str = "pantau node") -> str:
    """`{"response": [{"Event": …}, …]}`, the shape MISP's REST search answers and imports."""
    events = to_misp_events(fused, incidents, org_name=org_name)
    return json.dumps({"response": [{"Event": json.loads(e.to_json())} for e in events]}, ensure_ascii=False, indent=2)


# -- import ------------------------------------------------------------------------------------------

@dataclass(slots=True)
class MispDocument:
    uuid: str
    text: str
    title: str
    tlp: TLP
    publisher: str | None
    published: str | None


class MispInputError(ValueError):
    pass


def _events_of(data: Any, where: str) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("response"), list):
        data = data["response"]
    items = data if isinstance(data, list) else [data]
    for item in items:
        ev = item.get("Event", item) if isinstance(item, dict) else None
        if not isinstance(ev, dict) or "info" not in ev:
            raise MispInputError(f"{where}: not a MISP event (no `Event` with `info`)")
        yield ev


def _tags(ev: dict[str, Any]) -> list[str]:
    tags = ev.get("Tag") or []
    return [t["name"] for t in tags if isinstance(t, dict) and isinstance(t.get("name"), str)]


def document_of(ev: dict[str, Any], where: str) -> MispDocument:
    """A MISP event as a document to ingest."""
    import copy

    from pymisp import MISPEvent

    marks = [TLP.parse(t[4:]) for t in _tags(ev) if t.lower().startswith("tlp:") and _is_tlp(t[4:])]
    orgc = ev.get("Orgc") if isinstance(ev.get("Orgc"), dict) else {}
    date = ev.get("date") if isinstance(ev.get("date"), str) else None
    e = MISPEvent()
    try:
        e.from_dict(**{"Event": copy.deepcopy(ev)})  # PyMISP consumes the dict it is given
    except Exception as exc:  # noqa: BLE001 - PyMISP raises several kinds on malformed events
        raise MispInputError(f"{where}: not a valid MISP event ({' '.join(str(exc).split())[:200]})") from None
    order = list(TLP)
    tlp = max(marks, key=order.index) if marks else TLP.AMBER
    parts = [str(e.info)]
    attrs = list(e.attributes) + [a for o in e.objects for a in o.attributes]
    parts += [str(a.value) for a in attrs if a.type in TEXT_TYPES and str(a.value).strip()]
    text = "\n\n".join(parts)[:MAX_TEXT]
    return MispDocument(uuid=str(e.uuid), text=text, title=str(e.info)[:500], tlp=tlp,
                        publisher=orgc.get("name") if isinstance(orgc.get("name"), str) else None, published=date)


def _is_tlp(v: str) -> bool:
    try:
        TLP.parse(v)
        return True
    except ValueError:
        return False


def read(path: str | Path) -> list[MispDocument]:
    """Documents of a MISP event JSON file or a MISP feed folder."""
    p = Path(path)
    if p.is_dir():
        manifest = p / "manifest.json"
        if not manifest.is_file():
            raise MispInputError(f"{p}: a MISP feed folder has a manifest.json")
        files = [p / f"{u}.json" for u in _load(manifest)]
    elif p.is_file():
        files = [p]
    else:
        raise MispInputError(f"{p}: no such file or folder")
    out = []
    for f in files:
        if not f.is_file():
            raise MispInputError(f"{f}: listed in the manifest but missing")
        out += [document_of(ev, str(f)) for ev in _events_of(_load(f), str(f))]
    return out


def _load(f: Path) -> Any:
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MispInputError(f"{f}: not JSON ({' '.join(str(exc).split())[:120]})") from None
