"""The ``detection_runs`` table: one row per ``schildwacht detect``, for accountability.

A privacy officer must be able to say which rule version and which exact query produced an
alert; the run also lists the event-store files it processed, so the next run can look for new
evidence only in files it has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime


class DetectionRunRecord(Base):
    __tablename__ = "detection_runs"

    run_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scenario_versions: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    compiled_sql: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    counts: Mapped[dict[str, int] | None] = mapped_column(sa.JSON)
    event_files: Mapped[list[str] | None] = mapped_column(sa.JSON)


@dataclass(frozen=True)
class DetectionRun:
    """A detection run as read back; ``finished_at`` is None for a run that never finished."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None
    scenario_versions: dict[str, str]
    compiled_sql: dict[str, str]
    counts: dict[str, int]
    event_files: tuple[str, ...]

    @classmethod
    def from_record(cls, row: DetectionRunRecord) -> DetectionRun:
        return cls(
            run_id=row.run_id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            scenario_versions=dict(row.scenario_versions or {}),
            compiled_sql=dict(row.compiled_sql or {}),
            counts=dict(row.counts or {}),
            event_files=tuple(row.event_files or ()),
        )
