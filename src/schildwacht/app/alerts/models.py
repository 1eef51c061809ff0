"""The ``alerts`` table and the read model the CLI, exports and web app use.

Evidence (subjects, scenarios, events, reasons, summaries) is stored as JSON lists because it
is always read and written whole with its alert; only what is filtered or sorted on (score,
employee, status) are real columns with indexes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime
from schildwacht.detect.model import Reason


class AlertStatus(StrEnum):
    """Workflow states of an alert. Suppression is not a state: suppressed evidence never
    becomes an alert."""

    nieuw = "nieuw"  # new, not yet looked at
    in_onderzoek = "in_onderzoek"  # under investigation
    afgesloten = "afgesloten"  # closed, with a resolution


class AlertRecord(Base):
    __tablename__ = "alerts"

    alert_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    employee_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    subject_bsns: Mapped[list[str]] = mapped_column(sa.JSON)
    scenarios: Mapped[list[str]] = mapped_column(sa.JSON)
    score: Mapped[float] = mapped_column(sa.Float, index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    event_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    summary_nl: Mapped[str] = mapped_column(sa.Text)
    summary_en: Mapped[str] = mapped_column(sa.Text)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    scenario_versions: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(32), default=AlertStatus.nieuw.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_detection_run_id: Mapped[str | None] = mapped_column(
        sa.String(64), sa.ForeignKey("detection_runs.run_id")
    )
    evidence_hash: Mapped[str] = mapped_column(sa.String(64))
    # the employee's department when detection last saw the alert: the queue filters on it
    department: Mapped[str | None] = mapped_column(sa.String(128))
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.user_id"), index=True)


sa.Index(
    "ix_alerts_queue",
    AlertRecord.score.desc(),
    AlertRecord.alert_id,
    AlertRecord.status,
    AlertRecord.department,
    AlertRecord.first_seen,
    AlertRecord.last_seen,
    AlertRecord.assignee_id,
)
"""The queue's covering index: walked in the queue's order (score descending), filtered on
the columns it carries, so a filtered page reads index entries only, then 50 rows by key."""


class AlertScenarioRecord(Base):
    """One row per (alert, scenario): lets the queue filter on a scenario with an index
    instead of reading every alert's JSON list."""

    __tablename__ = "alert_scenarios"

    alert_id: Mapped[str] = mapped_column(
        sa.ForeignKey("alerts.alert_id", ondelete="CASCADE"), primary_key=True
    )
    scenario: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class AlertSubjectRecord(Base):
    """One row per (alert, subject): finds related alerts about the same person by index."""

    __tablename__ = "alert_subjects"

    alert_id: Mapped[str] = mapped_column(
        sa.ForeignKey("alerts.alert_id", ondelete="CASCADE"), primary_key=True
    )
    subject_bsn: Mapped[str] = mapped_column(sa.String(9), primary_key=True, index=True)


@dataclass(frozen=True)
class Alert:
    """A stored alert, detached from the session: safe to pass to templates and exports."""

    alert_id: str
    employee_id: str
    subject_bsns: tuple[str, ...]
    scenarios: tuple[str, ...]
    score: float
    first_seen: datetime
    last_seen: datetime
    event_ids: tuple[str, ...]
    summary_nl: str
    summary_en: str
    reasons: tuple[Reason, ...]
    scenario_versions: dict[str, str]
    status: str
    created_at: datetime
    updated_at: datetime
    last_detection_run_id: str | None
    evidence_hash: str
    department: str | None = None
    assignee_id: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Alert:
        """From a row of the ``alerts`` table (a Core result mapping: no ORM overhead)."""
        return cls(
            alert_id=row["alert_id"],
            employee_id=row["employee_id"],
            subject_bsns=tuple(row["subject_bsns"]),
            scenarios=tuple(row["scenarios"]),
            score=row["score"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            event_ids=tuple(row["event_ids"]),
            summary_nl=row["summary_nl"],
            summary_en=row["summary_en"],
            reasons=tuple(Reason(**r) for r in row["reasons"]),
            scenario_versions=dict(row["scenario_versions"]),
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            last_detection_run_id=row["last_detection_run_id"],
            evidence_hash=row["evidence_hash"],
            department=row.get("department"),
            assignee_id=row.get("assignee_id"),
        )
