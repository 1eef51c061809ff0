"""Bookkeeping of detection runs: start, finish, and which event files have been seen.

A run that never finished (a crash, or a transaction rolled back) does not count as having
processed its files, so the next run looks at them again: evidence is never skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.service import UpsertCounts
from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.detection_runs.models import DetectionRun, DetectionRunRecord


def start_run(session: Session, *, started_at: datetime | None = None) -> str:
    """Record the start of a run; returns its id (sortable by start time, then random)."""
    started = as_utc(started_at, "started_at") if started_at is not None else utc_now()
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    session.add(DetectionRunRecord(run_id=run_id, started_at=started))
    session.flush()
    return run_id


def finish_run(
    session: Session,
    *,
    run_id: str,
    counts: UpsertCounts | Mapping[str, int],
    sql: Mapping[str, str],
    versions: Mapping[str, str],
    files: Iterable[str],
    finished_at: datetime | None = None,
) -> DetectionRun:
    """Record what the run used and did: counts, compiled SQL per scenario, versions, files.

    ``files`` are the event-store files (paths relative to the store) the run processed.
    """
    row = session.get(DetectionRunRecord, run_id)
    if row is None:
        raise ValueError(f"no detection run {run_id!r}; call start_run first")
    row.counts = counts.as_dict() if isinstance(counts, UpsertCounts) else dict(counts)
    row.compiled_sql = dict(sql)
    row.scenario_versions = dict(versions)
    row.event_files = sorted(set(files))
    row.finished_at = as_utc(finished_at, "finished_at") if finished_at is not None else utc_now()
    session.flush()
    return DetectionRun.from_record(row)


def processed_event_files(session: Session) -> set[str]:
    """Every event file some finished run has processed."""
    query = sa.select(DetectionRunRecord.event_files).where(
        DetectionRunRecord.finished_at.is_not(None)
    )
    seen: set[str] = set()
    for files in session.scalars(query):
        seen.update(files or ())
    return seen


def list_runs(session: Session, *, limit: int | None = None) -> list[DetectionRun]:
    """Runs, newest first."""
    query = sa.select(DetectionRunRecord).order_by(
        DetectionRunRecord.started_at.desc(), DetectionRunRecord.run_id.desc()
    )
    if limit is not None:
        query = query.limit(limit)
    return [DetectionRun.from_record(row) for row in session.scalars(query)]


def latest_finished_run(session: Session) -> DetectionRun | None:
    """The most recent run that finished, or None before the first detection."""
    query = (
        sa.select(DetectionRunRecord)
        .where(DetectionRunRecord.finished_at.is_not(None))
        .order_by(DetectionRunRecord.finished_at.desc())
        .limit(1)
    )
    row = session.scalars(query).first()
    return DetectionRun.from_record(row) if row is not None else None
