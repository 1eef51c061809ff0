"""The reporting period of the management report: a calendar month or a quarter.

Managers and the FG account per month or quarter, in Dutch days: a look-up at 00:30 on
1 April, Amsterdam time, belongs to April although it is still 31 March (22:30) in UTC. So a
period is a pair of Amsterdam midnights, held in UTC (``start`` inclusive, ``end``
exclusive); comparing them with the UTC columns of the database is then exact, also across
the daylight-saving changes (a March report has 743 hours, an October one 745).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from babel.dates import format_date

from schildwacht.errors import UserError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[QK](\d{1,2})")  # Q (quarter) or K (kwartaal)
FIRST_YEAR, LAST_YEAR = 1970, 9998
EXAMPLES = "een maand (bijvoorbeeld 2026-03) of een kwartaal (bijvoorbeeld 2026-Q1)"


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month (``number`` 1-12) or quarter (``number`` 1-4) of ``year``."""

    year: int
    kind: PeriodKind
    number: int

    @property
    def code(self) -> str:
        """``2026-03`` or ``2026-Q1``: the form the URL and the audit trail use."""
        if self.kind == PeriodKind.month:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        month = self.number if self.kind == PeriodKind.month else 3 * self.number - 2
        return date(self.year, month, 1)

    @property
    def last_day(self) -> date:
        """The last day, inclusive."""
        return self._after().first_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        """Amsterdam midnight at the start of the first day, in UTC (inclusive).

        UTC, not Amsterdam time: Python compares and subtracts two datetimes of the same zone
        by their wall clocks, which is an hour off across a daylight-saving change.
        """
        return datetime.combine(self.first_day, time(), AMSTERDAM).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """Amsterdam midnight after the last day, in UTC (exclusive)."""
        return datetime.combine(self._after().first_day, time(), AMSTERDAM).astimezone(UTC)

    @property
    def label(self) -> str:
        """``maart 2026`` or ``1e kwartaal 2026``."""
        if self.kind == PeriodKind.month:
            return format_date(self.first_day, "MMMM yyyy", locale="nl")
        return f"{self.number}e kwartaal {self.year}"

    @property
    def days_label(self) -> str:
        """``1 januari 2026 tot en met 31 maart 2026``."""
        first = format_date(self.first_day, "d MMMM yyyy", locale="nl")
        last = format_date(self.last_day, "d MMMM yyyy", locale="nl")
        return f"{first} tot en met {last}"

    def contains(self, moment: datetime) -> bool:
        """Whether the aware ``moment`` falls on one of the period's Amsterdam days."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("moment is a naive datetime; give a timezone-aware value")
        return self.start <= moment < self.end

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 12 if self.kind == PeriodKind.month else 4)

    def _after(self) -> Period:
        last = 12 if self.kind == PeriodKind.month else 4
        if self.number < last:
            return Period(self.year, self.kind, self.number + 1)
        return Period(self.year + 1, self.kind, 1)

    def next(self) -> Period:
        return self._after()


def month_of(day: date) -> Period:
    return Period(day.year, PeriodKind.month, day.month)


def quarter_of(day: date) -> Period:
    return Period(day.year, PeriodKind.quarter, (day.month - 1) // 3 + 1)


def previous_month(today: date) -> Period:
    """The last complete month before ``today``: the report's default."""
    return month_of(today).previous()


def parse_period(text: str) -> Period:
    """``2026-03`` (a month) or ``2026-Q1`` / ``2026-K1`` (a quarter); ``UserError`` with a
    Dutch message saying what to type otherwise."""
    value = (text or "").strip().upper()
    if found := _MONTH.fullmatch(value):
        year, number, kind = int(found[1]), int(found[2]), PeriodKind.month
        if not 1 <= number <= 12:
            raise UserError(f"maand {number} bestaat niet: gebruik 01 tot en met 12 ({EXAMPLES})")
    elif found := _QUARTER.fullmatch(value):
        year, number, kind = int(found[1]), int(found[2]), PeriodKind.quarter
        if not 1 <= number <= 4:
            raise UserError(
                f"kwartaal {number} bestaat niet: gebruik Q1 tot en met Q4 ({EXAMPLES})"
            )
    else:
        raise UserError(f"{text.strip()[:20]!r} is geen periode: kies {EXAMPLES}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"jaar {year} valt buiten {FIRST_YEAR}-{LAST_YEAR}")
    return Period(year, kind, number)


def recent_periods(today: date, months: int = 24, quarters: int = 8) -> list[Period]:
    """The choices of the period picker: recent months and quarters, newest first."""
    found: list[Period] = []
    month = month_of(today)
    for _ in range(months):
        found.append(month)
        month = month.previous()
    quarter = quarter_of(today)
    for _ in range(quarters):
        found.append(quarter)
        quarter = quarter.previous()
    return found
