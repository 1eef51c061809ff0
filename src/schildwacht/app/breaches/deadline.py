"""The 72-hour clock of Art. 33(1) GDPR: notify the AP 'not later than 72 hours after having
become aware' of the breach, and give reasons for any delay.

``BREACH.md`` §3: count 72 *clock hours*, with no extension for weekends or holidays. Clock
hours are elapsed hours, so the deadline is computed in absolute time (UTC) and only shown in
Europe/Amsterdam. Across a daylight-saving change the wall clock therefore disagrees with the
72: from Friday 12:00 before the last Sunday of October the deadline is Monday 11:00 (the wall
clock shows 71 hours, because 02:00-03:00 happens twice), and before the last Sunday of March
it is Monday 13:00 (73 on the wall clock, because 02:00-03:00 is skipped). That is right: the
law counts time that passes, not readings of a clock. Python adds, subtracts and compares two
datetimes of the same zone in wall time, so every sum and comparison here is done in UTC:
``amsterdam_time + timedelta(hours=72)`` would be an hour off across a change.

§3 marks the weekend rule [unverified] (§12 item 3). Counting straight through is the reading
that cannot make a notification late, so it is used until the rule is confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from schildwacht.app.base import as_utc
from schildwacht.errors import UserError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOTIFICATION_WINDOW = timedelta(hours=72)
"""Art. 33(1) GDPR."""


class WarningLevel(StrEnum):
    """How close the deadline is. Each threshold counts as reached when exactly that much time
    is left, so a dashboard warns at 48:00:00, not a second later."""

    none = "none"  # more than 48 hours left
    within_48h = "within_48h"
    within_24h = "within_24h"
    within_4h = "within_4h"
    overdue = "overdue"  # the deadline has passed


WARNING_THRESHOLDS: tuple[tuple[timedelta, WarningLevel], ...] = (
    (timedelta(hours=4), WarningLevel.within_4h),
    (timedelta(hours=24), WarningLevel.within_24h),
    (timedelta(hours=48), WarningLevel.within_48h),
)
"""The issue's warnings at 48, 24 and 4 hours remaining, tightest first."""

WARNING_LABELS_NL: Mapping[WarningLevel, str] = MappingProxyType(
    {
        WarningLevel.none: "ruim binnen de termijn",
        WarningLevel.within_48h: "nog 48 uur of minder",
        WarningLevel.within_24h: "nog 24 uur of minder",
        WarningLevel.within_4h: "nog 4 uur of minder",
        WarningLevel.overdue: "termijn verstreken",
    }
)


def notification_deadline(aware_at: datetime) -> datetime:
    """The moment 72 elapsed hours after ``aware_at``, in Europe/Amsterdam time.

    ``aware_at`` must be timezone-aware (a naive value is refused with ``ValueError``: which
    zone it meant would be a guess, and a guess moves a legal deadline by an hour or two).
    """
    return _deadline_utc(aware_at).astimezone(AMSTERDAM)


def _deadline_utc(aware_at: datetime) -> datetime:
    return as_utc(aware_at, "aware_at") + NOTIFICATION_WINDOW


def remaining(aware_at: datetime, now: datetime) -> timedelta:
    """Time left until the deadline; negative once it has passed."""
    return _deadline_utc(aware_at) - as_utc(now, "now")


def warning_level(aware_at: datetime, now: datetime) -> WarningLevel:
    """The dashboard's warning for a dossier still to be notified.

    A notification exactly at the deadline is in time ('not later than 72 hours'), so overdue
    starts after it.
    """
    left = remaining(aware_at, now)
    if left < timedelta(0):
        return WarningLevel.overdue
    for threshold, level in WARNING_THRESHOLDS:
        if left <= threshold:
            return level
    return WarningLevel.none


def needs_delay_reason(aware_at: datetime, notified_at: datetime) -> bool:
    """Whether a notification at ``notified_at`` is late and so must say why (Art. 33(1),
    AP form question 4.5)."""
    return as_utc(notified_at, "notified_at") > _deadline_utc(aware_at)


def check_delay_reason(aware_at: datetime, notified_at: datetime, reason: str | None) -> None:
    """Refuse a late notification without a reason for the delay (``UserError``)."""
    if needs_delay_reason(aware_at, notified_at) and not (reason or "").strip():
        deadline = notification_deadline(aware_at).strftime("%d-%m-%Y %H:%M")
        raise UserError(
            f"de melding is na de termijn ({deadline}) gedaan: geef de reden van de vertraging"
        )


@dataclass(frozen=True)
class ClockStatus:
    """Everything a dashboard row shows about one dossier's clock."""

    aware_at: datetime
    deadline: datetime  # Europe/Amsterdam
    remaining: timedelta  # negative when overdue
    level: WarningLevel


def clock_status(aware_at: datetime, now: datetime) -> ClockStatus:
    """The clock of one dossier at ``now``."""
    return ClockStatus(
        aware_at=as_utc(aware_at, "aware_at").astimezone(AMSTERDAM),
        deadline=notification_deadline(aware_at),
        remaining=remaining(aware_at, now),
        level=warning_level(aware_at, now),
    )
