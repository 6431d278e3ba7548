"""Alerts: saved rules evaluated on every new or changed fused event, delivered over the live stream,
signed webhooks and e-mail.

Every rule belongs to a user (its recipient). A fused event is evaluated as *that user* sees it
(`kbview.fused_views` with the user's viewer, which applies the access rule of `services.access`): a
fused event the recipient may not see is never delivered, and one the recipient sees only in part is
judged and described by that part alone.

The dispatcher reads the change log from a stored position (so nothing is missed or sent twice
across restarts); each (rule, fused event, channel) is delivered at most once (`alert_deliveries`,
the delivery log). Webhooks are POSTed as JSON with `X-Pantau-Signature: sha256=<HMAC-SHA256 of the
body with the rule's secret>`, retried with exponential back-off on failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from pantau.exc import InputError, NotFound
from pantau.storage import alerts_io

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store

log = logging.getLogger("pantau.alerts")

GRADE_RE = re.compile(r"^[A-F][1-6]$")
SIGNATURE_HEADER = "X-Pantau-Signature"


# -- rules ------------------------------------------------------------------------------------------------
def add_rule(store: Store, *, user: str | int, name: str, actor: str | None = None, event_type: str | None = None,
             provision: str | None = None, designated: str | None = None, min_grade: str | None = None,
             text: str | None = None, webhook: str | None = None, secret: str | None = None,
             email: str | None = None, stream: bool = True) -> dict[str, Any]:
    """Save a rule. At least one condition and one channel; a webhook gets a secret (generated when not given)."""
    if min_grade is not None:
        min_grade = min_grade.strip().upper()
        if not GRADE_RE.match(min_grade):
            raise InputError("--min-grade", f"{min_grade!r}: expected a grade such as B2 (A-F, 1-6)")
    if not any((actor, event_type, provision, designated, min_grade, text)):
        raise InputError(name, "a rule needs at least one condition (actor, type, provision, designated, grade, text)")
    if webhook and not webhook.startswith(("http://", "https://")):
        raise InputError("--webhook", f"{webhook!r}: not an http(s) URL")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        raise InputError("--email", f"{email!r}: not an e-mail address")
    if not (webhook or email or stream):
        raise InputError(name, "a rule needs a channel (--webhook, --email or the live stream)")
    with store.engine.begin() as conn:
        uid = alerts_io.user_id(conn, user)
        if uid is None:
            raise NotFound(f"no user {user!r} (see `pantau users`)")
        rid = alerts_io.add_rule(conn, {
            "name": name, "user_id": uid, "actor": actor, "event_type": event_type.upper() if event_type else None,
            "provision": provision, "designated": designated, "min_grade": min_grade, "text": text,
            "webhook_url": webhook, "webhook_secret": (secret or secrets.token_hex(16)) if webhook else None,
            "email": email, "stream": stream})
        return next(r for r in alerts_io.rules(conn) if r["id"] == rid)


def list_rules(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return alerts_io.rules(conn)


def remove_rule(store: Store, rule_id: int) -> None:
    with store.engine.begin() as conn:
        if not alerts_io.remove_rule(conn, rule_id):
            raise NotFound(f"no alert rule {rule_id}")


def deliveries(store: Store, rule_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return alerts_io.deliveries(conn, rule_id, limit)


# -- evaluation -------------------------------------------------------------------------------------------
def grade_at_least(grade: str | None, minimum: str) -> bool:
    """'B2' meets 'C3' (reliability A best, credibility 1 best); F/6 mean 'cannot be judged'."""
    if not grade or not GRADE_RE.match(grade):
        return False
    return grade[0] <= minimum[0] and grade[1] <= minimum[1]


@dataclass(slots=True)
class Seen:
    """A fused event as the recipient sees it: what rules are judged on and deliveries carry."""

    fused: dict[str, Any]
    roots: set[str]
    actors: set[str]
    texts: list[str]
    incidents: list[dict[str, Any]]
    designations: list[dict[str, Any]]

    def payload(self, rule: dict[str, Any]) -> dict[str, Any]:
        f = self.fused
        return {"rule": {"id": rule["id"], "name": rule["name"]},
                "fused_event": {k: _plain(f.get(k)) for k in ("id", "type", "source", "target", "date_start",
                                                               "date_end", "grade", "reports", "marking")},
                "incidents": [{"id": i["id"], "provision": i["provision_id"], "resolution": i["resolution"],
                               "paragraph": i["paragraph"], "status": i["status"]} for i in self.incidents],
                "designations": [{"list": d["list"], "entity_id": d["entity_id"], "caption": d["caption"],
                                  "schema": d["schema"], "mention": d["mention"], "score": d["score"]}
                                 for d in self.designations],
                "evidence": self.texts[:3]}


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def seen_by(conn: Any, fused_id: int, viewer: Viewer) -> Seen | None:
    """The fused event as `viewer` sees it, or None when it may not see it at all."""
    from pantau.services.kbview import fused_views
    from pantau.storage import kb_io

    views = fused_views(conn, kb_io.fused_rows(conn, [fused_id]), viewer)
    v = views.get(fused_id)
    if v is None:
        return None
    docs = sorted({int(e.doc_id) for e in v.evidence})
    incs = [i for i in alerts_io.incidents_of(conn, fused_id) if v.shows_incident(i["provision_id"])]
    desig = alerts_io.designations_in(conn, docs)
    desig += [d for i in incs for d in i["listings"]]
    row = v.row
    return Seen(fused=row, roots=set(v.source_roots) | set(v.target_roots),
                actors={str(a) for a in [*(row.get("source") or []), *(row.get("target") or [])]},
                texts=[e.text for e in v.evidence], incidents=incs, designations=desig)


def matches(rule: dict[str, Any], s: Seen) -> list[str] | None:
    """Why the rule fires for this view, or None."""
    why = []
    if rule["actor"]:
        a = rule["actor"].casefold()
        hit = [x for x in s.roots | s.actors if x.casefold() == a or (len(a) >= 4 and a in x.casefold())]
        if not hit:
            return None
        why.append(f"actor {', '.join(sorted(hit))}")
    if rule["event_type"]:
        types = {s.fused.get("type"), *(s.fused.get("types") or [])}
        if rule["event_type"] not in types:
            return None
        why.append(f"type {rule['event_type']}")
    if rule["provision"]:
        p = rule["provision"].casefold()
        hit = [i["provision_id"] for i in s.incidents if i["provision_id"].casefold() == p
               or i["provision_id"].casefold().startswith(p + "-")]
        if not hit:
            return None
        why.append(f"incident under {', '.join(sorted(set(hit)))}")
    if rule["designated"]:
        d = rule["designated"].casefold()
        hit = [x for x in s.designations if d == "any" or x["entity_id"] == rule["designated"]
               or d in x["caption"].casefold()]
        if not hit:
            return None
        why.append(f"designated party {', '.join(sorted({x['caption'] for x in hit}))}")
    if rule["min_grade"]:
        if not grade_at_least(s.fused.get("grade"), rule["min_grade"]):
            return None
        why.append(f"grade {s.fused.get('grade')} meets {rule['min_grade']}")
    if rule["text"]:
        t = rule["text"].casefold()
        if not any(t in x.casefold() for x in s.texts):
            return None
        why.append(f"evidence mentions {rule['text']!r}")
    return why


# -- delivery ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "pantau@localhost"
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpConfig:
        return cls(host=os.environ.get("PANTAU_SMTP_HOST", "127.0.0.1"),
                   port=int(os.environ.get("PANTAU_SMTP_PORT", "25")),
                   sender=os.environ.get("PANTAU_SMTP_FROM", "pantau@localhost"))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Dispatcher:
    def __init__(self, store: Store, *, smtp: SmtpConfig | None = None, retries: int = 3, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep, timeout: float = 10.0) -> None:
        self.store = store
        self.smtp = smtp or SmtpConfig.from_env()
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.timeout = timeout

    def run_once(self) -> int:
        """Evaluate the changes since the last run and deliver what is pending. Returns deliveries sent."""
        from pantau.services.identity import viewer_for_user

        with self.store.engine.begin() as conn:
            rules = alerts_io.rules(conn, active_only=True)
            if rules:
                pos = alerts_io.position(conn)
                fused, last = alerts_io.changed_fused(conn, pos)
                new: list[dict[str, Any]] = []
                viewers: dict[int, Viewer | None] = {}
                for rule in rules:
                    uid = rule["user_id"]
                    if uid not in viewers:
                        try:
                            viewers[uid] = viewer_for_user(conn, uid)
                        except NotFound:  # a deactivated user gets nothing
                            viewers[uid] = None
                for fid in fused:
                    cache: dict[int, Seen | None] = {}
                    for rule in rules:
                        viewer = viewers[rule["user_id"]]
                        if viewer is None:
                            continue
                        if rule["user_id"] not in cache:
                            cache[rule["user_id"]] = seen_by(conn, fid, viewer)
                        s = cache[rule["user_id"]]
                        if s is None:
                            continue
                        why = matches(rule, s)
                        if why is None:
                            continue
                        payload = {**s.payload(rule), "why": why}
                        for channel, target in (("webhook", rule["webhook_url"]), ("email", rule["email"]),
                                                ("stream", "stream" if rule["stream"] else None)):
                            if target:
                                new.append({"rule_id": rule["id"], "fused_event_id": fid, "channel": channel,
                                            "target": target, "status": "pending", "attempts": 0,
                                            "payload": payload, "created_at": datetime.now().astimezone()})
                alerts_io.add_deliveries(conn, new)
                alerts_io.set_position(conn, last)
            pending = alerts_io.pending_deliveries(conn)
        return sum(self._deliver(d) for d in pending)

    def _deliver(self, d: dict[str, Any]) -> bool:
        send = {"webhook": self._webhook, "email": self._email, "stream": self._stream}[d["channel"]]
        error = None
        attempts = d["attempts"]
        wait = self.backoff
        for i in range(self.retries + 1):
            attempts += 1
            try:
                send(d)
                error = None
                break
            except Exception as exc:  # noqa: BLE001 - any failure is logged and retried
                error = f"{type(exc).__name__}: {exc}"
                if i < self.retries:
                    self.sleep(wait)
                    wait *= 2
        ts = datetime.now().astimezone()
        with self.store.engine.begin() as conn:
            if error is None:
                alerts_io.finish_delivery(conn, d["id"], status="sent", attempts=attempts, sent_at=ts, last_error=None)
            else:
                log.warning("alert %s (%s to %s) failed: %s", d["id"], d["channel"], d["target"], error)
                alerts_io.finish_delivery(conn, d["id"], status="failed", attempts=attempts, last_error=error)
        return error is None

    def _body(self, d: dict[str, Any]) -> bytes:
        return json.dumps({"delivery": d["id"], **d["payload"]}, ensure_ascii=False, sort_keys=True,
                          default=str).encode("utf-8")

    def _webhook(self, d: dict[str, Any]) -> None:
        import httpx

        body = self._body(d)
        r = httpx.post(d["target"], content=body, timeout=self.timeout, headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(d["webhook_secret"] or "", body),
            "X-Pantau-Delivery": str(d["id"]), "User-Agent": self.store.settings.user_agent})
        if r.status_code >= 300:
            raise RuntimeError(f"HTTP {r.status_code}")

    def _email(self, d: dict[str, Any]) -> None:
        p = d["payload"]
        f = p["fused_event"]
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = d["target"]
        msg["Subject"] = f"[pantau] {p['rule']['name']}: {f['type']} fused event {f['id']} ({f['grade']})"
        lines = [f"Rule {p['rule']['name']!r} fired: {'; '.join(p['why'])}.", "",
                 f"Fused event {f['id']}: {f['type']} {', '.join(f['source'] or [])} -> {', '.join(f['target'] or [])}"
                 f", {f['date_start']}..{f['date_end']}, grade {f['grade']}, TLP:{f['marking']}"]
        lines += [f"Incident: UNSCR {i['resolution']} para {i['paragraph']} ({i['status']})" for i in p["incidents"]]
        lines += [f"Listed: {x['caption']} ({x['list'].upper()}), named as {x['mention']!r}" for x in p["designations"]]
        lines += ["", *(f"> {t}" for t in p["evidence"])]
        msg.set_content("\n".join(lines))
        with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout) as s:
            s.send_message(msg)

    def _stream(self, d: dict[str, Any]) -> None:
        import sqlalchemy as sa

        from pantau.services.sharing import record_change
        from pantau.storage.tables import users

        with self.store.engine.begin() as conn:
            org = conn.execute(sa.select(users.c.org_id).where(users.c.id == d["user_id"])).scalar_one()
            # only the rule's owner sees it: TLP:RED released to that user
            record_change(conn, "alerts", d["id"], "create", owner=org, tlp="RED",
                          release={"orgs": [], "groups": [], "users": [str(d["user_id"])]},
                          payload={"delivery": d["id"], **d["payload"]})

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # noqa: BLE001 - keep dispatching
                log.warning("alert dispatch failed: %s", exc)
            stop.wait(interval)
