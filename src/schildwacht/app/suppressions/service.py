"""Adding, listing and removing suppressions, and the rule detection applies per finding.

A suppression silences a known legitimate pattern (a team's election check of 300 voters on
one day) without hiding everything else: it must name at least one target, give a reason a
colleague can check, and expire. Detection loads the active ones once per run and calls
``suppression_matches`` for every finding, before alerts exist, so suppressed evidence never
becomes an alert.

Services never commit; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.suppressions.models import TARGET_COLUMNS, Suppression, SuppressionRecord
from schildwacht.config import SCENARIO_CODES
from schildwacht.contract import bsn_is_valid
from schildwacht.errors import UserError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def amsterdam_today() -> date:
    """Today's date where the municipality is, which is what an expiry date means."""
    return datetime.now(AMSTERDAM).date()


def period_from_dates(
    start: date | None, until: date | None
) -> tuple[datetime | None, datetime | None]:
    """Whole local days ``start`` through ``until`` (inclusive) as a half-open UTC period."""
    begin = datetime.combine(start, time(), AMSTERDAM) if start is not None else None
    end = datetime.combine(until + timedelta(days=1), time(), AMSTERDAM) if until else None
    return begin, end


def _clean(value: str | None) -> str | None:
    """Blank means "not given": a CLI option set to "" must not become a target."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def add_suppression(
    session: Session,
    *,
    reason: str,
    expires_on: date,
    created_by: str,
    scenario: str | None = None,
    employee_id: str | None = None,
    team: str | None = None,
    department: str | None = None,
    subject_bsn: str | None = None,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    today: date | None = None,
    known_scenarios: Collection[str] = SCENARIO_CODES,
) -> Suppression:
    """Validate and store a suppression; every refusal is a one-line ``UserError``."""
    today = today or amsterdam_today()
    reason = reason.strip()
    targets = {
        "scenario": _clean(scenario),
        "employee_id": _clean(employee_id),
        "team": _clean(team),
        "department": _clean(department),
        "subject_bsn": _clean(subject_bsn),
    }
    if not reason:
        raise UserError("a suppression needs a reason (--reason): say why this is legitimate")
    if expires_on < today:
        raise UserError(f"expiry date {expires_on} is in the past; give today or a later date")
    if not any(targets.values()):
        raise UserError(
            "a suppression must name a scenario, employee, team, department or subject; "
            "suppressing everything is not allowed"
        )
    code = targets["scenario"]
    if code is not None and code not in known_scenarios:
        raise UserError(f"unknown scenario {code!r}; known: {', '.join(known_scenarios)}")
    bsn = targets["subject_bsn"]
    if bsn is not None and not bsn_is_valid(bsn):
        raise UserError(f"subject {bsn!r} is not a valid BSN (9 digits passing the elfproef)")
    start = as_utc(period_start, "period_start") if period_start is not None else None
    end = as_utc(period_end, "period_end") if period_end is not None else None
    if start is not None and end is not None and start >= end:
        raise UserError("the suppression period ends before it starts; check --from and --until")
    row = SuppressionRecord(
        **targets,
        period_start=start,
        period_end=end,
        reason=reason,
        expires_on=expires_on,
        created_by=created_by,
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    return Suppression.from_record(row)


def list_suppressions(
    session: Session, *, include_expired: bool = False, today: date | None = None
) -> list[Suppression]:
    """Suppressions in the order they were added; expired ones only when asked for."""
    query = sa.select(SuppressionRecord).order_by(SuppressionRecord.id)
    if not include_expired:
        query = query.where(SuppressionRecord.expires_on >= (today or amsterdam_today()))
    return [Suppression.from_record(row) for row in session.scalars(query)]


def active_suppressions(session: Session, *, today: date) -> list[Suppression]:
    """The suppressions detection must apply on ``today`` (expiry day included)."""
    return list_suppressions(session, include_expired=False, today=today)


def remove_suppression(session: Session, *, suppression_id: int) -> Suppression:
    """Delete a suppression; returns what was removed (for the confirmation line)."""
    row = session.get(SuppressionRecord, suppression_id)
    if row is None:
        raise UserError(
            f"no suppression with id {suppression_id}; 'schildwacht suppress list --all' shows them"
        )
    removed = Suppression.from_record(row)
    session.delete(row)
    session.flush()
    return removed


def suppression_matches(
    s: Suppression,
    *,
    scenario: str,
    employee_id: str,
    team: str | None,
    department: str | None,
    subject_bsn: str | None,
    first_seen: datetime,
    last_seen: datetime,
) -> bool:
    """True when the suppression covers this finding.

    Every field the suppression sets must equal the finding's (exact comparison, as the
    contract compares identifiers); a finding without a subject never matches a
    subject-bound suppression. With a period, the whole evidence window must lie inside
    ``[period_start, period_end)``: a suppression for one day's election check must not hide
    the same access pattern on other days.
    """
    finding = {
        "scenario": scenario,
        "employee_id": employee_id,
        "team": team,
        "department": department,
        "subject_bsn": subject_bsn,
    }
    for column in TARGET_COLUMNS:
        wanted = getattr(s, column)
        if wanted is not None and finding[column] != wanted:
            return False
    if s.period_start is not None and as_utc(first_seen, "first_seen") < s.period_start:
        return False
    return not (s.period_end is not None and as_utc(last_seen, "last_seen") >= s.period_end)


def matching_suppression(
    suppressions: Iterable[Suppression],
    *,
    scenario: str,
    employee_id: str,
    team: str | None,
    department: str | None,
    subject_bsn: str | None,
    first_seen: datetime,
    last_seen: datetime,
) -> Suppression | None:
    """The first suppression that covers the finding, or None (convenience for detection)."""
    for s in suppressions:
        if suppression_matches(
            s,
            scenario=scenario,
            employee_id=employee_id,
            team=team,
            department=department,
            subject_bsn=subject_bsn,
            first_seen=first_seen,
            last_seen=last_seen,
        ):
            return s
    return None


def audit_details(suppression: Suppression, *, via: str) -> dict[str, str]:
    """What the audit entry of adding or removing a suppression keeps, for CLI, web and API
    alike: the full target, BSN included, so a removed suppression can still be accounted
    for (the trail is read only by the auditor)."""
    return {
        "covers": suppression.target(),
        "expires_on": suppression.expires_on.isoformat(),
        "reason": suppression.reason,
        "via": via,
    }
