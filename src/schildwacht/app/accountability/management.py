"""The management report: what the municipality saw, did and notified in a month or quarter.

Issue 5 §5 asks the municipality to account for its handling of misuse to its management and
the FG: alerts by scenario and department, the share of accesses explained by work, how fast
alerts were picked up, confirmed misuse, breaches and whether notifications to the AP met the
72-hour deadline. The report holds counts only: no employee id, pseudonym, name or BSN is
read into its result (privacy by design; a department is an organisational unit, not a
person). It reads the application database and the event store and changes neither: the
caller records each use in the audit trail, so every use is recorded exactly once.

Which moment puts a thing in the period (Amsterdam days, see ``period.py``):

- an alert: ``first_seen``, the first suspicious access, so a month's figures describe what
  happened in that month, whenever detection ran;
- time to triage: the same alerts, from ``created_at`` (detection stored it) to their first
  history note (any act of a person on it: starting the investigation, assigning, a comment,
  a re-identification or a decision);
- a resolution: the moment its decision took effect (the second officer's confirmation, or
  the proposal when no second opinion was needed); withdrawn decisions do not count;
- a breach: ``aware_at``, when the 72-hour clock started.

Figures "as of now" (alerts still untouched, breaches past the deadline and not notified) are
taken at ``now``, the moment the report is made, and the report says so.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.accountability.explained import ExplainedShare, explained_share
from schildwacht.app.accountability.period import AMSTERDAM, Period
from schildwacht.app.alerts.models import AlertRecord, AlertScenarioRecord
from schildwacht.app.auth.models import User
from schildwacht.app.base import as_utc
from schildwacht.app.breaches import deadline
from schildwacht.app.breaches.models import Breach, BreachStatus
from schildwacht.app.breaches.service import MISUSE_CONFIRMED, list_breaches
from schildwacht.app.triage.models import AlertDecisionRecord, AlertNoteRecord, DecisionState
from schildwacht.app.triage.service import resolution_label
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.store.store import Store

UNKNOWN_DEPARTMENT = "(onbekend)"
NOT_ASSESSED = "nog niet beoordeeld"
STATUS_NL = {"nieuw": "nieuw", "in_onderzoek": "in onderzoek", "afgesloten": "afgesloten"}
BAND_NL = {"low": "laag", "medium": "gemiddeld", "high": "hoog", "very_high": "zeer hoog"}
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Count:
    """One row of a breakdown: a code (``key``), its Dutch label and how many."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class AlertFigures:
    """Alerts whose first suspicious access lies in the period.

    An alert with two scenarios counts under both in ``by_scenario``, so that column may add
    up to more than ``total``; the other breakdowns add up to ``total``. ``by_status`` is the
    status now.
    """

    total: int
    by_scenario: tuple[Count, ...]
    by_department: tuple[Count, ...]
    by_status: tuple[Count, ...]


@dataclass(frozen=True)
class TriageTimes:
    """Hours from detection to the first act of a person, for the period's alerts."""

    alerts: int
    triaged: int
    untouched: int  # no act yet, at the moment of the report
    median_hours: float | None  # None when no alert was picked up
    p90_hours: float | None


@dataclass(frozen=True)
class Resolutions:
    """Closing decisions that took effect in the period."""

    confirmed_misuse: int  # alerts closed as misuse, confirmed by a second privacy officer
    total: int
    by_resolution: tuple[Count, ...]


@dataclass(frozen=True)
class BreachFigures:
    """Breaches the municipality became aware of in the period, and their notification.

    ``notified`` splits into ``in_time`` and ``late`` (after 72 hours, Art. 33(1));
    ``not_notified`` were decided, and confirmed by the FG, not to need a notification;
    ``to_notify`` still have to be notified now, ``overdue`` of them past the deadline;
    ``closed_otherwise`` were closed without either (kept so the parts add up).
    """

    opened: int
    by_band: tuple[Count, ...]
    notified: int
    in_time: int
    late: int
    not_notified: int
    to_notify: int
    overdue: int
    closed_otherwise: int


@dataclass(frozen=True)
class ManagementReport:
    period: Period
    created_at: datetime  # Europe/Amsterdam
    alerts: AlertFigures
    explained: ExplainedShare
    triage: TriageTimes
    resolutions: Resolutions
    breaches: BreachFigures


def management_report(
    session: Session, *, period: Period, user: User, store: Store | None,
    params: dict[str, Any], now: datetime | None = None,
) -> ManagementReport:  # fmt: skip
    """The report for ``period``; ``user`` must be allowed to read breaches (the report's
    roles are). ``params`` are detection's (``detect.runner.detection_params``), so the
    explained share matches what detection explained."""
    moment = as_utc(now, "now") if now is not None else datetime.now(UTC)
    ids = _alert_ids(session, period)
    return ManagementReport(
        period=period,
        created_at=moment.astimezone(AMSTERDAM),
        alerts=alert_figures(session, ids),
        explained=explained_share(store, period, params),
        triage=triage_times(session, ids),
        resolutions=resolutions(session, period),
        breaches=breach_figures(list_breaches(session, user=user), period, moment),
    )


def _alert_ids(session: Session, period: Period) -> list[str]:
    query = sa.select(AlertRecord.alert_id).where(
        AlertRecord.first_seen >= period.start, AlertRecord.first_seen < period.end
    )
    return list(session.execute(query).scalars())


def _chunks(ids: Sequence[str], size: int = 900) -> Iterable[Sequence[str]]:
    """Bounded ``IN`` lists: SQLite allows a limited number of parameters per statement."""
    for at in range(0, len(ids), size):
        yield ids[at : at + size]


