"""The ``dossiers`` table and its many-to-many link to alerts.

A dossier is about one employee (the alerts it joins must share the employee); an alert may
belong to more than one dossier over time (DFIR-IRIS: alerts and cases are separate). The
breach handling builds on a dossier whose misuse is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime


class DossierStatus(StrEnum):
    open = "open"
    gesloten = "gesloten"


class DossierRecord(Base):
    __tablename__ = "dossiers"

    dossier_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=DossierStatus.open.value)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DossierAlertRecord(Base):
    __tablename__ = "dossier_alerts"

    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dossiers.dossier_id", ondelete="CASCADE"), primary_key=True
    )
    alert_id: Mapped[str] = mapped_column(
        sa.ForeignKey("alerts.alert_id"), primary_key=True, index=True
    )
    added_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Dossier:
    dossier_id: int
    employee_id: str
    title: str
    description: str
    status: str
    created_by: int
    created_at: datetime
    updated_at: datetime
    alert_ids: tuple[str, ...] = ()

    @classmethod
    def from_record(cls, r: DossierRecord, alert_ids: tuple[str, ...] = ()) -> Dossier:
        return cls(
            r.dossier_id, r.employee_id, r.title, r.description, r.status, r.created_by,
            r.created_at, r.updated_at, alert_ids,
        )  # fmt: skip
