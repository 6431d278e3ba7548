"""Sanctions lists as reference data, in the FollowTheMoney model (`followthemoney`).

Loaders read the lists in their published formats: the UN Security Council consolidated list (XML),
OFAC's SDN list (XML or the CSV `sdn.csv`), the EU consolidated financial sanctions list (XML, FSF
export) and the UK OFSI consolidated list (CSV, `ConList.csv`). Every listed party becomes a Person,
Organization or Vessel (with its IMO number) and a Sanction entity pointing at it (authority,
program, listing date). Loading a list replaces that list (a delisted entry disappears).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pantau.exc import InputError

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

    from pantau.services.store import Store

FORMATS = ("un", "ofac", "eu", "uk")
AUTHORITY = {"un": "United Nations Security Council", "ofac": "US Treasury OFAC",
             "eu": "European Union", "uk": "UK OFSI"}
OFFICIAL = {
    "un": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    "ofac": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML",
    "eu": "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
    "uk": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
}
IMO_RE = re.compile(r"\bIMO(?:\s*(?:number|no\.?|#))?[\s:.)]*(\d{7})\b", re.I)
PARTY_SCHEMATA = ("Person", "Organization", "Vessel", "LegalEntity", "Company")


def imo_valid(number: str) -> bool:
    """The IMO ship number's check digit (the 7th digit is the sum of digits 1-6 times 7..2, mod 10)."""
    if not re.fullmatch(r"\d{7}", number):
        return False
    return sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True)) % 10 == int(number[6])


@dataclass(slots=True)
class Party:
    """One listed party as read from a list, before it becomes FtM entities."""

    ref: str
    schema: str
    names: list[str]
    program: str = ""
    listing_date: str | None = None
    reason: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    imo: str | None = None
    flag: str | None = None
    aliases: tuple[str, ...] = ()


def to_entities(list_name: str, parties: Iterable[Party]) -> list[EntityProxy]:
    from followthemoney import model

    out = []
    for p in parties:
        e = model.make_entity(p.schema)
        e.make_id(list_name, p.ref)
        names = [n for n in p.names if n and n.strip()]
        if not names:
            continue
        e.add("name", names[0])
        for n in names[1:]:
            e.add("alias", n)
        e.add("alias", list(p.aliases))
        e.add("topics", "sanction")
        e.add("program", p.program or None)
        e.add("programId", p.program or None)
        if p.schema == "Person":
            e.add("firstName", p.first_name)
            e.add("lastName", p.last_name)
            e.add("birthDate", p.birth_date, quiet=True)
            e.add("nationality", p.nationality, quiet=True, fuzzy=True)
        if p.schema == "Vessel":
            if p.imo:
                e.add("imoNumber", f"IMO{p.imo}", quiet=True)
            e.add("flag", p.flag, quiet=True, fuzzy=True)
        s = model.make_entity("Sanction")
        s.make_id(list_name, p.ref, "sanction")
        s.add("entity", e.id)
        s.add("authority", AUTHORITY[list_name])
        s.add("authorityId", p.ref)
        s.add("program", p.program or None)
        s.add("listingDate", p.listing_date, quiet=True)
        s.add("reason", p.reason)
        out += [e, s]
    return out


