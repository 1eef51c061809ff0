"""Storing detection's alert candidates and reading alerts back.

An alert keeps its id across runs (detection derives it from the employee and subject, or the
volume key), so a re-run updates the alert rather than adding a twin. Whether anything changed
is decided by a hash of the evidence: unchanged evidence writes nothing at all, not even
``updated_at``, so "re-running on unchanged data changes nothing" holds by construction and a
privacy officer's workflow status is never disturbed.

Services never commit; the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.export import write_export
from schildwacht.app.alerts.models import (
    Alert,
    AlertRecord,
    AlertScenarioRecord,
    AlertStatus,
    AlertSubjectRecord,
)
from schildwacht.app.base import as_utc, utc_now
from schildwacht.detect.model import AlertCandidate
from schildwacht.errors import UserError

EXPORT_FORMATS = ("jsonl", "csv")
_CHUNK = 500  # ids per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class UpsertCounts:
    """What one detection run did to the alert table (recorded with the run)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _content(candidate: AlertCandidate) -> dict[str, Any]:
    """The candidate's stored columns in their JSON form (what is written and hashed).

    Passing reasons through JSON here makes the hash and the stored value agree, whatever
    types detection put in a reason's ``details``.
    """
    reasons = [
        {
            "scenario": r.scenario,
            "code": r.code,
            "text_nl": r.text_nl,
            "text_en": r.text_en,
            "points": r.points,
            "details": r.details,
        }
        for r in candidate.reasons
    ]
    return {
        "employee_id": candidate.employee_id,
        "subject_bsns": list(candidate.subject_bsns),
        "scenarios": list(candidate.scenarios),
        "score": float(candidate.score),
        "first_seen": as_utc(candidate.first_seen, f"{candidate.alert_id}: first_seen"),
        "last_seen": as_utc(candidate.last_seen, f"{candidate.alert_id}: last_seen"),
        "event_ids": list(candidate.event_ids),
        "summary_nl": candidate.summary_nl,
        "summary_en": candidate.summary_en,
        "reasons": json.loads(json.dumps(reasons, default=str)),
        "scenario_versions": dict(candidate.scenario_versions),
    }


def _hash(content: dict[str, Any]) -> str:
    """A SHA-256 over everything detection says about the alert (not its workflow state).

    The score is rounded to six decimals so that floating-point noise from a different
    summation order does not count as new evidence.
    """
    payload = {
        **content,
        "score": round(content["score"], 6),
        "first_seen": content["first_seen"].isoformat(),
        "last_seen": content["last_seen"].isoformat(),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_hash(candidate: AlertCandidate) -> str:
    """The hash ``upsert_alerts`` compares to decide whether an alert's evidence changed."""
    return _hash(_content(candidate))


def _deduplicate(candidates: Iterable[AlertCandidate]) -> dict[str, AlertCandidate]:
    unique: dict[str, AlertCandidate] = {}
    for candidate in candidates:
        seen = unique.get(candidate.alert_id)
        if seen is None:
            unique[candidate.alert_id] = candidate
        elif seen != candidate:
            raise ValueError(
                f"two different candidates share alert_id {candidate.alert_id!r}; "
                "detection must combine evidence per alert before storing it"
            )
    return unique


def _stored_hashes(session: Session, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = sa.select(AlertRecord.alert_id, AlertRecord.evidence_hash).where(
            AlertRecord.alert_id.in_(chunk)
        )
        found.update({alert_id: digest for alert_id, digest in session.execute(query)})
    return found


def upsert_alerts(
    session: Session,
    *,
    candidates: Sequence[AlertCandidate],
    run_id: str,
    now: datetime | None = None,
    departments: Mapping[str, str | None] | None = None,
) -> UpsertCounts:
    """Insert new alerts and update those whose evidence changed; keep workflow status.

    ``run_id`` must come from ``start_run`` (it is a foreign key). Candidates with the same
    ``alert_id`` must be identical; two different ones are a detection bug and raise
    ``ValueError``. Alerts absent from ``candidates`` are left alone: an incremental run only
    sees new evidence, so absence means nothing new, not that the alert went away.

    Rows are written in bulk (one executemany per kind), not as ORM objects: a first run
    on a large municipality stores tens of thousands of alerts. ``departments`` maps
    employee ids to their department, kept on the alert for the queue's filter.
    """
    stamp = as_utc(now, "now") if now is not None else utc_now()
    unique = _deduplicate(candidates)
    stored = _stored_hashes(session, sorted(unique))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for alert_id, candidate in unique.items():
        content = _content(candidate)
        digest = _hash(content)
        previous = stored.get(alert_id)
        if previous == digest:
            unchanged += 1
            continue
        row = {
            "alert_id": alert_id,
            **content,
            "department": (departments or {}).get(candidate.employee_id),
            "updated_at": stamp,
            "last_detection_run_id": run_id,
            "evidence_hash": digest,
        }
        if previous is None:
            inserts.append({**row, "status": AlertStatus.nieuw.value, "created_at": stamp})
        else:
            updates.append(row)
    if inserts:
        session.execute(sa.insert(AlertRecord), inserts)
    if updates:
        session.execute(sa.update(AlertRecord), updates)  # by primary key; status untouched
    _index_scenarios(session, inserts + updates)
    return UpsertCounts(new=len(inserts), updated=len(updates), unchanged=unchanged)


def _index_scenarios(session: Session, rows: list[dict[str, Any]]) -> None:
    """Keep ``alert_scenarios`` and ``alert_subjects`` in step with the written alerts."""
    if not rows:
        return
    ids = [r["alert_id"] for r in rows]
    links: tuple[tuple[Any, str, str], ...] = (
        (AlertScenarioRecord.__table__, "scenario", "scenarios"),
        (AlertSubjectRecord.__table__, "subject_bsn", "subject_bsns"),
    )
    for table, column, field in links:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            session.execute(sa.delete(table).where(table.c.alert_id.in_(chunk)))
        pairs = [{"alert_id": r["alert_id"], column: v} for r in rows for v in set(r[field])]
        if pairs:
            session.execute(sa.insert(table), pairs)


def get_alert(session: Session, *, alert_id: str) -> Alert | None:
    query = sa.select(AlertRecord.__table__).where(AlertRecord.alert_id == alert_id)
    row = session.execute(query).mappings().first()
    return Alert.from_row(row) if row is not None else None


def list_alerts(
    session: Session,
    *,
    top: int | None = None,
    scenario: str | None = None,
    min_score: float | None = None,
) -> list[Alert]:
    """Alerts, highest score first, ties broken by ``alert_id`` so the order is stable.

    The scenario filter runs in Python because "JSON list contains" is spelled differently
    on every database; the score filter and the order run in the database.
    """
    table = AlertRecord.__table__
    query = sa.select(table).order_by(table.c.score.desc(), table.c.alert_id)
    if min_score is not None:
        query = query.where(table.c.score >= min_score)
    if top is not None and scenario is None:
        query = query.limit(top)
    alerts: list[Alert] = []
    for row in session.execute(query).mappings():
        if scenario is not None and scenario not in row["scenarios"]:
            continue
        alerts.append(Alert.from_row(row))
        if top is not None and len(alerts) >= top:
            break
    return alerts


def export_alerts(session: Session, *, fmt: str, output: Path) -> int:
    """Write every alert in the contract's export format; returns how many were written.

    ``fmt`` is ``jsonl`` or ``csv``. Highest score first, as the contract requires.
    """
    if fmt not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    alerts = list_alerts(session)
    write_export(alerts, fmt=fmt, output=output)
    return len(alerts)
