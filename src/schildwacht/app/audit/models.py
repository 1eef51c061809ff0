"""The ``audit_log`` table: one row per recorded act, each chained to the one before.

``seq`` numbers entries 1, 2, 3, ... without gaps (it is assigned by the service, not by a
database sequence, which may skip numbers after a rollback), so a deleted entry shows as a
gap; ``entry_hash`` covers the entry and the previous entry's hash, so any change shows as a
broken link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime


class AuditRecord(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    target: Mapped[str | None] = mapped_column(sa.String(256))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    client: Mapped[str | None] = mapped_column(sa.String(128))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    entry_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded act: who did what, to what, when, from where."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    client: str | None
    prev_hash: str
    entry_hash: str

    @classmethod
    def from_record(cls, row: AuditRecord) -> AuditEntry:
        return cls(
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.target,
            dict(row.details or {}),
            row.client,
            row.prev_hash,
            row.entry_hash,
        )
