"""Import MISP events (a JSON file or a feed folder) as documents with their TLP markings: each
event's text is read by the extraction pipeline, stored for the viewer's organisation under the
event's `tlp:` tag, and fused once at the end. An event already imported is a duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pantau.exc import InputError
from pantau.services.access import Viewer
from pantau.services.node import Node


@dataclass(slots=True)
class MispImport:
    added: list[int] = field(default_factory=list)
    duplicates: int = 0
    by_marking: dict[str, int] = field(default_factory=dict)


def import_misp(node: Node, viewer: Viewer, path: str | Path) -> MispImport:
    from pantau.interop.misp import MispInputError, read
    from pantau.nlp.pipeline import extract
    from pantau.services.kb import fuse_quietly
    from pantau.services.publish import publish_extraction

    try:
        docs = read(path)
    except MispInputError as exc:
        raise InputError(str(path), str(exc)) from None
    out = MispImport()
    for d in docs:
        ex = extract(d.text, published=d.published, title=d.title)
        res = publish_extraction(node, viewer, d.text, ex, tlp=d.tlp, title=d.title, publisher=d.publisher,
                                 source=f"misp:{d.uuid}")
        if res.status == "duplicate":
            out.duplicates += 1
            continue
        out.added.append(int(res.document_id or 0))
        out.by_marking[d.tlp.value] = out.by_marking.get(d.tlp.value, 0) + 1
    if out.added:
        fuse_quietly(node)  # type: ignore[arg-type]
    return out