# -- readers ---------------------------------------------------------------------------------------------
def _xml(name: str, data: bytes, root_tag: str, what: str) -> Any:
    """The root element of a list file, which must be `root_tag`; InputError naming the file otherwise."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(name, f"not well-formed XML ({exc})") from exc
    if _local(root) != root_tag:
        raise InputError(name, f"not {what} (root element {_local(root)}, expected {root_tag})")
    return root


def _local(el: Any) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _kid(el: Any, tag: str) -> str | None:
    for c in el:
        if _local(c) == tag and c.text and c.text.strip():
            return c.text.strip()
    return None


def _find_imo(*texts: str | None) -> str | None:
    for t in texts:
        for m in IMO_RE.finditer(t or ""):
            if imo_valid(m.group(1)):
                return m.group(1)
    return None


def read_un(name: str, data: bytes) -> list[Party]:
    root = _xml(name, data, "CONSOLIDATED_LIST", "a UN consolidated list")
    out = []
    for el in root.iter():
        kind = _local(el)
        if kind not in ("INDIVIDUAL", "ENTITY"):
            continue
        parts = [_kid(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        whole = " ".join(p for p in parts if p)
        aliases = [_kid(a, "ALIAS_NAME") for a in el if _local(a) in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS")]
        comments = _kid(el, "COMMENTS1")
        imo = _find_imo(comments, whole)
        schema = "Person" if kind == "INDIVIDUAL" else ("Vessel" if imo else "Organization")
        nat = next((_kid(n, "VALUE") for n in el if _local(n) == "NATIONALITY"), None)
        dob = next((_kid(d, "DATE") or _kid(d, "YEAR") for d in el if _local(d) == "INDIVIDUAL_DATE_OF_BIRTH"), None)
        out.append(Party(ref=_kid(el, "REFERENCE_NUMBER") or _kid(el, "DATAID") or whole, schema=schema,
                         names=[whole, *(a for a in aliases if a)], program=_kid(el, "UN_LIST_TYPE") or "",
                         listing_date=_kid(el, "LISTED_ON"), reason=comments, first_name=parts[0],
                         last_name=" ".join(p for p in parts[1:] if p) or None, birth_date=dob, nationality=nat,
                         imo=imo))
    return out


def read_ofac(name: str, data: bytes) -> list[Party]:
    if data.lstrip()[:1] == b"<":
        return _read_ofac_xml(name, data)
    return _read_ofac_csv(name, data)


def _read_ofac_xml(name: str, data: bytes) -> list[Party]:
    root = _xml(name, data, "sdnList", "an OFAC SDN list")
    out = []
    for el in root:
        if _local(el) != "sdnEntry":
            continue
        first, last, typ = _kid(el, "firstName"), _kid(el, "lastName"), (_kid(el, "sdnType") or "Entity")
        whole = " ".join(x for x in (first, last) if x)
        programs = [p.text.strip() for pl in el if _local(pl) == "programList" for p in pl if p.text]
        akas = []
        for al in el:
            if _local(al) == "akaList":
                for aka in al:
                    akas.append(" ".join(x for x in (_kid(aka, "firstName"), _kid(aka, "lastName")) if x))
        ids = [(_kid(i, "idType") or "", _kid(i, "idNumber") or "") for il in el if _local(il) == "idList" for i in il]
        imo = _find_imo(*(f"{t} {n}" if "IMO" in n.upper() else f"IMO {n}" if "vessel" in t.lower() else n
                          for t, n in ids))
        flag = next((_kid(v, "vesselFlag") for v in el if _local(v) == "vesselInfo"), None)
        schema = {"Individual": "Person", "Vessel": "Vessel"}.get(typ, "Organization")
        out.append(Party(ref=_kid(el, "uid") or whole, schema=schema, names=[whole, *akas],
                         program=";".join(programs), first_name=first if schema == "Person" else None,
                         last_name=last if schema == "Person" else None, imo=imo, flag=flag))
    return out


def _read_ofac_csv(name: str, data: bytes) -> list[Party]:
    text = data.decode("utf-8-sig", "replace")
    out = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not row[0].strip():
            continue
        if len(row) < 12 or not row[0].strip().isdigit():
            raise InputError(f"{name}:{n}", "not an OFAC sdn.csv row (12 columns, the first a number)")
        row = [None if c.strip() in ("-0-", "") else c.strip() for c in row]
        ent, sdn_name, typ, program = row[0], row[1] or "", (row[2] or "").lower(), row[3] or ""
        remarks, flag = row[11], row[9]
        schema = "Person" if typ == "individual" else "Vessel" if typ == "vessel" else "Organization"
        last, _, first = sdn_name.partition(", ")
        names = [f"{first} {last}".strip() if schema == "Person" and first else sdn_name]
        akas = [" ".join(reversed(a.split(", ", 1))) if schema == "Person" else a
                for a in re.findall(r"a\.k\.a\. '([^']+)'", remarks or "")]
        out.append(Party(ref=str(ent), schema=schema, names=[*names, *akas], program=";".join(x.strip("[] ") for x in program.split("] [")),
                         first_name=first or None if schema == "Person" else None,
                         last_name=last if schema == "Person" else None, imo=_find_imo(remarks), flag=flag,
                         reason=remarks))
    return out


def read_eu(name: str, data: bytes) -> list[Party]:
    root = _xml(name, data, "export", "an EU consolidated list")
    out = []
    for el in root:
        if _local(el) != "sanctionEntity":
            continue
        code = next((s.get("code") for s in el if _local(s) == "subjectType"), "enterprise")
        names = [a.get("wholeName") for a in el if _local(a) == "nameAlias" and a.get("wholeName")]
        first_alias = next((a for a in el if _local(a) == "nameAlias"), None)
        idents = [f"{i.get('identificationTypeDescription') or i.get('identificationTypeCode') or ''}: "
                  f"{i.get('number') or ''}" for i in el if _local(i) == "identification"]
        remark = _kid(el, "remark")
        imo = _find_imo(*(t if "imo" in t.lower() else "" for t in idents), remark)
        reg = next((r for r in el if _local(r) == "regulation"), None)
        schema = "Person" if code == "person" else "Vessel" if imo else "Organization"
        out.append(Party(ref=el.get("euReferenceNumber") or el.get("logicalId") or names[0], schema=schema,
                         names=names, program=(reg.get("programme") if reg is not None else "") or "",
                         listing_date=reg.get("publicationDate") if reg is not None else None, reason=remark,
                         first_name=first_alias.get("firstName") or None if first_alias is not None else None,
                         last_name=first_alias.get("lastName") or None if first_alias is not None else None,
                         birth_date=next((b.get("birthdate") for b in el if _local(b) == "birthdate"), None),
                         imo=imo))
    return out


def read_uk(name: str, data: bytes) -> list[Party]:
    lines = data.decode("utf-8-sig", "replace").splitlines()
    if lines and lines[0].lower().startswith("last updated"):
        lines = lines[1:]
    rows = list(csv.DictReader(lines))
    if not rows or "Group ID" not in rows[0] or "Name 6" not in rows[0]:
        raise InputError(name, "not a UK OFSI consolidated list (expected the ConList.csv columns: Name 6, ..., Group ID)")
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        groups.setdefault(r["Group ID"].strip(), []).append(r)
    out = []
    for gid, rs in groups.items():
        rs.sort(key=lambda r: (r.get("Alias Type") or "") != "Primary name")
        head = rs[0]
        typ = (head.get("Group Type") or "").strip().lower()
        names = []
        for r in rs:
            given = " ".join(r.get(f"Name {i}", "").strip() for i in range(1, 6) if r.get(f"Name {i}", "").strip())
            names.append(f"{given} {r['Name 6'].strip()}".strip())
        imo = (head.get("IMO number") or "").strip() or _find_imo(head.get("Other Information"))
        schema = "Person" if typ == "individual" else "Vessel" if typ == "ship" or imo else "Organization"
        out.append(Party(ref=gid, schema=schema, names=names, program=(head.get("Regime") or "").strip(),
                         listing_date=_uk_date(head.get("Listed On")), reason=head.get("Other Information") or None,
                         first_name=(head.get("Name 1") or "").strip() or None if schema == "Person" else None,
                         last_name=head["Name 6"].strip() if schema == "Person" else None,
                         birth_date=_uk_date(head.get("DOB")), nationality=(head.get("Nationality") or None),
                         imo=imo or None))
    return out


def _uk_date(v: str | None) -> str | None:
    m = re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", (v or "").strip())
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m and m.group(1) != "00" else None


READERS = {"un": read_un, "ofac": read_ofac, "eu": read_eu, "uk": read_uk}


def read(name: str, data: bytes, fmt: str) -> list[EntityProxy]:
    if fmt not in READERS:
        raise InputError(name, f"unknown list format {fmt!r}; expected one of {', '.join(FORMATS)}")
    parties = READERS[fmt](name, data)
    if not parties:
        raise InputError(name, f"no listed parties found in this {fmt} list")
    return to_entities(fmt, parties)


# -- the store ----------------------------------------------------------------------------------------------
def load(store: Store, path: str | Path, fmt: str) -> dict[str, int]:
    """Read a list file and replace that list in the store (one transaction). Returns counts per schema."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "no such file")
    return load_bytes(store, str(path), p.read_bytes(), fmt)


