"""The ``suppressions`` table and the plain ``Suppression`` value detection matches against.

Every suppression must name a target (scenario, employee, team, department or subject) and
an expiry date, and give a reason: the database checks the first two as well, so no route
around the service can store a suppression that silences everything, forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime

TARGET_COLUMNS = ("scenario", "employee_id", "team", "department", "subject_bsn")


class SuppressionRecord(Base):
    __tablename__ = "suppressions"
    __table_args__ = (
        sa.CheckConstraint(
            " OR ".join(f"{c} IS NOT NULL" for c in TARGET_COLUMNS), name="has_target"
        ),
        sa.CheckConstraint("reason <> ''", name="has_reason"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    scenario: Mapped[str | None] = mapped_column(sa.String(64))
    employee_id: Mapped[str | None] = mapped_column(sa.String(128))
    team: Mapped[str | None] = mapped_column(sa.String(128))
    department: Mapped[str | None] = mapped_column(sa.String(128))
    subject_bsn: Mapped[str | None] = mapped_column(sa.String(9))
    period_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.Text)
    expires_on: Mapped[date] = mapped_column(sa.Date, index=True)
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Suppression:
    """One suppression. Unset fields match anything; the period is half-open
    ``[period_start, period_end)``; it is active up to and including ``expires_on``."""

    id: int
    reason: str
    expires_on: date
    created_by: str
    created_at: datetime
    scenario: str | None = None
    employee_id: str | None = None
    team: str | None = None
    department: str | None = None
    subject_bsn: str | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None

    @classmethod
    def from_record(cls, row: SuppressionRecord) -> Suppression:
        return cls(
            id=row.id,
            reason=row.reason,
            expires_on=row.expires_on,
            created_by=row.created_by,
            created_at=row.created_at,
            scenario=row.scenario,
            employee_id=row.employee_id,
            team=row.team,
            department=row.department,
            subject_bsn=row.subject_bsn,
            period_start=row.period_start,
            period_end=row.period_end,
        )

    def target(self) -> str:
        """What the suppression covers, in one line (for tables and audit entries)."""
        parts = [f"{c}={getattr(self, c)}" for c in TARGET_COLUMNS if getattr(self, c)]
        if self.period_start or self.period_end:
            start = self.period_start.isoformat() if self.period_start else "..."
            end = self.period_end.isoformat() if self.period_end else "..."
            parts.append(f"period=[{start}, {end})")
        return ", ".join(parts)
