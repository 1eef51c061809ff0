"""Append to and verify the hash-chained audit trail.

BIO 2 (8.15.05, 8.15.06) treats improper change or deletion of log data as a security
incident and asks for periodic checks that logs exist unchanged; VNG Verwerkingenlogging and
NEN 7513 treat reading logs as a processing that is itself logged. Every entry's hash covers
its own content and the previous entry's hash, and entries are numbered without gaps, so
``verify`` finds a changed, deleted, inserted or reordered entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.audit.models import AuditEntry, AuditRecord
from schildwacht.app.base import as_utc, utc_now

AUDIT_LOCK = 7513  # any constant; NEN 7513 is the Dutch standard for logging access
GENESIS = "0" * 64
"""The 'previous hash' of the first entry."""


def entry_hash(row: AuditRecord) -> str:
    """SHA-256 over the entry's content (canonical JSON) and the previous entry's hash."""
    content = {
        "seq": row.seq, "at": as_utc(row.at, "at").isoformat(), "actor": row.actor,
        "action": row.action, "target": row.target, "details": dict(row.details or {}),
        "client": row.client, "prev": row.prev_hash,
    }  # fmt: skip
    text = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    client: str | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Record one act; the caller's transaction decides whether it is kept.

    Appends are serialised so that two transactions never number an entry alike: SQLite
    transactions hold the write lock from their start (see ``db.py``); on PostgreSQL a
    transaction-scoped advisory lock does the same.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
    last = session.execute(
        sa.select(AuditRecord.seq, AuditRecord.entry_hash).order_by(AuditRecord.seq.desc()).limit(1)
    ).first()
    seq = (last.seq + 1) if last else 1
    prev = last.entry_hash if last else GENESIS
    at = as_utc(now, "now") if now is not None else utc_now()
    clean = json.loads(json.dumps(details or {}, default=str))
    row = AuditRecord(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        details=clean,
        client=client,
        prev_hash=prev,
    )
    row.entry_hash = entry_hash(row)
    session.add(row)
    session.flush()
    return AuditEntry.from_record(row)


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the whole chain."""

    ok: bool
    checked: int
    problem: str | None = None


def verify(session: Session) -> Verification:
    """Recompute every link; the first broken one is reported."""
    rows = session.execute(sa.select(AuditRecord).order_by(AuditRecord.seq)).scalars()
    prev, expected = GENESIS, 1
    checked = 0
    for row in rows:
        if row.seq != expected:
            return Verification(False, checked, f"entry {expected} is missing (next is {row.seq})")
        if row.prev_hash != prev:
            return Verification(
                False, checked, f"entry {row.seq} does not follow entry {row.seq - 1}"
            )
        digest = entry_hash(row)
        if digest != row.entry_hash:
            return Verification(False, checked, f"entry {row.seq} was changed after it was written")
        prev, expected, checked = row.entry_hash, expected + 1, checked + 1
    return Verification(True, checked)


def recent(session: Session, *, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
    """The newest entries first."""
    query = sa.select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
    if action:
        query = query.where(AuditRecord.action == action)
    return [AuditEntry.from_record(r) for r in session.execute(query).scalars()]