def load_bytes(store: Store, name: str, data: bytes, fmt: str) -> dict[str, int]:
    from pantau.storage import lists_io

    ents = read(name, data, fmt)
    with store.engine.begin() as conn:
        lists_io.replace_list(conn, fmt, [(e.id, e.schema.name, e.caption, e.to_dict()) for e in ents])
    return dict(Counter(e.schema.name for e in ents))


def counts(store: Store) -> list[dict[str, Any]]:
    from pantau.storage import lists_io

    with store.engine.connect() as conn:
        return lists_io.counts(conn)


def entities(store: Store, list_name: str | None = None) -> list[dict[str, Any]]:
    """The FtM entity dicts of one list (or all)."""
    from pantau.storage import lists_io

    with store.engine.connect() as conn:
        return lists_io.entity_dicts(conn, list_name)


def export_jsonl(store: Store, list_name: str | None = None) -> Iterator[str]:
    """FollowTheMoney JSON lines (what `ftm` tools and yente read)."""
    for d in entities(store, list_name):
        yield json.dumps(d, ensure_ascii=False, sort_keys=True)


def sync(store: Store, lists: Iterable[str] = FORMATS, *, timeout: float | None = None) -> dict[str, dict[str, int]]:
    """Download the lists from their official addresses and load them. Offline: an InputError
    naming the address and the reason (nothing is changed)."""
    import httpx

    out = {}
    for fmt in lists:
        url = OFFICIAL[fmt]
        try:
            r = httpx.get(url, timeout=timeout or store.settings.http_timeout, follow_redirects=True,
                          headers={"User-Agent": store.settings.user_agent})
        except httpx.HTTPError as exc:
            raise InputError(url, f"cannot download the {fmt} list ({type(exc).__name__}: {exc}); "
                                  f"is this node online? Load a downloaded file with `pantau lists load`") from exc
        if r.status_code != 200:
            raise InputError(url, f"cannot download the {fmt} list (HTTP {r.status_code})")
        out[fmt] = load_bytes(store, url, r.content, fmt)
    return out
