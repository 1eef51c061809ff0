"""History notes and (four-eyes) closing decisions of alerts.

Every workflow act leaves an ``alert_notes`` row (Dispatch's "event" pattern), so the alert
page shows its history without reading the audit trail, which only the auditor may read.
A closing decision is a row of its own because it may wait for a second privacy officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime


class NoteKind(StrEnum):
    comment = "comment"
    status = "status"
    assignment = "assignment"
    decision = "decision"
    reveal = "reveal"


class DecisionState(StrEnum):
    pending = "pending"  # waits for a second privacy officer
    confirmed = "confirmed"  # in force: the alert is closed
    rejected = "rejected"  # the second privacy officer disagreed
    withdrawn = "withdrawn"  # superseded by reopening


class AlertNoteRecord(Base):
    __tablename__ = "alert_notes"

    note_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alerts.alert_id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    text: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class AlertDecisionRecord(Base):
    __tablename__ = "alert_decisions"

    decision_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alerts.alert_id"), index=True)
    resolution: Mapped[str] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text)
    needs_second: Mapped[bool] = mapped_column(sa.Boolean)
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    proposed_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    second_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.user_id"))
    second_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    second_note: Mapped[str | None] = mapped_column(sa.Text)


@dataclass(frozen=True)
class AlertNote:
    note_id: int
    alert_id: str
    at: datetime
    author_id: int
    kind: str
    text: str
    details: dict[str, Any]

    @classmethod
    def from_record(cls, r: AlertNoteRecord) -> AlertNote:
        return cls(r.note_id, r.alert_id, r.at, r.author_id, r.kind, r.text, dict(r.details))


@dataclass(frozen=True)
class AlertDecision:
    decision_id: int
    alert_id: str
    resolution: str
    note: str
    needs_second: bool
    state: str
    proposed_by: int
    proposed_at: datetime
    second_by: int | None
    second_at: datetime | None
    second_note: str | None

    @classmethod
    def from_record(cls, r: AlertDecisionRecord) -> AlertDecision:
        return cls(
            r.decision_id, r.alert_id, r.resolution, r.note, r.needs_second, r.state,
            r.proposed_by, r.proposed_at, r.second_by, r.second_at, r.second_note,
        )  # fmt: skip
