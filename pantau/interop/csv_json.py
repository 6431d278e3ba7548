"""JSON and CSV exports of fused events and incidents (imports only `pantau.model`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from pantau.model.kb import FusedEvent, Incident

__all__ = ["to_json", "to_csv", "CSV_COLUMNS"]

CSV_COLUMNS = ["id", "type", "mode", "contexts", "source", "target", "source_roots", "target_roots", "location",
               "date_start", "date_end", "date_precision", "grade", "confidence", "reports", "independent_reports",
               "quantities", "incidents", "publishers", "tlp", "summary"]


def to_json(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = ()) -> str:
    """`{"schema": "pantau.kb/1", "fused_events": [...], "incidents": [...]}`."""
    doc: dict[str, Any] = {"schema": "pantau.kb/1", "fused_events": [f.to_dict() for f in fused],
                           "incidents": [i.to_dict() for i in incidents]}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


def to_csv(fused: Iterable[FusedEvent], incidents: Iterable[Incident] = ()) -> str:
    """One row per fused event; list cells joined with '; ', numbers as 'value unit (publisher)'."""
    by_event: dict[str, list[Incident]] = {}
    for inc in incidents:
        by_event.setdefault(inc.fused_event_id, []).append(inc)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in fused:
        w.writerow([
            f.id, f.type, f.mode or "", _join(f.contexts), _join(f.source), _join(f.target), _join(f.source_roots),
            _join(f.target_roots), f.location or "", f.date.start if f.date else "", f.date.end if f.date else "",
            f.date.precision if f.date else "", f.grade, "" if f.confidence is None else f.confidence,
            len(f.evidence), sum(e.independent for e in f.evidence),
            _join(f"{q.value} {q.unit} ({q.publisher or 'doc ' + q.doc_id})" for q in f.quantities),
            _join(f"{i.title} [{i.status}]" for i in by_event.get(f.id, [])),
            _join(dict.fromkeys(e.publisher or "?" for e in f.evidence)), str(f.tlp), f.summary,
        ])
    return buf.getvalue()
