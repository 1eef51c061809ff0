"""Time in the simulated town: the working calendar and how systems write timestamps.

Internally every instant is an ``int64`` of seconds since the Unix epoch (UTC), because
numpy can move millions of those around cheaply. Only on output are they rendered the way
real municipal systems log them: with an Amsterdam offset, in UTC (``Z``), or as bare local
time. A bare local time is only written where it is unambiguous: never in the repeated hour
at the end of daylight saving time, and (by construction) never in the skipped hour at its
start, because the contract reads bare times as Europe/Amsterdam local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TZ = ZoneInfo("Europe/Amsterdam")
DAY = 86_400
HOUR = 3_600

STYLE_OFFSET, STYLE_UTC, STYLE_NAIVE = 0, 1, 2
"""How a timestamp is written: ``+01:00``/``+02:00``, ``Z``, or local time without offset."""

_SUFFIXES = pa.array(["+01:00", "+02:00", "Z", ""])


def easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm); Dutch holidays hang off it."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 22 * m) // 451) + 114) // 31
    p = (h + m - 7 * ((a + 11 * h + 22 * m) // 451) + 114) % 31
    return date(year, n, p + 1)


def public_holidays(year: int) -> set[date]:
    """Days a Dutch municipality is closed: the national holidays most CAOs give off."""
    e = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1),
        e + timedelta(days=1),
        kings_day,
        e + timedelta(days=39),
        e + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    if year % 5 == 0:
        days.add(date(year, 5, 5))
    return days


def utc_offsets(epochs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Amsterdam UTC offset (seconds) of each instant, and whether its bare local time is safe.

    Offsets only change on whole UTC hours in this zone, so they are looked up once per
    distinct hour. "Safe" means the local wall-clock time maps back to exactly one instant.
    """
    hours = np.floor_divide(epochs, HOUR)
    unique, inverse = np.unique(hours, return_inverse=True)
    offsets = np.empty(len(unique), dtype=np.int64)
    safe = np.empty(len(unique), dtype=bool)
    for i, h in enumerate(unique.tolist()):
        moment = datetime.fromtimestamp(h * HOUR, tz=UTC).astimezone(TZ)
        offset = moment.utcoffset()
        assert offset is not None
        offsets[i] = int(offset.total_seconds())
        wall = moment.replace(tzinfo=None)
        first = wall.replace(tzinfo=TZ, fold=0).utcoffset()
        second = wall.replace(tzinfo=TZ, fold=1).utcoffset()
        safe[i] = first == second
    return offsets[inverse], safe[inverse]


def format_instants(epochs: np.ndarray, styles: np.ndarray) -> pa.Array:
    """Render instants as ISO 8601 strings in the given styles (see ``STYLE_*``)."""
    offsets, safe = utc_offsets(epochs)
    styles = np.where((styles == STYLE_NAIVE) & ~safe, STYLE_OFFSET, styles)
    shown = np.where(styles == STYLE_UTC, epochs, epochs + offsets)
    text = pc.cast(pa.array(shown, type=pa.timestamp("s")), pa.string())
    text = pc.replace_substring(text, " ", "T", max_replacements=1)
    suffix = np.where(offsets == 2 * HOUR, 1, 0)
    suffix = np.where(styles == STYLE_UTC, 2, np.where(styles == STYLE_NAIVE, 3, suffix))
    return pc.binary_join_element_wise(text, _SUFFIXES.take(pa.array(suffix)), "")


def format_instant(epoch: int) -> str:
    """One instant as ISO 8601 with its Amsterdam offset (for labels)."""
    return datetime.fromtimestamp(epoch, tz=UTC).astimezone(TZ).isoformat()


@dataclass(frozen=True)
class Calendar:
    """The simulated window: ``days`` local days from ``start``, with the working days marked.

    Day indices are relative to ``start`` and may be negative (a case opened last year).
    """

    start: date
    days: int

    @property
    def start_epoch_day(self) -> int:
        """Days from 1970-01-01 to ``start``."""
        return (self.start - date(1970, 1, 1)).days

    @property
    def end(self) -> date:
        """The last simulated day."""
        return self.start + timedelta(days=self.days - 1)

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """Monday = 0 ... Sunday = 6 for day indices."""
        return (self.start.weekday() + day) % 7

    def workday(self, day: np.ndarray) -> np.ndarray:
        """True on weekdays that are not Dutch public holidays."""
        day = np.asarray(day)
        years = range(self.start.year - 3, self.end.year + 2)
        base = self.start_epoch_day
        holidays = np.array(
            [(h - date(1970, 1, 1)).days - base for y in years for h in public_holidays(y)]
        )
        return (self.weekday(day) < 5) & ~np.isin(day, holidays)

    def at(self, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Instant (epoch seconds) of local time-of-day ``seconds`` on local ``day``.

        Two passes settle the offset on days when daylight saving time changes.
        """
        wall = (self.start_epoch_day + np.asarray(day, dtype=np.int64)) * DAY
        wall = wall + np.asarray(seconds, dtype=np.int64)
        guess = wall - HOUR
        offsets, _ = utc_offsets(guess)
        epochs = wall - offsets
        second, _ = utc_offsets(epochs)
        return wall - second

    def day_of(self, epochs: np.ndarray) -> np.ndarray:
        """Local day index of each instant."""
        offsets, _ = utc_offsets(epochs)
        return np.floor_divide(epochs + offsets, DAY) - self.start_epoch_day

    def dates(self, day: np.ndarray) -> np.ndarray:
        """Day indices as ``datetime64[D]``."""
        return (np.asarray(day) + self.start_epoch_day).astype("datetime64[D]")
