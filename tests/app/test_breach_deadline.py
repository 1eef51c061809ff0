"""The 72-hour clock: elapsed hours across DST changes, weekends and holidays; warnings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from schildwacht.app.breaches.deadline import (
    WARNING_LABELS_NL,
    WarningLevel,
    check_delay_reason,
    clock_status,
    needs_delay_reason,
    notification_deadline,
    remaining,
    warning_level,
)
from schildwacht.errors import UserError

AMS = ZoneInfo("Europe/Amsterdam")


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS, fold=fold)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Absolute time between two moments (Python subtracts same-zone datetimes in wall time)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def wall_hours(start: datetime, end: datetime) -> float:
    """Hours between the two wall-clock readings, ignoring the offsets."""
    naive = end.replace(tzinfo=None) - start.astimezone(AMS).replace(tzinfo=None)
    return naive / timedelta(hours=1)


def test_plain_72_hours_in_amsterdam_time() -> None:
    deadline = notification_deadline(ams(2026, 6, 2, 9, 30))
    assert deadline == ams(2026, 6, 5, 9, 30)
    assert deadline.tzinfo == AMS


def test_utc_input_is_shown_in_amsterdam() -> None:
    deadline = notification_deadline(datetime(2026, 1, 12, 8, 0, tzinfo=UTC))
    assert deadline.isoformat() == "2026-01-15T09:00:00+01:00"


def test_across_the_march_change_the_wall_clock_shows_73_hours() -> None:
    """Last Sunday of March 2026 (29th): 02:00 CET becomes 03:00 CEST, an hour is skipped."""
    aware = ams(2026, 3, 27, 12, 0)  # Friday, CET
    deadline = notification_deadline(aware)
    assert deadline.isoformat() == "2026-03-30T13:00:00+02:00"
    assert elapsed(aware, deadline) == timedelta(hours=72)  # what the law counts
    assert wall_hours(aware, deadline) == 73


def test_across_the_october_change_the_wall_clock_shows_71_hours() -> None:
    """Last Sunday of October 2026 (25th): 03:00 CEST becomes 02:00 CET, an hour repeats."""
    aware = ams(2026, 10, 23, 12, 0)  # Friday, CEST
    deadline = notification_deadline(aware)
    assert deadline.isoformat() == "2026-10-26T11:00:00+01:00"
    assert elapsed(aware, deadline) == timedelta(hours=72)
    assert wall_hours(aware, deadline) == 71
    assert deadline != aware + timedelta(hours=72)  # the wall-time sum Python would make


def test_the_repeated_october_hour_is_told_apart_by_fold() -> None:
    first = notification_deadline(ams(2026, 10, 25, 2, 30, fold=0))  # 00:30 UTC
    second = notification_deadline(ams(2026, 10, 25, 2, 30, fold=1))  # 01:30 UTC
    assert first.isoformat() == "2026-10-28T01:30:00+01:00"
    assert second.isoformat() == "2026-10-28T02:30:00+01:00"


def test_weekends_do_not_pause_the_clock() -> None:
    aware = ams(2026, 6, 5, 16, 45)  # Friday afternoon
    assert notification_deadline(aware) == ams(2026, 6, 8, 16, 45)  # Monday, same time


@pytest.mark.parametrize(
    ("aware", "deadline"),
    [
        ((2026, 4, 3, 10, 0), (2026, 4, 6, 10, 0)),  # Good Friday -> Easter Monday
        ((2026, 12, 24, 9, 0), (2026, 12, 27, 9, 0)),  # Christmas Eve -> Sunday after
        ((2026, 4, 25, 8, 0), (2026, 4, 28, 8, 0)),  # across King's Day (Monday 27 April)
    ],
)
def test_holidays_do_not_pause_the_clock(aware: tuple[int, ...], deadline: tuple[int, ...]) -> None:
    assert notification_deadline(ams(*aware)) == ams(*deadline)


def test_remaining_counts_elapsed_time_across_dst() -> None:
    aware = ams(2026, 10, 23, 12, 0)
    # Sunday 12:00 is 48 wall-clock hours later but 49 elapsed hours.
    assert remaining(aware, ams(2026, 10, 25, 12, 0)) == timedelta(hours=23)
    assert remaining(aware, aware) == timedelta(hours=72)
    assert remaining(aware, ams(2026, 10, 26, 12, 0)) == timedelta(hours=-1)


AWARE = ams(2026, 3, 2, 10, 0)
DEADLINE = ams(2026, 3, 5, 10, 0)


@pytest.mark.parametrize(
    ("left", "level"),
    [
        (timedelta(hours=72), WarningLevel.none),
        (timedelta(hours=48, seconds=1), WarningLevel.none),
        (timedelta(hours=48), WarningLevel.within_48h),
        (timedelta(hours=24, microseconds=1), WarningLevel.within_48h),
        (timedelta(hours=24), WarningLevel.within_24h),
        (timedelta(hours=4, microseconds=1), WarningLevel.within_24h),
        (timedelta(hours=4), WarningLevel.within_4h),
        (timedelta(0), WarningLevel.within_4h),  # at the deadline: still in time
        (timedelta(microseconds=-1), WarningLevel.overdue),
        (timedelta(days=-3), WarningLevel.overdue),
    ],
)
def test_warning_levels_exactly_at_the_thresholds(left: timedelta, level: WarningLevel) -> None:
    assert warning_level(AWARE, DEADLINE - left) == level
    assert WARNING_LABELS_NL[level]


def test_warning_levels_use_elapsed_time_across_dst() -> None:
    aware = ams(2026, 3, 27, 12, 0)  # deadline Monday 13:00 CEST
    assert warning_level(aware, ams(2026, 3, 29, 12, 0)) == WarningLevel.within_48h  # 25 h left
    assert warning_level(aware, ams(2026, 3, 29, 13, 0)) == WarningLevel.within_24h  # 24 h left
    assert warning_level(aware, ams(2026, 3, 30, 9, 0)) == WarningLevel.within_4h  # 4 h left


def test_delay_reason_needed_only_after_the_deadline() -> None:
    assert not needs_delay_reason(AWARE, DEADLINE)
    assert not needs_delay_reason(AWARE, DEADLINE.astimezone(UTC))
    assert needs_delay_reason(AWARE, DEADLINE + timedelta(seconds=1))


def test_a_late_notification_without_a_reason_is_refused() -> None:
    late = DEADLINE + timedelta(hours=5)
    with pytest.raises(UserError, match=r"05-03-2026 10:00.*reden van de vertraging"):
        check_delay_reason(AWARE, late, None)
    with pytest.raises(UserError):
        check_delay_reason(AWARE, late, "  ")
    check_delay_reason(AWARE, late, "daderonderzoek Rijksrecherche liep nog")
    check_delay_reason(AWARE, DEADLINE, None)


def test_clock_status_for_the_dashboard() -> None:
    status = clock_status(AWARE.astimezone(UTC), DEADLINE - timedelta(hours=30))
    assert status.aware_at == AWARE and status.aware_at.tzinfo == AMS
    assert status.deadline == DEADLINE
    assert (status.remaining, status.level) == (timedelta(hours=30), WarningLevel.within_48h)


@pytest.mark.parametrize(
    "call",
    [
        lambda: notification_deadline(datetime(2026, 3, 2, 10, 0)),
        lambda: remaining(AWARE, datetime(2026, 3, 2, 10, 0)),
        lambda: warning_level(datetime(2026, 3, 2, 10, 0), AWARE),
        lambda: needs_delay_reason(AWARE, datetime(2026, 3, 6, 10, 0)),
    ],
)
def test_naive_datetimes_are_refused(call: object) -> None:
    with pytest.raises(ValueError, match="naive"):
        call()  # type: ignore[operator]
