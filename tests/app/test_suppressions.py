"""Suppressions: validation, the matching rule detection applies, expiry and removal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from schildwacht.app.suppressions.models import Suppression
from schildwacht.app.suppressions.service import (
    active_suppressions,
    add_suppression,
    list_suppressions,
    matching_suppression,
    period_from_dates,
    remove_suppression,
    suppression_matches,
)
from schildwacht.errors import UserError

TODAY = date(2026, 3, 10)
NEXT_MONTH = date(2026, 4, 10)
DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def finding(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "scenario": "bulk",
        "employee_id": "e00001",
        "team": "Verkiezingen",
        "department": "Burgerzaken",
        "subject_bsn": None,
        "first_seen": DAY,
        "last_seen": DAY + timedelta(hours=6),
    }
    values.update(overrides)
    return values


def suppression(**fields: object) -> Suppression:
    base: dict[str, object] = {
        "id": 1,
        "reason": "verkiezingscontrole",
        "expires_on": NEXT_MONTH,
        "created_by": "tester",
        "created_at": DAY,
    }
    base.update(fields)
    return Suppression(**base)


def add(session: Session, **fields: object) -> Suppression:
    values: dict[str, object] = {
        "reason": "verkiezingscontrole",
        "expires_on": NEXT_MONTH,
        "created_by": "tester",
        "today": TODAY,
    }
    values.update(fields)
    return add_suppression(session, **values)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"scenario": "bulk", "reason": "  "}, "needs a reason"),
        ({"scenario": "bulk", "expires_on": date(2026, 3, 9)}, "in the past"),
        ({}, "must name a scenario"),
        ({"team": "   "}, "must name a scenario"),
        ({"scenario": "bulkk"}, "unknown scenario 'bulkk'"),
        ({"subject_bsn": "123456789"}, "not a valid BSN"),
        (
            {"scenario": "bulk", "period_start": DAY, "period_end": DAY - timedelta(days=1)},
            "ends before it starts",
        ),
    ],
)
def test_invalid_suppressions_are_refused(
    session: Session, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        add(session, **fields)


def test_added_suppression_reads_back(session: Session) -> None:
    added = add(session, team=" Verkiezingen ", scenario="bulk", expires_on=TODAY)
    assert added.id >= 1
    assert added.team == "Verkiezingen" and added.scenario == "bulk"
    assert added.expires_on == TODAY
    assert list_suppressions(session, today=TODAY) == [added]
    assert "team=Verkiezingen" in added.target()


def test_a_new_scenario_code_can_be_allowed(session: Session) -> None:
    added = add(session, scenario="new_code", known_scenarios=("new_code",))
    assert added.scenario == "new_code"


def test_expired_suppressions_are_not_active(session: Session) -> None:
    old = add(session, scenario="bulk", expires_on=TODAY)
    current = add(session, employee_id="e00001")
    tomorrow = TODAY + timedelta(days=1)
    assert active_suppressions(session, today=TODAY) == [old, current]
    assert active_suppressions(session, today=tomorrow) == [current]
    assert list_suppressions(session, include_expired=True, today=tomorrow) == [old, current]


def test_remove(session: Session) -> None:
    added = add(session, scenario="bulk")
    assert remove_suppression(session, suppression_id=added.id) == added
    assert list_suppressions(session, include_expired=True) == []
    with pytest.raises(UserError, match="no suppression with id"):
        remove_suppression(session, suppression_id=added.id)


def test_scenario_only_matches_every_finding_of_that_scenario() -> None:
    s = suppression(scenario="bulk")
    assert suppression_matches(s, **finding())
    assert suppression_matches(s, **finding(employee_id="e99999"))
    assert not suppression_matches(s, **finding(scenario="family"))


def test_employee_and_period_must_both_match() -> None:
    start, end = period_from_dates(date(2026, 3, 2), date(2026, 3, 2))
    s = suppression(employee_id="e00001", period_start=start, period_end=end)
    assert suppression_matches(s, **finding())
    assert not suppression_matches(s, **finding(employee_id="e00002"))
    next_day = DAY + timedelta(days=1)
    assert not suppression_matches(  # evidence runs past the period
        s, **finding(last_seen=next_day)
    )
    assert not suppression_matches(  # evidence starts before it
        s, **finding(first_seen=DAY - timedelta(days=1))
    )


def test_period_from_dates_covers_whole_local_days() -> None:
    start, end = period_from_dates(date(2026, 3, 2), date(2026, 3, 2))
    assert start == datetime(2026, 3, 1, 23, tzinfo=UTC)
    assert end == datetime(2026, 3, 2, 23, tzinfo=UTC)
    assert period_from_dates(None, None) == (None, None)


def test_team_and_department_match_exactly() -> None:
    assert suppression_matches(suppression(team="Verkiezingen"), **finding())
    assert not suppression_matches(suppression(team="Burgerzaken"), **finding())
    assert not suppression_matches(
        suppression(department="Burgerzaken"), **finding(department=None)
    )


def test_subject_suppression_needs_that_subject() -> None:
    s = suppression(subject_bsn="123456782")
    assert suppression_matches(s, **finding(subject_bsn="123456782"))
    assert not suppression_matches(s, **finding(subject_bsn="111222333"))
    assert not suppression_matches(s, **finding())


def test_matching_suppression_returns_the_first_match() -> None:
    first, second = suppression(id=1, scenario="family"), suppression(id=2, scenario="bulk")
    assert matching_suppression([first, second], **finding()) == second
    assert matching_suppression([first], **finding()) is None
