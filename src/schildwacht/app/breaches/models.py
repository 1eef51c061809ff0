"""The breach dossier: ``breaches``, its timeline ``breach_events`` and ``breach_decisions``.

Art. 33(5) GDPR asks for every breach, notified or not, 'the facts ..., its effects and the
remedial action taken'; ``BREACH.md`` §8 adds the reasoning behind each decision, who approved
it and when. So a decision is a row of its own (it may wait for the FG's confirmation and may
be superseded by a later one), and every act leaves a timeline entry the dossier page shows
without reading the audit trail, which only the auditor may read.

The severity and the affected-people summary are JSON: always read and written whole, never
filtered on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.base import Base, UTCDateTime
from schildwacht.app.breaches.severity import Band

HIGH_BANDS = frozenset({Band.high.value, Band.very_high.value})
"""Art. 34(1): inform the people when the risk is likely high (``BREACH.md`` §7)."""


class BreachOrigin(StrEnum):
    """Where the signal came from (``BREACH.md`` §1, step 0)."""

    dossier = "dossier"  # an investigation file with confirmed misuse
    tip_citizen = "tip_citizen"
    rijksrecherche = "rijksrecherche"
    manager = "manager"
    other = "other"


class BreachStatus(StrEnum):
    open = "open"  # the 72-hour clock runs until the AP is notified or not-notifying stands
    notified = "notified"  # the AP was notified (``notified_at``); additions may follow
    closed = "closed"  # handled: measures taken, people informed as decided; read-only


class DecisionKind(StrEnum):
    """The decisions of ``BREACH.md`` §2, §6 and §7."""

    is_breach = "is_breach"  # Art. 4(12): is this a personal data breach?
    notify_ap = "notify_ap"  # Art. 33: notify the AP (the default)
    inform_subjects = "inform_subjects"  # Art. 34: inform the people affected
    postpone_art41 = "postpone_art41"  # UAVG art. 41: postpone informing them


class DecisionState(StrEnum):
    in_force = "in_force"
    pending_fg = "pending_fg"  # not notifying the AP: waits for a second officer acting as FG
    superseded = "superseded"  # a later decision of the same kind replaced it


class Art34Exception(StrEnum):
    """Art. 34(3) GDPR: when the people need not be informed despite a high risk."""

    a = "a"  # data unintelligible to unauthorised persons
    b = "b"  # later measures make the high risk no longer likely
    c = "c"  # disproportionate effort; a public communication instead


class EventKind(StrEnum):
    opened = "opened"
    severity = "severity"
    decision = "decision"
    confirmation = "confirmation"
    notified = "notified"
    particulars = "particulars"
    measure = "measure"
    affected = "affected"
    letters = "letters"  # the people were informed by letter
    closed = "closed"


class NoticePhase(StrEnum):
    """Art. 33(4) GDPR: information may be provided in phases. The AP form's question 1.1
    calls the first a regular notification and each later one a follow-up."""

    initial = "initial"
    addition = "addition"


class MeasureKind(StrEnum):
    """What a measure is for (AP form 10.2; Art. 33(3)(d))."""

    end = "end"  # end the breach (access revoked, account blocked)
    mitigate = "mitigate"  # limit the consequences for the people
    prevent = "prevent"  # prevent recurrence (training, authorisations, logging)


class BreachRecord(Base):
    __tablename__ = "breaches"

    breach_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    origin: Mapped[str] = mapped_column(sa.String(32))
    dossier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dossiers.dossier_id"), index=True)
    employee_id: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime)
    aware_note: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delay_reason: Mapped[str | None] = mapped_column(sa.Text)
    severity: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    severity_reason: Mapped[str | None] = mapped_column(sa.Text)
    affected: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # the AP form's answers only a person can give, by semantic field id (notification.py)
    particulars: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_note: Mapped[str | None] = mapped_column(sa.Text)


class BreachMeasureRecord(Base):
    """A measure taken (register: 'the remedial action taken', Art. 33(5))."""

    __tablename__ = "breach_measures"

    measure_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    breach_id: Mapped[int] = mapped_column(sa.ForeignKey("breaches.breach_id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    taken_on: Mapped[date] = mapped_column(sa.Date)
    recorded_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BreachNoticeRecord(Base):
    """One notification sent to the AP: the initial one, then any additions (Art. 33(4)).
    ``content`` keeps the draft exactly as it was when sent, so a later edit of the dossier
    never changes what the register says was notified."""

    __tablename__ = "breach_notices"

    notice_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    breach_id: Mapped[int] = mapped_column(sa.ForeignKey("breaches.breach_id"), index=True)
    phase: Mapped[str] = mapped_column(sa.String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    ap_reference: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text)
    late: Mapped[bool] = mapped_column(sa.Boolean)
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class BreachEventRecord(Base):
    __tablename__ = "breach_events"

    event_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    breach_id: Mapped[int] = mapped_column(sa.ForeignKey("breaches.breach_id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    text: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class BreachDecisionRecord(Base):
    __tablename__ = "breach_decisions"

    decision_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    breach_id: Mapped[int] = mapped_column(sa.ForeignKey("breaches.breach_id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    value: Mapped[bool] = mapped_column(sa.Boolean)
    reason: Mapped[str] = mapped_column(sa.Text)
    exception: Mapped[str | None] = mapped_column(sa.String(8))  # Art. 34(3) a|b|c
    state: Mapped[str] = mapped_column(sa.String(16))
    decided_by: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the FG (role ``fg``) confirms a decision not to notify the AP
    confirmed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.user_id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_on: Mapped[date | None] = mapped_column(sa.Date)  # UAVG art. 41 postponement


@dataclass(frozen=True)
class BreachEvent:
    """One timeline entry; ``author`` is the username."""

    event_id: int
    at: datetime
    author: str
    kind: str
    text: str
    details: dict[str, Any]


@dataclass(frozen=True)
class BreachDecision:
    """One decision; ``decided_by`` and ``confirmed_by`` are usernames."""

    decision_id: int
    kind: str
    value: bool
    reason: str
    exception: str | None
    state: str
    decided_by: str
    decided_at: datetime
    confirmed_by: str | None
    confirmed_at: datetime | None
    review_on: date | None


@dataclass(frozen=True)
class BreachMeasure:
    """One measure; ``recorded_by`` is the username."""

    measure_id: int
    kind: str
    text: str
    taken_on: date
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class BreachNotice:
    """One notification sent to the AP; ``sent_by`` is the username."""

    notice_id: int
    phase: str
    sent_at: datetime
    sent_by: str
    ap_reference: str | None
    note: str
    late: bool
    content: dict[str, Any]


@dataclass(frozen=True)
class Breach:
    """A breach dossier, detached from the session, with its timeline and decisions."""

    breach_id: int
    title: str
    origin: str
    dossier_id: int | None
    employee_id: str | None
    aware_at: datetime
    aware_note: str
    status: str
    created_by: str
    created_at: datetime
    notified_at: datetime | None
    delay_reason: str | None
    severity: dict[str, Any] | None
    severity_reason: str | None
    affected: dict[str, Any]
    events: tuple[BreachEvent, ...] = ()
    decisions: tuple[BreachDecision, ...] = ()
    particulars: dict[str, Any] = field(default_factory=dict)
    measures: tuple[BreachMeasure, ...] = ()
    notices: tuple[BreachNotice, ...] = ()
    closed_at: datetime | None = None
    closing_note: str | None = None

    @property
    def band(self) -> str | None:
        """The ENISA band of the recorded severity, if any."""
        return None if self.severity is None else str(self.severity["band"])

    def in_force(self, kind: DecisionKind) -> BreachDecision | None:
        """The decision of ``kind`` that currently stands."""
        for d in reversed(self.decisions):
            if d.kind == kind and d.state == DecisionState.in_force:
                return d
        return None

    def pending(self, kind: DecisionKind) -> BreachDecision | None:
        """The decision of ``kind`` waiting for the FG's confirmation, if any."""
        for d in reversed(self.decisions):
            if d.kind == kind and d.state == DecisionState.pending_fg:
                return d
        return None

    @property
    def notify_ap(self) -> bool:
        """Notify the AP unless not notifying was decided *and* confirmed (``BREACH.md`` §6:
        the default is to notify; a pending 'no' does not stop the clock)."""
        decision = self.in_force(DecisionKind.notify_ap)
        return True if decision is None else decision.value


def outstanding(breach: Breach) -> list[str]:
    """What the procedure still asks of this dossier, in Dutch (for the dashboard)."""
    todo = []
    if breach.severity is None:
        todo.append("ernst beoordelen (ENISA)")
    if breach.pending(DecisionKind.notify_ap) is not None:
        todo.append("besluit niet te melden wacht op bevestiging door de FG")
    if breach.status == BreachStatus.open and breach.notify_ap:
        todo.append("melden bij de AP")
    if breach.band in HIGH_BANDS and breach.in_force(DecisionKind.inform_subjects) is None:
        todo.append("besluiten over het informeren van de betrokkenen (hoog risico)")
    return todo
