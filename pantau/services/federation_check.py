"""Checks on every object a partner sends, before anything is stored: a partner is trusted with
nothing. An object that fails is skipped with a one-line reason; the rest of the page goes on.

What is refused: anything that is not a JSON object with a STIX `type` and `id` of the form
`type--uuid`; ids or types longer than the store keeps; nesting deeper than `MAX_DEPTH`; a
marking reference list that is not a list of strings; `granular_markings` that would mark a part
of the object stricter than the object itself (pantau keeps one marking per object, so such an
object is refused rather than stored under the weaker marking); timestamps that do not parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pantau.model.markings import TLP, TLP_IDS

MAX_ID = 200  # pulled_objects.stix_id / partner_documents.stix_id
MAX_TYPE = 64
MAX_DEPTH = 32
MAX_OBJECT_BYTES = 1024 * 1024
DEFAULT_MARKING = TLP.AMBER  # an object that carries no TLP marking is treated as AMBER
ORDER = list(TLP)
_BY_ID = {v: k for k, v in TLP_IDS.items()}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Refused(ValueError):
    """One partner object that is not taken, with the reason in one line."""

    def __init__(self, obj_id: str, reason: str) -> None:
        super().__init__(f"{obj_id}: {reason}")
        self.obj_id = obj_id
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Checked:
    obj: dict[str, Any]
    id: str
    type: str
    version: str  # `modified`, else `created`, else ""
    marking: TLP
    revoked: bool


def _depth(v: Any, limit: int) -> int:
    """Nesting depth of a JSON value, iteratively (a deep value must not exhaust the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(v, 1)]
    while stack:
        cur, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(cur, dict):
            stack.extend((x, d + 1) for x in cur.values())
        elif isinstance(cur, list):
            stack.extend((x, d + 1) for x in cur)
    return deepest


def _name(o: Any) -> str:
    if isinstance(o, dict) and isinstance(o.get("id"), str):
        return o["id"][:80] + ("…" if len(o["id"]) > 80 else "")
    return "an object"


def _timestamp(o: dict[str, Any], key: str, name: str) -> str:
    v = o.get(key)
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > 40:
        raise Refused(name, f"`{key}` is not a timestamp")
    try:
        datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(name, f"`{key}` is not a timestamp: {v[:40]!r}") from None
    return v


def marking_of(o: dict[str, Any], name: str) -> TLP:
    """The object's TLP 2.0 marking, honouring granular markings: a granular TLP marking stricter than
    the object's marking refuses the object (pantau keeps one marking per object)."""
    refs = o.get("object_marking_refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise Refused(name, "`object_marking_refs` must be a list of marking ids")
    found = [_BY_ID[r] for r in refs if r in _BY_ID]
    mark = max(found, key=ORDER.index) if found else DEFAULT_MARKING
    granular = o.get("granular_markings", [])
    if not isinstance(granular, list):
        raise Refused(name, "`granular_markings` must be a list")
    for g in granular:
        if not isinstance(g, dict) or not isinstance(g.get("selectors"), list):
            raise Refused(name, "a granular marking without selectors")
        ref = g.get("marking_ref")
        if ref is None and "lang" in g:
            continue  # a language marking, not a handling one
        if not isinstance(ref, str):
            raise Refused(name, "a granular marking without `marking_ref`")
        tlp = _BY_ID.get(ref)
        if tlp is None:
            raise Refused(name, f"a granular marking this node does not know ({ref[:80]})")
        if ORDER.index(tlp) > ORDER.index(mark):
            raise Refused(name, f"part of the object is marked TLP:{tlp.value}, stricter than the object "
                                f"(TLP:{mark.value}); pantau keeps one marking per object")
    return mark


def check(o: Any, size: int | None = None) -> Checked:
    """Validate one partner object; raises `Refused` with the reason."""
    name = _name(o)
    if not isinstance(o, dict):
        raise Refused(name, "not a JSON object")
    t, i = o.get("type"), o.get("id")
    if not isinstance(t, str) or not t or len(t) > MAX_TYPE:
        raise Refused(name, "missing or over-long `type`")
    if not isinstance(i, str) or len(i) > MAX_ID:
        raise Refused(name, f"missing `id` or longer than {MAX_ID} characters")
    if not _ID.match(i) or not i.startswith(t + "--"):
        raise Refused(name, "`id` is not of the form <type>--<uuid>")
    if _depth(o, MAX_DEPTH) > MAX_DEPTH:
        raise Refused(name, f"nested deeper than {MAX_DEPTH} levels")
    if size is not None and size > MAX_OBJECT_BYTES:
        raise Refused(name, f"larger than {MAX_OBJECT_BYTES} bytes")
    version = _timestamp(o, "modified", name) or _timestamp(o, "created", name)
    revoked = o.get("revoked", False)
    if not isinstance(revoked, bool):
        raise Refused(name, "`revoked` is not true or false")
    mark = marking_of(o, name)
    return Checked(o, i, t, version, mark, revoked)
