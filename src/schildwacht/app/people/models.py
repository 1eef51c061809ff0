"""The ``reveals`` table: who re-identified the employee behind which alert, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime


class RevealRecord(Base):
    __tablename__ = "reveals"

    reveal_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alerts.alert_id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"), index=True)
    justification: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Reveal:
    reveal_id: int
    alert_id: str
    user_id: int
    justification: str
    at: datetime
