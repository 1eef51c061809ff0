"""The triage queue: alerts highest score first, filtered, counted and paged in the database.

Built to stay fast at 100,000 alerts: every filter hits an index (scenario and subject
through their link tables), counts are one ``GROUP BY``, and a page reads only its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import (
    Alert,
    AlertRecord,
    AlertScenarioRecord,
    AlertStatus,
    AlertSubjectRecord,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PER_PAGE = 50


@dataclass(frozen=True)
class QueueFilter:
    """What the privacy officer narrowed the queue to; None means "any"."""

    scenario: str | None = None
    department: str | None = None
    status: str | None = None
    since: date | None = None  # alerts with activity on or after this day
    until: date | None = None  # ... and on or before this day
    assignee_id: int | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class QueuePage:
    alerts: list[Alert]
    total: int  # alerts matching every filter
    by_status: dict[str, int]  # matching every filter but the status
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(f: QueueFilter, *, ordered: bool = False) -> list[Any]:
    """WHERE clauses for ``f``. ``ordered`` shapes the scenario filter for reading one page:
    as EXISTS, SQLite walks the queue index in order and probes the link table's key until
    the page is full; for counting, IN lets it start from the scenario's link rows."""
    table = AlertRecord.__table__.c
    where: list[Any] = []
    if f.scenario:
        link = AlertScenarioRecord.__table__.c
        if ordered:
            where.append(
                sa.exists().where(link.alert_id == table.alert_id, link.scenario == f.scenario)
            )
        else:
            where.append(
                table.alert_id.in_(sa.select(link.alert_id).where(link.scenario == f.scenario))
            )
    if f.department:
        where.append(table.department == f.department)
    if f.status:
        where.append(table.status == f.status)
    if f.since:
        where.append(table.last_seen >= datetime.combine(f.since, time(), AMSTERDAM))
    if f.until:
        end = datetime.combine(f.until + timedelta(days=1), time(), AMSTERDAM)
        where.append(table.first_seen < end)
    if f.assignee_id is not None:
        where.append(table.assignee_id == f.assignee_id)
    if f.min_score is not None:
        where.append(table.score >= f.min_score)
    return where


def queue(
    session: Session, *, filters: QueueFilter, page: int = 1, per_page: int = PER_PAGE
) -> QueuePage:
    table = AlertRecord.__table__
    page = max(1, page)
    counts_query = (
        sa.select(table.c.status, sa.func.count())
        .where(*_conditions(replace(filters, status=None)))
        .group_by(table.c.status)
    )
    by_status = {s.value: 0 for s in AlertStatus}
    by_status.update({status: count for status, count in session.execute(counts_query)})
    total = by_status.get(filters.status, 0) if filters.status else sum(by_status.values())
    ids_query = (
        sa.select(table.c.alert_id)
        .where(*_conditions(filters, ordered=True))
        .order_by(table.c.score.desc(), table.c.alert_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    ids = list(session.execute(ids_query).scalars())
    rows = session.execute(sa.select(table).where(table.c.alert_id.in_(ids))).mappings()
    by_id = {row["alert_id"]: Alert.from_row(row) for row in rows}
    return QueuePage([by_id[i] for i in ids], total, by_status, page, per_page)


def departments(session: Session) -> list[str]:
    """The departments that occur in alerts, for the filter menu."""
    found = session.execute(
        sa.select(AlertRecord.department)
        .where(AlertRecord.department.is_not(None))
        .distinct()
        .order_by(AlertRecord.department)
    ).scalars()
    return [d for d in found if d]


def related_alerts(session: Session, *, alert: Alert, limit: int = 50) -> list[Alert]:
    """Other alerts about the same employee or the same people, highest score first."""
    table = AlertRecord.__table__
    subjects = AlertSubjectRecord.__table__.c
    same_subject = sa.select(subjects.alert_id).where(
        subjects.subject_bsn.in_(list(alert.subject_bsns) or [""])
    )
    query = (
        sa.select(table)
        .where(
            table.c.alert_id != alert.alert_id,
            sa.or_(table.c.employee_id == alert.employee_id, table.c.alert_id.in_(same_subject)),
        )
        .order_by(table.c.score.desc(), table.c.alert_id)
        .limit(limit)
    )
    return [Alert.from_row(r) for r in session.execute(query).mappings()]