def _counted(values: Iterable[str], labels: dict[str, str] | None = None) -> tuple[Count, ...]:
    """Largest first, then by label, so the tables and charts read from the top."""
    counts = Counter(values)
    rows = [Count(k, (labels or {}).get(k, k), n) for k, n in counts.items()]
    return tuple(sorted(rows, key=lambda c: (-c.count, c.label)))


def alert_figures(session: Session, alert_ids: Sequence[str]) -> AlertFigures:
    """Breakdowns of the given alerts by scenario, department and current status."""
    scenarios: list[str] = []
    departments: list[str] = []
    statuses: list[str] = []
    for chunk in _chunks(alert_ids):
        links = sa.select(AlertScenarioRecord.scenario).where(
            AlertScenarioRecord.alert_id.in_(chunk)
        )
        scenarios += session.execute(links).scalars()
        rows = sa.select(AlertRecord.department, AlertRecord.status).where(
            AlertRecord.alert_id.in_(chunk)
        )
        for department, status in session.execute(rows):
            departments.append(department or UNKNOWN_DEPARTMENT)
            statuses.append(status)
    titles = {code: s.title_nl for code, s in SCENARIOS.items()}
    return AlertFigures(
        total=len(alert_ids),
        by_scenario=_counted(scenarios, titles),
        by_department=_counted(departments),
        by_status=_counted(statuses, STATUS_NL),
    )


def percentile(values: Sequence[float], share: float) -> float | None:
    """The ``share`` quantile with linear interpolation between ranks (as a spreadsheet's
    PERCENTILE.INC computes it, so a controller can check it); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def triage_times(session: Session, alert_ids: Sequence[str]) -> TriageTimes:
    """From ``created_at`` to the first history note of each alert, in hours."""
    hours: list[float] = []
    for chunk in _chunks(alert_ids):
        first_act = (
            sa.select(AlertNoteRecord.alert_id, sa.func.min(AlertNoteRecord.at).label("first"))
            .where(AlertNoteRecord.alert_id.in_(chunk))
            .group_by(AlertNoteRecord.alert_id)
            .subquery()
        )
        query = sa.select(AlertRecord.created_at, first_act.c.first).join(
            first_act, first_act.c.alert_id == AlertRecord.alert_id
        )
        for created, first in session.execute(query):
            hours.append((_utc(first) - created) / HOUR)
    return TriageTimes(
        alerts=len(alert_ids),
        triaged=len(hours),
        untouched=len(alert_ids) - len(hours),
        median_hours=statistics.median(hours) if hours else None,
        p90_hours=percentile(hours, 0.9),
    )


def _utc(value: datetime | str) -> datetime:
    """An aggregate's timestamp as aware UTC, whether or not the driver kept the column's
    type (``min()`` keeps it in SQLAlchemy; a raw string is read as the UTC it was stored as)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def resolutions(session: Session, period: Period) -> Resolutions:
    """Decisions in force (``confirmed``) that took effect in the period, by resolution."""
    second = AlertDecisionRecord.second_at
    proposed = AlertDecisionRecord.proposed_at
    took_effect = sa.or_(
        sa.and_(second.is_not(None), second >= period.start, second < period.end),
        sa.and_(second.is_(None), proposed >= period.start, proposed < period.end),
    )
    query = sa.select(AlertDecisionRecord.alert_id, AlertDecisionRecord.resolution).where(
        AlertDecisionRecord.state == DecisionState.confirmed.value, took_effect
    )
    rows = {alert_id: resolution for alert_id, resolution in session.execute(query)}
    labels = {code: resolution_label(code) for code in rows.values()}
    return Resolutions(
        confirmed_misuse=sum(1 for r in rows.values() if r == MISUSE_CONFIRMED),
        total=len(rows),
        by_resolution=_counted(rows.values(), labels),
    )


def breach_figures(breaches: Iterable[Breach], period: Period, now: datetime) -> BreachFigures:
    """The period's breaches (by awareness), their band and where their notification stands."""
    mine = [b for b in breaches if period.contains(b.aware_at)]
    sent = [(b, b.notified_at) for b in mine if b.notified_at is not None]
    notified = [b for b, _ in sent]
    late = len([b for b, at in sent if deadline.needs_delay_reason(b.aware_at, at)])
    waiting = [b for b in mine if b.notified_at is None and b.status == BreachStatus.open]
    to_notify = [b for b in waiting if b.notify_ap]
    overdue = len([b for b in to_notify if deadline.remaining(b.aware_at, now) < timedelta(0)])
    declined = [b for b in mine if b.notified_at is None and not b.notify_ap]
    otherwise = len(mine) - len(notified) - len(to_notify) - len(declined)
    return BreachFigures(
        opened=len(mine),
        by_band=_banded(mine),
        notified=len(notified),
        in_time=len(notified) - late,
        late=late,
        not_notified=len(declined),
        to_notify=len(to_notify),
        overdue=overdue,
        closed_otherwise=otherwise,
    )


def _banded(breaches: Sequence[Breach]) -> tuple[Count, ...]:
    """Counts per ENISA band in the band's order (low to very high), then not assessed."""
    counts = Counter(b.band or "" for b in breaches)
    order = [*BAND_NL, *sorted(set(counts) - set(BAND_NL) - {""}), ""]  # never drop a band
    return tuple(
        Count(band or "none", BAND_NL.get(band, NOT_ASSESSED), counts[band])
        for band in order
        if counts[band]
    )
